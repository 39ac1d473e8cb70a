"""Exact rational arithmetic on untrusted sizes: integer roots, rational powers and logs, bounded.

Why one module: `2^(10^-20)` or `9^(9^9)` typed by a student must not make the tutor compute
a number with 10^20 digits. Every exact power, root or logarithm in the simplifier and the
evaluator goes through these functions, which refuse (return None) before any step whose cost
is out of bounds (limits.MAX_EXPONENT, limits.MAX_DIGITS). One Newton loop (`iroot`) serves
them all.

Two power functions, because their callers differ: `exact_power` (the simplifier's) either
rewrites to a number or leaves the tree alone; `rational_power` (the evaluator's) falls back to
floats, and its sizes are counted in bits (MAX_BITS) as the evaluator counts every number.
"""
from __future__ import annotations

import math
from fractions import Fraction

from .expr import Add, Div, Expr, Mul, Neg, number_of
from .limits import MAX_DIGITS, MAX_EXPONENT

__all__ = ["iroot", "exact_power", "MAX_BITS", "bit_size", "rational_root", "rational_power",
           "exact_log", "float_ln", "value_of"]

_MAX_ROOT_BITS = 4000   # radicands longer than this are not searched for an exact root
MAX_BITS = math.ceil(MAX_DIGITS * math.log2(10))  # an exact number's size limit, in bits
_ONE = Fraction(1)


def bit_size(q: Fraction) -> int:
    """The size of a rational: the bit length of the longer of its two parts."""
    return max(q.numerator.bit_length(), q.denominator.bit_length())


def iroot(n: int, k: int, max_bits: int = _MAX_ROOT_BITS) -> int | None:
    """The exact integer k-th root of n >= 0, or None when n is not a k-th power (or is
    longer than `max_bits` bits, so not searched).

    The root's logarithm from n's top 64 bits is good to about 1e-12: a root under 2^32 is
    then one of two integers, checked directly; a larger one is approached by Newton from
    just above (from below, or from far above, Newton takes about k rounds of k-th powers:
    seconds for a thousandth root of a 4000-bit number)."""
    if n < 2:
        return n
    bits = n.bit_length()
    if bits > max_bits or k >= bits:
        # 2^k > n: the only candidate root is 1, and 1^k = 1 < n
        return None
    shift = max(0, bits - 64)
    e = (math.log2(n >> shift) + shift) / k   # log2 of the root
    if e < 32:
        r = int(2.0 ** e)
        for c in (r, r + 1, r - 1):
            if c > 0 and c ** k == n:
                return c
        return None
    low = max(0, int(e) - 60)
    x = int(2.0 ** (e - low)) << low
    x += (x >> 30) + 1                        # above the root: Newton now only descends
    while True:
        y = ((k - 1) * x + n // x ** (k - 1)) // k
        if y >= x:
            return x if x ** k == n else None
        x = y


def rational_root(q: Fraction, k: int, max_bits: int = _MAX_ROOT_BITS) -> Fraction | None:
    """The exact k-th root of a rational q >= 0 when both its parts are perfect k-th powers."""
    n = iroot(q.numerator, k, max_bits)
    d = iroot(q.denominator, k, max_bits) if n is not None else None
    return None if d is None else Fraction(n, d)


def exact_power(c: Fraction, q: Fraction) -> Fraction | None:
    """c^q exactly, or None when it is not rational, not defined, or too big to write."""
    if q.denominator == 1:
        n = q.numerator
        if n == 1:  # the usual exponent of a number in a product: c itself, no power taken
            return c
        cn, cd = c.numerator, c.denominator  # (ints: a Fraction's comparisons are Python code)
        if cn == 0:
            return None if n < 0 else Fraction(0 if n else 1)
        if cd == 1 and (cn == 1 or cn == -1):  # (+-1)^n, no power taken
            return c if cn == 1 or n % 2 else _ONE
        if abs(n) > MAX_EXPONENT:
            return None
        bits = max(abs(cn).bit_length(), cd.bit_length())
        if bits * abs(n) * 0.302 > MAX_DIGITS:
            return None
        return c ** n
    k = q.denominator
    if c.numerator < 0 and k % 2 == 0:  # the sign by the numerator: cheaper than c < 0
        return None
    root = rational_root(abs(c), k)
    if root is None:
        return None
    return exact_power(-root if c < 0 else root, Fraction(q.numerator))


def rational_power(b: Fraction, p: int, q: int = 1) -> Fraction | None:
    """b^(p/q) exactly (b > 0 when q > 1: the caller takes the sign out), or None when it is
    irrational or past the limits: q or |p| over MAX_EXPONENT, a result over MAX_BITS bits.
    The size is estimated from bit lengths before anything is computed. Every number given
    is at most MAX_BITS long (the evaluator turns longer ones into floats), so roots are
    searched up to that size."""
    if b == 1:
        return _ONE
    if q != 1:
        if q > MAX_EXPONENT:
            return None
        b = rational_root(b, q, MAX_BITS)
        if b is None:
            return None
    if abs(p) > MAX_EXPONENT or bit_size(b) * abs(p) > MAX_BITS:
        return None
    return b ** p


def float_ln(q: Fraction) -> float:
    """ln of a positive rational as a float, also when it is too large or small for a float."""
    if bit_size(q) < 1000:
        return math.log(float(q))
    return math.log(q.numerator) - math.log(q.denominator)


def exact_log(x: Fraction, b: Fraction) -> Fraction | None:
    """log_b x when x = b^(p/q) exactly (log_2 8 = 3, log_8 4 = 2/3): a float guess,
    then an exact check x^q == b^p within the size limits. x, b > 0 and b != 1."""
    ratio = float_ln(x) / float_ln(b)
    if not math.isfinite(ratio):
        return None
    guess = Fraction(ratio).limit_denominator(64)
    p, q = guess.numerator, guess.denominator
    if q * bit_size(x) > MAX_BITS or abs(p) * bit_size(b) > MAX_BITS:
        return None
    return guess if x ** q == b ** p else None


def value_of(e: Expr) -> Fraction | None:
    """The value of a tree written with numbers only (1/3, -2/3, (1+1)/3), else None; None
    too when an intermediate would be over MAX_BITS bits."""
    v = number_of(e)
    if v is not None:
        return v
    match e:
        case Neg(a):
            r = value_of(a)
            return None if r is None else -r
        case Div(n, d):
            a = value_of(n)
            b = value_of(d) if a is not None else None
            if b is None or b == 0:
                return None
            r = a / b
        case Add(parts) | Mul(parts) if parts:
            r = value_of(parts[0])
            for p in parts[1:]:
                v = value_of(p) if r is not None else None
                if v is None:
                    return None
                r = r + v if isinstance(e, Add) else r * v
                if bit_size(r) > MAX_BITS:
                    return None
            if r is None:
                return None
        case _:
            return None
    return r if bit_size(r) <= MAX_BITS else None
