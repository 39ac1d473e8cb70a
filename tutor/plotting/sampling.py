"""Sampling a function of one variable for a picture: pure Python, no dependency.

Why its own module: a plot is only as honest as its samples. A straight line joined across the
pole of 1/x, or drawn where ln x is undefined, teaches the wrong thing, and a pole's huge
values flatten the rest of the picture. So the samples come in *segments*: a segment never
contains a point where f is undefined (the evaluator says NaN) and never steps over a jump
(a pole or a step, found by bisection: across a jump the difference of the values does not
shrink with the interval, across a steep continuous stretch it does). Inside a segment the
sampling is adaptive: an interval is halved while its midpoint is off the chord.

Every function here takes a float function `fn(x) -> float` that returns NaN where the
function is undefined (`tutor.evaluation.compile_float` makes one and never raises), and does
bounded work (a budget of evaluations per call).
"""
from __future__ import annotations

from typing import Callable, Sequence

__all__ = ["sample", "effort", "BUDGET", "WORK", "auto_range", "y_window", "clip", "sign_intervals", "grid",
           "interesting_points", "Fn"]

Fn = Callable[[float], float]
BUDGET = 20_000          # refining evaluations per sampled curve, at most
WORK = 4_000_000         # node evaluations a figure may spend: big trees get fewer samples
_BISECT = 48             # halvings to locate an edge or decide a jump (about 1e-14 of a unit)


def _ok(y: float) -> bool:
    return y == y and y - y == 0


def grid(lo: float, hi: float, n: int) -> list[float]:
    """n + 1 evenly spaced points from lo to hi, the ends exact."""
    step = (hi - lo) / n
    return [lo + i * step for i in range(n)] + [hi]


# ---------------------------------------------------------------- jumps and edges

def jump(fn: Fn, a: float, b: float, ya: float, yb: float) -> tuple | None:
    """Where f is discontinuous between a and b (a pole, a step, or a hole), by bisection:
    follow the half whose values differ more (or, when the midpoint's value is the largest,
    the half whose far end is larger: toward a double pole); across a jump that difference
    stays (or grows), across a continuous stretch it shrinks with the interval. The last points on either
    side, ((a, f(a)), (b, f(b))), or None when f is continuous there."""
    start = abs(yb - ya)
    for _ in range(_BISECT):
        m = (a + b) / 2
        if not a < m < b:
            break
        ym = fn(m)
        if not _ok(ym):
            return ((a, ya), (b, yb))
        if abs(ym) > max(abs(ya), abs(yb)):
            # a peak in the middle: a pole (1/x^2) lies on the side whose far end is larger
            left = abs(ya) >= abs(yb)
        else:
            left = abs(ym - ya) >= abs(yb - ym)
        if left:
            b, yb = m, ym
        else:
            a, ya = m, ym
        if abs(yb - ya) <= 1e-3 * start:    # shrinking with the interval: continuous
            return None
    return ((a, ya), (b, yb)) if abs(yb - ya) > 1e-3 * max(start, 1e-300) else None


def edge(fn: Fn, inside: float, outside: float) -> tuple[float, float] | None:
    """The last defined point between a defined x (inside) and an undefined one (outside)."""
    best = None
    for _ in range(_BISECT):
        m = (inside + outside) / 2
        if m == inside or m == outside:
            break
        ym = fn(m)
        if _ok(ym):
            inside, best = m, (m, ym)
        else:
            outside = m
    return best


# ---------------------------------------------------------------- sampling

def sample(fn: Fn, lo: float, hi: float, *, n: int = 240, depth: int = 7,
           scale: float | None = None, budget: int = BUDGET) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The graph of fn on [lo, hi] as segments of (x, y) points: each segment defined and
    continuous; split at undefined stretches and at jumps. `scale` is the height that counts
    as "visible" (the plot's y window); the chord tolerance is a small fraction of it."""
    xs = grid(lo, hi, n)
    ys = [fn(x) for x in xs]
    finite = sorted(y for y in ys if _ok(y))
    q05, q95 = _quantile(finite, 0.05), _quantile(finite, 0.95)
    if scale is None:
        scale = q95 - q05
    scale = scale if scale > 0 else 1.0
    tol = 2e-3 * scale
    budget = [min(budget, BUDGET)]
    pts: list[tuple[float, float]] = [(xs[0], ys[0])]
    for i in range(n):
        _refine(fn, xs[i], ys[i], xs[i + 1], ys[i + 1], depth, tol, budget, pts)
    return _split(fn, pts, scale, q05 - scale, q95 + scale)


def _refine(fn, a, ya, b, yb, depth, tol, budget, out) -> None:
    """Append the points after a up to b, halving while the midpoint is off the chord
    (iteratively, on an explicit stack: bounded work, no recursion)."""
    stack = [(a, ya, b, yb, depth)]
    while stack:
        a, ya, b, yb, d = stack.pop()
        if d > 0 and budget[0] > 0:
            m = (a + b) / 2
            ym = fn(m)
            budget[0] -= 1
            both = _ok(ya) and _ok(yb)
            if not (both and _ok(ym) and abs(ym - (ya + yb) / 2) <= tol) and (_ok(ya) or _ok(yb) or _ok(ym)):
                stack.append((m, ym, b, yb, d - 1))
                stack.append((a, ya, m, ym, d - 1))
                continue
        out.append((b, yb))


def _split(fn, pts, scale, low, high) -> tuple:
    """Cut the samples into segments: at undefined points (each side's edge found by
    bisection) and at jumps. A pair is tested for a jump when its values differ visibly, or,
    both far outside the bulk of the values, when they change sign or one is a peak of |f|
    (the two sides of a double pole, 1/x^2, are close to each other and huge)."""
    segments: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    prev = None
    mags = [abs(y) if _ok(y) else -1.0 for _, y in pts]
    peaks = {i for i in range(1, len(pts) - 1) if mags[i] >= mags[i - 1] and mags[i] >= mags[i + 1]}
    far = lambda v: not low <= v <= high

    def suspect(i, y0, y1):
        """Worth a bisection: a visible step, or far out, a sign change or a peak of |f|
        (a pole); never the steep far ends of a polynomial, which are only cut off."""
        if far(y0) and far(y1):
            return (y0 < 0) != (y1 < 0) or i in peaks or i - 1 in peaks
        return abs(y1 - y0) > 0.02 * scale

    for i, (x, y) in enumerate(pts):
        if not _ok(y):
            if prev is not None and _ok(prev[1]):          # leaving the domain: find its edge
                e = edge(fn, prev[0], x)
                if e is not None:
                    current.append(e)
            if current:
                segments.append(current)
            current = []
        else:
            if prev is not None and not _ok(prev[1]):      # entering the domain
                e = edge(fn, x, prev[0])
                if e is not None:
                    current.append(e)
            elif prev is not None and suspect(i, prev[1], y) \
                    and (j := jump(fn, prev[0], x, prev[1], y)) is not None:
                if j[0][0] > prev[0]:
                    current.append(j[0])
                segments.append(current)
                current = [j[1]] if j[1][0] < x else []
            current.append((x, y))
        prev = (x, y)
    if current:
        segments.append(current)
    return tuple(tuple(s) for s in segments if len(s) >= 2)


def effort(nodes: int) -> tuple[int, int]:
    """(scan points, refining budget) for functions of this many tree nodes in all: the full
    2000 and BUDGET for the textbook's functions, fewer for a huge tree, so a figure's work
    stays near WORK node evaluations (a 150-deep chain of sin is seconds, not a minute)."""
    evaluations = WORK // max(1, nodes)
    return max(200, min(2000, evaluations // 8)), max(500, min(BUDGET, evaluations // 2))


# ---------------------------------------------------------------- ranges

def _quantile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, max(0, int(q * (len(sorted_values) - 1) + 0.5)))
    return sorted_values[i]


def _sign_changes(fn: Fn, xs: list[float]) -> list[float]:
    """Where fn changes sign, is zero, or starts or stops being defined, along xs."""
    out = []
    ys = [fn(x) for x in xs]
    for i in range(len(xs)):
        if ys[i] == 0 and ((i > 0 and ys[i - 1] != 0) or (i < len(xs) - 1 and ys[i + 1] != 0)):
            out.append(xs[i])       # a zero, or the inner end of a run of zeros (relu's flat half)
        if i == 0:
            continue
        a, b = ys[i - 1], ys[i]
        if _ok(a) != _ok(b):
            out.append(xs[i - 1] if _ok(a) else xs[i])
        elif _ok(a) and a * b < 0:
            out.append(_root(fn, xs[i - 1], xs[i], a))
    return out


def _root(fn: Fn, a: float, b: float, ya: float) -> float:
    for _ in range(_BISECT):
        m = (a + b) / 2
        if not a < m < b:
            break
        ym = fn(m)
        if not _ok(ym):
            return m
        if (ym < 0) == (ya < 0):
            a, ya = m, ym
        else:
            b = m
    return (a + b) / 2


def interesting_points(fns: Sequence[Fn], lo: float = -10.0, hi: float = 10.0,
                       n: int = 2000) -> list[float]:
    """Zeros, sign changes and domain edges of each fn (f for zeros and poles, f' for the
    extrema) on [lo, hi]: the points a picture should show."""
    xs = grid(lo, hi, n)
    pts = []
    for fn in fns:
        pts.extend(_sign_changes(fn, xs))
    return sorted(set(round(p, 9) for p in pts))


def auto_range(points: Sequence[float], centre: float = 0.0, keep: int = 5) -> tuple[float, float]:
    """An x range around the interesting points: the `keep` nearest the centre (a periodic
    function has zeros everywhere), padded by a quarter of their span (at least 1)."""
    clusters: list[list[float]] = []
    for p in sorted(points):        # one pole is seen at the grid points either side of it
        if clusters and p - clusters[-1][-1] < 0.05:
            clusters[-1].append(p)
        else:
            clusters.append([p])
    merged = [m for c in clusters for m in ([(c[0] + c[-1]) / 2] if c[-1] - c[0] < 0.1 else [c[0], c[-1]])]
    near = sorted(merged, key=lambda p: (abs(p - centre), p))[:keep]
    if not near:
        return centre - 4.0, centre + 4.0
    lo, hi = min(near), max(near)
    pad = max(1.0, 0.25 * (hi - lo))
    lo, hi = lo - pad, hi + pad
    if hi - lo < 4.0:               # a lone point, or a close cluster: show some context
        mid = (lo + hi) / 2
        lo, hi = mid - 2.0, mid + 2.0
    return lo, hi


def y_window(values: Sequence[float], must: Sequence[float] = ()) -> tuple[float, float]:
    """A y range that shows the curve, not its poles: the 3%..97% quantiles of the sampled
    values, widened to hold the points that must show (extrema, the tangent point), padded."""
    finite = sorted(v for v in values if _ok(v))
    lo, hi = _quantile(finite, 0.03), _quantile(finite, 0.97)
    for v in must:
        if _ok(v):
            lo, hi = min(lo, v), max(hi, v)
    if not finite and not must:
        lo, hi = -1.0, 1.0
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def clip(points: Sequence[tuple[float, float]], ylo: float, yhi: float) -> list[tuple]:
    """A polyline cut to the band ylo <= y <= yhi: the pieces inside, each ending exactly on
    the band's edge where the curve leaves it (so it runs off the frame, not short of it)."""
    pieces, current = [], []
    inside = lambda y: ylo <= y <= yhi
    for i, (x, y) in enumerate(points):
        if i and inside(y) != inside(points[i - 1][1]):
            x0, y0 = points[i - 1]
            bound = yhi if (y > yhi or y0 > yhi) else ylo
            t = (bound - y0) / (y - y0)
            cross = (x0 + t * (x - x0), bound)
            current.append(cross)
            if not inside(y):
                pieces.append(current)
                current = []
        elif i and not inside(y) and not inside(points[i - 1][1]):
            x0, y0 = points[i - 1]
            if (y0 > yhi and y < ylo) or (y0 < ylo and y > yhi):   # a chord straight across
                lo_t, hi_t = (ylo - y0) / (y - y0), (yhi - y0) / (y - y0)
                t1, t2 = sorted((lo_t, hi_t))
                pieces.append([(x0 + t1 * (x - x0), y0 + t1 * (y - y0)),
                               (x0 + t2 * (x - x0), y0 + t2 * (y - y0))])
        if inside(y):
            current.append((x, y))
    if current:
        pieces.append(current)
    return [tuple(p) for p in pieces if len(p) >= 2]


def _change(sign, a: float, b: float) -> float:
    """Where sign() changes between a and b, by bisection."""
    sa = sign(a)
    for _ in range(_BISECT):
        m = (a + b) / 2
        if not a < m < b:
            break
        if sign(m) == sa:
            a = m
        else:
            b = m
    return (a + b) / 2


def sign_intervals(dfn: Fn, segments, min_width: float) -> tuple[tuple[float, float, str], ...]:
    """(lo, hi, "increasing" | "decreasing") where f' > 0 / f' < 0, over f's segments; a
    boundary is a sample where f' is 0 or undefined, or a sign change found by bisection.
    Touching intervals of one kind merge (x^3 increases through its flat point)."""
    out: list[list] = []

    def sign(x):
        d = dfn(x)
        return 0 if not _ok(d) or d == 0 else (1 if d > 0 else -1)

    def emit(a, b, s):
        if out and out[-1] is not None and out[-1][2] == s and abs(out[-1][1] - a) < 1e-9:
            out[-1][1] = b
        else:
            out.append([a, b, s])

    for seg in segments:
        if out:
            out.append(None)        # intervals merge only within one segment
        start, run, prev = seg[0][0], 0, None
        for x, _ in seg:
            s = sign(x)
            if s == 0:
                if run:
                    emit(start, _change(sign, prev, x), run)
                start, run = x, 0
            elif run == 0:
                if prev is not None:
                    start = _change(sign, prev, x)
                run = s
            elif s != run:
                cut = _root(dfn, prev, x, float(run))
                emit(start, cut, run)
                start, run = cut, s
            prev = x
        if run:
            emit(start, seg[-1][0], run)
    kinds = {1: "increasing", -1: "decreasing"}
    return tuple((a, b, kinds[s]) for a, b, s in filter(None, out) if b - a >= min_width)
