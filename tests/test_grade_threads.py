"""The grader under threads: an LMS grading on a thread pool gets the verdicts one thread gets.

Every cache of the grader (parsed answers, references, wrong derivatives) holds immutable
values keyed by what determines them; this grades the bank from 8 threads at once, from cold
caches so that threads race to build the same references, and compares every verdict,
score, feedback and diagnosis with a sequential run."""
from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor

from conftest import DATA
from tutor.grade import check, check_work, clear_caches

BANK = [json.loads(line) for line in (DATA / "grader_bank.jsonl").read_text().splitlines()]


def _grade(row: dict) -> dict:
    return check(row["function"], row["answer"], row["var"], row["order"],
                 allow_calculus=row.get("allow_calculus", False)).to_dict()


def test_threads_grade_as_one_thread():
    rows = BANK * 2                      # each problem graded by several threads
    random.Random(8).shuffle(rows)
    clear_caches()
    sequential = [_grade(r) for r in rows]
    clear_caches()                       # cold again: the threads race to fill every cache
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(_grade, rows))
    assert threaded == sequential


def test_threads_check_work_and_warm_caches():
    works = [(r["function"], ["= " + r["answer"]], r["var"]) for r in BANK[::5]]
    sequential = [check_work(f, lines, v).to_dict() for f, lines, v in works]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda w: check_work(*w).to_dict(), works * 3))
    assert threaded == sequential * 3


def test_clear_caches_never_changes_a_verdict():
    row = next(r for r in BANK if r["diagnoses"])
    first = _grade(row)
    clear_caches(references=False)
    assert _grade(row) == first
    clear_caches()
    assert _grade(row) == first


def _mutable_parts(value, path="value", seen=None):
    """Paths to every mutable container (list, dict, set, unfrozen dataclass) inside value."""
    import dataclasses
    from types import MappingProxyType
    seen = set() if seen is None else seen
    if id(value) in seen or callable(value) or isinstance(value, (str, bytes, int, float, type(None))):
        return []
    seen.add(id(value))
    if isinstance(value, (list, dict, set, bytearray)):
        return [path]
    if isinstance(value, MappingProxyType):
        return [p for k, v in value.items() for p in _mutable_parts(v, f"{path}[{k!r}]", seen)]
    if isinstance(value, (tuple, frozenset)):
        return [p for i, v in enumerate(value) for p in _mutable_parts(v, f"{path}[{i}]", seen)]
    if dataclasses.is_dataclass(value):
        out = [] if value.__dataclass_params__.frozen else [path]
        for f in dataclasses.fields(value):
            out += _mutable_parts(getattr(value, f.name), f"{path}.{f.name}", seen)
        return out
    return []


def test_cached_values_are_immutable():
    from tutor.grade.answer import read
    from tutor.grade.diagnose import suspects
    from tutor.grade.equivalence import Options
    from tutor.grade.reference import reference_for
    for function, var in (("x^2 sin x", None), ("(x + 1)/(x - 1)", "x"), ("x^2 y + ln(3x - 2)", "x")):
        ref = reference_for(function, var, 1, "auto", Options())
        assert _mutable_parts(ref) == []
        assert _mutable_parts(suspects(ref)) == []
    assert _mutable_parts(read("2x cos(x^2) + d/dx(x^2)", "auto")) == []
