"""`differentiate`: text or tree in, a worked `Solution` out.

The answer is built *from* the steps (the derivation's filled holes, then the recorded
simplification), never by a second engine, so steps and answer cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from . import _deep
from .engine import Context, derive
from .errors import TutorError, VariableError
from .expr import Derivative, Expr, depth, free_symbols
from .limits import MAX_ORDER
from .steps import Stage


@dataclass(frozen=True)
class Solution:
    """A worked solution. `stages` has one Stage per differentiation (order n: n stages)."""
    input: str | None
    function: Expr
    variables: tuple[str, ...]   # one per stage: ("x",), ("x", "x") for order 2, ("x", "y") mixed
    stages: tuple[Stage, ...]

    @property
    def var(self) -> str:
        return self.variables[0]

    @property
    def order(self) -> int:
        return len(self.stages)

    @property
    def partial(self) -> bool:
        return self.stages[0].partial

    @property
    def answer(self) -> Expr:
        return self.stages[-1].answer

    @property
    def raw_answer(self) -> Expr:
        return self.stages[-1].raw

    @property
    def steps(self) -> tuple:
        """Every step in blackboard order: each stage's rule steps, then its simplification."""
        out: list = []
        for stage in self.stages:
            out.extend(stage.flat_steps())
            out.extend(stage.simplification)
        return tuple(out)

    # renderers live in tutor.render.solution; these are the doors to them
    def to_text(self, detail: str = "normal") -> str:
        from .render.solution import render_text
        return _deep.run_deep(render_text, self, detail)

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from .render.solution import render_latex
        return _deep.run_deep(render_latex, self, detail, standalone)

    def to_markdown(self, detail: str = "normal") -> str:
        from .render.solution import render_markdown
        return _deep.run_deep(render_markdown, self, detail)

    def to_dict(self, detail: str = "full") -> dict:
        from .render.solution import render_dict
        return _deep.run_deep(render_dict, self, detail)

    def to_json(self, detail: str = "full", indent: int | None = 2) -> str:
        import json
        return json.dumps(self.to_dict(detail), indent=indent, ensure_ascii=False)

    def _repr_latex_(self) -> str:
        return self.to_latex()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        return self.to_text()

    def at(self, point: dict | None = None, **values):
        """The derivative's value at a point, the substitution shown as steps (see atpoint.py)."""
        from .routes.atpoint import evaluate_at
        return evaluate_at(self, {**(point or {}), **values})


def to_expr(expr: str | Expr, input: str = "auto") -> tuple[str | None, Expr]:
    """(the text typed or None, the tree): what every entry point accepts, read once."""
    if isinstance(expr, str):
        from .language import parse
        return expr, parse(expr, input)
    return None, expr




def pick_variable(e: Expr, var: str | None) -> str:
    """The variable named, or the only one present; otherwise a clear error."""
    names = free_symbols(e)
    if var is not None:
        var = var.strip()
        if not var.replace("_", "").isalnum() or not var[0].isalpha():
            raise VariableError(f"'{var}' is not a variable name")
        return var
    if len(names) == 1:
        return names[0]
    if not names:
        return "x"
    raise VariableError(f"the function has several variables ({', '.join(names)}): "
                        f"say which to differentiate by (var=... or --var)",
                        hint=f"e.g. --var {names[0]}")


def pick_variables(e: Expr, names: str | Sequence[str] | None) -> tuple[str, ...]:
    """Several variables (`"w1,w2"` or a list), each named once; None means every variable of
    `e` in order of appearance. For gradients, Hessians and gradient descent."""
    if names is None:
        found = free_symbols(e)
        if not found:
            raise VariableError("the function has no variables: name them, e.g. --vars x,y")
        return found
    if isinstance(names, str):
        names = [v for v in names.split(",") if v.strip()]
    picked = tuple(pick_variable(e, v) for v in names)
    if not picked:
        raise VariableError("give at least one variable, e.g. --vars x,y")
    if len(set(picked)) != len(picked):
        raise VariableError("a variable is listed twice: " + ", ".join(picked))
    return picked


def _variables(e: Expr, var: str | Sequence[str] | None, order: int) -> tuple[str, ...]:
    if isinstance(var, str) and "," in var:
        var = [v for v in var.split(",") if v.strip()]
    if isinstance(var, (list, tuple)):
        if order != 1 and order != len(var):
            raise VariableError("give either several variables (a mixed partial) or an order, not both")
        return tuple(pick_variable(e, v) for v in var)
    if not isinstance(order, int) or order < 1:
        raise TutorError(f"the order must be a positive whole number, not {order!r}", code="order")
    if order > MAX_ORDER:
        raise TutorError(f"order {order} is over the limit of {MAX_ORDER}", code="limit")
    return (pick_variable(e, var),) * order


def differentiate(expr: str | Expr, var: str | Sequence[str] | None = None, order: int = 1,
                  *, input: str = "auto") -> Solution:
    """The worked solution of the derivative of `expr` (calculator syntax, LaTeX, or a tree).

    `var` may be omitted when exactly one name occurs; `var="x,y"` (or a list) is the mixed
    partial derivative, differentiating by x first, then y."""
    text, e = to_expr(expr, input)
    if isinstance(e, Derivative):  # d/dx[f] typed as the function itself: unwrap it
        inner, v, n = e.expr, e.var, e.order
        if var is None:
            var, order = v, n * order
            e = inner
    variables = _variables(e, var, order)
    if depth(e) > _deep.SHALLOW:
        return _deep.run_deep(_solve, text, e, variables)
    return _solve(text, e, variables)


def _solve(text: str | None, e: Expr, variables: tuple[str, ...]) -> Solution:
    from .simplifier import simplify_steps
    stages = []
    current = e
    others = any(s not in variables for s in free_symbols(e))
    partial = others or len(set(variables)) > 1
    for v in variables:
        tree = derive(current, Context(v, partial))
        raw = tree.result
        simp = simplify_steps(raw)
        answer = simp[-1].after if simp else raw
        stages.append(Stage(current, v, partial, tree, raw, tuple(simp), answer))
        current = answer
    return Solution(text, e, variables, tuple(stages))


def derivative(expr: str | Expr, var: str | None = None, order: int = 1) -> Expr:
    """Just the simplified answer (the same engine, the steps discarded)."""
    return differentiate(expr, var, order).answer
