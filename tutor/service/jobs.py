"""The work of one request or one batch row, as it runs inside a worker process.

    run(op, args) -> Result(status, verdict, diagnoses, body)     one API request
    grade_row(row, number) -> Result                              one batch row (never raises)
    timeout_result(op, deadline) / crash_result(op)               what the parent answers when
                                                                  the worker was killed or died

Arguments arrive already validated (`schemas.validate`), so a TutorError here is the problem
itself being wrong (an unreadable *function*, a bad variable): HTTP 422 with the error's code,
line, column and hint. A student's unreadable answer is never an error: `tutor.check` returns
the verdict `invalid`, a 200. `gradable` is added to every verdict (false for invalid and
undetermined), as PrairieLearn's results.json has it: an LMS should not count such an attempt.

The classroom page's operations (PAGE_OPS: read, definition, implicit, tangent, plot) run
here too, under the same deadline; `format: "html"` answers `tutor.html/1`, the record as the
HTML renderer's fragment (HTML_OPS for the API's own diff, check, check-work and the labs'
routes numeric, gradient, dual, backprop and descend).

A result travels from worker to parent as one line, `status TAB verdict TAB ids TAB json`,
so the parent passes the JSON body through without parsing it again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import tutor

if TYPE_CHECKING:
    from tutor.grade import Options

ERROR_SCHEMA = "tutor.error/1"
VERDICTS = ("correct", "incorrect", "invalid", "undetermined")
ROW_LIMIT = 64 * 1024        # bytes of one batch row; a longer row is a verdict, not read


@dataclass(frozen=True)
class Result:
    status: int
    verdict: str            # "" when the body is not a verdict
    diagnoses: tuple        # ids of the diagnoses, most specific first
    body: str               # the JSON text
    graded: bool = False    # read from a worker's line (not the parent's timeout or crash answer)

    def line(self) -> str:
        return f"{self.status}\t{self.verdict}\t{','.join(self.diagnoses)}\t{self.body}\n"

    @classmethod
    def from_line(cls, line: str) -> "Result":
        status, verdict, ids, body = line.rstrip("\n").split("\t", 3)
        return cls(int(status), verdict, tuple(i for i in ids.split(",") if i), body, True)


def job_line(op: str, args: dict) -> bytes:
    """The job as the worker reads it: one JSON line. Validated arguments come in the order of
    the endpoint's table, so the line is canonical (the caches' key)."""
    return (json.dumps({"op": op, "args": args}, ensure_ascii=False) + "\n").encode("utf-8")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def error_body(code: str, message: str, *, hint=None, line=None, column=None, field=None) -> dict:
    return {"schema": ERROR_SCHEMA, "error": {"code": code, "message": message, "line": line,
                                              "column": column, "hint": hint, "field": field}}


def _tutor_error(exc: tutor.TutorError, field: str | None) -> Result:
    body = error_body(exc.code, exc.message, hint=exc.hint, line=getattr(exc, "line", None),
                      column=getattr(exc, "column", None), field=field)
    return Result(422, "", (), dumps(body))


def _verdict_result(d: dict) -> Result:
    d["gradable"] = d["verdict"] in ("correct", "incorrect")
    ids = tuple(x["id"] for x in d.get("diagnoses", ()))
    return Result(200, d["verdict"], ids, dumps(d))


def options(spec: dict | None) -> Options | None:
    """Options from a validated JSON object (`credit` as {id: credit})."""
    if not spec:
        return None
    from tutor.grade import Options     # here: the batch parent imports this module, not the grader
    spec = dict(spec)
    if "credit" in spec:
        spec["credit"] = tuple(sorted(spec["credit"].items()))
    return Options(**spec)


# ------------------------------------------------------------------ the operations

def _checked(a):
    return tutor.check(a["function"], a["answer"], a.get("var"), a.get("order", 1),
                       allow_calculus=a.get("allow_calculus", False), options=options(a.get("options")),
                       input=a.get("input", "auto"), log10=a.get("log10", False))


def _worked(a):
    return tutor.check_work(a["function"], a["lines"], a.get("var"), a.get("order", 1),
                            options=options(a.get("options")), input=a.get("input", "auto"),
                            log10=a.get("log10", False))


def _check(a):
    return _verdict_result(_checked(a).to_dict())


def _check_work(a):
    return _verdict_result(_worked(a).to_dict())


def _point(at):
    """`"x=1,y=2"` or {"x": 1, "y": "1/2"} -> a mapping for Solution.at."""
    if isinstance(at, dict):
        return at
    out = {}
    for part in at.split(","):
        name, eq, value = part.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise tutor.TutorError(f"cannot read the point {at!r}: write it as x=1,y=2",
                                   code="point", hint="for example x=1 or w1=0,w2=0.5")
        out[name.strip()] = value.strip()
    return out


def _diff(a):
    sol = tutor.differentiate(a["expr"], a.get("var"), a.get("order", 1), input=a.get("input", "auto"),
                              log10=a.get("log10", False))
    if a.get("at") is not None:
        return Result(200, "", (), dumps(sol.at(_point(a["at"])).to_dict()))
    return Result(200, "", (), dumps(sol.to_dict(a.get("detail", "full"))))


def _record(r) -> Result:
    return Result(200, "", (), dumps(r.to_dict()))


OPS = {
    "check": (_check, "answer"),
    "check-work": (_check_work, "lines"),
    "diff": (_diff, "expr"),
    # the labs' routes: the record as JSON, or with `format: html` its HTML fragment (`_as`;
    # the gradient at brief detail unless asked, the CLI's default: the page sends its Detail)
    "numeric": (lambda a: _as(a, tutor.finite_difference(
        a["expr"], a["at"], a.get("var"), a.get("eps", "0.001"), a.get("digits", 6),
        input=a.get("input", "auto")), "numeric"), "expr"),
    "gradient": (lambda a: _as(a, tutor.gradient(
        a["expr"], a.get("vars"), a.get("at"), a.get("along"), a.get("hessian", False),
        input=a.get("input", "auto")), "gradient", a.get("detail", "brief")), "expr"),
    "dual": (lambda a: _as(a, tutor.dual_trace(a["expr"], a["wrt"], a["at"], input=a.get("input", "auto")),
                           "dual"), "expr"),
    "backprop": (lambda a: _as(a, tutor.backprop(a["expr"], a["at"], input=a.get("input", "auto")),
                               "backprop"), "expr"),
    "descend": (lambda a: _as(a, tutor.descend(
        a["expr"], a.get("var"), a.get("start", 0), a.get("rate", 0.1), a.get("steps", 10),
        a.get("tol", 1e-10), input=a.get("input", "auto")), "descent"), "expr"),
}


# ------------------------------------------------------------------ the classroom page's operations

def _read(a):
    from .page import read_input
    return Result(200, "", (), dumps(read_input(a["expr"], a.get("input", "auto"))))


def _as(a, record, kind: str, detail: str = "normal") -> Result:
    """The record as JSON, or with `format: html` its to_html fragment (tutor.html/1)."""
    if a.get("format") != "html":
        return _record(record)
    from tutor.render.html import to_html
    body = {"schema": "tutor.html/1", "kind": kind, "html": to_html(record, detail=detail)}
    if kind == "solution":   # the answer as text too: a page (or its test) can use it as it is
        body["answer"] = tutor.to_text(record.answer)
    return Result(200, "", (), dumps(body))


def _html_verdict(v) -> Result:
    """A verdict with `format: html`: its fragment, and the record an LMS would have had."""
    d = v.to_dict()
    d["gradable"] = d["verdict"] in ("correct", "incorrect")
    ids = tuple(x["id"] for x in d.get("diagnoses", ()))
    from tutor.render.html import to_html
    body = {"schema": "tutor.html/1", "kind": "verdict", "html": to_html(v), "record": d}
    return Result(200, d["verdict"], ids, dumps(body))


def _plot(a):
    from .page import plot_svg
    status, body = plot_svg(a)
    return Result(status, "", (), dumps(body))


def _diff_html(a):
    sol = tutor.differentiate(a["expr"], a.get("var"), a.get("order", 1), input=a.get("input", "auto"),
                              log10=a.get("log10", False))
    if a.get("at") is not None:
        return _as(a, sol.at(_point(a["at"])), "at", a.get("detail", "normal"))
    return _as(a, sol, "solution", a.get("detail", "normal"))


PAGE_OPS = {
    "read": (_read, "expr"),
    "definition": (lambda a: _as(a, tutor.from_definition(
        a["expr"], a.get("var"), a.get("at"), a.get("table", False), input=a.get("input", "auto")),
        "definition"), "expr"),
    "implicit": (lambda a: _as(a, tutor.implicit(
        a["equation"], a.get("dep", "y"), a.get("var", "x"), a.get("at"), a.get("order", 1),
        input=a.get("input", "auto")), "implicit", a.get("detail", "normal")), "equation"),
    "tangent": (lambda a: _as(a, tutor.tangent(
        a["expr"], a["at"], a.get("normal", False), a.get("var"), input=a.get("input", "auto")),
        "tangent", a.get("detail", "normal")), "expr"),
    "plot": (_plot, "expr"),
}


_WARM: list = []


def _warm_plots() -> None:
    """Import Matplotlib and draw one plot on a background thread, once per worker. The first
    plot in a process costs 1-4 s (the import, the fonts), past the default deadline, and a
    timeout kills the worker, so its replacement would be as cold: plots would never arrive.
    It starts on the first request of the classroom page (`read` comes as the student types),
    so a worker that serves only an LMS never loads Matplotlib."""
    if _WARM:
        return
    _WARM.append(True)

    def warm():
        try:
            import importlib
            importlib.import_module("tutor.plotting").plot(tutor.parse("x^2")).to_svg()
        except Exception:   # no plotting here: /v1/plot says so when asked
            pass
    import threading
    threading.Thread(target=warm, name="warm-plots", daemon=True).start()


HTML_OPS = {   # the API's own operations with `format: html`
    "diff": (_diff_html, "expr"),
    "check": (lambda a: _html_verdict(_checked(a)), "answer"),
    "check-work": (lambda a: _html_verdict(_worked(a)), "lines"),
}


def run(op: str, args: dict) -> Result:
    """One request's work. Never raises: every failure is a status and a JSON error."""
    if op in PAGE_OPS:
        _warm_plots()
    if args.get("format") == "html" and op in HTML_OPS:
        fn, field = HTML_OPS[op]
    else:
        fn, field = OPS.get(op) or PAGE_OPS[op]
    try:
        return fn(args)
    except tutor.TutorError as exc:
        # the grader raises only for the problem (function, var, order); the routes for their input
        return _tutor_error(exc, "function" if op.startswith("check") else field)
    except (RecursionError, MemoryError, OverflowError) as exc:
        return Result(422, "", (), dumps(error_body(
            "limit", f"the input is too large to work ({type(exc).__name__})")))
    except Exception as exc:  # a bug: say so without a traceback (the worker logs it)
        import traceback
        traceback.print_exc()
        return Result(500, "", (), dumps(error_body(
            "internal", f"internal error ({type(exc).__name__}); please report the input")))


def _stopped(op: str, code: str, message: str) -> Result:
    if op == "check":
        d = {"schema": "tutor.verdict/1", "verdict": "undetermined", "score": 0.0,
             "feedback": {"text": message, "latex": f"\\text{{{message}}}"}, "diagnoses": [],
             "expected": None, "answer": None, "echo": "", "error_code": code}
        return _verdict_result(d)
    if op == "check-work":
        d = {"schema": "tutor.work-verdict/1", "verdict": "undetermined", "score": 0.0,
             "feedback": {"text": message, "latex": f"\\text{{{message}}}"},
             "first_wrong_line": None, "diagnoses": [], "lines": [], "error_code": code}
        return _verdict_result(d)
    return Result(422, "", (), dumps(error_body(code, message)))


def timeout_result(op: str, deadline: float) -> Result:
    if not op.startswith("check"):   # a route's work, not a grade: say so (the page shows it)
        return _stopped(op, "timeout", f"The work ran past the server's {deadline:g} s deadline "
                                       "and was stopped: try a smaller function, or less detail.")
    return _stopped(op, "timeout", f"Could not decide: the check ran past the {deadline:g} s "
                                   "deadline and was stopped.")


def crash_result(op: str) -> Result:
    return _stopped(op, "worker-crashed", "Could not decide: the check crashed its worker process "
                                          "twice and was given up.")


# ------------------------------------------------------------------ batch rows

def _row_text(v) -> str | None:
    return v["text"] if isinstance(v, dict) else None


def batch_row(number: int, row_id, d: dict) -> dict:
    """The output row for one verdict dict."""
    return {"id": row_id, "row": number, "verdict": d["verdict"], "score": d["score"],
            "diagnoses": [x["id"] for x in d.get("diagnoses", ())],
            "error_code": d.get("error_code"), "feedback": d["feedback"]["text"],
            "expected": _row_text(d.get("expected")), "answer": _row_text(d.get("answer"))}


def _bad_row(number: int, row_id, code: str, message: str) -> Result:
    d = {"verdict": "invalid", "score": 0.0, "error_code": code, "feedback": {"text": message}}
    return Result(200, "invalid", (), dumps(batch_row(number, row_id, d)))


def _scalar(v):
    return v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None


def grade_row(row, number: int) -> Result:
    """One batch row (a JSON text line, or a dict from CSV) -> its output row. Never raises."""
    if row is None:
        return _bad_row(number, None, "row-limit", f"row {number} is longer than {ROW_LIMIT:,} bytes")
    if isinstance(row, str):
        try:
            row = json.loads(row)
        except ValueError as exc:
            return _bad_row(number, None, "row-json", f"row {number} is not valid JSON: {exc}")
    if not isinstance(row, dict):
        return _bad_row(number, None, "row-json", f"row {number} is not a JSON object")
    row_id = _scalar(row.get("id"))
    parsed = _row_fields(row, number)
    if isinstance(parsed, str):
        return _bad_row(number, row_id, "row-field", parsed)
    function, answer, var, order = parsed
    try:
        v = tutor.check(function, answer, var, order)
    except tutor.TutorError as exc:
        return _bad_row(number, row_id, f"function-{exc.code}",
                        f"row {number}: the function cannot be graded: {exc.message}")
    except (RecursionError, MemoryError, OverflowError) as exc:
        return _bad_row(number, row_id, "limit", f"row {number} is too large ({type(exc).__name__})")
    # the row needs only the text of each expression (remembered by the grader's forms tables:
    # printing them was most of a repeated row's cost), no LaTeX or SymPy printing (to_dict's)
    ids = tuple(x.id for x in v.diagnoses)
    row = {"id": row_id, "row": number, "verdict": v.verdict, "score": v.score,
           "diagnoses": list(ids), "error_code": v.error_code, "feedback": v.feedback,
           "expected": v.expected_text, "answer": v.answer_text}
    return Result(200, v.verdict, ids, dumps(row))


def _row_fields(row: dict, number: int):
    """(function, answer, var, order) or a message saying what is wrong."""
    function, answer = row.get("function"), row.get("answer")
    if not isinstance(function, str) or not function.strip():
        return f"row {number} has no function"
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = str(answer)
    if not isinstance(answer, str):
        return f"row {number} has no answer (a string)"
    var = row.get("var")
    if var in ("", None):
        var = None
    elif not isinstance(var, str):
        return f"row {number}: var must be a name such as x"
    order = row.get("order")
    if order in ("", None):
        order = 1
    elif isinstance(order, str) and order.strip().isdigit():
        order = int(order)
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= 20:
        return f"row {number}: order must be a whole number from 1 to 20"
    return function, answer, var, order


def row_stopped(number: int, row_id, code: str, message: str) -> Result:
    d = {"verdict": "undetermined", "score": 0.0, "error_code": code, "feedback": {"text": message}}
    return Result(200, "undetermined", (), dumps(batch_row(number, row_id, d)))
