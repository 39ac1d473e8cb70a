"""The verdict memo: a check asked again is answered with the verdict it got the first time.

Why: a class hands in the same few answers to a problem over and over (the textbook's form,
the engine's form, the usual slips), and a repeat cost 280 us of reading, shape checks and
memo look-ups even with every part memoised; the whole verdict looked up by its arguments
costs about 2 us (benchmarks/bench_grader.py, "a class" and "fully warm").

Cache invariant: key = everything that decides a verdict (function text, answer text, var,
order, allow_calculus, Options, input language, tangent_at, normal, the names held constant,
the names declared for the reading and the log notation in force, both read from the context
the check runs in) -> the `Verdict`. A verdict is a pure function of that key (points are
seeded, the engine is deterministic, no clock), and a Verdict is frozen and made of frozen
parts (trees, tuples), so one value may be handed to any number of callers and threads.
Only text arguments are memoised (a tree handed in as the answer is graded afresh); a check
that raises (a bad function) is never stored. Bounded: at most `SIZE` verdicts, the least
recently used forgotten first; `clear()` (called by grade.clear_caches) forgets them all.
Threads: one lock around each look-up and store (a race on a miss only grades twice and
stores equal verdicts). Processes: each worker process has its own table (a forked child
starts with its parent's, which is as true there); a child forked while another thread held
the lock gets a fresh lock (os.register_at_fork), so it never waits on a thread it lacks.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict

__all__ = ["SIZE", "lookup", "store", "clear", "size"]

#: verdicts remembered per process. A verdict of a textbook answer holds its two trees and a
#: sentence or two: about 1-3 KB, so the full table is a few tens of MB at most.
SIZE = 16_384

_TABLE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def lookup(key):
    """The verdict stored under key, or None (and None when the memo is off: SIZE 0)."""
    if SIZE <= 0:
        return None
    with _LOCK:
        hit = _TABLE.get(key)
        if hit is not None:
            _TABLE.move_to_end(key)
        return hit


def store(key, verdict) -> None:
    """Remember verdict under key, forgetting the least recently used past SIZE."""
    if SIZE <= 0:
        return
    with _LOCK:
        _TABLE[key] = verdict
        _TABLE.move_to_end(key)
        while len(_TABLE) > SIZE:
            _TABLE.popitem(last=False)


def clear() -> None:
    """Forget every verdict."""
    with _LOCK:
        _TABLE.clear()


def size() -> int:
    """How many verdicts are remembered now."""
    return len(_TABLE)


def _after_fork() -> None:
    global _LOCK
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
