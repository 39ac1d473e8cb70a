"""Forward-mode automatic differentiation with dual numbers, written out as seed 004 does.

Why a route of its own: the course teaches dual numbers as a third way to the derivative, and
the seed's table (eq. 14.7) is read line by line. Every value is carried as a pair (u, u'): a
variable is (x, 1) when it is the one we differentiate by and (x, 0) otherwise, a constant is
(c, 0), and each operation maps pairs to a pair by its dual-number rule (sum, product,
quotient, power, max, relu and the general chain rule f((u, u')) = (f(u), f'(u) u')). The local
partials, and what happens at a kink, come from `routes.graph` (the same rules as the worked
solutions), so the trace agrees with `differentiate(...).at(...)` and with backprop.

The trace lists leaves first (the seeded variable, then the other variables in order of
appearance, then constants `c`), then constant multiples of a variable (named by juxtaposition,
`cx̄`), then the other operations bottom-up as r1, r2, ...; the whole expression is ū. That
reproduces the seed's eq. (14.7) line for line. Values stay exact (Fractions) while the
evaluator can keep them so; decimals otherwise. This module computes the `DualTrace` record;
`tutor.render.routes_dual` writes it as text (Unicode, or ASCII), LaTeX, Markdown and JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import VariableError
from ..expr import Add, Call, Div, Expr, Indicator, Mul, Neg, Pow, contains_symbol, free_symbols
from ..render.common import fmt_number
from ..render.routes_dual import SCHEMA
from .graph import (MAX_GRAPH_NODES, MAX_TREE_NODES, Graph, Node, build_graph, is_constant,
                    kink_note, local_partial, outer_derivative)
from .points import read_point

__all__ = ["Node", "Graph", "build_graph", "local_partial", "kink_note", "read_point",
           "DualLine", "DualTrace", "dual_trace", "fmt_number", "SCHEMA", "MAX_GRAPH_NODES",
           "MAX_TREE_NODES"]



def rule_of(e: Expr) -> str:
    """The dual-number rule id of an operation node (`chain` for a function of one operand)."""
    match e:
        case Add():
            return "sum"
        case Mul():
            return "product"
        case Div():
            return "quotient"
        case Neg():
            return "negation"
        case Pow(b, x):
            if is_constant(x):
                return "power"
            return "exponential" if is_constant(b) else "general-power"
        case Call("max" | "min" | "relu" | "abs" as f, _):
            return f
        case Indicator():
            return "indicator"
    return "chain"


def is_scaled(graph: Graph, n: Node) -> bool:
    """A constant times a variable (2x): the seed names it by juxtaposition, cx̄, and lists it
    right after the leaves."""
    if not isinstance(n.expr, Mul) or len(n.operands) != 2:
        return False
    a, b = (graph.nodes[i].kind for _, i in n.operands)
    return a == "const" and b == "var"


@dataclass(frozen=True)
class DualLine:
    """One line of the trace: the node (`index` in the graph), its rule id and its pair;
    `scaled` for a constant multiple of a variable (cx̄), `outer` = (f(u), f'(u)) on a chain
    line."""
    index: int
    expr: Expr
    rule: str          # variable | held | constant | sum | product | ... | chain
    value: object
    tangent: object
    note: str | None = None
    scaled: bool = False
    outer: tuple | None = None

    @property
    def rule_text(self) -> str:
        from ..render.routes_dual import rule_formula
        return rule_formula(self)[0]

    @property
    def rule_latex(self) -> str:
        from ..render.routes_dual import rule_formula
        return rule_formula(self)[1]


@dataclass(frozen=True)
class DualTrace:
    """The record every renderer reads: the graph, every node's pair, the lines in the seed's
    order, and the notes on kink conventions."""
    expr: Expr
    wrt: str
    point: dict
    graph: Graph
    values: tuple      # per graph node
    tangents: tuple    # per graph node
    lines: tuple       # DualLine, in the trace's order
    value: object
    derivative: object
    notes: tuple

    def pair(self, v, d, style="text") -> str:
        return f"({fmt_number(v, style)}, {fmt_number(d, style)})"

    def to_text(self, ascii: bool = False) -> str:
        from ..render.routes_dual import render_text
        return render_text(self, ascii)

    def latex_lines(self) -> list[str]:
        from ..render.routes_dual import latex_lines
        return latex_lines(self)

    def to_latex(self) -> str:
        from ..render.routes_dual import render_latex
        return render_latex(self)

    def to_markdown(self) -> str:
        from ..render.routes_dual import render_markdown
        return render_markdown(self)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self) -> dict:
        from ..render.routes_dual import render_dict
        return render_dict(self)


def trace(e: Expr, wrt: str, at) -> DualTrace:
    from .._deep import run_deep
    return run_deep(_trace, e, wrt, at)


def _trace(e: Expr, wrt: str, at) -> DualTrace:
    from ..evaluation import evaluate
    names_in = free_symbols(e)
    if wrt not in names_in:
        shown = ", ".join(names_in) if names_in else "none"
        raise VariableError(f"cannot differentiate with respect to {wrt}: it is not a variable of "
                            f"the expression (its variables: {shown})", code="unknown_variable")
    point = read_point(e, at)
    graph = build_graph(e, first=wrt)
    vals: list = [None] * len(graph.nodes)
    tans: list = [None] * len(graph.nodes)
    leaves, scaled, others, notes = [], [], [], []
    for n in graph.nodes:
        vals[n.index] = evaluate(n.expr, point)
        if n.kind == "var":
            seeded = n.expr.name == wrt
            tans[n.index] = Fraction(1 if seeded else 0)
            leaves.append(DualLine(n.index, n.expr, "variable" if seeded else "held",
                                   vals[n.index], tans[n.index]))
            continue
        if n.kind == "const":
            tans[n.index] = Fraction(0)
            leaves.append(DualLine(n.index, n.expr, "constant", vals[n.index], tans[n.index]))
            continue
        tangent = Fraction(0)
        for pos, child in n.operands:
            # |u| needs |u|' wherever u depends on wrt (graph.py: undefined at u = 0), as the
            # worked solution does, even where u' happens to be 0 (|x^2| at 0)
            if tans[child] != 0 or (isinstance(n.expr, Call) and n.expr.func == "abs"
                                    and contains_symbol(graph.nodes[child].expr, wrt)):
                tangent = tangent + local_partial(n.expr, pos, point) * tans[child]
        tans[n.index] = tangent
        note = kink_note(n.expr, point)
        if note:
            notes.append(note)
        rule = rule_of(n.expr)
        line = DualLine(n.index, n.expr, rule, vals[n.index], tangent, note, is_scaled(graph, n),
                        outer_derivative(n.expr) if rule == "chain" else None)
        (scaled if line.scaled else others).append(line)
    return DualTrace(e, wrt, point, graph, tuple(vals), tuple(tans), tuple(leaves + scaled + others),
                     vals[graph.root], tans[graph.root], tuple(notes))


def dual_trace(expr, wrt: str, at, *, input: str = "auto") -> DualTrace:
    """The seed's line-by-line dual-number computation of expr and d expr/d wrt at `at`
    (a string "x=2,y=3" or a mapping name -> number)."""
    if isinstance(expr, str):
        from ..language import parse
        expr = parse(expr, input)
    return trace(expr, wrt.strip(), at)
