"""Renderers of a finite-difference record (`routes.numeric.FiniteDifference`): text, LaTeX,
Markdown, JSON.

Why apart from the route: the route does the lab's float arithmetic; the table layout, the
way each ε and error is written (Python's repr for the lab's numbers, 3 significant digits
for errors) and the exact value beside them are presentation.
"""
from __future__ import annotations

from .common import fmt_number, tex_escape, tex_float

__all__ = ["SCHEMA", "render_text", "render_latex", "render_markdown", "render_dict"]

SCHEMA = "tutor.numeric/1"


def _exact_text(fd) -> str:
    from ..evaluation import value_pair
    exact, dec = value_pair(fd.exact)
    return dec if exact is None or exact == dec else f"{exact} ≈ {dec}"


def _cell(v, width: int) -> str:
    return ("undefined" if v is None else repr(v)).rjust(width)


def _err(v) -> str:
    return ("-" if v is None else f"{v:.2e}").rjust(9)


def _tex_num(v: float) -> str:
    m, e = f"{v:.0e}".split("e")
    return f"10^{{{int(e)}}}" if m == "1" else f"{v!r}"


def _tex_opt(v, digits: int | None = None) -> str:
    """A table cell (text mode): undefined, the float as Python prints it, or an error to
    `digits` significant digits as $m \\times 10^{e}$."""
    if v is None:
        return "undefined"
    if not digits:
        return f"${tex_float(repr(v))}$"
    m, e = f"{v:.{digits - 1}e}".split("e")
    return f"${m} \\times 10^{{{int(e)}}}$"


def render_text(fd) -> str:
    from ..evaluation import format_value
    from ..printing import to_text
    v = fd.var
    pt = ", ".join(f"{k} = {format_value(x)}" for k, x in fd.point.items())
    out = [f"J({v}) = {to_text(fd.expr)} at {pt}, epsilon = {fd.eps!r}", "",
           f"J = J({v}) = {fd.J_text}",
           f"J_epsilon = J({v} + epsilon) = {fd.J_epsilon!r}   (Python floats)",
           f"k = (J_epsilon - J)/epsilon = {fd.k!r}", "", fd.lab_line, "",
           f"exact: dJ/d{v} = {to_text(fd.derivative)} = {_exact_text(fd)} at this point", "",
           f"{'epsilon':>8}  {'forward':>22}  {'error':>9}  {'central':>22}  {'error':>9}"]
    for r in fd.rows:
        out.append(f"{r.eps:>8.0e}  {_cell(r.forward, 22)}  {_err(r.forward_error)}  "
                   f"{_cell(r.central, 22)}  {_err(r.central_error)}")
    out += ["", fd.conclusion]
    return "\n".join(out)


def render_latex(fd) -> str:
    from ..printing import latex_name, to_latex
    v = latex_name(fd.var)
    rows = "\n".join(f"${_tex_num(r.eps)}$ & {_tex_opt(r.forward)} & {_tex_opt(r.forward_error, 3)} & "
                     f"{_tex_opt(r.central)} & {_tex_opt(r.central_error, 3)} \\\\" for r in fd.rows)
    return (f"$J({v}) = {to_latex(fd.expr)}$, $\\varepsilon = {_tex_num(fd.eps)}$\n\n"
            f"\\[\n\\begin{{aligned}}\nJ &= {fd.J_text} \\\\\nJ_\\varepsilon &= J({v} + \\varepsilon) = "
            f"{tex_float(repr(fd.J_epsilon))} \\\\\nk &= \\frac{{J_\\varepsilon - J}}{{\\varepsilon}} = "
            f"{tex_float(repr(fd.k))}"
            f" \\approx {fd.k_text}\n\\end{{aligned}}\n\\]\n\n"
            f"Exact: $\\frac{{dJ}}{{d{v}}} = {to_latex(fd.derivative)} = {fmt_number(fd.exact, 'latex')}$.\n\n"
            "\\begin{tabular}{rrrrr}\n$\\varepsilon$ & forward & error & central & error \\\\ \\hline\n"
            f"{rows}\n\\end{{tabular}}\n\n{tex_escape(fd.conclusion)}")


def render_markdown(fd) -> str:
    from ..printing import to_latex
    lines = [f"**Finite differences for** $J({fd.var}) = {to_latex(fd.expr)}$", "",
             "```", fd.lab_line, "```", "",
             f"Exact: $\\frac{{dJ}}{{d{fd.var}}} = {to_latex(fd.derivative)} = "
             f"{fmt_number(fd.exact, 'latex')}$", "",
             "| ε | forward | error | central | error |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.eps:.0e} | {_cell(r.forward, 0).strip()} | {_err(r.forward_error).strip()} | "
              f"{_cell(r.central, 0).strip()} | {_err(r.central_error).strip()} |" for r in fd.rows]
    return "\n".join(lines + ["", fd.conclusion])


def render_dict(fd) -> dict:
    from ..evaluation import format_value, value_pair
    from ..printing import expr_json
    exact, dec = value_pair(fd.exact)
    return {"schema": SCHEMA, "expr": expr_json(fd.expr), "var": fd.var,
            "point": {k: format_value(x) for k, x in fd.point.items()}, "eps": fd.eps,
            "J": fd.J_text, "J_epsilon": fd.J_epsilon, "k": fd.k, "k_text": fd.k_text,
            "lab_line": fd.lab_line, "derivative": expr_json(fd.derivative),
            "exact": {"exact": exact, "decimal": dec},
            "table": [{"eps": r.eps, "forward": r.forward, "forward_error": r.forward_error,
                       "central": r.central, "central_error": r.central_error} for r in fd.rows],
            "conclusion": fd.conclusion}
