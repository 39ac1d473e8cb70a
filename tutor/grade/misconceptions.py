"""The catalogue of misconceptions: one table of data, and the buggy rules that generate them.

A "rule" misconception is a buggy version of one differentiation rule. The grader runs our
own engine (engine.derive) with a mutation hook that swaps the correct Rewrite for the buggy
one at ONE node at a time (then at every node), so the wrong derivative a student would get
is computed, not guessed. An "answer" misconception is a test on the whole answer (wrong
sign, constant factor, the function itself, an antiderivative, another variable); diagnose.py
runs those. `rank` orders several matches: lower is the more specific explanation.
Messages are templates: {at} is the node d/dx[...] where the slip happened, {right} the
correct step there, {inner} and {inner_d} the inside of a chain and its derivative.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..expr import (Call, Const, Derivative, Div, Expr, Mul, Neg, Num, Pow, Add, ONE,
                   TWO, contains_symbol, neg, replace)
from ..rules import Rewrite
from ..vocabulary import CIRCULAR, EXP_LOG, families

__all__ = ["Misconception", "CATALOGUE", "BY_ID", "mutate"]

#: (rule id, expression under d/dx, variable, partial, correct Rewrite) -> buggy Rewrite or None
Generator = Callable[[str, Expr, str, bool, Rewrite], Rewrite | None]


@dataclass(frozen=True)
class Misconception:
    id: str
    kind: str          # "rule" (a buggy rule, generated in the engine) | "answer" (whole-answer test)
    name: str
    message: str       # what a teacher would write; template fields in the module docstring
    credit: float      # suggested partial credit for an answer showing only this slip
    rank: int          # lower wins when several match
    generator: Generator | None = None


def _d(e: Expr, var: str, partial: bool) -> Derivative:
    return Derivative(e, var, 1, partial)


def _chain_parts(rw: Rewrite) -> tuple[Expr, Expr] | None:
    """(outer f'(g), hole g') of a chain Rewrite."""
    if rw.rule == "chain" and isinstance(rw.after, Mul) and len(rw.after.factors) == 2:
        outer, hole = rw.after.factors
        if isinstance(hole, Derivative):
            return outer, hole
    return None


#: the logarithms (ln and log to a base): the exponential-and-logarithm family without exp
LOGARITHMS = families(EXP_LOG) - {"exp"}
#: the circular functions, whose derivatives' signs students flip (cos' = sin)
TRIG_SIGN = families(CIRCULAR)


def _const_exp(e: Expr, var: str) -> bool:
    return isinstance(e, Pow) and not contains_symbol(e.exp, var)


# ------------------------------------------------------------------ the buggy rules

def _missing_inner(rule, e, var, partial, rw):
    """d/dx f(g) = f'(g): the inner derivative dropped (not for ln: see ln-chain-missing)."""
    parts = _chain_parts(rw)
    if parts and not (isinstance(e, Call) and e.func in LOGARITHMS):
        return Rewrite(rw.rule, parts[0], rw.bindings)
    return None


def _ln_chain(rule, e, var, partial, rw):
    """d/dx ln(u) = 1/u, without u'."""
    parts = _chain_parts(rw)
    if parts and isinstance(e, Call) and e.func in LOGARITHMS:
        return Rewrite(rw.rule, parts[0], rw.bindings)
    return None


def _product_as_product(rule, e, var, partial, rw):
    """(uv)' = u'v'."""
    if rule in ("product", "general-product") and isinstance(e, Mul):
        return Rewrite(rule, Mul(tuple(_d(f, var, partial) for f in e.factors)), rw.bindings)
    return None


def _quotient_reversed(rule, e, var, partial, rw):
    """(u/v)' = (u v' - u' v)/v^2."""
    if rule == "quotient" and isinstance(e, Div):
        u, v = e.num, e.den
        top = Add((Mul((u, _d(v, var, partial))), Neg(Mul((_d(u, var, partial), v)))))
        return Rewrite(rule, Div(top, Pow(v, TWO)), rw.bindings)
    return None


def _quotient_no_square(rule, e, var, partial, rw):
    """(u/v)' = (u'v - u v')/v (and (c/v)' = -c v'/v)."""
    if rule in ("quotient", "reciprocal") and isinstance(rw.after, (Div, Neg)):
        inner = rw.after.arg if isinstance(rw.after, Neg) else rw.after
        if isinstance(inner, Div) and isinstance(inner.den, Pow) and inner.den.exp == TWO:
            new = Div(inner.num, inner.den.base)
            return Rewrite(rule, Neg(new) if isinstance(rw.after, Neg) else new, rw.bindings)
    return None


def _power(kept: bool):
    """n x^n (exponent kept) or x^(n-1) (coefficient dropped), also inside a chain."""
    def gen(rule, e, var, partial, rw):
        if not _const_exp(e, var) or e.exp == Num(ONE.value):
            return None
        n, base = e.exp, e.base
        new_exp = n if kept else Add((n, Neg(ONE)))
        outer = Mul((n, Pow(base, n))) if kept else Pow(base, new_exp)
        if rule == "power":
            return Rewrite(rule, outer, rw.bindings)
        if _chain_parts(rw):
            return Rewrite(rule, Mul((outer, _chain_parts(rw)[1])), rw.bindings)
        return None
    return gen


def _exp_as_power(rule, e, var, partial, rw):
    """(a^u)' = u a^(u-1): the exponential treated like a power."""
    if isinstance(e, Pow) and not contains_symbol(e.base, var) and contains_symbol(e.exp, var):
        u, a = e.exp, e.base
    elif isinstance(e, Call) and e.func == "exp":
        u, a = e.args[0], Const("e")
    else:
        return None
    wrong = Mul((u, Pow(a, Add((u, Neg(ONE))))))
    if rule in ("exp", "exp-base"):
        return Rewrite(rule, wrong, rw.bindings)
    if _chain_parts(rw):
        return Rewrite(rule, Mul((wrong, _chain_parts(rw)[1])), rw.bindings)
    return None


def _trig_sign(rule, e, var, partial, rw):
    """cos' = sin, sin' = -cos (and the other trig functions' signs flipped)."""
    if not (isinstance(e, Call) and e.func in TRIG_SIGN):
        return None
    if rule == e.func:
        return Rewrite(rule, neg(rw.after), rw.bindings)
    parts = _chain_parts(rw)
    if parts:
        return Rewrite(rule, Mul((neg(parts[0]), parts[1])), rw.bindings)
    return None


def _constant_not_zero(rule, e, var, partial, rw):
    """c' = c: a constant term kept instead of dropped."""
    if rule == "constant" and e != Num(0 * ONE.value):
        return Rewrite(rule, e, rw.bindings)
    return None


def _quotient_of_derivatives(rule, e, var, partial, rw):
    """(u/v)' = u'/v': the derivative of the top over the derivative of the bottom."""
    if rule == "quotient" and isinstance(e, Div):
        return Rewrite(rule, Div(_d(e.num, var, partial), _d(e.den, var, partial)), rw.bindings)
    return None


def _inside_only(rule, e, var, partial, rw):
    """d/dx f(g) = f'(g'): the outer derivative taken of the inside's derivative
    (sin(x^2) -> cos(2x))."""
    parts = _chain_parts(rw)
    g = dict(rw.bindings).get("g")
    if parts and g is not None and contains_symbol(g, var):
        return Rewrite(rw.rule, replace(parts[0], {g: _d(g, var, partial)}), rw.bindings)
    return None


def _power_raised(rule, e, var, partial, rw):
    """n x^(n+1): the exponent raised instead of lowered (also inside a chain)."""
    if not _const_exp(e, var) or e.exp == Num(ONE.value):
        return None
    outer = Mul((e.exp, Pow(e.base, Add((e.exp, ONE)))))
    if rule == "power":
        return Rewrite(rule, outer, rw.bindings)
    if _chain_parts(rw):
        return Rewrite(rule, Mul((outer, _chain_parts(rw)[1])), rw.bindings)
    return None


def _variable_power(as_power: bool):
    """u^v with the variable in both: as a power, v u^(v-1) u' (x^x -> x x^(x-1)), or as an
    exponential, u^v ln(u) v' (x^x -> x^x ln x): each half of the right answer alone."""
    def gen(rule, e, var, partial, rw):
        if rule != "log-diff" or not isinstance(e, Pow):
            return None
        u, v = e.base, e.exp
        if as_power:
            wrong = Mul((v, Pow(u, Add((v, Neg(ONE)))), _d(u, var, partial)))
        else:
            wrong = Mul((e, Call("ln", (u,)), _d(v, var, partial)))
        return Rewrite(rule, wrong, rw.bindings)
    return gen


#: The catalogue (README, "Misconceptions"). Rule entries first, by rank.
CATALOGUE: tuple[Misconception, ...] = (
    Misconception("ln-chain-missing", "rule", "Chain rule missing in ln",
                  "The derivative of ln(u) is u'/u: you wrote 1/u for {at} but forgot to "
                  "multiply by the derivative of the inside, {inner_d}.", 0.5, 10, _ln_chain),
    Misconception("trig-sign", "rule", "Sign of a trig derivative",
                  "Check the sign in {at}: d/dx sin = cos but d/dx cos = -sin. The right step "
                  "is {right}.", 0.75, 11, _trig_sign),
    Misconception("exp-as-power", "rule", "Exponential treated as a power",
                  "{at} is an exponential, not a power: the variable is in the exponent, so the "
                  "power rule does not apply. d/dx e^u = e^u u' and d/dx a^u = a^u ln(a) u'.",
                  0.25, 12, _exp_as_power),
    Misconception("power-rule-exponent-kept", "rule", "Power rule: exponent not lowered",
                  "In {at} you brought the exponent down but did not lower it by one: "
                  "d/dx x^n = n x^(n-1).", 0.5, 13, _power(True)),
    Misconception("power-rule-no-coefficient", "rule", "Power rule: coefficient missing",
                  "In {at} you lowered the exponent but forgot to multiply by it: "
                  "d/dx x^n = n x^(n-1).", 0.5, 14, _power(False)),
    Misconception("quotient-rule-reversed", "rule", "Quotient rule: numerator reversed",
                  "The numerator of the quotient rule is u'v - uv' (derivative of the top first); "
                  "for {at} you have it the other way round, which flips the sign.", 0.5, 15,
                  _quotient_reversed),
    Misconception("quotient-rule-no-square", "rule", "Quotient rule: denominator not squared",
                  "In {at} the denominator of the quotient rule must be squared: "
                  "(u/v)' = (u'v - uv')/v^2.", 0.5, 16, _quotient_no_square),
    Misconception("product-rule-as-product", "rule", "Product of the derivatives",
                  "The derivative of a product is not the product of the derivatives: "
                  "(uv)' = u'v + uv'. The right step for {at} is {right}.", 0.25, 17,
                  _product_as_product),
    Misconception("chain-rule-missing-inner", "rule", "Chain rule: inner derivative missing",
                  "You forgot to multiply by the derivative of the inside, {inner_d}, when "
                  "differentiating {at} (chain rule: (f(g))' = f'(g) g').", 0.5, 18, _missing_inner),
    Misconception("constant-not-zero", "rule", "Constant not differentiated",
                  "The derivative of a constant is 0: in {at} the constant should disappear.",
                  0.75, 19, _constant_not_zero),
    Misconception("quotient-of-derivatives", "rule", "Quotient of the derivatives",
                  "The derivative of a quotient is not the quotient of the derivatives: "
                  "(u/v)' = (u'v - uv')/v^2. The right step for {at} is {right}.", 0.25, 20,
                  _quotient_of_derivatives),
    Misconception("chain-rule-inside-only", "rule", "Chain rule: outer derivative of the inside's derivative",
                  "In {at} you took the outer derivative of the inside's derivative: the chain "
                  "rule keeps the inside, (f(g))' = f'(g) g'. The right step is {right}.", 0.25, 21,
                  _inside_only),
    Misconception("power-rule-exponent-raised", "rule", "Power rule: exponent raised",
                  "In {at} you raised the exponent instead of lowering it: "
                  "d/dx x^n = n x^(n-1).", 0.5, 22, _power_raised),
    Misconception("variable-power-as-power", "rule", "x^x treated as a power",
                  "{at} has the variable in the base and in the exponent: it is neither a power "
                  "nor an exponential. Write it as e^(v ln u): the right step is {right}.", 0.25,
                  23, _variable_power(True)),
    Misconception("variable-power-as-exponential", "rule", "x^x treated as an exponential",
                  "{at} has the variable in the base and in the exponent: it is neither an "
                  "exponential nor a power. Write it as e^(v ln u): the right step is {right}.",
                  0.25, 24, _variable_power(False)),
    Misconception("lower-order", "answer", "A lower derivative",
                  "Your answer is the derivative of order {lower}: differentiate once more.", 0.25, 29),
    Misconception("gave-function", "answer", "The function itself",
                  "Your answer is the function itself: you still need to differentiate it.", 0.0, 30),
    Misconception("gave-antiderivative", "answer", "An antiderivative",
                  "You integrated instead of differentiating: the derivative of your answer is "
                  "the function.", 0.0, 31),
    Misconception("wrong-variable", "answer", "Wrong variable",
                  "Your answer is the derivative with respect to {other}, not {var}: "
                  "treat {other} as a constant and differentiate by {var}.", 0.25, 32),
    Misconception("sign-slip-term", "answer", "Sign slip in one term",
                  "One term has the wrong sign: the derivative has {term} where your answer has "
                  "its negative. Check the signs term by term.", 0.75, 39),
    Misconception("sign-error", "answer", "Sign error",
                  "Your answer has the wrong sign: it is the negative of the derivative. "
                  "Check each minus sign.", 0.75, 40),
    Misconception("constant-factor", "answer", "Constant factor",
                  "Your answer is {k} times the derivative: check the constant factors "
                  "(a coefficient, a power rule exponent, or a factor from the chain rule).",
                  0.5, 41),
)

BY_ID: dict[str, Misconception] = {m.id: m for m in CATALOGUE}


def mutate(m: Misconception, partial: bool, site: int | None):
    """An engine mutation hook applying `m` at the site-th applicable node (None: every
    node). `hook.count` tells how many nodes were applicable; `hook.hit` the (node,
    right Rewrite, buggy Rewrite) where it was applied first."""
    def hook(rule, e, var, rw):
        wrong = m.generator(rule, e, var, partial, rw)
        if wrong is None:
            return rw
        index = hook.count
        hook.count += 1
        if site is None or index == site:
            if hook.hit is None:
                hook.hit = (e, var, rw, wrong)
            return wrong
        return rw
    hook.count = 0
    hook.hit = None
    return hook
