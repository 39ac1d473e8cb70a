"""LaTeX input -> Expr: what MathQuill answer boxes and lecture notes produce.

The syntax lives in grammar/latex.lark (an LALR grammar; its header states the precedence
ladder). This module holds what a grammar cannot say well, so that the grammar stays the
reference and the vocabulary stays in tutor/vocabulary.py:

* a post-lexer that makes a command token a function (FUNC, LOG, MAXMIN) only when the
  vocabulary knows its name, and decides whether a plain `|` opens or closes an absolute value;
* the transformer (one short method per rule) that builds the shared AST, canonicalises
  names (`w_{1}` -> w1, `\\arcsin` -> asin, `\\sin^{-1}` -> asin) and turns `\\frac{d}{dx}`
  followed by a factor into a Derivative.

Refusing bad input (the raw-text pre-scan, Lark errors as ParseError) is `latex_errors`; the
input limits are the ones the calculator reader applies too (`common`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from .. import vocabulary
from ..errors import ParseError
from ..expr import Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym, free_symbols, walk
from .build import number, plain_log
from .common import check_limits, check_tree, grammar_text
from .latex_fast import fast_latex, printed_latex
from .latex_text import prepare
from .latex_errors import (FUNCTION_ALIASES, KNOWN_COMMANDS, LATEX_GREEK, error, prescan,
                           translate, unexpected_character)

__all__ = ["parse_latex", "FUNCTION_ALIASES", "KNOWN_COMMANDS"]


# ------------------------------------------------------------------ markers (never escape)

@dataclass(frozen=True, slots=True)
class _Grouped:
    """A bracketed factor with no exponent: `\\frac{d}{dx}\\left[f\\right] g` takes only f."""
    expr: object


@dataclass(frozen=True, slots=True)
class _Partial:
    """A `\\partial` awaiting its derivative fraction."""
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _DOp:
    """`\\frac{d}{dx}` or `\\frac{\\partial^2}{\\partial x \\partial y}` awaiting its operand."""
    variables: tuple  # ((name, order), ...) outermost first
    partial: bool
    line: int
    column: int

    def apply(self, f):
        for var, order in reversed(self.variables):
            partial = self.partial or any(s != var for s in free_symbols(f))
            f = Derivative(f, var, order, partial)
        return f


@dataclass(frozen=True, slots=True)
class _Head:
    """A function command with its optional ^power and log _base."""
    name: str
    token: Token
    power: object = None
    base: object = None


def _at(token: Token):
    return (getattr(token, "line", 1) or 1, getattr(token, "column", 1) or 1)


# ------------------------------------------------------------------ the transformer

class _ToExpr(Transformer):
    """Lark callbacks, one per rule alias: Tokens and Exprs in, an Expr (or marker) out."""

    def fail(self, message, token, code="syntax", hint=None):
        """The error to raise; parse_latex fills in the input text."""
        line, column = _at(token) if isinstance(token, Token) else (token.line, token.column)
        return error(message, "", line, column, code, hint)

    def number(self, c):
        """Exact, within the shared digit limit (Fraction(text) refused 4,300 digits with a
        ValueError, not a LimitError)."""
        tok = c[0]
        return number(tok.value.replace("{,}", "."), *_at(tok))
    def digit(self, c): return Num(Fraction(int(c[0].value)))
    def pi(self, _c): return Const("pi")
    def partial(self, c): return _Partial(*_at(c[0]))
    def subscript(self, c): return "".join(_base_name(t) for t in c)
    def neg(self, c): return Neg(c[1])
    def neg_arg(self, c): return Neg(c[1])
    def pos(self, c): return c[1]
    def pow(self, c): return Pow(c[0], c[1])
    def bare_group(self, c): return _Grouped(c[0])
    def implicit(self, c): return self.juxtapose(c)
    def bare_arg(self, c): return self.juxtapose(c)
    def head(self, c): return _Head(_function_name(c[0]), c[0])
    def head_pow(self, c): return _Head(_function_name(c[0]), c[0], power=c[1])
    def head_base(self, c): return _Head("log", c[0], base=c[1])
    def head_base_pow(self, c): return _Head("log", c[0], base=c[1], power=c[2])
    def abs(self, c): return Call("abs", (c[0],))

    def name(self, c):
        base = _base_name(c[0])
        if len(c) == 1:
            return Const("e") if base == "e" else Sym(base)
        sub = c[1]
        return Sym(base + sub if sub.isdigit() else f"{base}_{sub}")

    def add(self, c):
        terms = [c[0]]
        for op, term in zip(c[1::2], c[2::2]):
            terms.append(Neg(term) if op.type == "MINUS" else term)
        return Add(tuple(terms))

    def product(self, c):
        """Left-associative: a run of \\cdot is one n-ary Mul, a / closes it into a Div."""
        factors = [c[0]]
        for op, right in zip(c[1::2], c[2::2]):
            if op.type == "MULOP":
                factors.append(right)
            else:
                factors = [Div(_mul(factors), right)]
        return _mul(factors)

    def juxtapose(self, items):
        """Multiply a run of factors; a derivative operator takes what follows it."""
        acc: list = []  # the factors to the right, reversed
        for item in reversed(items):
            if isinstance(item, _DOp):
                if not acc:
                    raise self.fail("the derivative operator needs an expression after it", item,
                                    "derivative", r"write \frac{d}{dx}\left[f\right]")
                if isinstance(acc[-1], _Grouped):
                    operand = acc.pop().expr
                else:
                    operand = _mul([_unwrap(a) for a in reversed(acc)])
                    acc = []
                acc.append(item.apply(operand))
            else:
                acc.append(item)
        return _mul([_unwrap(a) for a in reversed(acc)])

    def call_paren(self, c):
        head, arg = c
        if head.name == "log" and head.base is None:
            call = plain_log(arg)  # \log is natural, as in calculator syntax (unless --log10)
        elif head.name == "log":
            call = Call("log", (arg, head.base))
        else:
            call = Call(head.name, (arg,))
        match head.power:
            case None:
                return call
            case Neg(Num(v)) if v == 1:
                if head.name in vocabulary.INVERSES:
                    return Call(vocabulary.INVERSES[head.name], (arg,))
                raise self.fail(f"'^{{-1}}' on {head.token.value} is ambiguous", head.token,
                                "ambiguous-inverse",
                                f"write \\frac{{1}}{{{head.token.value}\\left(x\\right)}} for the reciprocal")
        return Pow(call, head.power)

    call_bare = call_paren

    def frac(self, c):
        num, den = c[1], c[2]
        top = _derivative_top(num)
        if top is None:
            if _leibniz(num) and _derivative_bottom(den) is not None:
                raise self.fail("a derivative written as a single fraction is not supported", c[0],
                                "derivative", r"put the function after the operator: \frac{d}{dx}\left[y\right]")
            return Div(num, den)
        partial, order = top
        bottom = _derivative_bottom(den)
        if bottom is None or bottom[0] != partial:
            if not partial and den != Sym("d"):
                return Div(num, den)  # plain d over something: a variable named d
            raise self.fail("the derivative's denominator must be d x (or \\partial x)", c[0],
                            "derivative", r"write \frac{d}{dx} or \frac{\partial}{\partial x}")
        variables = bottom[1]
        if sum(k for _, k in variables) != order:
            raise self.fail("the orders of the derivative's top and bottom differ", c[0], "derivative",
                            r"write \frac{d^{2}}{dx^{2}} for a second derivative")
        if len(variables) > 1 and not partial:
            raise self.fail("a derivative by several variables must use \\partial", c[0], "derivative")
        return _DOp(variables, partial, *_at(c[0]))

    def sqrt(self, c):
        if len(c) == 2:
            return Call("sqrt", (c[1],))
        index, radicand = c[1], c[2]
        return Call("cbrt", (radicand,)) if index == Num(3) else Call("root", (radicand, index))

    def indicator(self, c):
        if isinstance(c[0], Token):  # \mathbb{1}
            c = c[1:]
        left, rel, right = c
        return Indicator(left, _relation(rel.value), right)

    def maxmin(self, c):
        name = _command_name(c[0].value)
        if len(c) < 3:
            raise self.fail(f"\\{name} needs at least two arguments", c[0], "arity",
                            f"write \\{name}\\left(a, b\\right)")
        return Call(name, tuple(c[1:]))


def _mul(factors):
    return factors[0] if len(factors) == 1 else Mul(tuple(factors))


def _unwrap(e):
    return e.expr if isinstance(e, _Grouped) else e


def _base_name(tok: Token) -> str:
    v = tok.value
    if tok.type == "GREEK":
        v = v[1:]
        return LATEX_GREEK.get(v, v)
    if v.startswith("\\"):  # \mathrm{d}, \mathit{rate}
        return re.search(r"\{\s*([a-zA-Z]+)", v).group(1)
    return v


def _function_name(tok: Token) -> str:
    if tok.type == "LOG":
        return "log"
    return FUNCTION_ALIASES[_command_name(tok.value)]


def _relation(v: str) -> str:
    v = v.lstrip("\\")
    if v in (">", "gt"):
        return ">"
    if v in ("<", "lt"):
        return "<"
    return ">=" if v[0] in ">g\u2265" else "<="


def _derivative_top(e):
    """`d`, `d^n`, `\\partial`, `\\partial^n` → (partial, n), else None."""
    match e:
        case Sym("d"):
            return (False, 1)
        case _Partial():
            return (True, 1)
        case Pow(Sym("d"), Num(v)) if v.denominator == 1 and v > 0:
            return (False, int(v))
        case Pow(_Partial(), Num(v)) if v.denominator == 1 and v > 0:
            return (True, int(v))
    return None


def _leibniz(e) -> bool:
    """`d y`, `\\partial f`: a derivative symbol times something."""
    return isinstance(e, Mul) and _derivative_top(e.factors[0]) is not None


def _derivative_bottom(e):
    """`dx`, `dx^2`, `\\partial x \\partial y` → (partial, ((var, order), ...)), else None."""
    if not isinstance(e, Mul) or len(e.factors) % 2:
        return None
    kinds, variables = set(), []
    for mark, var in zip(e.factors[::2], e.factors[1::2]):
        if mark == Sym("d"):
            kinds.add(False)
        elif isinstance(mark, _Partial):
            kinds.add(True)
        else:
            return None
        match var:
            case Sym(name):
                variables.append((name, 1))
            case Pow(Sym(name), Num(v)) if v.denominator == 1 and v > 0:
                variables.append((name, int(v)))
            case _:
                return None
    return (kinds.pop(), tuple(variables)) if len(kinds) == 1 else None


# ------------------------------------------------------------------ lexing help

_BAR_OPENS_AFTER = frozenset({None, "PLUS", "MINUS", "MULOP", "DIVOP", "REL", "_COMMA", "_LP",
                              "_LB", "_LBRACE", "_LCB", "_LBAR", "_CARET", "_UNDERSCORE", "FUNC",
                              "LOG", "FRAC", "SQRT", "MBB", "MAXMIN"})


def _command_name(value: str) -> str:
    """`\\sin` -> sin; `\\operatorname{ReLU}` -> ReLU."""
    return re.sub(r"^\\(?:operatorname|mathrm)\s*\{\s*|\s*\}$|^\\", "", value)


def _command(tok: Token) -> Token:
    """A function-shaped command as the token it is by the vocabulary: FUNC, LOG (which
    takes a _base) or MAXMIN (which takes a list of arguments)."""
    name = _command_name(tok.value)
    if name == "log":
        kind = "LOG"
    elif name in ("max", "min"):
        kind = "MAXMIN"
    elif name in FUNCTION_ALIASES and tok.value != "\\sqrt":  # \sqrt is SQRT, with [n]
        kind = "FUNC"
    else:  # never after the pre-scan; refused as Lark would refuse a command it cannot lex
        raise unexpected_character("\\", "", tok.line, tok.column)
    return Token.new_borrow_pos(kind, tok.value, tok)


class _PostLex:
    """Function commands by the vocabulary (FUNC, LOG or MAXMIN by name), and bars: a
    plain `|` closes the innermost open plain bar unless it follows an operator or an opener
    (then it opens one): `|x| |y|`, `|x - |y||` and `2|x|` read as written."""

    always_accept = ("BAR",)

    def process(self, stream):
        open_bars, prev = 0, None
        for tok in stream:
            if tok.type in ("FUNC", "LOG", "MAXMIN"):
                tok = _command(tok)
            elif tok.type == "BAR":
                if open_bars and prev not in _BAR_OPENS_AFTER:
                    open_bars -= 1
                    tok = Token.new_borrow_pos("_RBAR", tok.value, tok)
                else:
                    open_bars += 1
                    tok = Token.new_borrow_pos("_LBAR", tok.value, tok)
            prev = tok.type
            yield tok


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """Built once: LALR, contextual lexer, the transformer run during the parse."""
    from .tables import lark_cache   # the built tables kept between runs
    return Lark(grammar_text("latex.lark"), parser="lalr", lexer="contextual",
                transformer=_ToExpr(), postlex=_PostLex(), maybe_placeholders=False,
                **lark_cache("latex"))


# ------------------------------------------------------------------ entry point

def parse_latex(text: str, printed: bool = False):
    """Parse LaTeX math into an Expr; ParseError (or LimitError) on unreadable input.
    `printed`: try the printed-form fast path first (the grader's answers; the CLI's LaTeX
    stays Lark's, whose cached tables tests/test_coldstart.py watches)."""
    if not isinstance(text, str):
        raise ParseError("expected a string of LaTeX", text=str(text), code="type")
    check_limits(text)
    src = prepare(text)
    if not src.strip():
        raise error("empty expression", text, 1, 1, "empty", r"type an expression such as x^{2}")
    prescan(src, text)
    try:
        result = fast_latex(src)     # a long plain sum without Lark; None: Lark decides
        if result is None and printed:
            result = printed_latex(src)   # the engine's own printed forms, also without Lark
        if result is None:
            result = _parser().parse(src)
    except ParseError as exc:
        exc.text = exc.text or text
        raise
    except UnexpectedInput as exc:
        raise translate(exc, src, text) from None
    except (RecursionError, MemoryError, OverflowError, ZeroDivisionError) as exc:
        raise error(f"could not read the expression ({type(exc).__name__})", text, 1, 1) from None
    return _no_leftovers(check_tree(result, text), text, src)


def _no_leftovers(result, text, src: str = "d"):
    """Refuse what is left of the derivative notation: an operator or a lone \\partial.
    Both come only from text with a `d` in it (`\\frac{d}{dx}`, `d/dx`, `\\partial`): other
    text skips the walk (a tenth of the parse of a 200,000-character sum)."""
    if "d" not in src and "\\partial" not in src:
        return result
    for node in walk(result):
        match node:
            case _DOp(line=line, column=column):
                raise error("the derivative operator must be followed directly by what it "
                            "differentiates", text, line, column, "derivative",
                            r"write \frac{d}{dx}\left[f\right]")
            case _Partial(line, column):
                raise error("\\partial only belongs in a derivative", text, line, column,
                            "derivative", r"write \frac{\partial}{\partial x}\left[f\right]")
    return result
