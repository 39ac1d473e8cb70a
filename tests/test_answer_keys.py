"""Answers as answer keys write them, and never much longer than SymPy's simplify(diff(f)).

The SymPy yardstick (`count_ops(simplify(diff(f)))` per problem) is stored in
tests/data/sympy_counts.json; regenerate it with `python tests/make_sympy_counts.py` after
changing the corpus (SymPy's simplify is too slow to call on every test run)."""
from __future__ import annotations

import json
import statistics

import pytest
import sympy

from conftest import DATA, load_corpus, numerically_equal, to_sympy
from tutor import differentiate
from tutor.language import parse
from tutor.printing import to_text

PROBLEMS = load_corpus("seeds.jsonl") + load_corpus("practice.jsonl")
COUNTS = json.loads((DATA / "sympy_counts.json").read_text())

#: problems whose SymPy form no answer key would write (kept as known, explained misses)
HARD = {
    "tb-157": "answer-key form: the key (practice.jsonl 'expected') writes e^x/(1 + e^(2x)); SymPy's "
              "simplify rewrites the exponentials as a hyperbolic function, 1/(2 cosh x), which a "
              "teacher would not write for the derivative of arctan(e^x)",
}


def _answer(p):
    return differentiate(p["expr"], p["var"], p.get("order", 1)).answer


@pytest.fixture(scope="module")
def ratios():
    out = {}
    for p in PROBLEMS:
        ours, ref = sympy.count_ops(to_sympy(_answer(p))), COUNTS[p["id"]]
        out[p["id"]] = ours / ref if ref else (1.0 if ours == 0 else float("inf"))
    return out


def test_counts_cover_the_corpus():
    assert {p["id"] for p in PROBLEMS} <= set(COUNTS)


def test_median_ratio_at_most_one(ratios):
    assert statistics.median(ratios.values()) <= 1.0


@pytest.mark.parametrize("pid", [p["id"] for p in PROBLEMS])
def test_never_half_again_longer(ratios, pid):
    if pid in HARD:
        pytest.xfail(HARD[pid])
    assert ratios[pid] <= 1.5


@pytest.mark.parametrize("pid", sorted(HARD))
def test_hard_ones_still_correct(pid):
    p = next(q for q in PROBLEMS if q["id"] == pid)
    want = sympy.diff(to_sympy(parse(p["expr"])), sympy.Symbol(p["var"]))
    assert numerically_equal(to_sympy(_answer(p)), want)


GOLDEN = [
    ("w^2", "w", "2w"),
    ("1/w", "w", "-1/w^2"),
    ("1/w^2", "w", "-2/w^3"),
    ("3x^3 - 3x + 5", "x", "9x^2 - 3"),
    ("sin(x^2)", "x", "2x cos(x^2)"),
    ("sin(w1)*w2*(1-w2)", "w2", "sin(w1) (1 - 2w2)"),
    ("tan t", "t", "sec(t)^2"),
    ("arcsec(x^2)", "x", "2/(x sqrt(x^4 - 1))"),   # |x^2| = x^2
    ("x^2 y^3", "x", "2x y^3"),                      # monomials alphabetical
    ("sqrt(x)", "x", "1/(2 sqrt(x))"),
    ("e^(2x)", "x", "2e^(2x)"),
    ("(x^2+1)/(x-1)", "x", "(x^2 - 2x - 1)/(x - 1)^2"),
    ("sqrt(x^2 + 1)", "x", "x/sqrt(x^2 + 1)"),
    ("(t^2 - 6t + 3) e^t", "t", "e^t (t^2 - 4t - 3)"),
    ("sinh(x)^2", "x", "sinh(2x)"),
    ("sin(x)^2", "x", "sin(2x)"),
    ("sinh(x) tanh(x)", "x", "sinh(x) (1 + sech(x)^2)"),
    ("ln(sinh(t))", "t", "coth(t)"),
    ("ln(sin(c))", "c", "cot(c)"),
    ("ln(cos(x))", "x", "-tan(x)"),
    ("arctanh(sin(x))", "x", "sec(x)"),
    ("ln(sin^2(x))", "x", "2 cot(x)"),
    ("ln(tanh(x))", "x", "csch(x) sech(x)"),
    ("arctan(y/x)", "x", "-y/(x^2 + y^2)"),
    ("sin^-1(x/2)", "x", "1/sqrt(4 - x^2)"),
    ("x arctanh(x) + ln(sqrt(1 - x^2))", "x", "atanh(x)"),
    ("x arcsin(x) + sqrt(1 - x^2)", "x", "asin(x)"),
    ("cosh(x)^2 - sinh(x)^2", "x", "0"),
    ("ln(sec(x) + tan(x))", "x", "sec(x)"),
    ("(2x + 5)^4", "x", "8 (2x + 5)^3"),
    ("(3x^2 - 4x + 5)^8", "x", "16 (3x^2 - 4x + 5)^7 (3x - 2)"),
    ("e^(-x^2)", "x", "-2x e^(-x^2)"),
    ("3x^2 sin 2x", "x", "6x (sin(2x) + x cos(2x))"),
    ("5ln(x)/x", "x", "5(1 - ln(x))/x^2"),
    ("ln(e^(x^2))", "x", "2x"),
    ("e^x e^(2x)", "x", "3e^(3x)"),
    ("arctan(sinh(x))", "x", "sech(x)"),
    ("(sin(x) cos(x))/(tan(x) + sec(x))", "x", "cos(x) (1 - 2 sin(x))"),  # tb-205
]


@pytest.mark.parametrize("expr, var, key", GOLDEN)
def test_golden_answer_keys(expr, var, key):
    got = differentiate(expr, var).answer
    assert to_text(got) == key
    want = sympy.diff(to_sympy(parse(expr)), sympy.Symbol(var))
    assert numerically_equal(to_sympy(got), want)
