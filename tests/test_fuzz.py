"""Fuzzing the public API: whatever a user types, the answer is a result or a TutorError, fast.

Inputs are texts built from the tokens people type (numbers, names, functions, operators,
brackets, LaTeX commands, the Unicode students paste) and random trees. Every public call must
end in a result or a `TutorError` (never another exception, never a RecursionError), within a
generous time budget on these short inputs, and grade deterministically.

The default run is a fixed, derandomised budget; `TUTOR_SLOW=1` (or `-m slow`) runs a long
campaign with the same properties.
"""
from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tutor
from tutor import TutorError

from strategies import diff_exprs

#: a generous ceiling for one call on a short input; a call that takes longer is a bug
#: (unbounded work), not a slow machine
BUDGET_S = 10.0

TOKENS = (
    ["x", "y", "w", "w1", "x_1", "t", "a", "b", "e", "pi", "theta", "θ", "π", "ε"]
    + ["0", "1", "2", "3", "10", "0.5", "1/2", "½", "1e3", "10^200", "2.5e-320"]
    + ["sin", "cos", "tan", "ln", "log", "log_2", "exp", "sqrt", "cbrt", "abs", "arcsin",
       "asinh", "sec", "relu", "max", "min", "root", "sinh", "Cos", "sinn", "sine", "diff"]
    + ["+", "-", "*", "/", "^", "**", "(", ")", "[", "]", "{", "}", "|", ",", "=", "'",
       "!", ">", "<=", " ", "  ", "_", "²", "⁻¹", "√", "·", "×", "−"]
    + ["d/dx", "d/dy", "d^2/dx^2", "dy/dx", "y'", "f'(x)", "$", "\\(", "\\)"]
    + ["\\frac", "\\sin", "\\cos", "\\ln", "\\sqrt", "\\left(", "\\right)", "\\cdot", "\\pi",
       "\\alpha", "\\operatorname", "\\mathrm", "\\exponentialE", "\\mleft(", "\\mright)",
       "\\frac{d}{dx}", "{x}", "{2}", "^{", "_{"]
    + ["x^x", "1/2 x", "sin x e^x", "--", "rate", "d^10/dx^10[", "x^x^x"]
)

texts = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map("".join)
spaced = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10).map(" ".join)
inputs = st.one_of(texts, spaced)

N = 600 if os.environ.get("TUTOR_SLOW") else 60


def _call(fn, *args, **kwargs):
    """fn(...) must return or raise TutorError, within the budget."""
    start = time.perf_counter()
    try:
        result = fn(*args, **kwargs)
    except TutorError:
        result = None
    elapsed = time.perf_counter() - start
    assert elapsed < BUDGET_S, f"{fn.__name__}{args} took {elapsed:.1f} s"
    return result


def _render_all(sol) -> None:
    for detail in ("brief", "normal", "steps", "full"):
        sol.to_text(detail)
    sol.to_latex()
    sol.to_latex("full", standalone=True)
    sol.to_markdown()
    sol.to_dict()


def _route_all(record) -> None:
    """Every renderer a route record has."""
    for name in ("to_text", "to_latex", "to_markdown", "to_dict", "to_dot", "to_tikz"):
        if hasattr(record, name):
            getattr(record, name)()


SETTINGS = settings(max_examples=N, deadline=None, derandomize=not os.environ.get("TUTOR_SLOW"),
                    suppress_health_check=list(HealthCheck), database=None)


@SETTINGS
@given(inputs)
def test_parse_never_fails_unexpectedly(text):
    _call(tutor.parse, text)


@SETTINGS
@given(inputs)
def test_differentiate_and_render_never_fail_unexpectedly(text):
    sol = _call(tutor.differentiate, text)
    if sol is not None:
        _call(_render_all, sol)


@SETTINGS
@given(inputs, inputs)
def test_check_is_a_verdict_or_an_author_error(function, answer):
    first = _call(tutor.check, function, answer)
    if first is not None:
        assert first.verdict in ("correct", "incorrect", "invalid", "undetermined")
        first.to_text()
        first.to_dict()
        again = tutor.check(function, answer)
        assert (again.verdict, again.score) == (first.verdict, first.score)


@SETTINGS
@given(inputs, st.lists(inputs, max_size=3))
def test_check_work_is_a_verdict_or_an_author_error(function, lines):
    result = _call(tutor.check_work, function, ["= " + line for line in lines])
    if result is not None:
        result.to_dict()
        result.to_text()


@SETTINGS
@given(inputs, inputs, st.sampled_from([None, "x", "rate", "a,b"]))
def test_check_with_declarations_is_a_verdict_or_an_author_error(function, answer, declared):
    result = _call(tutor.check, function, answer, constants=declared, names=declared)
    if result is not None:
        assert result.verdict in ("correct", "incorrect", "invalid", "undetermined")
        result.to_dict()


@SETTINGS
@given(diff_exprs("x"))
def test_routes_never_fail_unexpectedly(e):
    text = tutor.to_text(e)
    sol = _call(tutor.differentiate, e, "x")
    if sol is not None:
        _call(lambda: _route_all(sol.at(x=tutor.parse("1/3"))))
    _call(lambda: _route_all(tutor.finite_difference(text, "x=1/3")))
    _call(lambda: _route_all(tutor.dual_trace(text, "x", "x=1/3")))
    _call(lambda: _route_all(tutor.backprop(text, "x=1/3")))
    _call(lambda: _route_all(tutor.gradient(text, at="x=1/3")))
    _call(lambda: _route_all(tutor.descend(text, "x", "1", steps=3)))
    _call(lambda: tutor.check(text, tutor.to_text(sol.answer) if sol else "0"))


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("TUTOR_SLOW"), reason="slow: set TUTOR_SLOW=1 to run")
@settings(max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
@given(inputs, inputs)
def test_long_campaign(function, answer):
    for fn, args in ((tutor.parse, (function,)), (tutor.differentiate, (function,)),
                     (tutor.check, (function, answer)), (tutor.check_work, (function, [answer]))):
        _call(fn, *args)
    sol = _call(tutor.differentiate, function)
    if sol is not None:
        _call(_render_all, sol)
