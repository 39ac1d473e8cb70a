"""The evaluator against hand-made values, SymPy (the oracle) and Python's own floats."""
from __future__ import annotations

import math
import timeit
from fractions import Fraction as F

import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import _UNARY
from strategies import diff_exprs, exprs
from tutor.errors import DomainError, EvaluationError, TutorError
from tutor.evaluation import compile_float, evaluate, evaluate_float, format_value, value_pair
from tutor.expr import (E, ONE, PI, TWO, ZERO, Add, Call, Const, Derivative, Div, Indicator, Mul,
                        Neg, Num, Pow, Sym, call, num)  # noqa: F401

x, y, w = Sym("x"), Sym("y"), Sym("w")
N = num


def frac(a, b=1):
    return Div(N(a), N(b))


# ---------------------------------------------------------------- the lab's float digits

LAB = [
    (Pow(w, TWO), 3 + 0.001, (3 + 0.001) ** 2, 9.006001),
    (Pow(w, N(3)), 2 + 0.001, (2 + 0.001) ** 3, 8.012006000999998),
    (Div(ONE, Pow(w, TWO)), 4 + 0.001, 1 / (4 + 0.001) ** 2, 0.06246876171484496),
    (Div(ONE, w), 2 + 0.001, 1 / (2 + 0.001), 0.49975012493753124),
    (Mul((TWO, w)), 3 + 0.001, 2 * (3 + 0.001), 6.002),
]


@pytest.mark.parametrize("tree, at, python, digits", LAB)
def test_lab_digits_are_pythons(tree, at, python, digits):
    assert python == digits
    assert evaluate_float(tree, {"w": at}) == digits
    assert evaluate(tree, {"w": at}) == digits          # a float point makes it all float
    assert compile_float(tree, ["w"])([at]) == digits


# ---------------------------------------------------------------- exact values

EXACT = [
    (Pow(w, N(-5)), {"w": 2}, F(1, 32)),
    (Neg(Div(ONE, Pow(w, TWO))), {"w": 4}, F(-1, 16)),
    (Add((Mul((N(3), Pow(x, TWO))), Neg(x), frac(1, 3))), {"x": F(1, 2)}, F(7, 12)),
    (call("sqrt", Num(F(9, 4))), {}, F(3, 2)),
    (Pow(N(4), frac(1, 2)), {}, F(2)),
    (Pow(N(8), Neg(frac(2, 3))), {}, F(1, 4)),
    (call("cbrt", N(-8)), {}, F(-2)),
    (call("root", N(-32), N(5)), {}, F(-2)),
    (call("root", Num(F(16, 81)), N(4)), {}, F(2, 3)),
    (Pow(N(-8), frac(2, 3)), {}, F(4)),                 # the real root, documented
    (Pow(x, frac(1, 3)), {"x": F(-27, 8)}, F(-3, 2)),
    (call("ln", ONE), {}, F(0)),
    (call("exp", ZERO), {}, F(1)),
    (Pow(E, ZERO), {}, F(1)),
    (Pow(ONE, PI), {}, F(1)),
    (Add((call("sin", ZERO), call("cos", ZERO))), {}, F(1)),
    (Add((call("asin", ZERO), call("atan", ZERO), call("sinh", ZERO), call("tanh", ZERO))), {}, F(0)),
    (Add((call("cosh", ZERO), call("sech", ZERO), call("sec", ZERO))), {}, F(3)),
    (Add((call("acosh", ONE), call("asech", ONE), call("acos", ONE))), {}, F(0)),
    (call("sin", Div(PI, N(6))), {}, F(1, 2)),
    (call("cos", Mul((N(2), PI))), {}, F(1)),
    (call("tan", Div(Mul((N(3), PI)), N(4))), {}, F(-1)),
    (call("sin", Mul((N(10 ** 30), PI))), {}, F(0)),
    (Div(call("acos", ZERO), PI), {}, F(1, 2)),
    (call("abs", N(-3)), {}, F(3)),
    (call("max", N(1), frac(3, 2), x), {"x": -4}, F(3, 2)),
    (call("min", N(1), frac(3, 2), x), {"x": -4}, F(-4)),
    (call("relu", x), {"x": F(-7, 2)}, F(0)),
    (call("relu", x), {"x": F(7, 2)}, F(7, 2)),
    (Indicator(x, ">", ZERO), {"x": 1}, F(1)),
    (Indicator(x, ">=", ZERO), {"x": 0}, F(1)),
    (Indicator(x, "<", ZERO), {"x": 0}, F(0)),
    (call("log", ONE, N(7)), {}, F(0)),
    (call("log", N(8), TWO), {}, F(3)),
    (call("log", Num(F(1, 8)), TWO), {}, F(-3)),
    (call("log", N(4), N(8)), {}, F(2, 3)),
    (Pow(ZERO, ZERO), {}, F(1)),
    (Pow(N(1), Pow(N(10), N(100))), {}, F(1)),
]


@pytest.mark.parametrize("tree, point, value", EXACT)
def test_exact_values(tree, point, value):
    got = evaluate(tree, point)
    assert type(got) is F and got == value


def test_irrational_values_are_floats():
    assert evaluate(call("sqrt", TWO), {}) == math.sqrt(2)
    assert type(evaluate(call("ln", TWO), {})) is float
    assert evaluate(call("sin", Div(PI, N(4))), {}) == pytest.approx(math.sqrt(2) / 2)
    assert evaluate(Add((x, PI)), {"x": 1}) == 1 + math.pi
    assert evaluate(call("acot", N(-2)), {}) == math.atan(-0.5)       # SymPy's convention
    assert float(sympy.acot(-2)) == pytest.approx(math.atan(-0.5))
    assert evaluate(call("acot", ZERO), {}) == math.pi / 2


# ---------------------------------------------------------------- domains: exact messages

DOMAIN = [
    (call("ln", N(-1)), "ln is undefined at -1 (its argument must be > 0)"),
    (call("ln", ZERO), "ln is undefined at 0 (its argument must be > 0)"),
    (Div(ONE, Add((x, Neg(x)))), "division by zero"),
    (call("sqrt", N(-4)), "sqrt of a negative number (-4)"),
    (call("asin", TWO), "asin is undefined at 2 (its argument must be in [-1, 1])"),
    (call("acos", N(-3)), "acos is undefined at -3 (its argument must be in [-1, 1])"),
    (Pow(ZERO, N(-2)), "0 to a negative power"),
    (Pow(ZERO, Neg(frac(1, 2))), "0 to a negative power"),
    (Pow(N(-8), frac(1, 2)), "a negative number to a fractional power (-8^(1/2))"),
    (Pow(N(-8), x), "a negative number to a fractional power (-8^(1/3))"),   # x = 1/3 at the point
    (call("root", N(-4), TWO), "an even root of a negative number (root(-4, 2))"),
    (call("tan", Div(PI, TWO)), "tan is undefined at pi/2"),
    (call("tan", Mul((TWO, call("atan", ONE)))), "tan is undefined at pi/2"),
    (call("sec", Div(Mul((N(3), PI)), TWO)), "sec is undefined at 3*pi/2"),
    (call("csc", PI), "csc is undefined at pi"),
    (call("cot", ZERO), "cot is undefined at 0"),
    (call("csc", ZERO), "csc is undefined at 0"),
    (call("coth", ZERO), "coth is undefined at 0 (its argument must be nonzero)"),
    (call("csch", ZERO), "csch is undefined at 0 (its argument must be nonzero)"),
    (call("asec", frac(1, 2)), "asec is undefined at 1/2 (its argument must satisfy |u| >= 1)"),
    (call("acsc", ZERO), "acsc is undefined at 0 (its argument must satisfy |u| >= 1)"),
    (call("acosh", ZERO), "acosh is undefined at 0 (its argument must be >= 1)"),
    (call("atanh", ONE), "atanh is undefined at 1 (its argument must be in (-1, 1))"),
    (call("acoth", frac(1, 2)), "acoth is undefined at 1/2 (its argument must satisfy |u| > 1)"),
    (call("asech", N(2)), "asech is undefined at 2 (its argument must be in (0, 1])"),
    (call("asech", ZERO), "asech is undefined at 0 (its argument must be in (0, 1])"),
    (call("acsch", ZERO), "acsch is undefined at 0 (its argument must be nonzero)"),
    (call("log", N(-1), TWO), "log is undefined at -1 (its argument must be > 0)"),
    (call("log", TWO, ONE), "log is undefined for base 1 (the base must be > 0 and not 1)"),
    (call("log", TWO, N(-2)), "log is undefined for base -2 (the base must be > 0 and not 1)"),
    (call("root", N(8), ZERO), "root with index 0 is undefined"),
]


@pytest.mark.parametrize("tree, message", DOMAIN)
def test_domain_messages(tree, message):
    point = {"x": F(1, 3)}
    with pytest.raises(DomainError) as info:
        evaluate(tree, point)
    assert info.value.message == message
    assert info.value.code == "domain"
    if "pi" not in message:  # the float path says the same (pi poles: see below)
        with pytest.raises(DomainError) as info:
            evaluate_float(tree, point)
        floats = message.replace("(-8^(1/3))", "(-8^(0.3333333333))").replace("at 1/2", "at 0.5")
        assert info.value.message == floats
    assert math.isnan(compile_float(tree, ["x"])([1 / 3]))


def test_float_poles():
    with pytest.raises(DomainError, match=r"tan is undefined at 1.570796327 \(an odd multiple of pi/2\)"):
        evaluate_float(call("tan", x), {"x": math.pi / 2})
    with pytest.raises(DomainError, match="cot is undefined at 3.14159"):
        evaluate_float(call("cot", Div(PI, ONE)), {})
    with pytest.raises(DomainError, match="sec is undefined"):
        evaluate_float(call("sec", Mul((N(101), Div(PI, TWO)))), {})
    assert math.isnan(compile_float(call("tan", x), ["x"])([math.pi / 2]))
    assert evaluate_float(call("tan", x), {"x": 1.57}) == math.tan(1.57)
    assert evaluate_float(call("sin", PI), {}) == math.sin(math.pi)   # no snapping: only poles


# ---------------------------------------------------------------- cost limits

HUGE = [
    (Pow(N(9), Pow(N(9), Pow(N(9), N(9)))), {}),
    (Pow(x, Pow(N(10), N(100))), {"x": 2}),
    (Pow(Add((x, ONE)), N(100000)), {"x": 2}),
    (Pow(N(7), N(6000)), {}),
    (Num(F(10 ** 6000)), {}),
    (call("exp", N(1000)), {}),
    (call("cosh", N(1000)), {}),
    (Mul((N(10 ** 200), N(10 ** 200))), {"x": 0.5}),
]


@pytest.mark.parametrize("tree, point", HUGE)
def test_cost_limits_overflow_fast(tree, point):
    for fn in (evaluate, evaluate_float):
        with pytest.raises(EvaluationError) as info:
            fn(tree, point)
        assert info.value.code == "overflow" and "overflow" in info.value.message
    assert math.isnan(compile_float(tree, ["x"])([2.0]))


def test_cost_limits_fall_back_to_floats():
    assert evaluate(Pow(Num(F(1, 2)), Pow(N(10), N(100))), {}) == 0.0
    assert evaluate(Pow(N(-1), Pow(N(10), N(100))), {}) == F(1)
    big = evaluate(Pow(N(7), N(5000)), {})                       # 4226 digits: still exact
    assert big == 7 ** 5000
    assert type(evaluate(Div(Pow(N(7), N(5000)), Pow(N(7), N(4999))), {})) is F
    assert evaluate(Pow(Num(F(1, 2)), N(20000)), {}) == 0.0         # past MAX_DIGITS: a float
    assert evaluate(Pow(x, N(20000)), {"x": F(1, 1) + F(1, 10 ** 6)}) == pytest.approx(1.0202013400267558)


def test_many_big_rationals_stay_bounded():
    """18 000 terms near the digit limit: the work budget turns them into floats quickly."""
    term = Pow(Num(F(7, 3)), N(3000))
    with pytest.raises(EvaluationError):
        evaluate(Add(tuple([term] * 2000)), {})


# ---------------------------------------------------------------- errors of use

def test_unbound_and_unevaluable():
    with pytest.raises(EvaluationError) as info:
        evaluate(Add((x, y)), {"x": 1})
    assert info.value.code == "unbound" and info.value.message == "no value for y"
    with pytest.raises(EvaluationError, match="no value for y"):
        compile_float(Add((x, y)), ["x"])
    with pytest.raises(EvaluationError) as info:
        evaluate(Derivative(Pow(x, TWO), "x"), {"x": 1})
    assert info.value.code == "derivative"
    with pytest.raises(EvaluationError, match="unknown function"):
        evaluate_float(Call("frobnicate", (x,)), {"x": 1})
    for bad in ("1", None, float("nan"), float("inf"), True):
        with pytest.raises(EvaluationError):
            evaluate(x, {"x": bad})


def test_compiled_function_never_raises():
    f = compile_float(Add((Div(ONE, x), call("ln", y))), ["x", "y"])
    assert f([2.0, 1.0]) == 0.5
    for values in ([0.0, 1.0], [1.0, -1.0], [1.0], [], None, ["a", "b"], [float("nan"), 1.0],
                   [float("inf"), 1.0], [1e-320, 1.0]):
        assert math.isnan(f(values))
    assert f((2, 1)) == 0.5 and type(f((2, 1))) is float


def test_deep_trees():
    deep = x
    for _ in range(10_000):
        deep = Neg(call("sin", deep))
    value = evaluate_float(deep, {"x": 0.5})
    assert evaluate(deep, {"x": F(1, 2)}) == value
    assert compile_float(deep, ["x"])([0.5]) == value
    tower = ONE
    for _ in range(10_000):
        tower = Add((tower, ONE))
    assert evaluate(tower, {}) == 10_001


def test_wide_sums_and_products():
    """Thousands of terms at one level: compiled as a loop, not as nested calls (the grader
    used to say NaN for these, from a RecursionError, where evaluate_float had a value)."""
    for op in (Add, Mul):
        wide = op(tuple([x, N(2), frac(1, 3)] * 3000))
        value = evaluate_float(wide, {"x": 1.0001})
        assert compile_float(wide, ["x"])([1.0001]) == value
    assert evaluate(Add(tuple([x, N(2), frac(1, 3)] * 3000)), {"x": F(1)}) == 10_000


def test_compile_speed_report(capsys):
    """The grader's hot path; the figure is printed for the report (-s), the bound is loose."""
    f = compile_float(Add((Pow(x, TWO), Mul((N(3), x)), Neg(ONE))), ["x"])
    g = compile_float(Mul((call("sin", x), call("exp", Neg(Div(Pow(x, TWO), TWO))))), ["x"])
    per_call = [min(timeit.repeat(lambda: h([1.25]), number=20_000, repeat=3)) / 20_000 * 1e6
                for h in (f, g)]
    print(f"compile_float: {per_call[0]:.2f} us (x^2+3x-1), {per_call[1]:.2f} us (sin x e^(-x^2/2))")
    assert max(per_call) < 20


# ---------------------------------------------------------------- formatting

def test_format_value_and_pair():
    assert format_value(F(-1, 32)) == "-1/32"
    assert format_value(F(6)) == "6"
    assert format_value(math.sqrt(2) / 2) == "0.7071067812"
    assert format_value(6.0) == "6" and format_value(-0.0) == "0"
    assert format_value(1 / 3, digits=4) == "0.3333"
    assert value_pair(F(-1, 32)) == ("-1/32", "-0.03125")
    assert value_pair(F(1, 3)) == ("1/3", "0.3333333333")
    assert value_pair(F(6)) == ("6", "6")
    assert value_pair(0.5) == (None, "0.5")
    assert value_pair(F(1, 10 ** 400)) == ("1/1" + "0" * 400, "1e-400")
    exact, decimal = value_pair(F(10 ** 6000, 3))                  # past Python's int-str limit
    assert exact is None and decimal == "3.333333333e+5999"


# ---------------------------------------------------------------- the oracle

def _constant_shape(e) -> bool:
    match e:
        case Num():
            return True
        case Neg(a):
            return _constant_shape(a)
        case Div(a, b):
            return _constant_shape(a) and _constant_shape(b)
        case Add(parts) | Mul(parts):
            return all(_constant_shape(p) for p in parts)
    return False


def _real_power(b, p: sympy.Rational):
    """The real p/q-th power for odd q: the documented policy, not SymPy's principal root."""
    return sympy.sign(b) ** p.p * sympy.Abs(b) ** p


class Undefined(Exception):
    """SymPy found a non-real or infinite value somewhere in the tree."""


def oracle(e, point):
    """The SymPy value of e at the point, substituted as it converts, real odd roots, and
    real throughout: exp(ln(-1)) is undefined here even though SymPy's value is -1."""
    value = _oracle(e, point)
    if _undefined(value):
        raise Undefined(value)
    return value


def _oracle(e, point):
    o = lambda t: oracle(t, point)  # noqa: E731
    match e:
        case Num(v):
            return sympy.Rational(v.numerator, v.denominator)
        case Sym(name):
            v = F(point[name])
            return sympy.Rational(v.numerator, v.denominator)
        case Const("e"):
            return sympy.E
        case Const("pi"):
            return sympy.pi
        case Add(terms):
            return sympy.Add(*[o(t) for t in terms])
        case Mul(factors):
            return sympy.Mul(*[o(f) for f in factors])
        case Div(n, d):
            return o(n) / o(d)
        case Pow(b, p):
            base, exp = o(b), o(p)
            if _constant_shape(p) and exp.is_Rational and exp.q % 2 == 1 and exp.q > 1:
                return _real_power(base, exp)
            return sympy.Pow(base, exp)
        case Neg(a):
            return -o(a)
        case Call("cbrt", (a,)):
            return _real_power(o(a), sympy.Rational(1, 3))
        case Call("root", (a, n)):
            base, index = o(a), o(n)
            if index.is_Rational and index.p % 2 == 1:
                return _real_power(base, 1 / index)
            return sympy.Pow(base, 1 / index)
        case Call("log", (a, b)):
            base = o(b)
            if not (base > 0 and base != 1):  # SymPy: log(1, 0) = 0/zoo = 0; we say no base
                raise Undefined(base)
            return sympy.log(o(a), base)
        case Call("max", args):
            return sympy.Max(*[o(a) for a in args])
        case Call("min", args):
            return sympy.Min(*[o(a) for a in args])
        case Call(func, (a,)):
            return _UNARY[func](o(a))
        case Indicator(left, op, right):
            a, b = o(left), o(right)
            return sympy.Integer(1 if {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op] else 0)
    raise TypeError(e)


def _undefined(value) -> bool:
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return True
    if value.is_Rational:
        return False
    z = complex(sympy.N(value, 30))
    return abs(z.imag) > 1e-20 * max(1.0, abs(z.real))


points = st.builds(F, st.integers(-40, 40), st.sampled_from([1, 2, 3, 4, 5, 8]))


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(diff_exprs("x", max_leaves=7), points)
def test_against_sympy(e, at):
    _check_against_sympy(e, {"x": at})


def _check_against_sympy(e, point):
    names = sorted(point)
    try:
        mine = evaluate(e, point)
    except DomainError:
        mine = None
    except EvaluationError as exc:
        assert exc.code == "overflow"
        return
    if isinstance(mine, float) and abs(mine) < 1e-200:
        return  # an underflowed huge power: SymPy would grind out the exact rational
    try:
        value, undefined = oracle(e, point), False
    except Undefined as exc:
        value, undefined = exc.args[0], True
    if mine is None:
        assert undefined, f"DomainError but SymPy says {value}"
        assert math.isnan(compile_float(e, names)([float(point[n]) for n in names]))
        return
    assert not undefined, f"{mine} but SymPy says {value}"
    if isinstance(mine, F):
        assert abs(sympy.N(value - sympy.Rational(mine.numerator, mine.denominator), 40)) < 1e-30
    else:
        ref = float(sympy.re(sympy.N(value, 30)))
        assert abs(mine - ref) <= 1e-9 * max(1.0, abs(ref)), (mine, ref)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(exprs(max_leaves=10, names=("x", "y"), derivatives=False),
       st.floats(-6, 6, allow_nan=False), st.floats(-6, 6, allow_nan=False))
def test_compiled_equals_evaluate_float(e, a, b):
    """Bit for bit the same numbers, and NaN exactly where evaluate_float raises."""
    f = compile_float(e, ["x", "y"])
    try:
        expected = evaluate_float(e, {"x": a, "y": b})
    except TutorError:
        assert math.isnan(f([a, b]))
        return
    assert f([a, b]) == expected


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(exprs(max_leaves=14, names=("x", "y")), points, points)
def test_only_tutor_errors_and_fast(e, a, b):
    """Untrusted trees (Pow of anything, derivatives, huge towers): a value or a TutorError."""
    for fn in (evaluate, evaluate_float):
        try:
            v = fn(e, {"x": a, "y": b})
            assert type(v) in (F, float)
        except TutorError:
            pass


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(exprs(max_leaves=7, names=("x", "y"), derivatives=False), points, points)
def test_against_sympy_two_variables(e, a, b):
    """Parser-shaped trees: powers of anything, roots of any index, logs of any base,
    max/min and Iverson brackets, at exact points."""
    _check_against_sympy(e, {"x": a, "y": b})


def test_root_index_policy():
    """root(x, n) = x^(1/n): real at negative x when 1/n has an odd denominator."""
    assert evaluate(call("root", N(-1), Num(F(1, 10))), {}) == 1          # (-1)^10
    assert evaluate(call("root", N(-8), Num(F(3, 2))), {}) == 4           # (-8)^(2/3)
    assert evaluate(call("root", N(-8), N(-3)), {}) == F(-1, 2)
    assert evaluate_float(call("root", N(-8), N(3)), {}) == -2.0
    assert compile_float(call("root", x, N(3)), ["x"])([-8.0]) == -2.0
    with pytest.raises(DomainError, match=r"fractional power \(-8\^\(3/2\)\)"):
        evaluate(call("root", N(-8), Num(F(2, 3))), {})


CALC = [
    ("-1/w^2", {"w": 4}, "-1/16"),
    ("x^(1/3)", {"x": -8}, "-2"),
    ("sqrt(9/4) + log_2(8) + 8^(-2/3)", {}, "19/4"),
    ("2^3^2", {}, "512"),
    ("sin(pi/6) + cos(pi/3)", {}, "1"),
    ("e^x", {"x": 1}, "2.718281828"),
]


@pytest.mark.parametrize("text, point, shown", CALC)
def test_parsed_inputs(text, point, shown):
    from tutor import parse_calc
    assert format_value(evaluate(parse_calc(text), point)) == shown
