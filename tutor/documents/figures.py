"""Figures for an answer key, drawn by the plotting package (`tutor.plotting`, the `[plot]`
extra for SVG) through its public interface only:

    tutor.plot(expr, var=None, *, range=None, derivative=False, tangent_at=None,
               secants_at=None, h=(1, 0.5, 0.1)) -> Figure
    Figure.to_tikz() -> str      a complete tikzpicture (pgfplots, compat 1.18)
    Figure.to_svg() -> str

Why lazily: `import tutor` and an answer key without figures must not load it, and a key
asked for SVG figures (Markdown, HTML) where Matplotlib is missing is one clear error (what to
install), not a traceback; LaTeX keys draw TikZ, which needs nothing. A figure the plotting package refuses (a TutorError) is a note,
not a failed problem: the worked solution still stands.
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from ..errors import TutorError
from .work import PlotRequest

__all__ = ["plotting_available", "require_plotting", "draw", "INSTALL_HINT"]

INSTALL_HINT = 'install the plotting extra: pip install "derivative-tutor[plot]" (from a checkout: pip install ".[plot]")'


def plotting_available(fmt: str = "tikz") -> bool:
    """Whether figures in `fmt` can be drawn here: TikZ needs nothing beyond tutor; SVG needs
    Matplotlib (the `[plot]` extra)."""
    try:
        if find_spec("tutor.plotting") is None:
            return False
        return fmt == "tikz" or find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        return False


def require_plotting(fmt: str = "tikz") -> None:
    """Raise the one clear error when figures are asked for and cannot be drawn."""
    if not plotting_available(fmt):
        raise TutorError(f"figures (--plots) in {fmt.upper()} need Matplotlib, which this "
                         "installation does not have (LaTeX keys draw TikZ and need nothing)",
                         code="plot", hint=INSTALL_HINT)


def draw(req: PlotRequest, fmt: str) -> str:
    """The figure of one problem as TikZ or SVG text."""
    plotting = import_module("tutor.plotting")
    plot = getattr(plotting, "plot", None)
    if plot is None:
        import tutor
        plot = tutor.plot
    kw = {"derivative": req.derivative}
    if req.tangent_at is not None:
        kw["tangent_at"] = req.tangent_at
    if req.secants_at is not None:
        kw["secants_at"] = req.secants_at
    try:
        fig = plot(req.expr, req.var, **kw)
        return fig.to_tikz() if fmt == "tikz" else fig.to_svg()
    except ImportError as exc:
        raise TutorError(f"figures in {fmt.upper()} need a package that is missing "
                         f"({exc.name or exc})", code="plot", hint=INSTALL_HINT) from None
