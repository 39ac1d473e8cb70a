"""Reading a problem-set file: one problem a line, each with its options, and a title.

Why a format of its own: a teacher writes a problem set as a list of functions, not as JSON;
the file must read like the sheet handed out. The format (README, "Answer keys and lecture
notes"):

    # title: Week 3 -- derivatives          (or a first line `Title: Week 3 -- derivatives`)
    # a comment; blank lines are skipped
    3x^3 - 3x + 5
    1/w^2 ; at w=4
    x^2 + 3x ; definition
    x^2 + y^2 = 25 ; implicit ; at x=3,y=4
    sqrt(x) ; tangent at x=4 ; normal
    w^2 ; numeric at w=3

A line is the function (calculator syntax or LaTeX), then options after `;` (a `\\;` is LaTeX
spacing, not a separator): `var t` (or `var x,y`: the mixed partial), `order 2`, `at w=4`,
`definition`, `implicit`, `dep y`, `tangent at x=1`, `normal`, `numeric at w=3`, `eps 0.01`,
`table` (with `definition` and `at`), `constants a,b`, `detail brief|normal|steps|full`. An
equation (a line with `=`) is implicit without saying so. A line whose options cannot be read
is a `BadLine` with its line and column; the rest of the set is still read. The function
itself is read later, by the route that works it (`documents.work`), so its errors carry the
column where it stands in the file.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from ..errors import LimitError, TutorError

__all__ = ["Options", "Problem", "BadLine", "ProblemSet", "read_problem_set", "OPTION_WORDS",
           "ROUTES", "DETAILS", "MAX_PROBLEMS", "MAX_LINE"]

ROUTES = ("diff", "definition", "implicit", "tangent", "numeric")
DETAILS = ("brief", "normal", "steps", "full")
OPTION_WORDS = ("at", "var", "order", "definition", "implicit", "dep", "tangent", "normal",
                "numeric", "eps", "table", "constants", "detail")
#: bounded work: a set is a sheet of problems, not a corpus
MAX_PROBLEMS = 1000
MAX_LINE = 2000

_SPLIT = re.compile(r"(?<!\\);")
_TITLE = re.compile(r"^\s*#\s*title\s*:\s*(.*?)\s*$", re.IGNORECASE)
_FIRST_TITLE = re.compile(r"^\s*title\s*:\s*(.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Options:
    """What to do with one function; the defaults are a plain first derivative."""
    route: str = "diff"
    var: str | None = None
    order: int = 1
    at: str | None = None
    normal: bool = False
    dep: str = "y"
    constants: str | None = None
    eps: str = "0.001"
    table: bool = False
    detail: str | None = None      # None: the document's detail


@dataclass(frozen=True, slots=True)
class Problem:
    line: int        # 1-based line of the file
    column: int      # 1-based column where the function starts
    text: str        # the function (or equation) as written
    source: str      # the whole line
    options: Options


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that cannot become a problem; `error` says why (a TutorError)."""
    line: int
    column: int
    source: str
    error: TutorError


@dataclass(frozen=True)
class ProblemSet:
    title: str
    items: tuple     # Problem | BadLine, in file order (each is one numbered problem)


def read_problem_set(source: str, default_title: str = "Answer key") -> ProblemSet:
    """The title and the problems of a problem-set file's text (never raises for a bad line:
    that line becomes a BadLine; only a set over MAX_PROBLEMS problems is a LimitError)."""
    title = None
    items: list = []
    seen_content = False
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if not stripped:
            continue
        m = _TITLE.match(line)
        if m and title is None:
            title = m.group(1)
            continue
        if stripped.startswith("#"):
            continue
        m = _FIRST_TITLE.match(line)
        if m and not seen_content and title is None:
            title = m.group(1)
            seen_content = True
            continue
        seen_content = True
        if len(items) >= MAX_PROBLEMS:
            raise LimitError(f"the problem set has more than {MAX_PROBLEMS} problems",
                             hint="split it into several files", line=number, column=1)
        items.append(_read_line(number, line))
    return ProblemSet(title or default_title, tuple(items))


def _read_line(number: int, line: str):
    start = len(line) - len(line.lstrip())
    if len(line) > MAX_LINE:
        return BadLine(number, 1, line, TutorError(
            f"the line has {len(line)} characters; a problem is at most {MAX_LINE}", code="limit"))
    pieces = _SPLIT.split(line)
    text = pieces[0].strip()
    if not text:
        return BadLine(number, start + 1, line, TutorError(
            "the line has options but no function before the first ';'", code="problem",
            hint="write the function first, e.g. 1/w^2 ; at w=4"))
    options = Options()
    offset = len(pieces[0]) + 1
    for piece in pieces[1:]:
        column = offset + (len(piece) - len(piece.lstrip())) + 1
        offset += len(piece) + 1
        if not piece.strip():
            continue
        try:
            options = _option(options, piece.strip())
        except TutorError as exc:
            return BadLine(number, column, line, exc)
    try:
        options = _settle(options, text)
    except TutorError as exc:
        return BadLine(number, start + 1, line, exc)
    return Problem(number, start + 1, text, line, options)


def _route(options: Options, route: str) -> Options:
    if options.route not in ("diff", route):
        raise TutorError(f"a problem takes one route: '{options.route}' and '{route}' are both given",
                         code="option", hint="keep one of definition, implicit, tangent, numeric")
    return replace(options, route=route)


def _option(options: Options, piece: str) -> Options:
    """One `;`-separated option applied to the options so far."""
    word, _, rest = piece.partition(" ")
    word, rest = word.lower(), rest.strip()
    match word:
        case "at":
            return replace(options, at=_needs(word, rest, "a point, e.g. at w=4"))
        case "var":
            return replace(options, var=_needs(word, rest, "a name, e.g. var t"))
        case "dep":
            return replace(options, dep=_needs(word, rest, "a name, e.g. dep y"))
        case "constants":
            return replace(options, constants=_needs(word, rest, "names, e.g. constants a,b"))
        case "eps":
            return replace(options, eps=_needs(word, rest, "a small number, e.g. eps 0.001"))
        case "order":
            value = _needs(word, rest, "a whole number, e.g. order 2")
            if not value.isdigit() or int(value) < 1:
                raise TutorError(f"order needs a positive whole number, not '{value}'", code="option",
                                 hint="e.g. order 2")
            return replace(options, order=int(value))
        case "detail":
            value = _needs(word, rest, "one of " + ", ".join(DETAILS)).lower()
            if value not in DETAILS:
                raise TutorError(f"detail is one of {', '.join(DETAILS)}, not '{value}'", code="option")
            return replace(options, detail=value)
        case "definition" | "implicit" | "table" | "normal" if rest:
            raise TutorError(f"'{word}' takes nothing after it (got '{rest}')", code="option",
                             hint="separate options with ';', e.g. definition ; at x=2")
        case "definition" | "implicit":
            return _route(options, word)
        case "table":
            return replace(options, table=True)
        case "normal":
            return replace(_route(options, "tangent"), normal=True)
        case "tangent" | "numeric":
            options = _route(options, word)
            if not rest:
                return options
            at_word, _, point = rest.partition(" ")
            if at_word.lower() != "at" or not point.strip():
                raise TutorError(f"write '{word} at POINT', not '{piece}'", code="option",
                                 hint=f"e.g. {word} at x=1")
            return replace(options, at=point.strip())
    close = difflib.get_close_matches(word, OPTION_WORDS, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "options: " + ", ".join(OPTION_WORDS)
    raise TutorError(f"unknown option '{word}'", code="option", hint=hint)


def _needs(word: str, rest: str, what: str) -> str:
    if not rest:
        raise TutorError(f"'{word}' needs {what}", code="option")
    return rest


def _settle(options: Options, text: str) -> Options:
    """The options as a whole: the route an equation takes, and what each route needs."""
    equation = any(ch == "=" and (i == 0 or text[i - 1] not in "<>!")
                   and (i + 1 == len(text) or text[i + 1] != "=") for i, ch in enumerate(text))
    if equation and options.route == "diff":
        options = replace(options, route="implicit")
    route = options.route
    if route in ("tangent", "numeric") and not options.at:
        raise TutorError(f"'{route}' needs a point", code="option", hint=f"e.g. {route} at x=1")
    if options.order != 1 and route not in ("diff", "implicit"):
        raise TutorError(f"'order' works with a plain derivative or 'implicit', not '{route}'",
                         code="option")
    if route == "implicit" and options.order > 2:
        raise TutorError("implicit differentiation goes to order 1 or 2", code="option")
    if options.table and (route != "definition" or not options.at):
        raise TutorError("'table' goes with 'definition' and 'at'", code="option",
                         hint="e.g. x^2 ; definition ; at x=1 ; table")
    if options.constants and route != "diff":
        raise TutorError("'constants' works with a plain derivative", code="option")
    return options
