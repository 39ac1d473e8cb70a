"""The closure compiler: a tree becomes a Python function of the point's float values, built
once and called many times; `evaluate_float` is this, compiled then called once.

Why closures: the grader evaluates each answer at up to 48 points, and a closure per node
(constants folded, a constant side of + - * / specialised) costs about 1 us a call on the
corpus's derivatives, where interpreting the tree cost over ten times that. Why one compiler: the tutor's decimals and the
grader's samples are then the same Python float operations, in the same order, through the
same kernels (`kernels`), so they agree bit for bit by construction, not by two copies.

Float semantics, node by node: Python's own + - * / ** on floats, left to right (`w^2` at
3.001 is 3.001 ** 2 to the last bit); every intermediate must stay finite (an infinity is
EvaluationError "overflow", as inf - inf would silently become NaN); division by zero and
every kernel's domain are DomainError. The compiled function raises exactly what an
interpretation of the tree would raise first; `compile_float` turns any of it into NaN.
The finiteness tests compare with 0.0, not 0 (`r - r == 0.0`): the same answer for every
float, without CPython's float-against-int comparison at every node of every call.

Thread safety: a compiled function closes over constants only and keeps no state.
"""
from __future__ import annotations

import math
import operator
from fractions import Fraction
from typing import Callable, Sequence

from ..errors import DomainError, TutorError
from ..exact import value_of
from ..expr import Add, Call, Const, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym
from . import kernels as k
from .text import fraction_parts

__all__ = ["compile_tree", "Compiled", "TooDeep"]

Compiled = Callable[[Sequence[float]], float]
_Node = float | Compiled   # a folded constant, or a function of the values
_UNLIMITED = 1 << 62
_CHAIN = 4                 # sums and products of more terms run as one loop, not nested closures


class TooDeep(Exception):
    """The tree is deeper than the `levels` given to compile_tree: compile it on a big stack."""


def compile_tree(e: Expr, variables: Sequence[str], *, strict: bool = True,
                 levels: int | None = None) -> Compiled:
    """The raising float function of e over the values of `variables` (in that order).
    strict: a variable not in `variables` (EvaluationError "unbound") or a node that cannot
    be evaluated raises here; otherwise the function raises it when it reaches that node, as
    an interpretation would (evaluate_float). Compiling and calling recurse once per level:
    with `levels`, a tree deeper than that raises TooDeep (so the caller learns the depth
    from the compilation itself, without a walk of its own, and moves to a big stack)."""
    index: dict[str, int] = {}
    for i, name in enumerate(variables):
        index.setdefault(name, i)
    node = _build(e, index, strict, _UNLIMITED if levels is None else levels)
    return _fn(node)


def _fn(node: _Node) -> Compiled:
    if type(node) is float:
        return lambda v: node
    return node


def _fold(f: Compiled, *kids: _Node) -> _Node:
    """f, or its value when every child is a constant (computed by f itself, so
    bit-identical); one that fails stays f, to fail when called, in its turn."""
    for kid in kids:
        if type(kid) is not float:
            return f
    try:
        r = f(())
    except Exception:
        return f
    return r if type(r) is float else f


def _raising(error: Callable[[], Exception]) -> Compiled:
    def f(v):
        raise error()
    return f


def _intermediate():
    return k.overflow("an intermediate value")


def _build(e: Expr, index: dict, strict: bool, room: int) -> _Node:
    """The node for e; `room`: the levels left before TooDeep (e itself takes one).
    Every closure is made by a helper of its own (`_neg`, `_unary`, ...): a lambda written
    here would make each name it uses a cell of EVERY call of _build, one per node compiled."""
    if room < 1:
        raise TooDeep
    room -= 1
    # dispatch on the node's class (the node classes have no subclasses): a `match` over
    # a dozen class patterns tried them in turn at every node of every answer compiled
    t = type(e)
    if t is Num:
        v = e.value
        if type(v) is Fraction:
            try:   # float(v), correctly rounded, without numbers.Rational.__float__'s calls
                n, d = fraction_parts(v)
                return n / d
            except OverflowError:
                return _late_number(v)
        try:
            return k.to_float(v)
        except TutorError:
            return _late_number(v)
    if t is Sym:
        name = e.name
        if name in index:
            return operator.itemgetter(index[name])
        if strict:
            raise k.unbound(name)
        return _raising(_unbound_error(name))
    if t is Add:
        return _chain(True, e.terms, index, strict, room)
    if t is Mul:
        factors = e.factors
        if len(factors) == 2 and room >= 2:   # 3x^2, 2x: the common scaled variable, one closure
            c, u = factors
            if type(c) is Num:
                tu = type(u)
                if tu is Sym and u.name in index:
                    a = _build(c, index, strict, room)
                    if type(a) is float:
                        return _scaled_variable(a, index[u.name])
                elif tu is Pow and type(u.base) is Sym and type(u.exp) is Num \
                        and u.base.name in index:
                    a = _build(c, index, strict, room)
                    n = _build(u.exp, index, strict, room - 1)
                    if type(a) is float and type(n) is float:
                        return _scaled_power(a, index[u.base.name], n, value_of(u.exp))
        return _chain(False, factors, index, strict, room)
    if t is Pow:
        x = e.exp
        b = e.base
        if type(b) is Sym and type(x) is Num and room >= 1 and b.name in index:   # x^2
            n = _build(x, index, strict, room)
            if type(n) is float:
                return _power_of_variable(index[b.name], n, value_of(x))
            return _pow(operator.itemgetter(index[b.name]), n, value_of(x))
        return _pow(_build(b, index, strict, room), _build(x, index, strict, room), value_of(x))
    if t is Neg:
        return _neg(_build(e.arg, index, strict, room))
    if t is Div:
        return _div(_build(e.num, index, strict, room), _build(e.den, index, strict, room))
    if t is Call:
        func, args = e.func, e.args
        if len(args) == 2 and func in k.BINARY:
            x, y = args
            a, b = _build(x, index, strict, room), _build(y, index, strict, room)
            if func == "root":
                return _root(a, b, value_of(y))
            return _log(a, b)
        if func in k.VARIADIC and args:
            return _variadic(k.VARIADIC[func], _build_all(args, index, strict, room))
        if len(args) == 1 and func in k.KERNELS:
            arg = args[0]
            if type(arg) is Sym and room >= 1 and arg.name in index:   # sin x: no itemgetter
                return _unary_of_variable(k.KERNELS[func], index[arg.name])
            return _unary(k.KERNELS[func], _build(arg, index, strict, room))
    elif t is Const:
        if e.name == "pi":
            return math.pi
        if e.name == "e":
            return math.e
    elif t is Indicator and e.op in k.COMPARE:
        return _indicator(k.COMPARE[e.op], _build(e.left, index, strict, room),
                          _build(e.right, index, strict, room))
    if strict:
        raise k.not_evaluable(e)
    return _raising(_not_evaluable_error(e))


def _build_all(trees, index: dict, strict: bool, room: int) -> list:
    """The nodes of several trees, in order (a loop here, not a comprehension in _build or
    _chain: a comprehension would make index, strict and room cells of every call)."""
    out = []
    for tree in trees:
        out.append(_build(tree, index, strict, room))
    return out


# ---------------------------------------------------------------- the closures of _build

def _late_number(value) -> Compiled:
    """A number past the float range: its overflow error, raised when it is reached."""
    return lambda v: k.to_float(value)


def _unbound_error(name: str) -> Callable[[], Exception]:
    return lambda: k.unbound(name)


def _not_evaluable_error(e: Expr) -> Callable[[], Exception]:
    return lambda: k.not_evaluable(e)


def _neg(kid: _Node) -> _Node:
    g = _fn(kid)
    return _fold(lambda v: -g(v), kid)


def _unary(kernel: Callable[[float], float], kid: _Node) -> _Node:
    g = _fn(kid)
    return _fold(lambda v: kernel(g(v)), kid)


def _unary_of_variable(kernel: Callable[[float], float], i: int) -> Compiled:
    return lambda v: kernel(v[i])


def _root(a: _Node, b: _Node, const) -> _Node:
    g, h, root = _fn(a), _fn(b), k.froot
    return _fold(lambda v: root(g(v), h(v), const), a, b)


def _log(a: _Node, b: _Node) -> _Node:
    g, h, log = _fn(a), _fn(b), k.flog
    return _fold(lambda v: log(g(v), h(v)), a, b)


def _variadic(pick: Callable, kids: Sequence[_Node]) -> _Node:
    gs = tuple(_fn(kid) for kid in kids)
    return _fold(lambda v: pick([g(v) for g in gs]), *kids)


def _indicator(test: Callable, a: _Node, b: _Node) -> _Node:
    g, h = _fn(a), _fn(b)
    return _fold(lambda v: 1.0 if test(g(v), h(v)) else 0.0, a, b)


# ---------------------------------------------------------------- + * /

def _chain(add: bool, terms: tuple, index: dict, strict: bool, room: int) -> _Node:
    """A sum (add) or product, left to right: a pair at a time while short (constants folded,
    a constant side specialised), as one loop when long, so wide sums do not nest calls."""
    if not terms:
        return 0.0 if add else 1.0
    pair = _add if add else _mul
    acc = _build(terms[0], index, strict, room)
    if len(terms) <= _CHAIN:
        for t in terms[1:]:
            if add and type(t) is Neg:   # a - b: one closure, not a + (-b) through two
                if room < 1:
                    raise TooDeep
                b = _build(t.arg, index, strict, room - 1)
                acc = pair(acc, _neg(b)) if type(b) is float else _sub(acc, b)
                continue
            acc = pair(acc, _build(t, index, strict, room))
        return acc
    kids = _build_all(terms[1:], index, strict, room)
    i = 0
    while i < len(kids) and type(acc) is float and type(kids[i]) is float:
        acc = pair(acc, kids[i])
        i += 1
    if i == len(kids):
        return acc
    return _loop(add, _fn(acc), tuple(_fn(kid) for kid in kids[i:]))


def _loop(add: bool, first: Compiled, rest: tuple) -> Compiled:
    if add:
        def f(v):
            acc = first(v)
            for g in rest:
                acc = acc + g(v)
                if acc - acc != 0.0:
                    raise _intermediate()
            return acc
    else:
        def f(v):
            acc = first(v)
            for g in rest:
                acc = acc * g(v)
                if acc - acc != 0.0:
                    raise _intermediate()
            return acc
    return f


def _add(a: _Node, b: _Node) -> _Node:
    if type(a) is float and type(b) is float:
        return _fold(lambda v: k.finite(a + b), a, b)
    if type(a) is float:
        def f(v):
            r = a + b(v)
            if r - r == 0.0:
                return r
            raise _intermediate()
    elif type(b) is float:
        def f(v):
            r = a(v) + b
            if r - r == 0.0:
                return r
            raise _intermediate()
    else:
        def f(v):
            r = a(v) + b(v)
            if r - r == 0.0:
                return r
            raise _intermediate()
    return f


def _sub(a: _Node, b: Compiled) -> Compiled:
    """a + (-b) for a function b, as one subtraction: the same float (IEEE 754 defines
    x - y as x + (-y)), the same errors in the same order."""
    if type(a) is float:
        def f(v):
            r = a - b(v)
            if r - r == 0.0:
                return r
            raise _intermediate()
    else:
        def f(v):
            r = a(v) - b(v)
            if r - r == 0.0:
                return r
            raise _intermediate()
    return f


def _mul(a: _Node, b: _Node) -> _Node:
    if type(a) is float and type(b) is float:
        return _fold(lambda v: k.finite(a * b), a, b)
    if type(a) is float:
        def f(v):
            r = a * b(v)
            if r - r == 0.0:
                return r
            raise _intermediate()
    elif type(b) is float:
        def f(v):
            r = a(v) * b
            if r - r == 0.0:
                return r
            raise _intermediate()
    else:
        def f(v):
            r = a(v) * b(v)
            if r - r == 0.0:
                return r
            raise _intermediate()
    return f


def _zero_division():
    return DomainError("division by zero")


def _div(a: _Node, b: _Node) -> _Node:
    if type(b) is float:
        if b == 0.0:
            g = _fn(a)

            def f(v):
                g(v)  # the dividend first: its own error comes before this one
                raise _zero_division()
            return _fold(f, a)
        if type(a) is float:
            return _fold(lambda v: k.finite(a / b), a, b)

        def f(v):
            r = a(v) / b
            if r - r == 0.0:
                return r
            raise _intermediate()
        return f
    if type(a) is float:   # 1/x: a constant numerator, not a call of a constant function
        def f(v):
            d = b(v)
            if d == 0.0:
                raise _zero_division()
            r = a / d
            if r - r == 0.0:
                return r
            raise _intermediate()
        return f
    g = _fn(a)

    def f(v):
        n = g(v)
        d = b(v)
        if d == 0.0:
            raise _zero_division()
        r = n / d
        if r - r == 0.0:
            return r
        raise _intermediate()
    return f


# ---------------------------------------------------------------- powers

def _power_of_variable(i: int, c: float, const) -> Compiled:
    """_pow(itemgetter(i), c, const): the variable read in place, not by a call (x^2 is
    one node in ten of the textbook bank's answers); the same floats and errors."""
    fpow = k.fpow
    if c % 1 == 0.0:
        def f(v):
            base = v[i]
            try:
                return base ** c
            except (OverflowError, ZeroDivisionError):
                return fpow(base, c)
    else:
        def f(v):
            base = v[i]
            if base > 0.0:
                try:
                    return base ** c
                except OverflowError:
                    pass
            return fpow(base, c, const)
    return f


def _scaled_power(a: float, i: int, c: float, const) -> Compiled:
    """_mul(a, _power_of_variable(i, c, const)) as one closure (3x^2: a call less at
    every point); the same operations in the same order, the same errors."""
    fpow = k.fpow
    if c % 1 == 0.0:
        def f(v):
            base = v[i]
            try:
                p = base ** c
            except (OverflowError, ZeroDivisionError):
                p = fpow(base, c)
            r = a * p
            if r - r == 0.0:
                return r
            raise _intermediate()
    else:
        def f(v):
            base = v[i]
            p = None
            if base > 0.0:
                try:
                    p = base ** c
                except OverflowError:
                    pass
            if p is None:
                p = fpow(base, c, const)
            r = a * p
            if r - r == 0.0:
                return r
            raise _intermediate()
    return f


def _scaled_variable(a: float, i: int) -> Compiled:
    """_mul(a, itemgetter(i)): 2x with the variable read in place."""
    def f(v):
        r = a * v[i]
        if r - r == 0.0:
            return r
        raise _intermediate()
    return f


def _pow(b: _Node, x: _Node, const) -> _Node:
    """b ** x; `const` is the exponent when it is written with numbers only (the real odd
    root of a negative base, kernels.fpow). An integer constant exponent is Python's own
    float ** (fpow only to raise its error: 0 to a negative power, overflow)."""
    g, fpow = _fn(b), k.fpow
    if type(x) is float and x % 1 == 0.0:
        c = x

        def f(v):
            base = g(v)
            try:
                return base ** c
            except (OverflowError, ZeroDivisionError):
                return fpow(base, c)
    elif type(x) is float:
        c = x

        def f(v):
            base = g(v)
            if base > 0.0:   # fpow's own first case (b ** x, overflow its error), without its call
                try:
                    return base ** c
                except OverflowError:
                    pass
            return fpow(base, c, const)
    elif type(b) is float and b > 0.0:   # e^x, 2^x: a positive constant base, as fpow takes it
        c, h = b, x

        def f(v):
            t = h(v)
            try:
                return c ** t
            except OverflowError:
                return fpow(c, t, const)   # its overflow error
    else:
        h = x

        def f(v):
            return fpow(g(v), h(v), const)
    return _fold(f, b, x)
