"""check_work judges each line against the line before; definitions and derivative names on
the left are accepted; an empty working is a verdict."""
from tutor.grade import check_work
from tutor.grade.work import working_lines


def test_empty_working_is_an_invalid_verdict():
    for lines in ([], "", ["", "   "]):
        w = check_work("x^2", lines)
        assert w.verdict == "invalid" and w.score == 0.0
        assert "no working" in w.feedback


def test_algebra_slip_after_right_lines_is_judged_against_the_line_before():
    w = check_work("x^2 sin x", ["= d/dx[x^2] sin x + x^2 d/dx[sin x]",
                                 "= 2x sin x + x^2 cos x",
                                 "= x(2 sin x - x cos x)"])
    assert w.verdict == "incorrect" and w.first_wrong == 3
    assert w.score == 0.5 and w.diagnoses == ()
    assert "algebra slip on line 3" in w.feedback and "sin" not in w.feedback.split(":")[0]
    assert "Check the sign" not in w.feedback


def test_rule_slip_right_after_a_line_with_d_dx_keeps_its_diagnosis():
    w = check_work("sin(x^2)", ["= d/dx[sin(x^2)]", "= cos(x^2)"])
    assert w.first_wrong == 2 and w.diagnoses[0].id == "chain-rule-missing-inner"


def test_definitions_and_prefixes_are_accepted():
    w = check_work("x^2 sin x", ["u = x^2, v = sin x", "u' = 2x", "v' = cos x",
                                 "dy/dx = u' v + u v'", "dy/dx = 2x sin x + x^2 cos x",
                                 "y' = x(2 sin x + x cos x)"])
    assert w.verdict == "correct", w.to_text()
    assert len(w.lines) == 2


def test_working_lines():
    assert working_lines(["f'(x) = 2x = 2 x"]) == ["2x", "2 x"]
    assert working_lines(["d/dx[x^2] = 2x"]) == ["2x"]
    assert working_lines(["= 2x + [x >= 1]"]) == ["2x + [x >= 1]"]
