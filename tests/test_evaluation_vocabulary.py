"""The evaluator walks the vocabulary: every function has a float kernel, a domain where it
has one (checked against SymPy at exact points and at multiples of pi), and an exact value
wherever the policy says: SymPy's value rational at a rational argument, or at q*pi for the
circular functions; a rational multiple of pi at -1, 0, 1 (acos 0 = pi/2)."""
from __future__ import annotations

import math
from fractions import Fraction as F

import pytest
import sympy

from tutor.errors import DomainError
from tutor.evaluation import compile_float, evaluate, evaluate_float
from tutor.evaluation.exact import SPECIAL_VALUES, pi_times
from tutor.evaluation.kernels import BINARY, DOMAIN, KERNELS, VARIADIC
from tutor.expr import PI, Div, Mul, Num, Sym, call, num
from tutor.vocabulary import FUNCTIONS, families

UNARY = sorted(f.name for f in FUNCTIONS.values() if f.arity == 1)


def test_kernels_cover_exactly_the_vocabulary():
    assert set(KERNELS) == set(UNARY)
    assert set(BINARY) == {f.name for f in FUNCTIONS.values() if f.arity == 2}
    assert set(VARIADIC) == {f.name for f in FUNCTIONS.values() if f.arity is None}
    assert set(DOMAIN) <= set(UNARY)


def _sympy_function(name: str):
    if name == "cbrt":
        return lambda u: sympy.real_root(u, 3)   # the documented real odd root
    if name == "relu":
        return lambda u: sympy.Max(0, u)
    return getattr(sympy, FUNCTIONS[name].sympy or name)


def _sympy_value(name: str, arg):
    """SymPy's value, or None where it is not a finite real number."""
    value = _sympy_function(name)(arg)
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    z = complex(sympy.N(value, 30))
    if abs(z.imag) > 1e-20 or not math.isfinite(z.real):
        return None
    return value


RATIONALS = [F(n, d) for n, d in [(-8, 1), (-2, 1), (-1, 1), (-1, 2), (0, 1), (1, 2), (1, 1),
                                  (2, 1), (9, 4), (27, 8)]]
CIRCULAR = families("circular")
PI_GRID = [F(n, 12) for n in range(-12, 25)]     # every twelfth of pi, for sin ... cot
PI_FEW = [F(-1), F(-1, 2), F(1, 2), F(1), F(3, 2)]


def _cases():
    for name in UNARY:
        for u in RATIONALS:
            yield name, u, False
        for q in PI_GRID if name in CIRCULAR else PI_FEW:
            yield name, q, True


def _tree_and_sympy(name, u, times_pi):
    if times_pi:
        return call(name, Mul((num(u), PI))), sympy.Rational(u.numerator, u.denominator) * sympy.pi
    return call(name, num(u)), sympy.Rational(u.numerator, u.denominator)


@pytest.mark.parametrize("name", UNARY)
def test_domain_and_exact_values_against_sympy(name):
    for _, u, times_pi in (c for c in _cases() if c[0] == name):
        tree, arg = _tree_and_sympy(name, u, times_pi)
        expected = _sympy_value(name, arg)
        where = f"{name}({u}{'*pi' if times_pi else ''})"
        if expected is None:
            with pytest.raises(DomainError):
                evaluate(tree, {})
            with pytest.raises(DomainError):
                evaluate_float(tree, {})
            assert math.isnan(compile_float(tree, [])([])), where
            continue
        got = evaluate(tree, {})
        over_pi = sympy.nsimplify(expected / sympy.pi) if expected.has(sympy.pi) else None
        if expected.is_Rational and (name in CIRCULAR or not times_pi):
            assert type(got) is F and got == F(int(expected.p), int(expected.q)), where
        elif over_pi is not None and over_pi.is_Rational and not times_pi and u in (-1, 0, 1):
            ratio = evaluate(Div(tree, PI), {})
            assert type(ratio) is F and ratio == F(int(over_pi.p), int(over_pi.q)), where
        else:  # irrational; or, by policy, floats: asin(1/2) = pi/6, relu(-pi) = 0, |-pi|
            assert type(got) is float, where
            assert got == pytest.approx(float(expected), rel=1e-12, abs=1e-12), where
        assert evaluate_float(tree, {}) == pytest.approx(float(expected), rel=1e-12, abs=1e-12)


def test_special_values_are_the_documented_table():
    """Derived from the vocabulary and the kernels; this is what it must come to."""
    half, quarter = F(1, 2), F(1, 4)
    at_zero = {"exp": 1, "sin": 0, "tan": 0, "sinh": 0, "tanh": 0, "asin": 0, "atan": 0,
               "asinh": 0, "atanh": 0, "cos": 1, "sec": 1, "cosh": 1, "sech": 1,
               "acos": pi_times(half), "acot": pi_times(half)}
    at_one = {"ln": 0, "acos": 0, "asec": 0, "acosh": 0, "asech": 0, "asin": pi_times(half),
              "acsc": pi_times(half), "atan": pi_times(quarter), "acot": pi_times(quarter)}
    at_minus_one = {"acos": pi_times(F(1)), "asec": pi_times(F(1)), "asin": pi_times(-half),
                    "acsc": pi_times(-half), "atan": pi_times(-quarter),
                    "acot": pi_times(-quarter)}
    table = {(n, F(u)): (F(v) if isinstance(v, int) else v)
             for u, t in ((0, at_zero), (1, at_one), (-1, at_minus_one)) for n, v in t.items()}
    assert dict(SPECIAL_VALUES) == table
    assert all(type(SPECIAL_VALUES[key]) is type(v) for key, v in table.items())


TWO_OR_MORE = [
    (call("log", num(8), num(2)), F(3)),
    (call("log", num(4), num(8)), F(2, 3)),
    (call("root", num(-8), num(3)), F(-2)),
    (call("root", Num(F(16, 81)), num(4)), F(2, 3)),
    (call("max", num(1), Num(F(3, 2)), Sym("x")), F(3, 2)),
    (call("min", num(1), Num(F(3, 2)), Sym("x")), F(-4)),
]


@pytest.mark.parametrize("tree, value", TWO_OR_MORE)
def test_functions_of_two_or_more_arguments(tree, value):
    got = evaluate(tree, {"x": -4})
    assert type(got) is F and got == value
    assert evaluate_float(tree, {"x": -4}) == pytest.approx(float(value))
    assert compile_float(tree, ["x"])([-4.0]) == evaluate_float(tree, {"x": -4})
