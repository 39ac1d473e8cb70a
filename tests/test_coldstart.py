"""Cold start (issue 15): what a fresh `tutor` process imports, never how long it takes.

`python -X importtime` lists every module a process imports (on stderr), so these tests read
that list: `tutor diff x^2` (read by the hand-written fast path) must not import Lark, SymPy,
Matplotlib or Starlette, while an input that needs Lark (LaTeX, a syntax error) still gets it
and still answers and refuses exactly as before. The timings themselves live in
benchmarks/bench_parse.py, side by side with `import sympy`.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEAVY = ("lark", "sympy", "matplotlib", "starlette", "uvicorn", "numpy")


def _run(args: list[str], tmp_path, **env) -> tuple[subprocess.CompletedProcess, set[str]]:
    """`python -X importtime -m tutor ARGS` from another directory: (the run, the top-level
    packages it imported)."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"), **env)
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "tutor", *args],
                       capture_output=True, text=True, cwd=tmp_path, env=environ, timeout=60)
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in r.stderr.splitlines() if line.startswith("import time:")}
    r.stderr = "\n".join(line for line in r.stderr.splitlines()
                          if not line.startswith("import time:"))
    return r, imported


def test_diff_x_squared_imports_no_heavy_package(tmp_path):
    r, imported = _run(["diff", "x^2"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Answer: d/dx[x^2] = 2x" in r.stdout
    assert "tutor" in imported and "argparse" in imported     # the list is read right
    assert sorted(set(HEAVY) & imported) == []


@pytest.mark.parametrize("args", [["parse", "x"], ["check", "x^2", "2x"],
                                  ["diff", "sin(x) e^(2x)", "--format", "json"]])
def test_other_everyday_commands_import_no_heavy_package(tmp_path, args):
    r, imported = _run(args, tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(set(HEAVY) & imported) == []


def test_latex_input_still_reads_through_lark_and_its_cache(tmp_path):
    r, imported = _run(["diff", "\\frac{1}{x}"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "= -1/x^2" in r.stdout.splitlines()[-1]
    assert "lark" in imported and "sympy" not in imported
    tables = sorted(p.name for p in (tmp_path / "cache" / "tutor").iterdir())
    assert len(tables) == 1 and tables[0].startswith("latex-lark")
    again, _ = _run(["diff", "\\frac{1}{x}"], tmp_path)     # loaded from the cache file
    assert again.stdout == r.stdout


def test_grammar_cache_can_still_be_turned_off(tmp_path):
    r, imported = _run(["diff", "\\sin{x}"], tmp_path, TUTOR_GRAMMAR_CACHE="0")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "Answer: d/dx[sin(x)] = cos(x)"
    assert "lark" in imported
    assert not (tmp_path / "cache" / "tutor").exists() or not any(
        (tmp_path / "cache" / "tutor").iterdir())


def test_calculator_text_the_fast_path_declines_still_reads(tmp_path):
    """A d/dx written in the text and an error are the Lark path's: Lark is imported then, and
    answers as before (`|x|` and Unicode are the fast reader's since the grader's speed work)."""
    r, imported = _run(["diff", "d/dx(x^2 + 1)"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "lark" in imported
    bad, _ = _run(["diff", "sin"], tmp_path)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.splitlines() == ["tutor diff: sin needs an argument (line 1, column 1)",
                                       "  sin", "  ^", "hint: write sin(x)"]


def test_import_tutor_and_a_fast_parse_need_no_lark():
    code = ("import sys, tutor; tutor.parse('3x^2 sin x + e^(2x)'); tutor.parse_calc('x y'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{HEAVY!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]"


def test_token_class_is_still_a_lark_token_with_a_head():
    from lark import Token
    from tutor.language import words
    from tutor.language.calc import _calc_parser

    assert issubclass(words.Tok, Token) and words.Tok.head_of is None
    tokens = list(_calc_parser().lex("sin(x)"))
    assert [t.type for t in tokens][:2] == ["FUNC", "_CALL_OPEN"]
    assert all(isinstance(t, words.Tok) for t in tokens)
    assert tokens[1].head_of is tokens[0]
    with pytest.raises(AttributeError):
        words.NotAName  # noqa: B018


def test_grammar_files_are_read_from_disk_and_a_missing_one_is_an_install_error():
    from tutor.errors import TutorError
    from tutor.language import grammar_text

    assert grammar_text("calc.lark") == (ROOT / "grammar" / "calc.lark").read_text(encoding="utf-8")
    with pytest.raises(TutorError) as err:
        grammar_text("nope.lark")
    assert err.value.code == "install"
    assert err.value.message == ("grammar file 'nope.lark' not found (looked in the package and "
                                 f"{ROOT / 'grammar' / 'nope.lark'})")


# ------------------------------------------------------------------ the CLI's start-up

def _subparser(parser, name):
    import argparse
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices.get(name)


@pytest.mark.parametrize("name", ["diff", "check", "plot", "grade", "notes"])
def test_one_subcommand_parser_is_the_one_among_all(name):
    from tutor import cli
    alone, among = _subparser(cli._build_parser(name), name), _subparser(cli._build_parser(), name)
    assert alone.format_help() == among.format_help()
    assert alone.format_usage() == among.format_usage()
    assert [a.dest for a in alone._actions] == [a.dest for a in among._actions]
    assert _subparser(cli._build_parser(name), "parse" if name != "parse" else "diff") is None


def test_main_help_still_lists_every_command(capsys):
    from tutor import cli
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert all(f"    {name}" in out for name in cli.HANDLERS)


@pytest.mark.parametrize("columns", [None, "40", "200", "0", "-3", "wide"])
def test_help_width_is_shutils(monkeypatch, columns):
    import argparse
    from tutor import cli
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    ours, stdlib = cli._Formatter("tutor"), argparse.HelpFormatter("tutor")
    assert (ours._width, ours._max_help_position) == (stdlib._width, stdlib._max_help_position)


def test_the_entry_point_freezes_start_up_but_a_caller_of_main_is_left_alone(capsys):
    import gc
    from tutor import cli
    code = ("import gc, sys; sys.argv = ['tutor', 'diff', 'x^2']; from tutor.cli import main; "
            "main(); print(gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=60)
    assert out.stdout.splitlines()[-2:] == ["Answer: d/dx[x^2] = 2x", "True"]
    before = gc.get_freeze_count()
    assert cli.main(["diff", "x^2"]) == 0
    assert gc.get_freeze_count() == before
    assert capsys.readouterr().out.splitlines()[-1] == "Answer: d/dx[x^2] = 2x"
