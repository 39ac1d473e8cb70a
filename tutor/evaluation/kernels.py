"""Float kernels: every function of the vocabulary as a Python float function that raises
outside its domain, and the domain table the exact evaluator checks too.

Why one table: the tutor's decimals (`evaluate_float`, and `evaluate` once a value is
irrational) and the grader's samples (`compile_float`) call these very functions, so they
agree bit for bit by construction. A kernel never returns NaN or an infinity: outside the
domain it raises DomainError naming the function and the value, on float overflow
EvaluationError code "overflow".

Thread safety: the tables are read-only mappings built at import; kernels are pure.
"""
from __future__ import annotations

import math
import operator
from fractions import Fraction
from types import MappingProxyType
from typing import Callable, Mapping

from ..errors import DomainError, EvaluationError
from ..expr import Call, Derivative, Expr, Indicator
from .text import decimal_text, format_value

__all__ = ["HALF_PI", "COMPARE", "DOMAIN", "KERNELS", "BINARY", "VARIADIC", "undefined",
           "overflow", "finite", "to_float", "unbound", "not_evaluable", "fpow", "check_root",
           "froot", "check_log", "flog"]

HALF_PI = math.pi / 2
_POLE_RANGE = 2.0 ** 32  # beyond, the pi grid is finer than a few ulps: no pole test

#: the comparisons of an Iverson bracket [l op r]
COMPARE: Mapping[str, Callable] = MappingProxyType(
    {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le})

#: domain of each function with one besides the poles of tan, sec, csc, cot (below) and
#: sqrt, log and root (their own checks), as (test, what the argument must do)
DOMAIN: Mapping[str, tuple[Callable, str]] = MappingProxyType({
    "ln": (lambda u: u > 0, "be > 0"),
    "asin": (lambda u: -1 <= u <= 1, "be in [-1, 1]"),
    "acos": (lambda u: -1 <= u <= 1, "be in [-1, 1]"),
    "asec": (lambda u: u <= -1 or u >= 1, "satisfy |u| >= 1"),
    "acsc": (lambda u: u <= -1 or u >= 1, "satisfy |u| >= 1"),
    "acosh": (lambda u: u >= 1, "be >= 1"),
    "atanh": (lambda u: -1 < u < 1, "be in (-1, 1)"),
    "acoth": (lambda u: u < -1 or u > 1, "satisfy |u| > 1"),
    "asech": (lambda u: 0 < u <= 1, "be in (0, 1]"),
    "acsch": (lambda u: u != 0, "be nonzero"),
    "coth": (lambda u: u != 0, "be nonzero"),
    "csch": (lambda u: u != 0, "be nonzero"),
})


# ---------------------------------------------------------------- errors

def undefined(name: str, u) -> DomainError:
    return DomainError(f"{name} is undefined at {format_value(u)} (its argument must {DOMAIN[name][1]})")


def overflow(what: str) -> EvaluationError:
    return EvaluationError(f"{what} is too large for a float (overflow)", code="overflow")


def finite(r: float) -> float:
    """An intermediate float must stay finite: inf - inf would silently become NaN."""
    if r - r == 0:
        return r
    raise overflow("an intermediate value")


def to_float(v) -> float:
    """A number of the tree or the point as a float; one past the float range is overflow."""
    try:
        return float(v)
    except OverflowError:
        raise overflow(f"the number {decimal_text(Fraction(v), 10)}") from None


def unbound(name: str) -> EvaluationError:
    return EvaluationError(f"no value for {name}", code="unbound",
                           hint=f"give a value for {name}, e.g. {name}=1")


def not_evaluable(e: Expr) -> EvaluationError:
    match e:
        case Derivative(_, var, _, _):
            return EvaluationError(f"cannot evaluate an unevaluated derivative d/d{var}[...]: "
                                   "differentiate first", code="derivative")
        case Call(func, args):
            return EvaluationError(f"unknown function {func} with {len(args)} argument(s)",
                                   code="unknown_function")
        case Indicator(_, op, _):
            return EvaluationError(f"unknown comparison {op!r}", code="unsupported")
    return EvaluationError(f"cannot evaluate {e!r}", code="unsupported")


# ---------------------------------------------------------------- one-argument kernels

def _checked(name: str, fn: Callable[[float], float]) -> Callable[[float], float]:
    ok = DOMAIN[name][0]

    def kernel(x):
        if ok(x):
            return fn(x)
        raise undefined(name, x)
    return kernel


def _ln(x):
    """_checked("ln", math.log) with DOMAIN["ln"]'s test (u > 0) written in place: ln is the
    commonest kernel of the grader's answers, and the test was a call of its own at every
    point (the same test, so the same value or the same error)."""
    if x > 0:
        return math.log(x)
    raise undefined("ln", x)


def _guarded(name: str, fn: Callable[[float], float]) -> Callable[[float], float]:
    """fn with float overflow (OverflowError or an infinite result) as EvaluationError."""
    def kernel(x):
        try:
            r = fn(x)
        except OverflowError:
            raise overflow(f"{name}({format_value(x)})") from None
        if r - r == 0:
            return r
        raise overflow(f"{name}({format_value(x)})")
    return kernel


def _near_pole(x: float, step: float, odd: bool) -> bool:
    """x is (within 2 ulps of) k*step, with k odd when `odd`."""
    if not -_POLE_RANGE < x < _POLE_RANGE:
        return False
    k = round(x / step)
    if odd and not k % 2:
        return False
    return abs(x - k * step) <= 2 * math.ulp(x)


def _pole_kernel(name: str, step: float, odd: bool, fn: Callable[[float], float]):
    where = "an odd multiple of pi/2" if odd else "a multiple of pi"
    guarded = _guarded(name, fn)

    def kernel(x):
        if _near_pole(x, step, odd):
            tail = "" if x == 0 else f" ({where})"
            raise DomainError(f"{name} is undefined at {format_value(x)}{tail}")
        return guarded(x)
    return kernel


def _sqrt(x):
    if x >= 0:
        return math.sqrt(x)
    raise DomainError(f"sqrt of a negative number ({format_value(x)})")


def _sech(x):
    try:
        return 1 / math.cosh(x)
    except OverflowError:  # cosh beyond floats: sech is below the smallest float
        return 0.0


def _csch(x):
    try:
        return 1 / math.sinh(x)
    except OverflowError:
        return math.copysign(0.0, x)


#: every one-argument function of the vocabulary -> its float kernel
KERNELS: Mapping[str, Callable[[float], float]] = MappingProxyType({
    "exp": _guarded("exp", math.exp),
    "ln": _ln,
    "sqrt": _sqrt, "cbrt": math.cbrt, "abs": abs,
    "sin": math.sin, "cos": math.cos,
    "tan": _pole_kernel("tan", HALF_PI, True, math.tan),
    "sec": _pole_kernel("sec", HALF_PI, True, lambda u: 1 / math.cos(u)),
    "csc": _pole_kernel("csc", math.pi, False, lambda u: 1 / math.sin(u)),
    "cot": _pole_kernel("cot", math.pi, False, lambda u: math.cos(u) / math.sin(u)),
    "asin": _checked("asin", math.asin), "acos": _checked("acos", math.acos), "atan": math.atan,
    "asec": _checked("asec", lambda u: math.acos(1 / u)),
    "acsc": _checked("acsc", lambda u: math.asin(1 / u)),
    "acot": lambda u: math.atan(1 / u) if u else HALF_PI,  # SymPy's: acot(-2) = atan(-1/2)
    "sinh": _guarded("sinh", math.sinh), "cosh": _guarded("cosh", math.cosh), "tanh": math.tanh,
    "sech": _sech,
    "csch": _checked("csch", _guarded("csch", _csch)),
    "coth": _checked("coth", _guarded("coth", lambda u: 1 / math.tanh(u))),
    "asinh": math.asinh,
    "acosh": _checked("acosh", math.acosh), "atanh": _checked("atanh", math.atanh),
    "asech": _checked("asech", _guarded("asech", lambda u: math.acosh(1 / u))),
    "acsch": _checked("acsch", _guarded("acsch", lambda u: math.asinh(1 / u))),
    "acoth": _checked("acoth", lambda u: math.atanh(1 / u)),
    "relu": lambda u: u if u > 0 else 0.0,
})


# ---------------------------------------------------------------- powers, roots, logs

def fpow(b: float, x: float, const: Fraction | None = None) -> float:
    """b ** x as Python computes it, real-valued: a negative base takes a non-integer
    exponent only when `const` (the exponent as written) is p/q with q odd."""
    if b < 0 and x % 1:
        if const is not None and const.denominator % 2:
            r = fpow(-b, x)
            return -r if const.numerator % 2 else r
        shown = format_value(const if const is not None else x)
        raise DomainError(f"a negative number to a fractional power ({format_value(b)}^({shown}))")
    if b == 0 and x < 0:
        raise DomainError("0 to a negative power")
    try:
        return b ** x
    except OverflowError:
        raise overflow(f"{format_value(b)}^{format_value(x)}") from None


def check_root(x, n) -> None:
    """root(x, n) = x^(1/n) is real for x >= 0, and for x < 0 when the index n is exact
    with an odd numerator (root(x, 3), root(x, 1/10) = x^10) or a float odd integer."""
    if n == 0:
        raise DomainError("root with index 0 is undefined")
    if x < 0 and not (n.numerator % 2 if type(n) is Fraction else n % 2 == 1):
        if n % 1 == 0:
            raise DomainError(f"an even root of a negative number (root({format_value(x)}, {format_value(n)}))")
        raise DomainError(f"a negative number to a fractional power ({format_value(x)}^({format_value(1 / n)}))")


def froot(x: float, n: float, const: Fraction | None = None) -> float:
    """root(x, n) in floats; `const` is the index when it is written with numbers only."""
    index = n if const is None else const
    check_root(x, index)
    if x < 0:
        r = fpow(-x, 1 / n)
        return -r if type(index) is not Fraction or index.denominator % 2 else r
    return fpow(x, 1 / n)


def check_log(x, b) -> None:
    if not x > 0:
        raise DomainError(f"log is undefined at {format_value(x)} (its argument must be > 0)")
    if not (b > 0 and b != 1):
        raise DomainError(f"log is undefined for base {format_value(b)} (the base must be > 0 and not 1)")


def flog(x: float, b: float) -> float:
    """log_b x in floats."""
    check_log(x, b)
    return math.log(x) / math.log(b)


#: the two-argument functions (argument, base or index) -> their float kernels
BINARY: Mapping[str, Callable] = MappingProxyType({"log": flog, "root": froot})
#: the functions of two or more arguments
VARIADIC: Mapping[str, Callable] = MappingProxyType({"max": max, "min": min})
