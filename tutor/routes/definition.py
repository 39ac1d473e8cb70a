"""The derivative from the limit definition, f'(x) = lim_{h->0} (f(x+h) - f(x))/h, worked the
way OpenStax §3.1-3.2 and APEX §2.1 (and seed 003's "Steps 1-5") lay it out.

`from_definition(f, var=None, at=None)` returns a `Definition` record: the lines in order,
each a `Line(kind, label, expr, limit)`. While `limit` is true the line is the expression under
lim_{h->0}, an identity in x and h for h != 0 (every rewrite is exact algebra in Q[x, h] done
by `routes.polynomial`, or a named identity: angle addition, the exponent law, a^3 - b^3);
after it the line is the derivative itself. Renderers (`tutor.render.definition`) only read.

Classes (anything else is a TutorError naming them):
- polynomials of any degree and rational functions (one fraction first: common denominator);
- sqrt and cbrt of a polynomial (multiply by the conjugate, or by A^2 + AB + B^2);
- sin and cos of a linear argument (angle addition, then sin t/t -> 1, (cos t - 1)/t -> 0);
- e^(ax+b), exp(ax+b) and b^(ax+b) for a constant base b > 0 ((e^t - 1)/t -> 1);
- sums and constant multiples of these; other variables are held constant (a partial
  derivative), and any subtree free of the variable is a constant.
At a point (`at="x=2"`) also the x -> a form lim_{x->a} (f(x) - f(a))/(x - a) for polynomials
and rational functions, the numerator factored by synthetic division, and the value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import DomainError, EvaluationError, LimitError, TutorError, VariableError
from ..expr import (E, ONE, ZERO, Add, Call, Const, Div, Expr, Mul, Neg, Num, Pow, Sym, add,
                    free_symbols, mul, neg, number_of, power, replace, size, walk)
from ..steps import Note
from .polynomial import (NotPolynomial, Poly, PolyLimit, constant_value, generators, to_poly,
                         to_rational)

__all__ = ["Definition", "Line", "TableRow", "from_definition", "SCHEMA", "SUPPORTED", "TABLE_H"]

SCHEMA = "tutor.definition/1"
MAX_NODES = 400
TABLE_H = tuple(10.0 ** -k for k in range(1, 11))
SUPPORTED = ("polynomials, rational functions, square and cube roots of polynomials, sin and cos "
             "of a linear argument, e^(ax+b) and b^(ax+b) for a constant base b > 0, and sums and "
             "constant multiples of these")
T = Sym("t")
KNOWN = {  # name -> (quotient in t, its limit as t -> 0)
    "sin": (Div(Call("sin", (T,)), T), ONE),
    "cos": (Div(Add((Call("cos", (T,)), Neg(ONE))), T), ZERO),
    "exp": (Div(Add((Pow(E, T), Neg(ONE))), T), ONE),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the derivation. kind: a stable id, e.g. "substitute", "expand", "cancel-h"."""
    kind: str
    label: Note
    expr: Expr
    limit: bool              # True: the expression under the limit (an identity for h != 0)
    note: Note | None = None


@dataclass(frozen=True, slots=True)
class TableRow:
    h: float
    quotient: float | None   # (f(a + h) - f(a))/h in floats; None outside the domain
    error: float | None


@dataclass(frozen=True)
class Definition:
    function: Expr
    var: str
    step: str                # the increment's name, h unless f already uses h
    variables: tuple         # every variable of f, in order (the others are held constant)
    shifted: Expr            # f(x + h)
    lines: tuple             # Line, ...
    answer: Expr
    known_limits: tuple      # (name, quotient in t, its limit as t -> 0), in order of use
    point: tuple | None = None        # ((name, Expr), ...)
    point_lines: tuple = ()           # the x -> a form (limit=True: under lim_{x->a})
    value: Expr | None = None         # f'(a)
    decimal: float | None = None
    table: tuple = ()                 # TableRow, ...

    @property
    def partial(self) -> bool:
        return len(self.variables) > 1

    def to_text(self) -> str:
        from ..render.definition import render_text
        return render_text(self)

    def to_latex(self, standalone: bool = False) -> str:
        from ..render.definition import render_latex
        return render_latex(self, standalone)

    def to_markdown(self) -> str:
        from ..render.definition import render_markdown
        return render_markdown(self)

    def to_dict(self) -> dict:
        from ..render.definition import render_dict
        return render_dict(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        return self.to_latex()


# ------------------------------------------------------------------ pieces

@dataclass(frozen=True)
class _Piece:
    coeff: Expr              # a constant factor (free of the variable)
    core: Expr               # the function of the variable
    stages: tuple            # (kind, label Note, expr, note), the first is the substituted quotient
    evaluated: Expr          # the last stage with h = 0 and the known limits put in
    value: Expr              # its derivative
    known: tuple = ()


def _note(template: str, *maths: Expr) -> Note:
    return Note(template, tuple(maths))


def _shift(note: Note, prefix: str, *maths: Expr) -> Note:
    k = len(maths)
    body = re.sub(r"\{(\d+)\}", lambda m: "{%d}" % (int(m.group(1)) + k), note.template)
    return Note(prefix + body, tuple(maths) + note.maths)


class _Ctx:
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


def _over(top: Expr, den: Expr) -> Expr:
    """top/den with a leading minus outside: -1/(x + 1)^2, not (-1)/(x + 1)^2."""
    return Neg(Div(top.arg, den)) if isinstance(top, Neg) else Div(top, den)


def _terms(e: Expr) -> list:
    return list(e.terms) if isinstance(e, Add) else [e]


def _cancel_lines(c: _Ctx, n: Poly, den_rest: Expr | None, zero_den: Expr | None) -> tuple:
    """From the simplified numerator n (every term holds h) to the evaluated limit:
    (stages after "simplify", evaluated expression)."""
    h = c.h
    stages = []
    over = (lambda top: _over(top, mul(h, den_rest))) if den_rest is not None else (lambda top: _over(top, h))
    if n.is_zero():
        stages.append(("cancel-h", _note("0/{0} = 0", h), ZERO, _note("{0} ≠ 0 inside the limit", h)))
        return tuple(stages), ZERO
    m = n.divide_by_gen(1)
    if len(m.terms) > 1:
        stages.append(("factor-h", _note("Factor out {0} from the numerator", h), over(mul(h, m.to_expr())), None))
    kept = m.to_expr() if den_rest is None else _over(m.to_expr(), den_rest)
    stages.append(("cancel-h", _note("Cancel the common factor {0}", h), kept,
                   _note("{0} ≠ 0 inside the limit", h)))
    m0 = m.at(1, Poly.const(c.gens, 0)).to_expr()
    return tuple(stages), (m0 if zero_den is None else _over(m0, zero_den))


def _rational_piece(c: _Ctx, core: Expr, num_p: Poly, den_p: Poly, alone: bool = True) -> _Piece:
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
                  ("expand", _note("Expand {0}", c.sub(core)), Div(Add(tuple(expanded)) if len(expanded) > 1 else expanded[0], c.h), None),
                  ("simplify", _note("Simplify: the terms of {0} cancel", c.fx) if alone else
                   _note("Simplify: the terms without {0} cancel", c.h), Div(n.to_expr(), c.h), None)]
        rest, evaluated = _cancel_lines(c, n, None, None)
        value = evaluated
        return _Piece(ONE, core, tuple(stages) + rest, evaluated, value)
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
    stages = [("substitute", None, s0, None),
              ("common-denominator", _note("Subtract the fractions over the common denominator {0}", mul(q1, qe)),
               Div(add(mul(p1, qe), neg(mul(pe, q1))), denominator), None),
              ("expand", _note("Expand the numerator"), Div(Add(tuple(expanded)) if len(expanded) > 1 else expanded[0], denominator), None),
              ("simplify", _note("Simplify: the terms without {0} cancel", c.h), _over(n.to_expr(), denominator), None)]
    rest, evaluated = _cancel_lines(c, n, mul(q1, qe), mul(qe, qe))
    m0 = n.divide_by_gen(1).at(1, Poly.const(c.gens, 0)).to_expr() if not n.is_zero() else ZERO
    value = ZERO if n.is_zero() else _over(m0, power(qe, Num(2)))
    return _Piece(ONE, core, tuple(stages) + rest, evaluated, value)


def _root_piece(c: _Ctx, core: Expr, radicand: Expr, index: int) -> _Piece:
    p = c.poly(radicand)
    a, b = c.sub(core), core
    s0 = Div(add(a, neg(b)), c.h)
    if index == 2:
        conj = Add((a, b))
        label = _note("Multiply numerator and denominator by the conjugate {0}", conj)
        why = _note("({0})({1}) = {2}", add(a, neg(b)), conj, add(c.sub(radicand), neg(radicand)))
        zero_den = Add((b, b))
        value_den = mul(Num(2), b)
    else:
        conj = Add((Pow(a, Num(2)), Mul((a, b)), Pow(b, Num(2))))
        label = _note("Multiply numerator and denominator by {0}", conj)
        why = _note("(A - B)(A^2 + AB + B^2) = A^3 - B^3 with A = {0}, B = {1}", a, b)
        zero_den = Add((Pow(b, Num(2)), Mul((b, b)), Pow(b, Num(2))))
        value_den = mul(Num(3), Pow(b, Num(2)))
    n = c.shifted(p) - p
    stages = [("substitute", None, s0, None),
              ("conjugate", label, Mul((s0, Div(conj, conj))), None),
              ("multiply-numerators", _note("Multiply the numerators, leaving the denominator factored"),
               Div(add(c.sub(radicand), neg(radicand)), mul(c.h, conj)), why),
              ("simplify", _note("Expand and simplify the numerator: the terms of {0} cancel", c.fx),
               _over(n.to_expr(), mul(c.h, conj)), None)]
    rest, evaluated = _cancel_lines(c, n, conj, zero_den)
    m0 = n.divide_by_gen(1).at(1, Poly.const(c.gens, 0)).to_expr() if not n.is_zero() else ZERO
    value = ZERO if n.is_zero() else _over(m0, value_den)
    return _Piece(ONE, core, tuple(stages) + rest, evaluated, value)


def _linear(c: _Ctx, arg: Expr) -> Expr | None:
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


def _trig_piece(c: _Ctx, core: Call, slope: Expr) -> _Piece:
    u = core.args[0]
    ah = mul(slope, c.h)
    sin_u, cos_u = Call("sin", (u,)), Call("cos", (u,))
    sin_ah, cos_ah = Call("sin", (ah,)), Call("cos", (ah,))
    A, B = Sym("A"), Sym("B")
    s0 = c.quotient(core)
    cos_q, sin_q = Div(Add((cos_ah, Neg(ONE))), c.h), Div(sin_ah, c.h)
    cos_k, sin_k = Div(Add((cos_ah, Neg(ONE))), ah), Div(sin_ah, ah)
    if core.func == "sin":
        formula = _note("Use the angle addition formula {0} = {1} with A = {2}, B = {3}",
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
        formula = _note("Use the angle addition formula {0} = {1} with A = {2}, B = {3}",
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
              ("regroup", _note("Regroup and factor out {0} and {1}", *factored), regroup, None)]
    if slope != ONE:
        stages.append(("known-limit-form", _note("Multiply and divide by {0} to match the known limits", slope),
                       matched, None))
    return _Piece(ONE, core, tuple(stages), evaluated, value, ("sin", "cos"))


def _exp_piece(c: _Ctx, core: Expr, base: Expr, arg: Expr, slope: Expr) -> _Piece:
    ah = mul(slope, c.h)
    is_call = isinstance(core, Call)
    grow = Call("exp", (ah,)) if is_call else Pow(base, ah)
    s, t = Sym("s"), Sym("t")
    law = _note("Use the exponent law {0} = {1}", Pow(base, Add((s, t))), Mul((Pow(base, s), Pow(base, t))))
    s0 = c.quotient(core)
    stages = [("substitute", None, s0, None),
              ("exponent-law", law, Div(Add((Mul((core, grow)), Neg(core))), c.h), None),
              ("factor", _note("Factor out {0}", core), Mul((core, Div(Add((grow, Neg(ONE))), c.h))), None)]
    if base == E:
        rate = slope
        if slope != ONE:
            stages.append(("known-limit-form", _note("Multiply and divide by {0} to match the known limit", slope),
                           Mul((slope, core, Div(Add((grow, Neg(ONE))), ah))), None))
    else:
        rate = mul(slope, Call("ln", (base,)))
        t_expr = mul(slope, c.h, Call("ln", (base,)))
        natural = Pow(E, t_expr)
        stages.append(("natural-base", _note("Write {0} = {1}", grow, natural),
                       Mul((core, Div(Add((natural, Neg(ONE))), c.h))), None))
        stages.append(("known-limit-form", _note("Multiply and divide by {0} to match the known limit", rate),
                       Mul((core, rate, Div(Add((natural, Neg(ONE))), t_expr))), None))
    evaluated = (Mul((rate, core, ONE)) if base == E else Mul((core, rate, ONE))) if rate != ONE else Mul((core, ONE))
    return _Piece(ONE, core, tuple(stages), evaluated, mul(rate, core), ("exp",))


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


def _piece(c: _Ctx, term: Expr) -> _Piece:
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


def _with_coeff(coeff: Expr, piece: _Piece) -> _Piece:
    return _Piece(coeff, piece.core, piece.stages, piece.evaluated, piece.value, piece.known)


def _pieces(c: _Ctx, f: Expr) -> tuple[list, bool]:
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


# ------------------------------------------------------------------ assembly

def _choose_var(f: Expr, var: str | None) -> str:
    names = free_symbols(f)
    if var:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", var):
            raise VariableError(f"--var must be a variable name like x, not '{var}'", code="bad_variable")
        return var
    if len(names) == 1:
        return names[0]
    if not names:
        return "x"  # a constant: its derivative in x is 0, worked all the same
    raise VariableError(f"the function has several variables ({', '.join(names)}): choose the one "
                        "to differentiate by with --var; the others are held constant",
                        code="ambiguous_variable")


def _step_name(f: Expr, var: str) -> str:
    taken = set(free_symbols(f)) | {var}
    for name in ("h", "k", "dx", "delta"):
        if name not in taken:
            return name
    raise VariableError("no free name for the increment (h, k, dx and delta are all variables)",
                        code="no_increment")


def _read_point(f: Expr, var: str, at) -> dict:
    from ..language import parse
    if isinstance(at, str):
        raw = {}
        for part in at.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise TutorError(f"a point is name=value pairs like x=2 or x=1,y=3, not '{part.strip()}'",
                                 code="point", hint="tutor definition \"x^2\" --at x=3")
            name, value = part.split("=", 1)
            raw[name.strip()] = parse(value.strip())
    else:
        raw = dict(at)
    names = set(free_symbols(f)) | {var}
    point = {}
    for name, v in raw.items():
        if name not in names:
            raise VariableError(f"{name} is not a variable of the function (its variables: "
                                f"{', '.join(sorted(names))})", code="unknown_variable")
        if isinstance(v, (int, Fraction)):
            v = Num(Fraction(v)) if v >= 0 else neg(Num(-Fraction(v)))
        elif isinstance(v, float):
            raise TutorError("give the point exactly (3, 1/2, pi/4), not as a float", code="point")
        point[name] = v
    if var not in point:
        raise VariableError(f"the point gives no value for {var}: e.g. --at {var}=2", code="missing_variable")
    return point


def _combine(pieces: list, exprs: list) -> Expr:
    return add(*(e if p.coeff == ONE else mul(p.coeff, e) for p, e in zip(pieces, exprs)))


def _derive(f: Expr, c: _Ctx, var: str, variables: tuple) -> tuple:
    from ..simplifier import simplify
    x, h = c.x, c.h
    args = tuple(Sym(v) for v in variables)
    shift_args = tuple(c.xh if a == x else a for a in args)
    fx, fxh = Call("f", args), Call("f", shift_args)
    shifted = c.sub(f)
    others = tuple(a for a in args if a != x)
    if others:
        label = _note("Definition of the partial derivative: " + ", ".join("{%d}" % i for i in range(len(others)))
                      + " held constant", *others)
    else:
        label = _note("Definition of the derivative")
    lines = [Line("definition", label, Div(Add((fxh, Neg(fx))), h), True),
             Line("substitute", _note("Substitute {0} = {1}", fxh, shifted), c.quotient(f), True)]
    pieces, dropped = _pieces(c, f)
    current = [p.stages[0][2] for p in pieces]
    split = _combine(pieces, current)
    if split != lines[-1].expr:
        gone = "the constant terms cancel" if dropped else ""
        if len(pieces) > 1:
            label = _note("Split into one quotient per term, constant factors in front "
                          "(sum and constant-multiple laws of limits)" + (f"; {gone}" if gone else ""))
        elif pieces[0].coeff != ONE:
            label = _note(("The constant terms cancel; p" if gone else "P") + "ull out the constant factor "
                          "{0} (constant-multiple law of limits)", pieces[0].coeff)
        else:
            label = _note("The constant terms cancel")
        lines.append(Line("split", label, split, True))
    many = len(pieces) > 1
    for i, p in enumerate(pieces):
        for kind, lab, expr, note in p.stages[1:]:
            current[i] = expr
            if many:
                lab = _shift(lab, "{0}: ", mul(p.coeff, p.core) if p.coeff != ONE else p.core)
            lines.append(Line(kind, lab, _combine(pieces, current), True, note))
    known = tuple(dict.fromkeys(k for p in pieces for k in p.known))
    if known:
        maths = [h] + [m for k in known for m in KNOWN[k]]
        parts = ", ".join("{%d} → {%d}" % (1 + 2 * j, 2 + 2 * j) for j in range(len(known)))
        label = Note("Evaluate the limit: set {0} = 0, with the known limits " + parts + " as t → 0",
                     tuple(maths))
    else:
        label = _note("Evaluate the limit: set {0} = 0", h)
    evaluated = _combine(pieces, [p.evaluated for p in pieces])
    lines.append(Line("evaluate", label, evaluated, False))
    answer = simplify(_combine(pieces, [p.value for p in pieces]))
    if answer != evaluated:
        lines.append(Line("simplify", _note("Simplify"), answer, False))
    return shifted, tuple(lines), answer, known, pieces


def _point_lines(f: Expr, var: str, point: dict, variables: tuple) -> tuple:
    """The x -> a form for a rational function of the one variable at a rational point."""
    x = Sym(var)
    a = constant_value(point[var])
    g = replace(f, {Sym(k): v for k, v in point.items() if k != var})
    if a is None or free_symbols(g) not in ((var,), ()):
        return ()
    gens = (x, Sym("_h"))
    try:
        n, d = to_rational(g, gens)
    except (NotPolynomial, PolyLimit):
        return ()
    dz = d.at(0, Poly.const(gens, a)).constant()
    if dz == 0:
        raise DomainError(f"f is not defined at {var} = {a}: its denominator is 0 there", code="domain")
    fa = n.at(0, Poly.const(gens, a)).constant() / dz
    A = Num(a) if a >= 0 else neg(Num(-a))
    x_a = add(x, neg(A))
    if isinstance(g, Div) and _same(g.num, n, gens) and _same(g.den, d, gens):
        pe, qe = g.num, g.den
    else:
        pe, qe = n.to_expr(), d.to_expr()
    lead = d.constant()
    F_a = Num(fa) if fa >= 0 else neg(Num(-fa))
    held = {Sym(k): v for k, v in point.items() if k != var}
    f_x = Call("f", tuple(held.get(Sym(v), Sym(v)) for v in variables))
    f_a = Call("f", tuple(A if v == var else held.get(Sym(v), Sym(v)) for v in variables))
    lines = [Line("definition-at-point", _note("Definition of the derivative at {0} = {1}", x, A),
                  Div(Add((f_x, Neg(f_a))), x_a), True),
             Line("substitute", _note("Substitute {0} = {1}", f_a, F_a), Div(add(g, neg(F_a)), x_a), True)]
    if lead is None:
        num_e = add(pe, neg(mul(F_a, qe)))
        lines.append(Line("common-denominator", _note("Write the numerator over the common denominator {0}", qe),
                          Div(num_e, mul(qe, x_a)), True))
        N = n - d.scale(fa)
        den = mul(qe, x_a)
        rest = qe
    else:
        N = (n - d.scale(fa)).scale(1 / lead)
        den, rest = x_a, None
    if Div(N.to_expr(), den) != lines[-1].expr:
        lines.append(Line("simplify", _note("Simplify the numerator"), Div(N.to_expr(), den), True))
    q, r = N.divide_linear(0, a)
    assert r.is_zero(), "x = a must be a root of f(x) - f(a)"
    k = q.constant()
    factored = ZERO if q.is_zero() else mul(q.to_expr(), x_a) if k is not None else mul(x_a, q.to_expr())
    lines.append(Line("factor", _note("Factor the numerator: {0} = {1} is a root, so {2} is a factor", x, A, x_a),
                      Div(factored, den), True))
    if rest is None:
        kept = q.to_expr()
    elif k is not None and k.denominator != 1:  # -1/(2(x + 1)), not (-1/2)/(x + 1)
        top = Num(abs(k.numerator))
        kept = _over(neg(top) if k < 0 else top, mul(Num(k.denominator), rest))
    else:
        kept = _over(q.to_expr(), rest)
    lines.append(Line("cancel", _note("Cancel the common factor {0}", x_a), kept, True,
                      _note("{0} ≠ {1} inside the limit", x, A)))
    value = q.at(0, Poly.const(gens, a)).constant() / (1 if rest is None else dz)
    V = Num(value) if value >= 0 else neg(Num(-value))
    lines.append(Line("evaluate", _note("Evaluate the limit: set {0} = {1}", x, A), replace(kept, {x: A}), False))
    if lines[-1].expr != V:
        lines.append(Line("simplify", _note("Simplify"), V, False))
    return tuple(lines)


def _same(e: Expr, p: Poly, gens: tuple) -> bool:
    try:
        return to_poly(e, gens) == p
    except (NotPolynomial, PolyLimit):
        return False


def _table(f: Expr, var: str, point: dict, exact: float | None) -> tuple:
    from ..evaluation import evaluate_float
    env = {}
    for k, v in point.items():
        env[k] = evaluate_float(v, {})
    missing = [n for n in free_symbols(f) if n not in env]
    if missing:
        raise VariableError(f"the table needs a value for every variable: add {', '.join(missing)} to --at",
                            code="missing_variable")
    f0 = evaluate_float(f, env)
    rows = []
    for hk in TABLE_H:
        try:
            q = (evaluate_float(f, {**env, var: env[var] + hk}) - f0) / hk
        except (DomainError, EvaluationError, OverflowError):
            q = None
        rows.append(TableRow(hk, q, None if q is None or exact is None else abs(q - exact)))
    return tuple(rows)


def from_definition(f, var: str | None = None, at=None, table: bool = False, *,
                    input: str = "auto") -> Definition:
    """The derivative of f from the limit definition, line by line (see the module docstring).
    `at` ("x=2" or {"x": 2}) adds the value f'(a), and the x -> a form when f is rational;
    `table=True` (needs `at`) adds the difference quotient for h = 0.1, 0.01, ..."""
    from ..language import parse
    from ..simplifier import simplify
    if isinstance(f, str):
        f = parse(f, input)
    if size(f) > MAX_NODES:
        raise LimitError(f"the function has {size(f)} nodes; the definition route works up to {MAX_NODES}",
                         hint="`tutor diff` handles large functions with the rules")
    v = _choose_var(f, var)
    step = _step_name(f, v)
    variables = tuple(dict.fromkeys(free_symbols(f) + (v,)))
    c = _Ctx(f, v, step, variables)
    try:
        shifted, lines, answer, known, pieces = _derive(f, c, v, variables)
    except PolyLimit as exc:
        raise LimitError(f"the expansion is too large to show by hand ({exc})",
                         hint=f"degrees up to 40 and {MAX_NODES} nodes; `tutor diff` has no such limit") from None
    point = value = decimal = None
    point_lines: tuple = ()
    rows: tuple = ()
    if at is not None and at != "" and at != {}:
        pt = _read_point(f, v, at)
        from ..evaluation import evaluate
        if all(n in pt for n in free_symbols(f)):
            try:
                evaluate(f, {k: evaluate(e, {}) for k, e in pt.items()})
            except DomainError:
                from ..printing import to_text
                raise DomainError(f"f is not defined at {', '.join(f'{k} = {to_text(e)}' for k, e in pt.items())}",
                                  code="domain") from None
        value = simplify(replace(answer, {Sym(k): e for k, e in pt.items()}))
        if not free_symbols(value):
            try:  # cos(pi/3) is 1/2: the exact value when it is rational
                exact = evaluate(value, {})
                if isinstance(exact, Fraction):
                    value = Num(exact) if exact >= 0 else neg(Num(-exact))
            except (DomainError, EvaluationError):
                pass
        try:
            from ..evaluation import evaluate_float
            decimal = evaluate_float(value, {}) if not free_symbols(value) else None
        except (DomainError, EvaluationError):
            from ..printing import to_text
            raise DomainError(f"the derivative {to_text(answer)} is not defined at "
                              f"{', '.join(f'{k} = {to_text(e)}' for k, e in pt.items())}",
                              code="domain", hint="the limit does not exist there") from None
        try:
            point_lines = _point_lines(f, v, pt, variables)
        except PolyLimit:
            point_lines = ()
        point = tuple(pt.items())
        if table:
            rows = _table(f, v, pt, decimal)
    elif table:
        raise TutorError("the table needs a point: add at (--at x=1)", code="point",
                         hint=f"tutor definition \"...\" --at {v}=1 --table")
    known = tuple((k, *KNOWN[k]) for k in known)
    return Definition(f, v, step, variables, shifted, lines, answer, known, point, point_lines,
                      value, decimal, rows)
