"""The HTML answer key: one self-contained page, the maths MathML Core (no script, no CDN).

Why it is this small: every record renders itself (`to_html(standalone=False)`, the same
printer as the classroom page), so the writer only adds the page, the numbered problems and
the table of answers. A record with no HTML renderer of its own (finite differences) is shown
as its text rendering in a `<pre>`, which states the same lines. Figures are inline SVG, so the
page is one file a teacher can mail or put on a course site.
"""
from __future__ import annotations

from ..expr import Sym
from ..render.html_common import CSS, body, esc, evaluated, maths, rel_body
from .work import Answer, Failed, Head, Worked
from .writers import failure_text, figure_caption

__all__ = ["HtmlWriter", "head_mathml", "answer_mathml"]

_PRIME = "\u2032"


def _name(v: str) -> str:
    return body(Sym(v))


def _point(point) -> str:
    return "<mo>,</mo>".join(body(v) for _, v in point)


def head_mathml(h: Head) -> str:
    """f'(x), f''(x), f^(5)(x), ∂f/∂x, f'(4); dy/dx; y (a line); k, as MathML elements."""
    match h.kind:
        case "derivative" if h.partial:
            names = h.variables or (h.var,) * h.order
            n = len(names)
            d = "<mo>\u2202</mo>"
            top = (f"<msup>{d}<mn>{n}</mn></msup>" if n > 1 else d) + "<mi>f</mi>"
            if len(set(names)) == 1:
                low = d + (f"<msup>{_name(names[0])}<mn>{n}</mn></msup>" if n > 1 else _name(names[0]))
            else:
                low = "".join(d + _name(v) for v in reversed(names))
            frac = f"<mfrac><mrow>{top}</mrow><mrow>{low}</mrow></mfrac>"
            return frac if h.point is None else evaluated(frac, h.point)
        case "derivative":
            f = ("<mi>f</mi><mo>" + _PRIME * h.order + "</mo>" if h.order <= 3
                 else f"<msup><mi>f</mi><mrow><mo>(</mo><mn>{h.order}</mn><mo>)</mo></mrow></msup>")
            where = _name(h.var) if h.point is None else _point(h.point)
            return f"<mrow>{f}<mo>(</mo>{where}<mo>)</mo></mrow>"
        case "dydx":
            y, x = _name(h.dep), _name(h.var)
            frac = (f"<mfrac><mrow><mi>d</mi>{y}</mrow><mrow><mi>d</mi>{x}</mrow></mfrac>"
                    if h.order == 1 else
                    f"<mfrac><mrow><msup><mi>d</mi><mn>2</mn></msup>{y}</mrow>"
                    f"<mrow><mi>d</mi><msup>{x}<mn>2</mn></msup></mrow></mfrac>")
            return frac if h.point is None else evaluated(frac, h.point)
        case "line":
            return _name(h.var if h.vertical else h.dep)
    return "<mi>k</mi>"


def answer_mathml(a: Answer) -> str:
    """head = value ≈ decimal, as one `<math>`."""
    parts = [head_mathml(a.head)]
    if a.value is not None:
        parts.append(body(a.value))
    inner = "<mo>=</mo>".join(parts)
    if a.approx is not None:
        inner += f"<mo>\u2248</mo><mn>{esc(a.approx)}</mn>"
    label = f"{esc(a.head.label)}: " if a.head.kind == "line" else ""
    return label + maths(f"<mrow>{inner}</mrow>")


def _problem(w: Worked) -> str:
    f = body(w.function)
    return maths(f if w.rhs is None else rel_body(f, body(w.rhs)))


_KEY_CSS = """
.tutor-key { max-width: 52rem; }
.tutor-key h2 { border-top: 1px solid var(--rule); padding-top: .6rem; }
.tutor-key .tutor-failed { border: 1px solid var(--bad); padding: .5rem .8rem; }
.tutor-key table.tutor-answers { border-collapse: collapse; width: 100%; }
.tutor-key table.tutor-answers td, .tutor-key table.tutor-answers th {
  border-bottom: 1px solid var(--rule); padding: .4rem .6rem; text-align: left; vertical-align: top; }
.tutor-key figure svg { max-width: 100%; height: auto; }
"""


class HtmlWriter:
    record_method = "to_html"
    figure_format = "svg"

    def begin(self, title: str, plots: bool) -> str:
        return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                f"<title>{esc(title)}</title>\n<style>{CSS}{_KEY_CSS}</style>\n</head>\n<body>\n"
                f"<main class=\"tutor-key\">\n<h1>{esc(title)}</h1>\n")

    def problem(self, w: Worked, body_html: str, figure: str) -> str:
        return (f"<article class=\"tutor-problem\" id=\"problem-{w.number}\">\n"
                f"<h2>Problem {w.number}</h2>\n{body_html.strip()}\n{figure}</article>\n")

    def failure(self, f: Failed) -> str:
        message, hint = failure_text(f)
        hint_html = f"<br>Hint: {esc(hint)}" if hint else ""
        return (f"<article class=\"tutor-problem\" id=\"problem-{f.number}\">\n"
                f"<h2>Problem {f.number}</h2>\n<p class=\"tutor-failed\"><strong>Line {f.line} "
                f"could not be worked</strong> (column {f.column}): {esc(message)}.{hint_html}"
                f"<br><code>{esc(f.source.strip())}</code></p>\n</article>\n")

    def figure(self, w: Worked, content: str, link: str | None) -> str:
        start = content.find("<svg")   # inline: the SVG element without its XML prologue
        svg = content[start:] if start >= 0 else content
        return (f"<figure>{svg}<figcaption>{esc(figure_caption(w))}</figcaption></figure>\n")

    def answers(self, rows: list) -> str:
        out = ["<h2 id=\"answers\">Answers</h2>\n<table class=\"tutor-answers\"><thead><tr>"
               "<th>#</th><th>Problem</th><th>Answer</th></tr></thead><tbody>\n"]
        for r in rows:
            if isinstance(r, Failed):
                out.append(f"<tr><td>{r.number}</td><td><em>line {r.line}</em></td>"
                           "<td><em>could not be worked</em></td></tr>\n")
                continue
            answers = "<br>".join(answer_mathml(a) for a in r.answers)
            out.append(f"<tr><td><a href=\"#problem-{r.number}\">{r.number}</a></td>"
                       f"<td>{_problem(r)}</td><td>{answers}</td></tr>\n")
        out.append("</tbody></table>\n")
        return "".join(out)

    def end(self) -> str:
        return "</main>\n</body>\n</html>\n"
