"""The difference quotient (f(x + h) - f(x))/h of each class, worked line by line.

One job: for one term of f (a constant times a member of a class), the stages a textbook
writes under lim_{h->0}, each an exact identity for h != 0, then the value the limit takes.
`split_pieces(context, f)` cuts f into such pieces (its rational part first, as one fraction);
`tutor.routes.definition` strings the pieces into the lines of a derivation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import TutorError
from ..expr import (E, ONE, ZERO, Add, Call, Const, Div, Expr, Mul, Neg, Num, Pow, Sym, add,
                    free_symbols, mul, neg, number_of, power, replace)
from ..steps import Note
from .polynomial import NotPolynomial, Poly, PolyLimit, constant_value, generators, to_poly, to_rational

__all__ = ["Piece", "Context", "split_pieces", "note_of", "prefixed", "over", "KNOWN", "SUPPORTED"]

SUPPORTED = ("polynomials, rational functions, square and cube roots of polynomials, sin and cos "
             "of a linear argument, e^(ax+b) and b^(ax+b) for a constant base b > 0, and sums and "
             "constant multiples of these")
T = Sym("t")
KNOWN = {  # name -> (quotient in t, its limit as t -> 0)
    "sin": (Div(Call("sin", (T,)), T), ONE),
    "cos": (Div(Add((Call("cos", (T,)), Neg(ONE))), T), ZERO),
    "exp": (Div(Add((Pow(E, T), Neg(ONE))), T), ONE),
}



@dataclass(frozen=True)
class Piece:
    coeff: Expr              # a constant factor (free of the variable)
    core: Expr               # the function of the variable
    stages: tuple            # (kind, label Note, expr, note), the first is the substituted quotient
    evaluated: Expr          # the last stage with h = 0 and the known limits put in
    value: Expr              # its derivative
    known: tuple = ()


def note_of(template: str, *maths: Expr) -> Note:
    return Note(template, tuple(maths))


def prefixed(note: Note, prefix: str, *maths: Expr) -> Note:
    k = len(maths)
    body = re.sub(r"\{(\d+)\}", lambda m: "{%d}" % (int(m.group(1)) + k), note.template)
    return Note(prefix + body, tuple(maths) + note.maths)


class Context:
    def __init__(self, f: Expr, var: str, step: str, variables: tuple = ()):
        self.x, self.h = Sym(var), Sym(step)
        self.fx = Call("f", tuple(Sym(v) for v in variables) or (self.x,))
        self.xh = Add((self.x, self.h))
        self.gens = generators(f, (self.x, self.h))

    def sub(self, e: Expr) -> Expr:
        """e with x + h for x, a sum landing in a sum joined to it: 2(x + h) + 1, not ((x + h) + 1)."""
        return _flat_sums(replace(e, {self.x: self.xh}))

    def poly(self, e: Expr) -> Poly:
        return to_poly(e, self.gens)

    def shifted(self, p: Poly) -> Poly:
        return p.at(0, Poly.gen(self.gens, 0) + Poly.gen(self.gens, 1))

    def quotient(self, g: Expr) -> Expr:
        return Div(add(self.sub(g), neg(g)), self.h)


def _flat_sums(e: Expr) -> Expr:
    from ..expr import children, with_children
    kids = children(e)
    if not kids:
        return e
    kids = tuple(_flat_sums(k) for k in kids)
    if isinstance(e, Add):
        return Add(tuple(t for k in kids for t in (k.terms if isinstance(k, Add) else (k,))))
    return with_children(e, kids)


def over(top: Expr, den: Expr) -> Expr:
    """top/den with a leading minus outside: -1/(x + 1)^2, not (-1)/(x + 1)^2."""
    return Neg(Div(top.arg, den)) if isinstance(top, Neg) else Div(top, den)


def _terms(e: Expr) -> list:
    return list(e.terms) if isinstance(e, Add) else [e]


def _cancel_lines(c: Context, n: Poly, den_rest: Expr | None, zero_den: Expr | None) -> tuple:
    """From the simplified numerator n (every term holds h) to the evaluated limit:
    (stages after "simplify", evaluated expression)."""
    h = c.h
    stages = []
    below = mul(h, den_rest) if den_rest is not None else h
    if n.is_zero():
        stages.append(("cancel-h", note_of("0/{0} = 0", h), ZERO, note_of("{0} ≠ 0 inside the limit", h)))
        return tuple(stages), ZERO
    m = n.divide_by_gen(1)
    if len(m.terms) > 1:
        stages.append(("factor-h", note_of("Factor out {0} from the numerator", h), over(mul(h, m.to_expr()), below), None))
    kept = m.to_expr() if den_rest is None else over(m.to_expr(), den_rest)
    stages.append(("cancel-h", note_of("Cancel the common factor {0}", h), kept,
                   note_of("{0} ≠ 0 inside the limit", h)))
    m0 = m.at(1, Poly.const(c.gens, 0)).to_expr()
    return tuple(stages), (m0 if zero_den is None else over(m0, zero_den))


def _rational_piece(c: Context, core: Expr, num_p: Poly, den_p: Poly, alone: bool = True) -> Piece:
    s0 = c.quotient(core)
    k = den_p.constant()
    if k is not None or den_p.free_of(0):
        if k is None:  # a denominator free of x only: a polynomial with a constant divisor
            raise NotPolynomial(core)
        p = num_p.scale(1 / k)
        expanded = []
        for t in _terms(core):
            expanded += c.shifted(c.poly(t)).term_exprs()
        expanded += [neg(t) for t in p.term_exprs()]
        n = c.shifted(p) - p
        stages = [("substitute", None, s0, None),
                  ("expand", note_of("Expand {0}", c.sub(core)), Div(Add(tuple(expanded)) if len(expanded) > 1 else expanded[0], c.h), None),
                  ("simplify", note_of("Simplify: the terms of {0} cancel", c.fx) if alone else
                   note_of("Simplify: the terms without {0} cancel", c.h), Div(n.to_expr(), c.h), None)]
        rest, evaluated = _cancel_lines(c, n, None, None)
        value = evaluated
        return Piece(ONE, core, tuple(stages) + rest, evaluated, value)
    if isinstance(core, Div):
        try:
            pe, qe = core.num, core.den
            if c.poly(pe) != num_p or c.poly(qe) != den_p:
                raise NotPolynomial(core)
        except NotPolynomial:
            pe, qe = num_p.to_expr(), den_p.to_expr()
    else:
        pe, qe = num_p.to_expr(), den_p.to_expr()
    p1, q1 = c.sub(pe), c.sub(qe)
    P1, Q1 = c.shifted(num_p), c.shifted(den_p)
    left, right = P1 * den_p, num_p * Q1
    denominator = mul(c.h, q1, qe)
    n = left - right
    expanded = left.term_exprs() + [neg(t) for t in right.term_exprs()]
    own = isinstance(core, Div) and (pe, qe) == (core.num, core.den)
    cd = note_of("Subtract the fractions over the common denominator {0}", mul(q1, qe)) if own else \
        note_of("Write {0} as one fraction {1}, then subtract over the common denominator {2}",
                core, Div(pe, qe), mul(q1, qe))
    stages = [("substitute", None, s0, None),
              ("common-denominator", cd,
               Div(add(mul(p1, qe), neg(mul(pe, q1))), denominator), None),
              ("expand", note_of("Expand the numerator"), Div(Add(tuple(expanded)) if len(expanded) > 1 else expanded[0], denominator), None),
              ("simplify", note_of("Simplify: the terms without {0} cancel", c.h), over(n.to_expr(), denominator), None)]
    rest, evaluated = _cancel_lines(c, n, mul(q1, qe), mul(qe, qe))
    m0 = n.divide_by_gen(1).at(1, Poly.const(c.gens, 0)).to_expr() if not n.is_zero() else ZERO
    value = ZERO if n.is_zero() else over(m0, power(qe, Num(2)))
    return Piece(ONE, core, tuple(stages) + rest, evaluated, value)


def _root_piece(c: Context, core: Expr, radicand: Expr, index: int) -> Piece:
    p = c.poly(radicand)
    a, b = c.sub(core), core
    s0 = Div(add(a, neg(b)), c.h)
    if index == 2:
        conj = Add((a, b))
        label = note_of("Multiply numerator and denominator by the conjugate {0}", conj)
        why = note_of("({0})({1}) = {2}", add(a, neg(b)), conj, add(c.sub(radicand), neg(radicand)))
        zero_den = Add((b, b))
        value_den = mul(Num(2), b)
    else:
        conj = Add((Pow(a, Num(2)), Mul((a, b)), Pow(b, Num(2))))
        label = note_of("Multiply numerator and denominator by {0}", conj)
        why = note_of("(A - B)(A^2 + AB + B^2) = A^3 - B^3 with A = {0}, B = {1}", a, b)
        zero_den = Add((Pow(b, Num(2)), Mul((b, b)), Pow(b, Num(2))))
        value_den = mul(Num(3), Pow(b, Num(2)))
    n = c.shifted(p) - p
    stages = [("substitute", None, s0, None),
              ("conjugate", label, Mul((s0, Div(conj, conj))), None),
              ("multiply-numerators", note_of("Multiply the numerators, leaving the denominator factored"),
               Div(add(c.sub(radicand), neg(radicand)), mul(c.h, conj)), why),
              ("simplify", note_of("Expand and simplify the numerator: the terms of {0} cancel", c.fx),
               over(n.to_expr(), mul(c.h, conj)), None)]
    rest, evaluated = _cancel_lines(c, n, conj, zero_den)
    m0 = n.divide_by_gen(1).at(1, Poly.const(c.gens, 0)).to_expr() if not n.is_zero() else ZERO
    value = ZERO if n.is_zero() else over(m0, value_den)
    return Piece(ONE, core, tuple(stages) + rest, evaluated, value)


def _linear(c: Context, arg: Expr) -> Expr | None:
    """The slope a of a linear argument a x + b (a tree free of x), else None."""
    try:
        p = c.poly(arg)
    except (NotPolynomial, PolyLimit):
        return None
    if p.degree(0) != 1:
        return None
    return p.coefficients(0)[1].to_expr()


def _with_slope(a: Expr, *rest: Expr) -> Expr:
    return Mul(((a,) if a != ONE else ()) + rest) if (a != ONE or len(rest) > 1) else rest[0]


def _trig_piece(c: Context, core: Call, slope: Expr) -> Piece:
    u = core.args[0]
    ah = mul(slope, c.h)
    sin_u, cos_u = Call("sin", (u,)), Call("cos", (u,))
    sin_ah, cos_ah = Call("sin", (ah,)), Call("cos", (ah,))
    A, B = Sym("A"), Sym("B")
    s0 = c.quotient(core)
    cos_q, sin_q = Div(Add((cos_ah, Neg(ONE))), c.h), Div(sin_ah, c.h)
    cos_k, sin_k = Div(Add((cos_ah, Neg(ONE))), ah), Div(sin_ah, ah)
    if core.func == "sin":
        formula = note_of("Use the angle addition formula {0} = {1} with A = {2}, B = {3}",
                        Call("sin", (Add((A, B)),)),
                        Add((Mul((Call("sin", (A,)), Call("cos", (B,)))), Mul((Call("cos", (A,)), Call("sin", (B,)))))),
                        u, ah)
        angle = Div(Add((Mul((sin_u, cos_ah)), Mul((cos_u, sin_ah)), Neg(sin_u))), c.h)
        regroup = Add((Mul((sin_u, cos_q)), Mul((cos_u, sin_q))))
        matched = Add((_with_slope(slope, sin_u, cos_k), _with_slope(slope, cos_u, sin_k)))
        evaluated = Add((_with_slope(slope, sin_u, ZERO), _with_slope(slope, cos_u, ONE)))
        value = mul(slope, cos_u)
        factored = (sin_u, cos_u)
    else:
        formula = note_of("Use the angle addition formula {0} = {1} with A = {2}, B = {3}",
                        Call("cos", (Add((A, B)),)),
                        Add((Mul((Call("cos", (A,)), Call("cos", (B,)))), Neg(Mul((Call("sin", (A,)), Call("sin", (B,))))))),
                        u, ah)
        angle = Div(Add((Mul((cos_u, cos_ah)), Neg(Mul((sin_u, sin_ah))), Neg(cos_u))), c.h)
        regroup = Add((Mul((cos_u, cos_q)), Neg(Mul((sin_u, sin_q)))))
        matched = Add((_with_slope(slope, cos_u, cos_k), Neg(_with_slope(slope, sin_u, sin_k))))
        evaluated = Add((_with_slope(slope, cos_u, ZERO), Neg(_with_slope(slope, sin_u, ONE))))
        value = neg(mul(slope, sin_u))
        factored = (cos_u, sin_u)
    stages = [("substitute", None, s0, None),
              ("angle-addition", formula, angle, None),
              ("regroup", note_of("Regroup and factor out {0} and {1}", *factored), regroup, None)]
    if slope != ONE:
        stages.append(("known-limit-form", note_of("Multiply and divide by {0} to match the known limits", slope),
                       matched, None))
    return Piece(ONE, core, tuple(stages), evaluated, value, ("sin", "cos"))


def _exp_piece(c: Context, core: Expr, base: Expr, arg: Expr, slope: Expr) -> Piece:
    ah = mul(slope, c.h)
    is_call = isinstance(core, Call)
    grow = Call("exp", (ah,)) if is_call else Pow(base, ah)
    s, t = Sym("s"), Sym("t")
    law = note_of("Use the exponent law {0} = {1}", Pow(base, Add((s, t))), Mul((Pow(base, s), Pow(base, t))))
    s0 = c.quotient(core)
    stages = [("substitute", None, s0, None),
              ("exponent-law", law, Div(Add((Mul((core, grow)), Neg(core))), c.h), None),
              ("factor", note_of("Factor out {0}", core), Mul((core, Div(Add((grow, Neg(ONE))), c.h))), None)]
    if base == E:
        rate = slope
        if slope != ONE:
            stages.append(("known-limit-form", note_of("Multiply and divide by {0} to match the known limit", slope),
                           Mul((slope, core, Div(Add((grow, Neg(ONE))), ah))), None))
    else:
        rate = mul(slope, Call("ln", (base,)))
        t_expr = mul(slope, c.h, Call("ln", (base,)))
        natural = Pow(E, t_expr)
        stages.append(("natural-base", note_of("Write {0} = {1}", grow, natural),
                       Mul((core, Div(Add((natural, Neg(ONE))), c.h))), None))
        stages.append(("known-limit-form", note_of("Multiply and divide by {0} to match the known limit", rate),
                       Mul((core, rate, Div(Add((natural, Neg(ONE))), t_expr))), None))
    evaluated = (Mul((rate, core, ONE)) if base == E else Mul((core, rate, ONE))) if rate != ONE else Mul((core, ONE))
    return Piece(ONE, core, tuple(stages), evaluated, mul(rate, core), ("exp",))


def _unsupported(term: Expr, var: str) -> TutorError:
    from ..printing import to_text
    return TutorError(f"cannot work the term {to_text(term)} from the definition of the derivative: "
                      f"the supported classes are {SUPPORTED}",
                      code="unsupported_definition",
                      hint=f"`tutor diff` works any function with the rules (d/d{var} by the rules, "
                           "not from the limit)")


def _split_constant(term: Expr, x: str) -> tuple[Expr, Expr]:
    """term = coefficient * core, the coefficient free of x."""
    coeff: list = []
    sign = False
    core: list = []
    stack = [term]
    while stack:
        t = stack.pop()
        match t:
            case Neg(a):
                sign = not sign
                stack.append(a)
                continue
            case Mul(fs):
                stack.extend(reversed(fs))
                continue
            case Div(n, d) if x not in free_symbols(d):
                coeff.append(Div(ONE, d))
                stack.append(n)
                continue
        (core if x in free_symbols(t) else coeff).append(t)
    k = mul(*coeff)
    k = neg(k) if sign else k
    if len(core) != 1:
        return k, mul(*core) if core else ONE
    return k, core[0]


def _root_of(core: Expr) -> tuple[Expr, int] | None:
    match core:
        case Call("sqrt", (p,)):
            return p, 2
        case Call("cbrt", (p,)):
            return p, 3
        case Call("root", (p, n)) if number_of(n) in (2, 3):
            return p, int(number_of(n))
        case Pow(p, k) if constant_value(k) in (Fraction(1, 2), Fraction(1, 3)):
            return p, constant_value(k).denominator
    return None


def _piece(c: Context, term: Expr) -> Piece:
    x = c.x.name
    coeff, core = _split_constant(term, x)
    root = _root_of(core)
    try:
        if root is not None:
            p = c.poly(root[0])
            if p.degree(0) >= 1:
                return _with_coeff(coeff, _root_piece(c, core, root[0], root[1]))
        match core:
            case Call("sin" | "cos", (arg,)) if (a := _linear(c, arg)) is not None:
                return _with_coeff(coeff, _trig_piece(c, core, a))
            case Call("exp", (arg,)) if (a := _linear(c, arg)) is not None:
                return _with_coeff(coeff, _exp_piece(c, core, E, arg, a))
            case Pow(Const("e"), arg) if (a := _linear(c, arg)) is not None:
                return _with_coeff(coeff, _exp_piece(c, core, E, arg, a))
            case Pow(base, arg) if x not in free_symbols(base) and _positive_base(base) \
                    and (a := _linear(c, arg)) is not None:
                return _with_coeff(coeff, _exp_piece(c, core, base, arg, a))
    except NotPolynomial:
        pass
    raise _unsupported(term, x)


def _positive_base(b: Expr) -> bool:
    v = constant_value(b)
    return (v is not None and v > 0 and v != 1) or isinstance(b, Const)


def _with_coeff(coeff: Expr, piece: Piece) -> Piece:
    return Piece(coeff, piece.core, piece.stages, piece.evaluated, piece.value, piece.known)


def split_pieces(c: Context, f: Expr) -> tuple[list, bool]:
    """The rational part of f as one piece (first), then one piece per other term; and
    whether constant terms were dropped (their quotient is (c - c)/h = 0)."""
    try:
        n, d = to_rational(f, c.gens)
        return [_rational_piece(c, f, n, d)], False
    except NotPolynomial:
        pass
    rational, others = [], []
    dropped = False
    for t in _terms(f):
        if c.x.name not in free_symbols(t):
            dropped = True
            continue
        try:
            to_rational(t, c.gens)
            rational.append(t)
        except NotPolynomial:
            others.append(t)
    out = []
    if rational:
        core = add(*rational) if len(rational) > 1 else rational[0]
        n, d = to_rational(core, c.gens)
        out.append(_rational_piece(c, core, n, d, alone=not others))
    return out + [_piece(c, t) for t in others], dropped
