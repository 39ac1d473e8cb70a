"""Evaluation: the value of a tree at a point, exactly where it can be and as a float where asked.

One job: numbers out of trees, with the domain of every function respected (a value outside it
is a `DomainError`, never a silent NaN).
"""
from .core import compile_float, evaluate, evaluate_float, format_value, value_pair

__all__ = ["evaluate", "evaluate_float", "compile_float", "format_value", "value_pair"]
