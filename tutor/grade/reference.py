"""The problem's side of a check, computed once per problem and shared by every answer to it.

Why cached: a class submits dozens of answers to one problem; the reference derivative, its
sample points and the function's values there cost far more than grading one answer, so they
are computed on the first answer and reused.

Cache invariant (`reference_for`): key (function text, var, order, input language, Options) ->
a `Reference`. The value is a pure function of the key (points are seeded by SHA-256 of the
function and `Options.seed`; no clock, no global state), so a recomputed value is equal to the
one it replaces. It is frozen and made of immutable parts only (trees, tuples of floats,
read-only point mappings), so one value may be read by any number of threads at once.
`functools.lru_cache` keeps its own table coherent under threads; two threads that miss at the
same moment may both compute the value, and either result is the same. Processes share nothing:
each builds the same values from the same key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import equivalence as EQ
from ..expr import Expr, free_symbols
from ..printing import to_text

__all__ = ["Reference", "reference_for"]


@dataclass(frozen=True)
class Reference:
    """The reference derivative of one problem and its values at the seeded sample points.
    Equal (and hashed) by `key` alone: the rest is determined by it."""
    key: tuple                   # (function, var, order, input, options): what it was built from
    function: Expr = field(compare=False)
    var: str = field(compare=False)
    partial: bool = field(compare=False)
    before: Expr = field(compare=False)      # what the last differentiation starts from (f for order 1)
    expected: Expr = field(compare=False)    # simplified reference derivative
    sample: EQ.Sample = field(compare=False)
    f_values: tuple = field(compare=False)   # the function itself at the sample points

    @property
    def options(self) -> EQ.Options:
        return self.key[-1]


@lru_cache(maxsize=512)
def reference_for(function: str, var: str | None, order: int, input: str, opts: EQ.Options) -> Reference:
    """The cached reference of a problem. Raises TutorError for a bad function, var or order."""
    from ..language import parse
    from ..solve import differentiate
    sol = differentiate(parse(function, input), var, order)
    f = sol.function
    v = sol.variables[-1]
    variables = tuple(dict.fromkeys(free_symbols(f) + (v,)))
    sample = EQ.make_sample(sol.answer, variables, opts, f"{to_text(f)}|{v}|{order}", domain=f)
    return Reference((function, var, order, input, opts), f, v, sol.partial,
                     sol.stages[-1].function, sol.answer, sample, EQ.values(f, sample))
