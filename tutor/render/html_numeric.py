"""A finite-difference record (`routes.numeric.FiniteDifference`) as an HTML fragment.

Why this layout: it is the text renderer's (render.routes_numeric.render_text), in its order:
what is asked, the three lines J, J_ε and k (each an equation that holds in Python's floats,
which is what the lab computes), the lab's printed line digit for digit, the exact derivative
beside it, the table of shrinking ε and the conclusion. Every number is the record's, printed
as the text prints it (Python's repr for the lab's floats, 3 significant digits for errors),
so a page and a terminal show the same digits.
"""
from __future__ import annotations

from ..evaluation import value_pair
from ..expr import Add, Call, Sym
from ..printing.mathml import math_element, mathml_name
from .html_common import (body, esc, line_row, lines_table, maths, number_body, rel_body, section,
                          value_table)

__all__ = ["numeric_html"]

_EPS = mathml_name("epsilon")


def _cell(v) -> str:
    """A quotient as the text's table prints it: Python's repr, or undefined (f undefined at a ± ε)."""
    return "undefined" if v is None else repr(v)


def _err(v) -> str:
    """An error as the text's table prints it: 3 significant digits, or - when undefined."""
    return "-" if v is None else f"{v:.2e}"


def _mn(text: str) -> str:
    """A float as Python printed it (the lab's digits), a minus drawn as a minus."""
    if text.startswith("-"):
        return f"<mrow><mo>\u2212</mo><mn>{esc(text[1:])}</mn></mrow>"
    return f"<mn>{esc(text)}</mn>"


def _point(fd) -> str:
    return "<mrow>" + "<mo>,</mo>".join(rel_body(mathml_name(k), number_body(x))
                                         for k, x in fd.point.items()) + "</mrow>"


def _d(fd) -> str:
    """dJ/dw, the derivative's head."""
    v = mathml_name(fd.var)
    return (f'<mfrac><mrow><mi mathvariant="normal">d</mi><mi>J</mi></mrow>'
            f'<mrow><mi mathvariant="normal">d</mi>{v}</mrow></mfrac>')


def numeric_html(fd, detail: str = "normal") -> str:
    """`<section class="tutor-numeric">`: J, J_ε and k, the lab's line, the exact value, the table."""
    v = Sym(fd.var)
    j = f"<msub><mi>J</mi>{_EPS}</msub>"
    problem = (f'<p class="tutor-problem">Finite differences for '
               f"{maths(rel_body(body(Call('J', (v,))), body(fd.expr)))} at {maths(_point(fd))}, "
               f"{maths(rel_body(_EPS, _mn(repr(fd.eps))))}:</p>")
    shifted = body(Call("J", (Add((v, Sym("epsilon"))),)))     # J(w + ε), drawn by the printer
    quotient = f"<mfrac><mrow>{j}<mo>\u2212</mo><mi>J</mi></mrow>{_EPS}</mfrac>"
    rows = [line_row("<mi>J</mi>", rel_body(body(Call("J", (v,))), _mn(fd.J_text))),
            line_row(j, rel_body(shifted, _mn(repr(fd.J_epsilon))), "Python floats"),
            line_row("<mi>k</mi>", rel_body(quotient, _mn(repr(fd.k))))]
    exact_text, decimal = value_pair(fd.exact)      # the text's "exact ≈ decimal" (routes_numeric)
    approx = decimal if exact_text is not None and exact_text != decimal else ""
    exact = (f'<p class="tutor-exact"><span class="tutor-label">Exact:</span> '
             f"{maths(f'<mrow>{_d(fd)}<mo>=</mo>{body(fd.derivative)}<mo>=</mo>{number_body(fd.exact)}</mrow>')}"
             + (f" ≈ {esc(approx)}" if approx else "") + " at this point</p>")
    table = value_table(
        [math_element(_EPS), "forward", "error", "central", "error"],
        [[esc(f"{r.eps:.0e}"), esc(_cell(r.forward)), esc(_err(r.forward_error)),
          esc(_cell(r.central)), esc(_err(r.central_error))] for r in fd.rows])
    parts = [problem, lines_table(rows),
             f'<p class="tutor-heading">The lab prints:</p><pre class="tutor-lab">{esc(fd.lab_line)}</pre>',
             exact, table, f'<p class="tutor-conclusion">{esc(fd.conclusion)}</p>']
    return section("numeric", parts)

