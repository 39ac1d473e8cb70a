"""evaluation.text.fraction_parts (the evaluators' one-call read of a Fraction's slots) is
(numerator, denominator), for every kind of Fraction the evaluators meet."""
from __future__ import annotations

from fractions import Fraction
from operator import attrgetter

from tutor.evaluation.text import fraction_parts

VALUES = [Fraction(0), Fraction(1), Fraction(-1), Fraction(6, -4), Fraction(2**80, 3),
          Fraction("0.25"), Fraction(-7, 97), Fraction(1.5), Fraction(Fraction(3, 4), 5)]


def test_the_parts_are_numerator_and_denominator():
    for q in VALUES:
        assert fraction_parts(q) == (q.numerator, q.denominator), q
        assert type(fraction_parts(q)[0]) is int and type(fraction_parts(q)[1]) is int


def test_the_fallback_reads_the_properties():
    assert attrgetter("numerator", "denominator")(Fraction(-6, 4)) == fraction_parts(Fraction(-6, 4))


def test_an_int_is_formatted_as_its_fraction():
    """format_value's int path (a counter-example's coordinate) prints what the Fraction path
    prints, up to and past its bound."""
    from tutor.evaluation.text import format_value
    for n in (0, 1, -1, 2, -3, 10**18, 2**64 - 1, 2**64, -(2**64), 2**70, -(2**70)):
        assert format_value(n, 6) == format_value(Fraction(n), 6), n
    assert format_value(True) == "1"


def test_ln_is_the_checked_kernel():
    """kernels' ln (its domain test in place) gives what _checked("ln", math.log) gives."""
    import math

    from tutor.errors import TutorError
    from tutor.evaluation import kernels as k
    general = k._checked("ln", math.log)

    def outcome(fn, x):
        try:
            return "value", fn(x)
        except TutorError as exc:
            return type(exc).__name__, exc.message
    for x in (2.5, 1.0, 1e-300, 0.0, -0.0, -1.0, float("inf"), float("nan"), 1e308, Fraction(3, 2)):
        a, b = outcome(k.KERNELS["ln"], x), outcome(general, x)
        assert a == b or (a[0] == b[0] == "value" and math.isnan(a[1]) and math.isnan(b[1])), x
