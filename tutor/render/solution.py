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

from typing import Callable

from ..expr import ZERO, Call, Derivative, Expr, Sym, children, with_children
from ..printing import Relation
from ..rules import FUNCTION_NAMES, Rule, rule_info
from ..steps import Note, Stage, fill_template, note_text
from .layout import LATEX_WIDTH, TEXT_WIDTH, latex_rows, latex_width, text_chunks, wrap
from .lines import stage_lines
from .common import derivative_head, latex_text, standalone_document, tex_escape

#: tutor.solution/2 (was /1): "steps" is still the atomic step tree in blackboard order, and
#: "lines" is new, the displayed lines of `--detail normal` (render.lines), each with its stage,
#: kind, label, expression and "steps", the indices into "steps" of the atomic steps it groups.
SCHEMA = "tutor.solution/2"
MAX_SUMMARY_STEPS = 400
ELLIPSIS = Sym("...")

#: one sentence per rule id; {name} placeholders are the step's bindings, {0}, {1} a Note's own
#: maths, all printed as maths in each format. Built at import, read-only after.
NARRATION: dict[str, str | Note] = {
    Rule.CONSTANT: "The derivative of a constant is 0",
    Rule.VARIABLE: "The derivative of the variable itself is 1",
    Rule.SUM: "Differentiate term by term",
    Rule.NEGATION: "A minus sign is a constant factor -1",
    Rule.CONSTANT_MULTIPLE: "Pull out the constant factor {c}",
    Rule.CONSTANT_DIVISOR: "Dividing by the constant {c} is a constant factor",
    Rule.RECIPROCAL: "Reciprocal rule with c = {c}, v = {v}",
    Rule.POWER: "Power rule with n = {n}",
    Rule.PRODUCT: "Product rule with u = {u}, v = {v}",
    Rule.GENERAL_PRODUCT: "General product rule: differentiate one factor at a time",
    Rule.QUOTIENT: "Quotient rule with u = {u}, v = {v}",
    Rule.CHAIN: "Chain rule with inner function g = {g}",
    Rule.LOG_DIFF: "Logarithmic differentiation with f = {f}, g = {g}",
    Rule.EXP: "The exponential function is its own derivative",
    Rule.EXP_BASE: "Exponential rule with base a = {a}",
    Rule.LOG: "Logarithm to base b = {b}",
    Rule.MAX: "Follow the larger argument",
    Rule.MIN: "Follow the smaller argument",
    Rule.RELU: Note("{0}, so its derivative is u' where {1}",
                    (Relation(Call("relu", (Sym("u"),)), "=", Call("max", (ZERO, Sym("u")))),
                     Relation(Sym("u"), ">=", ZERO))),
    Rule.INDICATOR: "A step function is flat away from its jump",
    Rule.REWRITE: "Rewrite as {as}",
}
NARRATION.update({Rule(f): f"Derivative of the {name}" for f, name in FUNCTION_NAMES.items()
                  if f not in NARRATION})


def is_rule(step) -> bool:
    """A rule step (rather than a simplification), whichever record carries it."""
    return getattr(step, "kind", "simplify") == "rule"


def _narrate(step, show: Callable[[Expr], str], prose: Callable[[str], str] | None = None) -> str:
    """The narration of a rule step in one format (`show` prints maths, `prose` words)."""
    template = NARRATION.get(step.rule) or step.rule
    maths = ()
    if isinstance(template, Note):
        template, maths = template.template, template.maths
    try:
        return fill_template(template, show, maths, dict(step.bindings), prose)
    except (KeyError, IndexError, ValueError):
        return prose(template) if prose is not None else template


def step_name(step) -> str:
    if is_rule(step):
        return rule_info(step.rule).name
    return getattr(step, "name", step.rule)


def _dollars(e: Expr) -> str:
    """Maths inside prose, for LaTeX `\\text{}` and Markdown alike."""
    from ..printing import to_latex
    return f"${to_latex(e)}$"


_TEX_SYMBOLS = {"≠": "$\\neq$", "≥": "$\\geq$", "≤": "$\\leq$", "→": "$\\to$", "·": "$\\cdot$",
                "−": "-", "…": "\\dots{}"}


def tex_prose(s: str) -> str:
    """Prose for `\\text{}`: escaped, and the few symbols notes use as maths (pdflatex has no
    glyph for ≠ in text, KaTeX refuses \\neq in text mode)."""
    out = tex_escape(s)
    for ch, tex in _TEX_SYMBOLS.items():
        out = out.replace(ch, tex)
    return out


def truncate(e: Expr, levels: int = 4) -> Expr:
    """The top of a tree, deeper parts replaced by '...' (for summaries of huge solutions)."""
    if levels <= 0:
        return ELLIPSIS if children(e) else e
    kids = children(e)
    if not kids:
        return e
    if len(kids) > 8:
        kids = kids[:6] + (ELLIPSIS,) + kids[-1:]
    return with_children(e, tuple(truncate(k, levels - 1) for k in kids)) if not isinstance(e, Derivative) \
        else Derivative(truncate(e.expr, levels - 1), e.var, e.order, e.partial)


# ------------------------------------------------------------------ text

def render_text(sol, detail: str = "normal") -> str:
    from ..printing import to_text
    out: list[str] = []
    multi = len(sol.stages) > 1
    for k, stage in enumerate(sol.stages, 1):
        if multi:
            out.append(f"Derivative {k} (with respect to {stage.var}):")
        out.extend(_stage_text(stage, detail))
        if multi:
            out.append("")
    out.append(f"Answer: {to_text(derivative_head(sol))} = {to_text(sol.answer)}")
    return "\n".join(out)


def _stage_text(stage: Stage, detail: str) -> list[str]:
    from ..printing import to_text
    if detail == "brief":
        used = list(dict.fromkeys(step_name(s) for s in stage.flat_steps()))
        simp = [s.name for s in stage.simplification]
        lines = [f"d/d{stage.var}[{to_text(stage.function)}]", "Rules: " + "; ".join(used)]
        if simp:
            lines.append("Simplify: " + "; ".join(simp))
        return lines
    board = stage.lines()
    if board is None:
        return _summary_text(stage)
    if detail == "normal":
        return _grouped_text(stage_lines(stage))
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
    from ..printing import to_text
    texts = [to_text(ln.expr) for ln in lines]
    out = text_rows(texts[0], "", "  ", 0)
    width = min(max(len(t) for t in texts) + 6, 72)
    for text, ln in zip(texts[1:], lines[1:]):
        out.extend(text_rows(text, ln.label, "  = ", width))
        out.extend(note_rows(n) for n in line_notes(ln, note_text))
    return out


def note_rows(note: str) -> str:
    """A note under its line, wrapped at spaces within TEXT_WIDTH."""
    rows, current = [], "      note:"
    for word in note.split(" "):
        if len(current) + 1 + len(word) > TEXT_WIDTH and current.strip():
            rows.append(current)
            current = "        "
        current += " " + word if not current.endswith("  ") else word
    rows.append(current)
    return "\n".join(rows)


def text_rows(text: str, tag: str, lead: str, width: int) -> list[str]:
    """One displayed line in text: `lead` + the maths + `[tag]` in a column, broken onto
    aligned continuation lines (render.layout) when it would pass TEXT_WIDTH characters."""
    tag = f"  [{tag}]" if tag else ""
    body = lead + text
    if len(body) + len(tag) <= TEXT_WIDTH:
        padded = body.ljust(width) + tag if len(body) < width and tag else body + tag
        return [padded if len(padded) <= TEXT_WIDTH else body + tag]
    indent = " " * (len(lead) + 2)
    rows = wrap(text, TEXT_WIDTH - len(lead), TEXT_WIDTH, len(indent))
    out = [lead + rows[0]] + [indent + r for r in rows[1:]]
    if tag and len(out[-1]) + len(tag) <= TEXT_WIDTH:
        out[-1] += tag
    elif tag:
        out.append(indent + tag.strip())
    return out


def line_notes(line, show) -> list[str]:
    """The notes of the atomic steps a displayed line groups, each once, in one format."""
    return list(dict.fromkeys(show(s.note) for s in line.steps if s.note))


def _explain_text(step) -> list[str]:
    from ..printing import to_text
    if not is_rule(step):
        return [note_text(step.note)] if step.note else []
    info = rule_info(step.rule)
    out = [f"{info.name}: {info.text}"]
    sentence = _narrate(step, to_text)
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
    from ..printing import to_text
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

def render_latex(sol, detail: str = "normal", standalone: bool = False) -> str:
    from ..printing import to_latex
    rows: list[str] = []
    for stage in sol.stages:
        board = stage.lines() if detail != "brief" else None
        if board is None:
            first = Derivative(truncate(stage.function) if detail != "brief" else stage.function,
                               stage.var, 1, stage.partial)
            rows.append(f"{to_latex(first)} &= {to_latex(stage.answer)}")
            continue
        if detail == "normal":
            rows.extend(_grouped_latex(stage_lines(stage), alone=len(sol.stages) == 1))
            continue
        head = to_latex(board[0][0])
        if len(board) == 1:
            rows.append(head)
        for i, (line, step) in enumerate(board[1:]):
            lead = f"{head} &= " if i == 0 else "&= "
            rows.append(f"{lead}{to_latex(line)} && {latex_text(step_name(step))}")
            if detail == "full":
                rows.extend(_explain_latex(step))
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


def _grouped_latex(lines, alone: bool = True) -> list[str]:
    """The textbook view in an align*: long lines broken (render.layout.latex_rows) onto
    `&\\quad {} + ...` rows, rule names beside the lines when the widest line and the widest
    name fit the text width together, otherwise each name on short rows above its line; notes
    on short rows under it. Every row stays inside an `article` text width."""
    from ..printing import to_latex
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
        for n in line_notes(ln, lambda note: note_text(note, _dollars, tex_prose)):
            rows.extend(f"& \\text{{{c}}}" for c in text_chunks("note: " + n, room))
    return rows


def _explain_latex(step) -> list[str]:
    """At full detail, under every line: the rule's formula and the step's note, if any."""
    out = [f"& && {rule_info(step.rule).latex}"] if is_rule(step) else []
    if step.note:
        out.append(f"& && \\text{{note: {note_text(step.note, _dollars, tex_prose)}}}")
    return out


# ------------------------------------------------------------------ Markdown

def render_markdown(sol, detail: str = "normal") -> str:
    from ..printing import to_latex
    out = [f"**Differentiate** ${to_latex(sol.function)}$ with respect to "
           + ", ".join(f"${to_latex(Sym(v))}$" for v in sol.variables) + ":", ""]
    for stage in sol.stages:
        board = stage.lines() if detail != "brief" else None
        if board is None:
            out.append(f"$$ {to_latex(Derivative(stage.function, stage.var, 1, stage.partial))} "
                       f"= {to_latex(stage.answer)} $$")
            continue
        if detail == "normal":
            lines = stage_lines(stage)
            out.append(f"$$ {to_latex(lines[0].expr)} $$")
            for ln in lines[1:]:
                notes = line_notes(ln, lambda note: note_text(note, _dollars))
                out.append(f"*{ln.label}*" + "".join(f" ({n})" for n in notes))
                out.append(f"$$ = {to_latex(ln.expr)} $$")
            continue
        out.append(f"$$ {to_latex(board[0][0])} $$")
        for line, step in board[1:]:
            label = f"*{step_name(step)}*"
            if detail == "full" and is_rule(step):
                sentence = _narrate(step, _dollars)
                if sentence:
                    label += f": {sentence}"
            if step.note:
                label += f" ({note_text(step.note, _dollars)})"
            out.append(label)
            out.append(f"$$ = {to_latex(line)} $$")
    out.append("")
    out.append(f"**Answer:** ${to_latex(sol.answer)}$")
    return "\n".join(out)


# ------------------------------------------------------------------ JSON

def render_dict(sol, detail: str = "full") -> dict:
    from ..printing import expr_json
    steps: list = []
    lines: list = []
    for k, stage in enumerate(sol.stages, 1):
        board = stage.lines()
        line_of = {}
        if board is not None:
            for (before, _), (after, step) in zip(board, board[1:]):
                line_of[id(step)] = (before, after)
        first = len(steps)
        atomic = stage.flat_steps() + tuple(stage.simplification)
        index = {id(s): first + i for i, s in enumerate(atomic)}
        grouped = stage_lines(stage) if board is not None else None
        for ln in grouped or ():
            lines.append({"stage": k, "kind": ln.kind, "label": ln.label, "expr": expr_json(ln.expr),
                          "steps": [index[id(s)] for s in ln.steps if id(s) in index]})
        for s in atomic:
            rule = is_rule(s)
            info = rule_info(s.rule) if rule else None
            pair = line_of.get(id(s))
            steps.append({
                "stage": k,
                "kind": "rule" if rule else "simplify",
                "rule": str(s.rule),  # the plain id, not the Rule member
                "name": info.name if rule else s.name,
                "formula": {"text": info.text, "latex": info.latex} if rule else None,
                "bindings": {name: expr_json(v) for name, v in s.bindings} if rule else {},
                "instantiated": expr_json(s.instantiated) if rule and s.instantiated is not None else None,
                "note": note_text(s.note),
                "local": {"before": expr_json(s.before), "after": expr_json(s.after)},
                "line": {"before": expr_json(pair[0]), "after": expr_json(pair[1])} if pair else None,
            })
    return {
        "schema": SCHEMA,
        "input": sol.input,
        "function": expr_json(sol.function),
        "variable": sol.var,
        "variables": list(sol.variables),
        "order": sol.order,
        "partial": sol.partial,
        "answer": expr_json(sol.answer),
        "summarised": any(st.lines() is None for st in sol.stages),
        "steps": steps,
        "lines": lines,
    }
