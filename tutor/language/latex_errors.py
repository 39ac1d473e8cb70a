"""What the LaTeX reader knows about commands, and how it explains unreadable LaTeX.

Why apart from the transformer: refusing bad input well is half of a reader for students, and
it needs only the raw text, never the tree. A cheap pre-scan over the raw text runs before Lark
and refuses unknown commands (with "did you mean \\sin?" or "put a space after \\sin") and
unbalanced brackets, pointing at the opener that is never closed; `translate` turns Lark's
errors into a ParseError with a position and a plain-words hint. The command names come from
tutor/vocabulary.py (functions and Greek letters) plus the structural commands listed here.
"""
from __future__ import annotations

import difflib
import re

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .. import vocabulary
from ..errors import LimitError, ParseError
from ..limits import MAX_DEPTH
from .common import line_col

__all__ = ["FUNCTION_ALIASES", "LATEX_GREEK", "KNOWN_COMMANDS", "OPERATOR_NAMES", "error",
           "prescan", "translate"]

#: every name a function command may carry (\name, \operatorname{name}) -> canonical name
FUNCTION_ALIASES: dict[str, str] = dict(vocabulary.LATEX_SPELLINGS)
#: every Greek command -> the letter's name (\vartheta -> theta); \pi is the constant, apart
LATEX_GREEK: dict[str, str] = {command: g.name for g in vocabulary.GREEK.values()
                               if g.latex and g.name != "pi"
                               for command in (g.latex[1:], *g.variants)}

#: every backslash command the grammar understands (for the pre-scan and "did you mean")
KNOWN_COMMANDS = frozenset(
    [n for n in FUNCTION_ALIASES if n != "sqrt"] + list(LATEX_GREEK) + """
    frac dfrac tfrac cfrac sqrt log max min pi partial cdot times ast div
    left right bigl bigr Bigl Bigr biggl biggr Biggl Biggr big Big bigg Bigg
    lvert rvert vert mid geq ge leq le gt lt geqslant leqslant quad qquad
    displaystyle textstyle operatorname mathrm mathit mathbb mathbf mathds""".split())
_NAMED = ("operatorname", "mathrm", "mathit")       # \operatorname{name}
#: the names \operatorname{...} may carry
OPERATOR_NAMES = frozenset(FUNCTION_ALIASES) | {"log", "max", "min"}
_SPACES = ",;:! "                                     # \, \; \: \! "\ " \|


def error(message, text, line, column, code="syntax", hint=None, cls=ParseError):
    return cls(message, text=text, line=line, column=column, hint=hint, code=code)


# ------------------------------------------------------------------ raw-text pre-scan

_SCAN = re.compile(r"\\([a-zA-Z]+)|\\(.)|([{}()\[\]])", re.S)
_DELIMITER = re.compile(r"\s*(?:\\[a-zA-Z]+|\\.|.)", re.S)
_BRACED = re.compile(r"\s*\{\s*([^{}]*?)\s*\}")
_CLOSES = {"}": "{", ")": "(", "]": "[", "\\}": "\\{", "\\right": "\\left"}


def _unknown_command_hint(cmd: str) -> str | None:
    prefixes = [k for k in KNOWN_COMMANDS if len(k) > 1 and cmd.startswith(k)]
    if prefixes:
        k = max(prefixes, key=len)
        return f"put a space after \\{k}: \\{k} {cmd[len(k):]}"
    close = difflib.get_close_matches(cmd, sorted(KNOWN_COMMANDS), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join("\\" + c for c in close) + "?"
    return r"supported commands include \frac, \sqrt, \sin, \ln, \log_{b}, \cdot, \left( \right), Greek letters"


def prescan(src: str, text: str) -> None:
    """Cheap checks on the raw text before Lark runs: unknown commands, unbalanced
    brackets (pointing at the unmatched opener) and bracket depth over MAX_DEPTH."""
    stack: list[tuple[str, int, str]] = []
    pos = 0
    while (m := _SCAN.search(src, pos)) is not None:
        pos = m.end()
        cmd, escaped, bracket = m.groups()
        if cmd is not None:
            if cmd not in KNOWN_COMMANDS:
                raise error(f"unknown command \\{cmd}", text, *line_col(src, m.start()),
                            "unknown-command", _unknown_command_hint(cmd))
            if cmd in _NAMED or cmd in ("mathbb", "mathbf", "mathds"):
                _check_named(cmd, src, text, m)
            if cmd in ("left", "right"):
                d = _DELIMITER.match(src, pos)
                pos = d.end() if d else pos
                bracket = "\\" + cmd
                shown = src[m.start():pos].replace(" ", "")
        elif escaped is not None:
            if escaped in "{}":
                bracket = "\\" + escaped
            elif escaped not in _SPACES:
                raise error(f"unknown command \\{escaped}", text, *line_col(src, m.start()),
                            "unknown-command", r"spaces are \, \; \quad; braces are \{ \}")
        if bracket is None:
            continue
        if not bracket.endswith(("left", "right")):
            shown = bracket
        if bracket not in _CLOSES:
            stack.append((bracket, m.start(), shown))
            if len(stack) > MAX_DEPTH:
                raise error(f"brackets nest deeper than {MAX_DEPTH} levels", text,
                            *line_col(src, m.start()), "limit", cls=LimitError)
            continue
        if not stack:
            raise error(f"'{shown}' has no matching opener", text, *line_col(src, m.start()),
                        "unbalanced", f"delete it or add the opening {_CLOSES[bracket]!r} before it")
        opener, at, opened = stack.pop()
        if opener != _CLOSES[bracket]:
            raise error(f"'{opened}' is never closed ('{shown}' found instead)", text,
                        *line_col(src, at), "unbalanced", _closer_hint(opener))
    if stack:
        opener, at, opened = stack[-1]
        raise error(f"'{opened}' is never closed", text, *line_col(src, at), "unbalanced",
                    _closer_hint(opener))


def _closer_hint(opener: str) -> str:
    closer = {v: k for k, v in _CLOSES.items()}[opener]
    return f"add the matching '{closer}'" + (r" (\left( pairs with \right))" if opener == "\\left" else "")


def _check_named(cmd: str, src: str, text: str, m: re.Match) -> None:
    b = _BRACED.match(src, m.end())
    content = b.group(1) if b else None
    if cmd == "mathit" and content is not None and re.fullmatch(r"[a-zA-Z]+", content):
        if content not in OPERATOR_NAMES or len(content) == 1:
            return  # \mathit{rate}: a variable with a long name, as the printer writes one
        raise error(f"\\mathit{{{content}}} would be a variable named {content}", text,
                    *line_col(src, m.start()), "unknown-command",
                    f"write \\{content} or \\operatorname{{{content}}} for {content}")
    if cmd in _NAMED:
        if content is None or not (content in OPERATOR_NAMES or re.fullmatch(r"[a-zA-Z]", content)):
            close = difflib.get_close_matches(content or "", sorted(OPERATOR_NAMES), n=3, cutoff=0.6)
            hint = ("did you mean " + " or ".join(close) + "?") if close else \
                "known names: " + ", ".join(sorted(set(FUNCTION_ALIASES.values()) | {"log", "max", "min"}))
            raise error(f"unknown function \\{cmd}{{{content or ''}}}", text,
                        *line_col(src, m.start()), "unknown-function", hint)
    elif content not in ("1", "I") and not src.startswith("1", m.end()):
        raise error(f"\\{cmd} is only understood as the indicator \\{cmd}{{1}}", text,
                    *line_col(src, m.start()), "unknown-command", r"write \mathbb{1}\left[u > v\right]")


# ------------------------------------------------------------------ Lark errors -> ParseError

_FRIENDLY = {
    "NUMBER": "a number", "DIGIT1": "a digit", "DIGITS": "digits", "LETTER": "a variable",
    "LETTER_DIGITS": "a variable", "GREEK": "a Greek letter", "PI": r"\pi", "FUNC": "a function",
    "LOG": r"\log", "FRAC": r"\frac", "SQRT": r"\sqrt", "MAXMIN": r"\max", "MBB": r"\mathbb{1}",
    "PARTIAL": r"\partial", "PLUS": "'+'", "MINUS": "'-'", "MULOP": r"\cdot", "DIVOP": "'/'",
    "REL": "a comparison", "_LP": "'('", "_RP": "')'", "_LB": "'['", "_RB": "']'", "_LCB": r"\{",
    "_RCB": r"\}", "_LBAR": "'|'", "_RBAR": "'|'", "BAR": "'|'", "_LBRACE": "'{'",
    "_RBRACE": "'}'", "_CARET": "'^'", "_UNDERSCORE": "'_'", "_COMMA": "','", "$END": "the end",
}

_TOKEN_HINTS = {
    "REL": r"a comparison is only allowed inside an indicator: \left[u > v\right]",
    "_CARET": r"a double superscript needs braces: {x^{2}}^{3}",
    "_UNDERSCORE": r"a subscript goes right after a variable: w_{1}",
    "_COMMA": r"commas only separate \max/\min arguments; a decimal comma is written 3{,}5",
}

_CHAR_HINTS = {
    "'": r"primes are not supported: write \frac{d}{dx}\left[f\right]",
    "=": "type one expression, not an equation",
    "!": "factorials are not supported",
    "&": "alignment characters are not supported: type one expression",
    "$": "remove the $ signs inside the expression",
}


def unexpected_character(ch: str, text: str, line: int, column: int) -> ParseError:
    """The error for a character no token starts with."""
    return error(f"unexpected character {ch!r}", text, line, column, "syntax", _CHAR_HINTS.get(ch))


def translate(exc: UnexpectedInput, src: str, text: str) -> ParseError:
    """One Lark error -> ParseError with a plain-words message, position and hint."""
    if isinstance(exc, UnexpectedCharacters):
        ch = src[exc.pos_in_stream] if exc.pos_in_stream < len(src) else ""
        return unexpected_character(ch, text, exc.line, exc.column)
    token = getattr(exc, "token", None)
    expected = sorted({_FRIENDLY.get(t, t) for t in getattr(exc, "expected", ()) or ()})
    listing = ("expected " + ", ".join(expected[:6]) + (", ..." if len(expected) > 6 else "")) if expected else None
    if not isinstance(exc, UnexpectedToken) or token is None or token.type == "$END":
        end = len(src.rstrip())
        line, column = line_col(src, end)
        return error("the expression ends too early", text, line, column, "syntax",
                     "something is missing at the end" + (f"; {listing}" if listing else ""))
    kind = token.type
    if kind == "MINUS" and "DIGIT1" in exc.expected:
        hint = "put a negative exponent in braces: x^{-1}"
    elif kind in ("MULOP", "DIVOP", "PLUS") and ("NUMBER" in exc.expected or "DIGIT1" in exc.expected):
        hint = f"something is missing before {token.value!r}"
    else:
        hint = _TOKEN_HINTS.get(kind, listing)
    return error(f"unexpected {token.value!r}", text, token.line, token.column, "syntax", hint)
