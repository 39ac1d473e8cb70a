"""The HTML answer key (`tutor notes --format html`): one self-contained page whose answers
table reads back, through the test-side MathML reader, as SymPy's derivatives."""
from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import sympy

import tutor
from tests import mathml_reader as mr

DATA = Path(__file__).parent / "data" / "problem_sets"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.urls = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v and not v.startswith("#")]


def test_week3_key_is_one_self_contained_page():
    text = tutor.answer_key((DATA / "week3.txt").read_text(encoding="utf-8"), format="html")
    page = _Page()
    page.feed(text)
    assert text.startswith("<!doctype html>") and "script" not in page.tags
    assert page.urls == []                              # nothing loaded from anywhere
    assert page.tags.count("article") == 30
    rows = re.findall(r"<tr><td><a href=\"#problem-\d+\">(\d+)</a></td>", text)
    assert rows == [str(n) for n in range(1, 31)]
    for m in re.findall(r"<math\b.*?</math>", text, flags=re.S):
        mr.check_core(m)                                # well-formed MathML Core only


def test_answers_table_reads_back_as_the_derivative():
    source = "# title: Three\n3x^3 - 3x + 5\nsin(x^2) e^x\n\\frac{1}{w^2}\n"
    text = tutor.answer_key(source, format="html")
    table = text[text.index('id="answers"'):]
    x, w = sympy.symbols("x w")
    want = [sympy.diff(3 * x**3 - 3 * x + 5, x), sympy.diff(sympy.sin(x**2) * sympy.exp(x), x),
            sympy.diff(1 / w**2, w)]
    cells = re.findall(r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td></tr>", table, flags=re.S)
    assert len(cells) == 3
    for cell, expected in zip(cells, want):
        got = mr.read(cell)                 # a relation: (f'(x), "=", value)
        rhs = got[-1] if isinstance(got, tuple) else got
        assert sympy.simplify(rhs - expected) == 0


def test_cli_picks_html_from_the_suffix_and_reports_a_bad_line(tmp_path):
    src = tmp_path / "set.txt"
    src.write_text("x^2\nsin(\n1/x\n", encoding="utf-8")
    out = tmp_path / "key.html"
    r = subprocess.run([sys.executable, "-m", "tutor", "notes", str(src), "-o", str(out)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1 and ":2:" in r.stderr
    html = out.read_text(encoding="utf-8")
    assert "Line 2 could not be worked" in html and html.count("<article") == 3
