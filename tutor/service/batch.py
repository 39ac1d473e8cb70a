"""`tutor grade FILE`: grade every row of a JSONL or CSV file, one output row per input row.

    grade_file("answers.jsonl", "verdicts.jsonl", jobs=2)      -> Summary
    tutor grade answers.csv -o verdicts.jsonl --jobs 2 [--resume] [--dask tcp://host:8786]

Input rows are {id, function, answer, var?, order?} (JSONL: one object a line; CSV: a header
with those columns, other columns ignored); blank lines are not rows. The output (JSONL, or
CSV when OUT ends in .csv) has exactly one row per input row, in input order, always:

    {"id", "row", "verdict", "score", "diagnoses": [ids], "error_code", "feedback",
     "expected", "answer"}

A row that is not JSON, lacks a field, is longer than 64 KiB, or names a function that cannot
be worked is `invalid` with its error_code (row-json, row-field, row-limit, function-...); a
row past the deadline is `undetermined` (timeout). `--resume` keeps the complete rows already
in OUT (a torn last line is dropped), checks that their ids match FILE, and grades the rest.
A progress bar (rate, ETA) is drawn on standard error when it is a terminal; the summary (counts
per verdict, per diagnosis, per reason) is printed on standard error at the end.

Two paths, one output. A JSONL file goes to the workers as byte ranges cut at line starts
(`rows.byte_ranges`, `local.Grader.grade_ranges`): a worker reads its range itself, grades it
(`rows.grade_range`) and sends back the output rows' text, so the parent touches no row (at
~25 us a row it had been as busy as a worker: a third core on two). CSV input, standard input
and Dask keep the row path (`read_rows` -> `Grader.grade`, `cluster`): a quoted CSV field may
hold a newline, so a CSV file cannot be cut at newlines without reading it, and standard input
cannot be seeked or read twice. Both paths share the row reader (`rows.rows_at`), the output
text (`rows.row_text`) and the counting (`rows.Summary.count`), all in `rows`, which the
worker imports without the parent's command: the same file gives the same bytes either way.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import time

from tutor import TutorError

from . import DEFAULT_DEADLINE
from .rows import CSV_COLUMNS, Summary, count_rows, input_kind, read_rows, row_id, row_text, rows_at

# ------------------------------------------------------------------ writing rows

class _Writer:
    def __init__(self, out: str | None, append: bool):
        self.csv = bool(out) and out.lower().endswith(".csv")
        if out is None:
            self.fh = sys.stdout
        else:
            try:
                self.fh = open(out, "a" if append else "w", encoding="utf-8", newline="")
            except OSError as exc:
                raise TutorError(f"cannot write {out}: {exc.strerror}", code="io") from None
        self.close_it = out is not None
        self.writer = csv.writer(self.fh, lineterminator="\n") if self.csv else None
        self.raw = getattr(self.fh, "buffer", None)     # the bytes under the text, if any
        self.texty = False                              # text written since the last bytes
        if self.csv and not append:
            self.writer.writerow(CSV_COLUMNS)
            self.texty = True

    def write(self, body: str) -> None:
        self.fh.write(row_text(body, self.csv))
        self.texty = True

    def write_bytes(self, data: bytes) -> None:
        """Output rows already as UTF-8 text (a worker's byte range), written as they came:
        decoding them to write them through the text layer was a quarter of the parent's
        own work in a batch of repeated answers."""
        if self.raw is None:
            self.fh.write(data.decode("utf-8"))
            return
        if self.texty:
            self.fh.flush()
            self.texty = False
        self.raw.write(data)

    def close(self) -> None:
        self.fh.flush()
        if self.close_it:
            self.fh.close()


def done_rows(out: str) -> list:
    """The ids of the complete rows already in OUT (a torn last line is cut off the file)."""
    if not os.path.exists(out):
        return []
    with open(out, "rb") as fh:
        data = fh.read()
    cut = data.rfind(b"\n") + 1
    if cut < len(data):
        with open(out, "r+b") as fh:
            fh.truncate(cut)
    lines = data[:cut].decode("utf-8", errors="replace").splitlines()
    if out.lower().endswith(".csv"):
        records = list(csv.reader(lines))[1:]
        return [(r[0] if r else "") for r in records]
    ids = []
    for i, line in enumerate(lines, 1):
        try:
            d = json.loads(line)
            assert d["row"] == i
        except (ValueError, KeyError, TypeError, AssertionError):
            raise TutorError(f"{out} line {i} is not a row of tutor grade: cannot resume", code="io") from None
        ids.append(d.get("id"))
    return ids


# ------------------------------------------------------------------ progress and summary

class _Progress:
    def __init__(self, total: int | None, stream=None):
        self.stream = stream or sys.stderr
        self.on = self.stream.isatty()
        self.total, self.t0, self.last = total, time.monotonic(), 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.on or (now - self.last < 0.1 and not force):
            return
        self.last = now
        rate = done / (now - self.t0) if now > self.t0 else 0.0
        if self.total:
            frac = min(1.0, done / self.total)
            bar = "#" * int(frac * 30)
            eta = (self.total - done) / rate if rate > 0 else float("inf")
            eta_s = f"ETA {eta:,.0f} s" if eta != float("inf") else "ETA --"
            msg = f"\r[{bar:<30}] {done:,}/{self.total:,} {frac:4.0%}  {rate:,.0f} rows/s  {eta_s} "
        else:
            msg = f"\r{done:,} rows  {rate:,.0f} rows/s "
        self.stream.write(msg)
        self.stream.flush()

    def end(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()


# ------------------------------------------------------------------ the command

def grade_file(path: str, out: str | None = None, *, jobs: int = 1, dask=None,
               resume: bool = False, deadline: float = DEFAULT_DEADLINE, progress=None) -> Summary:
    """Grade FILE into OUT (standard output when None). `dask`: an address or a Client.
    A JSONL file goes by byte ranges, the rest by rows (the module's docstring says why)."""
    if resume and not out:
        raise TutorError("--resume needs -o OUT (the rows already graded are read from it)", code="usage")
    if not 0 < deadline <= 600:
        raise TutorError("--deadline must be a number of seconds from 0 to 600", code="usage")
    if jobs < 1:
        raise TutorError("--jobs must be at least 1", code="usage")
    summary = Summary()
    done_ids = done_rows(out) if resume else []
    ranged = dask is None and input_kind(path) == "jsonl"
    if ranged:
        with open(path, "rb") as fh:
            last = _skip(rows_at(fh), done_ids, out, path)
        start = last[2] if last else 0
    else:
        rows = read_rows(path)
        _skip(rows, done_ids, out, path)
    summary.resumed = len(done_ids)
    bar = progress if progress is not None else _Progress(
        count_rows(path) if sys.stderr.isatty() else None)
    if bar.total is not None:
        bar.total -= summary.resumed
    writer = _Writer(out, append=resume and os.path.exists(out or ""))
    t0 = time.monotonic()
    try:
        if ranged:
            from .local import Grader
            with Grader(jobs, deadline) as g:
                for text, counters in g.grade_ranges(path, start, summary.resumed + 1, writer.csv,
                                                     bar.update):
                    writer.write_bytes(text)
                    summary.merge(counters)
        else:
            for number, result in _results(rows, jobs, dask, deadline):
                writer.write(result.body)
                summary.add(result)
                bar.update(summary.rows)
    finally:
        writer.close()
        bar.end()
        summary.seconds = time.monotonic() - t0
    return summary


def _skip(rows, done_ids: list, out: str, path: str):
    """Read past the rows OUT already has, checking that their ids are this FILE's; the last
    row read (None when none)."""
    last = None
    for skipped, done_id in enumerate(done_ids):
        last = next(rows, None)
        if last is None:
            raise TutorError(f"{out} has {len(done_ids):,} rows but {path} only {skipped:,}", code="io")
        number, row = last[0], last[1]
        if str(row_id(row) if row_id(row) is not None else "") != str(
                done_id if done_id is not None else ""):
            raise TutorError(f"{out} row {number} has id {done_id!r} but {path} row "
                             f"{number} has {row_id(row)!r}: it was written for another file; "
                             "remove it or drop --resume", code="io")
    return last


def _results(rows, jobs: int, dask, deadline: float):
    if dask is not None:
        from .cluster import grade_on_dask
        yield from grade_on_dask(dask, rows, deadline)
        return
    from .local import Grader
    with Grader(jobs, deadline) as g:
        yield from g.grade(rows)


def grade_main(path: str, out: str | None, *, jobs: int = 1, dask=None, resume: bool = False,
               deadline: float = DEFAULT_DEADLINE) -> tuple[str, int]:
    """The CLI handler's body: the summary goes to standard error; exit 0 when every row has
    its output row, 130 when interrupted (OUT then holds the rows done: --resume goes on)."""
    try:
        summary = grade_file(path, out, jobs=jobs, dask=dask, resume=resume, deadline=deadline)
    except KeyboardInterrupt:
        print("tutor grade: interrupted; run again with --resume to finish", file=sys.stderr)
        return "", 130
    print(summary.text(out), file=sys.stderr)
    return "", 0


# ------------------------------------------------------------------ one chunk (for Dask)
