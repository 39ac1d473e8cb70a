"""tutor: a step-by-step differentiation tutor.

    >>> import tutor
    >>> print(tutor.differentiate("sin(x^2)").answer)  # an Expr; tutor.to_text gives 2x cos(x^2)

The public API is re-exported here; each name lives in the module that does its job and is
imported on first use, so `import tutor` (and the CLI's cold start) stays light.
"""
from .errors import (DomainError, EvaluationError, LimitError, ParseError, TutorError,
                     VariableError)
from .expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym)
# the packages are named for their job (language, simplifier, evaluation, routes, grade,
# render), never like a public function, so `tutor.parse` is only ever the function
from .language import parse, parse_calc

__version__ = "0.1.0"

_LAZY = {
    "parse_latex": "tutor.language",
    "to_text": "tutor.printing", "to_latex": "tutor.printing", "to_sympy": "tutor.printing",
    "to_tree": "tutor.printing", "to_unicode": "tutor.printing",
    "differentiate": "tutor.solve", "derivative": "tutor.solve", "Solution": "tutor.solve",
    "simplify": "tutor.simplifier", "evaluate": "tutor.evaluation",
    "evaluate_float": "tutor.evaluation",
    "finite_difference": "tutor.routes.numeric", "dual_trace": "tutor.routes.dual",
    "backprop": "tutor.routes.backprop",
    "gradient": "tutor.routes.multivar", "descend": "tutor.routes.descent",
    "from_definition": "tutor.routes.definition",
    "implicit": "tutor.routes.implicit", "tangent": "tutor.routes.tangent",
    "check": "tutor.grade", "check_work": "tutor.grade", "Verdict": "tutor.grade",
    # MathML Core for browsers (tutor/printing/mathml.py)
    "to_mathml": "tutor.printing",
    # plots: tutor.plotting builds Figure records; Matplotlib is imported only to draw svg/png/pdf
    "plot": "tutor.plotting", "plot_contours": "tutor.plotting", "plot_descent": "tutor.plotting",
    "Figure": "tutor.plotting",
}
_LAZY["answer_key"] = "tutor.documents"   # answer keys from a problem-set file

__all__ = [
    "TutorError", "ParseError", "LimitError", "VariableError", "EvaluationError", "DomainError",
    "Num", "Sym", "Const", "Add", "Mul", "Div", "Pow", "Neg", "Call", "Indicator", "Derivative",
    "parse", "parse_calc", *_LAZY,
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tutor' has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
