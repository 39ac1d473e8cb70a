"""Where a route meets a kink (max/min ties, relu and |u| at 0), and what it says there.

Why its own module: the conventions (stated in `tutor.routes.graph`) must be the same in every
route, and the at-point route (imported by `solve`) needs them without the computation graph,
which differentiates through `solve`: one module below both keeps the layering acyclic.
"""
from __future__ import annotations

from ..errors import DomainError, TutorError
from ..expr import Call, Expr, contains_symbol, walk

__all__ = ["winner", "kink_note", "abs_kink", "abs_kink_error"]


def winner(func: str, values: list) -> int:
    """The argument max/min follows: the course notes' max((u,u'),(v,v')) takes v on a tie, so
    folding left the last argument attaining the extreme wins (as the rules' indicators do)."""
    best = 0
    for i in range(1, len(values)):
        if (values[i] >= values[best]) if func == "max" else (values[i] <= values[best]):
            best = i
    return best


def kink_note(e: Expr, point: dict) -> str | None:
    """The one-sided convention used when the point sits on a kink of max, min or relu, else
    None (|u| at 0 has no convention: `abs_kink_error`)."""
    from ..evaluation import evaluate
    match e:
        case Call("max" | "min" as func, args):
            values = [evaluate(a, point) for a in args]
            w = winner(func, values)
            if sum(1 for v in values if v == values[w]) > 1:
                return (f"{func} has a tie at this point: not differentiable there; following the "
                        f"course notes' convention u'[u {'>' if func == 'max' else '<'} v]"
                        f" + v'[u {'<=' if func == 'max' else '>='} v], the later tied argument (argument "
                        f"{w + 1}) is followed")
        case Call("relu", (u,)):
            if evaluate(u, point) == 0:
                return ("relu is not differentiable at u = 0; the convention u'[u >= 0] "
                        "(the right-hand derivative, 1) is used")
    return None


def abs_kink_error(u: Expr) -> DomainError:
    """The one message every route gives for |u| where u = 0."""
    from ..printing import to_text
    shown = to_text(u)
    return DomainError(f"|{shown}| is not differentiable where {shown} = 0: the rules' "
                       "|u|' = u/|u| is undefined at u = 0 (no one-sided value is chosen)",
                       code="domain")


def abs_kink(e: Expr, value, variables: tuple[str, ...]) -> Expr | None:
    """The argument u of the first |u| in e that depends on one of `variables` and is 0 by
    `value` (a function Expr -> number), else None."""
    for node in walk(e):
        if isinstance(node, Call) and node.func == "abs":
            u = node.args[0]
            if not any(contains_symbol(u, v) for v in variables):
                continue
            try:
                if value(u) == 0:
                    return u
            except TutorError:
                continue
    return None
