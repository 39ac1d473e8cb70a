"""The strategy of the course notes (seed 004, "Overall Strategy"), as one ordered match:

1. differentiate term by term, recognising constant factors   (constant, variable, sum,
   negation, constant multiple, constant divisor)
2. an elementary function of the variable gets its formula    (power, exponential, table)
3. a product or quotient gets its rule; its parts go back to 1
4. otherwise the chain rule.

The engine only chooses: every rewrite, formula and note is a function in rules.py.
`derive` returns the derivation tree (steps.Step) whose leaves are rules with no holes.
`Context.mutate` lets a caller swap the Rewrite a rule made for another: the grader builds
its misconceptions ("forgot the inner derivative") by replacing a rule at one node.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field
from typing import Callable

from . import limits
from . import rules as R
from .errors import LimitError, TutorError
from .expr import (Add, Call, Derivative, Div, Expr, Indicator, Mul, Neg, Pow, Sym, children,
                   free_symbols, with_children)
from .steps import Step, splices

#: A mutation hook: given (rule id, the expression under d/dx, the variable, the correct Rewrite),
#: return a Rewrite to use instead (or the same one). Used by the grader's misconceptions.
Mutator = Callable[[str, Expr, str, "R.Rewrite"], "R.Rewrite"]


@dataclass(frozen=True)
class Context:
    """One derivation's settings (the variable, partial or not, the grader's hook) and its memo.

    `memo` maps id(node) -> (node, whether it depends on var): one pass over the input instead
    of one walk per rule, so a 5,000-deep chain stays linear. Invariant: a Context serves one
    derivation of one input by one variable (build a new one per `derive` call; never share one
    between threads), and each entry keeps its node alive, so an id is never reused while its
    entry lives. Entries depend only on the node and `var`, so reading a stale one is
    impossible."""
    var: str
    partial: bool
    mutate: Mutator | None = None
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    work: list = field(default_factory=lambda: [0], compare=False, repr=False)

    def depends(self, e: Expr) -> bool:
        hit = self.memo.get(id(e))
        if hit is not None:
            return hit[1]
        if isinstance(e, Sym):
            value = e.name == self.var
        else:
            value = False
            for k in children(e):
                if self.depends(k):  # evaluate every child so the memo covers the subtree
                    value = True
        self.memo[id(e)] = (e, value)
        return value


def choose(e: Expr, ctx: Context) -> R.Rewrite:
    """The one ordered match that is the method: it picks a rule, the rule does the work.
    By exact type, then the cases of each kind in order (the node classes have no subclasses:
    the same answers as the cases of one `match`, tried in turn, at every node derived)."""
    x, p = ctx.var, ctx.partial
    depends = ctx.depends
    if not depends(e):
        return R.constant_rule(e, x, p)
    t = type(e)
    if t is Sym:
        if e.name == x:
            return R.variable_rule(e, x, p)
    elif t is Add:
        return R.sum_rule(e, x, p)
    elif t is Neg:
        return R.negation_rule(e, x, p)
    elif t is Mul:
        factors = e.factors
        constants = [f for f in factors if not depends(f)]
        rest = [f for f in factors if depends(f)]
        if constants:
            return R.constant_multiple_rule(constants, rest, x, p)
        return R.product_rule(e, x, p)
    elif t is Div:
        if not depends(e.den):
            return R.constant_divisor_rule(e, x, p)
        if not depends(e.num):
            if R.is_power_of(e.den, x):
                return R.negative_power(e, x, p)
            return R.reciprocal_rule(e, x, p)
        return R.quotient_rule(e, x, p)
    elif t is Pow:
        if not depends(e.exp):
            if e.base == Sym(x):
                return R.power_rule(e, x, p)
            return R.power_chain_rule(e, x, p)
        if not depends(e.base):
            if e.exp == Sym(x):
                return R.exp_base_rule(e, x, p)
            return R.exp_chain_rule(e, x, p)
        return R.log_diff_rule(e, x, p)
    elif t is Call:
        rule = _call_rule(e, x, depends)
        if rule is not None:
            return rule(e, x, p)
    elif t is Indicator:
        return R.indicator_rule(e, x, p)
    elif t is Derivative:
        raise TutorError("a derivative inside the function: differentiate it first "
                         "(or ask for a higher --order)", code="nested-derivative")
    raise TutorError(f"no rule for {type(e).__name__}", code="no-rule")


def _call_rule(e: Call, x: str, depends) -> Callable | None:
    """The rule for a call that depends on x, its cases in `choose`'s order, or None."""
    func, args = e.func, e.args
    n = len(args)
    if (n == 1 and (func == "sqrt" or func == "cbrt")) or (n == 2 and func == "root"):
        return R.root_as_power
    if n == 2 and func == "log" and depends(args[1]):
        return R.change_of_base
    if func == "max" or func == "min":
        return R.two_at_a_time if n > 2 else R.max_rule
    if func == "relu":
        return R.relu_rule
    if n >= 1 and args[0] == Sym(x):
        return R.elementary_rule
    if n == 2 and func == "log":
        return R.function_chain_rule
    if n == 1 and func in R.ELEMENTARY:
        return R.function_chain_rule
    return None


# -------------------------------------------------------------- the recursion

def derive(e: Expr, ctx: Context) -> Step:
    """The derivation tree of d/dx[e]. Recursion depth follows the tree depth (callers run
    deep inputs on a big stack, see _deep.py).

    The input is checked first, whoever built it: a tree passed directly meets the same depth
    and size limits as parsed text (a 20,000-deep tree would overflow even the big stack), and
    a d/dx[...] inside it is refused, as the rules only ever see functions. The work is bounded
    as it grows: a derivation whose rules build more than MAX_DERIVATION_NODES nodes in all
    (tutor.limits) stops with a LimitError instead of taking minutes (high orders of short
    inputs grow exponentially)."""
    from .language import check_tree
    check_tree(e)
    _refuse_derivatives(e)
    step = _derive(e, ctx)
    budget = _BUDGET.get()
    if budget is not None:
        budget.charge(step.result, ctx.var)
    return step


# -------------------------------------------------------------- the work budget of higher orders

class _Budget:
    """The running count of one `order_budget` block: derivations seen, nodes charged. Private
    and owned by one block in one context, so never shared between threads."""

    __slots__ = ("seen", "spent", "limit")

    def __init__(self, limit: int) -> None:
        self.seen, self.spent, self.limit = 0, 0, limit

    def charge(self, raw: Expr, var: str) -> None:
        self.seen += 1
        if self.seen == 1:
            return  # the first derivative is bounded by the input limits and MAX_DERIVATION_NODES
        self.spent = charge(raw, self.seen, self.spent, self.limit, var)


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "tutor_order_budget", default=None)


def charge(raw: Expr, stage: int, spent: int = 0, limit: int | None = None,
           var: str = "x") -> int:
    """`spent` plus the size of the raw (unsimplified) derivative of a higher stage, or a
    TutorError (code "limit") when that passes `limit` (limits.ORDER_WORK). Why before simplification: the
    simplifier is the expensive step (132,702 raw nodes of sin nested 20 deep at order 3 took
    10 s to simplify; the derivation itself 0.3 s), and a short input's higher derivatives grow
    exponentially, so the count is checked before that step is paid for. The count stops as
    soon as it passes the limit: O(limit) whatever the size of `raw`."""
    limit = limits.ORDER_WORK if limit is None else limit
    room = limit - spent
    n, stack = 0, [raw]
    while stack:
        node = stack.pop()
        n += 1
        if n > room:
            raise TutorError(   # not a ParseError: no input position to point at
                f"the derivatives grow past the work budget ({limit:,} parts after the first "
                f"derivative, limits.ORDER_WORK) at derivative {stage} in {var}: too large to "
                f"work by hand", code="limit", hint=f"ask for order {max(1, stage - 1)} or "
                f"lower, or a shorter function")
        stack.extend(children(node))
    return spent + n


@contextlib.contextmanager
def order_budget(limit: int | None = None):
    """Within the block, every derivation after the first is charged to one budget (`charge`):
    the order loop of `differentiate`, the grader's reference at order n, the d/dx[...] of an
    answer's working. A block opened inside another shares the outer one's budget, so nested
    d/dx[d/dx[...]] cannot start afresh at each level. The state is a context variable: a
    budget is seen by the derivations of its own thread and block only."""
    if _BUDGET.get() is not None:
        yield
        return
    token = _BUDGET.set(_Budget(limits.ORDER_WORK if limit is None else limit))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _refuse_derivatives(e: Expr) -> None:
    """A Derivative in the input would be mistaken for a hole of a rule's result (whose holes
    are found as Derivative nodes): refuse it, dependent or constant, before any rule runs."""
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Derivative):
            raise TutorError("a derivative inside the function: differentiate it first "
                             "(or ask for a higher --order)", code="nested-derivative")
        stack.extend(children(node))


def _derive(e: Expr, ctx: Context) -> Step:
    rw = choose(e, ctx)
    if ctx.mutate is not None:
        rw = ctx.mutate(rw.rule, e, ctx.var, rw)
    inputs = _input_ids(e)
    holes = _holes(rw.after, inputs, ctx.work)
    if ctx.work[0] > limits.MAX_DERIVATION_NODES:
        raise LimitError(f"the derivation grows past {limits.MAX_DERIVATION_NODES:,} "
                         "nodes built (the limit MAX_DERIVATION_NODES): too large to work by hand",
                         hint="ask for a lower order or a shorter function")
    subs = tuple(_derive(h.expr, ctx) for h in holes)
    result = fill(rw.after, [s.result for s in subs], inputs) if subs else rw.after
    return Step(rw.rule, Derivative(e, ctx.var, 1, ctx.partial), rw.after, rw.bindings,
                rw.instantiated, rw.note, subs, result)


def _input_ids(e: Expr, levels: int = 3) -> set[int]:
    """Ids of the input's top nodes. Rules copy parts of their input from these levels and
    never put a hole inside them, so hole searches need not walk into them: without this,
    each step would walk its whole subtree and a deep chain would cost O(n^2)."""
    ids = {id(e)}
    frontier = [e]
    for _ in range(levels):
        frontier = [k for node in frontier for k in children(node)]
        ids.update(map(id, frontier))
    return ids


def _holes(e: Expr, skip: set[int] = frozenset(), work: list | None = None) -> list[Derivative]:
    """Pending derivatives of a rule's result, in print (pre-order) order. The nodes walked
    are the ones the rule built (copied input parts are skipped): their count, added to
    work[0], is the derivation's work so far, and what fill will rebuild."""
    out: list[Derivative] = []
    stack = [e]
    walked = 0
    while stack:
        node = stack.pop()
        walked += 1
        if id(node) in skip:  # a copied part of the input is never a hole
            continue
        if isinstance(node, Derivative):
            out.append(node)
        else:
            stack.extend(reversed(children(node)))
    if work is not None:
        work[0] += walked
    return out


def fill(e: Expr, results: list[Expr], skip: set[int] = frozenset()) -> Expr:
    """Put results into the holes of e, left to right."""
    it = iter(results)

    def go(node: Expr) -> Expr:
        if id(node) in skip:
            return node
        if isinstance(node, Derivative):
            return next(it)
        kids = children(node)
        if not kids:
            return node
        new_kids: list[Expr] = []
        for k in kids:
            filled = go(k)
            if splices(node, k, filled):  # as the blackboard does, so raw == its last line
                new_kids.extend(filled.factors if isinstance(node, Mul) else filled.terms)
            else:
                new_kids.append(filled)
        return with_children(node, tuple(new_kids))

    return go(e)


def derivative_unsimplified(e: Expr, var: str) -> Expr:
    """The raw derivative (all holes filled, nothing simplified): for the simplifier's tests."""
    partial = any(s != var for s in free_symbols(e))
    return derive(e, Context(var, partial)).result
