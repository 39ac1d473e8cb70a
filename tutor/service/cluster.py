"""`tutor grade --dask ADDRESS`: the rows graded in chunks on an existing Dask cluster.

    grade_on_dask("tcp://scheduler:8786", rows, deadline) -> (number, Result) in row order

Each chunk of CHUNK rows is one task, `grade_chunk`, which grades its rows with the same
worker process and the same deadline as a local run (one worker process per Dask thread, kept
between tasks), so the output is the same bytes as `tutor grade` on one machine. At most a
few tasks per Dask thread are in flight, so the input is read as it is graded, never held
whole. The cluster's workers need `derivative-tutor` installed (the extra `[dask]`), the same
version as here. Dask is imported only here.
"""
from __future__ import annotations

import collections
import threading

from tutor import TutorError

from . import DEFAULT_DEADLINE
from .jobs import Result

CHUNK = 500
EXTRA = "pip install 'derivative-tutor[dask]'"


def client_for(address):
    """A Client for an address (tcp://host:8786), or the given Client/LocalCluster as is."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise TutorError(f"--dask needs the dask extra ({exc.name} is missing): {EXTRA}",
                         code="missing-extra") from None
    if isinstance(address, str):
        try:
            return Client(address, timeout=30), True
        except OSError as exc:
            raise TutorError(f"cannot reach the Dask scheduler at {address}: {exc}", code="io") from None
    if hasattr(address, "submit"):
        return address, False
    return Client(address), True


def grade_on_dask(address, rows, deadline: float, chunk: int | None = None):
    chunk = chunk or CHUNK
    client, owned = client_for(address)
    try:
        threads = sum(client.nthreads().values()) or 1
        inflight = collections.deque()
        rows = iter(rows)

        def submit() -> bool:
            part = [list(r) for _, r in zip(range(chunk), rows)]
            if part:
                # pure=False: a chunk is work to do each time, not a value to reuse
                inflight.append(client.submit(grade_chunk, part, deadline, pure=False))
            return bool(part)

        more = True
        while more and len(inflight) < 2 * threads:
            more = submit()
        while inflight:
            future = inflight.popleft()
            for number, line in future.result():
                yield number, Result.from_line(line)
            future.release()
            if more:
                more = submit()
    finally:
        if owned:
            client.close()


def grade_chunk(rows: list, deadline: float = DEFAULT_DEADLINE) -> list:
    """[(number, result line)] for a chunk of rows, graded by this thread's own worker process
    (started on first use and kept): what each Dask task runs."""
    from .local import Grader
    g = getattr(_LOCAL, "grader", None)
    if g is None or g.deadline != deadline:
        g = _LOCAL.grader = Grader(1, deadline).__enter__()
    return [(number, result.line()) for number, result in g.grade(rows)]


_LOCAL = threading.local()
