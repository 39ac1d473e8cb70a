"""Every error `tutor` raises on purpose. All are `TutorError`, itself a `ValueError`,
so an embedding program catches one class; anything else escaping is a bug."""
from __future__ import annotations

__all__ = [
    "TutorError", "ParseError", "LimitError", "VariableError",
    "EvaluationError", "DomainError",
]


class TutorError(ValueError):
    """Base class. `code` is a stable machine-readable id (used in JSON output)."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class ParseError(TutorError):
    """Unreadable input: where (1-based line and column), the input with a caret under
    the spot, and a hint for the usual slips."""

    code = "syntax"

    def __init__(self, message: str, *, text: str = "", line: int = 1, column: int = 1,
                 hint: str | None = None, code: str | None = None):
        super().__init__(message, code=code, hint=hint)
        self.text = text
        self.line = line
        self.column = column

    @property
    def context(self) -> str:
        """The offending input line with a caret under the column."""
        lines = self.text.splitlines() or [""]
        src = lines[min(self.line, len(lines)) - 1]
        if len(src) > 78:  # keep the caret visible on huge one-line inputs
            start = max(0, self.column - 40)
            src = ("..." if start else "") + src[start:start + 75]
            col = self.column - start + (3 if start else 0)
        else:
            col = self.column
        return f"  {src}\n  {' ' * (col - 1)}^"

    def __str__(self) -> str:
        out = f"{self.message} (line {self.line}, column {self.column})\n{self.context}"
        if self.hint:
            out += f"\nhint: {self.hint}"
        return out


class LimitError(ParseError):
    """Input beyond a documented size, nesting or cost limit."""

    code = "limit"


class VariableError(TutorError):
    """The variable to differentiate by is missing, ambiguous or not a name."""

    code = "variable"


class EvaluationError(TutorError):
    """A value could not be computed (budget spent, overflow)."""

    code = "evaluation"


class DomainError(EvaluationError):
    """A point outside the function's domain: ln of a negative, division by zero, ..."""

    code = "domain"
