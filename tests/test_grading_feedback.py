"""Feedback a student can check by hand, and diagnoses that are true."""
import re
from fractions import Fraction

import sympy

from tutor.grade import check

X = sympy.Symbol("x")


def _point(feedback):
    m = re.search(r"at x = (\S+) the derivative is (\S+), your answer gives (\S+)\.", feedback)
    return m and m.groups()


def test_counterexample_is_a_small_integer_with_exact_values():
    v = check("x^2", "4x")
    assert "at x = 2 the derivative is 4, your answer gives 8." in v.feedback
    v = check("x^3", "3x^2 + 1")
    assert _point(v.feedback) == ("2", "12", "13")


def test_counterexample_values_are_true():
    for f, a in [("sin(x^2)", "cos(2x)"), ("ln(x)", "1/x^2"), ("sqrt(x)", "1/sqrt(x)"),
                 ("e^(3x)", "e^(3x)")]:
        x0, want, got = _point(check(f, a).feedback)
        x0 = sympy.Rational(Fraction(x0))
        assert "/" not in str(x0) or x0.q <= 2
        d = sympy.diff(sympy.sympify(f.replace("^", "**").replace("ln", "log").replace("e**", "E**")
                                     .replace("(3x)", "(3*x)").replace("(2x)", "(2*x)")), X)
        assert abs(float(d.subs(X, x0)) - float(Fraction(want))) < 1e-4 * max(1, abs(float(d.subs(X, x0))))


def test_additive_constant_is_not_a_constant_factor():
    v = check("sin(x)", "cos(x) + 0.0000001")
    assert v.verdict == "incorrect"
    assert "times the derivative" not in v.feedback
    assert "constant-factor" not in [d.id for d in v.diagnoses]


def test_a_true_constant_factor_is_still_claimed():
    assert check("x^3", "1.5x^2").diagnoses[0].id == "constant-factor"
    assert "3 times" in check("sin(x)", "3cos(x)").feedback
    assert check("sin(x)", "1.0001 cos(x)").diagnoses == ()
