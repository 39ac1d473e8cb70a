"""Cache keys for trees: a tree hashed once, however many memos it is looked up in.

Why: one check looks its answer up in several memos (compiled trees, the comparison, the
counter-example, the diagnosis), and a tree's hash is recomputed from every node at each
lookup (frozen dataclasses do not keep it; a Fraction's hash alone costs a modular
inverse). `tree_key(e)` wraps e with its hash, computed once per tree object: the same
object (the grader passes one answer tree to each memo) gets the same key back from a table
by identity. Keys of equal trees are equal, so a memo keyed by them answers equal trees
from different texts too.

Thread safety: the table maps id(tree) -> key and each key holds its tree, so an id is
never reused while its entry lives; a race only computes a key twice (equal keys). The
table is cleared when it passes MAX_KEYS (a crude bound: keys are cheap to remake).
"""
from __future__ import annotations

from ..expr import Expr

__all__ = ["TreeKey", "tree_key", "known_shallow", "MAX_KEYS"]

MAX_KEYS = 8192


class TreeKey:
    """A tree and its hash; equal when the trees are equal (identity first: the usual hit)."""

    __slots__ = ("tree", "hash", "shallow")

    def __init__(self, tree: Expr, h: int):
        self.tree = tree
        self.hash = h
        #: whether the tree is at most _deep.SHALLOW levels deep, once its compilation has
        #: found out (None: not known); a fact of the tree, so any thread may set it
        self.shallow: bool | None = None

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other) -> bool:
        if type(other) is not TreeKey:
            return NotImplemented
        return self.tree is other.tree or (self.hash == other.hash and self.tree == other.tree)

    def __repr__(self) -> str:
        return f"TreeKey({self.tree!r})"


_KEYS: dict[int, TreeKey] = {}


def tree_key(e: Expr) -> TreeKey:
    """The key of e (raises RecursionError for a tree too deep to hash, as hash(e) would)."""
    k = _KEYS.get(id(e))
    if k is not None and k.tree is e:
        return k
    k = TreeKey(e, hash(e))
    if len(_KEYS) >= MAX_KEYS:
        _KEYS.clear()
    _KEYS[id(e)] = k
    return k


def known_shallow(e: Expr) -> bool | None:
    """Whether e is at most SHALLOW levels deep, if compiling it already found out (its key's
    `shallow`), else None: the exact evaluation of a compiled answer then needs no depth walk
    of its own (a fifth of a counter-example's exact evaluation)."""
    k = _KEYS.get(id(e))
    return k.shallow if k is not None and k.tree is e else None
