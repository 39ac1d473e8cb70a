"""tutor.plot: the graph of f (and f', tangent, secants) is honest around poles, jumps and
domain edges, its ranges are sensible, and what it says (intervals, slopes, the tangent's
equation) is what SymPy says."""
from __future__ import annotations

import math
import subprocess
import sys

import pytest
import sympy

import tutor
from tutor.plotting import sampling as S

X = sympy.Symbol("x")


def _points(fig, role="f"):
    return [p for c in fig.curve(role) for piece in c.pieces for p in piece]


def _pieces(fig, role="f"):
    return [piece for c in fig.curve(role) for piece in c.pieces]


# ---------------------------------------------------------------- segments

def test_one_over_x_never_crosses_the_pole():
    fig = tutor.plot("1/x", range=(-2, 3))
    pieces = _pieces(fig)
    assert len(pieces) == 2
    for piece in pieces:
        xs = [p[0] for p in piece]
        assert all(x < 0 for x in xs) or all(x > 0 for x in xs)
    left, right = pieces
    assert max(p[0] for p in left) > -0.5 and min(p[0] for p in right) < 0.5  # drawn up to the edge


@pytest.mark.parametrize("lo,hi", [(-4, 4), (-7, 7)])
def test_tan_is_drawn_between_its_poles(lo, hi):
    fig = tutor.plot("tan x", range=(lo, hi))
    poles = [(k + 0.5) * math.pi for k in range(-3, 3)]
    inside = [p for p in poles if lo < p < hi]
    pieces = _pieces(fig)
    assert len(pieces) == len(inside) + 1
    for piece in pieces:
        a, b = piece[0][0], piece[-1][0]
        assert not any(a < p < b for p in inside), (a, b)


@pytest.mark.parametrize("src,ok", [
    ("ln x", lambda x: x > 0),
    ("sqrt(1 - x^2)", lambda x: -1 <= x <= 1),
    ("ln(x^2 - 1)", lambda x: abs(x) > 1),
    ("sqrt(x) + 1/(x - 2)", lambda x: x >= 0 and x != 2),
])
def test_nothing_is_drawn_where_f_is_undefined(src, ok):
    fig = tutor.plot(src, range=(-3, 4))
    pts = _points(fig)
    assert pts and all(ok(x) for x, _ in pts)
    f = sympy.lambdify(X, sympy.sympify(tutor.to_sympy(tutor.parse(src))), "math")
    ylo, yhi = fig.ylim
    for x, y in pts[:: max(1, len(pts) // 40)]:
        if ylo < y < yhi:   # not a point cut at the window's edge
            assert y == pytest.approx(f(x), rel=1e-9, abs=1e-9)


def test_a_step_splits_at_the_jump():
    fig = tutor.plot("[x > 0] + x", range=(-2, 2))
    left, right = _pieces(fig)
    assert abs(left[-1][0]) < 1e-9 and abs(right[0][0]) < 1e-9
    assert right[0][1] - left[-1][1] == pytest.approx(1, abs=1e-6)


def test_kinks_and_steep_continuous_curves_stay_one_piece():
    assert len(_pieces(tutor.plot("abs(x)", range=(-2, 2)))) == 1
    assert len(_pieces(tutor.plot("atan(50 x)", range=(-2, 2)))) == 1
    assert len(_pieces(tutor.plot("cbrt(x)", range=(-2, 2)))) == 1


def test_every_drawn_point_is_inside_the_window():
    for src in ("1/x", "1/x^2", "tan x", "ln x", "x^3 - 3x"):
        fig = tutor.plot(src, derivative=True)
        ylo, yhi = fig.ylim
        (xlo, xhi) = fig.xlim
        for c in fig.curves:
            for piece in c.pieces:
                assert len(piece) >= 2
                for x, y in piece:
                    assert xlo - 1e-9 <= x <= xhi + 1e-9 and ylo - 1e-9 <= y <= yhi + 1e-9


def test_sampling_is_adaptive_and_bounded():
    f = lambda x: math.sin(1 / x) if x else float("nan")
    segs = S.sample(f, -1, 1)
    assert sum(len(s) for s in segs) <= S.BUDGET + 2 * 241
    smooth = S.sample(lambda x: 2 * x + 1, -1, 1)
    assert len(smooth) == 1 and len(smooth[0]) == 241   # a line needs no refinement
    curvy = S.sample(lambda x: math.sin(60 * x), -1, 1)
    assert len(curvy[0]) > 241                          # a wiggle does


# ---------------------------------------------------------------- ranges

def test_auto_range_shows_zeros_and_extrema():
    fig = tutor.plot("x^3 - 3x", derivative=True)
    lo, hi = fig.xlim
    assert lo < -math.sqrt(3) and hi > math.sqrt(3) and hi - lo < 8
    ylo, yhi = fig.ylim
    assert ylo < -2 and yhi > 2 and yhi - ylo < 60


@pytest.mark.parametrize("src, inside", [("ln(x - 100)", 101), ("sqrt(x - 1000)", 1001),
                                          ("ln(-x - 300)", -301), ("1/(x - 500)", 500),
                                          ("(x - 500)^3", 500), ("1/(x + 2000)", -2000)])
def test_a_function_living_far_from_zero_is_found(src, inside):
    lo, hi = tutor.plot(src).xlim
    assert lo < inside < hi and hi - lo < 40, (lo, hi)


@pytest.mark.parametrize("src", ["e^x", "e^(-x)", "e^(x - 600)", "5"])
def test_overflow_and_underflow_are_not_features(src):
    """e^x is undefined (inf) past 709 and 0 below -745 in floats: neither is a place to show."""
    assert tutor.plot(src).xlim == (-4.0, 4.0)


def test_a_pole_does_not_flatten_the_picture():
    for src in ("1/x", "1/(x-1)^2", "tan x"):
        ylo, yhi = tutor.plot(src).ylim
        assert 2 < yhi - ylo < 60, src


def test_the_tangent_point_and_secants_are_inside_the_range():
    fig = tutor.plot("x^2", tangent_at=7, secants_at=7, h=(2, 1))
    assert fig.xlim[0] < 7 and fig.xlim[1] > 9
    assert fig.ylim[1] > 81


# ---------------------------------------------------------------- f', intervals, lines

def test_increasing_and_decreasing_intervals_match_the_derivative_sign():
    fig = tutor.plot("x^3 - 3x", derivative=True)
    kinds = [(round(a, 6), round(b, 6), k) for a, b, k in fig.intervals]
    lo, hi = (round(v, 6) for v in fig.xlim)
    assert kinds == [(lo, -1.0, "increasing"), (-1.0, 1.0, "decreasing"), (1.0, hi, "increasing")]
    assert [b.kind for b in fig.bands] == ["increasing", "decreasing", "increasing"]
    d = fig.curve("derivative")[0]
    assert d.label.text == "f′(x) = 3x² − 3"
    oracle = sympy.lambdify(X, sympy.diff(X**3 - 3 * X, X))
    for x, y in d.pieces[0][::10]:
        if fig.ylim[0] < y < fig.ylim[1]:
            assert y == pytest.approx(oracle(x))


def test_intervals_over_a_pole_and_through_a_flat_point():
    inv = tutor.plot("1/x", derivative=True, range=(-2, 2))
    assert [k for *_, k in inv.intervals] == ["decreasing", "decreasing"]
    assert inv.intervals[0][1] < 0 < inv.intervals[1][0]
    cube = tutor.plot("x^3", derivative=True, range=(-2, 2))
    assert [(round(a, 9), round(b, 9), k) for a, b, k in cube.intervals] == [(-2, 2, "increasing")]


def test_tangent_line_and_its_exact_equation():
    fig = tutor.plot("1/x", tangent_at=1)
    (t,) = fig.curve("tangent")
    assert t.label.text == "tangent at x = 1: y = −x + 2"
    assert t.label.tex == "tangent at $x = 1$: $y = -x + 2$"
    for x, y in t.pieces[0]:
        assert y == pytest.approx(2 - x)


def test_secants_converge_on_the_tangent_with_sympy_slopes():
    fig = tutor.plot("1/x", secants_at=1, h="1,0.5,0.1")
    secs = fig.curve("secant")
    slopes = [(1 / (1 + h) - 1) / h for h in (sympy.Integer(1), sympy.Rational(1, 2), sympy.Rational(1, 10))]
    assert [s.label.text for s in secs] == ["secant h = 1: slope −0.5", "secant h = 0.5: slope −2/3",
                                           "secant h = 0.1: slope −10/11"]
    assert slopes == [sympy.Rational(-1, 2), sympy.Rational(-2, 3), sympy.Rational(-10, 11)]
    for s, m in zip(secs, slopes):
        (a, ya), (b, yb) = s.pieces[0][0], s.pieces[0][-1]
        assert (yb - ya) / (b - a) == pytest.approx(float(m))
        assert ya + (1 - a) * (yb - ya) / (b - a) == pytest.approx(1)   # through (1, f(1))
    assert len(fig.curve("tangent")) == 1        # the line they converge on is drawn too
    assert len(set(s.color for s in secs)) == 3


def test_title_and_labels_come_from_the_printers():
    fig = tutor.plot("sin(x^2) e^x", var="x")
    assert fig.title.text == "f(x) = sin(x²)·eˣ" or fig.title.text.startswith("f(x) = sin(x²)")
    assert fig.title.tex.startswith("$f(x) = ") and "\\sin" in fig.title.tex
    assert fig.xlabel.text == "x"
    theta = tutor.plot("sin(theta)")
    assert theta.xlabel.text == "θ" and theta.xlabel.tex == "\\theta"


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("call,message", [
    (lambda: tutor.plot("x^2 + y"), "f has several variables (x, y): a graph is of one variable"),
    (lambda: tutor.plot("x^2", range="3,1"), "the range must go from a smaller to a larger number, not 3,1"),
    (lambda: tutor.plot("x^2", range="1"), "the range is two numbers lo,hi such as -2,3, not '1'"),
    (lambda: tutor.plot("x^2", range="0,1e12"), "the range 0,1e+12 is too wide to draw (the limit is a span of 1e+06, ends within 1e9)"),
    (lambda: tutor.plot("x^2", secants_at=1, h=(0,)), "h must not be 0: a secant needs two different points"),
    (lambda: tutor.plot("x^2", tangent_at="y=1"), "the tangent point names y, but the variable is x"),
    (lambda: tutor.plot("1/x", secants_at=0), "f is undefined at x = 0: division by zero"),
    (lambda: tutor.plot("ln x", range=(-3, -1)), "f is undefined everywhere on -3 <= x <= -1: nothing to draw"),
    (lambda: tutor.plot("x^2", tangent_at=5, range=(0, 1)), "the point x = 5 is outside the range 0,1"),
])
def test_bad_input_is_a_tutor_error(call, message):
    with pytest.raises(tutor.TutorError) as info:
        call()
    assert info.value.message == message


# ---------------------------------------------------------------- the optional dependency

def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_tutor_and_tikz_never_import_matplotlib():
    r = _run("import sys, tutor; fig = tutor.plot('x^3 - 3x', derivative=True); "
             "t = fig.to_tikz(); c = tutor.plot_contours('x^2+y^2', at='x=1,y=1').to_tikz(); "
             "print('matplotlib' in sys.modules, t.startswith('\\\\begin{tikzpicture}'))")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True"]


def test_without_matplotlib_the_error_says_how_to_install_it():
    r = _run("import sys; sys.modules['matplotlib'] = None\n"
             "import tutor\nfig = tutor.plot('x^2')\n"
             "try:\n    fig.to_svg()\nexcept tutor.TutorError as e:\n    print(e.code); print(e)\n"
             "print(fig._repr_svg_())")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "dependency", "svg, png and pdf plots need Matplotlib, which is not installed",
        'hint: pip install ".[plot]" (or pip install matplotlib); --format tikz needs nothing', "None"]


def test_flat_stretches_are_neither_increasing_nor_decreasing():
    fig = tutor.plot("relu(x)", derivative=True)
    assert -3 < fig.xlim[0] < 0 < fig.xlim[1] < 3          # a run of zeros is not a cloud of points
    ((a, b, kind),) = fig.intervals
    assert kind == "increasing" and abs(a) < 1e-9 and b == fig.xlim[1]
    kink = tutor.plot("abs(x - 1)", derivative=True)
    assert [(round(a, 9), round(b, 9), k) for a, b, k in kink.intervals] == [
        (round(kink.xlim[0], 9), 1.0, "decreasing"), (1.0, round(kink.xlim[1], 9), "increasing")]


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=3, unique=True),
       st.integers(-2, 2), st.integers(1, 2))
def test_no_piece_straddles_a_pole_of_a_rational_function(poles, zero, power):
    """f = (x - z) / prod (x - p)^k: every pole p splits the graph, none is joined across."""
    den = " ".join(f"(x - ({p}))^{power}" for p in poles)
    src = f"(x - ({zero} + 1/2)) / ({den})"
    fig = tutor.plot(src, range=(-4.25, 4.25))
    for piece in _pieces(fig):
        a, b = piece[0][0], piece[-1][0]
        assert not any(a < p < b for p in poles), (src, a, b)
    f = sympy.lambdify(X, sympy.sympify(tutor.to_sympy(tutor.parse(src))), "math")
    ylo, yhi = fig.ylim
    for piece in _pieces(fig):
        for x, y in piece[:: max(1, len(piece) // 10)]:
            if ylo < y < yhi:
                assert y == pytest.approx(f(x), rel=1e-9, abs=1e-9)


def test_work_is_bounded_for_big_and_deep_input():
    deep = "sin(" * 40 + "x" + ")" * 40          # deep enough for the big-stack worker
    fig = tutor.plot(deep, derivative=True)
    assert len(fig.curve("f")[0].pieces) == 1
    with pytest.raises(tutor.TutorError) as info:
        tutor.plot("sin(" * 150 + "x" + ")" * 150)
    assert info.value.message == ("f with its derivative is too large to plot (11,627 tree nodes; "
                                  "the limit is 3,000, MAX_PLOT_NODES)")
    contours = tutor.plot_contours("(" * 130 + "x^2 + y^2" + ")" * 130, at="x=1,y=1")
    assert contours.arrows
