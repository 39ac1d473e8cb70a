"""A batch's rows, everything both sides of `tutor grade` must agree on: reading them (JSONL
and CSV; byte ranges of a JSONL file cut at line starts, each range's rows counted at C speed),
a raw row's id, an output row's text (JSONL or CSV), the counts of the summary, and one byte
range graded in a worker (`grade_range`, the worker's "range" job, with the answers a batch's
workers share).

Why apart from batch.py: the parent (batch, local) and the worker process both read rows
and write output rows, and the worker must not import the parent's command or its pool; one
row reader (`rows_at`), one output text (`row_text`) and one count (`Summary.count`) serve
the byte-range path and the row path alike, so the same file gives the same bytes either way.
"""
from __future__ import annotations

import collections
import csv
import io
import json
import os
import sys
import time

from tutor import TutorError

from .jobs import ROW_LIMIT, VERDICTS


CSV_COLUMNS = ("id", "row", "verdict", "score", "diagnoses", "error_code", "feedback", "expected", "answer")


def _is_csv(path: str, head: bytes) -> bool:
    low = path.lower()
    if low.endswith(".csv"):
        return True
    if low.endswith((".jsonl", ".ndjson", ".json")):
        return False
    return not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def jsonl_rows(fh):
    for number, row, _ in rows_at(fh):
        yield number, row


def rows_at(fh, first: int = 1, size: int | None = None):
    """(number, row, end) for the JSONL rows of fh from where it stands, numbered from `first`,
    reading `size` bytes at most (a byte range ends at a line start, so no line is cut):
    `end` is the byte offset, from where reading began, just after the row's line. The one row
    reader of both paths (the parent's, and a worker's for its byte range), so a row is the
    same row everywhere: a line whose bytes .strip() is not empty; a line over ROW_LIMIT is one
    row (None), skipped in pieces, never held."""
    number, pos = first - 1, 0
    while size is None or pos < size:
        line = fh.readline(ROW_LIMIT + 1)
        if not line:
            return
        pos += len(line)
        if len(line) > ROW_LIMIT and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):    # skip the rest, never hold it
                line = fh.readline(1 << 20)
                pos += len(line)
            number += 1
            yield number, None, pos
            continue
        if not line.strip():
            continue
        number += 1
        yield number, line.decode("utf-8", errors="replace").strip(), pos


def _csv_rows(fh):
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
    csv.field_size_limit(ROW_LIMIT)
    reader = csv.DictReader(text)
    if reader.fieldnames is None:
        return
    missing = [c for c in ("function", "answer") if c not in reader.fieldnames]
    if missing:
        raise TutorError(f"the CSV header has no column {missing[0]!r} (it needs id, function, "
                         "answer and optionally var, order)", code="io")
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            number += 1
            yield number, None
            continue
        if not any((v or "").strip() for k, v in row.items() if isinstance(v, str)):
            continue
        number += 1
        yield number, {k: v for k, v in row.items() if isinstance(k, str)}


def read_rows(path: str):
    """(number, row) for each row of FILE ('-' is standard input); row is the JSON text of a
    JSONL line, a dict for CSV, or None for a row over the limit."""
    try:
        fh = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as exc:
        raise TutorError(f"cannot read {path}: {exc.strerror}", code="io") from None
    fh = io.BufferedReader(fh) if not hasattr(fh, "peek") else fh
    head = fh.peek(64)[:64]
    return _csv_rows(fh) if _is_csv(path, head) else jsonl_rows(fh)


def input_kind(path: str) -> str | None:
    """'jsonl' or 'csv' for a real file, None for standard input (or what is not a file)."""
    if path == "-" or not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    return "csv" if _is_csv(path, head) else "jsonl"


def _count(lines: list) -> int:
    """Rows among whole lines (no b"\\n"), the rule of rows_at, at C speed."""
    rows = len(list(filter(None, map(bytes.strip, lines))))
    if lines and max(map(len, lines)) > ROW_LIMIT:    # a blank line over the limit is a row too
        rows += sum(1 for ln in lines if len(ln) > ROW_LIMIT and not ln.strip())
    return rows


def byte_ranges(fh, start: int, size: int, small: int | None = None, every: int = 1):
    """(start, end, rows) for byte ranges of about `size` bytes from `start` to the end of the
    file, each ending at a line end, and the rows in each counted by the rule of rows_at
    (with bytes.split and filter: no Python per row), so the parent knows every range's first
    row number without reading a row. A line longer than a range makes its range longer; it
    is read on in pieces and never held. With `small`, the first `every` ranges are that size,
    the next `every` twice that, and so on up to `size`."""
    fh.seek(start)
    pos, step, cut = start, min(size, small or size), 0
    while True:
        data = fh.read(step)
        cut += 1
        if cut % every == 0:
            step = min(size, 2 * step)
        if not data:
            return
        end = pos + len(data)
        lines = data.split(b"\n")
        tail = lines.pop()          # what follows the last b"\n" (b"" when data ends with one)
        rows = _count(lines)
        if tail:                    # read on to the end of that line
            length, blank = len(tail), not tail.strip()
            while True:
                more = fh.readline(1 << 20)
                end += len(more)
                length += len(more) - more.endswith(b"\n")
                blank = blank and not more.strip()
                if not more or more.endswith(b"\n"):
                    break
            rows += length > ROW_LIMIT or not blank
        yield pos, end, rows
        pos = end


def count_rows(path: str) -> int | None:
    kind = input_kind(path)
    if kind is None:
        return None
    if kind == "jsonl":         # counted as the ranges are, at C speed
        with open(path, "rb") as fh:
            return sum(rows for _, _, rows in byte_ranges(fh, 0, 1 << 20))
    return sum(1 for _ in read_rows(path))


def row_id(row):
    """The id of a raw row (JSON text or CSV dict), as the output row will carry it."""
    if isinstance(row, dict):
        v = row.get("id")
    else:
        try:
            import json
            v = json.loads(row).get("id") if row else None
        except (ValueError, AttributeError):
            v = None
    return v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None


def row_text(body: str, csv_out: bool) -> str:
    """A row's output line, b"\\n" included: the JSON body, or its CSV row (one line: one_line).
    What the parent writes for a row, and what a worker writes for each row of its range."""
    if not csv_out:
        return body + "\n"
    d = json.loads(body)
    d["diagnoses"] = ";".join(d["diagnoses"])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([one_line(d[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


def one_line(v) -> str:
    if v is None:
        return ""
    return " | ".join(part.strip() for part in str(v).splitlines() if part.strip()) or str(v).strip()


class Summary:
    def __init__(self):
        self.verdicts: collections.Counter = collections.Counter()
        self.diagnoses: collections.Counter = collections.Counter()
        self.reasons: collections.Counter = collections.Counter()
        self.rows = self.resumed = 0
        self.seconds = 0.0

    def add(self, result) -> None:
        code = None
        if result.verdict in ("invalid", "undetermined"):
            code = json.loads(result.body).get("error_code")
        self.count(result.verdict, result.diagnoses[0] if result.diagnoses else None, code)

    def count(self, verdict: str, diagnosis: str | None, code: str | None) -> None:
        """One row: its verdict, its first diagnosis, its error code (the reason of an invalid
        or undetermined row; its verdict when it has none)."""
        self.rows += 1
        self.verdicts[verdict] += 1
        if diagnosis:
            self.diagnoses[diagnosis] += 1
        if verdict in ("invalid", "undetermined"):
            self.reasons[code or verdict] += 1

    def add_text(self, text: bytes, csv_out: bool) -> None:
        """The rows of output text (a killed worker's lines: the rare path, Python per row)."""
        for raw in text.split(b"\n")[:-1]:     # not str.splitlines: JSON keeps U+2028 as is
            line = raw.decode("utf-8")
            if csv_out:
                r = dict(zip(CSV_COLUMNS, next(csv.reader([line]))))
                first = r["diagnoses"].split(";")[0]
            else:
                r = json.loads(line)
                first = r["diagnoses"][0] if r["diagnoses"] else None
            self.count(r["verdict"], first or None, r["error_code"] or None)

    def counters(self) -> dict:
        """What a worker sends back for its byte range (dicts keep the order first seen, so
        ties in the summary come out as they would from one process)."""
        return {"rows": self.rows, "verdicts": self.verdicts, "diagnoses": self.diagnoses,
                "reasons": self.reasons}

    def merge(self, counters: dict) -> None:
        self.rows += counters["rows"]
        for name in ("verdicts", "diagnoses", "reasons"):
            getattr(self, name).update(counters[name])

    def text(self, out: str | None) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else 0.0
        lines = [f"tutor grade: {self.rows:,} rows in {self.seconds:.1f} s ({rate:,.0f} rows/s)"
                 + (f" -> {out}" if out else "")
                 + (f"; {self.resumed:,} rows were already done" if self.resumed else "")]
        lines.append("  verdicts: " + ", ".join(f"{v} {self.verdicts[v]:,}" for v in VERDICTS))
        if self.diagnoses:
            lines.append("  diagnoses: " + ", ".join(f"{k} {n:,}" for k, n in self.diagnoses.most_common()))
        if self.reasons:
            lines.append("  reasons: " + ", ".join(f"{k} {n:,}" for k, n in self.reasons.most_common()))
        return "\n".join(lines)


#: a worker writes the lines of rows it read back from what it learned (`_Learned`: a dict
#: look-up, microseconds) in bursts of at most BURST rows, instead of one write a row: the
#: write was a fifth of such a row's cost (bench_batch's rows are 98 % read back). A row it
#: grades is always preceded by a write of every line before it, and written at once itself,
#: so the parent's per-row deadline still starts at the row it blames (`local._stop`).
BURST = 256


def grade_range(job: dict, out, after_row=None) -> None:
    """A worker's "range" job: the rows of bytes [start, end) of the file, numbered from
    `first`, each graded and written to `out` as its output row's text, then one line of the
    range's summary counters. A graded row is written and flushed at once (the parent times
    the deadline per row); rows read back from what the batch learned go out in bursts (BURST).
    `after_row()` is called after each graded row (the worker's garbage collector)."""
    from .jobs import grade_row
    global _LEARNED
    if _LEARNED is None or _LEARNED.batch != (job["path"], job.get("share")):
        if _LEARNED is not None:
            _LEARNED.close()
        _LEARNED = _Learned(job["path"], job.get("share"))
    learned = _LEARNED
    csv_out, tally = job["format"] == "csv", Summary()
    burst: list[str] = []
    with open(job["path"], "rb") as fh:
        fh.seek(job["start"])
        for number, row, _ in rows_at(fh, job["first"], job["end"] - job["start"]):
            d = _parsed(row)
            key = _key(d) if d is not None else None
            hit = learned.get(key) if key is not None else None
            if hit is not None:
                verdict, ids, tail, code = hit
                body = _head(d, number) + tail
                burst.append(body + "\n" if not csv_out else row_text(body, csv_out))
                tally.count(verdict, ids[0] if ids else None, code)
                if len(burst) >= BURST:
                    out.write("".join(burst))
                    out.flush()
                    burst.clear()
                continue
            if burst:       # every line before this row is out before its grading starts
                out.write("".join(burst))
                out.flush()
                burst.clear()
            result = grade_row(row if d is None else d, number)
            if key is not None:
                learned.learn(key, result, number, _head(d, number))
            out.write(row_text(result.body, csv_out))
            out.flush()
            tally.add(result)
            if after_row is not None:
                after_row()
    burst.append(json.dumps(tally.counters(), ensure_ascii=False) + "\n")
    out.write("".join(burst))
    out.flush()


_encode_str = json.encoder.encode_basestring      # what json.dumps(s, ensure_ascii=False) is


def _head(d: dict, number: int) -> str:
    """`{"id":ID,"row":N,` for the row d, as jobs.dumps writes it: a string or int id (a bool
    is not one) by hand, any other through dumps, as row_id makes it (NaN and all)."""
    rid = d.get("id")
    if type(rid) is str:
        return '{"id":' + _encode_str(rid) + ',"row":' + str(number) + ","
    if type(rid) is int:
        return '{"id":' + str(rid) + ',"row":' + str(number) + ","
    from .jobs import dumps
    return dumps({"id": row_id(d), "row": number})[:-1] + ","


#: every row a worker grades is remembered (its verdict, not grade_row's own answers about the
#: row) and shared with the batch's other workers through an append-only file: with byte ranges
#: every worker meets every problem, and a row that was cheap for the worker that graded it (its
#: problem's reference built already: ~0.3 ms) can cost another worker that reference (~5 ms).
#: Why no "only the costly rows" threshold (there was one, 0.5 ms of grading): the set it kept
#: depended on the machine's load, and on the benchmark's 100,000 rows (479 distinct, cycled)
#: --jobs 1 graded 10,000 rows instead of 2,289 (a one-off count; each cheap repeat graded
#: again, ~100 us, not read back, ~10 us). At most LEARNED bytes learned by a worker, and LEARNED read from the others.
LEARNED = 16 << 20
_ROW_CODES = ("row-limit", "row-json", "row-field", "limit")     # grade_row's own: they name the row
_LEARNED = None


def _parsed(row):
    """The row's JSON object, or None (grade_row then reads the text itself, errors and all)."""
    if not isinstance(row, str):
        return None
    try:
        d = json.loads(row)
    except (ValueError, RecursionError):
        return None
    return d if isinstance(d, dict) else None


def _key(d: dict):
    """What decides a row's output besides its id and number: the fields grade_row reads,
    with their types (order 1 is a row, 1.0 and true are errors)."""
    f, a, v, o = d.get("function"), d.get("answer"), d.get("var"), d.get("order")
    key = ((type(f).__name__, f), (type(a).__name__, a), (type(v).__name__, v), (type(o).__name__, o))
    try:
        hash(key)
    except TypeError:
        return None
    return key


class _Learned:
    """A worker's remembered rows for one batch: key -> (verdict, diagnoses, the output row's
    JSON after its id and number, its error code: what the summary counts). What it learns it appends to the batch's shared file (one
    write of one line: O_APPEND keeps lines whole), and on a row it does not know it reads what
    the others appended (at most every few ms). Only a graded verdict is remembered, never
    grade_row's own answers (their text names the row), so a row served from here is the
    same bytes as grading it."""

    def __init__(self, path: str, share: str | None):
        self.batch, self.memo, self.rest, self.last = (path, share), {}, b"", 0.0
        self.size = self.kept = 0       # bytes read from the shared file; bytes learned here
        self.read_fd = self.add_fd = None
        if share:
            try:
                self.read_fd = os.open(share, os.O_RDONLY)
                self.add_fd = os.open(share, os.O_WRONLY | os.O_APPEND)
            except OSError:
                self.close()

    def get(self, key):
        hit = self.memo.get(key)
        if hit is None and self.read_fd is not None and time.monotonic() - self.last > 0.002:
            self._read()
            hit = self.memo.get(key)
        return hit

    def _read(self) -> None:
        self.last = time.monotonic()
        while self.size < LEARNED:
            data = os.read(self.read_fd, 1 << 20)
            if not data:
                return
            self.size += len(data)
            *lines, self.rest = (self.rest + data).split(b"\n")
            for line in lines:
                try:
                    key, verdict, ids, tail, code = json.loads(line)
                    self.memo[tuple(map(tuple, key))] = (verdict, tuple(ids), tail, code)
                except (ValueError, TypeError):     # not a line of ours: it is only a memo
                    pass

    def learn(self, key, result, number: int, head: str) -> None:
        """Remember a graded row: `head` is its output's start (`_head`), what a row read back
        puts before the rest."""
        if result.status != 200 or self.kept >= LEARNED:
            return
        code = json.loads(result.body).get("error_code")
        if (code or "") in _ROW_CODES or (code or "").startswith("function-") \
                or not result.body.startswith(head):
            return
        tail = result.body[len(head):]
        if f"row {number}" in tail:
            return
        self.memo[key] = (result.verdict, result.diagnoses, tail, code)
        line = (json.dumps([key, result.verdict, result.diagnoses, tail, code]) + "\n").encode("ascii")
        self.kept += len(line)
        if self.add_fd is not None:
            os.write(self.add_fd, line)


    def close(self) -> None:
        for fd in (self.read_fd, self.add_fd):
            if fd is not None:
                os.close(fd)
        self.read_fd = self.add_fd = None
