"""Many variables: the gradient, the directional derivative and the Hessian (seeds 002, 003).

`gradient(expr, vars=None, at=None, along=None, hessian=False) -> Gradient`: every partial
derivative's worked Solution (other names held constant, as the steps say), the gradient
vector, its value at a point (AtPoint records, exact + decimal), the direction normalised
exactly (|v| = sqrt(14), u_i = 2/sqrt(14): square factors pulled out of the root), the
directional derivative D_u f = grad f . u symbolically and at the point, and the Hessian
(H[i][j] = d/dx_j d/dx_i f from `differentiate(f, "x_i,x_j")`, diagonal by order 2).

Why a route of its own: the course's many-variable questions (seeds 002, 003) are answered by
the same worked solutions, one per partial, plus exact vector arithmetic. This module computes
the record (points and directions read by `routes.points`); `tutor.render.routes_multivar`
writes it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import LimitError, TutorError
from ..evaluation import format_value
from ..evaluation.kernels import overflow
from ..evaluation.text import ratio_over_root
from ..expr import Call, Div, Expr, Num, add, mul, neg, num
from ..limits import MAX_GRADIENT_VARIABLES, MAX_HESSIAN_ENTRIES
from ..render.routes_multivar import SCHEMA
from ..solve import to_expr, differentiate, pick_variables
from .atpoint import evaluate_at, rational_expr
from .points import parse_point, read_vector

__all__ = ["Gradient", "Direction", "gradient", "SCHEMA"]


@dataclass(frozen=True)
class Direction:
    """v, |v|^2, |v| and u = v/|v| exactly; u_i = coeffs[i]/sqrt(radicand) (radicand 1: rational)."""
    vector: tuple          # Fractions
    norm_squared: Fraction
    norm: Expr
    unit: tuple            # Exprs
    coeffs: tuple          # Fractions c_i with u_i = c_i / sqrt(radicand)
    radicand: int


@dataclass(frozen=True)
class Gradient:
    input: str | None
    function: Expr
    variables: tuple
    partials: tuple                  # Solution per variable
    point: tuple | None              # ((name, Expr), ...) or None
    values: tuple | None             # AtPoint per variable
    direction: Direction | None
    directional: Expr | None         # D_u f symbolic
    directional_value: tuple | None  # (exact Expr or None, float)
    hessian: tuple | None            # rows of Solutions
    hessian_values: tuple | None     # rows of AtPoint

    @property
    def vector(self) -> tuple:
        return tuple(s.answer for s in self.partials)

    @property
    def hessian_matrix(self) -> tuple | None:
        return None if self.hessian is None else tuple(tuple(s.answer for s in row) for row in self.hessian)

    def to_text(self, detail: str = "brief") -> str:
        from ..render.routes_multivar import render_text
        return render_text(self, detail)

    def to_latex(self, detail: str = "brief", standalone: bool = False) -> str:
        from ..render.routes_multivar import render_latex
        return render_latex(self, detail, standalone)

    def to_markdown(self, detail: str = "brief") -> str:
        from ..render.routes_multivar import render_markdown
        return render_markdown(self, detail)

    def to_html(self, detail: str = "brief", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self, detail: str = "full") -> dict:
        from ..render.routes_multivar import render_dict
        return render_dict(self, detail)

    def __str__(self) -> str:
        return self.to_text()


# ---------------------------------------------------------------- the direction

def _square_part(n: int) -> tuple[int, int]:
    """n = s^2 * b with s as large as trial division (up to a bound) finds."""
    s, b, f = 1, n, 2
    while f * f <= b and f < 100_000:
        while b % (f * f) == 0:
            b //= f * f
            s *= f
        f += 1
    return s, b


def _direction(values: list[Fraction]) -> Direction:
    n2 = sum(v * v for v in values)
    if n2 == 0:
        raise TutorError("the direction " + "(" + ", ".join(format_value(v) for v in values) + ") "
                         "has length 0: it cannot be normalised", code="direction")
    p, q = n2.numerator, n2.denominator
    s, b = _square_part(p * q)          # sqrt(p/q) = sqrt(p q)/q = (s/q) sqrt(b)
    scale = Fraction(s, q)
    sqrt_b = Call("sqrt", (Num(Fraction(b)),))
    norm = rational_expr(scale) if b == 1 else (sqrt_b if scale == 1 else mul(rational_expr(scale), sqrt_b))
    coeffs = tuple(v / scale for v in values)
    if b == 1:
        unit = tuple(rational_expr(c) for c in coeffs)
    else:
        unit = tuple(_over_root(c, sqrt_b) for c in coeffs)
    return Direction(tuple(values), n2, norm, unit, coeffs, b)


def _over_root(c: Fraction, root: Expr) -> Expr:
    if c == 0:
        return num(0)
    body = Div(Num(Fraction(abs(c.numerator))), mul(Num(Fraction(c.denominator)), root))
    return neg(body) if c < 0 else body


def _check_size(names: tuple, hessian: bool) -> None:
    """Each partial is a whole derivation and a Hessian has n^2 of them: bound the count
    before the first one runs (tutor.limits), so 300 variables are refused at once."""
    if hessian and len(names) ** 2 > MAX_HESSIAN_ENTRIES:
        raise LimitError(f"the Hessian has {len(names) ** 2:,} entries ({len(names)} variables); "
                         f"the limit is {MAX_HESSIAN_ENTRIES:,} (MAX_HESSIAN_ENTRIES)",
                         hint="ask for the gradient without the Hessian, or fewer variables")
    if len(names) > MAX_GRADIENT_VARIABLES:
        raise LimitError(f"the gradient has {len(names):,} variables; the limit is "
                         f"{MAX_GRADIENT_VARIABLES:,} (MAX_GRADIENT_VARIABLES)")


# ---------------------------------------------------------------- public

def gradient(expr: str | Expr, vars=None, at: dict | str | None = None, along=None,
             hessian: bool = False, *, input: str = "auto") -> Gradient:
    """The gradient of `expr` in `vars` (default: every name, in order of appearance),
    optionally its value at `at`, the derivative along `along` and the Hessian."""
    from .. import _deep
    return _deep.run_deep(_gradient, expr, vars, at, along, hessian, input)


def _gradient(expr, vars, at, along, hessian, input) -> Gradient:
    text, e = to_expr(expr, input)
    names = pick_variables(e, vars)
    _check_size(names, hessian)
    partials = tuple(differentiate(e, v) for v in names)
    if isinstance(at, str):
        at = parse_point(at)
    values = point = None
    if at:
        values = tuple(evaluate_at(s, at) for s in partials)
        point = values[0].point
    direction = directional = dvalue = None
    if along is not None:
        direction = _direction(read_vector(along, len(names)))
        directional, dvalue = _directional(direction, partials, values)
    hess = hvalues = None
    if hessian:
        hess = tuple(tuple(differentiate(e, v, 2) if v == w else differentiate(e, [v, w])
                           for w in names) for v in names)
        if at:
            hvalues = tuple(tuple(evaluate_at(s, at) for s in row) for row in hess)
    return Gradient(text, e, names, partials, point, values, direction, directional, dvalue,
                    hess, hvalues)


def _directional(d: Direction, partials, values) -> tuple[Expr, tuple | None]:
    """D_u f = (sum c_i df/dx_i) / sqrt(b), symbolically, and at the point when given."""
    from ..simplifier import simplify
    total = simplify(add(*(mul(rational_expr(c), s.answer) for c, s in zip(d.coeffs, partials))))
    root = Call("sqrt", (Num(Fraction(d.radicand)),))
    symbolic = total if d.radicand == 1 else Div(total, root)
    if values is None:
        return symbolic, None
    if all(isinstance(a.value, Fraction) for a in values):
        s = sum(c * a.value for c, a in zip(d.coeffs, values))
        exact = rational_expr(s) if d.radicand == 1 else _over_root(s, root)
        return symbolic, (exact, ratio_over_root(s, d.radicand))
    try:  # a float value somewhere: float arithmetic, its overflow a clear error
        s = sum(float(c) * float(a.value) for c, a in zip(d.coeffs, values))
        return symbolic, (None, s / math.sqrt(d.radicand))
    except OverflowError:
        raise overflow("the directional derivative") from None
