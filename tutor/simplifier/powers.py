"""Powers in the normal form: u^q distributed over a product where that is safe for real
numbers, runs of one variable, symbolic powers, and |u|^r for even r.

Why its own module: what may be done with a power (sqrt(x^4) = x^2 but sqrt(x^2) = |x|; odd
roots are real roots) is one careful idea, apart from how products and sums are collected.
`Powers` is a mixin of `normal_form.Simplifier`: its methods use the pass's `decompose`,
`render`, `simp`, `key`, `opaque` and its enabled groups `flags`.
"""
from __future__ import annotations

from fractions import Fraction

from ..exact import exact_power
from ..expr import Call, Expr, Mul, Num, Pow, Sym, number_of
from .identities import exp_of_ln
from .live import exp_of_ln_live
from .values import numeric_root

__all__ = ["Powers", "UNIT", "times", "even_odd", "abs_power"]

#: the number 1 as a Fraction, made once (Fractions are immutable, so sharing is safe)
UNIT = Fraction(1)


def times(a: Fraction, b: Fraction) -> Fraction:
    """a * b, without a new Fraction when either is the shared 1 (`UNIT`): most coefficients
    and exponents are, and Fraction's multiplication is Python code that normalises."""
    return b if a is UNIT else a if b is UNIT else a * b


class Powers:
    """The power half of a pass (see `normal_form.Simplifier`)."""

    __slots__ = ()
    flags: frozenset
    cf: bool
    live: set

    def runs(self, parts: tuple) -> list:
        """A product's factors with each run of one variable (x x x ... from `xxxx`'s product
        rule) as one entry [key, x, n]: collecting factors would add them anyway, and one entry
        per run keeps a product of n letters linear in n, not one Fraction per letter."""
        out: list = []
        i, n = 0, len(parts)
        while i < n:
            p, j = parts[i], i + 1
            if isinstance(p, Sym):
                while j < n and parts[j] == p:
                    j += 1
                if j - i > 1:
                    out.append([self.key(p), p, j - i])
                    i = j
                    continue
            out.append(p)
            i = j
        return out

    def symbolic_power(self, b: Expr, x: Expr, e: Expr) -> tuple[Fraction, list]:
        """u^x with x not a number: one opaque factor; (u^a)^x stays as typed; 1^x is 1."""
        if type(b) is Num and b.value == 1:
            return UNIT, []
        if "exp-log" in self.flags:
            u = exp_of_ln(self, b, x)
            if u is not None:
                return self.decompose(u)
        elif exp_of_ln_live(b, x):
            self.live.add("exp-log")
        return self.opaque(e)

    def power_of(self, base: tuple[Fraction, list], q: Fraction, e: Expr) -> tuple[Fraction, list]:
        """(c * prod b_i^x_i)^q, distributed only where that is safe for real numbers."""
        c, facs = base
        if q == 0:
            return UNIT, []  # u^0 = 1
        if q.denominator == 1:
            cq = exact_power(c, q)
            if cq is not None:
                out = []
                for k, b, x in facs:
                    if isinstance(b, Pow) and number_of(b.exp) is None:  # (a^y)^n = a^(n y)
                        nb = self.simp(Pow(b.base, Mul((Num(x * q), b.exp))))
                        out.append([self.key(nb), nb, 1])
                    else:
                        out.append([k, b, times(x, q)])
                return cq, out
        elif not facs:
            cq = exact_power(c, q)
            if cq is not None:
                return cq, []
            if c.numerator > 0:  # sqrt(12) = 2 sqrt(3), sqrt(3/4) = sqrt(3)/2
                coef, parts = numeric_root(c, q)
                return coef, [[self.key(Num(Fraction(b))), Num(Fraction(b)), x] for b, x in parts]
        elif c == 1 and len(facs) == 1 and (facs[0][2].numerator % 2 == 1 or even_odd(facs[0][2] * q)):
            # (u^a)^q = u^(aq) for odd-numerator a (signs agree), and for even-numerator a when
            # aq has an even numerator over an odd denominator: both sides are |u|^(aq)
            # (sqrt(x^4) = x^2, cbrt(x^2)^2 = x^(4/3); odd roots are real roots)
            k, b, x = facs[0]
            return UNIT, [[k, b, times(x, q)]]
        if q.numerator < 0:  # keep the root, move it under a fraction bar
            inner = self.render(*self.power_of(base, -q, e))
            return self.opaque(inner, -1)
        inner = self.render(c, facs)
        return UNIT, [[self.key(inner), inner, q]]

    def abs_even(self, coef: Fraction, facs: list) -> tuple[Fraction, list]:
        """|u|^r = u^r when r has an even numerator over an odd denominator (|u|^2 = u^2):
        the answer key writes 1/x for x/|x|^2. Other powers of |u| stay as they are."""
        out = []
        for k, b, x in facs:
            if abs_power(b, x):
                u = b.args[0]
                c, fs = self.power_of(self.decompose(u), x, Pow(u, Num(x)))
                coef *= c
                out.extend(fs)
            else:
                out.append([k, b, x])
        return coef, out


def even_odd(r: Fraction) -> bool:
    """r = p/q with p even and q odd: u^r = |u|^r for every real u (odd roots are real)."""
    return r.numerator % 2 == 0 and r.denominator % 2 == 1 and r != 0


def abs_power(b: Expr, x: Fraction) -> bool:
    return isinstance(b, Call) and b.func == "abs" and len(b.args) == 1 and even_odd(x)
