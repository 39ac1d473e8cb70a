"""Finite differences, as the lab (seeds 000/001) does them, and why they are approximate.

The lab computes in Python floats:
    J = 3**2; J_epsilon = (3 + 0.001)**2; k = (J_epsilon - J)/0.001
    print(f"J = {J}, J_epsilon = {J_epsilon}, dJ_dw ~= k = {k:0.6f}")
`finite_difference` reproduces that line digit for digit: J is the exact value (printed as an
int when integral, else as the float Python prints: 1/16 -> 0.0625), J_epsilon is evaluated
with Python float semantics operation by operation (`evaluate_float`, the point moved by the
float ε), k = (J_epsilon - J)/ε as Python computes it, shown with 6 decimals (`digits=6`,
the lab's first cell) or as Python's repr (`digits="full"`, the other cells). Then the exact
derivative at the point (from the worked solution) and a table over ε = 1e-1 ... 1e-12 of the
forward difference (O(ε) error) and the central difference (O(ε²)), and a closing sentence
computed from the numbers: where round-off takes over and the error stops shrinking.

Why a route of its own: the lab's arithmetic derivative is where the course starts, and showing
it beside the exact value is how students see why it is approximate. The exact value follows the
kink conventions of `routes.graph` (|u| where u = 0 has none: the same error as every route).
This module computes the record; `tutor.render.routes_numeric` writes it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import DomainError, EvaluationError, TutorError
from ..evaluation import evaluate, evaluate_float
from ..evaluation.kernels import to_float
from ..expr import Expr
from ..render.common import python_number
from ..render.routes_numeric import SCHEMA
from .kinks import abs_kink, abs_kink_error

__all__ = ["FiniteDifference", "Row", "finite_difference", "python_number", "EPSILONS", "SCHEMA"]

EPSILONS = tuple(float(f"1e-{k}") for k in range(1, 13))


@dataclass(frozen=True)
class Row:
    eps: float
    forward: float | None     # None: f undefined at a ± ε
    forward_error: float | None
    central: float | None
    central_error: float | None


@dataclass(frozen=True)
class FiniteDifference:
    expr: Expr
    var: str
    point: dict
    eps: float
    J: object                 # exact value (Fraction) or float
    J_epsilon: float
    k: float
    k_text: str
    exact: object             # the derivative's exact value at the point
    derivative: Expr          # the symbolic derivative (worked solution's answer)
    rows: tuple
    conclusion: str

    @property
    def J_text(self) -> str:
        return python_number(self.J)

    @property
    def lab_line(self) -> str:
        """The lab's printed line, digit for digit."""
        return (f"J = {self.J_text}, J_epsilon = {self.J_epsilon!r}, "
                f"dJ_d{self.var} ~= k = {self.k_text}")

    def to_text(self) -> str:
        from ..render.routes_numeric import render_text
        return render_text(self)

    def to_latex(self) -> str:
        from ..render.routes_numeric import render_latex
        return render_latex(self)

    def to_markdown(self) -> str:
        from ..render.routes_numeric import render_markdown
        return render_markdown(self)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self) -> dict:
        from ..render.routes_numeric import render_dict
        return render_dict(self)


def _parse_eps(eps) -> float:
    if isinstance(eps, str):
        try:
            eps = float(eps.strip())
        except ValueError:
            raise TutorError(f"epsilon must be a number like 0.001, not '{eps}'", code="eps") from None
    eps = float(eps)
    if not (math.isfinite(eps) and eps > 0):
        raise TutorError(f"epsilon must be a positive number, not {eps!r}", code="eps")
    return eps


def _digits(digits) -> int | None:
    if digits in (None, "full"):
        return None
    try:
        n = int(digits)
    except (TypeError, ValueError):
        raise TutorError(f"digits must be a number of decimals or 'full', not '{digits}'",
                         code="digits") from None
    if not 0 <= n <= 30:
        raise TutorError(f"digits must be between 0 and 30, not {n}", code="digits")
    return n


def _f(e: Expr, fpoint: dict, var: str, x: float) -> float | None:
    try:
        return evaluate_float(e, {**fpoint, var: x})
    except (DomainError, EvaluationError):
        return None


def _conclusion(rows: tuple, exact: float) -> str:
    """What the table shows, read off its numbers: the order of each error while truncation
    dominates, and where round-off takes over (the error stops shrinking)."""
    tiny = 1e-10 * max(1.0, abs(exact))
    text = []
    for label, key, order in (("forward", "forward_error", "O(ε)"), ("central", "central_error", "O(ε²)")):
        errs = [(getattr(r, key), r.eps) for r in rows if getattr(r, key) is not None]
        if len(errs) < 2:
            text.append(f"The {label} difference is undefined near this point (the function leaves its domain).")
            continue
        (e0, _), (e1, _) = errs[0], errs[1]
        err, eps = min(errs)
        if e0 <= tiny:
            text.append(f"The {label} difference has no truncation error for this function: its error "
                        f"is round-off alone ({e0:.1e} at ε = 1e-01, {errs[-1][0]:.1e} at ε = "
                        f"{errs[-1][1]:.0e}), which grows as ε shrinks.")
            continue
        shrink = f"shrinks about 10^{math.log10(e0 / e1):.1f}× per step at first ({order})" if e1 > 0 else "vanishes"
        if eps == errs[-1][1]:
            text.append(f"The {label} error {shrink} and is still shrinking at ε = {eps:.0e} ({err:.1e}).")
        else:
            text.append(f"The {label} error {shrink} and is smallest at ε = {eps:.0e} ({err:.1e}); "
                        f"below that, round-off in f(a ± ε) − f(a) takes over and the error grows again.")
    return " ".join(text)


def finite_difference(expr, at, var: str | None = None, eps="0.001", digits=6, *,
                      input: str = "auto") -> FiniteDifference:
    """The lab's arithmetic derivative k of expr at the point `at` ("w=3" or a mapping), the
    exact derivative beside it and the table of shrinking ε."""
    from .._deep import run_deep
    from .points import choose_variable, read_point
    if isinstance(expr, str):
        from ..language import parse
        expr = parse(expr, input)
    e = expr
    point = read_point(e, at)
    v = choose_variable(e, var)
    h = _parse_eps(eps)
    nd = _digits(digits)
    J = evaluate(e, point)
    fpoint = {k: to_float(x) for k, x in point.items()}
    a = fpoint[v]
    J_eps = evaluate_float(e, {**fpoint, v: a + h})
    try:
        k = (J_eps - (J if isinstance(J, float) else to_float(J))) / h
    except OverflowError:
        raise EvaluationError("the difference is too large for a float (overflow)", code="overflow") from None
    k_text = repr(k) if nd is None else f"{k:0.{nd}f}"
    from ..solve import differentiate
    derivative = run_deep(lambda: differentiate(e, v).answer)
    kink = abs_kink(e, lambda u: evaluate(u, point), (v,))
    if kink is not None:  # the exact derivative does not exist there (routes.graph)
        raise abs_kink_error(kink)
    exact = evaluate(derivative, point)
    xf = to_float(exact)  # past the float range: an EvaluationError that says so
    f0 = evaluate_float(e, fpoint)
    rows = []
    for eps_k in EPSILONS:
        fp, fm = _f(e, fpoint, v, a + eps_k), _f(e, fpoint, v, a - eps_k)
        fwd = None if fp is None else (fp - f0) / eps_k
        cen = None if fp is None or fm is None else (fp - fm) / (2 * eps_k)
        rows.append(Row(eps_k, fwd, None if fwd is None else abs(fwd - xf),
                        cen, None if cen is None else abs(cen - xf)))
    rows = tuple(rows)
    return FiniteDifference(e, v, point, h, J, J_eps, k, k_text, exact, derivative, rows,
                            _conclusion(rows, xf))
