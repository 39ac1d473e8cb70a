"""The LaTeX answer key: an `article` that pdflatex compiles with no overfull box.

Why these packages and no more: amsmath/amssymb for the records' `align*`, T1 + lmodern so
text-mode characters print as typed, geometry for a printable text width, longtable for a
table of answers that may run over a page (its maths cells break at + and =), float for
`[H]` figures that stay beside their worked solution, graphicx to shrink a figure wider than
the text, and pgfplots (compat 1.18, the plotting package's TikZ) only when there are figures.
"""
from __future__ import annotations

from ..render.common import tex_escape
from .work import Failed, Worked
from .writers import answer_latex, failure_text, figure_caption, head_latex, problem_latex

__all__ = ["LatexWriter", "PREAMBLE", "safe_prose", "safe_source"]

PREAMBLE = (
    "\\documentclass{article}\n"
    "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
    "\\usepackage{amsmath,amssymb}\n"
    "\\usepackage[margin=2.5cm]{geometry}\n"
    "\\usepackage{longtable,booktabs,array,float,graphicx}\n"
    "%(plots)s"
    "\\allowdisplaybreaks\n"
    "\\setlength{\\parindent}{0pt}\n"
    "\\setlength{\\parskip}{0.5ex}\n"
    "\\newsavebox{\\tutorfigure}\n"
)
PLOTS = "\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n"

#: routes whose LaTeX does not open with its own sentence: the writer states the problem
_STATED_HERE = {"diff", "at", "definition", "numeric"}
_SHOWN_SOURCE = 70


#: beyond Latin-1, the punctuation pdflatex prints from UTF-8 input with T1 fonts
_TYPOGRAPHY = set("\u2013\u2014\u2018\u2019\u201c\u201d\u2026")


def _printable(ch: str) -> bool:
    return ord(ch) < 0x100 or ch in _TYPOGRAPHY


def safe_prose(s: str) -> str:
    """Prose that may quote anything a user typed (☃, γ): `tex_escape`, and every character
    pdflatex cannot print as U+XXXX, so a bad line's note never breaks the document."""
    return tex_escape("".join(ch if _printable(ch) or tex_escape(ch) != ch else f"U+{ord(ch):04X}"
                               for ch in s))


def safe_source(s: str, width: int = 70) -> str:
    """A line of the file for \\texttt: at most `width` characters (one line of the box),
    characters beyond Latin-1 as U+XXXX, escaped."""
    s = "".join(ch if ord(ch) < 0x100 else f"U+{ord(ch):04X}" for ch in s.strip())
    return tex_escape(s if len(s) <= width else s[:width - 3] + "...")


class LatexWriter:
    record_method = "to_latex"
    figure_format = "tikz"

    def begin(self, title: str, plots: bool) -> str:
        return (PREAMBLE % {"plots": PLOTS if plots else ""} + "\\begin{document}\n"
                f"\\begin{{center}}\\LARGE\\bfseries {safe_prose(title)}\\end{{center}}\n\n")

    def problem(self, w: Worked, body: str, figure: str) -> str:
        out = [f"\\subsection*{{Problem {w.number}}}\n"]
        if w.route in _STATED_HERE:
            out.append(_statement(w) + "\n")
        out.append(body.strip() + "\n")
        if figure:
            out.append(figure)
        return "".join(out) + "\n"

    def failure(self, f: Failed) -> str:
        message, hint = failure_text(f)
        text = (f"\\textbf{{Line {f.line} could not be worked}} (column {f.column}): "
                f"{safe_prose(message)}.")
        if hint:
            text += f"\\\\\nHint: {safe_prose(hint)}"
        text += f"\\\\\n\\texttt{{{safe_source(f.source, _SHOWN_SOURCE)}}}"
        return (f"\\subsection*{{Problem {f.number}}}\n"
                "\\noindent\\fbox{\\parbox{\\dimexpr\\linewidth-2\\fboxsep-2\\fboxrule\\relax}"
                f"{{\\raggedright {text}}}}}\n\n")

    def figure(self, w: Worked, content: str, link: str | None) -> str:
        return ("\\begin{figure}[H]\n\\centering\n\\begin{lrbox}{\\tutorfigure}\n"
                f"{content.strip()}\n\\end{{lrbox}}\n"
                "\\ifdim\\wd\\tutorfigure>\\linewidth\\resizebox{\\linewidth}{!}{\\usebox{\\tutorfigure}}"
                "\\else\\usebox{\\tutorfigure}\\fi\n"
                f"\\par{{\\small {safe_prose(figure_caption(w))}\\par}}\n\\end{{figure}}\n")

    def answers(self, rows: list) -> str:
        out = ["\\clearpage\n\\section*{Answers}\n", "{\\renewcommand{\\arraystretch}{1.3}\n",
               "\\begin{longtable}{@{}r>{\\raggedright\\arraybackslash}p{0.33\\linewidth}"
               ">{\\raggedright\\arraybackslash}p{0.56\\linewidth}@{}}\n",
               "\\toprule\n\\# & Problem & Answer \\\\\n\\midrule\n\\endhead\n\\bottomrule\n\\endfoot\n"]
        for r in rows:
            if isinstance(r, Failed):
                out.append(f"{r.number} & \\emph{{line {r.line}}} & \\emph{{could not be worked}} \\\\ \\addlinespace[1.5ex]\n")
                continue
            answers = " \\par\\vspace{1.2ex} ".join(f"$\\displaystyle {answer_latex(a)}$" for a in r.answers)
            out.append(f"{r.number} & $\\displaystyle {problem_latex(r)}$ & {answers} \\\\ \\addlinespace[1.5ex]\n")
        out.append("\\end{longtable}}\n")
        return "".join(out)

    def end(self) -> str:
        return "\\end{document}\n"


def _statement(w: Worked) -> str:
    """One sentence saying what is asked: Find $f'(x)$ for $f(x) = ...$."""
    from ..printing import to_latex
    head = head_latex(w.answers[-1 if w.route in ("at", "numeric") else 0].head)
    f = to_latex(w.function)
    first = w.answers[0].head
    name = "f" if first.partial else f"f\\left({to_latex_name(first.var)}\\right)"
    verb = {"numeric": "Estimate", "definition": "Find"}.get(w.route, "Find")
    tail = {"numeric": " with finite differences", "definition": " from the definition"}.get(w.route, "")
    style = "\\displaystyle " if "\\frac" in head else ""   # a partial: full-size
    return f"{verb} ${style}{head}${tail}, where ${name} = {f}$."


def to_latex_name(v: str) -> str:
    from ..expr import Sym
    from ..printing import to_latex
    return to_latex(Sym(v))
