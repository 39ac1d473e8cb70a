"""Golden worked solutions for the seed examples (issue 3), in text and LaTeX.

The files in tests/golden/ are the blackboard a teacher signs; a change in wording, order or
form shows up here as a diff. Regenerate after an intended change with
`TUTOR_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and read the diff before committing.
(Every equation in them is also proven by tests/test_engine.py against SymPy.)"""
import os
import pathlib
import re

import pytest

from tutor import differentiate

GOLDEN = pathlib.Path(__file__).parent / "golden"
SEEDS = [  # (file stem, function, variable)
    ("w2", "w^2", "w"), ("2w", "2w", "w"), ("w3", "w^3", "w"), ("1_over_w", "1/w", "w"),
    ("1_over_w2", "1/w^2", "w"), ("poly", "3x^3 - 3x + 5", "x"), ("sin_x2", "sin(x^2)", "x"),
    ("partial_w1", "sin(w1) w2 (1 - w2)", "w1"), ("partial_w2", "sin(w1) w2 (1 - w2)", "w2"),
    ("exp_t", "e^t", "t"), ("ln_t", "ln t", "t"), ("sin_t", "sin t", "t"), ("cos_t", "cos t", "t"),
    ("tan_t", "tan t", "t"), ("max", "max(y z, y + 2x)", "x"), ("relu", "relu(w11 x1 + w21 x2)", "w11"),
    ("product_exp", "sin(x^2) e^x", "x"), ("quotient", "(x^2 + 1)/(x - 1)", "x"), ("x_to_x", "x^x", "x"),
]


def _render(function, var):
    sol = differentiate(function, var)
    return (sol.to_text(detail="full") + "\n", sol.to_latex() + "\n")


@pytest.mark.parametrize("stem,function,var", SEEDS, ids=[s[0] for s in SEEDS])
def test_seed_worked_solution(stem, function, var):
    text, latex = _render(function, var)
    for suffix, got in ((".txt", text), (".tex", latex)):
        path = GOLDEN / (stem + suffix)
        if os.environ.get("TUTOR_UPDATE_GOLDEN"):
            path.write_text(got)
        assert got == path.read_text(), f"{path.name} changed: regenerate if intended (see docstring)"


def test_seed_answers_read_like_an_answer_key():
    """The last line of each seed's text solution, as the course notes write the answer."""
    expected = {"w^2": "2w", "2w": "2", "w^3": "3w^2", "1/w": "-1/w^2", "1/w^2": "-2/w^3",
                "3x^3 - 3x + 5": "9x^2 - 3", "sin(x^2)": "2x cos(x^2)", "e^t": "e^t", "ln t": "1/t",
                "sin t": "cos(t)", "cos t": "-sin(t)", "tan t": "sec(t)^2"}
    for function, answer in expected.items():
        text = differentiate(function).to_text()
        assert re.search(r"Answer: .* = (.*)$", text).group(1) == answer, function
