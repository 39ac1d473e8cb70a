"""The strategy of the course notes (seed 004, "Overall Strategy"), as one ordered match:

1. differentiate term by term, recognising constant factors   (constant, variable, sum,
   negation, constant multiple, constant divisor)
2. an elementary function of the variable gets its formula    (power, exponential, table)
3. a product or quotient gets its rule; its parts go back to 1
4. otherwise the chain rule.

`derive` returns the derivation tree (steps.Step) whose leaves are rules with no holes.
`Rules` lets a caller swap one rule for another function of the same shape: the grader builds
its misconceptions ("forgot the inner derivative") by replacing a rule at one node.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from . import rules as R
from .errors import TutorError
from .expr import (Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym,
                   call, children, with_children)
from .steps import Step, _splices

#: A mutation hook: given (rule id, the expression under d/dx, the variable, the correct Rewrite),
#: return a Rewrite to use instead (or the same one). Used by the grader's misconceptions.
Mutator = Callable[[str, Expr, str, "R.Rewrite"], "R.Rewrite"]

_ROOT_INDEX = {"sqrt": Fraction(1, 2), "cbrt": Fraction(1, 3)}


@dataclass(frozen=True)
class Context:
    var: str
    partial: bool
    mutate: Mutator | None = None
    #: id(node) -> (node, depends on var): one pass over the input instead of one walk per
    #: rule, so a 5,000-deep chain stays linear. The node is kept so its id is not reused.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

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
    """The one ordered match that is the method."""
    x, p = ctx.var, ctx.partial
    depends = lambda node, _x=None: ctx.depends(node)  # noqa: E731  (reads like the maths)
    if not depends(e, x):
        return R.constant_rule(e, x, p)
    match e:
        case Sym(name) if name == x:
            return R.variable_rule(e, x, p)
        case Add():
            return R.sum_rule(e, x, p)
        case Neg():
            return R.negation_rule(e, x, p)
        case Mul(factors):
            constants = [f for f in factors if not depends(f, x)]
            rest = [f for f in factors if depends(f, x)]
            if constants:
                return R.constant_multiple_rule(constants, rest, x, p)
            return R.product_rule(factors, x, p)
        case Div(num, den) if not depends(den, x):
            return R.constant_divisor_rule(e, x, p)
        case Div(num, den) if not depends(num, x):
            if _is_power_of_var(den, x):
                base, n = _power_parts(den)
                return R.rewrite(e, _times(num, Pow(base, _negate(n))),
                                 "a constant over a power of the variable is a negative power", x, p)
            return R.reciprocal_rule(e, x, p)
        case Div():
            return R.quotient_rule(e, x, p)
        case Pow(base, exp) if not depends(exp, x):
            if base == Sym(x):
                return R.power_rule(e, x, p)
            return R.chain_rule(_power_outer(base, exp), base, x, p)
        case Pow(base, exp) if not depends(base, x):
            if exp == Sym(x):
                return R.exp_base_rule(e, x, p)
            return R.chain_rule(_exp_outer(e), exp, x, p)
        case Pow():
            return R.log_diff_rule(e, x, p)
        case Call("sqrt" | "cbrt" as f, (u,)):
            return R.rewrite(e, Pow(u, Num(_ROOT_INDEX[f])), f"a root is a power: {f}(u) = u^({_ROOT_INDEX[f]})", x, p)
        case Call("root", (u, n)):
            return R.rewrite(e, Pow(u, Div(Num(1), n)), "the n-th root is the power 1/n", x, p)
        case Call("log", (u, b)) if depends(b, x):
            return R.rewrite(e, Div(call("ln", u), call("ln", b)), "change of base: log_b(u) = ln(u)/ln(b)", x, p)
        case Call("max" | "min" as f, args) if len(args) > 2:
            nested = Call(f, (Call(f, args[:-1]), args[-1]))
            return R.rewrite(e, nested, f"{f} of several is {f} of {f}s, two at a time", x, p)
        case Call("max" | "min"):
            return R.max_rule(e, x, p)
        case Call("relu"):
            return R.relu_rule(e, x, p)
        case Call(func, (u, *_)) if u == Sym(x):
            return R.elementary_rule(e, x, p)
        case Call("log", (u, b)):
            return R.chain_rule(R.elementary_derivative("log", u, b), u, x, p)
        case Call(func, (u,)) if func in R.ELEMENTARY:
            return R.chain_rule(R.ELEMENTARY[func](u), u, x, p)
        case Indicator():
            return R.indicator_rule(e, x, p)
        case Derivative():
            raise TutorError("a derivative inside the function: differentiate it first "
                             "(or ask for a higher --order)", code="nested-derivative")
    raise TutorError(f"no rule for {type(e).__name__}", code="no-rule")


def _is_power_of_var(e: Expr, x: str) -> bool:
    match e:
        case Sym(name):
            return name == x
        case Pow(Sym(name), n):
            return name == x and R.number_of(n) is not None
    return False


def _power_parts(e: Expr) -> tuple[Expr, Expr]:
    return (e.base, e.exp) if isinstance(e, Pow) else (e, Num(1))


def _negate(n: Expr) -> Expr:
    v = R.number_of(n)
    return Neg(Num(v)) if v is not None and v > 0 else (Num(-v) if v is not None else Neg(n))


def _times(c: Expr, e: Expr) -> Expr:
    return e if R.number_of(c) == 1 else Mul((c, e))


def _power_outer(base: Expr, exp: Expr) -> Expr:
    """n u^(n-1) for the chain rule on u^n."""
    v = R.number_of(exp)
    if v is not None:
        from .expr import mul, num, power
        return mul(num(v), power(base, num(v - 1)))
    return Mul((exp, Pow(base, Add((exp, Neg(Num(1)))))))


def _exp_outer(e: Pow) -> Expr:
    """e^u (or a^u ln a) for the chain rule on a^u."""
    return e if e.base == Const("e") else Mul((e, call("ln", e.base)))


# -------------------------------------------------------------- the recursion

def derive(e: Expr, ctx: Context) -> Step:
    """The derivation tree of d/dx[e]. Recursion depth follows the tree depth (callers run
    deep inputs on a big stack, see _deep.py)."""
    rw = choose(e, ctx)
    if ctx.mutate is not None:
        rw = ctx.mutate(rw.rule, e, ctx.var, rw)
    inputs = _input_ids(e)
    holes = _holes(rw.after, inputs)
    subs = tuple(derive(h.expr, ctx) for h in holes)
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
        ids.update(id(k) for k in frontier)
    return ids


def _holes(e: Expr, skip: set[int] = frozenset()) -> list[Derivative]:
    """Pending derivatives of a rule's result, in print (pre-order) order."""
    out: list[Derivative] = []
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Derivative):
            out.append(node)
        elif id(node) not in skip:
            stack.extend(reversed(children(node)))
    return out


def fill(e: Expr, results: list[Expr], skip: set[int] = frozenset()) -> Expr:
    """Put results into the holes of e, left to right."""
    it = iter(results)

    def go(node: Expr) -> Expr:
        if isinstance(node, Derivative):
            return next(it)
        if id(node) in skip:
            return node
        kids = children(node)
        if not kids:
            return node
        new_kids: list[Expr] = []
        for k in kids:
            filled = go(k)
            if _splices(node, k, filled):  # as the blackboard does, so raw == its last line
                new_kids.extend(filled.factors if isinstance(node, Mul) else filled.terms)
            else:
                new_kids.append(filled)
        return with_children(node, tuple(new_kids))

    return go(e)


def derivative_unsimplified(e: Expr, var: str) -> Expr:
    """The raw derivative (all holes filled, nothing simplified): for the simplifier's tests."""
    from .expr import free_symbols
    partial = any(s != var for s in free_symbols(e))
    return derive(e, Context(var, partial)).result
