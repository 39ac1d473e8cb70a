"""The ring trig_cancel computes in: Q[s, c]/(s² + c² - 1), s = sin u and c = cos u.

Why its own module: the polynomial algebra (Euclid over Fractions, the ring product with
c² = 1 - s²) is exact maths with its own tests against floats, apart from the search for
candidates and the rewriting in `trig_cancel`. Everything here is a pure function of immutable
tuples; the tables are read-only.

A polynomial (`Poly`) is a tuple of Fraction coefficients in s, lowest degree first, no
trailing zeros (() is 0). A ring element is a pair (A, B) standing for A(s) + c B(s).
"""
from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from ..expr import Add, Call, Div, Expr, Mul, Neg, Num, Pow
from ..vocabulary import CIRCULAR, families

__all__ = ["Poly", "Fail", "padd", "pscale", "pmul", "pdivmod", "pgcd", "emul", "eadd", "split",
           "rational", "ONE_MINUS_S2", "E1", "SIN_TABLE", "COS_TABLE", "MAX_DEGREE", "MAX_POWER"]

MAX_DEGREE = 40     # polynomials beyond this degree are not multiplied (the algebra grows fast)
MAX_POWER = 8       # integer powers u^n with |n| up to this are multiplied out

Poly = tuple  # coefficients in s, lowest degree first, no trailing zeros; () is 0


class Fail(Exception):
    """The subtree is not a rational function of sin u and cos u we can handle."""


# ---------------------------------------------------------------- polynomials in s over Q

def _trim(p: list) -> Poly:
    while p and p[-1] == 0:
        p.pop()
    return tuple(p)


def padd(p: Poly, q: Poly) -> Poly:
    n = max(len(p), len(q))
    return _trim([(p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)])


def pscale(p: Poly, k: Fraction) -> Poly:
    return _trim([a * k for a in p]) if k else ()


def pmul(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return ()
    if len(p) + len(q) - 2 > MAX_DEGREE:
        raise Fail
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return _trim(out)


def pdivmod(p: Poly, q: Poly) -> tuple[Poly, Poly]:
    r = list(p)
    out = [Fraction(0)] * max(len(p) - len(q) + 1, 0)
    lead = q[-1]
    for i in range(len(p) - len(q), -1, -1):
        k = r[i + len(q) - 1] / lead
        out[i] = k
        if k:
            for j, b in enumerate(q):
                r[i + j] -= k * b
    return _trim(out), _trim(r[: len(q) - 1])


def pgcd(p: Poly, q: Poly) -> Poly:
    """Monic gcd (Euclid over the rationals); (1,) when coprime."""
    while q:
        p, q = q, pdivmod(p, q)[1]
    return pscale(p, 1 / p[-1]) if p else (Fraction(1),)


ONE_MINUS_S2 = (Fraction(1), Fraction(0), Fraction(-1))  # c² = 1 - s²
_S = (Fraction(0), Fraction(1))
_1 = (Fraction(1),)


# ---------------------------------------------------------------- Q[s, c]/(s² + c² - 1)

def emul(x: tuple, y: tuple) -> tuple:
    (a1, b1), (a2, b2) = x, y
    return (padd(pmul(a1, a2), pmul(pmul(b1, b2), ONE_MINUS_S2)),
            padd(pmul(a1, b2), pmul(a2, b1)))


def eadd(x: tuple, y: tuple) -> tuple:
    return padd(x[0], y[0]), padd(x[1], y[1])


E1 = (_1, ())
_ES = (_S, ())
_EC = ((), _1)
#: each circular function of u as (numerator, denominator) ring elements, in s and c
SIN_TABLE = MappingProxyType({"sin": (_ES, E1), "cos": (_EC, E1), "tan": (_ES, _EC),
                              "cot": (_EC, _ES), "sec": (E1, _EC), "csc": (E1, _ES)})
#: the same ring with the roles swapped: polynomials in c, times 1 or s (s² = 1 - c²)
_SWAP = MappingProxyType({"sin": "cos", "cos": "sin", "tan": "cot", "cot": "tan", "sec": "csc",
                          "csc": "sec"})
COS_TABLE = MappingProxyType({f: SIN_TABLE[_SWAP[f]] for f in SIN_TABLE})
assert set(SIN_TABLE) == families(CIRCULAR), "the ring knows every circular function"


def rational(e: Expr, u: Expr, table=SIN_TABLE) -> tuple:
    """e as a fraction (N, D) of ring elements; raises Fail outside the language (numbers,
    the six circular functions of u, +, *, /, -, integer powers up to MAX_POWER)."""
    match e:
        case Num(v):
            return ((v,) if v else (), ()), E1
        case Neg(a):
            (na, nb), d = rational(a, u, table)
            return (pscale(na, Fraction(-1)), pscale(nb, Fraction(-1))), d
        case Call(f, (arg,)) if f in table and arg == u:
            return table[f]
        case Add(ts):
            n, d = rational(ts[0], u, table)
            for t in ts[1:]:
                n2, d2 = rational(t, u, table)
                if d2 == d:
                    n = eadd(n, n2)
                else:
                    n, d = eadd(emul(n, d2), emul(n2, d)), emul(d, d2)
            return n, d
        case Mul(fs):
            n, d = rational(fs[0], u, table)
            for f in fs[1:]:
                n2, d2 = rational(f, u, table)
                n, d = emul(n, n2), emul(d, d2)
            return n, d
        case Div(a, b):
            na, da = rational(a, u, table)
            nb, db = rational(b, u, table)
            return emul(na, db), emul(da, nb)
        case Pow(b, Num(k)) | Pow(b, Neg(Num(k))) if k.denominator == 1 and k <= MAX_POWER:
            n, d = rational(b, u, table)
            if isinstance(e.exp, Neg):
                n, d = d, n
            rn, rd = E1, E1
            for _ in range(int(k)):
                rn, rd = emul(rn, n), emul(rd, d)
            return rn, rd
    raise Fail


def split(x: tuple) -> tuple[int, Poly]:
    """A ring element c^k R(s) with k in {0, 1}, or Fail when it mixes both parts."""
    a, b = x
    if not b:
        return 0, a
    if not a:
        return 1, b
    raise Fail
