"""HTML for every record a page offers: a worked Solution, the derivative at a point, from the
definition, implicit, tangent/normal lines, a grader's verdict, and the labs' routes (finite
differences, the gradient, dual numbers, backpropagation, gradient descent).

    to_html(record, detail="normal", standalone=False) -> str

A fragment `<section class="tutor-...">` (the lines a table, each line's maths MathML Core,
its rule as text, the answer marked `tutor-answer`), or with `standalone=True` a complete
self-contained page: doctype, `lang`, charset and viewport, the style inline, no script and
nothing loaded from the network, so it works with the cable unplugged. `CSS` is that style, for
a page that embeds fragments.

Why dispatch on the record's class name rather than `isinstance`: the records' modules call
back into this one (their `to_html` methods), and the renderers import no route or grader
module, so the imports keep pointing one way.
"""
from __future__ import annotations

from ..errors import TutorError
from .html_common import CSS, page

__all__ = ["to_html", "CSS", "DETAILS"]

DETAILS = ("brief", "normal", "steps", "full")


def _renderer(record):
    from . import (html_definition, html_descent, html_multivar, html_numeric, html_routes, html_solution,
                   html_trace, html_verdict)
    return {
        "Solution": html_solution.solution_html,
        "AtPoint": html_routes.atpoint_html,
        "Definition": html_definition.definition_html,
        "Implicit": html_routes.implicit_html,
        "Tangent": html_routes.tangent_html,
        "Verdict": html_verdict.verdict_html,
        "FiniteDifference": html_numeric.numeric_html,
        "Gradient": html_multivar.gradient_html,
        "DualTrace": html_trace.dual_html,
        "Backprop": html_trace.backprop_html,
        "Descent": html_descent.descent_html,
        "WorkVerdict": html_verdict.work_html,
    }.get(type(record).__name__)


def _title(record) -> str:
    """The page's title, in Unicode text: what was worked."""
    from ..printing import to_unicode
    kind = type(record).__name__
    try:
        if kind in ("Solution", "AtPoint"):
            sol = record if kind == "Solution" else record.solution
            return f"d/d{sol.var} [{to_unicode(sol.function)}] — tutor"
        if kind == "Definition":
            return f"f({record.var}) = {to_unicode(record.function)} from the definition — tutor"
        if kind == "Implicit":
            return f"{to_unicode(record.lhs)} = {to_unicode(record.rhs)}, implicitly — tutor"
        if kind == "Tangent":
            what = to_unicode(record.function) if record.function is not None else "the curve"
            return f"Tangent line to {what} — tutor"
        lab = {"FiniteDifference": ("Finite differences for", "J", "expr"),
               "Gradient": ("The gradient of", "f", "function"), "DualTrace": ("Dual numbers for", "u", "expr"),
               "Backprop": ("Backpropagation for", "f", "expr"),
               "Descent": ("Gradient descent on", "J", "function")}.get(kind)
        if lab:   # the fragment's own first sentence
            how, name, field = lab
            return f"{how} {name} = {to_unicode(getattr(record, field))} — tutor"
    except (TutorError, AttributeError):
        pass
    return "Checked answer — tutor" if kind in ("Verdict", "WorkVerdict") else "tutor"


def to_html(record, detail: str = "normal", standalone: bool = False) -> str:
    """The record as an HTML fragment, or as a whole page with `standalone=True`."""
    if detail not in DETAILS:
        raise TutorError(f"unknown detail {detail!r}: use brief, normal, steps or full", code="usage")
    render = _renderer(record)
    if render is None:
        raise TutorError(f"no HTML for a {type(record).__name__}: give a Solution, an AtPoint, a "
                         "Definition, an Implicit, a Tangent, a Verdict, a FiniteDifference, a "
                         "Gradient, a DualTrace, a Backprop or a Descent", code="usage")
    from .. import _deep
    fragment = _deep.run_deep(render, record, detail)
    return page(fragment, _title(record)) if standalone else fragment
