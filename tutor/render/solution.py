"""Solutions to text, LaTeX, Markdown and JSON. Narration is written once (NARRATION, keyed
by rule id) and notes are templates too (steps.Note): each renderer differs only in how it
prints the maths in the placeholders (text: calculator syntax; LaTeX: `$...$` inside `\\text{}`,
the words escaped; Markdown: `$...$`), so no page shows calculator syntax in its prose.
Renderers only read the step record, and tell rule steps from simplifications by `kind`:
they never differentiate, simplify or import SymPy.

Detail levels: `brief` (rules used and the answer), `normal` (textbook granularity, the grouped
view of render.lines: a line applies one rule to each pending derivative, derivatives known at
sight done inline, each line labelled with every rule it applied), `steps` (one atomic rule per
line, tagged with its rule), `full` (the `steps` lines, then each rule's formula, its bindings
and the local equation).
Huge solutions (over limits.LINE_BUDGET nodes of lines) are summarised: the local equation of
each step, sub-expressions past a few levels shown as "...", the first MAX_SUMMARY_STEPS steps.
"""
from __future__ import annotations

from ..expr import Derivative, Sym
from ..printing import to_latex, to_text  # (loaded already: render.layout needs printing.base)
from ..rules import rule_info
from ..steps import Stage, note_text
from .layout import LATEX_WIDTH, answer_rows, latex_rows, latex_width, note_rows, text_chunks, text_rows
from .lines import stage_lines
from .orders import compact, compact_latex_rows, compact_markdown, compact_text
from .common import derivative_head, latex_text, standalone_document
from .narration import (ELLIPSIS, MAX_SUMMARY_STEPS, NARRATION, dollars, narrate, is_rule, line_notes,
                        step_name, tex_prose, truncate)
from .solution_json import SCHEMA, render_dict

__all__ = ["SCHEMA", "NARRATION", "ELLIPSIS", "render_text", "render_latex", "render_markdown",
           "render_dict", "text_rows", "md_display", "step_name", "is_rule", "truncate"]

# ------------------------------------------------------------------ text

def render_text(sol, detail: str = "normal") -> str:
    if detail == "normal" and compact(sol):
        return compact_text(sol)  # one line per order (render.orders)
    out: list[str] = []
    multi = len(sol.stages) > 1
    for k, stage in enumerate(sol.stages, 1):
        if multi:
            out.append(f"Derivative {k} (with respect to {stage.var}):")
        out.extend(_stage_text(stage, detail))
        if multi:
            out.append("")
    out.extend(answer_rows(to_text(derivative_head(sol)), to_text(sol.answer)))
    return "\n".join(out)


def _stage_text(stage: Stage, detail: str) -> list[str]:
    if detail == "brief":
        used = list(dict.fromkeys(step_name(s) for s in stage.flat_steps()))
        simp = [s.name for s in stage.simplification]
        lines = [f"d/d{stage.var}[{to_text(stage.function)}]", "Rules: " + "; ".join(used)]
        if simp:
            lines.append("Simplify: " + "; ".join(simp))
        return lines
    if detail == "normal":  # the grouped view builds its own lines
        return _grouped_text(stage_lines(stage)) if stage.shows_lines() else _summary_text(stage)
    board = stage.lines()
    if board is None:
        return _summary_text(stage)
    texts = [to_text(line) for line, _ in board]  # each line printed once
    lines = text_rows(texts[0], "", "  ", 0)
    width = min(max(len(t) for t in texts) + 6, 72)
    for text, (_, step) in zip(texts[1:], board[1:]):
        lines.extend(text_rows(text, step_name(step), "  = ", width))
        if detail == "full":
            lines.extend("      " + t for t in _explain_text(step))
        elif step.note:
            lines.append("      note: " + note_text(step.note))
    return lines


def _grouped_text(lines) -> list[str]:
    """The textbook view (render.lines): one line per group of atomic steps, notes after it."""
    texts = [to_text(ln.expr) for ln in lines]
    out = text_rows(texts[0], "", "  ", 0)
    width = min(max(len(t) for t in texts) + 6, 72)
    for text, ln in zip(texts[1:], lines[1:]):
        out.extend(text_rows(text, ln.label, "  = ", width))
        out.extend(note_rows(n) for n in line_notes(ln, note_text))
    return out


def _explain_text(step) -> list[str]:
    if not is_rule(step):
        return [note_text(step.note)] if step.note else []
    info = rule_info(step.rule)
    out = [f"{info.name}: {info.text}"]
    sentence = narrate(step, to_text)
    if sentence:
        out.append(sentence)
    local = f"{to_text(step.before)} = "
    if step.instantiated is not None:
        local += f"{to_text(step.instantiated)} = "
    out.append(local + to_text(step.after))
    if step.note:
        out.append("note: " + note_text(step.note))
    return out


def _summary_text(stage: Stage) -> list[str]:
    steps = stage.flat_steps()
    out = [f"  d/d{stage.var}[{to_text(truncate(stage.function))}]",
           f"  ({len(steps)} steps: too long to show line by line; each step's own equation follows, "
           f"deep sub-expressions shortened to ...)"]
    for s in steps[:MAX_SUMMARY_STEPS]:
        out.append(f"    {to_text(truncate(s.before))} = {to_text(truncate(s.after))}  [{step_name(s)}]")
    if len(steps) > MAX_SUMMARY_STEPS:
        out.append(f"    ... {len(steps) - MAX_SUMMARY_STEPS} more steps")
    for r in stage.simplification:
        out.append(f"  simplify: {r.name}")
    return out


# ------------------------------------------------------------------ LaTeX

def _board(stage, detail: str):
    """The stage's lines for `detail`: None when none are shown (brief, or too big); at
    normal detail only whether they fit is asked (True), as the grouped view builds its own."""
    if detail == "brief":
        return None
    if detail == "normal":
        return True if stage.shows_lines() else None
    return stage.lines()


def render_latex(sol, detail: str = "normal", standalone: bool = False) -> str:
    rows: list[str] = []
    multi = len(sol.stages) > 1
    for k, stage in enumerate(() if detail == "normal" and compact(sol) else sol.stages, 1):
        if multi:  # a heading per stage, as text has
            rows.append(f"& \\text{{Derivative {k} (with respect to ${to_latex(Sym(stage.var))}$):}}")
        board = _board(stage, detail)
        if board is None:
            first = Derivative(truncate(stage.function) if detail != "brief" else stage.function,
                               stage.var, 1, stage.partial)
            rows.append(f"{to_latex(first)} &= {to_latex(stage.answer)}")
            if detail != "brief":  # say so, as text does
                rows.append(f"& \\text{{({len(stage.flat_steps())} steps: too long to show line by line)}}")
            if detail == "brief":  # the rules used, as brief text lists them
                rows.extend(f"& \\text{{{c}}}" for c in text_chunks(tex_prose(_brief_rules(stage))))
            continue
        if detail == "normal":
            rows.extend(_grouped_latex(stage_lines(stage), alone=not multi))
            continue
        rows.extend(_atomic_latex(board, detail == "full"))
    if multi:
        rows.append(f"{to_latex(derivative_head(sol))} &= {to_latex(sol.answer)}")
    if detail == "normal" and compact(sol):
        rows = compact_latex_rows(sol)
    body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    if not standalone:
        return body
    head = derivative_head(sol)
    problem = (f"\\allowdisplaybreaks\n\\noindent Differentiate ${to_latex(sol.function)}$ with respect to "
               + ", ".join(f"${to_latex(Sym(v))}$" for v in dict.fromkeys(sol.variables)) + ".\n")
    answer = ["& " + to_latex(head)] + [("&= " if j == 0 else "&\\quad {}") + r
                                          for j, r in enumerate(latex_rows(to_latex(sol.answer)))]
    closing = ("\n\\noindent Answer:\n\\begin{align*}\n" + " \\\\\n".join(answer)
               + "\n\\end{align*}")
    return standalone_document(problem + body + closing)


def _atomic_latex(board, full: bool) -> list[str]:
    """`steps`/`full` detail: each line with its rule beside it (`&= ... && Product rule`), the
    formula and note under it at full detail, when the widest line and the widest tag fit the
    page together; otherwise (as the normal view does) each rule on a short row above its line,
    the line broken at its signs (render.layout.latex_rows), the formula on a row below."""
    head = to_latex(board[0][0])
    bodies = [to_latex(line) for line, _ in board[1:]]
    names = [step_name(step) for _, step in board[1:]]
    formulas = [rule_info(step.rule).latex if full and is_rule(step) else "" for _, step in board[1:]]
    tags = [0.75 * len(n) for n in names] + [latex_width(f) for f in formulas]
    widest = max((latex_width(b) for b in bodies), default=0)
    beside = latex_width(head) + widest + max(tags, default=0) <= LATEX_WIDTH + 6
    rows = [head] if len(board) == 1 else ([] if beside else [f"& {head}"])
    for i, ((_, step), body, name, formula) in enumerate(zip(board[1:], bodies, names, formulas)):
        if beside:
            rows.append(f"{head + ' ' if i == 0 else ''}&= {body} && {latex_text(name)}")
        else:
            rows.extend(f"& \\text{{{c}}}" for c in text_chunks(tex_prose(name)))
            rows.extend(("&= " if j == 0 else "&\\quad {}") + r for j, r in enumerate(latex_rows(body)))
        if formula:
            rows.append(f"& && {formula}" if beside else f"& \\qquad {formula}")
        if step.note:
            for c in text_chunks("note: " + note_text(step.note, dollars, tex_prose)):
                rows.append(f"& && \\text{{{c}}}" if beside else f"& \\text{{{c}}}")
    return rows


def _brief_rules(stage) -> str:
    used = list(dict.fromkeys(step_name(s) for s in stage.flat_steps()))
    simp = [s.name for s in stage.simplification]
    return "Rules: " + "; ".join(used) + ("; simplify: " + "; ".join(simp) if simp else "")


def _grouped_latex(lines, alone: bool = True) -> list[str]:
    """The textbook view in an align*: long lines broken (render.layout.latex_rows) onto
    `&\\quad {} + ...` rows, rule names beside the lines when the widest line and the widest
    name fit the text width together, otherwise each name on short rows above its line; notes
    on short rows under it. Every row stays inside an `article` text width."""
    head = to_latex(lines[0].expr)
    if len(lines) == 1:
        return [head]
    bodies = [latex_rows(to_latex(ln.expr)) for ln in lines[1:]]
    widest = max(latex_width(r) for b in bodies for r in b)
    label_room = max(0.9 * len(ln.label) for ln in lines[1:]) + 6
    beside = (alone and latex_width(head) + widest + label_room <= LATEX_WIDTH
              and not any(s.note for ln in lines for s in ln.steps))
    rows = [] if beside else [f"& {head}"]
    for i, (ln, body) in enumerate(zip(lines[1:], bodies)):
        lead = f"{head} &= " if beside and i == 0 else "&= "
        if not beside:
            rows.extend(f"& \\text{{{c}}}" for c in text_chunks(tex_prose(ln.label)))
        for j, part in enumerate(body):
            start = lead if j == 0 else "&\\quad {}"
            tag = f" && {latex_text(ln.label)}" if beside and j == 0 else ""
            rows.append(f"{start}{part}{tag}")
        room = LATEX_WIDTH - (latex_width(head) if beside else 0)
        for n in line_notes(ln, lambda note: note_text(note, dollars, tex_prose)):
            rows.extend(f"& \\text{{{c}}}" for c in text_chunks("note: " + n, room))
    return rows


# ------------------------------------------------------------------ Markdown

def render_markdown(sol, detail: str = "normal") -> str:
    out = [f"**Differentiate** ${to_latex(sol.function)}$ with respect to "
           + ", ".join(f"${to_latex(Sym(v))}$" for v in dict.fromkeys(sol.variables))
           + (f" ({sol.order} times)" if len(set(sol.variables)) == 1 and sol.order > 1 else "") + ":", ""]
    if detail == "normal" and compact(sol):
        out.extend(compact_markdown(sol))
    for stage in (() if detail == "normal" and compact(sol) else sol.stages):
        board = _board(stage, detail)
        if board is None:
            out.append(f"$$ {to_latex(Derivative(stage.function, stage.var, 1, stage.partial))} "
                       f"= {to_latex(stage.answer)} $$")
            if detail != "brief":
                out.append(f"*({len(stage.flat_steps())} steps: too long to show line by line)*")
            continue
        if detail == "normal":
            lines = stage_lines(stage)
            out.append(f"$$ {to_latex(lines[0].expr)} $$")
            for ln in lines[1:]:
                notes = line_notes(ln, lambda note: note_text(note, dollars))
                out.append(f"*{ln.label}*" + "".join(f" ({n})" for n in notes))
                out.append(md_display(to_latex(ln.expr)))
            continue
        out.append(f"$$ {to_latex(board[0][0])} $$")
        for line, step in board[1:]:
            label = f"*{step_name(step)}*"
            if detail == "full" and is_rule(step):
                sentence = narrate(step, dollars)
                if sentence:
                    label += f": {sentence}"
            if step.note:
                label += f" ({note_text(step.note, dollars)})"
            out.append(label)
            out.append(md_display(to_latex(line)))
    out.append("")
    out.append(f"**Answer:** ${to_latex(sol.answer)}$")
    return "\n".join(out)


def md_display(body: str) -> str:
    """`$$ = ... $$`, a long line broken as LaTeX breaks it (render.layout.latex_rows) inside
    an `aligned` (never `align*` inside `$$`)."""
    rows = latex_rows(body)
    if len(rows) == 1:
        return f"$$ = {body} $$"
    inner = " \\\\ ".join(("&= " if j == 0 else "&\\quad {}") + r for j, r in enumerate(rows))
    return f"$$ \\begin{{aligned}} {inner} \\end{{aligned}} $$"
