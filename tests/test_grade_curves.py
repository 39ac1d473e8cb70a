"""Grading the implicit and tangent routes' answers: equal as a function of x and y, or on the
curve; a tangent line in any form."""
from __future__ import annotations

import pytest

from tutor import TutorError, check
from tutor.cli import main


@pytest.mark.parametrize("answer", ["-x/y", "-(x)/(y)", "dy/dx = -x/y", "y' = -x/y", "x/(-y)"])
def test_an_implicit_derivative_equal_as_a_function_is_correct(answer):
    v = check("x^2 + y^2 = 25", answer)
    assert v.verdict == "correct" and "equals dy/dx = -x/y" in v.feedback


def test_an_answer_equal_only_on_the_curve_is_correct_and_says_so():
    v = check("x^2 + y^2 = 25", "-(x^2 + y^2)/y^3", order=2)
    assert v.verdict == "correct" and "on the curve" in v.feedback
    assert check("x^2 + y^2 = 25", "-25/y^3", order=2).verdict == "correct"


@pytest.mark.parametrize("answer", ["x/y", "2x", "-y/x"])
def test_a_wrong_implicit_derivative_is_incorrect(answer):
    assert check("x^2 + y^2 = 25", answer).verdict == "incorrect"


def test_implicit_answers_in_other_letters_or_unreadable_are_invalid():
    assert check("x^2 + y^2 = 25", "-x/z").verdict == "invalid"
    assert check("x^2 + y^2 = 25", "-x/(").verdict == "invalid"
    with pytest.raises(TutorError):
        check("x^2 + y^2 = = 25", "-x/y")


@pytest.mark.parametrize("answer, verdict", [
    ("y = -w/32 + 3/16", "correct"), ("1/16 - (w - 4)/32", "correct"), ("y = 3/16 - w/32", "correct"),
    ("y = w/32", "incorrect"), ("y = -w/32", "incorrect"),
])
def test_a_tangent_line_in_any_form(answer, verdict):
    assert check("1/w^2", answer, tangent_at="w=4").verdict == verdict


def test_a_normal_line_and_a_curve_s_tangent():
    assert check("1/w^2", "y = 32w - 2047/16", tangent_at="w=4", normal=True).verdict == "correct"
    assert check("x^2 + y^2 = 25", "y = -3x/4 + 25/4", tangent_at="x=3,y=4").verdict == "correct"


def test_the_command_line(capsys):
    assert main(["check", "x^2 + y^2 = 25", "-x/y"]) == 0
    assert main(["check", "1/w^2", "y = -w/32 + 3/16", "--tangent-at", "w=4"]) == 0
    assert main(["check", "1/w^2", "y = w/32", "--tangent-at", "w=4"]) == 1
