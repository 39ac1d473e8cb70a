"""The Matplotlib backend: a Figure record drawn as svg, png or pdf.

Why Matplotlib, and why only here: it is the plotting library a Python course already has,
and it writes all three formats from one drawing; but it is an optional extra, so it is
imported inside `render` only (never by `import tutor`), and its absence is a TutorError
that says how to install it. No pyplot: a `matplotlib.figure.Figure` of our own, so there is
no global state and nothing opens a window. Output is deterministic (a fixed SVG hash salt,
no dates in the metadata), so the same figure gives the same bytes.

Thread safety: Matplotlib's settings are global, so a drawing holds a lock while it uses its
own (`rc_context`); the Figure record itself is immutable.

Each curve piece is its own Line2D whose gid is `role-i-j` (curve i of the figure, piece j):
in the SVG each is a <g id="role-i-j"> holding one <path>, which the tests read.
"""
from __future__ import annotations

import io
import threading

from ..errors import TutorError


__all__ = ["render", "INSTALL", "BAND_TEXT"]

INSTALL = 'pip install ".[plot]"'
_DASH = {"solid": "-", "dashed": "--", "dotted": ":"}
BAND_TEXT = 0.18             # a band this share of the width or wider is labelled in place
_RC_LOCK = threading.Lock()   # rc_context changes Matplotlib's global settings for the drawing


def _matplotlib():
    try:
        import matplotlib
        from matplotlib.figure import Figure as MplFigure
    except ImportError:
        raise TutorError("svg, png and pdf plots need Matplotlib, which is not installed",
                         code="dependency",
                         hint=f"{INSTALL} (or pip install matplotlib); --format tikz needs nothing") from None
    return matplotlib, MplFigure


def render(fig, fmt: str, dpi: int = 110) -> bytes:
    """The picture as bytes in fmt ("svg", "png" or "pdf")."""
    matplotlib, MplFigure = _matplotlib()
    rc = {"svg.hashsalt": "tutor", "svg.fonttype": "none", "path.simplify": False,
          "font.size": 10, "legend.fontsize": 8, "axes.titlesize": 11}
    with _RC_LOCK, matplotlib.rc_context(rc):
        m = MplFigure(figsize=(7.2, 6.0) if fig.equal_aspect else (7.6, 5.2), dpi=dpi)
        ax = m.add_subplot()
        _draw(ax, fig)
        buf = io.BytesIO()
        meta = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                "png": {}}[fmt]
        m.savefig(buf, format=fmt, metadata=meta, bbox_inches="tight")
    return buf.getvalue()


def _draw(ax, fig) -> None:
    (x0, x1), (y0, y1) = fig.xlim, fig.ylim
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    if fig.equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if y0 < 0 < y1 and not fig.equal_aspect:
        ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    if x0 < 0 < x1 and not fig.equal_aspect:
        ax.axvline(0, color="#888888", linewidth=0.8, zorder=1)
    seen = set()
    for b in fig.bands:
        label = b.label.text if b.kind not in seen else None
        seen.add(b.kind)
        ax.axvspan(b.lo, b.hi, color=b.color, alpha=0.12, linewidth=0, label=label, zorder=0)
        if b.hi - b.lo >= BAND_TEXT * (x1 - x0):   # wide enough: its word at the top, too
            ax.text((b.lo + b.hi) / 2, 0.985, b.kind, transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=8, color=b.color, zorder=1)
    for i, c in enumerate(fig.curves):
        for j, piece in enumerate(c.pieces):
            xs, ys = [p[0] for p in piece], [p[1] for p in piece]
            ax.plot(xs, ys, _DASH[c.style], color=c.color, linewidth=c.width, gid=f"{c.role}-{i}-{j}",
                    label=c.label.text if (j == 0 and c.label) else None,
                    marker="o" if c.marks else None, markersize=3.5, zorder=3 if c.role != "contour" else 2)
    for k, a in enumerate(fig.arrows):
        ax.annotate("", xy=(a.x + a.dx, a.y + a.dy), xytext=(a.x, a.y), zorder=5, annotation_clip=False,
                    arrowprops=dict(arrowstyle="-|>", color=a.color, linewidth=2.0,
                                    mutation_scale=16, shrinkA=0, shrinkB=0), gid=f"arrow-{k}")
        ax.plot([], [], color=a.color, linewidth=2.0, label=a.label.text)  # its legend entry
    for mk in fig.markers:
        ax.plot([mk.x], [mk.y], "o", color=mk.color, markersize=5, zorder=6,
                markeredgecolor="white", markeredgewidth=0.8)
        if mk.label is not None:
            ax.annotate(mk.label.text, (mk.x, mk.y), textcoords="offset points", xytext=(6, 6),
                        fontsize=8, color=mk.color, zorder=6)
    ax.set_title(fig.title.text)
    ax.set_xlabel(fig.xlabel.text)
    ax.set_ylabel(fig.ylabel.text)
    if ax.get_legend_handles_labels()[1]:
        if fig.equal_aspect:  # level curves fill the window: the legend goes below it
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), framealpha=0.92)
        else:
            ax.legend(loc="best", framealpha=0.92)
