"""The working of implicit differentiation: d/dx of each term with y = y(x), solved for dy/dx.

Why apart from `implicit`: this is the calculus (each term differentiated by the engine in x and
in y, the equation A + B·y' = 0 solved, the second derivative and the equation used on it);
`implicit` reads the equation and the point and assembles the record. See `implicit`'s
docstring for the method and the decisions a caller must know.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from ..errors import TutorError
from ..expr import (Add, Expr, Neg, Sym, ZERO, add, div, free_symbols, mul, neg, number_of,
                    replace, walk)
from ..steps import Note

#: most terms per side (each costs two engine runs)
MAX_TERMS = 60
#: most sums of a second derivative tried against the equation
MAX_CANDIDATES = 40


def dydx_symbol(dep: str = "y") -> Sym:
    """The fresh symbol standing for dy/dx (a name the parser never makes)."""
    return Sym(dep + "'")


def d2ydx2_symbol(dep: str = "y") -> Sym:
    return Sym(dep + "''")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the working, `lhs = rhs`, and why (rule id stable in JSON)."""
    rule: str            # "differentiate" | "sum" | "derivatives" | "collect" | "factor" | "divide" | ...
    lhs: Expr
    rhs: Expr
    note: Note | str = ""
    parts: tuple = ()    # (("d/dx[y^2]" as a Derivative tree, its derivative), ...) for "derivatives"


def terms(e: Expr) -> tuple:
    return e.terms if isinstance(e, Add) else (e,)


# ---------------------------------------------------------------- the calculus

def total_derivative(e: Expr, dep: str, var: str) -> tuple[Expr, Expr]:
    """(∂e/∂x, ∂e/∂y), each from the engine and simplified: d/dx[e] = A + B dy/dx."""
    from ..solve import derivative
    names = free_symbols(e)
    a = derivative(e, var) if var in names else ZERO
    b = derivative(e, dep) if dep in names else ZERO
    return a, b


def with_p(a: Expr, b: Expr, p: Sym) -> Expr:
    """a + b p as a line shows it: 2y y', y + x y', -(x y')."""
    if number_of(b) == 0:
        return a
    if isinstance(b, Neg):
        term = neg(mul(b.arg, p))
    elif isinstance(b, Add):
        term = mul(b, p)
    else:
        term = mul(b, p)
    if number_of(a) == 0:
        return term
    return add(a, term)


def simplified(e: Expr) -> Expr:
    from ..simplifier import simplify
    return simplify(e)


def first_order(lhs: Expr, rhs: Expr, dep: str, var: str, p: Sym) -> tuple[list, Expr]:
    from ..expr import Derivative
    lines: list[Line] = []
    lt, rt = terms(lhs), terms(rhs)
    if len(lt) + len(rt) > 2 * MAX_TERMS:
        raise TutorError(f"the equation has {len(lt) + len(rt)} terms; the limit is {2 * MAX_TERMS}",
                         code="limit")
    d = lambda e: Derivative(e, var)  # noqa: E731
    lines.append(Line("differentiate", d(lhs), d(rhs),
                      Note("differentiate both sides with respect to {0}, {1} being a function of {0}",
                           (Sym(var), Sym(dep)))))
    if len(lt) > 1 or len(rt) > 1:
        lines.append(Line("sum", add(*[d(t) for t in lt]) if len(lt) > 1 else d(lhs),
                          add(*[d(t) for t in rt]) if len(rt) > 1 else d(rhs),
                          "sum rule: differentiate term by term"))
    left = [total_derivative(t, dep, var) for t in lt]
    right = [total_derivative(t, dep, var) for t in rt]
    parts = tuple((d(t), with_p(a, b, p)) for t, (a, b) in zip(lt + rt, left + right)
                  if number_of(b) != 0)
    note = Note("each term's derivative; a term in {0} gets the chain-rule factor {1}", (Sym(dep), p)) \
        if parts else "each term's derivative"
    lines.append(Line("derivatives", add(*[with_p(a, b, p) for a, b in left]),
                      add(*[with_p(a, b, p) for a, b in right]), note, parts))
    # collect: the P terms on the left, the rest on the right
    b_terms = [b for _, b in left if number_of(b) != 0] + [neg(b) for _, b in right if number_of(b) != 0]
    a_terms = [neg(a) for a, _ in left if number_of(a) != 0] + [a for a, _ in right if number_of(a) != 0]
    if not b_terms:
        raise TutorError(f"d{dep}/d{var} does not appear after differentiating: the equation does "
                         f"not involve {dep}", code="no_dependent")
    coefficient = simplified(add(*b_terms))
    if number_of(coefficient) == 0:
        raise TutorError(f"the d{dep}/d{var} terms cancel: the equation does not determine "
                         f"d{dep}/d{var}", code="no_dependent")
    moved = add(*a_terms)
    collected = add(*[with_p(ZERO, b, p) for b in b_terms])
    if (collected, moved) != (lines[-1].lhs, lines[-1].rhs):  # y = x^2: already collected
            lines.append(Line("collect", collected, moved,
                          Note("keep the {0} terms on the left, move the others to the right", (p,))))
    right_side = simplified(moved)
    if len(b_terms) > 1 or right_side != moved:
        lines.append(Line("factor", with_p(ZERO, coefficient, p), right_side,
                          Note("factor out {0}", (p,)) if len(b_terms) > 1 else "simplify the right side"))
    quotient = div(right_side, coefficient)
    if number_of(coefficient) != 1:
        lines.append(Line("divide", p, quotient, Note("divide both sides by {0} (where it is not 0)",
                                                      (coefficient,))))
    answer = simplified(quotient)
    if answer != lines[-1].rhs or lines[-1].lhs != p:
        lines.append(Line("simplify", p, answer, "simplify"))
    return lines, answer


def equation_parts(lhs: Expr, rhs: Expr) -> tuple[Expr, Expr] | None:
    """(P, c) with the equation P = c: P the terms with letters (lhs minus rhs), c the constants."""
    varying = [t for t in terms(lhs) if free_symbols(t)] + \
        [neg(t) for t in terms(rhs) if free_symbols(t)]
    constant = [t for t in terms(rhs) if not free_symbols(t)] + \
        [neg(t) for t in terms(lhs) if not free_symbols(t)]
    if not varying:
        return None
    return add(*varying), (simplified(add(*constant)) if constant else ZERO)


def use_equation(answer: Expr, lhs: Expr, rhs: Expr, names: tuple[str, ...]) -> Expr | None:
    """The answer with a sum that is r·P + k (P = c the equation) replaced by r·c + k."""
    from ..evaluation import evaluate
    parts = equation_parts(lhs, rhs)
    if parts is None:
        return None
    pe, c = parts
    rng = random.Random(11)
    sums = [n for n in walk(answer) if isinstance(n, Add)][:MAX_CANDIDATES]
    for s in sums:
        if not set(free_symbols(pe)) <= set(free_symbols(s)):
            continue
        ratio, seen = None, []
        for _ in range(8):
            env = {n: Fraction(rng.randint(2, 29), rng.randint(2, 7)) for n in names}
            try:
                vs, vp = evaluate(s, env), evaluate(pe, env)
            except TutorError:
                continue
            if not (isinstance(vs, Fraction) and isinstance(vp, Fraction)):
                break
            if seen and seen[0][1] != vp:  # s = r P + k: r from two points
                ratio = (vs - seen[0][0]) / (vp - seen[0][1])
                break
            seen.append((vs, vp))
        if ratio is None or ratio == 0:
            continue
        from ..routes.atpoint import rational_expr
        r = rational_expr(ratio)
        rest = simplified(add(s, neg(mul(r, pe))))
        if free_symbols(rest):
            continue
        value = simplified(add(mul(r, c), rest))
        new = simplified(replace(answer, {s: value}))
        from ..expr import size
        if size(new) < size(answer):
            return new
    return None


def second_order(answer: Expr, lhs: Expr, rhs: Expr, dep: str, var: str, p: Sym,
                  pp: Sym) -> tuple[list, Expr]:
    from ..expr import Derivative
    a, b = total_derivative(answer, dep, var)
    lines = [Line("differentiate", pp, Derivative(answer, var),
                  Note("differentiate {0} = {1} again, {2} being a function of {3}",
                       (p, answer, Sym(dep), Sym(var))))]
    shown = with_p(a, b, p)
    lines.append(Line("derivatives", pp, shown,
                      Note("the partial derivative in {0} plus the partial derivative in {1} times "
                           "{2} (the chain rule, {1} being a function of {0})", (Sym(var), Sym(dep), p))))
    substituted = replace(shown, {p: answer})
    lines.append(Line("substitute", pp, substituted, Note("substitute {0} = {1}", (p, answer))))
    second = simplified(substituted)
    if second != substituted:
        lines.append(Line("simplify", pp, second, "simplify"))
    names = tuple(dict.fromkeys(free_symbols(lhs) + free_symbols(rhs) + (var, dep)))
    reduced = use_equation(second, lhs, rhs, names)
    if reduced is not None:
        lines.append(Line("use-equation", pp, reduced,
                          Note("on the curve {0} = {1}", (lhs, rhs))))
        second = reduced
    return lines, second
