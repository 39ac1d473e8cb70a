"""LaTeX parser: meaning (SymPy oracle), exact structure for precedence, errors with
position and code, agreement with the calculator parser, limits and the printer round trip."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings

from conftest import numerically_equal, to_sympy
from strategies import exprs
from tutor.errors import LimitError, ParseError
from tutor.expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym)
from tutor.limits import MAX_DEPTH, MAX_INPUT_CHARS
from tutor.language.latex import FUNCTION_ALIASES, KNOWN_COMMANDS, parse_latex

x, y, z, a, b, u, v, w = (Sym(n) for n in "xyzabuvw")
E, PI = Const("e"), Const("pi")


def N(n, d=1):
    return Num(Fraction(n, d))


_GREEK_LOCALS = {n: sympy.Symbol(n) for n in (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lam mu nu xi rho sigma tau "
    "upsilon phi chi psi omega Gamma Theta Pi w1 w2 w11 x_a theta1 e2").split()}
_GREEK_LOCALS.update(lam=sympy.Symbol("lambda"), E=sympy.E, pi=sympy.pi, H=sympy.Heaviside,
                     D=sympy.Derivative)

# ------------------------------------------------------------------ meaning (oracle)

MEANING = [
    # fractions and roots
    (r"\frac{a}{b}", "a/b"), (r"\dfrac{1}{x}", "1/x"), (r"\tfrac{x}{2}", "x/2"),
    (r"\frac12", "1/2"), (r"\frac{1}{2}x", "x/2"), (r"\frac x2", "x/2"),
    (r"\sqrt{x}", "sqrt(x)"), (r"\sqrt[3]{x}", "x**(1/3)"), (r"\sqrt[n]{x}", "x**(1/n)"),
    (r"\sqrt{x^{2}+1}", "sqrt(x**2+1)"), (r"\sqrt2 x", "sqrt(2)*x"),
    # powers
    (r"x^{2}", "x**2"), (r"x^2", "x**2"), (r"x^{-1}", "1/x"), (r"x^23", "3*x**2"),
    (r"e^{x}", "exp(x)"), (r"e^x", "exp(x)"), (r"2^{3^{2}}", "512"), (r"x^{\frac{1}{2}}", "sqrt(x)"),
    (r"x^\pi", "x**pi"), (r"\left(x+1\right)^{2}", "(x+1)**2"), (r"{x}^{3}", "x**3"),
    # exp, ln, log
    (r"\exp x", "exp(x)"), (r"\exp\left(x\right)", "exp(x)"), (r"\ln x", "log(x)"),
    (r"\log x", "log(x)"), (r"\log_{2} x", "log(x, 2)"), (r"\log_2 x", "log(x, 2)"),
    (r"\log_{b}\left(x\right)", "log(x, b)"), (r"\log_{10} x", "log(x, 10)"),
    (r"\log_{10}\left(x\right)", "log(x, 10)"), (r"\ln^{2} x", "log(x)**2"),
    (r"\log_2^2 x", "log(x, 2)**2"),
    # trig and friends, every argument form
    (r"\sin x", "sin(x)"), (r"\sin\left(x\right)", "sin(x)"), (r"\sin(x)", "sin(x)"),
    (r"\sin{x}", "sin(x)"), (r"\sin^2 x", "sin(x)**2"), (r"\sin^{2} x", "sin(x)**2"),
    (r"\sin^{2}\left(x\right)", "sin(x)**2"), (r"\cos\left(x\right)^{2}", "cos(x)**2"),
    (r"\sin^{-1} x", "asin(x)"), (r"\cos^{-1} x", "acos(x)"), (r"\tan^{-1}(x)", "atan(x)"),
    (r"\sec^{-1} x", "asec(x)"), (r"\csc^{-1} x", "acsc(x)"), (r"\cot^{-1} x", "acot(x)"),
    (r"\sinh^{-1} x", "asinh(x)"), (r"\cosh^{-1} x", "acosh(x)"), (r"\tanh^{-1} x", "atanh(x)"),
    (r"\operatorname{sech}^{-1} x", "asech(x)"), (r"\arcsin x", "asin(x)"),
    (r"\arccos x", "acos(x)"), (r"\arctan\left(x\right)", "atan(x)"),
    (r"\operatorname{arcsec}\left(x\right)", "asec(x)"), (r"\operatorname{arccsc} x", "acsc(x)"),
    (r"\operatorname{arccot} x", "acot(x)"), (r"\operatorname{asin} x", "asin(x)"),
    (r"\operatorname{acot}(x)", "acot(x)"), (r"\sinh x", "sinh(x)"), (r"\cosh x", "cosh(x)"),
    (r"\tanh x", "tanh(x)"), (r"\coth x", "coth(x)"), (r"\operatorname{sech} x", "sech(x)"),
    (r"\operatorname{csch} x", "csch(x)"), (r"\operatorname{arsinh} x", "asinh(x)"),
    (r"\operatorname{arcsinh} x", "asinh(x)"), (r"\operatorname{asinh} x", "asinh(x)"),
    (r"\operatorname{arcosh} x", "acosh(x)"), (r"\operatorname{artanh} x", "atanh(x)"),
    (r"\operatorname{arsech} x", "asech(x)"), (r"\operatorname{arcsch} x", "acsch(x)"),
    (r"\operatorname{arcoth} x", "acoth(x)"), (r"\sec x", "sec(x)"), (r"\csc x", "csc(x)"),
    (r"\cot x", "cot(x)"), (r"\tan x", "tan(x)"),
    # brackets, absolute values
    (r"\left( x + 1 \right)", "x+1"), (r"\left[ x+1 \right] y", "(x+1)*y"),
    (r"\bigl( x \bigr)", "x"), (r"\Bigl[ x \Bigr]", "x"), (r"\left\{ x \right\}", "x"),
    (r"\left| x \right|", "Abs(x)"), (r"|x|", "Abs(x)"), (r"\lvert x \rvert", "Abs(x)"),
    (r"|x| |y|", "Abs(x)*Abs(y)"), (r"|x - |y||", "Abs(x - Abs(y))"), (r"2|x|", "2*Abs(x)"),
    (r"\sin |x|", "sin(Abs(x))"), (r"\left\lvert x\right\rvert", "Abs(x)"),
    # operators
    (r"a \cdot b", "a*b"), (r"a \times b", "a*b"), (r"a * b", "a*b"), (r"a \div b", "a/b"),
    (r"a / b", "a/b"), (r"a - b", "a-b"), (r"-2", "-2"), (r"-x^2", "-x**2"),
    (r"2 \cdot 3", "6"), (r"a - -b", "a+b"), (r"+x", "x"),
    # constants and names
    (r"\pi", "pi"), (r"2\pi r", "2*pi*r"), (r"e", "E"), (r"\mathrm{e}", "E"),
    (r"\operatorname{e}^{x}", "exp(x)"), (r"\theta", "theta"), (r"\Theta", "Theta"),
    (r"\alpha \beta", "alpha*beta"), (r"\lambda", "lam"), (r"\varepsilon", "epsilon"),
    (r"\Pi", "Pi"), (r"w_1", "w1"), (r"w_{1}", "w1"), (r"w_{11}", "w11"), (r"x_{a}", "x_a"),
    (r"x_a", "x_a"), (r"\theta_1", "theta1"), (r"w_1 w_2", "w1*w2"), (r"x^{1}", "x"),
    (r"xy", "x*y"), (r"w1", "w1"), (r"e2", "e2"),
    # numbers
    (r"0.25", "1/4"), (r"3{,}5", "7/2"), (r"12", "12"), (r".5", "1/2"),
    # relu, max, min
    (r"\operatorname{relu}\left(x\right)", "Max(0, x)"), (r"\mathrm{relu}(x)", "Max(0, x)"),
    (r"\max\left(a, b\right)", "Max(a, b)"), (r"\min(a, b, c)", "Min(a, b, c)"),
    (r"\operatorname{ReLU}(x)", "Max(0, x)"),
    # spacing and invisible delimiters
    (r"x \, y", "x*y"), (r"x\;y\quad z", "x*y*z"), (r"x\!y", "x*y"), (r"x~y", "x*y"),
    (r"\left. x \right.", "x"), (r"\displaystyle \frac{1}{x}", "1/x"), (r"x\ y", "x*y"),
    (r"$x^{2}$", "x**2"), (r"$$\frac{1}{w^{2}}$$", "1/w**2"),
    # implicit products and bare function arguments
    (r"x \sin x", "x*sin(x)"), (r"\sin x \cos x", "sin(x)*cos(x)"), (r"\sin 2x", "sin(2*x)"),
    (r"\sin x^2", "sin(x**2)"), (r"\sin \cos x", "sin(cos(x))"), (r"\sin -x", "sin(-x)"),
    (r"\sin x \cos(x)", "sin(x)*cos(x)"), (r"\sin\left(x^{2}\right) e^{x}", "sin(x**2)*exp(x)"),
    (r"3x^3 - 3x + 5", "3*x**3 - 3*x + 5"), (r"2 \sin x + \cos 2x", "2*sin(x) + cos(2*x)"),
    (r"\frac{\sin x}{x}", "sin(x)/x"), (r"\sin x / x", "sin(x)/x"),
    # derivatives
    (r"\frac{d}{dx}\left[x^{2}\right]", "D(x**2, x)"), (r"\frac{d}{dx} x^2", "D(x**2, x)"),
    (r"\frac{d}{dx}(x^2)", "D(x**2, x)"), (r"\frac{d}{dx} x \sin x", "D(x*sin(x), x)"),
    (r"\frac{\partial}{\partial x}\left[x^2 y\right]", "D(x**2*y, x)"),
    (r"\frac{d^{2}}{dx^{2}}\left[x^{3}\right]", "D(x**3, (x, 2))"),
    (r"\frac{\partial^{2}}{\partial x^{2}} x^3 y", "D(x**3*y, (x, 2))"),
    (r"\frac{d}{dw_{1}} w_1^2", "D(w1**2, w1)"), (r"\frac{\mathrm{d}}{\mathrm{d}t} t^2", "D(t**2, t)"),
    (r"\frac{d}{dt}(\ln t)", "D(log(t), t)"), (r"\frac{d}{dx}\left[x\right] + 1", "D(x, x) + 1"),
    # indicators
    (r"\left[u > v\right]", "H(u - v, 0)"), (r"[u \geq v]", "H(u - v, 1)"),
    (r"\left[u \leq v\right]", "H(v - u, 1)"), (r"[u < v]", "H(v - u, 0)"),
    (r"\mathbb{1}\left[u > v\right]", "H(u - v, 0)"), (r"\mathbb{I}[x > 0]", "H(x, 0)"),
    (r"[x \ge 0] x", "H(x, 1)*x"), (r"\mathbb{1}_{\{x > 0\}}", "H(x, 0)"),
]


@pytest.mark.parametrize("latex, expected", MEANING)
def test_meaning(latex, expected):
    got = to_sympy(parse_latex(latex))
    want = sympy.sympify(expected, locals=_GREEK_LOCALS)
    if isinstance(got, sympy.Derivative) or isinstance(want, sympy.Derivative):
        assert got == want or sympy.simplify(got.doit() - want.doit()) == 0
        return
    assert sympy.simplify(got - want) == 0 or numerically_equal(got, want)


def test_meaning_table_is_large():
    assert len(MEANING) >= 100


# ------------------------------------------------------------------ exact structure

STRUCTURE = [
    (r"a - b", Add((a, Neg(b)))),
    (r"a + b - c", Add((a, b, Neg(Sym("c"))))),
    (r"-x^2", Neg(Pow(x, N(2)))),
    (r"-2", Neg(N(2))),
    (r"-2x", Neg(Mul((N(2), x)))),
    (r"a \cdot b \cdot c", Mul((a, b, Sym("c")))),
    (r"a \cdot b / c \cdot d", Mul((Div(Mul((a, b)), Sym("c")), Sym("d")))),
    (r"2x \cdot 3y", Mul((Mul((N(2), x)), Mul((N(3), y))))),
    (r"1 / 2x", Div(N(1), Mul((N(2), x)))),
    (r"\frac{1}{2}x", Mul((Div(N(1), N(2)), x))),
    (r"2\pi r", Mul((N(2), PI, Sym("r")))),
    (r"xy", Mul((x, y))),
    (r"x^{y^{z}}", Pow(x, Pow(y, z))),
    (r"\sin x \cos x", Mul((Call("sin", (x,)), Call("cos", (x,))))),
    (r"\sin 2x", Call("sin", (Mul((N(2), x)),))),
    (r"\sin x^2", Call("sin", (Pow(x, N(2)),))),
    (r"x \sin x", Mul((x, Call("sin", (x,))))),
    (r"\sin^2 x", Pow(Call("sin", (x,)), N(2))),
    (r"\sin\left(x\right)^{2}", Pow(Call("sin", (x,)), N(2))),
    (r"\sin -x", Call("sin", (Neg(x),))),
    (r"\sin \cos x", Call("sin", (Call("cos", (x,)),))),
    (r"\sin 2 \cos x", Mul((Call("sin", (N(2),)), Call("cos", (x,))))),
    (r"\sin x y", Call("sin", (Mul((x, y)),))),
    (r"\sin(x) y", Mul((Call("sin", (x,)), y))),
    (r"\sqrt[3]{x}", Call("cbrt", (x,))),
    (r"\sqrt[4]{x}", Call("root", (x, N(4)))),
    (r"\log x", Call("ln", (x,))),
    (r"\log_{10} x", Call("log", (x, N(10)))),
    (r"\log_{b}\left(x\right)", Call("log", (x, b))),
    (r"0.25", N(1, 4)),
    (r"3{,}5", N(7, 2)),
    (r"e^{x}", Pow(E, x)),
    (r"e_1", Sym("e1")),
    (r"w_{1}", Sym("w1")),
    (r"x_{ab}", Sym("x_ab")),
    (r"\left(x\right)", x),
    (r"\frac{d}{dx}\left[x^{2}\right]", Derivative(Pow(x, N(2)), "x", 1, False)),
    (r"\frac{d}{dx}\left[x y\right]", Derivative(Mul((x, y)), "x", 1, True)),
    (r"\frac{\partial}{\partial x}\left[x\right]", Derivative(x, "x", 1, True)),
    (r"\frac{d}{dx}\left[x\right] y", Mul((Derivative(x, "x", 1, False), y))),
    (r"\frac{d}{dx} x y", Derivative(Mul((x, y)), "x", 1, True)),
    (r"2\frac{d}{dx}\left[x\right]", Mul((N(2), Derivative(x, "x", 1, False)))),
    (r"\frac{d^2}{dx^2} x^3", Derivative(Pow(x, N(3)), "x", 2, False)),
    (r"\frac{\partial^2}{\partial x \partial y} x y",
     Derivative(Derivative(Mul((x, y)), "y", 1, True), "x", 1, True)),
    (r"\frac{d}{dx}\frac{d}{dx} x^3",
     Derivative(Derivative(Pow(x, N(3)), "x", 1, False), "x", 1, False)),
    (r"\frac{d}{2}", Div(Sym("d"), N(2))),
    (r"\left[u > v\right]", Indicator(u, ">", v)),
    (r"[u \geq v]", Indicator(u, ">=", v)),
    (r"[u \leqslant v]", Indicator(u, "<=", v)),
    (r"\mathbb{1}[u \lt v]", Indicator(u, "<", v)),
    (r"\max\left(a, b\right)", Call("max", (a, b))),
    (r"|x|", Call("abs", (x,))),
    (r"(x+1)(x-1)", Mul((Add((x, N(1))), Add((x, Neg(N(1))))))),
]


@pytest.mark.parametrize("latex, tree", STRUCTURE)
def test_structure(latex, tree):
    assert parse_latex(latex) == tree


# ------------------------------------------------------------------ errors

ERRORS = [
    # (input, code, message, line, column)
    (r"\sinx", "unknown-command", r"unknown command \sinx", 1, 1),
    (r"x + \foo", "unknown-command", r"unknown command \foo", 1, 5),
    ("x +\n\\sni x", "unknown-command", r"unknown command \sni", 2, 1),
    (r"\text{x}", "unknown-command", r"unknown command \text", 1, 1),
    (r"\\", "unknown-command", r"unknown command \\", 1, 1),
    (r"\operatorname{sinc} x", "unknown-function", r"unknown function \operatorname{sinc}", 1, 1),
    (r"\mathbb{R}", "unknown-command", r"\mathbb is only understood as the indicator \mathbb{1}", 1, 1),
    (r"\frac{1}{2", "unbalanced", "'{' is never closed", 1, 9),
    (r"x + \left( x", "unbalanced", r"'\left(' is never closed", 1, 5),
    (r"(x]", "unbalanced", "'(' is never closed (']' found instead)", 1, 1),
    (r"x)", "unbalanced", "')' has no matching opener", 1, 2),
    (r"\left( x )", "unbalanced", r"'\left(' is never closed (')' found instead)", 1, 1),
    (r"x^-1", "syntax", "unexpected '-'", 1, 3),
    (r"x > 0", "syntax", "unexpected '>'", 1, 3),
    (r"x +", "syntax", "the expression ends too early", 1, 4),
    (r"x^{2}^{3}", "syntax", "unexpected '^'", 1, 6),
    (r"\cdot x", "syntax", r"unexpected '\\cdot'", 1, 1),
    (r"a, b", "syntax", "unexpected ','", 1, 2),
    (r"x'", "syntax", "unexpected character \"'\"", 1, 2),
    (r"a = b", "syntax", "unexpected character '='", 1, 3),
    (r"\left( x \right]", "syntax", r"unexpected '\\right]'", 1, 10),
    ("", "empty", "empty expression", 1, 1),
    (r"\ln^{-1} x", "ambiguous-inverse", r"'^{-1}' on \ln is ambiguous", 1, 1),
    (r"\frac{d}{dx}", "derivative", "the derivative operator needs an expression after it", 1, 1),
    (r"\frac{d}{dx} + x", "derivative", "the derivative operator needs an expression after it", 1, 1),
    (r"\partial x", "derivative", r"\partial only belongs in a derivative", 1, 1),
    (r"\frac{dy}{dx}", "derivative", "a derivative written as a single fraction is not supported", 1, 1),
    (r"\frac{d^2}{dx} x", "derivative", "the orders of the derivative's top and bottom differ", 1, 1),
    (r"\frac{\partial}{d x} x", "derivative", r"the derivative's denominator must be d x (or \partial x)", 1, 1),
    (r"\max(a)", "arity", r"\max needs at least two arguments", 1, 1),
]


@pytest.mark.parametrize("text, code, message, line, column", ERRORS)
def test_errors(text, code, message, line, column):
    with pytest.raises(ParseError) as info:
        parse_latex(text)
    err = info.value
    assert (err.code, err.message, err.line, err.column) == (code, message, line, column)
    assert err.text == text
    assert err.hint or code == "limit"


HINTS = [
    (r"\sinx", r"put a space after \sin: \sin x"),
    (r"\sni x", r"did you mean \sin or \psi or \Psi?"),
    (r"\operatorname{sinc} x", "did you mean sin or sinh or asin?"),
    (r"x^-1", "put a negative exponent in braces: x^{-1}"),
    (r"x > 0", r"a comparison is only allowed inside an indicator: \left[u > v\right]"),
    (r"\frac{1}{2", "add the matching '}'"),
]


@pytest.mark.parametrize("text, hint", HINTS)
def test_hints(text, hint):
    with pytest.raises(ParseError) as info:
        parse_latex(text)
    assert info.value.hint == hint


def test_error_renders_a_caret():
    with pytest.raises(ParseError) as info:
        parse_latex(r"x + \foo")
    assert str(info.value).splitlines()[1:3] == [r"  x + \foo", "      ^"]


def test_limits():
    with pytest.raises(LimitError) as info:
        parse_latex("x" * (MAX_INPUT_CHARS + 1))
    assert info.value.code == "limit"
    with pytest.raises(LimitError) as info:
        parse_latex("{" * (MAX_DEPTH + 1) + "x" + "}" * (MAX_DEPTH + 1))
    assert (info.value.line, info.value.column) == (1, MAX_DEPTH + 1)
    with pytest.raises(LimitError):  # deep without brackets: unary minus chain
        parse_latex("-" * (MAX_DEPTH + 5) + "x")
    assert parse_latex("{" * 3000 + "x" + "}" * 3000) == x


def test_not_a_string():
    with pytest.raises(ParseError):
        parse_latex(None)


def test_long_inputs_are_linear():
    t = parse_latex("+".join(["x^{2}"] * 5000))
    assert isinstance(t, Add) and len(t.terms) == 5000
    assert parse_latex("x" * 20000) == Mul((x,) * 20000)


def test_every_function_name_reads():
    for name, canonical in FUNCTION_ALIASES.items():
        assert parse_latex(rf"\operatorname{{{name}}}\left(x\right)") == Call(canonical, (x,))
        if name != "sqrt":
            assert name in KNOWN_COMMANDS
            assert parse_latex(rf"\{name} x") == Call(canonical, (x,))


# ------------------------------------------------------------------ calc and LaTeX agree

CROSS = [
    ("sin(x^2) e^x", r"\sin\left(x^{2}\right) e^{x}"),
    ("1/w^2", r"\frac{1}{w^{2}}"),
    ("sin^2 x", r"\sin^2 x"),
    ("w^2", r"w^{2}"),
    ("2w", r"2w"),
    ("3x^3 - 3x + 5", r"3x^{3} - 3x + 5"),
    ("sin(w1)*w2*(1-w2)", r"\sin\left(w_{1}\right) \cdot w_{2} \cdot \left(1 - w_{2}\right)"),
    ("e^t", r"e^{t}"),
    ("ln(t)", r"\ln t"),
    ("log(x)", r"\log x"),
    ("log_2(x)", r"\log_{2} x"),
    ("log10(x)", r"\log_{10}\left(x\right)"),
    ("sqrt(x)", r"\sqrt{x}"),
    ("cbrt(x)", r"\sqrt[3]{x}"),
    ("exp(x)", r"\exp\left(x\right)"),
    ("asin(x)", r"\arcsin x"),
    ("sin^-1 x", r"\sin^{-1} x"),
    ("asec(x)", r"\operatorname{arcsec}\left(x\right)"),
    ("sech(x)", r"\operatorname{sech} x"),
    ("asinh(x)", r"\operatorname{arsinh} x"),
    ("|x|", r"\left|x\right|"),
    ("relu(x)", r"\operatorname{relu}\left(x\right)"),
    ("max(a, b)", r"\max\left(a, b\right)"),
    ("sin x cos x", r"\sin x \cos x"),
    ("sin 2x", r"\sin 2x"),
    ("x sin x", r"x \sin x"),
    ("-x^2", r"-x^{2}"),
    ("a - b", r"a - b"),
    ("2 * 3 * x", r"2 \cdot 3 \cdot x"),
    ("1/2 x", r"1 / 2x"),
    ("(x+1)^2", r"\left(x + 1\right)^{2}"),
    ("x^(-1)", r"x^{-1}"),
    ("pi r^2", r"\pi r^{2}"),
    ("theta_1", r"\theta_1"),
    ("w_1 x", r"w_{1} x"),
    ("x_a", r"x_{a}"),
    ("0.25 x", r"0.25 x"),
    ("d/dx[x^2 y]", r"\frac{d}{dx}\left[x^{2} y\right]"),
    ("d/dx[x^2]", r"\frac{d}{dx}\left[x^{2}\right]"),
    ("[x > 0]", r"\left[x > 0\right]"),
    ("[u >= v]", r"\left[u \geq v\right]"),
    ("tanh(x)^2", r"\tanh^{2}\left(x\right)"),
    ("sin(x)/x", r"\frac{\sin x}{x}"),
]


@pytest.mark.parametrize("calc, latex", CROSS)
def test_calc_and_latex_agree(calc, latex):
    from tutor import parse_calc
    assert parse_latex(latex) == parse_calc(calc)


# ------------------------------------------------------------------ printer round trip

@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(exprs(max_leaves=12, decimal=False))
def test_printer_round_trip(t):
    from tutor import printing
    assert parse_latex(printing.to_latex(t)) == t


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(exprs(max_leaves=16, decimal=False))
def test_printer_round_trip_long(t):
    from tutor import printing
    assert parse_latex(printing.to_latex(t)) == t


def test_long_variable_names_read_back_as_the_printer_writes_them():
    from tutor import to_latex
    from tutor.errors import ParseError
    for name in ("rate", "Alpha", "speed"):
        assert parse_latex(to_latex(Sym(name))) == Sym(name)
    assert parse_latex(r"\mathit{rate}^{2}") == Pow(Sym("rate"), Num(2))
    with pytest.raises(ParseError, match="would be a variable named sin"):
        parse_latex(r"\mathit{sin} x")


def test_a_long_latex_numeral_is_a_limit_error_not_a_value_error():
    # Fraction(text) refused 4,300 digits with a bare ValueError
    from tutor.errors import LimitError
    from tutor.expr import Num
    import tutor
    assert isinstance(parse_latex("\\;" + "1" * 4_000), Num)
    assert isinstance(parse_latex("\\;" + "1" * 100 + "." + "1" * 3_900), Num)
    for text in ("\\;" + "1" * 4_001, "1" * 4_500):   # printing 4,301 digits was a ValueError
        with pytest.raises(LimitError, match="is too large; the limit is 4,000 digits"):
            tutor.parse(text)
    assert tutor.differentiate("1" * 4_000 + " x").to_text()


def test_a_lone_partial_is_still_refused_without_a_d_in_the_text():
    from tutor.errors import ParseError
    with pytest.raises(ParseError, match=r"\\partial only belongs in a derivative"):
        parse_latex("\\partial x")


# ------------------------------------------------------------------ the fast path of plain sums

from hypothesis import strategies as st  # noqa: E402

_ATOMS = ["x", "y", "e", "d", "q", "x^{2}", "y^3", "z^{12}", "a^{0}"]
_SPACES = ["", " ", "\\,", "\\;", "\\!", "\\quad "]
_terms = st.tuples(st.sampled_from(["", "2", "3", "0.25", "10", "7^{2}"]),
                   st.lists(st.sampled_from(_ATOMS), max_size=4),
                   st.sampled_from(_SPACES)).filter(lambda t: t[0] or t[1]).map(
    lambda t: t[0] + t[2] + (t[2] or " ").join(t[1]))
_sums = st.tuples(st.booleans(), st.lists(st.tuples(st.sampled_from(["+", "-", " + ", " - "]),
                                                    _terms), min_size=8, max_size=30),
                  _terms).map(lambda t: ("-" if t[0] else "") + t[2] + "".join(a + b for a, b in t[1]))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_sums)
def test_the_fast_path_of_plain_sums_reads_what_the_lark_reader_reads(text):
    from tutor.language import latex
    from tutor.language.latex_fast import fast_latex
    fast = fast_latex(text)
    assert (fast is None) == (len(text) < 64)   # short input is Lark's: quick, and the reference
    if fast is not None:
        assert fast == latex._parser().parse(text)


@pytest.mark.parametrize("text", ["x^23", "x2", "lnx", "x^{2}^{3}", "x ^2", "2 3", "x + + y",
                                  "+x", "x -", "\\frac{1}{2}", "x_1", "(x)", "x \\cdot y"])
def test_the_fast_path_declines_what_tex_reads_otherwise(text):
    from tutor.language.latex_fast import fast_latex
    assert fast_latex(text + " + y" * 20) is None
