"""MathML Core: the expression as browsers draw it natively, with no JavaScript and no fonts.

Why a printer of its own: a classroom page must work with the network unplugged, so the maths
cannot come from a CDN's KaTeX; MathML Core is drawn by Chromium, Firefox and Safari
themselves. It is the text printer's brackets and order (one PRECEDENCE table, one
`parenthesize`), written as elements: fractions are `mfrac`, so a quotient needs no brackets
(like LaTeX's `\\frac`); powers `msup`, roots `msqrt`/`mroot`, `w1` is `msub`, and a power of
a subscripted name `msubsup`; powers of a function print as `sin²(x)` as the LaTeX printer does.
Invisible times (U+2062) joins implicit factors and function application (U+2061) sits between
a function's name and its argument, so a screen reader says "2 times x" and "sine of x".

Invariant: every node prints as exactly ONE element (an `mrow` where it has several parts), so
any node can be a child of `mfrac`, `msup` or `mroot` as it is. Only MathML Core elements and
attributes are written (no `mfenced`, no deprecated attributes); every piece of text passes
through `_text`, so `<` and `&` in a name never break the markup.
"""
from __future__ import annotations

import re

from .._deep import SHALLOW, run_deep
from ..errors import LimitError
from ..expr import (Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym, children,
                    deeper_than)
from ..vocabulary import FUNCTIONS, GREEK
from .base import ADD, ATOM, MUL, NEG, POW, Relation, TextPrinter

__all__ = ["to_mathml", "mathml_body", "math_element", "mathml_name", "tall", "MATHML_NS", "INVISIBLE_TIMES", "APPLY_FUNCTION"]

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
INVISIBLE_TIMES = "&#x2062;"
APPLY_FUNCTION = "&#x2061;"
MINUS = "\u2212"
THIN_SPACE = '<mspace width="0.1667em"></mspace>'

#: the upright name a function is written with: arcsin for asin, arsinh for asinh (the
#: LaTeX printer's spelling, from the vocabulary)
_NAMES = {f.name: re.sub(r"^\\(operatorname\{)?|\}$", "", f.latex) for f in FUNCTIONS.values()}
_POWER_FORM = frozenset(f.name for f in FUNCTIONS.values() if f.power_form)
_GREEK_CHARS = {g.name: g.char for g in GREEK.values()}
_RELATIONS = {">": "&gt;", ">=": "\u2265", "<": "&lt;", "<=": "\u2264", "!=": "\u2260", "=": "="}
_PRIMES = {1: "\u2032", 2: "\u2033", 3: "\u2034"}


def _text(s: str) -> str:
    """Character data for an element: the three characters XML reserves, escaped."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _identifier(name: str) -> str:
    """One `mi`: a Greek letter as its character (capitals upright, as in print)."""
    char = _GREEK_CHARS.get(name)
    if char is not None:
        upright = ' mathvariant="normal"' if name[:1].isupper() else ""
        return f"<mi{upright}>{char}</mi>"
    if name == "...":
        return "<mi>\u2026</mi>"
    return f"<mi>{_text(name)}</mi>"


def mathml_name(name: str) -> str:
    """A variable's name as one element: `x` -> `<mi>x</mi>`, `w1` and `w_1` -> `msub`,
    `theta2` -> θ₂, `y'` -> y′ (the implicit route's dy/dx symbol, when not replaced)."""
    primes = len(name) - len(name.rstrip("'"))
    if primes and name.rstrip("'"):
        # the prime glyph is a superscript already: beside the letter, not in an msup
        return f"<mrow>{mathml_name(name.rstrip(chr(39)))}<mo>{_PRIMES.get(primes, chr(39) * primes)}</mo></mrow>"
    base, sub = _split_name(name)
    if not sub:
        return _identifier(base)
    sub_el = f"<mn>{sub}</mn>" if sub.isdigit() else mathml_name(sub)
    return f"<msub>{_identifier(base)}{sub_el}</msub>"


def tall(e: Expr) -> bool:
    """Whether `e` is drawn taller than a line of text (a fraction, d/dx): brackets
    around it should stretch (see MathMLPrinter.tall)."""
    return MathMLPrinter().tall(e)


def _split_name(name: str) -> tuple[str, str]:
    """(base, subscript) as the LaTeX printer splits a name: at `_`, or before trailing digits."""
    if "_" in name.strip("_"):
        base, sub = name.split("_", 1)
        if base:
            return base, sub
    m = re.fullmatch(r"(.*?[^\d])(\d+)", name)
    if m:
        return m.group(1), m.group(2)
    return name, ""


class MathMLPrinter(TextPrinter):
    """MathML Core elements, one per node; brackets where the text printer puts them, except
    where the two-dimensional layout groups already (fractions, exponents, radicands)."""

    LP, RP = "<mrow><mo>(</mo>", "<mo>)</mo></mrow>"
    STAR = "<mo>\u00b7</mo>"

    MEMO = False  # output depends on `symbols` and `tall`, not on the node alone

    def __init__(self, symbols: dict | None = None) -> None:
        super().__init__()
        self.symbols = symbols or {}
        self._tall: dict = {}

    # ------------------------------------------------------------ brackets
    def tall(self, e: Expr) -> bool:
        """Whether `e` is drawn taller than a line of text (a fraction, d/dx): only
        then do its brackets stretch; around `x^2` a stretched bracket is drawn too big and
        too far away (Chromium), so flat content gets plain brackets, as TeX's `(` would."""
        entry = self._tall.get(id(e))  # by identity (fast on shared subtrees), the node kept
        known = entry[1] if entry is not None and entry[0] is e else None
        if known is None:
            match e:
                case Div() | Derivative():
                    known = True  # (a radical is barely taller: Chromium's stretched bracket
                    # variant for it is drawn with gaps, the plain bracket fits)
                case Num(v):
                    known = v.denominator != 1
                case Pow(b, _):
                    known = self.tall(b)  # an exponent is drawn small: x^(1/2) stays flat
                case _:
                    known = any(self.tall(k) for k in children(e))
            self._tall[id(e)] = (e, known)
        return known

    def _open(self, e: Expr, text: str) -> str:
        return f"<mo>{text}</mo>" if self.tall(e) else f'<mo stretchy="false">{text}</mo>'

    def _wrap(self, e: Expr, parens: bool) -> None:
        if not parens:
            return self.p(e)
        self.out.append("<mrow>" + self._open(e, "("))
        self.p(e)
        self.out.append(self._open(e, ")") + "</mrow>")

    # ------------------------------------------------------------ precedence
    def prec(self, e: Expr) -> int:
        match e:
            case Num(v) if v >= 0:
                return ATOM  # an integer or an mfrac
            case Div():
                return ATOM  # the fraction bar groups it
        return super().prec(e)

    def _leads_with_digit(self, f: Expr) -> bool:
        """Factors that would run into a number before them (`2 1/4` reads as a mixed number,
        `x 2` as x2): the product is then written with a centred dot."""
        match f:
            case Num(v):
                return v >= 0
            case Pow(Num(v), _):
                return v >= 0 and v.denominator == 1
            case Div(n, _):
                return self._leads_with_digit(n) or isinstance(n, Div)
        return False

    # ------------------------------------------------------------ atoms
    def _print_Num(self, e: Num) -> None:
        v = e.value
        if v < 0:
            return self._print_Neg(Neg(Num(-v)))
        if v.denominator == 1:
            self.out.append(f"<mn>{v.numerator}</mn>")
        else:
            self.out.append(f"<mfrac><mn>{v.numerator}</mn><mn>{v.denominator}</mn></mfrac>")

    def _print_Sym(self, e: Sym) -> None:
        self.out.append(self.symbols.get(e.name) or mathml_name(e.name))

    def _print_Const(self, e: Const) -> None:
        self.out.append("<mi>\u03c0</mi>" if e.name == "pi" else f"<mi>{_text(e.name)}</mi>")

    # ------------------------------------------------------------ operators
    def _print_Add(self, e: Add) -> None:
        if not e.terms:
            self.out.append("<mn>0</mn>")
            return
        self.out.append("<mrow>")
        for i, t in enumerate(e.terms):
            negated = t.arg if isinstance(t, Neg) else Num(-t.value) if isinstance(t, Num) and t.value < 0 else None
            if i == 0:
                self.parenthesize(t, ADD, strict=True)
            elif negated is not None:
                self.out.append(f"<mo>{MINUS}</mo>")
                self._wrap(negated, self.prec(negated) in (ADD, NEG))  # a - (b + c), a - (-b)
            else:
                self.out.append("<mo>+</mo>")
                self.parenthesize(t, ADD, strict=True)
        self.out.append("</mrow>")

    def _print_Mul(self, e: Mul) -> None:
        if not e.factors:
            self.out.append("<mn>1</mn>")
            return
        self.out.append("<mrow>")
        super()._print_Mul(e)
        self.out.append("</mrow>")

    def _gap(self, prev, prev_parens, f, parens, lead) -> str:
        """Invisible times; before a function's name also TeX's thin space (`2x cos(x)`)."""
        head = f.base if isinstance(f, Pow) else f
        named = isinstance(head, Call) and head.func not in ("sqrt", "cbrt", "root", "abs")
        return f"<mo>{INVISIBLE_TIMES}</mo>" + (THIN_SPACE if named and not parens else "")

    def _print_Div(self, e: Div) -> None:
        self.out.append("<mfrac>")
        self.p(e.num)
        self.p(e.den)
        self.out.append("</mfrac>")

    def _print_Neg(self, e: Neg) -> None:
        # as in calculator text: a leading minus signs a whole product or quotient
        self.out.append(f"<mrow><mo>{MINUS}</mo>")
        p = self.prec(e.arg)
        self._wrap(e.arg, p < MUL or p == NEG)
        self.out.append("</mrow>")

    def _print_Pow(self, e: Pow) -> None:
        b, x = e.base, e.exp
        match b, x:
            case Call(f, (a,)), Num(v) if f in _POWER_FORM and v.denominator == 1 and v > 0:
                self.out.append(f"<mrow><msup><mi>{_NAMES[f]}</mi><mn>{v.numerator}</mn></msup>"
                                f"<mo>{APPLY_FUNCTION}</mo>")
                self._wrap(a, True)
                self.out.append("</mrow>")
                return
            case Sym(name), _ if not name.endswith("'") and _split_name(name)[1] \
                    and name not in self.symbols:
                base, sub = _split_name(name)  # w1^2: one msubsup, not w1 raised as a block
                sub_el = f"<mn>{sub}</mn>" if sub.isdigit() else mathml_name(sub)
                self.out.append(f"<msubsup>{_identifier(base)}{sub_el}")
                self.p(x)
                self.out.append("</msubsup>")
                return
        self.out.append("<msup>")
        # (a/b)^c, (sin x)^c for the functions without a power form, (√x)^2: brackets, as in LaTeX
        calls = isinstance(b, Call) and b.func != "abs"
        self._wrap(b, self.prec(b) <= POW or calls or isinstance(b, Div)
                   or (isinstance(b, Num) and b.value.denominator != 1))
        self.p(x)
        self.out.append("</msup>")

    # ------------------------------------------------------------ calls and the rest
    def _args(self, args: tuple) -> None:
        if len(args) == 1:
            self.p(args[0])
            return
        self.out.append("<mrow>")
        for i, a in enumerate(args):
            if i:
                self.out.append("<mo>,</mo>")
            self.p(a)
        self.out.append("</mrow>")

    def _apply(self, head: str, args: tuple) -> None:
        tall = any(self.tall(a) for a in args)
        o, c = ("<mo>(</mo>", "<mo>)</mo>") if tall else ('<mo stretchy="false">(</mo>',
                                                         '<mo stretchy="false">)</mo>')
        self.out.append(f"<mrow>{head}<mo>{APPLY_FUNCTION}</mo><mrow>{o}")
        self._args(args)
        self.out.append(f"{c}</mrow></mrow>")

    def _print_Call(self, e: Call) -> None:
        match e:
            case Call("sqrt", (a,)):
                self.out.append("<msqrt>")
                self.p(a)
                self.out.append("</msqrt>")
            case Call("cbrt", (a,)):
                self.out.append("<mroot>")
                self.p(a)
                self.out.append("<mn>3</mn></mroot>")
            case Call("root", (a, n)):
                self.out.append("<mroot>")
                self.p(a)
                self.p(n)
                self.out.append("</mroot>")
            case Call("abs", (a,)):
                self.out.append("<mrow>" + self._open(a, "|"))
                self.p(a)
                self.out.append(self._open(a, "|") + "</mrow>")
            case Call("log", (a, b)):
                self.out.append("<mrow><msub><mi>log</mi>")
                self.p(b)
                self.out.append(f"</msub><mo>{APPLY_FUNCTION}</mo>")
                self._wrap(a, True)
                self.out.append("</mrow>")
            case Call(func, args):
                name = _NAMES.get(func)
                self._apply(f"<mi>{name}</mi>" if name else mathml_name(func), args)

    def _print_Indicator(self, e: Indicator) -> None:
        self.out.append("<mrow>" + self._open(e, "["))
        self.p(e.left)
        self.out.append(f"<mo>{_RELATIONS.get(e.op, _text(e.op))}</mo>")
        self.p(e.right)
        self.out.append(self._open(e, "]") + "</mrow>")

    def _print_Relation(self, e: Relation) -> None:
        self.out.append("<mrow>")
        self.p(e.left)
        self.out.append(f"<mo>{_RELATIONS.get(e.op, _text(e.op))}</mo>")
        self.p(e.right)
        self.out.append("</mrow>")

    def _print_Derivative(self, e: Derivative) -> None:
        d = "<mi>\u2202</mi>" if e.partial else '<mi mathvariant="normal">d</mi>'
        v = self.symbols.get(e.var) or mathml_name(e.var)
        if e.order == 1:
            top, bottom = d, f"<mrow>{d}{v}</mrow>"
        else:
            n = f"<mn>{e.order}</mn>"
            top, bottom = f"<msup>{d}{n}</msup>", f"<mrow>{d}<msup>{v}{n}</msup></mrow>"
        self.out.append(f"<mrow><mfrac>{top}{bottom}</mfrac><mrow>{self._open(e.expr, '[')}")
        self.p(e.expr)
        self.out.append(f"{self._open(e.expr, ']')}</mrow></mrow>")


def mathml_body(e, symbols: dict | None = None) -> str:
    """The one element for `e` (an Expr or a Relation), without the `<math>` around it: for
    callers that put several pieces in one formula. `symbols` maps a name to ready MathML
    (the implicit route writes its dy/dx symbol as a fraction this way)."""
    try:
        parts = (e.left, e.right) if isinstance(e, Relation) else (e,)
        if any(deeper_than(part, SHALLOW) for part in parts):
            return run_deep(lambda: MathMLPrinter(symbols).run(e))
        return MathMLPrinter(symbols).run(e)
    except RecursionError:
        raise LimitError("expression too deeply nested to print") from None


def math_element(body: str, display: bool = False) -> str:
    """`body` (MathML elements) inside one `<math>` element, a block when `display`."""
    block = ' display="block"' if display else ""
    return f'<math xmlns="{MATHML_NS}"{block}>{body}</math>'


def to_mathml(expr: Expr | str, display: bool = False, *, symbols: dict | None = None) -> str:
    """`<math xmlns="http://www.w3.org/1998/Math/MathML">...</math>` for an expression (a
    string is read first, calculator syntax or LaTeX), `display="block"` when `display`."""
    if isinstance(expr, str):
        from ..language import parse
        expr = parse(expr)
    return math_element(mathml_body(expr, symbols), display)
