"""Test-only bridge to SymPy, the oracle. Nothing in `tutor/` imports SymPy."""
from __future__ import annotations

import json
import os
import pathlib
import random

import pytest
import sympy

from tutor.expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym)

DATA = pathlib.Path(__file__).parent / "data"

# CI (CI=true) runs the property tests derandomised and without the example database, so a
# submission's verdict does not depend on the luck of the draw; locally they explore freely.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    _settings.load_profile("ci")

_UNARY = {
    "exp": sympy.exp, "ln": sympy.log, "sqrt": sympy.sqrt, "cbrt": lambda u: sympy.Pow(u, sympy.Rational(1, 3)),
    "abs": sympy.Abs,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan, "asec": sympy.asec, "acsc": sympy.acsc,
    "acot": sympy.acot,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "sech": sympy.sech, "csch": sympy.csch,
    "coth": sympy.coth,
    "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh, "asech": sympy.asech,
    "acsch": sympy.acsch, "acoth": sympy.acoth,
    "relu": lambda u: sympy.Max(0, u),
}


def to_sympy(e):
    """Our AST -> the SymPy expression it means (the oracle's view of a tree)."""
    match e:
        case Num(v):
            return sympy.Rational(v.numerator, v.denominator)
        case Sym(name):
            return sympy.Symbol(name)
        case Const("e"):
            return sympy.E
        case Const("pi"):
            return sympy.pi
        case Add(terms):
            return sympy.Add(*[to_sympy(t) for t in terms])
        case Mul(factors):
            return sympy.Mul(*[to_sympy(f) for f in factors])
        case Div(n, d):
            return to_sympy(n) / to_sympy(d)
        case Pow(b, x):
            base, exp = to_sympy(b), to_sympy(x)
            if base.is_number and exp.is_number and exp.is_real and abs(float(exp)) > 60 \
                    and abs(float(base)) not in (0.0, 1.0):
                # 9^(9^9): SymPy would build the exact integer and hang; no oracle for that
                raise ValueError(f"constant power too large for the oracle: {b}^{x}")
            return sympy.Pow(base, exp)
        case Neg(a):
            return -to_sympy(a)
        case Call("log", (x, b)):
            return sympy.log(to_sympy(x), to_sympy(b))
        case Call("root", (x, n)):
            return sympy.Pow(to_sympy(x), 1 / to_sympy(n))
        case Call("max", args):
            return sympy.Max(*[to_sympy(a) for a in args])
        case Call("min", args):
            return sympy.Min(*[to_sympy(a) for a in args])
        case Call(func, (a,)):
            return _UNARY[func](to_sympy(a))
        case Indicator(l, op, r):
            l, r = to_sympy(l), to_sympy(r)
            return {">": sympy.Heaviside(l - r, 0), ">=": sympy.Heaviside(l - r, 1),
                    "<": sympy.Heaviside(r - l, 0), "<=": sympy.Heaviside(r - l, 1)}[op]
        case Derivative(inner, var, order, _):
            return sympy.Derivative(to_sympy(inner), (sympy.Symbol(var), order))
    raise TypeError(f"no SymPy form for {e!r}")


def numerically_equal(a, b, symbols=None, trials=6, seed=0, tol=1e-9, domain=None):
    """True when SymPy expressions a and b agree at random real points where both are
    defined (exact rational points; evaluation to 30 digits). With `domain` (a function of
    the same symbols), only points where it is real count: a derivative is compared only
    where the function itself exists (acosh's derivative at x < -1 is no one's business)."""
    symbols = sorted((a.free_symbols | b.free_symbols) if symbols is None else symbols, key=str)
    rng = random.Random(seed)
    agreed = 0
    for _ in range(trials * 8):
        point = {s: sympy.Rational(rng.randint(-400, 400), rng.randint(97, 211)) + sympy.Rational(1, 7)
                 for s in symbols}
        try:
            if domain is not None and not _real_throughout(domain, point):
                continue
            va = complex(sympy.N(a.subs(point), 30))
            vb = complex(sympy.N(b.subs(point), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(v != v or abs(v) == float("inf") for v in (va, vb)):
            continue
        if abs(va.imag) > 1e-12 or abs(vb.imag) > 1e-12:
            continue
        if abs(va - vb) > tol * max(1.0, abs(va), abs(vb)):
            return False
        agreed += 1
        if agreed >= trials:
            return True
    return agreed > 0


def _real_throughout(e, point) -> bool:
    """Whether e and each of its parts is finite and real at `point`, as tutor reads a function:
    over the reals, where |sqrt(x)| at x < 0 does not exist although SymPy's value (the modulus
    of an imaginary number) is real, and the line sqrt(x)/|sqrt(x)| = 1 holds where it does."""
    for part in sympy.preorder_traversal(e):
        if part.is_Atom and not part.free_symbols:
            continue
        v = complex(sympy.N(part.subs(point), 30))
        if abs(v.imag) > 1e-12 or v != v or abs(v) == float("inf"):
            return False
    return True


def defined_somewhere(a, trials=12, seed=1) -> bool:
    """Whether SymPy expression `a` has a finite real value at some random point (an input like
    x acoth(1) is undefined everywhere: no equation about it can be checked by evaluation)."""
    rng = random.Random(seed)
    symbols = sorted(a.free_symbols, key=str)
    for _ in range(trials):
        point = {s: sympy.Rational(rng.randint(-400, 400), rng.randint(97, 211)) for s in symbols}
        try:
            v = complex(sympy.N(a.subs(point), 20))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if v == v and abs(v) != float("inf") and abs(v.imag) < 1e-12:
            return True
    return False


def load_corpus(name):
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


@pytest.fixture
def oracle():
    return to_sympy


def pytest_collection_modifyitems(config, items):
    """Long randomised runs (`@pytest.mark.slow`) run only with TUTOR_SLOW=1 or `-m slow`."""
    import os
    if os.environ.get("TUTOR_SLOW") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: set TUTOR_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
