"""A worked Solution (tutor.solve.Solution) as an HTML fragment, every line in MathML.

Why it reuses the text renderer's line builders: the lines, their grouping and their labels
are `render.lines.stage_lines` (normal detail) and `Stage.lines()` (steps, full), the same
ones the text, LaTeX and Markdown renderers print, so the page never shows a different working
from the terminal; only the drawing differs. Detail levels as elsewhere: `brief` (the rules
used and the answer), `normal`, `steps` (one atomic rule per line), `full` (each step's
bindings and local equation under it). A solution too big to show line by line says so and
gives the answer.
"""
from __future__ import annotations

from ..expr import Sym
from ..rules import rule_info
from .common import derivative_head
from .html_common import answer, body, esc, line_row, lines_table, maths_inline, note_html, note_row, section
from .lines import stage_lines
from .solution import is_rule, line_notes, step_name

__all__ = ["solution_html", "stage_html", "DETAILS"]

DETAILS = ("brief", "normal", "steps", "full")


def _problem(sol) -> str:
    names = ", ".join(maths_inline(Sym(v)) for v in dict.fromkeys(sol.variables))
    order = "" if sol.order == 1 else f" ({sol.order} times)" if len(set(sol.variables)) == 1 else ""
    return (f'<p class="tutor-problem">Differentiate {maths_inline(sol.function)} with respect to '
            f"{names}{esc(order)}.</p>")


def solution_html(sol, detail: str = "normal") -> str:
    """`<section class="tutor-solution">`: the problem, each stage's lines, the answer."""
    parts = [_problem(sol)]
    multi = len(sol.stages) > 1
    for k, stage in enumerate(sol.stages, 1):
        if multi:
            parts.append(f'<p class="tutor-heading">Derivative {k} (with respect to '
                         f"{maths_inline(Sym(stage.var))}):</p>")
        parts.append(stage_html(stage, detail))
    parts.append(answer(body(derivative_head(sol)), body(sol.answer)))
    return section("solution", parts)


def stage_html(stage, detail: str = "normal") -> str:
    """One stage (one differentiation) at a detail level."""
    if detail == "brief":
        used = list(dict.fromkeys(step_name(s) for s in stage.flat_steps()))
        out = f'<p class="tutor-rules">Rules: {esc("; ".join(used))}</p>'
        simp = [s.name for s in stage.simplification if s.name]
        if simp:
            out += f'<p class="tutor-rules">Simplify: {esc("; ".join(simp))}</p>'
        return out
    board = stage.lines() if detail != "normal" else (True if stage.shows_lines() else None)
    if board is None:
        return (f'<p class="tutor-summary">{len(stage.flat_steps())} steps: too long to show '
                "line by line; the answer follows.</p>")
    if detail == "normal":  # the grouped view builds its own lines
        return _grouped(stage_lines(stage))
    rows = []
    head = body(board[0][0])
    if len(board) == 1:
        rows.append(line_row(head, None))
    for i, (line, step) in enumerate(board[1:]):
        rows.append(line_row(head if i == 0 else "", body(line), esc(step_name(step))))
        if detail == "full":
            rows.extend(_explain(step))
        elif step.note:
            rows.append(note_row("note: " + note_html(step.note)))
    return lines_table(rows)


def _grouped(lines) -> str:
    """The textbook view: a line per group of atomic steps, labelled, its notes under it."""
    head = body(lines[0].expr)
    if len(lines) == 1:
        return lines_table([line_row(head, None)])
    rows = []
    for i, ln in enumerate(lines[1:]):
        rows.append(line_row(head if i == 0 else "", body(ln.expr), esc(ln.label)))
        rows.extend(note_row("note: " + n) for n in line_notes(ln, note_html))
    return lines_table(rows)


def _explain(step) -> list[str]:
    """Full detail: the rule's bindings and its local equation (before = with values in =
    after), under the line."""
    out = []
    if is_rule(step):
        if step.bindings:
            where = ", ".join(f"{maths_inline(Sym(n))} = {maths_inline(v)}" for n, v in step.bindings)
            out.append(note_row(f"{esc(rule_info(step.rule).name)} with {where}", "tutor-part"))
        chain = [step.before] + ([step.instantiated] if step.instantiated is not None else []) + [step.after]
        eq = " = ".join(maths_inline(e) for e in chain)
        out.append(note_row(eq, "tutor-part"))
    if step.note:
        out.append(note_row("note: " + note_html(step.note)))
    return out
