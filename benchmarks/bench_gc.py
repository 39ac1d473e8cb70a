"""Issue 13/15 benchmark: the cyclic garbage collector's pauses in a long-running grader.

    python benchmarks/bench_gc.py [--checks 10000]

Grades CHECKS distinct answers (the textbook bank's answers with a distinct wrong term added to
two of every three, so the caches keep filling, as a class's fresh answers do) in a new process
for each collector policy, and reports per check: the total, the 99th and 99.9th percentile,
the longest, and the resident size at the end.
- default: CPython's collector as it comes (after `gc.freeze()` of the start-up);
- worker: what a `tutor serve` / `tutor grade` worker does (`tutor.service.worker._Collector`):
  the automatic full collection off, one `gc.collect(); gc.freeze()` every 100 checks.
Why: a worker's caches hold hundreds of thousands of acyclic objects; the automatic full
collection walks all of them, inside a request, and finds nothing. Bounded by CHECKS.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

try:
    from _common import ROOT
except ImportError:
    from benchmarks._common import ROOT

CHILD = r"""
import gc, json, random, resource, sys, time
sys.path.insert(0, sys.argv[3])
from bench_grader import textbook_bank
from tutor.grade import check
mode, n = sys.argv[1], int(sys.argv[2])
bank = textbook_bank()
for c in bank[:200]:
    check(*c)
collector = None
if mode == "worker":
    from tutor.service.worker import _Collector
    collector = _Collector()
else:
    gc.collect()
    gc.freeze()
rng = random.Random(1)
times = []
t0 = time.perf_counter()
for i in range(n):
    f, a, v, o = bank[i % len(bank)]
    answer = f"{a} + {rng.randint(1, 10**6)}{v}^7" if i % 3 else a
    t = time.perf_counter()
    check(f, answer, v, o)
    if collector is not None:
        collector.done()
    times.append(time.perf_counter() - t)
total = time.perf_counter() - t0
times.sort()
print(json.dumps({"total": total, "p99": times[int(0.99 * n)], "p999": times[int(0.999 * n)],
                  "max": times[-1], "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main(argv=None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checks", type=int, default=10_000)
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    rows = []
    for mode in ("default", "worker"):
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(args.checks),
                              str(ROOT / "benchmarks")], capture_output=True, text=True, env=env,
                             check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        rows.append(f"| {mode} | {args.checks:,} | {r['total']:.1f} s | {r['p99'] * 1e3:.1f} ms | "
                    f"{r['p999'] * 1e3:.1f} ms | {r['max'] * 1e3:.0f} ms | {r['rss_mb']:.0f} MB |")
    text = "\n".join([f"`python benchmarks/bench_gc.py --checks {args.checks}` (load average "
                      f"{os.getloadavg()[0]:.1f})", "",
                      "| collector | distinct checks | total | p99 | p99.9 | longest | resident |",
                      "|---|---|---|---|---|---|---|", *rows])
    print(text)
    return text


if __name__ == "__main__":
    main()
