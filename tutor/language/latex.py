"""LaTeX input → Expr: what MathQuill answer boxes and lecture notes produce.

The syntax lives in grammar/latex.lark (an LALR grammar; its header states the precedence
ladder). This module holds what a grammar cannot say well:

* a cheap raw-text pre-scan, run before Lark, that refuses oversized input, unknown
  commands (with "did you mean") and unbalanced brackets, pointing at the opener;
* a post-lexer that decides whether a plain `|` opens or closes an absolute value;
* the transformer (one short method per rule) that builds the shared AST, canonicalises
  names (`w_{1}` → w1, `\\arcsin` → asin, `\\sin^{-1}` → asin) and turns `\\frac{d}{dx}`
  followed by a factor into a Derivative;
* translation of Lark's errors into ParseError with line, column, code and a hint.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..errors import LimitError, ParseError
from ..expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym,
                   depth, free_symbols, size, walk)
from ..limits import MAX_DEPTH, MAX_INPUT_CHARS, MAX_NODES

__all__ = ["parse_latex", "FUNCTION_ALIASES", "KNOWN_COMMANDS"]

_TRIG = ("sin", "cos", "tan", "sec", "csc", "cot")
_HYP = ("sinh", "cosh", "tanh", "sech", "csch", "coth")

#: every name a function command may carry (\name, \operatorname{name}) → canonical name
FUNCTION_ALIASES: dict[str, str] = {n: n for n in _TRIG + _HYP + ("exp", "ln", "sqrt", "cbrt", "abs", "relu")}
FUNCTION_ALIASES["ReLU"] = "relu"
for _t in _TRIG:
    FUNCTION_ALIASES["a" + _t] = FUNCTION_ALIASES["arc" + _t] = "a" + _t
for _h in _HYP:
    for _prefix in ("a", "ar", "arc"):
        FUNCTION_ALIASES[_prefix + _h] = "a" + _h

#: f^{-1} means the inverse function for these (and only these: \ln^{-1} x is refused)
_INVERSE = {n: "a" + n for n in _TRIG + _HYP}

_GREEK_ALIASES = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi",
                  "varrho": "rho", "varsigma": "sigma"}
_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
          "mu nu xi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta "
          "Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()

#: every backslash command the grammar understands (for the pre-scan and "did you mean")
KNOWN_COMMANDS = frozenset(
    [n for n in FUNCTION_ALIASES if n != "sqrt"] + _GREEK + """
    frac dfrac tfrac cfrac sqrt log max min pi partial cdot times ast div
    left right bigl bigr Bigl Bigr biggl biggr Biggl Biggr big Big bigg Bigg
    lvert rvert vert mid geq ge leq le gt lt geqslant leqslant quad qquad
    displaystyle textstyle operatorname mathrm mathit mathbb mathbf mathds""".split())
_NAMED = ("operatorname", "mathrm", "mathit")       # \operatorname{name}
_OPERATOR_NAMES = frozenset(FUNCTION_ALIASES) | {"log", "max", "min"}
_SPACES = ",;:! "                                     # \, \; \: \! "\ " \|


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


def _error(message, text, line, column, code="syntax", hint=None, cls=ParseError):
    return cls(message, text=text, line=line, column=column, hint=hint, code=code)


def _at(token: Token):
    return (getattr(token, "line", 1) or 1, getattr(token, "column", 1) or 1)


# ------------------------------------------------------------------ the transformer

class _ToExpr(Transformer):
    """Lark callbacks, one per rule alias: Tokens and Exprs in, an Expr (or marker) out."""

    def fail(self, message, token, code="syntax", hint=None):
        """The error to raise; parse_latex fills in the input text."""
        line, column = _at(token) if isinstance(token, Token) else (token.line, token.column)
        return _error(message, "", line, column, code, hint)

    def number(self, c):
        return Num(Fraction(c[0].value.replace("{,}", ".")))

    def digit(self, c):
        return Num(Fraction(int(c[0].value)))

    def pi(self, _c):
        return Const("pi")

    def partial(self, c):
        return _Partial(*_at(c[0]))

    def subscript(self, c):
        return "".join(_base_name(t) for t in c)

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

    def neg(self, c):
        return Neg(c[1])

    neg_arg = neg

    def pos(self, c):
        return c[1]

    def pow(self, c):
        return Pow(c[0], c[1])

    def bare_group(self, c):
        return _Grouped(c[0])

    def implicit(self, c):
        return self.juxtapose(c)

    bare_arg = implicit

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

    def head(self, c):
        return _Head(_function_name(c[0]), c[0])

    def head_pow(self, c):
        return _Head(_function_name(c[0]), c[0], power=c[1])

    def head_base(self, c):
        return _Head("log", c[0], base=c[1])

    def head_base_pow(self, c):
        return _Head("log", c[0], base=c[1], power=c[2])

    def call_paren(self, c):
        head, arg = c
        if head.name == "log" and head.base is None:
            call = Call("ln", (arg,))  # \log is natural, as in calculator syntax
        elif head.name == "log":
            call = Call("log", (arg, head.base))
        else:
            call = Call(head.name, (arg,))
        match head.power:
            case None:
                return call
            case Neg(Num(v)) if v == 1:
                if head.name in _INVERSE:
                    return Call(_INVERSE[head.name], (arg,))
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

    def abs(self, c):
        return Call("abs", (c[0],))

    def indicator(self, c):
        if isinstance(c[0], Token):  # \mathbb{1}
            c = c[1:]
        left, rel, right = c
        return Indicator(left, _relation(rel.value), right)

    def maxmin(self, c):
        name = re.sub(r"^\\(?:operatorname|mathrm)\s*\{\s*|\s*\}$|^\\", "", c[0].value)
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
        return _GREEK_ALIASES.get(v, v)
    if v.startswith("\\"):  # \mathrm{d}
        return re.search(r"\{\s*([a-zA-Z])", v).group(1)
    return v


def _function_name(tok: Token) -> str:
    if tok.type == "LOG":
        return "log"
    raw = re.sub(r"^\\(?:operatorname|mathrm)\s*\{\s*|\s*\}$|^\\", "", tok.value)
    return FUNCTION_ALIASES[raw]


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


class _BarPostLex:
    """A plain `|` closes the innermost open plain bar unless it follows an operator or an
    opener (then it opens one): `|x| |y|`, `|x - |y||` and `2|x|` read as written."""

    always_accept = ("BAR",)

    def process(self, stream):
        open_bars, prev = 0, None
        for tok in stream:
            if tok.type == "BAR":
                if open_bars and prev not in _BAR_OPENS_AFTER:
                    open_bars -= 1
                    tok = Token.new_borrow_pos("_RBAR", tok.value, tok)
                else:
                    open_bars += 1
                    tok = Token.new_borrow_pos("_LBAR", tok.value, tok)
            prev = tok.type
            yield tok


def _grammar_text() -> str:
    try:
        from .calc import grammar_text  # the shared loader, when it exists
        return grammar_text("latex.lark")
    except (ImportError, AttributeError):
        pass
    from importlib.resources import files
    from pathlib import Path
    packaged = files("tutor") / "grammar" / "latex.lark"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "grammar" / "latex.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """Built once: LALR, contextual lexer, the transformer run during the parse."""
    return Lark(_grammar_text(), parser="lalr", lexer="contextual", transformer=_ToExpr(),
                postlex=_BarPostLex(), maybe_placeholders=False)


# ------------------------------------------------------------------ raw-text pre-scan

_SCAN = re.compile(r"\\([a-zA-Z]+)|\\(.)|([{}()\[\]])", re.S)
_DELIMITER = re.compile(r"\s*(?:\\[a-zA-Z]+|\\.|.)", re.S)
_BRACED = re.compile(r"\s*\{\s*([^{}]*?)\s*\}")
_CLOSES = {"}": "{", ")": "(", "]": "[", "\\}": "\\{", "\\right": "\\left"}


def _position(src: str, offset: int) -> tuple[int, int]:
    line = src.count("\n", 0, offset) + 1
    return line, offset - (src.rfind("\n", 0, offset) + 1) + 1


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
                raise _error(f"unknown command \\{cmd}", text, *_position(src, m.start()),
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
                raise _error(f"unknown command \\{escaped}", text, *_position(src, m.start()),
                             "unknown-command", r"spaces are \, \; \quad; braces are \{ \}")
        if bracket is None:
            continue
        if not bracket.endswith(("left", "right")):
            shown = bracket
        if bracket not in _CLOSES:
            stack.append((bracket, m.start(), shown))
            if len(stack) > MAX_DEPTH:
                raise _error(f"brackets nest deeper than {MAX_DEPTH} levels", text,
                             *_position(src, m.start()), "limit", cls=LimitError)
            continue
        if not stack:
            raise _error(f"'{shown}' has no matching opener", text, *_position(src, m.start()),
                         "unbalanced", f"delete it or add the opening {_CLOSES[bracket]!r} before it")
        opener, at, opened = stack.pop()
        if opener != _CLOSES[bracket]:
            raise _error(f"'{opened}' is never closed ('{shown}' found instead)", text,
                         *_position(src, at), "unbalanced", _closer_hint(opener))
    if stack:
        opener, at, opened = stack[-1]
        raise _error(f"'{opened}' is never closed", text, *_position(src, at), "unbalanced",
                     _closer_hint(opener))


def _closer_hint(opener: str) -> str:
    closer = {v: k for k, v in _CLOSES.items()}[opener]
    return f"add the matching '{closer}'" + (r" (\left( pairs with \right))" if opener == "\\left" else "")


def _check_named(cmd: str, src: str, text: str, m: re.Match) -> None:
    b = _BRACED.match(src, m.end())
    content = b.group(1) if b else None
    if cmd in _NAMED:
        if content is None or not (content in _OPERATOR_NAMES or re.fullmatch(r"[a-zA-Z]", content)):
            close = difflib.get_close_matches(content or "", sorted(_OPERATOR_NAMES), n=3, cutoff=0.6)
            hint = ("did you mean " + " or ".join(close) + "?") if close else \
                "known names: " + ", ".join(sorted(set(FUNCTION_ALIASES.values()) | {"log", "max", "min"}))
            raise _error(f"unknown function \\{cmd}{{{content or ''}}}", text,
                         *_position(src, m.start()), "unknown-function", hint)
    elif content not in ("1", "I") and not src.startswith("1", m.end()):
        raise _error(f"\\{cmd} is only understood as the indicator \\{cmd}{{1}}", text,
                     *_position(src, m.start()), "unknown-command", r"write \mathbb{1}\left[u > v\right]")


# ------------------------------------------------------------------ Lark errors → ParseError

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


def translate(exc: UnexpectedInput, src: str, text: str) -> ParseError:
    """One Lark error → ParseError with a plain-words message, position and hint."""
    if isinstance(exc, UnexpectedCharacters):
        ch = src[exc.pos_in_stream] if exc.pos_in_stream < len(src) else ""
        return _error(f"unexpected character {ch!r}", text, exc.line, exc.column, "syntax",
                      _CHAR_HINTS.get(ch))
    token = getattr(exc, "token", None)
    expected = sorted({_FRIENDLY.get(t, t) for t in getattr(exc, "expected", ()) or ()})
    listing = ("expected " + ", ".join(expected[:6]) + (", ..." if len(expected) > 6 else "")) if expected else None
    if not isinstance(exc, UnexpectedToken) or token is None or token.type == "$END":
        end = len(src.rstrip())
        line, column = _position(src, end)
        return _error("the expression ends too early", text, line, column, "syntax",
                      "something is missing at the end" + (f"; {listing}" if listing else ""))
    kind = token.type
    if kind == "MINUS" and "DIGIT1" in exc.expected:
        hint = "put a negative exponent in braces: x^{-1}"
    elif kind in ("MULOP", "DIVOP", "PLUS") and ("NUMBER" in exc.expected or "DIGIT1" in exc.expected):
        hint = f"something is missing before {token.value!r}"
    else:
        hint = _TOKEN_HINTS.get(kind, listing)
    return _error(f"unexpected {token.value!r}", text, token.line, token.column, "syntax", hint)


# ------------------------------------------------------------------ entry point

def _unwrap_dollars(text: str) -> str:
    """`$x$` and `$$x$$` → the maths, with the dollars blanked so columns still match."""
    m = re.fullmatch(r"(\s*)(\$\$?)(.*?)(\2)(\s*)", text, re.S)
    if not m:
        return text
    return m.group(1) + " " * len(m.group(2)) + m.group(3) + " " * len(m.group(4)) + m.group(5)


def parse_latex(text: str):
    """Parse LaTeX math into an Expr; ParseError (or LimitError) on unreadable input."""
    if not isinstance(text, str):
        raise ParseError("expected a string of LaTeX", text=str(text), code="type")
    if len(text) > MAX_INPUT_CHARS:
        raise _error(f"input is {len(text)} characters; the limit is {MAX_INPUT_CHARS}", text[:200],
                     1, 1, "limit", "split the expression into smaller parts", LimitError)
    src = _unwrap_dollars(text)
    if not src.strip():
        raise _error("empty expression", text, 1, 1, "empty", r"type an expression such as x^{2}")
    prescan(src, text)
    try:
        result = _parser().parse(src)
    except ParseError as exc:
        exc.text = exc.text or text
        raise
    except UnexpectedInput as exc:
        raise translate(exc, src, text) from None
    except (RecursionError, MemoryError, OverflowError, ZeroDivisionError) as exc:
        raise _error(f"could not read the expression ({type(exc).__name__})", text, 1, 1) from None
    return _check(result, text)

def _check(result, text):
    """Refuse trees over the limits and leftovers of the derivative notation."""
    if depth(result) > MAX_DEPTH:
        raise _error(f"expression nests deeper than {MAX_DEPTH} levels", text, 1, 1, "limit",
                     cls=LimitError)
    if size(result) > MAX_NODES:
        raise _error(f"expression has more than {MAX_NODES} parts", text, 1, 1, "limit", cls=LimitError)
    for node in walk(result):
        match node:
            case _DOp(line=line, column=column):
                raise _error("the derivative operator must be followed directly by what it "
                             "differentiates", text, line, column, "derivative",
                             r"write \frac{d}{dx}\left[f\right]")
            case _Partial(line, column):
                raise _error("\\partial only belongs in a derivative", text, line, column,
                             "derivative", r"write \frac{\partial}{\partial x}\left[f\right]")
    return result
