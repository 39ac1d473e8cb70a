"""Gradient descent: the seed's update, convergence, divergence, several variables, errors."""
import json

import pytest

from tutor.cli import main
from tutor.routes.descent import descend
from tutor.errors import TutorError, VariableError


def test_bowl_iterates_match_closed_form():
    d = descend("(w - 3)^2", "w", start=0, rate=0.1, steps=10)
    assert d.status == "limit"
    for it in d.iterations:
        assert it.w[0] == pytest.approx(3 - 3 * 0.8 ** it.k, abs=1e-12)
    assert d.iterations[1].w[0] == pytest.approx(0.6, abs=1e-15)
    text = d.to_text()
    assert text.splitlines()[1] == "dJ/dw = 2(w - 3)"
    assert "w := 0 - 0.1·(-6) = 0.6" in text
    assert "w := 0.6 - 0.1·(-4.8) = 1.08" in text


def test_converges_with_reason():
    d = descend("(w - 3)^2", "w", start=0, rate=0.1, steps=1000, tol=1e-10)
    assert d.status == "converged" and "below tol" in d.reason
    assert d.final[0] == pytest.approx(3, abs=1e-9)
    d = descend("(w - 3)^2", start=0, rate=0.5)
    assert d.status == "converged" and d.reason == "converged: the gradient is 0 at iteration 1 (a stationary point)"


def test_diverges_with_reason():
    d = descend("(w - 3)^2", start=0, rate=1.1, steps=500)
    assert d.status == "diverged" and d.reason.startswith("diverged: |w| or |J| passed 1e+12")
    d = descend("(w - 3)^2", start=0, rate=1.1, steps=20)
    assert d.status == "limit" and "rate looks too large" in d.reason


def test_two_variable_bowl():
    d = descend("(w1 - 1)^2 + 2 (w2 + 2)^2", "w1,w2", start="0,1", rate=0.1, steps=500)
    assert d.status == "converged"
    assert d.final[0] == pytest.approx(1, abs=1e-8) and d.final[1] == pytest.approx(-2, abs=1e-8)


def test_leaving_the_domain():
    d = descend("ln(w)", start=1, rate=2, steps=5)
    assert d.status == "domain"
    assert d.reason == ("left the domain: J is undefined at w = -1: ln is undefined at -1 "
                        "(its argument must be > 0)")


def test_errors():
    with pytest.raises(TutorError) as info:
        descend("w1^2 + w2^2", "w1,w2", start="0")
    assert info.value.message == "the start point has 1 value but there are 2 variables (w1, w2)"
    with pytest.raises(VariableError):
        descend("w1^2 + w2^2", "w1", start=0)
    with pytest.raises(TutorError):
        descend("w^2", start=0, rate=-1)


def test_cli(capsys):
    assert main(["descend", "(w-3)^2", "--var", "w", "--start", "0", "--rate", "0.1", "--steps", "3"]) == 0
    out = capsys.readouterr().out
    assert "Stopped after 3 iterations" in out
    assert main(["descend", "w1^2 + w2^2", "--var", "w1,w2", "--start", "0,1", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["schema"] == "tutor.descent/1" and d["iterations"][1]["w"] == [0.0, 0.8]
    for fmt in ("latex", "markdown"):
        assert main(["descend", "w^2", "--start", "1", "--format", fmt]) == 0
    capsys.readouterr()


def test_a_start_outside_the_domain_is_a_clear_error():
    import tutor
    with pytest.raises(tutor.DomainError, match="cannot start there: J is undefined at x = 0"):
        tutor.descend("ln(x)", "x", 0)
    with pytest.raises(tutor.DomainError, match="dJ/dx is undefined at x = 1"):
        tutor.descend("-asin(x)", "x", "1", steps=3)
