"""The `tutor` command: argparse subcommands, printing and exit codes only.

Each subcommand's handler lives in `tutor.commands` and imports the library module it needs
only when it runs (cold start stays small). A handler takes the parsed arguments and returns
(output text, exit code). Never a traceback; the exit statuses (README, "Exit statuses"):

    0   done (check: the answer is correct)
    1   check: the answer is incorrect
    2   bad input: the expression cannot be read or worked (check: the student's answer is
        unreadable -- a verdict, `invalid`)
    3   check: undetermined
    4   check: the problem itself is wrong (the function, --var or --order): the author's
        error, never confused with a student's unreadable answer
    64  usage: the command line itself is wrong (an unknown option, a missing argument)

With `--format json` every error is a JSON object on standard output too
(`{"schema": "tutor.error/1", "error": {"code", "message", "line", "column", "hint"}, "exit"}`),
so a program reading JSON never has to parse a message.

An argument that starts with a minus is an expression, not an option, unless it is one of
the subcommand's own options: `tutor diff "-x^2"`, `tutor check "1/x" "-1/x^2"`.
"""
from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from .errors import TutorError

#: subcommand -> "module:function" of its handler; arguments are declared in _build_parser
HANDLERS = {name: f"tutor.commands:{name}_command"
            for name in ("parse", "diff", "numeric", "grad", "dual", "backprop", "descend", "check",
                         "definition", "implicit", "tangent", "serve", "grade")}
HANDLERS["notes"] = "tutor.commands:notes_command"   # answer keys (tutor.documents)
HANDLERS["plot"] = "tutor.commands:plot_command"   # pictures (tutor.plotting)
#: long-running commands that run on the main thread (signals; rows go to worker processes)
MAIN_THREAD = ("serve", "grade")

#: every route prints these; html is a whole page (the record's to_html: MathML, no script)
FORMATS = ("text", "latex", "markdown", "json", "html")

EXIT_BAD_INPUT = 2
EXIT_AUTHOR = 4
EXIT_USAGE = 64


class UsageError(Exception):
    """The command line is wrong; raised instead of argparse's own exit(2)."""

    def __init__(self, message: str, usage: str):
        super().__init__(message)
        self.message = message
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    """argparse, with two differences that matter to users of a maths tool:

    - a token that starts with a minus is positional unless it names one of this parser's
      options (`-x^2` is an expression; argparse would take it for an unknown option);
    - a usage error raises UsageError (exit 64, JSON when asked) instead of exiting 2, which
      `tutor check` uses for an unreadable student answer.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def _parse_optional(self, arg_string):
        if arg_string.startswith("-") and arg_string != "-" and not _looks_like_option(arg_string) \
                and arg_string.split("=", 1)[0] not in self._option_string_actions:
            return None
        return super()._parse_optional(arg_string)

    def error(self, message):
        raise UsageError(message, self.format_usage())


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, its width found without importing `shutil`: argparse makes a
    formatter for every option it declares (to check the metavar), and `shutil` with the
    archive modules it loads is ~3 ms of every cold start. The width is the one
    `shutil.get_terminal_size` gives (see `_columns`), less 2, as argparse takes it."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        super().__init__(prog, indent_increment, max_help_position,
                         _columns() - 2 if width is None else width)


def _columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS if a positive number, else the width of
    the terminal on standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


def _looks_like_option(arg: str) -> bool:
    """`--name` or `--name=value` (an option, known or a typo); anything else with a leading
    minus (`-x^2`, `-1/x`, `--x`, a run of signs `----x`) reads as maths."""
    head = arg.split("=", 1)[0]
    return head.startswith("--") and len(head) > 3 and head[2:3].isalpha() \
        and head[2:].replace("-", "").isalpha()


def _expr_arg(p: argparse.ArgumentParser, name: str = "expr", help: str = "the function; - reads stdin") -> None:
    p.add_argument(name, help=help)
    p.add_argument("--input", choices=("auto", "calc", "latex"), default="auto",
                   help="input language (default: LaTeX if it has a backslash, else calculator syntax)")
    _log10_arg(p)


# ---- the log notation (issue 10): --log10 reads a plain log as log base 10, as OpenStax writes it
def _log10_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--log10", action="store_true",
                   help="read log(x) as log base 10 (default: log is the natural log, ln)")


def _in_notation(handler, args):
    """The handler run with the chosen log notation (set on the thread that parses)."""
    if not getattr(args, "log10", False):
        return handler(args)
    from .language.words import log_notation
    with log_notation(10):
        return handler(args)
# ---- end of the log notation block


class _Only:
    """The subcommands, of which only `only` (the one being run) is built; None builds all.

    Why: declaring all fifteen subcommands' options costs ~10 ms of every cold start (argparse
    makes a help formatter per option), while `tutor diff x^2` reads only diff's. The parser of
    the one command is the same object it would be among all of them, so its parsing, usage
    and errors are unchanged; `tutor`, `tutor --help` and an unknown command build all."""

    def __init__(self, sub, only: str | None):
        self.sub, self.only = sub, only

    def add_parser(self, name: str, **kwargs):
        return self.sub.add_parser(name, **kwargs) if self.only in (None, name) else _Unused()


class _Unused:
    """A subcommand that is not being run: its options are not declared."""

    def add_argument(self, *args, **kwargs) -> None:
        return None


def _build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tutor", allow_abbrev=False,
        description="Step-by-step differentiation tutor: worked solutions, numeric and "
                    "automatic differentiation, gradients, and a grader.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = _Only(parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                      parser_class=_Parser), only)

    p = sub.add_parser("parse", help="show how an expression was read")
    _expr_arg(p)
    p.add_argument("--format", choices=("text", "latex", "sympy", "tree", "json"), default="text")

    p = sub.add_parser("diff", help="worked solution of a derivative")
    _expr_arg(p)
    p.add_argument("--var", help="variable (x), or x,y for the mixed partial d2f/dxdy")
    p.add_argument("--constants", help="names held constant, each one name (a,b,k or rate)")
    p.add_argument("--order", type=int, default=1, help="order of the derivative (default 1)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "steps", "full"), default="normal")
    p.add_argument("--at", help="evaluate the derivative at a point, e.g. w=4 or x=1,y=2")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")

    p = sub.add_parser("numeric", help="finite differences with a small epsilon, then a table of shrinking epsilon")
    _expr_arg(p)
    p.add_argument("--at", required=True, help="the point, e.g. w=3")
    p.add_argument("--var", help="variable (default: the only one, or the one in --at)")
    p.add_argument("--eps", default="0.001", help="the small change epsilon (default 0.001)")
    p.add_argument("--digits", default="6",
                   help="decimals of the difference quotient k (default 6), or 'full' for Python's repr")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("grad", help="gradient, directional derivative, Hessian")
    _expr_arg(p)
    p.add_argument("--vars", help="variables in order, e.g. w1,w2 (default: all, in order of appearance)")
    p.add_argument("--at", help="a point, e.g. w1=0,w2=0.5")
    p.add_argument("--along", help="a direction vector, e.g. 2,3,-1 (normalised)")
    p.add_argument("--hessian", action="store_true", help="also the Hessian matrix")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="brief")

    p = sub.add_parser("dual", help="forward-mode AD with dual numbers, line by line")
    _expr_arg(p)
    p.add_argument("--wrt", required=True, help="the variable seeded with derivative 1")
    p.add_argument("--at", required=True, help="values of every variable, e.g. x=2,y=3,z=-1")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("backprop", help="reverse-mode AD on the computation graph")
    _expr_arg(p)
    p.add_argument("--at", required=True, help="values of every variable")
    p.add_argument("--format", choices=FORMATS + ("dot", "tikz"), default="text")

    p = sub.add_parser("descend", help="gradient descent with the symbolic derivative")
    _expr_arg(p)
    p.add_argument("--var", help="variable(s), e.g. w or w1,w2")
    p.add_argument("--start", default="0", help="start point, e.g. 0 or 0,1 (one value per variable)")
    p.add_argument("--rate", default="0.1", help="learning rate alpha")
    p.add_argument("--steps", type=int, default=10, help="most iterations")
    p.add_argument("--tol", default="1e-10", help="stop when the step is smaller than this")
    p.add_argument("--format", choices=FORMATS, default="text")

    p = sub.add_parser("definition", help="the derivative from the limit definition, line by line")
    _expr_arg(p)
    p.add_argument("--var", help="variable (default: the only one); the others are held constant")
    p.add_argument("--at", help="also f'(a) and the x -> a form, e.g. x=2")
    p.add_argument("--table", action="store_true", help="the difference quotient for h = 0.1, 0.01, ... (needs --at)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")

    p = sub.add_parser("check", help="grade a student's derivative (exit 0 correct, 1 incorrect, 2 unreadable, 3 undetermined)")
    p.add_argument("function", help="the function to differentiate")
    p.add_argument("answer", nargs="?", help="the student's answer (or use --work FILE)")
    p.add_argument("--work", help="a file of the student's working, one '= ...' line each; - reads stdin")
    p.add_argument("--var")
    p.add_argument("--order", type=int, default=1)
    p.add_argument("--input", choices=("auto", "calc", "latex"), default="auto")
    p.add_argument("--allow-calculus", action="store_true", help="accept d/dx and ' in answers")
    p.add_argument("--constants", help="names held constant, each one name (a,b,k or rate)")
    p.add_argument("--names", help="multi-letter names, each one name (rate,k2), not a product")
    _log10_arg(p)
    p.add_argument("--tangent-at", help="grade the tangent line at this point, e.g. x=4")
    p.add_argument("--normal", action="store_true", help="with --tangent-at: the normal line")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")

    p = sub.add_parser("implicit", help="implicit differentiation: dy/dx of an equation in x and y")
    _expr_arg(p, "equation", "the equation, e.g. \"x^2 + y^2 = 25\"; - reads stdin")
    p.add_argument("--dep", default="y", help="the dependent variable (default y)")
    p.add_argument("--var", default="x", help="the variable (default x)")
    p.add_argument("--at", help="a point on the curve, e.g. x=3,y=4: the slope and the tangent line")
    p.add_argument("--order", type=int, default=1, help="1 (dy/dx) or 2 (also d2y/dx2)")
    p.add_argument("--prime", action="store_true", help="write y' instead of dy/dx")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="normal")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")

    p = sub.add_parser("tangent", help="tangent (and normal) line at a point")
    _expr_arg(p, "expr", "the function, or an equation such as \"x^2 + y^2 = 25\"; - reads stdin")
    p.add_argument("--at", required=True, help="the point, e.g. x=2 (a curve: x=3,y=4)")
    p.add_argument("--normal", action="store_true", help="also the normal line")
    p.add_argument("--var", help="variable (default: the only one; x for an equation)")
    p.add_argument("--dep", default="y", help="for an equation: the dependent variable (default y)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--detail", choices=("brief", "normal", "full"), default="normal")
    p.add_argument("--standalone", action="store_true", help="LaTeX: a compilable document")

    p = sub.add_parser("serve", help="the grader as an HTTP service (extra: serve)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    p.add_argument("--token-file", help="require 'Authorization: Bearer <token>', tokens one a line")
    p.add_argument("--deadline", type=float, default=2.0, help="seconds per request (default 2)")
    p.add_argument("--body-limit", type=int, default=65536, help="bytes per request body (default 65536)")
    p.add_argument("--cors", action="append", metavar="ORIGIN", help="allow this origin (repeatable)")
    p.add_argument("--log-answers", action="store_true", help="log the answer text too")

    p = sub.add_parser("grade", help="grade a JSONL or CSV file of answers, one output row per row")
    p.add_argument("file", help="rows {id, function, answer, var?, order?}; - reads stdin")
    p.add_argument("-o", "--output", help="output file (JSONL, or CSV if it ends in .csv)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--dask", metavar="ADDRESS", help="grade on a Dask cluster (extra: dask)")
    p.add_argument("--resume", action="store_true", help="keep the rows already in OUT")
    p.add_argument("--deadline", type=float, default=2.0, help="seconds per row (default 2)")

    # answer keys and lecture notes (tutor.documents): exit 0 all worked, 1 some line failed
    # (the document is still written, with a note there), 2 the file itself is unusable
    p = sub.add_parser("notes", help="an answer key (LaTeX, Markdown or HTML) from a problem-set file")
    p.add_argument("file", help="the problem set: one function a line, options after ';'; - reads stdin")
    p.add_argument("--format", choices=("latex", "markdown", "html"),
                   help="default: markdown when OUT ends in .md, html for .html, else latex")
    p.add_argument("--detail", choices=("brief", "normal", "steps", "full"), default="normal")
    p.add_argument("--plots", action="store_true", help="a figure per problem (the plotting package)")
    p.add_argument("--title", help="the document's title (default: the file's title line)")
    p.add_argument("-o", "--output", help="write here (Markdown figures go beside it, in OUT_figures/)")
    _plot_parser(sub)
    return parser


def _plot_parser(sub) -> None:
    """`tutor plot`: f and f', tangent, secants; contours of f(x, y); a descent path."""
    p = sub.add_parser("plot", help="draw f and f', tangents and secants, level curves, descent (svg/png/pdf: extra plot)")
    _expr_arg(p)
    p.add_argument("--var", help="variable (x), or x,y for level curves (default: the expression's)")
    p.add_argument("--range", help="x range lo,hi (default: chosen around zeros, extrema and poles)")
    p.add_argument("--yrange", help="level curves: y range lo,hi (default: --range, or chosen)")
    p.add_argument("--derivative", action="store_true", help="also f', and shade where f increases/decreases")
    p.add_argument("--tangent-at", help="the tangent line at this x, e.g. 1 or pi/4")
    p.add_argument("--secants-at", help="secants from this x to x + h for each --h")
    p.add_argument("--h", help="the secants' h values (default 1,0.5,0.1)")
    p.add_argument("--at", help="level curves: the point of the gradient arrow, e.g. x=1,y=2")
    p.add_argument("--direction", help="level curves: a direction at --at, e.g. 1,1 (D_u f)")
    p.add_argument("--levels", type=int, help="level curves: how many (default 10)")
    p.add_argument("--descent", action="store_true", help="gradient descent's path (with --start, --rate, --steps)")
    p.add_argument("--start", help="descent: start point, e.g. 2,1 (default 0)")
    p.add_argument("--rate", default="0.1", help="descent: learning rate (default 0.1)")
    p.add_argument("--steps", type=int, default=10, help="descent: most iterations (default 10)")
    p.add_argument("--format", choices=("svg", "png", "pdf", "tikz"),
                   help="output format (default: from -o's suffix, else svg)")
    p.add_argument("-o", "--output", help="write to this file (png and pdf need it unless piped)")


class _Version(argparse.Action):
    """--version, looked up only when asked (importlib.metadata costs ~15 ms of cold start)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"tutor {_version()}")
        parser.exit()


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("derivative-tutor")
    except Exception:  # running from a source checkout without installing
        return "0.1.0"


def _wants_json(argv: list[str]) -> bool:
    return any(a == "--format=json" or (a == "--format" and b == "json")
               for a, b in zip(argv, argv[1:] + [""]))


def _error_json(code: str, message: str, status: int, exc: TutorError | None = None) -> str:
    import json
    error = {"code": code, "message": message, "line": None, "column": None,
             "hint": getattr(exc, "hint", None)}
    if exc is not None and hasattr(exc, "line"):
        error["line"], error["column"] = exc.line, exc.column
    return json.dumps({"schema": "tutor.error/1", "error": error, "exit": status},
                      indent=2, ensure_ascii=False)


def _fail(command: str, argv: list[str], status: int, code: str, message: str,
          exc: TutorError | None = None) -> int:
    if _wants_json(argv):
        sys.stdout.write(_error_json(code, message, status, exc) + "\n")
    else:
        print(f"tutor {command}: {exc if exc is not None else message}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    if argv is None:   # the process's entry point (python -m tutor, the `tutor` script):
        # what start-up made (modules, classes, tables: alive until exit anyway) is moved out
        # of the garbage collector's sight, so its full collections skip it (~4-5% of the CPU
        # of `tutor diff x^2`, measured side by side); never for a caller of main(argv).
        import gc
        gc.freeze()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser(argv[0] if argv and argv[0] in HANDLERS else None)
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        if not _wants_json(argv):
            sys.stderr.write(exc.usage)
        command = argv[0] if argv and argv[0] in HANDLERS else ""
        return _fail(command or "", argv, EXIT_USAGE, "usage", exc.message)
    module_name, func_name = HANDLERS[args.command].split(":")
    handler = getattr(import_module(module_name), func_name)
    from ._deep import run_deep
    try:
        output, code = (_in_notation(handler, args) if args.command in MAIN_THREAD
                        else run_deep(_in_notation, handler, args))
    except TutorError as exc:
        status = EXIT_AUTHOR if args.command == "check" else EXIT_BAD_INPUT
        if getattr(exc, "code", "") == "usage":
            status = EXIT_USAGE
        return _fail(args.command, argv, status, exc.code, exc.message, exc)
    except (RecursionError, MemoryError) as exc:  # a safety net; limits should catch these first
        status = EXIT_AUTHOR if args.command == "check" else EXIT_BAD_INPUT
        return _fail(args.command, argv, status, "limit",
                     f"input too large to handle ({type(exc).__name__}); see the limits in README")
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
