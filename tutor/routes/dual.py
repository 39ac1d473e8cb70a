"""Forward-mode automatic differentiation with dual numbers, written out as seed 004 does.

Every value is carried as a pair (u, u'): a variable is (x, 1) when it is the one we
differentiate by and (x, 0) otherwise, a constant is (c, 0), and each operation maps pairs
to a pair by its dual-number rule (sum, product, quotient, power, max, relu and the general
chain rule f((u, u')) = (f(u), f'(u) u') with f' taken from `rules.ELEMENTARY`, the one
table the worked solutions use). The trace lists leaves first (the seeded variable, then the
other variables in order of appearance, then constants `c`), then constant multiples of a
variable named by juxtaposition (`cx̄`), then the other operations bottom-up as r1, r2, ...;
the whole expression is ū. That reproduces the seed's eq. (14.7) line for line.

The computation graph and the local partial derivatives live here too (`build_graph`,
`local_partial`) and are shared with `tutor.backprop`: one place decides what a node's
derivative with respect to its operand is, and which one-sided convention a kink uses:
- max(u, v): u'[u > v] + v'[u <= v] (on a tie the later argument wins, as in the seed);
  min(u, v): u'[u < v] + v'[u >= v];
- relu(u): u'[u >= 0] (at u = 0 the right-hand derivative 1, the seed's convention);
- abs(u): u'·(+1 if u >= 0 else -1) (at u = 0 the right-hand derivative +1).
Values stay exact (Fractions) while the evaluator can keep them so; decimals otherwise.
Text output uses Unicode (x̄, ×, −); `to_text(ascii=True)` gives a plain-ASCII fallback.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction

from ..errors import EvaluationError, TutorError, VariableError
from ..evaluation.core import evaluate, format_value
from ..expr import (ONE, TWO, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num,
                   Pow, Sym, call, children, free_symbols)
from ..rules import ELEMENTARY, elementary_derivative

__all__ = ["Node", "Graph", "build_graph", "local_partial", "kink_note", "read_point",
           "DualLine", "DualTrace", "dual_trace", "dual_command", "fmt_number"]

MAX_GRAPH_NODES = 500  # distinct sub-expressions; each is evaluated exactly on its own
MAX_TREE_NODES = 10_000  # nodes of the input tree before hash-consing
SCHEMA = "tutor.dual/1"
U = Sym("u")


# ---------------------------------------------------------------- the computation graph

@dataclass(frozen=True, slots=True)
class Node:
    """One distinct sub-expression. `operands` are (position in expr's children, node index)
    for the children that are nodes; constant exponents, log bases and root indices are
    parameters written inline, not nodes. kind: 'var' | 'const' | 'op'."""
    index: int
    expr: Expr
    kind: str
    operands: tuple = ()


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple          # topological: leaves first (variables, constants), then operations
    root: int
    variables: tuple      # names in order of first appearance


def _is_constant(e: Expr) -> bool:
    return not free_symbols(e)


def _operand_positions(e: Expr) -> tuple:
    """Which children of e are graph operands (the rest are inline parameters)."""
    match e:
        case Pow(b, x):
            return tuple(i for i, c in enumerate((b, x)) if not _is_constant(c))
        case Call("log" | "root", (a, b)):
            return tuple(i for i, c in enumerate((a, b)) if not _is_constant(c))
        case Derivative():
            raise EvaluationError("cannot differentiate through an unevaluated derivative d/d"
                                  f"{e.var}[...]: differentiate it first", code="derivative")
        case Add(kids) | Mul(kids) | Call(_, kids):
            return tuple(range(len(kids)))
        case Div() | Indicator():
            return (0, 1)
        case Neg():
            return (0,)
    return ()


_kids = children  # one definition of a node's children: tutor.expr


def build_graph(e: Expr, first: str | None = None) -> Graph:
    """Hash-consed graph: identical subtrees become one node. A subtree without variables is
    one constant leaf. Order: variables (`first` leading, then by first appearance),
    constants by first appearance, then operations in post-order."""
    from ..expr import size
    if size(e) > MAX_TREE_NODES:
        raise TutorError(f"the expression has more than {MAX_TREE_NODES} nodes: too large to trace "
                         "line by line", code="limit")
    variables = list(free_symbols(e))
    if first is not None and first in variables:
        variables.remove(first)
        variables.insert(0, first)
    ops: list[Expr] = []
    seen: set = set()
    stack: list[tuple[Expr, bool]] = [(e, False)]
    consts: list[Expr] = []
    while stack:
        node, done = stack.pop()
        if node in seen:
            continue
        if isinstance(node, Sym):
            seen.add(node)
            continue
        if _is_constant(node):
            seen.add(node)
            consts.append(node)
            continue
        if done:
            seen.add(node)
            ops.append(node)
            if len(seen) > MAX_GRAPH_NODES:
                raise TutorError(f"the expression has more than {MAX_GRAPH_NODES} distinct "
                                 "sub-expressions: too large to trace", code="limit")
            continue
        stack.append((node, True))
        kids = _kids(node)
        for i in reversed(_operand_positions(node)):
            stack.append((kids[i], False))
    order = [Sym(v) for v in variables] + consts + ops
    index = {x: i for i, x in enumerate(order)}
    nodes = []
    for i, x in enumerate(order):
        if i < len(variables):
            nodes.append(Node(i, x, "var"))
        elif i < len(variables) + len(consts):
            nodes.append(Node(i, x, "const"))
        else:
            kids = _kids(x)
            nodes.append(Node(i, x, "op", tuple((p, index[kids[p]]) for p in _operand_positions(x))))
    return Graph(tuple(nodes), index[e], tuple(variables))


# ---------------------------------------------------------------- local partials

def _winner(func: str, values: list) -> int:
    """The argument max/min follows: the seed's max((u,u'),(v,v')) takes v on a tie, so
    folding left the last argument attaining the extreme wins."""
    best = 0
    for i in range(1, len(values)):
        if (values[i] >= values[best]) if func == "max" else (values[i] <= values[best]):
            best = i
    return best


def _value(e: Expr, point: dict):
    return evaluate(e, point)


def local_partial(e: Expr, position: int, point: dict):
    """∂e/∂(its child at `position`) at the point, exact where the evaluator is."""
    match e:
        case Add():
            return Fraction(1)
        case Neg():
            return Fraction(-1)
        case Mul(factors):
            others = factors[:position] + factors[position + 1:]
            return _value(others[0] if len(others) == 1 else Mul(others), point)
        case Div(n, d):
            if position == 0:
                return _value(Div(ONE, d), point)
            return _value(Neg(Div(n, Pow(d, TWO))), point)
        case Pow(b, x):
            if position == 0:
                return _value(Mul((x, Pow(b, Add((x, Neg(ONE)))))), point)
            return _value(Mul((e, call("ln", b))), point)
        case Call("max" | "min" as func, args):
            values = [_value(a, point) for a in args]
            return Fraction(1 if _winner(func, values) == position else 0)
        case Call("relu", (u,)):
            return Fraction(1 if _value(u, point) >= 0 else 0)
        case Call("abs", (u,)):
            return Fraction(1 if _value(u, point) >= 0 else -1)
        case Call("sqrt", (u,)):
            return _value(Div(ONE, Mul((TWO, e))), point)
        case Call("cbrt", (u,)):
            return _value(Div(ONE, Mul((Num(3), Pow(e, TWO)))), point)
        case Call("root", (u, n)):
            if position == 0:
                return _value(Div(ONE, Mul((n, Pow(e, Add((n, Neg(ONE))))))), point)
            return _value(Neg(Div(Mul((e, call("ln", u))), Pow(n, TWO))), point)
        case Call("log", (u, b)):
            if position == 0:
                return _value(elementary_derivative("log", u, b), point)
            return _value(Neg(Div(e, Mul((b, call("ln", b))))), point)
        case Call(func, (u,)) if func in ELEMENTARY:
            return _value(elementary_derivative(func, u), point)
        case Indicator():
            return Fraction(0)
    raise EvaluationError(f"no derivative rule for {e!r}", code="unsupported")


def kink_note(e: Expr, point: dict) -> str | None:
    """The one-sided convention used when the point sits on a kink, else None."""
    match e:
        case Call("max" | "min" as func, args):
            values = [_value(a, point) for a in args]
            w = _winner(func, values)
            if sum(1 for v in values if v == values[w]) > 1:
                return (f"{func} has a tie at this point: not differentiable there; following the "
                        f"seed's convention {'u' if func == 'max' else 'u'}'[u {'>' if func == 'max' else '<'} v]"
                        f" + v'[u {'<=' if func == 'max' else '>='} v], the later tied argument (argument "
                        f"{w + 1}) is followed")
        case Call("relu", (u,)):
            if _value(u, point) == 0:
                return ("relu is not differentiable at u = 0; the convention u'[u >= 0] "
                        "(the right-hand derivative, 1) is used")
        case Call("abs", (u,)):
            if _value(u, point) == 0:
                return ("abs is not differentiable at u = 0; the right-hand derivative (+1) is used")
    return None


def read_point(e: Expr, at, *, required: tuple = ()) -> dict:
    """`at` ("x=2,y=3" or a mapping name -> number/Expr) as exact numbers; every variable of e
    must have a value and every name must be a variable of e."""
    from .points import parse_point
    raw = parse_point(at) if isinstance(at, str) else dict(at or {})
    names = free_symbols(e)
    point = {}
    for name, v in raw.items():
        if name not in names:
            shown = ", ".join(names) if names else "none"
            raise VariableError(f"{name} is not a variable of the expression (its variables: {shown})",
                                code="unknown_variable")
        if isinstance(v, (Num, Sym, Const, Add, Mul, Div, Pow, Neg, Call, Indicator, Derivative)):
            v = evaluate(v, {})
        point[name] = v
    missing = [n for n in names if n not in point]
    if missing:
        raise VariableError(f"no value for {', '.join(missing)}: give every variable a value, "
                            f"e.g. --at {','.join(f'{n}=1' for n in names)}", code="missing_variable")
    return point


def fmt_number(v, style: str = "text") -> str:
    """7, -1/32 (text: −1/32 with a Unicode minus; latex: -\\frac{1}{32}), decimals to 10 digits."""
    if isinstance(v, Fraction) and v.denominator != 1:
        if style == "latex":
            sign = "-" if v < 0 else ""
            return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    s = format_value(v)
    if style == "text":
        s = s.replace("-", "\u2212")
    return s


# ---------------------------------------------------------------- the dual trace

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
    "abs": ("abs: |(u, u')| = (|u|, u'·(+1 if u ≥ 0 else −1))", "|(u, u')| = (|u|, u' \\operatorname{sgn}^{+}(u))"),
    "indicator": ("step: [u ? v] is flat: (value, 0)", "\\mathbb{I}[u ? v] = (\\cdot, 0)"),
}


def _chain_formula(e: Expr) -> tuple[str, str]:
    """f((u, u')) = (f(u), f'(u) u') for the function at node e, f' from the one table."""
    from ..printing import to_latex, to_text
    func = e.func
    match e:
        case Call("log", (_, b)):
            d = elementary_derivative("log", U, b)
            f = call("log", U, b)
        case Call("root", (_, n)):
            f = call("root", U, n)
            d = Div(ONE, Mul((n, Pow(f, Add((n, Neg(ONE)))))))
        case Call("sqrt"):
            f, d = call("sqrt", U), Div(ONE, Mul((TWO, call("sqrt", U))))
        case Call("cbrt"):
            f, d = call("cbrt", U), Div(ONE, Mul((Num(3), Pow(call("cbrt", U), TWO))))
        case _:
            f, d = call(func, U), ELEMENTARY[func](U)
    return (f"chain rule: {to_text(f)} at (u, u') = ({to_text(f)}, ({to_text(d)}) u')",
            f"f((u, u')) = (f(u), f'(u)u'),\\ {to_latex(f)}' = {to_latex(d)}")


def _rule_of(e: Expr) -> str:
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
            if _is_constant(x):
                return "power"
            return "exponential" if _is_constant(b) else "general-power"
        case Call("max" | "min" | "relu" | "abs" as f, _):
            return f
        case Indicator():
            return "indicator"
    return "chain"


@dataclass(frozen=True)
class DualLine:
    """One line of the trace: `name = shape = values = (value, tangent)`. `name` and
    `shape`/`values` are given per style ('text', 'ascii', 'latex')."""
    names: dict            # style -> the line's name (x̄, c, cx̄, r1, ū)
    shapes: dict           # style -> operation written with operand names ('' for leaves)
    values: dict           # style -> operation written with operand pairs ('' for leaves)
    value: object
    tangent: object
    rule: str
    rule_text: str
    rule_latex: str
    expr: Expr
    note: str | None = None


@dataclass(frozen=True)
class DualTrace:
    expr: Expr
    wrt: str
    point: dict
    lines: tuple
    value: object
    derivative: object
    notes: tuple

    def pair(self, v, d, style="text") -> str:
        return f"({fmt_number(v, style)}, {fmt_number(d, style)})"

    def to_text(self, ascii: bool = False) -> str:
        from ..printing import to_text
        style = "ascii" if ascii else "text"
        num = style
        pt = ", ".join(f"{k} = {_fmt(v, num)}" for k, v in self.point.items())
        out = [f"u = {to_text(self.expr)}: dual numbers (u, u') with u' = du/d{self.wrt}, at {pt}", ""]
        rows = []
        for ln in self.lines:
            left = ("let " if ln.rule == "constant" else "") + ln.names[style]
            parts = [p for p in (ln.shapes[style], ln.values[style]) if p]
            rhs = " = ".join(parts + [_pair(ln.value, ln.tangent, num)])
            rows.append((f"{left} = {rhs}", ln.rule_text))
        width = max(_width(r[0]) for r in rows)
        for a, b in rows:
            out.append(f"  {a}{' ' * (width - _width(a))}   [{b}]")
        out.append("")
        out.append(f"therefore u = {_fmt(self.value, num)} and u_{self.wrt} = {_fmt(self.derivative, num)}")
        out += [f"note: {n}" for n in self.notes]
        text = "\n".join(out)
        return _ascii(text) if ascii else text

    def latex_lines(self) -> list[str]:
        rows = []
        for i, ln in enumerate(self.lines):
            left = ("\\text{let } " if ln.rule == "constant" else "") + ln.names["latex"]
            parts = [p for p in (ln.shapes["latex"], ln.values["latex"]) if p]
            rhs = " = ".join(parts + [_pair(ln.value, ln.tangent, "latex")])
            rows.append(f" {left} &= {rhs}" + ("," if i == len(self.lines) - 1 else " \\\\"))
        return rows

    def to_latex(self) -> str:
        body = "\n".join(self.latex_lines())
        return (f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n\n"
                f"therefore $u = {_fmt(self.value, 'latex')}$ and "
                f"$u_{{{self.wrt}}} = {_fmt(self.derivative, 'latex')}$."
                + "".join(f"\n\n\\emph{{Note:}} {n}" for n in self.notes))

    def to_markdown(self) -> str:
        from ..printing import to_latex
        rows = ["| line | rule |", "|---|---|"]
        for ln in self.lines:
            parts = [p for p in (ln.shapes["latex"], ln.values["latex"]) if p]
            rhs = " = ".join(parts + [_pair(ln.value, ln.tangent, "latex")])
            rows.append(f"| ${ln.names['latex']} = {rhs}$ | {ln.rule_text.split(':')[0]}: "
                        f"${ln.rule_latex}$ |")
        head = (f"**Dual numbers for** $u = {to_latex(self.expr)}$, derivative with respect to "
                f"${self.wrt}$\n\n")
        tail = (f"\n\nTherefore $u = {_fmt(self.value, 'latex')}$ and "
                f"$u_{{{self.wrt}}} = {_fmt(self.derivative, 'latex')}$."
                + "".join(f"\n\n> Note: {n}" for n in self.notes))
        return head + "\n".join(rows).replace("|", "|") + tail

    def to_dict(self) -> dict:
        from ..printing import expr_json
        return {"schema": SCHEMA, "expr": expr_json(self.expr), "wrt": self.wrt,
                "point": {k: _json_value(v) for k, v in self.point.items()},
                "lines": [{"name": ln.names["text"], "name_latex": ln.names["latex"],
                           "operation": ln.shapes["text"], "rule": ln.rule, "formula": ln.rule_text,
                           "value": _json_value(ln.value), "derivative": _json_value(ln.tangent),
                           "note": ln.note} for ln in self.lines],
                "value": _json_value(self.value), "derivative": _json_value(self.derivative),
                "notes": list(self.notes)}


def _width(s: str) -> int:
    """Display width: combining marks (the macron of x̄) take no column."""
    return sum(1 for ch in s if ch != "\u0304")


def _json_value(v) -> dict:
    from ..evaluation.core import value_pair
    exact, decimal = value_pair(v)
    return {"exact": exact, "decimal": decimal}


def _fmt(v, style: str) -> str:
    return fmt_number(v, "text" if style == "text" else ("latex" if style == "latex" else "ascii"))


def _pair(v, d, style: str) -> str:
    return f"({_fmt(v, style)}, {_fmt(d, style)})"


def _ascii(s: str) -> str:
    return (s.replace("\u0304", "_bar").replace("×", "*").replace("−", "-").replace("≤", "<=")
            .replace("≥", ">=").replace("²", "^2").replace("·", "*"))


def _names(graph: Graph, wrt: str) -> list[dict]:
    """Per node: the line name in each style (None for nodes written inline)."""
    from ..printing import latex_name
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
        elif _scaled(graph, n):
            c, v = (names[i] for _, i in n.operands)
            names[n.index] = {s: c[s] + v[s] for s in c}
        else:
            r += 1
            names[n.index] = {"text": f"r{r}", "ascii": f"r{r}", "latex": f"r_{r}" if r < 10 else f"r_{{{r}}}"}
    return names


def _scaled(graph: Graph, n: Node) -> bool:
    """A constant times a variable (2x): the seed names it by juxtaposition, cx̄."""
    if not isinstance(n.expr, Mul) or len(n.operands) != 2:
        return False
    a, b = (graph.nodes[i].kind for _, i in n.operands)
    return a == "const" and b == "var"


def _shape(e: Expr, ops: dict, style: str) -> str:
    """e written with its operands replaced by the strings in `ops` (position -> text);
    inline parameters printed as maths."""
    from ..printing import to_latex, to_text
    latex = style == "latex"
    show = to_latex if latex else to_text
    kids = _kids(e)
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
            name = f"\\{func}" if latex and func in ("max", "min", "sin", "cos", "tan", "exp", "ln",
                                                     "sinh", "cosh", "tanh", "cot", "sec", "csc") \
                else (f"\\text{{{func}}}" if latex else func)
            return f"{name}({', '.join(arg)})"
        case Indicator(_, op, _):
            return f"[{arg[0]} {op} {arg[1]}]"
    return show(e)


def trace(e: Expr, wrt: str, at) -> DualTrace:
    from .._deep import run_deep
    return run_deep(_trace, e, wrt, at)


def _trace(e: Expr, wrt: str, at) -> DualTrace:
    names_in = free_symbols(e)
    if wrt not in names_in:
        shown = ", ".join(names_in) if names_in else "none"
        raise VariableError(f"cannot differentiate with respect to {wrt}: it is not a variable of "
                            f"the expression (its variables: {shown})", code="unknown_variable")
    point = read_point(e, at)
    graph = build_graph(e, first=wrt)
    names = _names(graph, wrt)
    vals: list = [None] * len(graph.nodes)
    tans: list = [None] * len(graph.nodes)
    lines, notes = [], []
    scaled_lines, other_lines = [], []
    for n in graph.nodes:
        vals[n.index] = evaluate(n.expr, point)
        note = None
        empty = {"text": "", "ascii": "", "latex": ""}
        if n.kind == "var":
            seeded = n.expr.name == wrt
            tans[n.index] = Fraction(1 if seeded else 0)
            rule = "variable" if seeded else "held"
            line = DualLine(names[n.index], empty, empty, vals[n.index], tans[n.index], rule,
                            DUAL_RULES[rule][0], DUAL_RULES[rule][1], n.expr)
            lines.append(line)
            continue
        if n.kind == "const":
            tans[n.index] = Fraction(0)
            lines.append(DualLine(names[n.index], empty, empty, vals[n.index], tans[n.index],
                                  "constant", *DUAL_RULES["constant"], n.expr))
            continue
        tangent = Fraction(0)
        for pos, child in n.operands:
            if tans[child] != 0:
                tangent = tangent + local_partial(n.expr, pos, point) * tans[child]
        tans[n.index] = tangent
        note = kink_note(n.expr, point)
        if note:
            notes.append(note)
        rule = _rule_of(n.expr)
        rt, rl = _chain_formula(n.expr) if rule == "chain" else DUAL_RULES[rule]
        shapes = {s: _shape(n.expr, {p: names[c][s] for p, c in n.operands}, s)
                  for s in ("text", "ascii", "latex")}
        values = {s: _shape(n.expr, {p: _pair(vals[c], tans[c], s) for p, c in n.operands}, s)
                  for s in ("text", "ascii", "latex")}
        if _scaled(graph, n):
            shapes = empty
        line = DualLine(names[n.index], shapes, values, vals[n.index], tans[n.index], rule, rt, rl,
                        n.expr, note)
        (scaled_lines if _scaled(graph, n) else other_lines).append(line)
    lines += scaled_lines + other_lines
    return DualTrace(e, wrt, point, tuple(lines), vals[graph.root], tans[graph.root], tuple(notes))


def dual_trace(expr, wrt: str, at, *, input: str = "auto") -> DualTrace:
    """The seed's line-by-line dual-number computation of expr and d expr/d wrt at `at`
    (a string "x=2,y=3" or a mapping name -> number)."""
    if isinstance(expr, str):
        from ..language.calc import parse
        expr = parse(expr, input)
    return trace(expr, wrt.strip(), at)
