"""Smoke test for benchmarks/: each script imports and runs on 2-3 problems with tiny repeat
counts, so the scripts cannot rot. No timing assertions (the machine is shared)."""
from __future__ import annotations

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import _common, bench_engine, bench_grader, bench_parse, run_all  # noqa: E402


def test_common_helpers():
    assert _common.percentile([1, 2, 3, 4, 5], 50) == 3
    assert _common.percentile([1, 2, 3], 100) == 3
    assert _common.fmt_time(0.0015) == "1.50 ms"
    assert _common.table(["a", "b"], [[1, 2]]).splitlines()[1] == "|---|---|"
    assert len(_common.load_jsonl("seeds")) >= 20


def test_parse_bench_tokens_and_throughput():
    assert 18 <= bench_parse.count_tokens(bench_parse.SMALL) <= 30
    assert 1900 <= bench_parse.count_tokens(bench_parse.big_input()) <= 2100
    md, res = bench_parse.throughput(repeat=1)
    assert "tok/s" in md and len(res) == 2 and all(r["ours"] > 0 for r in res)


def test_parse_bench_cold_start_one_run():
    md, res = bench_parse.cold_start(runs=1)
    assert "python -m tutor parse x" in res and "Target" in md


def test_engine_bench_three_problems():
    res = bench_engine.time_problems(bench_engine.corpus(3), repeat=1)
    assert [r["id"] for r in res] == ["seed-01", "seed-02", "seed-03"]
    assert all(r["ours"] > 0 and r["cold"] > 0 and r["len_ratio"] <= 1.5 for r in res)
    assert "Answer length" in bench_engine.corpus_report(res, 1)


@pytest.mark.parametrize("kind", list(bench_engine.SCALES))
def test_engine_bench_scaling_tiny(kind):
    md, res = bench_engine.scaling(1, kinds=[kind], sizes=(4, 8))
    assert set(res) == {(kind, 4), (kind, 8)}


def test_grader_bench_bank_and_mix():
    cases = bench_grader._cases(_common.load_jsonl("grader_bank"))[:3]
    ours = bench_grader.time_ours(cases, passes=1)
    assert set(ours) == {"cold", "fresh", "warm"}
    sym = bench_grader.sympy_grader(cases[:2])
    assert sym["n"] == 2 and sym["errors"] == 0
    prob = _common.load_jsonl("practice")[0]
    mix = bench_grader.answer_mix(prob)
    assert 15 <= len(mix) <= 25 and any(ok for _, ok in mix) and not all(ok for _, ok in mix)


def test_scripts_main_quick(capsys, monkeypatch, tmp_path):
    """Each script's main runs end to end on a couple of problems and prints a table."""
    assert "| ~20 tokens" in bench_parse.main(["--repeat", "1", "--no-cold"])
    assert "Worked solutions" in bench_engine.main(["--limit", "2", "--repeat", "1", "--no-scaling"])
    out = bench_grader.main(["--limit", "3", "--passes", "1", "--sympy-cases", "2",
                             "--mix-repeat", "1"])
    assert "Median textbook problem" in out
    assert run_all.SCRIPTS == ("bench_parse", "bench_engine", "bench_grader")


def test_gc_bench_runs_both_policies():
    from benchmarks import bench_gc
    md = bench_gc.main(["--checks", "30"])
    assert "| default | 30 |" in md and "| worker | 30 |" in md


def test_batch_bench_measures_the_machine():
    from benchmarks import bench_batch
    alone, both, ceiling = bench_batch.machine_parallelism(200_000)
    assert alone > 0 and both > 0 and ceiling > 0


def test_grader_bench_says_where_a_fresh_checks_time_goes():
    text = bench_grader.where_time_goes(bench_grader.textbook_bank(2), passes=1)
    assert "of which the cyclic garbage collector" in text and "reading" in text
