"""The rendering's memos change its cost, never a character of it (issue 15, second wave).

Three memos, each for the lines of one worked solution: the printers' (printing.shared_prints:
a node's printed pieces by identity, per printer class), fold's (render.lines.fold: a subtree's
folded form, so the folded lines share subtrees too) and the blackboard's node counts
(steps.shared_size). Switched off, every format at every detail must come out the same, over
the corpus and over random trees; the memos are bounded and live only for one render."""
from __future__ import annotations

import contextlib
import json
import pathlib
import threading
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from tutor import differentiate
from tutor.errors import TutorError
from tutor.expr import Add, Call, Mul, Num, Sym, size, walk
from tutor.printing import (PRINT_MEMO_NODES, PRINT_MEMO_PIECES, shared_prints, to_latex,
                            to_text, to_unicode)
from tutor.printing import base
from tutor.printing.latex import LatexPrinter
from tutor.render import layout, lines
from tutor.steps import Stage, board_fits, shared_size

from strategies import diff_exprs, exprs

DATA = pathlib.Path(__file__).resolve().parent / "data"
ROWS = [json.loads(line) for name in ("seeds", "practice")
        for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line]
DETAILS = ("brief", "normal", "steps", "full")


@contextlib.contextmanager
def no_memos():
    """The reference path: printers print every node afresh, fold folds every node afresh,
    every width is measured afresh, and whether a stage's lines fit is asked of the lines."""
    plain_fold = lines.fold
    with mock.patch.object(base.TextPrinter, "MEMO", False), \
            mock.patch.object(layout, "scope_table", lambda name: None), \
            mock.patch("tutor.printing.scope_table", lambda name: None), \
            mock.patch.object(Stage, "shows_lines", lambda self: self.lines() is not None), \
            mock.patch.object(lines, "fold", lambda e, memo=None: plain_fold(e, None)):
        yield


def _every_format(text: str, var: str, order: int) -> list:
    sol = differentiate(text, var, order)
    out = [(sol.to_text(d), sol.to_latex(d), sol.to_markdown(d), sol.to_json(d)) for d in DETAILS]
    return out + [sol.to_latex(standalone=True)]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_corpus_every_format_same_with_and_without_memos(row):
    order = row.get("order", 1)
    fast = _every_format(row["expr"], row["var"], order)
    with no_memos():
        slow = _every_format(row["expr"], row["var"], order)
    assert fast == slow


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff_exprs("x", max_leaves=8))
def test_random_solutions_same_with_and_without_memos(e):
    try:
        fast = _every_format(e, "x", 1)
    except TutorError:
        return
    with no_memos():
        assert _every_format(e, "x", 1) == fast


@settings(max_examples=150, deadline=None)
@given(exprs())
def test_a_tree_prints_the_same_inside_a_scope(e):
    """Printed twice inside one scope (the second time from the memo) and outside it."""
    plain = (to_text(e), to_latex(e), to_unicode(e))
    with shared_prints():
        first = (to_text(e), to_latex(e), to_unicode(e))
        again = (to_text(e), to_latex(e), to_unicode(e))
    assert first == again == plain


def test_memo_is_bounded_and_dropped_after_the_scope():
    big = Add(tuple(Mul((Num(k + 2), Sym("x"), Sym(f"y{k}"))) for k in range(3 * PRINT_MEMO_NODES)))
    with shared_prints():
        to_latex(big)
        memo = base._PRINTS.get()[LatexPrinter]
        assert len(memo) <= PRINT_MEMO_NODES
        assert all(len(pieces) <= PRINT_MEMO_PIECES for _, pieces in memo.values())
        assert id(big) not in memo  # far too many pieces to keep
    assert base._PRINTS.get() is None
    sol = differentiate("sin(x^2) e^x", "x")
    sol.to_latex()
    assert base._PRINTS.get() is None  # a render's scope ends with it


def test_width_memo_is_bounded_and_agrees():
    texts = [f"x^{{{k}}} + \\frac{{{k}}}{{y}}" for k in range(2 * layout.WIDTH_MEMO_STRINGS)]
    texts.append("x + " * layout.WIDTH_MEMO_CHARS)
    plain = [layout.latex_width(t) for t in texts]
    with shared_prints():
        assert [layout.latex_width(t) for t in texts] == plain
        assert [layout.latex_width(t) for t in texts] == plain
        memo = base.scope_table("latex_width")
        assert len(memo) <= layout.WIDTH_MEMO_STRINGS
        assert all(len(t) <= layout.WIDTH_MEMO_CHARS for t in memo)
    assert base.scope_table("latex_width") is None


def test_threads_do_not_share_a_scope():
    seen = []
    with shared_prints():
        t = threading.Thread(target=lambda: seen.append(base._PRINTS.get()))
        t.start()
        t.join()
        assert base._PRINTS.get() is not None
    assert seen == [None]


def test_mathml_never_uses_the_memo():
    sol = differentiate("x^2 sin(x)", "x")
    with no_memos():
        ref = sol.to_html("normal")
    assert sol.to_html("normal") == ref


@pytest.mark.parametrize("row", ROWS[:40], ids=[r["id"] for r in ROWS[:40]])
def test_shared_size_is_size(row):
    sizes: dict = {}
    stage = differentiate(row["expr"], row["var"]).stages[0]
    for line, _ in stage.lines() or ():
        assert shared_size(line, sizes) == size(line)
        for node in walk(line):
            assert shared_size(node, sizes) == size(node)


def test_fold_with_memo_is_fold_without():
    for row in ROWS:
        stage = differentiate(row["expr"], row["var"]).stages[0]
        memo: dict = {}
        for line, _ in stage.lines() or ():
            assert lines.fold(line, memo) == lines.fold(line)


BIG = ["*".join(f"sin({k} x + 1)" for k in range(1, 25)), "x^x",
       "sin(sin(sin(sin(x)))) " + " ".join(f"(x + {k})^2" for k in range(1, 30))]


@pytest.mark.parametrize("text, var", [(r["expr"], r["var"]) for r in ROWS[:60]]
                         + [(b, "x") for b in BIG])
def test_board_fits_only_when_the_board_does(text, var):
    for stage in differentiate(text, var, 1 if text in BIG else 2).stages:
        fresh = Stage(stage.function, stage.var, stage.partial, stage.derivation, stage.raw,
                      stage.simplification, stage.answer)
        shown = fresh.shows_lines()
        assert shown == (stage.lines() is not None)
        if board_fits(stage.derivation):
            assert stage.lines() is not None


@pytest.mark.parametrize("text", BIG[:1])
def test_a_board_too_big_reads_the_same(text):
    fast = [differentiate(text, "x").to_text("normal"), differentiate(text, "x").to_latex("normal"),
            differentiate(text, "x").to_markdown("normal"), differentiate(text, "x").to_html("normal")]
    with no_memos():
        slow = [differentiate(text, "x").to_text("normal"), differentiate(text, "x").to_latex("normal"),
                differentiate(text, "x").to_markdown("normal"), differentiate(text, "x").to_html("normal")]
    assert fast == slow
    assert "too long to show" in fast[1]


def test_a_tree_deeper_than_the_stack_bound_prints_inside_a_print_scope():
    """Inside a solution's shared print scope a tree deeper than SHALLOW still prints (on
    run_deep's big stack), and a shallow one beside it prints as alone."""
    from tutor._deep import SHALLOW
    deep = Sym("x")
    for _ in range(SHALLOW + 5):
        deep = Call("sin", (deep,))
    alone = to_text(deep), to_text(Sym("y"))
    with shared_prints():
        assert (to_text(deep), to_text(Sym("y"))) == alone
    assert alone[0].startswith("sin(sin(") and alone[0].count("(") == SHALLOW + 5


def test_reorder_test_shared_across_records_is_the_same():
    """The simplifier's records share one order-class table per call: the same names as a
    fresh table per record, over the corpus's raw derivatives (orders 1 and 2)."""
    import tutor.simplifier as simplifier
    fresh = simplifier._same_up_to_order
    raws = [st.raw for r in ROWS for st in differentiate(r["expr"], r["var"], 2).stages]
    shared = [[(s.rule, s.name) for s in simplifier.simplify_steps(raw)] for raw in raws]
    with mock.patch.object(simplifier, "_same_up_to_order", lambda a, b, shapes=None: fresh(a, b)):
        alone = [[(s.rule, s.name) for s in simplifier.simplify_steps(raw)] for raw in raws]
    assert shared == alone


def test_render_ab_benchmark_runs():
    """`bench_engine.py --render-ab` (the memos' A/B) runs; no timing is asserted."""
    import sys
    sys.path.insert(0, str(DATA.parent.parent))
    from benchmarks import bench_engine
    out = bench_engine.render_ab(bench_engine.corpus(2), 1)
    assert "memos on" in out and "on/off" in out
