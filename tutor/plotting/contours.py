"""Pictures of f(x, y) (seeds 002, 003) and of gradient descent (seeds 000, 002, 004).

`plot_contours(f, vars, at=, direction=, descent=, range=, levels=)`: level curves of f
(marching squares on an 81 x 81 grid, `marching`), and at a point the gradient arrow and the
direction of a directional derivative, their values from the gradient route
(`tutor.routes.multivar.gradient`: exact, as `tutor grad` prints them). The level through the
point is always drawn, and one unit is as long on both axes, so the gradient is seen to be
perpendicular to its level curve. `plot_descent(J, var, start=, rate=, steps=)`: the iterates
of `tutor.routes.descent.descend` as a path, over the level curves of J (two variables) or
on the graph of J (one variable).

Decisions a caller must know:
- The arrows are drawn to a fixed share of the window (a fifth of its side), pointing the
  true way; the legend gives the true vectors. A zero gradient is marked as stationary.
- The window, when not given: a square around the origin, the point and the iterates,
  padded by 30% (at least 1.5). `range` is one pair for both axes or a pair of pairs.
- Levels: `levels` values, or a count (default 10) spread over the quantiles of f on the grid.
- A descent path is drawn while its iterates stay within three windows of the picture: a
  diverging run is seen leaving, not stretched across the page.
"""
from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from ..errors import TutorError, VariableError
from ..expr import Expr, size
from . import marching
from .common import (CONTOUR_COLOR, DIR_COLOR, GRAD_COLOR, PATH_COLOR, THROUGH_COLOR, compiled,
                     check_size, expr_label, num_label, on_big_stack, read_range, var_label)
from .figure import Arrow, Curve, Figure, Label, Marker

__all__ = ["plot_contours", "plot_descent", "GRID", "MAX_LEVELS"]

GRID = 80
MAX_LEVELS = 40


def plot_contours(expr: str | Expr, vars=None, *, at=None, direction=None, descent=None,
                  range=None, levels=None) -> Figure:
    """Level curves of f(x, y), the gradient arrow at `at`, the direction `direction`, and
    a descent path (a Descent record, or descend()'s keywords as a dict)."""
    return on_big_stack(expr, _plot_contours, expr, vars, at, direction, descent, range, levels)


def _plot_contours(expr, vars, at, direction, descent, range, levels) -> Figure:
    from ..solve import pick_variables, to_expr
    _, e = to_expr(expr)
    names = pick_variables(e, vars)
    if len(names) != 2:
        raise VariableError(f"level curves are of a function of two variables; this one has "
                            f"{len(names)} ({', '.join(names) or 'none'})", code="variables",
                            hint="tutor.plot (tutor plot EXPR) draws a function of one variable")
    if direction is not None and at is None:
        raise TutorError("a direction needs a point too, e.g. x=1,y=2", code="point")
    grad = None
    if at is not None:
        from ..routes.multivar import gradient
        grad = gradient(e, names, at, direction)
    if descent is not None and not hasattr(descent, "iterations"):
        from ..routes.descent import descend
        descent = descend(e, list(names), **dict(descent))
    return _figure(e, names, grad, descent, range, levels)


def plot_descent(expr: str | Expr, var=None, *, start=0, rate=0.1, steps: int = 10, tol=1e-10,
                 range=None, at=None, direction=None, levels=None) -> Figure:
    """The iterates of gradient descent on J: over J's level curves (two variables) or on
    its graph (one)."""
    return on_big_stack(expr, _plot_descent, expr, var, start, rate, steps, tol, range, at,
                        direction, levels)


def _plot_descent(expr, var, start, rate, steps, tol, range, at, direction, levels) -> Figure:
    from ..routes.descent import descend
    d = descend(expr, var, start, rate, steps, tol)
    if len(d.variables) == 2:
        return plot_contours(d.function, d.variables, at=at, direction=direction, descent=d,
                             range=range, levels=levels)
    if len(d.variables) != 1:
        raise VariableError(f"a picture of descent needs one or two variables, not "
                            f"{len(d.variables)}", code="variables")
    if at is not None or direction is not None:
        raise TutorError("at= and direction= are for two variables", code="point")
    return _descent_graph(d, range)


# ---------------------------------------------------------------- two variables

def _figure(e, names, grad, descent, rng, levels) -> Figure:
    pts = [(0.0, 0.0)]
    at = None
    if grad is not None:
        at = tuple(float(_value(v)) for _, v in grad.point)
        pts.append(at)
    path = _path(descent)
    pts.extend(path[:60])
    (x0, x1), (y0, y1) = _window(pts, rng)
    if at is not None and rng is None:  # room for the arrows (a fifth of the side) round the point
        for _ in range(2):
            m = 0.3 * (x1 - x0)
            (x0, x1), (y0, y1) = _window(pts + [(at[0] - m, at[1] - m), (at[0] + m, at[1] + m)], None, 1.0)
    check_size(size(e), "f")
    f = compiled(e, names)
    xs = [x0 + (x1 - x0) * i / GRID for i in range(GRID + 1)]
    ys = [y0 + (y1 - y0) * j / GRID for j in range(GRID + 1)]
    values = [[f(x, y) for x in xs] for y in ys]
    through = f(*at) if at else None
    lv = _levels(values, levels, through)
    xl, yl = var_label(names[0]), var_label(names[1])
    fname = Label(f"f({xl.text}, {yl.text})", f"f({xl.tex}, {yl.tex})")
    if descent is not None:
        fname = Label(f"J({xl.text}, {yl.text})", f"J({xl.tex}, {yl.tex})")
    curves, first = [], True
    for c in lv:
        pieces = tuple(marching.contour(values, xs, ys, c))
        if not pieces:
            continue
        if c == through:   # the level curve through the point: the gradient is perpendicular to it
            v = num_label(_exact_level(grad, e, through))
            curves.append(Curve("contour", Label(f"level curve through the point: {fname.text} = {v.text}",
                                                 f"level curve through the point: ${fname.tex} = {v.tex}$"),
                                pieces, THROUGH_COLOR, "solid", 1.4))
            continue
        label = Label(f"level curves {fname.text} = c", f"level curves ${fname.tex} = c$") if first else None
        first = False
        curves.append(Curve("contour", label, pieces, CONTOUR_COLOR, "solid", 0.9))
    arrows, markers = [], []
    side = min(x1 - x0, y1 - y0)
    if grad is not None:
        _arrows(grad, at, side, fname, arrows, markers)
    if descent is not None:
        _descent_curve(descent, path, (x0, x1, y0, y1), curves, markers)
    body = expr_label(e)
    title = (f"gradient descent on {fname.text} = {body.text}" if descent is not None
             else f"level curves of {fname.text} = {body.text}")
    title_tex = (f"gradient descent on ${fname.tex} = {body.tex}$" if descent is not None
                 else f"level curves of ${fname.tex} = {body.tex}$")
    return Figure(Label(title, title_tex), xl, yl, (x0, x1), (y0, y1), tuple(curves), (),
                  tuple(arrows), tuple(markers), (), equal_aspect=True)


def _value(v: Expr):
    from ..evaluation import evaluate
    return evaluate(v, {})


def _window(pts, rng, grow: float = 1.5) -> tuple:
    if rng is not None:
        if isinstance(rng, str) or (len(rng) == 2 and not isinstance(rng[0], (tuple, list, str))):
            r = read_range(rng)
            return r, r
        if len(rng) != 2:
            raise TutorError("range is lo,hi (both axes) or ((xlo, xhi), (ylo, yhi))", code="range")
        return read_range(rng[0], "the x range"), read_range(rng[1], "the y range")
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2
    half = max(2.0, half * grow, half + 1.0) if grow > 1 else max(half, 2.0)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return (cx - half, cx + half), (cy - half, cy + half)


def _levels(values, levels, through) -> list[float]:
    finite = sorted(v for row in values for v in row if v == v)
    if not finite:
        raise TutorError("f is undefined everywhere in the window: nothing to draw",
                         code="domain", hint="choose another --range")
    if levels is None or isinstance(levels, int) and not isinstance(levels, bool):
        n = 10 if levels is None else levels
        if not 1 <= n <= MAX_LEVELS:
            raise TutorError(f"levels must be a count from 1 to {MAX_LEVELS}", code="levels")
        out = [finite[int((k + 0.5) / n * (len(finite) - 1))] for k in range(n)]
        out = [float(f"{v:.3g}") for v in out]
    else:
        out = [float(v) for v in levels][:MAX_LEVELS]
    if through is not None and through == through:
        gaps = sorted(b - a for a, b in zip(out, out[1:]) if b > a)
        near = 0.35 * gaps[len(gaps) // 2] if gaps else 0.0
        out = [c for c in out if abs(c - through) > near] + [through]   # no near-double line
    return sorted(set(out))


def _exact_level(grad, e, through):
    """f at the point, exactly when it can be (13, not 13.000000000000002)."""
    from ..evaluation import evaluate
    try:
        return evaluate(e, {n: _value(v) for n, v in grad.point})
    except TutorError:
        return through


def _pair(values) -> Label:
    labels = [num_label(v) for v in values]
    return Label("(" + ", ".join(l.text for l in labels) + ")",
                 "(" + ", ".join(l.tex for l in labels) + ")")


def _arrows(grad, at, side, fname, arrows, markers) -> None:
    point = _pair([_value(v) for _, v in grad.point])
    g = [a.value for a in grad.values]
    gf = [float(v) for v in g]
    length = math.hypot(*gf)
    markers.append(Marker(at[0], at[1], Label(point.text, f"${point.tex}$"), GRAD_COLOR))
    nabla = Label(f"∇{fname.text[0]}{point.text}", f"\\nabla {fname.tex[0]}{point.tex}")
    vec = _pair(g)
    if length == 0:
        markers[-1] = Marker(at[0], at[1], Label(f"{point.text}: ∇f = 0 (stationary)",
                                                 f"${point.tex}$: $\\nabla f = 0$"), GRAD_COLOR)
    else:
        k = 0.2 * side / length
        arrows.append(Arrow(at[0], at[1], gf[0] * k, gf[1] * k,
                            Label(f"gradient {nabla.text} = {vec.text}", f"gradient ${nabla.tex} = {vec.tex}$"),
                            GRAD_COLOR))
    d = grad.direction
    if d is not None:
        u = [float(_value(c)) for c in d.unit]
        ul = [expr_label(c) for c in d.unit]
        exact, dec = grad.directional_value
        dv = num_label(dec) if exact is None else expr_label(exact)
        approx = "" if exact is None or isinstance(_value(exact), Fraction) else f" ≈ {dec:.4g}"
        approx_tex = approx.replace("≈", "\\approx")
        label = Label(f"direction u = ({', '.join(l.text for l in ul)}): D_u {fname.text[0]} = {dv.text}{approx}",
                      f"direction $u = ({', '.join(l.tex for l in ul)})$: "
                      f"$D_u {fname.tex[0]} = {dv.tex}{approx_tex}$")
        arrows.append(Arrow(at[0], at[1], u[0] * 0.2 * side, u[1] * 0.2 * side, label, DIR_COLOR))


# ---------------------------------------------------------------- descent

def _path(descent) -> list[tuple[float, float]]:
    if descent is None:
        return []
    out = [tuple(float(v) for v in it.w) for it in descent.iterations]
    last = descent.iterations[-1]
    if last.new is not None:
        out.append(tuple(float(v) for v in last.new))
    return out


def _descent_label(d, n: int) -> Label:
    alpha = num_label(d.rate)
    final = _pair([float(f"{round(v, 4):.4g}") + 0.0 for v in d.final])
    return Label(f"gradient descent, α = {alpha.text}: {n} iterates → {final.text}",
                 f"gradient descent, $\\alpha = {alpha.tex}$: {n} iterates, last ${final.tex}$")


def _descent_curve(d, path, box, curves, markers) -> None:
    x0, x1, y0, y1 = box
    w, h = x1 - x0, y1 - y0
    kept = []
    for p in path:
        if not (x0 - w <= p[0] <= x1 + w and y0 - h <= p[1] <= y1 + h):
            break
        kept.append(p)
    if len(kept) >= 2:
        curves.append(Curve("path", _descent_label(d, len(path)), (tuple(kept),), PATH_COLOR,
                            "solid", 1.3, marks=True))
    if kept:
        markers.append(Marker(kept[0][0], kept[0][1], Label("start", "start"), PATH_COLOR))


def _descent_graph(d, rng) -> Figure:
    from .curves import graph
    ws = [p[0] for p in _path(d)]
    Jf = compiled(d.function, d.variables)
    path = [(w, Jf(w)) for w in ws if abs(w) < 1e6]
    path = [p for p in path if p[1] == p[1]]
    if rng is None and path:
        lo, hi = min(p[0] for p in path), max(p[0] for p in path)
        pad = max(1.0, 0.25 * (hi - lo))
        rng = (lo - pad, hi + pad)
    fig = graph(d.function, d.variables[0], d.solutions[0], read_range(rng) if rng else None,
                must=path)
    xl = fig.xlabel
    curve = Curve("path", _descent_label(d, len(path)), (tuple(path),), PATH_COLOR, "solid", 1.2,
                  marks=True)
    start = Marker(path[0][0], path[0][1], Label("start", "start"), PATH_COLOR) if path else None
    body = expr_label(d.function)
    title = Label(f"gradient descent on J({xl.text}) = {body.text}",
                  f"gradient descent on $J({xl.tex}) = {body.tex}$")
    f_curve = replace(fig.curves[0], label=Label(f"J({xl.text}) = {body.text}", f"$J({xl.tex}) = {body.tex}$"))
    return replace(fig, title=title, curves=(f_curve,) + fig.curves[1:] + (curve,),
                   markers=fig.markers + ((start,) if start else ()))
