"""What every answer-key writer shares: the writer protocol, the maths of an answer's left
side, and the call into a record's own renderer.

Why a protocol: the document is the same in every format (a title, numbered problems with
their worked solutions and figures, a note where a line failed, a table of answers), so
`documents.key` assembles it once and a format is one small class with six methods:

    begin(title, plots) -> str          the preamble and the title
    problem(worked, body, figure) -> str    one problem: heading, statement, body, figure
    failure(failed) -> str              the visible note for a line that failed
    answers(rows) -> str                the table at the end
    end() -> str                        the closing
    figure(worked, content, link) -> str    a figure (content in `figure_format`)

and two attributes: `record_method` (the records' renderer it calls, e.g. "to_latex"; a
later HTML writer uses "to_html") and `figure_format` ("tikz" or "svg", or None: no
figures). `render_record` calls the record's renderer with the detail when it takes one.
"""
from __future__ import annotations

import inspect
from typing import Protocol

from ..expr import Expr
from .work import Answer, Failed, Head, Worked

__all__ = ["Writer", "render_record", "head_latex", "answer_latex", "problem_latex",
           "failure_text", "figure_caption", "ROUTE_NAMES"]

#: the route of a problem as a teacher names it (headings, captions)
ROUTE_NAMES = {"diff": "derivative", "at": "derivative at a point",
               "definition": "from the definition", "implicit": "implicit differentiation",
               "tangent": "tangent line", "numeric": "finite differences"}


class Writer(Protocol):
    record_method: str
    figure_format: str | None

    def begin(self, title: str, plots: bool) -> str: ...

    def problem(self, worked: Worked, body: str, figure: str) -> str: ...

    def failure(self, failed: Failed) -> str: ...

    def figure(self, worked: Worked, content: str, link: str | None) -> str: ...

    def answers(self, rows: list) -> str: ...

    def end(self) -> str: ...


def render_record(record, method: str, detail: str, **kw) -> str:
    """record.<method>(detail, **kw), leaving out what that record's renderer does not take
    (the definition and finite-difference records have no detail levels)."""
    render = getattr(record, method, None)
    if render is None and method == "to_html":   # finite differences: its text, which is HTML-safe once escaped
        from html import escape
        return f'<pre class="tutor-text">{escape(render_record(record, "to_text", detail))}</pre>'
    params = inspect.signature(render).parameters
    args = ((detail,) if "detail" in params else ())
    return render(*args, **{k: v for k, v in kw.items() if k in params})


def _tex(e: Expr) -> str:
    from ..printing import to_latex
    return to_latex(e)


def _name(v: str) -> str:
    from ..expr import Sym
    return _tex(Sym(v))


def _point_latex(point) -> str:
    return ", ".join(_tex(v) for _, v in point)


def head_latex(h: Head) -> str:
    """f'(x), f''(x), f^{(5)}(x), ∂f/∂x, ∂²f/∂y∂x, f'(4); dy/dx; y (a line); k."""
    match h.kind:
        case "derivative" if h.partial:
            names = h.variables or (h.var,) * h.order
            n = len(names)
            top = "\\partial" + (f"^{{{n}}}" if n > 1 else "") + " f"
            if len(set(names)) == 1:
                bottom = f"\\partial {_name(names[0])}" + (f"^{{{n}}}" if n > 1 else "")
            else:  # d2f/dydx: x first, then y (the order of differentiation, right to left)
                bottom = " ".join(f"\\partial {_name(v)}" for v in reversed(names))
            frac = f"\\frac{{{top}}}{{{bottom}}}"
            return frac if h.point is None else f"{frac}\\Big|_{{{_assign(h.point)}}}"
        case "derivative":
            primes = "'" * h.order if h.order <= 3 else f"^{{({h.order})}}"
            where = _name(h.var) if h.point is None else _point_latex(h.point)
            return f"f{primes}\\left({where}\\right)"
        case "dydx":
            y, x = _name(h.dep), _name(h.var)
            frac = (f"\\frac{{d{y}}}{{d{x}}}" if h.order == 1
                    else f"\\frac{{d^{{2}}{y}}}{{d{x}^{{2}}}}")
            return frac if h.point is None else f"{frac}\\Big|_{{{_assign(h.point)}}}"
        case "line":
            return _name(h.var if h.vertical else h.dep)
        case "k":
            return "k"
    return ""  # pragma: no cover


def _assign(point) -> str:
    return ",\\, ".join(f"{_name(n)} = {_tex(v)}" for n, v in point)


def answer_latex(a: Answer) -> str:
    """The whole answer as one LaTeX maths string: head = value ≈ decimal."""
    parts = [head_latex(a.head)]
    if a.head.kind == "line":
        parts[0] = f"\\text{{{a.head.label}: }} {parts[0]}"
    if a.value is not None:
        parts.append(_tex(a.value))
    if a.approx is not None:
        return " = ".join(parts) + f" \\approx {a.approx}"
    return " = ".join(parts)


def problem_latex(w: Worked) -> str:
    """The problem as the table shows it: f, or the equation."""
    f = _tex(w.function)
    return f if w.rhs is None else f"{f} = {_tex(w.rhs)}"


def failure_text(f: Failed) -> tuple[str, str | None]:
    """(message, hint) of a failed line, without the caret context (the line is shown apart)."""
    e = f.error
    return e.message, e.hint


def figure_caption(w: Worked) -> str:
    """Plain prose (no maths, no Unicode): every format can print it as it is."""
    req = w.plot
    if req.tangent_at is not None:
        what = f"and its tangent at {req.var} = {req.tangent_at}"
    elif req.secants_at is not None:
        what = f"and secants through {req.var} = {req.secants_at} turning into the tangent"
    else:
        what = "and of its derivative"
    return f"Figure {w.number}: the graph of f({req.var}) = {req.expr} {what}"
