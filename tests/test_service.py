"""`tutor serve`: a real uvicorn in a subprocess on a free 127.0.0.1 port, stopped by the test.

Every endpoint and status, the token, the deadline (an answer engineered to be slow is cut off
and the next request is served at once), a worker killed from outside, the metrics, CORS and
the request log. No timed assertions: the deadline test checks order (the fast requests are
answered while the slow one is still running), not durations.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

import tutor  # noqa: E402
from tutor.service.schemas import ENDPOINTS  # noqa: E402
import serving  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# within every work budget, but its third derivative takes ~1 s of CPU to grade on this VM
# (4 December; 1.5-4 s before the speed work), and an answer that is its third derivative plus
# 1 (allow_calculus: the worker derives the answer too) ~2 s; the answer alone, to another
# problem, ~0.7 s. The deadline tests use a server with a 0.4 s deadline.
SLOW = "tan(x)^x ln(x)^sin(x) + (x^2+1)^x sin(x)^cos(x) + x^sin(x) + cosh(x)^tan(x)"
SLOW_ORDER = 3
SLOW_ANSWER = f"d^{SLOW_ORDER}/dx^{SLOW_ORDER}[{SLOW}] + 1"
ORIGIN = "https://lms.example"


class Server(serving.Server):
    """The shared server, posting with the token by default."""

    def post(self, op: str, body, headers=AUTH, **kw):
        return super().post(op, body, headers, **kw)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    (tmp / "tokens").write_text(f"# one token a line\nold-token\n{TOKEN}\n")
    s = Server(tmp, "--workers", "2", "--deadline", "1.5", "--token-file", str(tmp / "tokens"),
               "--cors", ORIGIN)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("serve-open"), "--workers", "1", "--log-answers")
    yield s
    s.stop()


def _metric(text: str, name: str, **labels) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{want}}} ") or (not labels and line.startswith(name + " ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# ------------------------------------------------------------------ endpoints and statuses

def test_health_and_openapi(server):
    h = server.get("/health")
    assert h.status_code == 200
    assert h.json()["status"] == "ok" and h.json()["workers"] == 2 and h.json()["deadline"] == 1.5
    doc = server.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {f"/v1/{op}" for op in ENDPOINTS} | {"/health", "/metrics"} <= set(doc["paths"])
    check = doc["paths"]["/v1/check"]["post"]
    body = check["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["function", "answer"] and "options" in body["properties"]
    assert {"200", "400", "401", "413", "422"} <= set(check["responses"])
    verdict = doc["components"]["schemas"]["Verdict"]
    got = server.post("check", {"function": "x^2", "answer": "2x"}).json()
    assert set(verdict["required"]) == set(got)


@pytest.mark.parametrize("function,answer,var", [
    ("sin(x^2)", "2x cos(x^2)", None), ("sin(x^2)", "cos(x^2)", None), ("x^2 sin x", "2x cos x", None),
    ("w^2", "-(2w)", "w"), ("1/w", "-1/w^2", "w"), ("ln(x)", "1/abs(x)", None),
    ("sin(x)", "cos(x", None), ("x^2", "", None), ("x^2", "d/dx[x^2]", None), ("x^2", "x^(10^100)", None),
])
def test_check_is_the_in_process_verdict(server, function, answer, var):
    r = server.post("check", {"function": function, "answer": answer, "var": var})
    assert r.status_code == 200
    want = tutor.check(function, answer, var).to_dict()
    got = r.json()
    assert got.pop("gradable") == (want["verdict"] in ("correct", "incorrect"))
    assert got == json.loads(json.dumps(want))


def test_unreadable_answer_is_200_invalid_not_an_error(server):
    r = server.post("check", {"function": "sin(x)", "answer": "sinn(x)"})
    assert r.status_code == 200
    assert r.json()["verdict"] == "invalid" and r.json()["gradable"] is False
    assert r.json()["error_code"] and "sin" in r.json()["feedback"]["text"]


def test_options_and_allow_calculus(server):
    r = server.post("check", {"function": "x^3", "answer": "d/dx[x^3]", "allow_calculus": True})
    assert r.json()["verdict"] == "correct"
    r = server.post("check", {"function": "x^2", "answer": "-(2x)", "options": {"partial_credit": False}})
    assert r.json()["verdict"] == "incorrect" and r.json()["score"] == 0
    r = server.post("check", {"function": "x^2", "answer": "-(2x)",
                              "options": {"credit": {"sign-error": 0.25}, "seed": "course-1"}})
    assert r.json()["score"] == 0.25


@pytest.mark.parametrize("body,status,code,field", [
    (b"{\"function\": \"x\",", 400, "json", None),
    (b"", 400, "json", None),
    (b"\xff\xfe\x00garbage", 400, "json", None),
    ([1, 2], 422, "field", None),
    ({"function": "x^2"}, 422, "field", "answer"),
    ({"function": "x^2", "anwser": "2x"}, 422, "field", "anwser"),
    ({"function": 3, "answer": "2x"}, 422, "field", "function"),
    ({"function": "x^2", "answer": "2x", "order": 0}, 422, "field", "order"),
    ({"function": "x^2", "answer": "2x", "order": True}, 422, "field", "order"),
    ({"function": "x^2", "answer": "2x", "input": "tex"}, 422, "field", "input"),
    ({"function": "x^2", "answer": "2x", "options": {"max_chars": 10 ** 6}}, 422, "field", "options.max_chars"),
    ({"function": "x^2", "answer": "2x", "options": {"nope": 1}}, 422, "field", "options.nope"),
    ({"function": "sin(", "answer": "2x"}, 422, None, "function"),
    ({"function": "x^2", "answer": "2x", "var": "1"}, 422, "variable", "function"),
])
def test_bad_requests_get_a_status_and_a_json_error(server, body, status, code, field):
    r = server.post("check", body)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert r.json()["schema"] == "tutor.error/1" and err["message"]
    if code:
        assert err["code"] == code
    assert err["field"] == field
    if body == b"{\"function\": \"x\",":
        assert err["line"] == 1 and err["column"] > 1
    if code in ("json", "field") and (field is None or "required" in err["message"]):
        # a body that is no request at all answers with one to copy
        assert err["hint"] == 'send e.g. {"function": "x^2", "answer": "2x"}', err


def test_bad_function_names_the_column(server):
    err = server.post("check", {"function": "sin(x", "answer": "cos x"}).json()["error"]
    assert err["line"] == 1 and err["column"] == 4 and err["hint"]


def test_body_limit_413_by_length_and_by_stream(server):
    big = json.dumps({"function": "x", "answer": "x" * 70_000})
    r = server.post("check", big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "body-limit"
    assert "--body-limit" in r.json()["error"]["hint"]

    def chunks():                      # no Content-Length: the limit is counted as it streams
        for _ in range(20):
            yield b" " * 8192
    r = httpx.post(f"{server.url}/v1/check", content=chunks(), headers=AUTH, timeout=30,
                   verify=serving.TLS)
    assert r.status_code == 413


def test_unknown_route_and_method(server):
    assert server.get("/v1/nope").status_code == 404
    r = server.get("/v1/check")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method"


def test_every_route_answers_its_record(server):
    cases = {
        "check-work": ({"function": "x^2 sin x", "lines": ["= 2x sin x + x^2 cos x"]}, "tutor.work-verdict/1"),
        "diff": ({"expr": "sin(x^2)", "detail": "brief"}, "tutor.solution/2"),
        "numeric": ({"expr": "w^2", "at": "w=3"}, "tutor.numeric/1"),
        "gradient": ({"expr": "x^2 y", "at": {"x": 1, "y": 2}, "along": [2, 3], "hessian": True},
                     "tutor.gradient/1"),
        "dual": ({"expr": "x*y + max(x, y)", "wrt": "x", "at": "x=2,y=3"}, "tutor.dual/1"),
        "backprop": ({"expr": "x*y", "at": {"x": 2, "y": 3}}, "tutor.backprop/1"),
        "descend": ({"expr": "(w - 3)^2", "start": 0, "rate": 0.1, "steps": 5}, "tutor.descent/1"),
    }
    assert set(cases) | {"check"} == set(ENDPOINTS)
    for op, (body, schema) in cases.items():
        r = server.post(op, body)
        assert r.status_code == 200, (op, r.text)
        assert r.json()["schema"] == schema
    assert server.post("diff", {"expr": "sin(x^2)", "detail": "brief"}).json() == \
        json.loads(json.dumps(tutor.differentiate("sin(x^2)").to_dict("brief")))
    at = server.post("diff", {"expr": "1/w^2", "at": {"w": 4}}).json()
    assert at["schema"] == "tutor.atpoint/1" and at["value"]["rational"] == "-1/32"
    work = server.post("check-work", {"function": "x^2", "lines": "= 2x\n= 3x"}).json()
    assert work["verdict"] == "incorrect" and work["first_wrong_line"] == 2 and work["gradable"]
    r = server.post("numeric", {"expr": "w^2"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "at"
    r = server.post("dual", {"expr": "x*y", "wrt": "x", "at": "x=2"})
    assert r.status_code == 422 and r.json()["error"]["code"]


# ------------------------------------------------------------------ the token

def test_token(server):
    body = {"function": "x^2", "answer": "2x"}
    r = server.post("check", body, headers={})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["error"]["code"] == "auth" and "--token-file" in r.json()["error"]["hint"]
    assert server.post("check", body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert server.post("check", body, headers={"Authorization": TOKEN}).status_code == 401
    assert server.post("check", body, headers={"Authorization": "Bearer old-token"}).status_code == 200
    assert server.post("check", body).status_code == 200
    assert server.get("/health").status_code == 200          # the load balancer needs no token


def test_no_token_file_means_open_and_no_cors(open_server, server):
    r = open_server.post("check", {"function": "x^2", "answer": "2x"}, headers={"Origin": ORIGIN})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = httpx.options(f"{server.url}/v1/check", timeout=10, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == ORIGIN
    other = httpx.options(f"{server.url}/v1/check", timeout=10, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert other.headers.get("access-control-allow-origin") != "https://evil.example"


def test_one_log_line_per_request_without_the_answer(server, open_server):
    marker = "3x^2 + 12345"
    server.post("check", {"function": "x^3", "answer": marker})
    open_server.post("check", {"function": "x^3", "answer": marker})
    time.sleep(0.3)       # let the log reach the file (not a timing assertion)
    log = server.log.read_text()
    assert marker not in log
    assert re.search(r"POST /v1/check 200 [\d.]+ms verdict=incorrect", log)
    assert marker in open_server.log.read_text()


# ------------------------------------------------------------------ deadline and workers

def test_deadline_cuts_off_a_slow_answer_and_blocks_nobody(quick_server):
    server = quick_server       # a 0.4 s deadline: this check takes ~2 s, by the machine
    before = server.get("/metrics").text
    order, slow = [], {}

    def run_slow():
        slow["r"] = server.post("check", {"function": SLOW, "answer": SLOW_ANSWER,
                                          "order": SLOW_ORDER, "allow_calculus": True})
        order.append("slow")

    t = threading.Thread(target=run_slow)
    t.start()
    while server.get("/health").json()["busy"] == 0 and t.is_alive():
        time.sleep(0.01)
    # the other worker answers while the slow one runs
    assert server.post("check", {"function": "x^2", "answer": "2x"}).json()["verdict"] == "correct"
    order.append("fast")
    t.join()
    assert order == ["fast", "slow"]
    v = slow["r"].json()
    assert slow["r"].status_code == 200
    assert v["verdict"] == "undetermined" and v["error_code"] == "timeout" and v["gradable"] is False
    assert v["schema"] == "tutor.verdict/1" and "deadline" in v["feedback"]["text"]
    # the next request is answered at once: a warm spare took the killed worker's place
    assert server.post("check", {"function": "x^2", "answer": "2x"}).json()["verdict"] == "correct"
    after = server.get("/metrics").text
    assert _metric(after, "tutor_timeouts_total", endpoint="check") == \
        _metric(before, "tutor_timeouts_total", endpoint="check") + 1
    assert _metric(after, "tutor_worker_restarts_total", reason="timeout") >= \
        _metric(before, "tutor_worker_restarts_total", reason="timeout") + 1
    work = server.post("check-work", {"function": SLOW, "order": SLOW_ORDER, "lines": ["= x"]}).json()
    assert work["verdict"] == "undetermined" and work["error_code"] == "timeout"


@pytest.fixture(scope="module")
def quick_server(tmp_path_factory):
    """Two workers and a 0.4 s deadline. Every check is bounded by the work budgets, so a slow
    one takes seconds, not minutes: as the grader got faster, the 1 s deadline these tests had
    became a race (SLOW's check, 1.5-4 s once, took 0.99 s). Here the slow requests take
    0.7-2 s, and the fast answers a test sends meanwhile (a few ms each on a worker that has
    read an answer before) have the whole 0.4 s: both workers are warmed first."""
    s = serving.Server(tmp_path_factory.mktemp("serve-quick"), "--workers", "2", "--deadline", "0.4")
    for i in range(8):   # problems spread over both workers: each has read and graded
        s.post("check", {"function": f"x^{i + 2}", "answer": f"{i + 2}x^{i + 1}"})
    yield s
    s.stop()


def test_a_slow_answer_holds_up_nobody_of_its_own_problem(quick_server):
    """One problem's requests go to one worker (it keeps the problem's reference), so a slow
    answer to it must not make the class's other answers to it wait for the deadline."""
    server = quick_server
    slow_answer = f"d^{SLOW_ORDER}/dx^{SLOW_ORDER}[{SLOW}]"
    order, slow = [], {}

    def run_slow():
        slow["r"] = server.post("check", {"function": "x^5", "answer": slow_answer,
                                          "allow_calculus": True})
        order.append("slow")

    server.post("check", {"function": "x^5", "answer": "5x^4"})     # the problem is met
    t = threading.Thread(target=run_slow)
    t.start()
    while server.get("/health").json()["busy"] == 0 and t.is_alive():
        time.sleep(0.01)
    for i in range(3):      # answers not seen before: each is graded by a worker
        r = server.post("check", {"function": "x^5", "answer": f"5x^4 + {i} - {i}"})
        assert r.json()["verdict"] == "correct"
    order.append("fast")
    t.join()
    assert order == ["fast", "slow"]
    assert slow["r"].json()["error_code"] == "timeout"


def test_a_worker_killed_from_outside_is_replaced_and_no_request_is_lost(server):
    deadline = time.monotonic() + 60
    while True:     # a worker replaced by an earlier test may be gone between ps and kill
        pids = server.workers()
        if len(pids) < 2:
            assert time.monotonic() < deadline, f"the server has {len(pids)} workers"
            time.sleep(0.1)
            continue
        try:
            os.kill(pids[0], signal.SIGKILL)
            break
        except ProcessLookupError:
            time.sleep(0.1)
    # answers not seen before, so each one goes to a worker (a repeat is the server's cache's)
    results = [server.post("check", {"function": "x^3", "answer": f"3x^2 + {i} - {i}"})
               for i in range(6)]
    assert all(r.status_code == 200 and r.json()["verdict"] == "correct" for r in results)
    deadline = time.monotonic() + 60
    while len(server.workers()) < 3 and time.monotonic() < deadline:   # 2 workers + 1 spare
        time.sleep(0.1)
    assert len(server.workers()) >= 3     # noticed and replaced even if no request reached it
    assert pids[0] not in server.workers()
    assert server.get("/health").json()["status"] == "ok"


def test_metrics_count_requests_verdicts_and_statuses(server):
    before = server.get("/metrics").text
    server.post("check", {"function": "x^2", "answer": "2x"})
    server.post("check", {"function": "x^2", "answer": "2x"})
    server.post("check", {"function": "x^2", "answer": "x^2"})
    server.post("check", {"function": "x^2", "answer": "2x("})
    server.post("check", {"function": "x^2"})
    server.post("check", {"function": "x^2", "answer": "2x"}, headers={})
    after = server.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def delta(name, **labels):
        return _metric(text, name, **labels) - _metric(before, name, **labels)
    assert delta("tutor_requests_total", endpoint="check", status="200") == 4
    assert delta("tutor_requests_total", endpoint="check", status="422") == 1
    assert delta("tutor_requests_total", endpoint="check", status="401") == 1
    assert delta("tutor_verdicts_total", endpoint="check", verdict="correct") == 2
    assert delta("tutor_verdicts_total", endpoint="check", verdict="incorrect") == 1
    assert delta("tutor_verdicts_total", endpoint="check", verdict="invalid") == 1
    assert delta("tutor_request_duration_seconds_count", endpoint="check") == 6
    assert 'tutor_request_duration_seconds_bucket{endpoint="check",le="+Inf"}' in text
    assert "# TYPE tutor_worker_restarts_total counter" in text and "tutor_queue_length" in text


def test_a_repeated_check_is_answered_from_the_cache_with_the_same_bytes(server):
    body = {"function": "x^4 cos x", "answer": "4x^3 cos x - x^4 sin x", "options": {"seed": "c-7"}}
    before = server.get("/metrics").text
    first = server.post("check", body)
    again = server.post("check", json.dumps(body, indent=2))     # spelt another way
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and first.headers["content-type"] == "application/json"
    after = server.get("/metrics").text
    assert _metric(after, "tutor_cache_hits_total", endpoint="check") == \
        _metric(before, "tutor_cache_hits_total", endpoint="check") + 1
    assert _metric(after, "tutor_cache_entries") >= 2


def test_cors_answers_a_post_from_the_allowed_origin(server):
    r = server.post("check", {"function": "x^2", "answer": "2x"}, headers={**AUTH, "Origin": ORIGIN})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
    assert r.json()["verdict"] == "correct"


# ------------------------------------------------------------------ the command line

def _tutor(*args, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_serve_refuses_clearly(server, tmp_path, capsys):
    from tutor.cli import main
    port = server.url.rsplit(":", 1)[1]
    assert main(["serve", "--port", port]) == 2
    assert "cannot listen on 127.0.0.1:" in capsys.readouterr().err
    assert main(["serve", "--port", "0", "--token-file", str(tmp_path / "missing")]) == 2
    assert "cannot read the token file" in capsys.readouterr().err
    (tmp_path / "empty").write_text("\n# nothing\n")
    assert main(["serve", "--port", "0", "--token-file", str(tmp_path / "empty")]) == 2
    assert "no token" in capsys.readouterr().err
    assert main(["serve", "--port", "0", "--deadline", "0"]) == 64
    assert "deadline" in capsys.readouterr().err
    r = _tutor("serve", "--port", "0", "--workers", "0")
    assert r.returncode == 64 and "workers" in r.stderr and "Traceback" not in r.stderr


def test_import_tutor_loads_no_web_framework():
    code = ("import sys, tutor, tutor.service, tutor.service.jobs, tutor.service.schemas, "
            "tutor.service.batch; tutor.check('x^2', '2x'); "
            "bad = [m for m in ('starlette', 'uvicorn', 'httpx', 'dask', 'distributed') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_worker_collects_garbage_between_jobs_only():
    """A worker's automatic full collection is off (it walked every cached tree inside a
    request); one runs after every EVERY jobs, and what survives is frozen so the next one
    walks only newer objects. Automatic collection is off here too, so only the collector's
    own runs can reclaim the cycle or freeze the objects."""
    import gc
    import weakref
    from tutor.service.worker import _Collector
    saved, enabled = gc.get_threshold(), gc.isenabled()
    try:
        c = _Collector()
        assert gc.get_threshold()[2] >= 1 << 30
        gc.disable()

        class Node:
            pass
        a, b = Node(), Node()
        a.other, b.other = b, a        # a cycle, garbage once dropped
        dead = weakref.ref(a)
        del a, b
        kept = [[i] for i in range(1000)]      # live objects made after the last freeze
        frozen = gc.get_freeze_count()
        for _ in range(c.EVERY - 1):
            c.done()
        assert dead() is not None and gc.get_freeze_count() == frozen    # not yet: between jobs
        c.done()
        assert dead() is None                                             # collected
        assert gc.get_freeze_count() >= frozen + len(kept)                # and the survivors frozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
        if enabled:
            gc.enable()
