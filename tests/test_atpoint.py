"""The derivative at a point: seed values, corpus rows, domain and variable errors."""
from fractions import Fraction
import json

import pytest
import sympy

from tutor.errors import DomainError, VariableError
from tutor.solve import differentiate
from tutor.cli import main
from conftest import load_corpus


@pytest.mark.parametrize("expr, point, expected", [
    ("w^2", {"w": 2}, 4), ("w^2", {"w": 3}, 6), ("w^2", {"w": -3}, -6),
    ("2w", {"w": -3}, 2), ("w^3", {"w": 2}, 12), ("1/w", {"w": 2}, Fraction(-1, 4)),
    ("1/w^2", {"w": 4}, Fraction(-1, 32)),
])
def test_seed_values(expr, point, expected):
    at = differentiate(expr).at(point)
    assert at.value == expected and isinstance(at.value, Fraction)


def test_seed_000_text():
    at = differentiate("1/w^2").at(w=4)
    text = at.to_text("brief")
    assert "[substitute w = 4]" in text
    assert text.splitlines()[-1] == "Answer: d/dw[1/w^2] at w = 4 = -1/32 ≈ -0.03125"
    assert at.decimal == "-0.03125"
    assert [s.kind for s in at.steps][:2] == ["derivative", "substitute"]


def _corpus_rows():
    return [r for name in ("seeds.jsonl", "practice.jsonl") for r in load_corpus(name)
            if "expected_at" in r]


@pytest.mark.parametrize("row", _corpus_rows(), ids=lambda r: r["id"])
def test_corpus_at(row):
    at = differentiate(row["expr"], row["var"], row.get("order", 1)).at(row["at"])
    expected = sympy.Rational(sympy.sympify(row["expected_at"]))
    assert at.value == Fraction(int(expected.p), int(expected.q))
    if "value_at" in row:
        assert at.function_value == Fraction(str(sympy.sympify(row["value_at"])))


def test_irrational_and_expression_points():
    at = differentiate("sin(x)").at(x=1)
    assert at.decimal == "0.5403023059"
    assert at.to_text().endswith("= cos(1) ≈ 0.5403023059")
    assert differentiate("sin(x)").at(x="pi/3").value == Fraction(1, 2)
    assert differentiate("x^3").at(x="1/3").value == Fraction(1, 3)
    assert differentiate("x^2").at(x="\\frac{1}{2}").value == 1


def test_float_point_is_all_float():
    at = differentiate("x^2").at(x=0.25)
    assert at.value == 0.5 and isinstance(at.value, float) and at.exact is None


def test_partial_and_mixed_at_point():
    assert differentiate("x^2 y^3", "x,y").at(x=1, y=2).value == 24
    assert differentiate("x^2 y^3", "y", 2).at(x=1, y=2).value == 12
    assert differentiate("sin(w1) w2 (1 - w2)", "w1").at(w1=0, w2=Fraction(1, 2)).value == Fraction(1, 4)


@pytest.mark.parametrize("expr, point, message", [
    ("ln(x)", {"x": -1}, "the function ln(x) is undefined at x = -1, so it has no derivative there: "
                         "ln is undefined at -1 (its argument must be > 0)"),
    ("1/x", {"x": 0}, "the function 1/x is undefined at x = 0, so it has no derivative there: division by zero"),
    ("sqrt(x)", {"x": 0}, "the derivative 1/(2 sqrt(x)) is undefined at x = 0: division by zero"),
])
def test_domain_errors(expr, point, message):
    with pytest.raises(DomainError) as info:
        differentiate(expr).at(point)
    assert info.value.message == message


def test_variable_errors():
    with pytest.raises(VariableError) as info:
        differentiate("x*y", "x").at(x=2)
    assert info.value.message == "the point has no value for y: give every variable of the function (x, y)"
    with pytest.raises(VariableError) as info:
        differentiate("x^2").at(x=1, q=2)
    assert info.value.message == ("the point gives q, which is not a variable of the function "
                                  "(its variables: x)")
    with pytest.raises(VariableError) as info:
        differentiate("x^2").at(x="y+1")
    assert info.value.message == "the value for x must be a number, not an expression in y"


def test_renderers_and_cli(capsys):
    at = differentiate("1/w^2").at(w=4)
    assert "-\\frac{1}{32} \\approx -0.03125" in at.to_latex("brief")
    assert "**Value:**" in at.to_markdown()
    d = at.to_dict()
    assert d["schema"] == "tutor.atpoint/1" and d["value"]["rational"] == "-1/32"
    json.dumps(d)
    assert main(["diff", "1/w^2", "--at", "w=4"]) == 0
    assert "-1/32 ≈ -0.03125" in capsys.readouterr().out
    assert main(["diff", "ln x", "--at", "x=-1"]) == 2
    assert "undefined at x = -1" in capsys.readouterr().err
    assert main(["diff", "1/w^2", "--at", "w=4", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"]["decimal"] == "-0.03125"


@pytest.mark.parametrize("expr, point, exact", [
    ("cos(x)", "x=pi/4", "-sqrt(2)/2"), ("tan(x)", "x=pi/4", "2"), ("e^x", "x=ln(3)", "3"),
    ("asin(x)", "x=1/2", "2/sqrt(3)"), ("sqrt(1 - x^2)", "x=1/2", "-1/sqrt(3)"),
    ("sin(x)", "x=1", "cos(1)"),
])
def test_exact_values_simplified(expr, point, exact):
    """The exact value as an answer key prints it (issue 10), and it is the true value."""
    name, value = point.split("=")
    at = differentiate(expr).at({name: value})
    assert at.exact_text == exact
    from conftest import to_sympy
    from tutor.language import parse
    x = sympy.Symbol(name)
    truth = sympy.diff(to_sympy(parse(expr)), x).subs(x, to_sympy(parse(value)))
    assert abs(float(truth) - float(at.value)) < 1e-9


def test_function_notation_never_equates_a_function_with_a_number():
    """f(w) = ..., f'(w) = ..., f'(4) = -2/4^3 = ... in every format: no line says
    d/dw[1/w^2] = ... = -1/32 (a function equal to a number)."""
    at = differentiate("1/w^2").at(w=4)
    lines = at.to_text("brief").splitlines()
    assert lines[1:4] == ["  f(w) = 1/w^2", "  f'(w) = -2/w^3",
                          "  f'(4) = -2/4^3                          [substitute w = 4]"]
    assert not any(ln.lstrip().startswith("d/dw") for ln in lines)
    tex = at.to_latex("brief")
    assert "f'(4) &= -\\frac{2}{4^{3}}" in tex and "\\frac{d}{dw}" not in tex
    md = at.to_markdown("brief")
    assert "$$ f'(4) = -\\frac{2}{4^{3}} $$" in md and "\\frac{d}{dw}" not in md


@pytest.mark.parametrize("expr, kwargs, point, head", [
    ("x^5", {"order": 2}, {"x": 1}, "f''(1)"), ("x^5", {"order": 4}, {"x": 1}, "f^(4)(1)"),
    ("x^2 y", {"var": "x"}, {"x": 1, "y": 2}, "f_x(1, 2)"),
    ("f^2", {}, {"f": 3}, "g'(3)"),
])
def test_function_notation_heads(expr, kwargs, point, head):
    from tutor.render.routes_atpoint import names
    order = kwargs.pop("order", 1)
    var = kwargs.pop("var", None)
    sol = differentiate(expr, var, order) if var else differentiate(expr, order=order)
    assert names(sol.at(point))[2] == head
