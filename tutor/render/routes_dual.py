"""Renderers of a dual-number trace (`routes.dual.DualTrace`): text, ASCII, LaTeX, Markdown, JSON.

Why apart from the route: the route computes pairs; how a line is named (x̄, c, cx̄, r1, ū), how
an operation is laid out with its operands' names or pairs (`operation`, shared with the
backprop renderer), and the rule formulas shown beside each line are presentation, written
once here. Maths inside a line (inline exponents, log bases, the chain rule's f') is printed by
`tutor.printing`; function heads in LaTeX come from `tutor.vocabulary`.
"""
from __future__ import annotations

from ..expr import Add, Call, Const, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym, children
from .common import fmt_number, tex_escape

__all__ = ["SCHEMA", "DUAL_RULES", "rule_formula", "operation", "line_names", "trace_lines", "render_text", "latex_lines",
           "render_latex", "render_markdown", "render_dict", "json_value"]

SCHEMA = "tutor.dual/1"

#: rule id -> (text formula, LaTeX formula)
DUAL_RULES = {
    "variable": ("variable: (u, 1)", "f((u, u')) = (u, 1)"),
    "held": ("held constant: (u, 0)", "(u, 0)"),
    "constant": ("constant: (c, 0)", "f((u, u')) = (c, 0)"),
    "sum": ("sum: (u, u') + (v, v') = (u + v, u' + v')", "(u, u') + (v, v') = (u + v, u' + v')"),
    "product": ("product: (u, u') × (v, v') = (uv, u'v + v'u)", "(u, u') \\times (v, v') = (uv, u'v + v'u)"),
    "quotient": ("quotient: (u, u') / (v, v') = (u/v, (u'v − uv')/v²)",
                 "(u, u') / (v, v') = (u/v, (u'v - uv')/v^2)"),
    "negation": ("negation: −(u, u') = (−u, −u')", "-(u, u') = (-u, -u')"),
    "power": ("power: (u, u')^n = (u^n, n u^(n−1) u')", "(u, u')^n = (u^n, n u^{n-1} u')"),
    "exponential": ("exponential: a^(v, v') = (a^v, a^v ln(a) v')", "a^{(v, v')} = (a^v, a^v \\ln(a) v')"),
    "general-power": ("general power: (u, u')^(v, v') = (u^v, u^v (v' ln u + v u'/u))",
                      "(u, u')^{(v, v')} = (u^v, u^v (v' \\ln u + v u'/u))"),
    "max": ("max: max((u, u'), (v, v')) = (max(u, v), u'[u > v] + v'[u ≤ v])",
            "\\max((u, u'), (v, v')) = (\\max(u, v), u'\\mathbb{I}[u > v] + v'\\mathbb{I}[u \\leq v])"),
    "min": ("min: min((u, u'), (v, v')) = (min(u, v), u'[u < v] + v'[u ≥ v])",
            "\\min((u, u'), (v, v')) = (\\min(u, v), u'\\mathbb{I}[u < v] + v'\\mathbb{I}[u \\geq v])"),
    "relu": ("relu: relu((u, u')) = (max(0, u), u'[u ≥ 0])",
             "\\text{relu}((u, u')) = (\\max(0, u), u'\\mathbb{I}[u \\geq 0])"),
    "abs": ("abs: |(u, u')| = (|u|, u'·u/|u|), undefined at u = 0",
            "|(u, u')| = (|u|, u' \\frac{u}{|u|}),\\ u \\neq 0"),
    "indicator": ("step: [u ? v] is flat: (value, 0)", "\\mathbb{I}[u ? v] = (\\cdot, 0)"),
}


def rule_formula(line) -> tuple[str, str]:
    """(text, LaTeX) of the rule a line applies; a chain line shows the f' its record carries
    (from the rules, as the worked solutions use it)."""
    if line.rule != "chain":
        return DUAL_RULES[line.rule]
    from ..printing import to_latex, to_text
    f, d = line.outer
    return (f"chain rule: {to_text(f)} at (u, u') = ({to_text(f)}, ({to_text(d)}) u')",
            f"f((u, u')) = (f(u), f'(u)u'),\\ {to_latex(f)}' = {to_latex(d)}")


def _latex_head(func: str) -> str:
    """A function's LaTeX head in a line: the vocabulary's operator when LaTeX has one that is
    written `\\sin(...)` (one argument or max/min; not a root's `\\sqrt{}`), else the name as
    text."""
    from ..vocabulary import FUNCTIONS, ROOT
    row = FUNCTIONS.get(func)
    if row is not None and row.latex == "\\" + func and row.arity != 2 and row.family != ROOT:
        return row.latex
    return f"\\text{{{func}}}"


def operation(e: Expr, ops: dict, style: str) -> str:
    """The operation of node e with its operands written as the strings in `ops` (position ->
    text: a line name or a pair); inline parameters printed as maths."""
    from ..printing import to_latex, to_text
    latex = style == "latex"
    show = to_latex if latex else to_text
    kids = children(e)
    arg = [ops.get(i) if i in ops else show(kids[i]) for i in range(len(kids))]
    times = " \\times " if latex else (" * " if style == "ascii" else " × ")
    match e:
        case Add():
            return " + ".join(arg)
        case Mul():
            return times.join(arg)
        case Div():
            return f"{arg[0]} / {arg[1]}"
        case Neg():
            return ("-" if style != "text" else "−") + arg[0]
        case Pow(b, x):
            base = arg[0] if 0 in ops or isinstance(b, (Num, Sym, Const)) else f"({arg[0]})"
            if latex:
                return f"{base}^{{{arg[1]}}}"
            ex = arg[1] if 1 in ops or isinstance(x, (Num, Sym, Const)) else f"({arg[1]})"
            return f"{base}^{ex}"
        case Call(func, _):
            return f"{_latex_head(func) if latex else func}({', '.join(arg)})"
        case Indicator(_, op, _):
            return f"[{arg[0]} {op} {arg[1]}]"
    return show(e)


def line_names(t) -> list[dict]:
    """Per graph node: the line name in each style (x̄, c1, cx̄, r1, ū)."""
    from ..printing import latex_name
    graph = t.graph
    scaled = {ln.index for ln in t.lines if ln.scaled}
    consts = [n for n in graph.nodes if n.kind == "const"]
    names: list[dict] = [{} for _ in graph.nodes]
    root_letter = "u" if "u" not in graph.variables else ("f" if "f" not in graph.variables else "out")
    for n in graph.nodes:
        if n.kind == "var":
            v = n.expr.name
            names[n.index] = {"text": v + "\u0304", "ascii": v + "_bar", "latex": f"\\bar{{{latex_name(v)}}}"}
        elif n.kind == "const":
            k = "" if len(consts) == 1 else str(consts.index(n) + 1)
            names[n.index] = {"text": "c" + k, "ascii": "c" + k, "latex": "c" + (f"_{{{k}}}" if k else "")}
    r = 0
    for n in graph.nodes:
        if n.kind != "op":
            continue
        if n.index == graph.root:
            names[n.index] = {"text": root_letter + "\u0304", "ascii": root_letter + "_bar",
                              "latex": f"\\bar{{{root_letter}}}"}
        elif n.index in scaled:
            c, v = (names[i] for _, i in n.operands)
            names[n.index] = {s: c[s] + v[s] for s in c}
        else:
            r += 1
            names[n.index] = {"text": f"r{r}", "ascii": f"r{r}", "latex": f"r_{r}" if r < 10 else f"r_{{{r}}}"}
    return names


def _pair(v, d, style: str) -> str:
    return f"({fmt_number(v, style)}, {fmt_number(d, style)})"


def _rows(t, style: str, names: list[dict]) -> list[tuple[str, str, str]]:
    """Per line: (name, right-hand side without the name, operation with operand names)."""
    out = []
    for ln in t.lines:
        node = t.graph.nodes[ln.index]
        shape = value = ""
        if node.kind == "op":
            if not ln.scaled:
                shape = operation(node.expr, {p: names[c][style] for p, c in node.operands}, style)
            value = operation(node.expr, {p: _pair(t.values[c], t.tangents[c], style)
                                          for p, c in node.operands}, style)
        rhs = " = ".join([p for p in (shape, value) if p] + [_pair(ln.value, ln.tangent, style)])
        out.append((names[ln.index][style], rhs, shape))
    return out


def trace_lines(t, style: str = "text") -> list[tuple[str, str, str]]:
    """Per line of the trace as every page shows it: (left side, right side, rule): the text
    renderer lays them out in columns, the HTML in a table, from this one place."""
    return [(("let " if ln.rule == "constant" else "") + name, rhs, ln.rule_text)
            for ln, (name, rhs, _) in zip(t.lines, _rows(t, style, line_names(t)))]


def _width(s: str) -> int:
    """Display width: combining marks (the macron of x̄) take no column."""
    return sum(1 for ch in s if ch != "\u0304")


def _ascii(s: str) -> str:
    return (s.replace("\u0304", "_bar").replace("×", "*").replace("−", "-").replace("≤", "<=")
            .replace("≥", ">=").replace("²", "^2").replace("·", "*"))


def render_text(t, ascii: bool = False) -> str:
    from ..printing import to_text
    style = "ascii" if ascii else "text"
    pt = ", ".join(f"{k} = {fmt_number(v, style)}" for k, v in t.point.items())
    out = [f"u = {to_text(t.expr)}: dual numbers (u, u') with u' = du/d{t.wrt}, at {pt}", ""]
    rows = [(f"{left} = {rhs}", rule) for left, rhs, rule in trace_lines(t, style)]
    width = max(_width(r[0]) for r in rows)
    for a, b in rows:
        out.append(f"  {a}{' ' * (width - _width(a))}   [{b}]")
    out.append("")
    out.append(f"therefore u = {fmt_number(t.value, style)} and u_{t.wrt} = {fmt_number(t.derivative, style)}")
    out += [f"note: {n}" for n in t.notes]
    text = "\n".join(out)
    return _ascii(text) if ascii else text


def latex_lines(t) -> list[str]:
    rows = []
    for i, (ln, (name, rhs, _)) in enumerate(zip(t.lines, _rows(t, "latex", line_names(t)))):
        left = ("\\text{let } " if ln.rule == "constant" else "") + name
        rows.append(f" {left} &= {rhs}" + ("," if i == len(t.lines) - 1 else " \\\\"))
    return rows


def render_latex(t) -> str:
    body = "\n".join(latex_lines(t))
    return (f"\\[\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n\\]\n\n"
            f"Therefore $u = {fmt_number(t.value, 'latex')}$ and "
            f"$u_{{{t.wrt}}} = {fmt_number(t.derivative, 'latex')}$."
            + "".join(f"\n\n\\emph{{Note:}} {tex_escape(n)}" for n in t.notes))


def render_markdown(t) -> str:
    from ..printing import to_latex
    rows = ["| line | rule |", "|---|---|"]
    for ln, (name, rhs, _) in zip(t.lines, _rows(t, "latex", line_names(t))):
        rows.append(f"| ${name} = {rhs}$ | {ln.rule_text.split(':')[0]}: ${ln.rule_latex}$ |")
    head = (f"**Dual numbers for** $u = {to_latex(t.expr)}$, derivative with respect to "
            f"${t.wrt}$\n\n")
    tail = (f"\n\nTherefore $u = {fmt_number(t.value, 'latex')}$ and "
            f"$u_{{{t.wrt}}} = {fmt_number(t.derivative, 'latex')}$."
            + "".join(f"\n\n> Note: {n}" for n in t.notes))
    return head + "\n".join(rows) + tail


def json_value(v) -> dict:
    """A number in JSON: its exact text (None for a decimal) and its decimal."""
    from ..evaluation import value_pair
    exact, decimal = value_pair(v)
    return {"exact": exact, "decimal": decimal}


def render_dict(t) -> dict:
    from ..printing import expr_json
    names = line_names(t)
    rows = _rows(t, "text", names)
    return {"schema": SCHEMA, "expr": expr_json(t.expr), "wrt": t.wrt,
            "point": {k: json_value(v) for k, v in t.point.items()},
            "lines": [{"name": names[ln.index]["text"], "name_latex": names[ln.index]["latex"],
                       "operation": shape, "rule": ln.rule, "formula": ln.rule_text,
                       "value": json_value(ln.value), "derivative": json_value(ln.tangent),
                       "note": ln.note} for ln, (_, _, shape) in zip(t.lines, rows)],
            "value": json_value(t.value), "derivative": json_value(t.derivative),
            "notes": list(t.notes)}
