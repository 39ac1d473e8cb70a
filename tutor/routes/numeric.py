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
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import DomainError, EvaluationError, TutorError, VariableError
from ..evaluation.core import evaluate, evaluate_float, format_value
from ..expr import Expr, free_symbols

__all__ = ["FiniteDifference", "finite_difference", "numeric_command", "EPSILONS"]

SCHEMA = "tutor.numeric/1"
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

    def _exact_text(self) -> str:
        from ..evaluation.core import value_pair
        exact, dec = value_pair(self.exact)
        return dec if exact is None or exact == dec else f"{exact} ≈ {dec}"

    def to_text(self) -> str:
        from ..printing import to_text
        v = self.var
        pt = ", ".join(f"{k} = {format_value(x)}" for k, x in self.point.items())
        out = [f"J({v}) = {to_text(self.expr)} at {pt}, epsilon = {self.eps!r}", "",
               f"J = J({v}) = {self.J_text}",
               f"J_epsilon = J({v} + epsilon) = {self.J_epsilon!r}   (Python floats)",
               f"k = (J_epsilon - J)/epsilon = {self.k!r}", "", self.lab_line, "",
               f"exact: dJ/d{v} = {to_text(self.derivative)} = {self._exact_text()} at this point", "",
               f"{'epsilon':>8}  {'forward':>22}  {'error':>9}  {'central':>22}  {'error':>9}"]
        for r in self.rows:
            out.append(f"{r.eps:>8.0e}  {_cell(r.forward, 22)}  {_err(r.forward_error)}  "
                       f"{_cell(r.central, 22)}  {_err(r.central_error)}")
        out += ["", self.conclusion]
        return "\n".join(out)

    def to_latex(self) -> str:
        from ..printing import latex_name, to_latex
        v = latex_name(self.var)
        rows = "\n".join(f"{_tex_num(r.eps)} & {_tex_opt(r.forward)} & {_tex_opt(r.forward_error, 3)} & "
                         f"{_tex_opt(r.central)} & {_tex_opt(r.central_error, 3)} \\\\" for r in self.rows)
        return (f"$J({v}) = {to_latex(self.expr)}$, $\\varepsilon = {_tex_num(self.eps)}$\n\n"
                f"\\begin{{aligned}}\nJ &= {self.J_text} \\\\\nJ_\\varepsilon &= J({v} + \\varepsilon) = "
                f"{self.J_epsilon!r} \\\\\nk &= \\frac{{J_\\varepsilon - J}}{{\\varepsilon}} = {self.k!r}"
                f" \\approx {self.k_text}\n\\end{{aligned}}\n\n"
                f"Exact: $\\frac{{dJ}}{{d{v}}} = {to_latex(self.derivative)} = {_tex_value(self.exact)}$.\n\n"
                "\\begin{tabular}{rrrrr}\n$\\varepsilon$ & forward & error & central & error \\\\ \\hline\n"
                f"{rows}\n\\end{{tabular}}\n\n{self.conclusion}")

    def to_markdown(self) -> str:
        from ..printing import to_latex
        lines = [f"**Finite differences for** $J({self.var}) = {to_latex(self.expr)}$", "",
                 "```", self.lab_line, "```", "",
                 f"Exact: $\\frac{{dJ}}{{d{self.var}}} = {to_latex(self.derivative)} = "
                 f"{_tex_value(self.exact)}$", "",
                 "| ε | forward | error | central | error |", "|---:|---:|---:|---:|---:|"]
        lines += [f"| {r.eps:.0e} | {_cell(r.forward, 0).strip()} | {_err(r.forward_error).strip()} | "
                  f"{_cell(r.central, 0).strip()} | {_err(r.central_error).strip()} |" for r in self.rows]
        return "\n".join(lines + ["", self.conclusion])

    def to_dict(self) -> dict:
        from ..evaluation.core import value_pair
        from ..printing import expr_json
        exact, dec = value_pair(self.exact)
        return {"schema": SCHEMA, "expr": expr_json(self.expr), "var": self.var,
                "point": {k: format_value(x) for k, x in self.point.items()}, "eps": self.eps,
                "J": self.J_text, "J_epsilon": self.J_epsilon, "k": self.k, "k_text": self.k_text,
                "lab_line": self.lab_line, "derivative": expr_json(self.derivative),
                "exact": {"exact": exact, "decimal": dec},
                "table": [{"eps": r.eps, "forward": r.forward, "forward_error": r.forward_error,
                           "central": r.central, "central_error": r.central_error} for r in self.rows],
                "conclusion": self.conclusion}


def python_number(v) -> str:
    """How Python prints the lab's J: an int when integral (9), else the float (0.0625)."""
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        return repr(float(v))
    return repr(float(v))


def _cell(v, width: int) -> str:
    return ("undefined" if v is None else repr(v)).rjust(width)


def _err(v) -> str:
    return ("-" if v is None else f"{v:.2e}").rjust(9)


def _tex_num(v: float) -> str:
    m, e = f"{v:.0e}".split("e")
    return f"10^{{{int(e)}}}" if m == "1" else f"{v!r}"


def _tex_opt(v, digits: int | None = None) -> str:
    if v is None:
        return "\\text{undefined}"
    return f"{v:.{digits - 1}e}" if digits else repr(v)


def _tex_value(v) -> str:
    from .dual import fmt_number
    return fmt_number(v, "latex")


def _choose_var(e: Expr, var: str | None, point: dict) -> str:
    names = free_symbols(e)
    if var:
        if var not in names:
            raise VariableError(f"{var} is not a variable of the expression (its variables: "
                                f"{', '.join(names) or 'none'})", code="unknown_variable")
        return var
    if len(names) == 1:
        return names[0]
    if not names:
        raise VariableError("the expression has no variable to change", code="no_variable")
    raise VariableError(f"the expression has several variables ({', '.join(names)}): choose one "
                        "with --var", code="ambiguous_variable")


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
    from .dual import read_point
    if isinstance(expr, str):
        from ..language.calc import parse
        expr = parse(expr, input)
    e = expr
    point = read_point(e, at)
    v = _choose_var(e, var, point)
    h = _parse_eps(eps)
    nd = _digits(digits)
    J = evaluate(e, point)
    fpoint = {k: float(x) for k, x in point.items()}
    a = fpoint[v]
    J_eps = evaluate_float(e, {**fpoint, v: a + h})
    try:
        k = (J_eps - (J if isinstance(J, float) else float(J))) / h
    except OverflowError:
        raise EvaluationError("the difference is too large for a float (overflow)", code="overflow") from None
    k_text = repr(k) if nd is None else f"{k:0.{nd}f}"
    from ..solve import differentiate
    derivative = run_deep(lambda: differentiate(e, v).answer)
    exact = evaluate(derivative, point)
    xf = float(exact)
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
