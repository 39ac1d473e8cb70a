"""Text to Expr for the calculator language: grammar/calc.lark, its transformer, its errors.

Why this shape: the grammar file is the reference for syntax and precedence (including the
leading minus: `-a/b` is -(a/b) because calc.lark says so), and Lark's LALR parser runs with
the transformer `Build` passed in, so each reduction makes an Expr directly: no intermediate
parse tree, and the parse loop is iterative (deep input cannot overflow the stack). What a
context-free grammar cannot say (the word policy, `|` open or close, CALL_OPEN) is the
post-lexer in `words`; the trees shared with the fast path are built by `build`. The common
subset of everyday answers never reaches Lark: `fast` reads it first, and only when it declines
does this module run, so every error message comes from here.

Every failure is a ParseError (or LimitError) with a 1-based line and column, a caret and a hint.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..errors import LimitError, ParseError
from ..expr import Add, Call, Const, Derivative, Div, Expr, Indicator, Neg, Pow, Sym, free_symbols
from .build import Head, apply, display, inverse_head, number, product, sub_expr, sup
from .common import CLOSERS, OPENERS, check_limits, check_tree, grammar_text, line_col
from . import fast
from .words import ALIASES, SUPERSCRIPTS, Refiner, error, word

if TYPE_CHECKING:   # Lark is imported only when a text reaches it (the fast path declines)
    from lark import Lark, Token
    from lark.exceptions import UnexpectedCharacters

__all__ = ["parse_calc", "check_brackets", "Build"]


# ------------------------------------------------------------------ the tree builder

def _chain(items: list) -> list:
    """Left-recursive list rules: append in place (linear time for 10,000-term input)."""
    if len(items) == 1:
        return [items[0]]
    items[0].extend(items[1:])
    return items[0]


def _sum(chain: list) -> Expr:
    out = [chain[0]]
    for op, term in zip(chain[1::2], chain[2::2]):
        out.append(Neg(term) if op.type == "MINUS" else term)
    return out[0] if len(out) == 1 else Add(tuple(out))


def _product(chain: list) -> Expr:
    """`a*b/c*d`: a run of * is one n-ary Mul, each / closes the run into a Div."""
    run = [chain[0]]
    for op, right in zip(chain[1::2], chain[2::2]):
        if op.type == "TIMES":
            run.append(right)
        else:
            run = [Div(product(run), right)]
    return product(run)


#: a DERIV token (compiled by `re` on first use: only Lark's path reads one)
_DERIV = r"([d∂])(?:\^(\d+)|([²³⁴⁵⁶⁷⁸⁹]))?/([d∂])(.+?)(?:\^(\d+)|([²³⁴⁵⁶⁷⁸⁹]))?"


def _derivative(tok: Token, inner: Expr) -> Derivative:
    top_sym, top_n, top_sup, _, var, bot_n, bot_sup = re.fullmatch(_DERIV, tok.value).groups()
    top = int(top_n or (top_sup or "1").translate(SUPERSCRIPTS))
    bottom = int(bot_n or (bot_sup or "1").translate(SUPERSCRIPTS))
    if top != bottom or top < 1:
        raise error(f"derivative orders do not match in '{tok.value}'", tok,
                    hint=f"write d^{max(top, bottom, 1)}/d{var}^{max(top, bottom, 1)}[...]")
    from .tok import Tok
    pieces = word(Tok.new_borrow_pos("WORD", var, tok), False)
    if len(pieces) != 1 or pieces[0].type != "NAME":
        raise error(f"'{var}' is not a variable to differentiate by", tok,
                    hint="write one name after d, such as d/dx or d/dw1")
    name = pieces[0].value
    partial = top_sym == "∂" or bool(set(free_symbols(inner)) - {name})
    return Derivative(inner, name, top, partial)


def _log_head(tok: Token, base: Expr) -> Head:
    if ALIASES[tok.value] != "log":
        raise error(f"{tok.value} cannot take a subscript", tok,
                    hint="only log takes one: log_2(x) is log base 2")
    return Head(tok, "log", base=base)


def _fpow(c: list) -> Head:
    """`sin`, `sin^2`, `sin²`, `sin^-1` (asin)."""
    if len(c) == 1:
        return c[0]
    return inverse_head(c[0], c[2] if len(c) == 3 else sup(c[1]))


class Build:
    """One method per rule of calc.lark (Lark passes the children as a list `c`). A plain
    class, so that defining it imports no Lark; `_calc_parser` mixes in lark.Transformer."""

    terms = factors = items = aitems = args = staticmethod(_chain)

    def start(self, c): return c[0]
    def sum(self, c): return _sum(c[0])
    def product(self, c): return _product(c[0])
    def implicit(self, c): return product(c[0])
    def arun(self, c): return product(c[0])
    def group(self, c): return c[0]
    def neg(self, c): return Neg(c[1])
    def power(self, c): return Pow(c[0], c[2])
    def power_sup(self, c): return Pow(c[0], sup(c[1]))
    def number(self, c): return number(c[0].value, c[0].line, c[0].column)
    def name(self, c): return Sym(str(c[0]))
    def const(self, c): return Const(str(c[0]))
    def abs(self, c): return Call("abs", (c[1],))
    def indicator(self, c): return Indicator(c[0], {"≥": ">=", "≤": "<="}.get(str(c[1]), str(c[1])), c[2])
    def deriv(self, c): return _derivative(c[0], c[1])
    def fhead(self, c): return Head(c[0], ALIASES[c[0].value])
    def fhead_base(self, c): return _log_head(c[0], c[1])
    def fhead_logb(self, c): return Head(c[0], "log", base=sub_expr(str(c[0])))
    def fpow(self, c): return _fpow(c)
    # the argument list holds Exprs and the COMMA tokens between them (a Token is a str)
    def call(self, c): return apply(c[0], [a for a in c[1] if not isinstance(a, str)])
    def fapp(self, c): return apply(c[0], [c[1]])


@functools.cache
def _calc_parser() -> Lark:
    """Built once: the LALR tables for calc.lark with the Expr builder wired in."""
    from lark import Lark, Transformer
    from .tables import lark_cache   # the built tables kept between runs
    builder = type("Build", (Build, Transformer), {})()
    return Lark(grammar_text("calc.lark"), parser="lalr", lexer="basic", postlex=Refiner(),
                transformer=builder, maybe_placeholders=False, **lark_cache("calc"))


# ------------------------------------------------------------------ entry point

def check_brackets(text: str) -> None:
    """Point at the bracket that has no partner (calculator syntax only)."""
    if _balanced(text):
        return   # the usual answer: no partner missing, so nothing to point at
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in OPENERS:
            stack.append(i)
        elif ch in CLOSERS:
            if not stack:
                line, col = line_col(text, i)
                raise ParseError(f"unmatched '{ch}'", text=text, line=line, column=col,
                                 hint=f"remove it or add a '{CLOSERS[ch]}' before it",
                                 code="unbalanced")
            j = stack.pop()
            if OPENERS[text[j]] != ch:
                line, col = line_col(text, j)
                raise ParseError(f"unmatched '{text[j]}' opened here", text=text, line=line,
                                 column=col, hint=f"close it with '{OPENERS[text[j]]}', not "
                                 f"'{ch}'", code="unbalanced")
    if stack:
        j = stack[-1]
        line, col = line_col(text, j)
        raise ParseError(f"unmatched '{text[j]}' opened here", text=text, line=line, column=col,
                         hint=f"add a matching '{OPENERS[text[j]]}'", code="unbalanced")


_NOT_BRACKET = re.compile(r"[^()\[\]{}]+")


def _balanced(text: str) -> bool:
    """Whether every bracket has its partner: the stack pass over the brackets alone (a C
    regex drops the rest), where check_brackets' own pass looks at every character."""
    stack: list[str] = []
    for ch in _NOT_BRACKET.sub("", text):
        if ch in OPENERS:
            stack.append(ch)
        elif not stack or OPENERS[stack.pop()] != ch:
            return False
    return not stack


def parse_calc(text: str) -> Expr:
    """Read calculator syntax (see the table at the top of grammar/calc.lark)."""
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", code="empty")
    check_limits(text)
    if not text.strip():
        raise ParseError("empty input", text=text, hint="type an expression such as x^2 + 1",
                         code="empty")
    expr = fast.fast_parse(text)   # the common subset without Lark; None: Lark decides
    if expr is None:
        # only here: the fast reader reads a text only when every bracket has its partner of
        # the same kind, so for its trees this pass could never raise (1.4 us of every answer)
        check_brackets(text)
        expr = _lark_parse(text)
    return check_tree(expr, text)


def _lark_parse(text: str) -> Expr:
    from lark import Token
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
    try:
        return _calc_parser().parse(text)
    except ParseError as exc:
        if not exc.text:
            exc.text = text
        raise
    except UnexpectedCharacters as exc:
        raise _bad_character(text, exc) from None
    except UnexpectedToken as exc:
        raise _unexpected_token(text, exc.token) from None
    except UnexpectedEOF:
        raise _unexpected_token(text, Token("$END", "")) from None
    except UnexpectedInput as exc:  # pragma: no cover - no other kind with LALR
        line, col = getattr(exc, "line", 1), getattr(exc, "column", 1)
        raise ParseError("could not read the input", text=text, line=max(line, 1),
                         column=max(col, 1)) from None
    except (RecursionError, OverflowError, MemoryError, ZeroDivisionError) as exc:
        raise LimitError(f"input too large to read ({type(exc).__name__})", text=text) from None


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
        line, col = line_col(text, len(text.rstrip()))
        return {"line": line, "column": col}
    return {"line": tok.line, "column": tok.column}


def _refined_tokens(text: str) -> list:
    """The refined tokens of `text`, lexed again (only on an error: the parse keeps no state).
    Lark's `lex` runs the post-lexer too, so these are the very tokens the parser read."""
    return list(_calc_parser().lex(text))


def _unexpected_token(text: str, tok: Token) -> ParseError:
    """Name the usual slips: a dangling operator, a function without argument, ..."""
    tokens = _refined_tokens(text)
    index = next((i for i, t in enumerate(tokens)
                  if t.type == tok.type and t.start_pos == tok.start_pos), len(tokens))
    prev = tokens[index - 1] if index > 0 else None
    head = getattr(prev, "head_of", None) if prev is not None else None
    shown = "end of input" if tok.type == "$END" else f"'{tok.value}'"
    if prev is not None and prev.type in _OPERATORS and prev.type != "_UNDERSCORE":
        head = None  # `sin^` lacks its exponent first
    if head is not None and (tok.type in _CLOSING or tok.type in _BINARY
                             or prev.type == "_CALL_OPEN"):
        name = display(head)
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
