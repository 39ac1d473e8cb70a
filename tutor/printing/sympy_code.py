"""SymPy code: what `sympy.parse_expr` reads back as the same expression (tests use it as the oracle's input)."""
from __future__ import annotations

import keyword
import re

from ..expr import Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym
from ..vocabulary import FUNCTIONS
from .base import ADD, MUL, NEG, POW, ATOM, TextPrinter
from .latex import LATEX_GREEK_NAMES


#: Names `sympy.parse_expr` would not read as a plain Symbol (checked against SymPy in tests).
_SYMPY_TAKEN = frozenset({"E", "I", "N", "O", "Q", "S", "E1", "n_order", "beta", "gamma", "zeta",
                          "lambda", "pi", "Lambda", "Chi"})
_SYMPY_FUNCS = {f.name: f.sympy for f in FUNCTIONS.values() if f.sympy}


def sympy_name(name: str) -> str:
    """`x`, `w1`, `x_a`, `theta` as they are; anything SymPy might read otherwise
    (`gamma`, `E`, `rate`, keywords) as `Symbol('gamma')`."""
    plain = (re.fullmatch(r"[A-Za-z]\d*|[A-Za-z]_[A-Za-z0-9]+", name)
             or name.rstrip("0123456789") in LATEX_GREEK_NAMES)
    if plain and name not in _SYMPY_TAKEN and not keyword.iskeyword(name):
        return name
    return f"Symbol({name!r})"


class SympyPrinter(TextPrinter):
    """Python/SymPy code: `2*x`, `x**2`, `Rational(1, 3)`, `Heaviside(x - 1, 0)`."""

    NESTED = None  # `[...]` is a list in Python: brackets stay round

    def _print_Neg(self, e: Neg) -> None:  # Python's unary minus binds tighter than * and /
        self.out.append("-")
        self.parenthesize(e.arg, NEG, strict=True)

    def prec(self, e: Expr) -> int:
        match e:
            case Num(v) if v < 0:
                return NEG
            case Add():
                return ADD
            case Mul() | Div():
                return MUL
            case Neg():
                return NEG
            case Pow():
                return POW
        return ATOM

    def _print_Num(self, e: Num) -> None:
        v = e.value
        if v < 0:
            return self._print_Neg(Neg(Num(-v)))
        self.out.append(str(v.numerator) if v.denominator == 1
                        else f"Rational({v.numerator}, {v.denominator})")

    def _print_Sym(self, e: Sym) -> None:
        self.out.append(sympy_name(e.name))

    def _print_Const(self, e: Const) -> None:
        self.out.append("E" if e.name == "e" else e.name)

    def _print_Mul(self, e: Mul) -> None:
        if not e.factors:
            self.out.append("1")
        for i, f in enumerate(e.factors):
            if i:
                self.out.append("*")
            self.parenthesize(f, NEG, strict=True)

    def _print_Div(self, e: Div) -> None:
        self.parenthesize(e.num, MUL)
        self.out.append("/")
        self.parenthesize(e.den, NEG, strict=True)

    def _print_Pow(self, e: Pow) -> None:
        self.parenthesize(e.base, POW, strict=True)
        self.out.append("**")
        self.parenthesize(e.exp, ATOM)

    def _print_Call(self, e: Call) -> None:
        match e:
            case Call("relu", (a,)):
                self.out.append("Max(0, ")
                self.p(a)
                self.out.append(")")
            case Call(func, args):
                self.out.append(_SYMPY_FUNCS.get(func, func) + "(")
                self._args(args)
                self.out.append(")")

    def _print_Indicator(self, e: Indicator) -> None:
        """[u > v] is Heaviside(u - v, 0): 0 at the jump; `>=` takes 1 there."""
        strict = e.op in (">", "<")
        u, v = (e.left, e.right) if e.op in (">", ">=") else (e.right, e.left)
        self.out.append("Heaviside(")
        self.p(Add((u, Neg(v))))
        self.out.append(", 0)" if strict else ", 1)")

    def _print_Derivative(self, e: Derivative) -> None:
        self.out.append("Derivative(")
        self.p(e.expr)
        self.out.append(f", ({sympy_name(e.var)}, {e.order}))")
