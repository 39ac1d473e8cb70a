"""Working one problem of a set: its route's record, the answer for the table, the figure asked.

Why apart from the writers: what a problem *is* (a worked Solution, an AtPoint, a Definition,
an Implicit or Tangent record, a FiniteDifference) does not depend on the format it is printed
in, so every writer (LaTeX, Markdown, and any later one) reads the same `Worked` records. The
routes do the mathematics; this module only calls their public APIs:
`differentiate` (+ `Solution.at`), `from_definition`, `implicit`, `tangent`,
`finite_difference`. An error of any route is a `Failed` record with the line and the column
in the file, never an exception: one bad line must not lose the rest of the set.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import TutorError
from ..expr import Expr, Num, free_symbols
from .problems import BadLine, Problem

__all__ = ["Head", "Answer", "PlotRequest", "Worked", "Failed", "work", "failure"]


@dataclass(frozen=True, slots=True)
class Head:
    """The left side of an answer, printed by each writer in its notation.

    kind: "derivative" (f'(x), f''(x), ∂f/∂x; `point` gives f'(4)), "dydx" (dy/dx,
    d²y/dx², at a point of the curve), "line" (y = ..., the tangent or the normal), "k" (the
    difference quotient)."""
    kind: str
    var: str = "x"
    order: int = 1
    variables: tuple = ()          # for a partial: the variables in order of differentiation
    partial: bool = False
    point: tuple | None = None     # ((name, Expr), ...)
    dep: str = "y"
    label: str = ""                # "tangent" | "normal" for a line
    vertical: bool = False         # a vertical line: x = value


@dataclass(frozen=True, slots=True)
class Answer:
    head: Head
    value: Expr | None             # None: only `approx` (a float)
    approx: str | None = None      # a decimal beside an exact value


@dataclass(frozen=True, slots=True)
class PlotRequest:
    """The arguments of `tutor.plot` (the plotting package's interface) for this problem."""
    expr: str
    var: str
    derivative: bool = False
    tangent_at: object = None      # int, or the value in calculator syntax
    secants_at: object = None


@dataclass(frozen=True)
class Worked:
    number: int
    problem: Problem
    route: str                     # "diff", "at", "definition", "implicit", "tangent", "numeric"
    record: object
    function: Expr                 # what the problem column shows (an equation's left side)
    rhs: Expr | None               # an equation's right side
    answers: tuple                 # Answer, ...
    plot: PlotRequest | None
    detail: str


@dataclass(frozen=True)
class Failed:
    number: int
    line: int
    column: int
    source: str
    error: TutorError


def failure(number: int, item: BadLine) -> Failed:
    return Failed(number, item.line, item.column, item.source, item.error)


def work(number: int, item: Problem | BadLine, detail: str = "normal") -> Worked | Failed:
    """The problem worked by its route, or the reason it cannot be (a Failed record)."""
    if isinstance(item, BadLine):
        return failure(number, item)
    try:
        return _work(number, item, item.options.detail or detail)
    except TutorError as exc:
        column = item.column
        if getattr(exc, "text", None) == item.text and getattr(exc, "line", 1) == 1:
            column = item.column + getattr(exc, "column", 1) - 1
        return Failed(number, item.line, column, item.source, exc)
    except (RecursionError, MemoryError) as exc:
        return Failed(number, item.line, item.column, item.source, TutorError(
            f"the problem is too large to handle ({type(exc).__name__})", code="limit"))


def _value(e: Expr):
    """A point's value as `tutor.plot` takes it: an int, else calculator text."""
    from ..printing import to_text
    if isinstance(e, Num) and e.value.denominator == 1:
        return int(e.value)
    return to_text(e)


def _plot(f: Expr, var: str, **kw) -> PlotRequest | None:
    """Only a function of the one variable has a graph to draw."""
    from ..printing import to_text
    if set(free_symbols(f)) - {var}:
        return None
    return PlotRequest(to_text(f), var, **kw)


def _work(number: int, p: Problem, detail: str) -> Worked:
    o = p.options
    match o.route:
        case "diff":
            return _diff(number, p, detail)
        case "definition":
            from ..routes.definition import from_definition
            d = from_definition(p.text, o.var, o.at, o.table)
            answers = [Answer(Head("derivative", d.var, 1, d.variables, d.partial), d.answer)]
            if d.value is not None:
                answers.append(Answer(Head("derivative", d.var, 1, d.variables, d.partial, d.point),
                                      d.value, _decimal(d.decimal, d.value)))
            a = dict(d.point or ()).get(d.var)
            plot = _plot(d.function, d.var, **({"secants_at": _value(a)} if a is not None
                                               else {"derivative": True}))
            return Worked(number, p, "definition", d, d.function, None, tuple(answers), plot, detail)
        case "implicit":
            from ..routes.implicit import implicit
            r = implicit(p.text, o.dep, o.var or "x", o.at, o.order)
            answers = [Answer(Head("dydx", r.var, 1, dep=r.dep), r.answer)]
            if r.order == 2:
                answers.append(Answer(Head("dydx", r.var, 2, dep=r.dep), r.second))
            if r.at is not None:
                if r.at.slope is not None:
                    answers.append(Answer(Head("dydx", r.var, 1, dep=r.dep, point=r.point), r.at.slope))
                answers += _lines(r.at)
            return Worked(number, p, "implicit", r, r.lhs, r.rhs, tuple(answers), None, detail)
        case "tangent":
            from ..routes.tangent import tangent
            t = tangent(p.text, o.at, o.normal, o.var, dep=o.dep)
            f = t.function if t.function is not None else t.solution.lhs
            rhs = None if t.function is not None else t.solution.rhs
            plot = None if t.function is None else _plot(t.function, t.var,
                                                         tangent_at=_value(t.point[0][1]))
            return Worked(number, p, "tangent", t, f, rhs, tuple(_lines(t)), plot, detail)
        case "numeric":
            from ..routes.numeric import finite_difference
            from ..routes.points import parse_point
            from ..solve import differentiate
            fd = finite_difference(p.text, o.at, o.var, o.eps)
            sol = differentiate(fd.expr, fd.var)   # the exact value beside k, as `at` shows it
            at = sol.at(parse_point(o.at))
            point = tuple((n, v) for n, v in at.point if n == fd.var)
            answers = (Answer(Head("k", fd.var, point=point), None, fd.k_text),
                       Answer(Head("derivative", fd.var, 1, sol.variables, sol.partial, at.point),
                              at.exact, _decimal(at.decimal, at.exact)))
            plot = _plot(fd.expr, fd.var, secants_at=_value(point[0][1]))
            return Worked(number, p, "numeric", fd, fd.expr, None, answers, plot, detail)
    raise TutorError(f"unknown route {o.route!r}", code="option")  # pragma: no cover


def _diff(number: int, p: Problem, detail: str) -> Worked:
    from ..solve import differentiate
    o = p.options
    sol = differentiate(p.text, o.var, o.order, constants=o.constants)
    head = Head("derivative", sol.var, sol.order, sol.variables, sol.partial)
    plain = sol.order == 1 and not sol.partial
    if not o.at:
        plot = _plot(sol.function, sol.var, derivative=True) if plain else None
        return Worked(number, p, "diff", sol, sol.function, None, (Answer(head, sol.answer),),
                      plot, detail)
    from ..routes.points import parse_point
    at = sol.at(parse_point(o.at))
    value = at.exact if at.exact is not None else None
    answer = Answer(Head("derivative", sol.var, sol.order, sol.variables, sol.partial, at.point),
                    value, _decimal(at.decimal, value))
    a = dict(at.point).get(sol.var)
    plot = _plot(sol.function, sol.var, derivative=True, tangent_at=_value(a)) if plain else None
    return Worked(number, p, "at", at, sol.function, None, (Answer(head, sol.answer), answer),
                  plot, detail)


def _lines(t) -> list:
    """The tangent (and normal) as answers: y = rhs, or x = a for a vertical line."""
    return [Answer(Head("line", t.var, dep=t.dep, label=line.kind, point=t.point,
                        vertical=line.vertical), line.rhs)
            for line in (t.tangent, t.normal) if line is not None]


def _decimal(decimal, exact: Expr | None) -> str | None:
    """The decimal beside an exact value, unless the exact value is already that number."""
    if decimal is None:
        return None
    text = decimal if isinstance(decimal, str) else f"{decimal:.10g}"
    if exact is None:
        return text
    from ..printing import to_text
    if to_text(exact) in (text, text.rstrip("0").rstrip(".")):
        return None
    return text
