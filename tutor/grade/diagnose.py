"""Which slip explains a wrong answer: the candidate wrong derivatives, and their ranking.

Why computed, not guessed: every rule misconception is a buggy rule run in the real engine
(`misconceptions.mutate`), one node at a time, so a candidate is exactly the derivative a
student making that slip would get. The candidates of a problem are computed when its first
wrong answer arrives and reused for every later one: a wrong answer then costs one comparison
per candidate (usually stopped at the first point) plus the few whole-answer tests.

Cache invariant (`suspects`): key a `Reference` (equal and hashed by its own key: function,
var, order, input, Options) -> a frozen `Suspects` of tuples. The value is a pure function of
the key (the engine and the seeded sample are deterministic), so threads may share it and a
value computed twice by two threads that missed at once is the same value; `lru_cache` keeps
its table coherent under threads. Nothing is shared across processes.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from . import equivalence as EQ
from ..engine import Context, derive
from ..errors import TutorError
from ..evaluation import TreeKey, compile_float, format_value, tree_key
from ..expr import Add, Expr, free_symbols, neg, size
from ..printing import to_text
from .misconceptions import BY_ID, CATALOGUE, Misconception, mutate
from .records import Diagnosis
from .reference import Reference

__all__ = ["Candidate", "Suspects", "suspects", "explain", "Values", "MAX_SITES"]

NAN = float("nan")
MAX_SITES = 12     # mutation sites tried per misconception (then all at once)
MAX_ANTIDERIVATIVE_SIZE = 400   # larger answers are not differentiated to test gave-antiderivative
#: nodes of buggy derivatives computed per problem, all misconceptions together: past it the
#: remaining rule slips are not generated (a diagnosis is a help; a problem must stay cheap)
MAX_MUTANT_NODES = 40_000


@dataclass(frozen=True)
class Candidate:
    """One identifiable wrong derivative: its values at the sample points, the misconception
    that produces it, the rule it bent, and the message's template fields."""
    values: tuple[float, ...]
    misconception: Misconception
    rule: str | None
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Suspects:
    """Everything a problem's diagnosis needs that does not depend on the answer."""
    candidates: tuple[Candidate, ...]
    antiderivative: bool     # gave-antiderivative identifiable: f' and f differ (not for e^x)


@lru_cache(maxsize=512)
def suspects(ref: Reference) -> Suspects:
    """The candidate wrong derivatives of a problem (cached: see the module docstring)."""
    opts = ref.options
    out = []
    right = ref.sample.values
    budget = MAX_MUTANT_NODES
    for m in CATALOGUE:
        if m.kind != "rule" or budget <= 0:
            continue
        probe = mutate(m, ref.partial, -1)
        try:
            derive(ref.before, Context(ref.var, ref.partial, probe))
        except TutorError:
            continue
        sites = list(range(min(probe.count, MAX_SITES))) + ([None] if probe.count > 1 else [])
        for site in sites:
            hook = mutate(m, ref.partial, site)
            try:
                wrong = derive(ref.before, Context(ref.var, ref.partial, hook)).result
            except TutorError:
                continue
            budget -= size(wrong)
            if budget <= 0:
                break
            vals = EQ.values(wrong, ref.sample)
            if hook.hit is None or EQ.same(vals, right, opts):
                continue  # not identifiable: this slip changes nothing here
            out.append(Candidate(vals, m, hook.hit[2].rule, _fields(hook.hit)))
    out.append(Candidate(tuple(-v for v in right), BY_ID["sign-error"], None, ()))
    out.extend(_one_term_signs(ref))
    order = ref.key[2]
    if order > 1:
        lower = (("lower", str(order - 1)),)
        out.append(Candidate(EQ.values(ref.before, ref.sample), BY_ID["lower-order"], None, lower))
    out.append(Candidate(ref.f_values, BY_ID["gave-function"], None, ()))
    for other in free_symbols(ref.function):
        if other != ref.var:
            try:
                vals = EQ.values(derive(ref.function, Context(other, True)).result, ref.sample)
            except TutorError:
                continue
            out.append(Candidate(vals, BY_ID["wrong-variable"], None, (("other", other),)))
    kept = tuple(c for c in out if c.misconception.kind == "rule"
                 or not EQ.same(c.values, right, EQ.Options(min_points=1)))
    return Suspects(kept, not EQ.same(ref.f_values, right, opts))


#: terms of the derivative tried for a one-term sign slip
MAX_SIGN_TERMS = 12


def _one_term_signs(ref: Reference) -> list[Candidate]:
    """The derivative with one of its terms negated (a sum of 2 to MAX_SIGN_TERMS terms)."""
    e = ref.expected
    if not isinstance(e, Add) or not 2 <= len(e.terms) <= MAX_SIGN_TERMS:
        return []
    out = []
    for i, t in enumerate(e.terms):
        wrong = Add(e.terms[:i] + (neg(t),) + e.terms[i + 1:])
        out.append(Candidate(EQ.values(wrong, ref.sample), BY_ID["sign-slip-term"], None,
                             (("term", to_text(t)),)))
    return out


def _fields(hit) -> tuple[tuple[str, str], ...]:
    """The template fields of a rule misconception, from where its hook first applied."""
    e, var, right, wrong = hit
    at = f"d/d{var}[{to_text(e)}]"
    fields = {"at": at, "right": f"{at} = {to_text(right.after)}",
              "step": f"{at} = {to_text(right.after)}, not {to_text(wrong.after)}"}
    bind = dict(right.bindings)
    if "g" in bind:
        inner = bind["g"]
        fields["inner"] = to_text(inner)
        try:
            from ..solve import derivative
            fields["inner_d"] = to_text(derivative(inner, var))
        except TutorError:
            fields["inner_d"] = f"d/d{var}[{to_text(inner)}]"
    return tuple(fields.items())


def explain(ref: Reference, answer: Expr, fn=None) -> tuple[Diagnosis, ...]:
    """Every misconception that explains `answer`, the most specific first. `fn`: the answer
    compiled by compile_float over the sample's variables (None: it cannot be evaluated).
    Its values at the sample points are computed as they are asked for (`Values`): most
    candidates differ from the answer at the first point, so most values are never needed.

    Memoised by (problem, answer tree): a class repeats its wrong answers, and the diagnosis
    is a pure function of them (the values are the tree's). Cache invariant: key Reference
    (hashed by its key) and a frozen tree -> a tuple of frozen Diagnosis; `lru_cache` is
    coherent under threads; `explain.cache_clear()` forgets it (a fresh class)."""
    try:
        key = tree_key(answer)
    except RecursionError:   # a tree too deep to hash: diagnosed unmemoised
        return _diagnose(ref, answer, Values(fn, ref.sample.points))
    return _explain(ref, key)


#: diagnoses remembered (a class hands in one tree from several texts close together, within
#: its problem's few dozen checks): every entry outlives two young collections, so the cyclic
#: garbage collector counts it towards its next full walk of the heap, and 4,096 answers'
#: entries cost a fresh check ~12 us of collection (textbook bank, these three memos at 4,096
#: against 256, alternated in one process: collector 52.7 -> 40.6 us a check)
EXPLAINED = 256


@lru_cache(maxsize=EXPLAINED)
def _explain(ref: Reference, key: TreeKey) -> tuple[Diagnosis, ...]:
    try:   # the compiled-tree memo's entry of this very check: a look-up, not a compile
        fn = compile_float(key.tree, ref.sample.variables)
    except TutorError:
        fn = None
    return _diagnose(ref, key.tree, Values(fn, ref.sample.points))


class Values:
    """An answer's values at the sample points, each computed when first asked for (NaN
    throughout when the answer cannot be compiled). Read by one diagnosis, in one thread."""

    __slots__ = ("fn", "points", "got")

    def __init__(self, fn, points: tuple) -> None:
        self.fn, self.points, self.got = fn, points, []

    def __len__(self) -> int:
        return len(self.points)

    def __getitem__(self, i: int) -> float:
        got = self.got
        while len(got) <= i:
            got.append(NAN if self.fn is None else self.fn(self.points[len(got)]))
        return got[i]

    def __iter__(self):
        # not through __getitem__: a diagnosis iterates the values of every candidate it
        # keeps and of the constant ratio, and a call per value cost more than the value
        got, fn, points = self.got, self.fn, self.points
        for i in range(len(points)):
            if i == len(got):
                got.append(NAN if fn is None else fn(points[i]))
            yield got[i]


def _diagnose(ref: Reference, answer: Expr, avals: Values) -> tuple[Diagnosis, ...]:
    opts = ref.options
    found: dict[str, Diagnosis] = {}
    ranks: dict[str, int] = {}
    known = suspects(ref)
    a0 = avals[0] if avals else NAN
    zero, rtol = opts.zero, opts.rtol
    for c in known.candidates:
        m = c.misconception
        if m.id in found:
            continue
        c0 = c.values[0] if c.values else NAN
        d = abs(a0 - c0)   # NaN when either is: then EQ.same decides
        if d == d and not (d <= zero or d <= rtol * max(abs(a0), abs(c0))):
            continue   # what EQ.same finds at the first point (EQ.close inlined), without the call
        if not EQ.same(avals, c.values, opts):
            continue
        found[m.id] = _diagnosis(m, c.rule, c.fields, ref)
        ranks[m.id] = m.rank
    k = _constant_ratio(avals, ref.sample.values, opts)
    if k is not None and "constant-factor" not in found and "sign-error" not in found:
        found["constant-factor"] = _diagnosis(BY_ID["constant-factor"], None, (("k", k),), ref)
        ranks["constant-factor"] = BY_ID["constant-factor"].rank
    if "gave-antiderivative" not in found and known.antiderivative \
            and not _slope_differs(answer, ref) and size(answer) <= MAX_ANTIDERIVATIVE_SIZE:
        try:
            if _same_lazily(
                    derive(answer, Context(ref.var, ref.partial)).result, ref):
                found["gave-antiderivative"] = _diagnosis(BY_ID["gave-antiderivative"], None, (), ref)
                ranks["gave-antiderivative"] = BY_ID["gave-antiderivative"].rank
        except TutorError:
            pass
    return tuple(sorted(found.values(), key=lambda d: ranks[d.id]))


#: the prefilter's thresholds: a step h = SLOPE_STEP (|t| + 1) and h/2; estimates that agree to
#: SLOPE_STABLE are trusted; a slope off f by more than SLOPE_OFF is off beyond doubt
SLOPE_STEP, SLOPE_STABLE, SLOPE_OFF = 1e-4, 1e-4, 0.05
#: points looked at, and how many must show the slope off f
SLOPE_POINTS, SLOPE_VOTES = 8, 2
_EPS = 2.3e-16


def _slope_differs(answer: Expr, ref: Reference) -> bool:
    """Whether the answer's slope, estimated by central differences, is clearly not f at
    SLOPE_VOTES of the first sample points: then the answer is no antiderivative and the
    engine need not differentiate it (that run was a third of a wrong answer's cost).
    Only a certain "no" counts: the estimates at h and h/2 must agree (their gap bounds the
    truncation error) and the gap to f must exceed SLOPE_OFF and ten times the rounding
    error; anything doubtful (undefined nearby, unstable, close) leaves it to the engine,
    so the verdict is the engine's whenever the estimate could be wrong."""
    try:
        fn = compile_float(answer, ref.sample.variables)
    except TutorError:
        return False
    i = ref.sample.variables.index(ref.var)
    one = len(ref.sample.variables) == 1
    votes = 0
    for p, fv in zip(ref.sample.points[:SLOPE_POINTS], ref.f_values[:SLOPE_POINTS]):
        if fv != fv:
            continue
        t = p[i]
        h = SLOPE_STEP * (abs(t) + 1.0)
        if one:   # the point is (t,): no tuples to splice
            y0 = fn((t + 1.0 * h,))
            y1 = fn((t + -1.0 * h,))
            y2 = fn((t + 0.5 * h,))
            y3 = fn((t + -0.5 * h,))
        else:
            head, tail = p[:i], p[i + 1:]
            y0 = fn(head + (t + 1.0 * h,) + tail)
            y1 = fn(head + (t + -1.0 * h,) + tail)
            y2 = fn(head + (t + 0.5 * h,) + tail)
            y3 = fn(head + (t + -0.5 * h,) + tail)
        if y0 != y0 or y1 != y1 or y2 != y2 or y3 != y3:
            continue
        d1 = (y0 - y1) / (2 * h)
        d2 = (y2 - y3) / h
        noise = 10 * _EPS * max(abs(y0), abs(y1), abs(y2), abs(y3)) / h
        scale = max(abs(d1), abs(d2), abs(fv), 1e-12)
        if abs(d1 - d2) > SLOPE_STABLE * scale + noise:
            continue
        if abs(d2 - fv) > SLOPE_OFF * scale + noise:
            votes += 1
            if votes >= SLOPE_VOTES:
                return True
    return False


explain.cache_clear = _explain.cache_clear  # type: ignore[attr-defined]


def _same_lazily(d: Expr, ref: Reference) -> bool:
    """EQ.same(values(d), f values), evaluating d point by point until the first mismatch."""
    opts = ref.options
    try:
        fn = compile_float(d, ref.sample.variables)
    except TutorError:
        return EQ.same(EQ.values(d, ref.sample), ref.f_values, opts)
    return EQ.same_as(fn, ref.sample, ref.f_values, opts)


#: |k| within this of 1 is not a factor a student multiplied by (cos x + 1e-7 is off by a
#: constant term, not "1.000000104 times the derivative")
MIN_FACTOR_GAP = 1e-3


def _constant_ratio(a, r: tuple, opts: EQ.Options) -> str | None:
    """k (as text) when a = k r at every point (within the comparison's own tolerance), with
    k clear of 0, 1 and -1: the ratio must be constant, not merely near 1 everywhere."""
    # one pass that stops at the first pair off the ratio (most wrong answers): the same
    # three conditions as "enough pairs, k clear of 0 and +-1, every pair at ratio k"
    zero, rtol = opts.zero, opts.rtol
    tiny = max(zero, 1e-100)
    k, n = None, 0
    for x, y in zip(a, r):
        if not (x == x and y == y and abs(y) > tiny and abs(x) >= 1e-100):
            continue
        if k is None:
            k = x / y
            if abs(k) < 1e-9 or abs(abs(k) - 1) < MIN_FACTOR_GAP:
                return None
        else:   # EQ.close(x, k * y, opts), inlined: a constant factor is tried at every point
            ky = k * y
            d = abs(x - ky)
            if not (d <= zero or d <= rtol * max(abs(x), abs(ky))):
                return None
        n += 1
    if n < min(opts.min_points, 8):
        return None
    frac = Fraction(k).limit_denominator(1000)
    return format_value(frac) if abs(float(frac) - k) < 1e-9 * max(1, abs(k)) else format_value(k)


def _diagnosis(m: Misconception, rule: str | None, fields: tuple, ref: Reference) -> Diagnosis:
    fields = {"var": ref.var, "at": "the function", "right": "", "inner": "the inside",
              "inner_d": "the derivative of the inside", "other": "another variable", "k": "k",
              "term": "a term", "lower": "one less",
              **dict(fields)}
    return Diagnosis(m.id, m.message.format(**fields), rule, fields.get("step"),
                     ref.options.credit_for(m.id, m.credit))
