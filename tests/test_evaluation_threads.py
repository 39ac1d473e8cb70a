"""The evaluator keeps no mutable state between calls: compiled functions and one-shot
evaluations give the same numbers from many threads at once (a grading server's case)."""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction as F

from tutor.evaluation import compile_float, evaluate, evaluate_float
from tutor.expr import PI, Add, Div, Mul, Num, Pow, Sym, call

x = Sym("x")
TREES = [
    Add((Pow(x, Num(F(2))), Mul((Num(F(3)), x)))),
    Mul((call("sin", x), call("exp", Div(x, Num(F(2)))))),
    Div(Num(F(1)), Add((x, Num(F(-1))))),                  # undefined at 1
    call("tan", Mul((x, PI))),                              # poles at half-integers
    call("ln", x),
]
POINTS = [F(n, 4) for n in range(-8, 9)]


def _all_values():
    out = []
    for t in TREES:
        f = compile_float(t, ["x"])
        for p in POINTS:
            row = [f([float(p)])]
            for fn, at in ((evaluate, p), (evaluate_float, float(p))):
                try:
                    row.append(fn(t, {"x": at}))
                except ValueError as exc:
                    row.append(str(exc))
            out.append(tuple("nan" if isinstance(v, float) and math.isnan(v) else v for v in row))
    return out


def test_same_values_from_many_threads():
    expected = _all_values()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _all_values(), range(32)))
    assert all(r == expected for r in results)


def test_one_compiled_function_shared_by_threads():
    f = compile_float(TREES[1], ["x"])
    values = [i / 100 for i in range(-300, 300)]
    expected = [f([v]) for v in values]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: [f([v]) for v in values], range(16)))
    assert all(r == expected for r in results)
