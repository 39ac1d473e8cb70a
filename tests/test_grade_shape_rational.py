"""The shape walk's `rational` (grade.answer.Shape, which spares the grader a walk of its own)
is equivalence.is_rational, on every answer of the grader bank and on the edge cases of its
exponent test."""
from __future__ import annotations

import json
from pathlib import Path

from tutor.errors import TutorError
from tutor.grade.answer import shape
from tutor.grade.equivalence import is_rational
from tutor.language import parse

EDGES = ["x^64", "x^65", "x^(-64)", "x^(-65)", "x^(1/2)", "x^-2", "x^x", "2^x", "e^x", "x^e",
         "x^(2/1)", "(x+1)^3/(x-1)", "pi x", "sin(x)", "|x|", "x^0", "x^(--2)", "[x > 1]",
         "3", "x", "-x", "x^2^3", "x^(2^3)", "(x^2)^(-3) + 1/x", "x^(0.5)", "x^(64.0)"]


def _texts() -> list[str]:
    rows = Path(__file__).parent / "data" / "grader_bank.jsonl"
    return EDGES + [json.loads(line)["answer"] for line in rows.read_text().splitlines()
                    if line.strip()]


def test_the_shape_walk_knows_what_is_rational_knows():
    checked = 0
    for text in _texts():
        try:
            e = parse(text)
        except TutorError:
            continue
        assert shape(e, 3000).rational == is_rational(e), text
        checked += 1
    assert checked > 400


def test_a_refused_size_is_not_rational():
    e = parse(" + ".join(["x"] * 40))
    assert shape(e, 10).rational is False and is_rational(e)
