"""The Definition record (tutor.routes.definition) to text, LaTeX, Markdown and JSON.

Renderers only read the record. The limit operator is printed here, around the expression a
line holds while `line.limit` is true: text `lim_(h->0) [...]`, LaTeX `\\lim_{h \\to 0} ...`.
Labels and notes are `Note`s: the prose is escaped for TeX (`\\text{}` holds escaped prose and
`$...$` maths only), the maths printed by the format's own printer.
"""
from __future__ import annotations

import json
import math
import re
import string
from typing import Callable

from ..expr import Call, Expr, Neg, Add, Sym
from ..steps import Note
from .common import standalone_document, tex_escape

SCHEMA = "tutor.definition/1"



def _latex(e: Expr) -> str:
    from ..printing import to_latex
    # the function's own name f is a letter, not an operator name
    return to_latex(e).replace("\\operatorname{f}", "f")


def _text(e: Expr) -> str:
    from ..printing import to_text
    return to_text(e, nested=False)  # the lines sit inside `lim_(h->0) [...]`: round inside


def _tex_prose(s: str) -> str:
    return tex_escape(s)  # ≠ → ≈ as maths too: the one helper (render.common)


#: relations a note writes between its maths ("{0} = {1}", "{0} ≠ 0"), kept inside the maths
_RELATION = re.compile(r"(\s*)([=≠<>≤≥→])(\s*)(?:(-?\d+(?:\.\d+)?)(?![\w.]))?")
_RELATION_TEX = {"=": "=", "≠": "\\neq", "<": "<", ">": ">", "≤": "\\le", "≥": "\\ge", "→": "\\to"}


def note_latex(note: Note | None) -> str:
    """A Note as LaTeX text-mode source: escaped prose, $maths$; a relation between two maths
    fields (or a field and a number) stays inside one `$...$`: `$w = 3$`, `$h \\neq 0$`."""
    if not note:
        return ""
    parts: list[list] = []                       # [kind, source], kind "t" prose or "m" maths
    for literal, field, _, _ in string.Formatter().parse(note.template):
        if parts and parts[-1][0] == "m" and (m := _RELATION.match(literal)) is not None \
                and (m[4] or (m.end() == len(literal) and field is not None)):
            parts[-1][1] += f" {_RELATION_TEX[m[2]]} " + (m[4] or "")
            literal = literal[m.end():]
        if literal:
            parts.append(["t", literal])
        if field is not None:
            maths = _latex(note.maths[int(field)])
            if parts and parts[-1][0] == "m" and parts[-1][1].endswith(" "):
                parts[-1][1] += maths
            else:
                parts.append(["m", maths])
    return "".join(_tex_prose(src) if kind == "t" else f"${src.strip()}$" for kind, src in parts)


def note_markdown(note: Note | None) -> str:
    return note.render(lambda e: f"${_latex(e)}$") if note else ""


def _args(d) -> tuple:
    return tuple(Sym(v) for v in d.variables)


def head(d, style: str, point: bool = False) -> str:
    """f'(x), ∂f/∂w1, f'(2) (at a point, one variable)."""
    x = Sym(d.var)
    if d.partial:
        if style == "latex":
            base = f"\\frac{{\\partial f}}{{\\partial {_latex(x)}}}"
            return f"\\left.{base}\\right|_{{{_point_text(d, _latex)}}}" if point else base
        base = f"∂f/∂{_text(x)}"
        return f"{base} at ({_point_text(d, _text)})" if point else base
    arg = dict(d.point)[d.var] if point else x
    return f"f'({_latex(arg) if style == 'latex' else _text(arg)})"


def _limit_var(d, point_form: bool) -> tuple[str, str]:
    if point_form:
        return d.var, _text(dict(d.point)[d.var])
    return d.step, "0"


def _text_body(d, line, point_form: bool = False) -> str:
    body = _text(line.expr)
    if not line.limit:
        return body
    v, a = _limit_var(d, point_form)
    return f"lim_({v}->{a}) [{body}]"


def _latex_body(d, line, point_form: bool = False) -> str:
    body = _latex(line.expr)
    if not line.limit:
        return body
    v, _ = _limit_var(d, point_form)
    a = _latex(dict(d.point)[d.var]) if point_form else "0"
    if isinstance(line.expr, (Add, Neg)):
        body = f"\\left({body}\\right)"
    return f"\\lim_{{{_latex(Sym(v))} \\to {a}}} {body}"


def _point_text(d, show: Callable[[Expr], str]) -> str:
    return ", ".join(f"{show(Sym(k))} = {show(v)}" for k, v in d.point)


# ------------------------------------------------------------------ text

def _text_chain(d, lines, first_head: str, point_form: bool) -> list[str]:
    bodies = [_text_body(d, l, point_form) for l in lines]
    pad = " " * len(first_head)
    rows = [f"{first_head} = {bodies[0]}"] + [f"{pad} = {b}" for b in bodies[1:]]
    width = min(max(len(r) for r in rows) + 2, 78)
    out = []
    for row, line in zip(rows, lines):
        out.append(f"{row.ljust(width)}  [{line.label}]" if len(row) < width else f"{row}  [{line.label}]")
        if line.note:
            out.append(f"{pad}     note: {line.note}")
    return out


def render_text(d) -> str:
    args = _args(d)
    shifted_args = tuple(Add((a, Sym(d.step))) if a.name == d.var else a for a in args)
    out = [f"{_text(Call('f', args))} = {_text(d.function)}",
           f"{_text(Call('f', shifted_args))} = {_text(d.shifted)}", ""]
    out += _text_chain(d, d.lines, head(d, "text"), False)
    out += ["", f"Answer: {head(d, 'text')} = {_text(d.answer)}"]
    if d.point is not None:
        out += ["", f"At {_point_text(d, _text)}:"]
        if d.point_lines:
            out += _text_chain(d, d.point_lines, head(d, "text", True), True)
        value = _text(d.value) + (f" ≈ {d.decimal:.10g}" if d.decimal is not None and _text(d.value) != f"{d.decimal:.10g}" else "")
        out.append(f"{head(d, 'text', True)} = {value}")
    if d.table:
        out += ["", f"The difference quotient (f({d.var} + {d.step}) - f({d.var}))/{d.step} at "
                    f"{_point_text(d, _text)}, approaching the limit:",
                f"{d.step:>8}  {'quotient':>22}  {'error':>9}"]
        for r in d.table:
            q = "undefined" if r.quotient is None else repr(r.quotient)
            err = "-" if r.error is None else f"{r.error:.2e}"
            out.append(f"{r.h:>8.0e}  {q:>22}  {err:>9}")
    return "\n".join(out)


# ------------------------------------------------------------------ LaTeX

def _latex_rows(d, lines, first_head: str, point_form: bool) -> list[str]:
    rows = []
    for i, line in enumerate(lines):
        left = first_head if i == 0 else ""
        label = note_latex(line.label)
        if line.note:
            label += f" ({note_latex(line.note)})"
        rows.append(f"{left} &= {_latex_body(d, line, point_form)} && \\text{{{label}}}")
    return rows


def render_latex(d, standalone: bool = False) -> str:
    args = _args(d)
    shifted_args = tuple(Add((a, Sym(d.step))) if a.name == d.var else a for a in args)
    rows = [f"{_latex(Call('f', args))} &= {_latex(d.function)}",
            f"{_latex(Call('f', shifted_args))} &= {_latex(d.shifted)}"]
    body = ["\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}",
            "\\begin{align*}\n" + " \\\\\n".join(_latex_rows(d, d.lines, head(d, "latex"), False))
            + "\n\\end{align*}"]
    if d.point is not None:
        body.append(f"At ${_point_text(d, _latex)}$:")
        if d.point_lines:
            body.append("\\begin{align*}\n" + " \\\\\n".join(
                _latex_rows(d, d.point_lines, head(d, "latex", True), True)) + "\n\\end{align*}")
        approx = f" \\approx {d.decimal:.10g}" if d.decimal is not None and _text(d.value) != f"{d.decimal:.10g}" else ""
        body.append(f"\\[ {head(d, 'latex', True)} = {_latex(d.value)}{approx} \\]")
    if d.table:
        rows = "\n".join(f"$10^{{{round(math.log10(r.h))}}}$ & "
                         f"{'undefined' if r.quotient is None else repr(r.quotient)} & "
                         f"{'--' if r.error is None else f'{r.error:.2e}'} \\\\" for r in d.table)
        body.append(f"The difference quotient at ${_point_text(d, _latex)}$:\n\n"
                    f"\\begin{{tabular}}{{rrr}}\n${_latex(Sym(d.step))}$ & quotient & error \\\\ \\hline\n"
                    f"{rows}\n\\end{{tabular}}")
    text = "\n\n".join(body)
    return standalone_document(text) if standalone else text


# ------------------------------------------------------------------ Markdown

def render_markdown(d) -> str:
    args = _args(d)
    shifted_args = tuple(Add((a, Sym(d.step))) if a.name == d.var else a for a in args)
    out = [f"**The derivative from the definition:** ${_latex(Call('f', args))} = {_latex(d.function)}$, "
           f"so ${_latex(Call('f', shifted_args))} = {_latex(d.shifted)}$", ""]

    def chain(lines, first_head, point_form):
        for i, line in enumerate(lines):
            label = note_markdown(line.label)
            if line.note:
                label += f" ({note_markdown(line.note)})"
            out.append(f"*{label}*")
            out.append(f"$$ {first_head if i == 0 else ''} = {_latex_body(d, line, point_form)} $$")

    chain(d.lines, head(d, "latex"), False)
    out += ["", f"**Answer:** ${head(d, 'latex')} = {_latex(d.answer)}$"]
    if d.point is not None:
        out += ["", f"**At** ${_point_text(d, _latex)}$:", ""]
        if d.point_lines:
            chain(d.point_lines, head(d, "latex", True), True)
        out.append(f"$$ {head(d, 'latex', True)} = {_latex(d.value)} $$")
    if d.table:
        out += ["", f"| ${_latex(Sym(d.step))}$ | quotient | error |", "|---:|---:|---:|"]
        out += [f"| {r.h:.0e} | {'undefined' if r.quotient is None else repr(r.quotient)} | "
                f"{'-' if r.error is None else f'{r.error:.2e}'} |" for r in d.table]
    return "\n".join(out)


# ------------------------------------------------------------------ JSON

def _line_dict(line) -> dict:
    from ..printing import expr_json
    expression = expr_json(line.expr)
    expression["latex"] = _latex(line.expr)
    return {"kind": line.kind, "label": str(line.label), "expression": expression,
            "limit": line.limit, "note": str(line.note) if line.note else None}


def render_dict(d) -> dict:
    from ..printing import expr_json
    return {
        "schema": SCHEMA,
        "function": expr_json(d.function),
        "variable": d.var,
        "variables": list(d.variables),
        "partial": d.partial,
        "increment": d.step,
        "shifted": expr_json(d.shifted),
        "lines": [_line_dict(l) for l in d.lines],
        "known_limits": [{"name": k, "quotient": expr_json(q), "limit": expr_json(v)}
                         for k, q, v in d.known_limits],
        "answer": expr_json(d.answer),
        "point": None if d.point is None else {k: expr_json(v) for k, v in d.point},
        "point_lines": [_line_dict(l) for l in d.point_lines],
        "value": None if d.value is None else expr_json(d.value),
        "decimal": d.decimal,
        "table": [{"h": r.h, "quotient": r.quotient, "error": r.error} for r in d.table],
    }


def render_json(d) -> str:
    return json.dumps(render_dict(d), indent=2, ensure_ascii=False)
