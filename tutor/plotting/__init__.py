"""Plotting: pictures of a function, its derivative, tangents, secants, level curves and a
gradient-descent path (seeds 002, 003, 004).

One job: turn a function into a `Figure` record (sampled in pure Python by the project's own
evaluator, split at poles, jumps and domain edges), and draw the record as svg/png/pdf
(Matplotlib, an optional extra imported only when a picture is drawn) or as pgfplots code
(no dependency). The package is `plotting`, not `plot`, so `tutor.plot` is only the function.

    plot(f, var, range=, derivative=, tangent_at=, secants_at=, h=)   curves
    plot_contours(f, vars, at=, direction=, descent=, range=, levels=)  contours
    plot_descent(J, var, start=, rate=, steps=, ...)                     contours
"""
from .contours import plot_contours, plot_descent
from .curves import plot
from .figure import Arrow, Band, Curve, Figure, Label, Marker

__all__ = ["plot", "plot_contours", "plot_descent", "Figure", "Curve", "Band", "Arrow",
           "Marker", "Label"]
