"""The worked solution's first call, round 5: what the shortcuts keep (issue 15).

Each speed-up (benchmarks/callgrind_solution.py counts them) must answer what the plainer way
answered. These tests hold each one to that reference, over the corpus's worked solutions in
every format and over random derivatives:
- the simplifier's renderings share the numerals 0 to 64 (`normal_form.whole`) rather than
  build a fresh leaf each time;
- `expr.number_of`, `expr.children` and `expr.with_children` answer by exact type, and
  `expr.free_symbols` walks in a loop, `Num` checks its value's exact
  type;
- the product forms' exponents are ints when whole (C arithmetic), not Fractions.
"""
from __future__ import annotations

import contextlib
import json
import pathlib
from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from tutor import differentiate
from tutor.engine import Context, derive
from tutor.errors import TutorError
from tutor.expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym,
                        _children_slow, children, free_symbols, number_of, walk, with_children)
from tutor.simplifier import normal_form, simplify_steps

from strategies import diff_exprs, exprs

DATA = pathlib.Path(__file__).resolve().parent / "data"
ROWS = [json.loads(line) for name in ("seeds", "practice")
        for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line.strip()]


@contextlib.contextmanager
def fresh_numerals():
    """The reference path: every numeral a rendering writes is a node of its own."""
    with mock.patch.object(normal_form, "whole", lambda n: Num(Fraction(n))):
        yield


def _as_fractions(form):
    coef, facs = form
    return coef, [[k, b, Fraction(x)] for k, b, x in facs]


@contextlib.contextmanager
def fraction_exponents():
    """The reference path: every exponent of every product form is a Fraction, as it was
    before whole ones became ints (each form is made a Fraction-exponent one where it is
    made, merged and rendered)."""
    S = normal_form.Simplifier
    decompose, merge, render = S.decompose, S.merge, S.render
    with mock.patch.object(S, "decompose", lambda self, e: _as_fractions(decompose(self, e))), \
            mock.patch.object(S, "merge", lambda self, c, fs: _as_fractions(merge(self, *_as_fractions((c, fs))))), \
            mock.patch.object(S, "render", lambda self, c, fs: render(self, *_as_fractions((c, fs)))):
        yield


def _outputs(row) -> list[str]:
    sol = differentiate(row["expr"], row["var"], row.get("order", 1))
    return [f(d) for d in ("brief", "normal", "full")
            for f in (sol.to_text, sol.to_latex, sol.to_markdown, sol.to_json)]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_shared_numerals_change_no_output(row):
    fast = _outputs(row)
    with fresh_numerals():
        assert _outputs(row) == fast


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_int_exponents_change_no_output(row):
    fast = _outputs(row)
    with fraction_exponents():
        assert _outputs(row) == fast


def _steps(e) -> list[tuple]:
    return [(s.rule, s.name, s.before, s.after, str(s.note)) for s in simplify_steps(e)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diff_exprs("x", max_leaves=8))
def test_shared_numerals_change_no_step_of_random_derivatives(e):
    try:
        raw = derive(e, Context("x", False)).result
        fast = _steps(raw)
    except TutorError:
        return
    with fresh_numerals():
        assert _steps(raw) == fast
    with fraction_exponents():
        assert _steps(raw) == fast


def test_whole_shares_small_numerals_only():
    assert normal_form.whole(2) is normal_form.whole(2)
    assert normal_form.whole(64) is normal_form.whole(64)
    assert normal_form.whole(65) == Num(Fraction(65)) and normal_form.whole(65) is not normal_form.whole(65)
    assert normal_form.whole(-3) == Num(Fraction(-3))


def _number_of_reference(e):
    match e:
        case Num(v):
            return v
        case Neg(Num(v)):
            return -v
    return None


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=10))
def test_number_of_and_children_answer_as_match_does(e):
    stack = [e, Indicator(e, ">", Num(Fraction(0))), Derivative(e, "x")]
    while stack:
        n = stack.pop()
        assert number_of(n) == _number_of_reference(n)
        assert type(children(n)) is tuple and children(n) == _children_slow(n)  # the match
        stack.extend(children(n))


def test_num_keeps_a_fraction_and_converts_an_int():
    half = Fraction(1, 2)
    assert Num(half).value is half
    assert type(Num(3).value) is Fraction and Num(3).value == 3
    assert number_of(Neg(Num(Fraction(2)))) == -2 and number_of(Neg(Sym("x"))) is None
    assert number_of(Const("e")) is None


def _exact_power_reference(c: Fraction, q: Fraction):
    """exact_power's whole-exponent answers as they were written before (c ** n throughout)."""
    from tutor.exact import MAX_EXPONENT
    from tutor.limits import MAX_DIGITS
    n = q.numerator
    if c == 0:
        return None if n < 0 else Fraction(0 if n else 1)
    if n == 1 or c in (1, -1):
        return c ** n
    if abs(n) > MAX_EXPONENT:
        return None
    bits = max(abs(c.numerator).bit_length(), c.denominator.bit_length())
    if bits * abs(n) * 0.302 > MAX_DIGITS:
        return None
    return c ** n


def test_exact_power_of_whole_exponents_as_before():
    from tutor.exact import exact_power
    coefs = [Fraction(n, d) for n in range(-5, 6) for d in (1, 2, 3, 7)] + [Fraction(10 ** 40)]
    for c in coefs:
        for n in [*range(-4, 5), 10 ** 6]:
            for q in (n, Fraction(n)):
                got, want = exact_power(c, q), _exact_power_reference(c, Fraction(n))
                assert got == want and type(got) is type(want), (c, q)


def test_negated_is_minus():
    from tutor.simplifier.normal_form import _negated
    for x in [*range(-20, 21), *(Fraction(n, d) for n in range(-40, 41) for d in (1, 2, 3, 5))]:
        assert _negated(x) == -x and type(_negated(x)) is type(x)
    assert _negated(normal_form.UNIT) is normal_form._MINUS_ONE
    assert _negated(normal_form._MINUS_ONE) is normal_form.UNIT


def _with_children_reference(e, kids):
    match e:
        case Add():
            return Add(kids)
        case Mul():
            return Mul(kids)
        case Div():
            return Div(*kids)
        case Pow():
            return Pow(*kids)
        case Neg():
            return Neg(kids[0])
        case Call(func, _):
            return Call(func, kids)
        case Indicator(_, op, _):
            return Indicator(kids[0], op, kids[1])
        case Derivative(_, var, order, partial):
            return Derivative(kids[0], var, order, partial)
    return e


def _free_symbols_reference(e):
    seen = {}
    for node in walk(e):
        if isinstance(node, Sym):
            seen.setdefault(node.name)
        elif isinstance(node, Derivative):
            seen.setdefault(node.var)
    return tuple(seen)


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=10))
def test_with_children_and_free_symbols_as_before(e):
    trees = [e, Indicator(e, ">", Sym("w1")), Derivative(e, "theta", 2, True)]
    for t in trees:
        assert free_symbols(t) == _free_symbols_reference(t)
        stack = [t]
        while stack:
            n = stack.pop()
            kids = tuple(reversed(children(n)))
            got, want = with_children(n, kids), _with_children_reference(n, kids)
            assert got == want and type(got) is type(want)
            stack.extend(children(n))


@settings(max_examples=200, deadline=None)
@given(exprs(max_leaves=10))
def test_memo_names_as_before(e):
    from tutor.simplifier.memo import Memo
    want = frozenset(n.func for n in walk(e) if isinstance(n, Call)) \
        | frozenset(n.name for n in walk(e) if isinstance(n, Const))
    memo = Memo()
    assert memo.names(e) == want and memo.names(e) == want  # (the second from its table)


def _choose_reference(e, ctx):
    """engine.choose as one `match`, as it was written before its exact-type dispatch."""
    from tutor import rules as R
    x, p = ctx.var, ctx.partial
    depends = ctx.depends
    if not depends(e):
        return R.constant_rule(e, x, p)
    match e:
        case Sym(name) if name == x:
            return R.variable_rule(e, x, p)
        case Add():
            return R.sum_rule(e, x, p)
        case Neg():
            return R.negation_rule(e, x, p)
        case Mul(factors):
            constants = [f for f in factors if not depends(f)]
            rest = [f for f in factors if depends(f)]
            if constants:
                return R.constant_multiple_rule(constants, rest, x, p)
            return R.product_rule(e, x, p)
        case Div(num, den) if not depends(den):
            return R.constant_divisor_rule(e, x, p)
        case Div(num, den) if not depends(num):
            if R.is_power_of(den, x):
                return R.negative_power(e, x, p)
            return R.reciprocal_rule(e, x, p)
        case Div():
            return R.quotient_rule(e, x, p)
        case Pow(base, exp) if not depends(exp):
            if base == Sym(x):
                return R.power_rule(e, x, p)
            return R.power_chain_rule(e, x, p)
        case Pow(base, exp) if not depends(base):
            if exp == Sym(x):
                return R.exp_base_rule(e, x, p)
            return R.exp_chain_rule(e, x, p)
        case Pow():
            return R.log_diff_rule(e, x, p)
        case Call("sqrt" | "cbrt", (_,)) | Call("root", (_, _)):
            return R.root_as_power(e, x, p)
        case Call("log", (u, b)) if depends(b):
            return R.change_of_base(e, x, p)
        case Call("max" | "min", args) if len(args) > 2:
            return R.two_at_a_time(e, x, p)
        case Call("max" | "min"):
            return R.max_rule(e, x, p)
        case Call("relu"):
            return R.relu_rule(e, x, p)
        case Call(func, (u, *_)) if u == Sym(x):
            return R.elementary_rule(e, x, p)
        case Call("log", (u, b)):
            return R.function_chain_rule(e, x, p)
        case Call(func, (u,)) if func in R.ELEMENTARY:
            return R.function_chain_rule(e, x, p)
        case Indicator():
            return R.indicator_rule(e, x, p)
        case Derivative():
            raise TutorError("a derivative inside the function: differentiate it first "
                             "(or ask for a higher --order)", code="nested-derivative")
    raise TutorError(f"no rule for {type(e).__name__}", code="no-rule")


def _chosen(choose, e, ctx):
    try:
        return choose(e, ctx)
    except Exception as err:  # the same error, message and all
        return (type(err), str(err))


@settings(max_examples=300, deadline=None)
@given(exprs(max_leaves=10))
def test_choose_picks_as_the_match_did(e):
    from tutor.engine import choose
    stack = [e, Call("max", (e, Sym("x"), Num(Fraction(2)))), Call("log", (Sym("x"), e)),
             Call("root", (e, Num(Fraction(3)))), Call("relu", (e,)), Derivative(e, "x")]
    while stack:
        n = stack.pop()
        for var in ("x", "theta"):
            ctx = Context(var, False)
            assert _chosen(choose, n, ctx) == _chosen(_choose_reference, n, Context(var, False))
        stack.extend(children(n))
