"""Solutions to text, LaTeX, Markdown and JSON. Narration is written once (NARRATION, keyed
by rule id); each renderer differs only in how it prints the maths in the placeholders.
Renderers only read the step record: they never differentiate, simplify or import SymPy.

Detail levels: `brief` (rules used and the answer), `normal` (every line, tagged with its
rule), `full` (every line, then the rule's formula, its bindings and the local equation).
Huge solutions (over limits.LINE_BUDGET nodes of lines) are summarised: the local equation of
each step, sub-expressions past a few levels shown as "...", the first MAX_SUMMARY_STEPS steps.
"""
from __future__ import annotations

from typing import Callable

from ..expr import Derivative, Expr, Sym, children, with_children
from ..rules import FUNCTION_NAMES, rule_info
from ..steps import Stage, Step
from .common import derivative_head, standalone_document, tex_escape

SCHEMA = "tutor.solution/1"
MAX_SUMMARY_STEPS = 400
ELLIPSIS = Sym("...")

#: one sentence per rule id; {name} placeholders are the step's bindings, printed as maths
NARRATION = {
    "constant": "The derivative of a constant is 0",
    "variable": "The derivative of the variable itself is 1",
    "sum": "Differentiate term by term",
    "negation": "A minus sign is a constant factor -1",
    "constant-multiple": "Pull out the constant factor {c}",
    "constant-divisor": "Dividing by the constant {c} is a constant factor",
    "reciprocal": "Reciprocal rule with c = {c}, v = {v}",
    "power": "Power rule with n = {n}",
    "product": "Product rule with u = {u}, v = {v}",
    "general-product": "General product rule: differentiate one factor at a time",
    "quotient": "Quotient rule with u = {u}, v = {v}",
    "chain": "Chain rule with inner function g = {g}",
    "log-diff": "Logarithmic differentiation with f = {f}, g = {g}",
    "exp": "The exponential function is its own derivative",
    "exp-base": "Exponential rule with base a = {a}",
    "log": "Logarithm to base b = {b}",
    "max": "Follow the larger argument",
    "min": "Follow the smaller argument",
    "relu": "relu(u) = max(0, u), so its derivative is u' where u >= 0",
    "indicator": "A step function is flat away from its jump",
    "rewrite": "Rewrite as {as}",
}
NARRATION.update({f: f"Derivative of the {name}" for f, name in FUNCTION_NAMES.items() if f not in NARRATION})


def _narrate(step, show: Callable[[Expr], str]) -> str:
    template = NARRATION.get(step.rule) or getattr(step, "name", step.rule)
    values = {k: show(v) for k, v in step.bindings} if isinstance(step, Step) else {}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def step_name(step) -> str:
    if isinstance(step, Step):
        return rule_info(step.rule).name
    return getattr(step, "name", step.rule)


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
    first, _ = board[0]
    lines = ["  " + to_text(first)]
    width = min(max(len(to_text(l)) for l, _ in board) + 6, 72)
    for line, step in board[1:]:
        body = "  = " + to_text(line)
        tag = step_name(step)
        lines.append(f"{body.ljust(width)}  [{tag}]" if len(body) < width else f"{body}  [{tag}]")
        if detail == "full":
            lines.extend("      " + t for t in _explain_text(step))
        elif getattr(step, "note", ""):
            lines.append("      note: " + step.note)
    return lines


def _explain_text(step) -> list[str]:
    from ..printing import to_text
    if not isinstance(step, Step):
        return [step.note] if step.note else []
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
        out.append("note: " + step.note)
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
    for k, stage in enumerate(sol.stages, 1):
        board = stage.lines() if detail != "brief" else None
        if board is None:
            first = Derivative(truncate(stage.function) if detail != "brief" else stage.function,
                               stage.var, 1, stage.partial)
            rows.append(f"{to_latex(first)} &= {to_latex(stage.answer)}")
            continue
        first, _ = board[0]
        rows.append(f"{to_latex(first)} &= {to_latex(board[1][0])} && \\text{{{tex_escape(step_name(board[1][1]))}}}"
                    if len(board) > 1 else f"{to_latex(first)}")
        for line, step in board[2:]:
            rows.append(f"&= {to_latex(line)} && \\text{{{tex_escape(step_name(step))}}}")
            if detail == "full" and isinstance(step, Step):
                info = rule_info(step.rule)
                rows.append(f"& && {info.latex}")
    body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    if not standalone:
        return body
    return standalone_document(body)


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
        out.append(f"$$ {to_latex(board[0][0])} $$")
        for line, step in board[1:]:
            sentence = _narrate(step, lambda e: f"${to_latex(e)}$") if isinstance(step, Step) else ""
            label = f"*{step_name(step)}*" + (f": {sentence}" if sentence and detail == "full" else "")
            if getattr(step, "note", "") and detail != "brief":
                label += f" ({step.note})"
            out.append(label)
            out.append(f"$$ = {to_latex(line)} $$")
    out.append("")
    out.append(f"**Answer:** ${to_latex(sol.answer)}$")
    return "\n".join(out)


# ------------------------------------------------------------------ JSON

def render_dict(sol, detail: str = "full") -> dict:
    from ..printing import expr_json
    steps = []
    for k, stage in enumerate(sol.stages, 1):
        board = stage.lines()
        line_of = {}
        if board is not None:
            for i in range(1, len(board)):
                line_of[id(board[i][1])] = (board[i - 1][0], board[i][0])
        for s in list(stage.flat_steps()) + list(stage.simplification):
            is_rule = isinstance(s, Step)
            info = rule_info(s.rule) if is_rule else None
            pair = line_of.get(id(s))
            entry = {
                "stage": k,
                "kind": "rule" if is_rule else "simplify",
                "rule": s.rule,
                "name": info.name if is_rule else s.name,
                "formula": {"text": info.text, "latex": info.latex} if is_rule else None,
                "bindings": {name: expr_json(v) for name, v in s.bindings} if is_rule else {},
                "instantiated": expr_json(s.instantiated) if is_rule and s.instantiated is not None else None,
                "note": s.note,
                "local": {"before": expr_json(s.before), "after": expr_json(s.after)},
                "line": {"before": expr_json(pair[0]), "after": expr_json(pair[1])} if pair else None,
            }
            steps.append(entry)
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
    }
