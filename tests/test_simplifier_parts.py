"""The simplifier's parts alone: the special-value table, the identities through a stand-in
`Ops`, the one capped fixpoint, and the pass machinery meeting the `Ops` interface."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from tutor.errors import TutorError
from tutor.evaluation import evaluate_float
from tutor.expr import ONE, ZERO, Call, Const, Num, Pow, Sym, neg, num
from tutor.printing import to_text
from tutor.simplifier import fixpoint
from tutor.simplifier.identities import Ops, nonzero, pythagorean, trig_quotients
from tutor.simplifier.memo import Memo
from tutor.simplifier.normal_form import Simplifier
from tutor.simplifier.values import VALUES, special_value

x, y = Sym("x"), Sym("y")
F = Fraction


@pytest.mark.parametrize("row", sorted(VALUES, key=str))
def test_every_special_value_is_true(row):
    f, at = row
    arg = Const(at) if isinstance(at, str) else Num(at)
    assert math.isclose(evaluate_float(Call(f, (arg,)), {}), evaluate_float(VALUES[row], {}),
                        abs_tol=1e-12)
    assert special_value(f, (arg,)) == VALUES[row]


@pytest.mark.parametrize("f, args, want", [
    ("log", (x, x), ONE), ("log", (ONE, y), ZERO), ("log", (x, y), None),
    ("abs", (neg(num(3)),), num(3)), ("abs", (Pow(x, num(2)),), Pow(x, num(2))),
    ("abs", (Pow(x, num(3)),), None), ("abs", (Pow(Const("e"), x),), Pow(Const("e"), x)),
    ("abs", (Call("cosh", (x,)),), Call("cosh", (x,))), ("abs", (Call("sin", (x,)),), None),
    ("ln", (num(2),), None), ("ln", (Const("pi"),), None), ("sin", (x,), None),
])
def test_special_value_rules(f, args, want):
    assert special_value(f, args) == want


class StandIn:
    """The least an identity needs: structural keys and a notebook."""

    def __init__(self):
        self.memo = Memo()
        self.key, self.size = self.memo.key, self.memo.size
        self.idle_brackets: set[int] = set()
        self.notes: list = []

    def assume(self, note):
        self.notes.append(note)


def _f(ops, base, exp):
    return [ops.key(base), base, F(exp)]


def test_pythagorean_alone():
    ops = StandIn()
    s2, c2 = (_f(ops, Call(n, (x,)), 2) for n in ("sin", "cos"))
    assert pythagorean(ops, [(F(3), [s2]), (F(3), [c2])]) == [(F(3), [])]   # 3 sin² + 3 cos² = 3
    one_minus = pythagorean(ops, [(F(1), []), (F(-1), [s2])])                 # 1 - sin² = cos²
    assert [(c, [b for _, b, _ in fs]) for c, fs in one_minus] == [(F(1), [Call("cos", (x,))])]
    unrelated = [(F(1), [s2]), (F(1), [_f(ops, Call("cos", (y,)), 2)])]
    assert pythagorean(ops, unrelated) is unrelated


def test_quotient_identities_alone_say_what_they_assume():
    ops = StandIn()
    sin, cos, sec = (Call(n, (x,)) for n in ("sin", "cos", "sec"))
    got = trig_quotients(ops, [_f(ops, sin, 1), _f(ops, cos, -1)])          # sin/cos = tan
    assert [(b, e) for _, b, e in got] == [(Call("tan", (x,)), 1)] and ops.notes == []
    assert trig_quotients(ops, [_f(ops, sec, 1), _f(ops, cos, 1)]) == []     # sec cos = 1
    assert [str(n) for n in ops.notes] == ["cancelling assumes cos(x) ≠ 0"]


def test_notes_keep_their_maths():
    note = nonzero(Pow(Sym("w2"), num(2)))
    assert note.maths == (Pow(Sym("w2"), num(2)),)
    assert str(note) == "cancelling assumes w2^2 ≠ 0"
    assert note.render(lambda e: f"${to_text(e)}$") == "cancelling assumes $w2^2$ ≠ 0"


def test_the_pass_is_an_ops():
    members = [m for m in vars(Ops) if not m.startswith("_")] + list(Ops.__annotations__)
    s = Simplifier(frozenset({"arithmetic"}))
    assert all(hasattr(s, m) for m in members), [m for m in members if not hasattr(s, m)]


def test_fixpoint_is_capped():
    assert fixpoint(lambda n: (min(n + 1, 3), []), 0, 10, "no") == (3, [])
    with pytest.raises(TutorError, match="did not settle"):
        fixpoint(lambda n: (n + 1, []), 0, 5, "did not settle")
