"""The printers' common ground: one PRECEDENCE table, one `parenthesize`, and the text printer.

Why here: every notation inherits the bracket rules from `TextPrinter`, so a child that binds
looser than its context is bracketed the same way in calculator text, LaTeX, SymPy code and
Unicode; the other printers override only what looks different. Printers never do maths: the
only thing computed is how a number is written (`0.25`, `1/3`).
"""
from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction

from ..expr import LEAVES, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym
from ..errors import TutorError
from ..vocabulary import GREEK


#: Binding strength, loosest first. "Mul" is an explicit `*` chain, "Implicit" a juxtaposed one.
#: "Derivative" is `d/dx[u]`: a factor as it is, bracketed as a base or a denominator.
PRECEDENCE = {"Add": 10, "Mul": 20, "Div": 20, "Neg": 30, "Implicit": 40, "Derivative": 45,
              "Pow": 50, "Atom": 60}
ADD, MUL, NEG, IMPLICIT, DERIVATIVE, POW, ATOM = (PRECEDENCE[k] for k in (
    "Add", "Mul", "Neg", "Implicit", "Derivative", "Pow", "Atom"))

RELATIONS_LATEX = {">": ">", ">=": r"\geq", "<": "<", "<=": r"\leq", "!=": r"\neq", "=": "="}


@dataclass(frozen=True, slots=True)
class Relation:
    """`u >= 0`, `ln(y) = x ln(x)`: two expressions and a relation, for the maths inside prose
    (a steps.Note) and a formula's condition. Every printer prints it; it is not an expression
    node, so no rule, simplifier or evaluator ever meets one."""
    left: Expr
    op: str          # "=", "!=", "<", "<=", ">", ">="
    right: Expr


def decimal_text(v: Fraction) -> str | None:
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


def is_fraction(e: Expr) -> bool:
    return isinstance(e, Num) and e.value.denominator != 1


def _written_fraction(e: Expr) -> bool:
    """1/2 as a numeral or as the quotient of two numerals: bracketed on top of a fraction
    bar, `(1/2)/sqrt(3/4)`, which `1/2/sqrt(3/4)` only reads as by the left-to-right rule."""
    return is_fraction(e) or (isinstance(e, Div) and isinstance(e.num, Num) and isinstance(e.den, Num))


def is_negative(e: Expr) -> bool:
    return isinstance(e, Num) and e.value.numerator < 0


#: The print memo of the current `shared_prints()` scope: printer class -> {id(node): (node,
#: pieces)}, or None outside any scope. A ContextVar, so threads and concurrent requests never
#: see each other's (a big-stack worker thread of `_deep` starts with none: it just prints).
_PRINTS: ContextVar[dict | None] = ContextVar("tutor_prints", default=None)
#: Bounds of one scope's memo: nodes remembered per printer class, and the pieces one node's
#: output may have to be remembered (a deep chain would otherwise store quadratic text).
PRINT_MEMO_NODES = 20_000
PRINT_MEMO_PIECES = 256


@contextmanager
def shared_prints():
    """Within this scope the printers remember what each node printed as, by node identity,
    so the lines of one worked solution, which share most subtrees (each line is the last
    with one hole filled or one pass applied), print a shared subtree once. Sound because a
    printer's output for a node depends only on the node and the printer class (the parent
    decides the brackets around it; `_head`/`_lead` read the same pieces back), and the memo
    keeps each node alive beside its id. Dropped when the scope ends; nested scopes share
    the outer memo."""
    if _PRINTS.get() is not None:
        yield
        return
    token = _PRINTS.set({})
    try:
        yield
    finally:
        _PRINTS.reset(token)


def scope_table(name: str) -> dict | None:
    """The current `shared_prints` scope's table `name` (made empty on first use), or None
    outside a scope: for other pure functions of what is printed (render.layout's widths) to
    remember their results for exactly as long as the printers do."""
    scope = _PRINTS.get()
    return None if scope is None else scope.setdefault(name, {})


#: the precedence of each node class whose precedence is its class's alone (a numeral's
#: depends on its value, a product's on its factors; the rest are atoms)
_PRECS = {Add: ADD, Div: MUL, Neg: NEG, Pow: POW, Derivative: DERIVATIVE}
#: a printer's room when no caller bounds it (`TextPrinter.bounded`)
UNBOUNDED = sys.maxsize
#: each node class's print method, by class (saves building the name at every node)
_METHOD_NAMES = {cls: "_print_" + cls.__name__ for cls in
                 (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym, Relation)}


class TooDeep(Exception):
    """A bounded printer (`TextPrinter.bounded`) met a tree deeper than its bound: the
    caller prints it again on a big stack (printing._run). Never reaches a user."""


class TextPrinter:
    """Calculator syntax: plain ASCII the calc parser reads back to the same tree."""

    LP, RP = "(", ")"
    NESTED: tuple | None = ("[", "]")  # the outer of two brackets that would open together
    STAR = "*"
    RELATIONS: dict = {}  # how a relation is written, where it differs from the calculator's
    #: whether output is a function of the node and the class alone (the print memo may be used)
    MEMO = True

    def __init__(self) -> None:
        self.out: list[str] = []
        scope = _PRINTS.get() if self.MEMO else None
        self.memo: dict | None = None if scope is None else scope.setdefault(type(self), {})
        #: levels this printer may still recurse (`p` within `p`) before it stops with
        #: TooDeep; unbounded unless the caller bounds it (printing._run, see `bounded`)
        self.room = UNBOUNDED

    def run(self, e: Expr) -> str:
        self.p(e)
        return "".join(self.out)

    def bounded(self, levels: int) -> "TextPrinter":
        """This printer, stopping with TooDeep rather than recurse more than `levels` levels:
        so a caller can print on its own stack and move to a big one only when a tree turns
        out deep, instead of measuring every tree's depth first (printing._run)."""
        self.room = levels
        return self

    def p(self, e: Expr) -> None:
        memo = self.memo
        if memo is not None:
            hit = memo.get(id(e))
            if hit is not None:  # no recursion: a remembered subtree costs no stack
                self.out.extend(hit[1])
                return
            start = len(self.out)
        method = getattr(self, _METHOD_NAMES.get(type(e)) or "_print_" + type(e).__name__, None)
        if method is None:
            raise TutorError(f"cannot print {type(e).__name__!s}: not an expression node",
                             code="print")
        room = self.room
        if room <= 0:
            raise TooDeep
        self.room = room - 1
        method(e)
        self.room = room
        if memo is not None and type(e) not in LEAVES and len(self.out) - start <= PRINT_MEMO_PIECES \
                and len(memo) < PRINT_MEMO_NODES:  # (a leaf prints as fast as it is looked up)
            memo[id(e)] = (e, tuple(self.out[start:]))

    def parenthesize(self, e: Expr, level: int, strict: bool = False) -> None:
        """Print `e`, bracketed when it binds looser than `level` (or as loosely, if strict)."""
        p = self.prec(e)
        self._wrap(e, p < level or (strict and p == level))

    def _wrap(self, e: Expr, parens: bool) -> None:
        """Print `e`, bracketed if `parens`: for the few contexts no single level describes."""
        if parens:
            self._enclose(e, self.LP, self.RP)
        else:
            self.p(e)

    def _enclose(self, e: Expr, lp: str, rp: str) -> None:
        """`lp e rp`, where a bracket that would open right inside another becomes the
        textbook's outer bracket: `[(x + 1)/(x - 1)]^2`, `sqrt[(1 + x)/(1 - x)]`, never `((`.
        Why here: this is the one place every bracket of every notation is written, so the
        choice is the same everywhere (the parsers read `[ ]` as grouping)."""
        slot = len(self.out)
        self.out.append(lp)
        self.p(e)
        if self.NESTED and lp == self.LP and self._head(slot + 1, len(lp)) == lp:
            lp, rp = self.NESTED
        self.out[slot] = lp
        self.out.append(rp)

    # ------------------------------------------------------------ precedence
    def prec(self, e: Expr) -> int:
        """How tightly `e` binds as printed. By exact class (the node classes have no
        subclasses): it is asked of nearly every node of every line, twice."""
        t = type(e)
        if t is Num:
            v = e.value  # (int comparisons: a Fraction's are slow)
            return NEG if v.numerator < 0 else MUL if v.denominator != 1 else ATOM  # p/q
        if t is Mul:
            return MUL if self._starred(e.factors) else IMPLICIT
        return _PRECS.get(t, ATOM)

    def _leads_with_digit(self, f: Expr) -> bool:
        """Whether factor `f`, printed inside a product, starts with a digit (then the
        separator before it must be `*`: `x*2`, `x*2^y`)."""
        t = type(f)  # (by exact class: asked of every factor each time a precedence is)
        if t is Num:
            return f.value.numerator >= 0 and self.prec(f) == ATOM
        if t is Pow and type(f.base) is Num:
            v = f.base.value
            return v.numerator >= 0 and v.denominator == 1
        return False

    def _starred(self, factors: tuple) -> bool:
        for f in factors[1:]:
            if self._leads_with_digit(f):
                return True
        return False

    # ------------------------------------------------------------ atoms
    def _print_Num(self, e: Num) -> None:
        v = e.value
        if v.numerator < 0:
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
            negated = t.arg if isinstance(t, Neg) else Num(-t.value) if is_negative(t) else None
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

    def _head(self, start: int, n: int) -> str:
        """The first `n` characters written from out[start] on."""
        got = ""
        for piece in self.out[start:]:
            got += piece
            if len(got) >= n:
                break
        return got[:n]

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
            if isinstance(head, Sym) and _multi_letter(head.name):
                return " "  # `2 rate t`: the number stays off a declared word
            if re.match(r"[eE][0-9+\-.]", lead):  # keep `2 e1` away from scientific notation
                return " "
            return ""
        return " "

    def _print_Div(self, e: Div) -> None:
        n, d = e.num, e.den
        p = self.prec(n)  # a sign, a `*` chain or a fraction on top is bracketed: (-a)/b, (2*x)/y, (1/2)/y
        self._wrap(n, p < MUL or p == NEG or (p == MUL and isinstance(n, Mul)) or _written_fraction(n))
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
                self.out.append(f"log{v.numerator}")
                self._enclose(a, self.LP, self.RP)
            case Call("log", (a, Num(v) | Sym(v) as base)) if isinstance(v, str) or v.denominator == 1:
                self.out.append("log_")  # log_4(z), log_b(x): as textbooks write the base
                self.p(base)
                self._enclose(a, self.LP, self.RP)
            case Call(func, (a,)):
                self.out.append(func)
                self._enclose(a, self.LP, self.RP)
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


def _multi_letter(name: str) -> bool:
    """A declared word (`rate`), not one letter with digits or a subscript (`w1`, `x_1`) nor a
    Greek letter's name (`2theta` is as a teacher writes it)."""
    base = name.split("_", 1)[0].rstrip("0123456789")
    return len(base) > 1 and base not in GREEK
