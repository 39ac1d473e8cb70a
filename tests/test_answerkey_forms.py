"""Answer-key forms found by trying the tutor as a user (issue 10): |u|^2 = u^2 and its
consequences. Each answer is checked against SymPy's derivative (the oracle), at points where
both are real, and printed as the key prints it."""
from __future__ import annotations

import pytest
import sympy

from conftest import numerically_equal, to_sympy
from tutor import differentiate
from tutor.language import parse
from tutor.printing import to_text

KEYS = [
    ("ln|x|", "1/x"),
    ("ln|cos x|", "-tan(x)"),
    ("ln|sec x + tan x|", "sec(x)"),
    ("cbrt(x^2)", "2/(3 cbrt(x))"),
    ("sqrt(x^4)", "2x"),
    ("|x|^3", "3x |x|"),
    ("2x^3 - 6x", "6x^2 - 6"),
    # factored products stay factored (the key writes 3(...)(10x + 11); SymPy's factor
    # of the derivative is 6(2x + 5)^2 (3x - 1)^3 (7x + 9), which the oracle below confirms)
    ("(3x-1)^4 (2x+5)^3", "6 (3x - 1)^3 (2x + 5)^2 (7x + 9)"),
    ("x^3 + x^2", "3x^2 + 2x"),
    ("x^4 - x^2", "4x^3 - 2x"),
    # a sum of fractions inside a product goes over its common denominator when something
    # then cancels (the product gets shorter)
    ("ln(x + sqrt(x^2 + 1))", "1/sqrt(x^2 + 1)"),
    ("(x+1)/sqrt(x)", "(x - 1)/(2x^(3/2))"),
    ("sqrt(x)/(x+1)", "(1 - x)/(2 sqrt(x) (x + 1)^2)"),
    ("(2+1/x)/(3-1/x)", "-5/(3x - 1)^2"),
]


@pytest.mark.parametrize("f, key", KEYS)
def test_answer_key_form(f, key):
    got = differentiate(f).answer
    assert to_text(got) == key
    assert numerically_equal(to_sympy(got), _oracle(f))


def _oracle(f):
    """SymPy's derivative of f for real x (so that d|x|/dx is sign(x))."""
    x, r = sympy.Symbol("x"), sympy.Symbol("x", real=True)
    return sympy.diff(to_sympy(parse(f)).subs(x, r), r).subs(r, x)


@pytest.mark.parametrize("f", ["x^4", "(x^2)^(2/3)", "sqrt(x^4) x", "|x|^2 + |x|", "|x|^(2/3)"])
def test_even_powers_are_true_for_negative_x(f):
    """u^(2/3) = |u|^(2/3) on all reals (odd roots are real): the rewrite holds at x < 0 too."""
    from tutor import simplify
    e = parse(f)
    x = sympy.Symbol("x")
    real = lambda s: s.replace(lambda a: a.is_Pow and a.exp.is_Rational and a.exp.q % 2 == 1,
                               lambda a: sympy.real_root(a.base, a.exp.q) ** a.exp.p)
    for v in (-3, sympy.Rational(-7, 5), 2):
        a = real(to_sympy(e)).subs(x, v)
        b = real(to_sympy(simplify(e))).subs(x, v)
        assert abs(complex(sympy.N(a - b))) < 1e-12
