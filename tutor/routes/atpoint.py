"""The derivative at a point: substitute, then do the arithmetic one level at a time.

Why a route of its own: "what is the slope at w = 4?" is the question students ask next, and
the answer should show the substitution and the arithmetic, exactly. `evaluate_at(solution,
point)` (also `Solution.at(w=4)`) returns an `AtPoint` record: the derivative, the substitution
and each arithmetic line as steps, the exact value (a Fraction when the arithmetic stays
rational, else the last exact line such as cos(1)) and a decimal beside it.
`tutor.render.routes_atpoint` writes it as text, LaTeX, Markdown and JSON.

Decisions a caller must know:
- Point values may be Exprs, ints, Fractions, floats or text in either input language
  (`pi/2`, `1/3`, `\\frac{1}{2}`; read by `routes.points.normalise_point`). Exprs are
  substituted into the tree, so sin(pi/2) is 1 exactly; a float anywhere makes the whole
  evaluation float (no exact value then).
- The point must give every variable of the function (and of differentiation) and nothing
  else: VariableError otherwise, with the names.
- The function itself is checked first: d/dx ln x at -1 says the *function* is undefined
  there. Then the kinks (`routes.graph`): |u| where u = 0 is not differentiable, in every
  route, even where the simplified answer is defined (|x|^2 -> 2x cancels |x|, assuming
  |x| ≠ 0). Then the derivative: `1/x` at 0 says the derivative is undefined at x = 0.
- Arithmetic lines fold the innermost constant sub-expressions with a rational value, one
  round per line (at most MAX_LINES lines; skipped for very large trees); a last line writes
  in the exact values of the simplifier's tables (cos(pi/4) = sqrt(2)/2, e^(ln 3) = 3,
  1/sqrt(3/4) = 2/sqrt(3)), so the exact answer is the one an answer key prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import DomainError, TutorError
from ..evaluation import evaluate, value_pair
from ..expr import Derivative, Div, Expr, Neg, Num, Sym, children, free_symbols, num, replace, size, walk, with_children
from ..render.common import DIGITS, derivative_head, is_number, point_text
from .kinks import abs_kink, abs_kink_error
from .points import normalise_point

__all__ = ["rational_expr", "AtPoint", "PointStep", "evaluate_at", "normalise_point", "point_text",
           "derivative_head"]

MAX_LINES = 12
MAX_FOLD_SIZE = 3000


@dataclass(frozen=True, slots=True)
class PointStep:
    """One line of the substitution: kind is "derivative", "substitute" or "arithmetic"."""
    kind: str
    expr: Expr
    note: str = ""


@dataclass(frozen=True)
class AtPoint:
    solution: object                     # the Solution (solve.py)
    point: tuple                         # ((name, Expr), ...) in the function's variable order
    derivative: Expr
    steps: tuple                         # PointStep, ...
    value: Fraction | float              # the derivative's value
    exact: Expr | None                   # exact form (-1/32, cos(1)); None when floats were used
    decimal: str                         # "-0.03125"
    function_value: Fraction | float

    @property
    def exact_text(self) -> str | None:
        from ..printing import to_text
        return None if self.exact is None else to_text(self.exact)

    def value_text(self, show=None) -> str:
        """"-1/32 ≈ -0.03125", "cos(1) ≈ 0.5403023059", or just the decimal."""
        from ..render.routes_atpoint import value_text
        return value_text(self, show)

    def to_text(self, detail: str = "normal") -> str:
        from ..render.routes_atpoint import render_text
        return render_text(self, detail)

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from ..render.routes_atpoint import render_latex
        return render_latex(self, detail, standalone)

    def to_markdown(self, detail: str = "normal") -> str:
        from ..render.routes_atpoint import render_markdown
        return render_markdown(self, detail)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self, detail: str = "full") -> dict:
        from ..render.routes_atpoint import render_dict
        return render_dict(self, detail)

    def __str__(self) -> str:
        return self.to_text()


def _at(e: Expr, pairs, floats: dict):
    if floats:
        return evaluate(e, floats)
    return evaluate(replace(e, {Sym(n): v for n, v in pairs}), {})


# ---------------------------------------------------------------- arithmetic lines

def rational_expr(q: Fraction | int) -> Expr:
    """An exact rational as a tree that prints as a fraction: -1/32, not -0.03125."""
    q = Fraction(q)
    if q.denominator == 1:
        return num(q)
    body = Div(Num(Fraction(abs(q.numerator))), Num(Fraction(q.denominator)))
    return Neg(body) if q < 0 else body


def _fold_round(e: Expr) -> Expr:
    """Replace each innermost constant sub-expression with a rational value by that value."""
    memo: dict = {}

    def foldable(node: Expr) -> bool:
        if node in memo:
            return memo[node]
        ok = False
        if not is_number(node) and not any(isinstance(n, (Sym, Derivative)) for n in walk(node)):
            try:
                ok = isinstance(evaluate(node, {}), Fraction)
            except TutorError:
                ok = False
        memo[node] = ok
        return ok

    def go(node: Expr) -> Expr:
        kids = children(node)
        if kids:
            new = tuple(go(k) for k in kids)
            if new != kids:
                return with_children(node, new)
        if foldable(node):
            return rational_expr(evaluate(node, {}))
        return node
    return go(e)


def _arithmetic_lines(e: Expr) -> list[Expr]:
    lines: list[Expr] = []
    if size(e) > MAX_FOLD_SIZE:
        return lines
    current = e
    for _ in range(MAX_LINES):
        nxt = _fold_round(current)
        if nxt == current:
            break
        lines.append(nxt)
        current = nxt
    return lines


def _exact_value(e: Expr) -> Expr | None:
    """The last line with the exact values a table gives written in (cos(pi/4) = sqrt(2)/2,
    e^(ln 3) = 3, sqrt(3/4) = sqrt(3)/2), by the simplifier; None when it changes nothing.
    Why the simplifier: it is the one place that knows these values, and it preserves value."""
    if is_number(e) or size(e) > MAX_FOLD_SIZE:
        return None
    from ..simplifier import simplify
    try:
        out = simplify(e)
    except TutorError:
        return None
    return None if out == e else out


# ---------------------------------------------------------------- public

def evaluate_at(solution, point: dict) -> AtPoint:
    """The solution's derivative at `point` ({name: Expr | int | Fraction | float | str})."""
    from .. import _deep
    return _deep.run_deep(_evaluate_at, solution, point)


def _evaluate_at(solution, point: dict) -> AtPoint:
    needed = tuple(dict.fromkeys(free_symbols(solution.function) + tuple(solution.variables)))
    pairs, floats = normalise_point(point, needed)
    where = point_text(pairs)
    from ..printing import to_text
    try:
        fvalue = _at(solution.function, pairs, floats)
    except DomainError as exc:
        raise DomainError(f"the function {to_text(solution.function)} is undefined at {where}, "
                          f"so it has no derivative there: {exc.message}", code="domain") from None
    kink = abs_kink(solution.function, lambda u: _at(u, pairs, floats), tuple(solution.variables))
    if kink is not None:
        raise abs_kink_error(kink)
    answer = solution.answer
    try:
        value = _at(answer, pairs, floats)
    except DomainError as exc:
        raise DomainError(f"the derivative {to_text(answer)} is undefined at {where}: "
                          f"{exc.message}", code="domain") from None
    substituted = replace(answer, {Sym(n): v for n, v in pairs})
    steps = [PointStep("derivative", answer, "")]
    if substituted != answer:
        steps.append(PointStep("substitute", substituted, f"substitute {where}"))
    exact: Expr | None = None
    if not floats:
        for line in _arithmetic_lines(substituted):
            steps.append(PointStep("arithmetic", line, "arithmetic"))
        last = steps[-1].expr
        tidy = _exact_value(last)
        if tidy is not None:
            steps.append(PointStep("arithmetic", tidy, "exact values"))
            last = tidy
            if not isinstance(value, Fraction) and is_number(tidy):
                value = evaluate(tidy, {})  # e^(ln 3) = 3: the exact value is rational after all
        exact = rational_expr(value) if isinstance(value, Fraction) else last
        if isinstance(value, Fraction) and last != exact:
            steps.append(PointStep("arithmetic", exact, "arithmetic"))
    _, decimal = value_pair(value, DIGITS)
    return AtPoint(solution, pairs, answer, tuple(steps), value, exact, decimal, fvalue)
