"""Are two expressions the same function? Decided by the project's own evaluator, never SymPy.

Method (README, "The grader"):
- Rational functions (+ - * /, integer powers, numbers, variables: no function calls, no
  constants e or pi) are compared EXACTLY with Fractions at `exact_points` random rational
  points (numerators up to 10^4, denominators up to 97): two different rational functions of
  modest degree agree at such a point with probability ~ degree/10^4, so 8 points leave a
  chance below 10^-24. No tolerance is involved.
- Everything else is compared in floats (evaluate.compile_float, NaN where undefined) at
  `points` random points drawn inside the reference's domain over five magnitude bands
  (0.05-0.5, 0.5-2 twice, 2-6, 6-20, 20-200, either sign; never integers), each value within
  `rtol` relative or `zero` absolute. With 48 points (WeBWorK uses 5, KAS 31) agreement by
  chance of two different analytic functions is negligible; rtol 1e-6 is a thousand times
  stricter than WeBWorK's 1e-3 yet ten million times looser than the ~1e-13 rounding of
  a textbook expression evaluated in doubles.
- Points are seeded from SHA-256 of the function, the variables and `Options.seed`, so a
  verdict is the same on every machine, and the reference values are computed once per
  function (grade.reference caches them) and reused for every student. A `Sample` is frozen
  and its rational points are read-only mappings: one sample is read by many threads at once.
"""
from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, fields
from functools import lru_cache
from fractions import Fraction
from types import MappingProxyType
from typing import Iterable, Mapping, Sequence

from ..errors import TutorError
from ..evaluation import compile_float, evaluate, evaluate_float, exact_evaluator, tree_key
from ..evaluation.text import fraction_parts
from ..expr import Add, Const, Div, Expr, Mul, Neg, Num, Pow, Sym, children

__all__ = ["Options", "Sample", "make_sample", "centres", "is_rational", "values", "same", "compare",
           "Comparison", "same_as"]

NAN = float("nan")
BANDS = ((0.05, 0.5), (0.5, 2.0), (2.0, 6.0), (6.0, 20.0), (0.5, 2.0), (20.0, 200.0))


@dataclass(frozen=True)
class Options:
    """Every knob of a check, with its default. Immutable and hashable (it keys caches).

    points        float sample points wanted inside the reference's domain (48)
    min_points    fewer valid points than this -> "undetermined" (16)
    max_draws     candidate points drawn before giving up (600)
    rtol, zero    |a - b| <= max(zero, rtol * max(|a|, |b|)) is "equal" (1e-6, 1e-9)
    exact_points  rational points for the exact path (8)
    seed          a salt mixed into the point seed (an LMS may set a per-course secret)
    max_chars, max_nodes, max_depth   answer size limits (5,000 chars, 3,000 nodes, 200 levels)
    diagnose      look for a misconception when the answer is incorrect (True)
    partial_credit  an incorrect answer earns its diagnosis' credit (True), else 0
    credit        overrides of the catalogue's credits: (("sign-error", 0.8), ...)
    slip_credit   check_work: right method, a later line slipped (0.5)
    """
    points: int = 48
    min_points: int = 16
    max_draws: int = 600
    rtol: float = 1e-6
    zero: float = 1e-9
    exact_points: int = 8
    seed: str = ""
    max_chars: int = 5_000
    max_nodes: int = 3_000
    max_depth: int = 200
    diagnose: bool = True
    partial_credit: bool = True
    credit: tuple = ()
    slip_credit: float = 0.5

    def credit_for(self, mid: str, default: float) -> float:
        return dict(self.credit).get(mid, default)

    def __hash__(self) -> int:
        """The fields' hash, computed once per instance: Options is part of the key of every
        cache a check looks in (the reference, the comparison, the counter-example, and
        through the Reference the diagnosis), and hashing its fourteen fields each time cost
        ~0.25 us a look-up. Equal options have equal fields, so equal hashes. Kept in the
        instance's __dict__ beside the fields and left out of its pickled state
        (__getstate__): a str's hash differs from one process to the next."""
        h = self.__dict__.get(_HASH)
        if h is None:
            h = self.__dict__[_HASH] = hash(tuple(getattr(self, name) for name in _OPTION_FIELDS))
        return h

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != _HASH}


#: where an Options keeps its hash, and the fields it is the hash of
_HASH = "_hash"
_OPTION_FIELDS = tuple(f.name for f in fields(Options))


@dataclass(frozen=True, eq=False)
class Sample:
    """Points inside the reference's domain, and the reference's values there. Immutable
    throughout (tuples, read-only mappings): it is cached and shared by every answer.
    Equal and hashed by identity (eq=False): a sample is one problem's draw, a cache key
    for the answers compared with it, and hashing its 48 points per lookup would cost more
    than the lookup saves. `reference` is the tree whose values these are: an answer that
    IS that tree has those values bit for bit (the same compiled float operations), so
    `compare` answers it without evaluating (the student who wrote the textbook's form)."""
    variables: tuple[str, ...]
    points: tuple[tuple[float, ...], ...]
    values: tuple[float, ...]
    exact_points: tuple[Mapping[str, Fraction], ...]   # rational points (a rational reference only)
    exact_values: tuple[Fraction, ...]
    reference: Expr | None = None


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def is_rational(e: Expr) -> bool:
    """Only + - * / integer powers, numbers and variables: exact arithmetic decides.
    (Every node, dispatched on its class: the node classes have no subclasses, and a
    generator walk with a `match` per node was most of a rational answer's check of it.)"""
    stack = [e]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        t = type(node)
        if t is Num or t is Sym:
            continue
        if t is Add:
            stack.extend(node.terms)
        elif t is Mul:
            stack.extend(node.factors)
        elif t is Neg:
            push(node.arg)
        elif t is Div:
            push(node.num)
            push(node.den)
        elif t is Pow:
            x = node.exp
            v = x.arg if type(x) is Neg else x   # x^n or x^(-n), n an integer up to 64
            if type(v) is not Num:
                return False
            n, d = fraction_parts(v.value)
            if d != 1 or n > 64:
                return False
            push(node.base)
            push(x)
        else:
            return False
    return True


#: constants this large (in absolute value) set where a function may live: |c| > SMALL_SCALE
SMALL_SCALE = 20
#: constants past this are not used as centres (floats lose the unit there)
LARGEST_CENTRE = 1e12
#: offsets from a centre: just beside a boundary, near it, and across its scale
OFFSETS = ((0.05, 0.5), (0.5, 2.0), (2.0, 20.0), (20.0, 200.0))


def centres(*trees: Expr) -> tuple[float, ...]:
    """The scales where the functions live beyond the usual bands: every constant c with
    |c| > SMALL_SCALE (a shift x - 1000, a boundary [x > 300], a power 10^4), as +c and -c,
    sorted. Empty for the usual textbook function, whose sample is then unchanged."""
    found: set[float] = set()
    for tree in trees:
        if tree is None:
            continue
        try:
            found |= _centres_of(tree_key(tree))
        except RecursionError:   # too deep to hash: walked unmemoised
            found |= _centres_walk(tree)
    return tuple(sorted(found | {-c for c in found}))


@lru_cache(maxsize=4096)
def _centres_of(key) -> frozenset:
    """One tree's large constants (memoised: every correct answer is looked at again for its
    own centres). Cache invariant: a pure function of the tree; frozen value; lru_cache."""
    return _centres_walk(key.tree)


def _centres_walk(tree: Expr) -> frozenset:
    found: set[float] = set()
    stack = [tree]   # every node once (order does not matter: a set is collected)
    while stack:
        node = stack.pop()
        t = type(node)
        if t is Num:
            v = node.value
        elif t is Pow:
            b, x = node.base, node.exp
            stack.append(x)
            stack.append(b)
            if type(b) is not Num or type(x) is not Num:
                continue
            a, n = b.value, x.value
            if not (n.denominator == 1 and abs(n) <= 24 and abs(a) <= 10**6):
                continue
            v = Fraction(a) ** int(n)
        else:
            if t is Mul:   # the common inner nodes by their fields: no children() call
                stack.extend(node.factors)
            elif t is Add:
                stack.extend(node.terms)
            elif t is Neg:
                stack.append(node.arg)
            elif t is not Sym and t is not Const:
                stack.extend(children(node))
            continue
        if SMALL_SCALE < abs(v) <= LARGEST_CENTRE:
            found.add(float(abs(v)))
    return frozenset(found) if found else _NO_CENTRES


#: the usual answer's centres, one shared object (not a new frozenset a memo entry keeps)
_NO_CENTRES: frozenset = frozenset()


def make_sample(ref: Expr, variables: Sequence[str], opts: Options, key: str,
                domain: Expr | None = None, around: Sequence[float] = ()) -> Sample:
    """Draw points (seeded by `key`) until `opts.points` of them lie in ref's domain.
    `around`: centres (see `centres`) where the functions also live: then two draws in
    three are taken beside a centre (OFFSETS either side) or at magnitudes up to ten times
    the largest, so a function living only past x = 1000 or changing at x = 300 is sampled
    there too."""
    variables = tuple(variables)
    rng = _rng("float", key, opts.seed)
    around = tuple(around)
    scale = 10 * max((abs(c) for c in around), default=0.0)
    raw = compile_float(ref, variables, keep=True)       # the problem's trees: kept
    dom = compile_float(domain, variables, keep=True) if domain is not None else None

    def fn(p):  # NaN outside the function's own domain too (simplifying may widen it)
        if dom is not None and dom(p) != dom(p):
            return NAN
        v = raw(p)
        if v == v and not _well_conditioned(raw, p, v, opts):
            return NAN
        return v
    pts, vals = [], []
    for i in range(opts.max_draws):
        if len(pts) >= opts.points:
            break
        p = tuple(_draw(rng, i + j, around, scale) for j in range(len(variables)))
        v = fn(p)
        if v == v:
            pts.append(p)
            vals.append(v)
    if 0 < len(pts) < opts.points:  # a narrow domain: draw again close to the points found
        seeds = list(pts)
        for i in range(opts.max_draws):
            if len(pts) >= opts.points:
                break
            base = seeds[i % len(seeds)]
            p = tuple(c + rng.uniform(-1, 1) * (0.05 * abs(c) + 0.01) for c in base)
            v = fn(p)
            if v == v:
                pts.append(p)
                vals.append(v)
    epts, evals = [], []
    if is_rational(ref):
        rng = _rng("exact", key, opts.seed)
        for _ in range(opts.exact_points * 4):
            if len(epts) >= opts.exact_points:
                break
            p = MappingProxyType({name: Fraction(rng.randint(-10_000, 10_000), rng.randint(2, 97))
                                  for name in variables})
            try:
                v = evaluate(ref, p)
            except TutorError:
                continue
            if isinstance(v, Fraction):
                epts.append(p)
                evals.append(v)
        if len(epts) < opts.exact_points:
            epts, evals = [], []
    return Sample(variables, tuple(pts), tuple(vals), tuple(epts), tuple(evals), ref)


#: relative nudge of a point, and the largest relative change of the reference it may cause
NUDGE, MAX_SENSITIVITY = 1e-10, 1e-3


def _well_conditioned(fn, p, v: float, opts: Options) -> bool:
    """Whether the reference can be compared at p in floating point. Where it is very
    sensitive (condition number over ~1e7, e.g. e^x cos(e^x) at x = 34, where cos is taken of
    8e14), two correct formulas (e^x vs exp(x)) differ by more than any tolerance, so such a
    point proves nothing either way and is not used."""
    q = tuple(c * (1 + NUDGE) + NUDGE for c in p)
    w = fn(q)
    return w == w and abs(w - v) <= MAX_SENSITIVITY * max(abs(v), opts.zero)


def _draw(rng: random.Random, i: int, around: tuple = (), scale: float = 0.0) -> float:
    if around and i % 3:
        if i % 3 == 2 and i % 9 == 8:   # across the scale: magnitudes 200 .. 10 x the largest
            x = math.exp(rng.uniform(math.log(200.0), math.log(max(scale, 201.0))))
            return -x if rng.random() < 0.5 else x
        lo, hi = OFFSETS[(i // 3) % len(OFFSETS)]
        d = rng.uniform(lo, hi)
        return rng.choice(around) + (-d if rng.random() < 0.5 else d)
    lo, hi = BANDS[i % len(BANDS)]
    x = rng.uniform(lo, hi)
    return -x if rng.random() < 0.5 else x


def values(e: Expr, sample: Sample) -> tuple[float, ...]:
    """e at every sample point (NaN where undefined); all NaN if e cannot be compiled."""
    try:
        fn = compile_float(e, sample.variables)
    except TutorError:
        return (NAN,) * len(sample.points)
    return tuple(fn(p) for p in sample.points)


def same_as(fn, sample: Sample, b: Sequence[float], opts: Options) -> bool:
    """same(values of the compiled fn, b), evaluating fn lazily: most candidates differ at
    the first point, so this usually costs one evaluation instead of len(points)."""
    return same((fn(p) for p in sample.points), b, opts)


def close(a: float, b: float, opts: Options) -> bool:
    """NaN never equals NaN; infinities never reach here (compile_float gives NaN)."""
    d = abs(a - b)
    return d <= opts.zero or d <= opts.rtol * max(abs(a), abs(b))


def same(a: Iterable[float], b: Sequence[float], opts: Options) -> bool:
    """Two value vectors agree: equal wherever both are defined, defined at the same
    points, and defined at enough points to mean something."""
    n = 0
    zero, rtol = opts.zero, opts.rtol
    for x, y in zip(a, b):
        d = abs(x - y)   # close(x, y, opts), inlined (NaN on either side fails both tests)
        if d <= zero or d <= rtol * max(abs(x), abs(y)):
            n += 1
            continue
        if x != x or y != y:
            if (x != x) != (y != y):
                return False
            continue
        return False
    return n >= opts.min_points


@dataclass(frozen=True, init=False)
class Comparison:
    """status: "equal" | "different" | "undefined" (answer undefined where the reference is
    defined) | "undetermined"; point/expected/got describe the first disagreement.
    Its own `__init__` fills __dict__ directly, as records.Verdict's does (and why: a wrong
    answer makes two of these; the generated one calls object.__setattr__ per field)."""
    status: str
    point: dict | None = None
    expected: float | Fraction | None = None
    got: float | Fraction | None = None
    reason: str = ""
    checked: int = 0
    exact: bool = False

    def __init__(self, status: str, point: dict | None = None,
                 expected: float | Fraction | None = None, got: float | Fraction | None = None,
                 reason: str = "", checked: int = 0, exact: bool = False) -> None:
        fields = self.__dict__
        fields["status"] = status
        fields["point"] = point
        fields["expected"] = expected
        fields["got"] = got
        fields["reason"] = reason
        fields["checked"] = checked
        fields["exact"] = exact


def compare(answer: Expr, sample: Sample, opts: Options, fn=None, *,
            rational: bool | None = None) -> Comparison:
    """The answer against the reference values; early exit on the first clear mismatch.
    `fn`: the answer already compiled by compile_float (the grader compiles once and reuses
    it for the diagnosis); `rational`: is_rational(answer) when the caller knows it (the
    grader's shape walk does), else None.

    Memoised by (answer tree, sample, options): a class repeats its answers. Cache
    invariant: a pure function of the key (fn is that same tree compiled, so it changes
    nothing but the cost); the sample is keyed by identity (it is one problem's draw, held
    by the cache entry); the Comparison is frozen and only read; `lru_cache` is coherent
    under threads; `compare.cache_clear()` forgets it."""
    try:
        return _compare(answer, sample, opts, fn, rational)
    except RecursionError:   # a tree too deep to hash
        return _compare_now(answer, sample, opts, fn, rational)


def _compare(answer: Expr, sample: Sample, opts: Options, fn, rational) -> Comparison:
    key = (tree_key(answer), sample, opts)
    hit = _MEMO.get(key)
    if hit is None:
        hit = _compare_now(answer, sample, opts, fn, rational)
        if len(_MEMO) >= MEMO_SIZE:
            _MEMO.clear()   # a crude bound: the next class refills it
        _MEMO[key] = hit
    return hit


#: compare's memo (a dict: fn must not be part of the key, as lru_cache would make it); its
#: bound as diagnose.EXPLAINED's, and for the same reason (it was 8,192)
_MEMO: dict = {}
MEMO_SIZE = 256
compare.cache_clear = _MEMO.clear  # type: ignore[attr-defined]


def _compare_now(answer: Expr, sample: Sample, opts: Options, fn=None,
                 rational: bool | None = None) -> Comparison:
    if len(sample.points) < opts.min_points:
        return Comparison("undetermined", reason=(
            f"the function's derivative is defined at only {len(sample.points)} of "
            f"{opts.max_draws} sample points (need {opts.min_points})"))
    rational = bool(sample.exact_points) and (is_rational(answer) if rational is None else rational)
    if _is_reference(answer, sample):
        # the reference's own tree: its values ARE the sample's (same compiled operations),
        # so the loops below would find every point equal; say so without them
        if rational:
            return Comparison("equal", checked=len(sample.exact_points), exact=True)
        return Comparison("equal", checked=len(sample.points))
    if rational:
        return _compare_exact(answer, sample)
    if fn is None:
        try:
            fn = compile_float(answer, sample.variables)
        except TutorError as exc:
            return Comparison("undetermined", reason=f"your answer cannot be evaluated: {exc.message}")
    ok, skipped = 0, 0
    zero, rtol = opts.zero, opts.rtol
    for p, r in zip(sample.points, sample.values):
        a = fn(p)
        d = abs(a - r)   # close(a, r, opts), inlined: this loop runs 48 times a correct answer
        if d <= zero or d <= rtol * max(abs(a), abs(r)):
            ok += 1
            continue
        if a != a:
            point = dict(zip(sample.variables, p))
            try:
                evaluate_float(answer, point)
            except TutorError as exc:
                if exc.code == "domain":
                    return Comparison("undefined", point, r, None, exc.message, ok)
            skipped += 1  # overflow (or a rounding-edge pole): not evidence either way
            continue
        return Comparison("different", dict(zip(sample.variables, p)), r, a, checked=ok)
    if ok < opts.min_points:
        return Comparison("undetermined", reason=(
            f"your answer could be evaluated at only {ok} of {len(sample.points)} points "
            f"(numbers too large for floating point)"), checked=ok)
    return Comparison("equal", checked=ok)


def _is_reference(answer: Expr, sample: Sample) -> bool:
    return sample.reference is not None and answer == sample.reference


def _compare_exact(answer: Expr, sample: Sample) -> Comparison:
    at = exact_evaluator(answer)
    for p, r in zip(sample.exact_points, sample.exact_values):
        try:
            a = at(p)
        except TutorError as exc:
            if exc.code == "domain":
                return Comparison("undefined", p, r, None, exc.message, exact=True)
            return Comparison("undetermined", reason=f"your answer cannot be evaluated: {exc.message}")
        if isinstance(a, float):  # exact budget spent: compare as floats
            if not (math.isfinite(a) and abs(a - float(r)) <= 1e-9 * max(1.0, abs(a))):
                return Comparison("different", p, r, a, exact=True)
        elif a != r:
            return Comparison("different", p, r, a, exact=True)
    return Comparison("equal", checked=len(sample.exact_points), exact=True)
