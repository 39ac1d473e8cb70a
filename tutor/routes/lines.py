"""Straight lines through a point of a graph: the tangent and normal records and the pure
functions that build them, shared by the tangent route and the implicit route.

Why apart: `routes.tangent` sends an equation through `routes.implicit`, and the implicit route
at a point builds a tangent line; both build their lines here, so neither imports the other's
records and the imports point one way (tangent -> implicit -> lines).
Exact values stay exact: a rational slope and intercept print as fractions (`y = -w/32 +
3/16`), an irrational one as its exact form (cos(1)), simplified.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import TutorError
from ..expr import Div, Expr, Neg, Num, Sym, add, mul, neg, number_of

__all__ = ["Line", "Tangent", "exact_value", "slope_intercept", "tangent_line", "normal_of"]


@dataclass(frozen=True, slots=True)
class Line:
    """A line through (a, b): `y = rhs` (point-slope form `y = b + m (x - a)` kept too), or the
    vertical line `x = a` (slope None)."""
    kind: str                  # "tangent" | "normal"
    slope: Expr | None         # None: vertical
    point_slope: Expr | None   # b + m (x - a)
    rhs: Expr                  # slope-intercept right side; for a vertical line, a
    vertical: bool = False


@dataclass(frozen=True)
class Tangent:
    input: str | None
    function: Expr | None        # f (explicit); None for a curve given by an equation
    var: str
    dep: str                     # the name of the line's left side: y
    point: tuple                 # ((var, a), (dep, b)) exact trees
    value_steps: tuple           # f(a): (Expr, note), ... (substitution and value)
    slope_steps: tuple           # f'(a): (Expr, note), ... (from the at-point route)
    slope: Expr | None           # f'(a) exactly; None for a vertical tangent
    tangent: Line
    normal: Line | None = None
    solution: object | None = None   # the Solution of f' (explicit) or the Implicit record
    implicit: bool = False

    def to_text(self, detail: str = "normal") -> str:
        from ..render.routes_tangent import render_text
        return render_text(self, detail)

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from ..render.routes_tangent import render_latex
        return render_latex(self, detail, standalone)

    def to_markdown(self, detail: str = "normal") -> str:
        from ..render.routes_tangent import render_markdown
        return render_markdown(self, detail)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self, detail: str = "full") -> dict:
        from ..render.routes_tangent import render_dict
        return render_dict(self, detail)

    def to_json(self, indent: int | None = 2) -> str:
        import json
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def _repr_latex_(self) -> str:
        return self.to_latex()

    def __str__(self) -> str:
        return self.to_text()


# ---------------------------------------------------------------- pure helpers

def exact_value(e: Expr) -> Expr:
    """A constant tree as its exact rational when it has one, else simplified."""
    from ..evaluation import evaluate
    from .atpoint import rational_expr
    try:
        v = evaluate(e, {})
    except TutorError:
        v = None
    if isinstance(v, Fraction):
        return rational_expr(v)
    from ..simplifier import simplify
    return simplify(e)


def _times_var(m: Expr, x: Sym) -> Expr:
    """m x as a textbook prints it: -1/32 -> -w/32, 3/4 -> 3x/4, 2 -> 2x, cos(1) -> x cos(1)."""
    v = number_of(m)
    if v is None and isinstance(m, (Div, Neg)):
        inner, sign = (m.arg, True) if isinstance(m, Neg) else (m, False)
        if isinstance(inner, Div) and isinstance(inner.num, Num) and isinstance(inner.den, Num):
            v = Fraction(inner.num.value, inner.den.value) * (-1 if sign else 1)
    if v is not None:
        if v == 0:
            return Num(0)
        top = mul(Num(abs(v.numerator)), x)
        body = top if v.denominator == 1 else Div(top, Num(v.denominator))
        return Neg(body) if v < 0 else body
    from ..simplifier import simplify
    return simplify(mul(m, x))


def slope_intercept(m: Expr, a: Expr, b: Expr, x: Sym) -> Expr:
    """The right side of y = m x + (b - m a), exact, the x term first."""
    intercept = exact_value(add(b, neg(mul(m, a))))
    term = _times_var(m, x)
    if number_of(term) == 0:
        return intercept
    if number_of(intercept) == 0:
        return term
    return add(term, intercept)


def tangent_line(kind: str, m: Expr | None, a: Expr, b: Expr, x: Sym) -> Line:
    """The line through (a, b) with slope m (None: the vertical line x = a)."""
    if m is None:
        return Line(kind, None, None, a, True)
    shift = add(x, neg(a)) if number_of(a) != 0 else x
    ps = add(b, mul(m, shift)) if number_of(b) != 0 else mul(m, shift)
    if number_of(m) == 0:
        ps = b
    return Line(kind, m, ps, slope_intercept(m, a, b, x))


def normal_of(m: Expr | None, a: Expr, b: Expr, x: Sym) -> Line:
    """Perpendicular: slope -1/m; horizontal tangent -> vertical normal; vertical -> horizontal."""
    if m is None:
        return tangent_line("normal", Num(0), a, b, x)
    if number_of(m) == 0:
        return tangent_line("normal", None, a, b, x)
    return tangent_line("normal", exact_value(neg(Div(Num(1), m))), a, b, x)


