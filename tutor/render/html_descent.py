"""A gradient-descent record (`routes.descent.Descent`) as an HTML fragment.

Why this layout: it is the text renderer's (render.routes_descent.render), in its order: J and
its derivatives, the update rule with its rate, the table of iterates (each update written out
per variable), why it stopped and the result. The lab iterates in floats, and every number is
the record's at the text's 10 significant digits (`common.fmt_significant`), so a page and a
terminal show the same digits.
"""
from __future__ import annotations

from ..expr import Call, Sym
from ..printing.mathml import mathml_name
from .common import fmt_significant
from .html_common import answer, body, esc, line_row, lines_table, maths, rel_body, section, value_table

__all__ = ["descent_html"]

_D = '<mi mathvariant="normal">d</mi>'


def _num(x: float) -> str:
    s = fmt_significant(x)
    return f"<mrow><mo>\u2212</mo><mn>{esc(s[1:])}</mn></mrow>" if s.startswith("-") else f"<mn>{esc(s)}</mn>"


def _d_of(name: str, many: bool) -> str:
    """dJ/dw, or ∂J/∂w1 with several variables (the LaTeX renderer's heads)."""
    d = "<mo>\u2202</mo>" if many else _D
    return f"<mfrac><mrow>{d}<mi>J</mi></mrow><mrow>{d}{mathml_name(name)}</mrow></mfrac>"


def descent_html(d, detail: str = "normal") -> str:
    """`<section class="tutor-descent">`: J, its derivatives, the rule, the iterates, the result."""
    names = d.variables
    many = len(names) > 1
    args = tuple(Sym(n) for n in names)
    rows = [line_row(body(Call("J", args)), body(d.function))]
    rows += [line_row(_d_of(n, many), body(x)) for n, x in zip(names, d.derivatives)]
    rule = "<mo>,</mo>".join(
        f"<mrow>{mathml_name(n)}<mo>≔</mo>{mathml_name(n)}<mo>\u2212</mo><mi>α</mi>{_d_of(n, many)}</mrow>"
        for n in names)
    parts = [f'<p class="tutor-problem">Gradient descent on {maths(rel_body(body(Call("J", args)), body(d.function)))}</p>',
             lines_table(rows),
             f'<p class="tutor-heading">Repeat {maths(rule)} with {maths(rel_body("<mi>α</mi>", _num(d.rate)))}:</p>']
    head = (["k"] + [esc(n) for n in names] + ["J"] + [esc(f"dJ/d{n}") for n in names] + ["update"])
    table = []
    for it in d.iterations:
        upd = "; ".join(f"{n} := {fmt_significant(a)} - {fmt_significant(d.rate)}·({fmt_significant(g)}) = "
                        f"{fmt_significant(b)}" for n, a, g, b in zip(names, it.w, it.grad, it.new)) if it.new else ""
        table.append([str(it.k)] + [esc(fmt_significant(x)) for x in it.w] + [esc(fmt_significant(it.J))]
                     + [esc(fmt_significant(x)) for x in it.grad] + [f'<span class="tutor-update">{esc(upd)}</span>'])
    parts.append(value_table(head, table, "tutor-table tutor-iterations"))
    parts.append(f'<p class="tutor-conclusion">{esc(d.reason[0].upper() + d.reason[1:])}.</p>')
    result = "<mo>,</mo>".join(rel_body(mathml_name(n), _num(x)) for n, x in zip(names, d.final))
    if many:
        parts.append('<div class="tutor-answer"><span class="tutor-label">Result:</span> '
                     f"{maths(f'<mrow>{result}</mrow>')}</div>")
    else:
        parts.append(answer(mathml_name(names[0]), _num(d.final[0]), label="Result:"))
    return section("descent", parts)
