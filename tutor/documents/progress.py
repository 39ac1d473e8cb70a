"""A progress bar on standard error, drawn only when it is a terminal.

Why here and not the batch grader's: that one (`service.batch`) is private to the service;
a long problem set (figures take a while each) needs the same courtesy. It redraws at most
ten times a second, shows done/total, the rate and the time left, and wipes itself at the end,
so a redirected stderr (a log, a CI run) never sees it.
"""
from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    def __init__(self, total: int, stream=None, label: str = "problems"):
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.on = bool(isatty and isatty())
        self.total, self.label = total, label
        self.t0 = self.last = time.monotonic()
        self.drawn = False

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.on or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        frac = min(1.0, done / self.total) if self.total else 1.0
        rate = done / (now - self.t0) if now > self.t0 else 0.0
        left = f"{(self.total - done) / rate:,.0f} s left" if rate > 0 else "-- s left"
        bar = "#" * int(frac * 30)
        self.stream.write(f"\r[{bar:<30}] {done}/{self.total} {self.label} {frac:4.0%}  {left} ")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()
