"""Evaluation: the value of a tree at a point, exactly where it can be and as a float where asked.

One job: numbers out of trees, with the domain of every function respected (a value outside it
is a `DomainError`, never a silent NaN).

    evaluate(e, point)        Fraction when every step stays rational (+ - * /, integer
                              powers, perfect roots, special values: ln 1, sin(pi/6), log_2 8),
                              else a float. Float values in the point make it all float.
    evaluate_float(e, point)  Python float semantics node by node: `w^2` at 3.001 is
                              3.001 ** 2 to the last bit, as the lab's finite differences print.
    compile_float(e, names)   the grader's hot path: the same function, built once, NaN where
                              evaluate_float raises.
    format_value, value_pair  "-1/32", "0.7071067812", ("-1/32", "-0.03125").

`evaluate_float` is `compile_float`'s compiler (`compiled`), called once with its raising
kernels (`kernels`), so a tutor's decimal and the grader's sample agree by construction.
Policies a caller must know:
- Real values only; outside a domain a DomainError names the function and the value.
- Odd real roots: cbrt(-8) = -2, root(-8, 3) = -2, and x^(p/q) whose exponent is written
  with numbers only (x^(1/3), x^(-2/3), x^(2/(3))) with q odd is the real root at negative
  x: (-8)^(2/3) = 4. SymPy would give the complex principal root; a calculus course means
  the real one. An exponent that only happens to be p/q at the point ((-8)^x at x = 1/3)
  stays undefined, so the answer never depends on how the point was written.
- Poles: with an argument that is an exact rational multiple of pi the check is exact
  ("tan is undefined at pi/2"); in floats an argument within 2 ulps of an odd multiple
  of pi/2 (tan, sec) or of a multiple of pi (csc, cot) is the pole.
- Cost: exact powers with |exponent| > MAX_EXPONENT, exact numbers over MAX_DIGITS
  digits, or big-number work past a budget fall back to floats; float overflow (an
  infinite intermediate) is EvaluationError code "overflow". Sizes are estimated from
  bit lengths before any power is computed, so 9^9^9^9 fails in microseconds.

Here: the API and the deep-stack wrapper (a tree deeper than `_deep.SHALLOW` levels is
compiled, called and evaluated on a big-stack worker). Nothing but TutorError leaves it.
Thread safety: no module of the package keeps mutable state (see each one).
"""
from __future__ import annotations

import importlib
import math
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping, Sequence

from .._deep import SHALLOW, run_deep
from ..errors import EvaluationError, TutorError
from ..expr import Expr, deeper_than
from .keys import TreeKey, known_shallow, tree_key
from .text import format_value, value_pair

# The evaluators (compiled, exact, kernels) are imported where they are first called (_lazy):
# a worked solution prints numbers through `text` only, so `tutor diff` never loads them.

__all__ = ["evaluate", "evaluate_float", "exact_evaluator", "compile_float", "format_value", "known_shallow",
           "value_pair", "tree_key", "TreeKey"]

_NAN = float("nan")
_MODULES: dict = {}


def _lazy(name: str):
    """The evaluator module `name` ("compiled", "exact", "kernels"), imported on its first use,
    then kept here: an import statement costs a few microseconds even for a loaded module
    (the name resolved, sys.modules asked), and the grader compiles and evaluates at every
    check. Any thread may fill the table: it only ever holds the one module object."""
    module = _MODULES.get(name)
    if module is None:
        module = _MODULES[name] = importlib.import_module(f"{__name__}.{name}")
    return module


def _point(point: Mapping[str, object]) -> tuple[dict, bool]:
    """The point checked: numbers only, finite; and whether any value is a float."""
    env, floats = {}, False
    for name, v in point.items():
        if isinstance(v, bool) or not isinstance(v, (int, Fraction, float)):
            raise EvaluationError(f"the value for {name} must be a number, not {v!r}", code="bad_value")
        if isinstance(v, float):
            if not math.isfinite(v):
                raise EvaluationError(f"the value for {name} must be finite, not {v}", code="bad_value")
            floats = True
        env[name] = v
    return env, floats


def evaluate(e: Expr, point: Mapping[str, Fraction | int | float]) -> Fraction | float:
    """The value of e at the point: an exact Fraction while every operation stays rational,
    else a float (and all-float when any value of the point is a float). Raises
    DomainError outside the domain, EvaluationError (code "unbound", "overflow", ...)."""
    evaluate_exact = _lazy("exact").evaluate_exact
    env, floats = _point(point)
    if floats:
        return evaluate_float(e, point)
    shallow = known_shallow(e)   # known when e was compiled: no depth walk then
    if (deeper_than(e, SHALLOW) if shallow is None else not shallow):
        return _guarded(lambda: run_deep(lambda: evaluate_exact(e, env)))
    return _guarded(lambda: evaluate_exact(e, env))


def exact_evaluator(e: Expr) -> Callable[[Mapping[str, Fraction | int | float]], Fraction | float]:
    """`evaluate` of one tree at many points: point -> evaluate(e, point), the same values
    and errors, with the tree's depth looked at once instead of at every point (the grader
    evaluates a rational answer at 8 points)."""
    exact = _lazy("exact")
    evaluate_exact, rational_fast = exact.evaluate_exact, exact.rational_fast
    deep = deeper_than(e, SHALLOW)

    def at(point: Mapping[str, Fraction | int | float]) -> Fraction | float:
        env, floats = _point(point)
        if floats:
            return evaluate_float(e, point)
        if deep:
            return _guarded(lambda: run_deep(lambda: evaluate_exact(e, env)))
        fast = rational_fast(e, env)   # the same value, for + - * / and integer powers
        if fast is not None:
            return fast
        return _guarded(lambda: evaluate_exact(e, env))
    return at


def evaluate_float(e: Expr, point: Mapping[str, Fraction | int | float]) -> float:
    """The value of e at the point in Python float arithmetic, operation by operation:
    `w^2` at 3.001 is exactly 3.001 ** 2. Same errors as `evaluate`."""
    to_float = _lazy("kernels").to_float
    env, _ = _point(point)
    values = [to_float(v) for v in env.values()]
    names = list(env)
    fn, deep = _compiled(e, names, strict=False)
    return _guarded(lambda: run_deep(lambda: fn(values)) if deep else fn(values))


def compile_float(e: Expr, variables: Sequence[str], *,
                  keep: bool = False) -> Callable[[Sequence[float]], float]:
    """A fast float function of the values of `variables` (in that order), built once:
    the same numbers as evaluate_float, but NaN wherever that raises (outside the domain,
    overflow, bad input). Calling it never raises; compiling raises EvaluationError for a
    variable not in `variables` (code "unbound") or a node it cannot evaluate.

    Memoised by (tree, variables), because one check compiles the same trees several times
    (the answer for the comparison and again for its counter-example; the reference and the
    function for every wrong answer). Cache invariant: the value is a pure function of the
    key (equal trees compile to the same float operations) and closes over constants only,
    so any thread may call it; `lru_cache` keeps its table coherent under threads; errors
    are raised, never cached. `compile_float.cache_clear()` empties it (benchmarks time a
    fresh answer so). A tree too deep to hash is compiled without the memo.

    `keep=True` for a problem's own trees (its derivative and function, compiled again for
    every wrong answer's counter-example), kept in a table of their own (KEPT), so the
    answers' table can stay small: each entry is a few dozen objects that the cyclic garbage
    collector walks at every full collection (a quarter of a fresh check's time went to those
    collections with 4,096 answers' closures kept)."""
    names = tuple(variables)
    try:
        key = tree_key(e)
    except RecursionError:
        return _compile_float(e, names)
    return (_compile_kept if keep else _compile_memo)(key, names)


#: values a compiled function remembers per point: none any more (kept as a name so a test
#: can still switch it "off"). The grader once asked every answer at the same 48 sample points
#: for the comparison, the diagnosis and each repeat, and a dict of values per compiled function
#: answered the repeats; now a repeated answer's verdict, comparison and diagnosis are memoised
#: whole (grade.memo, equivalence.compare, diagnose.explain), so the only repeats left were a
#: wrong answer's first point or two, and hashing every point tuple and storing its value cost
#: ~0.5 us on each of a check's ~60 calls (as much as the compiled function itself) to save one
#: evaluation (benchmarks/bench_grader.py --where).
REMEMBERED = 0


#: answers' compiled trees kept (lru_cache): one check compiles its answer once and uses it
#: for the comparison, the counter-example and the diagnosis, and an answer read again from a
#: new text soon after (`2x` and `2 x`, LaTeX and Unicode of one tree) is not compiled again;
#: a repeated answer's verdict is remembered whole (grade.memo), so more would only keep
#: closures for the garbage collector to walk. Each entry is a few closures, ~2-5 KB, about
#: twelve objects a check that, kept for 512 checks, outlived two young collections and so
#: counted towards the collector's next full walk of the heap (textbook bank, fresh answers,
#: 512 against 64 alternated in one process: collector 72.3 -> 49.7 us a check)
COMPILED = 64
#: problems' own trees kept (compile_float(..., keep=True)): a bank's references and functions
KEPT = 2048


@lru_cache(maxsize=COMPILED)
def _compile_memo(key: TreeKey, names: tuple) -> Callable[[Sequence[float]], float]:
    return _compile_float(key.tree, names, key)


@lru_cache(maxsize=KEPT)
def _compile_kept(key: TreeKey, names: tuple) -> Callable[[Sequence[float]], float]:
    return _compile_float(key.tree, names, key)


def _clear_compiled() -> None:
    _compile_memo.cache_clear()
    _compile_kept.cache_clear()


compile_float.cache_clear = _clear_compiled  # type: ignore[attr-defined]


def _compile_float(e: Expr, variables: Sequence[str],
                   key: TreeKey | None = None) -> Callable[[Sequence[float]], float]:
    fn, deep = _compiled(e, variables, strict=True)
    if key is not None:   # the compiler visited every node: it knows the depth now
        key.shallow = not deep

    def run(values: Sequence[float]) -> float:
        try:
            for t in values:  # inf or NaN in: NaN out, as evaluate_float refuses them
                if t - t != 0.0:
                    return _NAN
            v = fn(values)
            if v - v == 0.0:
                return v if type(v) is float else float(v)
        except Exception:  # the grader's boundary: anything undefined is NaN
            pass
        return _NAN

    def run_one(values: Sequence[float]) -> float:
        # run for one variable (nearly every problem): its one value tested without a loop,
        # an iterator less on each of a check's ~30 calls; the same answer as run
        try:
            t, = values
        except Exception:   # not one value: run decides
            return run(values)
        try:
            if t - t != 0.0:
                return _NAN
            v = fn(values)
            if v - v == 0.0:
                return v if type(v) is float else float(v)
        except Exception:
            pass
        return _NAN

    chosen = run_one if len(variables) == 1 else run
    if deep:
        return lambda values: run_deep(chosen, values)
    return chosen


def _compiled(e: Expr, variables: Sequence[str], strict: bool) -> tuple[Callable, bool]:
    """The compiled function, and whether it is deep (then it must run on a big stack too).
    The compiler itself finds out, by stopping at SHALLOW levels: no walk of its own."""
    compiled = _lazy("compiled")
    compile_tree, TooDeep = compiled.compile_tree, compiled.TooDeep
    try:
        return _guarded(lambda: compile_tree(e, variables, strict=strict, levels=SHALLOW)), False
    except TooDeep:
        return _guarded(lambda: run_deep(lambda: compile_tree(e, variables, strict=strict))), True


def _guarded(fn: Callable):
    """fn(); stray arithmetic errors (a bug if ever seen) become EvaluationError, so nothing
    but TutorError leaves this package."""
    try:
        return fn()
    except TutorError:
        raise
    except (ArithmeticError, ValueError, RecursionError, MemoryError) as exc:
        raise EvaluationError(f"could not evaluate: {exc}", code="evaluation") from None
