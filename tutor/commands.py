"""Every subcommand's handler: parsed arguments in, (output text, exit code) out.

The edge of the library: handlers read arguments and call the public API; nothing in the
library imports this module or `tutor.cli`.
"""
from __future__ import annotations

import sys

from .errors import TutorError


def dumps(record: dict) -> str:
    """A record as the CLI prints JSON (indented, UTF-8 as typed). `json` is imported here, on
    the first JSON output, not at start-up: a text answer never needs it (~2.5 ms of cold start)."""
    import json
    return json.dumps(record, indent=2, ensure_ascii=False)


def read_expr_arg(value: str) -> str:
    """`-` means standard input."""
    return sys.stdin.read() if value == "-" else value


def parse_command(args) -> tuple[str, int]:
    from .language import parse
    from .printing import expr_json, to_latex, to_sympy, to_text, to_tree
    e = parse(read_expr_arg(args.expr), args.input)
    show = {"text": to_text, "latex": to_latex, "sympy": to_sympy, "tree": to_tree}
    if args.format == "json":
        return dumps({"schema": "tutor.expr/1", **expr_json(e)}), 0
    return show[args.format](e), 0


def diff_command(args) -> tuple[str, int]:
    from .solve import differentiate
    var = args.var
    sol = differentiate(read_expr_arg(args.expr), var, args.order, input=args.input,
                        constants=getattr(args, "constants", None))
    if args.at:
        from .routes.points import parse_point   # only with --at (cold start)
        at = sol.at(parse_point(args.at))
        renders = {"text": at.to_text, "latex": at.to_latex, "markdown": at.to_markdown,
                   "json": lambda: dumps(at.to_dict()), "html": lambda: at.to_html(args.detail)}
        return renders[args.format](), 0
    if args.format == "html":
        return sol.to_html(args.detail), 0
    if args.format == "text":
        return sol.to_text(args.detail), 0
    if args.format == "latex":
        return sol.to_latex(args.detail, standalone=args.standalone), 0
    if args.format == "markdown":
        return sol.to_markdown(args.detail), 0
    return dumps(sol.to_dict()), 0


def numeric_command(args) -> tuple[str, int]:
    from .routes.numeric import finite_difference
    fd = finite_difference(read_expr_arg(args.expr), args.at, args.var, args.eps, args.digits,
                           input=args.input)
    renders = {"text": fd.to_text, "latex": fd.to_latex, "markdown": fd.to_markdown,
               "json": lambda: dumps(fd.to_dict()), "html": fd.to_html}
    return renders[args.format](), 0


def grad_command(args) -> tuple[str, int]:
    from .routes.multivar import gradient
    g = gradient(read_expr_arg(args.expr), args.vars, args.at or None, args.along, args.hessian,
                 input=args.input)
    fmt = args.format
    if fmt == "json":
        return dumps(g.to_dict()), 0
    if fmt == "html":
        return g.to_html(args.detail), 0
    if fmt == "latex":
        return g.to_latex(args.detail), 0
    if fmt == "markdown":
        return g.to_markdown(args.detail), 0
    return g.to_text(args.detail), 0


def dual_command(args) -> tuple[str, int]:
    from .routes.dual import dual_trace
    t = dual_trace(read_expr_arg(args.expr), args.wrt, args.at, input=args.input)
    renders = {"text": t.to_text, "latex": t.to_latex, "markdown": t.to_markdown,
               "json": lambda: dumps(t.to_dict()), "html": t.to_html}
    return renders[args.format](), 0


def backprop_command(args) -> tuple[str, int]:
    from .routes.backprop import backprop
    b = backprop(read_expr_arg(args.expr), args.at, input=args.input)
    renders = {"text": b.to_text, "latex": b.to_latex, "markdown": b.to_markdown, "dot": b.to_dot,
               "tikz": b.to_tikz, "json": lambda: dumps(b.to_dict()), "html": b.to_html}
    return renders[args.format](), 0


def descend_command(args) -> tuple[str, int]:
    from .routes.descent import descend
    d = descend(read_expr_arg(args.expr), args.var, args.start, args.rate, args.steps, args.tol,
                input=args.input)
    if args.format == "json":
        return dumps(d.to_dict()), 0
    return {"text": d.to_text, "latex": d.to_latex, "markdown": d.to_markdown,
            "html": d.to_html}[args.format](), 0


def check_command(args) -> tuple[str, int]:
    """`tutor check FUNCTION ANSWER` / `--work FILE`: exit 0 correct, 1 incorrect,
    2 invalid (unreadable), 3 undetermined."""
    from .grade import EXIT, check, check_work
    function = read_expr_arg(args.function)
    if args.work:
        try:
            if args.work == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(args.work, encoding="utf-8") as fh:
                    lines = fh.read().splitlines()
        except OSError as exc:
            raise TutorError(f"cannot read {args.work}: {exc.strerror}", code="io") from None
        result = check_work(function, lines, args.var, args.order, input=args.input,
                            names=args.names, constants=args.constants)
    else:
        if args.answer is None:
            raise TutorError("give an ANSWER or --work FILE", code="usage")
        result = check(function, read_expr_arg(args.answer), args.var, args.order,
                       allow_calculus=args.allow_calculus, input=args.input,
                       tangent_at=args.tangent_at, normal=args.normal,
                       names=args.names, constants=args.constants)
    code = EXIT[result.verdict]
    if args.format == "json":
        return dumps(result.to_dict()), code
    if args.format == "html":
        return result.to_html(), code
    return result.to_text(), code


def definition_command(args) -> tuple[str, int]:
    from .routes.definition import from_definition
    d = from_definition(read_expr_arg(args.expr), args.var, args.at, args.table, input=args.input)
    renders = {"text": d.to_text, "latex": lambda: d.to_latex(standalone=args.standalone),
               "markdown": d.to_markdown,
               "json": lambda: dumps(d.to_dict()), "html": d.to_html}
    return renders[args.format](), 0


def _render_record(r, args) -> str:
    """A route record in the chosen format (text, LaTeX with --standalone, Markdown, JSON,
    HTML: a whole page)."""
    if args.format == "json":
        return dumps(r.to_dict())
    if args.format == "html":
        return r.to_html(args.detail)
    if args.format == "latex":
        return r.to_latex(args.detail, standalone=args.standalone)
    if args.format == "markdown":
        return r.to_markdown(args.detail)
    return r.to_text(args.detail)


def implicit_command(args) -> tuple[str, int]:
    """`tutor implicit EQUATION [--dep y] [--var x] [--at x=3,y=4] [--order 2] [--prime]`."""
    from .routes.implicit import implicit
    r = implicit(read_expr_arg(args.equation), args.dep, args.var, args.at or None, args.order,
                 prime=args.prime, input=args.input)
    return _render_record(r, args), 0


def tangent_command(args) -> tuple[str, int]:
    """`tutor tangent EXPR --at x=a [--normal]` (an equation goes through the implicit route)."""
    from .routes.tangent import tangent
    t = tangent(read_expr_arg(args.expr), args.at, args.normal, args.var, dep=args.dep,
                input=args.input)
    return _render_record(t, args), 0

def serve_command(args) -> tuple[str, int]:
    """`tutor serve`: the grader over HTTP (tutor.service; needs the serve extra)."""
    from .service.server import serve
    return "", serve(args.host, args.port, args.workers, args.token_file, args.deadline,
                     args.body_limit, args.cors or (), args.log_answers)


def grade_command(args) -> tuple[str, int]:
    """`tutor grade FILE`: batch grading, one output row per input row (tutor.service.batch)."""
    from .service.batch import grade_main
    return grade_main(args.file, args.output, jobs=args.jobs, dask=args.dask,
                      resume=args.resume, deadline=args.deadline)


def notes_command(args) -> tuple[str, int]:
    """`tutor notes FILE`: an answer key. Each failed line on stderr (FILE:LINE:COLUMN), the
    document still complete; exit 1 when any line failed (tutor.documents)."""
    import pathlib
    from .documents import build_key
    from .documents.progress import Progress
    from .documents.problems import read_problem_set
    try:
        if args.file == "-":
            source = sys.stdin.read()
        else:
            source = pathlib.Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise TutorError(f"cannot read {args.file}: {reason}", code="io") from None
    out = pathlib.Path(args.output) if args.output else None
    suffix = out.suffix.lower() if out is not None else ""
    fmt = args.format or {".md": "markdown", ".markdown": "markdown", ".html": "html",
                          ".htm": "html"}.get(suffix, "latex")
    from urllib.parse import quote
    # an HTML key is one file (figures inline SVG); Markdown links its figure files
    link = None if out is None or fmt == "html" else (lambda name: quote(f"{out.stem}_figures/{name}"))
    progress = Progress(len(read_problem_set(source).items)) if sys.stderr.isatty() else None
    try:
        key = build_key(source, format=fmt, detail=args.detail, plots=args.plots,
                        title=args.title, figure_link=link, progress=progress)
    finally:
        if progress is not None:
            progress.end()
    where = "<stdin>" if args.file == "-" else args.file
    for f in key.failures:
        print(f"tutor notes: {where}:{f.line}:{f.column}: {f.error.message}"
              + (f"\n  hint: {f.error.hint}" if f.error.hint else ""), file=sys.stderr)
    for number, note in key.notes:
        print(f"tutor notes: problem {number}: {note}", file=sys.stderr)
    code = 1 if key.failures else 0
    if out is None:
        return key.text, code
    try:
        if key.files:
            folder = out.parent / f"{out.stem}_figures"
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in key.files:
                (folder / name).write_text(content, encoding="utf-8")
        out.write_text(key.text, encoding="utf-8")
    except OSError as exc:
        raise TutorError(f"cannot write {exc.filename or out}: {exc.strerror}", code="io") from None
    print(f"tutor notes: wrote {out} ({key.problems} problems, {len(key.failures)} failed"
          + (f", {len(key.files)} figures" if key.files else "") + ")", file=sys.stderr)
    return "", code


def plot_command(args) -> tuple[str, int]:
    """`tutor plot EXPR ...`: a picture (tutor.plotting). svg and tikz go to stdout; png and
    pdf to -o FILE or to a pipe, never to a terminal (binary would garble it)."""
    from .plotting.request import build_figure, choose_format
    fmt = choose_format(args.format, args.output)
    if args.output is None and fmt in ("png", "pdf") and sys.stdout.isatty():
        raise TutorError(f"{fmt} is binary and standard output is a terminal: write it to a file",
                         code="usage", hint=f"add -o plot.{fmt}, or pipe it: tutor plot ... > plot.{fmt}")
    fig = build_figure(read_expr_arg(args.expr), var=args.var, range=args.range,
                       yrange=args.yrange, derivative=args.derivative, tangent_at=args.tangent_at,
                       secants_at=args.secants_at, h=args.h, at=args.at, direction=args.direction,
                       levels=args.levels, descent=args.descent, start=args.start,
                       rate=args.rate, steps=args.steps, input=args.input)
    if args.output is not None:
        path = fig.save(args.output, fmt)
        print(f"tutor plot: wrote {path} ({fmt}, {path.stat().st_size:,} bytes)", file=sys.stderr)
        return "", 0
    data = fig.render(fmt)
    if isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "", 0
    return data, 0
