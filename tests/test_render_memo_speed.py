"""The rendering's third speed wave (issue 15) changes its cost, never a character of it.

Each fast path is checked against the plain computation it stands for: the bounded printer
(TooDeep, then the big stack) against the old depth test, fold's "already folded" tests
against folding, the layout's C-level scans against loops over the characters, the width
of long plain maths against the glyph-by-glyph float sum (to the last bit: line breaks are
decided on these sums), the short-prose shortcut against cutting, and the JSON budget's
remembered sizes against walking."""
from __future__ import annotations

import random
import threading
from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import given, settings

from tutor import differentiate, printing
from tutor._deep import SHALLOW
from tutor.expr import Add, Call, Mul, Neg, Num, Pow, Sym, children, deeper_than, size
from tutor.printing import shared_prints, to_latex, to_text
from tutor.printing.base import TextPrinter, TooDeep
from tutor.printing.latex import LatexPrinter
from tutor.render import layout, lines, solution_json

from strategies import diff_exprs, exprs


def _nest(depth: int):
    e = Sym("x")
    for _ in range(depth - 1):
        e = Call("sin", (e,))
    return e


# ------------------------------------------------------------------ the bounded printer

@pytest.mark.parametrize("depth", [1, 2, SHALLOW - 1, SHALLOW])
def test_a_tree_up_to_shallow_prints_on_the_callers_stack(depth):
    tree = _nest(depth)
    assert not deeper_than(tree, SHALLOW)
    with mock.patch.object(printing, "run_deep", side_effect=AssertionError("big stack")):
        assert to_text(tree) == "sin(" * (depth - 1) + "x" + ")" * (depth - 1)


def test_a_deeper_tree_stops_and_prints_the_same_on_the_big_stack():
    tree = _nest(SHALLOW + 1)
    with pytest.raises(TooDeep):
        LatexPrinter().bounded(SHALLOW).run(tree)
    assert LatexPrinter().run(tree) == to_latex(tree)  # unbounded unless a caller bounds it
    with shared_prints():
        assert to_latex(tree) == to_latex(tree) == LatexPrinter().run(tree)


@settings(max_examples=80, deadline=None)
@given(exprs(max_leaves=10))
def test_bounded_printers_print_as_unbounded_ones(e):
    for printer in (TextPrinter, LatexPrinter):
        assert printer().bounded(SHALLOW).run(e) == printer().run(e)


def test_deep_trees_print_from_threads():
    trees = [_nest(SHALLOW + 40), _nest(SHALLOW), Add((_nest(SHALLOW + 3), Sym("y")))]
    expected = [to_latex(t) for t in trees]
    got: list = [None] * 8

    def work(k: int) -> None:
        with shared_prints():
            got[k] = [to_latex(t) for t in trees]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(got))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [expected] * len(got)


# ------------------------------------------------------------------ fold's shortcuts

def _shaped(e):
    """Every node of e (the trees the shortcuts are asked about)."""
    out, stack = [], [e]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(children(n))
    return out


@settings(max_examples=150, deadline=None)
@given(exprs(max_leaves=10))
def test_already_folded_means_folding_changes_nothing(e):
    for node in _shaped(e):
        if isinstance(node, Mul) and lines._folded_product(node.factors):
            assert lines._fold_product(node.factors) == node
        if isinstance(node, Add) and lines._folded_sum(node.terms):
            assert lines._fold_sum(node.terms) == node


def test_already_folded_on_the_edge_cases():
    x, two = Sym("x"), Num(Fraction(2))
    assert lines._folded_product((two, x))
    assert not lines._folded_product((Num(Fraction(1)), x))           # 1 x is x
    assert not lines._folded_product((x, two))                        # the number goes first
    assert not lines._folded_product((Call("sin", (x,)), x))          # the monomial goes first
    assert not lines._folded_product((Neg(x), x))
    assert lines._folded_sum((x, Neg(two)))
    assert not lines._folded_sum((x, Num(Fraction(-2))))              # num writes Neg(Num(2))
    assert not lines._folded_sum((x, Num(Fraction(0))))
    assert not lines._folded_sum((two, x, two))
    for kids in [(two, x), (x, Neg(two)), (x, Num(Fraction(-2))), (two, x, two)]:
        assert lines._fold_sum(kids) == Add(kids) or not lines._folded_sum(kids)


@settings(max_examples=60, deadline=None)
@given(diff_exprs("x", max_leaves=8))
def test_lines_fold_as_without_the_memo(e):
    try:
        stage = differentiate(e, "x").stages[0]
    except Exception:  # noqa: BLE001 - the engine's refusals are not this test's business
        return
    memo: dict = {}
    for line, _ in stage.lines() or ():
        assert lines.fold(line, memo) == lines.fold(line)


# ------------------------------------------------------------------ layout's scans

def _depths_loop(s):
    out, d = [], 0
    for ch in s:
        if ch in layout.CLOSE:
            d -= 1
        out.append(d)
        if ch in layout.OPEN:
            d += 1
    return out


def _group_loop(s, i):
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
    return s[i + 1:], len(s)


def _width_loop(plain):
    width, i = 0.0, 0
    while i < len(plain):
        ch = plain[i]
        if ch in "^_":
            if i + 1 < len(plain) and plain[i + 1] == "{":
                inner, i = _group_loop(plain, i + 1)
                width += 0.7 * layout.latex_width(inner)
            else:
                width += 0.7
                i += 2
            continue
        if ch not in "{}":
            width += 0.45 if ch == " " else 1.0
        i += 1
    return width


PIECES = list("ab x+-=()[]{}^_") + [" + ", " - ", " = ", "  ", "^{2}", "_{1}", "x^{", "}{", "^x",
                                      "\\left(", "\\right)", "\\left[", "\\right]", "yyyyyyyyyyyy"]


def _strings(n: int, longest: int, seed: int):
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_scans_agree_with_loops_over_the_characters():
    for s in _strings(4000, 30, 1):
        assert layout._depths(s) == _depths_loop(s)
        assert layout._sign_gaps(s) == [i for i in range(1, len(s) - 2)
                                        if s[i] == " " and s[i + 1] in "+-" and s[i + 2] == " "]
        assert layout._factor_gaps(s) == [i for i in range(1, len(s) - 1) if s[i] == " "
                                          and s[i - 1] not in "+-=" and s[i + 1] not in "+-="]
        for i in range(len(s)):
            assert layout._group(s, i) == _group_loop(s, i)


def test_long_plain_widths_are_the_glyph_by_glyph_sums_to_the_bit():
    for s in _strings(3000, 60, 2):
        plain = s.replace("\\", "")
        assert layout._plain_width(plain).hex() == _width_loop(plain).hex()


@pytest.mark.parametrize("room", [52, 20, 7.5, 3])
def test_prose_that_fits_is_one_chunk_exactly_when_cutting_says_so(room):
    rng = random.Random(int(room * 10))
    for _ in range(3000):
        tex = "".join(rng.choice(["a", "b", " ", "  ", "$x$", "$", "word"]) for _ in range(rng.randint(0, 20)))
        assert layout.text_chunks(tex, room) == layout._prose_chunks(tex, room)


# ------------------------------------------------------------------ the JSON's sizes

def test_json_budget_sizes_remembered_are_the_walked_ones():
    trees = [differentiate("sin(x^2) e^x", "x").answer, _nest(300),
             Pow(Add((Sym("x"), Num(Fraction(1)))), Num(Fraction(2)))]
    shared = Mul(tuple(trees))
    for limit in (0, 3, 10, 1000, 10 ** 6):
        plain = [solution_json._size_within(t, limit) for t in trees + [shared]]
        assert plain == [min(size(t), limit + 1) for t in trees + [shared]]
        with shared_prints():
            assert [solution_json._size_within(t, limit) for t in trees + [shared]] == plain
