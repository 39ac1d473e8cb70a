"""What both input languages share: the grammar files, the limits on input, line and column.

Why one module: the calculator and the LaTeX reader must refuse the same oversized input the
same way (the same LimitError, message and position), load their grammars the same way from
a checkout or a wheel, and count lines and columns alike, so the caret of every ParseError
points at the same spot whichever reader raised it. Both readers import this module and
nothing of each other.
"""
from __future__ import annotations

import os

from .. import limits
from ..errors import LimitError, TutorError
from ..expr import LEAVES, Add, Call, Div, Expr, Mul, Neg, Pow, children

__all__ = ["grammar_text", "line_col", "check_limits", "check_tree", "OPENERS", "CLOSERS"]

#: the brackets of plain text (the calculator's three kinds; in LaTeX the same characters)
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {")": "(", "]": "[", "}": "{"}


def grammar_text(name: str) -> str:
    """A grammar file: the copy packaged in the wheel first, else `grammar/` of a checkout.

    Read with open() and os.path where the files are on disk (a wheel, a checkout): pathlib
    and importlib.resources cost ~13 ms of the first Lark parse in every process. Only a
    package imported from a zip has no files, and only then importlib.resources reads it."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    checkout = os.path.join(os.path.dirname(package), "grammar", name)
    for path in (os.path.join(package, "grammar", name), checkout):
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except OSError:
            pass
    try:
        import importlib.resources
        return (importlib.resources.files("tutor") / "grammar" / name).read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise TutorError(f"grammar file {name!r} not found (looked in the package and "
                         f"{checkout})", code="install") from exc


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index` (the caret of a ParseError)."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def check_limits(text: str) -> None:
    """Refuse oversized input before any parsing: too long, or brackets nested too deep.

    Both checks are one linear pass over the raw text, so a megabyte of `((((` is refused in
    milliseconds instead of being tokenised."""
    if len(text) > limits.MAX_INPUT_CHARS:
        raise LimitError(f"input is {len(text):,} characters long; the limit is "
                         f"{limits.MAX_INPUT_CHARS:,}", text=text[:200], line=1, column=1)
    if len(text) <= limits.MAX_DEPTH:
        return   # brackets cannot be nested deeper than the text is long
    level = 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            level += 1
            if level > limits.MAX_DEPTH:
                line, col = line_col(text, i)
                raise LimitError(f"brackets are nested more than {limits.MAX_DEPTH:,} levels "
                                 f"deep (the limit)", text=text, line=line, column=col)
        elif ch in CLOSERS and level:
            level -= 1


def _size_depth(expr: Expr) -> tuple[int, int]:
    """size(expr) and depth(expr) in one iterative, level-by-level walk (runs on every parse)."""
    n, d, level = 0, 0, [expr]
    while level:
        d += 1
        n += len(level)
        nxt: list = []
        for node in level:
            t = type(node)
            if t in LEAVES:   # no children to ask for
                continue
            if t is Mul:   # the common inner nodes by their fields: no children() call
                nxt.extend(node.factors)
            elif t is Add:
                nxt.extend(node.terms)
            elif t is Pow:
                nxt.append(node.base)
                nxt.append(node.exp)
            elif t is Neg:   # a - b, -x: as common as a power in answers
                nxt.append(node.arg)
            elif t is Div:
                nxt.append(node.num)
                nxt.append(node.den)
            elif t is Call:
                nxt.extend(node.args)
            else:
                nxt.extend(children(node))
        level = nxt
    return n, d


def check_tree(expr: Expr, text: str = "") -> Expr:
    """Refuse a parsed tree deeper than MAX_DEPTH or larger than MAX_NODES (both iterative)."""
    n, d = _size_depth(expr)
    if n > limits.MAX_NODES:
        raise LimitError(f"expression has {n:,} nodes; the limit is {limits.MAX_NODES:,}",
                         text=text)
    if d > limits.MAX_DEPTH:
        raise LimitError(f"expression is nested {d:,} levels deep; the limit is "
                         f"{limits.MAX_DEPTH:,}", text=text)
    return expr
