"""Run deep-tree work on a thread with a big stack, and only then.

The walks that must never fail (parsing, depth checks, `replace`) are iterative, but printers,
the rule engine and the simplifier recurse once per level, and structural equality and hashing
of frozen dataclasses recurse in C. Inputs are capped at MAX_DEPTH levels (tutor.limits); below
that cap, a worker thread with a 512 MiB stack and a high recursion limit makes every recursive
pass safe: no RecursionError, no C stack overflow. The recursion limit is raised only while such
a worker runs and restored after, so ordinary code keeps Python's usual guard.

Shallow inputs (the common case: every argument a tree, solution or string known to be under
SHALLOW levels) run directly on the caller's thread: starting a thread costs about a millisecond.
"""
from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

from .expr import NODES, deeper_than

T = TypeVar("T")

_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 400_000
SHALLOW = 120  # levels under which the caller's own stack is plenty

_local = threading.local()
_lock = threading.Lock()
_active = 0
_saved_limit = sys.getrecursionlimit()


def _expr_shallow(e) -> bool:
    return not deeper_than(e, SHALLOW)


def is_shallow(obj) -> bool:
    """Whether `obj` is known to be shallow: a short string, a shallow tree, or a record whose
    `function` and `answer` trees are shallow. Anything else counts as possibly deep."""
    if obj is None or isinstance(obj, (int, float, bool)):
        return True
    if isinstance(obj, str):
        return len(obj) <= SHALLOW
    if isinstance(obj, NODES):
        return _expr_shallow(obj)
    if getattr(obj, "shallow", False) is True:  # a record that knows it (solve.Solution.shallow)
        return True
    parts = [getattr(obj, name) for name in ("function", "answer") if hasattr(obj, name)]
    return bool(parts) and all(is_shallow(p) for p in parts)


def run_deep(fn: Callable[..., T], *args, **kwargs) -> T:
    """fn(*args, **kwargs), on a big-stack worker thread unless every argument is shallow."""
    if getattr(_local, "inside", False) or (
            all(is_shallow(a) for a in args) and all(is_shallow(v) for v in kwargs.values())
            and (args or kwargs)):
        return fn(*args, **kwargs)
    return _on_worker(fn, args, kwargs)


def _on_worker(fn, args, kwargs):
    global _active, _saved_limit
    box: dict = {}

    def target() -> None:
        _local.inside = True
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    with _lock:
        if _active == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, _RECURSION_LIMIT))
        _active += 1
        old = threading.stack_size()
        threading.stack_size(_STACK_BYTES)
        try:
            worker = threading.Thread(target=target, name="tutor-deep", daemon=True)
        finally:
            threading.stack_size(old)
    try:
        worker.start()
        worker.join()
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                sys.setrecursionlimit(_saved_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]
