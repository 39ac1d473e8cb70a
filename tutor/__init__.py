"""tutor: a step-by-step differentiation tutor.

    >>> import tutor
    >>> tutor.differentiate("sin(x^2)").answer      # doctest: +SKIP

The public API is re-exported here; each name lives in the module that does its job.
"""
from .errors import (DomainError, EvaluationError, LimitError, ParseError, TutorError,
                     VariableError)
from .expr import (Add, Call, Const, Derivative, Div, Indicator, Mul, Neg, Num, Pow, Sym)

__version__ = "0.1.0"

__all__ = [
    "TutorError", "ParseError", "LimitError", "VariableError", "EvaluationError", "DomainError",
    "Num", "Sym", "Const", "Add", "Mul", "Div", "Pow", "Neg", "Call", "Indicator", "Derivative",
]
