"""Level curves by marching squares, in pure Python (so the TikZ figure needs no library).

Why our own: pgfplots can draw contours only through an external program (gnuplot), and
Matplotlib is optional; a grid of values and a table of 16 cell cases is all it takes. Each
cell's corners above/below the level pick the edges the curve crosses; the crossing point is
linear interpolation along the edge. The two saddle cases are decided by the cell's centre
value (its mean), the usual convention. Segments are joined into polylines through the edges
they share (an edge is named exactly by its grid position, so joining needs no tolerance).
Cells with an undefined corner (NaN) are skipped: no curve is drawn where f is undefined.
"""
from __future__ import annotations

from typing import Sequence

__all__ = ["contour"]

# edges of a cell: bottom, right, top, left; case -> pairs of edges the curve joins
_B, _R, _T, _L = range(4)
_CASES = {1: ((_L, _B),), 2: ((_B, _R),), 3: ((_L, _R),), 4: ((_R, _T),), 6: ((_B, _T),),
          7: ((_L, _T),), 8: ((_T, _L),), 9: ((_T, _B),), 11: ((_T, _R),), 12: ((_R, _L),),
          13: ((_R, _B),), 14: ((_B, _L),)}
_SADDLE = {  # (centre above, centre below)
    5: (((_B, _R), (_T, _L)), ((_L, _B), (_R, _T))),
    10: (((_L, _B), (_R, _T)), ((_B, _R), (_T, _L))),
}


def contour(values: Sequence[Sequence[float]], xs: Sequence[float], ys: Sequence[float],
            level: float) -> list[tuple]:
    """The polylines where f = level; values[j][i] is f(xs[i], ys[j])."""
    points: dict[tuple, tuple[float, float]] = {}
    segments: list[tuple[tuple, tuple]] = []
    for j in range(len(ys) - 1):
        row0, row1 = values[j], values[j + 1]
        for i in range(len(xs) - 1):
            v00, v10, v11, v01 = row0[i], row0[i + 1], row1[i + 1], row1[i]
            if v00 != v00 or v10 != v10 or v11 != v11 or v01 != v01:
                continue
            case = (v00 >= level) | (v10 >= level) << 1 | (v11 >= level) << 2 | (v01 >= level) << 3
            if case == 0 or case == 15:
                continue
            if case in _SADDLE:
                above = (v00 + v10 + v11 + v01) / 4 >= level
                pairs = _SADDLE[case][0 if above else 1]
            else:
                pairs = _CASES[case]
            corners = ((v00, v10, v11, v01))
            for e1, e2 in pairs:
                k1 = _edge(points, xs, ys, i, j, e1, corners, level)
                k2 = _edge(points, xs, ys, i, j, e2, corners, level)
                segments.append((k1, k2))
    return _join(segments, points)


def _edge(points, xs, ys, i, j, which, corners, level) -> tuple:
    """The edge's key (unique across cells) and its crossing point, computed once."""
    v00, v10, v11, v01 = corners
    match which:
        case 0:
            key, (a, b), (p, q) = ("h", i, j), (v00, v10), ((xs[i], ys[j]), (xs[i + 1], ys[j]))
        case 1:
            key, (a, b), (p, q) = ("v", i + 1, j), (v10, v11), ((xs[i + 1], ys[j]), (xs[i + 1], ys[j + 1]))
        case 2:
            key, (a, b), (p, q) = ("h", i, j + 1), (v01, v11), ((xs[i], ys[j + 1]), (xs[i + 1], ys[j + 1]))
        case _:
            key, (a, b), (p, q) = ("v", i, j), (v00, v01), ((xs[i], ys[j]), (xs[i], ys[j + 1]))
    if key not in points:
        t = 0.5 if a == b else min(1.0, max(0.0, (level - a) / (b - a)))
        points[key] = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
    return key


def _join(segments, points) -> list[tuple]:
    """Chain segments through shared edges: open curves from their ends first, then loops."""
    touching: dict[tuple, list[int]] = {}
    for n, (a, b) in enumerate(segments):
        touching.setdefault(a, []).append(n)
        touching.setdefault(b, []).append(n)
    used = [False] * len(segments)
    lines = []
    starts = [k for k, ns in touching.items() if len(ns) == 1] + list(touching)
    for start in starts:
        for n in touching[start]:
            if used[n]:
                continue
            chain, here = [start], start
            while True:
                nxt = next((m for m in touching[here] if not used[m]), None)
                if nxt is None:
                    break
                used[nxt] = True
                a, b = segments[nxt]
                here = b if a == here else a
                chain.append(here)
            if len(chain) >= 2:
                lines.append(tuple(points[k] for k in chain))
    return lines
