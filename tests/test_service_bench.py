"""Smoke test for benchmarks/bench_service.py and bench_batch.py: each runs on a handful of
requests or rows so the scripts cannot rot. No timing assertions (the machine is shared)."""
from __future__ import annotations

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def test_bench_batch_counts_rows():
    from benchmarks import bench_batch
    text = bench_batch.main(["--rows", "120", "--corrupt", "0.05", "--jobs", "1,2"])
    assert text.count("| yes |") == 2 and "--jobs 2" in text
    assert "Two --jobs 1 runs of the same file started together" in text


def test_bench_service_small_run():
    pytest.importorskip("uvicorn")
    pytest.importorskip("httpx")
    from benchmarks import bench_service
    text = bench_service.main(["--n", "60", "--concurrency", "4", "--hostile", "0.1",
                               "--client", "raw", "--cap", "60"])
    rows = [ln for ln in text.splitlines() if ln.startswith("| bank")]
    assert len(rows) == 2
    for row in rows:       # 5xx, no answer, verdict mismatches: all zero
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[11:14] == ["0", "0", "0"], row


def _worker_lines(jobs: list[str], cache: str) -> list[str]:
    import subprocess
    from tutor.service.worker import command
    argv, env = command()
    env["TUTOR_WORKER_CACHE"] = cache
    out = subprocess.run(argv, input="".join(jobs), capture_output=True, text=True, env=env,
                         timeout=120, encoding="utf-8").stdout.splitlines(keepends=True)
    assert out[0] == "ready\n"
    return out[1:]


def test_worker_cache_answers_a_repeat_as_the_grader_does():
    """A repeated check is answered from the worker's cache with the very line grading gives;
    a bad problem (422) and the cache switched off give the same lines too."""
    import json
    jobs = [json.dumps({"op": "check", "args": a}) + "\n" for a in (
        {"function": "x^2", "answer": "2x"}, {"function": "sin(x)", "answer": "cos x"},
        {"function": "x^2", "answer": "2x"}, {"function": "x^", "answer": "2x"},
        {"function": "x^", "answer": "2x"}, {"function": "sin(x)", "answer": "cos x"})]
    cached, fresh = _worker_lines(jobs, "4096"), _worker_lines(jobs, "0")
    assert cached == fresh and len(cached) == 6
    assert cached[0] == cached[2] and cached[1] == cached[5] and cached[3] == cached[4]
    assert [ln.split("\t")[:2] for ln in cached[:4]] == [
        ["200", "correct"], ["200", "correct"], ["200", "correct"], ["422", ""]]
    tiny = _worker_lines(jobs, "1")          # a cache of one entry drops the oldest
    assert tiny == fresh
