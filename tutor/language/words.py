"""The calculator language's words and token context: what a context-free grammar cannot say.

Why a module of its own: calc.lark reads tokens, but two things about those tokens depend on
their neighbours, and both the Lark path (`calc`) and the hand-written fast path (`fast`) must
decide them identically:

* the word policy: a run of letters (WORD) becomes NAME / CONST / FUNC / LOGB pieces, longest
  known word first, so `sinx` is sin x, `xy2` is x*y2, `thetax` is theta x and `arcsin` is never
  a*r*c*s*i*n. The known words come from tutor/vocabulary.py (functions, Greek letters, pi);
* token context (`refine`, Lark's post-lexer): whether `|` opens or closes, which `(` opens a
  function's argument list (CALL_OPEN), √ and ∛ as FUNC, and the user-facing errors that need
  neighbours: decimal comma `3,5`, primes `f'`, near-miss function names `sinn(x)`.

Each token may remember the function head it belongs to (`Tok.head_of`), so an error can say
"sin needs an argument" at the right column.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from typing import TYPE_CHECKING

from .. import limits, vocabulary
from ..errors import LimitError, ParseError

if TYPE_CHECKING:   # annotations only: the fast path must not import Lark (see `tok`)
    from lark import Token

    from .tok import Tok

__all__ = ["ALIASES", "INVERTIBLE", "GREEK", "GREEK_CHARS", "LETTER_FUNCS", "KNOWN_WORDS",
           "WORD_RE", "SUPERSCRIPTS", "Tok", "Refiner", "error", "split", "near_function",
           "word", "refine", "declared", "declaring", "near_miss"]

#: every calculator spelling -> canonical function (log, log10, log2 and root are built specially)
ALIASES: dict[str, str] = dict(vocabulary.CALC_SPELLINGS)
#: functions whose `f^-1` spelling means the inverse function (sin^-1 x = asin x)
INVERTIBLE = frozenset(vocabulary.INVERSES)
#: Greek letter names, each one variable (pi is the constant, read as CONST)
GREEK = frozenset(name for name in vocabulary.GREEK if name != "pi")
#: Greek characters -> the letter's name (θ -> theta, π -> pi)
GREEK_CHARS: dict[str, str] = vocabulary.greek_by_char()
LETTER_FUNCS = frozenset(a for a in ALIASES if a.isalpha())
#: the words a run of letters is split into (longest first); anything else is one letter
KNOWN_WORDS = LETTER_FUNCS | GREEK | {"pi"}
_LONGEST = max(map(len, KNOWN_WORDS))
#: a WORD token of calc.lark: letters, trailing digits, an optional _sub or _{sub}
WORD_RE = re.compile(r"([^\W\d_]+)(\d*)(?:_\{(\w+)\}|_(\w+))?")
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def __getattr__(name: str):
    """`words.Tok`, as before: the token class lives in `tok` (it imports Lark), loaded on
    first use by the Lark path only."""
    if name == "Tok":
        from .tok import Tok
        return Tok
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def error(message: str, tok: Token, code: str = "syntax", hint: str | None = None) -> ParseError:
    """A ParseError at a token (parse_calc fills in the input text)."""
    return ParseError(message, line=tok.line or 1, column=tok.column or 1, hint=hint, code=code)


# ------------------------------------------------------------------ the word policy

#: names of several letters the caller declared (`names=`, `--constants`): each is one name
#: in the word policy, like a Greek letter. A context variable, so that a declaration is
#: seen by the parse it was made for and by no other thread's.
_DECLARED: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "tutor_declared_names", default=frozenset())


def declared() -> frozenset[str]:
    """The multi-letter names declared for the parse running in this context."""
    return _DECLARED.get()


@contextlib.contextmanager
def declaring(names):
    """Within the block, each of `names` (letters, then digits: rate, k2) is one name."""
    extra = frozenset(n for n in (names or ()) if n and len(n) > 1)
    token = _DECLARED.set(_DECLARED.get() | extra)
    try:
        yield
    finally:
        _DECLARED.reset(token)


#: the base a one-argument `log` is read in: None is the natural log (the default), 10 is
#: OpenStax's log = log10 (`--log10`). A context variable, like the declared names.
_LOG_BASE: contextvars.ContextVar[int | None] = contextvars.ContextVar("tutor_log_base", default=None)


def log_base() -> int | None:
    """The base of a plain `log` for the parse running in this context (None: natural)."""
    return _LOG_BASE.get()


@contextlib.contextmanager
def log_notation(base: int | None):
    """Within the block, a one-argument `log` (and LaTeX `\\log`) is read in `base`."""
    token = _LOG_BASE.set(base)
    try:
        yield
    finally:
        _LOG_BASE.reset(token)


def split(letters: str) -> list[str]:
    """`sinx` -> [sin, x]; `thetax` -> [theta, x]; `abc` -> [a, b, c]: longest known word first
    (a declared name counts as a known word)."""
    extra = _DECLARED.get()
    if letters in KNOWN_WORDS or letters in extra:
        return [letters]
    known = KNOWN_WORDS | extra if extra else KNOWN_WORDS
    longest = max(_LONGEST, max(map(len, extra), default=0))
    pieces, i = [], 0
    while i < len(letters):
        for width in range(min(longest, len(letters) - i), 1, -1):
            if letters[i:i + width] in known:
                break
        else:
            width = 1
        pieces.append(letters[i:i + width])
        i += width
    return pieces


@functools.lru_cache(maxsize=1024)
def near_function(lower: str) -> str | None:
    """The known function a misspelt word is closest to (difflib; cached: `x(x+1)` asks
    this for every implicit product before a bracket). difflib is imported here, not at
    start-up: only a word before a bracket that is no known function asks."""
    import difflib
    return next(iter(difflib.get_close_matches(lower, sorted(LETTER_FUNCS), 1, 0.84)), None)


def _piece(kind: str, value: str, word: Token, offset: int, width: int) -> Tok:
    from .tok import Tok   # only the Lark path makes tokens (a dict look-up once imported)
    return Tok(kind, value, word.start_pos + offset, word.line, word.column + offset,
               word.line, word.column + offset + width, word.start_pos + offset + width)


def _name_token(piece: str, digits: str, sub: str | None, word: Token, offset: int) -> Tok:
    """One piece of a word as NAME / CONST / FUNC / LOGB."""
    width = len(word.value) - offset if (digits or sub) else len(piece)
    base = GREEK_CHARS.get(piece, piece)
    if piece in ALIASES:
        if sub is not None:
            if ALIASES[piece] != "log":
                raise error(f"{piece} cannot take a subscript", word,
                            hint="only log takes one: log_2(x) is log base 2")
            return _piece("LOGB", sub, word, offset, width)
        if digits:
            if piece + digits in ALIASES:
                return _piece("FUNC", piece + digits, word, offset, width)
            hint = (f"for log base {digits} write log_{digits}(x) or log(x, {digits})"
                    if piece == "log" else f"write {piece}({digits}x) or {piece}^{digits}(x)")
            raise error(f"unknown function '{piece}{digits}'", word, "unknown-function", hint)
        return _piece("FUNC", piece, word, offset, width)
    if not digits and sub is None and base in ("pi", "e"):
        return _piece("CONST", base, word, offset, width)
    name = base + digits
    if sub is not None:
        name += sub if sub.isdigit() else "_" + sub
    return _piece("NAME", name, word, offset, width)


_USUAL_VARIABLES = frozenset("xyztuvw")
#: words of other systems' calculus notation (Maple, Mathematica, SymPy, Maxima) before a "("
_CALCULUS_WORDS = frozenset({"diff", "deriv", "derivative", "derive", "differentiate"})


def near_miss(letters: str, paren_next: bool, following: str | None) -> tuple[str, str, str] | None:
    """(message, hint, code) when a word looks like a misspelt function (or is another
    system's calculus word, `diff(x^2)`, which would read d·i·f·f·x^2), else None.

    Three shapes, one treatment ("did you mean"): `sinn(x)` (a near-miss name before a
    bracket), `Cos x` (a function's name in the wrong case, which would read C·o·s), and
    `sinn x` / `sine x` (a function glued to one letter, then a plain operand: the bare call
    swallows both, sin(n x), which is rarely what was meant). `following` is the text of a
    plain operand after the word (a number, or a word not starting with a function), or None.
    """
    if letters in KNOWN_WORDS or letters in _DECLARED.get():
        return None
    if paren_next and letters.lower() in _CALCULUS_WORDS:
        return (f"'{letters}(...)' is calculus notation", "write the derivative as d/dx[...]",
                "calculus")
    lower = letters.lower()
    if lower in LETTER_FUNCS:
        return f"unknown function '{letters}'", f"did you mean `{lower}`?", "unknown-function"
    pieces = split(letters)
    if paren_next:
        if pieces[-1] not in ALIASES and (guess := near_function(lower)):
            return f"unknown function '{letters}'", f"did you mean `{guess}`?", "unknown-function"
        return None
    if (following is not None and len(pieces) == 2 and pieces[0] in ALIASES
            and len(pieces[1]) == 1 and pieces[1] not in ALIASES):
        f, c = ALIASES[pieces[0]], pieces[1]
        typo = "" if c in _USUAL_VARIABLES else f", or `{f}({following})` if '{letters}' is a typo"
        return (f"'{letters} {following}' reads as {f}({c} {following})",
                f"did you mean `{f}({c} {following})`? write the brackets you mean: "
                f"`{f}({c} {following})` or `{f}({c}) {following}`{typo}", "unknown-function")
    return None


def plain_operand(tok) -> str | None:
    """The text of a raw token that a bare call would swallow as more of its argument (a
    number, or a word whose first piece is not a function), else None."""
    if tok is None:
        return None
    if tok.type == "NUMBER":
        return tok.value
    if tok.type == "WORD":
        m = WORD_RE.fullmatch(tok.value)
        return None if split(m.group(1))[0] in ALIASES else tok.value
    return None


def word(tok: Token, paren_next: bool, following: str | None = None) -> list[Tok]:
    """A WORD token as its pieces; `paren_next`: a "(" follows (so `sinn(` is a misspelling);
    `following`: the plain operand after it, if any (see near_miss)."""
    m = WORD_RE.fullmatch(tok.value)
    letters, digits = m.group(1), m.group(2)
    if len(letters) > limits.MAX_WORD_LETTERS:   # each letter a factor: bounded before the work
        raise LimitError(f"a run of {len(letters):,} letters without a space or operator; the "
                         f"limit is {limits.MAX_WORD_LETTERS}", line=tok.line or 1,
                         column=tok.column or 1,
                         hint="separate the factors (x*x*x) or write a power (x^1000)")
    sub = m.group(3) if m.group(3) is not None else m.group(4)
    pieces = split(letters)
    if not digits and sub is None and (miss := near_miss(letters, paren_next, following)):
        raise error(miss[0], tok, miss[2], miss[1])
    elif paren_next and (miss := near_miss(letters, True, None)):
        raise error(miss[0], tok, miss[2], miss[1])
    out, offset = [], 0
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        out.append(_name_token(piece, digits if last else "", sub if last else None, tok, offset))
        offset += len(piece)
    return out


# ------------------------------------------------------------------ token context

_OPERAND_END = {"NUMBER", "NAME", "CONST", "_RPAR", "_RSQB", "_RBRACE", "ABS_CLOSE", "SUP"}


def _skip_operand(raw: list, j: int) -> int:
    """Index after one simple operand (a number, a word or a bracketed group) at raw[j]."""
    if j >= len(raw):
        return j
    if raw[j].type in ("NUMBER", "WORD"):
        return j + 1
    if raw[j].type in ("_LPAR", "_LSQB", "_LBRACE"):
        level = 0
        for k in range(j, len(raw)):
            if raw[k].type in ("_LPAR", "_LSQB", "_LBRACE"):
                level += 1
            elif raw[k].type in ("_RPAR", "_RSQB", "_RBRACE"):
                level -= 1
                if level == 0:
                    return k + 1
    return j


def _head_end(raw: list, j: int) -> int:
    """Index after a function head's subscript / exponent that starts at raw[j]."""
    if j < len(raw) and raw[j].type == "_UNDERSCORE":
        j = _skip_operand(raw, j + 1)
    if j < len(raw) and raw[j].type == "POW":
        j += 1
        while j < len(raw) and raw[j].type == "MINUS":
            j += 1
        j = _skip_operand(raw, j)
    elif j < len(raw) and raw[j].type == "SUP":
        j += 1
    return j


def _comma(raw: list, i: int, tok: Token) -> ParseError:
    """A comma outside an argument list: a decimal comma `3,5`, or a stray one."""
    before, after = raw[i - 1] if i else None, raw[i + 1] if i + 1 < len(raw) else None
    if (before is not None and after is not None and before.type == after.type == "NUMBER"
            and before.end_pos == tok.start_pos and after.start_pos == tok.end_pos):
        return error("decimal comma", tok, "decimal-comma",
                     f"use a decimal point: {before.value}.{after.value}")
    return error("unexpected ','", tok, hint="commas separate the arguments of a "
                 "function, as in max(a, b)")


def refine(raw: list) -> list:
    """Raw Lark tokens -> the tokens the grammar reads (see the note at the end of calc.lark)."""
    from .tok import Tok
    out: list = []
    stack: list[tuple[str, Token]] = []     # ('call' | 'group' | 'abs', opening token)
    calls: dict[int, Token] = {}            # raw index of a "(" opening arguments -> head
    ends: dict[int, Token] = {}             # raw index of a head's last token -> head
    for i, tok in enumerate(raw):
        kind = tok.type
        new: list = []
        if kind == "WORD":
            nxt = raw[i + 1] if i + 1 < len(raw) else None
            new = word(tok, nxt is not None and nxt.type == "_LPAR", plain_operand(nxt))
        elif kind == "ROOTSIGN":
            new = [Tok.new_borrow_pos("FUNC", tok.value, tok)]
        elif kind == "_LPAR" and i in calls:
            new = [Tok.new_borrow_pos("_CALL_OPEN", tok.value, tok)]
            new[0].head_of = calls[i]
            stack.append(("call", tok))
        elif kind in ("_LPAR", "_LSQB", "_LBRACE"):
            stack.append(("group", tok))
        elif kind in ("_RPAR", "_RSQB", "_RBRACE"):
            if stack and stack[-1][0] == "abs":
                raise error("unmatched '|' opened here", stack[-1][1], "unbalanced",
                            "close it with another '|'")
            if stack:
                stack.pop()
        elif kind == "BAR":
            closing = (out and out[-1].type in _OPERAND_END and stack and stack[-1][0] == "abs")
            new = [Tok.new_borrow_pos("ABS_CLOSE" if closing else "ABS_OPEN", "|", tok)]
            if closing:
                stack.pop()
            else:
                stack.append(("abs", tok))
        elif kind == "PRIME":
            raise error("prime notation is not supported", tok, "calculus",
                        "write the derivative as d/dx[...]")
        elif kind == "COMMA" and not (stack and stack[-1][0] == "call"):
            raise _comma(raw, i, tok)
        elif kind == "NUMBER" and i and raw[i - 1].type == "NUMBER" and raw[i - 1].end_pos == tok.start_pos:
            raise error(f"malformed number '{raw[i - 1].value}{tok.value}'", raw[i - 1])
        if not new:
            new = [tok if isinstance(tok, Tok) else Tok.new_borrow_pos(tok.type, tok.value, tok)]
        if i in ends:
            new[-1].head_of = ends[i]
        if new[-1].type in ("FUNC", "LOGB"):
            j = _head_end(raw, i + 1)
            ends[j - 1] = new[-1]
            if j - 1 == i:
                new[-1].head_of = new[-1]
            if j < len(raw) and raw[j].type == "_LPAR":
                calls[j] = new[-1]
        out.extend(new)
    if stack and stack[-1][0] == "abs":
        raise error("unmatched '|' opened here", stack[-1][1], "unbalanced",
                    "close it with another '|'")
    return out


class Refiner:
    """Lark post-lexer: hands the raw tokens to `refine` (which needs look-ahead, so it takes
    the whole list). Stateless: an error message re-runs `refine` on the text instead of
    keeping the tokens of the last parse."""

    always_accept = ("WORD", "BAR", "PRIME", "ROOTSIGN", "_UNDERSCORE")

    def process(self, stream):
        return iter(refine(list(stream)))
