"""The simplifier's shortcuts for speed (issue 15) answer what the long way answers.

`render_size` and `sum_size` count the nodes a rendering would have without building it (the
size tests of `try_expand`, `try_factor`, `clear_compound` and the brackets identity): they
must equal `size(render(...))` and `size(render_sum(...))` exactly, live sets included, or a
size test could come out otherwise and an answer change.
"""
from __future__ import annotations

import random
from fractions import Fraction

import pytest

from tutor import differentiate
from tutor.expr import Add, Call, Num, Sym, Pow
from tutor.simplifier import PASSES, simplify_steps
from tutor.simplifier.memo import Memo
from tutor.simplifier.normal_form import Simplifier

_EXPONENTS = [Fraction(n, d) for n in (-3, -2, -1, 1, 2, 3) for d in (1, 2, 3, 4)]
_BASES = [Sym("x"), Sym("y"), Call("sin", (Sym("x"),)), Add((Sym("x"), Num(Fraction(1)))),
          Pow(Sym("x"), Sym("y")), Call("sqrt", (Add((Sym("x"), Sym("y"))),))]
_COEFS = [Fraction(n, d) for n in (-7, -2, -1, 0, 1, 2, 5) for d in (1, 3)]


def _forms(seed: int, count: int):
    rnd = random.Random(seed)
    for _ in range(count):
        facs = [(rnd.choice(_BASES), rnd.choice(_EXPONENTS)) for _ in range(rnd.randint(0, 4))]
        yield rnd.choice(_COEFS), facs


@pytest.mark.parametrize("i", range(len(PASSES)))
def test_render_size_is_the_size_of_the_rendering(i):
    s = Simplifier(frozenset(r for r, _ in PASSES[: i + 1]), Memo())
    for coef, pairs in _forms(i, 400):
        facs = [[s.key(b), b, x] for b, x in pairs]
        assert s.render_size(coef, facs) == s.size(s.render(coef, list(facs)))


@pytest.mark.parametrize("i", range(len(PASSES)))
def test_sum_size_is_the_size_of_the_rendered_sum_and_marks_the_same_groups(i):
    rnd = random.Random(100 + i)
    flags = frozenset(r for r, _ in PASSES[: i + 1])
    for _ in range(200):
        terms = [(coef, [[0, b, x] for b, x in pairs]) for coef, pairs in _forms(rnd.random(), rnd.randint(0, 4))]
        a, b = Simplifier(flags, Memo()), Simplifier(flags, Memo())
        for s in (a, b):
            for _, fs in terms:
                for f in fs:
                    f[0] = s.key(f[1])
        for c, fs in terms[:1]:  # a term the sum keeps as it came (`reuse`)
            node = a.render(c, fs)
            a.src[id(fs)] = (fs, c, node)
            b.src[id(fs)] = (fs, c, node)
        try:
            want = b.size(b.render_sum(terms))
        except IndexError:  # what render_sum does, sum_size does
            with pytest.raises(IndexError):
                a.sum_size(terms)
            continue
        assert a.sum_size(terms) == want
        assert a.live == b.live


def test_simplifying_twice_in_one_process_gives_the_same_steps():
    """Nothing a call leaves behind (it keeps no tables) changes the next call's answer."""
    raws = [st.raw for text in ("sqrt(x + sqrt(x + sqrt(x)))", "(sin(x) cos(x))/(tan(x) + sec(x))",
                                "(x^2 + 1)(x - 3)(2x + 5)/((x^2 - 2)(x + 7))", "ln(sqrt((1 + x)/(1 - x)))")
            for st in differentiate(text, "x").stages]
    first = [simplify_steps(r) for r in raws]
    assert [simplify_steps(r) for r in raws] == first
