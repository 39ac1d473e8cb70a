"""What a check returns: the verdict records and their text and JSON forms.

Why apart: a homework system stores, prints and serialises verdicts without grading anything,
and the JSON schemas (`tutor.verdict/1`, `tutor.work-verdict/1`) are a contract that must not
move when the grading code does. Every record is frozen: a verdict may be cached, logged or
handed to another thread as it is.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..expr import Expr
from ..printing import expr_json, to_unicode
from ..render.common import latex_text

__all__ = ["Diagnosis", "Verdict", "WorkVerdict", "EXIT"]

#: verdict -> process exit code of `tutor check`
EXIT = {"correct": 0, "incorrect": 1, "invalid": 2, "undetermined": 3}


@dataclass(frozen=True)
class Diagnosis:
    """One misconception that explains a wrong answer, with its message and credit."""
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
    """The grade of one answer: verdict, score, feedback, and what explains a wrong answer."""
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
        out.extend(f"[{d.id}] {d.message}" if d.message not in self.feedback else f"[{d.id}]"
                   for d in self.diagnoses)
        return "\n".join(out)
