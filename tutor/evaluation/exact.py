"""Exact evaluation: Fractions while every step stays rational, pi held as q*pi, the poles of
the trigonometric functions decided exactly, special values (cos 0 = 1, atan 1 = pi/4).

Why apart from the float kernels: exactness is what the tutor shows a student ("tan is
undefined at pi/2", "-1/32"), and falls back to the very float kernels as soon as a value is
irrational or a number would be too big (tutor.exact bounds every power, root and log).

Thread safety: the special-value table is a read-only mapping built at import; each call of
`evaluate_exact` has its own `Exact` (the point and the work budget).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

from ..errors import DomainError
from ..exact import MAX_BITS, bit_size, exact_log, float_ln, rational_power, rational_root, value_of
from ..expr import Add, Call, Const, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym
from ..limits import MAX_EXPONENT
from ..vocabulary import (CIRCULAR, HYPERBOLIC, INVERSE_CIRCULAR, INVERSE_HYPERBOLIC, INVERSES,
                          families)
from . import kernels as k
from .text import format_value, fraction_parts

__all__ = ["PiMultiple", "pi_times", "to_float", "trig_at_pi", "SPECIAL_VALUES", "exact_unary", "Exact",
           "evaluate_exact", "WORK_BUDGET", "rational_fast"]

WORK_BUDGET = 5_000_000  # bits of big (> 64-bit) exact results per call, then floats
_ZERO, _ONE = Fraction(0), Fraction(1)
_WORD = 1 << 63   # |n| < 2^63 and d < 2^63: at most 64 bits
_CIRCULAR = families(CIRCULAR)


@dataclass(frozen=True, slots=True)
class PiMultiple:
    """q*pi held exactly inside `evaluate`, so sin(pi/6) = 1/2 and tan(pi/2) is a pole."""
    q: Fraction

    def __str__(self) -> str:
        q = self.q
        num = {1: "pi", -1: "-pi"}.get(q.numerator, f"{q.numerator}*pi")
        return num if q.denominator == 1 else f"{num}/{q.denominator}"


def pi_times(q: Fraction):
    """q*pi: the rational 0 when q = 0, else a PiMultiple."""
    return _ZERO if q == 0 else PiMultiple(q)


def to_float(v) -> float:
    """Any exact value (a Fraction or a PiMultiple) or float, as a float."""
    t = type(v)
    if t is float:
        return v
    if t is Fraction:
        try:   # what float(v) computes (numbers.Rational.__float__), without its two calls
            n, d = fraction_parts(v)
            return n / d
        except OverflowError:
            return k.to_float(v)   # raises the overflow error, as before
    if t is PiMultiple:
        return k.finite(to_float(v.q) * math.pi)
    return k.to_float(v)


def _real(v):
    """A value for comparing: exact rationals and floats compare exactly in Python."""
    return to_float(v) if type(v) is PiMultiple else v


# ---------------------------------------------------------------- special values

_SIN_SIXTHS = {Fraction(0): 0, Fraction(1, 6): Fraction(1, 2), Fraction(1, 2): 1,
               Fraction(5, 6): Fraction(1, 2), Fraction(1): 0, Fraction(7, 6): Fraction(-1, 2),
               Fraction(3, 2): -1, Fraction(11, 6): Fraction(-1, 2)}
_TAN_QUARTERS = {Fraction(0): 0, Fraction(1, 4): 1, Fraction(3, 4): -1}
_COT_QUARTERS = {Fraction(1, 2): 0, Fraction(1, 4): 1, Fraction(3, 4): -1}


def trig_at_pi(name: str, q: Fraction):
    """A circular function at q*pi: exact values and poles, else a float. (By Niven's
    theorem these are all its rational values at rational multiples of pi.)"""
    r, half = q % 2, Fraction(1, 2)
    sin = _SIN_SIXTHS.get(r)
    cos = _SIN_SIXTHS.get((r + half) % 2)
    match name:
        case "sin":
            v = sin
        case "cos":
            v = cos
        case "tan" | "sec" if cos == 0:
            raise DomainError(f"{name} is undefined at {format_value(PiMultiple(q))}")
        case "csc" | "cot" if sin == 0:
            raise DomainError(f"{name} is undefined at {format_value(PiMultiple(q))}")
        case "tan":
            v = _TAN_QUARTERS.get(q % 1)
        case "cot":
            v = _COT_QUARTERS.get(q % 1)
        case "sec":
            v = None if cos is None else 1 / Fraction(cos)
        case _:  # csc
            v = None if sin is None else 1 / Fraction(sin)
    if v is not None:
        return Fraction(v)
    return k.KERNELS[name](float(r) * math.pi)


def _special_values() -> dict[tuple[str, Fraction], object]:
    """(function, argument in -1, 0, 1) -> exact value, derived rather than listed:
    - exp 0 = 1 and ln 1 = 0;
    - a circular function at 0 is its value at 0*pi; a hyperbolic one at 0 is its circular
      namesake's (sinh 0 = sin 0 = 0, cosh 0 = cos 0 = 1, tanh, sech likewise);
    - an inverse at v is the multiple of pi/12 its own float kernel lands on, kept when the
      forward function gives back v exactly there (acos 0 = pi/2, atan(-1) = -pi/4,
      acot 0 = pi/2 by SymPy's convention, which the kernel follows), and for the hyperbolic
      inverses only 0 (acosh 1 = 0): so the exact value is the float value, confirmed.
    A point outside the domain or at a pole has no entry."""
    table: dict[tuple[str, Fraction], object] = {("exp", _ZERO): _ONE, ("ln", _ONE): _ZERO}
    forward: dict[tuple[str, Fraction], object] = {}
    for f in _CIRCULAR:
        for q in (Fraction(n, 12) for n in range(-12, 13)):
            try:
                forward[(f, q)] = trig_at_pi(f, q)
            except DomainError:
                pass
        if (f, _ZERO) in forward:
            table[(f, _ZERO)] = forward[(f, _ZERO)]
    for f in families(HYPERBOLIC):
        if (f[:-1], _ZERO) in forward:
            table[(f, _ZERO)] = forward[(f[:-1], _ZERO)]
    inverse_of = {g: f for f, g in INVERSES.items()}
    for g in sorted(families(INVERSE_CIRCULAR, INVERSE_HYPERBOLIC)):
        f = inverse_of[g]
        for v in (Fraction(-1), _ZERO, _ONE):
            try:
                guess = k.KERNELS[g](float(v))
            except DomainError:
                continue
            q = Fraction(round(guess / math.pi * 12), 12)
            back = forward.get((f, q)) if f in _CIRCULAR else table.get((f, _ZERO)) if q == 0 else None
            if type(back) is Fraction and back == v:
                table[(g, v)] = pi_times(q)
    return table


#: (function, exact argument) -> exact value, for the arguments -1, 0 and 1
SPECIAL_VALUES: Mapping[tuple[str, Fraction], object] = MappingProxyType(_special_values())


def exact_unary(name: str, u: Fraction):
    """A function at an exact rational: its domain checked exactly, then the exact
    value where there is one (sqrt(9/4) = 3/2, cos 0 = 1, atan 1 = pi/4), else None."""
    if name in k.DOMAIN and not k.DOMAIN[name][0](u):
        raise k.undefined(name, u)
    match name:
        case "sqrt" if u < 0:
            raise DomainError(f"sqrt of a negative number ({format_value(u)})")
        case "csc" | "cot" if u == 0:
            raise DomainError(f"{name} is undefined at 0")
        case "abs":
            return abs(u)
        case "relu":
            return u if u > 0 else _ZERO
        case "sqrt":
            return rational_root(u, 2, MAX_BITS)
        case "cbrt":
            r = rational_root(abs(u), 3, MAX_BITS)
            return None if r is None else (r if u >= 0 else -r)
    n, d = fraction_parts(u)
    if d == 1 and -1 <= n <= 1:
        return SPECIAL_VALUES.get((name, u))
    return None


# ---------------------------------------------------------------- the exact evaluator

class Exact:
    """One exact evaluation: the point and the big-number work spent so far (a budget, so
    a tree of many huge rationals degrades to floats instead of running for minutes)."""

    __slots__ = ("env", "work")

    def __init__(self, env: dict):
        self.env = env
        self.work = 0

    def fit(self, q: Fraction):
        n, d = fraction_parts(q)
        if -_WORD < n < _WORD and d < _WORD:   # bit_size(q) <= 64, the common case
            return q
        bits = bit_size(q)
        if bits <= 64:
            return q
        self.work += bits
        return to_float(q) if bits > MAX_BITS or self.work > WORK_BUDGET else q

    def ev(self, e: Expr):
        # dispatch on the node's class (the node classes have no subclasses): the grader
        # evaluates every counter-example and every rational answer here, and a `match`
        # over ten class patterns tried them one by one at every node
        t = type(e)
        if t is Num:
            return self.fit(e.value)
        if t is Sym:
            env = self.env
            if e.name in env:
                return env[e.name]
            raise k.unbound(e.name)
        if t is Add:
            terms = e.terms
            acc = self.ev(terms[0]) if terms else _ZERO
            for term in terms[1:]:
                acc = self.add(acc, self.ev(term))
            return acc
        if t is Mul:
            factors = e.factors
            acc = self.ev(factors[0]) if factors else _ONE
            for f in factors[1:]:
                acc = self.mul(acc, self.ev(f))
            return acc
        if t is Pow:
            return self.pow(self.ev(e.base), self.ev(e.exp), e.exp)
        if t is Neg:
            v = self.ev(e.arg)
            return PiMultiple(-v.q) if type(v) is PiMultiple else -v
        if t is Div:
            return self.div(self.ev(e.num), self.ev(e.den))
        if t is Call:
            func, args = e.func, e.args
            if func == "log" and len(args) == 2:
                return self.log(self.ev(args[0]), self.ev(args[1]))
            if func == "root" and len(args) == 2:
                return self.root(self.ev(args[0]), self.ev(args[1]))
            if (func == "max" or func == "min") and args:
                return k.VARIADIC[func](self.reals(args))
            if len(args) == 1 and func in k.KERNELS:
                return self.unary(func, self.ev(args[0]))
        elif t is Const:
            if e.name == "pi":
                return PiMultiple(_ONE)
            if e.name == "e":
                return math.e
        elif t is Indicator and e.op in k.COMPARE:
            return _ONE if k.COMPARE[e.op](_real(self.ev(e.left)), _real(self.ev(e.right))) else _ZERO
        raise k.not_evaluable(e)

    def reals(self, args: tuple) -> list:
        """The arguments' values for comparing (a loop of its own: a comprehension in `ev`
        would make `self` a cell of every call, one per node evaluated)."""
        out = []
        for a in args:
            out.append(_real(self.ev(a)))
        return out

    def add(self, a, b):
        ta, tb = type(a), type(b)
        if ta is Fraction and tb is Fraction:
            return self.fit(a + b)
        if ta is PiMultiple and (tb is PiMultiple or b == 0):
            return pi_times(a.q + (b.q if tb is PiMultiple else 0))
        if tb is PiMultiple and a == 0:
            return b
        return k.finite(to_float(a) + to_float(b))

    def mul(self, a, b):
        ta, tb = type(a), type(b)
        if ta is Fraction and tb is Fraction:
            return self.fit(a * b)
        if ta is PiMultiple and tb is Fraction:
            return pi_times(a.q * b)
        if tb is PiMultiple and ta is Fraction:
            return pi_times(a * b.q)
        return k.finite(to_float(a) * to_float(b))

    def div(self, a, b):
        if b == 0:
            raise DomainError("division by zero")
        ta, tb = type(a), type(b)
        if ta is Fraction and tb is Fraction:
            return self.fit(a / b)
        if ta is PiMultiple and tb is Fraction:
            return pi_times(a.q / b)
        if ta is PiMultiple and tb is PiMultiple:
            return self.fit(a.q / b.q)
        return k.finite(to_float(a) / to_float(b))

    def pow(self, bv, xv, xnode: Expr):
        if type(xv) is Fraction:
            if xv == 0:
                return _ONE  # x^0 = 1 for every x, as in SymPy and Python
            if type(bv) is Fraction:
                return self.pow_exact(bv, xv, xnode)
        if type(bv) is Fraction and bv == 1:
            return _ONE
        b, x = to_float(bv), to_float(xv)
        return k.fpow(b, x, value_of(xnode) if b < 0 and x % 1 else None)

    def pow_exact(self, b: Fraction, x: Fraction, xnode: Expr):
        p, q = fraction_parts(x)
        if b == 0:
            if x < 0:
                raise DomainError("0 to a negative power")
            return _ZERO
        if q == 1:
            return self.integer_power(b, x)
        negate = False
        if b < 0 and q != 1:
            const = value_of(xnode)
            if const is None or const.denominator % 2 == 0:
                raise DomainError("a negative number to a fractional power "
                                  f"({format_value(b)}^({format_value(x)}))")
            b, negate = -b, bool(p % 2)
        r = rational_power(b, p, q)
        if r is None:
            r = k.fpow(to_float(b), to_float(x))
        else:
            r = self.fit(r)
        return -r if negate else r

    def integer_power(self, b: Fraction, x: Fraction):
        """b^x for b != 0 and an integer x = p: rational_power(b, p) and its limits, computed on
        b's integer parts (the counter-example's x^2 at x = 2 took a dozen Fraction calls:
        comparisons, bit sizes, Fraction.__pow__'s ABC check), the same exact value, so the
        same Fraction; past the limits the same float."""
        n, d = fraction_parts(b)
        p = fraction_parts(x)[0]
        if n == d:   # b == 1 (a reduced fraction)
            return _ONE
        m = -p if p < 0 else p
        if m > MAX_EXPONENT or max(abs(n).bit_length(), d.bit_length()) * m > MAX_BITS:
            return k.fpow(to_float(b), to_float(x))
        # n, d coprime: so are their powers, and Fraction only moves a negative denominator's sign
        return self.fit(Fraction(n ** p, d ** p) if p > 0 else Fraction(d ** m, n ** m))

    def root(self, xv, nv):
        if type(nv) is not Fraction or type(xv) is not Fraction:
            return k.froot(to_float(xv), to_float(nv), nv if type(nv) is Fraction else None)
        k.check_root(xv, nv)
        e = 1 / nv
        if xv == 0:
            if e < 0:
                raise DomainError("0 to a negative power")
            return _ZERO
        r = rational_power(abs(xv), e.numerator, e.denominator)
        r = k.fpow(to_float(abs(xv)), to_float(e)) if r is None else self.fit(r)
        return -r if xv < 0 and e.numerator % 2 else r

    def log(self, xv, bv):
        k.check_log(_real(xv), _real(bv))
        if type(xv) is Fraction and type(bv) is Fraction:
            if xv == 1:
                return _ZERO
            exact = exact_log(xv, bv) if _may_be_power(xv, bv) else None
            if exact is not None:
                return exact
            num, den = float_ln(xv), float_ln(bv)
        else:
            num = float_ln(xv) if type(xv) is Fraction else math.log(to_float(xv))
            den = float_ln(bv) if type(bv) is Fraction else math.log(to_float(bv))
        if den == 0:
            raise k.overflow(f"log base {format_value(bv)}: 1/ln(base)")
        return k.finite(num / den)

    def unary(self, name: str, u):
        if type(u) is PiMultiple:
            if name in _CIRCULAR:
                return trig_at_pi(name, u.q)
        elif type(u) is Fraction:
            v = exact_unary(name, u)
            if v is not None:
                return v
            if name == "ln":
                return float_ln(u)
        return k.KERNELS[name](to_float(u))


def _may_be_power(x: Fraction, b: Fraction) -> bool:
    """Whether x = b^(p/q) may hold (x, b > 0, x != 1, b != 1): otherwise log_b x is
    irrational and exact_log (a float guess, limit_denominator, two big powers: most of a
    log_9(2)) would find nothing. x^q = b^p with everything reduced makes the numerators
    powers of one another and the denominators too (p > 0), or crosswise (p < 0), and two
    integers of which one is a power of the other are both 1 or share a factor."""
    xn, xd, bn, bd = x.numerator, x.denominator, b.numerator, b.denominator
    return (_related(xn, bn) and _related(xd, bd)) or (_related(xn, bd) and _related(xd, bn))


def _related(m: int, n: int) -> bool:
    """Both 1, or both over 1 with a common factor (necessary for m^q = n^p, p, q >= 1)."""
    return m == n == 1 or (m > 1 and n > 1 and math.gcd(m, n) > 1)


def evaluate_exact(e: Expr, point: Mapping[str, object]) -> Fraction | float:
    """The value of e at an exact point (ints and Fractions): a Fraction while every step
    stays rational, else a float; a multiple of pi left at the end becomes a float."""
    ctx = Exact({})
    ctx.env = {name: ctx.fit(Fraction(v)) for name, v in point.items()}
    v = ctx.ev(e)
    return to_float(v) if type(v) is PiMultiple else v


# ---------------------------------------------------------------- the rational fast path

class _Bail(Exception):
    """The fast rational path gives up: the full evaluator decides (and raises, if it must)."""


#: bits a number of the fast path may reach (numerator or denominator, not reduced): far under
#: MAX_BITS, so where the fast path answers, the full evaluator's `fit` would have kept every
#: number exact too (a reduced fraction is never longer than its unreduced parts)
PAIR_BITS = 1024


def rational_fast(e: Expr, env: Mapping[str, object]) -> Fraction | None:
    """evaluate_exact(e, env) for a tree of numbers, variables, + - * / and integer powers
    whose numbers stay under PAIR_BITS bits, or None (anything else, any error, a zero
    divisor, a number past the bound: the caller runs evaluate_exact, which decides and
    raises exactly as before). Why: it computes with unreduced integer pairs, one reduction
    at the end, where evaluate_exact makes a Fraction (a gcd and a Python-level __new__) at
    every node; the grader evaluates a rational answer at 8 exact points per comparison.
    The value is the same exact rational, so the same Fraction."""
    work = [0]   # as Exact.work: bits of the numbers over 64 bits, counted where it counts them
    pairs = {}
    try:
        for name, v in env.items():
            q = Fraction(v)
            pairs[name] = n, d = fraction_parts(q)
            _big(n, d, work)
        n, d = _pair(e, pairs, work)
    except (_Bail, RecursionError):
        return None
    return Fraction(n, d)


def _big(n: int, d: int, work: list) -> None:
    bits = max(n.bit_length(), d.bit_length())
    if bits > 64:
        work[0] += bits
        if bits > PAIR_BITS or work[0] > WORK_BUDGET:
            raise _Bail


def _pair(e: Expr, env: dict, work: list) -> tuple[int, int]:
    """(numerator, nonzero denominator) of e, unreduced; the operands in evaluate_exact's order."""
    t = type(e)
    if t is Num:
        n, d = fraction_parts(e.value)
        if not (-_WORD < n < _WORD and d < _WORD):
            _big(n, d, work)
        return n, d
    if t is Sym:
        got = env.get(e.name)
        if got is None:
            raise _Bail
        return got
    if t is Add or t is Mul:
        items = e.terms if t is Add else e.factors
        if not items:
            raise _Bail
        n, d = _pair(items[0], env, work)
        for item in items[1:]:
            m, q = _pair(item, env, work)
            if t is Mul:
                n, d = n * m, d * q
            elif d == q:
                n = n + m
            else:
                n, d = n * q + m * d, d * q
            _big(n, d, work)
        return n, d
    if t is Neg:
        n, d = _pair(e.arg, env, work)
        return -n, d
    if t is Div:
        n, d = _pair(e.num, env, work)
        m, q = _pair(e.den, env, work)
        if m == 0:
            raise _Bail   # division by zero: evaluate_exact raises it
        n, d = n * q, d * m
        _big(n, d, work)
        return n, d
    if t is Pow:
        n, d = _pair(e.base, env, work)
        x = e.exp
        sign = 1
        if type(x) is Neg:
            x, sign = x.arg, -1
        if type(x) is not Num:
            raise _Bail
        p, q = fraction_parts(x.value)
        if q != 1:
            raise _Bail
        p *= sign
        if p == 0:
            return 1, 1   # x^0 = 1 for every x, as evaluate_exact
        if n == 0 or max(n.bit_length(), d.bit_length()) * abs(p) > PAIR_BITS:
            raise _Bail   # 0 to a negative power, or past the bound: evaluate_exact decides
        n, d = (n ** p, d ** p) if p > 0 else (d ** -p, n ** -p)
        _big(n, d, work)
        return n, d
    raise _Bail
