"""Points, vectors, numbers and variable lists as users type them, read once for every route.

Why one module: a point is typed the same way for every route (`w=4`, `x=1,y=0.5`, values in
either input language such as `pi/2`, `1/3` or `\\frac{1}{2}`), so it is read in one place and
the routes agree on what counts as a value, which names may appear and what the errors say.
Two readings exist because two kinds of route need them:
- `normalise_point` keeps the values as trees (the at-point route substitutes `pi/2` into the
  derivative, so sin(pi/2) stays exactly 1) and makes the point float when any value is a float;
- `read_point` evaluates the values to numbers (the dual-number, backprop and finite-difference
  routes compute with numbers, exact Fractions where they can).
Choosing the variable: the worked solutions use `solve.pick_variable` / `pick_variables` (a name
need not occur: d/dy[x^2] = 0); the finite-difference route uses `choose_variable`, which must
name a variable of the expression because it moves that variable by epsilon.
"""
from __future__ import annotations

from fractions import Fraction

from ..errors import TutorError, VariableError
from ..expr import NODES, Expr, free_symbols, num

__all__ = ["parse_point", "read_point", "normalise_point", "value_expr", "choose_variable",
           "read_vector", "read_number", "read_values"]


def parse_point(text: str | None) -> dict:
    """`w=4` or `x=1,y=0.5` (values in either language: `pi/2`, `1/3`, `\\frac{1}{2}`)."""
    if not text:
        return {}
    from ..language import parse
    point = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise TutorError(f"a point is name=value pairs like w=4 or x=1,y=2, not '{part.strip()}'",
                             code="point")
        name, value = part.split("=", 1)
        point[name.strip()] = parse(value.strip())
    return point


# ---------------------------------------------------------------- points as numbers

def read_point(e: Expr, at) -> dict:
    """`at` ("x=2,y=3" or a mapping name -> number/Expr) as numbers (exact where the evaluator
    is); every variable of e must have a value and every name must be a variable of e."""
    from ..evaluation import evaluate
    raw = parse_point(at) if isinstance(at, str) else dict(at or {})
    names = free_symbols(e)
    point = {}
    for name, v in raw.items():
        if name not in names:
            shown = ", ".join(names) if names else "none"
            raise VariableError(f"{name} is not a variable of the expression (its variables: {shown})",
                                code="unknown_variable")
        if isinstance(v, NODES):
            v = evaluate(v, {})
        point[name] = v
    missing = [n for n in names if n not in point]
    if missing:
        raise VariableError(f"no value for {', '.join(missing)}: give every variable a value, "
                            f"e.g. {','.join(f'{n}=1' for n in names)}", code="missing_variable")
    return point


# ---------------------------------------------------------------- points as trees

def value_expr(name: str, v) -> Expr:
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
        from ..language import parse
        v = parse(v)
    if isinstance(v, NODES):
        names = free_symbols(v)
        if names:
            raise VariableError(f"the value for {name} must be a number, not an expression in "
                                f"{', '.join(names)}")
        return v
    raise VariableError(f"the value for {name} must be a number, not {v!r}")


def normalise_point(point: dict, needed: tuple[str, ...]) -> tuple[tuple[tuple[str, Expr], ...], dict]:
    """((name, Expr), ...) in the point's own order, and the float env (empty unless floats were
    given). Raises VariableError for a missing or an unknown name."""
    from ..evaluation import evaluate
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
    pairs = tuple((n, value_expr(n, v)) for n, v in point.items())
    floats = {n: float(v) for n, v in point.items() if isinstance(v, float)}
    if floats:  # one float makes the point all float (as evaluate does)
        floats = {n: float(evaluate(v, {})) for n, v in pairs}
    return pairs, floats


# ---------------------------------------------------------------- variables, vectors, numbers

def choose_variable(e: Expr, var: str | None) -> str:
    """The variable a route moves: the one named (it must occur in e), or the only one."""
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


def read_vector(along, n: int) -> list[Fraction]:
    """A direction `2,3,-1` (or a sequence) as n exact rationals."""
    from ..evaluation import evaluate
    from ..language import parse
    parts = along.split(",") if isinstance(along, str) else list(along)
    out = []
    for part in parts:
        if isinstance(part, bool):
            raise TutorError(f"a direction component must be a number, not {part!r}", code="direction")
        if isinstance(part, (int, Fraction)):
            out.append(Fraction(part))
            continue
        if isinstance(part, float):
            out.append(Fraction(repr(part)))
            continue
        e = parse(part.strip()) if isinstance(part, str) else part
        v = evaluate(e, {}) if not free_symbols(e) else None
        if not isinstance(v, Fraction):
            raise TutorError(f"a direction component must be a rational number, not {part!r}",
                             code="direction")
        out.append(v)
    if len(out) != n:
        raise TutorError(f"the direction has {len(out)} components but there are {n} variables",
                         code="direction")
    return out


def read_number(text, what: str) -> float:
    """A float setting (a start value, a rate, a tolerance): a number or a constant expression."""
    import math
    if isinstance(text, bool):
        raise TutorError(f"{what} must be a number, not {text!r}", code="bad_value")
    if isinstance(text, (int, float)):
        v = float(text)
    elif isinstance(text, Fraction):
        v = float(text)
    else:
        from ..evaluation import evaluate
        from ..language import parse
        e = parse(str(text).strip()) if isinstance(text, str) else text
        if free_symbols(e):
            raise TutorError(f"{what} must be a number, not {text!r}", code="bad_value")
        v = float(evaluate(e, {}))
    if not math.isfinite(v):
        raise TutorError(f"{what} must be finite, not {text!r}", code="bad_value")
    return v


def read_values(values, names: tuple[str, ...], what: str = "the start point") -> tuple[float, ...]:
    """One float per variable, from `1,2`, a sequence, or a single value."""
    if isinstance(values, str):
        values = [s for s in values.split(",") if s.strip()]
    elif not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) != len(names):
        def count(n, word):
            return f"{n} {word}" + ("" if n == 1 else "s")
        raise TutorError(f"{what} has {count(len(values), 'value')} but there "
                         f"{'is' if len(names) == 1 else 'are'} {count(len(names), 'variable')} "
                         f"({', '.join(names)})", code="start")
    return tuple(read_number(s, f"the start value for {n}") for s, n in zip(values, names))
