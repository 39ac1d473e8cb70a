"""Every format within the display budget (issue 10): JSON prints at most BUDGET nodes of
expressions in full and says when it shortened the rest; LaTeX and Markdown say when a stage is
too long to show line by line; tex_escape writes prose maths (≠ ≥ ≤ → ·) as maths."""
from __future__ import annotations

import json

from typeset import katex_errors, pdflatex

from tutor import differentiate
from tutor.render import solution_json
from tutor.render.common import tex_escape


def test_json_is_bounded_and_says_so(monkeypatch):
    sol = differentiate("sin(" * 40 + "x" + ")" * 40)
    full = json.dumps(sol.to_dict())
    monkeypatch.setattr(solution_json, "BUDGET", 3000)
    d = sol.to_dict()
    small = json.dumps(d)
    assert d["summarised"] is True and "shortened to their top" in d["summary"]
    assert len(small) < len(full) / 3
    # the function and the answer come first and are whole
    assert d["answer"] == json.loads(full)["answer"]


def test_a_small_solution_is_not_summarised():
    d = differentiate("x^2 sin(x)").to_dict()
    assert d["summarised"] is False and d["summary"] is None


def test_latex_and_markdown_say_when_they_summarise(monkeypatch):
    import tutor.steps as steps
    monkeypatch.setattr(steps, "LINE_BUDGET", 50)
    sol = differentiate("sin(" * 12 + "x" + ")" * 12)
    assert sol.stages[0].lines() is None
    assert "too long to show line by line" in sol.to_latex()
    assert "too long to show line by line" in sol.to_markdown()
    assert "too long to show line by line" in sol.to_text()


def test_tex_escape_writes_prose_maths_as_maths():
    s = "cancelling assumes x ≠ 0, 1 ≤ u ≥ 2, h → 0, 2·3, 50% of a_b"
    assert tex_escape(s) == ("cancelling assumes x $\\neq$ 0, 1 $\\leq$ u $\\geq$ 2, h $\\to$ 0, "
                             "2$\\cdot$3, 50\\% of a\\_b")
    assert tex_escape is tex_escape
    body = f"\\text{{{tex_escape(s)}}}"
    assert katex_errors([body]) == {}
    assert pdflatex(f"$${body}$$", body=True)["ok"]
