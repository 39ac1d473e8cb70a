"""Raw derivative -> the answer a teacher writes, as a few recorded, named passes.

Why passes and not one big normaliser: the worked solution shows each pass as a line
(`= raw = numbers multiplied out = like terms collected = answer`), so every pass is a
whole-tree rewrite that only uses the rule groups enabled so far. Pass k runs the same
bottom-up machinery as pass k-1 with one more group switched on, so the lines are
consistent with each other and the last one is a fixpoint of all groups.

The machinery reads every product (Mul, Neg, Div, numeric Pow, sqrt, cbrt, root) as
`coefficient x [(base, exponent)]` with an exact Fraction coefficient and numeric
exponents, and every sum as a list of such products; it renders them back in answer-key
form: number first, negative exponents as a denominator, exponent 1/2 as sqrt, 1/3 as
cbrt, a negative coefficient as Neg at the front.

Trees from the chain rule share subtrees (cos(g) and g' both point at g), so every walk
is memoised by node identity: a 5,000-deep chain costs 5,000 steps, not 12.5 million,
and a node nothing changed comes back as the very same object.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .._deep import run_deep
from ..errors import EvaluationError, TutorError
from ..expr import (ONE, ZERO, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg,
                   Num, Pow, Sym, children, num)
from ..exact import exact_power, iroot
from ..limits import MAX_DIGITS, MAX_EXPONENT
from . import identities as _ids
from . import trig_cancel as _trig

__all__ = ["Rewrite", "PASSES", "simplify_steps", "simplify"]


@dataclass(frozen=True, slots=True)
class Rewrite:
    """One named pass over the whole expression; `before` and `after` are value-equal
    wherever both are defined (`note` says what a cancellation assumed)."""

    rule: str    # e.g. "arithmetic", "collect-factors", "collect-terms", "expand", "fractions", "order"
    name: str    # e.g. "Collect like terms"
    before: Expr
    after: Expr
    note: str = ""


#: The passes in the order they run: (rule id, name for people). Each enables one more group.
PASSES: tuple[tuple[str, str], ...] = (
    ("arithmetic", "Multiply out the numbers"),
    ("collect-factors", "Collect like factors"),
    ("collect-terms", "Collect like terms"),
    ("expand", "Multiply out and collect"),
    ("fractions", "Combine fractions, take out common factors"),
    ("pythagorean", "Pythagorean identity (sin^2 u + cos^2 u = 1, 1 + tan^2 u = sec^2 u, ...)"),
    ("trig-quotients", "Quotient identities (sin u/cos u = tan u, 1/cos u = sec u, ...)"),
    ("double-angle", "Double angle (2 sin u cos u = sin 2u)"),
    ("exp-log", "Exponentials and logarithms (ln(e^u) = u, e^a e^b = e^(a + b))"),
    ("brackets", "Take a number out of a bracket, clear fractions inside it"),
    ("order", "Write the polynomial in descending powers"),
    ("sin-cos-cancel", "Write in sin and cos and cancel"),
)
#: Groups that can change a node with no sum inside (the rest only rewrite sums).
NODE_GROUPS = frozenset({"collect-factors", "trig-quotients", "double-angle", "exp-log"})
#: Groups that can only apply when one of these functions occurs (otherwise the pass is skipped).
_NEEDS = {"pythagorean": _ids.IDENTITY_FUNCS - {"ln", "exp"},
          "trig-quotients": _ids.IDENTITY_FUNCS - {"ln", "exp"},
          "double-angle": frozenset({"sin", "cos", "sinh", "cosh"}),
          "exp-log": frozenset({"ln", "exp", "e"}),
          "sin-cos-cancel": _trig.CIRCULAR}
BIG = 20_000            # distinct nodes beyond which the passes run as one recorded step
MAX_ROUNDS = 12          # a pass repeated this often without settling is a bug: raise
MAX_EXPAND_POWER = 8     # (a + b)^n is multiplied out only for n up to this
MAX_EXPAND_TERMS = 400   # ... and only while the expansion stays this small

_SPECIAL_ROOTS = {Fraction(1, 2): "sqrt", Fraction(1, 3): "cbrt"}


def simplify_steps(e: Expr) -> tuple[Rewrite, ...]:
    """The passes that changed something, in order; empty if `e` is already in final form."""
    try:
        return run_deep(_steps, e)
    except RecursionError:
        raise EvaluationError("expression too deeply nested to simplify") from None


def simplify(e: Expr) -> Expr:
    """The final form: the last rewrite's `after`, or `e` itself."""
    steps = simplify_steps(e)
    return steps[-1].after if steps else e


def _steps(e: Expr) -> tuple[Rewrite, ...]:
    out: list[Rewrite] = []
    current, shared = e, _Shared()
    present, nodes = _present(e)
    passes = list(enumerate(PASSES))
    if nodes > BIG:  # one combined pass: the lines of a huge expression are not read anyway
        passes = [(len(PASSES) - 1, ("simplify", "Simplify (every pass at once: a large expression)"))]
    for i, (rule, name) in passes:
        if rule in _NEEDS and not (_NEEDS[rule] & present):
            continue
        if rule == "brackets" and "bracket" not in _present(current)[0]:
            continue
        if rule == "sin-cos-cancel":  # a whole-tree rewrite of its own (tutor.simplify_trig)
            after, notes = _cancel_trig(current, shared)
            if after != current:
                out.append(Rewrite(rule, name, current, after, "; ".join(notes)))
                current = after
            continue
        flags = frozenset(r for r, _ in PASSES[: i + 1])
        after, notes = current, []
        for _ in range(MAX_ROUNDS):
            s = _Simplifier(flags, shared)
            nxt = s.run(after)
            notes.extend(n for n in s.notes if n not in notes)
            if nxt == after:
                break
            after = nxt
        else:
            raise TutorError(f"the simplifier's {rule!r} pass did not settle; please report this "
                             f"expression", code="simplify")
        if after != current:
            out.append(Rewrite(rule, name, current, after, "; ".join(notes)))
            current = after
    return tuple(out)


def _cancel_trig(e: Expr, shared: "_Shared") -> tuple[Expr, list[str]]:
    """The sin-cos-cancel pass: candidates are tidied by every other group, to a fixpoint."""
    sizer = _Simplifier(_TIDY, shared)

    def tidy(x: Expr) -> tuple[Expr, list[str]]:
        notes: list[str] = []
        for _ in range(MAX_ROUNDS):
            s = _Simplifier(_TIDY, shared)
            nxt = s.run(x)
            notes.extend(n for n in s.notes if n not in notes)
            if nxt == x:
                return x, notes
            x = nxt
        raise TutorError("the simplifier did not settle on a cancelled quotient; please report "
                         "this expression", code="simplify")

    return _trig.sin_cos_cancel(e, tidy, sizer.size, _show)


# ---------------------------------------------------------------- numbers

def _number(e: Expr) -> Fraction | None:
    match e:
        case Num(v):
            return v
        case Neg(Num(v)):
            return -v
    return None


_iroot = iroot
_num_pow = exact_power


# ---------------------------------------------------------------- the machinery

class _Shared:
    """Tables that mean the same under every pass (memoised by node identity, nodes kept
    alive so ids stay unique): structural keys, sizes, the product form of rendered nodes,
    and `settled`: nodes no later pass can change (unchanged with collect-factors on and
    no sum inside, so the sum-only groups never reach them)."""

    def __init__(self) -> None:
        self.keys: dict[int, tuple[Expr, int]] = {}
        self.table: dict[tuple, int] = {}
        self.sizes: dict[int, tuple[Expr, int]] = {}
        self.rendered: dict[int, tuple[Expr, Fraction, tuple, bool]] = {}
        self.settled: dict[int, Expr] = {}
        self.has_add: dict[int, tuple[Expr, bool]] = {}
        self.idle_brackets: set[int] = set()  # keys of sums `brackets` can never change


class _Simplifier:
    """One pass: bottom-up rewrite of a whole tree with the rule groups in `flags`.
    A fresh instance per pass; its memo tables live only as long as the pass."""

    def __init__(self, flags: frozenset, shared: _Shared | None = None):
        shared = shared or _Shared()
        self.flags = flags
        self.cf = "collect-factors" in flags
        self.pflags = flags & NODE_GROUPS
        self.ident = bool(flags - _BASIC)
        self.memo: dict[int, tuple[Expr, Expr]] = {}
        self.keys, self.table, self.sizes = shared.keys, shared.table, shared.sizes
        self.rendered, self.settled, self.adds = shared.rendered, shared.settled, shared.has_add
        self.idle_brackets = shared.idle_brackets
        self.src: dict[int, tuple[list, Fraction, Expr]] = {}  # a sum's term lists -> their node
        self.notes: list[str] = []

    def run(self, e: Expr) -> Expr:
        return self.simp(e)

    # structural identity as a small int (hash-consing), memoised by node identity
    def key(self, e: Expr) -> int:
        hit = self.keys.get(id(e))
        if hit is not None:
            return hit[1]
        match e:
            case Num(v):
                sig: tuple = ("N", v)
            case Sym(n):
                sig = ("S", n)
            case Const(n):
                sig = ("C", n)
            case Add(ts):
                sig = ("A",) + tuple(sorted(self.key(t) for t in ts))  # a + b is b + a
            case Mul(fs):
                sig = ("M",) + tuple(self.key(f) for f in fs)
            case Div(n, d):
                sig = ("D", self.key(n), self.key(d))
            case Pow(b, x):
                sig = ("P", self.key(b), self.key(x))
            case Neg(a):
                sig = ("-", self.key(a))
            case Call(f, args):
                sig = ("F", f) + tuple(self.key(a) for a in args)
            case Indicator(l, op, r):
                sig = ("I", op, self.key(l), self.key(r))
            case Derivative(inner, var, order, partial):
                sig = ("d", var, order, partial, self.key(inner))
            case _:
                raise TutorError(f"cannot simplify {type(e).__name__}")
        k = self.table.setdefault(sig, len(self.table))
        self.keys[id(e)] = (e, k)
        return k

    def size(self, e: Expr) -> int:
        hit = self.sizes.get(id(e))
        if hit is not None:
            return hit[1]
        kids = _kids(e)
        n = 1 + sum(self.size(k) for k in kids)
        self.sizes[id(e)] = (e, n)
        return n

    # -------------------------------------------------------- bottom-up walk
    def simp(self, e: Expr) -> Expr:
        done = self.settled.get(id(e))
        if done is not None and done[1] >= self.pflags:
            return e
        hit = self.memo.get(id(e))
        if hit is not None:
            return hit[1]
        out = self._simp(e)
        if out is not e and out == e:  # keep identity: sharing survives, comparisons stay cheap
            form = self.rendered.get(id(out))
            if form is not None:
                self.rendered[id(e)] = (e,) + form[1:]
            out = e
        if out is e and not self.has_add(e):
            if self.cf:
                self.settled[id(e)] = (e, self.pflags)
            elif self.cf_stable(e):
                self.settled[id(e)] = (e, self.pflags | {"collect-factors"})
        self.memo[id(e)] = (e, out)
        return out

    def cf_stable(self, e: Expr) -> bool:
        """Collecting factors could not change e: its children are settled and its own
        product form has no two factors with the same base."""
        if not all(id(k) in self.settled or isinstance(k, (Num, Sym, Const)) for k in _kids(e)):
            return False
        if isinstance(e, (Mul, Neg, Div, Pow, Call)):
            _, fs = self.product_of(e)
            return len({k for k, _, _ in fs}) == len(fs)
        return True

    def has_add(self, e: Expr) -> bool:
        hit = self.adds.get(id(e))
        if hit is None:
            hit = (e, isinstance(e, Add) or any(self.has_add(k) for k in _kids(e)))
            self.adds[id(e)] = hit
        return hit[1]

    def product_of(self, e: Expr) -> tuple[Fraction, list]:
        """The merged product form of a simplified node (cached for rendered ones)."""
        hit = self.rendered.get(id(e))
        if hit is not None and hit[3] >= self.pflags:
            return hit[1], list(hit[2])
        return self.merge(*self.decompose(e))

    def _simp(self, e: Expr) -> Expr:
        match e:
            case Num() | Sym() | Const():
                return e
            case Pow(Sym() | Const(), Num(v)) if v.denominator == 1 and v >= 2:
                return e  # x^n: nothing any pass can do
            case Add(ts):
                return self.sum_of([self.simp(t) for t in ts])
            case Mul() | Neg() | Div() | Pow() | Call("sqrt" | "cbrt" | "root", _):
                return self.render(*self.merge(*self.decompose(self.rebuild(e))))
            case Call(f, args):
                new = tuple(self.simp(a) for a in args)
                if "exp-log" in self.flags:
                    inner = _ids.exp_log_call(f, new)
                    if inner is not None:
                        return inner
                return _special_value(f, new) or (e if new == args else Call(f, new))
            case Indicator(l, op, r):
                return Indicator(self.simp(l), op, self.simp(r))
            case Derivative(inner, var, order, partial):
                return Derivative(self.simp(inner), var, order, partial)
        raise TutorError(f"cannot simplify {type(e).__name__}")

    def rebuild(self, e: Expr) -> Expr:
        """The same product-like node over simplified children."""
        match e:
            case Mul(fs):
                return Mul(tuple(self.simp(f) for f in fs))
            case Neg(a):
                return Neg(self.simp(a))
            case Div(n, d):
                return Div(self.simp(n), self.simp(d))
            case Pow(b, x):
                return Pow(self.simp(b), self.simp(x))
            case Call(f, args):
                return Call(f, tuple(self.simp(a) for a in args))
        return e

    # -------------------------------------------------------- products
    def decompose(self, e: Expr) -> tuple[Fraction, list]:
        """A simplified node as (coefficient, [[key, base, exponent], ...])."""
        hit = self.rendered.get(id(e))
        if hit is not None:
            return hit[1], list(hit[2])
        match e:
            case Num(v):
                return v, []
            case Neg(a):
                c, fs = self.decompose(a)
                return -c, fs
            case Mul(parts):
                coef, facs = Fraction(1), []
                for p in parts:
                    c, fs = self.decompose(p)
                    coef *= c
                    facs.extend(fs)
                return coef, facs
            case Div(n, d):
                cd, fd = self.decompose(d)
                if cd == 0:
                    return self.opaque(e)
                cn, fn = self.decompose(n)
                return cn / cd, fn + [[k, b, -x] for k, b, x in fd]
            case Pow(b, x):
                q = _number(x)
                if q is None:
                    return self.symbolic_power(b, x, e)
                if _number(b) == 1:
                    return Fraction(1), []
                return self.power_of(self.decompose(b), q, e)
            case Call("sqrt" | "cbrt" as f, (u,)):
                return self.power_of(self.decompose(u), Fraction(1, 2 if f == "sqrt" else 3), e)
            case Call("root", (u, n)):
                k = _number(n)
                if k:
                    return self.power_of(self.decompose(u), 1 / k, e)
        return self.opaque(e)

    def opaque(self, e: Expr, exp: Fraction = Fraction(1)) -> tuple[Fraction, list]:
        return Fraction(1), [[self.key(e), e, exp]]

    def symbolic_power(self, b: Expr, x: Expr, e: Expr) -> tuple[Fraction, list]:
        """u^x with x not a number: one opaque factor; (u^a)^x stays as typed."""
        if "exp-log" in self.flags:
            got = _ids.exp_of_ln(self, b, x)
            if got is not None:
                return got
        return self.opaque(e)

    def power_of(self, base: tuple[Fraction, list], q: Fraction, e: Expr) -> tuple[Fraction, list]:
        """(c * prod b_i^x_i)^q, distributed only where that is safe for real numbers."""
        c, facs = base
        if q == 0:
            return Fraction(1), []  # u^0 = 1
        if q.denominator == 1:
            cq = _num_pow(c, q)
            if cq is not None:
                out = []
                for k, b, x in facs:
                    if isinstance(b, Pow) and _number(b.exp) is None:  # (a^y)^n = a^(n y)
                        nb = self.simp(Pow(b.base, Mul((Num(x * q), b.exp))))
                        out.append([self.key(nb), nb, Fraction(1)])
                    else:
                        out.append([k, b, x * q])
                return cq, out
        elif not facs:
            cq = _num_pow(c, q)
            if cq is not None:
                return cq, []
            if c > 0:
                return Fraction(1), [[self.key(Num(c)), Num(c), q]]
        elif c == 1 and len(facs) == 1 and facs[0][2].numerator % 2 == 1:
            k, b, x = facs[0]  # (u^a)^q = u^(aq) for odd-numerator a (signs agree)
            return Fraction(1), [[k, b, x * q]]
        if q < 0:  # keep the root, move it under a fraction bar
            inner = self.render(*self.power_of(base, -q, e))
            return self.opaque(inner, Fraction(-1))
        inner = self.render(c, facs)
        return Fraction(1), [[self.key(inner), inner, q]]

    def merge(self, coef: Fraction, facs: list) -> tuple[Fraction, list]:
        """Collect like factors (group "collect-factors"); numbers with integer exponent
        always join the coefficient."""
        if "collect-factors" in self.flags and coef != 0:
            groups: dict[int, list] = {}
            signs: dict[int, set] = {}
            for k, b, x in facs:
                if k in groups:
                    groups[k][2] += x
                else:
                    groups[k] = [k, b, x]
                signs.setdefault(k, set()).add(x > 0)
            facs = []
            for k, g in groups.items():
                if len(signs[k]) == 2:
                    self.note_nonzero(g[1])
                if g[2] != 0:
                    facs.append(g)
        out = []
        for k, b, x in facs:
            v = _number(b)
            if v is not None:
                p = _num_pow(v, x)
                if p is not None:
                    coef *= p
                    continue
            out.append([k, b, x])
        if coef == 0:
            return Fraction(0), []
        if self.ident and out:
            flags = self.flags
            if "trig-quotients" in flags:
                out = _ids.trig_quotients(self, out)
            if "double-angle" in flags:
                coef, out = _ids.double_angle(self, coef, out)
            if "exp-log" in flags:
                out = _ids.combine_exp(self, out)
            if "brackets" in flags:
                coef, out = _ids.brackets(self, coef, out)
        return coef, out

    def note_nonzero(self, b: Expr) -> None:
        self.note(f"cancelling assumes {_show(b)} ≠ 0")

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def factor_expr(self, b: Expr, x: Fraction) -> Expr:
        if x == 1:
            return b
        if x in _SPECIAL_ROOTS:
            return Call(_SPECIAL_ROOTS[x], (b,))
        return Pow(b, Num(x))

    def render(self, coef: Fraction, facs: list) -> Expr:
        """coefficient * factors in answer-key form: p * numerator / (q * denominator)."""
        if coef == 0:
            return ZERO
        if not facs:
            return num(coef)
        if len(facs) == 1 and coef == 1 and facs[0][2] == 1:
            return facs[0][1]
        top = [f for f in facs if f[2] > 0]
        bottom = [f for f in facs if f[2] < 0]
        top, bottom = _poly_first(top), _poly_first(bottom)
        p, q = abs(coef.numerator), coef.denominator
        numer = _product(([Num(p)] if p != 1 else []) + [self.factor_expr(b, x) for _, b, x in top])
        if bottom or q != 1:
            den = _product(([Num(q)] if q != 1 else []) + [self.factor_expr(b, -x) for _, b, x in bottom])
            out: Expr = Div(numer, den)
        else:
            out = numer
        out = Neg(out) if coef < 0 else out
        self.rendered[id(out)] = (out, coef, tuple(facs), self.pflags)
        return out

    # -------------------------------------------------------- sums
    def sum_of(self, terms: list[Expr]) -> Expr:
        flat: list[tuple[Fraction, list]] = []
        for t in terms:
            c, fs = self.product_of(t)
            if len(fs) == 1 and fs[0][2] == 1 and isinstance(fs[0][1], Add):
                for inner in fs[0][1].terms:  # c (a + b) inside a sum: c a + c b
                    ci, fi = self.merge(*self.decompose(inner))
                    flat.append((c * ci, fi))
            elif c != 0:
                flat.append((c, fs))
                self.src[id(fs)] = (fs, c, t)
        flat = self.collect(flat)
        if "pythagorean" in self.flags:
            merged = _ids.pythagorean(self, flat)
            if merged is not flat:
                flat = self.collect([self.merge(c, fs) for c, fs in merged])
        if "expand" in self.flags:
            flat = self.try_expand(flat)
        if "fractions" in self.flags and len(flat) > 1:
            factored = self.try_factor(flat)
            if factored is not None:
                return factored
        return self.render_sum(flat)

    def term_key(self, facs: list) -> tuple:
        if len(facs) < 2:
            return tuple((k, x) for k, _, x in facs)
        return tuple(sorted((k, x) for k, _, x in facs))

    def collect(self, flat: list) -> list:
        """Like terms (group "collect-terms"); plain numbers are always added up."""
        every = "collect-terms" in self.flags
        groups: dict[tuple, list] = {}
        for c, fs in flat:
            k = self.term_key(fs) if (every or not fs) else ("term", len(groups))
            if k in groups:
                groups[k][0] += c
            else:
                groups[k] = [c, fs]
        return [(c, fs) for c, fs in groups.values() if c != 0]

    def render_sum(self, flat: list) -> Expr:
        if "order" in self.flags:
            flat = _poly_order(flat)
        parts = [self.reuse(c, fs) for c, fs in flat]
        if not parts:
            return ZERO
        return parts[0] if len(parts) == 1 else Add(tuple(parts))

    def reuse(self, c: Fraction, fs: list) -> Expr:
        """The term's own node when collecting left it alone, else a fresh rendering."""
        hit = self.src.get(id(fs))
        if hit is not None and hit[1] == c:
            return hit[2]
        return self.render(c, fs)

    def try_expand(self, flat: list) -> list:
        """Multiply out products of sums when the collected result is strictly shorter."""
        if not any(_expandable(f) for _, fs in flat for f in fs):
            return flat
        out: list = []
        for c, fs in flat:
            acc = [(c, [f for f in fs if not _expandable(f)])]
            for k, b, x in fs:
                if not _expandable([k, b, x]):
                    continue
                inner = [self.merge(*self.decompose(t)) for t in b.terms]
                for _ in range(int(x)):
                    acc = [(c1 * c2, f1 + f2) for c1, f1 in acc for c2, f2 in inner]
                    if len(acc) > MAX_EXPAND_TERMS:
                        return flat
            out.extend(self.merge(c1, list(f1)) for c1, f1 in acc)
        out = self.collect(out)
        if self.size(self.render_sum(out)) < self.size(self.render_sum(flat)):
            return out
        return flat

    def try_factor(self, flat: list) -> Expr | None:
        """Take out factors common to every term, including a common denominator
        (the most negative power of each base that only ever appears downstairs)."""
        common_keys = {k for k, _, x in flat[0][1] if x > 0}
        downstairs = False
        for _, fs in flat:
            if common_keys:
                common_keys &= {k for k, _, x in fs if x > 0}
            downstairs = downstairs or any(x < 0 for _, _, x in fs)
            if not common_keys and downstairs:
                break
        if not common_keys and not downstairs:
            return None  # nothing in common and no denominators: the usual case, done fast
        maps = [{k: x for k, _, x in fs} for _, fs in flat]
        bases: dict[int, Expr] = {}
        for _, fs in flat:
            for k, b, _x in fs:
                bases.setdefault(k, b)
        common = []
        for k, b in bases.items():
            exps = [m.get(k, Fraction(0)) for m in maps]
            if all(x >= 0 for x in exps) or all(x <= 0 for x in exps):
                low = min(exps)
                if low != 0:
                    common.append([k, b, low])
        if not common:
            return None
        inner = []
        for (c, _fs), m0 in zip(flat, maps):
            m = dict(m0)
            for k, _, x in common:
                m[k] = m.get(k, Fraction(0)) - x
            inner.append((c, [[k, bases[k], x] for k, x in m.items() if x != 0]))
        inner = self.collect(inner)
        if "expand" in self.flags:
            inner = self.try_expand(inner)
        if not inner:
            candidate: Expr = ZERO
        elif len(inner) == 1:
            candidate = self.render(*self.merge(inner[0][0], common + list(inner[0][1])))
        else:
            s = self.render_sum(inner)
            candidate = self.render(*self.merge(Fraction(1), common + [[self.key(s), s, Fraction(1)]]))
        if self.size(candidate) <= self.size(self.render_sum(flat)):
            return candidate
        return None


# ---------------------------------------------------------------- helpers

_BASIC = frozenset({"arithmetic", "collect-factors", "collect-terms", "expand", "fractions", "order"})
_TIDY = frozenset(r for r, _ in PASSES if r != "sin-cos-cancel")


def _present(e: Expr) -> frozenset:
    """Function names (and 'e', and 'bracket' for a sum inside another node) occurring in e,
    which say which identity passes could apply, and the number of distinct nodes."""
    seen: set[str] = set()
    visited: set[int] = set()  # shared subtrees (chain rule) are visited once
    stack = [e]
    while stack:
        n = stack.pop()
        if id(n) in visited:
            continue
        visited.add(id(n))
        if isinstance(n, Call):
            seen.add(n.func)
        elif isinstance(n, Const):
            seen.add(n.name)
        kids = _kids(n)
        if not isinstance(n, Add) and any(isinstance(k, Add) for k in kids):
            seen.add("bracket")  # a sum inside a product, power or function: brackets may apply
        stack.extend(kids)
    return frozenset(seen), len(visited)


_kids = children  # one definition of a node's children: tutor.expr


def _product(items: list[Expr]) -> Expr:
    if not items:
        return ONE
    return items[0] if len(items) == 1 else Mul(tuple(items))


def _expandable(f: list) -> bool:
    _, b, x = f
    return isinstance(b, Add) and x.denominator == 1 and 1 <= x <= MAX_EXPAND_POWER


def _poly_first(facs: list) -> list:
    """Polynomial factors (a variable to a power) first, in alphabetical order as a monomial is
    written (`2x y^3`, not `2y^3 x`), then the others in their order."""
    variables = sorted((f for f in facs if isinstance(f[1], Sym)), key=lambda f: f[1].name)
    return variables + [f for f in facs if not isinstance(f[1], Sym)]


def _poly_order(flat: list) -> list:
    """A polynomial in one variable in descending powers (ascending if that avoids a
    leading minus); anything else as it came."""
    var = None
    for _, fs in flat:
        if len(fs) > 1:
            return flat
        if fs:
            _, b, x = fs[0]
            if not isinstance(b, Sym) or x.denominator != 1 or x < 0 or (var is not None and b != var):
                return flat
            var = b
    down = sorted(flat, key=lambda t: -(t[1][0][2] if t[1] else 0))
    if down[0][0] < 0 < down[-1][0]:  # -2w + 1 reads better as 1 - 2w
        return down[::-1]
    return down


def _special_value(f: str, args: tuple) -> Expr | None:
    """Textbook values: ln 1 = 0, ln e = 1, e^0 = 1, sin 0 = 0, cos 0 = 1, |c| = c ..."""
    match f, args:
        case "ln", (Num(v),) if v == 1:
            return ZERO
        case "ln", (Const("e"),):
            return ONE
        case "log", (u, b) if u == b:
            return ONE
        case "log", (Num(v), _) if v == 1:
            return ZERO
        case ("exp" | "cos" | "cosh" | "sech"), (Num(v),) if v == 0:
            return ONE
        case ("sin" | "tan" | "sinh" | "tanh" | "asin" | "atan" | "asinh" | "atanh"), (Num(v),) if v == 0:
            return ZERO
        case "abs", (u,) if _number(u) is not None:
            return num(abs(_number(u)))
        case "abs", (Pow(_, Num(n)) as u,) if n.denominator == 1 and n.numerator % 2 == 0:
            return u  # |u^2| = u^2: an even power of a real number is never negative
        case "abs", (Pow(Const("e"), _) | Call("exp" | "cosh" | "sqrt", _) as u,):
            return u  # never negative either
    return None


def _show(e: Expr) -> str:
    """A plain text form for notes (uses tutor.printing when it exists)."""
    try:
        from ..printing import to_text
        return to_text(e)
    except Exception:  # printer not there yet or failing: a rough fallback is enough
        pass
    match e:
        case Num(v):
            return str(v)
        case Sym(n) | Const(n):
            return n
        case Neg(a):
            return f"-{_show(a)}"
        case Add(ts):
            return "(" + " + ".join(_show(t) for t in ts) + ")"
        case Mul(fs):
            return "*".join(_show(f) for f in fs)
        case Div(n, d):
            return f"({_show(n)})/({_show(d)})"
        case Pow(b, x):
            return f"({_show(b)})^({_show(x)})"
        case Call(f, args):
            return f"{f}(" + ", ".join(_show(a) for a in args) + ")"
    return type(e).__name__
