"""One picture from the `tutor plot` options: which builder, and which options fit it.

Why here and not in the command handler: the choice (a graph for one variable, level curves
for two, a descent path with --descent) and the refusals of options that do not fit it are
plotting knowledge; the handler (`tutor.commands.plot_command`) only reads arguments and
writes the output. Every refusal names the option and says what it is for.
"""
from __future__ import annotations

from ..errors import TutorError
from .figure import FORMATS, Figure

__all__ = ["build_figure", "choose_format"]

_SUFFIX = {"svg": "svg", "png": "png", "pdf": "pdf", "tikz": "tikz", "tex": "tikz"}
_ONE_VAR = ("derivative", "tangent_at", "secants_at")
_TWO_VARS = ("at", "direction", "levels", "yrange")
_OPTION = {"derivative": "--derivative", "tangent_at": "--tangent-at", "secants_at": "--secants-at",
           "at": "--at", "direction": "--direction", "levels": "--levels", "yrange": "--yrange",
           "h": "--h", "start": "--start"}


def choose_format(fmt: str | None, output: str | None) -> str:
    """--format, else the suffix of -o, else svg."""
    if fmt:
        return fmt
    if output:
        suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
        if suffix not in _SUFFIX:
            raise TutorError(f"cannot tell the format of {output!r} from its suffix", code="usage",
                             hint="use --format " + "|".join(FORMATS) + ", or a .svg/.png/.pdf/.tikz name")
        return _SUFFIX[suffix]
    return "svg"


def _refuse(given: dict, names, why: str) -> None:
    for n in names:
        if given.get(n) not in (None, False):
            raise TutorError(f"{_OPTION[n]} is {why}", code="usage")


def build_figure(expr: str, *, var=None, range=None, yrange=None, derivative=False,
                 tangent_at=None, secants_at=None, h=None, at=None, direction=None, levels=None,
                 descent=False, start=None, rate="0.1", steps=10, input="auto") -> Figure:
    """The Figure the options ask for (see `tutor plot --help`)."""
    from ..expr import free_symbols
    from ..solve import to_expr
    given = dict(derivative=derivative, tangent_at=tangent_at, secants_at=secants_at, at=at,
                 direction=direction, levels=levels, yrange=yrange, h=h, start=start)
    if h is not None and secants_at is None:
        raise TutorError("--h is for the secants: give --secants-at too", code="usage")
    if start is not None and not descent:
        raise TutorError("--start is for gradient descent: give --descent too", code="usage")
    _, e = to_expr(expr, input)
    names = [n.strip() for n in var.split(",")] if var else list(free_symbols(e))
    rng = range
    if len(names) == 2 or (descent and len(names) != 1):
        _refuse(given, _ONE_VAR, "for a function of one variable (this one has two: "
                f"{', '.join(names)})")
        if yrange is not None:
            rng = (range or yrange, yrange)
            if range is None:
                raise TutorError("--yrange needs --range (the x range) too", code="usage")
        if descent:
            from .contours import plot_descent
            return plot_descent(e, names, start=start or "0", rate=rate, steps=steps, range=rng,
                                at=at, direction=direction, levels=levels)
        from .contours import plot_contours
        return plot_contours(e, names, at=at, direction=direction, range=rng, levels=levels)
    if len(names) > 2:
        raise TutorError(f"a picture is of one or two variables; this function has {len(names)} "
                         f"({', '.join(names)})", code="variables")
    _refuse(given, _TWO_VARS, "for level curves of a function of two variables")
    if descent:
        _refuse(given, _ONE_VAR, "not for a descent picture")
        from .contours import plot_descent
        return plot_descent(e, names[0] if names else None, start=start or "0", rate=rate,
                            steps=steps, range=range)
    from .curves import plot
    return plot(e, names[0] if names else None, range=range, derivative=derivative,
                tangent_at=tangent_at, secants_at=secants_at, h=h if h is not None else (1, 0.5, 0.1))
