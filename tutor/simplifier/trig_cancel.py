"""Pass "sin-cos-cancel": write a trigonometric quotient in sin u and cos u, and cancel.

Why: the quotient rule on f = sin x cos x/(tan x + sec x) leaves
(cos²x - sin²x - sin x)/(tan x + sec x), which no identity on single terms or single
products shortens; in s = sin x and c = cos x it is c(1 - s - 2s²)/(1 + s) = c(1 - 2s).
A teacher does exactly this ("write everything in sin and cos, cancel"), so it is one
recorded step whose note says which factor was assumed non-zero.

How: the factors of a product or quotient (or a whole sum) that are rational in the six
circular functions of ONE argument u, with exact numbers, are read as an element of
Q[s, c]/(s² + c² - 1): a pair (A, B) of polynomials in s standing for A(s) + c B(s)
(every c² is 1 - s² as it is multiplied). When numerator and denominator are each c^k
times a polynomial in s (B = 0 or A = 0), the polynomials are cancelled by their gcd in
Q[s] (Euclid over Fractions), every factor 1 - s² becomes c², and the result is rendered
back and tidied by the simplifier. It is kept only when a common factor of degree >= 1
cancelled (rewriting alone would trade the answer key's sec x (tan²x + sec²x) for
(1 + sin²x) sec³x) and the result is strictly shorter (node count).

Everything else (other variables, other functions, symbolic exponents) stays untouched; the
search is iterative and memoised by node identity, and only subtrees of at most MAX_NODES
nodes are tried, so big and deep trees cost a linear scan.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

from ..expr import Add, Call, Div, Expr, Mul, Neg, Num, Pow, children, mul, neg, num, power

__all__ = ["sin_cos_cancel", "CIRCULAR", "MAX_NODES"]

CIRCULAR = frozenset({"sin", "cos", "tan", "sec", "csc", "cot"})
MAX_NODES = 300     # a subtree larger than this is not tried (the algebra grows fast)
MAX_DEGREE = 40     # ... nor one whose polynomials grow beyond this degree
MAX_POWER = 8       # integer powers u^n with |n| up to this are multiplied out

Poly = tuple  # coefficients in s, lowest degree first, no trailing zeros; () is 0


class _Fail(Exception):
    """The subtree is not a rational function of sin u and cos u we can handle."""


# ---------------------------------------------------------------- polynomials in s over Q

def _trim(p: list) -> Poly:
    while p and p[-1] == 0:
        p.pop()
    return tuple(p)


def _padd(p: Poly, q: Poly) -> Poly:
    n = max(len(p), len(q))
    return _trim([(p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)])


def _pscale(p: Poly, k: Fraction) -> Poly:
    return _trim([a * k for a in p]) if k else ()


def _pmul(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return ()
    if len(p) + len(q) - 2 > MAX_DEGREE:
        raise _Fail
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return _trim(out)


def _pdivmod(p: Poly, q: Poly) -> tuple[Poly, Poly]:
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


def _pgcd(p: Poly, q: Poly) -> Poly:
    """Monic gcd (Euclid over the rationals); (1,) when coprime."""
    while q:
        p, q = q, _pdivmod(p, q)[1]
    return _pscale(p, 1 / p[-1]) if p else (Fraction(1),)


_ONE_MINUS_S2 = (Fraction(1), Fraction(0), Fraction(-1))  # c² = 1 - s²
_S = (Fraction(0), Fraction(1))
_1 = (Fraction(1),)


# ---------------------------------------------------------------- Q[s, c]/(s² + c² - 1)

def _emul(x: tuple, y: tuple) -> tuple:
    (a1, b1), (a2, b2) = x, y
    return (_padd(_pmul(a1, a2), _pmul(_pmul(b1, b2), _ONE_MINUS_S2)),
            _padd(_pmul(a1, b2), _pmul(a2, b1)))


def _eadd(x: tuple, y: tuple) -> tuple:
    return _padd(x[0], y[0]), _padd(x[1], y[1])


_E1 = (_1, ())
_ES = (_S, ())
_EC = ((), _1)
#: each function as (numerator, denominator) elements
_FUNC = {"sin": (_ES, _E1), "cos": (_EC, _E1), "tan": (_ES, _EC), "cot": (_EC, _ES),
         "sec": (_E1, _EC), "csc": (_E1, _ES)}
#: the same ring with the roles swapped: polynomials in c, times 1 or s (s² = 1 - c²)
_SWAP = {"sin": "cos", "cos": "sin", "tan": "cot", "cot": "tan", "sec": "csc", "csc": "sec"}
_FUNC_COS = {f: _FUNC[_SWAP[f]] for f in _FUNC}


def _rat(e: Expr, u: Expr, table: dict = _FUNC) -> tuple:
    """e as a fraction (N, D) of ring elements; raises _Fail outside the language."""
    match e:
        case Num(v):
            return ((v,) if v else (), ()), _E1
        case Neg(a):
            (na, nb), d = _rat(a, u, table)
            return (_pscale(na, Fraction(-1)), _pscale(nb, Fraction(-1))), d
        case Call(f, (arg,)) if f in table and arg == u:
            return table[f]
        case Add(ts):
            n, d = _rat(ts[0], u, table)
            for t in ts[1:]:
                n2, d2 = _rat(t, u, table)
                if d2 == d:
                    n = _eadd(n, n2)
                else:
                    n, d = _eadd(_emul(n, d2), _emul(n2, d)), _emul(d, d2)
            return n, d
        case Mul(fs):
            n, d = _rat(fs[0], u, table)
            for f in fs[1:]:
                n2, d2 = _rat(f, u, table)
                n, d = _emul(n, n2), _emul(d, d2)
            return n, d
        case Div(a, b):
            na, da = _rat(a, u, table)
            nb, db = _rat(b, u, table)
            return _emul(na, db), _emul(da, nb)
        case Pow(b, Num(k)) | Pow(b, Neg(Num(k))) if k.denominator == 1 and k <= MAX_POWER:
            n, d = _rat(b, u, table)
            if isinstance(e.exp, Neg):
                n, d = d, n
            rn, rd = _E1, _E1
            for _ in range(int(k)):
                rn, rd = _emul(rn, n), _emul(rd, d)
            return rn, rd
    raise _Fail


def _split(x: tuple) -> tuple[int, Poly]:
    """A ring element c^k R(s) with k in {0, 1}, or _Fail when it mixes both parts."""
    a, b = x
    if not b:
        return 0, a
    if not a:
        return 1, b
    raise _Fail


# ---------------------------------------------------------------- finding candidates

def _first_arg(e: Expr) -> Expr | None:
    """The argument of the first circular function in e (not looking inside calls)."""
    stack = [e]
    while stack:
        n = stack.pop()
        if isinstance(n, Call):
            if n.func in CIRCULAR and len(n.args) == 1:
                return n.args[0]
            continue
        stack.extend(children(n))
    return None


def _pure(e: Expr, u: Expr) -> tuple[bool, bool]:
    """(e is rational in the circular functions of u and numbers, e has a sum of them under
    a fraction bar). Only a sum in a denominator can share a factor of degree >= 1 with the
    numerator (monomial denominators are the quotient identities' business), so only such
    candidates pay for the polynomial algebra."""
    divides = False
    stack = [e]
    while stack:
        n = stack.pop()
        match n:
            case Num():
                continue
            case Call(f, (arg,)) if f in CIRCULAR and arg == u:
                continue
            case Add() | Mul() | Neg():
                stack.extend(children(n))
            case Div(a, b):
                divides = divides or _sum_of_trig(b)
                stack.extend((a, b))
            case Pow(b, Num(k)) if k.denominator == 1 and k <= MAX_POWER:
                stack.append(b)
            case Pow(b, Neg(Num(k))) if k.denominator == 1 and k <= MAX_POWER:
                divides = divides or _sum_of_trig(b)
                stack.append(b)
            case _:
                return False, False
    return True, divides


def _sum_of_trig(e: Expr) -> bool:
    """e has a sum with a circular function in it (not looking inside calls)."""
    stack = [e]
    while stack:
        n = stack.pop()
        if isinstance(n, Add) and _first_arg(n) is not None:
            return True
        if not isinstance(n, Call):
            stack.extend(children(n))
    return False


def _factors(e: Expr) -> tuple[bool, list[tuple[Expr, int]]]:
    """A product-like node as (negative, [(factor, +1 | -1)]), through Mul, Div and Neg."""
    negative, out = False, []
    stack = [(e, 1)]
    while stack:
        n, sgn = stack.pop()
        match n:
            case Neg(a):
                negative = not negative
                stack.append((a, sgn))
            case Mul(fs):
                stack.extend((f, sgn) for f in reversed(fs))
            case Div(a, b):
                stack.append((b, -sgn))
                stack.append((a, sgn))
            case _:
                out.append((n, sgn))
    return negative, out


# ---------------------------------------------------------------- the rewrite

def _render_poly(p: Poly, s: Expr) -> Expr:
    """Descending powers of s, ascending when that avoids a leading minus (1 - 2 sin x)."""
    terms = [(i, a) for i, a in enumerate(p) if a]
    terms.reverse()
    if terms[0][1] < 0 < terms[-1][1]:
        terms.reverse()
    out = []
    for i, a in terms:
        t = mul(num(abs(a)), power(s, num(i)))
        out.append(neg(t) if a < 0 else t)
    return out[0] if len(out) == 1 else Add(tuple(out))


def _content(p: Poly) -> Fraction:
    """The positive rational c with p/c integral and primitive."""
    from math import gcd, lcm
    nums = [a.numerator for a in p if a]
    dens = [a.denominator for a in p if a]
    return Fraction(gcd(*nums), lcm(*dens))


def _cancel(pure: list, negative: bool, u: Expr, table: dict, poly_f: str, mono_f: str):
    """The pure factors as coef m^k P(p)/Q(p) (p = poly_f(u), m = mono_f(u)) after cancelling
    gcd(P, Q) and turning 1 - p² into m²: (expression, gcd as an expression, k, Q, poly_f),
    or None when the gcd is a constant."""
    n, d = _E1, _E1
    for f, sgn in pure:
        fn, fd = _rat(f, u, table)
        if sgn < 0:
            fn, fd = fd, fn
        n, d = _emul(n, fn), _emul(d, fd)
    kn, rn = _split(n)
    kd, rd = _split(d)
    if not rd or not rn:
        return None  # 0, or a zero denominator (left to the evaluator's error)
    k = kn - kd
    g = _pgcd(rn, rd)
    if len(g) < 2:
        return None  # nothing to cancel: rewriting alone would trade the answer key's form
    rn, rd = _pdivmod(rn, g)[0], _pdivmod(rd, g)[0]
    for sign, which in ((2, 0), (-2, 1)):  # a factor 1 - p² is m²
        while True:
            p = (rn, rd)[which]
            q, r = _pdivmod(p, _ONE_MINUS_S2) if len(p) >= 3 else ((), p)
            if r or not q:
                break
            rn, rd = (q, rd) if which == 0 else (rn, q)
            k += sign
    pf, mf = Call(poly_f, (u,)), Call(mono_f, (u,))
    cn, cd = _content(rn), _content(rd)
    if rd[-1] < 0:
        cd = -cd
    coef = (-1 if negative else 1) * cn / cd
    rn, rd = _pscale(rn, 1 / cn), _pscale(rd, 1 / cd)
    top = [num(coef), power(mf, num(k)) if k > 0 else num(1), _render_poly(rn, pf)]
    bottom = [power(mf, num(-k)) if k < 0 else num(1), _render_poly(rd, pf)]
    return Div(mul(*top), mul(*bottom)), _render_poly(g, pf), k, rd, poly_f


def _try(node: Expr, tidy: Callable[[Expr], tuple[Expr, list[str]]], size: Callable[[Expr], int],
         show: Callable[[Expr], str]) -> tuple[Expr, list[str]] | None:
    negative, facs = _factors(node) if not isinstance(node, Add) else (False, [(node, 1)])
    u = next((a for a in (_first_arg(f) for f, _ in facs) if a is not None), None)
    if u is None:
        return None
    pure, rest, divides = [], [], False
    for f, sgn in facs:
        ok, d = _pure(f, u)
        if ok:
            pure.append((f, sgn))
            divides = divides or d or (sgn < 0 and _sum_of_trig(f))
        else:
            rest.append((f, sgn))
    if not divides:
        return None
    for table, poly_f, mono_f in ((_FUNC, "sin", "cos"), (_FUNC_COS, "cos", "sin")):
        try:
            got = _cancel(pure, negative, u, table, poly_f, mono_f)
        except _Fail:
            continue
        if got is not None:
            break
    else:
        return None
    new, g, k, rd, g_in = got
    sin_u, cos_u = Call("sin", (u,)), Call("cos", (u,))
    others_top = [f for f, sgn in rest if sgn > 0]
    others_bottom = [f for f, sgn in rest if sgn < 0]
    if others_top or others_bottom:
        new = Div(mul(new, *others_top), mul(*others_bottom)) if others_bottom \
            else mul(new, *others_top)
    new, tidy_notes = tidy(new)
    if size(new) >= size(node):
        return None
    nonzero = [show(tidy(g)[0])]
    funcs = {c.func for c in _calls(pure)}
    if funcs & {"tan", "sec"} and (k >= 0 if g_in == "sin" else rd[0] != 0):
        nonzero.append(show(cos_u))
    if funcs & {"cot", "csc"} and (rd[0] != 0 if g_in == "sin" else k >= 0):
        nonzero.append(show(sin_u))
    notes = ["cancelling assumes " + " and ".join(f"{x} ≠ 0" for x in nonzero)] if nonzero else []
    return new, notes + [n for n in tidy_notes if n not in notes]


def _calls(pure: list):
    """The circular-function calls of the pure factors (their arguments not searched)."""
    for f, _ in pure:
        stack = [f]
        while stack:
            n = stack.pop()
            if isinstance(n, Call):
                yield n
            else:
                stack.extend(children(n))


def _survey(e: Expr) -> dict[int, tuple[int, int, bool]]:
    """Per node (by identity, shared nodes once, post-order without recursion): (size,
    bits: 1 a circular function inside, 2 a sum inside, candidate: a sum with a circular
    function under a fraction bar somewhere inside, over-estimated; only those are tried)."""
    info: dict[int, tuple[int, int, bool]] = {}
    stack: list = [e]
    while stack:
        n = stack[-1]
        if id(n) in info:
            stack.pop()
            continue
        kids = children(n)
        todo = [k for k in kids if id(k) not in info]
        if todo:
            stack.extend(todo)
            continue
        stack.pop()
        size, bits, cand = 1, 0, False
        if type(n) is Call:
            bits = 1 if n.func in CIRCULAR else 0
        elif type(n) is Add:
            bits = 2
        for k in kids:
            ks, kb, kc = info[id(k)]
            size += ks
            bits |= kb
            cand = cand or kc
        if not cand and bits == 3:
            if type(n) is Div:
                cand = info[id(n.den)][1] == 3
            elif type(n) is Pow and type(n.exp) is Neg:
                cand = info[id(n.base)][1] == 3
        info[id(n)] = (size, bits, cand)
    return info


def sin_cos_cancel(e: Expr, tidy: Callable[[Expr], tuple[Expr, list[str]]], size: Callable[[Expr], int],
                   show: Callable[[Expr], str]) -> tuple[Expr, list[str]]:
    """e with every maximal product, quotient or sum that gets shorter by writing it in
    sin u and cos u and cancelling rewritten (e itself when none does), and the notes.
    `tidy` brings a rebuilt subtree to the simplifier's final form (and says what it
    assumed), `size` counts nodes, `show` prints an expression for a note."""
    info = _survey(e)
    if not info[id(e)][2]:
        return e, []
    mapping: dict[Expr, Expr] = {}
    notes: list[str] = []
    seen: set[int] = set()
    todo = [e]
    while todo:
        n = todo.pop()
        if id(n) in seen or not info[id(n)][2]:
            continue
        seen.add(id(n))
        if isinstance(n, (Add, Mul, Div, Neg)) and info[id(n)][0] <= MAX_NODES:
            try:
                got = _try(n, tidy, size, show)
            except (_Fail, ZeroDivisionError):
                got = None
            if got is not None:
                mapping[n] = got[0]
                notes.extend(x for x in got[1] if x not in notes)
                continue
        todo.extend(children(n))
    if not mapping:
        return e, []
    from ..expr import replace
    return replace(e, mapping), notes
