"""Exact values the simplifier writes in (issue 10, "at a point"): the unit-circle table and
roots of numbers with the perfect powers taken out. SymPy is the oracle for every value."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from conftest import to_sympy
from tutor import simplify
from tutor.expr import Const, Div, Mul, Num
from tutor.language import parse
from tutor.printing import to_text
from tutor.simplifier.values import numeric_root, trig_value

FORMS = [
    ("cos(pi/4)", "sqrt(2)/2"), ("-sin(pi/4)", "-sqrt(2)/2"), ("sec(pi/4)^2", "2"),
    ("sec(pi/4)", "sqrt(2)"), ("tan(pi/6)", "sqrt(3)/3"), ("cos(3pi/4)", "-sqrt(2)/2"),
    ("sin(-pi/3)", "-sqrt(3)/2"), ("cot(pi/4)", "1"), ("cos(pi/3)", "1/2"),
    ("e^(ln(3))", "3"), ("1/sqrt(3/4)", "2/sqrt(3)"), ("sqrt(12)", "2 sqrt(3)"),
    ("2^(3/2)", "2 sqrt(2)"), ("sqrt(1/8)", "1/(2 sqrt(2))"), ("cbrt(16)", "2 cbrt(2)"),
    ("8^(-2/3)", "1/4"), ("sqrt(2)/sqrt(8)", "1/2"),
    # no table value: left as written (a pole is the evaluator's to report)
    ("tan(pi/2)", "tan(pi/2)"), ("sin(pi/5)", "sin(pi/5)"), ("csc(pi)", "csc(pi)"),
]


@pytest.mark.parametrize("text, form", FORMS)
def test_exact_value_forms(text, form):
    got = simplify(parse(text))
    assert to_text(got) == form
    if "pi/2" not in text and text != "csc(pi)":
        assert sympy.simplify(to_sympy(got) - to_sympy(parse(text))) == 0


@pytest.mark.parametrize("f", ["sin", "cos", "tan", "cot", "sec", "csc"])
@pytest.mark.parametrize("k", range(-12, 25))
def test_unit_circle_table_is_true(f, k):
    """Every multiple of pi/12 the table answers is SymPy's exact value; the others are None."""
    q = Fraction(k, 12)
    arg = Mul((Num(q), Const("pi"))) if q.denominator != 1 or q.numerator != 1 else Const("pi")
    got = trig_value(f, arg)
    truth = getattr(sympy, f)(sympy.Rational(q.numerator, q.denominator) * sympy.pi)
    if got is None:
        assert q.denominator not in (1, 2, 3, 4, 6) or truth.has(sympy.zoo) or truth == sympy.zoo
    else:
        assert sympy.simplify(to_sympy(got) - truth) == 0


@pytest.mark.parametrize("c, q", [(Fraction(12), Fraction(1, 2)), (Fraction(3, 4), Fraction(-1, 2)),
                                  (Fraction(72), Fraction(1, 3)), (Fraction(5, 27), Fraction(2, 3)),
                                  (Fraction(10 ** 30 + 7), Fraction(1, 2)), (Fraction(1, 8), Fraction(-5, 2))])
def test_numeric_roots_are_true_and_whole(c, q):
    coef, parts = numeric_root(c, q)
    value = sympy.Rational(coef.numerator, coef.denominator)
    for b, x in parts:
        assert isinstance(b, int) and b > 1 and 0 < abs(x) < 1
        value *= sympy.Integer(b) ** sympy.Rational(x.numerator, x.denominator)
    assert sympy.simplify(value - sympy.Rational(c.numerator, c.denominator) ** sympy.Rational(q.numerator, q.denominator)) == 0


def test_pi_multiple_forms():
    assert to_text(simplify(Div(Mul((Num(Fraction(3)), Const("pi"))), Num(Fraction(4))))) == "3pi/4"
