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
from ..expr import LEAVES, Add, Call, Const, Derivative, Div, Expr, Indicator, Mul, Neg, Num, Pow, Sym, children

__all__ = ["Memo", "LIVE_GROUPS"]


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
    fixed     id(node) -> (node, groups, live): a pass with exactly these groups left the node
              as it was and assumed nothing on the way, and `live` are the groups of
              `LIVE_GROUPS` not on that might have changed it (so a later round, or a later
              pass whose extra groups cannot apply inside it, need not walk it: `unchanged`)
    found     id(node) -> (node, names): function and constant names in the node (what
              `unchanged` reads)
    """

    __slots__ = ("keys", "table", "sizes", "adds", "rendered", "settled", "idle_brackets",
                 "fixed", "found")

    def __init__(self) -> None:
        self.keys: dict[int, tuple[Expr, int]] = {}
        self.table: dict[tuple, int] = {}
        self.sizes: dict[int, tuple[Expr, int]] = {}
        self.adds: dict[int, tuple[Expr, bool]] = {}
        self.rendered: dict[int, tuple[Expr, Fraction, tuple, frozenset]] = {}
        self.settled: dict[int, tuple[Expr, frozenset]] = {}
        self.idle_brackets: set[int] = set()
        self.fixed: dict[int, tuple[Expr, frozenset, frozenset]] = {}
        self.found: dict[int, tuple[Expr, frozenset]] = {}

    def key(self, e: Expr) -> int:
        """Structural identity as a small int, memoised by node identity."""
        hit = self.keys.get(id(e))
        if hit is not None:
            return hit[1]
        t = type(e)  # by exact type, the commonest first: every opaque factor asks this
        if t is Sym:
            sig: tuple = ("S", e.name)
        elif t is Num:  # by its two ints: hashing a Fraction costs a modular inverse
            v = e.value
            sig = ("N", v.numerator, v.denominator)
        elif t is Call:
            sig = ("F", e.func) + tuple([self.key(a) for a in e.args])
        elif t is Add:
            sig = ("A",) + tuple(sorted([self.key(u) for u in e.terms]))  # a + b is b + a
        elif t is Pow:
            sig = ("P", self.key(e.base), self.key(e.exp))
        elif t is Mul:
            sig = ("M",) + tuple([self.key(f) for f in e.factors])
        elif t is Div:
            sig = ("D", self.key(e.num), self.key(e.den))
        elif t is Neg:
            sig = ("-", self.key(e.arg))
        elif t is Const:
            sig = ("C", e.name)
        else:
            match e:
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
        if type(e) in LEAVES:  # a leaf counts 1: not worth a table entry
            return 1
        hit = self.sizes.get(id(e))
        if hit is not None:
            return hit[1]
        n = 1
        for k in children(e):
            n += self.size(k)
        self.sizes[id(e)] = (e, n)
        return n

    def has_add(self, e: Expr) -> bool:
        """Whether a sum occurs in e (e itself included)."""
        if type(e) in LEAVES:
            return False
        hit = self.adds.get(id(e))
        if hit is not None:
            return hit[1]
        found = isinstance(e, Add)
        if not found:
            for k in children(e):
                if self.has_add(k):
                    found = True
                    break
        self.adds[id(e)] = (e, found)
        return found

    def names(self, e: Expr) -> frozenset:
        """Function and constant names in e (what the identity groups need to apply). By
        exact type, a leaf answered without a table entry (half the nodes are leaves)."""
        t = type(e)
        if t is Sym or t is Num:
            return _EMPTY
        if t is Const:
            return frozenset({e.name})
        hit = self.found.get(id(e))
        if hit is not None:
            return hit[1]
        out: frozenset = _EMPTY
        for k in children(e):
            inner = self.names(k)
            if inner:
                out = out | inner if out else inner
        if t is Call:
            out = out | {e.func}
        self.found[id(e)] = (e, out)
        return out

    def unchanged(self, e: Expr, flags: frozenset, needs, node_groups: frozenset) -> frozenset | None:
        """Whether a pass with groups `flags` leaves e as it is, known without walking it; if
        so the groups still live in e (see `fixed`), else None. Known when a pass with groups
        F <= flags left e as it was (`fixed`) and every group in flags - F cannot apply inside
        e: it only rewrites sums (not in `node_groups`) and e has none, or it needs a name
        (`needs`: group -> function or constant names) that e does not contain, or that walk
        saw it was not live in e (every test the group makes would have come out the same).
        Why that is enough: a pass is bottom-up and context-free, so over e it can differ from
        the F pass only where one of the extra groups applies, and none can apply inside e."""
        hit = self.fixed.get(id(e))
        if hit is None:
            return None
        _, done, live = hit
        if done == flags:
            return live
        if not done <= flags:
            return None
        have = sums = None
        for g in flags - done:
            if g not in node_groups:
                if sums is None:
                    sums = self.has_add(e)
                if not sums:
                    continue
            if g in live:
                return None
            if g in LIVE_GROUPS:
                continue
            need = needs.get(g)
            if need is None:
                return None
            if have is None:
                have = self.names(e)
            if need & have:
                return None
        return live - flags


#: the groups whose every test a pass without them records when it would have come out
#: differently (`Simplifier.live`): absent from a node's live set, they are known not to apply
LIVE_GROUPS = frozenset({"collect-factors", "collect-terms", "expand", "fractions", "pythagorean",
                         "trig-quotients", "double-angle", "exp-log", "brackets", "order"})
_EMPTY: frozenset = frozenset()
