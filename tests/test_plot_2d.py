"""Level curves (marching squares), the gradient and direction arrows, and descent paths:
the curves lie on f = c, the arrows point the way SymPy's gradient does, the path is the
descent route's iterates."""
from __future__ import annotations

import math

import pytest
import sympy

import tutor
from tutor.plotting.marching import contour

X, Y = sympy.symbols("x y")


def _grid(f, lo, hi, n):
    xs = [lo + (hi - lo) * i / n for i in range(n + 1)]
    return xs, xs, [[f(x, y) for x in xs] for y in xs]


def test_marching_squares_finds_a_closed_circle():
    xs, ys, v = _grid(lambda x, y: x * x + y * y, -2, 2, 60)
    (line,) = contour(v, xs, ys, 1.0)
    assert line[0] == line[-1]                          # closed
    for x, y in line:
        assert math.hypot(x, y) == pytest.approx(1, abs=0.01)
    assert len(line) > 40


def test_marching_squares_skips_undefined_cells_and_handles_saddles():
    nan = float("nan")
    xs, ys, v = _grid(lambda x, y: math.log(x * y) if x * y > 0 else nan, -2, 2, 40)
    lines = contour(v, xs, ys, 0.0)                     # x y = 1: two branches, nothing between
    assert len(lines) == 2
    for line in lines:
        for x, y in line:
            assert x * y > 0 and x * y == pytest.approx(1, abs=0.1)
    xs, ys, v = _grid(lambda x, y: x * y, -1, 1, 20)    # the saddle at 0: level 0 is the axes
    pts = [p for line in contour(v, xs, ys, 0.0) for p in line]
    assert pts and all(min(abs(x), abs(y)) < 1e-9 for x, y in pts)


def test_contour_figure_levels_lie_on_f():
    fig = tutor.plot_contours("x^2 + 3y^2", at="x=1,y=2")
    f = lambda x, y: x * x + 3 * y * y
    levels = set()
    for c in fig.curve("contour"):
        for piece in c.pieces:
            vals = [f(x, y) for x, y in piece]
            assert max(vals) - min(vals) < 0.05 * max(1, max(vals))   # one level per piece
            levels.add(round(sum(vals) / len(vals), 1))
    assert 13.0 in levels                               # the level through the point: f(1, 2) = 13
    through = [c for c in fig.curve("contour") if c.label and "through" in c.label.text]
    assert [c.label.text for c in through] == ["level curve through the point: f(x, y) = 13"]
    others = sorted(round(sum(f(*p) for p in c.pieces[0]) / len(c.pieces[0]), 1)
                    for c in fig.curve("contour") if c not in through)
    gaps = [b - a for a, b in zip(others, others[1:])]
    assert all(abs(v - 13) > 0.3 * min(gaps) for v in others)   # no level drawn beside it
    assert fig.equal_aspect and fig.xlim[1] - fig.xlim[0] == pytest.approx(fig.ylim[1] - fig.ylim[0])
    assert fig.title.text == "level curves of f(x, y) = x² + 3y²"


@pytest.mark.parametrize("src,at,along", [
    ("x^2 + 3y^2", (1, 2), (1, 1)),
    ("x y", (sympy.Rational(1, 2), sympy.Rational(-1, 3)), (3, -4)),
    ("sin(x) e^y", (0, 1), (-1, 2)),
])
def test_gradient_and_direction_arrows_agree_with_sympy(src, at, along):
    fig = tutor.plot_contours(src, at=f"x={at[0]},y={at[1]}", direction=f"{along[0]},{along[1]}")
    f = tutor.to_sympy(tutor.parse(src))
    f = sympy.sympify(f)
    point = {X: at[0], Y: at[1]}
    g = [float(sympy.diff(f, v).subs(point)) for v in (X, Y)]
    grad, direction = fig.arrows
    assert (grad.x, grad.y) == pytest.approx((float(at[0]), float(at[1])))
    k = grad.dx / g[0] if g[0] else grad.dy / g[1]
    assert k > 0 and (grad.dx, grad.dy) == pytest.approx((k * g[0], k * g[1]))
    n = math.hypot(*along)
    u = (along[0] / n, along[1] / n)
    m = math.hypot(direction.dx, direction.dy)
    assert (direction.dx / m, direction.dy / m) == pytest.approx(u)
    d_u = g[0] * u[0] + g[1] * u[1]
    shown = direction.label.text.split("D_u f = ")[1]
    value = shown.split(" ≈ ")[-1].replace("−", "-")
    assert float(sympy.sympify(value.replace("√", "sqrt"))) == pytest.approx(d_u, rel=1e-3)
    # both arrows inside the window
    for a in fig.arrows:
        assert fig.xlim[0] <= a.x + a.dx <= fig.xlim[1] and fig.ylim[0] <= a.y + a.dy <= fig.ylim[1]


def test_gradient_label_is_exact():
    fig = tutor.plot_contours("x^2 + 3y^2", at="x=1,y=2", direction="1,1")
    assert [a.label.text for a in fig.arrows] == [
        "gradient ∇f(1, 2) = (2, 12)",
        "direction u = (1/√(2), 1/√(2)): D_u f = 14/√(2) ≈ 9.899"]


def test_a_stationary_point_is_marked_not_arrowed():
    fig = tutor.plot_contours("x^2 + y^2", at="x=0,y=0")
    assert fig.arrows == ()
    assert fig.markers[0].label.text == "(0, 0): ∇f = 0 (stationary)"


def test_descent_path_is_the_routes_iterates():
    d = tutor.descend("x^2 + 3y^2", "x,y", start="2,1", rate=0.1, steps=15)
    fig = tutor.plot_descent("x^2 + 3y^2", "x,y", start="2,1", rate=0.1, steps=15)
    (path,) = fig.curve("path")
    want = [tuple(float(v) for v in it.w) for it in d.iterations]
    assert list(path.pieces[0][:len(want)]) == want
    assert path.marks and fig.title.text == "gradient descent on J(x, y) = x² + 3y²"
    ring = tutor.plot_descent("x^2 + 3y^2", "x,y", start="2,1", at="x=1,y=2", direction="1,1")
    assert [a.label.text.split(": ")[-1] for a in ring.arrows] == ["gradient ∇J(1, 2) = (2, 12)",
                                                                  "D_u J = 14/√(2) ≈ 9.899"]
    assert fig.markers[-1].label.text == "start" and (fig.markers[-1].x, fig.markers[-1].y) == (2.0, 1.0)


def test_a_diverging_path_is_cut_where_it_leaves():
    fig = tutor.plot_descent("x^2 + y^2", "x,y", start="1,1", rate=1.5, steps=30)
    (path,) = fig.curve("path")
    w = fig.xlim[1] - fig.xlim[0]
    assert all(abs(x) <= 3 * w + abs(fig.xlim[0]) for x, _ in path.pieces[0])
    assert len(path.pieces[0]) < 31


def test_descent_in_one_variable_walks_down_the_graph():
    fig = tutor.plot_descent("(w - 3)^2", start=0, rate=0.2, steps=8)
    (path,) = fig.curve("path")
    for w, j in path.pieces[0]:
        assert j == pytest.approx((w - 3) ** 2)
    assert fig.xlim[0] < 0 and fig.xlim[1] > 3 and fig.ylim[1] >= 9
    assert fig.curve("f")[0].label.text == "J(w) = (w − 3)²"


@pytest.mark.parametrize("call,message", [
    (lambda: tutor.plot_contours("x^2"), "level curves are of a function of two variables; this one has 1 (x)"),
    (lambda: tutor.plot_contours("x + y + z"), "level curves are of a function of two variables; this one has 3 (x, y, z)"),
    (lambda: tutor.plot_contours("x y", direction="1,1"), "a direction needs a point too, e.g. x=1,y=2"),
    (lambda: tutor.plot_contours("x y", at="x=1,y=1", direction="0,0"), "the direction (0, 0) has length 0: it cannot be normalised"),
    (lambda: tutor.plot_contours("x y", levels=0), "levels must be a count from 1 to 40"),
    (lambda: tutor.plot_contours("x y", range="2,1"), "the range must go from a smaller to a larger number, not 2,1"),
    (lambda: tutor.plot_contours("ln(x y)", range=((-2, -1), (1, 2))), "f is undefined everywhere in the window: nothing to draw"),
    (lambda: tutor.plot_descent("x y z", "x,y,z", start="1,1,1"), "a picture of descent needs one or two variables, not 3"),
])
def test_bad_input_is_a_tutor_error(call, message):
    with pytest.raises(tutor.TutorError) as info:
        call()
    assert info.value.message == message
