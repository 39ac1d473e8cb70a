"""Sampling where the functions live: domains and changes far from 0 (README, the grader's
method). SymPy is the oracle for the derivatives; verdicts are seeded, so repeatable."""
import pytest
import sympy

from tutor.grade import check, clear_caches
from tutor.grade.equivalence import centres
from tutor.language import parse

X = sympy.Symbol("x")
SHIFTS = (300, -300, 1000, -1000, 10**4, -10**4)


def _tutor(e) -> str:
    return str(e).replace("**", "^").replace("log", "ln").replace("asin", "asin")


def _cases():
    for c in SHIFTS:
        s = X - c
        yield sympy.sqrt(s)
        yield sympy.log(s)
        yield sympy.log(s) * sympy.sqrt(s)
        yield sympy.asin(s / 2)
        yield sympy.sqrt(s) / (X - c - 5)


@pytest.mark.parametrize("f", list(_cases()), ids=str)
def test_far_domains_are_graded_correct_and_wrong_answers_incorrect(f):
    d = sympy.diff(f, X)
    right = check(_tutor(f), _tutor(d))
    assert right.verdict == "correct", right.feedback
    wrong = check(_tutor(f), _tutor(d * 2 + 1))
    assert wrong.verdict == "incorrect", wrong.feedback


def test_the_shifted_cases_of_the_issue():
    assert check("sqrt(x - 1000)", "1/(2 sqrt(x - 1000))").verdict == "correct"
    assert check("ln(x - 500)", "1/(x - 500)").verdict == "correct"
    assert check("ln(x + 10^4)", "1/(x + 10^4)").verdict == "correct"


@pytest.mark.parametrize("answer", ["2x + [x > 300]", "2x + [x < -1000]", "2x + [x > 10^4]",
                                    "2x + [x > 5000]/10"])
def test_an_answer_that_changes_far_away_is_incorrect(answer):
    v = check("x^2", answer)
    assert v.verdict == "incorrect", v.feedback


def test_a_simple_point_far_from_zero_is_shown():
    v = check("sqrt(x - 1000)", "1/sqrt(x - 1000)")
    assert v.verdict == "incorrect"
    assert "at x = 1001 the derivative is 1/2, your answer gives 1." in v.feedback


def test_verdicts_are_deterministic():
    cases = [("sqrt(x - 1000)", "1/(2 sqrt(x - 1000))"), ("x^2", "2x + [x > 300]"),
             ("ln(x - 500)", "2/(x - 500)")]
    first = [check(f, a).to_dict() for f, a in cases]
    clear_caches()
    assert [check(f, a).to_dict() for f, a in cases] == first


def test_centres_are_the_large_constants():
    assert centres(parse("sin(x) + 3x^2")) == ()
    assert centres(parse("sqrt(x - 1000) + 10^4")) == (-10000.0, -1000.0, 1000.0, 10000.0)
