"""The fast paths of a fresh check (issue 15) change no number, error or verdict.

Each speed-up of benchmarks/callgrind_grade.py's regime is a pure optimisation; these pin what
it must keep: the compiler's specialised closures (a positive constant base, a power with a
positive base, a constant numerator, a function of a variable, a - b as one subtraction) give
the values and raise the errors the general closures gave; the counter-example's remembered
candidates give the counter-example a fresh search gives; the usual check's declarations are
the general path's.
"""
from __future__ import annotations

import math
import random

from fractions import Fraction

import pytest

from tutor.errors import TutorError
from tutor.evaluation import compile_float, evaluate_float
from tutor.evaluation import kernels as k
from tutor.evaluation.compiled import compile_tree
from tutor.expr import Add, Div, Neg, Num, Sym
from tutor.grade import check, clear_caches, declarations, points
from tutor.language import parse


def _outcome(fn, values):
    """(kind, value or message) of one call: a float, bit for bit, or the error raised."""
    try:
        r = fn(values)
    except TutorError as exc:
        return type(exc).__name__, exc.message
    return "value", r.hex()


#: trees and what the general closures computed for them: kernels.fpow for every power
#: (b ** x, its errors), the kernel itself for a function of a variable
E, FPOW, KERNELS = math.e, k.fpow, k.KERNELS
SPECIALISED = [
    ("e^x", lambda x: FPOW(E, x, None)), ("2^x", lambda x: FPOW(2.0, x, None)),
    ("e^(3x)", lambda x: FPOW(E, 3.0 * x, None)),
    ("x^(1/2)", lambda x: FPOW(x, 0.5, Fraction(1, 2))),
    ("x^(-1/3)", lambda x: FPOW(x, -1 / 3, Fraction(-1, 3))),
    ("x^(2/3)", lambda x: FPOW(x, 2 / 3, Fraction(2, 3))),
    ("sin x", KERNELS["sin"]), ("ln x", KERNELS["ln"]), ("tan x", KERNELS["tan"]),
    ("sqrt x", KERNELS["sqrt"]), ("asin x", KERNELS["asin"]),
]


@pytest.mark.parametrize("text, general", SPECIALISED)
def test_specialised_closures_agree_with_the_general_ones(text, general):
    f = compile_tree(parse(text), ("x",))
    rng = random.Random(text)
    xs = [0.0, -0.0, 1.0, -1.0, 0.5, -8.0, 709.0, 710.0, 1e6, -1e6, math.pi / 2, 1e-300]
    xs += [rng.uniform(-50, 50) for _ in range(200)]
    for x in xs:
        assert _outcome(f, (x,)) == _outcome(lambda v: general(v[0]), (x,)), (text, x)


def test_a_constant_numerator_divides_as_before():
    one_over = compile_tree(Div(Num(1), Sym("x")), ("x",))
    assert one_over((4.0,)) == 0.25
    with pytest.raises(TutorError, match="division by zero"):
        one_over((0.0,))
    assert compile_float(parse("1/x"), ("x",))((0.0,)) != compile_float(parse("1/x"), ("x",))((0.0,))


def test_a_difference_is_the_sum_of_the_negation_bit_for_bit():
    """IEEE 754 defines x - y as x + (-y): the subtraction closure gives the very float, signed
    zeros and overflow included."""
    x, y = Sym("x"), Sym("y")
    diff = compile_tree(Add((x, Neg(y))), ("x", "y"))
    rng = random.Random(15)
    pairs = [(0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0), (1e308, -1e308), (1.5, 1.5)]
    pairs += [(rng.uniform(-1e6, 1e6), rng.uniform(-1e6, 1e6)) for _ in range(500)]
    for a, b in pairs:
        try:
            got = diff((a, b))
        except TutorError:
            assert not math.isfinite(a + (-b))
            continue
        want = a + (-b)
        assert got == want and math.copysign(1, got) == math.copysign(1, want)


def test_overflow_keeps_its_message():
    with pytest.raises(TutorError, match="overflow") as e:
        evaluate_float(parse("e^x"), {"x": 1000.0})
    assert e.value.message == k.overflow(f"{k.format_value(E)}^1000").message
    assert compile_float(parse("e^x"), ("x",))((1000.0,)) != compile_float(parse("e^x"), ("x",))((1000.0,))


def test_remembered_candidates_give_the_fresh_counter_example():
    cases = [("x^3", "3x^3"), ("x^3", "6x^2"), ("sin x", "-cos x"), ("x^2 sin x", "2x cos x"),
             ("e^(2x)", "4 e^(2x)"), ("ln(x^2+1)", "1/(x^2+1)")]
    clear_caches()
    points.simple_counterexample.cache_clear()   # the counter-examples found by earlier tests
    first = [check(f, a).feedback for f, a in cases]
    clear_caches(references=False)
    points.simple_counterexample.cache_clear()
    # a fact of the problem: kept while the answers' memos are forgotten, gone with the references
    assert points._candidates_memo.cache_info().currsize > 0
    clear_caches()
    assert points._candidates_memo.cache_info().currsize == 0
    with pytest.MonkeyPatch.context() as mp:   # every search from scratch
        mp.setattr(points, "_candidates_memo",
                   lambda e, f, v, large: points._candidates_now(e.tree, f.tree, v, large))
        again = [check(f, a).feedback for f, a in cases]
    assert again == first


def test_only_a_large_failing_coordinate_chooses_candidates():
    # the failing point matters only where _near looks beside it: far from 0, finite
    assert points._large(("x", "y"), {"x": 0.3, "y": -7.5}) == (None, None)
    assert points._large(("x", "y"), {"x": 1234.5, "y": 10.0}) == (1234.5, None)
    assert points._large(("x",), {"x": 1e16}) == (None,)
    assert points._large(("x",), None) == (None,)
    for c in (0.3, -7.5, 10.0, 10.5, -250.25, 1234.5, 1e16):
        want = points._near(c)
        got = [] if points._large(("x",), {"x": c})[0] is None else points._near(c)
        assert got == want


@pytest.mark.parametrize("names, constants, var", [
    (None, None, None), (None, None, "x"), (None, None, "t"), (None, None, "rate"),
    (None, None, "x,y"), (None, None, ["x"]), (None, None, ["rate"]), ("a", None, "x"),
    (None, "a,b", "x"), (None, None, ""),
])
def test_the_usual_declarations_are_the_general_paths(names, constants, var):
    declared, held = declarations(names, constants, var)
    words = tuple(v for v in ((var.split(",") if isinstance(var, str) else var) or ())
                  if len(v.strip()) > 1 and v.strip().isalpha())
    listed = lambda value: () if value is None else tuple(  # noqa: E731
        n.strip() for n in (value.split(",") if isinstance(value, str) else value) if n.strip())
    assert held == listed(constants)
    assert declared == frozenset(listed(names) + listed(constants) + words)


def _rational_power_before(ctx, b: Fraction, x: Fraction):
    """Exact.pow_exact's integer power as it was: tutor.exact.rational_power, then fit."""
    from tutor.exact import rational_power
    r = rational_power(b, x.numerator, 1)
    return k.fpow(float(b), float(x)) if r is None else ctx.fit(r)


def test_an_integer_power_is_rational_powers_value():
    from tutor.evaluation.exact import Exact
    rng = random.Random(15)
    bases = [Fraction(1), Fraction(-1), Fraction(2), Fraction(-3, 7), Fraction(10**40, 3),
             Fraction(-1, 2**70), Fraction(2**200 + 1, 5)]
    bases += [Fraction(rng.randint(-10**6, 10**6) or 1, rng.randint(1, 10**4)) for _ in range(60)]
    exps = [1, 2, 3, -1, -2, -5, 7, 64, -64, 999, 10_000, -10_000, 10_001, 100_000]
    for b in bases:
        for p in exps:
            x = Fraction(p)
            want, got = Exact({}), Exact({})
            try:
                w = ("value", _rational_power_before(want, b, x))
            except TutorError as exc:
                w = ("error", exc.message)
            try:
                g = ("value", got.integer_power(b, x))
            except TutorError as exc:
                g = ("error", exc.message)
            assert g == w and type(g[1]) is type(w[1]) and got.work == want.work, (b, p)


def test_a_log_skipped_as_irrational_is_one_exact_log_finds_none_for():
    from tutor.exact import exact_log
    from tutor.evaluation.exact import _may_be_power
    rng = random.Random(15)
    values = [Fraction(n, d) for n in range(1, 40) for d in range(1, 13)]
    values += [Fraction(2) ** p for p in range(-6, 7)] + [Fraction(27, 8), Fraction(8, 27),
                                                       Fraction(9, 4), Fraction(1, 1000)]
    values += [Fraction(rng.randint(1, 10**5), rng.randint(1, 10**3)) for _ in range(200)]
    for x in values:
        for b in values:
            if x == 1 or b == 1:
                continue
            if exact_log(x, b) is not None:
                assert _may_be_power(x, b), (x, b)
    assert not _may_be_power(Fraction(2), Fraction(9))
    assert _may_be_power(Fraction(8), Fraction(4))
    assert _may_be_power(Fraction(4, 9), Fraction(27, 8))


@pytest.mark.parametrize("text", ["x^2", "x^3", "x^-1", "x^(-2)", "x^0.5", "x^1.5", "x^(-0.5)",
                                  "3x^2", "0.5x^-1", "2.5x^1.5", "4x^(-0.5)", "2x", "1e300 x",
                                  "x^400", "7x^(-3)", "x^2 y", "3y^2"])
def test_a_scaled_power_of_a_variable_is_the_general_product(text):
    """The variable read in place (x^2, 3x^2, 2x) gives the values and errors of the general
    closures: the power through an itemgetter, then the product."""
    import operator
    from tutor.evaluation import compiled as C
    tree = parse(text)
    names = ("x", "y")
    fused = compile_tree(tree, names)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(C, "_power_of_variable",
                   lambda i, c, const: C._pow(operator.itemgetter(i), c, const))
        mp.setattr(C, "_scaled_power",
                   lambda a, i, c, const: C._mul(a, C._pow(operator.itemgetter(i), c, const)))
        mp.setattr(C, "_scaled_variable", lambda a, i: C._mul(a, operator.itemgetter(i)))
        general = compile_tree(tree, names)
    rng = random.Random(text)
    xs = [0.0, -0.0, 1.0, -1.0, 0.5, -8.0, 1e-300, -1e-300, 1e200, -1e200, 1e308, 2.0 ** 600]
    xs += [rng.uniform(-50, 50) for _ in range(100)]
    for x in xs:
        for y in (2.0, -3.0, 1e200):
            assert _outcome(fused, (x, y)) == _outcome(general, (x, y)), (text, x, y)


def test_the_walks_by_fields_count_and_order_as_children_does():
    """check_tree's size and depth, and the answer's shape (variables in order of first
    appearance), read Neg, Div and Call by their fields: the same as the children() walks."""
    from tutor.expr import depth, free_symbols, size
    from tutor.grade.answer import shape
    from tutor.language.common import _size_depth
    for text in ["-(b/a) + c/(d - e)", "sin(z/y) - x", "ln(-(q/p)) * cos(pi r)", "-x",
                 "(a/b)/(c/d)", "f/(g h) + sqrt(-k/m)", "e^(-t/u) - 3 v/w"]:
        tree = parse(text)
        assert _size_depth(tree) == (size(tree), depth(tree)), text
        assert shape(tree, 3000).symbols == free_symbols(tree), text


def test_a_constant_exponent_is_in_range_as_its_absolute_value_says():
    from tutor.expr import Pow
    from tutor.grade.answer import refusal, shape
    from tutor.grade.equivalence import Options
    from tutor.limits import MAX_EXPONENT
    for q in (Fraction(2), Fraction(-3, 2), Fraction(MAX_EXPONENT), Fraction(-MAX_EXPONENT),
              Fraction(MAX_EXPONENT + 1), Fraction(-MAX_EXPONENT - 1),
              Fraction(2 * MAX_EXPONENT + 1, 2), Fraction(2 * MAX_EXPONENT - 1, 2)):
        tree = Pow(Sym("x"), Num(q))
        said = refusal(tree, Options(), shape(tree, 3000))
        assert (said is None) == (abs(q) <= MAX_EXPONENT), q
