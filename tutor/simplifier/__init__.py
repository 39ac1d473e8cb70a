"""The simplifier: a derivative as the rules leave it, rewritten into the form an answer key prints.

One job: small named rewrites applied to a fixpoint with a cap, each recorded as a step with
what it assumed (cancelling x/x assumes x != 0).
"""
from .normal_form import PASSES, Rewrite, simplify, simplify_steps

__all__ = ["PASSES", "Rewrite", "simplify", "simplify_steps"]
