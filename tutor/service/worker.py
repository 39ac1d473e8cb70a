"""A worker process: read one job per line on stdin, write one result line per answer on stdout.

    python -m tutor.service.worker

Started by `pool` (the service) and `batch` (tutor grade) as a plain subprocess, so it works
under any parent, a daemonic Dask worker included. It imports the grader and warms it up
(one check) before it says `ready`, so the first real request pays no import. Its caches
(the reference derivative per problem, parsed answers) are its own: a worker that is killed
takes nothing shared with it.

Jobs (JSON, one a line):
    {"op": "check", "args": {...}}                 -> one result line (jobs.Result.line)
    {"op": "rows", "rows": [[number, row], ...]}   -> one result line per row, in order
    {"op": "range", "path", "start", "end", "first", "format": "jsonl"|"csv", "share"}
                                                   -> the output row of each row of the file's
                                                      bytes [start, end), then the range's
                                                      summary counters (batch.grade_range;
                                                      share: the batch's file of rows learned)
End of input ends the process. The parent enforces the deadline by killing the process: no
timer runs in here, so a runaway answer costs only this process.

A class hands in the same answer many times ("2x" to "x^2"), and a check is a pure function
of its job line, so the worker remembers the result lines of its last CACHE_SIZE checks
(TUTOR_WORKER_CACHE entries, 0 switches it off): a repeated check is answered without
grading again. Only 200 results of `check` and `check-work` under CACHE_LINE bytes are
kept, so an error from a passing lack of memory is never replayed.
"""
from __future__ import annotations

import json
import os
import sys


def _limit_memory() -> None:
    """An address-space cap (TUTOR_WORKER_MEMORY_MB, default 4096): a runaway answer gets
    MemoryError here instead of waking the machine's OOM killer."""
    try:
        import resource
        mb = int(os.environ.get("TUTOR_WORKER_MEMORY_MB", "4096"))
        if mb > 0:
            resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
    except (ImportError, ValueError, OSError):
        pass


CACHE_LINE = 16 * 1024          # bytes of a job or result line worth remembering
CACHED_OPS = ("check", "check-work")


def cache_size() -> int:
    try:
        return max(0, int(os.environ.get("TUTOR_WORKER_CACHE", "4096")))
    except ValueError:
        return 4096


class _Collector:
    """The cyclic garbage collector, run by the job count, each time on the objects made since
    the last time only.

    Why: a worker's caches (references, parsed answers, compiled functions, verdicts) hold
    hundreds of thousands of objects after a few classes' answers, all acyclic trees that
    reference counting frees when a cache drops them. CPython's automatic full collection
    walks every one of them and finds nothing, at a moment its allocation counts pick: inside
    a request. So the automatic oldest-generation collection is off, and every EVERY jobs
    (after the answer is written) one full collection runs and then freezes what survived
    (gc.freeze: later collections skip it): each such collection walks only the objects of
    the last EVERY jobs. Young generations are still collected as usual. Frozen objects are
    still freed by reference counting; only a reference cycle that was alive at a freeze and
    dies later is not reclaimed, and the caches make none. `benchmarks/bench_gc.py` measures
    both policies: over 30,000 distinct checks the longest took 385 ms with the default
    collector and 73 ms with this one, at the same resident size (78 and 77 MB)."""

    EVERY = 100

    def __init__(self) -> None:
        import gc
        self.gc, self.jobs = gc, 0
        gc.collect()
        gc.freeze()     # the imported modules, grammars and warm-up live for good
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 1 << 30)

    def done(self) -> None:
        self.jobs += 1
        if self.jobs >= self.EVERY:
            self.jobs = 0
            self.gc.collect()
            self.gc.freeze()


_WARM_UP = ({"function": "x^2", "answer": "2x"},
            {"function": "\\frac{1}{x}", "answer": "-\\frac{1}{x^2}"},
            {"function": "x^2", "answer": "d/dx(x^2)"})


def warm_up() -> None:
    """Import and warm everything before the first student: the grader (the fast reader reads
    "2x"), and Lark's two parsers with their lexers (a LaTeX answer, calculator text that only
    Lark reads), so no student's first such answer pays ~40-100 ms of start-up. Run once in a
    process; a worker forked from it (`local`) starts warm."""
    from tutor.service import jobs
    for warm in _WARM_UP:
        jobs.run("check", warm)


def main(warm: bool = True) -> int:
    """Serve jobs from standard input until it ends. `warm`: False in a worker forked from a
    process that ran warm_up already."""
    import signal
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when we stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory()
    from tutor.service import jobs
    if warm:
        warm_up()
    collector = _Collector()
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    size = cache_size()
    cache: dict[str, str] = {}          # insertion order: the oldest entry goes first
    for line in sys.stdin:
        hit = cache.get(line) if size else None
        if hit is not None:
            out.write(hit)
            out.flush()
            continue
        try:
            job = json.loads(line)
        except ValueError:
            continue
        if job.get("op") == "range":
            from .rows import grade_range
            grade_range(job, out, collector.done)
            continue
        if job.get("op") == "rows":
            for number, row in job["rows"]:
                out.write(jobs.grade_row(row, number).line())
                out.flush()
                collector.done()
            continue
        result = jobs.run(job["op"], job.get("args", {}))
        text = result.line()
        out.write(text)
        out.flush()
        collector.done()
        if (size and result.status == 200 and job["op"] in CACHED_OPS
                and len(line) + len(text) < CACHE_LINE):
            if len(cache) >= size:
                del cache[next(iter(cache))]
            cache[line] = text
    return 0


def command() -> tuple[list[str], dict]:
    """argv and environment that start a worker from any parent: the `tutor` package this
    process imported comes first on the child's path, and the pipes speak UTF-8."""
    import tutor
    root = os.path.dirname(os.path.dirname(os.path.abspath(tutor.__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env["PYTHONIOENCODING"] = "utf-8"
    return [sys.executable, "-m", "tutor.service.worker"], env


if __name__ == "__main__":
    sys.exit(main())
