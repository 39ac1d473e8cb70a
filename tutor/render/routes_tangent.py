"""Renderers of tangent and normal lines (`routes.tangent.Tangent`): text, LaTeX, Markdown, JSON.

The layout follows APEX: the point f(a) worked, the slope f'(a) worked (the at-point route's
lines), the line in point-slope form, then in slope-intercept form; the normal line after it
on request. Every printed line is an equation that holds (`f(4) = 1/4^2`, `y = -w/32 + 3/16`);
a vertical line is printed `x = a`. An implicit curve's slope lines are in dy/dx (or y').
"""
from __future__ import annotations

from ..expr import Expr, Sym
from .common import latex_text, point_text, standalone_document

__all__ = ["SCHEMA", "printers", "slope_text", "line_text", "latex_rows", "render_text", "render_latex",
           "render_markdown", "render_dict"]

SCHEMA = "tutor.tangent/1"

_UNDEFINED = Sym("undefined")


def printers(rec):
    """(text, latex) printers that write the dy/dx and d²y/dx² symbols in the chosen notation."""
    from ..printing import to_latex, to_text
    p, pp = rec.dydx, rec.d2ydx2
    y, x = rec.dep, rec.var
    if rec.prime:
        text_p, text_pp = f"{y}'", f"{y}''"
        tex_p, tex_pp = f"{to_latex(Sym(y))}'", f"{to_latex(Sym(y))}''"
    else:
        text_p, text_pp = f"d{y}/d{x}", f"d^2{y}/d{x}^2"
        tex_p = f"\\frac{{d{to_latex(Sym(y))}}}{{d{to_latex(Sym(x))}}}"
        tex_pp = f"\\frac{{d^{{2}}{to_latex(Sym(y))}}}{{d{to_latex(Sym(x))}^{{2}}}}"
    raw_tp, raw_tpp = to_text(p), to_text(pp)
    raw_lp, raw_lpp = to_latex(p), to_latex(pp)

    def text(e: Expr) -> str:
        return to_text(e).replace(raw_tpp, text_pp).replace(raw_tp, text_p)

    def latex(e: Expr) -> str:
        return to_latex(e).replace(raw_lpp, tex_pp).replace(raw_lp, tex_p)
    return text, latex


def _shows(t):
    """(text, latex) printers: the implicit record's (dy/dx notation) or the plain ones."""
    if t.implicit:
        return printers(t.solution)
    from ..printing import to_latex, to_text
    return to_text, to_latex


def _point_pairs(t):
    return t.point if t.implicit else t.point[:1]


def _heads(t, show, latex: bool):
    """The left sides of the value and slope lines: f(4), f'(w), f'(4) / dy/dx, dy/dx at (a, b)."""
    (x, a), (_, b) = t.point
    if t.implicit:
        d = show(t.solution.dydx)
        where = point_text(_point_pairs(t), show)
        at = f"\\left.{d}\\right|_{{{where}}}" if latex else f"{d} at {where}"
        return None, d, at
    prime = "f'" if not latex else "f'"
    return f"f({show(a)})", f"{prime}({show(Sym(x))})", f"{prime}({show(a)})"


def _note(t, note: str, show, latex: bool = False) -> str:
    """The note of a value or slope line (in LaTeX a ready `\\text{}` group with maths)."""
    if note.startswith("substitute"):
        where = point_text(_point_pairs(t), show)
        return latex_text("substitute ") + where if latex else "substitute " + where
    note = {"derivative": "", "arithmetic": "arithmetic", "value": ""}.get(note, note)
    return latex_text(note) if latex and note else note


def slope_text(t, show) -> list[str]:
    """The point (explicit functions) and the slope, worked, as text lines."""
    value_head, d_head, at_head = _heads(t, show, False)
    out = []
    if t.value_steps:
        out.append("The point:")
        for i, (e, note) in enumerate(t.value_steps):
            lead = value_head if i == 0 else " " * len(value_head)
            n = _note(t, note, show)
            out.append(f"  {lead} = {show(e)}" + (f"    [{n}]" if n else ""))
    out.append("The slope:")
    subst_done = False
    for e, note in t.slope_steps:
        n = _note(t, note, show)
        if e == _UNDEFINED:
            out.append(f"  {at_head} is undefined: {note}")
            continue
        if note == "derivative":
            out.append(f"  {d_head} = {show(e)}")
        elif not subst_done:
            out.append(f"  {at_head} = {show(e)}" + (f"    [{n}]" if n else ""))
            subst_done = True
        else:
            out.append(f"  {' ' * len(at_head)} = {show(e)}" + (f"    [{n}]" if n else ""))
    if t.slope is None:
        out.append("  the tangent line is vertical")
    return out


def _line_rows(t, line, show) -> list[tuple[str, str, str]]:
    """(lhs, rhs, why) for a line: point-slope, then slope-intercept (or x = a)."""
    x = t.var
    if line.vertical:
        return [(show(Sym(x)), show(line.rhs), "a vertical line")]
    rows = []
    if line.point_slope is not None and line.point_slope != line.rhs:
        rows.append((show(Sym(t.dep)), show(line.point_slope), "point-slope form"))
    rows.append((show(Sym(t.dep)), show(line.rhs), "slope-intercept form"))
    return rows


def line_text(t, line, show) -> str:
    title = "Tangent line" if line.kind == "tangent" else "Normal line"
    if line.vertical:
        return f"{title}: {show(Sym(t.var))} = {show(line.rhs)}    (vertical)"
    rows = _line_rows(t, line, show)
    if len(rows) == 1:
        return f"{title}: {rows[0][0]} = {rows[0][1]}"
    return f"{title}: {rows[0][0]} = {rows[0][1]}, that is {rows[1][0]} = {rows[1][1]}"


def _normal_head(t, show) -> str:
    if t.normal.vertical:
        return "Normal line (the tangent is horizontal, so the normal is vertical):"
    if t.slope is None:
        return "Normal line (the tangent is vertical, so the normal is horizontal):"
    return f"Normal line (slope -1/({show(t.slope)}) = {show(t.normal.slope)}):"


def _title(t, show) -> str:
    if t.implicit:
        rec = t.solution
        return f"Tangent line to the curve {show(rec.lhs)} = {show(rec.rhs)} at " \
               f"{point_text(t.point, show)}"
    return f"Tangent line to {show(Sym(t.dep))} = {show(t.function)} at " \
           f"{point_text(t.point[:1], show)}"


def render_text(t, detail: str = "normal") -> str:
    show, _ = _shows(t)
    out = [_title(t, show) + ":"]
    if detail != "brief":
        out += ["", t.solution.to_text(detail), ""]
    out += slope_text(t, show)
    x, y = show(Sym(t.var)), show(Sym(t.dep))
    out.append(f"The line {y} = f(a) + f'(a)({x} - a):" if not t.implicit else
               f"The line {y} = b + m({x} - a), m the slope at ({x}, {y}) = (a, b):")
    for lhs, rhs, why in _line_rows(t, t.tangent, show):
        out.append(f"  {lhs} = {rhs}    [{why}]")
    out.append(line_text(t, t.tangent, show))
    if t.normal is not None:
        out.append(_normal_head(t, show))
        for lhs, rhs, why in _line_rows(t, t.normal, show):
            out.append(f"  {lhs} = {rhs}    [{why}]")
        out.append(line_text(t, t.normal, show))
    return "\n".join(out)


def latex_rows(t, show, normal: bool = True) -> list[str]:
    """align* rows: the point, the slope, the line (and the normal)."""
    value_head, d_head, at_head = _heads(t, show, True)
    rows = []
    for i, (e, note) in enumerate(t.value_steps):
        n = _note(t, note, show, True)
        rows.append(f"{value_head if i == 0 else ''} &= {show(e)}" + (f" && {n}" if n else ""))
    subst_done = False
    for e, note in t.slope_steps:
        n = _note(t, note, show, True)
        if e == _UNDEFINED:
            rows.append(f"& && {latex_text('the slope is undefined: ' + note)}")
            continue
        if note == "derivative":
            rows.append(f"{d_head} &= {show(e)}")
        else:
            rows.append(f"{at_head if not subst_done else ''} &= {show(e)}"
                        + (f" && {n}" if n else ""))
            subst_done = True
    for lhs, rhs, why in _line_rows(t, t.tangent, show):
        rows.append(f"{lhs} &= {rhs} && {latex_text('tangent, ' + why)}")
    if normal and t.normal is not None:
        for lhs, rhs, why in _line_rows(t, t.normal, show):
            rows.append(f"{lhs} &= {rhs} && {latex_text('normal, ' + why)}")
    return rows


def render_latex(t, detail: str = "normal", standalone: bool = False) -> str:
    _, show = _shows(t)
    parts = [_title(t, lambda e: f"${show(e)}$").replace("$ = $", " = ") + ":"]
    if detail != "brief":
        parts.append(t.solution.to_latex(detail))
    parts.append("\\begin{align*}\n" + " \\\\\n".join(latex_rows(t, show)) + "\n\\end{align*}")
    body = "\n\n".join(parts)
    return standalone_document(body) if standalone else body


def render_markdown(t, detail: str = "normal") -> str:
    _, show = _shows(t)
    out = ["**" + _title(t, lambda e: f"${show(e)}$").replace("$ = $", " = ") + "**", ""]
    if detail != "brief":
        out += [t.solution.to_markdown(detail), ""]
    for r in latex_rows(t, show):
        body, _, why = r.partition(" && ")
        out.append(f"$$ {body.replace('&', '')} $$" + (f" *(${why}$)*" if why else ""))
    return "\n".join(out)


def _line_dict(t, line, ej) -> dict | None:
    if line is None:
        return None
    name = t.var if line.vertical else t.dep
    return {"kind": line.kind, "vertical": line.vertical,
            "lhs": name,
            "slope": ej(line.slope) if line.slope is not None else None,
            "point_slope": ej(line.point_slope) if line.point_slope is not None else None,
            "rhs": ej(line.rhs)}


def render_dict(t, detail: str = "full") -> dict:
    from ..printing import expr_json
    text, latex = _shows(t)

    def ej(e: Expr) -> dict:
        return {**expr_json(e), "text": text(e), "latex": latex(e)}
    (x, a), (y, b) = t.point
    out = {
        "schema": SCHEMA,
        "function": expr_json(t.function) if t.function is not None else None,
        "equation": ({"lhs": expr_json(t.solution.lhs), "rhs": expr_json(t.solution.rhs)}
                     if t.implicit else None),
        "variable": x, "dependent": y, "implicit": t.implicit,
        "point": {x: expr_json(a), y: expr_json(b)},
        "slope": expr_json(t.slope) if t.slope is not None else None,
        "value_steps": [{"expr": ej(e), "note": n} for e, n in t.value_steps],
        "slope_steps": [{"expr": ej(e) if e != _UNDEFINED else None, "note": n}
                        for e, n in t.slope_steps],
        "tangent": _line_dict(t, t.tangent, ej),
        "normal": _line_dict(t, t.normal, ej),
    }
    if detail == "full" and not t.implicit:
        out["solution"] = t.solution.to_dict()
    return out
