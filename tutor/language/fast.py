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

The subset: numbers (`2`, `0.25`, `.5`, `1e-3`); words of ASCII letters with trailing digits
or a subscript (split by the same word policy: `sinx`, `xy2`, `pi`, `e`, `log10`, `x_1`,
`log_4`); `+ - * / ^ **` and the Unicode operators `− – × · ⋅ ∙ ÷`; superscript powers
`x²`, `sin²x`, `sin⁻¹x`; implicit multiplication; `( ) [ ] { }` groups; bars `|x|` (open or
close decided as words.refine decides); calls `f(a, b)` of known functions; root signs `√x`,
`∛(x)`; function powers `sin^2 x`, `sin^-1 x`, `sin^(2)(x)` with a number or bracketed
exponent; paren-less application `sin x`, `sin 2x`, `sin x cos x`, `sin -x`. Declined (Lark
decides): any other character (`' ,` outside calls, Greek letters, `=` ...), `d/dx`-like text,
`_{...}` and `_(...)` subscripts, two numbers in a row, near-miss function names, anything
the recursive descent does not fully consume. The engine's Unicode answers and textbook
answer keys (`x²`, `√(1 - x²)`, `log_7(x)`, `|x|`) fell to Lark before (194 of the 2,026
distinct texts of benchmarks/bench_grader.py's textbook bank); now 3 do, each an error
(`sign(x)`, `Abs(x)`) whose message is Lark's.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..limits import MAX_WORD_LETTERS
from ..expr import Add, Call, Const, Div, Expr, Neg, Num, Pow, Sym
from .build import Head, apply, inverse_head, number, product, sub_expr
from .words import ALIASES, SUPERSCRIPTS, declared, near_miss, split

__all__ = ["fast_parse", "cache_clear"]

# one token per match: a number, a word (with an optional `_sub`: log_4, x_1), an operator
# (ASCII or the Unicode ones calc.lark reads: − × · ÷ ...), a superscript exponent (² ⁻¹), a
# root sign, a bar; the last alternative catches any other visible character (the input is
# declined). No capture groups: the alternatives begin with disjoint characters, so a token's
# first character says which one matched (_FIRST), and findall's strings cost half its tuples
# of seven groups (the grader reads every answer through here). Disjoint, they may come in any
# order: the commonest first (operators and brackets, then words, then numbers), so fewer
# alternatives fail before one matches
_TOKEN_RE = re.compile(r"\*\*|[-+*/^()\[\]{},\u2212\u2013\u00d7\u00b7\u22c5\u2219\u00f7]"
                       r"|[A-Za-z]+[0-9]*(?:_[0-9]+|_[A-Za-z]+[0-9]*)?"
                       r"|[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"
                       r"|\u207b?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+"
                       r"|[\u221a\u221b]"
                       r"|\|"
                       r"|\S")
#: a token's kind by its first character: "n" number, "w" word, "o" operator, "s" superscript
#: exponent, "r" root sign, "b" bar; any other character is the catch-all (declined), and so
#: are the two one-character tokens that begin a longer kind without being one ("." and "⁻")
_FIRST = {**dict.fromkeys("0123456789.", "n"),
          **dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "w"),
          **dict.fromkeys("-+*/^()[]{},\u2212\u2013\u00d7\u00b7\u22c5\u2219\u00f7", "o"),
          **dict.fromkeys("\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "s"),
          "\u221a": "r", "\u221b": "r", "|": "b"}
_LONE = frozenset((".", "\u207b"))
#: the Unicode operators as their ASCII kinds (calc.lark's MINUS, TIMES, DIVIDE)
_OPS = {"**": "^", "\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*",
        "\u2219": "*", "\u00f7": "/"}
_DERIV_LIKE = re.compile(r"d(?:\^[0-9]+|[\u00b2\u00b3\u2074-\u2079])?/d")
_WORD_SPLIT = re.compile(r"([A-Za-z]+)([0-9]*)(?:_(\w+))?")
#: kinds that start an atom ("|o": a bar that opens an absolute value)
_ATOM_START = frozenset(("n", "v", "k", "(", "[", "{", "|o"))
#: kinds after which a bar closes (words.refine's _OPERAND_END)
_OPERAND_END = frozenset(("n", "v", "k", ")", "]", "}", "|c", "s"))
_CLOSE = {"(": ")", "[": "]", "{": "}", "|o": "|c"}
_CLOSING = frozenset(")]}")


#: build.number memoised: the same few numerals (2, 3, 0.5 ...) recur in every answer, and a
#: Num is frozen, so one may be shared by every tree and thread; a numeral over the limits
#: raises (never cached) and the fast path declines it. Bounded: 1,024 numerals (lru_cache,
#: coherent under threads); `cache_clear` forgets it with the word cache.
_number = lru_cache(maxsize=1024)(number)
#: Sym memoised likewise: an answer names its variable three times on average, and a frozen
#: node built per occurrence cost its construction and, kept in the answer's tree past two
#: young collections, a place in the collector's full walks of the heap
_sym = lru_cache(maxsize=1024)(Sym)


def cache_clear() -> None:
    """Forget the memoised words, numerals and names (grade.clear_caches calls this)."""
    _word.cache_clear()
    _word_before.cache_clear()
    _plain_word.cache_clear()
    _number.cache_clear()
    _sym.cache_clear()


class _Decline(Exception):
    """Outside the subset or in doubt: the Lark path decides."""


@lru_cache(maxsize=2048)
def _word(word: str, paren_next: bool, following: str | None) -> tuple:
    """A word's pieces as (kind, value) pairs, by the word policy (see words.word and
    words._name_token): a function is ("f", (Head, last piece?)), `log_4` the head of log
    base 4; raises _Decline where words.word would raise an error (or might: a near miss is
    looked for even where words.word would not). (Cached: never called while names are
    declared, see fast_parse.)"""
    letters, digits, sub = _WORD_SPLIT.fullmatch(word).groups()
    if len(letters) > MAX_WORD_LETTERS or (digits and sub is not None):
        raise _Decline   # `x2_1`: Lark decides
    pieces = split(letters)
    if near_miss(letters, paren_next, None if (digits or sub is not None) else following):
        raise _Decline
    out = []
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        d = digits if last else ""
        s = sub if last else None
        if piece in ALIASES:
            if s is not None:
                if ALIASES[piece] != "log":
                    raise _Decline   # `sin_2`: an error of the Lark path
                out.append(("f", (Head(None, "log", base=sub_expr(s)), last)))
                continue
            if d:
                if piece + d not in ALIASES:
                    raise _Decline
                piece += d
            out.append(("f", (Head(None, ALIASES[piece]), last)))
        elif not d and s is None and piece in ("pi", "e"):
            out.append(("k", piece))
        elif s is not None:
            out.append(("v", piece + (s if s.isdigit() else "_" + s)))
        else:
            out.append(("v", piece + d))
    return tuple(out)


_ROOTS = {"\u221a": Head(None, "sqrt"), "\u221b": Head(None, "cbrt")}


def _tokens(text: str) -> tuple[list, list]:
    """The kinds and values the reader reads. A bar is classified as words.refine does it:
    it closes ("|c") right after an operand when the innermost open bracket is a bar, else
    it opens ("|o"); a closing bracket while a bar is open, or a bar left open, declines."""
    kinds: list = []
    values: list = []
    found = _TOKEN_RE.findall(text)
    n = len(found)
    opened: list = []   # the open brackets and bars, innermost last
    first = _FIRST
    for i, tok in enumerate(found):
        kind = first.get(tok[0])
        if kind is None or tok in _LONE:
            raise _Decline
        if kind == "o":
            kind = _OPS.get(tok, tok)
            if kind in _CLOSE:
                opened.append(kind)
            elif kind in _CLOSING:
                if opened and opened.pop() == "|":
                    raise _Decline   # `|x)`: the Lark path's error
            kinds.append(kind)
            values.append(None)
        elif kind == "w":
            for kind, value in _word_before(tok, found[i + 1] if i + 1 < n else None):
                kinds.append(kind)
                values.append(value)
        elif kind == "n":
            if kinds and kinds[-1] == "n":
                raise _Decline  # `1.2.3`, `2 3`: calc's own message or rule decides
            kinds.append("n")
            values.append(tok)
        elif kind == "s":
            kinds.append("s")
            values.append(_sup(tok))
        elif kind == "r":
            kinds.append("f")
            values.append((_ROOTS[tok], True))
        else:   # a bar
            if kinds and kinds[-1] in _OPERAND_END and opened and opened[-1] == "|":
                opened.pop()
                kinds.append("|c")
            else:
                opened.append("|")
                kinds.append("|o")
            values.append(None)
    if opened and opened[-1] == "|":
        raise _Decline
    kinds.append("$")
    values.append(None)
    return kinds, values


def _sup(text: str) -> Expr:
    """build.sup for a superscript's text: `²` is 2, `⁻¹` is -1."""
    digits = text.translate(SUPERSCRIPTS)
    value = Num(int(digits.lstrip("-")))
    return Neg(value) if digits.startswith("-") else value


@lru_cache(maxsize=4096)
def _word_before(word: str, following: str | None) -> tuple:
    """_word of a word followed by the token `following` (None: the text ends): what _word
    needs of it (an opening bracket? a plain operand?) is a function of the token, so one
    look-up per word answers all three (an answer has about seven words). (Cached as _word
    is: read only while no names are declared.)"""
    return _word(word, following == "(", _plain(following))


def _plain(token: str | None) -> str | None:
    """words.plain_operand for a token of _TOKEN_RE (None: no token)."""
    if token is None:
        return None
    kind = _FIRST.get(token[0])
    if kind == "n" and token != ".":
        return token
    if kind == "w":
        return _plain_word(token)
    return None


@lru_cache(maxsize=2048)
def _plain_word(word: str) -> str | None:
    """_plain of a word token (cached as _word is: read only while no names are declared)."""
    letters = _WORD_SPLIT.fullmatch(word).group(1)
    return None if split(letters)[0] in ALIASES else word


class _Reader:
    """Recursive descent over the token lists, one method per rule of calc.lark's subset."""

    __slots__ = ("kinds", "values", "i")

    def __init__(self, kinds: list, values: list) -> None:
        self.kinds, self.values, self.i = kinds, values, 0

    def sum(self) -> Expr:
        first = self.product()
        kinds = self.kinds
        if kinds[self.i] != "+" and kinds[self.i] != "-":
            return first
        terms = [first]
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
        first = self.implicit()
        if kinds[self.i] != "*" and kinds[self.i] != "/":
            return first   # product([first])
        run = [first]
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
        first = self.item()
        kinds = self.kinds
        if not (kinds[self.i] in _ATOM_START or kinds[self.i] == "f"):
            return first   # product([first]): one factor stays itself
        items = [first]
        while kinds[self.i] in _ATOM_START or kinds[self.i] == "f":
            items.append(self.item())
        return product(items)

    def item(self) -> Expr:
        kinds, i = self.kinds, self.i
        kind = kinds[i]
        if kind != "f":
            # self.pw(), inlined with power_tail's usual "no power" answer: this is every atom;
            # atom()'s two commonest cases too, a variable and a number (two calls in three)
            if kind == "v":
                self.i = i + 1
                base = _sym(self.values[i])
            elif kind == "n":
                self.i = i + 1
                base = _number(self.values[i])
            else:
                base = self.atom()
            kind = kinds[self.i]
            return self.power_tail(base) if kind == "^" or kind == "s" else base
        head, call = self.fpow()
        if call:
            return self.power_tail(self.call(head))
        return apply(head, [self.farg()])

    def pw(self) -> Expr:
        base = self.atom()
        kind = self.kinds[self.i]
        return self.power_tail(base) if kind == "^" or kind == "s" else base

    def power_tail(self, base: Expr) -> Expr:
        kind = self.kinds[self.i]
        if kind == "^":
            self.i += 1
            return Pow(base, self.exponent())
        if kind == "s":   # `x²`: calc.lark's power_sup
            self.i += 1
            return Pow(base, self.values[self.i - 1])
        return base

    def exponent(self) -> Expr:
        kind = self.kinds[self.i]
        if kind == "-":
            self.i += 1
            return Neg(self.exponent())
        if kind == "f":   # only a plain call `e^sin(x)`; `e^sin x`, `e^sin^2(x)`: Lark decides
            head, last = self.values[self.i]
            if not last or self.kinds[self.i + 1] != "(":
                raise _Decline
            self.i += 1
            return self.power_tail(self.call(head))
        return self.pw()

    def atom(self) -> Expr:
        kind = self.kinds[self.i]
        value = self.values[self.i]
        self.i += 1
        if kind == "n":
            return _number(value)
        if kind == "v":
            return _sym(value)
        if kind == "k":
            return Const(value)
        if kind in _CLOSE:
            inner = self.sum()
            if self.kinds[self.i] != _CLOSE[kind]:
                raise _Decline
            self.i += 1
            return Call("abs", (inner,)) if kind == "|o" else inner
        raise _Decline

    def fpow(self) -> tuple:
        """A function head (and its power); whether a `(` right after it opens its arguments."""
        head, last = self.values[self.i]
        self.i += 1
        kinds = self.kinds
        if kinds[self.i] == "s":   # `sin²`, `sin⁻¹`
            head = inverse_head(head, self.values[self.i])
            self.i += 1
            if kinds[self.i] in ("^", "s"):
                raise _Decline
        elif kinds[self.i] == "^":
            self.i += 1
            signs = 0
            while kinds[self.i] == "-":
                signs += 1
                self.i += 1
            if kinds[self.i] not in ("n", "(", "[", "{"):
                raise _Decline   # `sin^x`: the raw head-end rule is subtle; Lark decides
            exp = self.atom()
            if kinds[self.i] in ("^", "s"):
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
