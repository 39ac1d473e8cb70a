"""compile_float's function of one variable (nearly every problem's) tests its one value
without a loop; it must answer exactly as the general function does, for every input:
finite, infinite, NaN, outside the domain, and a sequence of the wrong length or type.

The general function is had by naming the variable twice (the compiler keeps the first
index of a name, so the tree compiles to the same operations, run by the general wrapper)."""
from __future__ import annotations

import math

import pytest

from tutor.evaluation import compile_float
from tutor.language import parse

TREES = ["x^2 + 3x", "ln(x)", "sqrt(x - 1)", "1/x", "e^x sin(x)", "tan(x)", "5", "x^x",
         "exp(1000 x)", "|x| - 2"]
INPUTS = [(2.0,), (0.5,), (-1.0,), (0.0,), (1e300,), (math.inf,), (-math.inf,), (math.nan,),
          (3,), (), (2.0, 1.0), (math.inf, 1.0), [1.5], ("a",), (None,)]


def _same(a: float, b: float) -> bool:
    return (a != a and b != b) or (a == b and type(a) is type(b))


@pytest.mark.parametrize("text", TREES)
def test_one_variable_function_agrees_with_the_general_one(text):
    e = parse(text)
    one = compile_float(e, ("x",))
    general = compile_float(e, ("x", "x"))
    assert one is not general
    for values in INPUTS:
        assert _same(one(values), general(values)), (text, values)
