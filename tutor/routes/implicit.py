"""Implicit differentiation: an equation in x and y, y = y(x), solved for dy/dx (and d²y/dx²).

Why a route of its own: the courses (OpenStax §3.8, APEX) differentiate both sides of
x^2 + y^2 = 25 with y a function of x, keep the dy/dx terms on one side, factor and divide;
SymPy Gamma stops at dF/dx. `implicit(equation)` returns an `Implicit` record whose `lines`
are that working, each an equation that holds on the curve; `tutor.render.routes_implicit`
writes it as text, LaTeX, Markdown and JSON.

How: dy/dx is a fresh symbol P (`Sym("y'")`, a name the parser never makes). Each term t of
either side is differentiated by the engine twice, holding the other letter constant:
d/dx[t] = ∂t/∂x + ∂t/∂y · dy/dx (for y^2 that is the chain rule 2y dy/dx, for x y the product
rule y + x dy/dx). The differentiated equation is linear in P: A + B P = 0, so
dy/dx = -A/B, simplified. The second derivative differentiates dy/dx = G(x, y) the same way,
substitutes dy/dx = G, simplifies, and uses the equation where a textbook would (x^2 + y^2 = 25
turns -(y^2 + x^2)/y^3 into -25/y^3): a sum in the answer that is a constant multiple of the
equation's non-constant part, plus a constant, is replaced by its value on the curve.

Decisions a caller must know:
- The equation is split on its one top-level `=` (zero or several: TutorError).
- Letters other than x and y are constants (x^2/a^2 + y^2/b^2 = 1); at a point they need values.
- At a point the point must be on the curve (exactly; within 1e-9 for floats), else an error
  that shows both sides there; a dy/dx coefficient B that vanishes there is a vertical tangent
  (or, when A vanishes too, a singular point): an error that says so.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING
from fractions import Fraction

from ..errors import DomainError, TutorError, VariableError
from ..expr import (Expr, Sym, add, free_symbols, neg, replace)
from .implicit_working import (MAX_TERMS, Line, d2ydx2_symbol, dydx_symbol,
                               first_order, second_order, total_derivative)

if TYPE_CHECKING:
    from .lines import Tangent

__all__ = ["Line", "Implicit", "implicit", "split_equation", "dydx_symbol", "d2ydx2_symbol",
           "total_derivative", "on_curve", "implicit_tangent", "same_on_curve", "MAX_TERMS"]

@dataclass(frozen=True)
class Implicit:
    input: str | None
    lhs: Expr
    rhs: Expr
    dep: str
    var: str
    prime: bool                  # write y' rather than dy/dx
    lines: tuple                 # Line, ... ending dy/dx = answer
    answer: Expr                 # dy/dx in x and y
    order: int = 1
    second_lines: tuple = ()     # Line, ... ending d²y/dx² = second
    second: Expr | None = None
    point: tuple | None = None   # ((name, Expr), ...)
    at: object | None = None     # tangent.Tangent at the point (slope, line)

    @property
    def equation(self) -> tuple[Expr, Expr]:
        return (self.lhs, self.rhs)

    @property
    def dydx(self) -> Sym:
        """The symbol standing for dy/dx in the lines (renderers write it as chosen)."""
        return dydx_symbol(self.dep)

    @property
    def d2ydx2(self) -> Sym:
        return d2ydx2_symbol(self.dep)

    @property
    def final(self) -> Expr:
        """The highest derivative asked for."""
        return self.second if self.order == 2 else self.answer

    def to_text(self, detail: str = "normal") -> str:
        from ..render.routes_implicit import render_text
        return render_text(self, detail)

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from ..render.routes_implicit import render_latex
        return render_latex(self, detail, standalone)

    def to_markdown(self, detail: str = "normal") -> str:
        from ..render.routes_implicit import render_markdown
        return render_markdown(self, detail)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self, detail: str = "full") -> dict:
        from ..render.routes_implicit import render_dict
        return render_dict(self, detail)

    def to_json(self, indent: int | None = 2) -> str:
        import json
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def _repr_latex_(self) -> str:
        return self.to_latex()

    def __str__(self) -> str:
        return self.to_text()


# ---------------------------------------------------------------- reading the equation

def split_equation(text: str) -> tuple[str, str]:
    """The two sides of `lhs = rhs` (one `=` outside brackets; `<=`/`>=` are not equals)."""
    if not isinstance(text, str):
        raise TutorError("an equation is text like \"x^2 + y^2 = 25\"", code="equation")
    depth, cuts = 0, []
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "=" and depth == 0:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before in "<>!=" and before or after == "=":
                raise TutorError(f"'{before}{ch}{after}' at column {i}: an equation has one plain '='",
                                 code="equation", hint="write it like x^2 + y^2 = 25")
            cuts.append(i)
    if not cuts:
        raise TutorError(f"'{text.strip()}' is not an equation: it has no '='", code="equation",
                         hint="write both sides, e.g. x^2 + y^2 = 25 (or x y - 1 = 0)")
    if len(cuts) > 1:
        cols = ", ".join(str(c + 1) for c in cuts)
        raise TutorError(f"the equation has {len(cuts)} '=' signs (columns {cols}): give one",
                         code="equation", hint="e.g. x^2 + y^2 = 25")
    left, right = text[:cuts[0]], text[cuts[0] + 1:]
    for side, name in ((left, "left"), (right, "right")):
        if not side.strip():
            raise TutorError(f"the {name} side of the equation is empty", code="equation",
                             hint="e.g. x^2 + y^2 = 25")
    return left, right


def _read(equation, input: str) -> tuple[str | None, Expr, Expr]:
    from ..errors import ParseError
    from ..language import parse
    if isinstance(equation, tuple) and len(equation) == 2:
        sides = [parse(s, input) if isinstance(s, str) else s for s in equation]
        return None, sides[0], sides[1]
    left, right = split_equation(equation)
    out = []
    for side, name, offset in ((left, "left", 0), (right, "right", len(left) + 1)):
        try:
            out.append(parse(side, input))
        except ParseError as exc:  # point at the column in the whole equation
            raise ParseError(f"{exc.message} (in the {name} side)", text=equation,
                             line=exc.line, column=exc.column + offset if exc.line == 1 else exc.column,
                             hint=exc.hint, code=exc.code) from None
    return equation, out[0], out[1]


# ---------------------------------------------------------------- points

def on_curve(lhs: Expr, rhs: Expr, pairs) -> tuple[bool, object, object]:
    """Whether the point satisfies lhs = rhs (exactly; floats within 1e-9), and both values."""
    from ..evaluation import evaluate
    mapping = {Sym(n): v for n, v in pairs}
    try:
        lv = evaluate(replace(lhs, mapping), {})
        rv = evaluate(replace(rhs, mapping), {})
    except DomainError as exc:
        raise DomainError(f"the equation is undefined at {_where(pairs)}: {exc.message}",
                          code="domain") from None
    if isinstance(lv, Fraction) and isinstance(rv, Fraction):
        return lv == rv, lv, rv
    return abs(float(lv) - float(rv)) <= 1e-9 * max(1.0, abs(float(lv)), abs(float(rv))), lv, rv


def _where(pairs) -> str:
    from ..render.common import point_text
    return point_text(pairs)


# ---------------------------------------------------------------- public

def implicit(equation, dep: str = "y", var: str = "x", at=None, order: int = 1, *,
             prime: bool = False, input: str = "auto") -> Implicit:
    """dy/dx (order 2: also d²y/dx²) of an equation in x and y, worked; at a point also the
    slope and the tangent line (`at` is "x=3,y=4" or a mapping)."""
    from .. import _deep
    return _deep.run_deep(_implicit, equation, dep, var, at, order, prime, input)


def _check_name(name, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise VariableError(f"the {what} must be a name like x or y, not {name!r}")
    name = name.strip()
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise VariableError(f"'{name}' is not a variable name (the {what})")
    return name


def _implicit(equation, dep, var, at, order, prime, input) -> Implicit:
    dep, var = _check_name(dep, "dependent variable"), _check_name(var, "variable")
    if dep == var:
        raise VariableError(f"the dependent variable and the variable are both {dep}",
                            hint="e.g. --dep y --var x")
    if order not in (1, 2):
        raise TutorError(f"implicit differentiation goes to order 1 or 2, not {order!r}", code="order")
    text, lhs, rhs = _read(equation, input)
    names = free_symbols(lhs) + free_symbols(rhs)
    if dep not in names:
        others = [n for n in dict.fromkeys(names) if n != var]
        hint = f"name the dependent variable, e.g. --dep {others[0]}" if others else None
        raise VariableError(f"the equation has no {dep}: there is no {dep} = {dep}({var}) to "
                            f"differentiate", hint=hint)
    p, pp = dydx_symbol(dep), d2ydx2_symbol(dep)
    lines, answer = first_order(lhs, rhs, dep, var, p)
    second_lines, second = ((), None)
    if order == 2:
        sl, second = second_order(answer, lhs, rhs, dep, var, p, pp)
        second_lines = tuple(sl)
    record = Implicit(text, lhs, rhs, dep, var, prime, tuple(lines), answer, order,
                      second_lines, second)
    if at is None or at == {} or at == "":
        return record
    from .points import normalise_point, parse_point
    point = parse_point(at) if isinstance(at, str) else dict(at)
    needed = tuple(dict.fromkeys((var, dep) + tuple(n for n in names if n not in (var, dep))))
    pairs, _ = normalise_point(point, needed)
    ok, lv, rv = on_curve(lhs, rhs, pairs)
    if not ok:
        from ..evaluation import format_value
        from ..printing import to_text
        raise TutorError(f"the point {_where(pairs)} is not on the curve {to_text(lhs)} = "
                         f"{to_text(rhs)}: there the left side is {format_value(lv)} and the right "
                         f"side is {format_value(rv)}", code="off_curve",
                         hint=f"choose {dep} so that the equation holds at {var} = "
                              f"{to_text(dict(pairs)[var])}")
    return Implicit(text, lhs, rhs, dep, var, prime, tuple(lines), answer, order,
                    second_lines, second, pairs, implicit_tangent(record, pairs))


# ---------------------------------------------------------------- the tangent at a point

def implicit_tangent(rec, pairs) -> Tangent:
    """The tangent at a point of the curve of an `Implicit` record (the point is on it)."""
    from ..evaluation import evaluate
    from .lines import Tangent, exact_value, tangent_line
    x, y = rec.var, rec.dep
    mapping = {Sym(n): v for n, v in pairs}
    a, b = mapping[Sym(x)], mapping[Sym(y)]
    # the coefficient of dy/dx and the rest, at the point: A + B dy/dx = 0
    lhs_a, lhs_b = total_derivative(add(rec.lhs, neg(rec.rhs)), y, x)
    va = evaluate(replace(lhs_a, mapping), {})
    vb = evaluate(replace(lhs_b, mapping), {})
    where = _where(pairs)
    substituted = replace(rec.answer, mapping)
    steps = [(rec.answer, "derivative"), (substituted, f"substitute {where}")]
    if _is_zero(vb):
        if _is_zero(va):
            raise DomainError(f"at {where} both parts of d{y}/d{x} = {_text(rec.answer)} vanish "
                              f"(0/0): a singular point of the curve, with no single tangent line",
                              code="singular")
        line = tangent_line("tangent", None, a, b, Sym(x))
        steps = [(rec.answer, "derivative"),
                 (Sym("undefined"), f"the coefficient of d{y}/d{x} is 0 at {where}, so the "
                                    f"tangent is vertical")]
        return Tangent(rec.input, None, x, y, ((x, a), (y, b)), (), tuple(steps), None, line,
                       solution=rec, implicit=True)
    slope = exact_value(substituted)
    if slope != substituted:
        steps.append((slope, "arithmetic"))
    line = tangent_line("tangent", slope, a, b, Sym(x))
    return Tangent(rec.input, None, x, y, ((x, a), (y, b)), (), tuple(steps), slope, line,
                   solution=rec, implicit=True)


def _is_zero(v) -> bool:
    return v == 0 if isinstance(v, Fraction) else abs(float(v)) < 1e-12


def _text(e: Expr) -> str:
    from ..printing import to_text
    return to_text(e)



# ---------------------------------------------------------------- checking (for the grader)

def same_on_curve(answer, reference, equation, dep: str = "y", var: str = "x",
                  points: int = 8, seed: int = 0) -> bool | None:
    """Whether `answer` and `reference` (expressions in x and y, e.g. a student's dy/dx and
    ours) agree at points of the curve `equation`: True, False, or None when no point of the
    curve could be found. Points: for sampled x, y is found by bisection on sign changes
    of lhs - rhs along a grid (floats; agreement within 1e-7 relative)."""
    from ..evaluation import evaluate_float
    from ..language import parse
    _, lhs, rhs = _read(equation, "auto")
    a = parse(answer) if isinstance(answer, str) else answer
    r = parse(reference) if isinstance(reference, str) else reference
    f = add(lhs, neg(rhs))
    rng = random.Random(seed)

    def F(xv, yv):
        try:
            v = evaluate_float(f, {var: xv, dep: yv})
            return v if v == v else None
        except (TutorError, ZeroDivisionError, OverflowError, ValueError):
            return None
    found = checked = 0
    for _ in range(points * 6):
        if checked >= points:
            break
        xv = rng.uniform(-4, 4)
        grid = [-6 + 12 * i / 48 for i in range(49)]
        vals = [F(xv, g) for g in grid]
        for (g0, v0), (g1, v1) in zip(zip(grid, vals), zip(grid[1:], vals[1:])):
            if v0 is None or v1 is None or (v0 > 0) == (v1 > 0):
                continue
            lo, hi, flo = g0, g1, v0
            for _ in range(60):
                mid = (lo + hi) / 2
                fm = F(xv, mid)
                if fm is None:
                    break
                if (fm > 0) == (flo > 0):
                    lo, flo = mid, fm
                else:
                    hi = mid
            yv = (lo + hi) / 2
            fv = F(xv, yv)
            if fv is None or abs(fv) > 1e-8:
                continue
            found += 1
            try:
                va = evaluate_float(a, {var: xv, dep: yv})
                vr = evaluate_float(r, {var: xv, dep: yv})
            except (TutorError, ZeroDivisionError, OverflowError, ValueError):
                continue
            if abs(vr) > 1e8:
                continue
            checked += 1
            if abs(va - vr) > 1e-7 * max(1.0, abs(vr)):
                return False
            break
    return True if checked else None
