"""The simplifier: a derivative as the rules leave it, rewritten into the form an answer key prints.

One job: small named rewrites applied to a fixpoint with a cap, each recorded as a step with
what it assumed (cancelling x/x assumes x ≠ 0). Why passes and not one big normaliser: the
worked solution shows each pass as a line (`= raw = numbers multiplied out = like terms
collected = answer`); pass k is the normal form (`normal_form`) with the first k rule groups
(`PASSES`) switched on, so the lines agree with each other and the last is a fixpoint of all.

Modules: `normal_form` (products and their rendering) with `sums` (lists of products) and
`memo` (the per-call tables), `identities` (the teacher's identities, seen through `Ops`),
`values` (ln 1 = 0 and the like, a table), `trig_cancel` (write in sin and cos, cancel).
Every table a call builds lives in that call (`memo.Memo`): threads may simplify at once.

When to factor (one rule, in `sums`): terms that all share a power of a bracket, (a + b)^k,
keep it as a factor and only what is left is multiplied out (`6 (3x - 1)^3 (2x + 5)^2 (7x + 9)`,
not a degree-6 polynomial); a polynomial in one variable (every term c x^n) is printed
expanded (`3x^2 + 2x`, not `x (3x + 2)`); otherwise a factor common to every term
(or a common denominator) is taken out, and products of sums are multiplied out, each only when
the result is no longer than before.

Bounds (checked before the work, so no input ends in an internal error): each pass repeats at
most `MAX_ROUNDS` times and, not settled by then, keeps the form it reached (every round is
value-preserving, so the line is still true); a derivative of more than `BIG` distinct nodes
runs every pass as one recorded step. A run of one variable in a product (`xxxx`) is read as one
power, not one factor per letter.

Names: each recorded pass is named for its group (`PASSES`), except that a pass whose only
change was the order of terms or factors is named `REORDER` ("Put the terms in order"); the
names are plain text with no maths in them, valid in every format.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Callable

from .._deep import run_deep
from ..errors import EvaluationError, TutorError
from ..expr import LEAVES, Add, Call, Const, Div, Expr, Mul, Num, Pow, children
from ..steps import Note, Step, joined_notes
from .identities import NEEDS as _IDENTITY_NEEDS
from .memo import Memo
from .normal_form import Simplifier
from .trig_cancel import CIRCULAR, sin_cos_cancel

__all__ = ["PASSES", "REORDER", "Rewrite", "simplify", "simplify_steps", "fixpoint", "settle", "MAX_ROUNDS", "BIG"]


#: a simplification step is the one step record of the project, kind "simplify": `before` and
#: `after` are whole lines, value-equal wherever both are defined; `note` (a steps.Note, its
#: maths kept as trees) says what a cancellation assumed
Rewrite = Step


#: The passes in the order they run: (rule id, name for people). Each enables one more group.
PASSES: tuple[tuple[str, str], ...] = (
    ("arithmetic", "Multiply out the numbers"),
    ("collect-factors", "Collect like factors"),
    ("collect-terms", "Collect like terms"),
    ("expand", "Multiply out and collect"),
    ("fractions", "Combine fractions, take out common factors"),
    ("pythagorean", "Pythagorean identity (sin^2 u + cos^2 u = 1, 1 + tan^2 u = sec^2 u, ...)"),
    ("trig-quotients", "Quotient identities (sin u/cos u = tan u, 1/cos u = sec u, ...)"),
    ("double-angle", "Double angle (2 sin u cos u = sin 2u)"),
    ("exp-log", "Exponentials and logarithms (ln(e^u) = u, e^a e^b = e^(a + b))"),
    ("brackets", "Take a number out of a bracket, clear fractions inside it"),
    ("order", "Write the polynomial in descending powers"),
    ("sin-cos-cancel", "Write in sin and cos and cancel"),
)
#: Groups that can only apply when one of these functions occurs (otherwise the pass is skipped).
_NEEDS = MappingProxyType({**_IDENTITY_NEEDS, "sin-cos-cancel": CIRCULAR})
BIG = 20_000            # distinct nodes beyond which the passes run as one recorded step
MAX_ROUNDS = 12         # a pass repeated this often without settling stops where it is
_TIDY = frozenset(r for r, _ in PASSES if r != "sin-cos-cancel")
#: the groups on in pass i (the first i + 1 of PASSES), made once rather than per pass of a call
_GROUPS_UP_TO = tuple(frozenset(r for r, _ in PASSES[: i + 1]) for i in range(len(PASSES)))


def simplify_steps(e: Expr, shallow: bool = False) -> tuple[Rewrite, ...]:
    """The passes that changed something, in order; empty if `e` is already in final form.
    `shallow`: the caller knows e is at most `_deep.SHALLOW` levels deep (a tree of at most
    that many nodes is, and the order loop counts every raw derivative's nodes anyway), so the
    depth walk `run_deep` would make to learn it is skipped; the work is the same either way."""
    try:
        return _steps(e) if shallow else run_deep(_steps, e)
    except RecursionError:
        raise EvaluationError("expression too deeply nested to simplify") from None


def simplify(e: Expr) -> Expr:
    """The final form: the last rewrite's `after`, or `e` itself."""
    steps = simplify_steps(e)
    return steps[-1].after if steps else e


def fixpoint(step: Callable[[Expr], tuple[Expr, list]], e: Expr, cap: int,
             failure: str) -> tuple[Expr, list[Note]]:
    """`settle`, but not settling within the cap raises TutorError(failure): for callers that
    treat it as a bug. The passes themselves use `settle` (no input may end in an error)."""
    out, notes, settled = _settle(step, e, cap)
    if not settled:
        raise TutorError(failure, code="simplify")
    return out, notes


def settle(step: Callable[[Expr], tuple[Expr, list]], e: Expr,
           cap: int) -> tuple[Expr, list[Note]]:
    """Apply `step` (e -> (e', notes)) until e' == e, at most `cap` times, and the notes of
    every round, each text once. Not settling within the cap returns the form reached: every
    round is value-preserving, so it is a true (if longer) answer, never an internal error."""
    out, notes, _ = _settle(step, e, cap)
    return out, notes


def _settle(step, e, cap):
    notes: list[Note] = []
    seen: set[str] = set()
    for _ in range(cap):
        nxt, new = step(e)
        for n in new:
            text = str(n)
            if text not in seen:
                seen.add(text)
                notes.append(n)
        if nxt == e:
            return e, notes, True
        e = nxt
    return e, notes, False


def _steps(e: Expr) -> tuple[Rewrite, ...]:
    out: list[Rewrite] = []
    current, shared = e, Memo()  # this call's tables: dropped when it returns
    shapes: tuple = ({}, {})  # _shape's table and memo, shared by this call's records
    present, nodes = _present(e)
    passes = list(enumerate(PASSES))
    if nodes > BIG:  # one combined pass: the lines of a huge expression are not read anyway
        passes = [(len(PASSES) - 1, ("simplify", "Simplify (every pass at once: a large expression)"))]
    for i, (rule, name) in passes:
        if rule in _NEEDS and not (_NEEDS[rule] & present):
            continue
        if rule == "brackets" and not _has_bracket(current):
            continue
        if rule == "sin-cos-cancel":  # a whole-tree rewrite of its own (trig_cancel)
            after, notes = _cancel_trig(current, shared)
        else:
            after, notes = settle(_pass(_GROUPS_UP_TO[i], shared), current, MAX_ROUNDS)
        if after != current:
            out.append(_record(rule, name, current, after, notes, shapes, shared.size))
            current = after
    return tuple(out)


def _record(rule: str, name: str, before: Expr, after: Expr, notes: list[Note],
            shapes: tuple | None = None, size: Callable[[Expr], int] | None = None) -> Step:
    """The record of one pass that changed something, its notes joined into one; a pass that
    only put terms or factors in another order is named for that (`REORDER`), whatever its
    group, so that a label never misnames the change."""
    if _tops_agree(before, after) and _sizes_agree(before, after, size) \
            and _same_up_to_order(before, after, shapes):
        name = REORDER
    elif rule in _NO_FRACTION_NAMES and not _has_fraction(before, rule == "brackets"):
        name = _NO_FRACTION_NAMES[rule]  # nothing was a fraction: say only what was done
    return Step(rule, before, after, note=joined_notes(notes), kind="simplify", name=name)


#: the names of the two passes that mention fractions, for a line that had none
_NO_FRACTION_NAMES = MappingProxyType({"fractions": "Take out common factors",
                                       "brackets": "Take a number out of a bracket"})


def _has_fraction(e: Expr, in_brackets: bool = False) -> bool:
    """Whether a quotient, a fraction numeral or a negative power occurs in e (only inside a
    sum, if `in_brackets`); each shared subtree visited once."""
    seen: set[int] = set()
    stack = [(e, not in_brackets)]
    while stack:
        n, counts = stack.pop()
        if (id(n), counts) in seen:
            continue
        seen.add((id(n), counts))
        if counts:
            match n:
                case Div():
                    return True
                case Num(v) if v.denominator != 1:
                    return True
                case Pow(_, Num(v)) if v < 0:
                    return True
        inside = counts or isinstance(n, Add)
        stack.extend((k, inside) for k in children(n))
    return False


#: the name of a pass whose only change was the order of terms or factors
REORDER = "Put the terms in order"


def _tops_agree(a: Expr, b: Expr) -> bool:
    """Whether a and b may differ only in order, by their roots alone: one kind, as many
    children, one function name (what `_shape` compares first). Nearly half the passes that
    change a line change its root, and this answers them before `_sizes_agree` counts the
    new line's nodes."""
    return type(a) is type(b) and len(children(a)) == len(children(b)) \
        and getattr(a, "func", None) == getattr(b, "func", None)


def _sizes_agree(a: Expr, b: Expr, size: Callable[[Expr], int] | None) -> bool:
    """Whether a and b may differ only in order, by their node counts (`size`, memoised):
    trees of one shape have one size, and most passes change the size, so this answers
    before `_same_up_to_order` walks both. True when it cannot tell."""
    try:
        return size is None or size(a) == size(b)
    except RecursionError:
        return True


def _same_up_to_order(a: Expr, b: Expr, shapes: tuple | None = None) -> bool:
    """a and b differ only in the order of the terms of sums and the factors of products.
    `shapes`: (table, memo) kept by the caller across calls (one simplify call's records:
    each pass's `before` is the last one's `after`, so its classes are known already)."""
    table, memo = shapes if shapes is not None else ({}, {})
    try:
        return _shape(a, table, memo) == _shape(b, table, memo)
    except RecursionError:
        return False


def _shape(e: Expr, table: dict, memo: dict) -> int:
    """e's class up to the order of every sum's terms and every product's factors, as a small
    int (equal trees up to order, equal ints): its type, function name and children's classes,
    sorted for a sum or product; a leaf by its repr. Memoised by node identity (shared
    subtrees are met once; `memo` keeps each node alive), so the test is linear."""
    hit = memo.get(id(e))
    if hit is not None:
        return hit[1]
    kids = children(e)
    if not kids:
        sig: tuple = ("leaf", repr(e))
    else:
        keys = [_shape(k, table, memo) for k in kids]
        if isinstance(e, (Add, Mul)):
            keys.sort()
        sig = (type(e).__name__, getattr(e, "func", None), tuple(keys))
    k = table.setdefault(sig, len(table))
    memo[id(e)] = (e, k)
    return k


def _pass(flags: frozenset, shared: Memo) -> Callable[[Expr], tuple[Expr, list[Note]]]:
    """One round of the pass with these groups: a fresh Simplifier over the call's tables."""
    def step(e: Expr) -> tuple[Expr, list[Note]]:
        s = Simplifier(flags, shared)
        return s.run(e), s.notes
    return step


def _cancel_trig(e: Expr, shared: Memo) -> tuple[Expr, list[Note]]:
    """The sin-cos-cancel pass: candidates are tidied by every other group, to a fixpoint."""
    tidy_round = _pass(_TIDY, shared)

    def tidy(x: Expr) -> tuple[Expr, list[Note]]:
        return settle(tidy_round, x, MAX_ROUNDS)

    return sin_cos_cancel(e, tidy, shared.size)


def _has_bracket(e: Expr) -> bool:
    """Whether a sum occurs inside a product, power or function in e ('bracket' of `_present`),
    stopping at the first: most lines have one near the top. Each shared subtree is met once
    (e keeps them alive, so their ids stay theirs), without recursion; one loop, not
    generators: this walks every line that reaches the brackets pass."""
    visited: set[int] = set()
    stack = [e]
    while stack:
        n = stack.pop()
        t = type(n)
        if t in LEAVES or id(n) in visited:
            continue
        visited.add(id(n))
        kids = children(n)
        if t is not Add:
            for k in kids:
                if type(k) is Add:
                    return True
        stack.extend(kids)
    return False


def _present(e: Expr) -> tuple[frozenset, int]:
    """Function names (and 'e', and 'bracket' for a sum inside another node) occurring in e,
    which say which identity passes could apply, and the number of distinct nodes (each
    shared subtree counted once, as `_has_bracket` walks: one loop, every input passes here)."""
    seen: set[str] = set()
    count = 0
    visited: set[int] = set()
    stack = [e]
    while stack:  # (by exact type: the node classes have no subclasses)
        n = stack.pop()
        if id(n) in visited:
            continue
        visited.add(id(n))
        count += 1
        t = type(n)
        if t in LEAVES:
            if t is Const:
                seen.add(n.name)
            continue
        kids = children(n)
        if t is Call:
            seen.add(n.func)
        if t is not Add:
            for k in kids:
                if type(k) is Add:  # a sum inside a product, power or function: brackets may apply
                    seen.add("bracket")
                    break
        stack.extend(kids)
    return frozenset(seen), count
