"""Grading the answers of the implicit and tangent routes: dy/dx of a curve, a tangent line.

Why apart from `check`'s own comparison: an implicit derivative is an expression in x AND y,
and a right answer may equal ours only on the curve (−25/y³ and −(x² + y²)/y³ for
x² + y² = 25). So an implicit answer is correct when it equals the reference as a function
of x and y, or else when it agrees with it at points of the curve; the feedback says which.
A tangent line is correct when it is the same line (the same values at three points, exactly),
whatever form it is written in (`y = 1/16 - (w - 4)/32`, `y = -w/32 + 3/16`).
"""
from __future__ import annotations

import random

from ..errors import TutorError
from ..expr import Expr, free_symbols
from .records import Verdict

__all__ = ["is_equation", "check_implicit", "check_tangent"]

_POINTS = 12          # (x, y) points where the answer is compared as a function of x and y


def is_equation(function) -> bool:
    """Whether a problem is an equation (one `=`, not part of <=, >=, ==): the implicit route."""
    if not isinstance(function, str) or "=" not in function:
        return False   # no `=`: split_equation would refuse it (a raise costs ~3 us a check)
    from ..routes.implicit import split_equation
    try:
        split_equation(function)
    except TutorError:
        return False
    return True


def _read_answer(answer, input: str) -> Expr | Verdict:
    from .answer import read
    if not isinstance(answer, str):
        return answer
    if not answer.strip():
        return Verdict("invalid", 0.0, "the answer is empty", error_code="empty")
    try:
        return read(answer, input)
    except TutorError as exc:
        return Verdict("invalid", 0.0, str(exc), error_code=exc.code)


def _equal_as_functions(a: Expr, b: Expr, names: tuple[str, ...], seed: int) -> bool | None:
    """a = b at random points of the plane (both defined there): True, False, None (no point)."""
    from ..evaluation import evaluate_float
    rng = random.Random(seed)
    agreed = 0
    for _ in range(_POINTS * 8):
        point = {n: rng.choice((-1, 1)) * rng.uniform(0.3, 4.0) for n in names}
        try:
            va, vb = evaluate_float(a, point), evaluate_float(b, point)
        except (TutorError, ArithmeticError, ValueError):
            continue
        if va != va or vb != vb:
            continue
        if abs(va - vb) > 1e-7 * max(1.0, abs(va), abs(vb)):
            return False
        agreed += 1
        if agreed >= _POINTS:
            return True
    return None


def check_implicit(equation: str, answer, order: int = 1, *, dep: str = "y", var: str = "x",
                   input: str = "auto") -> Verdict:
    """Grade dy/dx (order 2: d²y/dx²) of the curve `equation`, an answer in x and y."""
    from ..printing import to_text
    from ..routes.implicit import implicit, same_on_curve
    rec = implicit(equation, dep, var, None, order, input=input)
    expected = rec.second if order == 2 else rec.answer
    a = _read_answer(answer, input)
    if isinstance(a, Verdict):
        return Verdict(a.verdict, 0.0, a.feedback, expected=expected, error_code=a.error_code)
    allowed = set(free_symbols(rec.lhs)) | set(free_symbols(rec.rhs)) | {dep, var}
    extra = sorted(set(free_symbols(a)) - allowed)
    if extra:
        return Verdict("invalid", 0.0, f"your answer uses {', '.join(extra)}: write d{dep}/d{var} "
                       f"in terms of {var} and {dep}", expected=expected, answer=a,
                       error_code="variable")
    names = tuple(sorted(allowed))
    what = f"d^2{dep}/d{var}^2" if order == 2 else f"d{dep}/d{var}"
    same = _equal_as_functions(a, expected, names, seed=len(equation))
    if same:
        return Verdict("correct", 1.0, f"Correct: your answer equals {what} = "
                       f"{to_text(expected)}.", expected=expected, answer=a)
    on_curve = same_on_curve(a, expected, equation, dep, var)
    if on_curve:
        return Verdict("correct", 1.0, f"Correct on the curve: your answer agrees with "
                       f"{what} = {to_text(expected)} at every point of {equation} "
                       "(the two differ off the curve).", expected=expected, answer=a)
    if on_curve is None and same is None:
        return Verdict("undetermined", 0.0, "could not find points of the curve where both "
                       "expressions are defined", expected=expected, answer=a,
                       error_code="no-points")
    return Verdict("incorrect", 0.0, f"Not correct: {what} = {to_text(expected)}, and "
                   "your answer differs from it on the curve.", expected=expected, answer=a)


def check_tangent(function: str, at, answer, *, normal: bool = False, var: str | None = None,
                  input: str = "auto") -> Verdict:
    """Grade a tangent (or normal) line of y = f(x), or of a curve, at a point."""
    from ..printing import to_text
    from ..routes.tangent import same_line, tangent
    t = tangent(function, at, normal, var, input=input)
    line = t.normal if normal else t.tangent
    which = "normal" if normal else "tangent"
    shown = f"{t.var} = {to_text(line.rhs)}" if line.vertical else f"{t.dep} = {to_text(line.rhs)}"
    if isinstance(answer, str) and not answer.strip():
        return Verdict("invalid", 0.0, "the answer is empty", expected=line.rhs, error_code="empty")
    try:
        same = same_line(answer, t, which)
    except TutorError as exc:
        return Verdict("invalid", 0.0, str(exc), expected=line.rhs, error_code=exc.code)
    if same:
        return Verdict("correct", 1.0, f"Correct: the {which} line is {shown}.", expected=line.rhs)
    return Verdict("incorrect", 0.0, f"Not correct: the {which} line is {shown}.",
                   expected=line.rhs)
