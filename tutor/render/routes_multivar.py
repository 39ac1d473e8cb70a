"""Renderers of a gradient record (`routes.multivar.Gradient`): text, LaTeX, Markdown, JSON.

Why apart from the route: the route differentiates, evaluates and normalises the direction
exactly; how vectors and matrices are laid out (a column in LaTeX, a bracketed row in text),
and the decimals beside exact values, are presentation.
"""
from __future__ import annotations

import math
from fractions import Fraction

from ..evaluation import format_value
from ..evaluation.text import float_or_none
from ..expr import Derivative, Expr, Sym, free_symbols
from .common import fmt_decimal, point_text

__all__ = ["SCHEMA", "render_text", "render_latex", "render_markdown", "render_dict"]

SCHEMA = "tutor.gradient/1"


def _d(g, v: str) -> Expr:
    return Derivative(Sym("f"), v, 1, len(g.variables) > 1 or len(free_symbols(g.function)) > 1)


def _vec(items, show, latex=False) -> str:
    parts = [show(x) for x in items]
    if latex:
        return "\\begin{bmatrix} " + " \\\\ ".join(parts) + " \\end{bmatrix}"
    return "(" + ", ".join(parts) + ")"


def _matrix_text(rows, show) -> list[str]:
    cells = [[show(x) for x in row] for row in rows]
    width = max(len(c) for row in cells for c in row)
    return ["  [ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def _matrix_latex(rows, show) -> str:
    return "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(show(x) for x in row) for row in rows) \
        + " \\end{bmatrix}"


def _exact(a, show) -> str:
    if a.exact is None:
        return a.decimal
    if isinstance(a.value, Fraction):
        return format_value(a.value) if show is None else show(a.exact)
    return (show or _to_text)(a.exact)


def _to_text(e: Expr) -> str:
    from ..printing import to_text
    return to_text(e)


def render_text(g, detail: str = "brief") -> str:
    from ..printing import to_text
    names = ", ".join(g.variables)
    out = [f"f({names}) = {to_text(g.function)}", ""]
    out.append("Partial derivatives (each holds the other variables constant):")
    for v, s in zip(g.variables, g.partials):
        if detail != "brief":
            out.append(s.to_text(detail))
            out.append("")
        out.append(f"  {to_text(_d(g, v))} = {to_text(s.answer)}")
    out.append("")
    out.append(f"Gradient: grad f = {_vec(g.vector, to_text)}")
    if g.values:
        if detail != "brief":       # each worked value names the point; then the vector's own
            for a in g.values:
                out += [a.to_text("brief"), ""]
        out.append(f"At {point_text(g.point)}:")
        out.append(f"  grad f = {_vec(g.values, lambda a: _exact(a, None))}")
        out.append(f"         ≈ {_vec(g.values, lambda a: fmt_decimal(a.value))}")
    if g.direction:
        d = g.direction
        vec = _vec(d.vector, format_value)
        squares = " + ".join(f"({format_value(x)})^2" if x < 0 else f"{format_value(x)}^2" for x in d.vector)
        out.append("")
        out.append(f"Direction v = {vec}")
        root = f"sqrt({format_value(d.norm_squared)})"
        tail = "" if to_text(d.norm) == root else f" = {to_text(d.norm)}"
        out.append(f"  |v| = sqrt({squares}) = {root}{tail} ≈ {fmt_decimal(math.sqrt(d.norm_squared))}")
        out.append(f"  u = v/|v| = {_vec(d.unit, to_text)}")
        out.append(f"    ≈ {_vec([float(c) / math.sqrt(d.radicand) for c in d.coeffs], fmt_decimal)}")
        out.append(f"  D_u f = grad f . u = {to_text(g.directional)}")
        if g.directional_value:
            exact, value = g.directional_value
            shown = f"{to_text(exact)} ≈ {fmt_decimal(value)}" if exact is not None else fmt_decimal(value)
            out.append(f"  at {point_text(g.point)}: D_u f = {shown}")
    if g.hessian:
        out.append("")
        out.append("Hessian (H[i][j] = d/dx_j d/dx_i f):")
        out.extend(_matrix_text(g.hessian_matrix, to_text))
        if g.hessian_values:
            out.append(f"At {point_text(g.point)}:")
            out.extend(_matrix_text(g.hessian_values, lambda a: _exact(a, None)))
    return "\n".join(out)


def render_latex(g, detail: str = "brief", standalone: bool = False) -> str:
    from ..printing import to_latex
    rows = [f"f &= {to_latex(g.function)}"]
    for v, s in zip(g.variables, g.partials):
        rows.append(f"{to_latex(_d(g, v))} &= {to_latex(s.answer)}")
    rows.append(f"\\nabla f &= {_vec(g.vector, to_latex, True)}")
    if g.values:
        rows.append(f"\\nabla f\\big|_{{{point_text(g.point, to_latex)}}} &= "
                    f"{_vec(g.values, lambda a: _exact(a, to_latex), True)} \\approx "
                    f"{_vec(g.values, lambda a: fmt_decimal(a.value), True)}")
    if g.direction:
        d = g.direction
        rows.append(f"\\lvert v\\rvert &= \\sqrt{{{format_value(d.norm_squared)}}} = {to_latex(d.norm)}")
        rows.append(f"u &= \\frac{{v}}{{\\lvert v\\rvert}} = {_vec(d.unit, to_latex, True)}")
        rows.append(f"D_u f &= \\nabla f \\cdot u = {to_latex(g.directional)}")
        if g.directional_value:
            exact, value = g.directional_value
            rows.append(f"D_u f\\big|_{{{point_text(g.point, to_latex)}}} &= "
                        + (f"{to_latex(exact)} \\approx " if exact is not None else "") + fmt_decimal(value))
    if g.hessian:
        rows.append(f"H &= {_matrix_latex(g.hessian_matrix, to_latex)}")
        if g.hessian_values:
            rows.append(f"H\\big|_{{{point_text(g.point, to_latex)}}} &= "
                        f"{_matrix_latex(g.hessian_values, lambda a: _exact(a, to_latex))}")
    body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    if detail != "brief":
        body = "\n\n".join([s.to_latex(detail) for s in g.partials] + [body])
    if standalone:
        from ..render.common import standalone_document
        return standalone_document(body)
    return body


def render_markdown(g, detail: str = "brief") -> str:
    from ..printing import to_latex
    out = [f"**Gradient** of $f = {to_latex(g.function)}$ "
           "(each partial derivative holds the other variables constant):", ""]
    for v, s in zip(g.variables, g.partials):
        if detail != "brief":
            out.extend([s.to_markdown(detail), ""])
        out.append(f"$$ {to_latex(_d(g, v))} = {to_latex(s.answer)} $$")
    out.append(f"$$ \\nabla f = {_vec(g.vector, to_latex, True)} $$")
    latex = render_latex(g, "brief")      # align* is a display of its own: aligned inside $$
    latex = latex.replace("\\begin{align*}", "\\begin{aligned}").replace("\\end{align*}", "\\end{aligned}")
    out.extend(["", "**Summary:**", "", "$$", latex, "$$"])
    return "\n".join(out)


def render_dict(g, detail: str = "full") -> dict:
    from ..printing import expr_json

    def value(a) -> dict:
        return {"exact": expr_json(a.exact) if a.exact is not None else None,
                "decimal": a.decimal, "float": float_or_none(a.value)}
    out: dict = {
        "schema": SCHEMA,
        "input": g.input,
        "function": expr_json(g.function),
        "variables": list(g.variables),
        "partials": [s.to_dict(detail) for s in g.partials],
        "gradient": [expr_json(x) for x in g.vector],
        "point": {n: expr_json(v) for n, v in g.point} if g.point else None,
        "gradient_at": [value(a) for a in g.values] if g.values else None,
        "direction": None,
        "hessian": [[expr_json(x) for x in row] for row in g.hessian_matrix] if g.hessian else None,
        "hessian_at": [[value(a) for a in row] for row in g.hessian_values] if g.hessian_values else None,
    }
    if g.direction:
        d = g.direction
        dv = g.directional_value
        out["direction"] = {
            "vector": [format_value(x) for x in d.vector],
            "norm": expr_json(d.norm),
            "norm_decimal": fmt_decimal(math.sqrt(d.norm_squared)),
            "unit": [expr_json(x) for x in d.unit],
            "unit_decimal": [fmt_decimal(float(c) / math.sqrt(d.radicand)) for c in d.coeffs],
            "derivative": expr_json(g.directional),
            "derivative_at": None if dv is None else {
                "exact": expr_json(dv[0]) if dv[0] is not None else None,
                "decimal": fmt_decimal(dv[1]), "float": dv[1]},
        }
    return out
