"""Expression printers: calculator text, LaTeX, SymPy code, an indented tree dump.

Why one module: every notation shares one PRECEDENCE table and one `parenthesize(e, level,
strict)` (bracket a child that binds looser than its context needs), so the rules for
brackets live in one place. Each printer dispatches on the node class (`_print_Add`,
`_print_Pow`, ...) the way SymPy's `Printer` and CPython's `ast.NodeVisitor` do; the LaTeX
printer overrides only what looks different. Printers never do maths: the only thing computed is how a number is
written (`0.25`, `1/3`, `\\frac{1}{3}`, `Rational(1, 3)`).

Rules' general formulas print through the same printers, derivatives written as primes
(`formula_text`: `(u v)' = u' v + u v'`); `Relation` is the `u >= 0` of prose and conditions.

Printers write pieces into one list and join once at the end, so output is linear in the
size of the tree even for a 10,000-term sum or a 10,000-level nesting. They recurse once
per level: a deep tree is printed on the big stack of `tutor._deep.run_deep` (done here,
automatically, when the tree is deeper than `_deep.SHALLOW`). Each call makes its own printer
object, and every table here is built at import and only read after, so printing is safe on
any number of threads.

Calculator precedence, loosest first (the parser reads the same table):
    Add < explicit Mul (`*`) and Div (`/`) < Neg < implicit Mul (juxtaposition) < Pow < atom
A product is written implicitly (`2x`, `x y`, `(x + 1)(x - 1)`) unless one of its later
factors starts with a digit; then every factor is joined with `*` (`x*2*y`) so the whole
product stays one explicit chain when read back.
"""
from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from fractions import Fraction

from ._deep import SHALLOW, run_deep
from .errors import LimitError, TutorError
from .vocabulary import FUNCTIONS, GREEK
from .expr import (Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym,
                   children, deeper_than)

__all__ = ["to_text", "to_latex", "to_sympy", "to_unicode", "to_tree", "expr_json", "formula_text",
           "formula_latex", "Relation", "PRECEDENCE"]

#: Binding strength, loosest first. "Mul" is an explicit `*` chain, "Implicit" a juxtaposed one.
#: "Derivative" is `d/dx[u]`: a factor as it is, bracketed as a base or a denominator.
PRECEDENCE = {"Add": 10, "Mul": 20, "Div": 20, "Neg": 30, "Implicit": 40, "Derivative": 45,
              "Pow": 50, "Atom": 60}
ADD, MUL, NEG, IMPLICIT, DERIVATIVE, POW, ATOM = (PRECEDENCE[k] for k in (
    "Add", "Mul", "Neg", "Implicit", "Derivative", "Pow", "Atom"))

_RELATIONS_LATEX = {">": ">", ">=": r"\geq", "<": "<", "<=": r"\leq", "!=": r"\neq", "=": "="}


@dataclass(frozen=True, slots=True)
class Relation:
    """`u >= 0`, `ln(y) = x ln(x)`: two expressions and a relation, for the maths inside prose
    (a steps.Note) and a formula's condition. Every printer prints it; it is not an expression
    node, so no rule, simplifier or evaluator ever meets one."""
    left: Expr
    op: str          # "=", "!=", "<", "<=", ">", ">="
    right: Expr


def _decimal(v: Fraction) -> str | None:
    """`0.25` for 1/4: a terminating decimal when the denominator has only 2s and 5s."""
    d, twos, fives = v.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return None
    k = max(twos, fives)
    digits = str(abs(v.numerator) * 10 ** k // v.denominator).rjust(k + 1, "0")
    return digits[:-k] + "." + digits[-k:]


def _is_fraction(e: Expr) -> bool:
    return isinstance(e, Num) and e.value.denominator != 1


def _is_negative(e: Expr) -> bool:
    return isinstance(e, Num) and e.value < 0


class _Printer:
    """Calculator syntax: plain ASCII the calc parser reads back to the same tree."""

    LP, RP = "(", ")"
    STAR = "*"
    RELATIONS: dict = {}  # how a relation is written, where it differs from the calculator's

    def __init__(self) -> None:
        self.out: list[str] = []

    def run(self, e: Expr) -> str:
        self.p(e)
        return "".join(self.out)

    def p(self, e: Expr) -> None:
        method = getattr(self, "_print_" + type(e).__name__, None)
        if method is None:
            raise TutorError(f"cannot print {type(e).__name__!s}: not an expression node",
                             code="print")
        method(e)

    def parenthesize(self, e: Expr, level: int, strict: bool = False) -> None:
        """Print `e`, bracketed when it binds looser than `level` (or as loosely, if strict)."""
        p = self.prec(e)
        self._wrap(e, p < level or (strict and p == level))

    def _wrap(self, e: Expr, parens: bool) -> None:
        """Print `e`, bracketed if `parens`: for the few contexts no single level describes."""
        if parens:
            self.out.append(self.LP)
            self.p(e)
            self.out.append(self.RP)
        else:
            self.p(e)

    # ------------------------------------------------------------ precedence
    def prec(self, e: Expr) -> int:
        match e:
            case Num(v) if v < 0:
                return NEG
            case Num(v) if v.denominator != 1:
                return MUL  # written p/q
            case Add():
                return ADD
            case Div():
                return MUL
            case Neg():
                return NEG
            case Mul(fs):
                return MUL if self._starred(fs) else IMPLICIT
            case Pow():
                return POW
            case Derivative():
                return DERIVATIVE
        return ATOM

    def _leads_with_digit(self, f: Expr) -> bool:
        """Whether factor `f`, printed inside a product, starts with a digit (then the
        separator before it must be `*`: `x*2`, `x*2^y`)."""
        match f:
            case Num(v):
                return v >= 0 and self.prec(f) == ATOM
            case Pow(Num(v), _):
                return v >= 0 and v.denominator == 1
        return False

    def _starred(self, factors: tuple) -> bool:
        return any(self._leads_with_digit(f) for f in factors[1:])

    # ------------------------------------------------------------ atoms
    def _print_Num(self, e: Num) -> None:
        v = e.value
        if v < 0:
            return self._print_Neg(Neg(Num(-v)))
        if v.denominator == 1:
            self.out.append(str(v.numerator))
        else:
            # p/q, never a decimal: 0.25 was read as exactly 1/4 and answer keys write 1/4
            self.out.append(f"{v.numerator}/{v.denominator}")

    def _print_Sym(self, e: Sym) -> None:
        self.out.append(e.name)

    def _print_Const(self, e: Const) -> None:
        self.out.append(e.name)

    # ------------------------------------------------------------ operators
    def _print_Add(self, e: Add) -> None:
        if not e.terms:
            self.out.append("0")
            return
        for i, t in enumerate(e.terms):
            negated = t.arg if isinstance(t, Neg) else Num(-t.value) if _is_negative(t) else None
            if i == 0:
                self.parenthesize(t, ADD, strict=True)
            elif negated is not None:
                self.out.append(" - ")
                self._wrap(negated, self.prec(negated) in (ADD, NEG))  # a - (b + c), a - (-b)
            else:
                self.out.append(" + ")
                self.parenthesize(t, ADD, strict=True)

    def _factor_parens(self, f: Expr, starred: bool) -> bool:
        """A factor is bracketed when it binds looser than juxtaposition, or is itself a
        product that juxtaposition would merge into ours (`(a b) c`)."""
        p = self.prec(f)
        return p < IMPLICIT or (not starred and p == IMPLICIT)

    def _print_Mul(self, e: Mul) -> None:
        if not e.factors:
            self.out.append("1")
            return
        starred = self._starred(e.factors)
        prev, prev_parens = None, False
        for f in e.factors:
            parens = self._factor_parens(f, starred)
            if prev is not None:
                slot = len(self.out)
                self.out.append("")
                self._wrap(f, parens)
                self.out[slot] = self.STAR if starred else self._gap(prev, prev_parens, f, parens,
                                                                     self._lead(slot + 1))
            else:
                self._wrap(f, parens)
            prev, prev_parens = f, parens

    def _lead(self, start: int) -> str:
        """The first characters written from out[start]. The separator goes into a slot
        reserved before the factor and is filled in after it, so nothing is re-joined."""
        for piece in self.out[start:start + 8]:
            if piece:
                return piece[:2]
        return ""

    def _gap(self, prev: Expr, prev_parens: bool, f: Expr, parens: bool, lead: str) -> str:
        """What a teacher writes between two implicit factors: `2x`, `2(x + 1)`,
        `(x + 1)(x - 1)`, `2 sin(x)`, `x y`, `x (-2)`."""
        if parens:
            return "" if prev_parens or isinstance(prev, Num) else " "
        if isinstance(prev, Num) and not prev_parens:
            head = f.base if isinstance(f, Pow) else f
            if isinstance(head, (Call, Indicator, Derivative)) or not lead[:1].isalpha():
                return " "
            if re.match(r"[eE][0-9+\-.]", lead):  # keep `2 e1` away from scientific notation
                return " "
            return ""
        return " "

    def _print_Div(self, e: Div) -> None:
        n, d = e.num, e.den
        p = self.prec(n)  # a sign or a `*` chain on top is bracketed: (-a)/b, (2*x)/y
        self._wrap(n, p < MUL or p == NEG or (p == MUL and isinstance(n, Mul)))
        self.out.append("/")
        self.parenthesize(d, POW)

    def _print_Pow(self, e: Pow) -> None:
        b, x = e.base, e.exp
        self.parenthesize(b, POW, strict=True)
        self.out.append("^")
        if isinstance(x, Num) and x.value.denominator != 1:
            # x^(3/2), as answer keys write it, not x^1.5 (reads back as the quotient 3/2)
            v = x.value
            self.out.append(f"({'-' if v < 0 else ''}{abs(v.numerator)}/{v.denominator})")
            return
        bare = (isinstance(x, (Sym, Const)) or (isinstance(x, Num) and self.prec(x) == ATOM))
        self._wrap(x, not bare)

    def _print_Neg(self, e: Neg) -> None:
        # A leading minus signs a whole `*`/`/` chain (`-2/w^3` reads as -(2/w^3)), so only
        # sums and nested minus signs need brackets.
        self.out.append("-")
        p = self.prec(e.arg)
        self._wrap(e.arg, p < MUL or p == NEG)

    # ------------------------------------------------------------ calls and the rest
    def _args(self, args: tuple) -> None:
        for i, a in enumerate(args):
            if i:
                self.out.append(", ")
            self.p(a)

    def _print_Call(self, e: Call) -> None:
        match e:
            case Call("abs", (a,)):
                self.out.append("|")
                self.p(a)
                self.out.append("|")
            case Call("log", (a, Num(v))) if v in (10, 2):
                self.out.append(f"log{v.numerator}(")
                self.p(a)
                self.out.append(")")
            case Call("log", (a, Num(v) | Sym(v) as base)) if isinstance(v, str) or v.denominator == 1:
                self.out.append("log_")  # log_4(z), log_b(x): as textbooks write the base
                self.p(base)
                self.out.append("(")
                self.p(a)
                self.out.append(")")
            case Call(func, args):
                self.out.append(func + "(")
                self._args(args)
                self.out.append(")")

    def _print_Indicator(self, e: Indicator) -> None:
        self.out.append("[")
        self.p(e.left)
        self.out.append(f" {e.op} ")
        self.p(e.right)
        self.out.append("]")

    def _print_Relation(self, e: Relation) -> None:
        self.p(e.left)
        self.out.append(f" {self.RELATIONS.get(e.op, e.op)} ")
        self.p(e.right)

    def _print_Derivative(self, e: Derivative) -> None:
        self.out.append(f"d/d{e.var}[" if e.order == 1 else f"d^{e.order}/d{e.var}^{e.order}[")
        self.p(e.expr)
        self.out.append("]")


# ====================================================================== LaTeX

#: LaTeX commands for Greek letters (and their variants), from the vocabulary
_GREEK = frozenset([g.latex[1:] for g in GREEK.values() if g.latex]
                   + [v for g in GREEK.values() for v in g.variants])
_LATEX_FUNCS = {f.name: f.latex for f in FUNCTIONS.values() if f.family != "root" and f.name != "abs"}
_POWER_FORM = frozenset(f.name for f in FUNCTIONS.values() if f.power_form)  # \sin^{2}(x)


def latex_name(name: str) -> str:
    """`w1` -> `w_{1}`, `x_a` -> `x_{a}`, `theta1` -> `\\theta_{1}`, `rate` -> `\\mathit{rate}`."""
    base, sub = name, ""
    if "_" in name:
        base, sub = name.split("_", 1)
    else:
        m = re.fullmatch(r"(.*?[^\d])(\d+)", name)
        if m:
            base, sub = m.group(1), m.group(2)
    if base in _GREEK:
        head = "\\" + base
    elif len(base) == 1:
        head = base
    else:
        head = r"\mathit{" + base.replace("_", r"\_") + "}"
    return head + (f"_{{{sub.replace('_', chr(92) + '_')}}}" if sub else "")


class _LatexPrinter(_Printer):
    """KaTeX/MathJax LaTeX (amsmath only) that the LaTeX parser reads back."""

    LP, RP = r"\left(", r"\right)"
    STAR = r" \cdot "
    RELATIONS = _RELATIONS_LATEX

    def _print_Neg(self, e: Neg) -> None:  # LaTeX input keeps unary minus above \cdot
        self.out.append("-")
        self.parenthesize(e.arg, NEG, strict=True)

    def prec(self, e: Expr) -> int:
        match e:
            case Num(v) if v >= 0:
                return ATOM  # an integer or \frac{p}{q}
            case Div():
                return ATOM  # \frac braces group it
        return super().prec(e)

    def _leads_with_digit(self, f: Expr) -> bool:
        match f:
            case Num(v):
                return v >= 0  # an integer, or \frac{p}{q}: `2 \frac{1}{4}` would read as 2 1/4
            case Pow(Num(v), _):
                return v >= 0 and v.denominator == 1
            case Div():
                return True
        return False

    def _gap(self, prev, prev_parens, f, parens, lead) -> str:
        return " "

    def _print_Num(self, e: Num) -> None:
        v = e.value
        if v < 0:
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
        match b, x:
            case Call(f, (a,)), Num(v) if f in _POWER_FORM and v.denominator == 1 and v > 0:
                self.out.append(f"\\{f}^{{{v.numerator}}}")
                self._wrap(a, True)
                return
        # \sin\left(x\right)^{2} and \frac{1}{2}^{x} would misread: a call or a fraction too
        self._wrap(b, self.prec(b) <= POW or isinstance(b, (Call, Div)) or _is_fraction(b))
        self._braced("^{", x)

    def _print_Call(self, e: Call) -> None:
        match e:
            case Call("sqrt", (a,)):
                self._braced(r"\sqrt{", a)
            case Call("cbrt", (a,)):
                self._braced(r"\sqrt[3]{", a)
            case Call("root", (a, n)):
                self._braced(r"\sqrt[", n, "]")
                self._braced("{", a)
            case Call("abs", (a,)):
                self._braced(r"\left|", a, r"\right|")
            case Call("log", (a, b)):
                self._braced(r"\log_{", b)
                self._wrap(a, True)
            case Call(func, args):
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


# ====================================================================== SymPy code

#: Names `sympy.parse_expr` would not read as a plain Symbol (checked against SymPy in tests).
_SYMPY_TAKEN = frozenset({"E", "I", "N", "O", "Q", "S", "E1", "n_order", "beta", "gamma", "zeta",
                          "lambda", "pi", "Lambda", "Chi"})
_SYMPY_FUNCS = {f.name: f.sympy for f in FUNCTIONS.values() if f.sympy}


def sympy_name(name: str) -> str:
    """`x`, `w1`, `x_a`, `theta` as they are; anything SymPy might read otherwise
    (`gamma`, `E`, `rate`, keywords) as `Symbol('gamma')`."""
    plain = (re.fullmatch(r"[A-Za-z]\d*|[A-Za-z]_[A-Za-z0-9]+", name)
             or name.rstrip("0123456789") in _GREEK)
    if plain and name not in _SYMPY_TAKEN and not keyword.iskeyword(name):
        return name
    return f"Symbol({name!r})"


class _SympyPrinter(_Printer):
    """Python/SymPy code: `2*x`, `x**2`, `Rational(1, 3)`, `Heaviside(x - 1, 0)`."""

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


# ====================================================================== Unicode

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


class _UnicodePrinter(_Printer):
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


# ====================================================================== rules' formulas

class _PrimeText(_Printer):
    """A rule's general formula in calculator text, derivatives as primes: `u'`, `(u v)'`."""

    def _print_Derivative(self, e: Derivative) -> None:
        self._wrap(e.expr, not isinstance(e.expr, (Sym, Indicator)))
        self.out.append("'")


class _PrimeLatex(_LatexPrinter):
    """The same in LaTeX; a placeholder function (`f`, `f'`) is written as a plain letter."""

    def _print_Derivative(self, e: Derivative) -> None:
        _PrimeText._print_Derivative(self, e)

    def _print_Call(self, e: Call) -> None:
        if e.func in FUNCTIONS:
            return super()._print_Call(e)
        self.out.append(e.func + self.LP)
        self._args(e.args)
        self.out.append(self.RP)


def formula_text(lhs: Expr, rhs: Expr, where: Relation | None = None) -> str:
    """`(u v)' = u' v + u v'`; `where` adds the condition it holds under."""
    out = f"{_run(_PrimeText, lhs)} = {_run(_PrimeText, rhs)}"
    return out + f" (where {to_text(where)})" if where is not None else out


def formula_latex(lhs: Expr, rhs: Expr, where: Relation | None = None) -> str:
    """The same formula in LaTeX: `\\left(u v\\right)' = u' v + u v'`."""
    out = f"{_run(_PrimeLatex, lhs)} = {_run(_PrimeLatex, rhs)}"
    return out + f" \\quad \\left({to_latex(where)}\\right)" if where is not None else out


# ====================================================================== tree dump

def _tree(e: Expr) -> str:
    """One node per line, two spaces per level; iterative, so no stack is needed."""
    lines: list[str] = []
    stack: list[tuple[Expr, int]] = [(e, 0)]
    while stack:
        node, level = stack.pop()
        match node:
            case Num(v):
                label = f"Num {v}"
            case Sym(name) | Const(name):
                label = f"{type(node).__name__} {name}"
            case Call(func, _):
                label = f"Call {func}"
            case Indicator(_, op, _):
                label = f"Indicator {op}"
            case Derivative(_, var, order, partial):
                label = f"Derivative {var} order={order}" + (" partial" if partial else "")
            case Add() | Mul() | Div() | Pow() | Neg():
                label = type(node).__name__
            case _:
                raise TutorError(f"cannot print {type(node).__name__}: not an expression node",
                                 code="print")
        lines.append("  " * level + label)
        stack.extend((c, level + 1) for c in reversed(children(node)))
    return "\n".join(lines)


# ====================================================================== public API

def _run(printer: type[_Printer], e: Expr) -> str:
    try:
        if any(deeper_than(part, SHALLOW) for part in
               ((e.left, e.right) if isinstance(e, Relation) else (e,))):
            return run_deep(lambda: printer().run(e))
        return printer().run(e)
    except RecursionError:
        raise LimitError("expression too deeply nested to print") from None


def to_text(e: Expr) -> str:
    """Calculator syntax with minimal brackets and implicit products: `3x^2 + 2 sin(x)`."""
    return _run(_Printer, e)


def to_latex(e: Expr) -> str:
    """LaTeX for KaTeX/MathJax: `3 x^{2} + 2 \\sin\\left(x\\right)`."""
    return _run(_LatexPrinter, e)


def to_sympy(e: Expr) -> str:
    """Code `sympy.parse_expr` reads to the same expression: `3*x**2 + 2*sin(x)`."""
    return _run(_SympyPrinter, e)


def to_unicode(e: Expr) -> str:
    """For terminals: `3x² + 2 sin(θ₁)`, `√(x)`, `x·2`, `∂/∂x[x y]`. Mostly re-parseable
    by the calc parser, but meant for eyes: `to_text` is the canonical form."""
    return _run(_UnicodePrinter, e)


def to_tree(e: Expr) -> str:
    """The tree as parsed, one node per line (`Add`, `  Mul`, `    Num 2`, ...)."""
    return _tree(e)


def expr_json(e: Expr) -> dict:
    """The three notations at once, for JSON output."""
    return {"text": to_text(e), "latex": to_latex(e), "sympy": to_sympy(e)}
