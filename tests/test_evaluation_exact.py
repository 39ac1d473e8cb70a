"""tutor/exact.py: the one audited implementation of exact roots, powers and logs on untrusted
sizes (used by the simplifier and the evaluator), and `value_of`, the number a tree is."""
from __future__ import annotations

import random
import time
from fractions import Fraction as F

import pytest

from tutor.exact import (MAX_BITS, bit_size, exact_log, exact_power, iroot, rational_power,
                         rational_root, value_of)
from tutor.expr import Add, Div, Mul, Neg, Num, Pow, Sym, num


def _reference_root(n: int, k: int) -> int | None:
    """Newton from above, unbounded: slow for big k, but plainly right."""
    if n < 2:
        return n
    x = 1 << (n.bit_length() // k + 1)
    while True:
        y = ((k - 1) * x + n // x ** (k - 1)) // k
        if y >= x:
            break
        x = y
    return x if x ** k == n else None


def test_iroot_small_numbers_exhaustively():
    for n in range(0, 1500):
        for k in range(2, 12):
            assert iroot(n, k) == _reference_root(n, k), (n, k)


def test_iroot_perfect_powers_and_neighbours():
    rng = random.Random(8)
    for _ in range(400):
        k = rng.choice([2, 3, 5, 7, 33, 100, 1000, 3000])
        r = rng.getrandbits(rng.randint(1, MAX_BITS // k)) | 1
        n = r ** k
        if n.bit_length() > MAX_BITS:
            continue
        assert iroot(n, k, MAX_BITS) == r
        for m in (n - 1, n + 1):
            assert iroot(m, k, MAX_BITS) == (_reference_root(m, k) if m < 2 else None)


def test_iroot_bounds():
    assert iroot(2 ** 5000, 2) is None                  # past the simplifier's 4000 bits
    assert iroot(2 ** 5000, 2, MAX_BITS) == 2 ** 2500   # the evaluator searches further
    assert iroot(2, 10 ** 20) is None                    # 2^(10^-20): no search at all
    assert iroot(15 ** 1000, 1000) == 15                 # Newton from below never got here


def test_iroot_is_fast_for_large_indices():
    """A thousandth root of a 4000-bit number took 1.2 s when Newton started below the root."""
    rng = random.Random(3)
    start = time.perf_counter()
    for k, bits in ((1000, 3999), (5000, 16000), (33, 16000), (2, 16000), (3, 16000)):
        iroot(rng.getrandbits(bits) | 1 << (bits - 1), k, MAX_BITS)
    assert time.perf_counter() - start < 0.5


def test_rational_root_and_powers():
    assert rational_root(F(16, 81), 4) == F(2, 3)
    assert rational_root(F(2, 9), 2) is None
    assert rational_power(F(8), -2, 3) == F(1, 4)
    assert rational_power(F(1), 10 ** 30, 7) == 1
    assert rational_power(F(7), 5000) == 7 ** 5000            # 14037 bits: within MAX_BITS
    assert rational_power(F(1, 2), 20000) is None              # |p| over MAX_EXPONENT
    assert rational_power(F(2), 1, 10 ** 20) is None           # q over MAX_EXPONENT
    assert rational_power(F(7), 5920) is None                  # over MAX_BITS
    assert exact_power(F(2), F(1, 10 ** 20)) is None
    assert exact_power(F(-8), F(2, 3)) == 4
    assert exact_power(F(-8), F(1, 2)) is None
    assert exact_power(F(0), F(-1)) is None
    assert exact_power(F(-1), F(10 ** 30)) == 1
    assert bit_size(F(-255, 4)) == 8


def test_exact_log():
    assert exact_log(F(8), F(2)) == 3
    assert exact_log(F(4), F(8)) == F(2, 3)
    assert exact_log(F(1, 8), F(2)) == -3
    assert exact_log(F(3), F(2)) is None


def test_value_of_a_tree_of_numbers():
    x = Sym("x")
    assert value_of(Div(Num(F(1)), Num(F(3)))) == F(1, 3)
    assert value_of(Neg(Div(num(2), num(3)))) == F(-2, 3)
    assert value_of(Div(num(2), Add((num(1), num(2))))) == F(2, 3)
    assert value_of(Mul((num(2), num(3), Neg(num(1))))) == -6
    assert value_of(Add((x, num(1)))) is None
    assert value_of(Div(num(1), num(0))) is None
    assert value_of(Pow(num(2), num(3))) is None          # powers are not "written numbers"
    big = Num(F(10 ** 6000))
    assert value_of(Add((big, Neg(big)))) == 0             # intermediates, not leaves, are bounded
    assert value_of(Mul((big, big))) is None


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_iroot_agrees_with_reference_near_float_boundaries(k):
    for bits in (62, 63, 64, 65, 999, 1000, 1001):
        for n in (1 << bits, (1 << bits) - 1, (1 << bits) + 1):
            assert iroot(n, k, MAX_BITS) == _reference_root(n, k)
