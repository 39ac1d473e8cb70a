"""Presentation helpers every renderer shares, written once so each format is right everywhere.

TeX escaping is the one that matters most: a label or a note that reaches pdflatex or KaTeX
unescaped does not compile, so every piece of prose that goes inside `\\text{}` passes through
`tex_escape` (one pass, so an escape is never escaped again).
"""
from __future__ import annotations

from ..expr import Derivative, Expr

#: every character that is special in LaTeX text mode, and what stands for it there
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
}
_TEX_TABLE = str.maketrans(_TEX_SPECIAL)


def tex_escape(s: str) -> str:
    """Plain prose as LaTeX text-mode source (for `\\text{...}`, headings, table cells)."""
    return s.translate(_TEX_TABLE)


def latex_text(s: str) -> str:
    """Prose as a `\\text{}` group inside maths."""
    return f"\\text{{{tex_escape(s)}}}"


def standalone_document(body: str) -> str:
    """A compilable `article` around a LaTeX body (amsmath for align*, amssymb for symbols)."""
    return ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
            + body + "\n\\end{document}\n")


def derivative_head(sol) -> Expr:
    """d^n/dx^n[f], or d/dy[d/dx[f]] for a mixed partial (x first): the left side of a solution."""
    if len(set(sol.variables)) == 1:
        return Derivative(sol.function, sol.variables[0], sol.order, sol.partial)
    head: Expr = sol.function
    for v in sol.variables:
        head = Derivative(head, v, 1, True)
    return head
