"""The computation graph and its local partial derivatives, shared by dual numbers and backprop.

Why here, once: forward mode (`routes.dual`) and reverse mode (`routes.backprop`) both walk the
same graph and multiply the same local partials, and both must agree with the worked solution.
So a local partial is not written by hand: `local_partial` differentiates the node with its
operands replaced by placeholder symbols (u1, u2, ...) through the same engine and rules table
as the worked solutions (`solve.differentiate`), puts the operands back and evaluates. Forward
mode, reverse mode and `differentiate(...).at(...)` then agree by construction.

Kinks: one convention each, the rules' own, in every route (at a point, dual, backprop,
finite differences' exact value):
- max(u, v)' = u'[u > v] + v'[u <= v] and min(u, v)' = u'[u < v] + v'[u >= v]: on a tie the
  later argument is followed (the seed's convention); dual and backprop add a note saying so.
- relu(u)' = u'[u >= 0]: at u = 0 the right-hand derivative 1; a note says so.
- |u|' = u/|u| · u': undefined at u = 0. Every route stops there with the same DomainError
  ("|x| is not differentiable where x = 0: ...", `kinks.abs_kink_error`); none picks a
  one-sided value. The at-point route stops even where the simplified answer is defined
  (|x|^2 -> 2x, whose cancellation assumed |x| ≠ 0). A route differentiating by x stops when
  u depends on x; backprop needs every partial, so it stops whenever u = 0.
Away from the kinks all routes give the same numbers (tests/test_routes_kinks.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import EvaluationError, TutorError
from ..expr import (Add, Call, Derivative, Div, Expr, Indicator, Mul, Neg, Pow, Sym, children,
                    free_symbols, replace, size, with_children)
from .kinks import abs_kink_error, kink_note, winner

__all__ = ["Node", "Graph", "build_graph", "local_partial", "partial_formula", "outer_derivative", "kink_note",
           "winner", "is_constant", "MAX_GRAPH_NODES", "MAX_TREE_NODES"]

MAX_GRAPH_NODES = 500  # distinct sub-expressions; each is evaluated exactly on its own
MAX_TREE_NODES = 10_000  # nodes of the input tree before hash-consing


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


def is_constant(e: Expr) -> bool:
    return not free_symbols(e)


def operand_positions(e: Expr) -> tuple:
    """Which children of e are graph operands (the rest are inline parameters)."""
    match e:
        case Pow(b, x):
            return tuple(i for i, c in enumerate((b, x)) if not is_constant(c))
        case Call("log" | "root", (a, b)):
            return tuple(i for i, c in enumerate((a, b)) if not is_constant(c))
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


def build_graph(e: Expr, first: str | None = None) -> Graph:
    """Hash-consed graph: identical subtrees become one node. A subtree without variables is
    one constant leaf. Order: variables (`first` leading, then by first appearance),
    constants by first appearance, then operations in post-order."""
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
        if is_constant(node):
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
        kids = children(node)
        for i in reversed(operand_positions(node)):
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
            kids = children(x)
            nodes.append(Node(i, x, "op", tuple((p, index[kids[p]]) for p in operand_positions(x))))
    return Graph(tuple(nodes), index[e], tuple(variables))


# ---------------------------------------------------------------- local partials

_PLACEHOLDERS = tuple(Sym(f"u{i + 1}") for i in range(16))


def _placeholder(position: int) -> Sym:
    return _PLACEHOLDERS[position] if position < len(_PLACEHOLDERS) else Sym(f"u{position + 1}")


def _shape(e: Expr, positions: tuple) -> Expr:
    """e with every operand replaced by its placeholder (inline parameters kept)."""
    kids = children(e)
    return with_children(e, tuple(_placeholder(i) if i in positions else k for i, k in enumerate(kids)))


@lru_cache(maxsize=4096)
def _shape_partial(shape: Expr, position: int) -> tuple[Expr, object]:
    """∂shape/∂u_position by the engine and rules of the worked solutions, and its value when it
    is a number whatever the operands (a sum's 1, a negation's -1; else None). Pure, so cached
    (shapes are small: one operation over placeholders)."""
    from ..evaluation import evaluate
    from ..solve import differentiate
    d = differentiate(shape, _placeholder(position).name).answer
    # a constant partial stays exact even at a float point (evaluate makes every value float then)
    return d, (evaluate(d, {}) if is_constant(d) else None)


def _shape_and_operands(e: Expr, position: int) -> tuple[Expr, int, dict]:
    """The shape to differentiate, the placeholder position to differentiate by, and what each
    placeholder stands for. A sum or product of many operands is taken as the operand and the
    rest, u1 + u2 or u1 u2 with u2 the other terms (factors) in order: the same rule, and one
    shape for every width instead of one engine call per operand of a wide node."""
    kids = children(e)
    if isinstance(e, (Add, Mul)) and len(kids) > 2:
        others = kids[:position] + kids[position + 1:]
        rest = others[0] if len(others) == 1 else type(e)(others)
        u1, u2 = _placeholder(0), _placeholder(1)
        return type(e)((u1, u2)), 0, {u1: kids[position], u2: rest}
    positions = operand_positions(e)
    return _shape(e, positions), position, {_placeholder(p): kids[p] for p in positions}


def partial_formula(e: Expr, position: int) -> Expr:
    """∂e/∂(its child at `position`) as a formula in e's operands, from the rules."""
    shape, by, operands = _shape_and_operands(e, position)
    d, _ = _shape_partial(shape, by)
    return replace(d, operands)


def outer_derivative(e: Expr) -> tuple[Expr, Expr]:
    """(f(u), f'(u)) for the function at node e, in a placeholder u: f' from `rules.ELEMENTARY`
    (the worked solutions' table; log with its base), roots by the engine as `local_partial`."""
    from ..rules import ELEMENTARY, elementary_derivative
    u = Sym("u")
    match e:
        case Call("log", (_, b)):
            return Call("log", (u, b)), elementary_derivative("log", u, b)
        case Call(func, (_,)) if func in ELEMENTARY:
            return Call(func, (u,)), ELEMENTARY[func](u)
        case Call(func, (_, *params)):
            f = Call(func, (u, *params))
            return f, partial_formula(f, 0)
    raise EvaluationError(f"no outer derivative for {e!r}", code="unsupported")


def local_partial(e: Expr, position: int, point: dict):
    """∂e/∂(its child at `position`) at the point, exact where the evaluator is. At a kink the
    convention of the module docstring: |u| at u = 0 raises `abs_kink_error`."""
    from ..evaluation import evaluate
    match e:
        case Call("abs", (u,)) if evaluate(u, point) == 0:
            raise abs_kink_error(u)
    shape, by, operands = _shape_and_operands(e, position)
    d, constant = _shape_partial(shape, by)
    if constant is not None:
        return constant
    return evaluate(replace(d, operands), point)
