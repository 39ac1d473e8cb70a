"""The grader: is a student's derivative right, and if not, which slip explains it.

One job: a verdict a homework system can trust. Equivalence is decided by seeded sampling
(`equivalence`), wrong answers are explained by buggy rules run in the real engine
(`misconceptions`).
"""
from .core import Diagnosis, Options, Verdict, WorkVerdict, check, check_work

__all__ = ["check", "check_work", "Verdict", "WorkVerdict", "Diagnosis", "Options"]
