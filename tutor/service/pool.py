"""The service's pool of worker processes, driven from the asyncio event loop.

    pool = Pool(size=2, deadline=2.0); await pool.start()
    result = await pool.run("check", {"function": "x^2", "answer": "2x"})   # a jobs.Result
    await pool.close()

Each worker (`python -m tutor.service.worker`) does one job at a time; a request takes an idle
worker from a FIFO queue, writes its job, and waits for the answer line at most `deadline`
seconds. Past it the worker is killed (SIGKILL: a runaway answer cannot ignore it), the
request is answered `undetermined` with error_code `timeout`, and a warm spare takes the
worker's place at once while a new spare starts in the background: no other request waits on
the runaway, not even behind a restart. A worker that dies on its own (killed from outside,
out of memory) is replaced the same way and its request is retried once on another worker;
a second death answers `worker-crashed`. A plain ProcessPoolExecutor cannot do this: it
cannot kill one task, and a dead worker breaks the whole pool.
"""
from __future__ import annotations

import asyncio
import collections
import json
import logging
import sys

from . import jobs
from .worker import command

log = logging.getLogger("tutor.service")

MAX_LINE = 32 * 1024 * 1024     # bytes of one result line (a solution of a large input)
START_TIMEOUT = 120.0           # seconds for a new worker to import and warm up


if sys.version_info >= (3, 11):
    async def _within(aw, seconds: float):
        """`await aw` cut off after `seconds` (asyncio.TimeoutError); asyncio.timeout sets one
        timer, where wait_for would wrap every request's read in a task of its own."""
        async with asyncio.timeout(seconds):
            return await aw
else:                                                   # pragma: no cover
    _within = asyncio.wait_for


class Busy(Exception):
    """No worker became free within the queue timeout, or the queue is full (HTTP 503)."""


class _Idle:
    """Idle workers, handed to the waiting requests strictly first come, first served.

    asyncio.Queue is not fair under load: a worker put back wakes the first waiter, but a
    request that arrives before that waiter runs takes the worker, and the waiter queues
    again at the back; at 64 requests in flight that made the p99 several times the p50.
    Here a worker put back goes straight to the oldest waiter."""

    def __init__(self):
        self._items: collections.deque = collections.deque()
        self._waiters: collections.deque = collections.deque()

    def qsize(self) -> int:
        return len(self._items)

    def put_nowait(self, w) -> None:
        while self._waiters:
            f = self._waiters.popleft()
            if not f.done():
                f.set_result(w)
                return
        self._items.append(w)

    async def get(self, timeout: float):
        if self._items:
            return self._items.popleft()
        f = asyncio.get_running_loop().create_future()
        self._waiters.append(f)
        try:
            return await _within(f, timeout)
        except BaseException:       # timed out or cancelled: a worker handed over goes back
            if f.done() and not f.cancelled():
                self.put_nowait(f.result())
            else:
                f.cancel()
            raise


class _Worker:
    __slots__ = ("proc",)

    def __init__(self, proc):
        self.proc = proc

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.returncode is None


class Pool:
    def __init__(self, size: int = 2, deadline: float = 2.0, *, spares: int = 1,
                 queue_timeout: float = 30.0, max_queue: int = 4096, metrics=None):
        self.size, self.deadline, self.spares_wanted = max(1, size), deadline, max(0, spares)
        self.queue_timeout, self.max_queue, self.metrics = queue_timeout, max_queue, metrics
        self._idle: _Idle | None = None
        self._spares: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._busy = 0
        self._waiting = 0
        self._starting = 0
        self._closed = False
        self._tasks: set[asyncio.Task] = set()

    # -------------------------------------------------------------- life cycle

    async def start(self) -> None:
        self._idle = _Idle()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size + self.spares_wanted)))
        for i, w in enumerate(workers):
            (self._idle.put_nowait(w) if i < self.size else self._spares.append(w))

    async def close(self) -> None:
        self._closed = True
        for t in list(self._tasks):
            t.cancel()
        for w in list(self._all):
            await self._stop(w)

    async def _spawn(self) -> _Worker:
        argv, env = command()
        self._starting += 1
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                limit=MAX_LINE)
            w = _Worker(proc)
            self._all.add(w)
            try:
                line = await asyncio.wait_for(proc.stdout.readline(), START_TIMEOUT)
            except asyncio.TimeoutError:
                line = b""
            if line != b"ready\n":
                await self._stop(w)
                raise RuntimeError(f"a worker process did not start (said {line[:200]!r})")
            return w
        finally:
            self._starting -= 1

    async def _stop(self, w: _Worker) -> None:
        self._all.discard(w)
        if w.alive():
            try:
                w.proc.kill()
            except ProcessLookupError:
                pass
        try:
            await asyncio.wait_for(w.proc.wait(), 10)
        except (asyncio.TimeoutError, ProcessLookupError):
            pass

    def _background(self, coro) -> None:
        t = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    def _replace(self, w: _Worker, reason: str) -> None:
        """Kill `w`; a spare takes its place now, a new spare (or worker) starts behind it."""
        if self.metrics is not None:
            self.metrics.worker_restart(reason)
        log.warning("worker %d %s: replaced", w.pid, "ran past the deadline" if reason == "timeout"
                    else "died")
        self._background(self._stop(w))
        if self._spares and not self._closed:
            self._idle.put_nowait(self._spares.pop())
            self._background(self._refill(to_spares=True))
        else:
            self._background(self._refill(to_spares=False))

    async def _refill(self, to_spares: bool) -> None:
        delay = 0.5
        while not self._closed:
            try:
                w = await self._spawn()
            except (RuntimeError, OSError) as exc:
                log.error("%s; retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if self._closed:
                await self._stop(w)
            elif to_spares:
                self._spares.append(w)
            else:
                self._idle.put_nowait(w)
            return

    # -------------------------------------------------------------- work

    def status(self) -> dict:
        idle = self._idle.qsize() if self._idle is not None else 0
        return {"workers": self.size, "idle": idle, "busy": self._busy, "spares": len(self._spares),
                "starting": self._starting, "queued": self._waiting, "deadline": self.deadline}

    async def _acquire(self) -> _Worker:
        if self._waiting >= self.max_queue:
            raise Busy(f"{self._waiting} requests are already waiting")
        self._waiting += 1
        try:
            while True:
                try:
                    w = await self._idle.get(self.queue_timeout)
                except asyncio.TimeoutError:
                    raise Busy(f"no worker was free within {self.queue_timeout:g} s") from None
                if w.alive():
                    return w
                self._replace(w, "crash")   # died while idle
        finally:
            self._waiting -= 1

    async def run(self, op: str, args: dict, payload: bytes | None = None) -> jobs.Result:
        """The job's result; `timeout_result` past the deadline; never raises except Busy.
        `payload` is `jobs.job_line(op, args)` when the caller has made it already."""
        if self._closed:
            raise Busy("the server is shutting down")
        if payload is None:
            payload = jobs.job_line(op, args)
        for attempt in (1, 2):
            w = await self._acquire()
            self._busy += 1
            try:
                line = await self._exchange(w, payload)
            except asyncio.TimeoutError:
                self._replace(w, "timeout")
                if self.metrics is not None:
                    self.metrics.timeout(op)
                return jobs.timeout_result(op, self.deadline)
            except ValueError:      # the answer line was longer than MAX_LINE
                self._replace(w, "overflow")
                return jobs.Result(422, "", (), json.dumps(jobs.error_body(
                    "limit", f"the result is larger than {MAX_LINE >> 20} MiB")))
            except asyncio.CancelledError:   # the client went away: let the job finish, quietly
                self._background(self._drain(w))
                raise
            finally:
                self._busy -= 1
            if line:
                self._idle.put_nowait(w)
                return jobs.Result.from_line(line.decode("utf-8"))
            self._replace(w, "crash")
        return jobs.crash_result(op)

    async def _exchange(self, w: _Worker, payload: bytes) -> bytes:
        """Write the job and read its line; b"" if the worker is dead or dies."""
        try:
            w.proc.stdin.write(payload)
            await w.proc.stdin.drain()
        except (ConnectionError, RuntimeError):
            return b""
        return await _within(w.proc.stdout.readline(), self.deadline)

    async def _drain(self, w: _Worker) -> None:
        try:
            line = await asyncio.wait_for(w.proc.stdout.readline(), self.deadline)
        except (asyncio.TimeoutError, ValueError):
            line = b""
        if line:
            self._idle.put_nowait(w)
        else:
            self._replace(w, "timeout")
