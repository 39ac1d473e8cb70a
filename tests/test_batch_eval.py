"""compile_float(...).many(points) is a pure optimisation: bit for bit [fn(p) for p in points],
NaN exactly where the scalar function gives NaN (domain errors, overflow, inf/NaN input)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import exprs
from tutor.errors import TutorError
from tutor.evaluate import compile_float
from tutor.parse import parse

VARS = ("x", "y", "w1", "theta")


def _same_bits(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        (math.isnan(u) and math.isnan(v)) or (u == v and math.copysign(1, u) == math.copysign(1, v))
        for u, v in zip(a, b))


def _check(e, points) -> None:
    try:
        fn = compile_float(e, VARS)
    except TutorError:
        return
    assert _same_bits(fn.many(points), [fn(p) for p in points]), e


_coord = st.one_of(st.floats(-50, 50, allow_nan=False), st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e308]))
_points = st.lists(st.tuples(_coord, _coord, _coord, _coord), min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(exprs(max_leaves=10), _points)
def test_batch_equals_scalar_on_generated_trees(e, points):
    _check(e, points)


@pytest.mark.parametrize("text", [
    "1/x", "ln(x) + sqrt(y)", "x^2 - 2x + 1", "e^(x^2 y)", "max(x, y, 1/x)", "[x > y] x",
    "asin(x) + acosh(y)", "x^(1/3)", "(-8)^(1/3) x", "root(x, 3) + log(x, 2)", "tan(x)",
    "e^(e^(e^x))", "x^1000", "10^400 x", "abs(x) relu(y)", "0^(-1)", "1/(x - x)"])
def test_batch_equals_scalar_on_edges(text):
    pts = [(0.0, 1.0, 2.0, 3.0), (-1.0, 0.5, 0.0, 1.0), (2.0, -3.0, 1.0, 0.0), (1e300, 1e-300, 5.0, 5.0),
           (float("inf"), 1.0, 1.0, 1.0), (float("nan"), 1.0, 1.0, 1.0), (0.3, 0.7, 0.1, 0.2)]
    e = parse(text)
    _check(e, pts)
    _check(e, pts[-1:] * 5)   # a batch with no failure at all takes the vector path


def test_deep_tree_has_many_too():
    e = parse("+".join(["x"] * 3) + "".join(["*(1+x" for _ in range(300)]) + ")" * 300)
    fn = compile_float(e, VARS)
    assert _same_bits(fn.many([(0.1, 0, 0, 0)] * 3), [fn((0.1, 0, 0, 0))] * 3)
