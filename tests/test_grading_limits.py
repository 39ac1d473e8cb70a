"""Never an internal error, never unbounded work: the grader's own limits."""
import time

import pytest

from tutor.errors import TutorError
from tutor.grade import check, check_work
from tutor.grade.answer import read


def test_a_tower_answer_is_refused_from_its_text():
    """Refused by the raw-text depth check, before the reader builds a tree (its speed is a
    benchmark figure, not a timed test: README, Limits)."""
    a = "x^" * 1000 + "x"
    read(a, "auto")
    v = check("x^2", a)
    assert v.verdict == "invalid" and v.feedback == "your answer is nested more than 200 levels deep"


@pytest.mark.parametrize("function, message", [
    ("sin(" * 200 + "x" + ")" * 200, "the function is nested more than 50 levels deep: too deep to grade"),
    ("x" * 1000, "a run of 1,000 letters without a space or operator; the limit is 100"),  # the reader's
    ("*".join(["x"] * 60), "the function has a product of 60 factors; the limit for grading is 40"),
    ("+".join(["x"] * 500), "the function has more than 400 parts: too large to grade"),
])
def test_a_hostile_function_is_an_author_error_quickly(function, message):
    t0 = time.perf_counter()
    with pytest.raises(TutorError) as info:
        check(function, "2x")
    assert time.perf_counter() - t0 < 3
    assert info.value.message == message and info.value.code == "limit"


def test_a_deep_but_legal_function_is_graded_in_bounded_time():
    t0 = time.perf_counter()
    v = check("sin(" * 20 + "x" + ")" * 20, "2x")
    assert v.verdict == "incorrect"
    assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize("n", [990, 1000, 1200])
def test_a_plain_sum_of_many_terms_is_correct(n):
    assert check(f"sin(x) + {n}x^2/2", "cos(x)" + " + x" * n).verdict == "correct"


def test_check_work_never_raises_on_empty_working():
    assert check_work("x^2", []).verdict == "invalid"
