"""What every format of a worked solution says in words: the narration of each rule (written
once, keyed by rule id), a step's name, the notes of a displayed line, and the shortening of
a huge tree to its top ("..."). Why apart: the text/LaTeX/Markdown renderers (render.solution)
and the JSON one (render.solution_json) say the same words."""
from __future__ import annotations

from typing import Callable

from ..expr import ZERO, Call, Derivative, Expr, Sym, children, with_children
from ..printing import Relation, to_latex
from ..rules import FUNCTION_NAMES, Rule, rule_info
from ..steps import Note, fill_template
from .common import tex_escape

ELLIPSIS = Sym("...")
MAX_SUMMARY_STEPS = 400

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


def narrate(step, show: Callable[[Expr], str], prose: Callable[[str], str] | None = None) -> str:
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


def dollars(e: Expr) -> str:
    """Maths inside prose, for LaTeX `\\text{}` and Markdown alike."""
    return f"${to_latex(e)}$"


def tex_prose(s: str) -> str:
    """Prose for `\\text{}`: `common.tex_escape`, which also writes ≠ ≥ → as maths (pdflatex
    has no glyph for ≠ in text, KaTeX refuses \\neq in text mode)."""
    return tex_escape(s)


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


def line_notes(line, show) -> list[str]:
    """The notes of the atomic steps a displayed line groups, each once, in one format."""
    return list(dict.fromkeys(show(s.note) for s in line.steps if s.note))
