"""The problem's side of a check, computed once per problem and shared by every answer to it.

Why cached: a class submits dozens of answers to one problem; the reference derivative, its
sample points and the function's values there cost far more than grading one answer, so they
are computed on the first answer and reused.

Cache invariant (`reference_for`): key (function text, var, order, input language, declared
names, constants, Options, log notation) ->
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
from ..errors import TutorError
from ..expr import Expr, Mul, deeper_than, free_symbols, walk
from ..printing import to_text

__all__ = ["Reference", "reference_for", "sample_around", "MAX_FUNCTION_NODES", "MAX_FUNCTION_DEPTH",
           "MAX_FUNCTION_FACTORS"]

#: a problem's size limits, checked before its derivative is computed: a grader's problem is a
#: textbook function, and a hostile one (sin nested 200 deep, 1,000 letters in a product) would
#: cost seconds per problem in the engine and in every buggy derivative of the diagnosis
MAX_FUNCTION_NODES = 400
MAX_FUNCTION_DEPTH = 50
MAX_FUNCTION_FACTORS = 40


@dataclass(frozen=True)
class Reference:
    """The reference derivative of one problem and its values at the seeded sample points.
    Equal (and hashed) by `key` alone: the rest is determined by it."""
    key: tuple                   # (function, var, order, input, names, constants, options)
    function: Expr = field(compare=False)
    var: str = field(compare=False)
    partial: bool = field(compare=False)
    before: Expr = field(compare=False)      # what the last differentiation starts from (f for order 1)
    expected: Expr = field(compare=False)    # simplified reference derivative
    sample: EQ.Sample = field(compare=False)
    f_values: tuple = field(compare=False)   # the function itself at the sample points
    around: tuple = field(compare=False, default=())   # EQ.centres of f and f': where it lives

    @property
    def options(self) -> EQ.Options:
        return self.key[-1]


@lru_cache(maxsize=512)
def reference_for(function: str, var: str | None, order: int, input: str, opts: EQ.Options,
                  names: frozenset = frozenset(), constants: tuple = (),
                  log_base: int | None = None) -> Reference:
    """The cached reference of a problem. Raises TutorError for a bad function, var or order.
    `names` are the multi-letter names declared for the problem (`rate` one name), `constants`
    the names held constant (so `a x^2 + b x + c` is an ordinary derivative in x); both are
    part of the key, as they change how the function is read and differentiated. `log_base`
    is the reading's log notation (language.words.log_base(), set by the caller's context):
    read under it, so `log x` read as ln and as log10 are two references."""
    from ..engine import order_budget
    from ..language import declaring, parse
    from ..solve import check_occurs, differentiate
    from .answer import fold_negations
    from ..language import variable_name
    # order n of a short function may grow past what can be graded: one work budget
    from ..language.words import log_notation
    with declaring(names), order_budget(), log_notation(log_base):
        f = _gradable(fold_negations(parse(function, input)))
        if isinstance(var, str) and "," not in var:
            check_occurs(f, variable_name(var))   # d/dy of x^2 by mistake: the author's error
        sol = differentiate(f, var, order, constants=constants)
    f = sol.function
    v = sol.variables[-1]
    variables = tuple(dict.fromkeys(free_symbols(f) + (v,)))
    around = EQ.centres(f, sol.answer)
    sample = EQ.make_sample(sol.answer, variables, opts, f"{to_text(f)}|{v}|{order}", domain=f,
                            around=around)
    return Reference((function, var, order, input, names, constants, opts), f, v, sol.partial,
                     sol.stages[-1].function, sol.answer, sample, EQ.values(f, sample), around)


def _gradable(f: Expr) -> Expr:
    """f itself, or a TutorError (code "limit") when it is over a problem's size limits."""
    n = 0
    for node in walk(f):
        n += 1
        if n > MAX_FUNCTION_NODES:
            raise TutorError(f"the function has more than {MAX_FUNCTION_NODES} parts: too large "
                             f"to grade", code="limit", hint="grade a smaller function")
        if isinstance(node, Mul) and len(node.factors) > MAX_FUNCTION_FACTORS:
            raise TutorError(f"the function has a product of {len(node.factors)} factors; the "
                             f"limit for grading is {MAX_FUNCTION_FACTORS}", code="limit",
                             hint="grade a smaller function")
    if deeper_than(f, MAX_FUNCTION_DEPTH):
        raise TutorError(f"the function is nested more than {MAX_FUNCTION_DEPTH} levels deep: "
                         f"too deep to grade", code="limit", hint="grade a smaller function")
    return f


@lru_cache(maxsize=512)
def sample_around(ref: Reference, around: tuple[float, ...]) -> EQ.Sample:
    """A second sample of the problem, also drawn around an answer's own constants (an answer
    `2x + [x > 300]` changes where the problem's sample never looks). Cached by (problem,
    centres): a pure function of both, immutable, so shared by threads as `reference_for` is."""
    key = f"{to_text(ref.function)}|{ref.var}|around|{','.join(map(repr, around))}"
    return EQ.make_sample(ref.expected, ref.sample.variables, ref.options, key,
                          domain=ref.function, around=around)
