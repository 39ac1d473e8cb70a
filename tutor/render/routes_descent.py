"""Renderers of a gradient-descent record (`routes.descent.Descent`): text, Markdown, LaTeX, JSON.

Why apart from the route: the route iterates in floats; the table of iterates, the update
written out per variable and the 10 significant digits (`common.fmt_significant`) are
presentation.
"""
from __future__ import annotations

from ..expr import Sym
from .common import fmt_significant, tex_escape, tex_float

__all__ = ["SCHEMA", "render", "render_latex", "render_dict", "show_sym"]

SCHEMA = "tutor.descent/1"


def render(d, kind: str) -> str:
    """Text, Markdown (a pipe table) or LaTeX (a tabular, every number in maths)."""
    from ..printing import to_latex, to_text
    if kind == "latex":
        return render_latex(d)
    show = to_latex if kind != "text" else to_text
    names = d.variables
    many = len(names) > 1
    out = []
    if kind == "text":
        out.append(f"J({', '.join(names)}) = {to_text(d.function)}")
        for n, x in zip(names, d.derivatives):
            out.append(f"dJ/d{n} = {to_text(x)}")
        rule = ", ".join(f"{n} := {n} - α·dJ/d{n}" for n in names)
        out.append(f"repeat {rule}   (α = {fmt_significant(d.rate)})")
    else:
        out.append(f"$J = {show(d.function)}$" + "".join(
            f", $\\frac{{\\partial J}}{{\\partial {show_sym(n, show)}}} = {show(x)}$"
            if many else f", $\\frac{{dJ}}{{d{show_sym(n, show)}}} = {show(x)}$"
            for n, x in zip(names, d.derivatives)))
        out.append("")
        out.append(f"Repeat $w := w - \\alpha \\nabla J$ with $\\alpha = {fmt_significant(d.rate)}$.")
    head = ["k"] + list(names) + ["J"] + [f"dJ/d{n}" for n in names] + ["update"]
    rows = []
    for it in d.iterations:
        upd = "; ".join(f"{n} := {fmt_significant(a)} - {fmt_significant(d.rate)}·({fmt_significant(g)}) = {fmt_significant(b)}"
                        for n, a, g, b in zip(names, it.w, it.grad, it.new)) if it.new else ""
        rows.append([str(it.k)] + [fmt_significant(x) for x in it.w] + [fmt_significant(it.J)] + [fmt_significant(x) for x in it.grad] + [upd])
    if kind == "text":
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
        out.append("")
        out.append("  ".join(h.ljust(wd) for h, wd in zip(head, widths)).rstrip())
        for r in rows:
            out.append("  ".join(c.ljust(wd) for c, wd in zip(r, widths)).rstrip())
    else:
        out.append("")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for r in rows:
            out.append("| " + " | ".join(r) + " |")
    out.append("")
    out.append(f"{d.reason[0].upper()}{d.reason[1:]}.")
    out.append("Result: " + ", ".join(f"{n} = {fmt_significant(x)}" for n, x in zip(names, d.final)))
    return "\n".join(out)


def render_latex(d) -> str:
    """The same as the text: J and its derivatives, the update rule, the table of iterates (the
    update of each variable written out), why it stopped and the result."""
    from ..printing import latex_name, to_latex
    names = d.variables
    many = len(names) > 1
    sym = [latex_name(n) for n in names]
    d_of = [f"\\frac{{\\partial J}}{{\\partial {s}}}" if many else f"\\frac{{dJ}}{{d{s}}}" for s in sym]
    num = lambda x: tex_float(fmt_significant(x))  # noqa: E731
    out = [f"$J({', '.join(sym)}) = {to_latex(d.function)}$"
           + "".join(f", ${h} = {to_latex(x)}$" for h, x in zip(d_of, d.derivatives)) + "\n",
           "Repeat " + ", ".join(f"${s} := {s} - \\alpha {h}$" for s, h in zip(sym, d_of))
           + f" with $\\alpha = {num(d.rate)}$.\n",
           "\\begin{tabular}{" + "r" * (2 + 2 * len(names)) + "l}",
           " & ".join(["$k$"] + [f"${s}$" for s in sym] + ["$J$"] + [f"${h}$" for h in d_of]
                      + ["update"]) + " \\\\ \\hline"]
    for it in d.iterations:
        upd = ""
        if it.new:
            parts = [f"{s} := {num(a)} - {num(d.rate)} \\cdot ({num(g)}) = {num(b)}"
                     for s, a, g, b in zip(sym, it.w, it.grad, it.new)]
            upd = f"${parts[0]}$" if not many else \
                "$\\begin{array}{l}" + " \\\\ ".join(parts) + "\\end{array}$"
        out.append(" & ".join([f"${it.k}$"] + [f"${num(x)}$" for x in it.w] + [f"${num(it.J)}$"]
                              + [f"${num(x)}$" for x in it.grad] + [upd]) + " \\\\")
    out += ["\\end{tabular}\n", tex_escape(f"{d.reason[0].upper()}{d.reason[1:]}."), "",
            "Result: $" + ", ".join(f"{s} = {num(x)}" for s, x in zip(sym, d.final)) + "$."]
    return "\n".join(out)


def show_sym(name: str, show) -> str:
    return show(Sym(name))


def render_dict(d) -> dict:
    from ..printing import expr_json
    return {
        "schema": SCHEMA, "input": d.input, "function": expr_json(d.function),
        "variables": list(d.variables),
        "derivatives": [expr_json(x) for x in d.derivatives],
        "rate": d.rate, "tol": d.tol, "status": d.status, "reason": d.reason,
        "iterations": [{"k": it.k, "w": list(it.w), "J": it.J, "grad": list(it.grad),
                        "new": list(it.new) if it.new is not None else None}
                       for it in d.iterations],
        "final": list(d.final),
    }
