"""An answer key from a problem-set file: read, work every line, write one document.

    answer_key(source, format="latex", detail="normal", plots=False) -> str
    build_key(source, ...) -> AnswerKey(text, files, failures, problems)

Why two: `answer_key` is the one-call API (figures inline); `build_key` returns the figure
files apart (name -> SVG) and the failures, so the command line can write the files beside
its output and report each failed line on stderr. Nothing here writes a file or prints.
A failed line is a note in the document and a row of the table, never an exception; the
document is always complete. A third format is one writer class added to WRITERS.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import TutorError
from .latex import LatexWriter
from .html import HtmlWriter
from .markdown import MarkdownWriter
from .problems import DETAILS, read_problem_set
from .work import Failed, Worked, work
from .writers import render_record

__all__ = ["AnswerKey", "answer_key", "build_key", "WRITERS", "FORMATS"]

#: format name -> writer class (documents.writers.Writer)
WRITERS = {"latex": LatexWriter, "markdown": MarkdownWriter, "html": HtmlWriter}
FORMATS = tuple(WRITERS)


@dataclass(frozen=True)
class AnswerKey:
    text: str
    files: tuple          # (name, content), ...: figure files to write beside the document
    failures: tuple       # Failed, ...
    problems: int         # how many problems (numbered lines), failed ones included
    notes: tuple = ()     # (problem number, message): figures that could not be drawn


def answer_key(source: str, *, format: str = "latex", detail: str = "normal",
               plots: bool = False, title: str | None = None) -> str:
    """The answer key of a problem set (the file's text) as one LaTeX or Markdown document;
    with `plots`, figures are inline (LaTeX: TikZ; Markdown: SVG data URIs)."""
    return build_key(source, format=format, detail=detail, plots=plots, title=title).text


def build_key(source: str, *, format: str = "latex", detail: str = "normal", plots: bool = False,
              title: str | None = None, figure_link: Callable[[str], str] | None = None,
              progress=None) -> AnswerKey:
    """The answer key and its parts. `figure_link(name)`: where the document links figure file
    `name` (Markdown); None puts figures inline. `progress`: an object with update(done)."""
    writer_class = WRITERS.get(format)
    if writer_class is None:
        raise TutorError(f"unknown format '{format}'", code="usage",
                         hint="one of " + ", ".join(FORMATS))
    if detail not in DETAILS:
        raise TutorError(f"unknown detail '{detail}'", code="usage", hint="one of " + ", ".join(DETAILS))
    if not isinstance(source, str):
        raise TutorError("a problem set is text, one function a line", code="problem")
    writer = writer_class()
    if plots and writer.figure_format is not None:
        from .figures import require_plotting
        require_plotting(writer.figure_format)
    pset = read_problem_set(source)
    if not pset.items:
        raise TutorError("the problem set has no problems (only blank lines, comments or a title)",
                         code="empty", hint="write one function a line, e.g. 3x^3 - 3x + 5")
    parts = [writer.begin(title or pset.title, plots and writer.figure_format is not None)]
    rows, files, notes = [], [], []
    for number, item in enumerate(pset.items, 1):
        result = work(number, item, detail)
        if isinstance(result, Worked):
            try:
                body = render_record(result.record, writer.record_method, result.detail,
                                     standalone=False)
            except TutorError as exc:   # a renderer's refusal fails this problem only
                result = Failed(number, item.line, item.column, item.source, exc)
        if isinstance(result, Failed):
            parts.append(writer.failure(result))
        else:
            figure = ""
            if plots and result.plot is not None and writer.figure_format is not None:
                figure, file, note = _figure(writer, result, figure_link)
                if file:
                    files.append(file)
                if note:
                    notes.append((number, note))
            parts.append(writer.problem(result, body, figure))
        rows.append(result)
        if progress is not None:
            progress.update(number)
    parts.append(writer.answers(rows))
    parts.append(writer.end())
    return AnswerKey("".join(parts), tuple(files),
                     tuple(r for r in rows if isinstance(r, Failed)), len(rows), tuple(notes))


def _figure(writer, w: Worked, figure_link) -> tuple[str, tuple | None, str | None]:
    """(the figure's text in the document, the file to write or None, a note or None)."""
    from .figures import draw
    try:
        content = draw(w.plot, writer.figure_format)
    except TutorError as exc:
        if exc.code == "plot":   # the package or its drawing library is missing: all fail
            raise
        return "", None, f"no figure: {exc.message}"
    if figure_link is None or writer.figure_format == "tikz":
        return writer.figure(w, content, None), None, None
    name = f"problem-{w.number:02d}.{writer.figure_format}"
    return writer.figure(w, content, figure_link(name)), (name, content), None
