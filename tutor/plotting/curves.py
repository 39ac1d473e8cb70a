"""`plot(f)`: the graph of a function of one variable, as seed 002 draws it.

f and f' on one figure; where f' > 0 the strip is shaded "increasing", where f' < 0
"decreasing"; the tangent at a with its exact equation in the legend (the tangent route's
line, `y = -x + 2`); secants through (a, f(a)) and (a + h, f(a + h)), light to dark as h
shrinks, turning into the tangent ("visualising h getting small").

Decisions a caller must know:
- f' is the worked solution's answer (`differentiate`), evaluated by the project's evaluator;
  nothing is differentiated numerically.
- The x range, when not given: the zeros of f, the zeros and sign changes of f' (extrema,
  poles) and the domain edges found on [-10, 10], the five nearest the centre (the tangent
  point, else 0), padded by a quarter of their span (at least 1); the tangent and secant
  points are always inside. The y range: the 3%..97% quantiles of the values, widened to show
  the tangent point and the extrema, so a pole never flattens the picture.
- Curves are drawn in segments (`sampling`): none crosses a pole or a jump, none enters a
  stretch where f is undefined, and each is cut where it leaves the window.
"""
from __future__ import annotations

from fractions import Fraction

from ..errors import DomainError, TutorError, VariableError
from ..expr import Expr, free_symbols, size
from . import sampling as S
from .common import (D_COLOR, DEC_COLOR, F_COLOR, INC_COLOR, TANGENT_COLOR, compiled,
                     check_size, expr_label, num_label, on_big_stack, read_range, read_value, secant_colors,
                     var_label)
from .figure import Band, Curve, Figure, Label, Marker

__all__ = ["plot", "graph", "MAX_SECANTS"]

MAX_SECANTS = 8


def plot(expr: str | Expr, var: str | None = None, *, range=None, derivative: bool = False,
         tangent_at=None, secants_at=None, h=(1, 0.5, 0.1)) -> Figure:
    """The figure of f (and f', the tangent at a, secants at a for each h); see the module."""
    return on_big_stack(expr, _plot, expr, var, range, derivative, tangent_at, secants_at, h)


def _plot(expr, var, range, derivative, tangent_at, secants_at, h) -> Figure:
    from ..solve import differentiate, to_expr
    _, e = to_expr(expr)
    x = _variable(e, var)
    sol = differentiate(e, x)
    a_t = None if tangent_at is None else _point_value(tangent_at, x, "the tangent point")
    a_s = None if secants_at is None else _point_value(secants_at, x, "the secant point")
    hs = _read_h(h) if a_s is not None else ()
    if a_s is not None and a_t is None:
        a_t = a_s  # the secants converge on this tangent: draw it too
    return graph(e, x, sol, read_range(range), derivative, a_t, a_s, hs)


def graph(e: Expr, x: str, sol, rng, derivative=False, a_t=None, a_s=None, hs=(),
          must=()) -> Figure:
    """The figure, from values already read (`plot` reads them); `must` are (x, y) points
    the window must show (the descent route's iterates)."""
    f, df = compiled(e, (x,)), compiled(sol.answer, (x,))
    needed = [float(p) for p in (a_t, a_s) if p is not None] + [float(a_s + s) for s in hs]
    needed += [p[0] for p in must]
    nodes = size(e) + size(sol.answer)
    check_size(nodes, "f with its derivative")
    scan, budget = S.effort(nodes)
    lo, hi = rng or _auto_x(f, df, needed, float(a_t) if a_t is not None else 0.0, scan)
    for p in needed:
        if not lo <= p <= hi:
            raise TutorError(f"the point {x} = {p:g} is outside the range {lo:g},{hi:g}",
                             code="range", hint="widen --range, or leave it out to choose one")
    # the window: from the values away from the cuts (poles, jumps, domain edges) of f, and
    # of f' when it is drawn, so a pole's huge values do not decide the scale
    segs = S.sample(f, lo, hi, budget=budget)
    dsegs = S.sample(df, lo, hi, budget=budget) if derivative else ()
    cuts = _cuts(segs, lo, hi) + _cuts(dsegs, lo, hi)
    xs = [t for t in S.grid(lo, hi, 400) if all(abs(t - c) > 0.04 * (hi - lo) for c in cuts)]
    xs = xs or S.grid(lo, hi, 400)
    values = [f(t) for t in xs] + ([df(t) for t in xs] if derivative else [])
    shown = [f(p) for p in needed] + [f(p) for p in _critical(df, lo, hi, min(400, scan))]
    shown += _edges(segs, lo, hi)
    ylo, yhi = S.y_window(values, _sane(shown, values) + [p[1] for p in must])
    if not segs:
        raise DomainError(f"f is undefined everywhere on {lo:g} <= {x} <= {hi:g}: nothing to draw",
                          code="domain", hint="choose another --range")
    xl = var_label(x)
    name = Label(f"f({xl.text})", f"f({xl.tex})")
    body = expr_label(e)
    curves = [Curve("f", Label(f"{name.text} = {body.text}", f"${name.tex} = {body.tex}$"),
                    _clip_all(segs, ylo, yhi), F_COLOR, width=2.0)]
    bands, intervals = (), ()
    if derivative:
        dl = expr_label(sol.answer)
        curves.append(Curve("derivative", Label(f"f′({xl.text}) = {dl.text}", f"$f'({xl.tex}) = {dl.tex}$"),
                            _clip_all(dsegs, ylo, yhi), D_COLOR, "dashed", 1.8))
        intervals = S.sign_intervals(df, segs, 1e-3 * (hi - lo))
        bands = tuple(_band(i) for i in intervals)
    markers = []
    if a_s is not None:
        curves.extend(_secants(e, f, x, a_s, hs, lo, hi, ylo, yhi, markers))
    if a_t is not None:
        curves.append(_tangent(e, x, a_t, lo, hi, ylo, yhi, markers))
    return Figure(Label(f"{name.text} = {body.text}", f"${name.tex} = {body.tex}$"), xl,
                  Label("y", "y"), (lo, hi), (ylo, yhi), tuple(curves), bands, (),
                  tuple(markers), intervals)


# ---------------------------------------------------------------- reading

def _variable(e: Expr, var: str | None) -> str:
    names = free_symbols(e)
    if var is not None:
        if not isinstance(var, str) or not var.strip():
            raise VariableError("the variable must be a name such as x", code="variable")
        var = var.strip()
        others = [n for n in names if n != var]
        if others:
            raise VariableError(f"f also depends on {', '.join(others)}: a graph is of one variable",
                                code="variables", hint="give values to the others, or use "
                                "tutor.plot_contours (tutor plot --at ...) for f(x, y)")
        return var
    if len(names) > 1:
        raise VariableError(f"f has several variables ({', '.join(names)}): a graph is of one "
                            "variable", code="variables",
                            hint="tutor.plot_contours (tutor plot --at x=1,y=2) draws f(x, y)")
    return names[0] if names else "x"


def _point_value(v, x: str, what: str):
    """2, "2", "pi/4" or "x=2" (the variable named)."""
    if isinstance(v, str) and "=" in v:
        name, _, rest = v.partition("=")
        if name.strip() != x:
            raise VariableError(f"{what} names {name.strip()}, but the variable is {x}",
                                code="unknown_variable")
        v = rest
    return read_value(v, what)


def _read_h(h) -> tuple:
    parts = h.split(",") if isinstance(h, str) else ([h] if isinstance(h, (int, float, Fraction)) else list(h))
    if not parts or len(parts) > MAX_SECANTS:
        raise TutorError(f"give 1 to {MAX_SECANTS} values of h, e.g. 1,0.5,0.1", code="h")
    out = tuple(read_value(p, "h") for p in parts)
    if any(s == 0 for s in out):
        raise TutorError("h must not be 0: a secant needs two different points", code="h")
    return out


# ---------------------------------------------------------------- ranges

#: how far the automatic range looks for a function that lives away from 0 (ln(x - 100),
#: sqrt(x - 1000)): the scan widens tenfold from [-10, 10] up to this
FARTHEST = 1e6


def _auto_x(f, df, needed, centre, scan) -> tuple[float, float]:
    pts = S.interesting_points((f, df), n=scan)
    scale = 10.0
    while (not needed and scale < FARTHEST
           and (not pts or not any(f(t) == f(t) for t in S.grid(-scale, scale, scan)))):
        # nothing defined here (ln(x - 100)), or nothing to show (1/(x - 500) is flat near 0):
        # look where the function lives; overflow (e^x past 709) is not a feature
        scale *= 10.0
        pts = [p for p in S.interesting_points((f, df), -scale, scale, n=scan)
               if _credible(f, p, 2 * scale / scan)]
    if not pts and scale >= FARTHEST:   # featureless everywhere (e^x, a line's constant slope)
        pts = S.interesting_points((f, df), n=scan)
    lo, hi = S.auto_range(pts, centre)
    # a domain that starts inside the range (sqrt x, ln x): move the range onto it
    defined = [t for t in S.grid(lo, hi, 200) if f(t) == f(t)]
    if defined:
        span = hi - lo
        if defined[-1] == hi and defined[0] > lo + 0.25 * span:
            lo = defined[0] - 0.05 * span
            hi = lo + span
        elif defined[0] == lo and defined[-1] < hi - 0.25 * span:
            hi = defined[-1] + 0.05 * span
            lo = hi - span
    if needed:
        lo, hi = min(lo, min(needed) - 0.5), max(hi, max(needed) + 0.5)
    return lo, hi


def _credible(f, p: float, step: float) -> bool:
    """A point found on a wide scan (grid spacing `step`) is a zero, a pole or a domain edge,
    not where a float overflows (f huge, then undefined: e^x past 709) or underflows (a tiny
    nonzero f, then 0)."""
    y = f(p)
    if y != y:                      # a pole found by bisection between a sign change
        return True
    if y == 0:
        d = 1e-6 * max(1.0, abs(p))
        return any(abs(v) > 1e-100 for v in (f(p - d), f(p + d)) if v == v)
    for out in (p - step, p + step):  # a domain edge: what is f where it stops?
        if f(out) != f(out):
            last = S.edge(f, p, out)
            return abs(last[1] if last else y) < 1e100
    return abs(y) < 1e100


def _cuts(segs, lo, hi) -> list[float]:
    """The segments' ends inside the range where the values run away (a pole, ln at 0), not
    where they stay bounded (the edge of sqrt(1 - x^2), a step)."""
    ys = sorted(abs(p[1]) for s in segs for p in s)
    if not ys:
        return []
    big = 10 * (ys[len(ys) // 2] + 1)
    ends = [s[0] for s in segs if s[0][0] > lo] + [s[-1] for s in segs if s[-1][0] < hi]
    return [x for x, y in ends if abs(y) > big]


def _edges(segs, lo, hi) -> list[float]:
    """The values at the bounded ends inside the range (f = 0 at the edge of sqrt(1 - x^2)):
    the window shows them."""
    cuts = set(_cuts(segs, lo, hi))
    ends = [s[0] for s in segs if s[0][0] > lo] + [s[-1] for s in segs if s[-1][0] < hi]
    return [y for x, y in ends if x not in cuts]


def _critical(df, lo, hi, n) -> list[float]:
    return S.interesting_points((df,), lo, hi, n)


def _sane(must, values) -> list[float]:
    """The values that must show, less those far outside the bulk (a critical point found at
    a pole of f': its value is no extremum to show)."""
    finite = sorted(v for v in values if v == v and v - v == 0)
    if not finite:
        return [m for m in must if m == m and m - m == 0]
    lo, hi = S.y_window(finite)
    span = hi - lo
    return [m for m in must if m == m and m - m == 0 and lo - 2 * span <= m <= hi + 2 * span]


def _clip_all(segs, ylo, yhi) -> tuple:
    out = []
    for s in segs:
        out.extend(S.clip(s, ylo, yhi))
    return tuple(out)


def _band(i) -> Band:
    lo, hi, kind = i
    sign = ">" if kind == "increasing" else "<"
    return Band(lo, hi, kind, Label(f"{kind} (f′ {sign} 0)", f"{kind} ($f' {sign} 0$)"),
                INC_COLOR if kind == "increasing" else DEC_COLOR)


# ---------------------------------------------------------------- lines

def _line(x0, y0, m, lo, hi, ylo, yhi) -> tuple:
    return tuple(S.clip(((lo, y0 + m * (lo - x0)), (hi, y0 + m * (hi - x0))), ylo, yhi))


def _value(e: Expr, x: str, a) -> Fraction | float:
    from ..evaluation import evaluate
    try:
        return evaluate(e, {x: a})
    except TutorError as exc:
        raise DomainError(f"f is undefined at {x} = {num_label(a).text}: {exc.message}",
                          code="domain", hint="choose a point inside the domain of f") from None


def _tangent(e, x, a, lo, hi, ylo, yhi, markers) -> Curve:
    from ..evaluation import evaluate
    from ..routes.atpoint import rational_expr
    from ..routes.tangent import tangent
    pa = rational_expr(a) if isinstance(a, Fraction) else a
    t = tangent(e, {x: pa}, var=x)
    fa = float(evaluate(dict(t.point)[t.dep], {}))
    af, xl, al = float(a), var_label(x), num_label(a)
    rhs = expr_label(t.tangent.rhs)
    if t.tangent.vertical:
        pieces = (((af, ylo), (af, yhi)),)
        eq = Label(f"{xl.text} = {rhs.text}", f"{xl.tex} = {rhs.tex}")
    else:
        pieces = _line(af, fa, float(evaluate(t.slope, {})), lo, hi, ylo, yhi)
        eq = Label(f"{t.dep} = {rhs.text}", f"{t.dep} = {rhs.tex}")
    markers.append(Marker(af, fa, None, TANGENT_COLOR))
    label = Label(f"tangent at {xl.text} = {al.text}: {eq.text}",
                  f"tangent at ${xl.tex} = {al.tex}$: ${eq.tex}$")
    return Curve("tangent", label, pieces, TANGENT_COLOR, "solid", 1.6)


def _secants(e, f, x, a, hs, lo, hi, ylo, yhi, markers) -> list[Curve]:
    fa = _value(e, x, a)
    out = []
    order = sorted(hs, key=lambda s: -abs(s))
    for s, color in zip(order, secant_colors(len(order))):
        b = a + s
        fb = _value(e, x, b)
        slope = (fb - fa) / s
        hl, ml = num_label(s), num_label(slope)
        label = Label(f"secant h = {hl.text}: slope {ml.text}",
                      f"secant $h = {hl.tex}$: slope ${ml.tex}$")
        out.append(Curve("secant", label, _line(float(a), float(fa), float(slope), lo, hi, ylo, yhi),
                         color, "solid", 1.2))
        markers.append(Marker(float(b), float(fb), None, color))
    return out
