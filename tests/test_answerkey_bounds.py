"""The simplifier is bounded and never ends in an internal error (issue 10), and a step's name
never misnames its change: a pass that only reorders is named for that."""
from __future__ import annotations

import sympy

from conftest import numerically_equal, to_sympy
from tutor import differentiate
from tutor.language import parse
from tutor.simplifier import REORDER, settle


def test_a_pass_that_never_settles_returns_the_form_reached():
    def step(e):
        return e + 1, []
    out, notes = settle(step, 0, 5)
    assert out == 5 and notes == []


def test_23_linear_factors_give_an_answer():
    f = "".join(f"(1 + x/{k})" for k in range(1, 24))
    got = differentiate(f).answer
    x = sympy.Symbol("x")
    assert numerically_equal(to_sympy(got), sympy.diff(to_sympy(parse(f)), x), trials=3)


def _reordered(a, b):
    """SymPy sees the same expression (it sorts terms and factors itself)."""
    return a == b


def test_a_reordering_is_named_for_what_it_did():
    for f in ["(t^2 - 6t + 3) e^t", "(3x - 2)/(x^2 + 1)", "ln(2x/(x - 1))"]:
        sol = differentiate(f, "t" if "t" in f else "x")
        names = [s.name for s in sol.steps if s.kind == "simplify"]
        assert REORDER in names, (f, names)
        for s in sol.steps:
            if s.kind == "simplify" and s.name == REORDER:
                assert _reordered(to_sympy(s.before), to_sympy(s.after))




def test_xxxx_is_linear_in_the_number_of_letters():
    from tutor.printing import to_text
    assert to_text(differentiate("x" * 60).answer) == "60x^59"
