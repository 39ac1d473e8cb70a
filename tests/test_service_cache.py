"""The service's hot path in process: the response cache (tutor/service/cache.py), the job
endpoint that uses it (endpoint.py) and the batched request log (reqlog.py).

The endpoint runs here on hand-made ASGI messages with a pool that grades in this process
exactly as a worker does (jobs.run, its line read back), so the tests are fast and need no
server. What they prove: a cached answer is byte for byte the answer grading gives (over the
grader bank and a hypothesis property of request sequences), only what the worker cache's rule
allows is kept, the token is checked before the cache, the cache is bounded and cleared, and
the request log writes the lines `logging` wrote, in order.
"""
from __future__ import annotations

import asyncio
import io
import json
import logging
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette")

from tutor.service import jobs  # noqa: E402
from tutor.service.cache import ENTRY_BYTES, ResponseCache, clear_caches  # noqa: E402
from tutor.service.endpoint import JobEndpoints  # noqa: E402
from tutor.service.metrics import Metrics  # noqa: E402
from tutor.service.reqlog import RequestLog  # noqa: E402

BANK = pathlib.Path(__file__).resolve().parent / "data" / "grader_bank.jsonl"


class InProcessPool:
    """The worker's work in this process: jobs.run, then its result line read back."""

    def __init__(self, result=None):
        self.calls, self.result = 0, result

    async def run(self, op, args, payload=None):
        self.calls += 1
        if self.result is not None:
            return self.result
        assert payload == jobs.job_line(op, args)
        return jobs.Result.from_line(jobs.run(op, args).line())


def endpoint(cache_entries=4096, tokens=(), result=None):
    return JobEndpoints(InProcessPool(result), Metrics(), ResponseCache(cache_entries),
                        tokens=tokens, log=lambda line: None)


async def _call(ep, op, body: bytes, headers=()):
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}
    sent = []

    async def send(message):
        sent.append(message)
    scope = {"type": "http", "method": "POST", "path": f"/v1/{op}", "headers": list(headers)}
    await ep.handle(op, scope, receive, send)
    if not sent:
        return None
    return sent[0]["status"], sent[0]["headers"], sent[1]["body"]


def call(ep, op, body, headers=()):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return asyncio.run(_call(ep, op, data, headers))


def _bank(n=None):
    rows = [json.loads(line) for line in BANK.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for r in rows[:n]:
        body = {"function": r["function"], "answer": r["answer"], "var": r["var"], "order": r["order"]}
        if r.get("allow_calculus"):
            body["allow_calculus"] = True
        out.append(body)
    return out


# ------------------------------------------------------------------ the endpoint with its cache

def test_a_cached_answer_is_the_graded_answer_byte_for_byte_over_the_bank():
    """Every bank check: graded (a miss), again (a hit), and with the cache off: the same
    status, headers and bytes; the hits never reach the pool."""
    cached, fresh = endpoint(), endpoint(cache_entries=0)
    bodies = [b for b in _bank() if len(json.dumps(b)) < 4000]
    assert len(bodies) > 400
    async def run():
        for b in bodies:
            data = json.dumps(b).encode()
            first = await _call(cached, "check", data)
            again = await _call(cached, "check", data)
            off = await _call(fresh, "check", data)
            assert first == again == off, b
    asyncio.run(run())
    graded = cached.pool.calls
    assert graded <= len(bodies) and fresh.pool.calls == len(bodies)
    assert sum(cached.metrics.cache_hits.values()) == 2 * len(bodies) - graded


def test_the_same_request_spelt_another_way_is_found_by_its_canonical_line():
    ep = endpoint()
    a = call(ep, "check", b'{"function": "x^2", "answer": "2x", "var": "x"}')
    b = call(ep, "check", b'{"var":"x",  "answer":"2x","function":"x^2"}')
    assert a == b and ep.pool.calls == 1 and ep.metrics.cache_hits["check"] == 1


def test_only_graded_200_checks_are_kept():
    ep = endpoint()
    for _ in range(2):                            # a problem that cannot be worked: 422
        assert call(ep, "check", {"function": "sin(", "answer": "2x"})[0] == 422
    assert ep.pool.calls == 2
    for _ in range(2):                            # another route's record: not a check
        assert call(ep, "diff", {"expr": "x^2", "detail": "brief"})[0] == 200
    assert ep.pool.calls == 4
    for _ in range(2):                            # a check-work verdict is kept
        call(ep, "check-work", {"function": "x^2", "lines": ["= 2x"]})
    assert ep.pool.calls == 5 and len(ep.cache) == 2          # its raw key and its line


def test_the_servers_own_timeout_answer_is_never_kept():
    timeout = jobs.timeout_result("check", 2.0)   # made by the pool, not read from a worker
    assert timeout.status == 200 and not timeout.graded
    ep = endpoint(result=timeout)
    for _ in range(3):
        status, _, body = call(ep, "check", {"function": "x^2", "answer": "2x"})
        assert status == 200 and json.loads(body)["error_code"] == "timeout"
    assert ep.pool.calls == 3 and len(ep.cache) == 0


def test_the_token_is_checked_before_the_cache():
    ep = endpoint(tokens=("t0k",))
    body = {"function": "x^2", "answer": "2x"}
    ok = call(ep, "check", body, [(b"authorization", b"Bearer t0k")])
    assert ok[0] == 200
    refused = call(ep, "check", body)
    assert refused[0] == 401 and b"auth" in refused[2]
    assert (b"www-authenticate", b"Bearer") in refused[1]
    assert call(ep, "check", body, [(b"authorization", b"Bearer wrong")])[0] == 401


def test_a_result_has_the_two_headers_starlette_gave_it():
    status, headers, body = call(endpoint(), "check", {"function": "x^2", "answer": "2x"})
    assert status == 200
    assert headers == [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]


def test_a_client_gone_before_its_body_is_counted_499_and_answered_nothing():
    ep = endpoint()

    async def run():
        async def receive():
            return {"type": "http.disconnect"}

        async def send(message):          # pragma: no cover - nothing may be sent
            raise AssertionError(message)
        await ep.handle("check", {"type": "http", "method": "POST", "path": "/v1/check",
                                  "headers": []}, receive, send)
    asyncio.run(run())
    assert ep.metrics.requests[("check", 499)] == 1 and ep.pool.calls == 0


FUNCTIONS = ["x^2", "sin(x)", "x^2 sin x", "1/w"]
ANSWERS = ["2x", "cos x", "2x cos x", "-1/w^2", "", "sinn(x)", "2x(", "-(2x)"]


@st.composite
def requests(draw):
    body = {"function": draw(st.sampled_from(FUNCTIONS)), "answer": draw(st.sampled_from(ANSWERS))}
    if draw(st.booleans()):
        body["options"] = {"partial_credit": draw(st.booleans())}
    if draw(st.booleans()):
        body["var"] = draw(st.sampled_from(["x", "w", "1"]))
    items = draw(st.permutations(list(body.items())))
    sep = draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : ")]))
    return json.dumps(dict(items), separators=sep).encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(requests(), min_size=1, max_size=12))
def test_any_sequence_of_requests_answers_as_without_the_cache(bodies):
    cached, fresh = endpoint(cache_entries=5), endpoint(cache_entries=0)   # small: it evicts

    async def run():
        for data in bodies:
            assert await _call(cached, "check", data) == await _call(fresh, "check", data)
    asyncio.run(run())
    assert len(cached.cache) <= 5


# ------------------------------------------------------------------ the cache alone

def test_the_cache_is_bounded_by_entries_and_bytes_and_forgets_the_oldest():
    c = ResponseCache(entries=3, max_bytes=1 << 20)
    for i in range(5):
        assert c.put(("check", b"%d" % i), 200, "correct", b"{}")
    assert len(c) == 3 and c.get(("check", b"0")) is None and c.get(("check", b"4")) == (200, "correct", b"{}")
    c = ResponseCache(entries=100, max_bytes=1000)
    for i in range(10):
        c.put(b"line %d" % i, 200, "correct", b"x" * 300)
    assert c.size_bytes <= 1000 and len(c) == 3
    assert not c.put(b"big", 200, "correct", b"x" * ENTRY_BYTES)      # one entry too large
    c.clear()
    assert len(c) == 0 and c.size_bytes == 0 and c.get(b"line 9") is None
    a, b = ResponseCache(entries=4), ResponseCache(entries=4)
    a.put(b"k", 200, "correct", b"{}")
    b.put(b"k", 200, "correct", b"{}")
    clear_caches()                                 # every cache of the process
    assert len(a) == len(b) == 0


def test_the_cache_sizes_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TUTOR_SERVICE_CACHE", "0")
    off = ResponseCache()
    assert off.entries == 0 and not off.put(b"k", 200, "correct", b"{}")
    monkeypatch.setenv("TUTOR_SERVICE_CACHE", "12")
    monkeypatch.setenv("TUTOR_SERVICE_CACHE_MB", "2")
    c = ResponseCache()
    assert c.entries == 12 and c.max_bytes == 2 << 20
    monkeypatch.setenv("TUTOR_SERVICE_CACHE", "many")
    assert ResponseCache().entries == 4096


def test_worthy_is_the_worker_caches_rule():
    assert ResponseCache.worthy("check", 200, True) and ResponseCache.worthy("check-work", 200, True)
    assert not ResponseCache.worthy("check", 200, False)      # the server's timeout or crash answer
    assert not ResponseCache.worthy("check", 422, True)
    assert not ResponseCache.worthy("diff", 200, True)


# ------------------------------------------------------------------ the request log

def test_the_request_log_writes_what_logging_wrote_in_order():
    stream = io.StringIO()
    handler = RequestLog(stream)
    logger = logging.getLogger("tutor.service.test-reqlog")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    plain = logging.Formatter("%(asctime)s %(message)s")
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "ready: %d workers", (2,), None)

    async def run():
        handler.emit(record)
        handler.line("POST /v1/check 200 1.0ms verdict=correct")
        handler.line("POST /v1/check 422 0.5ms")
        assert stream.getvalue() == ""            # batched: nothing written yet
        logger.warning("worker %d died: replaced", 42)    # a warning goes out at once
        assert stream.getvalue().count("\n") == 4
    asyncio.run(run())
    lines = stream.getvalue().splitlines()
    assert lines[0] == plain.format(record)       # the same stamp and text as logging's
    assert [ln.split(" ", 2)[2] for ln in lines] == [
        "ready: 2 workers", "POST /v1/check 200 1.0ms verdict=correct", "POST /v1/check 422 0.5ms",
        "worker 42 died: replaced"]


def test_the_request_log_flushes_by_itself_on_the_loop_and_at_once_off_it():
    stream = io.StringIO()
    handler = RequestLog(stream, interval=0.01)
    handler.line("off the loop")
    assert stream.getvalue().endswith(" off the loop\n")

    async def run():
        handler.line("on the loop")
        await asyncio.sleep(0.05)
    asyncio.run(run())
    assert stream.getvalue().endswith(" on the loop\n")
