"""The new catalogue rows: each common slip is recognised, its message printed once."""
import pytest

from tutor.grade import check
from tutor.grade.misconceptions import BY_ID

CASES = [
    ("sin(x)/x^2", "cos(x)/(2x)", 1, "quotient-of-derivatives"),
    ("(x^2 + 1)/(x^3 + 2)", "2x/(3x^2)", 1, "quotient-of-derivatives"),
    ("sin(x^2)", "cos(2x)", 1, "chain-rule-inside-only"),
    ("e^(x^3)", "e^(3x^2)", 1, "chain-rule-inside-only"),
    ("x^x", "x x^(x - 1)", 1, "variable-power-as-power"),
    ("x^x", "x^x ln(x)", 1, "variable-power-as-exponential"),
    ("x^5", "5x^6", 1, "power-rule-exponent-raised"),
    ("3x^4 + x", "12x^5 + 1", 1, "power-rule-exponent-raised"),
    ("x^3 + e^x", "3x^2 - e^x", 1, "sign-slip-term"),
    ("x^4", "4x^3", 2, "lower-order"),
    ("sin(x)", "cos(x)", 2, "lower-order"),
]


@pytest.mark.parametrize("f, answer, order, mid", CASES)
def test_slip_is_diagnosed(f, answer, order, mid):
    v = check(f, answer, order=order)
    assert v.verdict == "incorrect"
    assert mid in [d.id for d in v.diagnoses], v.to_text()
    assert v.diagnoses[0].credit == BY_ID[mid].credit or v.diagnoses[0].id != mid


@pytest.mark.parametrize("f, answer, order, mid", CASES)
def test_each_diagnosis_is_printed_once(f, answer, order, mid):
    text = check(f, answer, order=order).to_text()
    for d in check(f, answer, order=order).diagnoses:
        assert text.count(d.message) == 1


def test_right_answers_are_not_diagnosed():
    for f, _, order, _ in CASES:
        from tutor.solve import differentiate
        from tutor.language import parse
        right = differentiate(parse(f), None, order).answer
        assert check(f, right, order=order).verdict == "correct"
