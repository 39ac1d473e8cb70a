"""The Markdown answer key: renders on GitHub and in Jupyter.

Why these choices: maths is `$...$` / `$$...$$` as the records' own Markdown writes it (both
GitHub and Jupyter render those; neither shows a raw `\\begin{align*}` outside maths); a `|`
inside maths would split a table cell on GitHub, and `\\|` would be a double bar in Jupyter
(which reads maths before Markdown), so maths in the table writes `\\vert` instead; prose from
an error message is escaped so that a `*` or `$` in it stays a character. Figures are SVG: a
file beside the document, linked (GitHub shows it), or, with no file to link, a data URI.
"""
from __future__ import annotations

import base64
import re

from .work import Failed, Worked
from .writers import answer_latex, failure_text, figure_caption, problem_latex

__all__ = ["MarkdownWriter", "cell_maths", "escape_prose"]

_SPECIAL = re.compile(r"([\\*_\[\]<>|$#])")


def escape_prose(s: str) -> str:
    """Prose for Markdown: backtick code spans kept, every other special character escaped."""
    parts = re.split(r"(`[^`]*`)", s)
    return "".join(p if p.startswith("`") and p.endswith("`") and len(p) > 1
                   else _SPECIAL.sub(r"\\\1", p) for p in parts)


def cell_maths(latex: str) -> str:
    """Maths for a table cell: no `|` character at all."""
    latex = latex.replace("\\|", "\\Vert ").replace("\\left|", "\\left\\vert ") \
        .replace("\\right|", "\\right\\vert ")
    return "$" + latex.replace("|", "\\vert ") + "$"


def _code_span(s: str) -> str:
    ticks = "`"
    while ticks in s:
        ticks += "`"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{ticks}{pad}{s}{pad}{ticks}"


class MarkdownWriter:
    record_method = "to_markdown"
    figure_format = "svg"

    def begin(self, title: str, plots: bool) -> str:
        return f"# {escape_prose(title)}\n\n"

    def problem(self, w: Worked, body: str, figure: str) -> str:
        return f"## Problem {w.number}\n\n{body.strip()}\n\n" + (figure + "\n" if figure else "")

    def failure(self, f: Failed) -> str:
        message, hint = failure_text(f)
        lines = [f"> **Line {f.line} could not be worked** (column {f.column}): "
                 f"{escape_prose(message)}."]
        if hint:
            lines.append(f"> Hint: {escape_prose(hint)}")
        lines.append(f"> {_code_span(f.source.strip())}")
        return f"## Problem {f.number}\n\n" + "\n>\n".join(lines) + "\n\n"

    def figure(self, w: Worked, content: str, link: str | None) -> str:
        caption = escape_prose(figure_caption(w))
        if link is None:
            data = base64.b64encode(content.encode("utf-8")).decode("ascii")
            link = f"data:image/svg+xml;base64,{data}"
        return f"![{caption}]({link})\n"

    def answers(self, rows: list) -> str:
        out = ["## Answers\n\n", "| # | Problem | Answer |\n", "|---:|---|---|\n"]
        for r in rows:
            if isinstance(r, Failed):
                out.append(f"| {r.number} | *line {r.line}* | *could not be worked* |\n")
                continue
            answers = "<br>".join(cell_maths(answer_latex(a)) for a in r.answers)
            out.append(f"| {r.number} | {cell_maths(problem_latex(r))} | {answers} |\n")
        return "".join(out)

    def end(self) -> str:
        return ""
