"""Tangent and normal lines: f(a) and f'(a) worked, then y = f(a) + f'(a)(x - a) in
slope-intercept form, exact values kept (`y = -w/32 + 3/16`).

Why a route of its own: "find the tangent line at x = a" is the exercise that follows every
derivative in the courses (APEX gives the point-slope form, then slope-intercept). `tangent(f,
at="x=a")` returns a `Tangent` record: the function value and the slope as the at-point route
works them (`Solution.at`), the tangent line and, with `normal=True`, the normal line.
An equation (`x^2 + y^2 = 25`, with `at="x=3,y=4"`) goes through the implicit route and its
dy/dx. `tutor.render.routes_tangent` writes the record as text, LaTeX, Markdown and JSON.

Decisions a caller must know:
- The line's left side is y (z when the function's variable is y); it is written with the
  function's own variable: the tangent of 1/w^2 at w = 4 is y = -w/32 + 3/16.
- Exact values stay exact: a rational slope and intercept print as fractions, an irrational
  one as its exact form (cos(1)), simplified.
- A point outside the function's domain is the at-point route's DomainError. A derivative
  undefined where the function is defined: when |f'| grows without bound on both sides the
  tangent is vertical, x = a, and the record says so (its normal is horizontal); otherwise
  (a corner, a cusp with different sides) a DomainError says there is no tangent line.
- The normal line has slope -1/f'(a); a horizontal tangent (f'(a) = 0) has the vertical
  normal x = a.
"""
from __future__ import annotations

from fractions import Fraction

from ..errors import DomainError, TutorError
from ..expr import Expr, Sym, free_symbols, replace
from .lines import Line, Tangent, exact_value, normal_of, slope_intercept, tangent_line

__all__ = ["Line", "Tangent", "tangent", "tangent_line", "slope_intercept", "normal_of", "same_line"]


def _line_name(var: str) -> str:
    return "z" if var == "y" else "y"


# ---------------------------------------------------------------- explicit functions

def _vertical(solution, var: str, a: Expr) -> bool:
    """|f'| large and growing on both sides of a (floats, a handful of evaluations)."""
    from ..evaluation import evaluate, evaluate_float
    try:
        av = float(evaluate(a, {}))
    except TutorError:
        return False
    verdicts = []
    for side in (1, -1):  # a side may be outside the domain (sqrt at 0), not bounded
        vals = []
        for h in (1e-4, 1e-7):
            try:
                vals.append(abs(evaluate_float(solution.answer, {var: av + side * h})))
            except (TutorError, ZeroDivisionError, OverflowError, ValueError):
                vals = None
                break
        verdicts.append(None if vals is None else (vals[1] > 10 * vals[0] and vals[1] > 1e3))
    return True in verdicts and False not in verdicts


def tangent(f, at=None, normal: bool = False, var: str | None = None, *,
            dep: str = "y", input: str = "auto") -> Tangent:
    """The tangent line (and the normal) of y = f(x) at x = a, or of a curve given by an
    equation (`"x^2 + y^2 = 25"`, at `"x=3,y=4"`)."""
    from .. import _deep
    return _deep.run_deep(_tangent, f, at, normal, var, dep, input)


def _tangent(f, at, normal, var, dep, input) -> Tangent:
    if at is None or at == "" or at == {}:
        raise TutorError("a tangent line needs a point, e.g. x=2",
                         code="point")
    if isinstance(f, str) and _has_equals(f):
        from .implicit import implicit
        rec = implicit(f, dep=dep, var=var or "x", at=at, input=input)
        t = rec.at
        return t if not normal else _with_normal(t)
    from ..solve import differentiate
    from .points import parse_point
    sol = differentiate(f, var, input=input)
    x = sol.var
    point = parse_point(at) if isinstance(at, str) else dict(at)
    try:
        a_pt = sol.at(point)
    except DomainError as exc:
        if "derivative" not in exc.message or "function" in exc.message.split(":")[0]:
            raise
        pairs = _pairs(point, sol)
        a = dict(pairs)[x]
        fa = exact_value(replace(sol.function, {Sym(n): v for n, v in pairs}))
        if _vertical(sol, x, a):
            name = _line_name(x)
            line = tangent_line("tangent", None, a, fa, Sym(x))
            steps = ((replace(sol.function, {Sym(n): v for n, v in pairs}), f"substitute {_where(pairs)}"),
                     (fa, "value"))
            t = Tangent(sol.input, sol.function, x, name, ((x, a), (name, fa)), steps,
                        ((sol.answer, "derivative"), (Sym("undefined"), exc.message)), None, line,
                        solution=sol)
            return _with_normal(t) if normal else t
        raise DomainError(f"{exc.message}: the graph has no tangent line there (a corner or a "
                          f"cusp, not a vertical tangent)", code="no_tangent") from None
    pairs = a_pt.point
    a = dict(pairs)[x]
    others = [n for n, _ in pairs if n != x]
    if others:
        raise TutorError(f"a tangent line is for a function of one variable; this one also has "
                         f"{', '.join(others)}", code="variables", hint="use tutor grad for several")
    substituted = replace(sol.function, {Sym(n): v for n, v in pairs})
    fa = exact_value(substituted)
    value_steps = ((substituted, f"substitute {_where(pairs)}"),) + \
        (((fa, "arithmetic"),) if fa != substituted else ())
    slope = a_pt.exact if a_pt.exact is not None else exact_value(a_pt.steps[-1].expr)
    slope = exact_value(slope)
    slope_steps = tuple((s.expr, s.note or s.kind) for s in a_pt.steps)
    name = _line_name(x)
    line = tangent_line("tangent", slope, a, fa, Sym(x))
    t = Tangent(sol.input, sol.function, x, name, ((x, a), (name, fa)), value_steps, slope_steps,
                slope, line, solution=sol)
    return _with_normal(t) if normal else t


def _with_normal(t: Tangent) -> Tangent:
    (x, a), (_, b) = t.point
    from dataclasses import replace as dc_replace
    return dc_replace(t, normal=normal_of(t.slope, a, b, Sym(x)))


def _pairs(point: dict, sol):
    from .points import normalise_point
    needed = tuple(dict.fromkeys(free_symbols(sol.function) + tuple(sol.variables)))
    pairs, _ = normalise_point(point, needed)
    return pairs


def _where(pairs) -> str:
    from ..render.common import point_text
    return point_text(pairs)


def _has_equals(text: str) -> bool:
    return any(ch == "=" and (i == 0 or text[i - 1] not in "<>") for i, ch in enumerate(text))


# ---------------------------------------------------------------- checking (for the grader)

def same_line(answer, t: Tangent, which: str = "tangent") -> bool:
    """Whether a student's line (`y = ...` text, an `x = a` text, or the right side as a tree)
    is the record's tangent (or normal) line: the same values at three points, exactly."""
    from ..evaluation import evaluate
    from ..language import parse
    line = t.tangent if which == "tangent" else t.normal
    if line is None:
        raise TutorError("the record has no normal line: ask for it with normal=True", code="usage")
    x, name = t.var, t.dep
    if isinstance(answer, str):
        if "=" in answer:
            from .implicit import split_equation
            left, right = split_equation(answer)
            lhs, rhs = parse(left), parse(right)
        else:
            lhs, rhs = Sym(name), parse(answer)
    else:
        lhs, rhs = Sym(name), answer
    if line.vertical:
        return lhs == Sym(x) and not free_symbols(rhs) and evaluate(rhs, {}) == evaluate(line.rhs, {})
    if lhs != Sym(name):
        if rhs == Sym(name):
            lhs, rhs = rhs, lhs
        else:
            return False
    if set(free_symbols(rhs)) - {x}:
        return False
    for xv in (Fraction(-3, 7), Fraction(2), Fraction(11, 3)):
        try:
            mine = evaluate(line.rhs, {x: xv})
            theirs = evaluate(rhs, {x: xv})
        except TutorError:
            return False
        if isinstance(mine, Fraction) and isinstance(theirs, Fraction):
            if mine != theirs:
                return False
        elif abs(float(mine) - float(theirs)) > 1e-9 * max(1.0, abs(float(mine))):
            return False
    return True
