"""Prometheus metrics of the service, kept in the server process, written as text format 0.0.4.

    tutor_requests_total{endpoint, status}            every answered request
    tutor_request_duration_seconds{endpoint}          latency histogram (receipt to response)
    tutor_verdicts_total{endpoint, verdict}           verdicts given by check and check-work
    tutor_timeouts_total{endpoint}                    jobs stopped at the deadline
    tutor_worker_restarts_total{reason}               workers replaced (timeout, crash, overflow)
    tutor_workers{state}                              idle, busy, spare, starting (gauges)
    tutor_queue_length                                requests waiting for a worker
    tutor_cache_hits_total{endpoint}                  answered from the response cache (cache.py)
    tutor_cache_entries                               keys in the response cache (gauge)

No client library: the format is a few lines of text, and the counters are plain dicts (one
event loop, so no locks).
"""
from __future__ import annotations

from collections import Counter

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _labels(**kv) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in kv.items())
    return "{" + inner + "}" if inner else ""


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Metrics:
    def __init__(self):
        self.requests: Counter = Counter()      # (endpoint, status)
        self.verdicts: Counter = Counter()      # (endpoint, verdict)
        self.timeouts: Counter = Counter()      # endpoint
        self.restarts: Counter = Counter()      # reason
        self.cache_hits: Counter = Counter()    # endpoint
        self._hist: dict[str, list] = {}        # endpoint -> [bucket counts..., +Inf, sum]

    def request(self, endpoint: str, status: int, seconds: float, verdict: str = "") -> None:
        self.requests[(endpoint, status)] += 1
        if verdict:
            self.verdicts[(endpoint, verdict)] += 1
        h = self._hist.get(endpoint)
        if h is None:
            h = self._hist[endpoint] = [0] * (len(BUCKETS) + 2)
        for i, b in enumerate(BUCKETS):
            if seconds <= b:
                h[i] += 1
                break
        else:
            h[len(BUCKETS)] += 1
        h[-1] += seconds

    def cache_hit(self, endpoint: str) -> None:
        self.cache_hits[endpoint] += 1

    def timeout(self, endpoint: str) -> None:
        self.timeouts[endpoint] += 1

    def worker_restart(self, reason: str) -> None:
        self.restarts[reason] += 1

    def text(self, pool_status: dict | None = None, cache_entries: int | None = None) -> str:
        out = ["# HELP tutor_requests_total Requests answered, by endpoint and HTTP status.",
               "# TYPE tutor_requests_total counter"]
        out += [f"tutor_requests_total{_labels(endpoint=e, status=s)} {n}"
                for (e, s), n in sorted(self.requests.items())]
        out += ["# HELP tutor_request_duration_seconds Time from receipt to response.",
                "# TYPE tutor_request_duration_seconds histogram"]
        for e, h in sorted(self._hist.items()):
            running = 0
            for b, n in zip(BUCKETS + ("+Inf",), h[:-1]):
                running += n
                out.append(f"tutor_request_duration_seconds_bucket{_labels(endpoint=e, le=b)} {running}")
            out.append(f"tutor_request_duration_seconds_sum{_labels(endpoint=e)} {h[-1]:.6f}")
            out.append(f"tutor_request_duration_seconds_count{_labels(endpoint=e)} {running}")
        out += ["# HELP tutor_verdicts_total Verdicts given, by endpoint and verdict.",
                "# TYPE tutor_verdicts_total counter"]
        out += [f"tutor_verdicts_total{_labels(endpoint=e, verdict=v)} {n}"
                for (e, v), n in sorted(self.verdicts.items())]
        out += ["# HELP tutor_timeouts_total Jobs stopped at the deadline.",
                "# TYPE tutor_timeouts_total counter"]
        out += [f"tutor_timeouts_total{_labels(endpoint=e)} {n}" for e, n in sorted(self.timeouts.items())]
        out += ["# HELP tutor_worker_restarts_total Worker processes replaced, by reason.",
                "# TYPE tutor_worker_restarts_total counter"]
        for reason in sorted(set(self.restarts) | {"timeout", "crash"}):
            out.append(f"tutor_worker_restarts_total{_labels(reason=reason)} {self.restarts[reason]}")
        if pool_status is not None:
            out += ["# HELP tutor_workers Worker processes by state.", "# TYPE tutor_workers gauge"]
            for state, key in (("idle", "idle"), ("busy", "busy"), ("spare", "spares"),
                               ("starting", "starting")):
                out.append(f"tutor_workers{_labels(state=state)} {pool_status[key]}")
            out += ["# HELP tutor_queue_length Requests waiting for a free worker.",
                    "# TYPE tutor_queue_length gauge", f"tutor_queue_length {pool_status['queued']}"]
        out += ["# HELP tutor_cache_hits_total Requests answered from the response cache.",
                "# TYPE tutor_cache_hits_total counter"]
        out += [f"tutor_cache_hits_total{_labels(endpoint=e)} {n}" for e, n in sorted(self.cache_hits.items())]
        if cache_entries is not None:
            out += ["# HELP tutor_cache_entries Keys in the response cache.",
                    "# TYPE tutor_cache_entries gauge", f"tutor_cache_entries {cache_entries}"]
        return "\n".join(out) + "\n"
