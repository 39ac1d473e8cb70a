"""The calculator trees both calculator readers build: numbers, function heads, applications.

Why shared: the Lark transformer (`calc`) and the hand-written fast path (`fast`) must give
identical trees for the same text (tests/test_fastparse.py checks it differentially). The
parts where a mistake would make them differ quietly live here once: the exact value of a
numeral, how a function head with its base (log_b) and power (sin^2) is applied to its
arguments, with the arity of each function, and the shape of a product.
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from .. import limits, vocabulary
from ..errors import LimitError, ParseError
from ..expr import Call, Const, Expr, Mul, Neg, Num, Pow, Sym
from .words import SUPERSCRIPTS, WORD_RE, error, log_base

if TYPE_CHECKING:   # annotations only: the fast path builds these trees without Lark
    from lark import Token

__all__ = ["Head", "display", "number", "sup", "sub_expr", "apply", "product", "inverse_head"]


class Head(NamedTuple):
    """A function name with its base (log_b) and exponent (sin^2), before its argument.
    `tok` is the token that named it (None on the fast path, which reports no errors).
    A NamedTuple, not a dataclass: as immutable, and made at start-up in a tenth of the time."""

    tok: Token | None
    name: str                 # canonical (after sin^-1 -> asin)
    base: Expr | None = None
    exp: Expr | None = None


_NEG_ONE = Neg(Num(1))


def inverse_head(head: Head, exp: Expr) -> Head:
    """`sin^-1` is asin (for the functions with an inverse); any other power stays a power."""
    if exp == _NEG_ONE and head.base is None and head.name in vocabulary.INVERSES:
        return Head(head.tok, vocabulary.INVERSES[head.name])
    return Head(head.tok, head.name, head.base, exp)


def display(tok: Token) -> str:
    """The head as the user wrote it, for messages: `sin`, `log_2`."""
    return f"log_{tok.value}" if tok.type == "LOGB" else str(tok.value)


def _int(digits: str) -> int:
    """int() in chunks: Python refuses one-shot conversions of more than 4300 digits."""
    value = 0
    for k in range(0, len(digits), 4000):
        chunk = digits[k:k + 4000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


_NUMBER_RE = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def number(text: str, line: int = 1, column: int = 1) -> Num:
    """Exact value of a decimal / scientific literal, within the documented size limits."""
    whole, frac, exp = _NUMBER_RE.fullmatch(text).groups()
    frac = frac or ""
    most = limits.MAX_NUMERAL_DIGITS
    if len(whole) + len(frac) > most or (exp and (len(exp) > 8 or abs(int(exp)) > most)):
        raise LimitError(f"number {text[:20]}{'...' if len(text) > 20 else ''} is too "
                         f"large; the limit is {most:,} digits",
                         line=line, column=column)
    value = Fraction(_int(whole + frac) if whole + frac else 0, 10 ** len(frac))
    if exp:
        value *= Fraction(10) ** int(exp)
    return Num(value)


def sup(tok: Token) -> Expr:
    """A superscript exponent: `²` is 2, `⁻¹` is -1."""
    digits = str(tok.value).translate(SUPERSCRIPTS)
    value = Num(int(digits.lstrip("-")))
    return Neg(value) if digits.startswith("-") else value


def sub_expr(sub: str) -> Expr:
    """The base written as a subscript: log_4, log_b, log_e."""
    if sub.isdigit():
        return Num(int(sub))
    m = WORD_RE.fullmatch(sub)
    if m and not m.group(2) and m.group(1) in ("e", "pi"):
        return Const(m.group(1))
    return Sym(sub)


def _arity(head: Head, want: str, got: int) -> ParseError:
    return error(f"{display(head.tok)} takes {want}, got {got}", head.tok, "arity")


def plain_log(arg: Expr) -> Expr:
    """A one-argument log: ln unless the caller chose log10 (words.log_notation)."""
    base = log_base()
    return Call("ln", (arg,)) if base is None else Call("log", (arg, Num(base)))


def apply(head: Head, args: list) -> Expr:
    """A function head applied to its arguments, with log's bases and the head's power."""
    n, name = len(args), head.name
    if head.base is not None:
        if n != 1:
            raise _arity(head, "1 argument", n)
        out: Expr = Call("log", (args[0], head.base))
    elif name == "log":
        if n not in (1, 2):
            raise _arity(head, "1 or 2 arguments", n)
        out = plain_log(args[0]) if n == 1 else Call("log", tuple(args))
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


def product(items: list) -> Expr:
    """One factor stays itself; two or more are one n-ary Mul, as typed."""
    return items[0] if len(items) == 1 else Mul(tuple(items))
