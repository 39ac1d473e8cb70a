"""Issue 13 benchmark: `tutor serve` under load, from a bounded load generator on 127.0.0.1.

    python benchmarks/bench_service.py [--n 10000] [--concurrency 64] [--hostile 0.02]
                                       [--workers 2] [--kill] [--client httpx|raw] [--cap 300]
                                       [--repeat 3] [--worker-cache N] [--server-cache N]

Starts a real `tutor serve --port 0` (a subprocess on 127.0.0.1 only), warms each problem once,
then sends N checks from tests/data/grader_bank.jsonl (cycled) at CONCURRENCY requests in
flight, with a fraction HOSTILE of hostile answers mixed in at fixed positions (huge, deeply
nested, giant exponents, unreadable). Bounded: N requests and at most CAP seconds; it never
talks to anything but the server it started, and stops it at the end.

Reports throughput, p50/p95/p99 latency (all requests, and the hostile ones apart), the count
of 5xx responses and of requests that got no answer (both must be 0), and how many verdicts
differ from the in-process `tutor.check` verdict (must be 0). `--kill` SIGKILLs one worker
process when half the requests have been sent: the server must recover with no request lost.
`--client raw` uses a minimal keep-alive HTTP/1.1 client on asyncio streams (on uvloop when it
is installed) instead of httpx, so less of the 2-core machine goes to the load generator (the
server is the same); the responses are kept as bytes and decoded after the timed run. The
client's own CPU time is reported beside the server's, with its share of the two cores.
The bank is cycled, so most checks repeat one already graded: the server answers a repeat from
its response cache (cache.py) and a worker from its own (worker.py); `--server-cache 0
--worker-cache 0` grades every one afresh. `--repeat K` runs each case K times and reports
the median of each column, with the load average (`uptime`) at the start of the case.
Targets (issue 13): >= 1,000 checks/s, p99 <= 50 ms, p99 <= 100 ms with the hostile mix.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

# the sibling first: run as a script, `benchmarks` could name another checkout's package
try:
    from _common import ROOT, load_jsonl, percentile
except ImportError:
    from benchmarks._common import ROOT, load_jsonl, percentile

HOSTILE = [
    "(" * 60_000, "x^(10^100)", "9^9^9^9", "(x+1)^100000", "x" * 4_999, "x" * 6_000,
    "sin(" * 199 + "x" + ")" * 199, "|" * 3000 + "x", "sinn(x) + 2", "1/0", "",
    "d/dx[x^2]", "\u0000\u202e", "e^e^e^e^e^x", "(" * 5000 + "x" + ")" * 5000,
    "+".join(["x"] * 2000), "2x cos(x^2)" * 300,
]


def requests(n: int, hostile: float) -> list[dict]:
    bank = load_jsonl("grader_bank")
    every = round(1 / hostile) if hostile > 0 else 0
    out = []
    for i in range(n):
        r = bank[i % len(bank)]
        body = {"function": r["function"], "answer": r["answer"], "var": r["var"],
                "order": r["order"]}
        if r.get("allow_calculus"):
            body["allow_calculus"] = True
        if every and i % every == every // 2:   # hostile answers to a few problems
            k = i // every
            p = bank[(k // len(HOSTILE)) % 6 * 3]
            body = {"function": p["function"], "answer": HOSTILE[k % len(HOSTILE)],
                    "var": p["var"], "order": p["order"], "_hostile": True}
        out.append(body)
    return out


def expected_verdicts(reqs: list[dict]) -> dict:
    import tutor
    want = {}
    for b in reqs:
        key = _key(b)
        if key not in want:
            want[key] = tutor.check(b["function"], b["answer"], b["var"], b["order"],
                                    allow_calculus=b.get("allow_calculus", False)).verdict
    return want


def _key(b: dict) -> tuple:
    return b["function"], b["answer"], b["var"], b["order"], b.get("allow_calculus", False)


class Server:
    def __init__(self, workers: int, worker_cache: int | None = None,
                 server_cache: int | None = None):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        if worker_cache is not None:
            env["TUTOR_WORKER_CACHE"] = str(worker_cache)
        if server_cache is not None:
            env["TUTOR_SERVICE_CACHE"] = str(server_cache)
        self.proc = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", "0",
                                      "--host", "127.0.0.1", "--workers", str(workers)],
                                     stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        t_end = time.monotonic() + 120
        while time.monotonic() < t_end:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(self.log.name).read())
            if m and "service ready" in open(self.log.name).read():
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("server did not start:\n" + open(self.log.name).read())

    def cache_hits(self) -> int:
        """tutor_cache_hits_total of /metrics, summed over the endpoints."""
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=30) as r:
            text = r.read().decode()
        return sum(int(float(ln.rsplit(" ", 1)[1])) for ln in text.splitlines()
                   if ln.startswith("tutor_cache_hits_total{"))

    def stack(self) -> str:
        """The HTTP stack uvicorn picks by itself in the server's environment ("auto")."""
        code = ("import importlib.util as u; print('uvicorn + ' + ('httptools' if u.find_spec('httptools') "
                "else 'h11') + ' + ' + ('uvloop' if u.find_spec('uvloop') else 'asyncio'))")
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env).stdout.strip()

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def cpu_seconds(self) -> float:
        """CPU time of the server, its live workers and its reaped (killed) workers."""
        tick = os.sysconf("SC_CLK_TCK")

        def fields(pid):
            with open(f"/proc/{pid}/stat") as fh:
                return fh.read().rsplit(")", 1)[1].split()
        f = fields(self.proc.pid)
        total = sum(int(x) for x in f[11:15])            # utime stime cutime cstime
        for pid in self.worker_pids():
            try:
                total += sum(int(x) for x in fields(pid)[11:13])
            except OSError:
                pass
        return total / tick

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.unlink(self.log.name)


# ------------------------------------------------------------------ two clients

class RawClient:
    """Keep-alive HTTP/1.1 POSTs on asyncio streams: one connection per concurrent task."""

    def __init__(self, port: int):
        self.port = port

    async def connect(self):
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, conn, path: str, body: bytes) -> tuple[int, bytes]:
        reader, writer = conn
        writer.write(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % (path.encode(), len(body)) + body)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])                      # b"HTTP/1.1 200 OK"
        at = head.find(b"content-length:")
        if at < 0:
            at = head.lower().find(b"content-length:")
        length = int(head[at + 15:head.index(b"\r\n", at)])
        return status, await reader.readexactly(length)


async def _run(port: int, reqs: list[dict], concurrency: int, cap: float, client: str,
               on_half=None) -> dict:
    latencies, hostile_lat, statuses, answers = [], [], {}, [None] * len(reqs)
    errors = []
    bodies = [json.dumps({k: v for k, v in b.items() if k != "_hostile"}).encode() for b in reqs]
    nxt = [0]
    t_stop = time.monotonic() + cap
    half_done = [on_half is None]

    if client == "httpx":
        import httpx
        hc = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30,
                               limits=httpx.Limits(max_connections=concurrency,
                                                   max_keepalive_connections=concurrency))

    async def task():
        conn = await RawClient(port).connect() if client == "raw" else None
        raw = RawClient(port)
        while nxt[0] < len(reqs) and time.monotonic() < t_stop:
            i = nxt[0]
            nxt[0] += 1
            if not half_done[0] and i >= len(reqs) // 2:
                half_done[0] = True
                on_half()
            t0 = time.perf_counter()
            try:
                if client == "raw":
                    status, data = await raw.post(conn, "/v1/check", bodies[i])
                else:
                    r = await hc.post("/v1/check", content=bodies[i],
                                      headers={"Content-Type": "application/json"})
                    status, data = r.status_code, r.content
            except Exception as exc:          # no answer: counted, never hidden
                errors.append(repr(exc))
                if client == "raw":
                    conn = await RawClient(port).connect()
                continue
            dt = time.perf_counter() - t0
            statuses[status] = statuses.get(status, 0) + 1
            (hostile_lat if reqs[i].get("_hostile") else latencies).append(dt)
            answers[i] = (status, data)         # decoded after the run, off the clock
        if conn is not None:
            conn[1].close()

    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(task() for _ in range(concurrency)))
    wall, client_cpu = time.perf_counter() - t0, time.process_time() - c0
    if client == "httpx":
        await hc.aclose()
    answers = [None if a is None else (a[0], json.loads(a[1]).get("verdict") if a[0] == 200 else None)
               for a in answers]
    return {"wall": wall, "lat": latencies, "hostile": hostile_lat, "statuses": statuses,
            "answers": answers, "errors": errors, "sent": nxt[0], "client_cpu": client_cpu}


def _loop_runner():
    """asyncio.run on uvloop when it is installed (the serve extra brings it), else plain."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run, "asyncio"
    if sys.version_info < (3, 11):                     # pragma: no cover
        return uvloop.run, "uvloop"

    def run(coro):
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coro)
    return run, "uvloop"


def measure(reqs, res, want) -> dict:
    """One run's figures (the columns of the table)."""
    done = sum(1 for a in res["answers"] if a is not None)
    every = res["lat"] + res["hostile"]
    pct = lambda xs, q: percentile(xs, q) * 1e3 if xs else float("nan")  # noqa: E731
    return {
        "requests": len(reqs), "rate": done / res["wall"],
        "server_ms": res["cpu"] / max(done, 1) * 1e3,
        "client_ms": res["client_cpu"] / max(done, 1) * 1e3,
        "client_share": res["client_cpu"] / res["wall"] / (os.cpu_count() or 1),
        "p50": pct(every, 50), "p95": pct(every, 95), "p99": pct(every, 99),
        "p99_normal": pct(res["lat"], 99), "p99_hostile": pct(res["hostile"], 99),
        "5xx": sum(n for s, n in res["statuses"].items() if s >= 500),
        "no_answer": len(reqs) - done,
        "mismatch": sum(1 for b, a in zip(reqs, res["answers"])
                        if a is not None and a[0] == 200 and a[1] != want[_key(b)]),
        "statuses": dict(sorted(res["statuses"].items())), "load": res["load"],
        "hit_rate": res["hits"] / max(done, 1),
    }


def _median(runs: list[dict], key: str):
    import statistics
    values = [r[key] for r in runs if r[key] == r[key]]      # NaN (no hostile) left out
    return statistics.median(values) if values else float("nan")


def report(name: str, runs: list[dict]) -> str:
    """A table row: the median of each column over the repeats; 5xx, no answer and
    mismatches are the worst run's (they must all be 0)."""
    m = {k: _median(runs, k) for k in ("rate", "server_ms", "client_ms", "client_share", "p50",
                                       "p95", "p99", "p99_normal", "p99_hostile", "hit_rate")}
    worst = {k: max(r[k] for r in runs) for k in ("5xx", "no_answer", "mismatch")}
    ms = lambda v: "n/a" if v != v else f"{v:.1f}"  # noqa: E731
    loads = "–".join(f"{x:.1f}" for x in (min(r["load"] for r in runs), max(r["load"] for r in runs)))
    return (f"| {name} | {runs[0]['requests']:,} ×{len(runs)} | {m['hit_rate']:.0%} | {m['rate']:,.0f} | "
            f"{m['server_ms']:.2f} | "
            f"{m['client_ms']:.2f} ({m['client_share']:.0%}) | {ms(m['p50'])} | {ms(m['p95'])} | "
            f"{ms(m['p99'])} | {ms(m['p99_normal'])} | {ms(m['p99_hostile'])} | {worst['5xx']} | "
            f"{worst['no_answer']} | {worst['mismatch']} | {loads} | {runs[-1]['statuses']} |")


def main(argv=None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--hostile", type=float, default=0.02)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--client", choices=("httpx", "raw"), default="httpx")
    ap.add_argument("--kill", action="store_true", help="also a run with a worker killed midway")
    ap.add_argument("--worker-cache", type=int, default=None, metavar="N",
                    help="TUTOR_WORKER_CACHE for the server's workers (0: off; default: the "
                         "worker's own default)")
    ap.add_argument("--server-cache", type=int, default=None, metavar="N",
                    help="TUTOR_SERVICE_CACHE for the server (0: off; default: the server's own)")
    ap.add_argument("--warm", choices=("answers", "problems"), default="answers",
                    help="before the runs, send every distinct request once (answers), or one "
                         "check per problem (problems: each answer is graded the first time)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each case (the median is shown)")
    ap.add_argument("--cap", type=float, default=300.0, help="seconds per run at most")
    ap.add_argument("--quick", action="store_true", help="1,000 requests")
    ap.add_argument("--full", action="store_true", help="the default sizes (for run_all.py)")
    args = ap.parse_args(argv)
    n = 1000 if args.quick else args.n
    clean, mixed = requests(n, 0.0), requests(n, args.hostile)
    want = expected_verdicts(clean + mixed)
    import tutor
    t0 = time.perf_counter()
    for b in clean:                      # the same checks in this process, one core, warm
        tutor.check(b["function"], b["answer"], b["var"], b["order"],
                    allow_calculus=b.get("allow_calculus", False))
    inproc = len(clean) / (time.perf_counter() - t0)
    run_loop, loop_name = _loop_runner() if args.client == "raw" else (asyncio.run, "asyncio")
    cases = [("bank", clean, False), (f"bank + {args.hostile:.0%} hostile", mixed, False)]
    if args.kill:
        cases.append(("bank + hostile, a worker SIGKILLed midway", mixed, True))
    results: dict[str, list] = {name: [] for name, _, _ in cases}
    errors, stack = [], ""
    for _ in range(max(1, args.repeat)):     # a new server each repeat: its caches start empty
        server = Server(args.workers, args.worker_cache, args.server_cache)
        try:
            # --warm problems: one check per problem (each worker's reference derivatives are
            # warm), so the first time an answer comes it is graded and its repeats may come
            # from the caches; --warm answers: every distinct request once (the steady state
            # of a class handing in answers seen before: every check a cache hit)
            if args.warm == "answers":
                warm = list({_key(b): b for b in clean + mixed}.values())
            else:
                warm = list({(b["function"], b["var"], b["order"]): b for b in clean}.values())
            run_loop(_run(server.port, warm, args.concurrency, args.cap, args.client))
            stack = server.stack()
            for name, reqs, kill in cases:
                def kill_one(server=server):
                    pids = server.worker_pids()
                    if pids:
                        os.kill(pids[0], signal.SIGKILL)
                load, cpu0, hits0 = os.getloadavg()[0], server.cpu_seconds(), server.cache_hits()
                res = run_loop(_run(server.port, reqs, args.concurrency, args.cap, args.client,
                                    kill_one if kill else None))
                res["cpu"], res["load"] = server.cpu_seconds() - cpu0, load
                res["hits"] = server.cache_hits() - hits0
                results[name].append(measure(reqs, res, want))
                errors += res["errors"][:3]
        finally:
            server.stop()
    rows = [report(name, results[name]) for name, _, _ in cases]
    if errors:
        rows.append(f"|  | errors: {errors[:3]} |")
    flags = "".join(f" --{k.replace('_', '-')} {v}" for k, v in (
        ("warm", None if args.warm == "answers" else args.warm),
        ("worker_cache", args.worker_cache), ("server_cache", args.server_cache),
        ("repeat", args.repeat if args.repeat > 1 else None)) if v is not None)
    out = [f"`python benchmarks/bench_service.py --n {n} --concurrency {args.concurrency} "
           f"--workers {args.workers} --client {args.client}{' --kill' if args.kill else ''}{flags}`"
           f" (nproc {os.cpu_count()}; server: {stack}; client loop: {loop_name})", "",
           "| run | requests | answered from the server's cache | checks/s | server CPU ms/check | client CPU ms/check (share of the cores) "
           "| p50 ms | p95 ms | p99 ms | p99 ms normal | p99 ms hostile "
           "| 5xx | no answer | verdict ≠ in-process | load average | statuses |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|", *rows,
           "", f"In-process `tutor.check` on the same {n:,} bank checks, one core, warm, measured "
           f"in this run: {inproc:,.0f} checks/s. Server CPU ms/check is the CPU time of the "
           "server process and its workers per answered check; client CPU is the load "
           "generator's own (it shares the same cores). Each figure is the median over the "
           "repeats; 5xx, no answer and mismatches are the worst run's. Each repeat starts a new "
           "server and warms it (" + ("every distinct request once: the steady state" if
                                      args.warm == "answers" else "one check per problem, so the "
                                      "first time an answer comes in a repeat it is graded") +
           "), then runs the cases in this order.",
           "", "Targets: >= 1,000 checks/s; p99 <= 50 ms; <= 100 ms with the hostile mix; 5xx, "
           "no answer and verdict mismatches all 0."]
    text = "\n".join(out)
    print(text)
    return text


if __name__ == "__main__":
    main()
