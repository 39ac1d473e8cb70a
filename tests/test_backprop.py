"""Backpropagation: graph (hash-consed), forward values, adjoints, gradient against SymPy and
against the dual-number trace; DOT/TikZ output; errors."""
import json
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import to_sympy
from strategies import diff_exprs
from tutor.routes.backprop import backprop
from tutor.cli import main
from tutor.routes.dual import dual_trace
from tutor.errors import DomainError, TutorError, VariableError


def test_seed_function_gradient():
    b = backprop("max(y z, y + 2x)", "x=2,y=3,z=-1")
    assert b.value == 7
    assert b.gradient == {"y": 1, "z": 0, "x": 2}
    assert b.gradient["x"] == dual_trace("max(y z, y + 2x)", "x", "x=2,y=3,z=-1").derivative


def test_shared_subexpressions_once():
    b = backprop("sin(x y) + cos(x y) + x y", "x=1,y=2")
    assert [n.expr for n in b.graph.nodes].count(b.graph.nodes[2].expr) == 1
    assert sum(1 for n in b.graph.nodes if n.kind == "op" and n.expr == b.graph.nodes[2].expr) == 1
    assert len(b.graph.nodes) == 6  # x, y, x y, sin, cos, sum
    want = 2 * (math.cos(2) - math.sin(2) + 1)
    assert abs(b.gradient["x"] - want) < 1e-12


def test_repeated_operand_and_exact():
    b = backprop("x x + 1/x^2", "x=4")
    assert b.gradient == {"x": Fraction(8) - Fraction(1, 32)}


def test_text_lists_sections():
    text = backprop("x^2 y", "x=1,y=2").to_text()
    for piece in ["Computation graph", "Forward pass", "Backward pass", "v̄4 = 1",
                  "v̄1 = v̄3 · ∂v3/∂v1 = 2 · 2 = 4", "∂f/∂x = v̄1 = 4", "∂f/∂y = v̄2 = 1"]:
        assert piece in text


def test_dot_and_tikz():
    b = backprop("x^2 y", "x=1,y=2")
    dot = b.to_dot()
    assert dot.startswith("digraph backprop {") and "v3 -> v4" in dot and "v1 -> v3" in dot
    tikz = b.to_tikz()
    assert tikz.startswith("% a TikZ picture: needs \\usepackage{tikz}") and "\\begin{tikzpicture}" in tikz and "\\draw[->] (v1) --" in tikz


def test_cli_formats(capsys):
    for fmt in ("text", "latex", "markdown", "dot", "tikz"):
        assert main(["backprop", "relu(w x + b)", "--at", "w=1,x=2,b=-1", "--format", fmt]) == 0
    capsys.readouterr()
    assert main(["backprop", "relu(w x + b)", "--at", "w=1,x=2,b=-1", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["schema"] == "tutor.backprop/1"
    assert d["gradient"]["w"]["exact"] == "2" and d["gradient"]["b"]["exact"] == "1"


def test_relu_kink_note():
    b = backprop("relu(w x + b)", "w=1,x=1,b=-1")
    assert b.gradient == {"w": 1, "x": 1, "b": 1}
    assert b.notes == ("relu is not differentiable at u = 0; the convention u'[u >= 0] "
                       "(the right-hand derivative, 1) is used",)


def test_errors():
    with pytest.raises(VariableError) as exc:
        backprop("x y", "x=1")
    assert exc.value.message == "no value for y: give every variable a value, e.g. x=1,y=1"
    with pytest.raises(VariableError) as exc:
        backprop("x y", "x=1,y=1,t=0")
    assert exc.value.message == "t is not a variable of the expression (its variables: x, y)"
    with pytest.raises(DomainError) as exc:
        backprop("1/x + y", "x=0,y=1")
    assert exc.value.message == "division by zero"
    with pytest.raises(TutorError) as exc:
        backprop("x y", "x")
    assert exc.value.message == "a point is name=value pairs like w=4 or x=1,y=2, not 'x'"


POINTS = [Fraction(3, 7), Fraction(-5, 9), Fraction(6, 5)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff_exprs("x", max_leaves=6), st.sampled_from(POINTS))
def test_backprop_matches_sympy_and_dual(e, a):
    try:
        b = backprop(e, {"x": a})
    except TutorError:
        return
    if b.notes or "x" not in b.gradient:
        return
    got = b.gradient["x"]
    assert got == dual_trace(e, "x", {"x": a}).derivative or \
        abs(float(got) - float(dual_trace(e, "x", {"x": a}).derivative)) <= 1e-12 * max(1, abs(float(got)))
    x = sympy.Symbol("x", real=True)  # over the reals, as tutor works (|u|' = u/|u| u')
    try:
        f = to_sympy(e).subs(sympy.Symbol("x"), x)
        d = complex(sympy.N(sympy.diff(f, x).subs(x, sympy.Rational(a.numerator, a.denominator)), 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return
    if d != d or abs(d.imag) > 1e-12 or not math.isfinite(d.real):
        return
    assert abs(float(got) - d.real) <= 1e-9 * max(1.0, abs(d.real))
    if isinstance(got, Fraction):  # exact means exact
        assert sympy.nsimplify(d.real, rational=True) == sympy.Rational(got.numerator, got.denominator) \
            or abs(float(got) - d.real) < 1e-25


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["x y + sin(x) y^2", "exp(x y) / (1 + y^2)", "max(x y, x + y) + relu(x - 2y)",
                        "ln(x^2 + y^2 + 1) atan(y)"]),
       st.fractions(min_value=-3, max_value=3, max_denominator=7),
       st.fractions(min_value=-3, max_value=3, max_denominator=7))
def test_two_variable_gradient(text, a, c):
    from tutor.language import parse
    e = parse(text)
    try:
        b = backprop(e, {"x": a, "y": c})
    except TutorError:
        return
    if b.notes:
        return
    f = to_sympy(e)
    sub = {sympy.Symbol("x"): sympy.Rational(a.numerator, a.denominator),
           sympy.Symbol("y"): sympy.Rational(c.numerator, c.denominator)}
    for v in ("x", "y"):
        want = float(sympy.N(sympy.diff(f, sympy.Symbol(v)).subs(sub), 30))
        assert abs(float(b.gradient[v]) - want) <= 1e-9 * max(1.0, abs(want))


@pytest.mark.parametrize("f, at, message", [
    ("sin(x) x^3", "x=10^300", "the number 1e+900 is too large for a float (overflow)"),
    ("sin(x y)", "x=10^200,y=10^200", "the number 1e+400 is too large for a float (overflow)"),
    ("e^x", "x=1000", "2.718281828^1000 is too large for a float (overflow)"),
    ("x^x", "x=500", "the number 3.054936363e+1349 is too large for a float (overflow)"),
])
def test_values_past_the_float_range_are_a_tutor_error_never_an_overflow_error(f, at, message):
    from tutor.errors import TutorError
    from tutor.routes.backprop import backprop
    with pytest.raises(TutorError) as info:
        backprop(f, at)
    assert info.value.message == message


@pytest.mark.parametrize("f, at", [("x^3", "x=10^200"), ("x y", "x=10^200,y=10^200"),
                                   ("1/x", "x=1e-310"), ("max(x, y) sin(x)", "x=10^300,y=1")])
def test_exact_values_past_the_float_range_render_in_every_format(f, at):
    import json
    from tutor.routes.backprop import backprop
    b = backprop(f, at)
    for render in (b.to_text, b.to_latex, b.to_markdown, b.to_dot, b.to_tikz):
        assert render()
    assert json.loads(json.dumps(b.to_dict()))
