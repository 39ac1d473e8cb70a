"""What the figure builders share: reading ranges and values as users type them, numbers
and names written for legends (Unicode and LaTeX), the palette.

Why here: `plot`, `plot_contours` and `plot_descent` read `range=` and points the same way and
label numbers the same way, so a legend's "h = 1/2" reads alike in every picture.
"""
from __future__ import annotations

import math
from fractions import Fraction

from ..errors import TutorError
from ..expr import Expr
from .figure import Label

__all__ = ["on_big_stack", "check_size", "MAX_PLOT_NODES", "read_range", "read_value", "num_label", "var_label", "expr_label", "compiled",
           "F_COLOR", "D_COLOR", "TANGENT_COLOR", "INC_COLOR", "DEC_COLOR", "CONTOUR_COLOR",
           "GRAD_COLOR", "DIR_COLOR", "PATH_COLOR", "THROUGH_COLOR", "secant_colors", "MAX_SPAN"]

F_COLOR, D_COLOR, TANGENT_COLOR = "#1f77b4", "#ff7f0e", "#d62728"
INC_COLOR, DEC_COLOR = "#2ca02c", "#d62728"
CONTOUR_COLOR, GRAD_COLOR, DIR_COLOR, PATH_COLOR = "#6f7f96", "#d62728", "#7b3294", "#111111"
THROUGH_COLOR = "#1f77b4"
MAX_SPAN = 1e6           # a range wider than this is refused: nothing would be seen
MAX_PLOT_NODES = 3000    # f and f' together (tree nodes): a picture costs thousands of evaluations


def check_size(nodes: int, what: str) -> None:
    """Refuse a function too big to sample in bounded time (textbook ones have under 200)."""
    if nodes > MAX_PLOT_NODES:
        raise TutorError(f"{what} is too large to plot ({nodes:,} tree nodes; the limit is "
                         f"{MAX_PLOT_NODES:,}, MAX_PLOT_NODES)", code="limit",
                         hint="plot a smaller function, or a part of it")


def secant_colors(n: int) -> list[str]:
    """Greens from light (the widest h) to dark (the smallest, nearest the tangent)."""
    light, dark = (0xa1, 0xd9, 0x9b), (0x00, 0x5a, 0x24)
    out = []
    for i in range(n):
        t = i / (n - 1) if n > 1 else 1.0
        out.append("#" + "".join(f"{round(a + t * (b - a)):02x}" for a, b in zip(light, dark)))
    return out


def read_value(v, what: str) -> Fraction | float:
    """A number as users give it: 2, 0.5, "pi/4", "-1/3", a Fraction; exact where it can be."""
    from ..evaluation import evaluate
    if isinstance(v, bool):
        raise TutorError(f"{what} must be a number, not {v!r}", code="value")
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    if isinstance(v, float):  # the decimal the user typed, exactly (0.1 is 1/10)
        if not math.isfinite(v):
            raise TutorError(f"{what} must be finite, not {v}", code="value")
        return Fraction(repr(v))
    if isinstance(v, str):
        from ..language import parse
        from ..expr import free_symbols
        try:
            e = parse(v.strip())
        except TutorError as exc:
            raise TutorError(f"{what} must be a number, not {v.strip()!r} ({exc.message})",
                             code="value") from None
        if free_symbols(e):
            raise TutorError(f"{what} must be a number, not {v.strip()!r}", code="value")
        return evaluate(e, {})
    raise TutorError(f"{what} must be a number, not {v!r}", code="value")


def read_range(r, what: str = "the range") -> tuple[float, float] | None:
    """(lo, hi) from a pair or "lo,hi" ("-pi,pi" too); lo < hi, both finite, span bounded."""
    if r is None:
        return None
    parts = r.split(",") if isinstance(r, str) else list(r)
    if len(parts) != 2:
        raise TutorError(f"{what} is two numbers lo,hi such as -2,3, not {r!r}", code="range")
    lo, hi = (float(read_value(p, what)) for p in parts)
    if not lo < hi:
        raise TutorError(f"{what} must go from a smaller to a larger number, not {_g(lo)},{_g(hi)}",
                         code="range")
    if hi - lo > MAX_SPAN or max(abs(lo), abs(hi)) > 1e9:
        raise TutorError(f"{what} {_g(lo)},{_g(hi)} is too wide to draw (the limit is a span of "
                         f"{MAX_SPAN:g}, ends within 1e9)", code="range")
    if hi - lo < 1e-9 * max(1.0, abs(lo)):
        raise TutorError(f"{what} {_g(lo)},{_g(hi)} is too narrow to draw", code="range")
    return lo, hi


def _g(v: float) -> str:
    return f"{v:g}"


def num_label(v) -> Label:
    """A number for a legend: a short decimal as typed (0.1), else a fraction when its
    denominator is small (-2/3), else 4 significant digits; a true minus sign in Unicode."""
    if isinstance(v, Fraction) and v.denominator > 1 and 10 ** 4 % v.denominator == 0:
        s = f"{float(v):.4f}".rstrip("0")
        return Label(s.replace("-", "−"), s)
    if isinstance(v, Fraction) and v.denominator <= 1000:
        if v.denominator == 1:
            return Label(str(v.numerator).replace("-", "−"), str(v.numerator))
        sign = "−" if v < 0 else ""
        tex_sign = "-" if v < 0 else ""
        p, q = abs(v.numerator), v.denominator
        return Label(f"{sign}{p}/{q}", f"{tex_sign}\\frac{{{p}}}{{{q}}}")
    x = float(v)
    s = f"{x:.4g}"
    if "e" in s:
        m, ex = s.split("e")
        return Label(f"{m}·10^{int(ex)}".replace("-", "−"), f"{m}\\cdot 10^{{{int(ex)}}}")
    return Label(s.replace("-", "−"), s)


def var_label(name: str) -> Label:
    from ..printing import latex_name, unicode_name
    return Label(unicode_name(name), latex_name(name))


def expr_label(e: Expr) -> Label:
    """An expression for a title or a legend (maths only; tex without the $...$)."""
    from ..printing import to_latex, to_unicode
    return Label(to_unicode(e).replace("-", "−"), to_latex(e))


def on_big_stack(expr, fn, *args, **kwargs):
    """fn(...) directly for a shallow input, else once on the big-stack worker
    (`tutor._deep`): then every compiled call inside runs there directly, instead of hopping
    to a fresh thread for each of thousands of samples."""
    from .._deep import is_shallow, run_deep
    if is_shallow(expr):
        return fn(*args, **kwargs)
    return run_deep(lambda _: fn(*args, **kwargs), expr)   # expr is deep: a worker runs it


def compiled(e: Expr, names) -> object:
    """A float function of the plot variables: NaN where e is undefined, never raising."""
    from ..evaluation import compile_float
    f = compile_float(e, list(names))
    if len(names) == 1:
        return lambda x: f((x,))
    return lambda *xs: f(xs)
