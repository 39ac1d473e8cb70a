"""Run deep-tree work on a thread with a big stack.

The tree walks that matter (parsing, depth checks, `replace`) are iterative, but printers,
the rule engine and the simplifier recurse once per level, and structural equality and
hashing of frozen dataclasses recurse in C. Inputs are capped at MAX_DEPTH levels
(tutor.limits); below that cap, running on a 512 MiB stack with a high recursion limit
makes every recursive pass safe, with no RecursionError and no C stack overflow.
Shallow inputs (the common case) skip the thread.
"""
from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")

_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 400_000
SHALLOW = 120  # depth under which the caller's own stack is plenty


def run_deep(fn: Callable[..., T], *args, **kwargs) -> T:
    """fn(*args, **kwargs) on a fresh thread with a large stack; exceptions re-raised."""
    if getattr(_local, "inside", False):
        return fn(*args, **kwargs)
    box: dict = {}

    def target() -> None:
        _local.inside = True
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    with _stack_lock:
        old = threading.stack_size()
        threading.stack_size(_STACK_BYTES)
        try:
            worker = threading.Thread(target=target, name="tutor-deep", daemon=True)
        finally:
            threading.stack_size(old)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


_local = threading.local()
_stack_lock = threading.Lock()
