"""The other reading of calculator text where textbooks disagree on what it means.

Why: the calculator language reads an implicit product as one factor (`1/2 x` is 1/(2x),
`sin x e^x` is sin(x e^x)), as documented, but many books and calculators read the first
atom alone (`(1/2) x`, `sin(x) e^x`). A grader must not mark an answer wrong for a
convention, so `other_reading` returns the text as the other convention reads it (or None
when there is no such spot), and the grader compares the verdicts of both readings.

The spots, found by one linear scan of the text (no parse):
* a fraction followed by an implicit product: `/`, one atom (a number, one letter or a
  bracketed group, with its power), then, after it, another factor (a letter or a bracket);
* a function without brackets whose argument is one letter (with a number before it and a
  power after it) followed by another factor that is not a function name.
The other reading puts `*` after that atom: `*` binds less tightly than an implicit product,
so `1/2 * x` is (1/2)·x and `sin x * e^x` is sin(x)·e^x. LaTeX (`\\frac`) is never ambiguous
in this way, and text with a backslash is left alone.
"""
from __future__ import annotations

import re

from .common import OPENERS
from .words import LETTER_FUNCS

__all__ = ["other_reading"]

_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_SPACE = re.compile(r"\s*")
#: a bracketless function name: a whole run of letters at a word start, then a space, that
#: is a known function word (a run, not an alternation of the ~70 words: the alternation was
#: tried at every position of every answer graded)
_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?=\s+[^\W_])")
_FUNCTIONS = frozenset(LETTER_FUNCS)


def _functions(text: str):
    if not _SPACED_LETTER(text):   # every match is letters then a space: most answers have none
        return ()
    return (m for m in _WORD.finditer(text) if m.group() in _FUNCTIONS)


_SPACED_LETTER = re.compile(r"[^\W\d_]\s+[^\W_]").search


def _function_at(text: str, j: int) -> bool:
    m = _WORD.match(text, j)
    return m is not None and m.group() in _FUNCTIONS
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"


def _closers(text: str) -> dict[int, int]:
    """index of each opening bracket -> the index after its closing one (one stack pass, so
    the scan stays linear however the brackets nest; it visits the brackets only, found by
    _BRACKET, not every character)."""
    out, stack = {}, []
    for m in _BRACKET(text):
        j = m.start()
        if text[j] in OPENERS:
            stack.append(j)
        elif stack:
            out[stack.pop()] = j + 1
    return out


_BRACKET = re.compile(r"[(\[{)\]}]").finditer


def _letter_end(text: str, i: int) -> int | None:
    """After one letter standing alone (not the start of a longer word), or None."""
    if i < len(text) and text[i].isalpha() and not (i + 1 < len(text) and (
            text[i + 1].isalnum() or text[i + 1] == "_")):
        return i + 1
    return None


class _Closers:
    """_closers(text), computed when an atom first starts with a bracket: most answers with
    a `/` or a bracketless function never ask, and the stack pass is a Python loop over
    every character (a third of the grader's ambiguity check)."""

    __slots__ = ("text", "table")

    def __init__(self, text: str) -> None:
        self.text, self.table = text, None

    def get(self, i: int) -> int | None:
        if self.table is None:
            self.table = _closers(self.text)
        return self.table.get(i)


def _base_end(text: str, i: int, closers: _Closers, letters_only: bool = False) -> int | None:
    """After one atom at `i`: a number, one letter, a bracketed group."""
    if i >= len(text):
        return None
    if letters_only:
        return _letter_end(text, i)
    if text[i] in OPENERS:
        return closers.get(i)
    if (m := _NUMBER.match(text, i)) is not None:
        return m.end()
    return _letter_end(text, i)


def _atom_end(text: str, i: int, closers: _Closers, letters_only: bool = False) -> int | None:
    """After one atom at `i` with its powers (`x^2`, `2**(-1/2)`, `x²`, `x^y^z`), or None."""
    end = _base_end(text, i, closers, letters_only)
    while end is not None:
        while end < len(text) and text[end] in _SUPERSCRIPT:
            end += 1
        j = _SPACE.match(text, end).end()
        op = 2 if text.startswith("**", j) else 1 if text.startswith("^", j) else 0
        if not op:
            return end
        k = _SPACE.match(text, j + op).end()
        k = _SPACE.match(text, k + 1).end() if text.startswith("-", k) else k
        exp = _base_end(text, k, closers)
        if exp is None:
            return end
        end = exp
    return end


def _factor_follows(text: str, i: int, functions_stop: bool) -> bool:
    """Whether another factor of an implicit product starts at `i` (after spaces)."""
    j = _SPACE.match(text, i).end()
    if j >= len(text):
        return False
    if text[j] in OPENERS or text[j] == "√":
        return True
    if not text[j].isalpha():
        return False
    return not (functions_stop and _function_at(text, j))


_SLASH = re.compile("/").finditer


def _spots(text: str) -> list[int]:
    """Where the other reading puts a `*`."""
    out, closers = [], _Closers(text)
    for m in (_SLASH(text) if "/" in text else ()):
        start = _SPACE.match(text, m.end()).end()
        end = _atom_end(text, start, closers)
        if end is not None and _factor_follows(text, end, functions_stop=False):
            out.append(end)
    for m in _functions(text):
        start = _SPACE.match(text, m.end()).end()
        if (n := _NUMBER.match(text, start)) is not None:
            start = _SPACE.match(text, n.end()).end()
        end = _atom_end(text, start, closers, letters_only=True)
        if end is not None and _factor_follows(text, end, functions_stop=True):
            out.append(end)
    return sorted(set(out))


def other_reading(text: str) -> str | None:
    """The text as the other convention reads it (`1/2 x` -> `1/2 * x`), or None."""
    if not isinstance(text, str) or "\\" in text or len(text) > 5_000:
        return None
    spots = _spots(text)
    if not spots:
        return None
    pieces, last = [], 0
    for s in spots:
        pieces += [text[last:s], " *"]
        last = s
    return "".join(pieces) + text[last:]
