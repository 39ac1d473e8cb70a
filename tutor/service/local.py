"""The batch's pool of worker processes, driven by one `select` loop (no event loop, no threads).

    with Grader(jobs=2, deadline=2.0) as g:
        for number, result in g.grade(rows):       # rows: (number, row) pairs, numbers 1, 2, ...
            ...                                    # results come back in row order

Rows go to the workers in chunks (one pipe write per CHUNK rows), and each worker writes one
line per row as it finishes it, so the deadline is per row: a row is timed from the line
before it. A row past the deadline kills its worker; the row is answered `undetermined`
(`timeout`), the rest of its chunk goes back to the front of the queue, and a new worker
starts. A worker that dies on its own has its row retried once (then `worker-crashed`).
Used by `tutor grade --jobs N` and, with one worker per thread, inside each Dask task.
"""
from __future__ import annotations

import collections
import os
import select
import subprocess
import time

from .jobs import Result, row_stopped
from .worker import command

CHUNK = 64


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
        rows = iter(rows)
        queue: collections.deque = collections.deque()   # chunks to send, requeued ones first
        done: dict[int, Result] = {}
        crashes: collections.Counter = collections.Counter()
        exhausted, next_out = False, None
        while True:
            for w in self.workers:           # feed every idle worker
                if not (w.ready and not w.chunk):
                    continue
                if not queue and not exhausted:
                    chunk = [list(r) for _, r in zip(range(self.chunk_size), rows)]
                    if chunk:
                        queue.append(chunk)
                        if next_out is None:
                            next_out = chunk[0][0]
                    exhausted = len(chunk) < self.chunk_size
                if queue and not w.send(queue[0]):
                    self._replace(w, "crash")
                    continue
                if queue:
                    queue.popleft()
            while next_out in done:
                yield next_out, done.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if w.chunk or not w.ready]
            if not busy and not queue and exhausted:
                return
            now = time.monotonic()
            waits = [w.since + self.deadline - now for w in busy if w.chunk]
            timeout = max(0.0, min(waits)) if waits else None
            readable, _, _ = select.select([w.fd for w in busy], [], [], timeout)
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
