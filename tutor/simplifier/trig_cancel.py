"""Pass "sin-cos-cancel": write a trigonometric quotient in sin u and cos u, and cancel.

Why: the quotient rule on f = sin x cos x/(tan x + sec x) leaves
(cos²x - sin²x - sin x)/(tan x + sec x), which no identity on single terms or single
products shortens; in s = sin x and c = cos x it is c(1 - s - 2s²)/(1 + s) = c(1 - 2s).
A teacher does exactly this ("write everything in sin and cos, cancel"), so it is one
recorded step whose note says which factor was assumed non-zero.

Why callbacks: this module needs the simplifier (to tidy what it rebuilt, to count nodes) but
must not import it; the driver passes `tidy` and `size` in, so the algebra stays testable alone.

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
nodes are tried, so big and deep trees cost a linear scan. `_survey`'s table (id(node) ->
facts) lives for one call and is reached from the tree it describes, which keeps every keyed
node alive; module tables are read-only, so threads may cancel at once.
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm
from typing import Callable

from ..expr import Add, Call, Div, Expr, Mul, Neg, Num, Pow, children, mul, neg, num, power, replace
from ..steps import Note
from ..vocabulary import CIRCULAR as CIRCULAR_FAMILY, families
from .trig_ring import (COS_TABLE, E1, MAX_POWER, ONE_MINUS_S2, SIN_TABLE, Fail, Poly, emul,
                        pdivmod, pgcd, pscale, rational, split)

__all__ = ["sin_cos_cancel", "CIRCULAR", "MAX_NODES"]

CIRCULAR = families(CIRCULAR_FAMILY)  # sin cos tan sec csc cot
MAX_NODES = 300     # a subtree larger than this is not tried (the algebra grows fast)


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
    nums = [a.numerator for a in p if a]
    dens = [a.denominator for a in p if a]
    return Fraction(gcd(*nums), lcm(*dens))


def _cancel(pure: list, negative: bool, u: Expr, table, poly_f: str, mono_f: str):
    """The pure factors as coef m^k P(p)/Q(p) (p = poly_f(u), m = mono_f(u)) after cancelling
    gcd(P, Q) and turning 1 - p² into m²: (expression, gcd as an expression, k, Q, poly_f),
    or None when the gcd is a constant."""
    n, d = E1, E1
    for f, sgn in pure:
        fn, fd = rational(f, u, table)
        if sgn < 0:
            fn, fd = fd, fn
        n, d = emul(n, fn), emul(d, fd)
    kn, rn = split(n)
    kd, rd = split(d)
    if not rd or not rn:
        return None  # 0, or a zero denominator (left to the evaluator's error)
    k = kn - kd
    g = pgcd(rn, rd)
    if len(g) < 2:
        return None  # nothing to cancel: rewriting alone would trade the answer key's form
    rn, rd = pdivmod(rn, g)[0], pdivmod(rd, g)[0]
    for sign, which in ((2, 0), (-2, 1)):  # a factor 1 - p² is m²
        while True:
            p = (rn, rd)[which]
            q, r = pdivmod(p, ONE_MINUS_S2) if len(p) >= 3 else ((), p)
            if r or not q:
                break
            rn, rd = (q, rd) if which == 0 else (rn, q)
            k += sign
    pf, mf = Call(poly_f, (u,)), Call(mono_f, (u,))
    cn, cd = _content(rn), _content(rd)
    if rd[-1] < 0:
        cd = -cd
    coef = (-1 if negative else 1) * cn / cd
    rn, rd = pscale(rn, 1 / cn), pscale(rd, 1 / cd)
    top = [num(coef), power(mf, num(k)) if k > 0 else num(1), _render_poly(rn, pf)]
    bottom = [power(mf, num(-k)) if k < 0 else num(1), _render_poly(rd, pf)]
    return Div(mul(*top), mul(*bottom)), _render_poly(g, pf), k, rd, poly_f


Tidy = Callable[[Expr], tuple[Expr, list[Note]]]


def _try(node: Expr, tidy: Tidy, size: Callable[[Expr], int]) -> tuple[Expr, list[Note]] | None:
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
    for table, poly_f, mono_f in ((SIN_TABLE, "sin", "cos"), (COS_TABLE, "cos", "sin")):
        try:
            got = _cancel(pure, negative, u, table, poly_f, mono_f)
        except Fail:
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
    nonzero = [tidy(g)[0]]
    funcs = {c.func for c in _calls(pure)}
    if funcs & {"tan", "sec"} and (k >= 0 if g_in == "sin" else rd[0] != 0):
        nonzero.append(cos_u)
    if funcs & {"cot", "csc"} and (rd[0] != 0 if g_in == "sin" else k >= 0):
        nonzero.append(sin_u)
    notes = [Note("cancelling assumes " + " and ".join("{%d} ≠ 0" % i for i in range(len(nonzero))),
                  tuple(nonzero))]
    return new, _new_notes(notes, tidy_notes)


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


def _new_notes(notes: list[Note], more) -> list[Note]:
    """notes, then those of `more` whose text is not there yet."""
    seen = {str(n) for n in notes}
    out = list(notes)
    for n in more:
        if str(n) not in seen:
            seen.add(str(n))
            out.append(n)
    return out


def sin_cos_cancel(e: Expr, tidy: Tidy, size: Callable[[Expr], int]) -> tuple[Expr, list[Note]]:
    """e with every maximal product, quotient or sum that gets shorter by writing it in
    sin u and cos u and cancelling rewritten (e itself when none does), and the notes.
    `tidy` brings a rebuilt subtree to the simplifier's final form (and says what it
    assumed, as `steps.Note`s), `size` counts nodes."""
    info = _survey(e)
    if not info[id(e)][2]:
        return e, []
    mapping: dict[Expr, Expr] = {}
    notes: list[Note] = []
    seen: set[int] = set()
    todo = [e]
    while todo:
        n = todo.pop()
        if id(n) in seen or not info[id(n)][2]:
            continue
        seen.add(id(n))
        if isinstance(n, (Add, Mul, Div, Neg)) and info[id(n)][0] <= MAX_NODES:
            try:
                got = _try(n, tidy, size)
            except (Fail, ZeroDivisionError):
                got = None
            if got is not None:
                mapping[n] = got[0]
                notes = _new_notes(notes, got[1])
                continue
        todo.extend(children(n))
    if not mapping:
        return e, []
    return replace(e, mapping), notes
