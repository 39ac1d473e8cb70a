"""Issue 13 benchmark: `tutor serve` under load, from a bounded load generator on 127.0.0.1.

    python benchmarks/bench_service.py [--n 10000] [--concurrency 64] [--hostile 0.02]
                                       [--workers 2] [--kill] [--client httpx|raw] [--cap 300]

Starts a real `tutor serve --port 0` (a subprocess on 127.0.0.1 only), warms each problem once,
then sends N checks from tests/data/grader_bank.jsonl (cycled) at CONCURRENCY requests in
flight, with a fraction HOSTILE of hostile answers mixed in at fixed positions (huge, deeply
nested, giant exponents, unreadable). Bounded: N requests and at most CAP seconds; it never
talks to anything but the server it started, and stops it at the end.

Reports throughput, p50/p95/p99 latency (all requests, and the hostile ones apart), the count
of 5xx responses and of requests that got no answer (both must be 0), and how many verdicts
differ from the in-process `tutor.check` verdict (must be 0). `--kill` SIGKILLs one worker
process when half the requests have been sent: the server must recover with no request lost.
`--client raw` uses a minimal keep-alive HTTP/1.1 client on asyncio streams instead of httpx,
so less of the 2-core machine goes to the load generator (the server is the same).
The bank is cycled, so most checks repeat one already graded: the workers answer a repeat
from their cache of recent results (worker.py); `--worker-cache 0` grades every one afresh.
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

try:
    from benchmarks._common import ROOT, load_jsonl, percentile
except ImportError:
    from _common import ROOT, load_jsonl, percentile

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
    def __init__(self, workers: int, worker_cache: int | None = None):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        if worker_cache is not None:
            env["TUTOR_WORKER_CACHE"] = str(worker_cache)
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
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
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
            answers[i] = (status, json.loads(data).get("verdict") if status == 200 else None)
        if conn is not None:
            conn[1].close()

    t0 = time.perf_counter()
    await asyncio.gather(*(task() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    if client == "httpx":
        await hc.aclose()
    return {"wall": wall, "lat": latencies, "hostile": hostile_lat, "statuses": statuses,
            "answers": answers, "errors": errors, "sent": nxt[0]}


def report(name: str, reqs, res, want) -> str:
    done = sum(1 for a in res["answers"] if a is not None)
    every = res["lat"] + res["hostile"]
    mism = sum(1 for b, a in zip(reqs, res["answers"])
               if a is not None and a[0] == 200 and a[1] != want[_key(b)])
    five = sum(n for s, n in res["statuses"].items() if s >= 500)
    no_answer = len(reqs) - done
    ms = lambda xs, q: f"{percentile(xs, q) * 1e3:.1f}" if xs else "n/a"  # noqa: E731
    cpu_ms = res["cpu"] / max(done, 1) * 1e3
    return (f"| {name} | {len(reqs):,} | {done / res['wall']:,.0f} | {cpu_ms:.2f} | {ms(every, 50)} | {ms(every, 95)} | "
            f"{ms(every, 99)} | {ms(res['lat'], 99)} | {ms(res['hostile'], 99)} | {five} | {no_answer} | "
            f"{mism} | {dict(sorted(res['statuses'].items()))} |")


def main(argv=None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--hostile", type=float, default=0.02)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--client", choices=("httpx", "raw"), default="httpx")
    ap.add_argument("--kill", action="store_true", help="also a run with a worker killed midway")
    ap.add_argument("--worker-cache", type=int, default=None, metavar="N",
                    help="TUTOR_WORKER_CACHE for the server's workers (0: every check graded "
                         "afresh; default: the worker's own default)")
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
    server = Server(args.workers, args.worker_cache)
    rows = []
    try:
        warm = list({_key(b): b for b in clean + mixed}.values())
        asyncio.run(_run(server.port, warm, args.concurrency, args.cap, args.client))
        runs = [("bank", clean, None), (f"bank + {args.hostile:.0%} hostile", mixed, None)]
        if args.kill:
            def kill_one():
                pids = server.worker_pids()
                if pids:
                    os.kill(pids[0], signal.SIGKILL)
            runs.append(("bank + hostile, a worker SIGKILLed midway", mixed, kill_one))
        for name, reqs, hook in runs:
            cpu0 = server.cpu_seconds()
            res = asyncio.run(_run(server.port, reqs, args.concurrency, args.cap, args.client, hook))
            res["cpu"] = server.cpu_seconds() - cpu0
            rows.append(report(name, reqs, res, want))
            if res["errors"]:
                rows.append(f"|  | errors: {res['errors'][:3]} |")
    finally:
        server.stop()
    load = os.getloadavg()
    out = [f"`python benchmarks/bench_service.py --n {n} --concurrency {args.concurrency} "
           f"--workers {args.workers} --client {args.client}{' --kill' if args.kill else ''}"
           f"{'' if args.worker_cache is None else f' --worker-cache {args.worker_cache}'}`"
           f" (nproc {os.cpu_count()}, load average before/after {load[0]:.1f})", "",
           "| run | requests | checks/s | server CPU ms/check | p50 ms | p95 ms | p99 ms | p99 ms normal | p99 ms hostile "
           "| 5xx | no answer | verdict ≠ in-process | statuses |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|", *rows,
           "", f"In-process `tutor.check` on the same {n:,} bank checks, one core, warm, measured "
           f"in this run: {inproc:,.0f} checks/s. Server CPU ms/check is the CPU time of the "
           "server process and its workers per answered check: 2 cores / that figure is the "
           "throughput the server could reach on two idle cores with the client elsewhere.",
           "", "Targets: >= 1,000 checks/s; p99 <= 50 ms; <= 100 ms with the hostile mix; 5xx, "
           "no answer and verdict mismatches all 0."]
    text = "\n".join(out)
    print(text)
    return text


if __name__ == "__main__":
    main()
