"""The grader against SymPy's own derivative: for generated functions, SymPy's `diff`, printed
the way a student pasting SymPy output would type it, is always `correct`; and it stays so
through the LaTeX route (SymPy's `latex`, as a MathQuill box would send it)."""
from __future__ import annotations

import re

import sympy
from hypothesis import HealthCheck, assume, given, settings

from conftest import defined_somewhere, to_sympy
from strategies import diff_exprs
from tutor import check
from tutor.expr import Call, walk
from tutor.printing import to_latex, to_text

#: SymPy writes Euler's number as E; everything else in its str() is calculator syntax we read
_E = re.compile(r"\bE\b")


def _plain(e) -> bool:
    """Functions whose SymPy derivatives print without Heaviside/sign/Piecewise."""
    return not any(isinstance(n, Call) and n.func in {"abs", "max", "min", "relu"} for n in walk(e))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(diff_exprs("x", max_leaves=6))
def test_sympy_derivative_is_correct(f):
    assume(_plain(f))
    sf = to_sympy(f)
    assume(defined_somewhere(sf))
    d = sympy.diff(sf, sympy.Symbol("x"))
    assume(d.is_finite is not False and not d.has(sympy.zoo, sympy.nan))
    for function, answer, language in ((to_text(f), _E.sub("e", str(d)), "calc"),
                                       (to_latex(f), sympy.latex(d), "latex")):
        verdict = check(function, answer, "x", input=language)
        if verdict.verdict == "invalid":
            # SymPy's LaTeX has spellings no answer box sends (\operatorname{acoth} is read;
            # \log{\left(x \right)} with braces is read); say which one failed if any
            assert language == "latex", (answer, verdict.feedback)
            continue
        assert verdict.verdict in ("correct", "undetermined"), (to_text(f), answer, verdict.feedback)
