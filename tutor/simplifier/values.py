"""The textbook special values the simplifier writes in: ln 1 = 0, cos 0 = 1, |u²| = u² ...

Why a table: these are facts a teacher reads off, not algorithms, so each is one row that can
be checked on its own (tests evaluate every row) and extended without touching the machinery.
`special_value(f, args)` is called by the bottom-up walk on every function call whose
arguments are already simplified; it returns None when no row applies.
"""
from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from ..expr import ONE, ZERO, Call, Const, Div, Expr, Mul, Neg, Num, Pow, num, number_of
from .. import vocabulary

__all__ = ["VALUES", "NON_NEGATIVE", "special_value", "trig_value", "pi_multiple", "numeric_root"]

_ZERO, _ONE = Fraction(0), Fraction(1)

#: f(a) = value, for a one-argument function at a number or a constant (read-only).
VALUES: MappingProxyType = MappingProxyType({
    ("ln", _ONE): ZERO,          # ln 1 = 0
    ("ln", "e"): ONE,            # ln e = 1
    ("exp", _ZERO): ONE,         # exp 0 = 1
    ("cos", _ZERO): ONE,         # cos 0 = 1
    ("cosh", _ZERO): ONE,        # cosh 0 = 1
    ("sech", _ZERO): ONE,        # sech 0 = 1
    ("sin", _ZERO): ZERO,        # sin 0 = 0, and the other odd functions through 0
    ("tan", _ZERO): ZERO,
    ("sinh", _ZERO): ZERO,
    ("tanh", _ZERO): ZERO,
    ("asin", _ZERO): ZERO,
    ("atan", _ZERO): ZERO,
    ("asinh", _ZERO): ZERO,
    ("atanh", _ZERO): ZERO,
})

#: functions never negative on the reals, so |f(u)| = f(u) (e^u too, and even powers u^2k)
NON_NEGATIVE = frozenset({"exp", "cosh", "sqrt"})

assert {f for f, _ in VALUES} | NON_NEGATIVE | {"abs", "log"} <= set(vocabulary.FUNCTIONS), \
    "a special value names a function the vocabulary does not know"


def special_value(f: str, args: tuple) -> Expr | None:
    """The table's value of f(args), or None.

    Two-argument log:  log_b b = 1, log_b 1 = 0.   abs:  |c| for a number c, |u^(2k)| = u^(2k),
    |f(u)| = f(u) for f never negative."""
    if len(args) == 2:
        if f == "log":
            u, b = args
            if u == b:
                return ONE
            if isinstance(u, Num) and u.value == 1:
                return ZERO
        return None
    if len(args) != 1:
        return None
    (u,) = args
    if f == "abs":
        return _absolute(u)
    if isinstance(u, Num):
        return VALUES.get((f, u.value))
    if isinstance(u, Const):
        return VALUES.get((f, u.name)) or trig_value(f, u)
    if f in _TRIG:
        return trig_value(f, u)
    return None


# ---------------------------------------------------------------- the unit circle

#: sin(q pi) for q in [0, 1/2], as (c, r) meaning c sqrt(r): the table every textbook prints
_SIN = MappingProxyType({Fraction(0): (_ZERO, 1), Fraction(1, 6): (Fraction(1, 2), 1),
                         Fraction(1, 4): (Fraction(1, 2), 2), Fraction(1, 3): (Fraction(1, 2), 3),
                         Fraction(1, 2): (_ONE, 1)})
_TRIG = frozenset({"sin", "cos", "tan", "cot", "sec", "csc"})


def pi_multiple(u: Expr) -> Fraction | None:
    """q when u is q pi as the simplifier writes it (pi, pi/4, 3pi/4, -pi/6), else None."""
    match u:
        case Const("pi"):
            return _ONE
        case Neg(a):
            q = pi_multiple(a)
            return None if q is None else -q
        case Div(a, Num(d)) if d > 0 and d.denominator == 1:
            q = pi_multiple(a)
            return None if q is None else q / d
        case Mul((Num(c), Const("pi"))):
            return c
    return None


def _sin_at(q: Fraction) -> tuple[Fraction, int] | None:
    q, sign = q % 2, 1
    if q >= 1:
        q, sign = q - 1, -1
    if q > Fraction(1, 2):
        q = 1 - q
    hit = _SIN.get(q)
    return None if hit is None else (sign * hit[0], hit[1])


def _ratio(a: tuple, b: tuple) -> tuple[Fraction, int] | None:
    """(c1 sqrt r1)/(c2 sqrt r2) = c1/(c2 r2) sqrt(r1 r2), the square part taken out."""
    (c1, r1), (c2, r2) = a, b
    if c2 == 0:
        return None  # a pole (tan(pi/2)): left as it is, the evaluator says it is undefined
    c, r = c1 / (c2 * r2), r1 * r2
    for d in (2, 3):
        while r % (d * d) == 0:
            c, r = c * d, r // (d * d)
    return c, r


def trig_value(f: str, u: Expr) -> Expr | None:
    """sin, cos, tan, cot, sec, csc at a multiple of pi/6 or pi/4, exactly:
    cos(pi/4) = sqrt(2)/2, sec(pi/4) = sqrt(2), tan(pi/6) = sqrt(3)/3; None elsewhere."""
    q = pi_multiple(u)
    if f not in _TRIG or q is None:
        return None
    s, c = _sin_at(q), _sin_at(q + Fraction(1, 2))
    if s is None or c is None:
        return None
    one = (_ONE, 1)
    value = {"sin": s, "cos": c, "tan": _ratio(s, c), "cot": _ratio(c, s),
             "sec": _ratio(one, c), "csc": _ratio(one, s)}[f]
    if value is None:
        return None
    k, r = value
    if r == 1:
        return num(k)
    root: Expr = Call("sqrt", (Num(Fraction(r)),))
    body = root if abs(k) == 1 else Mul((Num(abs(k)), root))
    return Neg(body) if k < 0 else body


# ---------------------------------------------------------------- roots of numbers

def numeric_root(c: Fraction, q: Fraction) -> tuple[Fraction, list[tuple[int, Fraction]]]:
    """c^q (c > 0, q not whole) as an answer key writes it: perfect powers taken out
    (sqrt(12) = 2 sqrt(3), sqrt(3/4) = sqrt(3)/2, 2^(3/2) = 2 sqrt(2)), whole radicands, a
    root that was downstairs kept there (1/sqrt(3/4) = 2/sqrt(3)). Returns the rational
    coefficient and [(whole base, exponent)]; bounded (trial division up to 1000)."""
    coef, parts = _ONE, []
    for n, e in ((c.numerator, q), (c.denominator, -q)):
        if n == 1:
            continue
        m, k = e.numerator, e.denominator
        s, r = 1, n
        d = 2
        while d <= 1000 and d ** k <= r:
            while r % d ** k == 0:
                s, r = s * d, r // d ** k
            d += 1
        whole = int(Fraction(m, k))  # toward zero: 3^(-1/2) stays a root downstairs
        coef *= Fraction(s) ** m * Fraction(r) ** whole
        rest = Fraction(m, k) - whole
        if r != 1 and rest:
            parts.append((r, rest))
    return coef, parts


def _absolute(u: Expr) -> Expr | None:
    v = number_of(u)
    if v is not None:
        return num(abs(v))
    match u:
        case Pow(_, Num(n)) if n.denominator == 1 and n.numerator % 2 == 0:
            return u  # |u^2| = u^2: an even power of a real number is never negative
        case Pow(Const("e"), _):
            return u  # e^u > 0
        case Call(g, _) if g in NON_NEGATIVE:
            return u
    return None
