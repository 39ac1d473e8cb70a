"""The derivative from the limit definition (tutor.routes.definition.Definition) as HTML.

Why its own layout: while a line is under the limit the expression is drawn after
`lim` with `h → 0` under it (bracketed when it is a sum or starts with a minus, as the LaTeX
renderer does), so each row reads `f′(x) = lim_{h→0} (...)`, an equation that holds; after
the limit is taken the rows are the derivative itself. Labels and notes are the record's
Notes (prose with maths), the table of difference quotients a plain HTML table.
"""
from __future__ import annotations

from ..expr import Add, Call, Neg, Sym
from ..printing import to_text
from ..printing.mathml import tall
from .html_common import (answer, body, esc, evaluated, line_row, lines_table, maths_inline, note_html,
                          point_inline, section, value_table)

__all__ = ["definition_html"]


def _head(d, point: bool = False) -> str:
    """f′(x), f′(3), ∂f/∂x (|_{point})."""
    if d.partial:
        x = body(Sym(d.var))
        base = ("<mfrac><mrow><mi>\u2202</mi><mi>f</mi></mrow>"
                f"<mrow><mi>\u2202</mi>{x}</mrow></mfrac>")
        return evaluated(base, d.point) if point else base
    arg = dict(d.point)[d.var] if point else Sym(d.var)
    return body(Call("f'", (arg,)))


def _body(d, line, point_form: bool = False) -> str:
    inner = body(line.expr)
    if not line.limit:
        return inner
    if isinstance(line.expr, (Add, Neg)):
        o, c = ("<mo>(</mo>", "<mo>)</mo>") if tall(line.expr) else \
            ('<mo stretchy="false">(</mo>', '<mo stretchy="false">)</mo>')
        inner = f"<mrow>{o}{inner}{c}</mrow>"
    if point_form:
        v, a = Sym(d.var), dict(d.point)[d.var]
    else:
        v, a = Sym(d.step), None
    target = body(a) if a is not None else "<mn>0</mn>"
    return (f"<mrow><munder><mi>lim</mi><mrow>{body(v)}<mo>\u2192</mo>{target}</mrow></munder>"
            f"{inner}</mrow>")


def _why(line) -> str:
    out = note_html(line.label)
    if line.note:
        out += f" ({note_html(line.note)})"
    return out


def _chain(d, lines, head: str, point_form: bool) -> str:
    return lines_table([line_row(head if i == 0 else "", _body(d, ln, point_form), _why(ln))
                        for i, ln in enumerate(lines)])


def definition_html(d, detail: str = "normal") -> str:
    """`<section class="tutor-definition">`: f(x) and f(x + h), the limit worked line by line,
    the answer; at a point the x → a form and the value; the table of quotients if asked."""
    args = tuple(Sym(v) for v in d.variables)
    shifted = tuple(Add((a, Sym(d.step))) if a.name == d.var else a for a in args)
    parts = [f'<p class="tutor-problem">The derivative from the definition, with '
             f"{maths_inline(Sym(d.step))} the increment:</p>",
             lines_table([line_row(body(Call("f", args)), body(d.function)),
                          line_row(body(Call("f", shifted)), body(d.shifted))])]
    if detail != "brief":
        parts.append(_chain(d, d.lines, _head(d), False))
    parts.append(answer(_head(d), body(d.answer)))
    if d.point is not None:
        parts.append(f'<p class="tutor-heading">At {point_inline(d.point)}:</p>')
        if d.point_lines and detail != "brief":
            parts.append(_chain(d, d.point_lines, _head(d, True), True))
        extra = ""
        if d.decimal is not None and to_text(d.value) != f"{d.decimal:.10g}":
            extra = f"≈ {d.decimal:.10g}"
        parts.append(answer(_head(d, True), body(d.value), extra))
    if d.table:
        rows = [[esc(f"{r.h:.0e}"), "undefined" if r.quotient is None else esc(repr(r.quotient)),
                 "–" if r.error is None else esc(f"{r.error:.2e}")] for r in d.table]
        parts.append(f'<p class="tutor-heading">The difference quotient at '
                     f"{point_inline(d.point)}, approaching the limit:</p>"
                     + value_table([maths_inline(Sym(d.step)), "quotient", "error"], rows))
    return section("definition", parts)

