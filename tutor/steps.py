"""Step and Stage records: pure data that every renderer reads.

A derivation is a tree of `Step`s: each rewrites one pending d/dx[u] (its `before`) into
`after`, which may hold new pending holes; `substeps` derive those holes, left to right in
print order. The blackboard chain `d/dx[f] = ... = answer` is a linearisation of that tree
(`Stage.lines`): each line replaces the leftmost pending derivative of the line before, so
every line is an equation that holds. Simplification follows as whole-line rewrites.
Prose that mentions maths is a `Note`, so each format prints the maths its own way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import Formatter
from typing import Callable, Iterator, Sequence

from .expr import LEAVES, Add, Derivative, Expr, Mul, Neg, Num, children, size, with_children
from .limits import LINE_BUDGET

_FORMATTER = Formatter()


def fill_template(template: str, show: Callable[[Expr], str], maths: tuple = (),
                  named: dict | None = None, prose: Callable[[str], str] | None = None) -> str:
    """`template` with {0}, {1}, ... taken from `maths` and {name} from `named`, each printed by
    `show`; the literal prose between them passes through `prose` (e.g. a TeX escape)."""
    out: list[str] = []
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        if literal:
            out.append(prose(literal) if prose is not None else literal)
        if name is None:
            continue
        value = maths[int(name)] if name.isdigit() else (named or {})[name]
        out.append(show(value))
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Note:
    """Prose with maths in it, the maths kept as trees so each format prints them its own way.

    `Note("{0} does not depend on {1}", (w2**2 (1 - w2), w1))` is calculator text in text,
    `$w_{2}^{2} (1 - w_{2})$` in Markdown and LaTeX: prose never carries calculator syntax
    into a LaTeX or Markdown page. `str(note)` is the plain-text rendering.
    """
    template: str                # str.format template; {0}, {1}, ... are the maths
    maths: tuple = ()            # the Expr trees for the placeholders

    def render(self, show: Callable[[Expr], str], prose: Callable[[str], str] | None = None) -> str:
        return fill_template(self.template, show, self.maths, prose=prose)

    def __str__(self) -> str:
        from .printing import to_text
        return self.render(to_text)

    def __bool__(self) -> bool:
        return bool(self.template)


_PLACE = re.compile(r"\{(\d+)\}")


def joined_notes(notes: Sequence[Note]) -> Note | str:
    """The notes as one, `; ` between them ("" when there are none), each one's placeholders
    renumbered past the maths of those before it."""
    if not notes:
        return ""
    parts, maths = [], []
    for n in notes:
        shift = len(maths)
        parts.append(_PLACE.sub(lambda m: "{%d}" % (int(m.group(1)) + shift), n.template))
        maths.extend(n.maths)
    return Note("; ".join(parts), tuple(maths))


def note_text(note: "Note | str", show: Callable[[Expr], str] | None = None,
              prose: Callable[[str], str] | None = None) -> str:
    """A note in one format: `show` prints its maths (to_text by default), `prose` its words."""
    if isinstance(note, Note):
        return note.render(show, prose) if show is not None else str(note)
    return prose(note) if prose is not None and note else note


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a worked solution: a rule applied to one pending derivative (kind "rule"),
    or a named simplification of a whole line (kind "simplify": `before` and `after` are the
    lines, no holes, no substeps). The JSON carries `kind` as it is here."""
    rule: str                    # stable id, e.g. rules.Rule.PRODUCT ("product"), "collect-terms"
    before: Expr                 # the pending derivative this step rewrites: d/dx[u]
    after: Expr                  # its rewrite, with new pending holes
    bindings: tuple = ()         # (("u", sin(x^2)), ("v", e^x))
    instantiated: Expr | None = None  # formula with values in, before arithmetic
    note: "Note | str" = ""
    substeps: tuple = ()         # derivations of the holes in `after`, in order
    result: Expr | None = None   # `after` with every hole filled (this sub-derivation's answer)
    kind: str = "rule"           # "rule" | "simplify"
    name: str = ""               # for simplify steps: what was done, for people ("Collect like terms")


@dataclass(frozen=True, slots=True)
class Stage:
    """One differentiation: d/dx[function] = ... = answer (a solution of order n has n).

    Its blackboard (`lines()`) is computed once, on first use, and kept on the stage: every
    renderer reads the same lines, and a caller that only wants the answer (the grader) never
    pays for them. The cache is safe under threads: the value is immutable and the same
    whoever computes it, so a race only computes it twice."""
    function: Expr
    var: str
    partial: bool
    derivation: Step
    raw: Expr
    simplification: tuple = ()
    answer: Expr | None = None
    _board: tuple = field(default=(), init=False, compare=False, repr=False)  # (lines,) once known
    _fits: tuple = field(default=(), init=False, compare=False, repr=False)  # (board_fits,) once known

    def flat_steps(self) -> tuple[Step, ...]:
        """The derivation steps in blackboard order (pre-order)."""
        return tuple(iter_steps(self.derivation))

    def shows_lines(self) -> bool:
        """Whether `lines()` is not None, without building the lines when a bound shows they
        fit (`board_fits`): the normal view only asks this, and builds its own lines."""
        if self._board:
            return self._board[0] is not None
        if not self._fits:  # kept as `_board` is (immutable, the same whoever computes it)
            object.__setattr__(self, "_fits", (board_fits(self.derivation),))
        return self._fits[0] or self.lines() is not None

    def lines(self) -> tuple[tuple[Expr, Step | None], ...] | None:
        """((line, step that produced it), ...), the first line's step None; None when the
        lines would be too big to show (over limits.LINE_BUDGET nodes) and are summarised."""
        if not self._board:
            object.__setattr__(self, "_board", (blackboard(self.derivation, self.simplification),))
        return self._board[0]


def iter_steps(step: Step) -> Iterator[Step]:
    stack = [step]
    while stack:
        s = stack.pop()
        yield s
        stack.extend(reversed(s.substeps))


def replace_leftmost_hole(line: Expr, new: Expr, answer: Expr | None = None) -> tuple[Expr, Expr | None]:
    """Replace the leftmost (pre-order) Derivative node of `line` by `new`, whose holes fill
    to `answer` (the step's result; `new` itself when not given), spliced as `splices` says.
    Returns (new line, the node replaced) — recursion bounded by tree depth."""
    if isinstance(line, Derivative):
        return new, line
    kids = children(line)
    for i, kid in enumerate(kids):
        replaced_kid, old = replace_leftmost_hole(kid, new, answer)
        if old is not None:
            middle = (replaced_kid,)
            if splices(line, kid, replaced_kid, answer):
                middle = replaced_kid.factors if isinstance(line, Mul) else replaced_kid.terms
            return with_children(line, kids[:i] + middle + kids[i + 1:]), old
    return line, None


def splices(parent: Expr, hole: Expr, filled: Expr, answer: Expr | None = None) -> bool:
    """Whether a filled hole joins its parent's factors (or terms) on the blackboard:
    `cos(x^2) d/dx[x^2] e^x`, not `(cos(x^2) d/dx[x^2]) e^x`. A product whose answer starts
    with a number keeps its brackets, `cos(x^2) (2x) e^x`, so the number stays with its factor.
    The number test reads `answer`, the hole's product once its own holes are filled (`filled`
    when not given): the blackboard puts a rule's product in while its first factor may still
    be a hole (relu's `d/du[u] [u >= 0]`, whose hole becomes 1) and the engine only sees the
    filled one, so both must ask the same question for the raw answer to be the blackboard's
    last line."""
    if not isinstance(hole, Derivative):
        return False
    if isinstance(parent, Mul) and isinstance(filled, Mul):
        first = (answer if isinstance(answer, Mul) else filled).factors[0]
        return not isinstance(first, (Num, Neg))
    return isinstance(parent, Add) and isinstance(filled, Add)


def shared_size(e: Expr, sizes: dict) -> int:
    """`expr.size(e)`, memoised in `sizes` across calls (id(node) -> (node, size), the node
    kept alive so its id stays its own, as `expr.memo_fold` keeps them): the lines of a
    blackboard share every subtree but the path to the hole just filled, so counting each line
    costs only that path. Iterative. Why not memo_fold itself: this is the hottest fold of a
    render (every step, twice), and a leaf, which counts 1, is neither stacked nor stored."""
    hit = sizes.get(id(e))
    if hit is not None:
        return hit[1]
    stack = [e]
    while stack:
        n = stack[-1]
        total, todo = 1, None
        for k in children(n):
            if type(k) in LEAVES:
                total += 1
                continue
            known = sizes.get(id(k))
            if known is None:
                todo = [k] if todo is None else todo + [k]
            else:
                total += known[1]
        if todo is not None:
            stack.extend(todo)
            continue
        stack.pop()
        sizes[id(n)] = (n, total)
    return sizes[id(e)][1]


def board_fits(derivation: Step) -> bool:
    """True only if `blackboard(derivation)` is within LINE_BUDGET (not None), from the steps'
    own sizes: each line is the one before with a hole (s.before) replaced by s.after, so it
    has at most size(line before) - size(s.before) + size(s.after) nodes (a spliced product
    or sum one fewer). False means only "not known": the caller builds the board."""
    sizes: dict = {}
    bound = shared_size(derivation.before, sizes)
    if bound >= 2000:
        return False
    total = 0
    for s in iter_steps(derivation):
        bound += shared_size(s.after, sizes) - shared_size(s.before, sizes)
        total += bound
        if total > LINE_BUDGET:
            return False
    return True


def blackboard(derivation: Step, simplification: tuple = ()) -> tuple | None:
    """The lines of a derivation followed by its simplification (see `Stage.lines`)."""
    line: Expr = derivation.before
    budget = LINE_BUDGET
    per_line = size(derivation.before)
    out: list = [(line, None)]
    sizes: dict = {}  # id(node) -> (node, size): successive lines share all but one path
    for s in iter_steps(derivation):
        line, old = replace_leftmost_hole(line, s.after, s.result)
        assert old == s.before, "derivation order and print order disagree"
        budget -= shared_size(line, sizes) if per_line < 2000 else LINE_BUDGET
        if budget < 0:
            return None
        out.append((line, s))
    for r in simplification:
        out.append((r.after, r))
    return tuple(out)
