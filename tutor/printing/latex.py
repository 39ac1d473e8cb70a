"""LaTeX: the text printer's brackets and order, with LaTeX's own spellings (from the vocabulary)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..expr import Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym
from ..vocabulary import FUNCTIONS, GREEK
from .base import NEG, POW, ATOM, RELATIONS_LATEX, is_fraction, TextPrinter


#: LaTeX commands for Greek letters (and their variants), from the vocabulary
LATEX_GREEK_NAMES = frozenset([g.latex[1:] for g in GREEK.values() if g.latex]
                   + [v for g in GREEK.values() for v in g.variants])
_LATEX_FUNCS = {f.name: f.latex for f in FUNCTIONS.values() if f.family != "root" and f.name != "abs"}
_POWER_FORM = frozenset(f.name for f in FUNCTIONS.values() if f.power_form)  # \sin^{2}(x)
#: one-argument calls written around their argument: (before it, after it)
_ONE_ARGUMENT = {"sqrt": (r"\sqrt{", "}"), "cbrt": (r"\sqrt[3]{", "}"), "abs": (r"\left|", r"\right|")}


#: names whose LaTeX is remembered (`latex_name` is pure, so the table can never change a
#: result; lru_cache keeps it bounded and coherent under threads)
NAME_MEMO = 4096


@lru_cache(maxsize=NAME_MEMO)
def latex_name(name: str) -> str:
    """`w1` -> `w_{1}`, `x_a` -> `x_{a}`, `theta1` -> `\\theta_{1}`, `rate` -> `\\mathit{rate}`.
    Remembered: every symbol of every line is written through here, by a regex."""
    base, sub = name, ""
    if "_" in name:
        base, sub = name.split("_", 1)
    else:
        m = re.fullmatch(r"(.*?[^\d])(\d+)", name)
        if m:
            base, sub = m.group(1), m.group(2)
    if base in LATEX_GREEK_NAMES:
        head = "\\" + base
    elif len(base) == 1:
        head = base
    else:
        head = r"\mathit{" + base.replace("_", r"\_") + "}"
    return head + (f"_{{{sub.replace('_', chr(92) + '_')}}}" if sub else "")


class LatexPrinter(TextPrinter):
    """KaTeX/MathJax LaTeX (amsmath only) that the LaTeX parser reads back."""

    LP, RP = r"\left(", r"\right)"
    NESTED = (r"\left[", r"\right]")
    STAR = r" \cdot "
    RELATIONS = RELATIONS_LATEX

    def _print_Neg(self, e: Neg) -> None:  # LaTeX input keeps unary minus above \cdot
        self.out.append("-")
        self.parenthesize(e.arg, NEG, strict=True)

    def prec(self, e: Expr) -> int:
        t = type(e)  # (by exact class and an int comparison: see TextPrinter.prec)
        if t is Num:
            return ATOM if e.value.numerator >= 0 else NEG  # an integer or \frac{p}{q}
        if t is Div:
            return ATOM  # \frac braces group it
        return super().prec(e)

    def _leads_with_digit(self, f: Expr) -> bool:
        match f:
            case Num(v):
                return v.numerator >= 0  # an integer, or \frac{p}{q}: `2 \frac{1}{4}` would read as 2 1/4
            case Pow(Num(v), _):
                return v.numerator >= 0 and v.denominator == 1
            case Div():
                return True
        return False

    def _starred(self, factors: tuple) -> bool:
        """Whether a later factor leads with a digit (`_leads_with_digit`, inlined: asked
        of every product each time its precedence is)."""
        for f in factors[1:]:
            t = type(f)
            if t is Num:
                if f.value.numerator >= 0:
                    return True
            elif t is Div:
                return True
            elif t is Pow and type(f.base) is Num:
                v = f.base.value
                if v.numerator >= 0 and v.denominator == 1:
                    return True
        return False

    def _gap(self, prev, prev_parens, f, parens, lead) -> str:
        return " "

    def _print_Mul(self, e: Mul) -> None:
        """The text printer's product with its one gap, " ", written directly: the text
        printer's choice of gap reads the factor's first characters, which LaTeX ignores."""
        factors = e.factors
        if not factors:
            self.out.append("1")
            return
        starred = self._starred(factors)
        gap = self.STAR if starred else " "
        for i, f in enumerate(factors):
            if i:
                self.out.append(gap)
            self._wrap(f, self._factor_parens(f, starred))

    def _print_Num(self, e: Num) -> None:
        v = e.value
        if v.numerator < 0:
            return self._print_Neg(Neg(Num(-v)))
        self.out.append(str(v.numerator) if v.denominator == 1
                        else rf"\frac{{{v.numerator}}}{{{v.denominator}}}")

    def _print_Sym(self, e: Sym) -> None:
        self.out.append(latex_name(e.name))

    def _print_Const(self, e: Const) -> None:
        self.out.append(r"\pi" if e.name == "pi" else e.name)

    def _braced(self, head: str, e: Expr, tail: str = "}") -> None:
        self.out.append(head)
        self.p(e)
        self.out.append(tail)

    def _print_Div(self, e: Div) -> None:
        self._braced(r"\frac{", e.num)
        self._braced("{", e.den)

    def _print_Pow(self, e: Pow) -> None:
        b, x = e.base, e.exp
        if type(b) is Call and type(x) is Num and len(b.args) == 1 and b.func in _POWER_FORM:
            v = x.value
            if v.denominator == 1 and v.numerator > 0:  # \sin^{2}\left(x\right)
                self.out.append(f"\\{b.func}^{{{v.numerator}}}")
                self._wrap(b.args[0], True)
                return
        # \sin\left(x\right)^{2} and \frac{1}{2}^{x} would misread: a call or a fraction too
        self._wrap(b, self.prec(b) <= POW or isinstance(b, (Call, Div)) or is_fraction(b))
        self._braced("^{", x)

    def _print_Call(self, e: Call) -> None:
        """By the number of arguments, then by name (a dict), not case by case."""
        func, args = e.func, e.args
        if len(args) == 1:
            a = args[0]
            braces = _ONE_ARGUMENT.get(func)
            if braces is not None:  # \sqrt{a}, \sqrt[3]{a}, \left|a\right|
                self._braced(braces[0], a, braces[1])
                return
            self.out.append(_LATEX_FUNCS.get(func, r"\operatorname{" + func + "}"))
            self._enclose(a, self.LP, self.RP)
            return
        if len(args) == 2 and func == "root":
            self._braced(r"\sqrt[", args[1], "]")
            self._braced("{", args[0])
            return
        if len(args) == 2 and func == "log":
            self._braced(r"\log_{", args[1])
            self._wrap(args[0], True)
            return
        name = _LATEX_FUNCS.get(func, r"\operatorname{" + func + "}")
        self.out.append(name + self.LP)
        self._args(args)
        self.out.append(self.RP)

    def _print_Indicator(self, e: Indicator) -> None:
        self.out.append(r"\left[")
        self.p(e.left)
        self.out.append(f" {self.RELATIONS.get(e.op, e.op)} ")
        self.p(e.right)
        self.out.append(r"\right]")

    def _print_Derivative(self, e: Derivative) -> None:
        d, v = (r"\partial", r"\partial " + latex_name(e.var)) if e.partial \
            else ("d", "d" + latex_name(e.var))
        if e.order == 1:
            self.out.append(rf"\frac{{{d}}}{{{v}}}\left[")
        else:
            self.out.append(rf"\frac{{{d}^{{{e.order}}}}}{{{v}^{{{e.order}}}}}\left[")
        self.p(e.expr)
        self.out.append(r"\right]")
