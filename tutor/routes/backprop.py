"""Reverse-mode automatic differentiation (backpropagation), node by node.

The expression becomes its computation graph (`tutor.dual.build_graph`: identical
sub-expressions hash-consed into one node, constants as leaves, numbered v1, v2, ... with
inputs first and the output last). The forward pass evaluates every node (exact where the
evaluator is); the backward pass starts from v̄_out = 1 and gives each node its adjoint
    v̄_i = Σ over the nodes p that use v_i of  v̄_p · ∂v_p/∂v_i,
each local partial shown with its value, so one sweep yields the whole gradient. Local
partials and kink conventions (max ties, relu and abs at 0) are the ones of `tutor.dual`,
so forward and reverse mode agree by construction. The graph is also emitted as Graphviz
DOT and as TikZ.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction

from .dual import (Graph, _fmt, _json_value, _shape, build_graph, fmt_number, kink_note,
                   local_partial, read_point)
from ..expr import Expr

__all__ = ["Backprop", "backprop", "backprop_command"]

SCHEMA = "tutor.backprop/1"


@dataclass(frozen=True)
class Backprop:
    """The record every renderer reads. `edges` are (child, parent, local partial) per use;
    `adjoints[i]` is ∂f/∂v_i (None for constants, which need none)."""
    expr: Expr
    point: dict
    graph: Graph
    labels: tuple          # per node: its operation with operand names ("v1 × v2"), or the leaf
    values: tuple
    edges: tuple
    adjoints: tuple
    gradient: dict         # variable -> ∂f/∂variable
    notes: tuple

    @property
    def value(self):
        return self.values[self.graph.root]

    def _name(self, i: int, style: str = "text") -> str:
        return f"v_{{{i + 1}}}" if style == "latex" else f"v{i + 1}"

    def _bar(self, i: int, style: str = "text") -> str:
        return f"\\bar{{v}}_{{{i + 1}}}" if style == "latex" else f"v̄{i + 1}"

    def _label(self, i: int, style: str) -> str:
        from ..printing import to_latex, to_text
        node = self.graph.nodes[i]
        if node.kind != "op":
            return (to_latex if style == "latex" else to_text)(node.expr)
        return _shape(node.expr, {p: self._name(c, style) for p, c in node.operands}, style)

    def lines(self, style: str = "text") -> dict:
        """The three sections as lists of strings (shared by text, LaTeX and Markdown)."""
        mul = " \\cdot " if style == "latex" else " · "
        n = self.graph.nodes
        graph, forward, backward = [], [], []
        for node in n:
            tag = {"var": "input", "const": "constant"}.get(node.kind, "")
            if node.index == self.graph.root:
                tag = (tag + ", " if tag else "") + "output"
            graph.append((f"{self._name(node.index, style)} = {self._label(node.index, style)}", tag))
            forward.append(f"{self._name(node.index, style)} = "
                           + (f"{self._label(node.index, style)} = " if node.kind == "op" else
                              (f"{self._label(node.index, style)} = " if node.kind == "var" else ""))
                           + _fmt(self.values[node.index], style))
        for node in reversed(n):
            i = node.index
            if self.adjoints[i] is None:
                continue
            if i == self.graph.root:
                backward.append(f"{self._bar(i, style)} = 1   (the output: ∂f/∂f)"
                                if style != "latex" else f"{self._bar(i, style)} = 1")
                continue
            uses = [(p, d) for c, p, d in self.edges if c == i]
            sym = " + ".join(f"{self._bar(p, style)}{mul}\\frac{{\\partial {self._name(p, style)}}}"
                             f"{{\\partial {self._name(i, style)}}}" if style == "latex" else
                             f"{self._bar(p, style)}{mul}∂{self._name(p, style)}/∂{self._name(i, style)}"
                             for p, _ in uses)
            nums = " + ".join(f"{_paren(self.adjoints[p], style)}{mul}{_paren(d, style)}" for p, d in uses)
            backward.append(f"{self._bar(i, style)} = {sym} = {nums} = {_fmt(self.adjoints[i], style)}")
        return {"graph": graph, "forward": forward, "backward": backward}

    def to_text(self) -> str:
        from ..printing import to_text
        pt = ", ".join(f"{k} = {_fmt(v, 'text')}" for k, v in self.point.items())
        sec = self.lines("text")
        width = max(len(a) for a, _ in sec["graph"])
        out = [f"f = {to_text(self.expr)} at {pt}", "",
               f"Computation graph ({len(self.graph.nodes)} nodes, shared sub-expressions once)"]
        out += [f"  {a.ljust(width)}   {b}".rstrip() for a, b in sec["graph"]]
        out += ["", "Forward pass (values)"] + [f"  {s}" for s in sec["forward"]]
        out += ["", "Backward pass (adjoints v̄i = ∂f/∂vi, summed over the nodes that use vi)"]
        out += [f"  {s}" for s in sec["backward"]]
        out += ["", "Gradient (one backward pass)"]
        out += [f"  ∂f/∂{v} = {self._bar(self._var_index(v))} = {_fmt(g, 'text')}"
                for v, g in self.gradient.items()]
        out += [f"note: {s}" for s in self.notes]
        return "\n".join(out)

    def _var_index(self, v: str) -> int:
        return next(n.index for n in self.graph.nodes if n.kind == "var" and n.expr.name == v)

    def to_latex(self) -> str:
        from ..printing import latex_name, to_latex
        sec = self.lines("latex")
        block = lambda rows: "\\begin{aligned}\n" + " \\\\\n".join(
            r.replace(" = ", " &= ", 1) for r in rows) + "\n\\end{aligned}"
        grad = ", ".join(f"\\frac{{\\partial f}}{{\\partial {latex_name(v)}}} = {_fmt(g, 'latex')}"
                         for v, g in self.gradient.items())
        return (f"$f = {to_latex(self.expr)}$\n\n\\paragraph{{Computation graph}}\n"
                + block([a for a, _ in sec["graph"]]) + "\n\n\\paragraph{Forward pass}\n"
                + block(sec["forward"]) + "\n\n\\paragraph{Backward pass}\n" + block(sec["backward"])
                + f"\n\n\\paragraph{{Gradient}} ${grad}$"
                + "".join(f"\n\n\\emph{{Note:}} {s}" for s in self.notes))

    def to_markdown(self) -> str:
        from ..printing import to_latex
        sec = self.lines("latex")
        out = [f"**Backpropagation for** $f = {to_latex(self.expr)}$", "", "| node | role |", "|---|---|"]
        out += [f"| ${a}$ | {b} |" for a, b in sec["graph"]]
        out += ["", "**Forward pass**", ""] + [f"- ${s}$" for s in sec["forward"]]
        out += ["", "**Backward pass**", ""] + [f"- ${s}$" for s in sec["backward"]]
        out += ["", "**Gradient**", ""] + [f"- $\\partial f/\\partial {v} = {_fmt(g, 'latex')}$"
                                           for v, g in self.gradient.items()]
        out += [f"\n> Note: {s}" for s in self.notes]
        return "\n".join(out)

    def to_dict(self) -> dict:
        from ..printing import expr_json
        return {"schema": SCHEMA, "expr": expr_json(self.expr),
                "point": {k: _json_value(v) for k, v in self.point.items()},
                "nodes": [{"id": f"v{n.index + 1}", "kind": n.kind, "label": self._label(n.index, "text"),
                           "expr": expr_json(n.expr), "inputs": [f"v{c + 1}" for _, c in n.operands],
                           "value": _json_value(self.values[n.index]),
                           "adjoint": None if self.adjoints[n.index] is None else _json_value(self.adjoints[n.index])}
                          for n in self.graph.nodes],
                "edges": [{"from": f"v{c + 1}", "to": f"v{p + 1}", "local_partial": _json_value(d)}
                          for c, p, d in self.edges],
                "output": f"v{self.graph.root + 1}", "value": _json_value(self.value),
                "gradient": {v: _json_value(g) for v, g in self.gradient.items()},
                "notes": list(self.notes)}

    def to_dot(self) -> str:
        """Graphviz: inputs at the bottom, edges child -> parent labelled with ∂parent/∂child."""
        out = ["digraph backprop {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica"];']
        for n in self.graph.nodes:
            adj = "" if self.adjoints[n.index] is None else f"\\nadjoint {fmt_number(self.adjoints[n.index], 'ascii')}"
            label = (f"v{n.index + 1} = {self._label(n.index, 'ascii')}\\nvalue "
                     f"{fmt_number(self.values[n.index], 'ascii')}{adj}").replace('"', '\\"')
            shape = {"var": ", shape=ellipse", "const": ", shape=plaintext"}.get(n.kind, "")
            if n.index == self.graph.root:
                shape += ", peripheries=2"
            out.append(f'  v{n.index + 1} [label="{label}"{shape}];')
        for c, p, d in self.edges:
            out.append(f'  v{c + 1} -> v{p + 1} [label="{fmt_number(d, "ascii")}"];')
        out.append("}")
        return "\n".join(out)

    def to_tikz(self) -> str:
        """A tikzpicture: one row per height (inputs at the bottom), edges labelled with the
        local partials."""
        height: list[int] = [0] * len(self.graph.nodes)
        for n in self.graph.nodes:
            if n.operands:
                height[n.index] = 1 + max(height[c] for _, c in n.operands)
        rows: dict[int, list[int]] = {}
        for n in self.graph.nodes:
            rows.setdefault(height[n.index], []).append(n.index)
        out = ["\\begin{tikzpicture}[>=stealth, every node/.style={draw, rounded corners, align=center}]"]
        for h, members in sorted(rows.items()):
            for k, i in enumerate(members):
                x = (k - (len(members) - 1) / 2) * 3.2
                out.append(f"  \\node ({'v' + str(i + 1)}) at ({x:g}, {h * 2:g}) "
                           f"{{${self._name(i, 'latex')} = {self._label(i, 'latex')}$\\\\ "
                           f"${_fmt(self.values[i], 'latex')}$}};")
        for c, p, d in self.edges:
            out.append(f"  \\draw[->] (v{c + 1}) -- node[draw=none, fill=white, font=\\scriptsize] "
                       f"{{${_fmt(d, 'latex')}$}} (v{p + 1});")
        out.append("\\end{tikzpicture}")
        return "\n".join(out)


def _paren(v, style: str) -> str:
    s = _fmt(v, style)
    return f"({s})" if s.startswith(("-", "−")) else s


def backprop(expr, at, *, input: str = "auto") -> Backprop:
    """Forward values and backward adjoints of expr at the point `at` ("x=1,y=2" or a
    mapping name -> number); the gradient in one backward sweep."""
    if isinstance(expr, str):
        from ..language.calc import parse
        expr = parse(expr, input)
    from .._deep import run_deep
    return run_deep(_backprop, expr, at)


def _backprop(e: Expr, at) -> Backprop:
    point = read_point(e, at)
    graph = build_graph(e)
    from ..evaluation.core import evaluate
    values = tuple(evaluate(n.expr, point) for n in graph.nodes)
    from ..printing import to_text
    labels = tuple(to_text(n.expr) for n in graph.nodes)
    adjoints: list = [None] * len(graph.nodes)
    adjoints[graph.root] = Fraction(1)
    edges, notes = [], []
    for n in reversed(graph.nodes):
        if n.kind != "op":
            continue
        note = kink_note(n.expr, point)
        if note:
            notes.append(note)
        for pos, child in n.operands:
            if graph.nodes[child].kind == "const":
                continue
            d = local_partial(n.expr, pos, point)
            edges.append((child, n.index, d))
            contrib = adjoints[n.index] * d
            adjoints[child] = contrib if adjoints[child] is None else adjoints[child] + contrib
    if graph.nodes[graph.root].kind == "const":
        adjoints[graph.root] = None
    gradient = {v: adjoints[i] if adjoints[i] is not None else Fraction(0)
                for i, v in enumerate(graph.variables)}
    return Backprop(e, point, graph, labels, values, tuple(edges), tuple(adjoints), gradient, tuple(notes))
