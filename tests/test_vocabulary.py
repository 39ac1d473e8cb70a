"""The vocabulary walked row by row: every function and every Greek letter is known everywhere.

A name the calculator reader knows but the LaTeX reader does not, or that prints in a form
neither reads back, is a silent misread; so each row must parse in both languages (every
spelling), print in every format and read back, evaluate, and differentiate as SymPy does.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from tutor import differentiate, parse_calc, parse_latex, to_latex, to_sympy, to_text, to_unicode
from tutor.evaluation import evaluate_float
from tutor.expr import Call, Num, Sym
from tutor.vocabulary import CALC_SPELLINGS, FUNCTIONS, GREEK, LATEX_SPELLINGS, greek_by_char

from conftest import to_sympy as oracle

X = Sym("x")
#: a point inside every function's domain (x = 1/2 unless the function needs |x| > 1)
_OUTSIDE_UNIT = {"acosh", "asec", "acsc", "acoth"}


def _call(name: str) -> Call:
    match FUNCTIONS[name].arity:
        case 1:
            return Call(name, (X,))
        case 2:  # log base 3, the 4th root (root(x, 3) is read as cbrt x)
            return Call(name, (X, Num(Fraction(3 if name == "log" else 4))))
        case None:
            return Call(name, (X, Num(Fraction(1))))


def _point(name: str) -> Fraction:
    return Fraction(2) if name in _OUTSIDE_UNIT else Fraction(1, 2)


NAMES = sorted(FUNCTIONS)


@pytest.mark.parametrize("spelling", sorted(CALC_SPELLINGS))
def test_every_calculator_spelling_reads_as_its_function(spelling):
    canonical = CALC_SPELLINGS[spelling]
    if canonical in ("log10", "log2"):
        assert parse_calc(f"{spelling}(x)") == Call("log", (X, Num(Fraction(int(spelling[3:])))))
        return
    arity = FUNCTIONS[canonical].arity
    args = {1: "(x)", 2: "(x, 3)" if canonical == "log" else "(x, 4)", None: "(x, 1)"}[arity]
    assert parse_calc(f"{spelling}{args}") == _call(canonical)


@pytest.mark.parametrize("spelling", sorted(LATEX_SPELLINGS))
def test_every_latex_spelling_reads_as_its_function(spelling):
    canonical = LATEX_SPELLINGS[spelling]
    expected = _call(canonical)
    if canonical in ("sqrt", "cbrt"):
        return  # \sqrt{x} and \sqrt[3]{x} are their own syntax, read in test_parse_latex
    assert parse_latex(f"\\operatorname{{{spelling}}}\\left(x\\right)") == expected


@pytest.mark.parametrize("name", NAMES)
def test_every_function_prints_and_reads_back(name):
    e = _call(name)
    assert parse_calc(to_text(e)) == e
    assert parse_latex(to_latex(e)) == e
    assert sympy.sympify(to_sympy(e), locals={"root": sympy.root, "cbrt": sympy.cbrt}) is not None
    assert to_unicode(e)


@pytest.mark.parametrize("name", NAMES)
def test_every_function_evaluates_as_sympy_does(name):
    e = _call(name)
    p = _point(name)
    ours = evaluate_float(e, {"x": p})
    theirs = complex(oracle(e).subs(sympy.Symbol("x"), sympy.Rational(p.numerator, p.denominator)).evalf())
    assert abs(ours - theirs.real) < 1e-9 and abs(theirs.imag) < 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_every_function_differentiates_as_sympy_does(name):
    e = _call(name)
    p = _point(name)
    x, real = sympy.Symbol("x"), sympy.Symbol("x", real=True)
    got = oracle(differentiate(e, "x").answer).subs(x, real)
    want = sympy.diff(oracle(e).subs(x, real), real)
    x = real
    value = sympy.Rational(p.numerator, p.denominator)
    a, b = complex(got.subs(x, value).evalf()), complex(want.subs(x, value).evalf())
    assert abs(a - b) < 1e-9, (name, got, want)


@pytest.mark.parametrize("name", sorted(GREEK))
def test_every_greek_letter_reads_and_prints(name):
    row = GREEK[name]
    expected = parse_calc(name)
    assert parse_calc(row.char) == expected
    for c in row.chars:
        assert parse_calc(c) == expected
    if row.latex:
        assert parse_latex(row.latex) == expected
        for v in row.variants:
            assert parse_latex("\\" + v) == expected
    assert parse_calc(to_text(expected)) == expected
    assert parse_latex(to_latex(expected)) == expected
    if name != "pi":
        assert expected == Sym(name)
    if row.latex:  # a capital with no LaTeX command (Alpha) prints as its name: Α looks like A
        assert to_unicode(expected) == row.char


def test_greek_characters_are_each_their_own_letter():
    for char, name in greek_by_char().items():
        assert parse_calc(char) == (parse_calc("pi") if name == "pi" else Sym(name)), char
