"""A gradient record (`routes.multivar.Gradient`) as an HTML fragment.

Why this layout: it is the text renderer's (render.routes_multivar.render_text), in its order:
f, the partial derivatives (each worked solution first unless brief), the gradient, its value
at the point, the direction's length, unit vector and the directional derivative, the Hessian.
Vectors are a bracketed row as in the text, matrices a bracketed table as in the LaTeX. Every
row is an equation that holds: where the text writes `≈ (0.6, 0.8)` under a line, the page puts
the decimals beside the row, in its rule column, rather than on a row of its own after `=`.
"""
from __future__ import annotations

import math

from ..expr import Call, Derivative, Expr, Sym, free_symbols
from ..evaluation import format_value
from ..printing import to_text
from .common import fmt_decimal
from .html_common import (answer, body, esc, evaluated, line_row, lines_table, maths, number_body,
                          point_inline, rel_body, section)
from .html_routes import atpoint_html
from .html_solution import solution_html

__all__ = ["gradient_html"]

_NABLA = "<mrow><mo>\u2207</mo><mi>f</mi></mrow>"


def _d(g, v: str) -> Expr:
    """∂f/∂x (d/dx[f] for a function of one variable), as the text and LaTeX heads are."""
    return Derivative(Sym("f"), v, 1, len(g.variables) > 1 or len(free_symbols(g.function)) > 1)


def _vec(parts: list[str]) -> str:
    return '<mrow><mo stretchy="false">(</mo>' + "<mo>,</mo>".join(parts) + '<mo stretchy="false">)</mo></mrow>'


def _approx(items) -> str:
    return "≈ " + esc("(" + ", ".join(items) + ")")


def _matrix(rows: list[list[str]]) -> str:
    inner = "".join("<mtr>" + "".join(f"<mtd>{c}</mtd>" for c in row) + "</mtr>" for row in rows)
    return f"<mrow><mo>[</mo><mtable>{inner}</mtable><mo>]</mo></mrow>"


def _value(a) -> str:
    """An AtPoint's value: exact when it has one (as the text's `_exact`), else its decimal."""
    return body(a.exact) if a.exact is not None else f"<mn>{esc(a.decimal)}</mn>"


def _abs(inner: str) -> str:
    return f'<mrow><mo stretchy="false">|</mo>{inner}<mo stretchy="false">|</mo></mrow>'


def _square(x) -> str:
    n = number_body(x)
    if x < 0:
        n = f'<mrow><mo stretchy="false">(</mo>{n}<mo stretchy="false">)</mo></mrow>'
    return f"<msup>{n}<mn>2</mn></msup>"


def gradient_html(g, detail: str = "normal") -> str:
    """`<section class="tutor-gradient">`: the partials, the gradient, and what the record has of
    the point, the direction and the Hessian."""
    args = tuple(Sym(v) for v in g.variables)
    f_head = body(Call("f", args))
    parts = [f'<p class="tutor-problem">The gradient of {maths(rel_body(f_head, body(g.function)))}</p>',
             '<p class="tutor-heading">Partial derivatives (each holds the other variables constant):</p>']
    rows = []
    for v, s in zip(g.variables, g.partials):
        row = line_row(body(_d(g, v)), body(s.answer))
        if detail == "brief":
            rows.append(row)
        else:
            parts += [solution_html(s, detail), lines_table([row])]
    if rows:
        parts.append(lines_table(rows))
    parts.append(answer(_NABLA, _vec([body(x) for x in g.vector]), label="Gradient:"))
    if g.values:
        if detail != "brief":       # each worked value names the point; then the vector's own
            parts += [atpoint_html(a, "brief") for a in g.values]
        parts.append(f'<p class="tutor-heading">At {point_inline(g.point)}:</p>')
        parts.append(lines_table([line_row(
            evaluated(_NABLA, g.point), _vec([_value(a) for a in g.values]),
            _approx(fmt_decimal(a.value) for a in g.values))]))
    if g.direction:
        d = g.direction
        v = "<mi>v</mi>"
        parts.append(f'<p class="tutor-heading">Direction {maths(rel_body(v, _vec([number_body(x) for x in d.vector])))}</p>')
        sqrt_sum = "<msqrt>" + "<mo>+</mo>".join(_square(x) for x in d.vector) + "</msqrt>"
        root = f"<msqrt>{number_body(d.norm_squared)}</msqrt>"
        near = esc(f"≈ {fmt_decimal(math.sqrt(d.norm_squared))}")
        same = to_text(d.norm) == f"sqrt({format_value(d.norm_squared)})"   # the text's test
        norm_rows = [line_row(_abs(v), sqrt_sum), line_row("", root, near if same else "")]
        if not same:
            norm_rows.append(line_row("", body(d.norm), near))
        u = "<mi>u</mi>"
        norm_rows += [
            line_row(u, f"<mfrac>{v}{_abs(v)}</mfrac>"),
            line_row("", _vec([body(x) for x in d.unit]),
                     _approx(fmt_decimal(float(c) / math.sqrt(d.radicand)) for c in d.coeffs))]
        du = f"<msub><mi>D</mi>{u}</msub><mi>f</mi>"
        norm_rows += [line_row(f"<mrow>{du}</mrow>", f"<mrow>{_NABLA}<mo>\u22c5</mo>{u}</mrow>"),
                      line_row("", body(g.directional))]
        if g.directional_value:
            exact, value = g.directional_value
            at = evaluated(f"<mrow>{du}</mrow>", g.point)
            if exact is not None:
                norm_rows.append(line_row(at, body(exact), esc(f"≈ {fmt_decimal(value)}")))
            else:
                norm_rows.append(line_row(at, f"<mn>{esc(fmt_decimal(value))}</mn>"))
        parts.append(lines_table(norm_rows))
    if g.hessian:
        parts.append('<p class="tutor-heading">Hessian, '
                     + maths(rel_body("<msub><mi>H</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub>",
                                      "<mfrac><msup><mo>\u2202</mo><mn>2</mn></msup><mrow><mo>\u2202</mo>"
                                      "<msub><mi>x</mi><mi>j</mi></msub><mo>\u2202</mo>"
                                      "<msub><mi>x</mi><mi>i</mi></msub></mrow></mfrac><mi>f</mi>"))
                     + ":</p>")
        h_rows = [line_row("<mi>H</mi>", _matrix([[body(x) for x in row] for row in g.hessian_matrix]))]
        if g.hessian_values:
            h_rows.append(line_row(evaluated("<mi>H</mi>", g.point),
                                   _matrix([[_value(a) for a in row] for row in g.hessian_values])))
        parts.append(lines_table(h_rows))
    return section("gradient", parts)

