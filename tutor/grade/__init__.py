"""The grader: is a student's derivative right, and if not, which slip explains it?

    check(function, answer, var=None, order=1, *, allow_calculus=False, options=None,
          names=None, constants=None) -> Verdict
    check_work(function, lines, var=None, order=1, *, options=None, names=None,
               constants=None) -> WorkVerdict
    clear_caches(*, references=True)    forget verdicts and parsed answers (and every problem's reference)

One job: a verdict a homework system can trust. Verdicts: "correct", "incorrect", "invalid"
(unreadable answer: the parse error is the feedback and costs nothing), "undetermined" (too few
valid sample points: never defaults to correct). Bad caller arguments (an unreadable
*function*, a bad var) raise TutorError; anything wrong with the *answer* is a Verdict.

The parts, in the order an answer meets them: `answer` reads it and refuses what is too big
before any evaluation; `reference` holds the problem's derivative and its seeded sample values,
computed once per (function, var, order, input, options); `equivalence` compares by our own
evaluator (exact for rational functions, else at seeded float points); `diagnose` explains a
wrong answer with the buggy rules of `misconceptions`, run in the real engine; `records` are
the verdicts and their JSON; `memo` remembers whole verdicts by the check's arguments. So
grading a whole class costs one parse and one evaluation per distinct answer, plus, for a
wrong one, a comparison with each cached wrong derivative; a repeat is one look-up. Every cache
holds immutable values keyed by what determines them, so threads may grade at once (each
module states its cache's invariant). Throughput is measured by benchmarks/bench_grader.py.
"""
from __future__ import annotations

from contextlib import nullcontext

from . import equivalence as EQ
from . import memo
from ..errors import ParseError, TutorError
from ..language import declared as declared_names, declaring
from ..language.ambiguity import other_reading
from ..language.words import log_base, log_notation
from ..evaluation import compile_float, format_value
from ..expr import Expr, deeper_than, free_symbols
from ..limits import MAX_ORDER
from ..printing import to_text
from .curves import check_implicit, check_tangent, is_equation
from .answer import (calculus_order, expand_calculus, lhs_variable, read, refusal, shape,
                     spelt_name, text_deeper_than)
from .diagnose import explain, suspects
from .equivalence import Options
from .records import EXIT, Diagnosis, Verdict, WorkVerdict
from .points import forget_problems, simple_counterexample, where as EQ_where
from .reference import Reference, reference_for, sample_around

__all__ = ["check", "check_work", "clear_caches", "Verdict", "WorkVerdict", "Diagnosis",
           "Options", "EXIT"]


#: answers nested deeper than this get a verdict but no diagnosis: no slip a student makes
#: builds such a tree, and the whole-answer checks (the derivative of the answer) would cost
#: seconds on it (a 200-storey tower x^x^...^x: 2.7 s)
DIAGNOSE_DEPTH = 60


#: the default options, one instance: every cache keyed by options then finds its keys by
#: identity, not by comparing fourteen fields, and a check makes no Options of its own
_DEFAULT = Options()


def clear_caches(*, references: bool = True) -> None:
    """Forget every verdict and parsed answer and, unless references=False, every problem's
    reference, its wrong derivatives and its simple points to try. Verdicts never change: the caches only save time (benchmarks use
    this to time a first answer or a first problem)."""
    from ..language.fast import cache_clear as forget_words
    from .records import forget_forms
    read.cache_clear()
    memo.clear()
    forget_forms(references=references)
    forget_words()
    if references:
        reference_for.cache_clear()
        sample_around.cache_clear()
        suspects.cache_clear()
        forget_problems()


# ------------------------------------------------------------------ check

def check(function: str, answer: str | Expr, var: str | None = None, order: int = 1, *,
          allow_calculus: bool = False, options: Options | None = None,
          input: str = "auto", tangent_at=None, normal: bool = False,
          names=None, constants=None, log10: bool = False) -> Verdict:
    """Grade one answer. Raises TutorError only for a bad function/var/order (caller error).

    `names` declares multi-letter names (`rate` one name, not r·a·t·e), in the function and
    in the answer; `constants` (also declared) are held constant, so `a x^2 + b x + c` with
    constants a, b, c is graded as an ordinary derivative in x. A multi-letter `var` is a
    declaration too. An equation as the function (`x^2 + y^2 = 25`) grades dy/dx (order 2:
    d²y/dx²) of the curve; `tangent_at="x=a"` grades the tangent line there (`normal=True`:
    the normal line). See `grade.curves` for what each accepts. `log10=True` reads a plain
    `log` as log base 10 in the function and the answer (the notation setting of `diff`)."""
    key = None
    if isinstance(function, str) and isinstance(answer, str):
        # the memo's key: the arguments as given and the reading context they meet (names
        # declared and log notation set by a caller's `with`), looked up before any work
        key = (function, answer, var, order, allow_calculus, options, input, tangent_at,
               normal, _hashable(names), _hashable(constants), log10, declared_names(),
               log_base())
        try:
            hit = memo.lookup(key)
        except TypeError:   # an unhashable argument: graded, not memoised
            key = hit = None
        if hit is not None:
            return hit
    declared, held = declarations(names, constants, var)
    if not declared and not log10:   # nothing to set in the reading context (the usual check)
        verdict = _check(function, answer, var, order, allow_calculus, options or _DEFAULT,
                         input, tangent_at, normal, declared, held)
    else:
        with declaring(declared), (log_notation(10) if log10 else nullcontext()):
            verdict = _check(function, answer, var, order, allow_calculus, options or _DEFAULT,
                             input, tangent_at, normal, declared, held)
    if key is not None:
        memo.store(key, verdict)
    return verdict


def _hashable(value):
    """names= / constants= as a memo key: a list as the tuple it stands for."""
    return tuple(value) if isinstance(value, list) else value


def _check(function, answer, var, order, allow_calculus, opts, input, tangent_at, normal,
           declared, held) -> Verdict:
    """check's verdict, computed (check has looked in the memo and set the reading context)."""
    if tangent_at is not None:
        return check_tangent(function, tangent_at, answer, normal=normal, var=var, input=input)
    if is_equation(function):
        return check_implicit(function, answer, order, input=input)
    if not isinstance(function, str):
        function = to_text(function)
    ref = reference_for(function, var, order, input, opts, declared, held, log_base())
    try:
        return _ambiguous(ref, answer, _grade(ref, answer, allow_calculus, opts, input),
                          allow_calculus, opts, input)
    except TutorError as exc:
        return Verdict("undetermined", 0.0, f"could not check this answer: {exc.message}",
                       expected=ref.expected, error_code=exc.code)
    except (ArithmeticError, RecursionError, MemoryError, ValueError) as exc:
        return Verdict("undetermined", 0.0,
                       f"could not check this answer ({type(exc).__name__})",
                       expected=ref.expected, error_code="evaluation")


def declarations(names, constants, var) -> tuple[frozenset, tuple]:
    """(the names declared for reading, the names held constant) from check's arguments:
    `"a,b"` or lists; a multi-letter variable named by the caller is itself a declaration."""
    if names is None and constants is None and (var is None or (type(var) is str and len(var) == 1)):
        return _NOTHING, ()   # the usual check, answered without splitting anything
    def listed(value) -> tuple[str, ...]:
        if value is None:
            return ()
        items = value.split(",") if isinstance(value, str) else value
        if not all(isinstance(n, str) for n in items):
            raise TutorError(f"names and constants are names, not {value!r}", code="usage",
                             hint="e.g. constants=['a', 'b'] or constants='a,b'")
        return tuple(n.strip() for n in items if n.strip())
    held = listed(constants)
    words = tuple(v for v in listed(var) if len(v) > 1 and v.isalpha())
    declared = listed(names) + held + words
    # the usual check declares nothing: one shared empty set, not a new one that the
    # answer's read memo and the reference's key would each keep
    return (frozenset(declared) if declared else _NOTHING), held


_NOTHING: frozenset = frozenset()


def _ambiguous(ref: Reference, answer, verdict: Verdict, allow_calculus: bool, opts: Options,
               input: str) -> Verdict:
    """The verdict, unless the answer has a spot textbooks read two ways (`1/2 x`, `sin x e^x`:
    language.other_reading) and the two readings get different grades: then neither is
    given, and the student is asked for brackets, both readings shown (verdict `invalid`,
    code `ambiguous`, no score lost)."""
    if verdict.verdict not in ("correct", "incorrect") or not isinstance(answer, str) \
            or input == "latex":
        return verdict
    other = other_reading(answer)
    if other is None:
        return verdict
    second = _grade(ref, other, allow_calculus, opts, input)
    if second.verdict not in ("correct", "incorrect") or second.verdict == verdict.verdict \
            or second.answer == verdict.answer:
        return verdict
    from ..printing import to_latex
    a, b = verdict.answer, second.answer
    said = "Your answer can be read in two ways that get different grades: as "
    ask = ". Write brackets to say which you mean."
    return Verdict("invalid", 0.0, f"{said}{to_text(a)} or as {to_text(b)}{ask}",
                   f"\\text{{{said}}}{to_latex(a)}\\text{{ or as }}{to_latex(b)}\\text{{{ask}}}",
                   expected=ref.expected, answer=verdict.answer, error_code="ambiguous",
                   readings=(verdict.answer, second.answer))


def _beyond(ref: Reference, e: Expr, fn, opts: Options, cmp):
    """The comparison again where the answer's own constants say it may change (beyond the
    problem's scale: 2x + [x > 300] for x^2): the answer is equal only if it is equal there."""
    mine = set(EQ.centres(e)) - set(ref.around)
    if not mine or fn is None:
        return cmp
    sample = sample_around(ref, tuple(sorted(mine)))
    again = EQ.compare(e, sample, opts, fn)
    return again if again.status in ("different", "undefined") else cmp


def _invalid(message: str, code: str, answer: Expr | None = None, expected=None) -> Verdict:
    return Verdict("invalid", 0.0, message, expected=expected, answer=answer, error_code=code)


def _grade(ref: Reference, answer, allow_calculus: bool, opts: Options, input: str) -> Verdict:
    if isinstance(answer, str):
        if len(answer) > opts.max_chars:
            return _invalid(f"your answer is {len(answer):,} characters long; the limit is "
                            f"{opts.max_chars:,}", "limit", expected=ref.expected)
        if not answer.strip():
            return _invalid("the answer is empty", "empty", expected=ref.expected)
        named = lhs_variable(answer)
        if named is not None and named != ref.var and spelt_name(named) != ref.var:
            return _invalid(f"your answer is written as a derivative in {named} (d/d{named}), but "
                            f"the derivative asked for is in {ref.var}: write d/d{ref.var} "
                            f"or only the expression", "wrong-variable", expected=ref.expected)
        if text_deeper_than(answer, opts.max_depth):   # refused before it is parsed
            return _invalid(f"your answer is nested more than {opts.max_depth} levels deep",
                            "limit", expected=ref.expected)
        try:
            e = read(answer, input, ref.var)
        except ParseError as exc:
            return _invalid(str(exc), exc.code, expected=ref.expected)
    else:
        e = answer
    # the depth limit first: a tree cannot be deeper than its text is long, and shape's
    # variable scan would be quadratic on a deep tower (x^x^...^x)
    if (not isinstance(answer, str) or len(answer) > opts.max_depth) \
            and deeper_than(e, opts.max_depth):
        return _invalid(f"your answer is nested more than {opts.max_depth} levels deep",
                        "limit", e, ref.expected)
    form = shape(e, opts.max_nodes)
    reason = refusal(e, opts, form)
    if reason:
        return _invalid(reason, "limit", e, ref.expected)
    symbols = form.symbols
    if form.calculus:
        if not allow_calculus:
            return _invalid("calculus operators (d/dx, diff, ') are not accepted in an answer: "
                            "write the derivative itself", "calculus", e, ref.expected)
        nested = calculus_order(e)
        if nested > MAX_ORDER:   # each is a whole derivation: refused before any is worked
            return _invalid(f"your answer applies {nested} derivatives one inside another; the "
                            f"limit is {MAX_ORDER}", "limit", e, ref.expected)
        try:
            e = expand_calculus(e)
        except TutorError as exc:   # d^10/dx^10[x^x]: over the work budget, refused as the answer's
            if exc.code != "limit":
                raise
            return _invalid(f"your answer asks for too much work: {exc.message}", "limit", e,
                            ref.expected)
        symbols = free_symbols(e)
    extra = [s for s in symbols if s not in ref.sample.variables]
    if extra:
        names = ", ".join(extra)
        return Verdict("incorrect", 0.0, f"your answer contains {names}, which is not in the function",
                       expected=ref.expected, answer=e, error_code="unknown-variable")
    fn = None
    # whether exact arithmetic decides: known from the shape walk, unless d/dx[...] were expanded
    rational = EQ.is_rational(e) if form.calculus else form.rational
    if ref.sample.exact_points and rational:
        cmp = EQ.compare(e, ref.sample, opts, rational=True)   # decided exactly: no float function
        exact = True
    else:
        exact = False
        try:  # compiled once: for the comparison and, if it is wrong, for the diagnosis
            fn = compile_float(e, ref.sample.variables)
        except TutorError as exc:
            compile_error = exc
        if fn is None and len(ref.sample.points) >= opts.min_points:
            cmp = EQ.Comparison("undetermined",
                                reason=f"your answer cannot be evaluated: {compile_error.message}")
        else:
            cmp = EQ.compare(e, ref.sample, opts, fn, rational=rational)
    if cmp.status == "equal" and not cmp.exact:
        cmp = _beyond(ref, e, fn, opts, cmp)
    if cmp.status == "equal":
        how = "exactly" if cmp.exact else f"at {cmp.checked} points"
        return Verdict("correct", 1.0, f"Correct: your answer equals the derivative ({how}).",
                       expected=ref.expected, answer=e)
    if cmp.status == "undetermined":
        return Verdict("undetermined", 0.0, f"Could not decide: {cmp.reason}.",
                       expected=ref.expected, answer=e, error_code="undetermined")
    simple = simple_counterexample(ref.expected, ref.function, e, ref.sample.variables,
                                   cmp.point, opts)
    if simple is not None:  # a point the student can check by hand
        point, want, got = simple
        where = EQ_where(point)
        cmp = EQ.Comparison("undefined" if got is None else "different", point, want, got,
                            cmp.reason if got is None else "")
    else:   # the failing sample point, to 6 digits
        where = ", ".join(f"{k} = {format_value(v, 6)}" for k, v in (cmp.point or {}).items())
    if cmp.status == "undefined":
        feedback = f"Not correct: your answer is undefined at {where} ({cmp.reason}), but the derivative is defined there."
    else:
        feedback = (f"Not correct: at {where} the derivative is {format_value(cmp.expected, 6)}, "
                    f"your answer gives {format_value(cmp.got, 6)}.")
    diags: tuple[Diagnosis, ...] = ()
    # a tree is never deeper than it has nodes: the depth walk only for a large answer (or
    # one whose d/dx[...] were expanded after its shape was taken)
    small = form.size <= DIAGNOSE_DEPTH and not form.calculus
    if opts.diagnose and (small or not deeper_than(e, DIAGNOSE_DEPTH)):
        if exact:   # compared exactly: compiled now, for the diagnosis's float values
            try:
                fn = compile_float(e, ref.sample.variables)
            except TutorError:
                fn = None
        diags = explain(ref, e, fn)
    score = diags[0].credit if (diags and opts.partial_credit) else 0.0
    if diags:
        feedback += " " + diags[0].message
    return Verdict("incorrect", score, feedback, diagnoses=diags, expected=ref.expected, answer=e)


from .work import check_work  # noqa: E402  (work.py calls check)
