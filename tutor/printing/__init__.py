"""Expression printers: calculator text, LaTeX, SymPy code, an indented tree dump.

Why one package: every notation shares one PRECEDENCE table and one `parenthesize(e, level,
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
automatically: a printer stops with `TooDeep` when it would recurse past `_deep.SHALLOW`
levels, and the tree is printed again there, so no tree's depth is measured first). Each
call makes its own printer object, and every table here is built at import and only read
after (`latex_name`'s lru_cache is bounded and thread-safe), so printing is safe on any
number of threads.

Calculator precedence, loosest first (the parser reads the same table):
    Add < explicit Mul (`*`) and Div (`/`) < Neg < implicit Mul (juxtaposition) < Pow < atom
A product is written implicitly (`2x`, `x y`, `(x + 1)(x - 1)`) unless one of its later
factors starts with a digit; then every factor is joined with `*` (`x*2*y`) so the whole
product stays one explicit chain when read back.
"""
from __future__ import annotations

from .._deep import SHALLOW, run_deep
from ..expr import Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym, children
from ..vocabulary import FUNCTIONS
from ..errors import LimitError, TutorError
from .base import (PRECEDENCE, PRINT_MEMO_NODES, PRINT_MEMO_PIECES, Relation, TextPrinter, TooDeep,
                   scope_table, shared_prints)
from .latex import LatexPrinter, latex_name
from .sympy_code import SympyPrinter, sympy_name
from .unicode import UnicodePrinter, unicode_name
from .mathml import to_mathml  # MathML Core, for the HTML pages

__all__ = ["to_text", "to_latex", "to_sympy", "to_unicode", "to_tree", "expr_json", "formula_text",
           "formula_latex", "Relation", "PRECEDENCE", "latex_name", "sympy_name", "unicode_name",
           "to_mathml", "shared_prints", "scope_table", "PRINT_MEMO_NODES", "PRINT_MEMO_PIECES"]


# ====================================================================== rules' formulas

class PrimeText(TextPrinter):
    """A rule's general formula in calculator text, derivatives as primes: `u'`, `(u v)'`."""

    def _print_Derivative(self, e: Derivative) -> None:
        self._wrap(e.expr, not isinstance(e.expr, (Sym, Indicator)))
        self.out.append("'")


class PrimeLatex(LatexPrinter):
    """The same in LaTeX; a placeholder function (`f`, `f'`) is written as a plain letter."""

    def _print_Derivative(self, e: Derivative) -> None:
        PrimeText._print_Derivative(self, e)

    def _print_Call(self, e: Call) -> None:
        if e.func in FUNCTIONS:
            return super()._print_Call(e)
        self.out.append(e.func + self.LP)
        self._args(e.args)
        self.out.append(self.RP)


def formula_text(lhs: Expr, rhs: Expr, where: Relation | None = None) -> str:
    """`(u v)' = u' v + u v'`; `where` adds the condition it holds under."""
    out = f"{_run(PrimeText, lhs)} = {_run(PrimeText, rhs)}"
    return out + f" (where {to_text(where)})" if where is not None else out


def formula_latex(lhs: Expr, rhs: Expr, where: Relation | None = None) -> str:
    """The same formula in LaTeX: `\\left(u v\\right)' = u' v + u v'`."""
    out = f"{_run(PrimeLatex, lhs)} = {_run(PrimeLatex, rhs)}"
    return out + f" \\quad \\left({to_latex(where)}\\right)" if where is not None else out


# ====================================================================== tree dump

def tree_text(e: Expr) -> str:
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

def _run(printer: type[TextPrinter], e: Expr) -> str:
    """`e` printed on this thread's stack while the printer recurses at most SHALLOW levels
    (a tree up to SHALLOW deep, as `deeper_than(e, SHALLOW)` allowed before), else printed
    again from the start on the big stack of `run_deep`. Why: measuring every tree's depth
    first (a walk of it) cost as much as printing it; a subtree the print scope's memo holds
    costs no level at all. The output is the same on either stack."""
    try:
        try:
            return printer().bounded(SHALLOW + isinstance(e, Relation)).run(e)
        except TooDeep:
            return run_deep(lambda: printer().run(e))
    except RecursionError:
        raise LimitError("expression too deeply nested to print") from None


class RoundText(TextPrinter):
    """Calculator text with round brackets only, `((x + h)^2 - x^2)/h`: for a line that sits
    inside a bracket of its own (the definition route's `lim_(h->0) [...]`, as seed 003
    writes it), where the nested `[...]` would read as `[[`."""

    NESTED = None


def to_text(e: Expr, nested: bool = True) -> str:
    """Calculator syntax with minimal brackets and implicit products: `3x^2 + 2 sin(x)`; a
    bracket that would open right inside another is the outer `[...]` (`[(x + 1)/x]^2`)
    unless `nested` is False."""
    return _run(TextPrinter if nested else RoundText, e)


def to_latex(e: Expr) -> str:
    """LaTeX for KaTeX/MathJax: `3 x^{2} + 2 \\sin\\left(x\\right)`."""
    return _run(LatexPrinter, e)


def to_sympy(e: Expr) -> str:
    """Code `sympy.parse_expr` reads to the same expression: `3*x**2 + 2*sin(x)`."""
    return _run(SympyPrinter, e)


def to_unicode(e: Expr) -> str:
    """For terminals: `3x² + 2 sin(θ₁)`, `√(x)`, `x·2`, `∂/∂x[x y]`. Mostly re-parseable
    by the calc parser, but meant for eyes: `to_text` is the canonical form."""
    return _run(UnicodePrinter, e)


def to_tree(e: Expr) -> str:
    """The tree as parsed, one node per line (`Add`, `  Mul`, `    Num 2`, ...)."""
    return tree_text(e)


def expr_json(e: Expr) -> dict:
    """The three notations at once, for JSON output."""
    return {"text": to_text(e), "latex": to_latex(e), "sympy": to_sympy(e)}
