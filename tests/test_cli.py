"""The command line as a program that embeds it sees it: expressions that start with a minus,
exit statuses that never confuse a usage error with a student's unreadable answer, and JSON
errors when JSON was asked for."""
from __future__ import annotations

import io
import json
import sys

import pytest

from tutor.cli import EXIT_AUTHOR, EXIT_USAGE, main


@pytest.mark.parametrize("argv", [
    ["diff", "-x^2"], ["diff", "-x^2", "--detail", "brief"], ["diff", "--detail", "brief", "-x^2"],
    ["diff", "-x", "--var", "x"], ["parse", "-2/w^3"], ["numeric", "-x^2", "--at", "x=1"],
    ["dual", "-x y", "--wrt", "x", "--at", "x=1,y=2"], ["backprop", "-x y", "--at", "x=1,y=2"],
    ["descend", "-(w-1)^2 + w^4", "--start", "0"], ["grad", "-x y"],
    ["check", "1/x", "-1/x^2"], ["check", "-x^2", "-2x"],
])
def test_a_leading_minus_is_an_expression(argv, capsys):
    assert main(argv) == 0
    assert capsys.readouterr().err == ""


def test_check_exit_statuses_are_distinct(capsys):
    assert main(["check", "x^2", "2x"]) == 0
    assert main(["check", "x^2", "3x"]) == 1
    assert main(["check", "x^2", "2x+"]) == 2          # the student's answer is unreadable
    assert main(["check", "x^2("]) == EXIT_USAGE       # no answer: the command line is wrong
    assert main(["check", "x^2(", "2x"]) == EXIT_AUTHOR  # the problem itself is unreadable
    assert main(["check", "x^2", "2x", "--bogus"]) == EXIT_USAGE
    assert main(["diff"]) == EXIT_USAGE
    assert main(["diff", "sin("]) == 2


@pytest.mark.parametrize("argv, status, code", [
    (["check", "x^2", "--format", "json"], EXIT_USAGE, "usage"),
    (["check", "x^2", "2x", "--format", "json", "--bogus"], EXIT_USAGE, "usage"),
    (["check", "x^2(", "2x", "--format", "json"], EXIT_AUTHOR, "unbalanced"),
    (["diff", "sin(", "--format", "json"], 2, "unbalanced"),
    (["diff", "x^2", "--format=json", "--order", "x"], EXIT_USAGE, "usage"),
])
def test_errors_are_json_when_json_is_asked_for(argv, status, code, capsys):
    assert main(argv) == status
    out = json.loads(capsys.readouterr().out)
    assert out["schema"] == "tutor.error/1" and out["exit"] == status
    assert out["error"]["code"] == code and out["error"]["message"]


def test_parse_error_json_has_its_position(capsys):
    assert main(["parse", "sin(", "--format", "json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["line"], error["column"]) == (1, 4) and error["hint"]


def test_work_from_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("= 2x sin x + x^2 cos x\n"))
    assert main(["check", "x^2 sin x", "--work", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "correct"


def test_a_run_of_signs_is_an_expression_not_an_option(capsys):
    assert main(["check", "-" * 500 + "x", "2x"]) == 1        # incorrect: the function is x
    assert main(["diff", "---x", "--detail", "brief"]) == 0
    assert main(["check", "x^2", "2x", "--bogus-flag"]) == EXIT_USAGE


@pytest.mark.parametrize("argv", [
    ["diff", "x^2"], ["diff", "x^2", "--at", "x=2"], ["numeric", "w^2", "--at", "w=3"],
    ["grad", "x^2 y", "--at", "x=1,y=2"], ["dual", "x^2", "--wrt", "x", "--at", "x=2"],
    ["backprop", "x y", "--at", "x=1,y=2"], ["descend", "(w-3)^2"], ["definition", "x^2"],
    ["implicit", "x^2 + y^2 = 25"], ["tangent", "x^2", "--at", "x=1"], ["check", "x^2", "2x"]],
    ids=lambda a: " ".join(a))
def test_every_route_prints_a_whole_html_page(argv, capsys):
    """`--format html`: the record's own to_html, a standalone page (MathML, no script)."""
    assert main(argv + ["--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!doctype html>") and out.count("<section") >= 1
    assert "<script" not in out and "<math" in out
