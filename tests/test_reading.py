"""Reading what students type (issue 9, "Reading"): braces, variable names, wrappers."""
import pytest

import tutor
from tutor.errors import TutorError
from tutor.language import parse
from tutor.printing import to_text


# ------------------------------------------------------------------ braces are not LaTeX

@pytest.mark.parametrize("text, read", [
    ("e^{2x} sin x", "e^(2x) sin(x)"),
    ("tan^{-1}(x)", "atan(x)"),
    ("log_{10}(x)", "log10(x)"),
    ("x^{2} + 1", "x^2 + 1"),
])
def test_braces_read_as_brackets_in_calculator_syntax(text, read):
    assert to_text(parse(text)) == read


@pytest.mark.parametrize("text, read", [
    (r"\frac{1}{2} sin x", "(1/2) sin(x)"),
    (r"\frac{1}{2} sin(x)", "(1/2) sin(x)"),
    (r"\frac{1}{2} log_{2} x", "(1/2) log2(x)"),
    (r"\mathrm{sin} x", "sin(x)"),
    (r"\frac{ab}{2}", "a b/2"),
])
def test_latex_accepts_bare_function_names(text, read):
    assert to_text(parse(text)) == read


def test_check_with_braces_in_a_plain_answer_is_correct():
    v = tutor.check("e^(2x) sin x", "2e^{2x} sin x + e^{2x} cos x")
    assert v.correct
