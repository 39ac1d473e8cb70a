"""What a check returns: the verdict records and their text and JSON forms.

Why apart: a homework system stores, prints and serialises verdicts without grading anything,
and the JSON schemas (`tutor.verdict/1`, `tutor.work-verdict/1`) are a contract that must not
move when the grading code does. Every record is frozen: a verdict may be cached, logged or
handed to another thread as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..evaluation.keys import tree_key
from ..expr import Expr
from ..language import declared
from ..language.words import log_base
from ..printing import to_latex, to_sympy, to_text, to_unicode
from ..render.common import closing_bracket, tex_escape

__all__ = ["Diagnosis", "Verdict", "WorkVerdict", "EXIT", "feedback_latex", "forget_forms",
           "FORMS_SIZE", "FORMS_CHARS"]

#: verdict -> process exit code of `tutor check`
EXIT = {"correct": 0, "incorrect": 1, "invalid": 2, "undetermined": 3}


# ---------------------------------------------------------------- printed forms, remembered

#: trees whose printed forms each table remembers, and the most characters of forms one entry
#: may hold (a longer answer is printed afresh each time): a full table is at most
#: FORMS_SIZE x FORMS_CHARS characters, about 8 MB, and usually well under 1 MB
FORMS_SIZE = 4096
FORMS_CHARS = 2048

#: the problems' derivatives (`expected`: one tree per problem, in every verdict of it) and the
#: answers' trees (a verdict handed out again by the memo, an answer equal to another)
_EXPECTED: dict = {}
_ANSWERS: dict = {}
#: feedback sentences as LaTeX, by (sentence, the names declared, the log notation): a class's
#: verdicts repeat a few sentences ("Correct: ... (at 48 points).")
_FEEDBACK: dict = {}


def _forms(table: dict, kind: str, e: Expr):
    """The printed form(s) of e: "json" (text, LaTeX, SymPy), "text" (a batch row's) or
    "unicode" (the echo).

    Why: printing was most of the `tutor.verdict/1` record's cost (the reference's three forms
    in every verdict of a problem: about half of a worker's fresh check), and printing is a pure
    function of the tree. Cache invariant: key = (kind, the tree's structural key) -> strings
    (immutable; to_dict builds a fresh dict around them each time). Bounded: cleared when it
    holds FORMS_SIZE entries (a crude bound, atomic under threads: the next class refills it),
    forgotten by `forget_forms` (grade.clear_caches). Threads: dict get/set are atomic; a race
    only prints twice and stores equal strings. Processes: each worker has its own tables."""
    try:
        key = (kind, tree_key(e))
    except (RecursionError, TypeError):   # too deep to hash, or not a tree: printed afresh
        return _print(kind, e)
    hit = table.get(key)
    if hit is None and table is _ANSWERS:
        # an answer that IS the problem's derivative (the engine's own form, copied): its
        # forms were printed for the problem's `expected` (the same strings: printing is a
        # pure function of the tree, and equal trees have equal keys)
        hit = _EXPECTED.get(key)
    if hit is None:
        hit = _print(kind, e)
        if sum(map(len, hit if kind == "json" else (hit,))) <= FORMS_CHARS:
            if len(table) >= FORMS_SIZE:
                table.clear()
            table[key] = hit
    return hit


def _print(kind: str, e: Expr):
    if kind == "json":
        return to_text(e), to_latex(e), to_sympy(e)
    return to_text(e) if kind == "text" else to_unicode(e)


def _json(table: dict, e: Expr) -> dict:
    """printing.expr_json(e), from the remembered forms (a new dict every time)."""
    text, latex, sympy = _forms(table, "json", e)
    return {"text": text, "latex": latex, "sympy": sympy}


def forget_forms(*, references: bool = True) -> None:
    """Forget the answers' printed forms and, unless references=False, the problems'."""
    _ANSWERS.clear()
    _FEEDBACK.clear()
    if references:
        _EXPECTED.clear()


# ---------------------------------------------------------------- the feedback as LaTeX maths

#: what starts maths in a feedback sentence: d/dx[...], or a number (after `x = ` when there is one)
_MATHS = re.compile(r"d/d(?P<var>[A-Za-z]\w*)\[|(?P<name>\b[A-Za-z]\w?\d* = )?"
                    r"(?P<num>(?<![\w.^])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?(?![\w(]))")
#: where the expression after `d/dx[...] = ` may end
_ENDS = re.compile(r", not |, |\. |: |; |\.$|$")


def _expr_latex(s: str) -> str | None:
    """A printed expression as LaTeX, or None if it is not one (prose stays prose)."""
    from ..errors import TutorError
    from ..language import parse
    from ..printing import to_latex
    from ..vocabulary import FUNCTIONS
    words = re.findall(r"[A-Za-z]{3,}", s)
    if not s.strip() or any(w not in FUNCTIONS and w not in ("pi",) for w in words):
        return None
    try:
        return to_latex(parse(s, "calc"))
    except (TutorError, RecursionError, ValueError):
        return None


def _number_latex(m: re.Match) -> str:
    num = m["num"].replace(",", "{,}")
    if "e" in num:
        mant, exp = num.split("e")
        num = f"{mant} \\times 10^{{{int(exp)}}}"
    name = m["name"]
    return (f"{name[:-3]} = " if name else "") + num


def feedback_latex(text: str) -> str:
    """A feedback sentence as one LaTeX maths string (for KaTeX or `$...$`): the prose in
    `\\text{}`, the numbers, assignments and d/dx[...] written as maths. A span that does not
    read as an expression stays prose, escaped, so the result always compiles.

    Remembered: the sentence's expressions are parsed, so the key holds the reading context
    (declared names, log notation) beside the text; strings in and out, so the value may be
    shared; bounded and forgotten as the printed forms are (_forms)."""
    key = (text, declared(), log_base())
    hit = _FEEDBACK.get(key)
    if hit is None:
        hit = _feedback_latex(text)
        if len(text) <= FORMS_CHARS:
            if len(_FEEDBACK) >= FORMS_SIZE:
                _FEEDBACK.clear()
            _FEEDBACK[key] = hit
    return hit


def _feedback_latex(text: str) -> str:
    parts: list[tuple[str, str]] = []            # (kind, source): "text" prose or "math" LaTeX
    pos = 0
    while (m := _MATHS.search(text, pos)) is not None:
        if m["var"]:
            close = closing_bracket(text, m.end())
            inner = None if close is None else _expr_latex(text[m.end():close])
            if inner is None:
                parts.append(("text", text[pos:m.end()]))
                pos = m.end()
                continue
            parts += [("text", text[pos:m.start()]),
                      ("math", f"\\frac{{d}}{{d{m['var']}}}\\left[{inner}\\right]")]
            pos = close + 1
            for joint, shown in ((" = ", " = "), (", not ", None)):
                if not text.startswith(joint, pos):
                    continue
                for end in _ENDS.finditer(text, pos + len(joint)):
                    rhs = _expr_latex(text[pos + len(joint):end.start()])
                    if rhs is not None:
                        parts += ([("math", shown + rhs)] if shown else
                                  [("text", joint), ("math", rhs)])
                        pos = end.start()
                        break
            continue
        parts += [("text", text[pos:m.start()]), ("math", _number_latex(m))]
        pos = m.end()
    parts.append(("text", text[pos:]))
    out = []
    for kind, src in parts:
        if kind == "math":
            out.append(src)
        elif src:
            out.append(f"\\text{{{tex_escape(src)}}}")
    return "".join(out)


# The records a check makes (Diagnosis, Verdict) are frozen dataclasses with an `__init__` of
# their own (init=False) that fills the instance's __dict__ directly: the generated one calls
# object.__setattr__ once per field (a frozen class's price), 1.9 us for a Verdict's nine
# against 0.5 us, on every check. Same signature, fields and defaults (tests/test_grade_records_init.py
# holds them to the generated ones); assigning to a field still raises.

@dataclass(frozen=True, init=False)
class Diagnosis:
    """One misconception that explains a wrong answer, with its message and credit."""
    id: str
    message: str
    rule: str | None = None
    step: str | None = None
    credit: float = 0.0

    def __init__(self, id: str, message: str, rule: str | None = None, step: str | None = None,
                 credit: float = 0.0) -> None:
        fields = self.__dict__
        fields["id"] = id
        fields["message"] = message
        fields["rule"] = rule
        fields["step"] = step
        fields["credit"] = credit

    def to_dict(self) -> dict:
        return {"id": self.id, "message": self.message, "rule": self.rule, "step": self.step,
                "credit": self.credit}


@dataclass(frozen=True, init=False)
class Verdict:
    """The grade of one answer: verdict, score, feedback, and what explains a wrong answer."""
    verdict: str                     # correct | incorrect | invalid | undetermined
    score: float
    feedback: str
    feedback_latex: str = ""
    diagnoses: tuple[Diagnosis, ...] = ()
    expected: Expr | None = None
    answer: Expr | None = None
    error_code: str | None = None
    readings: tuple[Expr, ...] = ()  # an ambiguous answer's two readings (error_code "ambiguous")

    def __init__(self, verdict: str, score: float, feedback: str, feedback_latex: str = "",
                 diagnoses: tuple[Diagnosis, ...] = (), expected: Expr | None = None,
                 answer: Expr | None = None, error_code: str | None = None,
                 readings: tuple[Expr, ...] = ()) -> None:
        fields = self.__dict__
        fields["verdict"] = verdict
        fields["score"] = score
        fields["feedback"] = feedback
        fields["feedback_latex"] = feedback_latex
        fields["diagnoses"] = diagnoses
        fields["expected"] = expected
        fields["answer"] = answer
        fields["error_code"] = error_code
        fields["readings"] = readings

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def echo(self) -> str:
        return f"you entered {_forms(_ANSWERS, 'unicode', self.answer)}" \
            if self.answer is not None else ""

    @property
    def expected_text(self) -> str | None:
        """to_text(expected), remembered per problem (a batch row prints it for every answer)."""
        return _forms(_EXPECTED, "text", self.expected) if self.expected is not None else None

    @property
    def answer_text(self) -> str | None:
        """to_text(answer), remembered per answer tree."""
        return _forms(_ANSWERS, "text", self.answer) if self.answer is not None else None

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self) -> dict:
        """The `tutor.verdict/1` JSON. `readings` is present only on an ambiguous answer
        (error_code "ambiguous"): an optional field, so every other verdict keeps its shape."""
        out = {"schema": "tutor.verdict/1", "verdict": self.verdict, "score": self.score,
               "feedback": {"text": self.feedback, "latex": self.feedback_latex or feedback_latex(self.feedback)},
               "diagnoses": [d.to_dict() for d in self.diagnoses],
               "expected": _json(_EXPECTED, self.expected) if self.expected is not None else None,
               "answer": _json(_ANSWERS, self.answer) if self.answer is not None else None,
               "echo": self.echo, "error_code": self.error_code}
        if self.readings:
            out["readings"] = [_json(_ANSWERS, r) for r in self.readings]
        return out

    def to_text(self) -> str:
        out = [f"{self.verdict.upper()} (score {self.score:g})"]
        if self.echo:
            out.append(self.echo)
        out.append(self.feedback)  # a diagnosis already in the feedback is not printed twice
        out.extend(f"[{d.id}] {d.message}" if d.message not in self.feedback else f"[{d.id}]"
                   for d in self.diagnoses)
        return "\n".join(out)


@dataclass(frozen=True)
class WorkVerdict:
    """The grade of a line-by-line working: the first line that stops being right, and why."""
    verdict: str
    score: float
    feedback: str
    first_wrong: int | None                  # 1-based line number, None if all lines hold
    lines: tuple[Verdict, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self) -> dict:
        return {"schema": "tutor.work-verdict/1", "verdict": self.verdict, "score": self.score,
                "feedback": {"text": self.feedback, "latex": feedback_latex(self.feedback)},
                "first_wrong_line": self.first_wrong,
                "diagnoses": [d.to_dict() for d in self.diagnoses],
                "lines": [v.to_dict() for v in self.lines]}

    def to_text(self) -> str:
        out = [f"{self.verdict.upper()} (score {self.score:g})", self.feedback]
        for i, v in enumerate(self.lines, 1):
            out.append(f"  line {i}: {v.verdict}" + (f"  ({v.echo})" if v.echo else ""))
        out.extend(f"[{d.id}] {d.message}" if d.message not in self.feedback else f"[{d.id}]"
                   for d in self.diagnoses)
        return "\n".join(out)
