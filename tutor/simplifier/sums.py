"""Sums in the normal form: a sum is a list of product forms, collected, expanded, factored.

Why its own module: the product form (`normal_form`) is one idea and what is done with lists of
products is another (like terms, multiplying out, common factors and denominators, polynomial
order), and each is long enough to read alone. `SumForms` is a mixin of `normal_form.Simplifier`:
its methods use the pass's product machinery (`product_of`, `merge`, `decompose`, `render`,
`key`, `size`), its enabled groups `flags` and its per-pass table `src`.
"""
from __future__ import annotations

from fractions import Fraction
from operator import is_not

from ..expr import ZERO, Add, Expr, Sym
from .identities import has_squared_lead, pythagorean
from .powers import UNIT, times

__all__ = ["SumForms", "MAX_EXPAND_POWER", "MAX_EXPAND_TERMS"]

#: the exponent 0 of a base a term lacks: an int, as whole exponents are (`normal_form`), so
#: the exponents compared and subtracted in `try_factor` are mostly ints (C code)
_NO_POWER = 0
MAX_EXPAND_POWER = 8     # (a + b)^n is multiplied out only for n up to this
MAX_EXPAND_TERMS = 400   # ... and only while the expansion stays this small


class SumForms:
    """The sum half of a pass (see `normal_form.Simplifier`)."""

    __slots__ = ()
    flags: frozenset
    live: set  # groups not on whose tests came out otherwise (see `normal_form.Simplifier`)
    src: dict  # id(term list) -> (term list, coefficient, the term's own node), per pass

    def sum_of(self, terms: list[Expr]) -> Expr:
        """The normal form of the sum of normal-form terms: c (a + b) inside a sum spread out,
        like terms collected, then the enabled sum groups (pythagorean, expand, fractions)."""
        flat: list[tuple[Fraction, list]] = []
        for t in terms:
            c, fs = self.product_of(t)
            if len(fs) == 1 and isinstance(fs[0][1], Add) and (fs[0][2] is UNIT or fs[0][2] == 1):
                for inner in fs[0][1].terms:  # c (a + b) inside a sum: c a + c b
                    ci, fi = self.merge(*self.decompose(inner))
                    flat.append((c * ci, fi))
            elif c.numerator != 0:
                flat.append((c, fs))
                self.src[id(fs)] = (fs, c, t)
        flat = self.collect(flat)
        if "pythagorean" in self.flags:
            merged = pythagorean(self, flat)
            if merged is not flat:
                flat = self.collect([self.merge(c, fs) for c, fs in merged])
        elif has_squared_lead(flat):
            self.live.add("pythagorean")  # the identity might act here (see `live`)
        if "expand" in self.flags:
            flat = self.try_expand(flat)
        elif _any_expandable(flat):
            self.live.add("expand")
        if len(flat) > 1:
            if "fractions" in self.flags:
                factored = self.try_factor(flat)
                if factored is not None:
                    return factored
            elif _may_factor(flat):
                self.live.add("fractions")
        return self.render_sum(flat)

    def term_key(self, facs: list) -> tuple:
        """Which terms are alike: their factors' (key, exponent), in any order; an exponent as
        its numerator and denominator (hashing a Fraction costs a modular inverse)."""
        if len(facs) < 2:
            return tuple((k, x.numerator, x.denominator) for k, _, x in facs)
        return tuple(sorted((k, x.numerator, x.denominator) for k, _, x in facs))

    def collect(self, flat: list) -> list:
        """Like terms (group "collect-terms"); plain numbers are always added up:
        c1 t + c2 t = (c1 + c2) t."""
        every = "collect-terms" in self.flags
        if not every and len(flat) > 1:
            keys = [self.term_key(fs) for _, fs in flat if fs]
            if len(set(keys)) < len(keys):
                self.live.add("collect-terms")  # like terms that collecting would add up
        groups: dict[tuple, list] = {}
        for c, fs in flat:
            k = self.term_key(fs) if (every or not fs) else ("term", len(groups))
            if k in groups:
                groups[k][0] += c
            else:
                groups[k] = [c, fs]
        return [(c, fs) for c, fs in groups.values() if c.numerator != 0]

    def render_sum(self, flat: list) -> Expr:
        """A sum form as a tree (a polynomial in descending powers when "order" is on)."""
        if "order" in self.flags:
            flat = _poly_order(flat)
        elif len(flat) > 1 and any(map(is_not, _poly_order(flat), flat)):  # (in C)
            self.live.add("order")
        parts = [self.reuse(c, fs) for c, fs in flat]
        if not parts:
            return ZERO
        return parts[0] if len(parts) == 1 else Add(tuple(parts))

    def render_size(self, coef: Fraction, facs: list) -> int:
        """`size(render(coef, facs))` without building the tree: why, the size tests (is the
        rewrite shorter?) render candidates that are mostly thrown away. Mirrors
        `normal_form.Simplifier.render` case by case (exponent 1/2 and 1/3 as sqrt and cbrt);
        a rendering thrown away has no other effect (nothing can meet it)."""
        if coef.numerator == 0 or not facs:
            return 2 if coef.numerator < 0 else 1  # 0, p/q, or -(p/q)
        size = self.size
        cn, cd = coef.numerator, coef.denominator  # (ints: a Fraction's tests are Python code)
        if len(facs) == 1 and cn == 1 and cd == 1 and facs[0][2] == 1:
            return size(facs[0][1])
        n_top = n_bottom = top = bottom = 0  # items above and below the bar, their sizes
        for _, b, x in facs:
            n = x.numerator
            if n == 0:
                continue
            d, unit = x.denominator, n == 1 or n == -1  # |x| is 1 (d = 1), or 1/2, 1/3 as roots
            item = size(b) + (0 if unit and d == 1 else 1 if unit and d in (2, 3) else 2)
            if n > 0:
                n_top, top = n_top + 1, top + item
            else:
                n_bottom, bottom = n_bottom + 1, bottom + item
        if cn not in (1, -1):
            n_top, top = n_top + 1, top + 1
        if cd != 1:
            n_bottom, bottom = n_bottom + 1, bottom + 1
        out = _product_size(n_top, top)
        if n_bottom:
            out += 1 + _product_size(n_bottom, bottom)
        return out + 1 if cn < 0 else out

    def sum_size(self, flat: list) -> int:
        """`size(render_sum(flat))` without building the tree (see `render_size`), with the
        same effect on `live`."""
        if "order" in self.flags:
            _poly_order(flat)  # as render_sum does (the order does not change the size)
        elif len(flat) > 1 and any(map(is_not, _poly_order(flat), flat)):  # (in C)
            self.live.add("order")
        sizes = []
        for c, fs in flat:
            hit = self.src.get(id(fs))
            sizes.append(self.size(hit[2]) if hit is not None and (hit[1] is c or hit[1] == c)
                         else self.render_size(c, fs))
        if not sizes:
            return 1
        return sizes[0] if len(sizes) == 1 else 1 + sum(sizes)

    def reuse(self, c: Fraction, fs: list) -> Expr:
        """The term's own node when collecting left it alone, else a fresh rendering."""
        hit = self.src.get(id(fs))
        if hit is not None and (hit[1] is c or hit[1] == c):  # `is`: no Fraction compare
            return hit[2]
        return self.render(c, fs)

    def try_expand(self, flat: list) -> list:
        """Multiply out products of sums when the collected result is strictly shorter."""
        if not _any_expandable(flat):
            return flat
        if _shared_bracket(flat):  # taken out by "fractions" instead: (3x - 1)^3 (2x + 5)^2 (...)
            return flat
        out: list = []
        for c, fs in flat:
            acc = [(c, [f for f in fs if not _expandable(f)])]
            for k, b, x in fs:
                if not _expandable([k, b, x]):
                    continue
                inner = [self.merge(*self.decompose(t)) for t in b.terms]
                for _ in range(int(x)):
                    acc = [(times(c1, c2), f1 + f2) for c1, f1 in acc for c2, f2 in inner]
                    if len(acc) > MAX_EXPAND_TERMS:
                        return flat
            out.extend(self.merge(c1, list(f1)) for c1, f1 in acc)
        out = self.collect(out)
        if self.sum_size(out) < self.sum_size(flat):
            return out
        return flat

    def clear_compound(self, coef: Fraction, facs: list) -> tuple[Fraction, list]:
        """A product with a sum of fractions in it, each such sum put over its common
        denominator when the whole product gets shorter (group "fractions"): what is over the
        common denominator can then cancel with the rest of the product, as an answer key
        cancels it: (1 + x/s)/(x + s) = 1/s, (sqrt(x) - 1/sqrt(x))/(2x) = (x - 1)/(2x^(3/2)).
        Why at the product: alone, the sum over one denominator is often longer, and only
        the product around it shows whether something cancels."""
        for i, (_k, b, x) in enumerate(facs):
            if not (isinstance(b, Add) and x.denominator == 1):
                continue
            flat = [self.product_of(t) for t in b.terms]
            if not any(y.numerator < 0 for _, fs in flat for _, _, y in fs):
                continue
            one = self.try_factor(flat, force=True)
            if one is None or isinstance(one, Add):
                continue
            marks = len(self.notes), set(self.noted)
            c, fs = self.power_of(self.decompose(one), x, one)
            new = self.merge(coef * c, facs[:i] + fs + facs[i + 1:])
            if self.render_size(*new) < self.render_size(coef, facs):
                return self.clear_compound(*new)
            del self.notes[marks[0]:]
            self.noted = marks[1]
        return coef, facs

    def try_factor(self, flat: list, force: bool = False) -> Expr | None:
        """Take out factors common to every term, including a common denominator
        (the most negative power of each base that only ever appears downstairs); unless
        `force`, only when the result is no longer than the sum."""
        common_keys = {k for k, _, x in flat[0][1] if x.numerator > 0}
        downstairs = False
        for _, fs in flat:
            if common_keys:
                common_keys &= {k for k, _, x in fs if x.numerator > 0}
            downstairs = downstairs or any(x.numerator < 0 for _, _, x in fs)
            if not common_keys and downstairs:
                break
        if not common_keys and not downstairs:
            return None  # nothing in common and no denominators: the usual case, done fast
        if not downstairs and _polynomial(flat):
            return None  # a polynomial in one variable stays expanded: 3x^2 + 2x, not x (3x + 2)
        maps = [{k: x for k, _, x in fs} for _, fs in flat]
        bases: dict[int, Expr] = {}
        for _, fs in flat:
            for k, b, _x in fs:
                bases.setdefault(k, b)
        common = []
        for k, b in bases.items():
            exps = [m.get(k, _NO_POWER) for m in maps]
            if all(x.numerator >= 0 for x in exps) or all(x.numerator <= 0 for x in exps) or force:
                low = min(exps)  # forced: the common denominator of mixed powers, sqrt(x) - 1/sqrt(x)
                if low.numerator != 0:
                    common.append([k, b, low])
        if not common:
            return None
        inner = []
        for (c, _fs), m0 in zip(flat, maps):
            m = dict(m0)
            for k, _, x in common:
                m[k] = m.get(k, _NO_POWER) - x
            inner.append((c, [[k, bases[k], x] for k, x in m.items() if x.numerator != 0]))
        inner = self.collect(inner)
        if "expand" in self.flags:
            inner = self.try_expand(inner)
        if not inner:
            candidate: Expr = ZERO
        elif len(inner) == 1:
            candidate = self.render(*self.merge(inner[0][0], common + list(inner[0][1])))
        else:
            s = self.render_sum(inner)
            candidate = self.render(*self.merge(Fraction(1), common + [[self.key(s), s, 1]]))
        if force or self.size(candidate) <= self.sum_size(flat):
            return candidate
        return None


def _product_size(n: int, total: int) -> int:
    """The size of `_product` of n items whose sizes add up to `total`."""
    return 1 if n == 0 else total if n == 1 else total + 1


def _may_factor(flat: list) -> bool:
    """Whether `try_factor` (not forced) could get past its quick refusals: some factor common
    to every term, or a denominator, and not a polynomial in one variable. The first
    denominator answers (a loop, not generators: every sum of the early passes asks)."""
    common_keys = {k for k, _, x in flat[0][1] if x.numerator > 0}
    for _, fs in flat:
        for _, _, x in fs:
            if x.numerator < 0:
                return True
        if common_keys:
            common_keys &= {k for k, _, x in fs if x.numerator > 0}
    return bool(common_keys) and not _polynomial(flat)


def _any_expandable(flat: list) -> bool:
    """Whether some factor of some term is `_expandable`: one loop by exact type, not a
    generator calling it per factor (every sum of every pass asks this)."""
    for _, fs in flat:
        for f in fs:
            if type(f[1]) is Add:
                x = f[2]
                if x.denominator == 1 and 1 <= x.numerator <= MAX_EXPAND_POWER:
                    return True
    return False


def _expandable(f: list) -> bool:
    _, b, x = f
    return isinstance(b, Add) and x.denominator == 1 and 1 <= x.numerator <= MAX_EXPAND_POWER


def _poly_order(flat: list) -> list:
    """A polynomial in one variable in descending powers (ascending if that avoids a
    leading minus); anything else as it came."""
    var = None
    for _, fs in flat:
        if len(fs) > 1:
            return flat
        if fs:
            _, b, x = fs[0]
            if not isinstance(b, Sym) or x.denominator != 1 or x.numerator < 0 \
                    or (var is not None and b != var):
                return flat
            var = b
    # (whole exponents and signs by their numerators: ints compare faster than Fractions)
    down = sorted(flat, key=lambda t: -(t[1][0][2].numerator if t[1] else 0))
    if down and down[0][0].numerator < 0 < down[-1][0].numerator:  # -2w + 1 reads better as 1 - 2w
        return down[::-1]
    return down


def _shared_bracket(flat: list) -> bool:
    """Two or more terms and a power of a sum that is a factor of every one of them."""
    if len(flat) < 2:
        return False
    keys = {k for k, b, x in flat[0][1] if isinstance(b, Add) and x.numerator > 0}
    for _, fs in flat[1:]:
        keys &= {k for k, _, x in fs if x.numerator > 0}
        if not keys:
            return False
    return True


def _polynomial(flat: list) -> bool:
    """Every term c x^n, one variable x, n a positive whole number (in several variables a
    common factor may matter: x^3 + y^3 = 6xy is used on 2xy (x^3 + y^3 ...))."""
    var = None
    for _, fs in flat:
        if len(fs) != 1:
            return False
        _, b, x = fs[0]
        if not isinstance(b, Sym) or x.denominator != 1 or x.numerator <= 0 \
                or (var is not None and b != var):
            return False
        var = b
    return True
