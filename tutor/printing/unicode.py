"""Unicode for people: `sin(x²)·eˣ`-like echoes of what a student typed (θ, w₁, ≥)."""
from __future__ import annotations

from ..expr import Call, Const, Derivative, Indicator, Neg, Num, Pow, Sym
from ..vocabulary import GREEK
from .base import POW, TextPrinter


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_GREEK_LETTERS = {g.name: g.char for g in GREEK.values()
                  if g.latex or g.name == "omicron"}
_RELATIONS_UNICODE = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "!=": "≠"}


def unicode_name(name: str) -> str:
    """`theta` -> `θ`, `w1` -> `w₁`, `theta2` -> `θ₂`; anything else as it is."""
    stem = name.rstrip("0123456789")
    digits = name[len(stem):]
    if stem in _GREEK_LETTERS or (digits and stem and "_" not in stem):
        return _GREEK_LETTERS.get(stem, stem) + digits.translate(_SUBSCRIPT)
    return name


class UnicodePrinter(TextPrinter):
    """A terminal-friendly form of the calculator syntax: `3x² + 2·θ₁`, `√(x)`, `∂/∂x[f]`."""

    STAR = "·"
    RELATIONS = _RELATIONS_UNICODE

    def _print_Sym(self, e: Sym) -> None:
        self.out.append(unicode_name(e.name))

    def _print_Const(self, e: Const) -> None:
        self.out.append("π" if e.name == "pi" else e.name)

    def _print_Pow(self, e: Pow) -> None:
        match e.exp:
            case Num(v) if v.denominator == 1:
                small = str(v.numerator)
            case Neg(Num(v)) if v.denominator == 1 and v > 0:
                small = f"-{v.numerator}"
            case _:
                return super()._print_Pow(e)
        self.parenthesize(e.base, POW, strict=True)
        self.out.append(small.translate(_SUPERSCRIPT))

    def _print_Call(self, e: Call) -> None:
        match e:
            case Call("sqrt" | "cbrt" as f, (a,)):
                self.out.append("√" if f == "sqrt" else "∛")
                self._wrap(a, True)
            case _:
                super()._print_Call(e)

    def _print_Indicator(self, e: Indicator) -> None:
        self.out.append("[")
        self.p(e.left)
        self.out.append(f" {self.RELATIONS.get(e.op, e.op)} ")
        self.p(e.right)
        self.out.append("]")

    def _print_Derivative(self, e: Derivative) -> None:
        d = "∂" if e.partial else "d"
        v = unicode_name(e.var)
        if e.order == 1:
            self.out.append(f"{d}/{d}{v}[")
        else:
            k = str(e.order).translate(_SUPERSCRIPT)
            self.out.append(f"{d}{k}/{d}{v}{k}[")
        self.p(e.expr)
        self.out.append("]")
