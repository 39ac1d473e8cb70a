"""The fast path (tutor/language/fast.py) is a pure optimisation: wherever it answers, its tree is
exactly the Lark path's; wherever the Lark path fails, it declines (so errors stay Lark's)."""
from __future__ import annotations

import contextlib
import glob
import json
import pathlib
import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import exprs
from tutor.errors import TutorError
from tutor.language.fast import fast_parse
from tutor.language import parse_calc
from tutor.printing import to_text

HERE = pathlib.Path(__file__).resolve().parent


@contextlib.contextmanager
def _lark_only():
    with mock.patch("tutor.language.fast.fast_parse", lambda text: None):
        yield


def _outcome(text: str):
    try:
        return ("ok", parse_calc(text))
    except TutorError as exc:
        return ("error", type(exc).__name__, str(exc), exc.code)


def _agree(text: str) -> bool:
    """Assert the identity for one input; True when the fast path answered."""
    fast = fast_parse(text)
    with _lark_only():
        slow = _outcome(text)
    if fast is not None:
        assert slow == ("ok", fast), (text, fast, slow)
    assert _outcome(text) == slow, text   # the public function, fast path on
    return fast is not None


def _table_texts() -> list[str]:
    texts = set()
    for path in ("test_parse_calc.py", "test_parse_errors.py"):
        for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', (HERE / path).read_text(encoding="utf-8")):
            texts.add(m.group(1))
    for path in glob.glob(str(HERE / "data" / "*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            for key in ("expr", "function", "answer", "expected"):
                if isinstance(row.get(key), str) and "\\" not in row[key]:
                    texts.add(row[key])
    return sorted(texts)


def test_every_table_and_data_string_agrees():
    texts = _table_texts()
    taken = sum(_agree(t) for t in texts)
    assert len(texts) > 1000 and taken > 500   # the fast path really carries the common case


COMMON = ["3/(3x-2)", "8(2x+5)^3", "2x cos(x^2) e^x + sin(x^2) e^x", "e^x (2x cos(x^2) + sin(x^2))",
          "-3/(3x - 2)^2", "x^-2", "sin^2 x", "sin^-1 x", "log(x, 2)", "log10 x", "2 pi r",
          "sin x cos x", "sin -x", "1/2x", "-x*y/z", "(-x)/y", "-(-x)/y", "x**2**3", "2e3x",
          "sqrt(1 - x^2)", "max(x, y, 1)", "[x + 1]^2 {y}", "sin^(2)(x) y", "e^sin(x)^2", "0.5x",
          "ln(x) + 1", "xy2", "sinx", "abs(x)"]


@pytest.mark.parametrize("text", COMMON)
def test_common_answers_take_the_fast_path(text):
    assert _agree(text)


DECLINED = ["d/dx[x^2]", "sin(x)'", "2 3", "1.2.3", "sinn(x)", "x^sin x",
            "sin cos(x)", "[x > 1]", "θ x", "x,y", "sin^x(y)", "sin^2^3 x", "log_(2)(x)", "x_{1}",
            "x +", "()", "sin", "3 = x", "2,5", "", "d²/dx²[x³]", "|x)", "(|x)|", "|x", "sin_2(x)"]


@pytest.mark.parametrize("text", DECLINED)
def test_outside_the_subset_declines(text):
    assert fast_parse(text) is None
    if text.strip():
        _agree(text)


_TOKENS = ["x", "y", "2", "0.5", ".5", "1e2", "pi", "e", "w1", "xy", "sin", "cos", "ln", "log",
           "sqrt", "max", "log10", "sinx", "+", "-", "*", "/", "^", "**", "(", ")", "[", "]",
           "{", "}", ",", " ", "sin^2", "sin^-1", "abc", "|"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=12))
def test_token_soup_agrees(tokens):
    _agree("".join(tokens))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=12))
def test_spaced_token_soup_agrees(tokens):
    _agree(" ".join(tokens))


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=10))
def test_printed_trees_agree(tree):
    _agree(to_text(tree))
