"""Text to Expr: the calculator language (grammar/calc.lark) and the entry point for LaTeX.

Lark's LALR parser runs with the tree builder (`_Build`) passed in, so each reduction makes an
Expr directly: no intermediate parse tree, and the parse loop is iterative (deep input cannot
overflow the stack). The grammar file holds the syntax and precedence; this module holds the
two things a context-free grammar cannot say well:

* the word policy (`tutor._words`): a run of letters becomes NAME / CONST / FUNC pieces, longest
  known word first, so `sinx` is sin x and `arcsin` is never a*r*c*s*i*n;
* token context: whether `|` opens or closes, which `(` starts a function's arguments
  (CALL_OPEN), and the user-facing errors (decimal comma, primes, near-miss function names).

Every failure is a ParseError (or LimitError) with a 1-based line and column, a caret and a hint.
"""
from __future__ import annotations

import difflib
import functools
import importlib.resources
import pathlib
import re
import threading
from dataclasses import dataclass
from fractions import Fraction

from lark import Lark, Token, Transformer
from lark.lexer import LexerThread
from lark.parsers.lalr_analysis import Shift
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .. import limits
from ..errors import LimitError, ParseError, TutorError
from ..expr import (Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym,
                   children, free_symbols)

__all__ = ["parse", "parse_calc", "grammar_text", "check_limits", "check_tree"]

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def grammar_text(name: str) -> str:
    """A grammar file: the copy packaged in the wheel first, else `grammar/` of a checkout."""
    try:
        packaged = importlib.resources.files("tutor") / "grammar" / name
        if packaged.is_file():
            return packaged.read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):  # pragma: no cover - unusual installs
        pass
    path = pathlib.Path(__file__).resolve().parents[2] / "grammar" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TutorError(f"grammar file {name!r} not found (looked in the package and {path})",
                         code="install") from exc


# ------------------------------------------------------------------ limits

def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def check_limits(text: str) -> None:
    """Refuse oversized input before any parsing: too long, or brackets nested too deep.

    Both checks are one linear pass over the raw text, so a megabyte of `((((` is refused in
    milliseconds instead of being tokenised. Used by the LaTeX parser too."""
    if len(text) > limits.MAX_INPUT_CHARS:
        raise LimitError(f"input is {len(text):,} characters long; the limit is "
                         f"{limits.MAX_INPUT_CHARS:,}", text=text[:200], line=1, column=1)
    level = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            level += 1
            if level > limits.MAX_DEPTH:
                line, col = _line_col(text, i)
                raise LimitError(f"brackets are nested more than {limits.MAX_DEPTH:,} levels "
                                 f"deep (the limit)", text=text, line=line, column=col)
        elif ch in _CLOSERS and level:
            level -= 1


def _size_depth(expr: Expr) -> tuple[int, int]:
    """size(expr) and depth(expr) in one iterative, level-by-level walk (runs on every parse)."""
    n, d, level = 0, 0, [expr]
    while level:
        d += 1
        n += len(level)
        nxt: list = []
        for node in level:
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


def _check_brackets(text: str) -> None:
    """Point at the bracket that has no partner (calculator syntax only)."""
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            stack.append(i)
        elif ch in _CLOSERS:
            if not stack:
                line, col = _line_col(text, i)
                raise ParseError(f"unmatched '{ch}'", text=text, line=line, column=col,
                                 hint=f"remove it or add a '{_CLOSERS[ch]}' before it",
                                 code="unbalanced")
            j = stack.pop()
            if _OPENERS[text[j]] != ch:
                line, col = _line_col(text, j)
                raise ParseError(f"unmatched '{text[j]}' opened here", text=text, line=line,
                                 column=col, hint=f"close it with '{_OPENERS[text[j]]}', not "
                                 f"'{ch}'", code="unbalanced")
    if stack:
        j = stack[-1]
        line, col = _line_col(text, j)
        raise ParseError(f"unmatched '{text[j]}' opened here", text=text, line=line, column=col,
                         hint=f"add a matching '{_OPENERS[text[j]]}'", code="unbalanced")


# ------------------------------------------------------------------ the parser

class _Refiner:
    """Lark post-lexer: hands the raw tokens to `tutor._words.refine` (which needs look-ahead,
    so it takes the whole list) and keeps the refined list for error messages."""

    always_accept = ("WORD", "BAR", "PRIME", "ROOTSIGN", "_UNDERSCORE")

    def process(self, stream):
        tokens = _refine(list(stream))
        _state.tokens = tokens
        return iter(tokens)


_state = threading.local()


@functools.cache
def _calc_parser() -> Lark:
    """Built once: the LALR tables for calc.lark with the Expr builder wired in."""
    return Lark(grammar_text("calc.lark"), parser="lalr", lexer="basic", postlex=_Refiner(),
                transformer=_Build(), maybe_placeholders=False)


@functools.cache
def _driver() -> tuple:
    """Lark's LALR tables recast for `_run_lalr`: per state, token type -> (True, next state)
    for a shift or (False, (size, callback, goto name)) for a reduce. Built once."""
    lark = _calc_parser()
    try:
        frontend = lark.parser
        core = frontend.parser.parser
        table, callbacks = core.parse_table, core.callbacks
        frontend.lexer, table.states, table.start_states["start"], table.end_states["start"]
    except (AttributeError, KeyError, TypeError):  # Lark's internals moved: use its own loop
        return None
    reductions: dict[int, tuple] = {}
    states = {}
    for state, actions in table.states.items():
        row = {}
        for ttype, (action, arg) in actions.items():
            if action is Shift:
                row[str(ttype)] = (True, arg)
            else:
                key = id(arg)
                if key not in reductions:
                    reductions[key] = (len(arg.expansion), callbacks[arg], str(arg.origin.name))
                row[str(ttype)] = (False, reductions[key])
        states[state] = row
    terminal_callbacks = {k: v for k, v in callbacks.items() if isinstance(k, str)}
    return (frontend.lexer, states, table.start_states["start"], table.end_states["start"],
            terminal_callbacks)


def _run_lalr(text: str) -> Expr:
    """The same as `_calc_parser().parse(text)` (same lexer, post-lexer, tables and
    callbacks, same exceptions) in a leaner loop: Lark's generic ParserState.feed_token
    re-reads its configuration and compares Rule objects on every token, which was half the
    cost of parsing a short answer."""
    driver = _driver()
    if driver is None:
        return _calc_parser().parse(text)
    lexer, states, start, end, term_cb = driver
    state_stack = [start]
    value_stack: list = []
    token = None

    def feed(tok, is_end=False):
        while True:
            try:
                shift, arg = states[state_stack[-1]][tok.type]
            except KeyError:
                expected = {s for s in states[state_stack[-1]] if s.isupper()}
                raise UnexpectedToken(tok, expected) from None
            if shift:
                state_stack.append(arg)
                value_stack.append(term_cb[tok.type](tok) if tok.type in term_cb else tok)
                return None
            size, callback, origin = arg
            if size:
                kids = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                kids = []
            value = callback(kids)
            state_stack.append(states[state_stack[-1]][origin][1])
            value_stack.append(value)
            if is_end and state_stack[-1] == end:
                return value_stack[-1]

    for token in LexerThread.from_text(lexer, text).lex(None):
        feed(token)
    end_token = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
    return feed(end_token, True)


def parse_calc(text: str) -> Expr:
    """Read calculator syntax (see the table at the top of grammar/calc.lark)."""
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", code="empty")
    check_limits(text)
    if not text.strip():
        raise ParseError("empty input", text=text, hint="type an expression such as x^2 + 1",
                         code="empty")
    _check_brackets(text)
    from .fast import fast_parse  # the common subset without Lark; None: Lark decides
    expr = fast_parse(text)
    if expr is not None:
        return check_tree(expr, text)
    _state.tokens = []
    _state.grouped = []
    try:
        expr = _run_lalr(text)
    except ParseError as exc:
        if not exc.text:
            exc.text = text
        raise
    except UnexpectedCharacters as exc:
        raise _bad_character(text, exc) from None
    except UnexpectedToken as exc:
        raise _unexpected_token(text, exc.token, _state.tokens) from None
    except UnexpectedEOF:
        raise _unexpected_token(text, Token("$END", ""), _state.tokens) from None
    except UnexpectedInput as exc:  # pragma: no cover - no other kind with LALR
        line, col = getattr(exc, "line", 1), getattr(exc, "column", 1)
        raise ParseError("could not read the input", text=text, line=max(line, 1),
                         column=max(col, 1)) from None
    except (RecursionError, OverflowError, MemoryError, ZeroDivisionError) as exc:
        raise LimitError(f"input too large to read ({type(exc).__name__})", text=text) from None
    finally:
        _state.tokens = []
    return check_tree(expr, text)


def parse(text: str, input: str = "auto") -> Expr:
    """Parse `text` as calculator syntax or LaTeX.

    input="auto" picks LaTeX when the text has a backslash or a `{...}` group (x^{2},
    \\frac-style), else the calculator language."""
    if input not in ("auto", "calc", "latex"):
        raise TutorError(f"unknown input language {input!r}: use auto, calc or latex",
                         code="usage")
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", code="empty")
    if input == "auto":
        input = "latex" if ("\\" in text or ("{" in text and "}" in text)) else "calc"
    if input == "calc":
        return parse_calc(text)
    check_limits(text)
    from .latex import parse_latex  # lazy: the LaTeX grammar is built only when used
    return check_tree(parse_latex(text), text)


# ------------------------------------------------------------------ error messages

def _bad_character(text: str, exc: UnexpectedCharacters) -> ParseError:
    ch = text[exc.pos_in_stream] if 0 <= exc.pos_in_stream < len(text) else "?"
    hint = {"=": "type only the expression, without '= ...'",
            "!": "factorials are not supported",
            "%": "write a percentage as a fraction: 5% is 5/100",
            "\\": "LaTeX input: use --input latex"}.get(ch)
    shown = repr(ch) if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
    return ParseError(f"unexpected character {shown}", text=text, line=exc.line,
                      column=exc.column, hint=hint, code="bad-character")


_OPERATORS = {"PLUS", "MINUS", "TIMES", "DIVIDE", "POW", "CMP", "COMMA", "_UNDERSCORE"}
_BINARY = {"PLUS", "TIMES", "DIVIDE", "POW", "CMP", "COMMA"}
_CLOSING = {"_RPAR", "_RSQB", "_RBRACE", "ABS_CLOSE", "$END"}
_OPENING = {"_LPAR", "_LSQB", "_LBRACE", "ABS_OPEN", "_CALL_OPEN"}


def _where(tok: Token, text: str) -> dict:
    if tok.type == "$END" or getattr(tok, "line", None) is None:
        line, col = _line_col(text, len(text.rstrip()))
        return {"line": line, "column": col}
    return {"line": tok.line, "column": tok.column}


def _unexpected_token(text: str, tok: Token, tokens: list[Token]) -> ParseError:
    """Name the usual slips: a dangling operator, a function without argument, ..."""
    index = next((i for i, t in enumerate(tokens) if t is tok), len(tokens))
    prev = tokens[index - 1] if index > 0 else None
    head = getattr(prev, "head_of", None) if prev is not None else None
    shown = "end of input" if tok.type == "$END" else f"'{tok.value}'"
    if prev is not None and prev.type in _OPERATORS and prev.type != "_UNDERSCORE":
        head = None  # `sin^` lacks its exponent first
    if head is not None and (tok.type in _CLOSING or tok.type in _BINARY
                             or prev.type == "_CALL_OPEN"):
        name = _display(head)
        return ParseError(f"{name} needs an argument", text=text, line=head.line,
                          column=head.column, hint=f"write {name}(x)", code="missing-argument")
    if prev is not None and prev.type in _OPERATORS and (tok.type in _CLOSING or tok.type in _BINARY):
        return ParseError(f"missing operand after '{prev.value}'", text=text, line=prev.line,
                          column=prev.column, hint=f"put a number or an expression after "
                          f"'{prev.value}'", code="missing-operand")
    if tok.type in _BINARY and tok.type != "CMP" and (prev is None or prev.type in _OPENING):
        return ParseError(f"missing operand before '{tok.value}'", text=text,
                          **_where(tok, text), hint=f"put a number or an expression before "
                          f"'{tok.value}'", code="missing-operand")
    if prev is not None and prev.type in _OPENING and tok.type in _CLOSING:
        return ParseError("empty brackets", text=text, line=prev.line, column=prev.column,
                          hint="put an expression inside the brackets", code="missing-operand")
    if tok.type == "CMP":
        return ParseError(f"unexpected '{tok.value}'", text=text, **_where(tok, text),
                          hint="comparisons go inside square brackets: [u > v]", code="syntax")
    return ParseError(f"unexpected {shown}", text=text, **_where(tok, text), code="syntax")


# ------------------------------------------------------------------ vocabulary and word policy

_TRIG = ("sin", "cos", "tan", "sec", "csc", "cot")
_HYP = tuple(f + "h" for f in _TRIG)
#: spelling -> canonical function (log, log10, log2 and root are built specially)
ALIASES: dict[str, str] = {name: name for name in (
    "exp", "ln", "log", "log10", "log2", "sqrt", "cbrt", "root", "abs", "max", "min", "relu",
    *_TRIG, *_HYP)}
ALIASES.update({"cosec": "csc", "√": "sqrt", "∛": "cbrt",
                "Abs": "abs", "Max": "max", "Min": "min"})  # SymPy's spellings, pasted back
for _f in _TRIG:
    ALIASES.update({"a" + _f: "a" + _f, "arc" + _f: "a" + _f})
for _f in _HYP:
    ALIASES.update({"a" + _f: "a" + _f, "ar" + _f: "a" + _f, "arc" + _f: "a" + _f})
#: functions whose `f^-1` spelling means the inverse function
INVERTIBLE = frozenset(_TRIG + _HYP)

_GREEK_NAMES = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
                "omicron rho sigma tau upsilon phi chi psi omega").split()
GREEK = frozenset(_GREEK_NAMES + [g.capitalize() for g in _GREEK_NAMES] + ["Pi"])
_GREEK_CHARS = dict(zip("αβγδεζηθικλμνξορστυφχψω", _GREEK_NAMES[:15] + ["rho", "sigma", "sigma"]
                        + _GREEK_NAMES[17:]))
_GREEK_CHARS.update({"π": "pi", "ϑ": "theta", "ϕ": "phi", "ϵ": "epsilon"})
_GREEK_CHARS.update(zip("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
                        [g.capitalize() for g in _GREEK_NAMES[:15]] + ["Pi"]
                        + [g.capitalize() for g in _GREEK_NAMES[15:]]))
_LETTER_FUNCS = frozenset(a for a in ALIASES if a.isalpha())
#: the words a run of letters is split into (longest first); anything else is one letter
KNOWN_WORDS = _LETTER_FUNCS | GREEK | {"pi"}
_LONGEST = max(map(len, KNOWN_WORDS))
_WORD_RE = re.compile(r"([^\W\d_]+)(\d*)(?:_\{(\w+)\}|_(\w+))?")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


class _Tok(Token):
    """A Token that may remember the function head it belongs to (for error messages)."""

    head_of = None


def _split(letters: str) -> list[str]:
    """`sinx` -> [sin, x]; `thetax` -> [theta, x]; `abc` -> [a, b, c]: longest known word first."""
    if letters in KNOWN_WORDS:
        return [letters]
    pieces, i = [], 0
    while i < len(letters):
        for width in range(min(_LONGEST, len(letters) - i), 1, -1):
            if letters[i:i + width] in KNOWN_WORDS:
                break
        else:
            width = 1
        pieces.append(letters[i:i + width])
        i += width
    return pieces


def _piece(kind: str, value: str, word: Token, offset: int, width: int) -> _Tok:
    return _Tok(kind, value, word.start_pos + offset, word.line, word.column + offset,
                word.line, word.column + offset + width, word.start_pos + offset + width)


def _error(message: str, tok: Token, code: str = "syntax", hint: str | None = None) -> ParseError:
    return ParseError(message, line=tok.line or 1, column=tok.column or 1, hint=hint, code=code)


def _name_token(piece: str, digits: str, sub: str | None, word: Token, offset: int) -> _Tok:
    """One piece of a word as NAME / CONST / FUNC / LOGB."""
    width = len(word.value) - offset if (digits or sub) else len(piece)
    base = _GREEK_CHARS.get(piece, piece)
    if piece in ALIASES:
        if sub is not None:
            if ALIASES[piece] != "log":
                raise _error(f"{piece} cannot take a subscript", word,
                             hint="only log takes one: log_2(x) is log base 2")
            return _piece("LOGB", sub, word, offset, width)
        if digits:
            if piece + digits in ALIASES:
                return _piece("FUNC", piece + digits, word, offset, width)
            hint = (f"for log base {digits} write log_{digits}(x) or log(x, {digits})"
                    if piece == "log" else f"write {piece}({digits}x) or {piece}^{digits}(x)")
            raise _error(f"unknown function '{piece}{digits}'", word, "unknown-function", hint)
        return _piece("FUNC", piece, word, offset, width)
    if not digits and sub is None and base in ("pi", "e"):
        return _piece("CONST", base, word, offset, width)
    name = base + digits
    if sub is not None:
        name += sub if sub.isdigit() else "_" + sub
    return _piece("NAME", name, word, offset, width)


@functools.lru_cache(maxsize=1024)
def _near_function(lower: str) -> str | None:
    """The known function a misspelt word is closest to (difflib; cached: `x(x+1)` asks
    this for every implicit product before a bracket)."""
    return next(iter(difflib.get_close_matches(lower, sorted(_LETTER_FUNCS), 1, 0.84)), None)


def _word(tok: Token, paren_next: bool) -> list[_Tok]:
    m = _WORD_RE.fullmatch(tok.value)
    letters, digits = m.group(1), m.group(2)
    sub = m.group(3) if m.group(3) is not None else m.group(4)
    pieces = _split(letters)
    if paren_next and pieces[-1] not in ALIASES and letters not in KNOWN_WORDS:
        lower = letters.lower()
        guess = lower if lower in _LETTER_FUNCS else _near_function(lower)
        if guess:
            raise _error(f"unknown function '{letters}'", tok, "unknown-function",
                         f"did you mean `{guess}`?")
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


def _refine(raw: list) -> list:
    """Raw Lark tokens -> the tokens the grammar reads (see the note at the end of calc.lark)."""
    out: list = []
    stack: list[tuple[str, Token]] = []     # ('call' | 'group' | 'abs', opening token)
    calls: dict[int, Token] = {}            # raw index of a "(" opening arguments -> head
    ends: dict[int, Token] = {}             # raw index of a head's last token -> head
    for i, tok in enumerate(raw):
        kind = tok.type
        new: list = []
        if kind == "WORD":
            new = _word(tok, i + 1 < len(raw) and raw[i + 1].type == "_LPAR")
        elif kind == "ROOTSIGN":
            new = [_Tok.new_borrow_pos("FUNC", tok.value, tok)]
        elif kind == "_LPAR" and i in calls:
            new = [_Tok.new_borrow_pos("_CALL_OPEN", tok.value, tok)]
            new[0].head_of = calls[i]
            stack.append(("call", tok))
        elif kind in ("_LPAR", "_LSQB", "_LBRACE"):
            stack.append(("group", tok))
        elif kind in ("_RPAR", "_RSQB", "_RBRACE"):
            if stack and stack[-1][0] == "abs":
                raise _error("unmatched '|' opened here", stack[-1][1], "unbalanced",
                             "close it with another '|'")
            if stack:
                stack.pop()
        elif kind == "BAR":
            closing = (out and out[-1].type in _OPERAND_END and stack and stack[-1][0] == "abs")
            new = [_Tok.new_borrow_pos("ABS_CLOSE" if closing else "ABS_OPEN", "|", tok)]
            if closing:
                stack.pop()
            else:
                stack.append(("abs", tok))
        elif kind == "PRIME":
            raise _error("prime notation is not supported", tok, "calculus",
                         "write the derivative as d/dx[...]")
        elif kind == "COMMA" and not (stack and stack[-1][0] == "call"):
            before, after = raw[i - 1] if i else None, raw[i + 1] if i + 1 < len(raw) else None
            if (before is not None and after is not None and before.type == after.type == "NUMBER"
                    and before.end_pos == tok.start_pos and after.start_pos == tok.end_pos):
                raise _error("decimal comma", tok, "decimal-comma",
                             f"use a decimal point: {before.value}.{after.value}")
            raise _error("unexpected ','", tok, hint="commas separate the arguments of a "
                         "function, as in max(a, b)")
        elif kind == "NUMBER" and i and raw[i - 1].type == "NUMBER" and raw[i - 1].end_pos == tok.start_pos:
            raise _error(f"malformed number '{raw[i - 1].value}{tok.value}'", raw[i - 1])
        if not new:
            new = [tok if isinstance(tok, _Tok) else _Tok.new_borrow_pos(tok.type, tok.value, tok)]
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
        raise _error("unmatched '|' opened here", stack[-1][1], "unbalanced",
                     "close it with another '|'")
    return out


# ------------------------------------------------------------------ the tree builder

@dataclass(frozen=True, slots=True)
class _Head:
    """A function name with its base (log_b) and exponent (sin^2), before its argument."""

    tok: Token
    name: str                 # canonical (after sin^-1 -> asin)
    base: Expr | None = None
    exp: Expr | None = None


def _display(tok: Token) -> str:
    return f"log_{tok.value}" if tok.type == "LOGB" else str(tok.value)


def _int(digits: str) -> int:
    """int() in chunks: Python refuses one-shot conversions of more than 4300 digits."""
    value = 0
    for k in range(0, len(digits), 4000):
        chunk = digits[k:k + 4000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


_NUMBER_RE = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def _number(tok: Token) -> Num:
    """Exact value of a decimal / scientific literal, within the documented size limits."""
    whole, frac, exp = _NUMBER_RE.fullmatch(tok.value).groups()
    frac = frac or ""
    if len(whole) + len(frac) > limits.MAX_DIGITS or (exp and (len(exp) > 8 or abs(int(exp)) > limits.MAX_DIGITS)):
        raise LimitError(f"number {tok.value[:20]}{'...' if len(tok.value) > 20 else ''} is too "
                         f"large; the limit is {limits.MAX_DIGITS:,} digits",
                         line=tok.line, column=tok.column)
    value = Fraction(_int(whole + frac) if whole + frac else 0, 10 ** len(frac))
    if exp:
        value *= Fraction(10) ** int(exp)
    return Num(value)


def _sup(tok: Token) -> Expr:
    digits = str(tok.value).translate(_SUPERSCRIPTS)
    value = Num(int(digits.lstrip("-")))
    return Neg(value) if digits.startswith("-") else value


def _sub_expr(sub: str) -> Expr:
    """The base written as a subscript: log_4, log_b, log_e."""
    if sub.isdigit():
        return Num(int(sub))
    m = _WORD_RE.fullmatch(sub)
    if m and not m.group(2) and m.group(1) in ("e", "pi"):
        return Const(m.group(1))
    return Sym(sub)


_DERIV_RE = re.compile(r"([d∂])(?:\^(\d+)|([²³⁴⁵⁶⁷⁸⁹]))?/([d∂])(.+?)(?:\^(\d+)|([²³⁴⁵⁶⁷⁸⁹]))?")


def _derivative(tok: Token, inner: Expr) -> Derivative:
    top_sym, top_n, top_sup, _, var, bot_n, bot_sup = _DERIV_RE.fullmatch(tok.value).groups()
    top = int(top_n or (top_sup or "1").translate(_SUPERSCRIPTS))
    bottom = int(bot_n or (bot_sup or "1").translate(_SUPERSCRIPTS))
    if top != bottom or top < 1:
        raise _error(f"derivative orders do not match in '{tok.value}'", tok,
                     hint=f"write d^{max(top, bottom, 1)}/d{var}^{max(top, bottom, 1)}[...]")
    pieces = _word(_Tok.new_borrow_pos("WORD", var, tok), False)
    if len(pieces) != 1 or pieces[0].type != "NAME":
        raise _error(f"'{var}' is not a variable to differentiate by", tok,
                     hint="write one name after d, such as d/dx or d/dw1")
    name = pieces[0].value
    partial = top_sym == "∂" or bool(set(free_symbols(inner)) - {name})
    return Derivative(inner, name, top, partial)


def _arity(head: _Head, want: str, got: int) -> ParseError:
    return _error(f"{_display(head.tok)} takes {want}, got {got}", head.tok, "arity")


def _apply(head: _Head, args: list) -> Expr:
    """A function head applied to its arguments, with log's bases and the head's power."""
    n, name = len(args), head.name
    if head.base is not None:
        if n != 1:
            raise _arity(head, "1 argument", n)
        out: Expr = Call("log", (args[0], head.base))
    elif name == "log":
        if n not in (1, 2):
            raise _arity(head, "1 or 2 arguments", n)
        out = Call("ln", (args[0],)) if n == 1 else Call("log", tuple(args))
    elif name in ("log10", "log2"):
        if n != 1:
            raise _arity(head, "1 argument", n)
        out = Call("log", (args[0], Num(int(name[3:]))))
    elif name in ("max", "min"):
        if n < 2:
            raise _arity(head, "2 or more arguments", n)
        out = Call(name, tuple(args))
    elif name == "root":
        if n != 2:
            raise _arity(head, "2 arguments", n)
        out = Call(name, tuple(args))
    else:
        if n != 1:
            raise _arity(head, "1 argument", n)
        out = Call(name, (args[0],))
    return out if head.exp is None else Pow(out, head.exp)


def _chain(items: list) -> list:
    """Left-recursive list rules: append in place (linear time for 10,000-term input)."""
    if len(items) == 1:
        return [items[0]]
    items[0].extend(items[1:])
    return items[0]


def _product(items: list) -> Expr:
    return items[0] if len(items) == 1 else Mul(tuple(items))


class _Build(Transformer):
    """One method per grammar rule; each returns an Expr (or a list inside a chain)."""

    terms = factors = items = aitems = args = staticmethod(_chain)

    def start(self, c):
        return c[0]

    def sum(self, c):
        terms = c[0]
        out = [terms[0]]
        for k in range(1, len(terms), 2):
            out.append(Neg(terms[k + 1]) if terms[k].type == "MINUS" else terms[k + 1])
        return out[0] if len(out) == 1 else Add(tuple(out))

    def group(self, c):
        """A bracketed expression. A minus inside brackets stays with its operand:
        `(-a)/b` is (-a)/b, while a bare leading minus signs the whole quotient or
        product, `-a/b` = -(a/b), as textbooks (and the printers) read it."""
        inner = c[0]
        if isinstance(inner, Neg):
            _state.grouped.append(inner)
        return inner

    def product(self, c):
        chain = c[0]
        first = chain[0]
        if len(chain) > 1 and isinstance(first, Neg) \
                and not any(g is first for g in _state.grouped):
            return Neg(self.product([[first.arg, *chain[1:]]]))
        run = [chain[0]]
        for k in range(1, len(chain), 2):
            if chain[k].type == "TIMES":
                run.append(chain[k + 1])
            else:
                run = [Div(_product(run), chain[k + 1])]
        return _product(run)

    def implicit(self, c):
        return _product(c[0])

    arun = implicit

    def neg(self, c):
        return Neg(c[1])

    def power(self, c):
        return Pow(c[0], c[2])

    def power_sup(self, c):
        return Pow(c[0], _sup(c[1]))

    def number(self, c):
        return _number(c[0])

    def name(self, c):
        return Sym(str(c[0]))

    def const(self, c):
        return Const(str(c[0]))

    def abs(self, c):
        return Call("abs", (c[1],))

    def indicator(self, c):
        return Indicator(c[0], {"≥": ">=", "≤": "<="}.get(str(c[1]), str(c[1])), c[2])

    def deriv(self, c):
        return _derivative(c[0], c[1])

    def fhead(self, c):
        return _Head(c[0], ALIASES[c[0].value])

    def fhead_base(self, c):
        if ALIASES[c[0].value] != "log":
            raise _error(f"{c[0].value} cannot take a subscript", c[0],
                         hint="only log takes one: log_2(x) is log base 2")
        return _Head(c[0], "log", base=c[1])

    def fhead_logb(self, c):
        return _Head(c[0], "log", base=_sub_expr(str(c[0])))

    def fpow(self, c):
        head = c[0]
        if len(c) == 1:
            return head
        exp = c[2] if len(c) == 3 else _sup(c[1])
        if exp == Neg(Num(1)) and head.name in INVERTIBLE and head.base is None:
            return _Head(head.tok, "a" + head.name)
        return _Head(head.tok, head.name, head.base, exp)

    def call(self, c):
        return _apply(c[0], [a for a in c[1] if not isinstance(a, Token)])

    def fapp(self, c):
        return _apply(c[0], [c[1]])
