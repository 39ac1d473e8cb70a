"""High orders (issue 10): the work is bounded, not the order; high orders shown compactly.

SymPy is the oracle for every answer; the refusal is a TutorError with a clear message."""
from __future__ import annotations

import json

import pytest
import sympy

from conftest import to_sympy
from tutor import differentiate
from tutor.cli import main
from tutor.errors import TutorError
from tutor.language import parse


@pytest.mark.parametrize("f, n", [("sin(x)", 59), ("cos(3x)", 41), ("x^5 + 3x^2", 100),
                                  ("e^(2x)", 30), ("sin(x) + x^3", 25), ("x^2 e^x", 12),
                                  ("ln(x)/x", 20)])
def test_high_orders_are_right(f, n):
    sol = differentiate(f, order=n)
    x = sympy.Symbol("x")
    assert sympy.simplify(to_sympy(sol.answer) - sympy.diff(to_sympy(parse(f)), x, n)) == 0
    assert sol.order == n


def test_sin_59_is_read_off_the_cycle():
    """d^59/dx^59 sin x (OpenStax): four lines, the cycle, the answer."""
    sol = differentiate("sin(x)", order=59)
    lines = sol.to_text().splitlines()
    assert lines[0] == "  d/dx[sin(x)] = cos(x)"
    assert lines[3] == "  d^4/dx^4[sin(x)] = d/dx[-cos(x)] = sin(x)"
    assert "repeat every 4 orders" in lines[4]
    assert lines[-1] == "Answer: d^59/dx^59[sin(x)] = -cos(x)"
    assert len(lines) <= 8
    assert sol.to_dict()["cycle"] == {"start": 1, "period": 4}
    assert "59 = 3 + 4 \\cdot 14" in sol.to_latex()
    assert sol.to_markdown().count("$$") == 8


def test_one_line_per_order_without_a_cycle():
    sol = differentiate("e^(2x)", order=6)
    body = [ln for ln in sol.to_text().splitlines() if not ln.startswith("Answer")]
    assert len(body) == 6 and body[-1] == "  d^6/dx^6[e^(2x)] = d/dx[32e^(2x)] = 64e^(2x)"
    assert sol.to_dict()["cycle"] is None
    # steps detail still works every stage
    assert "Derivative 6 (with respect to x):" in sol.to_text("steps")


def test_growing_family_is_refused_with_a_clear_message():
    with pytest.raises(TutorError) as info:
        differentiate("x^x", order=10)
    err = info.value
    assert err.code == "limit"
    assert err.message == ("order 10 is beyond the work budget: derivative 4 has 118 parts and "
                           "grows about 2.5 times an order, so derivative 9 would have about "
                           "11,734 (the limit is 8,000)")
    assert "ask for a lower order" in err.hint


def test_order_ceiling_and_cli(capsys):
    with pytest.raises(TutorError, match="order 1001 is over the limit of 1000"):
        differentiate("x", order=1001)
    assert main(["diff", "sin(x)", "--order", "59", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["answer"]["text"] == "-cos(x)"
    assert main(["diff", "x^x", "--order", "10"]) != 0
    assert "beyond the work budget" in capsys.readouterr().err


def test_log10_notation_api_and_cli(capsys):
    """--log10 reads log as log base 10 (OpenStax); natural log stays the default; the reading
    is shown back in the first line."""
    sol = differentiate("log(sec(x))", log10=True)
    assert sol.to_text().splitlines()[0] == "  d/dx[log10(sec(x))]"
    assert str(sol.answer) == str(differentiate("tan(x)/ln(10)").function)
    assert differentiate("log(sec(x))").to_text().splitlines()[0] == "  d/dx[ln(sec(x))]"
    assert differentiate(r"\log(x)", log10=True).function == parse("log10(x)")
    assert main(["diff", "log(x^3 + 1)", "--log10"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "  d/dx[log10(x^3 + 1)]" and "ln(10)" in out.splitlines()[-1]
    assert main(["check", "log(x^3 + 2)", "3x^2/((x^3 + 2) ln(10))", "--log10"]) == 0
    assert main(["parse", "log(x)", "--log10"]) == 0
    assert capsys.readouterr().out.strip().endswith("log10(x)")
