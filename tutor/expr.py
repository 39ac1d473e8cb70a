"""The expression tree every part of `tutor` shares.

    Num(value)                 exact rational (`fractions.Fraction`); the parser only makes
                               non-negative ones: `-2` is Neg(Num(2)), `0.25` is Num(1/4)
    Sym(name)                  a variable: x, w1, w_1, theta
    Const(name)                'e' or 'pi'
    Add(terms)                 n-ary sum as typed; `a - b` is Add((a, Neg(b)))
    Mul(factors)               n-ary product, explicit (`*`) or implicit (`2x`)
    Div(num, den)              a quotient kept as typed (the quotient rule needs it)
    Pow(base, exp)             `^` or `**`
    Neg(arg)                   unary minus
    Call(func, args)           a named function, canonical name (see FUNCTIONS)
    Indicator(left, op, right) Iverson bracket [u > v]: 1 where it holds, else 0
    Derivative(expr, var, order, partial)   the unevaluated d/dx[expr] the engine rewrites

Nodes are frozen, slotted dataclasses with tuple children: equality and hashing are
structural and `match` works on them. Raw constructors keep exactly what they are given
(the parser keeps the user's structure); the smart constructors `add`, `mul`, `neg`, `num`
flatten and fold trivially, for rules that build results. Nothing here knows about Lark or
SymPy. Walks are iterative so trees thousands of levels deep are safe.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from operator import attrgetter
from typing import Iterator, Union

from .vocabulary import FUNCTIONS as _VOCABULARY

__all__ = [
    "Expr", "Num", "Sym", "Const", "Add", "Mul", "Div", "Pow", "Neg", "Call",
    "Indicator", "Derivative", "FUNCTIONS", "UNARY_FUNCTIONS", "CONSTANTS",
    "num", "add", "mul", "neg", "div", "power", "call",
    "children", "walk", "size", "memo_fold", "depth", "free_symbols", "contains_symbol",
    "replace", "with_children", "deeper_than", "number_of", "NODES", "LEAVES", "ZERO", "ONE", "TWO", "E", "PI",
]


# Each node writes its slots through the slot descriptors (`_SET`, filled in below the
# classes) in an `__init__` of its own, rather than the frozen dataclass's generated one,
# which goes through `object.__setattr__` by name: nodes are built by the ten thousand per
# solution, and this is a third cheaper. They stay frozen dataclasses for everything else
# (equality, hashing, repr, `match`, `dataclasses.replace`); assigning to a field still raises.

@dataclass(frozen=True, slots=True, init=False)
class Num:
    value: Fraction

    def __init__(self, value: Fraction) -> None:
        # by exact type: isinstance(an int, Fraction) asks Fraction's ABC machinery (Python
        # code), and the simplifier builds numerals from ints by the thousand
        _SET_VALUE(self, value if type(value) is Fraction else Fraction(value))


@dataclass(frozen=True, slots=True, init=False)
class Sym:
    name: str

    def __init__(self, name: str) -> None:
        _SET_SYM_NAME(self, name)


@dataclass(frozen=True, slots=True, init=False)
class Const:
    name: str  # 'e' | 'pi'

    def __init__(self, name: str) -> None:
        _SET_CONST_NAME(self, name)


@dataclass(frozen=True, slots=True, init=False)
class Add:
    terms: tuple

    def __init__(self, terms: tuple) -> None:
        _SET_TERMS(self, terms)


@dataclass(frozen=True, slots=True, init=False)
class Mul:
    factors: tuple

    def __init__(self, factors: tuple) -> None:
        _SET_FACTORS(self, factors)


@dataclass(frozen=True, slots=True, init=False)
class Div:
    num: "Expr"
    den: "Expr"

    def __init__(self, num: "Expr", den: "Expr") -> None:
        _SET_NUM(self, num)
        _SET_DEN(self, den)


@dataclass(frozen=True, slots=True, init=False)
class Pow:
    base: "Expr"
    exp: "Expr"

    def __init__(self, base: "Expr", exp: "Expr") -> None:
        _SET_BASE(self, base)
        _SET_EXP(self, exp)


@dataclass(frozen=True, slots=True, init=False)
class Neg:
    arg: "Expr"

    def __init__(self, arg: "Expr") -> None:
        _SET_ARG(self, arg)


@dataclass(frozen=True, slots=True, init=False)
class Call:
    func: str
    args: tuple

    def __init__(self, func: str, args: tuple) -> None:
        _SET_FUNC(self, func)
        _SET_ARGS(self, args)


@dataclass(frozen=True, slots=True, init=False)
class Indicator:
    left: "Expr"
    op: str  # '>', '>=', '<', '<='
    right: "Expr"

    def __init__(self, left: "Expr", op: str, right: "Expr") -> None:
        _SET_LEFT(self, left)
        _SET_OP(self, op)
        _SET_RIGHT(self, right)


@dataclass(frozen=True, slots=True, init=False)
class Derivative:
    expr: "Expr"
    var: str
    order: int = 1
    partial: bool = False

    def __init__(self, expr: "Expr", var: str, order: int = 1, partial: bool = False) -> None:
        _SET_EXPR(self, expr)
        _SET_VAR(self, var)
        _SET_ORDER(self, order)
        _SET_PARTIAL(self, partial)


# the slot descriptors' setters the `__init__`s above call (they exist once the classes do)
_SET_VALUE, _SET_SYM_NAME, _SET_CONST_NAME = Num.value.__set__, Sym.name.__set__, Const.name.__set__
_SET_TERMS, _SET_FACTORS, _SET_ARG = Add.terms.__set__, Mul.factors.__set__, Neg.arg.__set__
_SET_NUM, _SET_DEN, _SET_BASE, _SET_EXP = Div.num.__set__, Div.den.__set__, Pow.base.__set__, Pow.exp.__set__
_SET_FUNC, _SET_ARGS = Call.func.__set__, Call.args.__set__
_SET_LEFT, _SET_OP, _SET_RIGHT = Indicator.left.__set__, Indicator.op.__set__, Indicator.right.__set__
_SET_EXPR, _SET_VAR = Derivative.expr.__set__, Derivative.var.__set__
_SET_ORDER, _SET_PARTIAL = Derivative.order.__set__, Derivative.partial.__set__


Expr = Union[Num, Sym, Const, Add, Mul, Div, Pow, Neg, Call, Indicator, Derivative]
#: every node class: `isinstance(v, NODES)` asks "is this a tree?"
NODES = (Num, Sym, Const, Add, Mul, Div, Pow, Neg, Call, Indicator, Derivative)

CONSTANTS = ("e", "pi")

#: Canonical function names and their argument counts (None: two or more), from the vocabulary.
#: `log` always carries its base as the second argument: ln x is Call('ln', (x,)),
#: log10 x is Call('log', (x, Num(10))), log_b x is Call('log', (x, b)).
#: `root` is (radicand, index): root(x, 3) is the cube root.
UNARY_FUNCTIONS = tuple(f.name for f in _VOCABULARY.values() if f.arity == 1)
FUNCTIONS: dict[str, int | None] = {f.name: f.arity for f in _VOCABULARY.values()}

ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))
TWO = Num(Fraction(2))
E = Const("e")
PI = Const("pi")


# ---------------------------------------------------------------- smart constructors

def num(value: int | Fraction) -> Expr:
    """An exact number; a negative one is Neg(Num) so every tree stays parser-shaped."""
    value = value if isinstance(value, Fraction) else Fraction(value)  # (a Fraction again is slow)
    return Neg(Num(-value)) if value.numerator < 0 else Num(value)


def number_of(e: Expr) -> Fraction | None:
    """The exact number a parser-shaped numeral is (`Num(2)`, `Neg(Num(2))`), else None.
    By exact type, not `match` (the node classes have no subclasses, so the answer is the
    same): the product and power walks ask this of nearly every factor."""
    t = type(e)
    if t is Num:
        return e.value
    if t is Neg:
        a = e.arg
        if type(a) is Num:
            return -a.value
    return None


def add(*terms: Expr) -> Expr:
    """Sum that flattens nested sums and drops exact zeros."""
    flat: list[Expr] = []
    for t in terms:
        if isinstance(t, Add):
            flat.extend(t.terms)
        elif number_of(t) != 0:
            flat.append(t)
    if not flat:
        return ZERO
    return flat[0] if len(flat) == 1 else Add(tuple(flat))


def mul(*factors: Expr) -> Expr:
    """Product that flattens, drops ones, collapses to 0 on an exact zero factor and
    pulls a sign out front (`(-2) x` becomes `-(2 x)`)."""
    flat: list[Expr] = []
    negative = False
    for f in factors:
        parts = f.factors if isinstance(f, Mul) else (f,)
        for p in parts:
            while isinstance(p, Neg):
                negative = not negative
                p = p.arg
            if isinstance(p, Mul):
                flat.extend(p.factors)
                continue
            v = number_of(p)
            if v == 0:
                return ZERO
            if v == 1:
                continue
            flat.append(p)
    if not flat:
        result: Expr = ONE
    elif len(flat) == 1:
        result = flat[0]
    else:
        result = Mul(tuple(flat))
    return neg(result) if negative else result


def neg(e: Expr) -> Expr:
    """Negation that cancels a double minus and leaves 0 alone."""
    match e:
        case Neg(inner):
            return inner
        case Num(v) if v == 0:
            return e
    return Neg(e)


def div(n: Expr, d: Expr) -> Expr:
    if number_of(d) == 1:
        return n
    return Div(n, d)


def power(base: Expr, exp: Expr) -> Expr:
    match number_of(exp):
        case 1:
            return base
        case 0:
            return ONE
    return Pow(base, exp)


def call(func: str, *args: Expr) -> Expr:
    return Call(func, tuple(args))


# ---------------------------------------------------------------- walks (iterative)

def children(e: Expr) -> tuple:
    """The node's children, left to right (a leaf has none). Why a table by exact type: it is
    the hottest function of every walk, and one dict lookup beats trying each case in turn."""
    get = _CHILDREN.get(type(e))
    return get(e) if get is not None else _children_slow(e)


def _children_slow(e: Expr) -> tuple:
    match e:
        case Add(terms):
            return terms
        case Mul(factors):
            return factors
        case Div(n, d):
            return (n, d)
        case Pow(b, x):
            return (b, x)
        case Neg(a):
            return (a,)
        case Call(_, args):
            return args
        case Indicator(l, _, r):
            return (l, r)
        case Derivative(inner, _, _, _):
            return (inner,)
    return ()


def _no_children(e: Expr) -> tuple:
    return ()


#: the node types without children (a walk may count them, or pass them by, without calling
#: `children`); the one table every hot walk asks, `type(e) in LEAVES`
LEAVES = frozenset({Num, Sym, Const})


#: each class's children getter; attrgetters where the children are one tuple field or a
#: tuple of fields (C code, no Python frame: `children` is asked of nearly every node walked)
_CHILDREN = {Add: attrgetter("terms"), Mul: attrgetter("factors"), Div: attrgetter("num", "den"),
             Pow: attrgetter("base", "exp"), Neg: lambda e: (e.arg,), Call: attrgetter("args"),
             Indicator: attrgetter("left", "right"), Derivative: lambda e: (e.expr,),
             Num: _no_children, Sym: _no_children, Const: _no_children}


def walk(e: Expr) -> Iterator[Expr]:
    """Every node, pre-order, left to right, without recursion."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def size(e: Expr) -> int:
    """Number of nodes, a shared subtree counted each time it occurs. A leaf (about half the
    nodes) is counted without asking for its children."""
    n, stack = 0, [e]
    while stack:
        n += 1
        node = stack.pop()
        if type(node) not in LEAVES:
            stack.extend(children(node))
    return n


def memo_fold(e: Expr, table: dict, combine, limit: int | None = None):
    """combine(node, children's values) folded bottom-up, memoised in `table` (id(node) ->
    (node, value), the node kept alive so its id stays its own) across calls: trees that share
    subtrees (the lines of one solution) cost only what they do not share. Iterative. None
    when the table would grow past `limit` (the caller then works afresh)."""
    stack = [e]
    while stack:
        n = stack[-1]
        if id(n) in table:
            stack.pop()
            continue
        kids = children(n)
        todo = [k for k in kids if id(k) not in table]
        if todo:
            stack.extend(todo)
            continue
        stack.pop()
        table[id(n)] = (n, combine(n, [table[id(k)][1] for k in kids]))
        if limit is not None and len(table) >= limit:
            return None
    return table[id(e)][1]


def deeper_than(e: Expr, limit: int) -> bool:
    """Whether any path from the root is longer than `limit` nodes; stops as soon as one is.
    Level by level (the nodes at depth d, then d + 1): no (node, depth) pair per node; a leaf
    is kept in its level without asking for its children."""
    level, d = [e], 1
    while level:
        if d > limit:
            return True
        nxt: list = []
        for node in level:
            if type(node) not in LEAVES:
                nxt.extend(children(node))
        level, d = nxt, d + 1
    return False


def depth(e: Expr) -> int:
    best = 0
    stack = [(e, 1)]
    while stack:
        node, d = stack.pop()
        if d > best:
            best = d
        for c in children(node):
            stack.append((c, d + 1))
    return best


def free_symbols(e: Expr) -> tuple[str, ...]:
    """Variable names in order of first appearance (a derivative's variable included)."""
    seen: dict[str, None] = {}
    stack = [e]
    while stack:  # `walk`'s pre-order, in a loop (no generator) by exact type
        node = stack.pop()
        t = type(node)
        if t is Sym:
            seen.setdefault(node.name)
        elif t not in LEAVES:
            if t is Derivative:
                seen.setdefault(node.var)
            stack.extend(reversed(children(node)))
    return tuple(seen)


def contains_symbol(e: Expr, name: str) -> bool:
    return any(isinstance(n, Sym) and n.name == name for n in walk(e))


def with_children(e: Expr, kids: tuple) -> Expr:
    """The same node with new children (leaves are returned as they are). By exact type, the
    commonest first, not `match` (the node classes have no subclasses): the engine rebuilds
    every node a rule made this way."""
    t = type(e)
    if t is Mul:
        return Mul(kids)
    if t is Add:
        return Add(kids)
    if t is Pow:
        return Pow(*kids)
    if t is Div:
        return Div(*kids)
    if t is Neg:
        return Neg(kids[0])
    if t is Call:
        return Call(e.func, kids)
    if t is Indicator:
        return Indicator(kids[0], e.op, kids[1])
    if t is Derivative:
        return Derivative(kids[0], e.var, e.order, e.partial)
    return e


def replace(e: Expr, mapping: dict) -> Expr:
    """Substitute whole subtrees (keys of `mapping`) everywhere, bottom-up, iteratively."""
    if not mapping:
        return e
    # post-order rebuild with an explicit stack
    out: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(e, False)]
    while stack:
        node, built = stack.pop()
        if node in mapping:
            out.append(mapping[node])
            continue
        kids = children(node)
        if not kids:
            out.append(node)
            continue
        if not built:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(kids))
            continue
        n = len(kids)
        new = tuple(out[-n:])
        del out[-n:]
        out.append(node if new == kids else with_children(node, new))
    return out[0]
