"""Printers: golden strings in three notations, the SymPy printer against the oracle, and
round trips through the calculator and LaTeX parsers."""
from __future__ import annotations

import importlib
import pathlib
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings

from conftest import to_sympy as oracle
from strategies import diff_exprs, exprs
from tutor import printing
from tutor.printing.latex import LATEX_GREEK_NAMES
from tutor.printing.sympy_code import sympy_name
from tutor._deep import run_deep
from tutor.errors import TutorError
from tutor.expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym,
                        walk)
from tutor.printing import expr_json, to_latex, to_sympy, to_text, to_tree


def N(p, q=1):
    return Num(Fraction(p, q))


def S(name):
    return Sym(name)


def C(f, *args):
    return Call(f, args)


x, y, n, w1, th = S("x"), S("y"), S("n"), S("w1"), S("theta")
E_, PI_ = Const("e"), Const("pi")

# (tree, text, LaTeX, SymPy code)
GOLDEN = [
    (N(3),
     '3', '3', '3'),
    (N(1, 4),
     '1/4', '\\frac{1}{4}', 'Rational(1, 4)'),
    (N(1, 3),
     '1/3', '\\frac{1}{3}', 'Rational(1, 3)'),
    (N(-2),
     '-2', '-2', '-2'),
    (N(5, 2),
     '5/2', '\\frac{5}{2}', 'Rational(5, 2)'),
    (x,
     'x', 'x', 'x'),
    (w1,
     'w1', 'w_{1}', 'w1'),
    (th,
     'theta', '\\theta', 'theta'),
    (S('x_a'),
     'x_a', 'x_{a}', 'x_a'),
    (S('rate'),
     'rate', '\\mathit{rate}', "Symbol('rate')"),
    (S('gamma'),
     'gamma', '\\gamma', "Symbol('gamma')"),
    (S('Theta'),
     'Theta', '\\Theta', 'Theta'),
    (S('theta1'),
     'theta1', '\\theta_{1}', 'theta1'),
    (E_,
     'e', 'e', 'E'),
    (PI_,
     'pi', '\\pi', 'pi'),
    (Add((x, N(1))),
     'x + 1', 'x + 1', 'x + 1'),
    (Add((x, Neg(y))),
     'x - y', 'x - y', 'x - y'),
    (Add((Neg(x), y)),
     '-x + y', '-x + y', '-x + y'),
    (Add((Add((x, y)), N(1))),
     '(x + y) + 1', '\\left(x + y\\right) + 1', '(x + y) + 1'),
    (Add((x, Neg(Add((y, N(1)))))),
     'x - (y + 1)', 'x - \\left(y + 1\\right)', 'x - (y + 1)'),
    (Add((x, Neg(Neg(y)))),
     'x - (-y)', 'x - \\left(-y\\right)', 'x - (-y)'),
    (Add((x, N(-2))),
     'x - 2', 'x - 2', 'x - 2'),
    (Add((x, Neg(Mul((x, N(2)))))),
     'x - x*2', 'x - x \\cdot 2', 'x - x*2'),
    (Mul((N(2), x)),
     '2x', '2 x', '2*x'),
    (Mul((N(3), Pow(x, N(2)))),
     '3x^2', '3 x^{2}', '3*x**2'),
    (Mul((N(2), C('sin', x))),
     '2 sin(x)', '2 \\sin\\left(x\\right)', '2*sin(x)'),
    (Mul((N(2), Add((x, N(1))))),
     '2(x + 1)', '2 \\left(x + 1\\right)', '2*(x + 1)'),
    (Mul((x, y)),
     'x y', 'x y', 'x*y'),
    (Mul((x, C('sin', x))),
     'x sin(x)', 'x \\sin\\left(x\\right)', 'x*sin(x)'),
    (Mul((w1, S('w2'))),
     'w1 w2', 'w_{1} w_{2}', 'w1*w2'),
    (Mul((x, N(2))),
     'x*2', 'x \\cdot 2', 'x*2'),
    (Mul((N(2), N(3))),
     '2*3', '2 \\cdot 3', '2*3'),
    (Mul((Add((x, N(1))), Add((x, Neg(N(1)))))),
     '(x + 1)(x - 1)', '\\left(x + 1\\right) \\left(x - 1\\right)', '(x + 1)*(x - 1)'),
    (Mul((N(1, 3), x)),
     '(1/3) x', '\\frac{1}{3} x', 'Rational(1, 3)*x'),
    (Mul((x, Neg(N(2)))),
     'x (-2)', 'x \\left(-2\\right)', 'x*(-2)'),
    (Mul((Mul((x, y)), S('z'))),
     '(x y) z', '\\left(x y\\right) z', '(x*y)*z'),
    (Mul((x, N(2), y)),
     'x*2*y', 'x \\cdot 2 \\cdot y', 'x*2*y'),
    (Mul((Div(x, N(2)), y)),
     '(x/2) y', '\\frac{x}{2} y', '(x/2)*y'),
    (Mul((N(2), E_, x)),
     '2e x', '2 e x', '2*E*x'),
    (Mul((N(2), Pow(E_, x))),
     '2e^x', '2 e^{x}', '2*E**x'),
    (Div(Mul((N(2), x)), N(3)),
     '2x/3', '\\frac{2 x}{3}', '2*x/3'),
    (Div(N(1), Mul((N(2), x))),
     '1/(2x)', '\\frac{1}{2 x}', '1/(2*x)'),
    (Div(Add((x, N(1))), x),
     '(x + 1)/x', '\\frac{x + 1}{x}', '(x + 1)/x'),
    (Div(Div(x, y), S('z')),
     'x/y/z', '\\frac{\\frac{x}{y}}{z}', 'x/y/z'),
    (Div(x, Div(y, S('z'))),
     'x/(y/z)', '\\frac{x}{\\frac{y}{z}}', 'x/(y/z)'),
    (Div(Neg(x), N(2)),
     '(-x)/2', '\\frac{-x}{2}', '-x/2'),
    (Div(x, Pow(y, N(2))),
     'x/y^2', '\\frac{x}{y^{2}}', 'x/y**2'),
    (Div(N(1), C('sin', x)),
     '1/sin(x)', '\\frac{1}{\\sin\\left(x\\right)}', '1/sin(x)'),
    (Pow(x, N(2)),
     'x^2', 'x^{2}', 'x**2'),
    (Pow(Add((x, N(1))), N(2)),
     '(x + 1)^2', '\\left(x + 1\\right)^{2}', '(x + 1)**2'),
    (Pow(Pow(x, N(2)), N(3)),
     '(x^2)^3', '\\left(x^{2}\\right)^{3}', '(x**2)**3'),
    (Pow(N(1, 2), x),
     '(1/2)^x', '\\left(\\frac{1}{2}\\right)^{x}', 'Rational(1, 2)**x'),
    (Pow(C('sin', x), N(2)),
     'sin(x)^2', '\\sin^{2}\\left(x\\right)', 'sin(x)**2'),
    (Pow(C('ln', x), N(2)),
     'ln(x)^2', '\\left(\\ln\\left(x\\right)\\right)^{2}', 'log(x)**2'),
    (Pow(x, Add((n, Neg(N(1))))),
     'x^(n - 1)', 'x^{n - 1}', 'x**(n - 1)'),
    (Pow(x, Neg(N(2))),
     'x^(-2)', 'x^{-2}', 'x**(-2)'),
    (Pow(E_, Mul((N(2), x))),
     'e^(2x)', 'e^{2 x}', 'E**(2*x)'),
    (Pow(N(2), Pow(N(3), N(2))),
     '2^(3^2)', '2^{3^{2}}', '2**(3**2)'),
    (Pow(x, N(1, 3)),
     'x^(1/3)', 'x^{\\frac{1}{3}}', 'x**Rational(1, 3)'),
    (Pow(Neg(x), N(2)),
     '(-x)^2', '\\left(-x\\right)^{2}', '(-x)**2'),
    (Pow(x, n),
     'x^n', 'x^{n}', 'x**n'),
    (Pow(E_, x),
     'e^x', 'e^{x}', 'E**x'),
    (Pow(Mul((N(2), x)), N(3)),
     '(2x)^3', '\\left(2 x\\right)^{3}', '(2*x)**3'),
    (Pow(Div(x, y), N(2)),
     '(x/y)^2', '\\left(\\frac{x}{y}\\right)^{2}', '(x/y)**2'),
    (Neg(x),
     '-x', '-x', '-x'),
    (Neg(Add((x, N(1)))),
     '-(x + 1)', '-\\left(x + 1\\right)', '-(x + 1)'),
    (Neg(Mul((N(2), x))),
     '-2x', '-2 x', '-(2*x)'),
    (Neg(Pow(x, N(2))),
     '-x^2', '-x^{2}', '-x**2'),
    (Neg(Neg(x)),
     '-(-x)', '-\\left(-x\\right)', '-(-x)'),
    (Neg(Div(x, N(2))),
     '-x/2', '-\\frac{x}{2}', '-(x/2)'),
    (C('asin', x),
     'asin(x)', '\\arcsin\\left(x\\right)', 'asin(x)'),
    (C('ln', x),
     'ln(x)', '\\ln\\left(x\\right)', 'log(x)'),
    (C('exp', x),
     'exp(x)', '\\exp\\left(x\\right)', 'exp(x)'),
    (C('sqrt', x),
     'sqrt(x)', '\\sqrt{x}', 'sqrt(x)'),
    (C('cbrt', x),
     'cbrt(x)', '\\sqrt[3]{x}', 'cbrt(x)'),
    (C('root', x, n),
     'root(x, n)', '\\sqrt[n]{x}', 'root(x, n)'),
    (C('abs', x),
     '|x|', '\\left|x\\right|', 'Abs(x)'),
    (C('max', x, y),
     'max(x, y)', '\\max\\left(x, y\\right)', 'Max(x, y)'),
    (C('min', x, y, N(0)),
     'min(x, y, 0)', '\\min\\left(x, y, 0\\right)', 'Min(x, y, 0)'),
    (C('relu', x),
     'relu(x)', '\\operatorname{relu}\\left(x\\right)', 'Max(0, x)'),
    (C('log', x, N(10)),
     'log10(x)', '\\log_{10}\\left(x\\right)', 'log(x, 10)'),
    (C('log', x, N(2)),
     'log2(x)', '\\log_{2}\\left(x\\right)', 'log(x, 2)'),
    (C('log', x, N(4)),
     'log_4(x)', '\\log_{4}\\left(x\\right)', 'log(x, 4)'),
    (C('asec', x),
     'asec(x)', '\\operatorname{arcsec}\\left(x\\right)', 'asec(x)'),
    (C('sech', x),
     'sech(x)', '\\operatorname{sech}\\left(x\\right)', 'sech(x)'),
    (C('acosh', x),
     'acosh(x)', '\\operatorname{arcosh}\\left(x\\right)', 'acosh(x)'),
    (C('tanh', x),
     'tanh(x)', '\\tanh\\left(x\\right)', 'tanh(x)'),
    (Indicator(x, '>', N(0)),
     '[x > 0]', '\\left[x > 0\\right]', 'Heaviside(x - 0, 0)'),
    (Indicator(x, '>=', y),
     '[x >= y]', '\\left[x \\geq y\\right]', 'Heaviside(x - y, 1)'),
    (Indicator(x, '<', N(1)),
     '[x < 1]', '\\left[x < 1\\right]', 'Heaviside(1 - x, 0)'),
    (Indicator(Add((x, y)), '<=', N(1)),
     '[x + y <= 1]', '\\left[x + y \\leq 1\\right]', 'Heaviside(1 - (x + y), 1)'),
    (Derivative(Pow(x, N(2)), 'x', 1, False),
     'd/dx[x^2]', '\\frac{d}{dx}\\left[x^{2}\\right]', 'Derivative(x**2, (x, 1))'),
    (Derivative(Mul((x, y)), 'x', 2, True),
     'd^2/dx^2[x y]', '\\frac{\\partial^{2}}{\\partial x^{2}}\\left[x y\\right]', 'Derivative(x*y, (x, 2))'),
    (Derivative(Pow(w1, N(3)), 'w1', 1, False),
     'd/dw1[w1^3]', '\\frac{d}{dw_{1}}\\left[w_{1}^{3}\\right]', 'Derivative(w1**3, (w1, 1))'),
    (Derivative(Pow(th, N(2)), 'theta', 1, False),
     'd/dtheta[theta^2]', '\\frac{d}{d\\theta}\\left[\\theta^{2}\\right]', 'Derivative(theta**2, (theta, 1))'),
]


@pytest.mark.parametrize("tree, text, latex, code", GOLDEN)
def test_golden(tree, text, latex, code):
    assert to_text(tree) == text
    assert to_latex(tree) == latex
    assert to_sympy(tree) == code


@pytest.mark.parametrize("tree, text, latex, code", GOLDEN)
def test_golden_sympy_code_means_the_tree(tree, text, latex, code):
    assert sympy.parse_expr(code) == oracle(tree)


def test_expr_json():
    t = Add((Mul((N(2), x)), Neg(N(1))))
    assert expr_json(t) == {"text": "2x - 1", "latex": "2 x - 1", "sympy": "2*x - 1"}


def test_tree_dump():
    t = Add((Mul((N(2), x)), Pow(C("sin", x), N(1, 2)), Derivative(x, "x", 2, False),
             Indicator(x, ">=", PI_)))
    assert to_tree(t) == "\n".join([
        "Add", "  Mul", "    Num 2", "    Sym x", "  Pow", "    Call sin", "      Sym x",
        "    Num 1/2", "  Derivative x order=2", "    Sym x", "  Indicator >=", "    Sym x",
        "    Const pi"])


def test_empty_and_odd_nodes_print_without_crashing():
    assert to_text(Add(())) == "0" and to_text(Mul(())) == "1"
    assert to_sympy(Mul(())) == "1"
    assert to_text(Mul((Mul((x, N(2))), y))) == "(x*2) y"
    assert to_text(Mul((N(2), Mul((x, N(3)))))) == "2(x*3)"
    assert to_text(Num(Fraction(3, 1024))) == "3/1024"
    assert to_latex(Call("foo", (x, y))) == r"\operatorname{foo}\left(x, y\right)"


def test_not_an_expression_is_a_tutor_error():
    with pytest.raises(TutorError):
        to_text(Add((x, "y")))
    with pytest.raises(TutorError):
        to_tree(Neg(3))


@pytest.mark.parametrize("name", sorted(LATEX_GREEK_NAMES) + [
    "x", "w1", "x_a", "theta1", "E", "I", "N", "O", "Q", "S", "E1", "beta", "gamma", "zeta",
    "lambda", "pi", "Lambda", "Chi", "rate", "abs", "max", "sin", "lambda1", "re", "im", "oo",
    "n_order", "if", "None", "True", "sum", "Symbol"])
def test_sympy_names_read_back_as_symbols(name):
    assert sympy.parse_expr(sympy_name(name)) == sympy.Symbol(name)


def test_module_imports_neither_lark_nor_sympy():
    for path in pathlib.Path(printing.__file__).parent.glob("*.py"):
        src = path.read_text()
        assert "import sympy" not in src and "import lark" not in src
        assert "from lark" not in src and "from sympy" not in src


# ------------------------------------------------------------------ SymPy printer vs oracle

def _no_towers(t):
    """No power inside an exponent: `12^(12^12)` would make SymPy compute a huge integer."""
    return not any(isinstance(p, Pow) and any(isinstance(q, Pow) for q in walk(p.exp))
                   for p in walk(t))


def _check_sympy(t):
    """parse_expr(to_sympy(t)) is the oracle's expression (when SymPy can build it at all:
    Max(0, 0/0) raises inside SymPy, on both sides)."""
    try:
        want = oracle(t)
    except (ValueError, TypeError, ZeroDivisionError):
        assume(False)
    got = sympy.parse_expr(to_sympy(t))
    assert got == want or sympy.simplify(got - want) == 0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exprs(max_leaves=8).filter(_no_towers))
def test_sympy_printer_matches_oracle(t):
    _check_sympy(t)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff_exprs("x", max_leaves=8).filter(_no_towers))
def test_sympy_printer_matches_oracle_on_diff_exprs(t):
    _check_sympy(t)


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=15))
def test_every_printer_handles_every_tree(t):
    for f in (to_text, to_latex, to_sympy, to_tree):
        assert isinstance(f(t), str) and f(t)


# ------------------------------------------------------------------ round trips

def _parser(module: str, name: str):
    return getattr(importlib.import_module(module), name)


def _parser_shaped_numbers(tree, latex=False):
    """Nums that read back as themselves: non-negative integers (a fraction prints p/q in
    both languages, and reads back as a quotient of the same value)."""
    return all(m.value >= 0 and m.value.denominator == 1 for m in walk(tree) if isinstance(m, Num))


@pytest.mark.parametrize("tree, text, latex, code", GOLDEN)
def test_golden_reads_back(tree, text, latex, code):
    """Each golden string reads back to its tree, except where documented: a p/q number
    (text) or any fraction (LaTeX) reads back as a Div, a negative Num as Neg(Num), both
    value-equal; a multi-letter non-Greek name (`rate`) cannot be read back at all."""
    parse_calc = _parser("tutor.language", "parse_calc")
    parse_latex = _parser("tutor.language", "parse_latex")
    if any(isinstance(m, Sym) and m.name == "rate" for m in walk(tree)):
        pytest.skip("multi-letter non-Greek names do not read back")
    for string, parse, latex_mode in ((text, parse_calc, False), (latex, parse_latex, True)):
        back = parse(string)
        if _parser_shaped_numbers(tree, latex_mode):
            assert back == tree, string
        else:
            assert sympy.simplify(oracle(back) - oracle(tree)) == 0, string


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=12, decimal=False))
def test_text_round_trip(t):
    parse_calc = _parser("tutor.language", "parse_calc")
    assert parse_calc(to_text(t)) == t


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=12, decimal=False))
def test_latex_round_trip(t):
    parse_latex = _parser("tutor.language", "parse_latex")
    assert parse_latex(to_latex(t)) == t


# ------------------------------------------------------------------ big and deep trees

def test_long_sum_is_linear():
    terms = tuple(Mul((N(i), Pow(x, N(i)))) if i % 2 else Neg(Pow(y, N(i)))
                  for i in range(1, 10_001))
    big = Add(terms)
    for f in (to_text, to_latex, to_sympy, to_tree):
        assert len(f(big)) > 50_000


@pytest.mark.parametrize("wrap", [Neg, lambda e: Pow(e, N(2)), lambda e: C("sin", e),
                                  lambda e: Mul((N(2), e)), lambda e: Add((e, N(1))),
                                  lambda e: Div(N(1), e)])
def test_ten_thousand_deep(wrap):
    def build():
        e = x
        for _ in range(10_000):
            e = wrap(e)
        return e
    t = run_deep(build)
    outs = [to_text(t), to_latex(t), to_sympy(t), to_tree(t)]
    assert all(len(o) >= 10_000 for o in outs)


@pytest.mark.parametrize("tree, want", [
    (Add((Mul((N(3), Pow(x, N(2)))), Mul((N(2), C("sin", S("theta1")))))), "3x² + 2 sin(θ₁)"),
    (Pow(x, Neg(N(2))), "x⁻²"),
    (Pow(x, Neg(y)), "x^(-y)"),
    (C("sqrt", Add((x, N(1)))), "√(x + 1)"),
    (C("cbrt", x), "∛(x)"),
    (Mul((x, N(2))), "x·2"),
    (Derivative(Mul((x, y)), "x", 2, True), "∂²/∂x²[x y]"),
    (Derivative(x, "w1", 1, False), "d/dw₁[x]"),
    (Pow(Add((x, N(1))), N(3)), "(x + 1)³"),
    (Mul((N(2), PI_, S("w12"))), "2π w₁₂"),
    (Indicator(S("x_a"), ">=", N(0)), "[x_a ≥ 0]"),
])
def test_unicode(tree, want):
    assert printing.to_unicode(tree) == want


@settings(max_examples=150, deadline=None)
@given(diff_exprs("x", max_leaves=10))
def test_diff_exprs_round_trip(t):
    """The engine's test trees are parser-shaped too: both notations read back exactly."""
    assert _parser("tutor.language", "parse_calc")(to_text(t)) == t
    assert _parser("tutor.language", "parse_latex")(to_latex(t)) == t


@pytest.mark.slow
@settings(max_examples=5000, deadline=None)
@given(exprs(max_leaves=30, decimal=False))
def test_text_round_trip_long(t):
    assert _parser("tutor.language", "parse_calc")(to_text(t)) == t
    if _parser_shaped_numbers(t, latex=True):
        assert _parser("tutor.language", "parse_latex")(to_latex(t)) == t


# ------------------------------------------------------------------ brackets and rules' formulas

def test_derivative_binds_as_a_factor_but_not_as_a_base_or_denominator():
    d = Derivative(x, "x", 1, False)
    assert to_text(Mul((N(2), d))) == "2 d/dx[x]"
    assert to_text(Pow(d, N(2))) == "(d/dx[x])^2"
    assert to_text(Div(x, d)) == "x/(d/dx[x])"
    assert to_latex(Pow(d, N(2))) == r"\left(\frac{d}{dx}\left[x\right]\right)^{2}"
    assert printing.PRECEDENCE["Implicit"] < printing.PRECEDENCE["Derivative"] < printing.PRECEDENCE["Pow"]


def test_formulas_print_derivatives_as_primes():
    u, v = S("u"), S("v")
    du, dv = (Derivative(s, "x", 1, False) for s in (u, v))
    lhs, rhs = Derivative(Div(u, v), "x", 1, False), Div(Add((Mul((du, v)), Neg(Mul((u, dv))))), Pow(v, N(2)))
    assert printing.formula_text(lhs, rhs) == "(u/v)' = (u' v - u v')/v^2"
    assert printing.formula_latex(lhs, rhs) == (r"\left(\frac{u}{v}\right)' = "
                                                r"\frac{u' v - u v'}{v^{2}}")
    assert printing.formula_text(Derivative(Indicator(u, ">", v), "x", 1, False), N(0),
                                 printing.Relation(u, "!=", v)) == "[u > v]' = 0 (where u != v)"
    f_of_g = Derivative(C("f", S("g")), "x", 1, False)
    assert printing.formula_latex(f_of_g, C("f'", S("g"))) == \
        r"\left(f\left(g\right)\right)' = f'\left(g\right)"


def test_relations_in_prose_print_in_every_notation():
    r = printing.Relation(C("ln", y), "=", Mul((x, C("ln", x))))
    assert to_text(r) == "ln(y) = x ln(x)"
    assert to_latex(r) == r"\ln\left(y\right) = x \ln\left(x\right)"
    assert to_latex(printing.Relation(x, ">=", N(0))) == r"x \geq 0"
    assert printing.to_unicode(printing.Relation(w1, "!=", N(0))) == "w₁ ≠ 0"
