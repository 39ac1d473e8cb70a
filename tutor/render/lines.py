"""The grouped view: a worked solution at textbook granularity (`--detail normal`).

The engine records one atomic rule per step (steps.Step), and `Stage.lines()` prints one line
per step (`--detail steps`). A textbook prints fewer, fuller lines (OpenStax differentiates
(2x+1)^5 (3x-2)^7 in five), and this module derives that view from the same atomic tree,
which it never changes:

- a displayed line applies one rule to EACH derivative left pending by the line before
  (OpenStax's "Apply the chain rule" resolves both derivatives the product rule left);
- a derivative known at sight (built only from the constant, variable, sum, constant-multiple,
  power-of-the-variable and elementary-of-the-variable rules: `3x + 1`, `x^2`, `e^x`) is done
  inside the line of the rule that produced it, arithmetic-folded (`5(3x + 1)^4 3` becomes
  `15 (3x + 1)^4`), never on a line of its own;
- the sum and constant-multiple rules never take a line: the rules under them are applied in
  the same line;
- simplification takes at most MAX_SIMPLIFY_LINES lines: the first pass (usually the numbers
  multiplied out) joins the next, a pass that changes nothing shown is dropped, and a label
  names every pass it merges.

Each `Line` keeps the atomic steps it groups, so the JSON can say which steps a line holds.
Folding only regroups products and sums and does exact arithmetic on numerals, so every
displayed line stays equal to the one before (tests/test_engine.py proves it with SymPy).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from operator import is_
from typing import Iterator

from ..expr import LEAVES, Add, Const, Derivative, Expr, Mul, Neg, Num, Pow, Sym, children, num, number_of, with_children
from ..rules import Rule, rule_info
from ..steps import Stage, Step, splices

MAX_SIMPLIFY_LINES = 3

#: rules a reader does at sight (with no chain rule under them)
SIGHT_RULES = frozenset({Rule.CONSTANT, Rule.VARIABLE, Rule.SUM, Rule.NEGATION, Rule.CONSTANT_MULTIPLE,
                         Rule.CONSTANT_DIVISOR, Rule.POWER, Rule.EXP, Rule.LN, Rule.SIN, Rule.COS,
                         Rule.TAN, Rule.SEC, Rule.CSC, Rule.COT})
#: rules that never take a line of their own (term by term, constant factors)
PASS_RULES = frozenset({Rule.SUM, Rule.NEGATION, Rule.CONSTANT_MULTIPLE, Rule.CONSTANT_DIVISOR})
#: rules too plain to name in a label when a bigger rule shares the line
QUIET_RULES = PASS_RULES | {Rule.CONSTANT, Rule.VARIABLE}


@dataclass(frozen=True, slots=True)
class Line:
    """One displayed line: the expression, its label, and the atomic steps it groups
    (empty for the first line, `d/dx[f]`). `kind` is "rule" or "simplify"."""
    expr: Expr
    label: str
    steps: tuple = ()
    kind: str = "rule"


def at_sight(step: Step) -> bool:
    """Whether a reader writes this derivative down without a line of working."""
    return _sight_steps(step) is not None


def _sight_steps(step: Step) -> list | None:
    """`step` and its substeps in pre-order (steps.iter_steps) when all are sight rules,
    else None, as soon as one is not: one walk for both questions `_apply` asks."""
    out, stack = [], [step]
    while stack:
        s = stack.pop()
        if s.rule not in SIGHT_RULES:
            return None
        out.append(s)
        if s.substeps:
            stack.extend(reversed(s.substeps))
    return out


def fold(e: Expr, memo: dict | None = None) -> Expr:
    """Exact arithmetic on the numerals of a line, the pending derivatives left alone: nested
    products and sums flattened, the numbers of a product multiplied out in front, zeros of a
    sum dropped (`(5 (3x + 1)^4)(3*1 + 0)` -> `15 (3x + 1)^4`). The value never changes.
    `memo` (id(node) -> (node, folded)), shared by the lines of one derivation: they share
    most subtrees, so each is folded once and the folded lines share them too (which is what
    lets the printers' memo print a shared subtree once)."""
    if type(e) in _UNFOLDED:
        return e
    if memo is not None:
        hit = memo.get(id(e))
        if hit is not None:
            return hit[1]
    kids = children(e)
    out = _fold(e, kids, tuple([k if type(k) in _UNFOLDED else fold(k, memo) for k in kids]))
    if memo is not None:
        memo[id(e)] = (e, out)
    return out


#: what fold returns as it is: the leaves, and the pending derivatives it leaves alone
_UNFOLDED = frozenset({Num, Sym, Const, Derivative})


def _fold(e: Expr, old: tuple, kids: tuple) -> Expr:
    """`e` with its children `old` folded to `kids`, itself folded. A node whose children
    all came back as they were is returned as it is, not rebuilt equal: cheaper, and the
    lines then share it (and its print) with the lines before."""
    t = type(e)
    if t is Mul:
        return e if all(map(is_, kids, old)) and _folded_product(kids) else _fold_product(kids)
    if t is Add:
        return e if all(map(is_, kids, old)) and _folded_sum(kids) else _fold_sum(kids)
    if t is Neg:
        inner = kids[0]
        if type(inner) is Neg:
            return inner.arg
        v = _number(inner)
        return num(-v) if v is not None else e if inner is old[0] else Neg(inner)
    return e if all(map(is_, kids, old)) else with_children(e, kids)


def _folded_sum(terms: tuple) -> bool:
    """Whether `_fold_sum(terms)` is Add(terms) again: two terms or more, no sum among them,
    and at most one number, not zero and written as `num` writes it (Num(2), Neg(Num(2)))."""
    if len(terms) < 2:
        return False
    numbers = 0
    for t in terms:
        kind = type(t)
        if kind is Add:
            return False
        if kind is Num or (kind is Neg and type(t.arg) is Num):
            numbers += 1
            if numbers > 1 or (t.value if kind is Num else t.arg.value).numerator <= 0:
                return False
    return True


def _folded_product(factors: tuple) -> bool:
    """Whether `_fold_product(factors)` is Mul(factors) again: two factors or more, no
    product and no minus sign among them, a number only first (and neither 0 nor 1), and
    the factors after it in the order fold sorts them (the monomials first)."""
    if len(factors) < 2:
        return False
    first = factors[0]
    if type(first) is Num:
        v = first.value
        if v.numerator <= 0 or v == 1:
            return False
        factors = factors[1:]
    monomials = True
    for f in factors:
        kind = type(f)
        if kind is Mul or kind is Neg or kind is Num:
            return False
        if _monomial(f):
            if not monomials:
                return False
        else:
            monomials = False
    return True


def _fold_sum(kids: tuple) -> Expr:
    terms: list[Expr] = []
    total, at = None, None  # the numbers' sum (None: none yet), where the first stood
    for k in kids:
        for t in (k.terms if type(k) is Add else (k,)):
            v = _number(t)
            if v is None:
                terms.append(t)
            elif total is None:
                total, at = v, len(terms)
            else:
                total += v
    if total:
        terms.insert(at, num(total))  # where the first number stood: `1 - w2` stays
    if not terms:
        return Num(Fraction(0))
    return terms[0] if len(terms) == 1 else Add(tuple(terms))


def _fold_product(kids: tuple) -> Expr:
    factors: list[Expr] = []
    sign, numbers = 1, None  # the coefficient is sign * numbers (None: no number yet)
    work = list(reversed(kids))
    while work:
        f = work.pop()
        while type(f) is Neg and type(f.arg) is not Num:
            sign, f = -sign, f.arg
        if type(f) is Mul:
            work.extend(reversed(f.factors))
            continue
        v = _number(f)
        if v is None:
            factors.append(f)
        else:
            numbers = v if numbers is None else numbers * v
    # the coefficient, sign * numbers, read off as integers (Fraction arithmetic is slow)
    top, bottom = (sign, 1) if numbers is None else (sign * numbers.numerator, numbers.denominator)
    if len(factors) > 1:
        factors.sort(key=lambda f: not _monomial(f))  # stable: 2x cos(x^2), as a textbook writes it
    if top == 0:
        return Num(Fraction(0))
    if not factors:
        return num(Fraction(sign) if numbers is None else numbers if sign > 0 else -numbers)
    body = factors[0] if len(factors) == 1 else Mul(tuple(factors))
    if bottom != 1 or abs(top) != 1:  # (a number was met: numbers is not None)
        body = Mul((Num(abs(numbers)),) + (body.factors if isinstance(body, Mul) else (body,)))
    return Neg(body) if top < 0 else body


def _number(e: Expr) -> Fraction | None:
    """`expr.number_of` (the number a numeral `2` or `-2` is, else None), by exact class:
    fold asks it of every factor and term of every line."""
    t = type(e)
    if t is Num:
        return e.value
    if t is Neg and type(e.arg) is Num:
        return -e.arg.value
    return None


def _monomial(f: Expr) -> bool:
    """A bare variable or its numeric power, written right after the coefficient."""
    match f:
        case Sym():
            return True
        case Pow(Sym(), exp):
            return number_of(exp) is not None
    return False


def _fill(line: Expr, queue: Iterator[Expr]) -> Expr:
    """`line` with each Derivative (pre-order) replaced by the next of `queue`, spliced into its
    parent the way steps.replace_leftmost_hole splices one."""
    if type(line) is Derivative:
        return next(queue)
    kids = children(line)
    if not kids:
        return line
    out: list[Expr] = []
    changed = False
    for kid in kids:
        if type(kid) in LEAVES:  # no hole in a leaf: kept without a call
            out.append(kid)
            continue
        new = _fill(kid, queue)
        changed = changed or new is not kid
        if type(kid) is Derivative and splices(line, kid, new):  # (only a hole splices)
            out.extend(new.factors if isinstance(line, Mul) else new.terms)
        else:
            out.append(new)
    # a subtree with no hole comes back as the very same node: the lines keep sharing it
    return with_children(line, tuple(out)) if changed else line


def _apply(step: Step, pending: list, used: list) -> Expr:
    """`step` applied in this line: its sight sub-derivatives done, its term-by-term and
    constant-factor parts gone through; the derivatives left go into `pending`."""
    used.append(step)
    fills: list[Expr] = []
    for sub in step.substeps:
        sight = _sight_steps(sub)
        if sight is not None:
            used.extend(sight)
            fills.append(sub.result if sub.result is not None else sub.after)
        elif step.rule in PASS_RULES or sub.rule in PASS_RULES:
            fills.append(_apply(sub, pending, used))
        else:
            pending.append(sub)
            fills.append(sub.before)
    return _fill(step.after, iter(fills))


def label(steps: list) -> str:
    """'Chain rule, power rule': every rule the line applied, the plain ones only when alone."""
    names = [rule_info(s.rule).name for s in steps if s.rule not in QUIET_RULES]
    if not names:
        names = [rule_info(s.rule).name for s in steps]
    return _join(names)


def _join(names: list) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return ""
    return ", ".join([names[0]] + [n[:1].lower() + n[1:] if n[1:2].islower() else n for n in names[1:]])


def rule_lines(derivation: Step) -> list[Line]:
    """The derivation's displayed lines, first `d/dx[f]` (see the module docstring)."""
    line: Expr = derivation.before
    out = [Line(line, "")]
    frontier = [derivation]
    folded: dict = {}  # fold's memo for these lines (bounded by their nodes, dropped after)
    while frontier:
        pending: list = []
        used: list = []
        fills = [_apply(s, pending, used) for s in frontier]
        line = _fill(line, iter(fills))
        out.append(Line(fold(line, folded), label(used), tuple(used)))
        frontier = pending
    return out


def simplify_lines(last: Expr, simplification: tuple) -> list[Line]:
    """At most MAX_SIMPLIFY_LINES lines for the simplifier's passes (see the module docstring)."""
    groups: list[list] = []
    shown = last
    for r in simplification:
        if r.after is shown or r.after == shown:  # (compared once: equal trees compare whole)
            if groups:
                groups[-1].append(r)
            continue
        groups.append([r])
        shown = r.after
    if len(groups) > 1 and len(groups[0]) == 1 and len(groups) + 0 >= 2 and _numbers_only(groups[0][0]):
        groups[1] = groups[0] + groups[1]
        groups.pop(0)
    while len(groups) > MAX_SIMPLIFY_LINES:
        groups[0] = groups[0] + groups.pop(1)
    return [Line(g[-1].after, _join([r.name or str(r.rule) for r in g]), tuple(g), "simplify")
            for g in groups]


def _numbers_only(step) -> bool:
    """A pass that only multiplies numbers out or reorders: it joins the pass after it."""
    words = (step.name or str(step.rule)).lower()
    return "number" in words or "order" in words or "arithmetic" in words


def stage_lines(stage: Stage) -> tuple[Line, ...] | None:
    """The textbook view of one stage; None when the stage is too big to show line by line."""
    if not stage.shows_lines():
        return None
    lines = rule_lines(stage.derivation)
    if not stage.simplification:  # nothing to tidy: the last line is the answer as it stands
        lines[-1] = Line(stage.raw, lines[-1].label, lines[-1].steps)
    return tuple(lines + simplify_lines(lines[-1].expr, stage.simplification))
