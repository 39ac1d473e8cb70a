"""Formulas are true as written: every elementary row carries the chain factor u'.

Why: an elementary row printed as (sin(u))' = cos(u) holds only for u = x; a student copies it
as a rule and forgets the chain factor. Each row is checked by SymPy as an identity with u a
function of x, and the text, LaTeX and JSON a user sees carry it.
"""
from __future__ import annotations

import pytest
import sympy

from conftest import to_sympy
from tutor import rules as R
from tutor.cli import main
from tutor.expr import Call, Sym
from tutor.rules import rule_info
from typeset import katex_errors

_X = sympy.Symbol("x", real=True)
ROWS = ["log", *R.ELEMENTARY]


def _lhs_rhs(rule: str):
    u, b = Sym("u"), Sym("b")
    if rule == "log":
        lhs = Call("log", (u, b))
    else:
        lhs = Call(rule, (u,))
    return lhs


#: an inner function inside each row's real domain: in (1/4, 3/4] where |u| < 1 is needed
_SMALL = {"asin", "acos", "atanh", "asech"}


@pytest.mark.parametrize("rule", ROWS)
def test_every_elementary_row_is_an_identity_for_any_inner_u(rule):
    """(f(u))' = f'(u) u' with u a function of x: SymPy's derivative of the left against the
    printed right, at points of the row's real domain (u changes sign for |u|)."""
    from tutor.language import parse
    info = rule_info(rule)
    left, right = info.text.split(" = ", 1)
    assert right.count("u'") == 1, info.text                      # the chain factor is there
    u = (1 / (_X**2 + 2) + sympy.Rational(1, 4) if rule in _SMALL
         else _X**3 - 5 if rule == "abs" else _X**2 + 2)
    base = sympy.Integer(3)
    want = sympy.diff(to_sympy(_lhs_rhs(rule)).subs({sympy.Symbol("u"): u, sympy.Symbol("b"): base}), _X)
    got = to_sympy(parse(right.replace("u'", "q", 1).replace("log_b(u)", "log(u, b)"), "calc"))
    got = got.subs({sympy.Symbol("q"): sympy.diff(u, _X), sympy.Symbol("u"): u, sympy.Symbol("b"): base})
    for x0 in (0.3, 0.7, 1.3, 1.9):
        w, g = complex(want.subs(_X, x0).evalf()), complex(got.subs(_X, x0).evalf())
        assert abs(w - g) <= 1e-9 * max(1.0, abs(w)), (info.text, x0, w, g)


def test_the_formulas_read_as_textbooks_print_them():
    assert rule_info("sin").text == "(sin(u))' = cos(u) u'"
    assert rule_info("ln").text == "(ln(u))' = u'/u"
    assert rule_info("exp").text == "(e^u)' = e^u u'"
    assert rule_info("log").text == "(log_b(u))' = u'/(u ln(b))"
    assert rule_info("sin").latex == "\\left(\\sin\\left(u\\right)\\right)' = \\cos\\left(u\\right) u'"


def test_every_elementary_formula_passes_katex():
    assert katex_errors([rule_info(r).latex for r in ROWS]) == {}


def test_full_detail_shows_the_chain_factor_in_text_latex_and_json(capsys):
    for fmt in ("text", "latex"):
        main(["diff", "sin(x)", "--detail", "full", "--format", fmt])
        out = capsys.readouterr().out
        assert ("(sin(u))' = cos(u) u'" if fmt == "text" else "\\cos\\left(u\\right) u'") in out
    main(["diff", "sin(x)", "--detail", "full", "--format", "json"])
    assert "(sin(u))' = cos(u) u'" in capsys.readouterr().out
