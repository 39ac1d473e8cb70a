"""Hypothesis strategies for expression trees, shared by every test module.

Two families:

* `exprs(...)`: *parser-shaped* trees, the kind `parse_calc` / `parse_latex` build: numbers
  are non-negative (`-2` is Neg(Num(2))), integers or terminating decimals; Add and Mul
  have at least two children; functions use canonical names and arities; a Derivative is
  partial exactly when its body has free symbols other than its variable. Printing such a
  tree and parsing the text back must give the same tree.
* `diff_exprs(var)`: trees the differentiation engine must handle: every function family,
  powers with constant exponents, products, quotients and compositions, over one variable
  and constants; no Derivative or Indicator nodes.

Both are plain `st.recursive` strategies; `max_leaves` bounds the size.
"""
from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from tutor.expr import (UNARY_FUNCTIONS, Add, Call, Const, Derivative, Div, Indicator, Mul, Neg,
                        Num, Pow, Sym, free_symbols, walk)

SYMBOLS = ("x", "y", "w1", "theta")
RELATIONS = (">", ">=", "<", "<=")
TRIG = ("sin", "cos", "tan", "sec", "csc", "cot")
INVERSE_TRIG = ("asin", "acos", "atan", "asec", "acsc", "acot")
HYPERBOLIC = ("sinh", "cosh", "tanh", "sech", "csch", "coth")
INVERSE_HYPERBOLIC = ("asinh", "acosh", "atanh", "asech", "acsch", "acoth")


# ------------------------------------------------------------------ leaves

def integers(max_value: int = 12) -> st.SearchStrategy:
    """Non-negative integer Nums (the parser never makes a negative Num)."""
    return st.integers(0, max_value).map(lambda n: Num(Fraction(n)))


def decimals() -> st.SearchStrategy:
    """Terminating decimals such as 0.5, 2.25, 0.125: printed `0.25`, read back Num(1/4)."""
    return st.builds(lambda n, k: Num(Fraction(n, 10 ** k)),
                     st.integers(1, 999), st.integers(1, 3))


def numbers(decimal: bool = True) -> st.SearchStrategy:
    return st.one_of(integers(), decimals()) if decimal else integers()


def symbols(names=SYMBOLS) -> st.SearchStrategy:
    return st.sampled_from([Sym(n) for n in names])


def constants() -> st.SearchStrategy:
    return st.sampled_from([Const("e"), Const("pi")])


def leaves(names=SYMBOLS, decimal: bool = True) -> st.SearchStrategy:
    return st.one_of(numbers(decimal), symbols(names), constants())


# ------------------------------------------------------------------ builders

def derivative(body, var: str, order: int = 1) -> Derivative:
    """A Derivative following the parser's convention: partial exactly when the body has
    free symbols other than `var`."""
    partial = any(name != var for name in free_symbols(body))
    return Derivative(body, var, order, partial)


def _log(arg, base):
    return Call("log", (arg, base))


def _nary(cls, kids, lo: int = 2, hi: int = 4):
    return st.lists(kids, min_size=lo, max_size=hi).map(lambda xs: cls(tuple(xs)))


# ------------------------------------------------------------------ parser-shaped trees

def oracle_sized(e) -> bool:
    """No constant power tower such as 9^(9^9): `tutor` refuses or floats it quickly, but the
    SymPy oracle would build the exact integer and never finish."""
    from tutor.errors import TutorError
    from tutor.evaluation import evaluate_float
    for node in walk(e):
        if isinstance(node, Pow) and not free_symbols(node.exp) and not free_symbols(node.base):
            try:
                if abs(evaluate_float(node.exp, {})) > 60:
                    return False
            except TutorError:
                continue
    return True


def exprs(max_leaves: int = 12, names=SYMBOLS, decimal: bool = True,
          derivatives: bool = True, indicators: bool = True) -> st.SearchStrategy:
    """Parser-shaped trees over `names` (default x, y, w1, theta), e and pi.

    `decimal=False` keeps numbers integral (LaTeX prints 1/4 as \\frac{1}{4}, which reads
    back as a Div). `derivatives` / `indicators` switch those node kinds on or off."""

    def extend(kids):
        options = [
            _nary(Add, kids),
            _nary(Mul, kids, 2, 3),
            st.builds(Div, kids, kids),
            # a fractional exponent prints as x^(1/4) and reads back as a quotient
            st.builds(Pow, kids, kids.filter(lambda k: not (isinstance(k, Num) and k.value.denominator != 1))),
            kids.map(Neg),
            st.builds(lambda f, a: Call(f, (a,)), st.sampled_from(UNARY_FUNCTIONS), kids),
            st.builds(_log, kids, st.one_of(st.sampled_from([Num(10), Num(2)]), kids)),
            # root(u, 3) is excluded: both parsers canonicalise it to cbrt(u)
            st.builds(lambda a, n: Call("root", (a, n)), kids, kids.filter(lambda k: k != Num(3))),
            st.builds(lambda f, xs: Call(f, tuple(xs)), st.sampled_from(["max", "min"]),
                      st.lists(kids, min_size=2, max_size=3)),
        ]
        if indicators:
            options.append(st.builds(Indicator, kids, st.sampled_from(RELATIONS), kids))
        if derivatives:
            options.append(st.builds(derivative, kids, st.sampled_from(names),
                                     st.integers(1, 3)))
        return st.one_of(options)

    return st.recursive(leaves(names, decimal), extend, max_leaves=max_leaves).filter(oracle_sized)


# ------------------------------------------------------------------ trees to differentiate

def diff_exprs(var: str = "x", max_leaves: int = 10, decimal: bool = False) -> st.SearchStrategy:
    """Trees in one variable `var` for the engine: polynomials and powers with constant
    exponents (integer, negative, fractional), exponentials and logs (any base), every
    trig, inverse-trig, hyperbolic and inverse-hyperbolic function, roots, abs, relu,
    products, quotients and compositions. Parser-shaped, no Derivative or Indicator."""
    x = Sym(var)
    nonzero = st.integers(1, 12).map(lambda k: Num(Fraction(k)))
    consts = st.one_of(st.one_of(nonzero, decimals()) if decimal else nonzero, constants())
    const_exponent = st.one_of(
        st.integers(2, 6).map(lambda k: Num(Fraction(k))),
        st.integers(1, 4).map(lambda k: Neg(Num(Fraction(k)))),
        st.sampled_from([Div(Num(1), Num(2)), Div(Num(1), Num(3)), Neg(Div(Num(1), Num(2))),
                         Div(Num(3), Num(2))]),
        constants(),
    )
    base_leaf = st.one_of(st.just(x), st.just(x), consts)
    unary = st.sampled_from(("exp", "ln", "sqrt", "cbrt", "abs", "relu") + TRIG + INVERSE_TRIG
                            + HYPERBOLIC + INVERSE_HYPERBOLIC)

    def extend(kids):
        return st.one_of(
            _nary(Add, kids, 2, 3),
            _nary(Mul, kids, 2, 3),
            st.builds(Mul, st.tuples(consts, kids)),                 # constant multiple
            st.builds(Div, kids, kids),                              # quotient
            st.builds(Pow, kids, const_exponent),                    # power rule (+ chain)
            st.builds(Pow, consts, kids),                            # a^u
            st.builds(Pow, st.just(Const("e")), kids),               # e^u
            kids.map(Neg),
            st.builds(lambda f, a: Call(f, (a,)), unary, kids),      # elementary + chain
            st.builds(_log, kids, st.sampled_from([Num(10), Num(2), Num(4), Const("e")])),
            st.builds(lambda a, n: Call("root", (a, Num(n))), kids, st.sampled_from([2, 4, 5])),
            st.builds(lambda f, a, b: Call(f, (a, b)), st.sampled_from(["max", "min"]),
                      kids, kids),
        )

    return st.recursive(base_leaf, extend, max_leaves=max_leaves).filter(oracle_sized)
