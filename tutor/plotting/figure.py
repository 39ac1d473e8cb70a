"""The Figure record: what a picture shows, independent of who draws it.

Why a record between the maths and the drawing: the same figure goes to Matplotlib (svg, png,
pdf) and to pgfplots (TikZ for LaTeX notes), and tests can read what is drawn (each curve's
segments, the shaded intervals, the arrows) without parsing pixels. Everything is computed
when the figure is built; the backends only draw. Records are frozen: a figure is a value.

Text comes in pairs (`Label`): Unicode for Matplotlib (the project's unicode printer: `x³ − 3x`)
and LaTeX for pgfplots (the LaTeX printer), so each backend writes maths its own best way.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

from ..errors import TutorError

__all__ = ["Label", "Curve", "Band", "Arrow", "Marker", "Figure", "FORMATS"]

FORMATS = ("svg", "png", "pdf", "tikz")
_SUFFIXES = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".tikz": "tikz", ".tex": "tikz"}


@dataclass(frozen=True, slots=True)
class Label:
    """One piece of text, twice: `text` (Unicode, for Matplotlib) and `tex` (a LaTeX text-mode
    string with maths in $...$, for pgfplots)."""
    text: str
    tex: str


@dataclass(frozen=True, slots=True)
class Curve:
    """A polyline series drawn in pieces: `pieces` never join (a pole, a domain edge or the
    window's edge lies between them). role: "f", "derivative", "tangent", "secant", "contour",
    "path" (descent iterates) or "direction"."""
    role: str
    label: Label | None
    pieces: tuple           # ((x, y), ...) per piece
    color: str              # "#rrggbb"
    style: str = "solid"    # "solid" | "dashed" | "dotted"
    width: float = 1.6
    marks: bool = False


@dataclass(frozen=True, slots=True)
class Band:
    """A shaded vertical strip lo <= x <= hi: where f increases or decreases."""
    lo: float
    hi: float
    kind: str               # "increasing" | "decreasing"
    label: Label
    color: str


@dataclass(frozen=True, slots=True)
class Arrow:
    """An arrow from (x, y) by (dx, dy), as drawn (already scaled to the window)."""
    x: float
    y: float
    dx: float
    dy: float
    label: Label
    color: str


@dataclass(frozen=True, slots=True)
class Marker:
    """A marked point with a short label written beside it."""
    x: float
    y: float
    label: Label | None
    color: str


@dataclass(frozen=True)
class Figure:
    """A picture: title, axis labels, window, and what is drawn in it (bottom to top: bands,
    curves, arrows, markers). `intervals` is the data behind the bands, ((lo, hi, kind), ...);
    `equal_aspect` keeps one unit the same length on both axes (contours, so the gradient
    looks perpendicular to its level curve, as it is)."""
    title: Label
    xlabel: Label
    ylabel: Label
    xlim: tuple
    ylim: tuple
    curves: tuple = ()
    bands: tuple = ()
    arrows: tuple = ()
    markers: tuple = ()
    intervals: tuple = ()
    equal_aspect: bool = False

    def curve(self, role: str) -> tuple:
        """The curves of one role, in drawing order."""
        return tuple(c for c in self.curves if c.role == role)

    def to_svg(self) -> str:
        """SVG text (Matplotlib; each curve piece one <path> in a group id'd role-i-j)."""
        from .mpl import render
        return render(self, "svg").decode("utf-8")

    def to_png(self, dpi: int = 110) -> bytes:
        from .mpl import render
        return render(self, "png", dpi=dpi)

    def to_pdf(self) -> bytes:
        from .mpl import render
        return render(self, "pdf")

    def to_tikz(self) -> str:
        """A complete tikzpicture with one pgfplots axis; the preamble needs only
        \\usepackage{pgfplots} and \\pgfplotsset{compat=1.18}. No dependency."""
        from .tikz import render_tikz
        return render_tikz(self)

    def render(self, format: str) -> str | bytes:
        """The picture in one of FORMATS: str for svg and tikz, bytes for png and pdf."""
        match format:
            case "svg":
                return self.to_svg()
            case "png":
                return self.to_png()
            case "pdf":
                return self.to_pdf()
            case "tikz":
                return self.to_tikz()
        raise TutorError(f"unknown plot format {format!r}: choose one of {', '.join(FORMATS)}",
                         code="format")

    def save(self, path, format: str | None = None) -> pathlib.Path:
        """Write the picture; the format from `format` or the file's suffix (.svg .png .pdf,
        .tikz or .tex for TikZ)."""
        path = pathlib.Path(path)
        fmt = format or _SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise TutorError(f"cannot tell the format of {path.name!r} from its suffix",
                             code="format", hint="use .svg, .png, .pdf, .tikz or .tex, or format=")
        data = self.render(fmt)
        try:
            if isinstance(data, str):
                path.write_text(data, encoding="utf-8")
            else:
                path.write_bytes(data)
        except OSError as exc:
            raise TutorError(f"cannot write {path}: {exc.strerror}", code="io") from None
        return path

    def _repr_svg_(self) -> str | None:
        """Jupyter shows the SVG; without Matplotlib, nothing (the text repr instead)."""
        try:
            return self.to_svg()
        except TutorError:
            return None

    def __repr__(self) -> str:
        return (f"<tutor Figure {self.title.text!r}: {len(self.curves)} curves, "
                f"{len(self.bands)} bands, {len(self.arrows)} arrows>")
