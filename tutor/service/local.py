"""The batch's pool of worker processes, driven by one `select` loop (no event loop, no threads).

    with Grader(jobs=2, deadline=2.0) as g:
        for number, result in g.grade(rows):       # rows: (number, row) pairs, numbers 1, 2, ...
            ...                                    # results come back in row order

Rows go to the workers in chunks (one pipe write per CHUNK rows), the rows of one problem to
one worker (`_Feeder`: a worker with nothing of its own left helps the busiest), and each
worker writes one line per row as it finishes it, so the deadline is per row: a row is timed from the line
before it. A row past the deadline kills its worker; the row is answered `undetermined`
(`timeout`), the rest of its chunk goes back to the front of the queue, and a new worker
starts. A worker that dies on its own has its row retried once (then `worker-crashed`).
Used by `tutor grade --jobs N` and, with one worker per thread, inside each Dask task.
"""
from __future__ import annotations

import collections
import os
import re
import select
import subprocess
import time

from .jobs import Result, row_stopped
from .worker import command

CHUNK = 64
#: when every worker has more than GATHER_ROWS rows of its chunk left, the parent waits GATHER
#: seconds after a line arrives before reading: one wake-up reads several rows' lines (the
#: parent's own CPU was a sixth of a batch's), and no worker can run dry meanwhile
GATHER, GATHER_ROWS = 0.001, 32


class _Worker:
    def __init__(self):
        argv, env = command()
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     bufsize=0)
        self.fd = self.proc.stdout.fileno()
        self.buf = bytearray()
        self.ready = False
        self.chunk: list = []       # (number, row) pairs sent, not all answered
        self.pos = 0                # index in chunk of the row being worked
        self.since = time.monotonic()

    def send(self, chunk: list) -> bool:
        import json
        self.chunk, self.pos, self.since = chunk, 0, time.monotonic()
        try:
            self.proc.stdin.write((json.dumps({"op": "rows", "rows": chunk}, ensure_ascii=False)
                                   + "\n").encode("utf-8"))
            return True
        except (BrokenPipeError, OSError):
            return False

    def lines(self) -> tuple[list[bytes], bool]:
        """Complete lines read now, and whether the worker has closed its end (died)."""
        try:
            data = os.read(self.fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            return [], True
        self.buf += data
        *done, rest = self.buf.split(b"\n")
        self.buf = bytearray(rest)
        return done, False

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.proc.wait()


def row_id(row):
    """The id of a raw row (JSON text or CSV dict), as the output row will carry it."""
    if isinstance(row, dict):
        v = row.get("id")
    else:
        try:
            import json
            v = json.loads(row).get("id") if row else None
        except (ValueError, AttributeError):
            v = None
    return v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None


_FUNCTION = re.compile(r'"function"\s*:\s*"((?:[^"\\]|\\.)*)"')


def problem_of(row):
    """The problem a raw row asks about (its function's text), or None for a row that names
    none: rows of one problem go to one worker, which builds its reference (the costly part of
    a first check) once. Only routing depends on it, never a verdict, so a JSON row's function
    is found by a pattern (a tenth of the cost of json.loads in the parent, which is the batch's
    bottleneck with two workers)."""
    if isinstance(row, dict):           # a CSV row
        key = row.get("function")
    elif isinstance(row, str):
        m = _FUNCTION.search(row)
        key = m.group(1) if m else None
    else:
        key = None
    return key if isinstance(key, str) else None


class _Feeder:
    """Rows into chunks, each worker's chunk from the problems that are its own (hash of the
    problem modulo the workers): with the verdicts memoised, a batch's cost is each problem's
    reference and each distinct answer, and two workers that both met every problem would do
    that work twice. A worker with none of its own rows left takes from the fullest other
    bucket, so one problem for all rows still keeps every worker busy. At most BUFFER rows per
    worker are read ahead; results still come out in row order (`next_out`)."""

    BUFFER = 64     # chunks read ahead per worker, at most (rows of ~100 bytes: well under 1 MB)

    def __init__(self, rows, jobs: int, size: int):
        self.rows, self.jobs, self.size = iter(rows), jobs, size
        self.buckets = [collections.deque() for _ in range(jobs)]
        self.requeued: collections.deque = collections.deque()
        self.buffered, self.exhausted, self.next_out = 0, False, None
        self.cap, self.turn = self.BUFFER * size * jobs, 0

    def _slot(self, row) -> int:
        if self.jobs == 1:
            return 0
        key = problem_of(row)
        if key is None:         # not a problem at all: take turns
            self.turn += 1
            return self.turn % self.jobs
        return hash(key) % self.jobs

    def _fill(self, slot: int) -> None:
        mine = self.buckets[slot]
        while not self.exhausted and len(mine) < self.size and self.buffered < self.cap:
            item = next(self.rows, None)
            if item is None:
                self.exhausted = True
                break
            number, row = item
            if self.next_out is None:
                self.next_out = number
            self.buckets[self._slot(row)].append([number, row])
            self.buffered += 1

    def next_chunk(self, slot: int) -> list:
        """Up to `size` rows for the worker in this slot ([] when nothing is left to send)."""
        if self.requeued:
            return self.requeued.popleft()
        self._fill(slot)
        bucket = self.buckets[slot]
        if not bucket:
            bucket = max(self.buckets, key=len)     # nothing of its own: help the busiest
        chunk = [bucket.popleft() for _ in range(min(self.size, len(bucket)))]
        self.buffered -= len(chunk)
        return chunk

    def empty(self) -> bool:
        return self.exhausted and not self.requeued and not self.buffered


class Grader:
    def __init__(self, jobs: int = 1, deadline: float = 2.0, chunk: int = CHUNK):
        self.jobs, self.deadline, self.chunk_size = max(1, jobs), deadline, max(1, chunk)
        self.workers: list[_Worker] = []
        self.restarts = collections.Counter()

    def __enter__(self):
        self.workers = [_Worker() for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        for w in self.workers:
            w.kill()
        self.workers = []

    def _replace(self, w: _Worker, reason: str) -> None:
        self.restarts[reason] += 1
        w.kill()
        self.workers[self.workers.index(w)] = _Worker()

    def grade(self, rows):
        """(number, Result) for every row, in order; rows must be numbered consecutively."""
        if not self.workers:
            self.__enter__()
        feed = _Feeder(rows, self.jobs, self.chunk_size)
        queue = feed.requeued                # chunks given back by a stopped worker go first
        done: dict[int, Result] = {}
        crashes: collections.Counter = collections.Counter()
        while True:
            for slot, w in enumerate(self.workers):     # feed every idle worker
                if not (w.ready and not w.chunk):
                    continue
                chunk = feed.next_chunk(slot)
                if chunk and not w.send(chunk):
                    queue.appendleft(chunk)
                    self._replace(w, "crash")
            while feed.next_out in done:
                yield feed.next_out, done.pop(feed.next_out)
                feed.next_out += 1
            busy = [w for w in self.workers if w.chunk or not w.ready]
            if not busy and feed.empty():
                return
            now = time.monotonic()
            waits = [w.since + self.deadline - now for w in busy if w.chunk]
            timeout = max(0.0, min(waits)) if waits else None
            readable, _, _ = select.select([w.fd for w in busy], [], [], timeout)
            if readable and all(w.ready and len(w.chunk) - w.pos > GATHER_ROWS for w in busy):
                time.sleep(GATHER)      # let a few more lines come: one wake-up for several rows
            now = time.monotonic()
            for w in list(busy):
                if w.fd in readable:
                    lines, dead = w.lines()
                    for line in lines:
                        if not w.ready:
                            w.ready = line == b"ready"
                            continue
                        number, _ = w.chunk[w.pos]
                        done[number] = Result.from_line(line.decode("utf-8"))
                        w.pos += 1
                        w.since = now
                    if w.chunk and w.pos == len(w.chunk):
                        w.chunk, w.pos = [], 0
                    if dead:
                        if w.chunk:
                            number, row = w.chunk[w.pos]
                            crashes[number] += 1
                            rest = w.chunk[w.pos:]
                            if crashes[number] >= 2:
                                done[number] = row_stopped(number, row_id(row), "worker-crashed",
                                                           f"row {number} crashed its worker twice")
                                rest = rest[1:]
                            if rest:
                                queue.appendleft(rest)
                        elif not w.ready:
                            raise RuntimeError("a grading worker process could not start")
                        self._replace(w, "crash")
                elif w.chunk and now - w.since >= self.deadline:
                    number, row = w.chunk[w.pos]
                    done[number] = row_stopped(
                        number, row_id(row), "timeout",
                        f"Could not decide: row {number} ran past the {self.deadline:g} s deadline and was stopped.")
                    if w.chunk[w.pos + 1:]:
                        queue.appendleft(w.chunk[w.pos + 1:])
                    self._replace(w, "timeout")
