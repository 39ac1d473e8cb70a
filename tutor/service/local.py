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
The workers are forked from the parent once it has warmed the grader (`fork_worker`) where that
is safe (`can_fork`: Linux, no other thread here), so they start warm in milliseconds, a
replacement too; elsewhere each is a new interpreter (`worker.command`).

A JSONL file takes `grade_ranges` instead: the workers get byte ranges of the file (its rows
counted at C speed when it is cut), read and grade them themselves, and send back the output
rows as text and each range's summary counters; the parent only counts newlines (progress,
the per-row deadline) and writes whole ranges in order. CSV and standard input stay on rows
(batch's docstring says why).
"""
from __future__ import annotations

import collections
import io
import os
import re
import select
import signal
import subprocess
import sys
import time

from .jobs import Result, row_stopped
from .rows import row_id
from .worker import command

CHUNK = 64
#: byte ranges (`Grader.grade_ranges`): RANGE bytes of input each at most (~2,000 rows of
#: ~120 bytes, 50 ms of a worker's time on repeated answers), at least 8 a worker; each worker
#: holds PENDING ranges (the one it works on and the next, so it never waits for the parent),
#: and no range is handed out more than AHEAD ranges a worker past the oldest one not written
RANGE, PENDING, AHEAD = 256 * 1024, 2, 4
#: the first ranges are FIRST_RANGE bytes (~35 rows), one a worker, then twice that, and so on
#: up to RANGE: a batch's first rows hold most of its new answers (a first answer costs a
#: worker ~1-5 ms, a repeat ~20 us), and small ranges dealt in turn split them evenly between
#: the workers, which share what they learn (rows._Learned); large ones would have each grade
#: them all
FIRST_RANGE = 4096
#: after a wake-up the parent naps (at most TICK seconds) while every worker still has work
#: for twice as long queued (its ranges' rows left over its recent rate, `_Worker.pace`): it
#: reads many rows' lines at once, no worker runs dry meanwhile, and a row's deadline is still
#: kept within TICK (only where a worker's pipe holds PIPE bytes: 64 KiB fill in 4 ms). Why a
#: rate, not a row count: ranges are cut by bytes, so a file with long rows has few rows to a
#: range, and a fixed count of rows left (1,000) kept the parent awake at nearly every line:
#: on bench_batch's 100,000 rows (--jobs 2, a one-off count) 3,729-4,709 wake-ups and
#: 0.37-0.44 s of the parent's CPU, taken from the two workers; with the nap 224-283 and
#: 0.26-0.27 s
TICK, NAP_MIN, PIPE = 0.02, 0.001, 1 << 20
#: when every worker has more than GATHER_ROWS rows of its chunk left, the parent waits GATHER
#: seconds after a line arrives before reading: one wake-up reads several rows' lines (the
#: parent's own CPU was a sixth of a batch's), and no worker can run dry meanwhile
GATHER, GATHER_ROWS = 0.001, 32


def _widen(fd: int) -> bool:
    """Make the worker's output pipe PIPE bytes (Linux): its rows' lines for a TICK while the
    parent sleeps (~16 MB/s a worker) fit, and it never blocks writing. False where it cannot."""
    try:
        import fcntl
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE) >= PIPE
    except (ImportError, AttributeError, OSError):
        return False


class _Piece:
    """Rows [first, first + rows) of the input file, its bytes [start, end): a range, or the
    rest of one after a stopped row. `out` holds what its worker sent back, `got` its lines."""

    __slots__ = ("start", "end", "first", "rows", "out", "got")

    def __init__(self, start: int, end: int, first: int, rows: int):
        self.start, self.end, self.first, self.rows = start, end, first, rows
        self.out, self.got = bytearray(), 0


def can_fork() -> bool:
    """Whether this process may fork its workers: Linux, and no other thread running here (a
    thread holding a lock at the fork would leave it held in the child: a Dask task's Grader
    runs in a worker's thread, and spawns). TUTOR_GRADE_FORK=0 spawns always."""
    import threading
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1 and os.environ.get("TUTOR_GRADE_FORK", "1") != "0")


class _Forked:
    """What a _Worker uses of a Popen, for a worker forked from this process."""

    def __init__(self, pid: int, stdin, stdout):
        self.pid, self.stdin, self.stdout = pid, stdin, stdout

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def wait(self) -> None:
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


_WARM: list = []       # the parent ran worker.warm_up (once: its forks start warm)


def _close_from(low: int) -> None:
    """Close every file descriptor from `low` up: a forked worker must hold no end of another
    worker's pipes (the parent sees a worker die by its pipe's end: a copy held elsewhere
    would hide it)."""
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except (OSError, ValueError):
        os.closerange(low, 65536)
        return
    for fd in fds:
        if fd >= low:
            try:
                os.close(fd)
            except OSError:
                pass


def fork_worker() -> _Forked:
    """A worker forked from this process, warmed here once (`worker.warm_up`): ready in a few
    milliseconds instead of a new interpreter's import and warm-up (~0.15 s, the serial part
    of every batch, and paid again for each worker replaced after a timeout). The child runs
    `worker.main` on the pipes and leaves by os._exit: nothing of the parent's (its output
    file, its buffers) is flushed or finalised twice."""
    from . import worker
    if not _WARM:
        worker.warm_up()
        import gc
        gc.collect()
        gc.freeze()     # what the forks inherit: their first collection skips it (a fork was
        _WARM.append(True)  # ready ~4x sooner in a one-off timing), and its pages stay shared
    job_r, job_w = os.pipe()
    out_r, out_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass
    pid = os.fork()
    if pid == 0:                                    # the child: never returns
        code = 70
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
            os.dup2(job_r, 0)
            os.dup2(out_w, 1)
            _close_from(3)
            sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
            code = worker.main(warm=False)
            sys.stdout.flush()
        except BaseException:
            try:
                import traceback
                traceback.print_exc()
            except BaseException:
                pass
        finally:
            os._exit(code)
    os.close(job_r)
    os.close(out_w)
    return _Forked(pid, os.fdopen(job_w, "wb", buffering=0), os.fdopen(out_r, "rb", buffering=0))


class _Worker:
    def __init__(self, fork: bool = False):
        if fork:
            self.proc = fork_worker()
        else:
            argv, env = command()
            self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         bufsize=0)
        self.fd = self.proc.stdout.fileno()
        self.roomy = _widen(self.fd)
        self.buf = bytearray()
        self.ready = False
        self.chunk: list = []       # (number, row) pairs sent, not all answered
        self.pos = 0                # index in chunk of the row being worked
        self.since = time.monotonic()
        self.pieces: collections.deque = collections.deque()    # byte ranges sent, not all answered
        self.broken = False         # its stdin is closed: it died, its end is read next
        self.rate = 0.0             # rows a second, lately (0 until two reads tell)
        self.seen = 0.0             # when its last rows' lines were read

    def pace(self, n: int, now: float) -> None:
        """Fold n rows' lines read at `now` into its recent rate (rows a second)."""
        if self.seen and now > self.seen:
            rate = n / (now - self.seen)
            self.rate = rate if not self.rate else 0.5 * (self.rate + rate)
        self.seen = now

    def ahead(self) -> float:
        """Seconds of work it has queued at its recent rate (0 when the rate is unknown)."""
        if not self.rate:
            return 0.0
        return sum(p.rows - p.got for p in self.pieces) / self.rate

    def send(self, chunk: list) -> bool:
        import json
        self.chunk, self.pos, self.since = chunk, 0, time.monotonic()
        try:
            self.proc.stdin.write((json.dumps({"op": "rows", "rows": chunk}, ensure_ascii=False)
                                   + "\n").encode("utf-8"))
            return True
        except (BrokenPipeError, OSError):
            return False

    def send_range(self, piece: "_Piece", job: dict) -> bool:
        import json
        if not self.pieces:
            self.since = time.monotonic()
        job = {"op": "range", **job, "start": piece.start, "end": piece.end, "first": piece.first}
        try:
            self.proc.stdin.write((json.dumps(job, ensure_ascii=False) + "\n").encode("utf-8"))
        except (BrokenPipeError, OSError):
            self.broken = True
            return False
        self.pieces.append(piece)
        return True

    def read(self) -> bytes:
        """What the worker has written (b"" when it has closed its end: it died)."""
        try:
            return os.read(self.fd, 1 << 20)
        except OSError:
            return b""

    def take(self, data: bytes, n: int) -> list:
        """Its pieces that this data completes: their output rows and summary line arrived.
        `n`: data's newlines (the caller counted them); each cut takes its lines off. bytes.count
        and bytes.split find the pieces' ends, so no Python runs per row."""
        done = []
        while data and self.pieces:
            piece = self.pieces[0]
            need = piece.rows + 1 - piece.got        # lines still to come, the summary's included
            if n < need:
                piece.out += data
                piece.got += n
                break
            cut = len(data) - len(data.split(b"\n", need)[-1])
            piece.out += data[:cut]
            piece.got += need
            data = data[cut:]
            n -= need
            done.append(self.pieces.popleft())
        return done

    def lines(self) -> tuple[list[bytes], bool]:
        """Complete lines read now, and whether the worker has closed its end (died)."""
        data = self.read()
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
        self.fork = False

    def __enter__(self):
        self.fork = can_fork()          # decided once: the workers of one batch start alike
        self.workers = [_Worker(self.fork) for _ in range(self.jobs)]
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
        self.workers[self.workers.index(w)] = _Worker(self.fork)

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

    # ------------------------------------------------------------------ byte ranges

    def grade_ranges(self, path: str, start: int, first: int, csv_out: bool, progress=None):
        """(UTF-8 bytes, counters) for the rows of a JSONL file from byte `start` (row `first`), in
        order: each worker reads its byte ranges of the file itself and sends back the output
        rows' text and the range's summary counters (`batch.grade_range`), so the parent does
        no work per row; `progress(rows)` is told how many rows' lines have arrived.

        A row past the deadline kills its worker: the parent reads that range's rows again
        (the rare path, Python per row) to find the stuck row (the k-th, k = the lines that
        arrived), answers it `undetermined` (`timeout`), and puts the rest of the range first
        in the queue. A worker that dies on its own has its row retried once, then
        `worker-crashed`. Exactly one output row per input row, in order, always."""
        from .rows import byte_ranges
        if not self.workers:
            self.__enter__()
        path = os.path.abspath(path)
        job = {"path": path, "format": "csv" if csv_out else "jsonl", "share": None}
        fh = open(path, "rb")
        try:
            if self.jobs > 1:       # the workers' shared remembered rows (rows._Learned)
                import tempfile
                fd, job["share"] = tempfile.mkstemp(prefix="tutor-grade-", suffix=".learned")
                os.close(fd)
            left = os.fstat(fh.fileno()).st_size - start
            cuts = byte_ranges(fh, start, max(1, min(RANGE, left // (8 * self.jobs) + 1)),
                               FIRST_RANGE, self.jobs)
            yield from self._ranges(path, job, cuts, first, csv_out, progress)
        finally:
            fh.close()
            if job["share"]:
                os.unlink(job["share"])

    def _ranges(self, path, job, cuts, first, csv_out, progress):
        import json
        queue: collections.deque = collections.deque()     # pieces to hand out, requeued ones first
        done: dict[int, tuple] = {}         # first row -> (rows, text, counters), not yet yielded
        self._crashes: collections.Counter = collections.Counter()
        next_row = number = first
        cutting, arrived, finished = True, 0, 0
        while True:
            while next_row in done:         # first: what is written no longer counts as ahead
                rows, text, counters = done.pop(next_row)
                next_row += rows
                yield text, counters
            for w in self.workers:          # every ready worker holds PENDING pieces
                while w.ready and not w.broken and len(w.pieces) < PENDING:
                    if not queue and cutting and (len(done) + sum(len(x.pieces) for x in self.workers)
                                                  < AHEAD * self.jobs):
                        cut = next(cuts, None)
                        if cut is None:
                            cutting = False
                        elif cut[2]:        # (a range of blank lines has no rows: nothing to do)
                            queue.append(_Piece(cut[0], cut[1], number, cut[2]))
                            number += cut[2]
                        continue
                    if not queue:
                        break
                    piece = queue.popleft()
                    if not w.send_range(piece, job):
                        queue.appendleft(piece)
                        if not w.pieces:
                            self._replace(w, "crash")
            busy = [w for w in self.workers if w.pieces or not w.ready]
            if not busy and not queue and not cutting:
                return
            if not busy:        # never: the oldest unwritten piece is in flight or queued
                raise RuntimeError("tutor grade: rows are left but no range is in flight")
            now = time.monotonic()
            waits = [w.since + self.deadline - now for w in busy if w.pieces]
            timeout = max(0.0, min(waits)) if waits else None
            readable, _, _ = select.select([w.fd for w in busy], [], [], timeout)
            if readable and all(w.ready and w.roomy for w in busy):
                nap = min(TICK, min(w.ahead() for w in busy) / 2)
                if nap >= NAP_MIN:
                    time.sleep(nap)     # read many rows' lines in one wake-up
            now = time.monotonic()
            for w in busy:
                if w.fd in readable:
                    data = w.read()
                    if not data:
                        if not w.ready:
                            raise RuntimeError("a grading worker process could not start")
                        self._stop(w, "crash", path, csv_out, queue, done)
                        continue
                    if not w.ready:
                        w.buf += data
                        if b"\n" not in w.buf:
                            continue
                        line, _, rest = bytes(w.buf).partition(b"\n")
                        w.ready, w.buf, data = line == b"ready", bytearray(), rest
                    n = data.count(b"\n")
                    if n:
                        w.since = now
                        w.pace(n, now)
                        arrived += n
                    for piece in w.take(data, n):
                        text = bytes(piece.out)
                        k = text.rfind(b"\n", 0, len(text) - 1) + 1    # the summary line is last
                        done[piece.first] = (piece.rows, text[:k], json.loads(text[k:]))
                        finished += 1
                    if progress is not None and n:
                        progress(arrived - finished)
                elif w.pieces and now - w.since >= self.deadline:
                    self._stop(w, "timeout", path, csv_out, queue, done)

    def _stop(self, w: _Worker, reason: str, path: str, csv_out: bool, queue, done) -> None:
        """A worker killed past the deadline or dead on its own: keep the rows it sent, answer
        its stuck row (a timeout, or a second crash), queue the rest of its pieces first."""
        from .rows import Summary, row_text, rows_at
        piece = w.pieces.popleft()
        queue.extendleft(reversed(w.pieces))
        w.pieces.clear()
        self._replace(w, reason)
        k = min(piece.got, piece.rows)                  # rows whose lines arrived whole
        if k:
            text = bytes(piece.out[:piece.out.rfind(b"\n") + 1])
            tally = Summary()
            tally.add_text(text, csv_out)
            done[piece.first] = (k, text, tally.counters())
        if k == piece.rows:
            return
        with open(path, "rb") as fh:                    # find the stuck row: the k-th
            fh.seek(piece.start)
            begin = 0
            for i, (number, row, end) in enumerate(rows_at(fh, piece.first, piece.end - piece.start)):
                if i == k:
                    break
                begin = end
        if reason == "crash":
            self._crashes[number] += 1
            if self._crashes[number] < 2:               # once more, from that row
                queue.appendleft(_Piece(piece.start + begin, piece.end, number, piece.rows - k))
                return
            result = row_stopped(number, row_id(row), "worker-crashed",
                                 f"row {number} crashed its worker twice")
        else:
            result = row_stopped(
                number, row_id(row), "timeout",
                f"Could not decide: row {number} ran past the {self.deadline:g} s deadline and was stopped.")
        tally = Summary()
        tally.add(result)
        done[number] = (1, row_text(result.body, csv_out).encode("utf-8"), tally.counters())
        if k + 1 < piece.rows:
            queue.appendleft(_Piece(piece.start + end, piece.end, number + 1, piece.rows - k - 1))
