"""The textbook's rules, one function each, and the elementary-derivative table as data.

A rule takes the expression under d/dx (already matched by the engine's strategy) and the
variable, and returns a `Rewrite`: the local result with pending `Derivative` holes (the
derivatives still to do, left to right in print order), the named parts, and optionally the
formula instantiated before any arithmetic. Rules never recurse; the engine does.
Every formula's docstring is its textbook statement; `RULES` holds the names and formulas
that renderers show, keyed by the stable rule id used in JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .expr import (ONE, TWO, ZERO, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul,
                   Neg, Num, Pow, Sym, call, mul, num, power)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str        # stable, used in JSON: e.g. "product"
    name: str      # for people: "Product rule"
    text: str      # the general formula, ASCII: "(u v)' = u' v + u v'"
    latex: str     # the same in LaTeX


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What one rule does to one d/dx[u]."""
    rule: str
    after: Expr                          # result, with pending Derivative holes
    bindings: tuple = ()                 # (("u", expr), ("v", expr))
    instantiated: Expr | None = None     # the formula with the values put in, before arithmetic
    note: str = ""


_STRUCTURAL = [
    RuleInfo("constant", "Constant rule", "c' = 0", "c' = 0"),
    RuleInfo("variable", "Variable rule", "x' = 1", "x' = 1"),
    RuleInfo("sum", "Sum rule", "(u + v)' = u' + v'", "(u + v)' = u' + v'"),
    RuleInfo("negation", "Constant multiple (-1)", "(-u)' = -u'", "(-u)' = -u'"),
    RuleInfo("constant-multiple", "Constant multiple rule", "(c u)' = c u'", "(cu)' = c\\,u'"),
    RuleInfo("constant-divisor", "Constant divisor", "(u/c)' = u'/c", "\\left(\\frac{u}{c}\\right)' = \\frac{u'}{c}"),
    RuleInfo("reciprocal", "Reciprocal rule", "(c/v)' = -c v'/v^2",
             "\\left(\\frac{c}{v}\\right)' = -\\frac{c\\,v'}{v^{2}}"),
    RuleInfo("power", "Power rule", "(x^n)' = n x^(n - 1)", "(x^{n})' = n\\,x^{n-1}"),
    RuleInfo("product", "Product rule", "(u v)' = u' v + u v'", "(uv)' = u'v + uv'"),
    RuleInfo("general-product", "General product rule", "(u v w)' = u' v w + u v' w + u v w'",
             "(uvw)' = u'vw + uv'w + uvw'"),
    RuleInfo("quotient", "Quotient rule", "(u/v)' = (u' v - u v')/v^2",
             "\\left(\\frac{u}{v}\\right)' = \\frac{u'v - uv'}{v^{2}}"),
    RuleInfo("chain", "Chain rule", "(f(g))' = f'(g) g'", "\\bigl(f(g)\\bigr)' = f'(g)\\,g'"),
    RuleInfo("log-diff", "Logarithmic differentiation", "(f^g)' = f^g (g' ln(f) + g f'/f)",
             "\\left(f^{g}\\right)' = f^{g}\\left(g' \\ln f + \\frac{g f'}{f}\\right)"),
    RuleInfo("exp-base", "Exponential rule", "(a^x)' = a^x ln(a)", "(a^{x})' = a^{x}\\ln a"),
    RuleInfo("max", "Maximum", "(max(u, v))' = u' [u > v] + v' [u <= v]",
             "\\max(u, v)' = u'\\left[u > v\\right] + v'\\left[u \\leq v\\right]"),
    RuleInfo("min", "Minimum", "(min(u, v))' = u' [u < v] + v' [u >= v]",
             "\\min(u, v)' = u'\\left[u < v\\right] + v'\\left[u \\geq v\\right]"),
    RuleInfo("relu", "ReLU", "(relu(u))' = u' [u >= 0]",
             "\\operatorname{relu}(u)' = u'\\left[u \\geq 0\\right]"),
    RuleInfo("indicator", "Indicator", "[u > v]' = 0 (where u != v)", "[u > v]' = 0 \\quad (u \\neq v)"),
    RuleInfo("rewrite", "Rewrite", "write it in a form a rule applies to", "\\text{rewrite}"),
]

U = Sym("u")


def _sqrt(e: Expr) -> Expr:
    return call("sqrt", e)


def _abs(e: Expr) -> Expr:
    return call("abs", e)


def _sq(e: Expr) -> Expr:
    return Pow(e, TWO)


def _one_minus(e: Expr) -> Expr:
    return Add((ONE, Neg(_sq(e))))


#: f -> f'(u), the derivative of f at its argument u. The chain rule multiplies by u'.
ELEMENTARY: dict[str, Callable[[Expr], Expr]] = {
    "exp": lambda u: call("exp", u),
    "ln": lambda u: Div(ONE, u),
    "sin": lambda u: call("cos", u),
    "cos": lambda u: Neg(call("sin", u)),
    "tan": lambda u: Pow(call("sec", u), TWO),
    "sec": lambda u: Mul((call("sec", u), call("tan", u))),
    "csc": lambda u: Neg(Mul((call("csc", u), call("cot", u)))),
    "cot": lambda u: Neg(Pow(call("csc", u), TWO)),
    "asin": lambda u: Div(ONE, _sqrt(_one_minus(u))),
    "acos": lambda u: Neg(Div(ONE, _sqrt(_one_minus(u)))),
    "atan": lambda u: Div(ONE, Add((ONE, _sq(u)))),
    "asec": lambda u: Div(ONE, Mul((_abs(u), _sqrt(Add((_sq(u), Neg(ONE))))))),
    "acsc": lambda u: Neg(Div(ONE, Mul((_abs(u), _sqrt(Add((_sq(u), Neg(ONE)))))))),
    "acot": lambda u: Neg(Div(ONE, Add((ONE, _sq(u))))),
    "sinh": lambda u: call("cosh", u),
    "cosh": lambda u: call("sinh", u),
    "tanh": lambda u: Pow(call("sech", u), TWO),
    "sech": lambda u: Neg(Mul((call("sech", u), call("tanh", u)))),
    "csch": lambda u: Neg(Mul((call("csch", u), call("coth", u)))),
    "coth": lambda u: Neg(Pow(call("csch", u), TWO)),
    "asinh": lambda u: Div(ONE, _sqrt(Add((_sq(u), ONE)))),
    "acosh": lambda u: Div(ONE, _sqrt(Add((_sq(u), Neg(ONE))))),
    "atanh": lambda u: Div(ONE, _one_minus(u)),
    "asech": lambda u: Neg(Div(ONE, Mul((u, _sqrt(_one_minus(u)))))),
    "acsch": lambda u: Neg(Div(ONE, Mul((_abs(u), _sqrt(Add((ONE, _sq(u)))))))),
    "acoth": lambda u: Div(ONE, _one_minus(u)),
    "abs": lambda u: Div(u, _abs(u)),
}

#: names people say, for rule notes ("the derivative of sin is cos")
FUNCTION_NAMES = {
    "exp": "exponential", "ln": "natural logarithm", "log": "logarithm", "abs": "absolute value",
    "sin": "sine", "cos": "cosine", "tan": "tangent", "sec": "secant", "csc": "cosecant",
    "cot": "cotangent", "asin": "arcsine", "acos": "arccosine", "atan": "arctangent",
    "asec": "arcsecant", "acsc": "arccosecant", "acot": "arccotangent",
    "sinh": "hyperbolic sine", "cosh": "hyperbolic cosine", "tanh": "hyperbolic tangent",
    "sech": "hyperbolic secant", "csch": "hyperbolic cosecant", "coth": "hyperbolic cotangent",
    "asinh": "inverse hyperbolic sine", "acosh": "inverse hyperbolic cosine",
    "atanh": "inverse hyperbolic tangent", "asech": "inverse hyperbolic secant",
    "acsch": "inverse hyperbolic cosecant", "acoth": "inverse hyperbolic cotangent",
}


def elementary_derivative(func: str, u: Expr, base: Expr | None = None) -> Expr:
    """f'(u) for an elementary f (log takes its base). Shared with dual numbers and backprop."""
    if func == "log":
        return Div(ONE, Mul((u, call("ln", base))))
    return ELEMENTARY[func](u)


def _elementary_info(func: str) -> RuleInfo:
    from .printing import to_latex, to_text
    arg = Call(func, (U,))
    d = ELEMENTARY[func](U)
    return RuleInfo(func, f"Derivative of {func}", f"({to_text(arg)})' = {to_text(d)}",
                    f"\\left({to_latex(arg)}\\right)' = {to_latex(d)}")


def _log_info() -> RuleInfo:
    return RuleInfo("log", "Derivative of log_b", "(log_b(u))' = 1/(u ln(b))",
                    "\\left(\\log_{b} u\\right)' = \\frac{1}{u \\ln b}")


def _exp_info() -> RuleInfo:
    return RuleInfo("exp", "Derivative of exp", "(e^u)' = e^u", "\\left(e^{u}\\right)' = e^{u}")


_cache: dict[str, RuleInfo] = {r.id: r for r in _STRUCTURAL}


def rule_info(rule_id: str) -> RuleInfo:
    """Name and formula of a rule id (elementary ones are generated from the table once)."""
    info = _cache.get(rule_id)
    if info is None:
        if rule_id == "log":
            info = _log_info()
        elif rule_id in ("exp", "e-power"):
            info = _exp_info()
        elif rule_id in ELEMENTARY:
            info = _elementary_info(rule_id)
        else:
            raise KeyError(rule_id)
        _cache[rule_id] = info
    return info


def all_rule_ids() -> tuple[str, ...]:
    return tuple(r.id for r in _STRUCTURAL) + ("log",) + tuple(ELEMENTARY)


# ------------------------------------------------------------------ helpers for rules

def d(e: Expr, var: str, partial: bool) -> Derivative:
    """A pending derivative hole."""
    return Derivative(e, var, 1, partial)


def number_of(e: Expr) -> Fraction | None:
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


# ------------------------------------------------------------------ the rules

def constant_rule(e: Expr, var: str, partial: bool) -> Rewrite:
    """c' = 0"""
    from .expr import free_symbols
    others = [s for s in free_symbols(e) if s != var]
    note = ""
    if others:
        names = ", ".join(others)
        verb = "is" if len(others) == 1 else "are"
        note = f"{names} {verb} held constant: {e_text(e)} does not depend on {var}"
    return Rewrite("constant", ZERO, (("c", e),), note=note)


def e_text(e: Expr) -> str:
    from .printing import to_text
    return to_text(e)


def variable_rule(e: Expr, var: str, partial: bool) -> Rewrite:
    """x' = 1"""
    return Rewrite("variable", ONE)


def sum_rule(e: Add, var: str, partial: bool) -> Rewrite:
    """(u + v)' = u' + v'; a difference term -v gives -v'."""
    terms = []
    for t in e.terms:
        terms.append(Neg(d(t.arg, var, partial)) if isinstance(t, Neg) else d(t, var, partial))
    return Rewrite("sum", Add(tuple(terms)))


def negation_rule(e: Neg, var: str, partial: bool) -> Rewrite:
    """(-u)' = -u'"""
    return Rewrite("negation", Neg(d(e.arg, var, partial)), (("u", e.arg),))


def constant_multiple_rule(constants: list, rest: list, var: str, partial: bool) -> Rewrite:
    """(c u)' = c u'"""
    c = constants[0] if len(constants) == 1 else Mul(tuple(constants))
    u = rest[0] if len(rest) == 1 else Mul(tuple(rest))
    note = ""
    from .expr import free_symbols
    if any(s != var for s in free_symbols(c)):
        note = f"{e_text(c)} does not depend on {var}: it is a constant factor"
    return Rewrite("constant-multiple", Mul((*constants, d(u, var, partial))), (("c", c), ("u", u)),
                   note=note)


def constant_divisor_rule(e: Div, var: str, partial: bool) -> Rewrite:
    """(u/c)' = u'/c"""
    return Rewrite("constant-divisor", Div(d(e.num, var, partial), e.den), (("u", e.num), ("c", e.den)))


def reciprocal_rule(e: Div, var: str, partial: bool) -> Rewrite:
    """(c/v)' = -c v'/v^2"""
    c, v = e.num, e.den
    top = d(v, var, partial) if number_of(c) == 1 else Mul((c, d(v, var, partial)))
    return Rewrite("reciprocal", Neg(Div(top, Pow(v, TWO))), (("c", c), ("v", v)))


def power_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """(x^n)' = n x^(n - 1) for a constant n"""
    n = e.exp
    value = number_of(n)
    if value is not None:
        after = mul(num(value), power(e.base, num(value - 1)))
        new_exp = Add((n, Neg(ONE)))
    else:
        new_exp = Add((n, Neg(ONE)))
        after = Mul((n, Pow(e.base, new_exp)))
    inst = Mul((n, Pow(e.base, new_exp)))
    return Rewrite("power", after, (("n", n),), instantiated=inst if inst != after else None)


def exp_base_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """(e^x)' = e^x;  (a^x)' = a^x ln(a)"""
    if e.base == Const("e"):
        return Rewrite("exp", e)
    return Rewrite("exp-base", Mul((e, call("ln", e.base))), (("a", e.base),))


def elementary_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """(f(x))' = f'(x) from the table"""
    if e.func == "log":
        return Rewrite("log", elementary_derivative("log", e.args[0], e.args[1]), (("b", e.args[1]),))
    return Rewrite(e.func, ELEMENTARY[e.func](e.args[0]))


def product_rule(factors: tuple, var: str, partial: bool) -> Rewrite:
    """(u v)' = u' v + u v' (and the general rule for three or more factors)"""
    terms = []
    for i, f in enumerate(factors):
        parts = list(factors)
        parts[i] = d(f, var, partial)
        terms.append(Mul(tuple(parts)))
    if len(factors) == 2:
        return Rewrite("product", Add(tuple(terms)), (("u", factors[0]), ("v", factors[1])))
    letters = "uvwpqrst"
    names = [letters[i] if i < len(letters) else f"u{i + 1}" for i in range(len(factors))]
    return Rewrite("general-product", Add(tuple(terms)), tuple(zip(names, factors)))


def quotient_rule(e: Div, var: str, partial: bool) -> Rewrite:
    """(u/v)' = (u' v - u v')/v^2"""
    u, v = e.num, e.den
    top = Add((Mul((d(u, var, partial), v)), Neg(Mul((u, d(v, var, partial))))))
    return Rewrite("quotient", Div(top, Pow(v, TWO)), (("u", u), ("v", v)))


def log_diff_rule(e: Pow, var: str, partial: bool) -> Rewrite:
    """(f^g)' = f^g (g' ln(f) + g f'/f): from ln(y) = g ln(f), differentiate both sides"""
    f, g = e.base, e.exp
    inner = Add((Mul((d(g, var, partial), call("ln", f))), Div(Mul((g, d(f, var, partial))), f)))
    return Rewrite("log-diff", Mul((e, inner)), (("f", f), ("g", g)),
                   note=f"ln(y) = {e_text(g)} ln({e_text(f)}); differentiate both sides and solve for y'")


def chain_rule(outer: Expr, inner: Expr, var: str, partial: bool) -> Rewrite:
    """(f(g))' = f'(g) g'  — `outer` is f'(g), already taken from the table"""
    return Rewrite("chain", Mul((outer, d(inner, var, partial))), (("g", inner),))


def max_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """(max(u, v))' = u' [u > v] + v' [u <= v];  min with the inequalities reversed"""
    u, v = e.args
    big, small = (">", "<=") if e.func == "max" else ("<", ">=")
    after = Add((Mul((d(u, var, partial), Indicator(u, big, v))),
                 Mul((d(v, var, partial), Indicator(u, small, v)))))
    return Rewrite(e.func, after, (("u", u), ("v", v)),
                   note=f"at u = v {e.func} has no derivative; the bracket [u {small} v] picks v's there")


def relu_rule(e: Call, var: str, partial: bool) -> Rewrite:
    """(relu(u))' = u' [u >= 0], relu(u) = max(0, u)"""
    u = e.args[0]
    return Rewrite("relu", Mul((d(u, var, partial), Indicator(u, ">=", ZERO))), (("u", u),),
                   note="relu has no derivative at u = 0; as in the course notes, [u >= 0] takes the right-hand one")


def indicator_rule(e: Indicator, var: str, partial: bool) -> Rewrite:
    """[u > v]' = 0 wherever u != v (a step function is flat away from its jump)"""
    return Rewrite("indicator", ZERO, note="valid away from the points where the bracket switches")


def rewrite(e: Expr, new: Expr, why: str, var: str, partial: bool) -> Rewrite:
    """d/dx[e] = d/dx[new] where e = new"""
    return Rewrite("rewrite", d(new, var, partial), (("as", new),), note=why)
