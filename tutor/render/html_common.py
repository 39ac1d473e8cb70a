"""The pieces every HTML fragment is built from: maths, rows of working, the answer, the page.

Why one place: each route's page is the same three things (a sentence saying what is worked,
a table of lines `lhs = rhs   why`, the answer marked `tutor-answer`), and every piece of text
on them is escaped here once, so a name such as `<script>` typed by a user is shown, never run.
Maths is MathML Core from `tutor.printing.mathml` (drawn by the browser itself: no script, no
font or stylesheet from the network); a line's maths is in display style, so a fraction in a
worked line is as large as on a blackboard.

A table row of working is
    <tr class="tutor-line"><td class="tutor-lhs">…</td><td class="tutor-rel">=</td>
        <td class="tutor-rhs">…</td><td class="tutor-why">rule</td></tr>
and a row with an empty left side continues the row above (the same left side): every row is
an equation `lhs = rhs` that holds.
"""
from __future__ import annotations

import html

from ..expr import Expr, Sym
from ..printing.mathml import math_element, mathml_body, mathml_name

__all__ = ["esc", "maths", "maths_inline", "body", "rel_body", "evaluated", "note_html", "line_row",
           "note_row", "lines_table", "answer", "section", "point_body", "point_inline", "sym", "page",
           "CSS", "number_body", "text_row", "value_table"]


def esc(s: str) -> str:
    """Text (and attribute values) for HTML: & < > " ' escaped."""
    return html.escape(str(s), quote=True)


def body(e: Expr, symbols: dict | None = None) -> str:
    """One MathML element for an expression (no `<math>` around it)."""
    return mathml_body(e, symbols)


def maths(inner: str, display: bool = False) -> str:
    """MathML elements as one `<math>` in display style (a worked line's size), a block if asked."""
    element = math_element(inner, display)
    return element.replace("<math ", '<math displaystyle="true" ', 1) if not display else element


def maths_inline(e: Expr, symbols: dict | None = None) -> str:
    """An expression inside a sentence: text-size maths."""
    return math_element(mathml_body(e, symbols))


def rel_body(left: str, right: str, op: str = "=") -> str:
    """`left = right` from two ready elements."""
    return f"<mrow>{left}<mo>{op}</mo>{right}</mrow>"


def point_body(point, symbols: dict | None = None) -> str:
    """`w = 4, x = π/2` as one element, from ((name, Expr), ...)."""
    parts = [rel_body(symbols.get(n) if symbols and n in symbols else mathml_name(n), body(v, symbols))
             for n, v in point]
    return "<mrow>" + "<mo>,</mo>".join(parts) + "</mrow>"


def point_inline(point, symbols: dict | None = None) -> str:
    """The point inside a sentence: `At w = 4:`."""
    return math_element(point_body(point, symbols))


def evaluated(inner: str, point, symbols: dict | None = None) -> str:
    """`inner |_{w = 4}`: a derivative's value at a point, the textbook's evaluation bar."""
    return f'<msub><mrow>{inner}<mo stretchy="true">|</mo></mrow>{point_body(point, symbols)}</msub>'


def note_html(note, symbols: dict | None = None) -> str:
    """A steps.Note (prose with maths in it) or plain prose as HTML: the words escaped, the
    maths as inline MathML."""
    if not note:
        return ""
    render = getattr(note, "render", None)
    if render is not None:
        return render(lambda e: maths_inline(e, symbols), esc)
    return esc(note)


def line_row(lhs: str, rhs: str | None, why: str = "", cls: str = "tutor-line") -> str:
    """One row of working; `lhs`/`rhs` are MathML elements (lhs "" continues the row above),
    `why` is ready HTML."""
    left = maths(lhs) if lhs else ""
    if rhs is None:
        return (f'<tr class="{cls}"><td class="tutor-lhs">{left}</td><td class="tutor-rel"></td>'
                f'<td class="tutor-rhs"></td><td class="tutor-why">{why}</td></tr>')
    return (f'<tr class="{cls}"><td class="tutor-lhs">{left}</td>'
            f'<td class="tutor-rel">{maths("<mo>=</mo>")}</td>'
            f'<td class="tutor-rhs">{maths(rhs)}</td><td class="tutor-why">{why}</td></tr>')


def note_row(text_html: str, cls: str = "tutor-note") -> str:
    """A row of prose under a line (a note, a rule's bindings)."""
    return (f'<tr class="{cls}"><td class="tutor-lhs"></td><td class="tutor-rel"></td>'
            f'<td class="tutor-rhs" colspan="2">{text_html}</td></tr>')


def lines_table(rows: list, cls: str = "tutor-lines") -> str:
    """Rows in a table that scrolls sideways on its own at phone width (the page does not)."""
    return (f'<div class="tutor-scroll"><table class="{cls}"><tbody>' + "".join(rows)
            + "</tbody></table></div>")


def answer(lhs: str, rhs: str, extra: str = "", label: str = "Answer:") -> str:
    """The answer, marked `tutor-answer`: `label lhs = rhs` in one display formula."""
    tail = f' <span class="tutor-extra">{extra}</span>' if extra else ""
    return (f'<div class="tutor-answer"><span class="tutor-label">{esc(label)}</span> '
            f'{maths(rel_body(lhs, rhs))}{tail}</div>')


def section(kind: str, parts: list, title: str = "", classes: str = "", data: str = "") -> str:
    """The fragment: `<section class="tutor-KIND">` around the parts (`classes` added, `data`
    ready attributes)."""
    head = f'<h2 class="tutor-title">{title}</h2>' if title else ""
    cls = f"tutor-{kind} {classes}".strip()
    return (f'<section class="{cls}"{" " + data if data else ""}>{head}' + "".join(p for p in parts if p)
            + "</section>")


def sym(name: str, symbols: dict | None = None) -> str:
    return body(Sym(name), symbols)


def number_body(v) -> str:
    """A value the labs computed (an exact Fraction, a float, an exact Expr) as one element, the
    digits `render.common.fmt_number` prints: -1/32 as a fraction with a minus before it,
    0.9092974268 as it is. Why here: the numeric, dual, backprop and descent pages show the
    same numbers the text does, drawn once, in one place."""
    from fractions import Fraction
    from .common import fmt_number
    if isinstance(v, Expr):
        return body(v)
    if isinstance(v, Fraction) and v.denominator != 1:
        frac = f"<mfrac><mn>{abs(v.numerator)}</mn><mn>{v.denominator}</mn></mfrac>"
        return f"<mrow><mo>\u2212</mo>{frac}</mrow>" if v < 0 else frac
    s = fmt_number(v, "ascii")
    if s in ("nan", "inf", "-inf"):
        inner = "<mi>NaN</mi>" if s == "nan" else "<mi>\u221e</mi>"
        return f"<mrow><mo>\u2212</mo>{inner}</mrow>" if s == "-inf" else inner
    if s.startswith("-"):
        return f"<mrow><mo>\u2212</mo><mn>{esc(s[1:])}</mn></mrow>"
    return f"<mn>{esc(s)}</mn>"


def text_row(lhs: str, rhs: str, why: str = "", cls: str = "tutor-line tutor-trace-line") -> str:
    """A row of working whose sides are the text renderer's own strings (a dual-number or
    backprop line: `r1 = x̄ × ȳ = (3, 1) × (2, 0)`): the same columns as `line_row`, the text
    escaped, so the page shows the terminal's lines digit for digit."""
    return (f'<tr class="{cls}"><td class="tutor-lhs"><span class="tutor-text">{esc(lhs)}</span></td>'
            f'<td class="tutor-rel">=</td><td class="tutor-rhs"><span class="tutor-text">{esc(rhs)}'
            f'</span></td><td class="tutor-why">{why}</td></tr>')


def value_table(head: list, rows: list, cls: str = "tutor-table") -> str:
    """A plain table of numbers (ready HTML cells), scrolling sideways on its own at phone width."""
    th = "".join(f"<th>{h}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<div class="tutor-scroll"><table class="{cls}"><thead><tr>{th}</tr></thead>'
            f"<tbody>{trs}</tbody></table></div>")


#: the page's own style: system fonts, a math font from the machine if it has one (nothing is
#: fetched), readable at phone width (tables of working scroll sideways inside their box)
CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b5b66; --rule: #d9d9e0;
  --ok: #1f7a3a; --bad: #b3261e; --warn: #8a6100; --tint: #f4f6fb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem; color: var(--ink); background: #fff;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 56rem; margin: 0 auto; }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", math; font-size: 1.2em; }
.tutor-title { font-size: 1.25rem; margin: 0 0 .75rem; font-weight: 600; }
section[class^="tutor-"] { margin: 0 0 1.5rem; }
.tutor-problem, .tutor-heading { margin: .75rem 0 .25rem; }
.tutor-heading { font-weight: 600; }
.tutor-scroll { overflow-x: auto; overflow-y: hidden; padding: 2px 0; max-width: 100%; margin: .25rem 0 .75rem; }
.tutor-lines { border-collapse: collapse; }
.tutor-lines td { padding: .3rem .35rem; vertical-align: middle; white-space: nowrap; }
.tutor-lhs { text-align: right; }
.tutor-rel { text-align: center; padding-inline: .15rem; }
.tutor-rhs { text-align: left; }
.tutor-why { color: var(--muted); font-size: .9rem; padding-left: 1.5rem !important;
  white-space: normal !important; min-width: 9rem; }
.tutor-note td, .tutor-part td { color: var(--muted); font-size: .9rem; white-space: normal !important; }
.tutor-part .tutor-rhs { padding-left: 1.5rem; }
.tutor-answer { margin: .75rem 0; padding: .6rem 1rem; background: var(--tint);
  border-left: 4px solid var(--ok); overflow-x: auto; }
.tutor-answer .tutor-label { font-weight: 600; margin-right: .5rem; }
.tutor-answer math { display: inline-block; }
.tutor-extra { color: var(--muted); }
.tutor-rules { color: var(--muted); }
.tutor-verdict-head { font-size: 1.1rem; margin: 0 0 .5rem; }
.tutor-verdict-correct .tutor-verdict-head strong { color: var(--ok); }
.tutor-verdict-incorrect .tutor-verdict-head strong { color: var(--bad); }
.tutor-verdict-invalid .tutor-verdict-head strong, .tutor-verdict-undetermined .tutor-verdict-head strong { color: var(--warn); }
.tutor-caret { background: var(--tint); padding: .5rem .75rem; overflow-x: auto; }
.tutor-diagnoses li { margin: .25rem 0; }
.tutor-work-line.tutor-first-wrong { background: #fdecea; }
table.tutor-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.tutor-table th, table.tutor-table td { padding: .2rem .6rem; border-bottom: 1px solid var(--rule); text-align: right; }
.tutor-text { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", math, serif; font-size: 1.1em; }
/* a trace's lines are long: the right side wraps at its spaces, the rule keeps room to be read */
.tutor-trace td.tutor-rhs { white-space: normal; }
.tutor-trace td.tutor-why { min-width: 15rem; }
.tutor-lab { background: var(--tint); padding: .4rem .75rem; overflow-x: auto; }
table.tutor-iterations td:last-child, table.tutor-iterations th:last-child { text-align: left; white-space: nowrap; }
@media (max-width: 36rem) {
  body { padding: .6rem; } math { font-size: 1.1em; }
  /* phone width: each line is `lhs = rhs`, its rule on the row under it */
  .tutor-lines, .tutor-lines tbody, .tutor-lines tr { display: block; }
  .tutor-lines td { display: inline-block; }
  .tutor-lines td:empty { display: none; }
  .tutor-lines tr { padding: .2rem 0; }
  .tutor-lines td.tutor-why { display: block; padding: 0 0 0 1.5rem !important; min-width: 0; }
}
"""


def page(fragment: str, title: str) -> str:
    """A complete page around a fragment: doctype, lang, charset, viewport, inline style; no
    script and nothing loaded from anywhere."""
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{fragment}\n</main>\n</body>\n</html>\n")
