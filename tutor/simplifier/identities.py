"""The identities a teacher uses to shorten an answer, as hooks of the simplifier's passes.

Why separate: the normal form (`tutor.simplifier.normal_form`) is the machinery (product forms
`coefficient x [[key, base, exponent], ...]`, sums as lists of such products); this module only
knows the identities and when they shorten. It sees the machinery through the small `Ops`
interface below and never imports it, so the identities can be read, and tested, alone.

Groups (rule ids of their passes, see `tutor.simplifier.PASSES`):
  pythagorean     sin²u + cos²u = 1, 1 - sin²u = cos²u, 1 + tan²u = sec²u, cosh²u - sinh²u = 1,
                  1 - tanh²u = sech²u ... on two terms of a sum that differ only by those squares
  trig-quotients  sin u/cos u = tan u, 1/cos u = sec u, sec u cos u = 1, cosh u/sinh u = coth u ...
                  on the factors of one product with the same argument
  double-angle    2 sin u cos u = sin 2u, 2 sinh u cosh u = sinh 2u (the coefficient must be even)
  exp-log         ln(e^u) = u, e^(ln u) = u (where u > 0), e^a e^b = e^(a+b) when shorter
  brackets        a common number out of a bracket that is a factor (8(6x - 4) = 16(3x - 2)),
                  a fraction inside a fraction cleared (x^2 (1 + y^2/x^2) = x^2 + y^2,
                  2 sqrt(1 - x^2/4) = sqrt(4 - x^2)), only when not longer
Each rewrite is an equation wherever both sides are defined; where the new side is defined
on more points (cos u tan u = sin u), the pass's note says what was assumed.
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm
from types import MappingProxyType
from typing import Protocol

from ..exact import exact_power
from ..expr import Add, Call, Const, Expr, Mul, Num, Pow
from ..steps import Note
from .. import vocabulary
from ..vocabulary import CIRCULAR, HYPERBOLIC, families

__all__ = ["Ops", "pythagorean", "trig_quotients", "double_angle", "combine_exp", "brackets",
           "exp_log_call", "exp_of_ln", "nonzero", "IDENTITY_FUNCS", "NEEDS"]


class Ops(Protocol):
    """What an identity may ask of the running pass (one `normal_form.Simplifier`).

    A factor is `[key, base, exponent]` (key: `key(base)`, exponent an int when whole, else a
    Fraction); a product form is `(coefficient, [factor, ...])`."""

    #: keys of sums `brackets` found it can never change (per simplify call, see normal_form)
    idle_brackets: set[int]

    def key(self, e: Expr) -> int:
        """Structural identity as a small int: equal trees, equal keys (a + b is b + a)."""
    def size(self, e: Expr) -> int:
        """Number of nodes."""
    def simp(self, e: Expr) -> Expr:
        """e in this pass's normal form."""
    def product_of(self, e: Expr) -> tuple[Fraction, list]:
        """The product form of a node already in normal form."""
    def merged(self, e: Expr) -> tuple[Fraction, list]:
        """The product form of a node in normal form, like factors collected afresh."""
    def render(self, coef: Fraction, facs: list) -> Expr:
        """A product form as an answer-key tree."""
    def render_size(self, coef: Fraction, facs: list) -> int:
        """The number of nodes `render(coef, facs)` would have (without building it)."""
    def sum_of(self, terms: list[Expr]) -> Expr:
        """The normal form of the sum of normal-form terms."""
    def assume(self, note: Note) -> None:
        """Record what a rewrite assumed (the pass's note)."""


def nonzero(b: Expr) -> Note:
    """The note of a cancellation: b/b = 1 only where b is not 0."""
    return Note("cancelling assumes {0} ≠ 0", (b,))


# Module tables are built once at import and never changed (read-only views): every thread
# may read them. All state of a pass lives on the `Ops` object it passes in.

#: f = sin^a cos^b: (a, b) for each of the six, circular and hyperbolic alike
_SIN_COS = MappingProxyType({"sin": (1, 0), "cos": (0, 1), "tan": (1, -1), "cot": (-1, 1),
                             "sec": (0, -1), "csc": (-1, 0)})
_CIRC = MappingProxyType({f: _SIN_COS[f] for f in sorted(families(CIRCULAR))})
_HYP = MappingProxyType({f: _SIN_COS[f.removesuffix("h")] for f in sorted(families(HYPERBOLIC))})
_FAMILY = MappingProxyType({f: (_CIRC, "") for f in _CIRC} | {f: (_HYP, "h") for f in _HYP})
_EXP_LOG = frozenset({"ln", "exp"})  # the functions the exp-log identities name
assert _EXP_LOG <= set(vocabulary.FUNCTIONS) and set(_SIN_COS) == set(_CIRC)
IDENTITY_FUNCS = frozenset(_FAMILY) | _EXP_LOG
#: the functions (and the constant e) one of which must occur for a group to apply
NEEDS = MappingProxyType({
    "pythagorean": frozenset(_FAMILY),
    "trig-quotients": frozenset(_FAMILY),
    "double-angle": frozenset({"sin", "cos", "sinh", "cosh"}),
    "exp-log": _EXP_LOG | {"e"},
})

# a*L^2 + ratio*a*O^2 = rcoef*a*R^2 (None stands for 1): the Pythagorean family, led by a square
_PYTH = (
    ("sin", "cos", 1, None, 1), ("sin", None, -1, "cos", -1), ("cos", None, -1, "sin", -1),
    ("tan", None, 1, "sec", 1), ("sec", None, -1, "tan", 1), ("sec", "tan", -1, None, 1),
    ("cot", None, 1, "csc", 1), ("csc", None, -1, "cot", 1), ("csc", "cot", -1, None, 1),
    ("cosh", "sinh", -1, None, 1), ("sinh", None, 1, "cosh", 1), ("cosh", None, -1, "sinh", 1),
    ("tanh", None, -1, "sech", -1), ("sech", "tanh", 1, None, 1), ("coth", None, -1, "csch", 1),
    ("coth", "csch", -1, None, 1),
)
_BY_LEAD = MappingProxyType({lead: tuple(r for r in _PYTH if r[0] == lead)
                             for lead in dict.fromkeys(r[0] for r in _PYTH)})


def _call_arg(b: Expr, funcs) -> tuple[str, Expr] | None:
    if isinstance(b, Call) and b.func in funcs and len(b.args) == 1:
        return b.func, b.args[0]
    return None


def _tkey(facs) -> tuple:
    return tuple(sorted((k, x) for k, _, x in facs))


# ---------------------------------------------------------------- pythagorean (sums)

def pythagorean(s: Ops, flat: list) -> list:
    """Merge two terms c R L(u)^2 and c' R O(u)^2 (or c' R) of a sum by an identity."""
    if not has_squared_lead(flat):
        return flat
    terms = [[c, list(fs)] for c, fs in flat]
    index: dict[tuple, list[int]] = {}
    for i, (_, fs) in enumerate(terms):
        index.setdefault(_tkey(fs), []).append(i)
    dead: set[int] = set()
    for i, term in enumerate(terms):
        if i in dead:
            continue
        done = False
        for pos, (_, b, x) in enumerate(term[1]):
            hit = _call_arg(b, _BY_LEAD) if x == 2 else None
            if hit is None:
                continue
            func, u = hit
            rest = term[1][:pos] + term[1][pos + 1:]
            for _lead, other, ratio, result, rcoef in _BY_LEAD[func]:
                want = rest + ([_square(s, other, u)] if other else [])
                for j in index.get(_tkey(want), ()):
                    if j != i and j not in dead and terms[j][0] == ratio * term[0]:
                        new = rest + ([_square(s, result, u)] if result else [])
                        terms[min(i, j)] = [rcoef * term[0], new]
                        dead.add(max(i, j))
                        done = True
                        break
                if done:
                    break
            if done:
                break
    if not dead:
        return flat
    return [(c, fs) for i, (c, fs) in enumerate(terms) if i not in dead]


def has_squared_lead(flat: list) -> bool:
    """`pythagorean`'s first test: two terms or more, one with a factor L(u)^2 that leads an
    identity (sin^2 u, tan^2 u, ...); without one it returns the sum as it is. Also the test
    of whether the group, not on, might have acted (`live`). A loop, not any(...): every sum
    of the passes before the group's asks it."""
    if len(flat) < 2:
        return False
    for _, fs in flat:
        for _, b, x in fs:
            if type(b) is Call and b.func in _BY_LEAD and len(b.args) == 1 and x == 2:
                return True
    return False


def _square(s: Ops, func: str, u: Expr) -> list:
    b = Call(func, (u,))
    return [s.key(b), b, Fraction(2)]


# ---------------------------------------------------------------- quotient identities (products)

def _canonical(fam: dict, hyp: str, sc: tuple[int, int]) -> list[tuple[str, int]]:
    si, co = sc
    out: list[tuple[str, int]] = []
    if si > 0 > co:
        t = min(si, -co)
        out.append(("tan" + hyp, t))
        si, co = si - t, co + t
    elif co > 0 > si:
        t = min(co, -si)
        out.append(("cot" + hyp, t))
        si, co = si + t, co - t
    if si:
        out.append(("sin" + hyp if si > 0 else "csc" + hyp, abs(si)))
    if co:
        out.append(("cos" + hyp if co > 0 else "sec" + hyp, abs(co)))
    return out


def trig_quotients(s: Ops, facs: list) -> list:
    """Factors of one product with the same argument, rewritten in the fewest of
    tan/cot/sin/cos/sec/csc (and hyperbolic) with no function under a fraction bar."""
    groups: dict[tuple, list[int]] = {}
    for i, (_, b, x) in enumerate(facs):
        hit = _call_arg(b, _FAMILY)
        if hit and x.denominator == 1:
            groups.setdefault((_FAMILY[hit[0]][1], s.key(hit[1])), []).append(i)
    if not groups:
        return facs
    replace: dict[int, list] = {}
    drop: set[int] = set()
    for (hyp, _), idx in groups.items():
        negative = any(facs[i][2].numerator < 0 for i in idx)
        if len(idx) < 2 and not negative:
            continue
        fam = _CIRC if not hyp else _HYP
        si = co = 0
        for i in idx:
            a, c = fam[facs[i][1].func]
            si += a * int(facs[i][2])
            co += c * int(facs[i][2])
        new = _canonical(fam, hyp, (si, co))
        if len(new) > len(idx) or (len(new) == len(idx) and not negative):
            continue
        u = facs[idx[0]][1].args[0]
        for col, name in ((1, "cos"), (0, "sin")):
            signs = {fam[facs[i][1].func][col] * facs[i][2] > 0 for i in idx
                     if fam[facs[i][1].func][col]}
            if len(signs) == 2 and (not hyp or name == "sin"):
                s.assume(nonzero(Call(name + hyp, (u,))))
        built = []
        for func, n in new:
            b = Call(func, (u,))
            built.append([s.key(b), b, Fraction(n)])
        replace[idx[0]] = built
        drop.update(idx[1:])
    if not replace:
        return facs
    out = []
    for i, f in enumerate(facs):
        if i in replace:
            out.extend(replace[i])
        elif i not in drop:
            out.append(f)
    return out


def double_angle(s: Ops, coef: Fraction, facs: list) -> tuple[Fraction, list]:
    """2 sin u cos u = sin 2u and 2 sinh u cosh u = sinh 2u, when the coefficient is even."""
    if coef.numerator % 2 or len(facs) < 2:
        return coef, facs
    for hyp in ("", "h"):
        sines = {s.key(b.args[0]): i for i, (_, b, x) in enumerate(facs)
                 if x == 1 and _call_arg(b, ("sin" + hyp,))}
        if not sines:
            continue
        for j, (_, b, x) in enumerate(facs):
            if x == 1 and _call_arg(b, ("cos" + hyp,)) and s.key(b.args[0]) in sines:
                i = sines[s.key(b.args[0])]
                c2, f2 = s.merged(b.args[0])
                inner = s.render(c2 * 2, f2)
                new = Call("sin" + hyp, (inner,))
                out = [f for k, f in enumerate(facs) if k != j]
                out[out.index(facs[i])] = [s.key(new), new, Fraction(1)]
                return coef / 2, out
    return coef, facs


# ---------------------------------------------------------------- exponentials and logarithms

def exp_log_call(f: str, args: tuple) -> Expr | None:
    """ln(e^u) = u and ln(exp(u)) = u, for every real u."""
    if f == "ln" and len(args) == 1:
        match args[0]:
            case Pow(Const("e"), u) | Call("exp", (u,)):
                return u
    return None


def exp_of_ln(s: Ops, base: Expr, x: Expr) -> Expr | None:
    """e^(ln u) = u where u > 0 (the left side is defined only there): u, or None."""
    if isinstance(base, Const) and base.name == "e" and isinstance(x, Call) and x.func == "ln":
        u = x.args[0]
        s.assume(Note("{0} > 0", (u,)))
        return u
    return None


def combine_exp(s: Ops, facs: list) -> list:
    """e^a e^b = e^(a + b) (integer powers of e^a only) when the result is shorter."""
    idx = [i for i, (_, b, x) in enumerate(facs)
           if x.denominator == 1 and isinstance(b, Pow) and isinstance(b.base, Const)
           and b.base.name == "e"]
    if len(idx) < 2:
        return facs
    terms = [Mul((Num(facs[i][2]), facs[i][1].exp)) if facs[i][2] != 1 else facs[i][1].exp
             for i in idx]
    exponent = s.simp(Add(tuple(terms)))
    new = s.simp(Pow(facs[idx[0]][1].base, exponent))
    if s.size(new) >= sum(s.size(facs[i][1]) + (1 if facs[i][2] != 1 else 0) for i in idx):
        return facs
    c, fs = s.product_of(new)
    if c != 1:
        return facs
    out = [f for k, f in enumerate(facs) if k not in idx[1:]]
    pos = out.index(facs[idx[0]])
    return out[:pos] + fs + out[pos + 1:]


# ---------------------------------------------------------------- brackets

def brackets(s: Ops, coef: Fraction, facs: list) -> tuple[Fraction, list]:
    """In a product: take a common number out of a bracket (sign included when that removes
    more minus signs than it adds), and clear fractions inside a bracket with the product's
    own factors or a perfect-power number. Only rewrites that do not lengthen the product."""
    if coef.numerator == 0 or not any(isinstance(b, Add) for _, b, _ in facs):
        return coef, facs
    idle = s.idle_brackets
    for pos, (k, b, x) in enumerate(facs):
        if not isinstance(b, Add) or k in idle:
            continue
        forms = [s.product_of(t) for t in b.terms]
        fractional = any(c.denominator != 1 or any(e.numerator < 0 for _, _, e in fs)
                         for c, fs in forms)
        if not fractional and all(c.numerator > 0 for c, _ in forms) \
                and gcd(*(c.numerator for c, _ in forms)) == 1:
            idle.add(k)  # nothing to take out or clear, whatever the product around it
            continue
        # clearing fractions renders the whole product: only try when there is one to clear
        done = _clear_fractions(s, coef, facs, pos, forms) \
            if fractional and (x in (1, -1) or x.denominator > 1) else None
        if done is None and x.denominator == 1:
            done = _content(s, coef, facs, pos, forms)
        if done is not None:
            return done
    return coef, facs


def _rebracket(s: Ops, coef, facs, pos, terms: list, x: Fraction, extra: list | None = None):
    """The product with the bracket at `pos` replaced by the sum of `terms` (to the power x),
    its other factors `extra` when given; None when the new sum is not one bracket."""
    new_sum = s.sum_of([s.render(c, fs) for c, fs in terms])
    c2, f2 = s.product_of(new_sum)
    if c2 != 1 or len(f2) != 1 or f2[0][2] != 1:  # the bracket did not stay one bracket
        return None
    out = list(facs)
    out[pos] = [s.key(new_sum), new_sum, x]
    if extra is not None:
        out = [f for f in extra if f[2].numerator != 0]
        out.insert(min(pos, len(out)), [s.key(new_sum), new_sum, x])
    return coef, out


def _content(s: Ops, coef, facs, pos, forms):
    """c (g a + g b)^x = c g^x (a + b)^x, g the bracket's common number (content)."""
    _, b, x = facs[pos]
    nums = [abs(c.numerator) for c, _ in forms]
    dens = [c.denominator for c, _ in forms]
    g = Fraction(gcd(*nums), lcm(*dens))
    negative = sum(1 for c, _ in forms if c.numerator < 0)
    if (len(forms) - negative) + (coef > 0) < negative + (coef < 0):  # fewer minus signs
        g = -g
    if g == 1 or (x < 0 and g < 0 and x.numerator % 2 == 0):
        return None
    if g < 0 and x.numerator % 2 == 0:  # (-a)^2 = a^2: the sign would vanish, keep it inside
        g = -g
        if g == 1:
            return None
    gx = g ** int(x)
    if abs(gx.numerator) > 10 ** 6 or gx.denominator > 10 ** 6:
        return None
    return _rebracket(s, coef * gx, facs, pos, [(c / g, fs) for c, fs in forms], x)


def _clear_fractions(s: Ops, coef, facs, pos, forms):
    """u^d (a + b/u^d) = a u^d + b with the product's own factor u^d, and (a + b/L)^x =
    L^-x (L a + b)^x for the lcm L of the bracket's denominators when L^-x is rational
    (2 sqrt(1 - x^2/4) = sqrt(4 - x^2)); kept only when the product gets shorter."""
    k0, b, x = facs[pos]
    sign = 1 if x > 0 else -1
    old = s.render_size(coef, facs)
    # symbolic denominators inside the bracket, matched by the product's own factors
    need: dict[int, Fraction] = {}
    for _, fs in forms:
        for k, _, e in fs:
            if e < 0:
                need[k] = max(need.get(k, Fraction(0)), -e)
    have = {k: (i, e) for i, (k, _, e) in enumerate(facs) if i != pos}
    mult: dict[int, Fraction] = {}
    for k, d in need.items():
        if k in have and have[k][1] * sign >= d * abs(x) and x in (1, -1):
            mult[k] = d
    # a number: the bracket's denominators, when L^x is rational
    L = lcm(*[c.denominator for c, _ in forms])
    numeric = None
    if L > 1:
        numeric = exact_power(Fraction(L), -x)
    if not mult and numeric is None:
        return None
    scale = Fraction(L) if numeric is not None else Fraction(1)
    bases = {k: bb for k, bb, _ in facs}
    new_terms = []
    for c, fs in forms:
        m = {kk: [kk, bb, e] for kk, bb, e in fs}
        for k, d in mult.items():
            if k in m:
                m[k] = [k, m[k][1], m[k][2] + d]
            else:
                m[k] = [k, bases[k], d]
        new_terms.append((c * scale, [f for f in m.values() if f[2].numerator != 0]))
    extra = []
    for i, (k, bb, e) in enumerate(facs):
        if i == pos:
            continue
        extra.append([k, bb, e - x * mult[k] if k in mult else e])
    got = _rebracket(s, coef * (numeric if numeric is not None else 1), facs, pos, new_terms, x,
                     extra)
    if got is None:
        return None
    if s.render_size(*got) >= old:
        return None
    return got

