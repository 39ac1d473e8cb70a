"""Renderers of implicit differentiation (`routes.implicit.Implicit`): text, LaTeX, Markdown, JSON.

The route computes with a fresh symbol for dy/dx (`y'`); here it is written as the user chose,
dy/dx (Leibniz, the default) or y' (`prime=True`), in every format: the printers print the
tree with that symbol in it and the symbol's own rendering is swapped for the notation, so
the maths is printed once, by the printers. Each line is `lhs = rhs   [why]`.
"""
from __future__ import annotations

from ..expr import Expr, Sym
from ..steps import note_text
from .common import latex_text, point_text, standalone_document, tex_escape
from .routes_tangent import printers

__all__ = ["SCHEMA", "render_text", "render_latex", "render_markdown", "render_dict"]

SCHEMA = "tutor.implicit/1"


def _equation_text(rec, show) -> str:
    return f"{show(rec.lhs)} = {show(rec.rhs)}"


def _lines_text(lines, show, detail) -> list[str]:
    out = []
    rows = [(f"  {show(l.lhs)} = {show(l.rhs)}", note_text(l.note, show), l) for l in lines]
    width = min(60, max(len(r[0]) for r in rows)) if rows else 0
    for body, note, line in rows:
        out.append(f"{body.ljust(width)}    [{note}]" if note else body)
        if detail != "brief":
            for head, value in line.parts:
                out.append(f"      {show(head)} = {show(value)}")
    return out


def render_text(rec, detail: str = "normal") -> str:
    show, _ = printers(rec)
    p, pp = rec.dydx, rec.d2ydx2
    out = [f"Implicit differentiation of {_equation_text(rec, show)}, with {rec.dep} = "
           f"{rec.dep}({rec.var}):"]
    if detail != "brief":
        out += _lines_text(rec.lines, show, detail)
    out.append(f"Answer: {show(p)} = {show(rec.answer)}")
    if rec.order == 2:
        out.append("")
        out.append("Second derivative:")
        if detail != "brief":
            out += _lines_text(rec.second_lines, show, detail)
        out.append(f"Answer: {show(pp)} = {show(rec.second)}")
    if rec.at is not None:
        from .routes_tangent import slope_text, line_text
        out.append("")
        out.append(f"At {point_text(rec.point)}:")
        out += slope_text(rec.at, show)
        out.append(line_text(rec.at, rec.at.tangent, show))
    return "\n".join(out)


def _lines_latex(lines, show) -> list[str]:
    rows = []
    for l in lines:
        note = note_text(l.note, lambda e: f"${show(e)}$")
        tail = f" && {_latex_note(note)}" if note else ""
        rows.append(f"{show(l.lhs)} &= {show(l.rhs)}{tail}")
    return rows


def _latex_note(note: str) -> str:
    """A note with $maths$ in it as \\text{...} pieces around the maths."""
    pieces = note.split("$")
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(piece)
        elif piece:
            out.append(latex_text(piece))
    return " ".join(out)


def _align(rows) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def render_latex(rec, detail: str = "normal", standalone: bool = False) -> str:
    _, show = printers(rec)
    p, pp = rec.dydx, rec.d2ydx2
    parts = [f"Implicit differentiation of ${_equation_text(rec, show)}$, with "
             f"${show(Sym(rec.dep))} = {show(Sym(rec.dep))}({show(Sym(rec.var))})$:"]
    parts.append(_align(_lines_latex(rec.lines, show)) if detail != "brief"
                 else f"\\[ {show(p)} = {show(rec.answer)} \\]")
    if rec.order == 2:
        parts.append(tex_escape("Second derivative:"))
        parts.append(_align(_lines_latex(rec.second_lines, show)) if detail != "brief"
                     else f"\\[ {show(pp)} = {show(rec.second)} \\]")
    if rec.at is not None:
        from .routes_tangent import latex_rows
        parts.append(f"At ${point_text(rec.point, show)}$:")
        parts.append(_align(latex_rows(rec.at, show)))
    body = "\n\n".join(parts)
    return standalone_document(body) if standalone else body


def render_markdown(rec, detail: str = "normal") -> str:
    _, show = printers(rec)
    p, pp = rec.dydx, rec.d2ydx2
    out = [f"**Implicit differentiation** of ${_equation_text(rec, show)}$, with "
           f"${show(Sym(rec.dep))} = {show(Sym(rec.dep))}({show(Sym(rec.var))})$", ""]

    def block(lines):
        for l in lines:
            note = note_text(l.note, lambda e: f"${show(e)}$")
            out.append(f"$$ {show(l.lhs)} = {show(l.rhs)} $$" + (f" *({note})*" if note else ""))
    if detail != "brief":
        block(rec.lines)
    out += ["", f"**Answer:** ${show(p)} = {show(rec.answer)}$"]
    if rec.order == 2:
        out += ["", "**Second derivative**", ""]
        if detail != "brief":
            block(rec.second_lines)
        out += ["", f"**Answer:** ${show(pp)} = {show(rec.second)}$"]
    if rec.at is not None:
        from .routes_tangent import latex_rows
        out += ["", f"**At** ${point_text(rec.point, show)}$:", ""]
        out += [f"$$ {r.replace('&', '')} $$" for r in latex_rows(rec.at, show)]
    return "\n".join(out)


def render_dict(rec, detail: str = "full") -> dict:
    from ..printing import expr_json
    text, latex = printers(rec)

    def ej(e: Expr) -> dict:
        d = expr_json(e)
        return {**d, "text": text(e), "latex": latex(e)}

    def lines(ls):
        return [{"rule": l.rule, "lhs": ej(l.lhs), "rhs": ej(l.rhs),
                 "note": note_text(l.note, text),
                 "parts": [{"derivative": ej(h), "value": ej(v)} for h, v in l.parts]} for l in ls]
    out = {
        "schema": SCHEMA,
        "equation": {"lhs": expr_json(rec.lhs), "rhs": expr_json(rec.rhs)},
        "dependent": rec.dep, "variable": rec.var, "order": rec.order,
        "notation": "prime" if rec.prime else "leibniz",
        "symbols": {"dydx": rec.dydx.name, "d2ydx2": rec.d2ydx2.name},
        "lines": lines(rec.lines),
        "answer": expr_json(rec.answer),
    }
    if rec.order == 2:
        out["second_lines"] = lines(rec.second_lines)
        out["second"] = expr_json(rec.second)
    if rec.at is not None:
        from .routes_tangent import render_dict as tangent_dict
        t = tangent_dict(rec.at, "brief")
        out["point"] = t["point"]
        out["slope"] = t["slope"]
        out["tangent"] = t["tangent"]
    return out
