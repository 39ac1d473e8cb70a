"""Each rule owns its general formula as an Expr pair: the pair is a true identity (checked by
SymPy with the placeholders as functions of x), it is what rule_info prints in text and LaTeX,
and it is the rule function's docstring."""
from __future__ import annotations

import pytest
import sympy

from conftest import to_sympy
from tutor import rules as R
from tutor.expr import Derivative, Expr, walk
from tutor.printing import formula_latex, formula_text
from tutor.rules import Rule, rule_info

_X = sympy.Symbol("x")
#: placeholders that stand for functions of x; the others (a, b, c, n) are constants
_FUNCS = {name: sympy.Function(name)(_X) for name in ("u", "v", "w", "f", "g")}


def _as_sympy(e: Expr):
    """A formula side in SymPy: u, v, w, f, g functions of x, each Derivative taken."""
    return to_sympy(e).subs({sympy.Symbol(k): f for k, f in _FUNCS.items()}, simultaneous=True).doit()


#: formulas SymPy can check as written (chain uses f' as a name, max/min/relu/indicator are
#: piecewise: the engine's step tests check those against SymPy on real inputs)
CHECKED = [r for r in R._STATED if R._STATED[r][1] is not None and r not in
           (Rule.CHAIN, Rule.MAX, Rule.MIN, Rule.RELU, Rule.INDICATOR)]


@pytest.mark.parametrize("rule", CHECKED, ids=[r.value for r in CHECKED])
def test_formula_is_an_identity(rule):
    _, lhs, rhs, _ = R._STATED[rule]
    assert sympy.simplify(_as_sympy(lhs) - _as_sympy(rhs)) == 0


def test_every_structural_rule_states_a_formula_printed_from_it():
    structural = list(Rule)[:list(Rule).index(Rule.LOG)]
    assert set(R._STATED) == set(structural)
    for rule in structural:
        name, lhs, rhs, where = R._STATED[rule]
        info = rule_info(rule)
        assert info.name == name
        if lhs is None:  # rewrite: nothing general to state
            assert rule is Rule.REWRITE
            continue
        assert any(isinstance(n, Derivative) for n in walk(lhs))
        assert info.text == formula_text(lhs, rhs, where)
        assert info.latex == formula_latex(lhs, rhs, where)


def test_docstrings_are_the_formulas():
    assert R.product_rule.__doc__.splitlines()[:2] == [rule_info("product").text,
                                                       rule_info("general-product").text]
    assert R.quotient_rule.__doc__ == rule_info("quotient").text
    assert R.power_rule.__doc__.startswith("(x^n)' = n x^(n - 1)")


def test_text_formulas_are_the_textbook_ones():
    """The text a teacher reads (pinned by the golden files too)."""
    assert rule_info("chain").text == "(f(g))' = f'(g) g'"
    assert rule_info("log-diff").text == "(f^g)' = f^g (g' ln(f) + g f'/f)"
    assert rule_info("reciprocal").text == "(c/v)' = -c v'/v^2"
    assert rule_info("max").text == "(max(u, v))' = u' [u > v] + v' [u <= v]"
    assert rule_info("sin").text == "(sin(u))' = cos(u) u'"
    assert rule_info("log").text == "(log_b(u))' = u'/(u ln(b))"


def test_unknown_rule_id_is_a_key_error():
    with pytest.raises(KeyError):
        rule_info("produkt")


def test_function_names_come_from_the_vocabulary():
    from tutor.vocabulary import FUNCTIONS
    assert set(R.FUNCTION_NAMES) == set(R.ELEMENTARY) | {"log"}
    assert all(R.FUNCTION_NAMES[f] == FUNCTIONS[f].spoken for f in R.FUNCTION_NAMES)
