"""Shared helpers for the benchmark scripts: repo-root import path, timing, statistics, tables.

Why a helper module: every script must run as `python benchmarks/<name>.py` from the repo root
with no install, report medians (the machine is shared, so means are noise), and print the same
Markdown table style. Ratios are always ours / theirs, measured in the same process.
"""
from __future__ import annotations

import json
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"


def load_jsonl(*names: str) -> list[dict]:
    """Rows of tests/data/<name>.jsonl, in file order."""
    rows = []
    for name in names:
        with open(DATA / f"{name}.jsonl", encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """(seconds, result) of one call, by time.perf_counter."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def median_time(fn, repeat: int, setup=None) -> float:
    """Median wall time of `repeat` calls of fn(); `setup()` runs untimed before each one."""
    times = []
    for _ in range(max(1, repeat)):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) by nearest rank on the sorted values."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, round(q / 100 * (len(s) - 1))))
    return s[k]


def fmt_time(sec: float) -> str:
    """Seconds in a readable unit (µs, ms or s)."""
    if sec != sec:
        return "n/a"
    if sec < 1e-3:
        return f"{sec * 1e6:.1f} µs"
    if sec < 1:
        return f"{sec * 1e3:.2f} ms"
    return f"{sec:.2f} s"


def fmt_num(x: float, digits: int = 3) -> str:
    if x != x:
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def table(headers: list[str], rows: list[list]) -> str:
    """A GitHub Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        lines.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"
