"""Dual-number traces (`routes.dual.DualTrace`) and backpropagation (`routes.backprop.Backprop`)
as HTML fragments.

Why the lines are text: a line of a trace is not an expression but a computation with named
intermediate values (`r3 = r1 × r2 = (4, 4) × (0.909…, −0.416…) = …`); its names (x̄, c, cx̄,
r1, v̄1), its operation laid out with operands' names and pairs, and its numbers are made once,
by render.routes_dual (trace_lines) and render.routes_backprop (sections, gradient_lines), for
the text page and this one alike, shown in the same columns as every other page's working
(`name = rest   rule`). The function and the final numbers around them are MathML, as on every
other page.
"""
from __future__ import annotations

from ..expr import Sym
from ..printing.mathml import mathml_name
from .html_common import (body, esc, lines_table, maths, number_body, rel_body, section, text_row)
from .routes_backprop import gradient_lines, sections
from .routes_dual import trace_lines

__all__ = ["dual_html", "backprop_html"]


def _point(point: dict) -> str:
    return maths("<mrow>" + "<mo>,</mo>".join(rel_body(mathml_name(k), number_body(v))
                                              for k, v in point.items()) + "</mrow>")


def _notes(notes) -> list[str]:
    return [f'<p class="tutor-note">Note: {esc(n)}</p>' for n in notes]


def _split(line: str) -> tuple[str, str]:
    """`name = rest` -> (name, rest): the text renderer's line at its first `=`."""
    name, _, rest = line.partition(" = ")
    return name, rest


def dual_html(t, detail: str = "normal") -> str:
    """`<section class="tutor-dual">`: the seed, one line per node with its rule, the result."""
    u, x = Sym("u"), mathml_name(t.wrt)
    du = f'<mfrac><mrow><mi mathvariant="normal">d</mi><mi>u</mi></mrow><mrow><mi mathvariant="normal">d</mi>{x}</mrow></mfrac>'
    parts = [f'<p class="tutor-problem">Dual numbers for {maths(rel_body(body(u), body(t.expr)))}: '
             f"pairs (u, u′) with {maths(rel_body('<mrow><mi>u</mi><mo>′</mo></mrow>', du))}, "
             f"at {_point(t.point)}</p>"]
    rows = []
    for left, rhs, rule in trace_lines(t):
        rows.append(text_row(left, rhs, esc(rule)))
    parts.append(lines_table(rows, "tutor-lines tutor-trace"))
    parts.append('<div class="tutor-answer"><span class="tutor-label">Therefore</span> '
                 f"{maths(rel_body('<mi>u</mi>', number_body(t.value)))} and "
                 f"{maths(rel_body(f'<msub><mi>u</mi>{x}</msub>', number_body(t.derivative)))}</div>")
    parts += _notes(t.notes)
    return section("dual", parts)


def backprop_html(b, detail: str = "normal") -> str:
    """`<section class="tutor-backprop">`: the computation graph, the forward pass (values), the
    backward pass (adjoints) and the gradient read off it."""
    sec = sections(b, "text")
    parts = [f'<p class="tutor-problem">Backpropagation for {maths(rel_body("<mi>f</mi>", body(b.expr)))} '
             f"at {_point(b.point)}</p>",
             f'<p class="tutor-heading">Computation graph ({len(b.graph.nodes)} nodes, shared '
             "sub-expressions once)</p>",
             lines_table([text_row(*_split(a), esc(tag)) for a, tag in sec["graph"]], "tutor-lines tutor-trace"),
             '<p class="tutor-heading">Forward pass (values)</p>',
             lines_table([text_row(*_split(s)) for s in sec["forward"]], "tutor-lines tutor-trace"),
             '<p class="tutor-heading">Backward pass (adjoints v̄i = ∂f/∂vi, summed over the nodes '
             "that use vi)</p>"]
    rows = []
    for s in sec["backward"]:
        line, _, why = s.partition("   (")      # the output's line: `v̄5 = 1   (the output: ∂f/∂f)`
        rows.append(text_row(*_split(line), esc(why.removesuffix(")"))))
    parts.append(lines_table(rows, "tutor-lines tutor-trace"))
    parts.append('<p class="tutor-heading">Gradient (one backward pass)</p>')
    parts.append(lines_table([text_row(left, rhs, cls="tutor-line tutor-trace-line tutor-answer-line")
                              for left, rhs in gradient_lines(b)], "tutor-lines tutor-trace"))
    parts += _notes(b.notes)
    return section("backprop", parts)
