"""The worked solution's first call, round 3: what the shortcuts of the exact-type dispatch keep.

The speed-ups (benchmarks/callgrind_solution.py counts them) replace generators and `match`
cases by loops over exact types, and add quick answers before slower ones. Each must answer
what the slower way answered; these tests hold them to a plain reference over every line the
corpus's worked solutions show, and over small trees that reach the corners.
"""
from __future__ import annotations

import functools
import json
import pathlib
from fractions import Fraction

from tutor import differentiate
from tutor.expr import LEAVES, Add, Call, Const, Div, Mul, Neg, Num, Pow, Sym, children
from tutor.simplifier import _has_bracket, _present, _same_up_to_order, _tops_agree
from tutor.simplifier.live import run_of_letters
from tutor.simplifier.memo import Memo
from tutor.simplifier.normal_form import Simplifier
from tutor.simplifier.sums import MAX_EXPAND_POWER, _any_expandable, _expandable, _may_factor, _polynomial

x, y = Sym("x"), Sym("y")


def _distinct(e):
    seen, stack = set(), [e]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        stack.extend(children(n))


def _present_reference(e):
    names, count = set(), 0
    for n in _distinct(e):
        count += 1
        if isinstance(n, Call):
            names.add(n.func)
        elif isinstance(n, Const):
            names.add(n.name)
        if not isinstance(n, Add) and type(n) not in LEAVES \
                and any(isinstance(k, Add) for k in children(n)):
            names.add("bracket")
    return frozenset(names), count


@functools.lru_cache(maxsize=1)
def _lines() -> tuple:
    """Every raw derivative and simplification line of the corpus's worked solutions, as
    (line, the line before it or None)."""
    data = pathlib.Path(__file__).resolve().parent / "data"
    out = []
    for name in ("seeds", "practice"):
        for text in (data / f"{name}.jsonl").read_text().splitlines():
            if not text.strip():
                continue
            r = json.loads(text)
            sol = differentiate(r["expr"], r["var"], r.get("order", 1))
            for stage in sol.stages:
                out.append((stage.raw, None))
                out.extend((step.after, step.before) for step in stage.simplification)
    return tuple(out)


SMALL = [x, Num(2), Const("e"), Add((x, Num(1))), Call("sin", (Add((x, y)),)),
         Pow(Add((x, Num(1))), Num(2)), Mul((x, x, y)), Div(Add((x, y)), x),
         Neg(Call("ln", (Pow(Const("e"), x),))), Call("max", (x, Add((x, Num(1))))),
         Mul((Num(3), Call("sqrt", (Add((x, Num(1))),))))]


def test_present_and_has_bracket_agree_with_a_walk_of_distinct_nodes():
    shared = Add((x, Num(1)))
    trees = SMALL + [Mul((shared, shared)), Call("f", (shared, Mul((x, shared))))]
    for e, _ in list(_lines()) + [(t, None) for t in trees]:
        assert _present(e) == _present_reference(e)
        assert _has_bracket(e) == ("bracket" in _present_reference(e)[0])


def test_tops_agree_whenever_the_lines_differ_only_in_order():
    pairs = [(Add((x, y)), Add((y, x))), (Mul((x, Num(2))), Mul((Num(2), x))),
             (Call("sin", (Add((x, y)),)), Call("sin", (Add((y, x)),))),
             (Add((x, y)), Mul((x, y))), (Add((x, y, Num(1))), Add((x, y))),
             (Call("sin", (x,)), Call("cos", (x,))), (x, y), (Num(1), Num(2))]
    pairs += [(after, before) for after, before in _lines() if before is not None]
    for a, b in pairs:
        if _same_up_to_order(a, b):
            assert _tops_agree(a, b)
    assert not _tops_agree(Call("sin", (x,)), Call("cos", (x,)))
    assert not _tops_agree(Add((x, y, Num(1))), Add((x, y)))


def test_loops_answer_as_the_generators_did():
    for parts in [(), (x,), (x, x), (x, y, x), (Num(2), x, x), (Mul((x,)), Mul((x,))), (y, x, x, y)]:
        assert run_of_letters(parts) == any(isinstance(p, Sym) and p == q
                                            for p, q in zip(parts, parts[1:]))
    s = Add((x, Num(1)))
    one, half, minus = Fraction(1), Fraction(1, 2), Fraction(-1)
    flats = [[(one, [[1, x, one]])], [(one, [[1, x, Fraction(2)]]), (one, [[1, x, one]])],
             [(one, [[2, s, Fraction(MAX_EXPAND_POWER)]])], [(one, [[2, s, Fraction(9)]])],
             [(one, [[2, s, half]]), (Fraction(3), [[1, x, one]])], [(one, [[2, s, minus]])],
             [(one, [[1, x, one], [3, y, one]]), (one, [[1, x, one]])],
             [(one, [[1, x, one]]), (one, [[3, y, minus]])], [(one, []), (one, [[1, x, one]])],
             [(one, [[3, y, one]]), (Fraction(2), [[3, y, one], [1, x, Fraction(2)]])]]
    for flat in flats:
        assert _any_expandable(flat) == any(_expandable(f) for _, fs in flat for f in fs)
        common = {k for k, _, e in flat[0][1] if e.numerator > 0}
        downstairs = False
        for _, fs in flat:
            common &= {k for k, _, e in fs if e.numerator > 0}
            downstairs = downstairs or any(e.numerator < 0 for _, _, e in fs)
        reference = (downstairs or not _polynomial(flat)) if (common or downstairs) else False
        assert _may_factor(flat) == reference


def test_decompose_and_key_by_exact_type_read_every_kind_of_node():
    s = Simplifier(frozenset({"arithmetic", "collect-factors"}), Memo())
    assert s.decompose(Num(Fraction(-3, 4))) == (Fraction(-3, 4), [])
    assert s.decompose(x) == (1, [[s.key(x), x, 1]])
    assert s.decompose(Const("pi"))[1][0][1] == Const("pi")
    assert s.decompose(Call("sqrt", (x,))) == (1, [[s.key(x), x, Fraction(1, 2)]])
    assert s.decompose(Call("cbrt", (x,))) == (1, [[s.key(x), x, Fraction(1, 3)]])
    assert s.decompose(Call("root", (x, Num(4)))) == (1, [[s.key(x), x, Fraction(1, 4)]])
    assert s.decompose(Div(Num(3), Mul((Num(2), x)))) == (Fraction(3, 2), [[s.key(x), x, -1]])
    assert s.decompose(Neg(Mul((x, x)))) == (-1, [[s.key(x), x, 2]])
    memo = Memo()
    assert memo.key(Add((x, y))) == memo.key(Add((y, x))) != memo.key(Mul((x, y)))
    assert memo.key(Mul((x, y))) != memo.key(Mul((y, x)))
    assert memo.key(Num(2)) == memo.key(Num(Fraction(4, 2))) != memo.key(Sym("2"))
    assert memo.key(Const("e")) != memo.key(Sym("e"))
    assert memo.key(Pow(x, Num(2))) != memo.key(Pow(Num(2), x))
    assert memo.key(Div(x, y)) != memo.key(Mul((x, Pow(y, Num(-1)))))
    assert memo.key(Neg(x)) != memo.key(x)
    assert memo.key(Call("sin", (x,))) != memo.key(Call("cos", (x,)))
