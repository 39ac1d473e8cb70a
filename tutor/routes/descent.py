"""Gradient descent with the symbolic derivative (seed 000's "repeat w := w - alpha dJ/dw").

`descend(expr, var=None, start=0, rate=0.1, steps=10, tol=1e-10) -> Descent`: the partial
derivatives come from the worked solutions (`differentiate(...).answer`), compiled once with
`compile_float`; then each iteration records k, w, J(w), dJ/dw and the update. Floats
throughout (the user asked for numeric iteration). Printing uses DIGITS = 10 significant
digits ("%.10g"); the JSON output carries the full floats.

Stopping (the reason is recorded and printed):
- converged: the gradient is exactly 0, or the step's length |alpha grad J| < tol;
- diverged: |w| or |J| past LIMIT (1e12), or a float overflow;
- left the domain: J or its derivative undefined at an iterate (the message says where);
- otherwise the step limit; if J grew at every one of the last steps, that is said too.

Why a route of its own: seed 000 ends on the update rule, and seeing the iterates is how the
rate's role is learnt. This module computes the record; `tutor.render.routes_descent` writes it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import DomainError, TutorError, VariableError
from ..evaluation import compile_float, evaluate_float
from ..expr import Expr, free_symbols
from ..render.common import DIGITS, fmt_significant
from ..render.routes_descent import SCHEMA
from ..solve import to_expr, differentiate, pick_variables
from .points import read_number, read_values

__all__ = ["Descent", "Iteration", "descend", "SCHEMA", "DIGITS"]

LIMIT = 1e12
MAX_STEPS = 100_000


@dataclass(frozen=True, slots=True)
class Iteration:
    k: int
    w: tuple              # floats, one per variable
    J: float
    grad: tuple           # dJ/dw_i at w
    new: tuple | None     # w - rate * grad (None on the last row)


@dataclass(frozen=True)
class Descent:
    input: str | None
    function: Expr
    variables: tuple
    derivatives: tuple    # Exprs dJ/dw_i (the worked solutions' answers)
    solutions: tuple
    rate: float
    tol: float
    iterations: tuple
    status: str           # "converged" | "diverged" | "domain" | "limit"
    reason: str

    @property
    def final(self) -> tuple:
        last = self.iterations[-1]
        return last.new if last.new is not None else last.w

    def to_text(self, detail: str = "normal") -> str:
        from ..render.routes_descent import render
        return render(self, "text")

    def to_markdown(self, detail: str = "normal") -> str:
        from ..render.routes_descent import render
        return render(self, "markdown")

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from ..render.routes_descent import render
        return render(self, "latex")

    def to_dict(self) -> dict:
        from ..render.routes_descent import render_dict
        return render_dict(self)

    def __str__(self) -> str:
        return self.to_text()


def _variables(e: Expr, var) -> tuple[str, ...]:
    names = pick_variables(e, var)
    missing = [n for n in free_symbols(e) if n not in names]
    if missing:
        raise VariableError(f"J also depends on {', '.join(missing)}: list every variable with --var")
    return names


def descend(expr: str | Expr, var=None, start=0, rate=0.1, steps: int = 10, tol=1e-10,
            *, input: str = "auto") -> Descent:
    """Run gradient descent on J from `start` (one value, or one per variable)."""
    text, e = to_expr(expr, input)
    names = _variables(e, var)
    w = read_values(start, names, "the start point")
    alpha = read_number(rate, "the rate")
    eps = read_number(tol, "the tolerance")
    if alpha <= 0:
        raise TutorError(f"the rate must be positive, not {fmt_significant(alpha)}", code="rate")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= MAX_STEPS:
        raise TutorError(f"steps must be a whole number from 0 to {MAX_STEPS}", code="steps")
    sols = tuple(differentiate(e, v) for v in names)
    derivs = tuple(s.answer for s in sols)
    J = compile_float(e, names)
    G = tuple(compile_float(d, names) for d in derivs)
    its, status, reason = _iterate(e, derivs, names, J, G, w, alpha, eps, steps)
    if not its:  # the start itself is outside the domain: there is no descent to show
        raise DomainError(f"cannot start there: {reason.removeprefix('left the domain: ')}",
                          code="domain", hint="choose a start inside the domain of J")
    return Descent(text, e, names, derivs, sols, alpha, eps, tuple(its), status, reason)


def _why(e: Expr, names, w, what: str) -> str:
    """The reason a compiled value was NaN, from the evaluator's own message."""
    where = ", ".join(f"{n} = {fmt_significant(x)}" for n, x in zip(names, w))
    try:
        evaluate_float(e, dict(zip(names, w)))
    except TutorError as exc:
        return f"{what} is undefined at {where}: {exc.message}"
    return f"{what} is undefined at {where}"


def _iterate(e, derivs, names, J, G, w, alpha, eps, steps):
    its: list[Iteration] = []
    rising = 0
    for k in range(steps + 1):
        j = J(w)
        if j != j:
            reason = _why(e, names, w, "J")
            status = "diverged" if "overflow" in reason else "domain"
            return its, status, ("diverged: " if status == "diverged" else "left the domain: ") + reason
        g = tuple(f(w) for f in G)
        for n, d, x in zip(names, derivs, g):
            if x != x:
                return its, "domain", "left the domain: " + _why(d, names, w, f"dJ/d{n}")
        if abs(j) > LIMIT or any(abs(x) > LIMIT for x in w):
            its.append(Iteration(k, w, j, g, None))
            return its, "diverged", f"diverged: |w| or |J| passed {LIMIT:g} at iteration {k}"
        if its and j > its[-1].J:
            rising += 1
        else:
            rising = 0
        if all(x == 0 for x in g):
            its.append(Iteration(k, w, j, g, None))
            return its, "converged", f"converged: the gradient is 0 at iteration {k} (a stationary point)"
        if k == steps:
            its.append(Iteration(k, w, j, g, None))
            break
        step = tuple(alpha * x for x in g)
        new = tuple(a - b for a, b in zip(w, step))
        if not all(math.isfinite(x) for x in new):
            its.append(Iteration(k, w, j, g, None))
            return its, "diverged", f"diverged: the update overflowed at iteration {k}"
        its.append(Iteration(k, w, j, g, new))
        if math.hypot(*step) < eps:
            its.append(Iteration(k + 1, new, J(new), tuple(f(new) for f in G), None))
            return its, "converged", (f"converged: the step |alpha grad J| = {fmt_significant(math.hypot(*step))} "
                                      f"is below tol = {fmt_significant(eps)} at iteration {k}")
        w = new
    reason = f"stopped after {steps} iterations (the step limit)"
    if steps >= 5 and rising >= 5:
        reason += "; J grew at every recent step: the rate looks too large (diverging)"
    return its, "limit", reason
