"""Reverse-mode automatic differentiation (backpropagation), node by node.

Why a route of its own: the course teaches reverse mode as the way one sweep yields the whole
gradient. The expression becomes its computation graph (`routes.graph.build_graph`: identical
sub-expressions hash-consed into one node, constants as leaves, numbered v1, v2, ... with
inputs first and the output last). The forward pass evaluates every node (exact where the
evaluator is); the backward pass starts from v̄_out = 1 and gives each node its adjoint
    v̄_i = Σ over the nodes p that use v_i of  v̄_p · ∂v_p/∂v_i.
Local partials and kink conventions (max ties, relu at 0; |u| at 0 is not differentiable) are
those of `routes.graph`, the same as dual numbers and the worked solutions, so forward and
reverse mode agree by construction. This module computes the `Backprop` record;
`tutor.render.routes_backprop` writes it as text, LaTeX, Markdown, JSON, Graphviz DOT and TikZ.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..expr import Expr
from ..render.routes_backprop import SCHEMA
from .graph import Graph, build_graph, kink_note, local_partial
from .points import read_point

__all__ = ["Backprop", "backprop", "SCHEMA"]


@dataclass(frozen=True)
class Backprop:
    """The record every renderer reads. `edges` are (child, parent, local partial) per use;
    `adjoints[i]` is ∂f/∂v_i (None for constants, which need none)."""
    expr: Expr
    point: dict
    graph: Graph
    labels: tuple          # per node: its expression as text
    values: tuple
    edges: tuple
    adjoints: tuple
    gradient: dict         # variable -> ∂f/∂variable
    notes: tuple

    @property
    def value(self):
        return self.values[self.graph.root]

    def lines(self, style: str = "text") -> dict:
        """The three sections as lists of strings (shared by text, LaTeX and Markdown)."""
        from ..render.routes_backprop import sections
        return sections(self, style)

    def to_text(self) -> str:
        from ..render.routes_backprop import render_text
        return render_text(self)

    def to_latex(self) -> str:
        from ..render.routes_backprop import render_latex
        return render_latex(self)

    def to_markdown(self) -> str:
        from ..render.routes_backprop import render_markdown
        return render_markdown(self)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self) -> dict:
        from ..render.routes_backprop import render_dict
        return render_dict(self)

    def to_dot(self) -> str:
        """Graphviz: inputs at the bottom, edges child -> parent labelled with ∂parent/∂child."""
        from ..render.routes_backprop import render_dot
        return render_dot(self)

    def to_tikz(self) -> str:
        """A tikzpicture: one row per height, edges labelled with the local partials."""
        from ..render.routes_backprop import render_tikz
        return render_tikz(self)


def backprop(expr, at, *, input: str = "auto") -> Backprop:
    """Forward values and backward adjoints of expr at the point `at` ("x=1,y=2" or a
    mapping name -> number); the gradient in one backward sweep."""
    if isinstance(expr, str):
        from ..language import parse
        expr = parse(expr, input)
    from .._deep import run_deep
    return run_deep(_backprop, expr, at)


def _backprop(e: Expr, at) -> Backprop:
    from ..evaluation import evaluate
    from ..printing import to_text
    point = read_point(e, at)
    graph = build_graph(e)
    values = tuple(evaluate(n.expr, point) for n in graph.nodes)
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
