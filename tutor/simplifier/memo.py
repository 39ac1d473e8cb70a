"""The simplifier's memo tables for one simplify call, and what makes identity keys sound.

Why identity keys: trees from the chain rule share subtrees (cos(g) and g' both point at g),
so every walk is memoised by node identity, `id(node)`: a 5,000-deep chain costs 5,000 steps,
not 12.5 million, and hashing a node (which recurses through the whole subtree) is never needed.

Why they are sound: an `id` is unique only while its object is alive, so every table that is
keyed by `id(node)` keeps `node` itself in the value (`{id(e): (e, ...)}`): no keyed node can
be collected and its id reused while the table exists. Nodes are frozen, so whatever is
recorded about a node stays true.

Lifetime and threads: one `Memo` is made per `simplify_steps` call (by the driver in
`tutor.simplifier`) and dropped when it returns; it is reached only from that call's passes,
never stored in a module global. Two threads simplifying at once have two Memos, so nothing is
shared and nothing needs a lock. The tables only grow during a call.
"""
from __future__ import annotations

from fractions import Fraction

from ..errors import TutorError
from ..expr import Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym, children

__all__ = ["Memo"]


class Memo:
    """Tables that mean the same under every pass of one simplify call.

    keys      id(node) -> (node, k): k its structural key, a small int (hash-consing): equal
              trees get equal keys, a + b the same as b + a
    table     structural signature (kind, child keys...) -> k; the keys' source of truth
    sizes     id(node) -> (node, number of nodes)
    adds      id(node) -> (node, whether a sum occurs in it)
    rendered  id(node) -> (node, coefficient, factors, groups): the product form a pass
              rendered the node from, valid for passes whose node groups are within `groups`
    settled   id(node) -> (node, groups): nodes no later pass with node groups within
              `groups` can change (unchanged, with no sum inside, so the sum-only groups
              never reach them)
    idle_brackets  keys of sums the `brackets` identity can never change, whatever the
              product around them (a set of keys, not ids: keys are per call and never reused)
    """

    __slots__ = ("keys", "table", "sizes", "adds", "rendered", "settled", "idle_brackets")

    def __init__(self) -> None:
        self.keys: dict[int, tuple[Expr, int]] = {}
        self.table: dict[tuple, int] = {}
        self.sizes: dict[int, tuple[Expr, int]] = {}
        self.adds: dict[int, tuple[Expr, bool]] = {}
        self.rendered: dict[int, tuple[Expr, Fraction, tuple, frozenset]] = {}
        self.settled: dict[int, tuple[Expr, frozenset]] = {}
        self.idle_brackets: set[int] = set()

    def key(self, e: Expr) -> int:
        """Structural identity as a small int, memoised by node identity."""
        hit = self.keys.get(id(e))
        if hit is not None:
            return hit[1]
        match e:
            case Num(v):
                sig: tuple = ("N", v)
            case Sym(n):
                sig = ("S", n)
            case Const(n):
                sig = ("C", n)
            case Add(ts):
                sig = ("A",) + tuple(sorted(self.key(t) for t in ts))  # a + b is b + a
            case Mul(fs):
                sig = ("M",) + tuple(self.key(f) for f in fs)
            case Div(n, d):
                sig = ("D", self.key(n), self.key(d))
            case Pow(b, x):
                sig = ("P", self.key(b), self.key(x))
            case Neg(a):
                sig = ("-", self.key(a))
            case Call(f, args):
                sig = ("F", f) + tuple(self.key(a) for a in args)
            case Indicator(l, op, r):
                sig = ("I", op, self.key(l), self.key(r))
            case Derivative(inner, var, order, partial):
                sig = ("d", var, order, partial, self.key(inner))
            case _:
                raise TutorError(f"cannot simplify {type(e).__name__}")
        k = self.table.setdefault(sig, len(self.table))
        self.keys[id(e)] = (e, k)
        return k

    def size(self, e: Expr) -> int:
        """Number of nodes (shared subtrees counted each time they occur)."""
        hit = self.sizes.get(id(e))
        if hit is not None:
            return hit[1]
        n = 1 + sum(self.size(k) for k in children(e))
        self.sizes[id(e)] = (e, n)
        return n

    def has_add(self, e: Expr) -> bool:
        """Whether a sum occurs in e (e itself included)."""
        hit = self.adds.get(id(e))
        if hit is None:
            hit = (e, isinstance(e, Add) or any(self.has_add(k) for k in children(e)))
            self.adds[id(e)] = hit
        return hit[1]
