"""The elementary-derivative table as data: f -> f'(u), one row per function of the vocabulary.

Why its own module: the table is the one derivative source of the project (the worked
solutions, dual numbers and backpropagation all read it), and every row is checked against
SymPy in the tests; `rules` turns a row into the chain rule's step.
"""
from __future__ import annotations

from typing import Callable

from .expr import ONE, TWO, Add, Div, Expr, Mul, Neg, Pow, call
from .vocabulary import FUNCTIONS

__all__ = ["ELEMENTARY", "FUNCTION_NAMES", "elementary_derivative"]


def _sq(e: Expr) -> Expr:
    return Pow(e, TWO)


def _one_minus(e: Expr) -> Expr:
    """1 - e^2"""
    return Add((ONE, Neg(_sq(e))))


#: f -> f'(u), the derivative of f at its argument u. The chain rule multiplies by u'.
ELEMENTARY: dict[str, Callable[[Expr], Expr]] = {
    "exp": lambda u: call("exp", u),
    "ln": lambda u: Div(ONE, u),
    "sin": lambda u: call("cos", u),
    "cos": lambda u: Neg(call("sin", u)),
    "tan": lambda u: Pow(call("sec", u), TWO),
    "sec": lambda u: Mul((call("sec", u), call("tan", u))),
    "csc": lambda u: Neg(Mul((call("csc", u), call("cot", u)))),
    "cot": lambda u: Neg(Pow(call("csc", u), TWO)),
    "asin": lambda u: Div(ONE, call("sqrt", _one_minus(u))),
    "acos": lambda u: Neg(Div(ONE, call("sqrt", _one_minus(u)))),
    "atan": lambda u: Div(ONE, Add((ONE, _sq(u)))),
    "asec": lambda u: Div(ONE, Mul((call("abs", u), call("sqrt", Add((_sq(u), Neg(ONE))))))),
    "acsc": lambda u: Neg(Div(ONE, Mul((call("abs", u), call("sqrt", Add((_sq(u), Neg(ONE)))))))),
    "acot": lambda u: Neg(Div(ONE, Add((ONE, _sq(u))))),
    "sinh": lambda u: call("cosh", u),
    "cosh": lambda u: call("sinh", u),
    "tanh": lambda u: Pow(call("sech", u), TWO),
    "sech": lambda u: Neg(Mul((call("sech", u), call("tanh", u)))),
    "csch": lambda u: Neg(Mul((call("csch", u), call("coth", u)))),
    "coth": lambda u: Neg(Pow(call("csch", u), TWO)),
    "asinh": lambda u: Div(ONE, call("sqrt", Add((_sq(u), ONE)))),
    "acosh": lambda u: Div(ONE, call("sqrt", Add((_sq(u), Neg(ONE))))),
    "atanh": lambda u: Div(ONE, _one_minus(u)),
    "asech": lambda u: Neg(Div(ONE, Mul((u, call("sqrt", _one_minus(u)))))),
    "acsch": lambda u: Neg(Div(ONE, Mul((call("abs", u), call("sqrt", Add((ONE, _sq(u)))))))),
    "acoth": lambda u: Div(ONE, _one_minus(u)),
    "abs": lambda u: Div(u, call("abs", u)),
}

#: names people say, for rule notes ("the derivative of sin is cos"), from the vocabulary
FUNCTION_NAMES = {name: FUNCTIONS[name].spoken for name in (*ELEMENTARY, "log")}


def elementary_derivative(func: str, u: Expr, base: Expr | None = None) -> Expr:
    """f'(u) for an elementary f (log takes its base). Shared with dual numbers and backprop."""
    if func == "log":
        return Div(ONE, Mul((u, call("ln", base))))
    return ELEMENTARY[func](u)
