"""A worked solution as JSON (schema tutor.solution/2), within the display budget.

Why its own module: the JSON carries every atomic step with its local equation and its line in
three notations, which for a huge derivation (sin nested 500 deep) is far more than the lines
a reader sees; so, as the other formats, it prints at most limits.LINE_BUDGET nodes of
expressions, shortens the rest to their top ("...") and says so ("summarised", "summary").
"""
from __future__ import annotations

from ..expr import Expr, walk
from ..limits import LINE_BUDGET
from ..rules import rule_info
from .. import printing
from ..steps import note_text, shared_size
from .lines import stage_lines
from .narration import is_rule, truncate
from .orders import compact, orders

#: tutor.solution/2 (was /1): "steps" is still the atomic step tree in blackboard order, and
#: "lines" is new, the displayed lines of `--detail normal` (render.lines), each with its stage,
#: kind, label, expression and "steps", the indices into "steps" of the atomic steps it groups.
SCHEMA = "tutor.solution/2"
#: nodes of expressions one JSON document prints in full (each counted once per notation)
BUDGET = LINE_BUDGET


class _Budget:
    """Expressions printed in full while LINE_BUDGET nodes last, then their top only."""

    def __init__(self, nodes: int | None = None) -> None:
        self.left, self.cut = (BUDGET if nodes is None else nodes), 0

    def __call__(self, e: Expr) -> dict:
        from ..printing import expr_json
        n = 3 * _size_within(e, self.left // 3)  # printed three times: text, LaTeX, SymPy
        if n <= self.left:
            self.left -= n
            return expr_json(e)
        self.cut += 1
        return expr_json(truncate(e))


#: nodes whose size one render's scope remembers (printing.scope_table; beyond, walked afresh)
SIZE_MEMO_NODES = 50_000


def _size_within(e: Expr, limit: int) -> int:
    """The printed size of e (a shared subtree counted each time it is printed), or limit + 1
    as soon as it is more: a chain rule's shared trees may be far bigger printed than held.
    Inside a render's scope from remembered sizes (steps.shared_size, by node identity): the
    document prints every line and every step's two sides, which share most subtrees."""
    sizes = printing.scope_table("sizes")  # (looked up on the package: a test may switch it off)
    if sizes is not None and len(sizes) < SIZE_MEMO_NODES:
        n = shared_size(e, sizes)
        return n if n <= limit else limit + 1
    n = 0
    for _ in walk(e):
        n += 1
        if n > limit:
            break
    return n


def render_dict(sol, detail: str = "full") -> dict:
    ej = _Budget()
    head = {"function": ej(sol.function), "answer": ej(sol.answer)}  # in full before the steps
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
            lines.append({"stage": k, "kind": ln.kind, "label": ln.label, "expr": ej(ln.expr),
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
                "bindings": {name: ej(v) for name, v in s.bindings} if rule else {},
                "instantiated": ej(s.instantiated) if rule and s.instantiated is not None else None,
                "note": note_text(s.note),
                "local": {"before": ej(s.before), "after": ej(s.after)},
                "line": {"before": ej(pair[0]), "after": ej(pair[1])} if pair else None,
            })
    summarised = any(st.lines() is None for st in sol.stages) or ej.cut > 0
    return {
        "schema": SCHEMA,
        "input": sol.input,
        "function": head["function"],
        "variable": sol.var,
        "variables": list(sol.variables),
        "order": sol.order,
        "partial": sol.partial,
        "answer": head["answer"],
        "summarised": summarised,
        "summary": (f"past the display budget of {BUDGET} nodes: {ej.cut} expressions are "
                    f"shortened to their top (deeper parts as ...)" if ej.cut else
                    "too long to show line by line: no lines, each step's own equation"
                    if summarised else None),
        "cycle": _cycle_json(sol),
        "steps": steps,
        "lines": lines,
    }


def _cycle_json(sol) -> dict | None:
    """{"start": 1, "period": 4} when the derivatives repeat (render.orders), else None."""
    cycle = orders(sol)[1] if compact(sol) else None
    return None if cycle is None else {"start": cycle.start, "period": cycle.period}
