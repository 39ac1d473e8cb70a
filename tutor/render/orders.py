"""High orders at normal detail: one line per order, or the cycle once it is seen.

Why: OpenStax asks for d^59/dx^59 sin x. Fifty-nine worked stages are not what a teacher
writes; a teacher writes d/dx sin x = cos x, d^2/dx^2 sin x = -sin x, ..., notices that the
fourth derivative is sin x again and reads the 59th off the cycle. From HIGH_ORDER on (one
variable, `--detail normal`) each order is one line, `d^k/dx^k[f] = d/dx[previous] = next`
(each a true equation), and when a stage repeats an earlier one (solve.py reuses the very
Stage, so repetition is an identity test) the lines stop there and a note states the period
and the remainder. `steps` and `full` detail still show every stage worked.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..expr import Add, Derivative, Expr, Mul, Num
from ..printing import Relation

HIGH_ORDER = 4


@dataclass(frozen=True, slots=True)
class Order:
    """Derivative k: its head d^k/dx^k[f], the derivative it came from, and its value."""
    k: int
    head: Expr
    step: Expr       # d/dx[previous derivative] (for k = 1, the head itself)
    value: Expr


@dataclass(frozen=True, slots=True)
class Cycle:
    """From derivative `start` on the derivatives repeat every `period` orders."""
    start: int
    period: int

    def same_as(self, n: int) -> int:
        """The order at or below start + period - 1 whose derivative equals derivative n."""
        if n < self.start + self.period:
            return n
        return self.start + (n - self.start) % self.period


def compact(sol) -> bool:
    """Whether `sol` is shown one line per order (normal detail)."""
    return len(sol.stages) >= HIGH_ORDER and len(set(sol.variables)) == 1


def orders(sol) -> tuple[list[Order], Cycle | None]:
    """The lines up to the first repeated stage, and the cycle it closes (or None)."""
    out: list[Order] = []
    first: dict[int, int] = {}
    cycle = None
    var, partial = sol.variables[0], sol.partial
    for i, stage in enumerate(sol.stages):
        if id(stage) in first:
            j = first[id(stage)]
            cycle = Cycle(j + 1, i - j)
            break
        first[id(stage)] = i
        head = Derivative(sol.function, var, i + 1, partial)
        step = head if i == 0 else Derivative(stage.function, var, 1, partial)
        out.append(Order(i + 1, head, step, stage.answer))
    return out, cycle


def cycle_note(sol, cycle: Cycle, show) -> str:
    """`the derivatives repeat every 4 orders, since d^4/dx^4[sin(x)] = sin(x); and 59 = 3 +
    4*14, so d^59/dx^59[sin(x)] = d^3/dx^3[sin(x)]`, the maths printed by `show`."""
    n, var, f, partial = sol.order, sol.variables[0], sol.function, sol.partial
    start, p = cycle.start, cycle.period
    closing = start + p - 1  # its derivative is the function of stage `start - 1` again
    again = f if start == 1 else Derivative(f, var, start - 1, partial)
    q, r = divmod(n - start, p)
    since = show(Relation(Derivative(f, var, closing, partial), "=", again))
    so = show(Relation(Derivative(f, var, n, partial), "=", Derivative(f, var, start + r, partial)))
    if p == 1:
        return f"each derivative from here on is the same, since {since}; so {so}"
    arithmetic = show(Relation(Num(Fraction(n)), "=", Add((Num(Fraction(start + r)),
                                                         Mul((Num(Fraction(p)), Num(Fraction(q))))))))
    return f"the derivatives repeat every {p} orders, since {since}; and {arithmetic}, so {so}"


# ------------------------------------------------------------------ the three formats

def compact_text(sol) -> str:
    from ..printing import to_text
    from .layout import TEXT_WIDTH, answer_rows, note_rows, wrap
    lines, cycle = orders(sol)
    out: list[str] = []
    for o in lines:
        lead = f"  {to_text(o.head)} = " + ("" if o.k == 1 else f"{to_text(o.step)} = ")
        rows = wrap(to_text(o.value), TEXT_WIDTH - len(lead), TEXT_WIDTH, 8)
        out.append(lead + rows[0])
        out.extend("        " + r for r in rows[1:])
    if cycle is not None:
        out.append(note_rows(cycle_note(sol, cycle, to_text)))
    out.extend(answer_rows(to_text(Derivative(sol.function, sol.variables[0], sol.order, sol.partial)),
                           to_text(sol.answer)))
    return "\n".join(out)


def compact_latex_rows(sol) -> list[str]:
    """align* rows: `d^k/dx^k[f] &= d/dx[previous]` then `&= value` (broken at its signs)."""
    from ..printing import to_latex
    from .common import tex_escape
    from .layout import latex_rows, text_chunks
    lines, cycle = orders(sol)
    rows: list[str] = []
    for o in lines:
        head = to_latex(o.head)
        if o.k > 1:
            rows.append(f"{head} &= {to_latex(o.step)}")
        parts = latex_rows(to_latex(o.value))
        lead = "&= " if o.k > 1 else f"{head} &= "
        rows.extend((lead if j == 0 else "&\\quad {}") + p for j, p in enumerate(parts))
    if cycle is not None:
        marks = []  # the maths kept apart from the prose, which alone is escaped
        note = cycle_note(sol, cycle, lambda e: marks.append(to_latex(e)) or f"\0{len(marks) - 1}\0")
        pieces = note.split("\0")
        prose = "".join(tex_escape(c) if i % 2 == 0 else f"${marks[int(c)]}$" for i, c in enumerate(pieces))
        rows.extend(f"& \\text{{{c}}}" for c in text_chunks("note: " + prose))
    return rows


def compact_markdown(sol) -> list[str]:
    from ..printing import to_latex
    lines, cycle = orders(sol)
    out = []
    for o in lines:
        step = "" if o.k == 1 else f" = {to_latex(o.step)}"
        out.append(f"$$ {to_latex(o.head)}{step} = {to_latex(o.value)} $$")
    if cycle is not None:
        out.append("*note: " + cycle_note(sol, cycle, lambda e: f"${to_latex(e)}$") + "*")
    return out
