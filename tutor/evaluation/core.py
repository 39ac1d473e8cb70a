"""The package's API under its old module name, until every importer uses `tutor.evaluation`.

Why it still exists: routes/, grade/ and some tests import `tutor.evaluation.core`; they
should import the same names from `tutor.evaluation`, and then this module goes.
"""
from . import compile_float, evaluate, evaluate_float, format_value, value_pair

__all__ = ["evaluate", "evaluate_float", "compile_float", "format_value", "value_pair"]
