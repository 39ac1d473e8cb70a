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
        assert cells[9:12] == ["0", "0", "0"], row
