"""The derivative at a point: substitute, then do the arithmetic one level at a time.

`evaluate_at(solution, point)` (also `Solution.at(w=4)`) returns an `AtPoint` record:
the derivative, the substitution and each arithmetic line as steps, the exact value
(a Fraction when the arithmetic stays rational, else the last exact line such as cos(1))
and a decimal beside it. Renderers only read the record.

Decisions a caller must know:
- Point values may be Exprs, ints, Fractions, floats or text in either input language
  (`pi/2`, `1/3`, `\\frac{1}{2}`). Exprs are substituted into the tree, so sin(pi/2) is 1
  exactly; a float anywhere makes the whole evaluation float (no exact value then).
- The point must give every variable of the function (and of differentiation) and nothing
  else: VariableError otherwise, with the names.
- The function itself is checked first: d/dx ln x at -1 says the *function* is undefined
  there. Then the derivative: `1/x` at 0 says the derivative is undefined at x = 0.
- Arithmetic lines fold the innermost constant sub-expressions with a rational value, one
  round per line (at most MAX_LINES lines; skipped for very large trees).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import DomainError, TutorError, VariableError
from ..render.common import derivative_head, standalone_document, tex_escape
from ..evaluation.core import evaluate, format_value, value_pair
from ..expr import Call, Derivative, Div, Expr, Neg, Num, Sym, children, free_symbols, num, replace, size, walk, with_children

__all__ = ["rational_expr", "AtPoint", "PointStep", "evaluate_at", "normalise_point", "point_text", "derivative_head"]

SCHEMA = "tutor.atpoint/1"
MAX_LINES = 12
MAX_FOLD_SIZE = 3000
DIGITS = 10


@dataclass(frozen=True, slots=True)
class PointStep:
    """One line of the substitution: kind is "derivative", "substitute" or "arithmetic"."""
    kind: str
    expr: Expr
    note: str = ""


@dataclass(frozen=True)
class AtPoint:
    solution: object                     # the Solution (solve.py)
    point: tuple                         # ((name, Expr), ...) in the function's variable order
    derivative: Expr
    steps: tuple                         # PointStep, ...
    value: Fraction | float              # the derivative's value
    exact: Expr | None                   # exact form (-1/32, cos(1)); None when floats were used
    decimal: str                         # "-0.03125"
    function_value: Fraction | float

    @property
    def exact_text(self) -> str | None:
        from ..printing import to_text
        return None if self.exact is None else to_text(self.exact)

    def to_text(self, detail: str = "normal") -> str:
        from ..printing import to_text
        out = [] if detail == "brief" else [self.solution.to_text(detail), ""]
        head = to_text(derivative_head(self.solution))
        out.append(f"At {point_text(self.point)}:")
        for s in self.steps:
            body = _text(s.expr)
            line = f"  {head} = {body}" if s.kind == "derivative" else f"  = {body}"
            out.append(f"{line.ljust(40)}  [{s.note}]" if s.note else line)
        out.append(f"Answer: {head} at {point_text(self.point)} = {self.value_text()}")
        return "\n".join(out)

    def value_text(self, show=None) -> str:
        """"-1/32 ≈ -0.03125", "cos(1) ≈ 0.5403023059", or just the decimal."""
        show = show or _text
        if self.exact is None:
            return self.decimal
        exact = show(self.exact)
        if isinstance(self.value, Fraction) and self.value.denominator == 1:
            return exact
        return f"{exact} ≈ {self.decimal}"

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from ..printing import to_latex
        head = to_latex(derivative_head(self.solution))
        rows = []
        for s in self.steps:
            lhs = head if s.kind == "derivative" else ""
            note = f" && \\text{{{tex_escape(s.note)}}}" if s.note else ""
            rows.append(f"{lhs} &= {to_latex(s.expr)}{note}")
        value = self.value_text(to_latex).replace("≈", "\\approx")
        rows.append(f"&= {value}")
        body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
        if detail != "brief":
            body = self.solution.to_latex(detail) + "\n" + body
        if standalone:
            return standalone_document(body)
        return body

    def to_markdown(self, detail: str = "normal") -> str:
        from ..printing import to_latex
        out = [] if detail == "brief" else [self.solution.to_markdown(detail), ""]
        out.append(f"**At** ${point_text(self.point, to_latex)}$:")
        head = to_latex(derivative_head(self.solution))
        for s in self.steps:
            lhs = head + " " if s.kind == "derivative" else ""
            out.append(f"$$ {lhs}= {to_latex(s.expr)} $$" + (f" *({s.note})*" if s.note else ""))
        out.append("")
        value = self.value_text(to_latex).replace("≈", "\\approx")
        out.append(f"**Value:** ${value}$")
        return "\n".join(out)

    def to_dict(self, detail: str = "full") -> dict:
        from ..printing import expr_json
        exact, _ = value_pair(self.value, DIGITS)
        return {
            "schema": SCHEMA,
            "function": expr_json(self.solution.function),
            "variables": list(self.solution.variables),
            "point": {name: expr_json(v) for name, v in self.point},
            "derivative": expr_json(self.derivative),
            "steps": [{"kind": s.kind, "expr": expr_json(s.expr), "note": s.note} for s in self.steps],
            "value": {"exact": expr_json(self.exact) if self.exact is not None else None,
                      "rational": exact, "decimal": self.decimal,
                      "float": float(self.value)},
            "function_value": {"rational": value_pair(self.function_value, DIGITS)[0],
                               "decimal": value_pair(self.function_value, DIGITS)[1]},
            "solution": self.solution.to_dict(detail),
        }

    def __str__(self) -> str:
        return self.to_text()


def _text(e: Expr) -> str:
    """to_text, but a whole-line rational as "-1/32" (the printer would say "-(1/32)")."""
    from ..printing import to_text
    if _is_number(e):
        return format_value(evaluate(e, {}))
    return to_text(e)


def point_text(point, show=None) -> str:
    from ..printing import to_text
    show = show or to_text
    return ", ".join(f"{show(Sym(n))} = {show(v)}" for n, v in point)


# ---------------------------------------------------------------- the point

def _value_expr(name: str, v) -> Expr:
    """A point value as an Expr: numbers exactly, floats by their shortest decimal."""
    if isinstance(v, bool):
        raise VariableError(f"the value for {name} must be a number, not {v!r}")
    if isinstance(v, (int, Fraction)):
        return num(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise VariableError(f"the value for {name} must be a finite number, not {v}")
        return num(Fraction(repr(v)))
    if isinstance(v, str):
        from ..language.calc import parse
        v = parse(v)
    if isinstance(v, (Num, Sym, Neg, Call)) or hasattr(v, "__dataclass_fields__"):
        names = free_symbols(v)
        if names:
            raise VariableError(f"the value for {name} must be a number, not an expression in "
                                f"{', '.join(names)}")
        return v
    raise VariableError(f"the value for {name} must be a number, not {v!r}")


def normalise_point(point: dict, needed: tuple[str, ...]) -> tuple[tuple[tuple[str, Expr], ...], dict]:
    """((name, Expr), ...) in the point's own order, and the float env (empty unless floats were given).
    Raises VariableError for a missing or an unknown name."""
    if not isinstance(point, dict):
        raise VariableError("a point is a mapping of variable names to values, e.g. {'w': 4}")
    unknown = [n for n in point if n not in needed]
    if unknown:
        raise VariableError(
            f"the point gives {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} "
            f"not {'a variable' if len(unknown) == 1 else 'variables'} of the function "
            f"(its variables: {', '.join(needed) or 'none'})")
    missing = [n for n in needed if n not in point]
    if missing:
        raise VariableError(f"the point has no value for {', '.join(missing)}: give every variable "
                            f"of the function ({', '.join(needed)})",
                            hint="e.g. " + ",".join(f"{n}=1" for n in needed))
    pairs = tuple((n, _value_expr(n, v)) for n, v in point.items())
    floats = {n: float(v) for n, v in point.items() if isinstance(v, float)}
    if floats:  # one float makes the point all float (as evaluate does)
        floats = {n: float(_eval(v, {})) for n, v in pairs}
    return pairs, floats


def _eval(e: Expr, env: dict):
    return evaluate(e, env)


def _at(e: Expr, pairs, floats: dict):
    if floats:
        return evaluate(e, floats)
    return evaluate(replace(e, {Sym(n): v for n, v in pairs}), {})


# ---------------------------------------------------------------- arithmetic lines

def rational_expr(q: Fraction | int) -> Expr:
    """An exact rational as a tree that prints as a fraction: -1/32, not -0.03125."""
    q = Fraction(q)
    if q.denominator == 1:
        return num(q)
    body = Div(Num(Fraction(abs(q.numerator))), Num(Fraction(q.denominator)))
    return Neg(body) if q < 0 else body


def _is_number(e: Expr) -> bool:
    if isinstance(e, Neg):
        e = e.arg
    if isinstance(e, Num):
        return True
    return (isinstance(e, Div) and isinstance(e.num, Num) and isinstance(e.den, Num)
            and e.num.value.denominator == 1 and e.den.value.denominator == 1 and e.den.value > 1
            and Fraction(e.num.value, e.den.value).denominator == e.den.value)


def _fold_round(e: Expr) -> Expr:
    """Replace each innermost constant sub-expression with a rational value by that value."""
    memo: dict = {}

    def foldable(node: Expr) -> bool:
        if node in memo:
            return memo[node]
        ok = False
        if not _is_number(node) and not any(isinstance(n, (Sym, Derivative)) for n in walk(node)):
            try:
                ok = isinstance(evaluate(node, {}), Fraction)
            except TutorError:
                ok = False
        memo[node] = ok
        return ok

    def go(node: Expr) -> Expr:
        kids = children(node)
        if kids:
            new = tuple(go(k) for k in kids)
            if new != kids:
                return with_children(node, new)
        if foldable(node):
            return rational_expr(evaluate(node, {}))
        return node
    return go(e)


def _arithmetic_lines(e: Expr) -> list[Expr]:
    lines: list[Expr] = []
    if size(e) > MAX_FOLD_SIZE:
        return lines
    current = e
    for _ in range(MAX_LINES):
        nxt = _fold_round(current)
        if nxt == current:
            break
        lines.append(nxt)
        current = nxt
    return lines


# ---------------------------------------------------------------- public

def evaluate_at(solution, point: dict) -> AtPoint:
    """The solution's derivative at `point` ({name: Expr | int | Fraction | float | str})."""
    from .. import _deep
    return _deep.run_deep(_evaluate_at, solution, point)


def _evaluate_at(solution, point: dict) -> AtPoint:
    needed = tuple(dict.fromkeys(free_symbols(solution.function) + tuple(solution.variables)))
    pairs, floats = normalise_point(point, needed)
    where = point_text(pairs)
    from ..printing import to_text
    try:
        fvalue = _at(solution.function, pairs, floats)
    except DomainError as exc:
        raise DomainError(f"the function {to_text(solution.function)} is undefined at {where}, "
                          f"so it has no derivative there: {exc.message}", code="domain") from None
    answer = solution.answer
    try:
        value = _at(answer, pairs, floats)
    except DomainError as exc:
        raise DomainError(f"the derivative {to_text(answer)} is undefined at {where}: "
                          f"{exc.message}", code="domain") from None
    substituted = replace(answer, {Sym(n): v for n, v in pairs})
    steps = [PointStep("derivative", answer, "")]
    if substituted != answer:
        steps.append(PointStep("substitute", substituted, f"substitute {where}"))
    exact: Expr | None = None
    if not floats:
        for line in _arithmetic_lines(substituted):
            steps.append(PointStep("arithmetic", line, "arithmetic"))
        last = steps[-1].expr
        exact = rational_expr(value) if isinstance(value, Fraction) else last
        if isinstance(value, Fraction) and last != exact:
            steps.append(PointStep("arithmetic", exact, "arithmetic"))
    _, decimal = value_pair(value, DIGITS)
    return AtPoint(solution, pairs, answer, tuple(steps), value, exact, decimal, fvalue)


def format_number(v, digits: int = DIGITS) -> str:
    """Exact text when rational, else the decimal (shared by multivar and descent)."""
    return format_value(v, digits)
