"""The log notation setting reaches the grader: `log x` is ln x by default and log10 x with
`log10=True`, in the function and in the answer, and one process that grades both ways (a
service) never answers from the other notation's cached reference or reading."""
from __future__ import annotations

import tutor
from tutor.cli import main


def test_verdicts_follow_the_notation_in_one_process():
    for _ in range(2):                                   # the second round comes from the caches
        assert tutor.check("log(x)", "1/x").verdict == "correct"
        assert tutor.check("log(x)", "1/x", log10=True).verdict == "incorrect"
        assert tutor.check("log(x)", "1/(x ln(10))", log10=True).verdict == "correct"
        assert tutor.check("log(x)", "1/(x ln(10))").verdict == "incorrect"
        assert tutor.check("x^2", "log(x^2)/log(x)", log10=True).verdict == "incorrect"  # 2, not 2x
        assert tutor.check("x log x", "log(x) + 1/ln(10)", log10=True).verdict == "correct"


def test_check_work_and_cli_take_the_setting(capsys):
    assert tutor.check_work("log(sec x)", ["tan(x)/ln(10)"], log10=True).verdict == "correct"
    assert tutor.check_work("log(sec x)", ["tan(x)/ln(10)"]).verdict == "incorrect"
    assert main(["check", "log(sec x)", "tan(x)/ln(10)", "--log10"]) == 0
    assert "CORRECT" in capsys.readouterr().out


def test_the_service_takes_log10():
    import json
    from tutor.service import jobs, schemas
    args = schemas.validate("check", {"function": "log(x)", "answer": "1/(x ln 10)", "log10": True})
    assert json.loads(jobs.run("check", args).body)["verdict"] == "correct"
    args = schemas.validate("check", {"function": "log(x)", "answer": "1/(x ln 10)"})
    assert json.loads(jobs.run("check", args).body)["verdict"] == "incorrect"
    import pytest
    with pytest.raises(schemas.FieldError, match="log10"):
        schemas.validate("check", {"function": "log(x)", "answer": "1/x", "log10": "yes"})
