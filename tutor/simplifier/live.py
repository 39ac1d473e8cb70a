"""Whether a rule group that is not on in a pass could have changed what the pass just did.

Why: the passes switch groups on one at a time (`PASSES`), and most passes change nothing. A
pass records, for each node it walks, the groups not yet on whose tests would have come out
otherwise there (`Simplifier.live`); a later pass that adds only groups not live in a node it
finds already settled (`Memo.unchanged`) need not walk that node again. Each test here is a
cheap superset of its group's own first test (answering True when in doubt is always safe:
the node is walked again), and each sits where the group itself would run.
"""
from __future__ import annotations

from fractions import Fraction

from ..expr import Call, Const, Pow, Sym
from .identities import NEEDS, exp_log_call

__all__ = ["run_of_letters", "trig_quotients_live", "double_angle_live", "combine_exp_live",
           "exp_log_live", "exp_of_ln_live"]

_TRIG = NEEDS["trig-quotients"]        # the sin/cos family and its hyperbolic twin
_SINES = frozenset({"sin", "sinh"})
_COSINES = frozenset({"cos", "cosh"})


def run_of_letters(parts: tuple) -> bool:
    """Two neighbouring factors the same variable (`Simplifier.runs` would join them)."""
    for i in range(1, len(parts)):  # (a loop, not a generator: every product of a pass asks)
        p = parts[i - 1]
        if type(p) is Sym and p == parts[i]:
            return True
    return False


def trig_quotients_live(key, facs: list) -> bool:
    """A sin/cos-family factor under a fraction bar, or two with the same argument."""
    seen = set()
    for _, b, x in facs:
        if isinstance(b, Call) and b.func in _TRIG and len(b.args) == 1 and x.denominator == 1:
            if x.numerator < 0:
                return True
            k = key(b.args[0])
            if k in seen:
                return True
            seen.add(k)
    return False


def double_angle_live(coef: Fraction, facs: list) -> bool:
    """An even coefficient with a sine and a cosine (or sinh and cosh) to the first power."""
    if coef.numerator % 2 or len(facs) < 2:
        return False
    funcs = {b.func for _, b, x in facs if isinstance(b, Call) and x == 1}
    return bool(funcs & _SINES) and bool(funcs & _COSINES)


def combine_exp_live(facs: list) -> bool:
    """Two whole powers of e^a in one product."""
    return sum(1 for _, b, x in facs if x.denominator == 1 and isinstance(b, Pow)
               and isinstance(b.base, Const) and b.base.name == "e") >= 2


def exp_log_live(f: str, args: tuple) -> bool:
    """ln(e^u) or ln(exp(u))."""
    return exp_log_call(f, args) is not None


def exp_of_ln_live(base, x) -> bool:
    """e^(ln u)."""
    return isinstance(base, Const) and base.name == "e" and isinstance(x, Call) and x.func == "ln"
