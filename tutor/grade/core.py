"""The grader: is a student's derivative right, and if not, which slip explains it?

    check(function, answer, var=None, order=1, *, allow_calculus=False, options=None) -> Verdict
    check_work(function, lines, var=None, order=1, *, options=None) -> WorkVerdict
    check_command(args) -> (text, exit code)   exit 0 correct, 1 incorrect, 2 invalid, 3 undetermined

Verdicts: "correct", "incorrect", "invalid" (unreadable answer: the parse error is the
feedback and costs nothing), "undetermined" (too few valid sample points: never defaults to
correct). Equivalence is numeric-exact by our own evaluator (equivalence.py); misconceptions
are wrong derivatives generated in our own engine (misconceptions.py). The reference, its
sample values and every mutant are computed once per (function, var, order, options) and
cached, so grading a whole class costs one parse and one evaluation per answer.
Bad caller arguments (an unreadable *function*, a bad var) raise TutorError; anything wrong
with the *answer* is a Verdict.

Throughput (one core, Python 3.11, references warm, every answer a new string so it is parsed):
about 1,900 checks/s over tests/data/grader_bank.jsonl, 2,300-2,600/s on a median textbook
problem (`ln(3x - 2)`, `(2x + 5)^4`) with ~45 distinct answers, ~1,500/s on `sin(x^2) e^x`,
and 3,000/s when answers repeat (the parse is cached by text). Where the time goes per answer:
the parse (~150 us: Lark's tables driven by parse._run_lalr), one walk for every limit
(`_shape`), one compile_float of the answer (reused by the diagnosis), then up to 48 float
evaluations (~2 us each) for a correct answer, or, for a wrong one, all 48 plus the
cached misconception candidates and one engine derivative of the answer (gave-antiderivative,
compared lazily so it usually stops at the first point). The reference side (derivative,
sample points, reference values, mutants) is computed once per problem, the mutants only when
a first answer is wrong. A typical SymPy grader (parse_expr + simplify(a - b) == 0) manages
35-210 checks/s on the same problems, so we are 13-45x faster there (short rational answers
are where SymPy is quickest).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from . import equivalence as EQ
from ..engine import Context, derive
from ..errors import ParseError, TutorError
from ..evaluation.core import compile_float, evaluate_float, format_value
from ..expr import (Const, Derivative, Expr, Num, Pow, Sym, children, free_symbols,
                   replace, size, walk)
from ..limits import MAX_EXPONENT
from ..render.common import latex_text
from .misconceptions import BY_ID, CATALOGUE, mutate
from ..printing import expr_json, to_text, to_unicode

__all__ = ["Verdict", "WorkVerdict", "Diagnosis", "check", "check_work", "check_command",
           "Options"]

Options = EQ.Options
MAX_SITES = 12     # mutation sites tried per misconception (then all at once)
EXIT = {"correct": 0, "incorrect": 1, "invalid": 2, "undetermined": 3}


@dataclass(frozen=True)
class Diagnosis:
    id: str
    message: str
    rule: str | None = None
    step: str | None = None
    credit: float = 0.0

    def to_dict(self) -> dict:
        return {"id": self.id, "message": self.message, "rule": self.rule, "step": self.step,
                "credit": self.credit}


@dataclass(frozen=True)
class Verdict:
    verdict: str                     # correct | incorrect | invalid | undetermined
    score: float
    feedback: str
    feedback_latex: str = ""
    diagnoses: tuple[Diagnosis, ...] = ()
    expected: Expr | None = None
    answer: Expr | None = None
    error_code: str | None = None

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def echo(self) -> str:
        return f"you entered {to_unicode(self.answer)}" if self.answer is not None else ""

    def to_dict(self) -> dict:
        return {"schema": "tutor.verdict/1", "verdict": self.verdict, "score": self.score,
                "feedback": {"text": self.feedback, "latex": self.feedback_latex or latex_text(self.feedback)},
                "diagnoses": [d.to_dict() for d in self.diagnoses],
                "expected": expr_json(self.expected) if self.expected is not None else None,
                "answer": expr_json(self.answer) if self.answer is not None else None,
                "echo": self.echo, "error_code": self.error_code}

    def to_text(self) -> str:
        out = [f"{self.verdict.upper()} (score {self.score:g})"]
        if self.echo:
            out.append(self.echo)
        out.append(self.feedback)
        out.extend(f"[{d.id}] {d.message}" for d in self.diagnoses)
        return "\n".join(out)


@dataclass(frozen=True)
class WorkVerdict:
    verdict: str
    score: float
    feedback: str
    first_wrong: int | None                  # 1-based line number, None if all lines hold
    lines: tuple[Verdict, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()

    def to_dict(self) -> dict:
        return {"schema": "tutor.work-verdict/1", "verdict": self.verdict, "score": self.score,
                "feedback": {"text": self.feedback, "latex": latex_text(self.feedback)},
                "first_wrong_line": self.first_wrong,
                "diagnoses": [d.to_dict() for d in self.diagnoses],
                "lines": [v.to_dict() for v in self.lines]}

    def to_text(self) -> str:
        out = [f"{self.verdict.upper()} (score {self.score:g})", self.feedback]
        for i, v in enumerate(self.lines, 1):
            out.append(f"  line {i}: {v.verdict}" + (f"  ({v.echo})" if v.echo else ""))
        out.extend(f"[{d.id}] {d.message}" for d in self.diagnoses)
        return "\n".join(out)


# ------------------------------------------------------------------ the cached reference

@dataclass
class _Reference:
    function: Expr
    var: str
    partial: bool
    before: Expr                 # what the last differentiation starts from (f for order 1)
    expected: Expr               # simplified reference derivative
    sample: EQ.Sample
    f_values: tuple
    _candidates: list | None = field(default=None)
    _memo: dict = field(default_factory=dict)


@lru_cache(maxsize=512)
def _reference(function: str, var: str | None, order: int, input: str, opts: Options) -> _Reference:
    from ..language.calc import parse
    from ..solve import differentiate
    sol = differentiate(parse(function, input), var, order)
    f = sol.function
    v = sol.variables[-1]
    variables = tuple(dict.fromkeys(free_symbols(f) + (v,)))
    sample = EQ.make_sample(sol.answer, variables, opts, f"{to_text(f)}|{v}|{order}", domain=f)
    return _Reference(f, v, sol.partial, sol.stages[-1].function, sol.answer, sample,
                      EQ.values(f, sample))


def _candidates(ref: _Reference, opts: Options) -> list:
    """(values, misconception, rule, step text, fields) for every identifiable wrong derivative."""
    if ref._candidates is not None:
        return ref._candidates
    out = []
    right = ref.sample.values
    for m in CATALOGUE:
        if m.kind != "rule":
            continue
        probe = mutate(m, ref.partial, -1)
        try:
            derive(ref.before, Context(ref.var, ref.partial, probe))
        except TutorError:
            continue
        sites = list(range(min(probe.count, MAX_SITES))) + ([None] if probe.count > 1 else [])
        for site in sites:
            hook = mutate(m, ref.partial, site)
            try:
                wrong = derive(ref.before, Context(ref.var, ref.partial, hook)).result
            except TutorError:
                continue
            vals = EQ.values(wrong, ref.sample)
            if hook.hit is None or EQ.same(vals, right, opts):
                continue  # not identifiable: this slip changes nothing here
            out.append((vals, m, hook.hit[2].rule, _fields(ref, hook.hit)))
    out.append((tuple(-v for v in right), BY_ID["sign-error"], None, {}))
    out.append((ref.f_values, BY_ID["gave-function"], None, {}))
    for other in free_symbols(ref.function):
        if other != ref.var:
            try:
                vals = EQ.values(derive(ref.function, Context(other, True)).result, ref.sample)
            except TutorError:
                continue
            out.append((vals, BY_ID["wrong-variable"], None, {"other": other}))
    out = [c for c in out if not EQ.same(c[0], right, EQ.Options(min_points=1)) or c[1].kind == "rule"]
    ref._candidates = out
    return out


def _fields(ref: _Reference, hit) -> dict:
    e, var, right, wrong = hit
    at = f"d/d{var}[{to_text(e)}]"
    fields = {"at": at, "right": f"{at} = {_fill_text(right.after)}",
              "step": f"{at} = {_fill_text(right.after)}, not {_fill_text(wrong.after)}"}
    bind = dict(right.bindings)
    if "g" in bind:
        inner = bind["g"]
        fields["inner"] = to_text(inner)
        try:
            from ..solve import derivative
            fields["inner_d"] = to_text(derivative(inner, var))
        except TutorError:
            fields["inner_d"] = f"d/d{var}[{to_text(inner)}]"
    return fields


def _fill_text(e: Expr) -> str:
    return to_text(e)


def _diagnose(ref: _Reference, answer: Expr, avals: tuple, opts: Options) -> tuple[Diagnosis, ...]:
    found: dict[str, Diagnosis] = {}
    ranks: dict[str, int] = {}
    for vals, m, rule, fields in _candidates(ref, opts):
        if m.id in found or not EQ.same(avals, vals, opts):
            continue
        found[m.id] = _diagnosis(m, rule, fields, ref, opts)
        ranks[m.id] = m.rank
    k = _constant_ratio(avals, ref.sample.values, opts)
    if k is not None and "constant-factor" not in found and "sign-error" not in found:
        found["constant-factor"] = _diagnosis(BY_ID["constant-factor"], None, {"k": k}, ref, opts)
        ranks["constant-factor"] = BY_ID["constant-factor"].rank
    if "gave-antiderivative" not in found and size(answer) <= 400:
        try:
            if _antiderivative_possible(ref, opts) and _same_lazily(
                    derive(answer, Context(ref.var, ref.partial)).result, ref, opts):
                found["gave-antiderivative"] = _diagnosis(BY_ID["gave-antiderivative"], None, {}, ref, opts)
                ranks["gave-antiderivative"] = BY_ID["gave-antiderivative"].rank
        except TutorError:
            pass
    return tuple(sorted(found.values(), key=lambda d: ranks[d.id]))


def _antiderivative_possible(ref: _Reference, opts: Options) -> bool:
    """gave-antiderivative is identifiable only when f' and f differ (not for e^x)."""
    key = ("anti", opts)
    if key not in ref._memo:
        ref._memo[key] = not EQ.same(ref.f_values, ref.sample.values, opts)
    return ref._memo[key]


def _same_lazily(d: Expr, ref: _Reference, opts: Options) -> bool:
    """EQ.same(values(d), f values), evaluating d point by point until the first mismatch."""
    try:
        fn = compile_float(d, ref.sample.variables)
    except TutorError:
        return EQ.same(EQ.values(d, ref.sample), ref.f_values, opts)
    return EQ.same_as(fn, ref.sample, ref.f_values, opts)


def _constant_ratio(a: tuple, r: tuple, opts: Options) -> str | None:
    """k (as text) when a = k r at every point with k != 1, -1, 0."""
    k, n = None, 0
    for x, y in zip(a, r):
        if x != x or y != y or abs(y) <= max(opts.zero, 1e-100) or abs(x) < 1e-100:
            continue
        q = x / y
        if k is None:
            k = q
        elif abs(q - k) > opts.rtol * max(1.0, abs(k)) * 10:
            return None
        n += 1
    if k is None or n < min(opts.min_points, 8) or abs(k) < 1e-9 or abs(abs(k) - 1) < 1e-9:
        return None
    frac = Fraction(k).limit_denominator(1000)
    return format_value(frac) if abs(float(frac) - k) < 1e-9 * max(1, abs(k)) else format_value(k)


def _diagnosis(m, rule, fields, ref: _Reference, opts: Options) -> Diagnosis:
    fields = {"var": ref.var, "at": "the function", "right": "", "inner": "the inside",
              "inner_d": "the derivative of the inside", "other": "another variable", "k": "k",
              **fields}
    return Diagnosis(m.id, m.message.format(**fields), rule, fields.get("step"),
                     opts.credit_for(m.id, m.credit))


# ------------------------------------------------------------------ reading the answer

@lru_cache(maxsize=4096)
def _read(answer: str, input: str) -> Expr:
    from ..language.calc import parse
    return parse(answer, input)


@dataclass(frozen=True)
class _Shape:
    """What the checks before evaluation need, from ONE pre-order walk of the answer
    (size, depth, calculus operators, variables in order of first appearance, powers with a
    constant exponent): the separate walks cost more than the evaluation of a short answer."""
    size: int
    depth: int
    calculus: bool
    symbols: tuple
    const_pows: tuple


def _shape(e: Expr, max_nodes: int) -> _Shape:
    n, deepest, calculus = 0, 0, False
    seen: dict[str, None] = {}
    pows = []
    stack = [(e, 1)]
    while stack:
        node, d = stack.pop()
        n += 1
        if d > deepest:
            deepest = d
        if n > max_nodes:   # refused anyway: the exact count is computed for the message only
            return _Shape(size(e), deepest, calculus, tuple(seen), tuple(pows))
        match node:
            case Sym(name):
                seen.setdefault(name)
                continue
            case Num() | Const():
                continue
            case Pow(_, x):
                if isinstance(x, Num) or not free_symbols(x):
                    pows.append(node)
            case Derivative(_, var, _, _):
                calculus = True
                seen.setdefault(var)
        kids = children(node)
        for k in range(len(kids) - 1, -1, -1):
            stack.append((kids[k], d + 1))
    return _Shape(n, deepest, calculus, tuple(seen), tuple(pows))


def _limits(e: Expr, opts: Options, shape: _Shape | None = None) -> str | None:
    """A reason to refuse the answer before any evaluation, or None."""
    shape = shape or _shape(e, opts.max_nodes)
    n = shape.size
    if n > opts.max_nodes:
        return f"your answer has {n:,} parts; the limit is {opts.max_nodes:,}"
    if shape.depth > opts.max_depth:
        return f"your answer is nested more than {opts.max_depth} levels deep"
    for node in shape.const_pows:
        if isinstance(node.exp, Num) and abs(node.exp.value) <= MAX_EXPONENT:
            continue  # the common x^2: no evaluation needed to know it is in range
        try:
            v = evaluate_float(node.exp, {})
        except TutorError:
            return f"the exponent {to_text(node.exp)[:40]} is too large to evaluate"
        if abs(v) > MAX_EXPONENT:
            return (f"the exponent {to_text(node.exp)[:40]} is over the limit of "
                    f"{MAX_EXPONENT:,}")
    return None


def _invalid(message: str, code: str, answer: Expr | None = None, expected=None) -> Verdict:
    return Verdict("invalid", 0.0, message, expected=expected, answer=answer, error_code=code)


def _expand_calculus(e: Expr) -> Expr:
    """d/dx[u] inside an answer (when allowed) becomes the engine's derivative of u."""
    from ..solve import derivative
    mapping = {}
    for node in walk(e):
        if isinstance(node, Derivative) and node not in mapping:
            mapping[node] = derivative(_expand_calculus(node.expr), node.var, node.order)
    return replace(e, mapping)


# ------------------------------------------------------------------ check

def check(function: str, answer: str | Expr, var: str | None = None, order: int = 1, *,
          allow_calculus: bool = False, options: Options | None = None,
          input: str = "auto") -> Verdict:
    """Grade one answer. Raises TutorError only for a bad function/var/order (caller error)."""
    opts = options or Options()
    if not isinstance(function, str):
        function = to_text(function)
    ref = _reference(function, var, order, input, opts)
    try:
        return _check(ref, answer, allow_calculus, opts, input)
    except TutorError as exc:
        return Verdict("undetermined", 0.0, f"could not check this answer: {exc.message}",
                       expected=ref.expected, error_code=exc.code)
    except (ArithmeticError, RecursionError, MemoryError, ValueError) as exc:
        return Verdict("undetermined", 0.0, f"could not check this answer ({type(exc).__name__})",
                       expected=ref.expected, error_code="evaluation")


def _check(ref: _Reference, answer, allow_calculus: bool, opts: Options, input: str) -> Verdict:
    if isinstance(answer, str):
        if len(answer) > opts.max_chars:
            return _invalid(f"your answer is {len(answer):,} characters long; the limit is "
                            f"{opts.max_chars:,}", "limit", expected=ref.expected)
        if not answer.strip():
            return _invalid("the answer is empty", "empty", expected=ref.expected)
        try:
            e = _read(answer, input)
        except ParseError as exc:
            return _invalid(str(exc), exc.code, expected=ref.expected)
    else:
        e = answer
    shape = _shape(e, opts.max_nodes)
    reason = _limits(e, opts, shape)
    if reason:
        return _invalid(reason, "limit", e, ref.expected)
    symbols = shape.symbols
    if shape.calculus:
        if not allow_calculus:
            return _invalid("calculus operators (d/dx, diff, ') are not accepted in an answer: "
                            "write the derivative itself", "calculus", e, ref.expected)
        e = _expand_calculus(e)
        symbols = free_symbols(e)
    extra = [s for s in symbols if s not in ref.sample.variables]
    if extra:
        names = ", ".join(extra)
        return Verdict("incorrect", 0.0, f"your answer contains {names}, which is not in the function",
                       expected=ref.expected, answer=e, error_code="unknown-variable")
    try:  # compiled once: for the comparison and, if it is wrong, for the diagnosis
        fn = compile_float(e, ref.sample.variables)
    except TutorError as exc:
        fn, compile_error = None, exc
    if fn is None and not (ref.sample.exact_points and EQ.is_rational(e)) \
            and len(ref.sample.points) >= opts.min_points:
        cmp = EQ.Comparison("undetermined",
                            reason=f"your answer cannot be evaluated: {compile_error.message}")
    else:
        cmp = EQ.compare(e, ref.sample, opts, fn)
    if cmp.status == "equal":
        how = "exactly" if cmp.exact else f"at {cmp.checked} points"
        return Verdict("correct", 1.0, f"Correct: your answer equals the derivative ({how}).",
                       expected=ref.expected, answer=e)
    if cmp.status == "undetermined":
        return Verdict("undetermined", 0.0, f"Could not decide: {cmp.reason}.",
                       expected=ref.expected, answer=e, error_code="undetermined")
    where = ", ".join(f"{k} = {format_value(v, 6)}" for k, v in (cmp.point or {}).items())
    if cmp.status == "undefined":
        feedback = f"Not correct: your answer is undefined at {where} ({cmp.reason}), but the derivative is defined there."
    else:
        feedback = (f"Not correct: at {where} the derivative is {format_value(cmp.expected, 6)}, "
                    f"your answer gives {format_value(cmp.got, 6)}.")
    diags: tuple[Diagnosis, ...] = ()
    if opts.diagnose:
        avals = (tuple(fn(p) for p in ref.sample.points) if fn is not None
                 else (float("nan"),) * len(ref.sample.points))
        diags = _diagnose(ref, e, avals, opts)
    score = diags[0].credit if (diags and opts.partial_credit) else 0.0
    if diags:
        feedback += " " + diags[0].message
    return Verdict("incorrect", score, feedback, diagnoses=diags, expected=ref.expected, answer=e)


# ------------------------------------------------------------------ check_work

def check_work(function: str, lines, var: str | None = None, order: int = 1, *,
               options: Options | None = None, input: str = "auto") -> WorkVerdict:
    """Each line of working (text or LaTeX, an optional leading '=') must equal the derivative;
    d/dx[...] is allowed in working. Score: 1 all right; 0.0 for an unreadable line
    (no penalty: fix and resubmit); if the first wrong line has a diagnosis, its credit;
    else `slip_credit` when at least one line before it was right (method right,
    then a slip); else 0."""
    opts = options or Options()
    if isinstance(lines, str):
        lines = lines.splitlines()
    texts = [ln.strip() for ln in lines if ln.strip()]
    texts = [t[1:].strip() if t.startswith("=") else t for t in texts]
    if not texts:
        raise TutorError("no lines of working given", code="empty")
    verdicts = []
    for i, t in enumerate(texts, 1):
        v = check(function, t, var, order, allow_calculus=True, options=opts, input=input)
        verdicts.append(v)
        if v.verdict == "invalid":
            return WorkVerdict("invalid", 0.0, f"line {i} could not be read: {v.feedback}", i, tuple(verdicts))
        if v.verdict != "correct":
            if v.verdict == "undetermined":
                return WorkVerdict("undetermined", 0.0, f"line {i}: {v.feedback}", i, tuple(verdicts))
            if v.diagnoses:
                score = v.diagnoses[0].credit
            else:
                score = opts.slip_credit if i > 1 else 0.0
            score = score if opts.partial_credit else 0.0
            fb = f"line {i} no longer equals the derivative: {v.feedback}"
            return WorkVerdict("incorrect", score, fb, i, tuple(verdicts), v.diagnoses)
    return WorkVerdict("correct", 1.0, f"all {len(texts)} lines are right", None, tuple(verdicts))


# ------------------------------------------------------------------ CLI
