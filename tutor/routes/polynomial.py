"""Exact polynomials and rational functions in Q[x, h, ...], for derivations from the definition.

One job: the algebra a blackboard derivation needs, done exactly (Fractions) and bounded.

    Poly(gens, terms)     a sparse polynomial: `terms` maps an exponent tuple (one entry per
                          generator) to a nonzero Fraction; `gens` are Exprs (Sym('x'), Sym('h'),
                          or an opaque constant such as sin(w1) that the algebra treats as a letter)
    to_poly(e, gens)      an Expr as a Poly, or NotPolynomial
    to_rational(e, gens)  an Expr as (numerator, denominator) Polys, no gcd taken
    Poly.to_expr()        back to a tree, terms in descending powers of the first generator

Treating an opaque constant as an indeterminate is sound: an identity of polynomials in free
letters stays true whatever values they take. Work is bounded: MAX_TERMS terms per polynomial
and MAX_EXPONENT for integer powers, past which `PolyLimit` is raised.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..expr import (Add, Div, Expr, Mul, Neg, Num, Pow, Sym, add, mul, neg, num, number_of,
                    power, walk)

__all__ = ["Poly", "NotPolynomial", "PolyLimit", "to_poly", "to_rational", "constant_value",
           "generators", "MAX_TERMS", "MAX_EXPONENT"]

MAX_TERMS = 3000
MAX_EXPONENT = 40


class NotPolynomial(Exception):
    """The tree is not a polynomial (or rational function) in the generators."""


class PolyLimit(Exception):
    """The expansion would pass MAX_TERMS terms or MAX_EXPONENT."""


def constant_value(e: Expr) -> Fraction | None:
    """The rational number a tree of numerals, +, -, *, / and integer powers is, else None."""
    match e:
        case Num(v):
            return v
        case Neg(a):
            v = constant_value(a)
            return None if v is None else -v
        case Add(ts):
            vs = [constant_value(t) for t in ts]
            return None if None in vs else sum(vs, Fraction(0))
        case Mul(fs):
            out = Fraction(1)
            for f in fs:
                v = constant_value(f)
                if v is None:
                    return None
                out *= v
            return out
        case Div(n, d):
            a, b = constant_value(n), constant_value(d)
            return None if a is None or b is None or b == 0 else a / b
        case Pow(b, x):
            a, k = constant_value(b), number_of(x)
            if a is None or k is None or k.denominator != 1 or abs(k) > MAX_EXPONENT or (a == 0 and k < 0):
                return None
            return a ** int(k)
    return None


def _mentions(e: Expr, names: frozenset) -> bool:
    return any(isinstance(n, Sym) and n.name in names for n in walk(e))


def generators(e: Expr, first: tuple) -> tuple:
    """`first` (the variable, the increment), then the other symbols and the maximal
    variable-free subtrees the algebra cannot look inside (sin(w1), pi, 1/w2), in order of
    appearance. A subtree that mentions a first generator is never a letter."""
    names = frozenset(g.name for g in first if isinstance(g, Sym))
    out: list = list(first)
    stack = [e]
    while stack:
        node = stack.pop()
        if constant_value(node) is not None:
            continue
        if isinstance(node, Sym):
            if node not in out:
                out.append(node)
            continue
        match node:
            case Add(ts):
                stack.extend(reversed(ts))
                continue
            case Mul(fs):
                stack.extend(reversed(fs))
                continue
            case Neg(a):
                stack.append(a)
                continue
            case Pow(b, x) if (k := number_of(x)) is not None and k.denominator == 1:
                stack.append(b)
                continue
            case Div(n, d) if _mentions(d, names) or constant_value(d) is not None:
                stack.extend([d, n])
                continue
            case Div(n, d) if _mentions(n, names):  # x/w2: x times the letter 1/w2
                if Div(Num(1), d) not in out:
                    out.append(Div(Num(1), d))
                stack.append(n)
                continue
        if not _mentions(node, names):
            if node not in out:
                out.append(node)
        else:  # sin(x y): not a polynomial, but y inside is a letter of its argument
            from ..expr import children
            stack.extend(reversed(children(node)))
    return tuple(out)


@dataclass(frozen=True)
class Poly:
    gens: tuple
    terms: dict  # exponent tuple -> Fraction (nonzero)

    # -------------------------------------------------------------- construction
    @staticmethod
    def const(gens: tuple, c) -> "Poly":
        c = Fraction(c)
        return Poly(gens, {(0,) * len(gens): c} if c else {})

    @staticmethod
    def gen(gens: tuple, i: int) -> "Poly":
        exps = [0] * len(gens)
        exps[i] = 1
        return Poly(gens, {tuple(exps): Fraction(1)})

    # -------------------------------------------------------------- arithmetic
    def __add__(self, other: "Poly") -> "Poly":
        out = dict(self.terms)
        for m, c in other.terms.items():
            v = out.get(m, 0) + c
            if v:
                out[m] = v
            else:
                out.pop(m, None)
        return _checked(Poly(self.gens, out))

    def __neg__(self) -> "Poly":
        return Poly(self.gens, {m: -c for m, c in self.terms.items()})

    def __sub__(self, other: "Poly") -> "Poly":
        return self + (-other)

    def __mul__(self, other: "Poly") -> "Poly":
        if len(self.terms) * len(other.terms) > MAX_TERMS * 4:
            raise PolyLimit("product too large")
        out: dict = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.terms.items():
                m = tuple(a + b for a, b in zip(m1, m2))
                v = out.get(m, 0) + c1 * c2
                if v:
                    out[m] = v
                else:
                    out.pop(m, None)
        return _checked(Poly(self.gens, out))

    def scale(self, c) -> "Poly":
        c = Fraction(c)
        return Poly(self.gens, {m: v * c for m, v in self.terms.items()} if c else {})

    def __pow__(self, k: int) -> "Poly":
        if k < 0 or k > MAX_EXPONENT:
            raise PolyLimit(f"exponent {k} outside 0..{MAX_EXPONENT}")
        out = Poly.const(self.gens, 1)
        for _ in range(k):
            out = out * self
        return out

    # -------------------------------------------------------------- queries
    def is_zero(self) -> bool:
        return not self.terms

    def degree(self, i: int) -> int:
        return max((m[i] for m in self.terms), default=-1)

    def min_degree(self, i: int) -> int:
        return min((m[i] for m in self.terms), default=0)

    def free_of(self, i: int) -> bool:
        return all(m[i] == 0 for m in self.terms)

    def constant(self) -> Fraction | None:
        if not self.terms:
            return Fraction(0)
        if len(self.terms) == 1:
            (m, c), = self.terms.items()
            if not any(m):
                return c
        return None

    def divide_by_gen(self, i: int) -> "Poly":
        """self / g_i; every term must hold g_i (the caller knows it does)."""
        out = {}
        for m, c in self.terms.items():
            assert m[i] >= 1, "not divisible"
            out[m[:i] + (m[i] - 1,) + m[i + 1:]] = c
        return Poly(self.gens, out)

    def at(self, i: int, value: "Poly") -> "Poly":
        """Substitute the Poly `value` for generator i."""
        out = Poly.const(self.gens, 0)
        cache: dict = {}
        for m, c in self.terms.items():
            k = m[i]
            if k not in cache:
                cache[k] = value ** k
            rest = Poly(self.gens, {m[:i] + (0,) + m[i + 1:]: c})
            out = out + rest * cache[k]
        return out

    def coefficients(self, i: int) -> dict:
        """{k: Poly}: self = sum of coefficient_k * g_i^k (coefficients free of g_i)."""
        out: dict = {}
        for m, c in self.terms.items():
            k = m[i]
            out.setdefault(k, {})[m[:i] + (0,) + m[i + 1:]] = c
        return {k: Poly(self.gens, t) for k, t in out.items()}

    def divide_linear(self, i: int, a) -> tuple["Poly", "Poly"]:
        """(q, r) with self = (g_i - a) q + r, r free of g_i (synthetic division in g_i)."""
        zero = Poly.const(self.gens, 0)
        coeffs = self.coefficients(i)
        n = max(coeffs, default=0)
        gi = Poly.gen(self.gens, i)
        q, carry = zero, zero
        for k in range(n, 0, -1):
            carry = coeffs.get(k, zero) + carry.scale(a)
            q = q + carry * gi ** (k - 1)
        return q, coeffs.get(0, zero) + carry.scale(a)

    # -------------------------------------------------------------- printing
    def sorted_terms(self) -> list:
        """Descending powers of the first generator, then of the second, then the rest."""
        return sorted(self.terms.items(), key=lambda mc: tuple(-e for e in mc[0]))

    def term_exprs(self) -> list:
        return [_monomial(self.gens, m, c) for m, c in self.sorted_terms()]

    def to_expr(self) -> Expr:
        return add(*self.term_exprs()) if self.terms else Num(0)


def _reciprocal(g: Expr) -> bool:
    return isinstance(g, Div) and g.num == Num(1)


def _checked(p: Poly) -> Poly:
    if len(p.terms) > MAX_TERMS:
        raise PolyLimit(f"more than {MAX_TERMS} terms")
    return p


def _factor_order(gens: tuple) -> list:
    """Print order inside a monomial: the variable, the increment, the other letters, then
    opaque constants (sin(w1)): 2x h y, -2w2 sin(w1)."""
    rank = [(0 if i < 2 or isinstance(g, Sym) else 1, i) for i, g in enumerate(gens)]
    return [i for _, i in sorted(rank)]


def _monomial(gens: tuple, m: tuple, c: Fraction) -> Expr:
    order = _factor_order(gens)
    factors = [power(gens[i], Num(m[i])) for i in order if m[i] and not _reciprocal(gens[i])]
    below = [power(gens[i].den, Num(m[i])) for i in order if m[i] and _reciprocal(gens[i])]
    if below:  # the letter 1/w2 goes below the line: x/w2, not x (1/w2)
        top = _monomial(gens, tuple(0 if _reciprocal(g) else k for g, k in zip(gens, m)), abs(c))
        out = Div(top, mul(*below))
        return neg(out) if c < 0 else out
    body = mul(*factors) if factors else None
    a = abs(c)
    if body is None:
        return num(c)
    if a.denominator != 1:
        head = Div(mul(Num(a.numerator), body), Num(a.denominator))
        if a.numerator == 1:
            head = Div(body, Num(a.denominator))
    elif a == 1:
        head = body
    else:
        head = mul(Num(a), body)
    return neg(head) if c < 0 else head


# ------------------------------------------------------------------ conversion

def to_poly(e: Expr, gens: tuple) -> Poly:
    """`e` as a polynomial in `gens` with rational coefficients, else NotPolynomial."""
    if e in gens:
        return Poly.gen(gens, gens.index(e))
    v = constant_value(e)
    if v is not None:
        return Poly.const(gens, v)
    match e:
        case Add(ts):
            out = Poly.const(gens, 0)
            for t in ts:
                out = out + to_poly(t, gens)
            return out
        case Mul(fs):
            out = Poly.const(gens, 1)
            for f in fs:
                out = out * to_poly(f, gens)
            return out
        case Neg(a):
            return -to_poly(a, gens)
        case Div(n, d):
            c = constant_value(d)
            if c is not None and c != 0:
                return to_poly(n, gens).scale(1 / c)
            if Div(Num(1), d) in gens:
                return to_poly(n, gens) * Poly.gen(gens, gens.index(Div(Num(1), d)))
            raise NotPolynomial(e)
        case Pow(b, x):
            k = number_of(x)
            if k is None or k.denominator != 1 or k < 0:
                raise NotPolynomial(e)
            if k > MAX_EXPONENT:
                raise PolyLimit(f"exponent {k} is more than {MAX_EXPONENT}")
            return to_poly(b, gens) ** int(k)
    raise NotPolynomial(e)


def to_rational(e: Expr, gens: tuple) -> tuple[Poly, Poly]:
    """`e` as numerator/denominator polynomials (common denominators by products, no gcd)."""
    if e in gens:
        return Poly.gen(gens, gens.index(e)), Poly.const(gens, 1)
    v = constant_value(e)
    if v is not None:
        return Poly.const(gens, v), Poly.const(gens, 1)
    match e:
        case Add(ts):
            n, d = Poly.const(gens, 0), Poly.const(gens, 1)
            for t in ts:
                tn, td = to_rational(t, gens)
                if td == d or td.constant() == 1:
                    n = n + (tn if td == d else tn * d)
                elif d.constant() == 1:
                    n, d = n * td + tn, td
                else:
                    n, d = n * td + tn * d, d * td
            return n, d
        case Mul(fs):
            n, d = Poly.const(gens, 1), Poly.const(gens, 1)
            for f in fs:
                fn, fd = to_rational(f, gens)
                n, d = n * fn, d * fd
            return n, d
        case Neg(a):
            n, d = to_rational(a, gens)
            return -n, d
        case Div(a, b):
            an, ad = to_rational(a, gens)
            if Div(Num(1), b) in gens:
                return an * Poly.gen(gens, gens.index(Div(Num(1), b))), ad
            bn, bd = to_rational(b, gens)
            if bn.is_zero():
                raise NotPolynomial(e)
            return an * bd, ad * bn
        case Pow(b, x):
            k = number_of(x)
            if k is None or k.denominator != 1:
                raise NotPolynomial(e)
            if abs(k) > MAX_EXPONENT:
                raise PolyLimit(f"exponent {k} is more than {MAX_EXPONENT}")
            n, d = to_rational(b, gens)
            if k < 0:
                if n.is_zero():
                    raise NotPolynomial(e)
                n, d = d, n
            return n ** int(abs(k)), d ** int(abs(k))
    raise NotPolynomial(e)
