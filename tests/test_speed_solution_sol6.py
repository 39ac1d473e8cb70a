"""The worked solution's first call, round 6: what the shortcuts keep (issue 15).

The pythagorean group is a live group (`memo.LIVE_GROUPS`): a pass without it records, at each
sum, whether its first test (`identities.has_squared_lead`) came out true, so the pythagorean
pass skips a subtree that an earlier pass left as it was and in which no sum had a squared
sin/tan/... factor. Held here to the reference path (no subtree known unchanged, every pass
walks every node) on sums where the identity does act and over the corpus; random derivatives
meet the same reference in test_speed_solution.py (`Memo.unchanged` is what the skip goes through).
"""
from __future__ import annotations

import contextlib
import json
import pathlib
from unittest import mock

import pytest

from tutor import differentiate
from tutor.engine import Context, derive
from tutor.language import parse
from tutor.simplifier import memo, simplify_steps
from tutor.simplifier.identities import has_squared_lead
from tutor.simplifier.normal_form import Simplifier


DATA = pathlib.Path(__file__).resolve().parent / "data"
ROWS = [json.loads(line) for name in ("seeds", "practice")
        for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line.strip()]


@contextlib.contextmanager
def every_node_walked():
    """The reference path: no subtree is known unchanged, every pass walks the whole tree."""
    with mock.patch.object(memo.Memo, "unchanged", lambda self, *a: None):
        yield


def _steps(e) -> list[tuple]:
    return [(s.rule, s.name, s.before, s.after, str(s.note)) for s in simplify_steps(e)]


#: sums the identity merges, some only once an earlier pass has collected or multiplied out
PYTHAGOREAN = ["sin(x)^2 + cos(x)^2", "x (sin(x)^2 + cos(x)^2)", "3 sin(2x)^2 + 3 cos(2x)^2 + x",
               "1 + tan(x)^2", "sec(x)^2 - 1", "(sin(x) sin(x) + cos(x)^2) e^x",
               "cosh(x)^2 - sinh(x)^2 + sin(x)", "ln(1 - sin(x)^2) + x^2 (1 + cot(x)^2)",
               "sin(x)^2 + cos(x)^2 + sin(x)^2", "(sin(x) + cos(x))^2 - 2 sin(x) cos(x)"]


@pytest.mark.parametrize("text", PYTHAGOREAN)
def test_pythagorean_sums_same_with_and_without_skipping(text):
    e = parse(text)
    raw = derive(e, Context("x", False)).result
    for tree in (e, raw):
        fast = _steps(tree)
        with every_node_walked():
            assert _steps(tree) == fast


@pytest.mark.parametrize("text", ["sin(x)^2 + cos(x)^2", "x (1 + tan(x)^2)"])
def test_pythagorean_still_applies(text):
    assert any(s.rule == "pythagorean" for s in simplify_steps(parse(text)))


def test_worked_solutions_same_with_and_without_skipping():
    """Every corpus problem with a circular or hyperbolic function, the whole solution."""
    for row in ROWS:
        if not any(f in row["expr"] for f in ("sin", "cos", "tan", "sec", "csc", "cot")):
            continue
        fast = differentiate(row["expr"], row["var"], row.get("order", 1))
        out = (fast.to_text("full"), fast.to_latex("full"), fast.to_json("full"))
        with every_node_walked():
            slow = differentiate(row["expr"], row["var"], row.get("order", 1))
            assert (slow.to_text("full"), slow.to_latex("full"), slow.to_json("full")) == out


def test_has_squared_lead_is_the_first_test():
    """Only a sum of two terms or more with a squared lead of an identity passes."""
    s = Simplifier(frozenset())
    flat = lambda text: [s.merge(*s.decompose(t)) for t in parse(text).terms]  # noqa: E731
    assert has_squared_lead(flat("sin(x)^2 + x"))
    assert has_squared_lead(flat("x + 2 tan(x)^2 y"))
    assert not has_squared_lead(flat("sin(x)^3 + x"))
    assert not has_squared_lead(flat("sin(x) + cos(x)"))
    assert not has_squared_lead(flat("ln(x)^2 + x"))
    assert not has_squared_lead([s.merge(*s.decompose(parse("sin(x)^2")))])


def test_pythagorean_pass_skips_what_it_cannot_change():
    """The point of it: sqrt(x) sin(x) arctan(x)'s derivative has no squared sine or the like,
    and the pythagorean pass now walks less of it than it did."""
    raw = derive(parse("sqrt(x) sin(x) arctan(x)"), Context("x", False)).result
    walked = [0]
    orig = Simplifier._simp

    def counting(self, e):
        if "pythagorean" in self.flags and "trig-quotients" not in self.flags:
            walked[0] += 1
        return orig(self, e)

    with mock.patch.object(Simplifier, "_simp", counting):
        simplify_steps(raw)
        fast = walked[0]
        walked[0] = 0
        with mock.patch.object(memo, "LIVE_GROUPS", memo.LIVE_GROUPS - {"pythagorean"}):
            simplify_steps(raw)
        slow = walked[0]
    assert fast < slow


# ------------------------------------------------ the order loop tells the simplifier a raw is shallow

@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_steps_same_when_known_shallow(row):
    """`simplify_steps(raw, shallow=True)` skips only run_deep's depth walk."""
    for stage in differentiate(row["expr"], row["var"], row.get("order", 1)).stages:
        assert _steps_of(stage.raw, True) == _steps_of(stage.raw, False)


def _steps_of(e, shallow: bool) -> list[tuple]:
    return [(s.rule, s.name, s.before, s.after, str(s.note)) for s in simplify_steps(e, shallow)]


def test_only_a_raw_of_few_nodes_is_called_shallow():
    """A raw derivative of more than SHALLOW nodes still meets run_deep's depth test."""
    from tutor import _deep, solve
    from tutor.expr import size
    from tutor.simplifier import simplify_steps as real
    seen = []

    def spy(e, shallow=False):
        seen.append((size(e), shallow))
        return real(e, shallow)

    with mock.patch("tutor.simplifier.simplify_steps", spy):
        solve.differentiate("sin(x)", "x")
        solve.differentiate("x^x sin(x)^cos(x) (x^2 + 1)^(x + 1)", "x", 3)
    assert seen and all(shallow == (n <= _deep.SHALLOW) for n, shallow in seen)
    assert any(not shallow for _, shallow in seen) and any(shallow for _, shallow in seen)


def test_deep_raw_derivative_still_simplifies():
    """A chain 150 deep: its raw derivative is deeper than SHALLOW, on the big stack."""
    text = "x"
    for _ in range(150):
        text = f"sin({text})"
    sol = differentiate(text, "x")
    assert sol.stages[0].answer is not None


# ------------------------------------------------ a solution knows it is shallow

def _general_is_shallow(sol) -> bool:
    """`_deep.is_shallow`'s answer for a record that does not say: both trees walked."""
    from tutor import _deep
    from tutor.expr import deeper_than
    return not deeper_than(sol.function, _deep.SHALLOW) and not deeper_than(sol.answer, _deep.SHALLOW)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_solution_shallow_only_when_it_is(row):
    for order in (1, 2, 3):
        sol = differentiate(row["expr"], row["var"], order)
        assert not sol.shallow or _general_is_shallow(sol)
        if order == 1:  # (a stage met again, e^t's, is not counted: "not known")
            assert sol.shallow, "every corpus solution is small: the walk should be skipped"


@pytest.mark.parametrize("text", ["sin(x)", "asin(x/x)", "sqrt(x - x) + x", "sin(x)^2 + cos(x)^2"])
def test_solution_shallow_when_known(text):
    sol = differentiate(text, "x")
    assert not sol.shallow or _general_is_shallow(sol)


def test_a_deep_solution_is_not_called_shallow():
    text = "x"
    for _ in range(150):
        text = f"sin({text})"
    sol = differentiate(text, "x")
    assert not sol.shallow and not _general_is_shallow(sol)
    wide = " + ".join(f"x^{k}" for k in range(1, 70))  # more nodes than SHALLOW, yet shallow
    sol = differentiate(wide, "x")
    assert not sol.shallow and _general_is_shallow(sol)
    from tutor import _deep
    assert _deep.is_shallow(sol)  # the general walk still says so


def test_shallow_is_not_part_of_equality():
    a = differentiate("x^2", "x")
    from dataclasses import replace
    assert replace(a, shallow=not a.shallow) == a


# ------------------------------------------------ differentiate reads an input's depth from its size

def test_only_an_input_of_many_nodes_meets_the_depth_walk():
    """An input of at most SHALLOW nodes is solved on the caller's stack without a depth walk;
    a deep one (more nodes, and deeper) still goes to run_deep, and both solve."""
    from tutor import _deep, solve
    calls = []
    real = _deep.run_deep

    def spy(fn, *args, **kwargs):
        calls.append(fn)
        return real(fn, *args, **kwargs)

    deep = "x"
    for _ in range(150):
        deep = f"sin({deep})"
    with mock.patch.object(solve._deep, "run_deep", spy):
        solve.differentiate("x^2 sin(x)", "x")
        assert solve._solve not in calls
        solve.differentiate(deep, "x")
        assert solve._solve in calls


def test_solve_same_with_and_without_the_counted_size():
    from tutor import solve
    from tutor.expr import size
    for row in ROWS[:40]:
        sol = differentiate(row["expr"], row["var"])
        again = solve._solve(sol.input, sol.function, sol.variables, (), size(sol.function))
        plain = solve._solve(sol.input, sol.function, sol.variables, ())
        assert again == plain and again.to_latex("full") == plain.to_latex("full")
