"""Exact rational arithmetic on untrusted sizes: integer roots and rational powers, bounded.

Why one module: `2^(10^-20)` or `9^(9^9)` typed by a student must not make the tutor compute
a number with 10^20 digits. Every exact power or root in the simplifier and the evaluator goes
through these functions, which refuse (return None) before any step whose cost is out of
bounds (limits.MAX_EXPONENT, limits.MAX_DIGITS).
"""
from __future__ import annotations

from fractions import Fraction

from .limits import MAX_DIGITS, MAX_EXPONENT

__all__ = ["iroot", "exact_power"]

_MAX_ROOT_BITS = 4000   # radicands longer than this are not searched for an exact root


def iroot(n: int, k: int) -> int | None:
    """The exact integer k-th root of n >= 0, or None when n is not a k-th power."""
    if n < 2:
        return n
    bits = n.bit_length()
    if bits > _MAX_ROOT_BITS or k >= bits:
        # 2^k > n: the only candidate root is 1, and 1^k = 1 < n
        return None
    r = int(round(n ** (1.0 / k))) if bits < 1000 else 1 << (bits // k)
    for _ in range(200):  # Newton from any start converges; a few rounds usually suffice
        if r ** k == n:
            return r
        nr = ((k - 1) * r + n // max(1, r ** (k - 1))) // k
        if nr == r:
            break
        r = nr
    for c in (r - 1, r + 1):
        if c >= 0 and c ** k == n:
            return c
    return None


def exact_power(c: Fraction, q: Fraction) -> Fraction | None:
    """c^q exactly, or None when it is not rational, not defined, or too big to write."""
    if q.denominator == 1:
        n = q.numerator
        if c == 0:
            return None if n < 0 else Fraction(0 if n else 1)
        if c in (1, -1):
            return c ** n
        if abs(n) > MAX_EXPONENT:
            return None
        bits = max(abs(c.numerator).bit_length(), c.denominator.bit_length())
        if bits * abs(n) * 0.302 > MAX_DIGITS:
            return None
        return c ** n
    k = q.denominator
    if c < 0 and k % 2 == 0:
        return None
    a, b = iroot(abs(c.numerator), k), iroot(c.denominator, k)
    if a is None or b is None:
        return None
    root = Fraction(a, b) * (-1 if c < 0 else 1)
    return exact_power(root, Fraction(q.numerator))
