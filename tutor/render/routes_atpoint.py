"""Renderers of a derivative at a point (`routes.atpoint.AtPoint`): text, LaTeX, Markdown, JSON.

Why apart from the route: the route substitutes and does the arithmetic; how each line is
laid out (the derivative's head on the first line, notes in brackets, "-1/32 ≈ -0.03125")
is presentation, and the gradient renderer reuses `value_text`.
"""
from __future__ import annotations

from fractions import Fraction

from ..expr import Expr, Sym
from ..evaluation.text import float_or_none
from .common import DIGITS, derivative_head, is_number, point_text, standalone_document, tex_escape

__all__ = ["SCHEMA", "names", "value_text", "render_text", "render_latex", "render_markdown", "render_dict"]

SCHEMA = "tutor.atpoint/1"


def _text(e: Expr) -> str:
    """to_text, but a whole-line rational as "-1/32" (the printer would say "-(1/32)")."""
    from ..evaluation import evaluate, format_value
    from ..printing import to_text
    if is_number(e):
        return format_value(evaluate(e, {}))
    return to_text(e)


def value_text(a, show=None) -> str:
    """"-1/32 ≈ -0.03125", "cos(1) ≈ 0.5403023059", or just the decimal."""
    show = show or _text
    if a.exact is None:
        return a.decimal
    exact = show(a.exact)
    if isinstance(a.value, Fraction) and a.value.denominator == 1:
        return exact
    return f"{exact} ≈ {a.decimal}"


def names(a, latex: bool = False) -> tuple[str, str, str]:
    """The left sides in function notation, (f(w), f'(w), f'(4)): a line never equates the
    derivative as a function with a number (`d/dw[1/w^2] = -2/w^3 = -2/4^3` would). One
    variable: primes (f', f'', f''', then f^(4)); several: subscripts (f_x, f_xy)."""
    from ..printing import to_latex, to_text
    show = to_latex if latex else to_text
    sol = a.solution
    taken = {n for n, _ in a.point}
    f = next(c for c in "fghFGH" if c not in taken)
    args = ", ".join(show(Sym(n)) for n, _ in a.point)
    values = ", ".join(show(v) for _, v in a.point)
    variables = list(sol.variables)
    if len(a.point) == 1 and len(set(variables)) == 1 and not sol.partial:
        n = sol.order
        mark = "'" * n if n <= 3 else (f"^{{({n})}}" if latex else f"^({n})")
    else:
        each = variables * sol.order if len(variables) == 1 else variables
        subs = "".join(show(Sym(v)) for v in each)
        mark = f"_{{{subs}}}" if latex else f"_{subs}"
    return f"{f}({args})", f"{f}{mark}({args})", f"{f}{mark}({values})"


def _rows(a, show, latex: bool = False) -> list[tuple[str, str, object]]:
    """(left side, right side, step) of each line: f(w) = ..., f'(w) = ..., f'(4) = ..., = ..."""
    fn, general, at = names(a, latex)
    rows = [(fn, show(a.solution.function), None)]
    for s in a.steps:
        lhs = general if s.kind == "derivative" else at if s.kind == "substitute" else ""
        rows.append((lhs, show(s.expr), s))
    if len(rows) == 2:  # nothing substituted (a constant derivative): the value line says f'(4)
        rows.append((at, show(a.steps[-1].expr), None))
    return rows


def render_text(a, detail: str = "normal") -> str:
    from ..printing import to_text
    out = [] if detail == "brief" else [a.solution.to_text(detail), ""]
    head = to_text(derivative_head(a.solution))
    out.append(f"At {point_text(a.point)}:")
    for lhs, body, s in _rows(a, _text):
        line = f"  {lhs} = {body}" if lhs else f"  = {body}"
        out.append(f"{line.ljust(40)}  [{s.note}]" if s is not None and s.note else line)
    out.append(f"Answer: {head} at {point_text(a.point)} = {value_text(a)}")
    return "\n".join(out)


def _note_latex(a, s) -> str:
    """A step's note as maths: the substitution's point in maths, not calculator text."""
    from ..printing import to_latex
    if s.kind == "substitute":
        return f"\\text{{substitute }} {point_text(a.point, to_latex)}"
    return f"\\text{{{tex_escape(s.note)}}}"


def _note_markdown(a, s) -> str:
    from ..printing import to_latex
    if s.kind == "substitute":
        return f" *(substitute ${point_text(a.point, to_latex)}$)*"
    return f" *({s.note})*" if s.note else ""


def render_latex(a, detail: str = "normal", standalone: bool = False) -> str:
    from ..printing import to_latex
    rows = []
    lines = _rows(a, to_latex, True)
    for i, (lhs, body, s) in enumerate(lines):
        tag = f" && {_note_latex(a, s)}" if s is not None and s.note else ""
        if i == len(lines) - 1 and (a.exact is None or not (isinstance(a.value, Fraction)
                                                          and a.value.denominator == 1)):
            body += f" \\approx {a.decimal}"  # the decimal beside the exact value
        rows.append(f"{lhs} &= {body}{tag}")
    body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    if detail != "brief":
        body = a.solution.to_latex(detail) + "\n" + body
    if standalone:
        return standalone_document(body)
    return body


def render_markdown(a, detail: str = "normal") -> str:
    from ..printing import to_latex
    out = [] if detail == "brief" else [a.solution.to_markdown(detail), ""]
    out.append(f"**At** ${point_text(a.point, to_latex)}$:")
    for lhs, body, s in _rows(a, to_latex, True):
        tag = _note_markdown(a, s) if s is not None and s.note else ""
        out.append(f"$$ {lhs + ' ' if lhs else ''}= {body} $$" + tag)
    out.append("")
    value = value_text(a, to_latex).replace("≈", "\\approx")
    out.append(f"**Value:** ${value}$")
    return "\n".join(out)


def render_dict(a, detail: str = "full") -> dict:
    from ..evaluation import value_pair
    from ..printing import expr_json
    exact, _ = value_pair(a.value, DIGITS)
    return {
        "schema": SCHEMA,
        "function": expr_json(a.solution.function),
        "variables": list(a.solution.variables),
        "point": {name: expr_json(v) for name, v in a.point},
        "derivative": expr_json(a.derivative),
        "steps": [{"kind": s.kind, "expr": expr_json(s.expr), "note": s.note} for s in a.steps],
        "value": {"exact": expr_json(a.exact) if a.exact is not None else None,
                  "rational": exact, "decimal": a.decimal,
                  "float": float_or_none(a.value)},
        "function_value": {"rational": value_pair(a.function_value, DIGITS)[0],
                           "decimal": value_pair(a.function_value, DIGITS)[1]},
        "solution": a.solution.to_dict(detail),
    }
