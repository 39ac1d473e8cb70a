"""The routes' records as HTML fragments: at a point, tangent and normal lines, implicit
differentiation (tutor.routes.*), each line `lhs = rhs   why` in MathML.

Why these layouts: they are the text renderers' (render.routes_atpoint, routes_tangent,
routes_implicit), read from the same public record fields, so a page and a terminal show the
same working. Where the text writes "f'(4) = ..." after a line in x, the page writes the
evaluation bar `d/dw[f] |_{w=4}` or `f'(4)`, so every row is an equation that holds as
written. The implicit route's dy/dx symbol (`y'` in the tree) is drawn as the fraction dy/dx,
or y′ when the record asks for primes.
"""
from __future__ import annotations

from ..expr import Call, Div, Neg, Num, Sym
from ..printing import Relation
from .common import derivative_head
from .html_common import (answer, body, esc, evaluated, line_row, lines_table, maths_inline, note_html,
                          point_inline, section)
from .html_solution import solution_html

__all__ = ["atpoint_html", "tangent_html", "tangent_parts", "implicit_html", "implicit_symbols"]

_UNDEFINED = Sym("undefined")
_D = '<mi mathvariant="normal">d</mi>'


# ---------------------------------------------------------------- at a point

def _exact_value(a) -> str:
    return body(a.exact) if a.exact is not None else f"<mn>{esc(a.decimal)}</mn>"


def atpoint_html(a, detail: str = "normal") -> str:
    """The solution (unless brief), then the substitution and arithmetic at the point."""
    head = body(derivative_head(a.solution))
    at = evaluated(head, a.point)
    rows, first_value = [], True
    for s in a.steps:
        why = _why(s.note, a.point)
        if s.kind == "derivative":
            rows.append(line_row(head, body(s.expr), why))
            continue
        rows.append(line_row(at if first_value else "", body(s.expr), why))
        first_value = False
    extra = ""
    if a.exact is None or not (hasattr(a.value, "denominator") and a.value.denominator == 1):
        extra = f"≈ {esc(a.decimal)}" if a.exact is not None else ""
    parts = [] if detail == "brief" else [solution_html(a.solution, detail)]
    parts += [f'<p class="tutor-heading">At {point_inline(a.point)}:</p>', lines_table(rows),
              answer(at, _exact_value(a), extra)]
    return section("atpoint", parts)


def _why(note: str, point, symbols=None) -> str:
    """A step's note; "substitute w = 4" with its point as maths."""
    if not note or note in ("derivative", "value"):
        return ""
    if note.startswith("substitute"):
        return "substitute " + point_inline(point, symbols)
    return esc(note)


# ---------------------------------------------------------------- tangent and normal lines

def implicit_symbols(rec) -> dict:
    """The dy/dx and d²y/dx² symbols of an implicit record, drawn as fractions (or primes)."""
    if rec.prime:
        return {}
    y, x = body(Sym(rec.dep)), body(Sym(rec.var))
    return {rec.dydx.name: f"<mfrac><mrow>{_D}{y}</mrow><mrow>{_D}{x}</mrow></mfrac>",
            rec.d2ydx2.name: f"<mfrac><mrow><msup>{_D}<mn>2</mn></msup>{y}</mrow>"
                             f"<mrow>{_D}<msup>{x}<mn>2</mn></msup></mrow></mfrac>"}


def _heads(t, symbols):
    """(value head, slope head in x, slope head at the point) as MathML elements."""
    (x, a), _ = t.point
    if t.implicit:
        d = body(t.solution.dydx, symbols)
        return None, d, evaluated(d, t.point, symbols)
    return (body(Call("f", (a,))), body(Call("f'", (Sym(x),))), body(Call("f'", (a,))))


def _line_rows(t, line, symbols, kind: str) -> list[str]:
    x = t.var
    if line.vertical:
        return [line_row(body(Sym(x)), body(line.rhs, symbols), esc(f"{kind}, a vertical line"))]
    rows = []
    if line.point_slope is not None and line.point_slope != line.rhs:
        rows.append(line_row(body(Sym(t.dep)), body(line.point_slope, symbols),
                             esc(f"{kind}, point-slope form")))
    rows.append(line_row(body(Sym(t.dep)), body(line.rhs, symbols), esc(f"{kind}, slope-intercept form"),
                         "tutor-line tutor-answer-line"))
    return rows


def tangent_parts(t, symbols=None) -> list[str]:
    """The point, the slope, the tangent line (and the normal): paragraphs and tables."""
    value_head, d_head, at_head = _heads(t, symbols)
    pairs = t.point if t.implicit else t.point[:1]
    parts = []
    if t.value_steps:
        rows = [line_row(value_head if i == 0 else "", body(e, symbols), _why(n, pairs, symbols))
                for i, (e, n) in enumerate(t.value_steps)]
        parts += ['<p class="tutor-heading">The point:</p>', lines_table(rows)]
    rows, done = [], False
    for e, note in t.slope_steps:
        if e == _UNDEFINED:
            rows.append(line_row(at_head, None, esc(f"undefined: {note}")))
        elif note == "derivative":
            rows.append(line_row(d_head, body(e, symbols)))
        else:
            rows.append(line_row(at_head if not done else "", body(e, symbols), _why(note, pairs, symbols)))
            done = True
    parts += ['<p class="tutor-heading">The slope:</p>', lines_table(rows)]
    if t.slope is None:
        parts.append('<p class="tutor-note">The tangent line is vertical.</p>')
    lines = _line_rows(t, t.tangent, symbols, "tangent")
    normal_note = ""
    if t.normal is not None:
        if t.normal.vertical:
            normal_note = esc("the tangent is horizontal, so the normal is vertical")
        elif t.slope is None:
            normal_note = esc("the tangent is vertical, so the normal is horizontal")
        else:
            normal_note = "slope " + maths_inline(
                Relation(Neg(Div(Num(1), t.slope)), "=", t.normal.slope), symbols)
        lines += _line_rows(t, t.normal, symbols, "normal")
    parts += ['<p class="tutor-heading">The line:</p>', lines_table(lines)]
    if normal_note:
        parts.append(f'<p class="tutor-note">Normal line: {normal_note}.</p>')
    final = t.tangent
    rhs = body(final.rhs, symbols)
    parts.append(answer(body(Sym(t.var if final.vertical else t.dep)), rhs, label="Tangent line:"))
    if t.normal is not None:
        n = t.normal
        parts.append(answer(body(Sym(t.var if n.vertical else t.dep)), body(n.rhs, symbols),
                            label="Normal line:"))
    return parts


def _curve(rec, symbols) -> str:
    return maths_inline(Relation(rec.lhs, "=", rec.rhs), symbols)


def tangent_html(t, detail: str = "normal") -> str:
    """`<section class="tutor-tangent">`: what is asked, the worked derivative (unless brief),
    then the point, the slope and the lines."""
    symbols = implicit_symbols(t.solution) if t.implicit else None
    if t.implicit:
        title = f"Tangent line to the curve {_curve(t.solution, symbols)} at {point_inline(t.point)}"
    else:
        title = (f"Tangent line to {maths_inline(Relation(Sym(t.dep), '=', t.function))} at "
                 f"{point_inline(t.point[:1])}")
    parts = [f'<p class="tutor-problem">{title}</p>']
    if detail != "brief" and t.solution is not None:
        parts.append(implicit_html(t.solution, detail, point=False) if t.implicit
                     else solution_html(t.solution, detail))
    parts += tangent_parts(t, symbols)
    return section("tangent", parts)


# ---------------------------------------------------------------- implicit differentiation

def _implicit_rows(lines, symbols, detail) -> list[str]:
    rows = []
    for ln in lines:
        rows.append(line_row(body(ln.lhs, symbols), body(ln.rhs, symbols), note_html(ln.note, symbols)))
        if detail != "brief":
            for h, v in ln.parts:
                rows.append(line_row(body(h, symbols), body(v, symbols), "", "tutor-line tutor-part"))
    return rows


def implicit_html(rec, detail: str = "normal", point: bool = True) -> str:
    """`<section class="tutor-implicit">`: both sides differentiated, dy/dx collected and
    solved for, the answer (and d²y/dx²), and the tangent at the point when one was given."""
    symbols = implicit_symbols(rec)
    y, x = Sym(rec.dep), Sym(rec.var)
    parts = [f'<p class="tutor-problem">Implicit differentiation of {_curve(rec, symbols)}, with '
             f"{maths_inline(Relation(y, '=', Call(rec.dep, (x,))))}:</p>"]
    if detail != "brief":
        parts.append(lines_table(_implicit_rows(rec.lines, symbols, detail)))
    parts.append(answer(body(rec.dydx, symbols), body(rec.answer, symbols)))
    if rec.order == 2:
        parts.append('<p class="tutor-heading">Second derivative:</p>')
        if detail != "brief":
            parts.append(lines_table(_implicit_rows(rec.second_lines, symbols, detail)))
        parts.append(answer(body(rec.d2ydx2, symbols), body(rec.second, symbols)))
    if point and rec.at is not None:
        parts.append(f'<p class="tutor-heading">At {point_inline(rec.point)}:</p>')
        parts += tangent_parts(rec.at, symbols)
    return section("implicit", parts)
