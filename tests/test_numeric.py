"""Finite differences: the lab's printed numbers digit for digit (seeds 000/001), the table's
convergence, errors with exact messages."""
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from tutor.cli import main
from tutor.errors import DomainError, TutorError, VariableError
from tutor.routes.numeric import finite_difference

# (expr, point, digits, the lab's line). w^3 at 2: the seed's text shows k = 12.0060009999978,
# a truncation of what Python really prints, 12.006000999997823 (used here).
GOLDEN = [
    ("w^2", "w=3", 6, "J = 9, J_epsilon = 9.006001, dJ_dw ~= k = 6.001000"),
    ("2w", "w=3", "full", "J = 6, J_epsilon = 6.002, dJ_dw ~= k = 1.9999999999997797"),
    ("w^3", "w=2", "full", "J = 8, J_epsilon = 8.012006000999998, dJ_dw ~= k = 12.006000999997823"),
    ("1/w", "w=2", "full", "J = 0.5, J_epsilon = 0.49975012493753124, dJ_dw ~= k = -0.2498750624687629"),
    ("1/w^2", "w=4", "full",
     "J = 0.0625, J_epsilon = 0.06246876171484496, dJ_dw ~= k = -0.031238285155041345"),
]


@pytest.mark.parametrize("expr, at, digits, line", GOLDEN)
def test_lab_lines_digit_for_digit(expr, at, digits, line):
    assert finite_difference(expr, at, digits=digits).lab_line == line


def test_lab_python_semantics_directly():
    # the same numbers the lab's cells compute
    assert finite_difference("w^3", "w=2").J_epsilon == (2 + 0.001) ** 3
    assert finite_difference("1/w^2", "w=4").k == (1 / (4 + 0.001) ** 2 - 1 / 4 ** 2) / 0.001


def test_exact_derivative_and_table():
    fd = finite_difference("1/w^2", "w=4")
    assert fd.exact == Fraction(-1, 32)
    assert len(fd.rows) == 12 and fd.rows[0].eps == 0.1 and fd.rows[-1].eps == 1e-12
    assert "-1/32" in fd.to_text()


def test_cli_text_and_json(capsys):
    assert main(["numeric", "w^2", "--at", "w=3"]) == 0
    out = capsys.readouterr().out
    assert "J = 9, J_epsilon = 9.006001, dJ_dw ~= k = 6.001000" in out
    assert "round-off" in out
    assert main(["numeric", "x^2", "--at", "x=3", "--format", "json"]) == 0
    import json
    d = json.loads(capsys.readouterr().out)
    assert d["schema"] == "tutor.numeric/1" and d["lab_line"].startswith("J = 9,")
    for fmt in ("latex", "markdown"):
        assert main(["numeric", "sin(x)", "--at", "x=1", "--format", fmt]) == 0


def test_conclusion_mentions_roundoff_for_smooth_function():
    fd = finite_difference("sin(x)", "x=1")
    assert "O(ε)" in fd.conclusion and "O(ε²)" in fd.conclusion
    assert "round-off" in fd.conclusion


def test_errors_exact_messages():
    with pytest.raises(DomainError, match=r"^ln is undefined at -1 \(its argument must be > 0\)$"):
        finite_difference("ln(x)", "x=-1")
    with pytest.raises(VariableError) as exc:
        finite_difference("x y", "x=1,y=2")
    assert exc.value.message == "the expression has several variables (x, y): choose one with --var"
    with pytest.raises(VariableError) as exc:
        finite_difference("x^2", "x=1,q=2")
    assert exc.value.message == "q is not a variable of the expression (its variables: x)"
    with pytest.raises(VariableError) as exc:
        finite_difference("x y", "x=1", var="x")
    assert exc.value.message == "no value for y: give every variable a value, e.g. x=1,y=1"
    with pytest.raises(TutorError) as exc:
        finite_difference("x^2", "x=1", eps="-1")
    assert exc.value.message == "epsilon must be a positive number, not -1.0"
    with pytest.raises(TutorError) as exc:
        finite_difference("x^2", "x=1", digits="many")
    assert exc.value.message == "digits must be a number of decimals or 'full', not 'many'"


def test_cli_error_exit_code(capsys):
    assert main(["numeric", "1/x", "--at", "x=0"]) == 2
    assert "division by zero" in capsys.readouterr().err


SMOOTH = ["sin(x)", "exp(x)", "x^3 - 2x", "ln(x + 3)", "cos(2x) x", "sqrt(x + 4)", "atan(x)", "1/(x + 5)"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SMOOTH), st.fractions(min_value=-2, max_value=2, max_denominator=8))
def test_convergence(expr, a):
    fd = finite_difference(expr, {"x": a})
    r1, r2, r3 = fd.rows[0], fd.rows[1], fd.rows[2]
    # converges as eps shrinks (truncation regime), central at least as good as forward
    scale = max(1.0, abs(float(fd.exact)))
    assert r3.forward_error <= r1.forward_error + 1e-12 * scale
    assert r2.central_error <= r2.forward_error + 1e-12 * scale
    assert min(r.central_error for r in fd.rows) < 1e-8 * scale
