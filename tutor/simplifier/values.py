"""The textbook special values the simplifier writes in: ln 1 = 0, cos 0 = 1, |u²| = u² ...

Why a table: these are facts a teacher reads off, not algorithms, so each is one row that can
be checked on its own (tests evaluate every row) and extended without touching the machinery.
`special_value(f, args)` is called by the bottom-up walk on every function call whose
arguments are already simplified; it returns None when no row applies.
"""
from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from ..expr import ONE, ZERO, Call, Const, Expr, Num, Pow, num, number_of
from .. import vocabulary

__all__ = ["VALUES", "NON_NEGATIVE", "special_value"]

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
        return VALUES.get((f, u.name))
    return None


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
