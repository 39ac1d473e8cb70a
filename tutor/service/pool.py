"""The service's pool of worker processes, driven from the asyncio event loop.

    pool = Pool(size=2, deadline=2.0); await pool.start()
    result = await pool.run("check", {"function": "x^2", "answer": "2x"})   # a jobs.Result
    await pool.close()

Each worker (`python -m tutor.service.worker`) does one job at a time; a request waits in the
queue of its problem's worker (see Pool: one problem's requests go to one worker, which keeps
its reference), writes its job, and waits for the answer line at most `deadline` seconds. Past it the worker is killed (SIGKILL: a runaway answer cannot ignore it), the
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


#: a request goes to its problem's worker (see Pool) unless that worker has more than SLACK
#: requests more in hand than the least loaded one: then to the least loaded
SLACK = 32
#: an idle worker takes a request queued for another at once when it has met the request's
#: problem (it holds the reference too), else once the request has waited IDLE_STEAL seconds
#: (longer than a check, ~1 ms, so a busy worker's own problem stays its own; shorter than
#: building a problem's reference, ~10 ms, so nobody waits long behind one)
IDLE_STEAL = 0.005
#: problems remembered per worker as met (its reference cache, grade.reference, keeps 512)
MET = 512
#: requests of another queue looked through for one of a problem the idle worker has met
LOOK_AHEAD = 64
#: a worker with requests of its own takes another's oldest instead once that one has waited
#: STEAL_AGE longer (when the problems' hashes load one worker more than the other)
STEAL_AGE = 0.25
#: a worker whose job has run STALL seconds (twenty checks' time: a reference being built, a
#: costly answer, a runaway) is stalled: the others take its queued requests in their turn
STALL = 0.02


class _Worker:
    __slots__ = ("proc", "slot")

    def __init__(self, proc):
        self.proc = proc
        self.slot = -1              # its place in the pool (a spare has none yet)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.returncode is None


class Pool:
    """Workers in `size` places (slots), each with its own first-come-first-served queue.

    Why places and queues, not one shared queue of idle workers: each worker process builds
    a problem's reference (its derivative, sample values, misconception variants: ~10 ms)
    the first time it meets the problem, and keeps it. With one shared queue every problem
    was built, and kept, in every worker, and a new server met each problem once per worker,
    so the first answers of a class waited behind those builds (the first pass's p99 was
    250 ms at 64 requests in flight). Here a request goes to a worker that has met its
    problem, else to the problem's own place (a hash of its function's text), bounded as in
    consistent hashing with bounded loads: a place more than SLACK requests ahead of the
    least loaded gets no more. An idle worker takes others' requests at once if it has met
    their problem, else after IDLE_STEAL; a busy one takes an older request from a stalled
    worker's queue (its job has run STALL), or one that has waited STEAL_AGE longer than its
    own.
    So one hot problem still keeps every worker busy, and a runaway answer holds up only the
    requests queued behind it, briefly."""

    def __init__(self, size: int = 2, deadline: float = 2.0, *, spares: int = 1,
                 queue_timeout: float = 30.0, max_queue: int = 4096, metrics=None):
        self.size, self.deadline, self.spares_wanted = max(1, size), deadline, max(0, spares)
        self.queue_timeout, self.max_queue, self.metrics = queue_timeout, max_queue, metrics
        self._slots: list[_Worker | None] = [None] * self.size
        self._running = [False] * self.size     # a job is on the slot's worker
        self._since = [0.0] * self.size         # when that job was handed over
        self._queues = [collections.deque() for _ in range(self.size)]   # [future, since, key]
        self._met = [collections.OrderedDict() for _ in range(self.size)]  # problems, LRU
        self._spares: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._busy = 0
        self._waiting = 0
        self._starting = 0
        self._closed = False
        self._tasks: set[asyncio.Task] = set()
        self._timer = None

    # -------------------------------------------------------------- life cycle

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size + self.spares_wanted)))
        for i, w in enumerate(workers):
            if i < self.size:
                self._seat(w, i)
            else:
                self._spares.append(w)

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
            self._background(self._watch(w))
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

    async def _watch(self, w: _Worker) -> None:
        """Replace a worker that dies while idle or spare (killed from outside, out of
        memory): requests go to a problem's own worker, so a dead idle one might otherwise
        wait unnoticed for its next request. A worker that dies mid-job is the job's to
        replace (run() reads no answer line); one the pool stopped itself is no longer in
        _all."""
        await w.proc.wait()
        if self._closed or w not in self._all:
            return
        if w in self._spares:
            self._spares.remove(w)
            self._all.discard(w)
            if self.metrics is not None:
                self.metrics.worker_restart("crash")
            self._background(self._refill(-1, to_spares=True))
        elif 0 <= w.slot < self.size and self._slots[w.slot] is w and not self._running[w.slot]:
            self._replace(w, "crash")

    def _background(self, coro) -> None:
        t = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    def _seat(self, w: _Worker, slot: int) -> None:
        """w takes the place `slot`, idle: it serves that place's queue (or another's)."""
        w.slot = slot
        self._slots[slot] = w
        self._running[slot] = False
        self._met[slot].clear()         # a new process has met nothing
        self._dispatch(slot)

    def _replace(self, w: _Worker, reason: str) -> None:
        """Kill `w`; a spare takes its place now, a new spare (or worker) starts behind it.
        With no spare, the place's queued requests move to the others meanwhile."""
        if self.metrics is not None:
            self.metrics.worker_restart(reason)
        log.warning("worker %d %s: replaced", w.pid, "ran past the deadline" if reason == "timeout"
                    else "died")
        self._background(self._stop(w))
        slot = w.slot
        if slot < 0 or self._slots[slot] is not w:
            return
        self._slots[slot] = None
        self._running[slot] = False
        if self._spares and not self._closed:
            self._seat(self._spares.pop(), slot)
            self._background(self._refill(slot, to_spares=True))
            return
        orphans = self._queues[slot]
        self._queues[slot] = collections.deque()
        for entry in orphans:
            live = [i for i in range(self.size) if self._slots[i] is not None]
            if not live:
                self._queues[slot].append(entry)    # nobody to take it: it waits for the new worker
                continue
            i = min(live, key=self._load)
            self._queues[i].append(entry)
            self._dispatch(i)
        self._background(self._refill(slot, to_spares=False))

    async def _refill(self, slot: int, to_spares: bool) -> None:
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
            elif to_spares or self._slots[slot] is not None:
                self._spares.append(w)
            else:
                self._seat(w, slot)
            return

    # -------------------------------------------------------------- placing requests

    def _load(self, slot: int) -> int:
        return self._running[slot] + len(self._queues[slot])

    def _place(self, key) -> int:
        """The slot for a request about problem `key`: one whose worker has met the problem,
        else its own (by the hash), unless that is more than SLACK ahead of the least loaded
        live slot (or has no worker just now)."""
        own = hash(key) % self.size if self.size > 1 else 0
        live = [i for i in range(self.size) if self._slots[i] is not None]
        if not live:
            return own
        bound = min(map(self._load, live)) + SLACK
        met = [i for i in live if key in self._met[i] and self._load(i) <= bound]
        if met:     # where the problem's reference already is (its own place first)
            return own if own in met else min(met, key=self._load)
        if self._slots[own] is not None and self._load(own) <= bound:
            return own
        return min(live, key=self._load)

    @staticmethod
    def _head(queue: collections.deque):
        """The oldest request still waiting in a queue (given-up ones are dropped)."""
        while queue and queue[0][0].done():
            queue.popleft()
        return queue[0] if queue else None

    def _dispatch(self, slot: int) -> None:
        """If the slot's worker is idle, hand it the request it should serve next."""
        w = self._slots[slot]
        if w is None or self._running[slot] or self._closed:
            return
        now = asyncio.get_running_loop().time()
        own = self._head(self._queues[slot])
        other, oq, stalled = None, None, False
        for i, q in enumerate(self._queues):
            if i != slot and (h := self._head(q)) is not None and (other is None or h[1] < other[1]):
                other, oq = h, q
                stalled = self._running[i] and now - self._since[i] >= STALL
        if own is not None and not (other is not None and (
                other[1] + STEAL_AGE <= own[1] or (stalled and other[1] < own[1]))):
            entry, queue = own, self._queues[slot]
        elif other is not None and (own is not None or now - other[1] >= IDLE_STEAL):
            entry, queue = other, oq
        elif other is not None and (found := self._known(slot)) is not None:
            entry, queue = found
        else:
            if other is not None:   # too soon to take it from its own worker: look again then
                self._wake(other[1] + IDLE_STEAL - now)
            return
        if queue[0] is entry:
            queue.popleft()
        else:
            queue.remove(entry)
        met = self._met[slot]
        met[entry[2]] = None
        met.move_to_end(entry[2])
        if len(met) > MET:
            met.popitem(last=False)
        self._running[slot] = True
        self._since[slot] = now
        entry[0].set_result(w)

    def _known(self, slot: int):
        """(entry, queue): the oldest request queued elsewhere, among the first LOOK_AHEAD of
        each queue, whose problem this slot's worker has met; or None."""
        met, best = self._met[slot], None
        for i, q in enumerate(self._queues):
            if i == slot:
                continue
            for k, entry in enumerate(q):
                if k >= LOOK_AHEAD:
                    break
                if not entry[0].done() and entry[2] in met:
                    if best is None or entry[1] < best[0][1]:
                        best = (entry, q)
                    break
        return best

    def _wake(self, delay: float) -> None:
        if self._timer is not None:
            return
        loop = asyncio.get_running_loop()

        def fire():
            self._timer = None
            for i in range(self.size):
                self._dispatch(i)
        self._timer = loop.call_later(max(0.0, delay), fire)

    # -------------------------------------------------------------- work

    def status(self) -> dict:
        idle = sum(1 for i, w in enumerate(self._slots) if w is not None and not self._running[i])
        return {"workers": self.size, "idle": idle, "busy": self._busy, "spares": len(self._spares),
                "starting": self._starting, "queued": self._waiting, "deadline": self.deadline}

    async def _acquire(self, key) -> _Worker:
        if self._waiting >= self.max_queue:
            raise Busy(f"{self._waiting} requests are already waiting")
        loop = asyncio.get_running_loop()
        self._waiting += 1
        try:
            while True:
                slot = self._place(key)
                f = loop.create_future()
                entry = [f, loop.time(), key]
                self._queues[slot].append(entry)
                self._dispatch(slot)
                if not f.done():
                    for i in range(self.size):      # an idle worker elsewhere may take it later
                        if i != slot and self._slots[i] is not None and not self._running[i]:
                            self._wake(IDLE_STEAL)
                            break
                try:
                    w = await _within(f, self.queue_timeout)
                except BaseException as exc:    # timed out or cancelled: a worker handed
                    if f.done() and not f.cancelled():  # over at that moment goes back
                        self._release(f.result())
                    else:
                        f.cancel()
                    if isinstance(exc, asyncio.TimeoutError):
                        raise Busy(f"no worker was free within {self.queue_timeout:g} s") from None
                    raise
                if w.alive():
                    return w
                self._running[w.slot] = False
                self._replace(w, "crash")   # died while idle
        finally:
            self._waiting -= 1

    def _release(self, w: _Worker) -> None:
        """w's job is done: it serves the next request (if it still has its place)."""
        if 0 <= w.slot < self.size and self._slots[w.slot] is w:
            self._running[w.slot] = False
            self._dispatch(w.slot)

    @staticmethod
    def problem(args: dict):
        """What a request is about, for placing it: its function's text (or expression's,
        or equation's). Requests without one spread by their arguments' text."""
        for field in ("function", "expr", "equation"):
            v = args.get(field)
            if isinstance(v, str):
                return v
        return repr(sorted(args.items(), key=lambda kv: kv[0]))[:200]

    async def run(self, op: str, args: dict, payload: bytes | None = None) -> jobs.Result:
        """The job's result; `timeout_result` past the deadline; never raises except Busy.
        `payload` is `jobs.job_line(op, args)` when the caller has made it already."""
        if self._closed:
            raise Busy("the server is shutting down")
        if payload is None:
            payload = jobs.job_line(op, args)
        key = self.problem(args)
        for attempt in (1, 2):
            w = await self._acquire(key)
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
                self._release(w)
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
            self._release(w)
        else:
            self._replace(w, "timeout")
