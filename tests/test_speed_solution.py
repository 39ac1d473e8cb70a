"""The worked solution's fast paths change its cost, never a line of it (issue 15).

The simplifier's passes skip a subtree a pass already left as it was when the groups the new
pass adds cannot apply inside it (`Memo.unchanged`: the names an identity needs are absent,
or the earlier walk saw none of the group's tests come out otherwise, `Simplifier.live`).
Switched off (`unchanged` never knows), every pass walks every node: the steps -- rule,
name, before, after, note -- must be the same, over the corpus at orders 1 to 3 and over
random derivatives; and so must every format of the worked solution."""
from __future__ import annotations

import contextlib
import json
import pathlib
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor import differentiate
from tutor.engine import Context, derive
from tutor.errors import TutorError
from tutor.expr import Call, Sym, deeper_than, depth, size, walk
from tutor.simplifier import memo, simplify_steps
from tutor.simplifier.normal_form import Simplifier

from strategies import diff_exprs, exprs

DATA = pathlib.Path(__file__).resolve().parent / "data"


def _rows() -> list[dict]:
    out = []
    for name in ("seeds", "practice"):
        text = (DATA / f"{name}.jsonl").read_text()
        out += [json.loads(line) for line in text.splitlines() if line]
    return out


ROWS = _rows()


@contextlib.contextmanager
def every_node_walked():
    """The reference path: no subtree is known unchanged, every pass walks the whole tree."""
    with mock.patch.object(memo.Memo, "unchanged", lambda self, *a: None):
        yield


def _steps(e) -> list[tuple]:
    return [(s.rule, s.name, s.before, s.after, str(s.note)) for s in simplify_steps(e)]


def _raw(text: str, var: str, order: int):
    """The raw derivative of each stage of `text` to `order` (the simplifier's inputs)."""
    sol = differentiate(text, var, order)
    return [stage.raw for stage in sol.stages]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_corpus_steps_same_with_and_without_skipping(row):
    for order in (1, 2):
        for raw in _raw(row["expr"], row["var"], order):
            fast = _steps(raw)
            with every_node_walked():
                slow = _steps(raw)
            assert fast == slow


@pytest.mark.parametrize("text", ["sin(4x^3)", "(3x - 2)/(x^2 + 1)", "e^(-x) cos(2x)",
                                  "sqrt(x^2 + 1)", "x^2 ln(x)", "tan(x)/x", "(x+1)/sqrt(x)"])
def test_worked_solution_same_in_every_format(text):
    """The whole worked solution, every detail and format, at orders 1 and 2."""
    for order in (1, 2):
        fast = differentiate(text, "x", order)
        outs = [(fast.to_text(d), fast.to_latex(d), fast.to_markdown(d), fast.to_json(d))
                for d in ("brief", "normal", "steps", "full")]
        with every_node_walked():
            slow = differentiate(text, "x", order)
            ref = [(slow.to_text(d), slow.to_latex(d), slow.to_markdown(d), slow.to_json(d))
                   for d in ("brief", "normal", "steps", "full")]
        assert outs == ref


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff_exprs("x", max_leaves=8))
def test_random_derivatives_same_with_and_without_skipping(e):
    try:
        raw = derive(e, Context("x", False)).result
        fast = _steps(raw)
    except TutorError:
        return
    with every_node_walked():
        assert _steps(raw) == fast


def test_skipping_walks_fewer_nodes():
    """The point of it: over the corpus the passes walk fewer nodes with skipping on."""
    raws = [derive(differentiate(r["expr"], r["var"]).function, Context(r["var"], False)).result
            for r in ROWS[:60]]
    walked = [0]
    orig = Simplifier._simp

    def counting(self, e):
        walked[0] += 1
        return orig(self, e)

    with mock.patch.object(Simplifier, "_simp", counting):
        for raw in raws:
            simplify_steps(raw)
        fast = walked[0]
        walked[0] = 0
        with every_node_walked():
            for raw in raws:
                simplify_steps(raw)
        slow = walked[0]
    assert fast < 0.8 * slow


def test_tables_live_only_for_one_call():
    """Nothing is kept between calls: each simplify call has its own tables (threads share
    nothing), so the memo needs no bound and no clearing beyond the call."""
    made = []
    orig = memo.Memo.__init__

    def init(self):
        orig(self)
        made.append(self)

    raw = derive(differentiate("sin(x^2) e^x", "x").function, Context("x", False)).result
    with mock.patch.object(memo.Memo, "__init__", init):
        first = _steps(raw)
        second = _steps(raw)
    assert first == second and len(made) == 2 and made[0] is not made[1]


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=20), st.integers(0, 12))
def test_deeper_than_agrees_with_depth(e, limit):
    """The level-by-level depth test (every printer asks it of every line) is `depth > limit`."""
    assert deeper_than(e, limit) == (depth(e) > limit)


def test_children_and_size_by_table_agree_with_the_walk():
    e = differentiate("sin(x^2) e^x/(x + 1)", "x").raw_answer
    assert size(e) == sum(1 for _ in walk(e))
    chain = Sym("x")
    for _ in range(5000):
        chain = Call("sin", (chain,))
    assert deeper_than(chain, 120) and size(chain) == 5001
