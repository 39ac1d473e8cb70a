"""Renderers of a backpropagation record (`routes.backprop.Backprop`): text, LaTeX, Markdown,
JSON, Graphviz DOT and TikZ.

Why apart from the route: the route computes values, local partials and adjoints; naming the
nodes (v1, v̄1), laying out each operation with its operands' names (`routes_dual.operation`,
the same layout as the dual-number lines) and drawing the graph are presentation.
"""
from __future__ import annotations

from .common import fmt_number, tex_escape
from .routes_dual import json_value, operation

__all__ = ["SCHEMA", "sections", "render_text", "render_latex", "render_markdown", "render_dict",
           "render_dot", "render_tikz"]

SCHEMA = "tutor.backprop/1"


def _name(i: int, style: str = "text") -> str:
    return f"v_{{{i + 1}}}" if style == "latex" else f"v{i + 1}"


def _bar(i: int, style: str = "text") -> str:
    return f"\\bar{{v}}_{{{i + 1}}}" if style == "latex" else f"v̄{i + 1}"


def _label(b, i: int, style: str) -> str:
    from ..printing import to_latex, to_text
    node = b.graph.nodes[i]
    if node.kind != "op":
        return (to_latex if style == "latex" else to_text)(node.expr)
    return operation(node.expr, {p: _name(c, style) for p, c in node.operands}, style)


def _paren(v, style: str) -> str:
    s = fmt_number(v, style)
    return f"({s})" if s.startswith(("-", "−")) else s


def _var_index(b, v: str) -> int:
    return next(n.index for n in b.graph.nodes if n.kind == "var" and n.expr.name == v)


def sections(b, style: str = "text") -> dict:
    """The graph, forward and backward sections as lists of strings."""
    mul = " \\cdot " if style == "latex" else " · "
    graph, forward, backward = [], [], []
    for node in b.graph.nodes:
        tag = {"var": "input", "const": "constant"}.get(node.kind, "")
        if node.index == b.graph.root:
            tag = (tag + ", " if tag else "") + "output"
        graph.append((f"{_name(node.index, style)} = {_label(b, node.index, style)}", tag))
        forward.append(f"{_name(node.index, style)} = "
                       + (f"{_label(b, node.index, style)} = " if node.kind in ("op", "var") else "")
                       + fmt_number(b.values[node.index], style))
    for node in reversed(b.graph.nodes):
        i = node.index
        if b.adjoints[i] is None:
            continue
        if i == b.graph.root:
            backward.append(f"{_bar(i, style)} = 1   (the output: ∂f/∂f)"
                            if style != "latex" else f"{_bar(i, style)} = 1")
            continue
        uses = [(p, d) for c, p, d in b.edges if c == i]
        sym = " + ".join(f"{_bar(p, style)}{mul}\\frac{{\\partial {_name(p, style)}}}"
                         f"{{\\partial {_name(i, style)}}}" if style == "latex" else
                         f"{_bar(p, style)}{mul}∂{_name(p, style)}/∂{_name(i, style)}"
                         for p, _ in uses)
        nums = " + ".join(f"{_paren(b.adjoints[p], style)}{mul}{_paren(d, style)}" for p, d in uses)
        backward.append(f"{_bar(i, style)} = {sym} = {nums} = {fmt_number(b.adjoints[i], style)}")
    return {"graph": graph, "forward": forward, "backward": backward}


def gradient_lines(b) -> list[tuple[str, str]]:
    """`∂f/∂x = v̄1 = 2.54` per variable, as (left, right): the text and the HTML pages'."""
    return [(f"∂f/∂{v}", f"{_bar(_var_index(b, v))} = {fmt_number(g, 'text')}")
            for v, g in b.gradient.items()]


def render_text(b) -> str:
    from ..printing import to_text
    pt = ", ".join(f"{k} = {fmt_number(v, 'text')}" for k, v in b.point.items())
    sec = sections(b, "text")
    width = max(len(a) for a, _ in sec["graph"])
    out = [f"f = {to_text(b.expr)} at {pt}", "",
           f"Computation graph ({len(b.graph.nodes)} nodes, shared sub-expressions once)"]
    out += [f"  {a.ljust(width)}   {t}".rstrip() for a, t in sec["graph"]]
    out += ["", "Forward pass (values)"] + [f"  {s}" for s in sec["forward"]]
    out += ["", "Backward pass (adjoints v̄i = ∂f/∂vi, summed over the nodes that use vi)"]
    out += [f"  {s}" for s in sec["backward"]]
    out += ["", "Gradient (one backward pass)"]
    out += [f"  {left} = {rhs}" for left, rhs in gradient_lines(b)]
    out += [f"note: {s}" for s in b.notes]
    return "\n".join(out)


def _block(rows: list[str]) -> str:
    return "\\[\n\\begin{aligned}\n" + " \\\\\n".join(r.replace(" = ", " &= ", 1) for r in rows) \
        + "\n\\end{aligned}\n\\]"


def render_latex(b) -> str:
    from ..printing import latex_name, to_latex
    sec = sections(b, "latex")
    grad = ", ".join(f"\\frac{{\\partial f}}{{\\partial {latex_name(v)}}} = {fmt_number(g, 'latex')}"
                     for v, g in b.gradient.items())
    return (f"$f = {to_latex(b.expr)}$\n\n\\paragraph{{Computation graph}}\n"
            + _block([a for a, _ in sec["graph"]]) + "\n\n\\paragraph{Forward pass}\n"
            + _block(sec["forward"]) + "\n\n\\paragraph{Backward pass}\n" + _block(sec["backward"])
            + f"\n\n\\paragraph{{Gradient}} ${grad}$"
            + "".join(f"\n\n\\emph{{Note:}} {tex_escape(s)}" for s in b.notes))


def render_markdown(b) -> str:
    from ..printing import to_latex
    sec = sections(b, "latex")
    out = [f"**Backpropagation for** $f = {to_latex(b.expr)}$", "", "| node | role |", "|---|---|"]
    out += [f"| ${a}$ | {t} |" for a, t in sec["graph"]]
    out += ["", "**Forward pass**", ""] + [f"- ${s}$" for s in sec["forward"]]
    out += ["", "**Backward pass**", ""] + [f"- ${s}$" for s in sec["backward"]]
    out += ["", "**Gradient**", ""] + [f"- $\\partial f/\\partial {v} = {fmt_number(g, 'latex')}$"
                                       for v, g in b.gradient.items()]
    out += [f"\n> Note: {s}" for s in b.notes]
    return "\n".join(out)


def render_dict(b) -> dict:
    from ..printing import expr_json
    return {"schema": SCHEMA, "expr": expr_json(b.expr),
            "point": {k: json_value(v) for k, v in b.point.items()},
            "nodes": [{"id": f"v{n.index + 1}", "kind": n.kind, "label": _label(b, n.index, "text"),
                       "expr": expr_json(n.expr), "inputs": [f"v{c + 1}" for _, c in n.operands],
                       "value": json_value(b.values[n.index]),
                       "adjoint": None if b.adjoints[n.index] is None else json_value(b.adjoints[n.index])}
                      for n in b.graph.nodes],
            "edges": [{"from": f"v{c + 1}", "to": f"v{p + 1}", "local_partial": json_value(d)}
                      for c, p, d in b.edges],
            "output": f"v{b.graph.root + 1}", "value": json_value(b.value),
            "gradient": {v: json_value(g) for v, g in b.gradient.items()},
            "notes": list(b.notes)}


def render_dot(b) -> str:
    """Graphviz: inputs at the bottom, edges child -> parent labelled with ∂parent/∂child."""
    out = ["digraph backprop {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica"];']
    for n in b.graph.nodes:
        adj = "" if b.adjoints[n.index] is None else f"\\nadjoint {fmt_number(b.adjoints[n.index], 'ascii')}"
        label = (f"v{n.index + 1} = {_label(b, n.index, 'ascii')}\\nvalue "
                 f"{fmt_number(b.values[n.index], 'ascii')}{adj}").replace('"', '\\"')
        shape = {"var": ", shape=ellipse", "const": ", shape=plaintext"}.get(n.kind, "")
        if n.index == b.graph.root:
            shape += ", peripheries=2"
        out.append(f'  v{n.index + 1} [label="{label}"{shape}];')
    for c, p, d in b.edges:
        out.append(f'  v{c + 1} -> v{p + 1} [label="{fmt_number(d, "ascii")}"];')
    out.append("}")
    return "\n".join(out)


def render_tikz(b) -> str:
    """A tikzpicture: one row per height (inputs at the bottom), edges labelled with the
    local partials."""
    height: list[int] = [0] * len(b.graph.nodes)
    for n in b.graph.nodes:
        if n.operands:
            height[n.index] = 1 + max(height[c] for _, c in n.operands)
    rows: dict[int, list[int]] = {}
    for n in b.graph.nodes:
        rows.setdefault(height[n.index], []).append(n.index)
    out = ["% a TikZ picture: needs \\usepackage{tikz} in the preamble (nothing else)",
           "\\begin{tikzpicture}[>=stealth, every node/.style={draw, rounded corners, align=center}]"]
    for h, members in sorted(rows.items()):
        for k, i in enumerate(members):
            x = (k - (len(members) - 1) / 2) * 3.2
            out.append(f"  \\node ({'v' + str(i + 1)}) at ({x:g}, {h * 2:g}) "
                       f"{{${_name(i, 'latex')} = {_label(b, i, 'latex')}$\\\\ "
                       f"${fmt_number(b.values[i], 'latex')}$}};")
    for c, p, d in b.edges:
        out.append(f"  \\draw[->] (v{c + 1}) -- node[draw=none, fill=white, font=\\scriptsize] "
                   f"{{${fmt_number(d, 'latex')}$}} (v{p + 1});")
    out.append("\\end{tikzpicture}")
    return "\n".join(out)
