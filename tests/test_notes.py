"""Answer keys (`tutor notes`, `tutor.answer_key`): a 30-problem set compiled by pdflatex with no
overfull box, the Markdown checked for GitHub/Jupyter (structure, maths delimiters, the table,
KaTeX), answers checked against SymPy, a bad line reported with its number while the rest is
still produced, and the exit statuses."""
from __future__ import annotations

import sys

import pathlib
import re

import pytest
import sympy

import tutor
from tutor.cli import main
from tutor.documents import build_key
from tutor.documents.work import Worked

from conftest import to_sympy
from typeset import katex_errors, pdflatex

SETS = pathlib.Path(__file__).parent / "data" / "problem_sets"
WEEK3 = (SETS / "week3.txt").read_text(encoding="utf-8")
BAD = (SETS / "bad_lines.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def latex_key():
    return build_key(WEEK3, format="latex")


@pytest.fixture(scope="module")
def markdown_key():
    return build_key(WEEK3, format="markdown")


# ---------------------------------------------------------------- the 30-problem set

def test_thirty_problems_every_one_worked(latex_key):
    assert latex_key.problems == 30 and latex_key.failures == ()
    for n in range(1, 31):
        assert f"\\subsection*{{Problem {n}}}" in latex_key.text


def test_the_set_uses_every_option_kind():
    from tutor.documents.problems import OPTION_WORDS
    options = {piece.strip().split(" ")[0] for line in WEEK3.splitlines()
               if line.strip() and not line.startswith("#") for piece in re.split(r"(?<!\\);", line)[1:]}
    assert set(OPTION_WORDS) <= options, set(OPTION_WORDS) - options


def test_latex_key_compiles_with_no_overfull_box(latex_key):
    result = pdflatex(latex_key.text)
    assert result["ok"], result["errors"]
    assert result["overfull"] == [], result["overfull"]


def test_answers_agree_with_sympy(latex_key):
    """Every plain derivative in the table is SymPy's derivative of the function."""
    checked = 0
    from tutor.documents.problems import read_problem_set
    from tutor.documents.work import work
    for n, item in enumerate(read_problem_set(WEEK3).items, 1):
        w = work(n, item)
        assert isinstance(w, Worked)
        if w.route not in ("diff", "at"):
            continue
        sol = w.record if w.route == "diff" else w.record.solution
        f = to_sympy(sol.function)
        expected = f
        for v in sol.variables:
            expected = sympy.diff(expected, sympy.Symbol(v))
        assert sympy.simplify(to_sympy(w.answers[0].value) - expected) == 0, item.text
        checked += 1
    assert checked >= 18


def test_values_at_points_are_exact():
    key = build_key("1/w^2 ; at w=4\nw^2 ; numeric at w=3\nx^2 + y^2 = 25 ; at x=3,y=4\n",
                    format="markdown")
    table = key.text.split("## Answers", 1)[1]
    assert "$f'\\left(4\\right) = -\\frac{1}{32} \\approx -0.03125$" in table
    assert "$k \\approx 6.001000$" in table                           # the lab's line
    assert "\\text{tangent: } y = -\\frac{3 x}{4} + \\frac{25}{4}" in table


# ---------------------------------------------------------------- Markdown

def _maths(text: str) -> list[str]:
    """Every $$...$$ and $...$ span (display first), the delimiters taken off."""
    out = re.findall(r"\$\$(.+?)\$\$", text, flags=re.S)
    rest = re.sub(r"\$\$(.+?)\$\$", " ", text, flags=re.S)
    out += re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", rest)
    return out


def test_markdown_structure(markdown_key):
    text = markdown_key.text
    assert text.startswith("# Derivatives -- answer key, week 3\n")
    heads = re.findall(r"^## Problem (\d+)$", text, flags=re.M)
    assert heads == [str(n) for n in range(1, 31)]
    assert text.count("\n## Answers\n") == 1


def test_markdown_has_no_raw_latex_outside_maths(markdown_key):
    prose = re.sub(r"\$\$(.+?)\$\$", " ", markdown_key.text, flags=re.S)
    prose = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", " ", prose)
    prose = re.sub(r"```.*?```", " ", prose, flags=re.S)
    for env in ("\\begin{", "\\documentclass", "\\section", "\\frac", "\\left"):
        assert env not in prose, env
    for line in markdown_key.text.splitlines():   # delimiters pair up on every line
        if not line.startswith("```"):
            assert (line.count("$") - line.count("\\$")) % 2 == 0, line


def test_markdown_table_has_one_row_per_problem_and_three_cells(markdown_key):
    table = markdown_key.text.split("## Answers", 1)[1].strip().splitlines()
    assert table[0] == "| # | Problem | Answer |" and table[1] == "|---:|---|---|"
    rows = table[2:]
    assert [r.split(" | ")[0] for r in rows] == [f"| {n}" for n in range(1, 31)]
    for r in rows:   # a | inside maths would split the cell on GitHub
        assert r.count("|") == 4, r


def test_markdown_table_writes_absolute_values_without_a_pipe():
    key = build_key("|x^2 - 4|\n", format="markdown")
    row = key.text.rsplit("\n", 2)[-2]
    assert row.count("|") == 4 and "\\vert" in row


def test_markdown_maths_parses_in_katex(markdown_key):
    assert katex_errors(_maths(markdown_key.text)) == {}


# ---------------------------------------------------------------- bad lines

def test_bad_lines_reported_with_their_numbers_and_the_rest_produced():
    key = build_key(BAD, format="markdown")
    assert [(f.line, f.column, f.error.code) for f in key.failures] == [
        (4, 1, "unknown-function"), (6, 7, "option"), (7, 7, "option"), (9, 1, "domain")]
    text = key.text
    assert "> **Line 4 could not be worked** (column 1): unknown function 'sinn'." in text
    assert "> Hint: did you mean `sin`?" in text
    assert "> **Line 6 could not be worked** (column 7): unknown option 'ordr'." in text
    assert "> Hint: did you mean 'order'?" in text
    assert key.problems == 6
    heads = re.findall(r"^## Problem (\d+)$", text, flags=re.M)
    assert heads == ["1", "2", "3", "4", "5", "6"]
    assert "| 2 | *line 4* | *could not be worked* |" in text
    assert "| 5 | $x^{3}$ | $f'\\left(x\\right) = 3 x^{2}$ |" in text


def test_bad_lines_latex_still_compiles():
    key = build_key(BAD, format="latex")
    assert "\\textbf{Line 4 could not be worked} (column 1)" in key.text
    result = pdflatex(key.text)
    assert result["ok"], result["errors"]
    assert result["overfull"] == []


def test_cli_reports_each_bad_line_on_stderr_and_exits_1(tmp_path, capsys):
    path = tmp_path / "set.txt"
    path.write_text(BAD, encoding="utf-8")
    out = tmp_path / "key.md"
    assert main(["notes", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"tutor notes: {path}:4:1: unknown function 'sinn'\n  hint: did you mean `sin`?" in err
    assert f"tutor notes: {path}:6:7: unknown option 'ordr'" in err
    assert f"wrote {out} (6 problems, 4 failed)" in err
    assert out.read_text(encoding="utf-8").count("## Problem") == 6


def test_a_parse_error_points_at_the_column_in_the_file():
    key = build_key("x^2\n  sin(x)) ; at x=1\n", format="markdown")
    (f,) = key.failures
    assert (f.line, f.column) == (2, 9)


# ---------------------------------------------------------------- exit statuses and options

def test_exit_0_and_stdout_when_every_line_works(tmp_path, capsys):
    path = tmp_path / "set.txt"
    path.write_text("Title: Quiz 1\nx^2\n", encoding="utf-8")
    assert main(["notes", str(path), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Quiz 1\n") and "$f'\\left(x\\right) = 2 x$" in out


@pytest.mark.parametrize("argv, text, status, message", [
    (["notes", "{missing}"], None, 2, "cannot read"),
    (["notes", "{set}"], "# title: nothing\n# only comments\n", 2, "the problem set has no problems"),
    (["notes", "{set}", "--format", "docx"], "x^2\n", 64, "invalid choice"),
    (["notes", "{set}", "--detail", "most"], "x^2\n", 64, "invalid choice"),
])
def test_exit_statuses(tmp_path, capsys, argv, text, status, message):
    path = tmp_path / "set.txt"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    argv = [a.format(missing=tmp_path / "nope.txt", set=path) for a in argv]
    assert main(argv) == status
    assert message in capsys.readouterr().err


def test_svg_plots_without_matplotlib_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)      # as if the [plot] extra were absent
    path = tmp_path / "set.txt"
    path.write_text("x^2\n", encoding="utf-8")
    assert main(["notes", str(path), "--plots", "--format", "markdown"]) == 2
    err = capsys.readouterr().err
    assert "figures (--plots) in SVG need Matplotlib" in err
    assert 'pip install ".[plot]"' in err and "Traceback" not in err
    assert main(["notes", str(path), "--plots", "--format", "latex"]) == 0   # TikZ needs nothing


def test_format_follows_the_output_suffix(tmp_path, capsys):
    path = tmp_path / "set.txt"
    path.write_text("x^2\n", encoding="utf-8")
    assert main(["notes", str(path), "-o", str(tmp_path / "k.md")]) == 0
    assert (tmp_path / "k.md").read_text(encoding="utf-8").startswith("# Answer key\n")
    assert main(["notes", str(path), "-o", str(tmp_path / "k.tex")]) == 0
    assert (tmp_path / "k.tex").read_text(encoding="utf-8").startswith("\\documentclass")


def test_api_answer_key_and_title_forms():
    assert tutor.answer_key("x^2", format="markdown").startswith("# Answer key\n")
    assert tutor.answer_key("# title: Week 1\nx^2", format="markdown").startswith("# Week 1\n")
    assert tutor.answer_key("Title: Week 2\nx^2", format="markdown").startswith("# Week 2\n")
    assert tutor.answer_key("x^2", format="markdown", title="Mine").startswith("# Mine\n")
    with pytest.raises(tutor.TutorError, match="unknown format 'docx'"):
        tutor.answer_key("x^2", format="docx")


def test_detail_levels_reach_the_records():
    brief = tutor.answer_key("sin(x^2) e^x", format="markdown", detail="brief")
    full = tutor.answer_key("sin(x^2) e^x", format="markdown", detail="full")
    assert len(full) > len(brief)
    one = tutor.answer_key("sin(x^2) e^x ; detail full", format="markdown", detail="brief")
    assert one == full


def test_latex_spacing_is_not_a_separator():
    key = build_key("\\sin x \\; \\cos x ; at x=0\n", format="markdown")
    assert key.failures == ()
    assert "f'\\left(0\\right) = 1" in key.text


# ---------------------------------------------------------------- progress and a third format

class _Terminal:
    def __init__(self, tty: bool):
        self.tty, self.written = tty, []

    def isatty(self):
        return self.tty

    def write(self, s):
        self.written.append(s)

    def flush(self):
        pass


def test_progress_bar_only_on_a_terminal():
    from tutor.documents.progress import Progress
    term, log = _Terminal(True), _Terminal(False)
    for stream in (term, log):
        bar = Progress(30, stream)
        build_key(WEEK3, format="markdown", progress=bar)
        bar.end()
    assert log.written == []
    assert any("30/30 problems 100%" in s for s in term.written)
    assert term.written[-1].startswith("\r ") and term.written[-1].endswith("\r")  # wiped


def test_a_third_format_is_one_small_writer(monkeypatch):
    """What an HTML writer will look like (to_text stands in for to_html here)."""
    from tutor.documents import WRITERS
    from tutor.documents.writers import answer_latex

    class TextWriter:
        record_method = "to_text"
        figure_format = None

        def begin(self, title, plots):
            return title.upper() + "\n"

        def problem(self, w, body, figure):
            return f"[{w.number}]\n{body}\n"

        def failure(self, f):
            return f"[{f.number}] line {f.line}: {f.error.message}\n"

        def figure(self, w, content, link):
            return ""

        def answers(self, rows):
            return "".join(f"{r.number}: {answer_latex(r.answers[-1])}\n" for r in rows
                           if hasattr(r, "answers"))

        def end(self):
            return ""

    monkeypatch.setitem(WRITERS, "text", TextWriter)
    text = tutor.answer_key("x^2\nsinn(x)\n", format="text", plots=True)
    assert text.startswith("ANSWER KEY\n[1]\n")
    assert "[2] line 2: unknown function 'sinn'" in text
    assert text.endswith("1: f'\\left(x\\right) = 2 x\n")


def test_problem_set_limits():
    from tutor.documents.problems import MAX_LINE, MAX_PROBLEMS
    key = build_key("x" * (MAX_LINE + 1) + "\nx^2\n", format="markdown")
    assert [f.error.code for f in key.failures] == ["limit"]
    with pytest.raises(tutor.TutorError, match=f"more than {MAX_PROBLEMS} problems"):
        build_key("x\n" * (MAX_PROBLEMS + 1), format="markdown")


@pytest.mark.parametrize("line, message", [
    ("x^2 ; order two", "order needs a positive whole number, not 'two'"),
    ("x^2 ; detail most", "detail is one of brief, normal, steps, full, not 'most'"),
    ("x^2 ; definition ; tangent at x=1", "a problem takes one route: 'definition' and 'tangent' are both given"),
    ("x^2 ; tangent", "'tangent' needs a point"),
    ("x^2 ; numeric", "'numeric' needs a point"),
    ("x^2 ; table", "'table' goes with 'definition' and 'at'"),
    ("x^2 ; definition ; order 2", "'order' works with a plain derivative or 'implicit', not 'definition'"),
    ("x^2 = y ; order 3", "implicit differentiation goes to order 1 or 2"),
    ("x^2 ; at", "'at' needs a point, e.g. at w=4"),
    ("x^2 ; definition now", "'definition' takes nothing after it (got 'now')"),
    (" ; at x=1", "the line has options but no function before the first ';'"),
])
def test_option_errors(line, message):
    (f,) = build_key(line + "\n", format="markdown").failures
    assert f.error.message == message and f.line == 1


def test_the_readme_problem_set_works_line_by_line():
    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Answer keys and lecture notes", 1)[1]
    block = section.split("**The file.**", 1)[1].split("```\n", 2)[1]
    key = build_key(block, format="latex")
    assert key.failures == () and key.problems == 12
    assert pdflatex(key.text)["ok"]


def test_a_bad_line_with_any_character_never_breaks_the_latex():
    source = ("# title: Übung — Ableitungen ☃\nx^2 + ☃\n2πx ; at x=γ\nx^2 ; tangent at x=∞\n"
              + "sin(x) + " + "☃" * 80 + "\nx^2\n")
    key = build_key(source, format="latex")
    assert len(key.failures) == 4 and key.problems == 5
    assert "U+2603" in key.text
    result = pdflatex(key.text)
    assert result["ok"], result["errors"]
    assert result["overfull"] == []
