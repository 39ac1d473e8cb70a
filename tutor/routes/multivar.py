"""Many variables: the gradient, the directional derivative and the Hessian (seeds 002, 003).

`gradient(expr, vars=None, at=None, along=None, hessian=False) -> Gradient`: every partial
derivative's worked Solution (other names held constant, as the steps say), the gradient
vector, its value at a point (AtPoint records, exact + decimal), the direction normalised
exactly (|v| = sqrt(14), u_i = 2/sqrt(14): square factors pulled out of the root), the
directional derivative D_u f = grad f . u symbolically and at the point, and the Hessian
(H[i][j] = d/dx_j d/dx_i f from `differentiate(f, "x_i,x_j")`, diagonal by order 2).
Renderers only read the record. `grad_command` is the `tutor grad` handler.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction

from .atpoint import AtPoint, evaluate_at, point_text, rational_expr
from ..errors import TutorError
from ..evaluation.core import evaluate, format_value
from ..expr import Call, Derivative, Div, Expr, Num, Sym, add, free_symbols, mul, neg, num
from ..solve import _to_expr, differentiate, pick_variables

__all__ = ["Gradient", "Direction", "gradient", "grad_command"]

SCHEMA = "tutor.gradient/1"
DIGITS = 10


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
        return render_text(self, detail)

    def to_latex(self, detail: str = "brief", standalone: bool = False) -> str:
        return render_latex(self, detail, standalone)

    def to_markdown(self, detail: str = "brief") -> str:
        return render_markdown(self, detail)

    def to_dict(self, detail: str = "full") -> dict:
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


def _parse_vector(along, n: int) -> list[Fraction]:
    from ..language.calc import parse
    parts = along.split(",") if isinstance(along, str) else list(along)
    out = []
    for part in parts:
        if isinstance(part, bool):
            raise TutorError(f"a direction component must be a number, not {part!r}", code="direction")
        if isinstance(part, (int, Fraction)):
            out.append(Fraction(part))
            continue
        if isinstance(part, float):
            out.append(Fraction(repr(part)))
            continue
        e = parse(part.strip()) if isinstance(part, str) else part
        v = evaluate(e, {}) if not free_symbols(e) else None
        if not isinstance(v, Fraction):
            raise TutorError(f"a direction component must be a rational number, not {part!r}",
                             code="direction")
        out.append(v)
    if len(out) != n:
        raise TutorError(f"the direction has {len(out)} components but there are {n} variables",
                         code="direction")
    return out


# ---------------------------------------------------------------- public

def _variables(e: Expr, vars) -> tuple[str, ...]:
    return pick_variables(e, vars)


def gradient(expr: str | Expr, vars=None, at: dict | str | None = None, along=None,
             hessian: bool = False, *, input: str = "auto") -> Gradient:
    """The gradient of `expr` in `vars` (default: every name, in order of appearance),
    optionally its value at `at`, the derivative along `along` and the Hessian."""
    from .. import _deep
    return _deep.run_deep(_gradient, expr, vars, at, along, hessian, input)


def _gradient(expr, vars, at, along, hessian, input) -> Gradient:
    text, e = _to_expr(expr, input)
    names = _variables(e, vars)
    partials = tuple(differentiate(e, v) for v in names)
    if isinstance(at, str):
        from .points import parse_point
        at = parse_point(at)
    values = point = None
    if at:
        values = tuple(evaluate_at(s, at) for s in partials)
        point = values[0].point
    direction = directional = dvalue = None
    if along is not None:
        direction = _direction(_parse_vector(along, len(names)))
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
    from ..simplifier.normal_form import simplify
    total = simplify(add(*(mul(rational_expr(c), s.answer) for c, s in zip(d.coeffs, partials))))
    root = Call("sqrt", (Num(Fraction(d.radicand)),))
    symbolic = total if d.radicand == 1 else Div(total, root)
    if values is None:
        return symbolic, None
    if all(isinstance(a.value, Fraction) for a in values):
        s = sum(c * a.value for c, a in zip(d.coeffs, values))
        exact = rational_expr(s) if d.radicand == 1 else _over_root(s, root)
        return symbolic, (exact, float(s) / math.sqrt(d.radicand))
    s = sum(float(c) * float(a.value) for c, a in zip(d.coeffs, values))
    return symbolic, (None, s / math.sqrt(d.radicand))




# ---------------------------------------------------------------- renderers (read the record only)

def _d(g: Gradient, v: str) -> Expr:
    return Derivative(Sym("f"), v, 1, len(g.variables) > 1 or len(free_symbols(g.function)) > 1)


def _vec(items, show, latex=False) -> str:
    parts = [show(x) for x in items]
    if latex:
        return "\\begin{bmatrix} " + " \\\\ ".join(parts) + " \\end{bmatrix}"
    return "(" + ", ".join(parts) + ")"


def _matrix_text(rows, show) -> list[str]:
    cells = [[show(x) for x in row] for row in rows]
    width = max(len(c) for row in cells for c in row)
    return ["  [ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def _matrix_latex(rows, show) -> str:
    return "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(show(x) for x in row) for row in rows) \
        + " \\end{bmatrix}"


def _dec(x) -> str:
    return format_value(float(x), DIGITS)


def _exact(a: AtPoint, show) -> str:
    if a.exact is None:
        return a.decimal
    if isinstance(a.value, Fraction):
        return format_value(a.value) if show is None else show(rational_expr(a.value))
    return (show or _to_text)(a.exact)


def _to_text(e: Expr) -> str:
    from ..printing import to_text
    return to_text(e)


def render_text(g: Gradient, detail: str = "brief") -> str:
    from ..printing import to_text
    names = ", ".join(g.variables)
    out = [f"f({names}) = {to_text(g.function)}", ""]
    out.append("Partial derivatives (each holds the other variables constant):")
    for v, s in zip(g.variables, g.partials):
        if detail != "brief":
            out.append(s.to_text(detail))
            out.append("")
        out.append(f"  {to_text(_d(g, v))} = {to_text(s.answer)}")
    out.append("")
    out.append(f"Gradient: grad f = {_vec(g.vector, to_text)}")
    if g.values:
        out.append(f"At {point_text(g.point)}:")
        if detail != "brief":
            for a in g.values:
                out.append(a.to_text("brief"))
        out.append(f"  grad f = {_vec(g.values, lambda a: _exact(a, None))}")
        out.append(f"         ≈ {_vec(g.values, lambda a: _dec(a.value))}")
    if g.direction:
        d = g.direction
        vec = _vec(d.vector, format_value)
        squares = " + ".join(f"({format_value(x)})^2" if x < 0 else f"{format_value(x)}^2" for x in d.vector)
        out.append("")
        out.append(f"Direction v = {vec}")
        root = f"sqrt({format_value(d.norm_squared)})"
        tail = "" if to_text(d.norm) == root else f" = {to_text(d.norm)}"
        out.append(f"  |v| = sqrt({squares}) = {root}{tail} ≈ {_dec(math.sqrt(d.norm_squared))}")
        out.append(f"  u = v/|v| = {_vec(d.unit, to_text)}")
        out.append(f"    ≈ {_vec([float(c) / math.sqrt(d.radicand) for c in d.coeffs], _dec)}")
        out.append(f"  D_u f = grad f . u = {to_text(g.directional)}")
        if g.directional_value:
            exact, value = g.directional_value
            shown = f"{to_text(exact)} ≈ {_dec(value)}" if exact is not None else _dec(value)
            out.append(f"  at {point_text(g.point)}: D_u f = {shown}")
    if g.hessian:
        out.append("")
        out.append("Hessian (H[i][j] = d/dx_j d/dx_i f):")
        out.extend(_matrix_text(g.hessian_matrix, to_text))
        if g.hessian_values:
            out.append(f"At {point_text(g.point)}:")
            out.extend(_matrix_text(g.hessian_values, lambda a: _exact(a, None)))
    return "\n".join(out)


def render_latex(g: Gradient, detail: str = "brief", standalone: bool = False) -> str:
    from ..printing import to_latex
    rows = [f"f &= {to_latex(g.function)}"]
    for v, s in zip(g.variables, g.partials):
        rows.append(f"{to_latex(_d(g, v))} &= {to_latex(s.answer)}")
    rows.append(f"\\nabla f &= {_vec(g.vector, to_latex, True)}")
    if g.values:
        rows.append(f"\\nabla f\\big|_{{{point_text(g.point, to_latex)}}} &= "
                    f"{_vec(g.values, lambda a: _exact(a, to_latex), True)} \\approx "
                    f"{_vec(g.values, lambda a: _dec(a.value), True)}")
    if g.direction:
        d = g.direction
        rows.append(f"\\lvert v\\rvert &= \\sqrt{{{format_value(d.norm_squared)}}} = {to_latex(d.norm)}")
        rows.append(f"u &= \\frac{{v}}{{\\lvert v\\rvert}} = {_vec(d.unit, to_latex, True)}")
        rows.append(f"D_u f &= \\nabla f \\cdot u = {to_latex(g.directional)}")
        if g.directional_value:
            exact, value = g.directional_value
            rows.append(f"D_u f\\big|_{{{point_text(g.point, to_latex)}}} &= "
                        + (f"{to_latex(exact)} \\approx " if exact is not None else "") + _dec(value))
    if g.hessian:
        rows.append(f"H &= {_matrix_latex(g.hessian_matrix, to_latex)}")
        if g.hessian_values:
            rows.append(f"H\\big|_{{{point_text(g.point, to_latex)}}} &= "
                        f"{_matrix_latex(g.hessian_values, lambda a: _exact(a, to_latex))}")
    body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    if detail != "brief":
        body = "\n\n".join([s.to_latex(detail) for s in g.partials] + [body])
    if standalone:
        from ..render.common import standalone_document
        return standalone_document(body)
    return body


def render_markdown(g: Gradient, detail: str = "brief") -> str:
    from ..printing import to_latex
    out = [f"**Gradient** of $f = {to_latex(g.function)}$ "
           "(each partial derivative holds the other variables constant):", ""]
    for v, s in zip(g.variables, g.partials):
        if detail != "brief":
            out.extend([s.to_markdown(detail), ""])
        out.append(f"$$ {to_latex(_d(g, v))} = {to_latex(s.answer)} $$")
    out.append(f"$$ \\nabla f = {_vec(g.vector, to_latex, True)} $$")
    latex = render_latex(g, "brief")
    out.extend(["", "**Summary:**", "", "$$", latex, "$$"])
    return "\n".join(out)


def render_dict(g: Gradient, detail: str = "full") -> dict:
    from ..printing import expr_json

    def value(a: AtPoint) -> dict:
        return {"exact": expr_json(a.exact) if a.exact is not None else None,
                "decimal": a.decimal, "float": float(a.value)}
    out: dict = {
        "schema": SCHEMA,
        "input": g.input,
        "function": expr_json(g.function),
        "variables": list(g.variables),
        "partials": [s.to_dict(detail) for s in g.partials],
        "gradient": [expr_json(x) for x in g.vector],
        "point": {n: expr_json(v) for n, v in g.point} if g.point else None,
        "gradient_at": [value(a) for a in g.values] if g.values else None,
        "direction": None,
        "hessian": [[expr_json(x) for x in row] for row in g.hessian_matrix] if g.hessian else None,
        "hessian_at": [[value(a) for a in row] for row in g.hessian_values] if g.hessian_values else None,
    }
    if g.direction:
        d = g.direction
        dv = g.directional_value
        out["direction"] = {
            "vector": [format_value(x) for x in d.vector],
            "norm": expr_json(d.norm),
            "norm_decimal": _dec(math.sqrt(d.norm_squared)),
            "unit": [expr_json(x) for x in d.unit],
            "unit_decimal": [_dec(float(c) / math.sqrt(d.radicand)) for c in d.coeffs],
            "derivative": expr_json(g.directional),
            "derivative_at": None if dv is None else {
                "exact": expr_json(dv[0]) if dv[0] is not None else None,
                "decimal": _dec(dv[1]), "float": dv[1]},
        }
    return out
