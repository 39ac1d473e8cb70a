"""Nested brackets as a textbook writes them (issue 10: no `((` in a normal-detail line).

The one rule, in the printers' `_enclose`: a bracket that would open right inside another
becomes the outer `[...]` (`[(x + 1)/x]^2`, `sqrt[(1 + x)/(1 - x)]`), in text, Unicode and
LaTeX (`\\left[`); SymPy code keeps round brackets (`[...]` is a Python list). The calc parser
reads `[...]` as grouping, so printed text still reads back to the same tree."""
from __future__ import annotations

import json
import pathlib

import pytest

from tutor import differentiate
from tutor.language import parse, parse_calc
from tutor.printing import to_latex, to_sympy, to_text, to_unicode

DATA = pathlib.Path(__file__).parent / "data"
CASES = [
    ("((x + 1)/(x - 1))^2", "[(x + 1)/(x - 1)]^2"),
    ("sqrt((1 + x)/(1 - x))", "sqrt[(1 + x)/(1 - x)]"),
    ("2x/((x^2 + 1) ln(3))", "2x/[(x^2 + 1) ln(3)]"),
    ("((x^2 + 1)^3)^2", "[(x^2 + 1)^3]^2"),
    ("(((x + 1)^2 + 1)^2 + 1)^2", "([(x + 1)^2 + 1]^2 + 1)^2"),
    ("log_3((x + 1) x)", "log_3[(x + 1) x]"),
]


@pytest.mark.parametrize("src, text", CASES)
def test_outer_bracket_is_square_and_reads_back(src, text):
    e = parse(src)
    assert to_text(e) == text
    assert parse_calc(text) == e
    assert "((" not in to_unicode(e)
    assert "[" not in to_sympy(e)
    assert r"\left(\left(" not in to_latex(e)


def test_round_brackets_on_request():
    assert to_text(parse("((x + h)^2 - x^2)/h"), nested=False) == "((x + h)^2 - x^2)/h"


def _corpus():
    return [json.loads(line) for name in ("seeds.jsonl", "practice.jsonl")
            for line in (DATA / name).read_text().splitlines() if line.strip()]


def test_no_double_bracket_in_any_normal_line_of_the_corpus():
    bad = []
    for row in _corpus():
        text = differentiate(row["expr"], row["var"], row.get("order", 1)).to_text()
        bad += [(row["id"], ln) for ln in text.splitlines() if "((" in ln]
    assert bad == []


def test_every_line_of_the_corpus_fits_100_columns_answer_included():
    """The Answer line too: past 100 characters the answer goes on `  = ...` rows under it."""
    wide = []
    for row in _corpus():
        text = differentiate(row["expr"], row["var"], row.get("order", 1)).to_text()
        wide += [(row["id"], len(ln)) for ln in text.splitlines() if len(ln) > 100]
    assert wide == []
    text = differentiate("sin(sin(sin(sin(sin(x)))))").to_text().splitlines()
    assert text[-2] == "Answer: d/dx[sin(sin(sin(sin(sin(x)))))]" and text[-1].startswith("  = cos(")
