"""The MathML printer (tutor/printing/mathml.py): what a browser draws means the expression.

Round trip: to_mathml -> the test-side reader (tests/mathml_reader.py, ElementTree -> SymPy)
-> SymPy agrees with the oracle's view of the tree (conftest.to_sympy), for every vocabulary
function, the precedence cases, and a Hypothesis property over tests/strategies.py trees.
The markup is well-formed XML with only MathML Core elements and attributes.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings

import tutor
from conftest import numerically_equal, to_sympy
from mathml_reader import check_core, read, tag
from strategies import diff_exprs, exprs
from tutor.expr import Call, Derivative, Div, Mul, Neg, Num, Pow, Sym
from tutor.printing.mathml import to_mathml
from tutor.vocabulary import FUNCTIONS

def same(got, want) -> bool:
    """SymPy agrees: the same tree, or a difference that simplifies to 0, or (for the odd
    case simplify cannot decide) the same values at random points."""
    if got == want:
        return True
    got, want = sympy.sympify(got).doit(), sympy.sympify(want).doit()
    if got == want:
        return True
    try:
        if sympy.simplify(got - want) == 0:
            return True
    except Exception:  # noqa: BLE001 - SymPy's simplify can raise on odd trees; fall through
        pass
    return numerically_equal(got, want)


def round_trip(e) -> None:
    markup = to_mathml(e)
    check_core(markup)
    assert same(read(markup), to_sympy(e)), f"{e!r}\n{markup}"


x, y, z, a, b, c = (Sym(n) for n in "xyzabc")


def N(p, q=1):
    return Num(Fraction(p, q))


# ---------------------------------------------------------------- every function of the vocabulary

def _call(name):
    f = FUNCTIONS[name]
    if name == "log":
        return Call("log", (x, Num(Fraction(2))))
    if name == "root":
        return Call("root", (x, Num(Fraction(5))))
    if f.arity is None:
        return Call(name, (x, y, N(1)))
    return Call(name, (x,))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_vocabulary_function_round_trips(name):
    round_trip(_call(name))
    round_trip(Call(name, _call(name).args[:1] + _call(name).args[1:]) if name != "max" else _call(name))
    # composed, and raised to a power (sin²(x), (sech(x))², (√x)²)
    round_trip(Pow(_call(name), N(2)))
    round_trip(Mul((N(3), _call(name))))


@pytest.mark.parametrize("name", ["asin", "acos", "atan", "asec", "acsc", "acot",
                                  "asinh", "acosh", "atanh", "asech", "acsch", "acoth"])
def test_inverse_functions_are_spelled_as_in_print(name):
    word = FUNCTIONS[name].latex.replace("\\operatorname{", "").strip("\\}")
    assert f"<mi>{word}</mi>" in to_mathml(Call(name, (x,)))
    assert word.startswith("ar")


def test_powers_of_functions_print_as_in_the_latex_printer():
    m = to_mathml("sin(x)^2")
    assert "<msup><mi>sin</mi><mn>2</mn></msup><mo>&#x2061;</mo>" in m
    assert "<msup><mi>sin</mi>" not in to_mathml("sin(x^2)")
    # sech has no power form in LaTeX either: bracketed
    assert to_mathml(Pow(Call("sech", (x,)), N(2))).count("(</mo>") == 2


# ---------------------------------------------------------------- precedence

PRECEDENCE_CASES = [
    "a-(b-c)", "(a-b)-c", "a-(-b)", "(a/b)^c", "a/(b/c)", "(a/b)/c", "-x^2", "(-x)^2", "x^(y^z)",
    "(x^y)^z", "sin(x)^2", "sin(x^2)", "sin(x)^(-1)", "1/(1 + 1/x)", "(1/x + 1/y)/(x - 1/y)",
    "sqrt(x + 1)", "sqrt(x)^2", "cbrt(x^2 + 1)", "root(x, n)", "|x - 1|", "|x|^3", "2x", "2*3",
    "2*x*3", "x*2", "3(x + 1)", "(x + 1)(x - 1)", "2 sin(x) cos(x)", "-2x", "-(x + 1)", "2(-x)",
    "x^-2", "x^(1/2)", "x^(-3/2)", "e^(2x)", "e^x^2", "2^x 3^x", "1/2 x", "x/2", "2/3x", "w1^2 w_2",
    "theta^2 + Gamma", "x_a + x_1", "log(x, b)", "log10(x)", "log_4(z)", "ln(x)^2", "max(x, y, 1)",
    "min(x, -x)", "relu(x - 1)", "[x > 0] + [x <= y]", "d/dx[x^2 sin(x)]", "d^2/dx^2[x^3]",
    "∂/∂x[x y]", "(d/dx[x^2])^2", "pi r^2", "2 pi", "0.25 x", "-1/32", "x - -1",
]


@pytest.mark.parametrize("source", PRECEDENCE_CASES)
def test_precedence_round_trips(source):
    round_trip(tutor.parse(source))


@pytest.mark.parametrize("tree", [
    Neg(Num(Fraction(-3))), Num(Fraction(-1, 4)), Mul((Num(Fraction(2)), Div(N(1), x))),
    Mul((x, Num(Fraction(1, 2)))), Pow(Num(Fraction(1, 2)), x), Pow(Div(x, y), N(2)),
    Mul((Div(x, y), Div(y, x))), Div(Div(N(1), x), Div(N(1), y)), Pow(Neg(x), Neg(N(2))),
    Mul((Neg(x), Neg(y))), Pow(Pow(x, N(2)), N(3)), Derivative(Mul((x, y)), "y", 2, True),
])
def test_trees_the_parser_never_makes_round_trip(tree):
    round_trip(tree)


def test_fractions_need_no_brackets_and_exact_rationals_are_fractions():
    m = to_mathml("(x + 1)/(x - 1)")
    assert "<mo>(</mo>" not in m and m.count("<mfrac>") == 1
    assert "<mfrac><mn>1</mn><mn>3</mn></mfrac>" in to_mathml(Num(Fraction(1, 3)))
    assert "<mn>0.25</mn>" not in to_mathml("0.25")


def test_invisible_times_and_function_application():
    assert "<mn>2</mn><mo>&#x2062;</mo><mi>x</mi>" in to_mathml("2x")
    assert "<mi>sin</mi><mo>&#x2061;</mo>" in to_mathml("sin x")
    assert "&#x2062;" not in to_mathml("x + 1") and "&#x2061;" not in to_mathml("x^2 + 1")
    assert "<mo>·</mo>" in to_mathml("x*2")            # x 2 would read as x2


def test_names_greek_and_subscripts():
    assert "<msub><mi>w</mi><mn>1</mn></msub>" in to_mathml("w1")
    assert to_mathml("w_1") == to_mathml("w1")
    assert "<msubsup><mi>w</mi><mn>1</mn><mn>2</mn></msubsup>" in to_mathml("w1^2")
    assert "<mi>θ</mi>" in to_mathml("theta") and "<mi>π</mi>" in to_mathml("pi")
    assert '<mi mathvariant="normal">Γ</mi>' in to_mathml("Gamma")
    assert "<msub><mi>x</mi><mi>a</mi></msub>" in to_mathml("x_a")


def test_derivatives():
    assert "<mfrac><mi mathvariant=\"normal\">d</mi><mrow><mi mathvariant=\"normal\">d</mi>" \
           "<mi>x</mi></mrow></mfrac>" in to_mathml("d/dx[x^2]")
    assert "<msup><mi mathvariant=\"normal\">d</mi><mn>2</mn></msup>" in to_mathml("d^2/dx^2[x^3]")
    assert "<mi>∂</mi>" in to_mathml("∂/∂x[x y]")


def test_display_block_and_string_input():
    assert to_mathml("x").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi>')
    assert to_mathml("x", display=True).startswith(
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')
    assert to_mathml(r"\frac{1}{x}") == to_mathml("1/x")
    assert tutor.to_mathml is to_mathml


def test_text_is_escaped():
    m = to_mathml(Mul((Sym("a<b"), Call("f&g", (Sym("</math>"),)))))
    check_core(m)
    assert "a&lt;b" in m and "f&amp;g" in m and "&lt;/math&gt;" in m
    root = ET.fromstring(m)
    assert [el.text for el in root.iter() if tag(el) == "mi"] == ["a<b", "f&g", "</math>"]


def test_bad_input_is_a_tutor_error():
    with pytest.raises(tutor.ParseError) as info:
        to_mathml("sinn(x)")
    assert info.value.message == "unknown function 'sinn'"
    with pytest.raises(tutor.TutorError):
        to_mathml(object())


def test_deep_trees_print():
    e = x
    for _ in range(3000):
        e = Call("sin", (e,))
    m = to_mathml(e)
    assert m.count("<mi>sin</mi>") == 3000
    ET.fromstring(m)


# ---------------------------------------------------------------- properties

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exprs(max_leaves=10))
def test_round_trip_property(e):
    _assume_sympy_builds(e)
    round_trip(e)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff_exprs(max_leaves=8))
def test_round_trip_property_on_engine_trees(e):
    _assume_sympy_builds(e)
    round_trip(e)


def _assume_sympy_builds(e) -> None:
    """Only trees SymPy can build have an oracle: it refuses max(x, -asin(2)) ("not
    comparable": asin(2) is complex), which both properties drew in random runs."""
    try:
        to_sympy(e)
    except (TypeError, ValueError):
        assume(False)


def test_a_tree_sympy_cannot_build_is_no_oracle():
    """max(x, -asin(2)): SymPy refuses to compare a complex number, so the property above
    skips such trees (it failed on one, drawn at random) and the markup is still MathML Core."""
    e = Call("max", (x, Neg(Call("asin", (N(2),)))))
    with pytest.raises(ValueError):
        to_sympy(e)
    check_core(to_mathml(e))
