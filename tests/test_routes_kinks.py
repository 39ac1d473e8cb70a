"""One convention per kink in every route (tutor/routes/graph.py), and one number away from them.

At a point, dual numbers, backpropagation and the finite-difference route's exact value must
give the same derivative; at |u| where u = 0 every route raises the same DomainError (issue 8:
`differentiate("|x|").at(x=0)` said undefined while `dual_trace` said 1).
"""
from fractions import Fraction

import pytest

import tutor
from tutor.errors import DomainError
from tutor.routes.backprop import backprop
from tutor.routes.dual import dual_trace
from tutor.routes.graph import build_graph, local_partial, partial_formula
from tutor.routes.numeric import finite_difference
from tutor.language import parse

ABS_AT_ZERO = ("|x| is not differentiable where x = 0: the rules' |u|' = u/|u| is undefined "
               "at u = 0 (no one-sided value is chosen)")


def _routes(expr: str, point: dict) -> dict:
    """The derivative by x from every route (or the DomainError message)."""
    out = {}
    calls = {
        "at": lambda: tutor.differentiate(expr, "x").at(point).value,
        "dual": lambda: dual_trace(expr, "x", point).derivative,
        "backprop": lambda: backprop(expr, point).gradient["x"],
        "numeric": lambda: finite_difference(expr, point, "x").exact,
    }
    for name, call in calls.items():
        try:
            out[name] = call()
        except DomainError as exc:
            out[name] = exc.message
    return out


@pytest.mark.parametrize("expr, point, want", [
    ("abs(x)", {"x": 0}, ABS_AT_ZERO),
    ("abs(x)^2", {"x": 0}, ABS_AT_ZERO),          # the simplified 2x assumed |x| ≠ 0
    ("abs(x^2 - 1)", {"x": 1},
     "|x^2 - 1| is not differentiable where x^2 - 1 = 0: the rules' |u|' = u/|u| is undefined "
     "at u = 0 (no one-sided value is chosen)"),
    ("abs(x)", {"x": -2}, -1),
    ("abs(x)", {"x": Fraction(1, 3)}, 1),
    ("abs(x^2 - 1)", {"x": 2}, 4),
    ("relu(x)", {"x": 0}, 1),                     # u'[u >= 0]: the right-hand derivative
    ("relu(x)", {"x": -1}, 0),
    ("relu(2x - 1)", {"x": Fraction(1, 2)}, 2),
    ("max(x, 2 - x)", {"x": 1}, -1),              # a tie follows the later argument
    ("min(x, 2 - x)", {"x": 1}, -1),
    ("max(x, 2 - x)", {"x": 2}, 1),
    ("min(x, 2 - x)", {"x": 2}, -1),
    ("max(x, x^2, 1)", {"x": 1}, 0),
    ("max(x, x^2, 1)", {"x": 3}, 6),
    ("x^3 - 2x", {"x": Fraction(1, 3)}, Fraction(-5, 3)),
])
def test_every_route_agrees(expr, point, want):
    got = _routes(expr, point)
    assert got == {name: want for name in got}, got


def test_at_a_kink_the_notes_name_the_convention():
    assert "tie" in dual_trace("max(x, 2 - x)", "x", "x=1").notes[0]
    assert "tie" in backprop("max(x, 2 - x)", "x=1").notes[0]
    assert dual_trace("relu(x)", "x", "x=0").notes == backprop("relu(x)", "x=0").notes


def test_a_held_kink_is_no_kink_for_that_variable():
    # |x - 1| y by y at x = 1: |u|' is never needed (u does not depend on y)
    assert dual_trace("abs(x - 1) y", "y", "x=1,y=2").derivative == 0
    assert tutor.differentiate("abs(x - 1) y", "y").at(x=1, y=2).value == 0
    # backprop needs every partial, so it meets the kink; so does the gradient
    with pytest.raises(DomainError):
        backprop("abs(x - 1) y", "x=1,y=2")
    with pytest.raises(DomainError):
        tutor.gradient("abs(x - 1) y", at="x=1,y=2")


def test_local_partials_come_from_the_engine():
    e = parse("x^3")
    assert str(partial_formula(e, 0)) == str(tutor.differentiate("x^3").answer)
    g = build_graph(parse("x y + sin(x)"))
    point = {"x": Fraction(2), "y": Fraction(5)}
    mul = next(n for n in g.nodes if n.kind == "op" and type(n.expr).__name__ == "Mul")
    assert local_partial(mul.expr, 0, point) == 5
    # a root with a variable index: the rules' formula (root(-1, 1/2) = (-1)^2 has slope -2)
    assert dual_trace("root(x, y)", "x", "x=-1,y=1/2").derivative == -2
