"""A hand-written fast path for the COMMON subset of the calculator language.

Why: a grader parses every student answer, and Lark's LALR parse (lexer, post-lexer, one
callback per reduction) of a short answer costs about five times what this recursive-descent
reader does (it takes 906 of the 955 calculator texts of tests/data/grader_bank.jsonl, so
calc.py needs no faster Lark loop of its own). It is a pure optimisation: `fast_parse(text)` returns
EXACTLY the tree `calc.parse_calc` builds (same node types, same nesting, same implicit /
explicit product shapes, same `-a/b = -(a/b)` rule), or None when the input is outside the
subset, looks doubtful, or is wrong in any way. On None the caller runs the Lark path, so
every error message, position and hint stays Lark's. tests/test_fastparse.py checks the
identity differentially (hypothesis, printer output, every test table and data file).

The subset: ASCII only; numbers (`2`, `0.25`, `.5`, `1e-3`); words of letters with trailing
digits (split by the same word policy: `sinx`, `xy2`, `pi`, `e`, `log10`); `+ - * / ^ **`;
implicit multiplication; `( ) [ ] { }` groups; calls `f(a, b)` of known functions; function
powers `sin^2 x`, `sin^-1 x`, `sin^(2)(x)` with a number or bracketed exponent; paren-less
application `sin x`, `sin 2x`, `sin x cos x`, `sin -x`. Declined (Lark decides): any other
character (`| _ ' ,` outside calls, Unicode, `=` ...), `d/dx`-like text, two numbers in a row,
near-miss function names, anything the recursive descent does not fully consume.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..limits import MAX_WORD_LETTERS
from ..expr import Add, Const, Div, Expr, Neg, Pow, Sym
from .build import Head, apply, inverse_head, number, product
from .words import ALIASES, declared, near_miss, split

__all__ = ["fast_parse"]

# one token per match; group 4 catches any other visible character (the input is declined)
_TOKEN_RE = re.compile(r"([0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
                       r"|([A-Za-z]+[0-9]*)"
                       r"|(\*\*|[-+*/^()\[\]{},])"
                       r"|(\S)")
_DERIV_LIKE = re.compile(r"d(?:\^[0-9]+)?/d")
_WORD_SPLIT = re.compile(r"([A-Za-z]+)([0-9]*)")
_ATOM_START = frozenset("nvk([{")
_CLOSE = {"(": ")", "[": "]", "{": "}"}


class _Decline(Exception):
    """Outside the subset or in doubt: the Lark path decides."""


@lru_cache(maxsize=2048)
def _word(word: str, paren_next: bool, following: str | None) -> tuple:
    """A word's pieces as (kind, value) pairs, by the word policy (see words.word);
    raises _Decline where words.word would raise an error. (Cached: never called while
    names are declared, see fast_parse.)"""
    letters, digits = _WORD_SPLIT.fullmatch(word).groups()
    if len(letters) > MAX_WORD_LETTERS:
        raise _Decline
    pieces = split(letters)
    if near_miss(letters, paren_next, None if digits else following):
        raise _Decline
    out = []
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        d = digits if last else ""
        if piece in ALIASES:
            if d:
                if piece + d not in ALIASES:
                    raise _Decline
                piece += d
            out.append(("f", (piece, last)))
        elif not d and piece in ("pi", "e"):
            out.append(("k", piece))
        else:
            out.append(("v", piece + d))
    return tuple(out)


def _tokens(text: str) -> tuple[list, list]:
    kinds: list = []
    values: list = []
    found = _TOKEN_RE.findall(text)
    n = len(found)
    for i, (digits, word, op, bad) in enumerate(found):
        if digits:
            if kinds and kinds[-1] == "n":
                raise _Decline  # `1.2.3`, `2 3`: calc's own message or rule decides
            kinds.append("n")
            values.append(digits)
        elif word:
            paren_next = i + 1 < n and found[i + 1][2] == "("
            for kind, value in _word(word, paren_next, _plain(found[i + 1]) if i + 1 < n else None):
                kinds.append(kind)
                values.append(value)
        elif op:
            kinds.append("^" if op == "**" else op)
            values.append(None)
        else:
            raise _Decline
    kinds.append("$")
    values.append(None)
    return kinds, values


def _plain(found: tuple) -> str | None:
    """words.plain_operand for a token of _TOKEN_RE."""
    digits, word = found[0], found[1]
    if digits:
        return digits
    if word:
        letters = _WORD_SPLIT.fullmatch(word).group(1)
        return None if split(letters)[0] in ALIASES else word
    return None


class _Reader:
    """Recursive descent over the token lists, one method per rule of calc.lark's subset."""

    __slots__ = ("kinds", "values", "i")

    def __init__(self, kinds: list, values: list) -> None:
        self.kinds, self.values, self.i = kinds, values, 0

    def sum(self) -> Expr:
        terms = [self.product()]
        kinds = self.kinds
        while kinds[self.i] in ("+", "-"):
            minus = kinds[self.i] == "-"
            self.i += 1
            t = self.product()
            terms.append(Neg(t) if minus else t)
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def product(self) -> Expr:
        """calc.lark: `product: MINUS product -> neg | factors`: -a/b = -(a/b)."""
        kinds = self.kinds
        if kinds[self.i] == "-":
            self.i += 1
            return Neg(self.product())
        run = [self.implicit()]
        while kinds[self.i] in ("*", "/"):
            times = kinds[self.i] == "*"
            self.i += 1
            right = self.factor()
            if times:
                run.append(right)
            else:
                run = [Div(product(run), right)]
        return product(run)

    def factor(self) -> Expr:
        """After * or /, a minus signs one factor: a*-b/c = (a*(-b))/c."""
        if self.kinds[self.i] == "-":
            self.i += 1
            return Neg(self.factor())
        return self.implicit()

    def implicit(self) -> Expr:
        items = [self.item()]
        kinds = self.kinds
        while kinds[self.i] in _ATOM_START or kinds[self.i] == "f":
            items.append(self.item())
        return product(items)

    def item(self) -> Expr:
        if self.kinds[self.i] != "f":
            return self.pw()
        head, call = self.fpow()
        if call:
            return self.power_tail(self.call(head))
        return apply(head, [self.farg()])

    def pw(self) -> Expr:
        return self.power_tail(self.atom())

    def power_tail(self, base: Expr) -> Expr:
        if self.kinds[self.i] == "^":
            self.i += 1
            return Pow(base, self.exponent())
        return base

    def exponent(self) -> Expr:
        kind = self.kinds[self.i]
        if kind == "-":
            self.i += 1
            return Neg(self.exponent())
        if kind == "f":   # only a plain call `e^sin(x)`; `e^sin x`, `e^sin^2(x)`: Lark decides
            name, last = self.values[self.i]
            if not last or self.kinds[self.i + 1] != "(":
                raise _Decline
            self.i += 1
            return self.power_tail(self.call(Head(None, ALIASES[name])))
        return self.pw()

    def atom(self) -> Expr:
        kind = self.kinds[self.i]
        value = self.values[self.i]
        self.i += 1
        if kind == "n":
            return number(value)
        if kind == "v":
            return Sym(value)
        if kind == "k":
            return Const(value)
        if kind in _CLOSE:
            inner = self.sum()
            if self.kinds[self.i] != _CLOSE[kind]:
                raise _Decline
            self.i += 1
            return inner
        raise _Decline

    def fpow(self) -> tuple:
        """A function head (and its power); whether a `(` right after it opens its arguments."""
        name, last = self.values[self.i]
        self.i += 1
        head = Head(None, ALIASES[name])
        kinds = self.kinds
        if kinds[self.i] == "^":
            self.i += 1
            signs = 0
            while kinds[self.i] == "-":
                signs += 1
                self.i += 1
            if kinds[self.i] not in ("n", "(", "[", "{"):
                raise _Decline   # `sin^x`: the raw head-end rule is subtle; Lark decides
            exp = self.atom()
            if kinds[self.i] == "^":
                raise _Decline
            for _ in range(signs):
                exp = Neg(exp)
            head = inverse_head(head, exp)
        return head, last and kinds[self.i] == "("

    def call(self, head) -> Expr:
        self.i += 1  # the "(" that opens the arguments
        args = [self.sum()]
        while self.kinds[self.i] == ",":
            self.i += 1
            args.append(self.sum())
        if self.kinds[self.i] != ")":
            raise _Decline
        self.i += 1
        return apply(head, args)

    def farg(self) -> Expr:
        kind = self.kinds[self.i]
        if kind == "-":
            self.i += 1
            return Neg(self.farg())
        if kind == "f":
            head, call = self.fpow()
            if call:
                raise _Decline   # `sin cos(x)` is an error in the grammar
            return apply(head, [self.farg()])
        if kind not in _ATOM_START:
            raise _Decline
        items = [self.pw()]
        kinds = self.kinds
        while kinds[self.i] in _ATOM_START:
            items.append(self.pw())
        return product(items)


def fast_parse(text: str) -> Expr | None:
    """calc.parse_calc's tree for `text`, or None (outside the subset, or any error).

    The caller has already applied parse_calc's input checks (size, brackets) and applies
    check_tree to the result, exactly as on the Lark path."""
    if declared():   # _word's cache does not know the declared names: Lark decides
        return None
    try:
        if "d" in text and _DERIV_LIKE.search(text):
            return None
        kinds, values = _tokens(text)
        reader = _Reader(kinds, values)
        expr = reader.sum()
        if kinds[reader.i] != "$":
            return None
        return expr
    except Exception:  # noqa: BLE001 - declining is always safe: Lark reads it again
        return None
