"""The normal form: every product as coefficient x [(base, exponent)], rendered as an answer key.

Why one normal form under every pass: the worked solution shows each pass as a line
(`= raw = numbers multiplied out = like terms collected = answer`), so every pass is a
whole-tree rewrite that only uses the rule groups enabled so far. Pass k runs the same
bottom-up machinery as pass k-1 with one more group switched on, so the lines are
consistent with each other and the last one is a fixpoint of all groups.

The machinery reads every product (Mul, Neg, Div, numeric Pow, sqrt, cbrt, root) as
`coefficient x [[key, base, exponent], ...]` with an exact Fraction coefficient and exact
numeric exponents (an int when whole, the usual case, else a Fraction: an int's arithmetic,
comparisons and numerator are C code, a Fraction's are Python code), and every sum as a list of such products (`sums.SumForms`); it renders them back in
answer-key form: number first, negative exponents as a denominator, exponent 1/2 as sqrt, 1/3
as cbrt, a negative coefficient as Neg at the front. The identities (`identities`) are hooks
in `merge` and `sum_of` that see a pass only through `identities.Ops`; the textbook values
(ln 1 = 0) are the table `values.VALUES`.

Every walk is memoised by node identity (see `memo`): a node nothing changed comes back as the
very same object.
"""
from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from ..errors import TutorError
from ..exact import exact_power
from ..expr import (LEAVES, ONE, ZERO, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg,
                   Num, Pow, Sym, children, num, number_of)
from ..steps import Note
from .identities import NEEDS as _IDENTITY_NEEDS
from .identities import (brackets, combine_exp, double_angle, exp_log_call, nonzero,
                         trig_quotients)
from .live import (combine_exp_live, double_angle_live, exp_log_live, run_of_letters,
                   trig_quotients_live)
from .memo import LIVE_GROUPS, Memo
from .powers import UNIT, Powers, abs_power
from .sums import SumForms
from .values import special_value

__all__ = ["Simplifier", "BASIC_GROUPS", "NODE_GROUPS"]

#: Groups that only normalise (numbers, like factors and terms, expansion, common factors, order)
BASIC_GROUPS = frozenset({"arithmetic", "collect-factors", "collect-terms", "expand", "fractions",
                          "order"})
#: Groups that can change a node with no sum inside (the rest only rewrite sums).
NODE_GROUPS = frozenset({"collect-factors", "trig-quotients", "double-angle", "exp-log"})

#: what each identity group needs inside a node to apply there at all (a group not listed may
#: apply to any node with a sum in it: "brackets" too, as taking out a common factor makes one)
NEEDS = _IDENTITY_NEEDS

_NOTHING: frozenset = frozenset()  # the empty live set, made once

#: what `_simp` reads as a product (with the roots, `_ROOTS`), and the bases of an x^n that
#: no pass can change
_PRODUCTS = frozenset({Mul, Neg, Div, Pow})
_ROOTS = frozenset({"sqrt", "cbrt", "root"})
_BARE = frozenset({Sym, Const})

#: the number 0 as a Fraction, made once (Fractions are immutable, so sharing is safe)
_ZERO_F = Fraction(0)
#: the exponents of sqrt and cbrt, made once rather than at every root decomposed
_HALF, _THIRD = Fraction(1, 2), Fraction(1, 3)


#: u^(1/2) = sqrt u, u^(1/3) = cbrt u; keyed by (numerator, denominator): a Fraction's hash
#: costs a modular inverse
_SPECIAL_ROOTS = MappingProxyType({(1, 2): "sqrt", (1, 3): "cbrt"})

class Simplifier(SumForms, Powers):
    """One pass: bottom-up rewrite of a whole tree with the rule groups in `flags`; it is
    the `identities.Ops` the identities see.

    A fresh instance per pass (and per round of a pass): `memo` (id(node) -> (node, result))
    and `src` live only as long as the instance, the call-wide tables in `shared` (a `Memo`)
    as long as the simplify call. Nothing here is global, so concurrent calls share nothing.
    `notes` are what this pass assumed, in order, each text once."""

    def __init__(self, flags: frozenset, shared: Memo | None = None):
        shared = shared or Memo()
        self.flags = flags
        self.cf = "collect-factors" in flags
        self.pflags = flags & NODE_GROUPS   # the node groups on: what `settled` is valid for
        self.memo: dict[int, tuple] = {}  # id -> (node, result, assumed, live)
        self.key, self.size, self.has_add = shared.key, shared.size, shared.has_add
        self.rendered, self.settled = shared.rendered, shared.settled
        self.idle_brackets = shared.idle_brackets
        self.fixed, self.unchanged = shared.fixed, shared.unchanged
        self.assumed = 0  # calls of `assume` so far (a node that assumed something is not `fixed`)
        # groups of memo.LIVE_GROUPS, not on, whose tests would have come out otherwise in the
        # node being walked (`live_if`): a later pass with them on must walk it again
        self.live: set[str] = set()
        self.src: dict[int, tuple[list, Fraction, Expr]] = {}  # a sum's term lists -> their node
        self.notes: list[Note] = []
        self.noted: set[str] = set()

    def run(self, e: Expr) -> Expr:
        return self.simp(e)

    # -------------------------------------------------------- bottom-up walk
    def simp(self, e: Expr) -> Expr:
        if type(e) in LEAVES:  # no pass changes a leaf, and no table needs to know of it
            return e
        i = id(e)
        done = self.settled.get(i)
        if done is not None and done[1] >= self.pflags:
            known = self.fixed.get(i)  # what might still change it, if it is known
            self.live |= known[2] if known is not None else LIVE_GROUPS
            return e
        hit = self.memo.get(i)
        if hit is not None:
            self.assumed += hit[2]
            self.live |= hit[3]
            return hit[1]
        before, outer = self.assumed, self.live
        self.live = set()
        known = None if i not in self.fixed else self.unchanged(e, self.flags, NEEDS, NODE_GROUPS)
        if known is not None:
            out = e
            self.live |= known
        else:
            out = self._simp(e)
        if out is not e and out == e:  # keep identity: sharing survives, comparisons stay cheap
            form = self.rendered.get(id(out))
            if form is not None:
                self.rendered[i] = (e,) + form[1:]
            out = e
        assumed = self.assumed - before
        live = frozenset(self.live) if self.live else _NOTHING
        outer |= live
        self.live = outer
        if out is e:
            if not assumed:
                self.fixed[i] = (e, self.flags, live)
            if not self.has_add(e):
                if self.cf:
                    self.settled[i] = (e, self.pflags)
                elif self.cf_stable(e):
                    self.settled[i] = (e, self.pflags | {"collect-factors"})
        self.memo[i] = (e, out, assumed, live)
        return out

    def cf_stable(self, e: Expr) -> bool:
        """Collecting factors could not change e: its children are settled and its own
        product form has no two factors with the same base."""
        settled = self.settled
        for k in children(e):  # a loop, not all(...): this runs for most nodes of a pass
            if type(k) not in LEAVES and id(k) not in settled:
                return False
        if isinstance(e, (Mul, Neg, Div, Pow, Call)):
            _, fs = self.product_of(e)
            return len(fs) < 2 or len({k for k, _, _ in fs}) == len(fs)
        return True

    def product_of(self, e: Expr) -> tuple[Fraction, list]:
        """The merged product form of a simplified node (cached for rendered ones)."""
        hit = self.rendered.get(id(e))
        if hit is not None and hit[3] >= self.pflags:
            return hit[1], list(hit[2])
        return self.merge(*self.decompose(e))

    def _simp(self, e: Expr) -> Expr:
        # (leaves are answered by `simp` itself, before this.) The kinds by exact type, not
        # by `match`: a pass asks this of every node it walks, and the cases of a `match` are
        # tried in turn; the node classes have no subclasses, so the answer is the same.
        t = type(e)
        if t is Add:
            return self.sum_of([self.simp(u) for u in e.terms])
        if t is Pow:
            x = e.exp
            if type(x) is Num and type(e.base) in _BARE and x.value.denominator == 1 \
                    and x.value.numerator >= 2:
                return e  # x^n: nothing any pass can do
        if t in _PRODUCTS or (t is Call and e.func in _ROOTS):
            form = self.merge(*self.decompose(self.rebuild(e)))
            if form[1]:
                if "fractions" in self.flags:
                    form = self.clear_compound(*form)
                else:
                    for _, b, x in form[1]:  # (a loop, not any(...): asked of every product)
                        if type(b) is Add and x.denominator == 1:
                            self.live.add("fractions")  # clear_compound might act
                            break
            return self.render(*form)
        if t is Call:
            f, args = e.func, e.args
            new = tuple([self.simp(a) for a in args])
            if "exp-log" in self.flags:
                inner = exp_log_call(f, new)
                if inner is not None:
                    return inner
            elif exp_log_live(f, new):
                self.live.add("exp-log")
            return special_value(f, new) or (e if new == args else Call(f, new))
        if t is Indicator:
            return Indicator(self.simp(e.left), e.op, self.simp(e.right))
        if t is Derivative:
            return Derivative(self.simp(e.expr), e.var, e.order, e.partial)
        if t in LEAVES:
            return e
        raise TutorError(f"cannot simplify {type(e).__name__}")

    def rebuild(self, e: Expr) -> Expr:
        """The same product-like node over simplified children (by exact type, as `_simp`)."""
        t = type(e)
        if t is Mul:
            return Mul(tuple([self.simp(f) for f in e.factors]))
        if t is Neg:
            return Neg(self.simp(e.arg))
        if t is Div:
            return Div(self.simp(e.num), self.simp(e.den))
        if t is Pow:
            return Pow(self.simp(e.base), self.simp(e.exp))
        if t is Call:
            return Call(e.func, tuple([self.simp(a) for a in e.args]))
        return e

    # -------------------------------------------------------- products
    def decompose(self, e: Expr) -> tuple[Fraction, list]:
        """A simplified node as (coefficient, [[key, base, exponent], ...])."""
        hit = self.rendered.get(id(e))
        if hit is not None:
            return hit[1], list(hit[2])
        t = type(e)  # by exact type, the commonest first (as `_simp`): asked of every factor
        if t is Num:
            return e.value, []
        if t is Sym or t is Const:
            return UNIT, [[self.key(e), e, 1]]
        if t is Mul:
            parts = e.factors
            if self.cf:
                parts = self.runs(parts)
            elif run_of_letters(parts):
                self.live.add("collect-factors")
            coef, facs = UNIT, []
            rendered = self.rendered
            for p in parts:
                tp = type(p)
                if tp is list:  # a run of one variable: [key, x, count]
                    facs.append(p)
                    continue
                if tp is Sym and id(p) not in rendered:  # a letter, the commonest factor: as
                    facs.append([self.key(p), p, 1])   # decompose(p) answers, without the call
                    continue
                c, fs = self.decompose(p)
                if c is not UNIT:  # (`times`, inline) most factors have coefficient 1
                    coef = c if coef is UNIT else coef * c
                facs.extend(fs)
            return coef, facs
        if t is Pow:
            b, x = e.base, e.exp
            q = number_of(x)
            if q is None:
                return self.symbolic_power(b, x, e)
            if number_of(b) == 1:
                return UNIT, []
            return self.power_of(self.decompose(b), q.numerator if q.denominator == 1 else q, e)
        if t is Neg:
            c, fs = self.decompose(e.arg)
            return _negated(c), fs
        if t is Div:
            cd, fd = self.decompose(e.den)
            if cd.numerator == 0:
                return self.opaque(e)
            cn, fn = self.decompose(e.num)
            return cn if cd is UNIT else cn / cd, fn + [[k, b, _negated(x)] for k, b, x in fd]
        if t is Call:
            f, args = e.func, e.args
            if (f == "sqrt" or f == "cbrt") and len(args) == 1:
                return self.power_of(self.decompose(args[0]), _HALF if f == "sqrt" else _THIRD, e)
            if f == "root" and len(args) == 2:
                k = number_of(args[1])
                if k:
                    return self.power_of(self.decompose(args[0]), 1 / k, e)
        return self.opaque(e)

    def opaque(self, e: Expr, exp: int | Fraction = 1) -> tuple[Fraction, list]:
        return UNIT, [[self.key(e), e, exp]]

    def merge(self, coef: Fraction, facs: list) -> tuple[Fraction, list]:
        """Collect like factors (group "collect-factors"); numbers with integer exponent
        always join the coefficient. Each identity hook, and each test of whether one that is
        off might have acted (see `live`), runs only where its kind of factor occurs (a call,
        a power of e, a sum): without one, the hook returns its input and the test is False."""
        if not facs:  # a plain number (a third of the calls): what the steps below come to
            return (coef, []) if coef.numerator != 0 else (_ZERO_F, [])
        flags, live = self.flags, self.live
        nonzero = coef.numerator != 0  # a Fraction's sign and zero by its numerator: cheaper
        given = coef  # (a nonzero coefficient no factor changed needs no second zero test)
        if self.cf and nonzero:
            facs = self.like_factors(facs)
            if _any_abs_power(facs):  # after collecting: |x|^2 x/|x| = x|x|
                coef, facs = self.abs_even(coef, facs)
                facs = self.like_factors(facs)
        elif nonzero and ((len(facs) > 1 and len({f[0] for f in facs}) < len(facs))
                          or _any_abs_power(facs)):
            live.add("collect-factors")
        out = []
        calls = pows = adds = False  # which kinds of factor are left (one loop, by exact type)
        for f in facs:
            b = f[1]
            t = type(b)
            if t is Num or t is Neg:
                v = number_of(b)
                if v is not None:
                    x = f[2]  # (a number to the usual exponent 1 is itself: no exact_power)
                    p = v if type(x) is int and x == 1 else exact_power(v, x)
                    if p is not None:
                        coef *= p
                        continue
            elif t is Call:
                calls = True
            elif t is Pow:
                pows = True
            elif t is Add:
                adds = True
            out.append([f[0], b, f[2]])
        if (coef is not given or not nonzero) and coef.numerator == 0:
            return _ZERO_F, []
        if out:  # each identity, or (not on) whether it might have acted: see `live`
            if calls:  # the trigonometric hooks only trade calls for calls
                if "trig-quotients" in flags:
                    out = trig_quotients(self, out)
                elif trig_quotients_live(self.key, out):
                    live.add("trig-quotients")
                if "double-angle" in flags:
                    coef, out = double_angle(self, coef, out)
                elif double_angle_live(coef, out):
                    live.add("double-angle")
            if pows:
                if "exp-log" in flags:
                    combined = combine_exp(self, out)
                    if combined is not out:  # e^(ln u) may have left a sum u
                        out = combined
                        adds = any(isinstance(f[1], Add) for f in out)
                elif combine_exp_live(out):
                    live.add("exp-log")
            if adds:
                if "brackets" in flags:
                    coef, out = brackets(self, coef, out)
                else:
                    live.add("brackets")
        return coef, out

    def like_factors(self, facs: list) -> list:
        """Like factors as one (exponents added), noting the cancellations it assumed."""
        if len(facs) < 2:  # nothing to collect: each factor as it is, a zero power dropped
            return [[f[0], f[1], f[2]] for f in facs if f[2].numerator != 0]
        groups: dict[int, list] = {}
        mixed: dict[int, bool] = {}  # key -> whether its exponents had both signs (> 0, not)
        for k, b, x in facs:
            up = x.numerator > 0
            g = groups.get(k)
            if g is not None:
                g[2] += x
                if g[3] is not up:
                    mixed[k] = True
            else:
                groups[k] = [k, b, x, up]
        out = []
        for k, g in groups.items():
            if k in mixed:
                self.assume(nonzero(g[1]))
            if g[2].numerator != 0:
                out.append(g[:3])
        return out

    def merged(self, e: Expr) -> tuple[Fraction, list]:
        """The product form of a simplified node, like factors collected afresh."""
        return self.merge(*self.decompose(e))

    def assume(self, note: Note) -> None:
        """Record what a rewrite assumed, once per text."""
        self.assumed += 1
        text = str(note)
        if text and text not in self.noted:
            self.noted.add(text)
            self.notes.append(note)

    def factor_expr(self, b: Expr, x: Fraction) -> Expr:
        if x is UNIT or x == 1:  # (most exponents are the shared 1: no Fraction compare)
            return b
        d = x.denominator
        root = _SPECIAL_ROOTS.get((x.numerator, d)) if d != 1 else None
        if root is not None:
            return Call(root, (b,))
        return Pow(b, whole(x.numerator) if d == 1 else Num(x))

    def render(self, coef: Fraction, facs: list) -> Expr:
        """coefficient * factors in answer-key form: p * numerator / (q * denominator)."""
        cn = coef.numerator  # (read once: a Fraction's numerator is a Python property)
        if cn == 0:
            return ZERO
        if not facs:
            return num(coef)
        if len(facs) == 1 and (coef is UNIT or (cn == 1 and coef.denominator == 1)) \
                and facs[0][2] == 1:
            return facs[0][1]  # (`is` first: most coefficients are the shared 1)
        top, bottom = [], []
        for f in facs:
            n = f[2].numerator
            if n > 0:
                top.append(f)
            elif n < 0:
                bottom.append(f)
        p, q = abs(cn), coef.denominator
        expr = self.factor_expr
        # the numeral beside other factors is a shared one (`whole`); alone it is a fresh node,
        # as it is then what this rendering returns, and `rendered` knows it by its identity
        lead = ([] if p == 1 else [whole(p)] if top else [Num(p)])
        numer = _product(lead + [expr(b, x) for _, b, x in _poly_first(top)])
        if bottom or q != 1:
            den = _product(([whole(q)] if q != 1 else []) + [expr(b, _negated(x)) for _, b, x in _poly_first(bottom)])
            out: Expr = Div(numer, den)
        else:
            out = numer
        out = Neg(out) if cn < 0 else out
        self.rendered[id(out)] = (out, coef, tuple(facs), self.pflags)
        return out

#: the numerals 0 to 64, made once: the renderings share them, so a rendering compared with
#: the tree it came from (`simp` keeps the old node when they are equal) meets the very same
#: leaf, not an equal one whose Fraction compares in Python code
_WHOLE = tuple(Num(Fraction(n)) for n in range(65))


def whole(n: int) -> Num:
    """The numeral n (an int), shared when it is small (`_WHOLE`): a leaf, so sharing it is
    safe; only a rendering's own result must be a node of its own (see `render`)."""
    return _WHOLE[n] if 0 <= n < 65 else Num(Fraction(n))


def _any_abs_power(facs: list) -> bool:
    """Some factor |u|^r with r even over odd (`abs_power`)."""
    for _, b, x in facs:
        if isinstance(b, Call) and b.func == "abs" and abs_power(b, x):
            return True
    return False

def _product(items: list[Expr]) -> Expr:
    if not items:
        return ONE
    return items[0] if len(items) == 1 else Mul(tuple(items))

_MINUS_ONE = Fraction(-1)

def _negated(x: int | Fraction) -> int | Fraction:
    """-x: an int exponent's in C; a Fraction's from the table of the usual ones (`_NEGATED`)
    when it is there, as Fraction's own negation is Python code that builds a new one."""
    if type(x) is int:
        return -x
    if x is UNIT:
        return _MINUS_ONE
    if x is _MINUS_ONE:
        return UNIT
    known = _NEGATED.get((x.numerator, x.denominator))
    return known if known is not None else -x


#: -q for the usual coefficients and root exponents q (whole -16..16, halves and thirds),
#: keyed by q's numerator and denominator (a Fraction's hash costs a modular inverse)
_NEGATED = MappingProxyType({(q.numerator, q.denominator): -q for q in
                             [Fraction(n, d) for d in (1, 2, 3) for n in range(-16, 17)]})

def _poly_first(facs: list) -> list:
    """Polynomial factors (a variable to a power) first, in alphabetical order as a monomial is
    written (`2x y^3`, not `2y^3 x`), then the others in their order."""
    variables = [f for f in facs if isinstance(f[1], Sym)]
    if not variables:
        return facs
    variables.sort(key=_name_of_base)
    return variables + [f for f in facs if not isinstance(f[1], Sym)]

def _name_of_base(f: list) -> str:
    return f[1].name
