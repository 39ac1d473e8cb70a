"""The calculator language, row by row (grammar/calc.lark), with SymPy as the oracle."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_corpus, numerically_equal, to_sympy
from tutor.expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym)
from tutor.language import parse, parse_calc

x, y, z, a, b, c = (Sym(n) for n in "xyzabc")
N = Num

# (input, SymPy meaning as a string in SymPy syntax)
ROWS = [
    # numbers
    ("3", "3"), ("0.25", "1/4"), (".5", "1/2"), ("1e-3", "1/1000"), ("2.5E3", "2500"),
    ("1.", "1"), ("12.125", "97/8"), ("3e2", "300"), ("0", "0"), ("-2", "-2"), ("007", "7"),
    ("1E+2", "100"), ("x^2.5", "x**(5/2)"), ("0.1x", "x/10"),
    # sums and products
    ("a + b", "a + b"), ("a - b + c", "a - b + c"), ("(a+b)+c", "a+b+c"), ("a - (b - c)", "a-b+c"),
    ("a*b*c", "a*b*c"), ("a/b/c", "a/(b*c)"), ("a*b/c", "a*b/c"), ("a/b*c", "a*c/b"),
    ("2*-x", "-2*x"), ("-x^2", "-x**2"), ("-2x", "-2*x"), ("--x", "x"), ("x - -y", "x + y"),
    ("2/3x", "2/(3*x)"), ("1/2x", "1/(2*x)"), ("2x/3", "2*x/3"), ("2x*y", "2*x*y"),
    ("x ÷ y", "x/y"), ("x × y", "x*y"), ("x · y", "x*y"), ("−x", "-x"), ("x − 1", "x - 1"),
    # implicit multiplication
    ("2x", "2*x"), ("xy", "x*y"), ("2xy", "2*x*y"), ("x y", "x*y"), ("2 pi r", "2*pi*r"),
    ("(x+1)(x-1)", "(x+1)*(x-1)"), ("2(x+1)", "2*(x+1)"), ("x(x+1)", "x*(x+1)"), ("abc", "a*b*c"),
    ("ab(x+1)", "a*b*(x+1)"), ("[x+1][x-1]", "(x+1)*(x-1)"), ("{x+1}2", "2*(x+1)"),
    ("3 x^2", "3*x**2"), ("x^2 y", "x**2*y"), ("x^2y", "x**2*y"), ("2 3", "6"),
    # powers
    ("x^2", "x**2"), ("x**2", "x**2"), ("x^-2", "x**-2"), ("2^3^2", "2**9"), ("2**3^2", "512"),
    ("x^(1/2)", "sqrt(x)"), ("e^2x", "exp(2)*x"), ("e^(2x)", "exp(2*x)"), ("e^x", "exp(x)"),
    ("x²", "x**2"), ("x³", "x**3"), ("x⁻¹", "1/x"), ("x^-1/2", "1/(2*x)"), ("(x^2)^3", "x**6"),
    ("x^x^x", "x**(x**x)"), ("-2^2", "-4"), ("x^[2]", "x**2"), ("10^-2", "1/100"), ("x²y", "x**2*y"),
    # abs
    ("|x|", "Abs(x)"), ("abs(x)", "Abs(x)"), ("2|x|", "2*Abs(x)"), ("|x^2 - 4|", "Abs(x**2-4)"),
    ("sqrt(|x|)", "sqrt(Abs(x))"), ("|x| |y|", "Abs(x)*Abs(y)"), ("||x|-1|", "Abs(Abs(x)-1)"),
    ("|-x|", "Abs(x)"), ("(|x|)", "Abs(x)"), ("|x|^2", "Abs(x)**2"),
    # functions with and without brackets
    ("sin(x)", "sin(x)"), ("sin x", "sin(x)"), ("sin 2x", "sin(2*x)"), ("sin x^2", "sin(x**2)"),
    ("sin x cos x", "sin(x)*cos(x)"), ("x sin x", "x*sin(x)"), ("sec x tan x", "sec(x)*tan(x)"),
    ("sin x/2", "sin(x)/2"), ("sin -x", "sin(-x)"), ("ln x + 1", "log(x) + 1"),
    ("e^x sin x", "exp(x)*sin(x)"), ("sin(x) cos(x)", "sin(x)*cos(x)"), ("sin cos x", "sin(cos(x))"),
    ("sin x cos(x) y", "sin(x)*cos(x)*y"), ("sin (x+1)", "sin(x+1)"), ("sin x + cos x", "sin(x)+cos(x)"),
    ("2 sin x", "2*sin(x)"), ("sin x*2", "2*sin(x)"), ("sin |x|", "sin(Abs(x))"),
    ("sin [x + 1]", "sin(x+1)"), ("sin 2 x y", "sin(2*x*y)"), ("3x^2 sin 2x", "3*x**2*sin(2*x)"),
    ("sin^2 x", "sin(x)**2"), ("sin^2(x)", "sin(x)**2"), ("sin(x)^2", "sin(x)**2"),
    ("sin²x", "sin(x)**2"), ("sin^2 x^3", "sin(x**3)**2"), ("cos^3(2x)", "cos(2*x)**3"),
    ("sin^-1 x", "asin(x)"), ("sin^(-1)(x)", "asin(x)"), ("sin⁻¹x", "asin(x)"),
    ("cos^-1 x", "acos(x)"), ("tan^-1(x)", "atan(x)"), ("sec^-1 x", "asec(x)"),
    ("csc^-1 x", "acsc(x)"), ("cot^-1 x", "acot(x)"), ("sinh^-1 x", "asinh(x)"),
    ("cosh^-1 x", "acosh(x)"), ("tanh^-1 x", "atanh(x)"), ("sech^-1 x", "asech(x)"),
    ("csch^-1 x", "acsch(x)"), ("coth^-1 x", "acoth(x)"), ("sin(x)^-1", "1/sin(x)"),
    ("ln^2 x", "log(x)**2"), ("sin^{2} x", "sin(x)**2"), ("sin^n x", "sin(x)**n"),
    # names of functions
    ("exp(x)", "exp(x)"), ("exp x", "exp(x)"), ("ln(x)", "log(x)"), ("log(x)", "log(x)"),
    ("log x", "log(x)"), ("log10(x)", "log(x, 10)"), ("log2(x)", "log(x, 2)"),
    ("log_b(x)", "log(x, b)"), ("log_4(z)", "log(z, 4)"), ("log_7 r", "log(r, 7)"),
    ("log_(b)(x)", "log(x, b)"), ("log(x, 7)", "log(x, 7)"), ("log(x, b)", "log(x, b)"),
    ("log_{10} x", "log(x, 10)"), ("log_e x", "log(x)"), ("log_2x", "log(x, 2)"),
    ("sqrt(x)", "sqrt(x)"), ("sqrt x", "sqrt(x)"), ("cbrt(x)", "x**(1/3)"),
    ("root(x, 3)", "x**(1/3)"), ("root(x, n)", "x**(1/n)"), ("√x", "sqrt(x)"), ("√(x+1)", "sqrt(x+1)"),
    ("∛x", "x**(1/3)"), ("2√x", "2*sqrt(x)"),
    ("tan(x)", "tan(x)"), ("sec(x)", "sec(x)"), ("csc(x)", "csc(x)"), ("cot(x)", "cot(x)"),
    ("cosec x", "csc(x)"), ("arcsin(x)", "asin(x)"), ("asin(x)", "asin(x)"),
    ("arccos(x)", "acos(x)"), ("acos(x)", "acos(x)"), ("arctan(x)", "atan(x)"), ("atan(x)", "atan(x)"),
    ("arcsec(x)", "asec(x)"), ("asec(x)", "asec(x)"), ("arccsc(x)", "acsc(x)"),
    ("acsc(x)", "acsc(x)"), ("arccot(x)", "acot(x)"), ("acot(x)", "acot(x)"),
    ("sinh(x)", "sinh(x)"), ("cosh(x)", "cosh(x)"), ("tanh(x)", "tanh(x)"), ("sech(x)", "sech(x)"),
    ("csch(x)", "csch(x)"), ("coth(x)", "coth(x)"), ("arsinh(x)", "asinh(x)"),
    ("arcsinh(x)", "asinh(x)"), ("asinh(x)", "asinh(x)"), ("arcosh(x)", "acosh(x)"),
    ("arccosh(x)", "acosh(x)"), ("artanh(x)", "atanh(x)"), ("arctanh(x)", "atanh(x)"),
    ("arsech(x)", "asech(x)"), ("arcsech(x)", "asech(x)"), ("arcsch(x)", "acsch(x)"),
    ("arccsch(x)", "acsch(x)"), ("arcoth(x)", "acoth(x)"), ("arccoth(x)", "acoth(x)"),
    ("acoth(x)", "acoth(x)"), ("max(a, b)", "Max(a, b)"), ("min(a, b, c)", "Min(a, b, c)"),
    ("relu(x)", "Max(0, x)"), ("max(y*z, y+2x)", "Max(y*z, y + 2*x)"),
    # variables and the letter policy
    ("w1", "w1"), ("x12", "x12"), ("w_1", "w1"), ("w_{1}", "w1"), ("x_a", "x_a"), ("x_ab", "x_ab"),
    ("theta", "theta"), ("alpha", "alpha"), ("Gamma", "Gamma"), ("omega", "omega"),
    ("θ", "theta"), ("α", "alpha"), ("π", "pi"), ("2π", "2*pi"), ("pi", "pi"), ("e", "E"),
    ("sinx", "sin(x)"), ("xsinx", "x*sin(x)"), ("ex", "E*x"), ("pix", "pi*x"),
    ("thetax", "theta*x"), ("xy2", "x*y2"), ("lnx", "log(x)"), ("expx", "exp(x)"),
    ("sinhx", "sinh(x)"), ("arcsinx", "asin(x)"), ("sqrtx", "sqrt(x)"), ("pir^2", "pi*r**2"),
    ("θx", "theta*x"), ("xθ", "x*theta"), ("2xsinx", "2*x*sin(x)"), ("w11*x1", "w11*x1"),
    ("xi", "xi"), ("mu x", "mu*x"), ("sinxcosx", "sin(x)*cos(x)"), ("betax", "beta*x"),
    # derivative operators and indicators
    ("d/dx[x^2]", "Derivative(x**2, x)"), ("d/dx(x^2)", "Derivative(x**2, x)"),
    ("d^2/dx^2[x^3]", "Derivative(x**3, (x, 2))"), ("d/dw1[w1 w2]", "Derivative(w1*w2, w1)"),
    ("∂/∂x[x y]", "Derivative(x*y, x)"), ("d/dx [x]", "Derivative(x, x)"), ("d/d", "1"),
    ("[x > 0]", "Heaviside(x, 0)"), ("[x >= y]", "Heaviside(x - y, 1)"),
    ("[x < 1]", "Heaviside(1 - x, 0)"), ("[x <= 1]", "Heaviside(1 - x, 1)"),
    ("[x ≥ 0]", "Heaviside(x, 1)"), ("[x ≤ 0]", "Heaviside(-x, 1)"), ("2x[x > 0]", "2*x*Heaviside(x, 0)"),
    # whitespace and layout
    ("  x  +  1  ", "x + 1"), ("x\n+ 1", "x + 1"), ("\tsin\tx", "sin(x)"), ("x^2 ** 1", "x**2"),
]

STRUCTURE = [
    ("-x^2", Neg(Pow(x, N(2)))),
    ("2^3^2", Pow(N(2), Pow(N(3), N(2)))),
    ("2/3x", Div(N(2), Mul((N(3), x)))),
    ("1/2x", Div(N(1), Mul((N(2), x)))),
    ("2x/3", Div(Mul((N(2), x)), N(3))),
    ("a - b + c", Add((a, Neg(b), c))),
    ("(a+b)+c", Add((Add((a, b)), c))),
    ("a/b/c", Div(Div(a, b), c)),
    ("a*b*c", Mul((a, b, c))),
    ("a*b/c", Div(Mul((a, b)), c)),
    ("2x*y", Mul((Mul((N(2), x)), y))),
    ("-2x", Neg(Mul((N(2), x)))),
    ("-2", Neg(N(2))),
    ("0.25", N(Fraction(1, 4))),
    ("x^-2", Pow(x, Neg(N(2)))),
    ("x^2y", Mul((Pow(x, N(2)), y))),
    ("e^2x", Mul((Pow(Const("e"), N(2)), x))),
    ("sin^2 x", Pow(Call("sin", (x,)), N(2))),
    ("sin(x)^2", Pow(Call("sin", (x,)), N(2))),
    ("sin^-1 x", Call("asin", (x,))),
    ("sin^(-1)(x)", Call("asin", (x,))),
    ("sinh^-1 x", Call("asinh", (x,))),
    ("sin(x)^-1", Pow(Call("sin", (x,)), Neg(N(1)))),
    ("log(x, 7)", Call("log", (x, N(7)))),
    ("log x", Call("ln", (x,))),
    ("log10(x)", Call("log", (x, N(10)))),
    ("log_b(x)", Call("log", (x, b))),
    ("w_1", Sym("w1")), ("w1", Sym("w1")), ("w_{1}", Sym("w1")), ("x_a", Sym("x_a")),
    ("xy", Mul((x, y))), ("2xy", Mul((N(2), x, y))), ("xy2", Mul((x, Sym("y2")))),
    ("sinx", Call("sin", (x,))), ("xsinx", Mul((x, Call("sin", (x,))))),
    ("sin x cos x", Mul((Call("sin", (x,)), Call("cos", (x,))))),
    ("sin 2x", Call("sin", (Mul((N(2), x)),))),
    ("sin x/2", Div(Call("sin", (x,)), N(2))),
    ("sin -x", Call("sin", (Neg(x),))),
    ("ln x + 1", Add((Call("ln", (x,)), N(1)))),
    ("|x|", Call("abs", (x,))),
    ("pi", Const("pi")), ("e", Const("e")), ("π", Const("pi")), ("θ", Sym("theta")),
    ("d/dx[x^2]", Derivative(Pow(x, N(2)), "x", 1, False)),
    ("d/dx[x y]", Derivative(Mul((x, y)), "x", 1, True)),
    ("d^2/dx^2[x^3]", Derivative(Pow(x, N(3)), "x", 2, False)),
    ("∂/∂x[x^2]", Derivative(Pow(x, N(2)), "x", 1, True)),
    ("[x > 0]", Indicator(x, ">", N(0))),
    ("[x ≥ 0]", Indicator(x, ">=", N(0))),
    ("max(a, b, c)", Call("max", (a, b, c))),
    ("root(x, 3)", Call("root", (x, N(3)))),
    ("relu(x)", Call("relu", (x,))),
    ("d/dx", Div(Sym("d"), Mul((Sym("d"), x)))),
]


def test_table_is_big_enough():
    assert len(ROWS) >= 200


@pytest.mark.parametrize("text,meaning", ROWS)
def test_rows_mean_what_sympy_says(text, meaning):
    got = to_sympy(parse_calc(text))
    want = sympy.sympify(meaning, locals={n: sympy.Symbol(n) for n in
                                          ("beta", "gamma", "Gamma", "xi", "mu", "pi_", "E_")}
                         | {"E": sympy.E, "pi": sympy.pi})
    assert got == want or sympy.simplify(got - want) == 0 or numerically_equal(got, want), (got, want)


@pytest.mark.parametrize("text,tree", STRUCTURE)
def test_exact_structure(text, tree):
    assert parse_calc(text) == tree


def test_calc_and_auto_agree():
    for text, _ in ROWS:
        if "{" not in text:
            assert parse(text, "calc") == parse_calc(text) == parse(text)


def _corpus():
    return [pytest.param(row, id=row["id"]) for name in ("seeds.jsonl", "practice.jsonl")
            for row in load_corpus(name)]


@pytest.mark.parametrize("row", _corpus())
def test_corpus_reads_as_intended(row):
    """The derivative of what we read equals the answer key: that checks the reading."""
    f = to_sympy(parse(row["expr"]))
    real = {s: sympy.Symbol(s.name, real=True) for s in f.free_symbols}  # |x| is real-valued
    var = sympy.Symbol(row["var"], real=True)
    got = sympy.diff(f.subs(real), var, row.get("order", 1))
    want = sympy.sympify(row["expected"], locals={s.name: r for s, r in real.items()})
    assert numerically_equal(got, want), (row["expr"], got, want)


# ------------------------------------------------------------------ generated input

_atoms = st.sampled_from(["x", "y", "2", "0.5", "pi", "e", "w1", "(x+1)", "|x|", "sin(x)", "ln(y)"])


@st.composite
def _texts(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(_atoms)
    op = draw(st.sampled_from([" + ", " - ", "*", "/", "^", " ", "^-"]))
    left, right = draw(_texts(depth - 1)), draw(_texts(depth - 1))
    if op == " ":
        return f"({left})({right})"
    if op.startswith("^"):  # small exponents only: keeps SymPy's side quick
        return f"({left}){op}{draw(st.sampled_from(['2', '3', '(1/2)']))}"
    return f"({left}){op}({right})"


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_texts())
def test_generated_text_matches_sympy_reading(text):
    """Fully bracketed generated input: our reading agrees with SymPy's parser."""
    from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication,
                                            parse_expr, standard_transformations)
    mine = to_sympy(parse(text))
    ref_text = text.replace("ln(", "log(").replace("|x|", "Abs(x)")
    ref = parse_expr(ref_text, local_dict={"e": sympy.E, "pi": sympy.pi, "x": sympy.Symbol("x"),
                                           "y": sympy.Symbol("y"), "w1": sympy.Symbol("w1")},
                     transformations=standard_transformations + (convert_xor, implicit_multiplication))
    assert mine == ref or numerically_equal(mine, ref)
