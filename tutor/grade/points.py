"""The point a student is shown: a small integer or a simple number where the answer is wrong.

Why apart from the sample: the seeded random points decide the verdict (they are hard to hit
by luck), but a student cannot check "at x = -2779/64" by hand. So once an answer is known to
be wrong, a short fixed list of simple points (2, 1, 3, -1, ...; then round numbers near the
point that failed and beside the function's large constants, for a function that lives far
from 0) is tried, inside the domain of the
function, its derivative and the answer, and the first where they disagree is the one
printed, with exact values where the arithmetic stays rational. The random points stay
internal; if no simple point disagrees, the failing random point is shown, to 6 digits.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import islice, product

from ..errors import TutorError
from ..evaluation import TreeKey, compile_float, evaluate, format_value, tree_key
from ..expr import Expr
from . import equivalence as EQ

__all__ = ["SIMPLE", "simple_counterexample"]

#: tried in this order, the same for every variable
SIMPLE = (2, 1, 3, -1, -2, Fraction(1, 2), 4, 5, -3, 10, 0, Fraction(-1, 2))
#: candidate points tried at most (multivariable problems combine the simple values)
MAX_TRIES = 40


def _near(c: float) -> list[Fraction]:
    """Round numbers near a coordinate far from 0: 1,000 -> 1000, 1001, 1002, 1010, 1100."""
    if not abs(c) < 1e15 or abs(c) <= 10:
        return []
    out = []
    for k in (3, 2, 1, 0):
        r = round(c, -k)
        out += [Fraction(int(r)), Fraction(int(r) + 1), Fraction(int(r) + 2), Fraction(int(r) - 1)]
    return out


def simple_counterexample(expected: Expr, function: Expr, answer: Expr, variables: tuple,
                          failing: dict | None, opts: EQ.Options):
    """(point, expected value, answer's value or None if undefined there) at a simple point
    where the answer differs from the derivative, or None when none of the simple points does.

    Memoised: a class repeats its wrong answers. Cache invariant: a pure function of its
    frozen arguments (the failing point as a tuple of items); the value is only read (its
    point mapping is never changed by a caller); `lru_cache` is coherent under threads;
    `simple_counterexample.cache_clear()` forgets it."""
    items = tuple(failing.items()) if failing else None
    try:
        keys = tree_key(expected), tree_key(function), tree_key(answer)
    except RecursionError:   # a tree too deep to hash
        return _search(expected, function, answer, tuple(variables), failing, opts)
    return _simple(*keys, tuple(variables), items, opts)


#: counter-examples remembered (a class hands in one tree from several texts close together, within
#: its problem's few dozen checks): every entry outlives two young collections, so the cyclic
#: garbage collector counts it towards its next full walk of the heap, and 4,096 answers'
#: entries cost a fresh check ~12 us of collection (textbook bank, these three memos at 4,096
#: against 256, alternated in one process: collector 52.7 -> 40.6 us a check)
SIMPLE_MEMO = 256


@lru_cache(maxsize=SIMPLE_MEMO)
def _simple(expected: TreeKey, function: TreeKey, answer: TreeKey, variables: tuple,
            failing_items: tuple | None, opts: EQ.Options):
    return _search(expected.tree, function.tree, answer.tree, variables,
                   dict(failing_items) if failing_items else None, opts)


def _search(expected: Expr, function: Expr, answer: Expr, variables: tuple,
            failing: dict | None, opts: EQ.Options):
    """The first candidate simple point where the answer is undefined or differs."""
    try:
        a_fn = compile_float(answer, variables)
    except TutorError:
        return None
    large = _large(variables, failing)
    try:
        found = _candidates(tree_key(expected), tree_key(function), variables, large)
    except RecursionError:   # a tree too deep to hash: the candidates found afresh
        found = _candidates_now(expected, function, variables, large)
    if found is None:
        return None
    for combo, p, r in found:
        a = a_fn(p)
        if a == a and EQ.close(a, r, opts):
            continue
        point = dict(zip(variables, combo))
        return point, _exact_reference(expected, combo, variables, r), \
            (None if a != a else _exact(answer, point, a))
    return None


def _large(variables: tuple, failing: dict | None) -> tuple:
    """The failing point's coordinates that choose candidates (those `_near` looks beside:
    far from 0 and finite), per variable, else None: the only part of the failing point the
    candidates depend on, so answers failing at different small points share them."""
    out = []
    for v in variables:
        c = float((failing or {}).get(v, 0.0))
        out.append(c if abs(c) < 1e15 and abs(c) > 10 else None)
    return tuple(out)


def _candidates(expected: TreeKey, function: TreeKey, variables: tuple, large: tuple):
    """_candidates_now, remembered by (problem, the failing point's large coordinates): every
    wrong answer to a problem is tried at the same simple points (most fail first at a point
    near 0, whose coordinates choose nothing), so the points, their floats and the reference's
    values there are computed once per problem, not per answer.
    Cache invariant: a pure function of its frozen key (the problem's tree keys, the variables,
    the large coordinates); the value is a tuple of tuples, only read; `lru_cache` is coherent
    under threads. A fact of the problem, as its reference is: kept while the answers' memos
    are forgotten (simple_counterexample.cache_clear), forgotten with the references
    (grade.clear_caches, `forget_problems`)."""
    return _candidates_memo(expected, function, variables, large)


#: problems' candidate lists remembered (one per problem, a few more for a problem whose
#: sample lives far from 0, where the failing point's large coordinates choose candidates)
CANDIDATES = 512


@lru_cache(maxsize=CANDIDATES)
def _candidates_memo(expected: TreeKey, function: TreeKey, variables: tuple, large: tuple):
    return _candidates_now(expected.tree, function.tree, variables, large)


def _candidates_now(expected: Expr, function: Expr, variables: tuple, large: tuple):
    """The simple points to try, in order, as (exact point, float point, reference value),
    only those where the derivative and the function are both defined, within the first
    MAX_TRIES (per variable) of them; None when the problem's trees cannot be compiled.
    `large`: `_large` of the failing point."""
    try:
        ref_fn = compile_float(expected, variables, keep=True)    # the problem's: kept
        f_fn = compile_float(function, variables, keep=True)
    except TutorError:
        return None
    beside = [Fraction(int(c)) + d for c in EQ.centres(function) if c == int(c)
              for d in (1, 2, 4, -1, -2, 10)]
    per_var = []
    for c in large:
        extra = beside + ([] if c is None else _near(c))
        per_var.append(list(dict.fromkeys(list(SIMPLE) + extra)))
    out = []
    for combo in islice(product(*per_var), MAX_TRIES * max(1, len(variables))):
        p = tuple(float(c) for c in combo)
        r, f = ref_fn(p), f_fn(p)
        if r == r and f == f:
            out.append((combo, p, r))
    return tuple(out)


def _forget() -> None:
    _simple.cache_clear()


def forget_problems() -> None:
    """Forget every problem's candidate points (grade.clear_caches, with the references)."""
    _candidates_memo.cache_clear()


simple_counterexample.cache_clear = _forget  # type: ignore[attr-defined]


def _exact_reference(expected: Expr, combo: tuple, variables: tuple, fallback: float):
    """_exact for the reference's side: the same few simple points serve every wrong answer
    to a problem, so its exact value there is computed once. Cache invariant: a pure
    function of its (immutable, hashable) key; `lru_cache` is coherent under threads."""
    try:
        return _exact_cached(tree_key(expected), combo, variables, fallback)
    except RecursionError:
        return _exact(expected, dict(zip(variables, combo)), fallback)


@lru_cache(maxsize=2048)
def _exact_cached(expected: TreeKey, combo: tuple, variables: tuple, fallback: float):
    return _exact(expected.tree, dict(zip(variables, combo)), fallback)


def _exact(e: Expr, point: dict, fallback: float):
    """The exact value when the arithmetic stays rational (and small), else the float."""
    try:
        v = evaluate(e, point)
    except TutorError:
        return fallback
    if isinstance(v, Fraction) and max(v.numerator.bit_length(), v.denominator.bit_length()) > 60:
        return float(v)
    return v


def where(point: dict) -> str:
    return ", ".join(f"{k} = {format_value(v, 6)}" for k, v in point.items())
