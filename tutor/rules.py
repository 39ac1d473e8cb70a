"""The textbook's rules, one function each, and the elementary-derivative table as data.

A rule takes the expression under d/dx (already matched by the engine's strategy) and the
variable, and returns a `Rewrite`: the local result with pending `Derivative` holes (the
derivatives still to do, left to right in print order), the named parts, and optionally the
formula instantiated before any arithmetic. Rules never recurse; the engine does.

Each rule owns its general formula as maths: `@states(Rule.PRODUCT, "Product rule", lhs, rhs)`
with both sides built from placeholders (u, v, c, n, ...) and `Derivative` nodes, which the
printer writes in prime notation. That one pair is the function's docstring, the text and the
LaTeX a renderer shows (`rule_info`): the formula is written once. Elementary rows derive theirs
from `ELEMENTARY`. Rule ids are the `Rule` enum, whose values are the stable ids of the JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Callable

from .expr import (E, ONE, TWO, ZERO, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul,
                   Neg, Num, Pow, Sym, call, free_symbols, mul, num, power)
from .printing import Relation, formula_latex, formula_text
from .steps import Note
# the table lives in tutor.elementary; FUNCTION_NAMES and elementary_derivative stay importable here
from .elementary import ELEMENTARY, FUNCTION_NAMES, elementary_derivative  # noqa: F401


class Rule(str, Enum):
    """Every rule id, e.g. `Rule.PRODUCT == "product"` (a str: JSON and dict keys see the id)."""
    CONSTANT, VARIABLE, SUM, NEGATION = "constant", "variable", "sum", "negation"
    CONSTANT_MULTIPLE, CONSTANT_DIVISOR = "constant-multiple", "constant-divisor"
    RECIPROCAL, POWER, PRODUCT = "reciprocal", "power", "product"
    GENERAL_PRODUCT, QUOTIENT, CHAIN = "general-product", "quotient", "chain"
    LOG_DIFF, EXP_BASE, MAX, MIN, RELU = "log-diff", "exp-base", "max", "min", "relu"
    INDICATOR, REWRITE, LOG = "indicator", "rewrite", "log"
    # one per ELEMENTARY row, named after the function (checked below)
    EXP, LN, SIN, COS, TAN, SEC, CSC, COT = "exp", "ln", "sin", "cos", "tan", "sec", "csc", "cot"
    ASIN, ACOS, ATAN, ASEC, ACSC, ACOT = "asin", "acos", "atan", "asec", "acsc", "acot"
    SINH, COSH, TANH, SECH, CSCH, COTH = "sinh", "cosh", "tanh", "sech", "csch", "coth"
    ASINH, ACOSH, ATANH, ASECH, ACSCH, ACOTH = "asinh", "acosh", "atanh", "asech", "acsch", "acoth"
    ABS = "abs"

    def __str__(self) -> str:
        return self.value

    __format__ = str.__format__


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str        # stable, used in JSON: e.g. "product"
    name: str      # for people: "Product rule"
    text: str      # the general formula, ASCII: "(u v)' = u' v + u v'"
    latex: str     # the same in LaTeX


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What one rule does to one d/dx[u]."""
    rule: str                            # a Rule (the grader's hook may pass its own ids)
    after: Expr                          # result, with pending Derivative holes
    bindings: tuple = ()                 # (("u", expr), ("v", expr))
    instantiated: Expr | None = None     # the formula with the values put in, before arithmetic
    note: Note | str = ""


# ------------------------------------------------------------------ placeholders of formulas

A, B, C, F, G, N, U, V, W, X = (Sym(s) for s in "abcfgnuvwx")


def D(e: Expr) -> Derivative:
    """e' in a general formula."""
    return Derivative(e, "x", 1, False)


def _ln(e: Expr) -> Expr:
    return call("ln", e)


#: rule -> (name for people, lhs, rhs, condition or None): filled by @states while this module
#: is imported, only read after (rule_info), so threads share it safely
_STATED: dict[Rule, tuple] = {}


def states(rule: Rule, name: str, lhs: Expr | None, rhs: Expr | None = None,
           where: Relation | None = None) -> Callable:
    """Record the general formula lhs = rhs of `rule` (lhs None: no formula, `name` only) and
    make its text the decorated function's docstring. Runs at import only."""
    _STATED[rule] = (name, lhs, rhs, where)

    def mark(fn: Callable) -> Callable:
        if lhs is not None:
            fn.__doc__ = formula_text(lhs, rhs, where) + ("\n" + fn.__doc__ if fn.__doc__ else "")
        return fn
    return mark


if [r.value for r in Rule][20:] != list(ELEMENTARY):
    raise ImportError("rules.Rule needs one member per ELEMENTARY row, in the table's order")

def _times_inner(d: Expr) -> Expr:
    """f'(u) u', the row as a formula true for any u: (sin(u))' = cos(u) u', (ln(u))' = u'/u.
    Without the factor u' the formula holds only for u = x, and a student reads it as a rule."""
    match d:
        case Neg(arg=a):
            return Neg(_times_inner(a))
        case Div(num=Num(value=1), den=den):
            return Div(D(U), den)
        case Div(num=num, den=den):
            return Div(Mul((num, D(U))), den)
        case Mul(factors=fs):
            return Mul((*fs, D(U)))
    return Mul((d, D(U)))


@cache  # RuleInfo is immutable and the same for every caller: safe to share across threads
def rule_info(rule_id: str) -> RuleInfo:
    """Name and formula of a rule id, printed from the rule's own formula (KeyError if unknown)."""
    rule = Rule(rule_id) if rule_id in _IDS else None
    if rule in _STATED:
        name, lhs, rhs, where = _STATED[rule]
    elif rule is Rule.LOG:
        name, lhs, rhs, where = ("Derivative of log_b", D(Call("log", (U, B))),
                                 _times_inner(elementary_derivative("log", U, B)), None)
    elif rule is Rule.EXP:
        name, lhs, rhs, where = "Derivative of exp", D(Pow(E, U)), _times_inner(Pow(E, U)), None
    elif rule is not None:
        name, lhs, rhs, where = (f"Derivative of {rule}", D(Call(rule, (U,))),
                                 _times_inner(ELEMENTARY[rule](U)), None)
    else:
        raise KeyError(rule_id)
    if lhs is None:  # no formula to state: the name and what is done
        return RuleInfo(rule.value, name, _REWRITE_WHAT, f"\\text{{{_REWRITE_WHAT}}}")
    return RuleInfo(rule.value, name, formula_text(lhs, rhs, where), formula_latex(lhs, rhs, where))


_IDS = frozenset(r.value for r in Rule)
_REWRITE_WHAT = "write it in a form a rule applies to"


def all_rule_ids() -> tuple[str, ...]:
    return tuple(r.value for r in Rule)


# ------------------------------------------------------------------ helpers for rules

def d(e: Expr, var: str, partial: bool) -> Derivative:
    """A pending derivative hole."""
    return Derivative(e, var, 1, partial)


def number_of(e: Expr) -> Fraction | None:
    """The number a constant numeral or quotient of numerals is (`-2`, `1/2`), else None."""
    match e:
        case Num(v):
            return v
        case Neg(inner):
            v = number_of(inner)
            return None if v is None else -v
        case Div(a, b):
            va, vb = number_of(a), number_of(b)
            if va is not None and vb:
                return va / vb
    return None


def is_power_of(e: Expr, var: str) -> bool:
    """x or x^n for a number n: what a constant over it is rewritten from."""
    match e:
        case Sym(name):
            return name == var
        case Pow(Sym(name), n):
            return name == var and number_of(n) is not None
    return False


# ------------------------------------------------------------------ the rules

@states(Rule.CONSTANT, "Constant rule", D(C), ZERO)
def constant_rule(e: Expr, var: str, partial: bool) -> Rewrite:
    others = [s for s in free_symbols(e) if s != var]
    note: Note | str = ""
    if others:
        k = len(others)
        names = ", ".join(f"{{{i}}}" for i in range(k))
        verb = "is" if k == 1 else "are"
        note = Note(f"{names} {verb} held constant: {{{k}}} does not depend on {{{k + 1}}}",
                    (*map(Sym, others), e, Sym(var)))
    return Rewrite(Rule.CONSTANT, ZERO, (("c", e),), note=note)


@states(Rule.VARIABLE, "Variable rule", D(X), ONE)
def variable_rule(e: Expr, var: str, partial: bool) -> Rewrite:
    return Rewrite(Rule.VARIABLE, ONE)


@states(Rule.SUM, "Sum rule", D(Add((U, V))), Add((D(U), D(V))))
def sum_rule(e: Add, var: str, partial: bool) -> Rewrite:
    """A difference term -v gives -v'."""
    terms = []
    for t in e.terms:
        terms.append(Neg(d(t.arg, var, partial)) if isinstance(t, Neg) else d(t, var, partial))
    return Rewrite(Rule.SUM, Add(tuple(terms)))


@states(Rule.NEGATION, "Constant multiple (-1)", D(Neg(U)), Neg(D(U)))
def negation_rule(e: Neg, var: str, partial: bool) -> Rewrite:
    return Rewrite(Rule.NEGATION, Neg(d(e.arg, var, partial)), (("u", e.arg),))


@states(Rule.CONSTANT_MULTIPLE, "Constant multiple rule", D(Mul((C, U))), Mul((C, D(U))))
def constant_multiple_rule(constants: list, rest: list, var: str, partial: bool) -> Rewrite:
    """The engine splits the factors (its dependence test is memoised over the whole input)."""
    c = constants[0] if len(constants) == 1 else Mul(tuple(constants))
    u = rest[0] if len(rest) == 1 else Mul(tuple(rest))
    note: Note | str = ""
    if any(s != var for s in free_symbols(c)):
        note = Note("{0} does not depend on {1}: it is a constant factor", (c, Sym(var)))
    return Rewrite(Rule.CONSTANT_MULTIPLE, Mul((*constants, d(u, var, partial))),
                   (("c", c), ("u", u)), note=note)


@states(Rule.CONSTANT_DIVISOR, "Constant divisor", D(Div(U, C)), Div(D(U), C))
def constant_divisor_rule(e: Div, var: str, partial: bool) -> Rewrite:
    return Rewrite(Rule.CONSTANT_DIVISOR, Div(d(e.num, var, partial), e.den),
                   (("u", e.num), ("c", e.den)))


@states(Rule.RECIPROCAL, "Reciprocal rule", D(Div(C, V)), Neg(Div(Mul((C, D(V))), Pow(V, TWO))))
def reciprocal_rule(e: Div, var: str, partial: bool) -> Rewrite:
    c, v = e.num, e.den
    top = d(v, var, partial) if number_of(c) == 1 else Mul((c, d(v, var, partial)))
    return Rewrite(Rule.RECIPROCAL, Neg(Div(top, Pow(v, TWO))), (("c", c), ("v", v)))


@states(Rule.POWER, "Power rule", D(Pow(X, N)), Mul((N, Pow(X, Add((N, Neg(ONE)))))))
def power_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """for a constant n"""
    n = e.exp
    value = number_of(n)
    new_exp = Add((n, Neg(ONE)))
    if value is not None:
        after = mul(num(value), power(e.base, num(value - 1)))
    else:
        after = Mul((n, Pow(e.base, new_exp)))
    inst = Mul((n, Pow(e.base, new_exp)))
    return Rewrite(Rule.POWER, after, (("n", n),), instantiated=inst if inst != after else None)


@states(Rule.EXP_BASE, "Exponential rule", D(Pow(A, X)), Mul((Pow(A, X), _ln(A))))
def exp_base_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """(e^x)' = e^x is the case a = e (rule "exp")."""
    if e.base == Const("e"):
        return Rewrite(Rule.EXP, e)
    return Rewrite(Rule.EXP_BASE, Mul((e, call("ln", e.base))), (("a", e.base),))


def elementary_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """(f(x))' = f'(x) from the table"""
    if e.func == "log":
        return Rewrite(Rule.LOG, elementary_derivative("log", e.args[0], e.args[1]),
                       (("b", e.args[1]),))
    return Rewrite(Rule(e.func), ELEMENTARY[e.func](e.args[0]))


@states(Rule.PRODUCT, "Product rule", D(Mul((U, V))), Add((Mul((D(U), V)), Mul((U, D(V))))))
@states(Rule.GENERAL_PRODUCT, "General product rule", D(Mul((U, V, W))),
        Add((Mul((D(U), V, W)), Mul((U, D(V), W)), Mul((U, V, D(W))))))
def product_rule(e: Mul, var: str, partial: bool) -> Rewrite:
    """and its general form for three or more factors"""
    factors = e.factors
    terms = []
    for i, f in enumerate(factors):
        parts = list(factors)
        parts[i] = d(f, var, partial)
        terms.append(Mul(tuple(parts)))
    if len(factors) == 2:
        return Rewrite(Rule.PRODUCT, Add(tuple(terms)), (("u", factors[0]), ("v", factors[1])))
    letters = "uvwpqrst"
    names = [letters[i] if i < len(letters) else f"u{i + 1}" for i in range(len(factors))]
    return Rewrite(Rule.GENERAL_PRODUCT, Add(tuple(terms)), tuple(zip(names, factors)))


@states(Rule.QUOTIENT, "Quotient rule", D(Div(U, V)),
        Div(Add((Mul((D(U), V)), Neg(Mul((U, D(V)))))), Pow(V, TWO)))
def quotient_rule(e: Div, var: str, partial: bool) -> Rewrite:
    u, v = e.num, e.den
    top = Add((Mul((d(u, var, partial), v)), Neg(Mul((u, d(v, var, partial))))))
    return Rewrite(Rule.QUOTIENT, Div(top, Pow(v, TWO)), (("u", u), ("v", v)))


@states(Rule.LOG_DIFF, "Logarithmic differentiation", D(Pow(F, G)),
        Mul((Pow(F, G), Add((Mul((D(G), _ln(F))), Div(Mul((G, D(F))), F))))))
def log_diff_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """from ln(y) = g ln(f): differentiate both sides"""
    f, g = e.base, e.exp
    inner = Add((Mul((d(g, var, partial), call("ln", f))), Div(Mul((g, d(f, var, partial))), f)))
    return Rewrite(Rule.LOG_DIFF, Mul((e, inner)), (("f", f), ("g", g)),
                   note=Note("{0}; differentiate both sides and solve for y'",
                             (Relation(_ln(Sym("y")), "=", mul(g, _ln(f))),)))


@states(Rule.CHAIN, "Chain rule", D(Call("f", (G,))), Mul((Call("f'", (G,)), D(G))))
def chain_rule(outer: Expr, inner: Expr, var: str, partial: bool) -> Rewrite:
    """`outer` is f'(g), already worked out by the caller (the rules below)."""
    return Rewrite(Rule.CHAIN, Mul((outer, d(inner, var, partial))), (("g", inner),))


def power_chain_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """(u^n)' = n u^(n-1) u' for a constant n"""
    v = number_of(e.exp)
    if v is not None:
        outer = mul(num(v), power(e.base, num(v - 1)))
    else:
        outer = Mul((e.exp, Pow(e.base, Add((e.exp, Neg(Num(1)))))))
    return chain_rule(outer, e.base, var, partial)


def exp_chain_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """(e^u)' = e^u u', (a^u)' = a^u ln(a) u' for a constant a"""
    outer = e if e.base == Const("e") else Mul((e, call("ln", e.base)))
    return chain_rule(outer, e.exp, var, partial)


def function_chain_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """(f(u))' = f'(u) u' with f' from the table (log_b with a constant base b)"""
    u = e.args[0]
    return chain_rule(elementary_derivative(e.func, u, *e.args[1:]), u, var, partial)


@states(Rule.MAX, "Maximum", D(Call("max", (U, V))),
        Add((Mul((D(U), Indicator(U, ">", V))), Mul((D(V), Indicator(U, "<=", V))))))
@states(Rule.MIN, "Minimum", D(Call("min", (U, V))),
        Add((Mul((D(U), Indicator(U, "<", V))), Mul((D(V), Indicator(U, ">=", V))))))
def max_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """and min with the inequalities reversed"""
    u, v = e.args
    big, small = (">", "<=") if e.func == "max" else ("<", ">=")
    after = Add((Mul((d(u, var, partial), Indicator(u, big, v))),
                 Mul((d(v, var, partial), Indicator(u, small, v)))))
    return Rewrite(Rule(e.func), after, (("u", u), ("v", v)),
                   note=Note(f"at {{0}} {e.func} has no derivative; the bracket {{1}} picks {{2}}'s there",
                             (Relation(U, "=", V), Indicator(U, small, V), V)))


@states(Rule.RELU, "ReLU", D(Call("relu", (U,))), Mul((D(U), Indicator(U, ">=", ZERO))))
def relu_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """relu(u) = max(0, u)"""
    u = e.args[0]
    return Rewrite(Rule.RELU, Mul((d(u, var, partial), Indicator(u, ">=", ZERO))), (("u", u),),
                   note=Note("relu has no derivative at {0}; as in the course notes, {1} takes "
                             "the right-hand one", (Relation(U, "=", ZERO), Indicator(U, ">=", ZERO))))


@states(Rule.INDICATOR, "Indicator", D(Indicator(U, ">", V)), ZERO, where=Relation(U, "!=", V))
def indicator_rule(e: Indicator, var: str, partial: bool) -> Rewrite:
    """a step function is flat away from its jump"""
    return Rewrite(Rule.INDICATOR, ZERO,
                   note=Note("valid away from the points where the bracket switches"))


# ------------------------------------------------------------------ rewrites to a form a rule fits

@states(Rule.REWRITE, "Rewrite", None)
def rewrite(e: Expr, new: Expr, why: Note, var: str, partial: bool) -> Rewrite:
    """d/dx[e] = d/dx[new] where e = new"""
    return Rewrite(Rule.REWRITE, d(new, var, partial), (("as", new),), note=why)


def negative_power(e: Div, var: str, partial: bool) -> Rewrite:
    """c/x^n = c x^(-n), so the power rule applies"""
    base, n = (e.den.base, e.den.exp) if isinstance(e.den, Pow) else (e.den, Num(1))
    v = number_of(n)
    minus_n = Neg(Num(v)) if v is not None and v > 0 else (Num(-v) if v is not None else Neg(n))
    new = Pow(base, minus_n) if number_of(e.num) == 1 else Mul((e.num, Pow(base, minus_n)))
    return rewrite(e, new, Note("a constant over a power of the variable is a negative power"),
                   var, partial)


_ROOT_INDEX = {"sqrt": Fraction(1, 2), "cbrt": Fraction(1, 3)}


def root_as_power(e: Call, var: str, partial: bool) -> Rewrite:
    """sqrt(u) = u^(1/2), cbrt(u) = u^(1/3), root(u, n) = u^(1/n)"""
    if e.func == "root":
        u, n = e.args
        return rewrite(e, Pow(u, Div(Num(1), n)),
                       Note("the {0}-th root is the power {1}", (N, Div(ONE, N))), var, partial)
    index = Num(_ROOT_INDEX[e.func])
    return rewrite(e, Pow(e.args[0], index),
                   Note("a root is a power: {0} = {1}", (Call(e.func, (U,)), Pow(U, index))), var, partial)


def change_of_base(e: Call, var: str, partial: bool) -> Rewrite:
    """log_b(u) = ln(u)/ln(b) when the base depends on the variable"""
    u, b = e.args
    return rewrite(e, Div(_ln(u), _ln(b)),
                   Note("change of base: {0} = {1}", (Call("log", (U, B)), Div(_ln(U), _ln(B)))),
                   var, partial)


def two_at_a_time(e: Call, var: str, partial: bool) -> Rewrite:
    """max(u, v, w) = max(max(u, v), w), and min likewise"""
    f, args = e.func, e.args
    return rewrite(e, Call(f, (Call(f, args[:-1]), args[-1])),
                   Note(f"{f} of several is {f} of {f}s, two at a time"), var, partial)
