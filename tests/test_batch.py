"""`tutor grade FILE`: one output row per input row, in order, always; --jobs, --resume, CSV,
the summary and the progress bar; the same output on a Dask LocalCluster (skipped without dask).
"""
from __future__ import annotations

import io
import json
import os
import pathlib
import subprocess
import sys

import pytest

import tutor
from tutor.service import batch, rows as row_io
from tutor.service.jobs import grade_row

ROOT = pathlib.Path(__file__).resolve().parent.parent
BANK = [json.loads(line) for line in open(ROOT / "tests" / "data" / "grader_bank.jsonl")]
# within every work budget, but its third derivative takes 1.5-4 s of CPU to grade, by the
# machine (the deadlines here are 0.5 s)
SLOW = "tan(x)^x ln(x)^sin(x) + (x^2+1)^x sin(x)^cos(x) + x^sin(x) + cosh(x)^tan(x)"

CORRUPT = [
    ("{not json", "row-json"),
    ("[1, 2, 3]", "row-json"),
    (json.dumps({"id": "no-fn", "answer": "2x"}), "row-field"),
    (json.dumps({"id": "no-answer", "function": "x^2"}), "row-field"),
    (json.dumps({"id": "bad-order", "function": "x^2", "answer": "2x", "order": "two"}), "row-field"),
    (json.dumps({"id": "bad-var", "function": "x^2", "answer": "2x", "var": 7}), "row-field"),
    (json.dumps({"id": "bad-fn", "function": "sin(", "answer": "2x"}), "function-unbalanced"),
    (json.dumps({"id": "huge", "function": "x", "answer": "x" * 70_000}), "row-limit"),
    (json.dumps({"id": "typo", "function": "sin x", "answer": "cos(x"}), None),   # a student's typo
]


def _write_input(path: pathlib.Path, n_good: int = 40, slow: bool = False) -> list:
    """Good rows from the bank with every kind of corrupt row mixed in (and blank lines)."""
    lines, expected = [], []
    for i, r in enumerate(BANK[:n_good]):
        row = {"id": f"s{i}", "function": r["function"], "answer": r["answer"], "var": r["var"],
               "order": r["order"]}
        lines.append(json.dumps(row))
        expected.append(("good", row))
        if i % 4 == 1 and CORRUPT:
            text, code = CORRUPT[(i // 4) % len(CORRUPT)]
            lines.append(text)
            expected.append(("bad", code))
        if i % 9 == 0:
            lines.append("")
    if slow:
        k = len(lines) // 2
        expected.insert(sum(1 for ln in lines[:k] if ln.strip()), ("slow", None))
        lines.insert(k, json.dumps({"id": "slow", "function": SLOW, "answer": "x", "order": 3}))
    path.write_text("\n".join(lines) + "\n")
    return expected


def _rows(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _tutor(*args, stdin=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True,
                          env=env, timeout=120, input=stdin)


def test_one_output_row_per_input_row_in_order_with_corrupt_rows(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    expected = _write_input(src, slow=True)
    r = _tutor("grade", str(src), "-o", str(out), "--jobs", "2", "--deadline", "0.5")
    assert r.returncode == 0, r.stderr
    rows = _rows(out)
    assert len(rows) == len(expected) == sum(1 for ln in src.read_text().splitlines() if ln.strip())
    assert [row["row"] for row in rows] == list(range(1, len(rows) + 1))
    codes = {code for _, code in CORRUPT}
    for row, (kind, want) in zip(rows, expected):
        if kind == "good":
            v = tutor.check(want["function"], want["answer"], want["var"], want["order"])
            assert (row["id"], row["verdict"], row["score"]) == (want["id"], v.verdict, v.score)
            assert row["diagnoses"] == [d.id for d in v.diagnoses]
        elif kind == "slow":
            assert (row["id"], row["verdict"], row["error_code"]) == ("slow", "undetermined", "timeout")
        elif want is None:
            assert row["verdict"] == "invalid" and row["error_code"] not in codes
        else:
            assert row["verdict"] == "invalid" and row["error_code"] == want, row
    assert "verdicts: correct" in r.stderr and "diagnoses:" in r.stderr and "timeout 1" in r.stderr
    assert "\r" not in r.stderr                      # no progress bar when stderr is not a terminal


def test_jobs_do_not_change_the_output_and_resume_finishes_a_torn_file(tmp_path):
    src = tmp_path / "in.jsonl"
    _write_input(src, n_good=60)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    batch.grade_file(str(src), str(one), jobs=1)
    batch.grade_file(str(src), str(two), jobs=2)
    assert one.read_bytes() == two.read_bytes()
    full = one.read_bytes()
    lines = full.splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(lines[:23]) + lines[23][:17])          # 23 rows and a torn line
    summary = batch.grade_file(str(src), str(part), jobs=2, resume=True)
    assert part.read_bytes() == full
    assert summary.resumed == 23 and summary.rows == len(lines) - 23
    summary = batch.grade_file(str(src), str(part), resume=True)     # nothing left to do
    assert summary.rows == 0 and part.read_bytes() == full
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(json.dumps({"id": f"x{i}", "function": "x", "answer": "1"})
                               for i in range(5)) + "\n")
    with pytest.raises(tutor.TutorError, match="another file"):
        batch.grade_file(str(other), str(part), resume=True)


def test_csv_in_and_out(tmp_path):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text('id,student,function,answer,var,order\n'
                   'a1,Ann,x^2,2x,,\n'
                   'a2,"Bo, Jr.","x^2 y",2x y,x,1\n'
                   'a3,Cy,sin(x),"cos(x\n",,\n'
                   '\n'
                   'a4,Di,x^3,,,\n'
                   'a5,Ed,x^3,6x,x,2\n')
    r = _tutor("grade", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    import csv
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [row["id"] for row in rows] == ["a1", "a2", "a3", "a4", "a5"]
    assert [row["verdict"] for row in rows] == ["correct", "correct", "invalid", "invalid", "correct"]
    assert rows[3]["error_code"] == "empty"
    assert all("\n" not in v for row in rows for v in row.values())
    assert len(out.read_text().splitlines()) == 6


def test_stdout_usage_errors_and_missing_file(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "function": "x^2", "answer": "2x"}) + "\n")
    r = _tutor("grade", str(src))
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "correct"
    r = _tutor("grade", "-", stdin=src.read_text())
    assert r.returncode == 0 and json.loads(r.stdout)["id"] == 1
    from tutor.cli import main
    assert main(["grade", str(src), "--resume"]) == 64
    assert "--resume needs -o" in capsys.readouterr().err
    assert main(["grade", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("name,score\nann,3\n")
    assert main(["grade", str(bad)]) == 2
    assert "no column 'function'" in capsys.readouterr().err


def test_progress_bar_on_a_terminal_only():
    class Tty(io.StringIO):
        def isatty(self):
            return True
    stream = Tty()
    bar = batch._Progress(200, stream)
    bar.last = -1.0
    bar.update(50, force=True)
    text = stream.getvalue()
    assert "50/200" in text and "rows/s" in text and "ETA" in text and "25%" in text
    quiet = io.StringIO()
    batch._Progress(200, quiet).update(50, force=True)
    assert quiet.getvalue() == ""


def test_grade_row_never_raises():
    for row in (None, "", "null", "{}", '{"function": "x", "answer": null}', {"function": "x"},
                {"function": "x", "answer": 1}, {"function": "x", "answer": "1", "order": "3"}):
        r = grade_row(row, 7)
        assert r.status == 200 and json.loads(r.body)["row"] == 7


def test_dask_local_cluster_gives_the_same_output(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    from tutor.service import cluster
    monkeypatch.setattr(cluster, "CHUNK", 16)            # several tasks, not one
    src = tmp_path / "in.jsonl"
    _write_input(src, n_good=50)
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    batch.grade_file(str(src), str(local), jobs=1)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as lc:
        batch.grade_file(str(src), str(remote), dask=lc)
    assert remote.read_bytes() == local.read_bytes()


# ---------------------------------------------------------------- rows to workers by problem

def _numbered_rows(problems, n):
    return [(i + 1, json.dumps({"id": i, "function": problems[i % len(problems)], "answer": "1"}))
            for i in range(n)]


def test_the_rows_of_one_problem_go_to_one_worker():
    """Each worker builds the references of its own problems only (a batch's main cost once
    verdicts are memoised): while input is left, a worker is sent only its own problems' rows,
    and the input is read ahead no further than the buffer; at the end a worker with nothing
    of its own left helps the other."""
    from tutor.service.local import _Feeder, problem_of
    feed = _Feeder(_numbered_rows([f"x^{k}" for k in range(2, 12)], 20_000), jobs=2, size=16)
    numbers = []
    while not feed.empty():
        for slot in (0, 1):
            chunk = feed.next_chunk(slot)
            assert len(chunk) <= 16 and feed.buffered <= feed.cap
            numbers += [n for n, _ in chunk]
            own = all(hash(problem_of(row)) % 2 == slot for _, row in chunk)
            assert own or feed.exhausted
    assert sorted(numbers) == list(range(1, 20_001))        # every row once


def test_one_problem_for_every_row_still_keeps_both_workers_busy():
    from tutor.service.local import _Feeder
    feed = _Feeder(_numbered_rows(["x^2"], 200), jobs=2, size=16)
    got = {0: 0, 1: 0}
    while not feed.empty():
        for slot in (0, 1):
            got[slot] += len(feed.next_chunk(slot))
    assert got[0] + got[1] == 200 and got[0] > 0 and got[1] > 0


def test_a_row_that_is_not_a_problem_is_routed_too():
    from tutor.service.local import _Feeder, problem_of
    assert problem_of('{"function": ["x"]}') is None and problem_of("not json") is None
    assert problem_of({"function": "x^2", "var": "x"}) == "x^2"
    assert problem_of(json.dumps({"id": 1, "function": "x^2 \"q", "answer": "2x"})) == "x^2 \\\"q"
    feed = _Feeder([(1, "not json"), (2, '[1, 2]'), (3, '{"function": "x"}')], jobs=2, size=4)
    out = feed.next_chunk(0) + feed.next_chunk(1) + feed.next_chunk(0) + feed.next_chunk(1)
    assert sorted(n for n, _ in out) == [1, 2, 3] and feed.empty()


# ---------------------------------------------------------------- byte ranges (the parent reads no row)

def _edge_file(path: pathlib.Path, n_good: int = 30) -> None:
    """Bank rows, every corrupt row, blank and whitespace lines, lines at and over the limit
    (one of them blank), CRLF, and a last line without its newline."""
    lines = []
    for i, r in enumerate(BANK[:n_good]):
        lines.append(json.dumps({"id": f"e{i}", "function": r["function"], "answer": r["answer"],
                                 "var": r["var"], "order": r["order"]}))
        if i % 3 == 0:
            lines.append(CORRUPT[(i // 3) % len(CORRUPT)][0])
        if i % 7 == 0:
            lines += ["", "   \t", "\r"]
    limit = row_io.ROW_LIMIT
    lines.insert(5, " " * (limit + 5))                                    # blank, but a row
    lines.insert(9, json.dumps({"id": "at", "function": "x", "answer": "1"}).ljust(limit))
    lines.insert(12, "y" * (limit + 1))
    lines.insert(14, json.dumps({"id": "crlf", "function": "x^2", "answer": "2x"}) + "\r")
    lines.append(json.dumps({"id": "last", "function": "x^3", "answer": "3x^2"}))   # no newline
    path.write_bytes("\n".join(lines).encode("utf-8"))


def test_byte_ranges_tile_the_file_at_line_starts_and_count_its_rows(tmp_path):
    """Every range size: the ranges cover the file end to end, each ends after a b"\\n" (or at
    the end), and their row counts are what the row reader finds in them."""
    src = tmp_path / "edge.jsonl"
    _edge_file(src, n_good=12)
    data = src.read_bytes()
    with open(src, "rb") as fh:
        total = sum(1 for _ in row_io.rows_at(fh))
        for size, small, every in [(n, None, 1) for n in (1, 2, 7, 100, 1000, 65_536, 65_537, 70_000,
                                                        len(data) - 1, len(data), 1 << 30)] + [
                (256 * 1024, 10, 1), (256 * 1024, 4096, 2), (70_000, 100, 3)]:
            cuts = list(row_io.byte_ranges(fh, 0, size, small, every))
            if small:       # growing: `every` ranges of each size
                assert cuts[0][1] - cuts[0][0] < 2 * small + row_io.ROW_LIMIT
            assert cuts[0][0] == 0 and cuts[-1][1] == len(data)
            assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
            assert all(data[end - 1:end] == b"\n" for _, end, _ in cuts[:-1])
            for start, end, rows in cuts:
                fh.seek(start)
                assert rows == sum(1 for _ in row_io.rows_at(fh, 1, end - start)), (size, start)
            assert sum(rows for _, _, rows in cuts) == total
            first = 1
            for start, end, rows in cuts:      # numbered from `first`, every row once
                fh.seek(start)
                assert [n for n, _, _ in row_io.rows_at(fh, first, end - start)] == \
                    list(range(first, first + rows))
                first += rows
    with open(src, "rb") as fh:
        assert [r for _, r in row_io.jsonl_rows(fh)] == [r for _, r in batch.read_rows(str(src))]
    assert batch.count_rows(str(src)) == total          # the progress bar's total, by ranges


def _feeder_path(src, out, jobs: int = 2, deadline: float = 2.0) -> None:
    """The row path (`Grader.grade`, the parent reads and sends every row): what CSV and
    standard input still use."""
    w = batch._Writer(str(out), append=False)
    for _, result in batch._results(batch.read_rows(str(src)), jobs, None, deadline):
        w.write(result.body)
    w.close()


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_byte_ranges_give_the_row_paths_bytes(tmp_path, suffix):
    src = tmp_path / "edge.jsonl"
    _edge_file(src)
    old = tmp_path / f"old.{suffix}"
    _feeder_path(src, old)
    for jobs in (1, 2, 3):
        new = tmp_path / f"new{jobs}.{suffix}"
        summary = batch.grade_file(str(src), str(new), jobs=jobs)
        assert new.read_bytes() == old.read_bytes(), jobs
        assert summary.rows == len(old.read_text().splitlines()) - (suffix == "csv")
    rows = _rows(old) if suffix == "jsonl" else []
    if rows:
        assert [r["row"] for r in rows] == list(range(1, len(rows) + 1))
        assert rows[-1]["id"] == "last" and sum(r["error_code"] == "row-limit" for r in rows) >= 3


def test_a_file_just_over_one_range_and_summaries_merged(tmp_path, monkeypatch):
    from tutor.service import local
    src = tmp_path / "in.jsonl"
    _write_input(src, n_good=60)
    one = tmp_path / "one.jsonl"
    _feeder_path(src, one, jobs=1)
    want = batch.Summary()
    for _, result in batch._results(batch.read_rows(str(src)), 1, None, 2.0):
        want.add(result)
    size = src.stat().st_size
    for cut in (size - 1, size - 40, size // 2 + 1):      # one range and a bit, two ranges
        monkeypatch.setattr(local, "RANGE", cut)
        out = tmp_path / f"out{cut}.jsonl"
        got = batch.grade_file(str(src), str(out), jobs=1)
        assert out.read_bytes() == one.read_bytes()
        got.seconds = want.seconds = 0
        assert got.text(None) == want.text(None)
        assert (got.verdicts, got.diagnoses, got.reasons) == (want.verdicts, want.diagnoses, want.reasons)


def test_resume_on_byte_ranges_starts_after_the_last_row_done(tmp_path):
    src = tmp_path / "edge.jsonl"
    _edge_file(src)
    full = tmp_path / "full.csv"
    batch.grade_file(str(src), str(full), jobs=2)
    lines = full.read_bytes().splitlines(keepends=True)
    for cut in (1, 2, 11, len(lines) - 1):     # the header only, one row, some, all but one
        part = tmp_path / f"part{cut}.csv"
        part.write_bytes(b"".join(lines[:cut]) + lines[cut][:9])
        summary = batch.grade_file(str(src), str(part), jobs=2, resume=True)
        assert part.read_bytes() == full.read_bytes()
        assert summary.resumed == cut - 1 and summary.rows == len(lines) - cut


def test_a_slow_row_past_the_deadline_on_byte_ranges(tmp_path):
    """The stuck row is found again in its range's bytes and answered `timeout`; the rest of
    its range is graded by the new worker: the same bytes as the row path."""
    src = tmp_path / "in.jsonl"
    expected = _write_input(src, n_good=30, slow=True)
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    _feeder_path(src, old, jobs=2, deadline=0.5)
    summary = batch.grade_file(str(src), str(new), jobs=2, deadline=0.5)
    assert new.read_bytes() == old.read_bytes()
    import csv
    rows = list(csv.DictReader(io.StringIO(new.read_text())))
    slow = [i for i, (kind, _) in enumerate(expected) if kind == "slow"][0]
    assert (rows[slow]["id"], rows[slow]["error_code"]) == ("slow", "timeout")
    assert "ran past the 0.5 s deadline" in rows[slow]["feedback"]
    assert summary.reasons["timeout"] == 1 and summary.rows == len(expected)


@pytest.mark.parametrize("fork", [False, True])
def test_a_slow_row_after_read_back_repeats_is_the_row_blamed(tmp_path, monkeypatch, fork):
    """Repeats a worker reads back from what it learned go out in bursts (rows.BURST), but every
    line before a graded row is written before its grading starts: a slow row after hundreds of
    repeats is the one answered `timeout`, and every repeat before and after it has its verdict.
    Workers spawned here with buffered output (no PYTHONUNBUFFERED: only flushes send lines),
    and forked ones (from a fresh process, `_driven`, the stuck row one that sleeps)."""
    src = tmp_path / "in.jsonl"
    repeat = {"function": "x^2", "answer": "2x"}
    n = row_io.BURST + 40               # more than one burst before the slow row, part of one after
    lines = [json.dumps({"id": f"a{i}", **repeat}) for i in range(n)]
    stuck = {"function": "x", "answer": "sleep-me"} if fork else {"function": SLOW, "answer": "x", "order": 3}
    lines.append(json.dumps({"id": "slow", **stuck}))
    lines += [json.dumps({"id": f"b{i}", **repeat}) for i in range(n)]
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    if fork:
        assert _driven(src, out, 1, 0.5) == {"fork": True, "restarts": {"timeout": 1}}
    else:
        monkeypatch.setenv("TUTOR_GRADE_FORK", "0")
        batch.grade_file(str(src), str(out), jobs=1, deadline=0.5)
    rows = _rows(out)
    assert [r["id"] for r in rows] == [json.loads(ln)["id"] for ln in lines]
    assert [r["row"] for r in rows] == list(range(1, len(lines) + 1))
    assert (rows[n]["id"], rows[n]["error_code"]) == ("slow", "timeout")
    assert all(r["verdict"] == "correct" for i, r in enumerate(rows) if i != n)


def _recording_grader(monkeypatch):
    from tutor.service import local
    graders = []

    class Recording(local.Grader):
        def __enter__(self):
            graders.append(self)
            return super().__enter__()
    monkeypatch.setattr(local, "Grader", Recording)
    return graders


def test_a_worker_killed_midway_loses_no_row(tmp_path, monkeypatch):
    import signal
    src = tmp_path / "in.jsonl"
    _write_input(src, n_good=300)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    batch.grade_file(str(src), str(one), jobs=1)
    graders = _recording_grader(monkeypatch)

    class KillOnce:
        total = None

        def update(self, done):
            if done >= 40 and not hasattr(self, "killed"):
                w = next(w for w in graders[0].workers if w.pieces)
                self.killed = w.proc.pid
                os.kill(w.proc.pid, signal.SIGKILL)

        def end(self):
            pass
    bar = KillOnce()
    batch.grade_file(str(src), str(two), jobs=2, progress=bar)
    assert bar.killed and graders[0].restarts["crash"] == 1
    assert two.read_bytes() == one.read_bytes()


def test_a_row_that_kills_its_worker_twice_is_worker_crashed(tmp_path, monkeypatch):
    """A worker that dies on its own has its row retried once (by a new worker), then the row
    is answered `worker-crashed`: on both paths, with the same bytes."""
    from tutor.service import local
    argv, env = local.command()
    code = ("import os; from tutor.service import jobs, worker; g = jobs.grade_row; "
            "jobs.grade_row = lambda row, n: os._exit(3) if 'crash-me' in str(row) else g(row, n); "
            "worker.main()")
    monkeypatch.setattr(local, "command", lambda: ([argv[0], "-c", code], env))
    src = tmp_path / "in.jsonl"
    _write_input(src, n_good=40)
    lines = src.read_text().splitlines()
    lines.insert(20, json.dumps({"id": "boom", "function": "x", "answer": "crash-me"}))
    src.write_text("\n".join(lines) + "\n")
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    _feeder_path(src, old, jobs=2)
    graders = _recording_grader(monkeypatch)
    batch.grade_file(str(src), str(new), jobs=2)
    assert new.read_bytes() == old.read_bytes()
    assert graders[0].restarts["crash"] == 2
    boom = [r for r in _rows(new) if r["id"] == "boom"]
    assert len(boom) == 1 and boom[0]["error_code"] == "worker-crashed"
    assert len(_rows(new)) == sum(1 for ln in lines if ln.strip())


def test_every_line_before_a_graded_row_is_out_before_its_grading_starts(tmp_path, monkeypatch):
    """The invariant the per-row deadline rests on, at the pipe: when grade_range starts grading
    a row, the line of every row before it can be read from the worker's (buffered) output,
    however few read-back repeats precede it (a burst smaller than the text layer's buffer
    included), and the summary line ends each range."""
    import fcntl
    import select
    from tutor.service import jobs
    src = tmp_path / "in.jsonl"
    rows = []
    for k in (1, 3, row_io.BURST + 5, 20):      # repeats, then a new row to grade
        rows += [{"function": "x^2", "answer": "2x"}] * k + [{"function": "x^3", "answer": f"{k}x^2"}]
    src.write_text("".join(json.dumps({"id": f"r{i}", **r}) + "\n" for i, r in enumerate(rows)))
    r, w = os.pipe()
    try:
        fcntl.fcntl(w, 1031, 1 << 20)           # F_SETPIPE_SZ: room for every line
    except OSError:
        pass
    out = io.TextIOWrapper(io.BufferedWriter(io.FileIO(w, "w", closefd=False)), encoding="utf-8")
    got, seen = bytearray(), []

    def drain():
        while select.select([r], [], [], 0)[0]:
            got.extend(os.read(r, 1 << 20))
    grade = jobs.grade_row

    def graded(row, n):
        drain()
        seen.append((n, got.count(b"\n")))
        return grade(row, n)
    monkeypatch.setattr(jobs, "grade_row", graded)
    monkeypatch.setattr(row_io, "_LEARNED", None)
    job = {"path": str(src), "start": 0, "end": src.stat().st_size, "first": 1, "format": "jsonl",
           "share": None}
    row_io.grade_range(job, out)
    drain()
    os.close(r)
    os.close(w)
    assert seen and all(lines == n - 1 for n, lines in seen), seen
    assert len(seen) == 5                       # "2x" once, then each new row: the rest read back
    *lines, summary = got.decode().splitlines()
    assert [json.loads(ln)["row"] for ln in lines] == list(range(1, len(rows) + 1))
    assert json.loads(summary)["rows"] == len(rows)


#: grade_file in a fresh process with no other thread (forking is for such a parent: pytest's
#: may have threads left by other tests, and then the pool spawns), rows holding "crash-me"
#: killing the worker that grades them and rows holding "sleep-me" stuck in it (forked workers
#: only: spawned ones grade them as rows), and what the pool did printed as JSON
_DRIVER = """
import json, os, sys
from tutor.service import batch, jobs, local
grade = jobs.grade_row
def graded(row, n):
    if "crash-me" in str(row):
        os._exit(3)
    if "sleep-me" in str(row):
        import time
        time.sleep(60)
    return grade(row, n)
jobs.grade_row = graded
seen = []
class Recording(local.Grader):
    def __enter__(self):
        seen.append(self)
        return super().__enter__()
local.Grader = Recording
batch.grade_file(sys.argv[1], sys.argv[2], jobs=int(sys.argv[3]), deadline=float(sys.argv[4]))
print(json.dumps({"fork": seen[0].fork, "restarts": dict(seen[0].restarts)}))
"""


def _driven(src, out, jobs: int, deadline: float = 2.0, fork: bool = True) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TUTOR_GRADE_FORK": "1" if fork else "0"}
    p = subprocess.run([sys.executable, "-c", _DRIVER, str(src), str(out), str(jobs), str(deadline)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.splitlines()[-1])


def test_forked_workers_give_the_spawned_workers_bytes_and_replace_stopped_ones(tmp_path):
    """A batch's workers are forked from the warmed parent where it is safe (local.can_fork):
    the output is the same as with spawned workers, with a slow row past the deadline (its
    worker killed, a new one forked) and a row that crashes its worker twice (retried once by
    a new fork, then worker-crashed)."""
    src = tmp_path / "in.jsonl"
    _write_input(src, n_good=40, slow=True)
    lines = src.read_text().splitlines()
    lines.insert(30, json.dumps({"id": "boom", "function": "x", "answer": "crash-me"}))
    src.write_text("\n".join(lines) + "\n")
    spawned, forked = tmp_path / "spawned.jsonl", tmp_path / "forked.jsonl"
    was = _driven(src, spawned, 2, 0.5, fork=False)
    now = _driven(src, forked, 2, 0.5)
    assert was["fork"] is False and now["fork"] is True
    # the driver's crash-me patch lives in its own process: forks have it, spawned workers not
    assert was["restarts"] == {"timeout": 1} and now["restarts"] == {"timeout": 1, "crash": 2}
    assert [r for r in _rows(forked) if r["id"] != "boom"] == [r for r in _rows(spawned) if r["id"] != "boom"]
    rows = {r["id"]: r for r in _rows(forked)}
    assert rows["slow"]["error_code"] == "timeout" and rows["boom"]["error_code"] == "worker-crashed"
    assert [r["row"] for r in _rows(forked)] == list(range(1, sum(1 for ln in lines if ln.strip()) + 1))


def test_learned_rows_are_the_graded_bytes_and_shared(tmp_path, monkeypatch):
    """A worker remembers every graded row's output (row_io._Learned) and shares it through the
    batch's file: a row served from there is the same bytes as grading it (its id and number
    its own; the fields' types tell rows apart: order 1, "1", 1.0 and true are not one row),
    and another worker reading the file grades none of those rows again."""
    from tutor.service import jobs
    base = [{"function": r["function"], "answer": r["answer"], "var": r["var"], "order": r["order"]}
            for r in BANK[:15]]
    variants = [{"function": "x^2", "answer": "2x", "order": o} for o in (1, "1", 1.0, True, "", None)]
    variants += [{"function": "2x", "answer": a} for a in (2, "2", 2.0, "2 ")]
    variants += [{"function": "x^2", "answer": "2x", "var": v} for v in ("x", "", None, "y")]
    lines = [json.dumps({"id": f"r{i}", **row}) for i, row in
             enumerate((base + variants) * 3 + [{"id": [1], "function": "x", "answer": "1"}])]
    lines += ["{not json", json.dumps({"id": "big", "function": "x", "answer": "x" * 70_000})]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    want = tmp_path / "want.jsonl"
    _feeder_path(src, want, jobs=1)
    share = tmp_path / "learned"
    share.write_bytes(b"")
    job = {"path": str(src), "start": 0, "end": src.stat().st_size, "first": 1, "format": "jsonl",
           "share": str(share)}
    monkeypatch.setattr(row_io, "_LEARNED", None)
    once, grade = [], jobs.grade_row
    monkeypatch.setattr(jobs, "grade_row", lambda row, n: once.append(n) or grade(row, n))
    first = io.StringIO()
    row_io.grade_range(job, first)
    monkeypatch.setattr(jobs, "grade_row", grade)
    # a row with a verdict is graded once, however cheap: its repeats are read back
    m, out = len(base + variants), _rows(want)
    again = [out[n - 1]["error_code"] or "" for n in once if m < n <= 3 * m]
    assert all(c in row_io._ROW_CODES or c.startswith("function-") for c in again), again
    *rows, counts = first.getvalue().splitlines(keepends=True)
    assert "".join(rows) == want.read_text() and json.loads(counts)["rows"] == len(rows)
    assert share.stat().st_size > 0
    monkeypatch.setattr(row_io, "_LEARNED", None)         # another worker: it reads the file
    graded = []
    monkeypatch.setattr(jobs, "grade_row", lambda row, n: graded.append(n) or grade(row, n))
    second = io.StringIO()
    row_io.grade_range(job, second)
    assert second.getvalue() == first.getvalue()
    codes = {out[n - 1]["error_code"] for n in graded}      # grade_row's own answers only
    assert graded and all(c in row_io._ROW_CODES or c.startswith("function-") for c in codes), codes
    assert sum(1 for r in out if r["verdict"] in ("correct", "incorrect")) > 40


@pytest.mark.parametrize("rid", ["r1", "é\u2028\"\\\t", "", 7, -3, 10**30, 2.5, float("nan"), True,
                                 None, [1], {"a": 1}])
def test_a_read_back_rows_head_is_what_grading_it_writes(rid):
    """rows._head writes `{"id":ID,"row":N,` by hand for string and int ids: the same text as
    jobs.dumps of the row grade_row builds (its id through row_id), for every kind of id."""
    from tutor.service import jobs
    d = {"id": rid, "function": "x^2", "answer": "2x"}
    assert row_io._head(d, 42) == jobs.dumps({"id": row_io.row_id(d), "row": 42})[:-1] + ","
