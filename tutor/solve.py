"""`differentiate`: text or tree in, a worked `Solution` out.

The answer is built *from* the steps (the derivation's filled holes, then the recorded
simplification), never by a second engine, so steps and answer cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from . import _deep
from . import rules as R
from .engine import Context, derive
from .errors import TutorError, VariableError
from .expr import (LEAVES, ZERO, Derivative, Div, Expr, Mul, Num, Pow, Sym, children, deeper_than,
                   free_symbols, number_of, replace, size)
from .steps import Note, Stage, Step, iter_steps, joined_notes


@dataclass(frozen=True)
class Solution:
    """A worked solution. `stages` has one Stage per differentiation (order n: n stages)."""
    input: str | None
    function: Expr
    variables: tuple[str, ...]   # one per stage: ("x",), ("x", "x") for order 2, ("x", "y") mixed
    stages: tuple[Stage, ...]
    #: known to be at most `_deep.SHALLOW` levels deep, function and answer (the solver counted
    #: their nodes anyway): `_deep.is_shallow` then answers without walking them, so each
    #: rendering skips run_deep's two depth walks. False means only "not known".
    shallow: bool = field(default=False, compare=False, repr=False)

    @property
    def var(self) -> str:
        return self.variables[0]

    @property
    def order(self) -> int:
        return len(self.stages)

    @property
    def partial(self) -> bool:
        return self.stages[0].partial

    @property
    def answer(self) -> Expr:
        return self.stages[-1].answer

    @property
    def raw_answer(self) -> Expr:
        return self.stages[-1].raw

    @property
    def steps(self) -> tuple:
        """Every step in blackboard order: each stage's rule steps, then its simplification."""
        out: list = []
        for stage in self.stages:
            out.extend(stage.flat_steps())
            out.extend(stage.simplification)
        return tuple(out)

    # renderers live in tutor.render.solution; these are the doors to them
    def to_text(self, detail: str = "normal") -> str:
        from .render.solution import render_text
        return _deep.run_deep(_sharing(render_text), self, detail)

    def to_latex(self, detail: str = "normal", standalone: bool = False) -> str:
        from .render.solution import render_latex
        return _deep.run_deep(_sharing(render_latex), self, detail, standalone)

    def to_markdown(self, detail: str = "normal") -> str:
        from .render.solution import render_markdown
        return _deep.run_deep(_sharing(render_markdown), self, detail)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from .render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self, detail: str = "full") -> dict:
        from .render.solution import render_dict
        return _deep.run_deep(_sharing(render_dict), self, detail)

    def to_json(self, detail: str = "full", indent: int | None = 2) -> str:
        import json
        return json.dumps(self.to_dict(detail), indent=indent, ensure_ascii=False)

    def _repr_latex_(self) -> str:
        return self.to_latex()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        return self.to_text()

    def at(self, point: dict | None = None, **values):
        """The derivative's value at a point, the substitution shown as steps (see atpoint.py)."""
        from .routes.atpoint import evaluate_at
        return evaluate_at(self, {**(point or {}), **values})


def _sharing(render: Callable) -> Callable:
    """`render` run inside one print-memo scope (printing.shared_prints): the lines of a
    worked solution share most subtrees, and each is printed once per format, not once per
    line. Opened inside the (possibly big-stack) thread that renders, and dropped after."""
    def run(*args):
        from .printing import shared_prints
        with shared_prints():
            return render(*args)
    return run


def to_expr(expr: str | Expr, input: str = "auto", names: Sequence[str] = (),
            log10: bool = False) -> tuple[str | None, Expr]:
    """(the text typed or None, the tree): what every entry point accepts, read once.
    `names`: the multi-letter names declared for this reading (`rate` is one name);
    `log10`: a one-argument log is log base 10 (else natural, or as the caller's context says)."""
    if isinstance(expr, str):
        from contextlib import nullcontext
        from .language import declaring, parse
        from .language.words import log_notation
        with declaring(names), (log_notation(10) if log10 else nullcontext()):
            return expr, parse(expr, input)
    return None, expr


def _names(names: str | Sequence[str] | None) -> tuple[str, ...]:
    """`"a,b,k"` or a list -> a tuple of stripped names."""
    if names is None:
        return ()
    if isinstance(names, str):
        names = names.split(",")
    return tuple(n.strip() for n in names if n and n.strip())


def pick_variable(e: Expr, var: str | None, constants: Sequence[str] = ()) -> str:
    """The variable named (spelt as the expression's names are: `x_1` is x1), or the only
    name present that is not held constant; otherwise a clear error.

    Without a name: the declared `constants` do not count, and beside conventional constant
    letters (a, b, c, k, n, ...: vocabulary.CONSTANT_LETTERS) the one other name is the
    variable, so `a x^2 + b x + c` is differentiated in x."""
    from .language import variable_name
    from .vocabulary import CONSTANT_LETTERS
    if var is not None:
        return variable_name(var)
    names = free_symbols(e)
    candidates = [n for n in names if n not in constants]
    if len(candidates) == 1:
        return candidates[0]
    if not names:
        return "x"
    plain = [n for n in candidates if n not in CONSTANT_LETTERS]
    if len(plain) == 1:
        return plain[0]
    pool = plain or candidates or list(names)
    suggest = "x" if "x" in pool else pool[0]
    if not candidates:
        raise VariableError(f"every name of the function is declared a constant "
                            f"({', '.join(names)}): say which to differentiate by",
                            hint=f"e.g. --var {suggest}")
    raise VariableError(f"the function has several variables ({', '.join(names)}): "
                        f"say which to differentiate by (var=... or --var)",
                        hint=f"e.g. --var {suggest}" + (
                            f", or declare the others constant (--constants "
                            f"{','.join(n for n in candidates if n != suggest)})"))


def check_occurs(e: Expr, name: str) -> None:
    """Refuse a variable the function does not contain (d/dy of x^2 asked by mistake, `--var
    rate` where `rate` was read r·a·t·e), saying how the input was read. A function with no
    variable at all (a constant) may be differentiated by any name."""
    names = free_symbols(e)
    if name in names or not names:
        return
    from .printing import to_text
    from .vocabulary import CALC_SPELLINGS
    read = to_text(e)
    shown = read if len(read) <= 80 else read[:77] + "..."
    if name in CALC_SPELLINGS:
        hint = f"{name} is a function, not a variable; the variables are {', '.join(names)}"
    elif len(name) > 1 and name.isalpha():
        hint = (f"a word of several letters reads as a product of its letters: declare it "
                f"as one name (names=['{name}']), or use one of {', '.join(names)}")
    else:
        hint = f"the variables are {', '.join(names)}"
    raise VariableError(f"the variable '{name}' does not occur in the function (read as "
                        f"{shown})", hint=hint)


def pick_variables(e: Expr, names: str | Sequence[str] | None) -> tuple[str, ...]:
    """Several variables (`"w1,w2"` or a list), each named once; None means every variable of
    `e` in order of appearance. For gradients, Hessians and gradient descent."""
    if names is None:
        found = free_symbols(e)
        if not found:
            raise VariableError("the function has no variables: name them, e.g. --vars x,y")
        return found
    if isinstance(names, str):
        names = [v for v in names.split(",") if v.strip()]
    picked = tuple(pick_variable(e, v) for v in names)
    if not picked:
        raise VariableError("give at least one variable, e.g. --vars x,y")
    if len(set(picked)) != len(picked):
        raise VariableError("a variable is listed twice: " + ", ".join(picked))
    return picked


def _variables(e: Expr, var: str | Sequence[str] | None, order: int,
               constants: Sequence[str] = ()) -> tuple[str, ...]:
    if isinstance(var, str) and "," in var:
        var = [v for v in var.split(",") if v.strip()]
    if isinstance(var, (list, tuple)):
        if order != 1 and order != len(var):
            raise VariableError("give either several variables (a mixed partial) or an order, not both")
        return tuple(pick_variable(e, v, constants) for v in var)
    if not isinstance(order, int) or order < 1:
        raise TutorError(f"the order must be a positive whole number, not {order!r}", code="order")
    if order > ORDER_CEILING:
        raise TutorError(f"order {order} is over the limit of {ORDER_CEILING}", code="limit",
                         hint="the work, not the order, is what is bounded: see README, Limits")
    return (pick_variable(e, var, constants),) * order


def differentiate(expr: str | Expr, var: str | Sequence[str] | None = None, order: int = 1,
                  *, input: str = "auto", names: str | Sequence[str] | None = None,
                  constants: str | Sequence[str] | None = None, log10: bool = False) -> Solution:
    """The worked solution of the derivative of `expr` (calculator syntax, LaTeX, or a tree).

    `var` may be omitted when exactly one name occurs (or one beside constant letters such
    as a, b, c, k, n); `var="x,y"` (or a list) is the mixed partial derivative,
    differentiating by x first, then y. A `var` that typed text does not contain is an error
    (a tree may be differentiated by any name: the routes ask d/dy of x for a gradient).
    `names` declares multi-letter names (`rate` one name, not r·a·t·e); `constants` (also
    declared) are held constant, so the derivative is an ordinary one, not a partial.
    `log10=True` reads a one-argument `log` as log base 10 (OpenStax's notation; shown back
    as log10 in the first line); natural log is the default."""
    held = _names(constants)
    # a multi-letter variable named by the caller (`--var rate`) is itself a declaration
    named_words = tuple(v for v in _names(var if isinstance(var, (str, list, tuple)) else None)
                        if len(v) > 1 and v.isalpha())
    text, e = to_expr(expr, input, _names(names) + held + named_words, log10)
    named = var is not None
    if isinstance(e, Derivative):  # d/dx[f] typed as the function itself: unwrap it
        inner, v, n = e.expr, e.var, e.order
        if var is None:
            var, order = v, n * order
            e = inner
    variables = _variables(e, var, order, held)
    if named and text is not None:   # typed by a person; the routes pass trees on purpose
        for v in dict.fromkeys(variables):
            check_occurs(e, v)
    else:  # picked beside constants (declared, or letters such as a, b, c): hold them constant
        held += tuple(n for n in free_symbols(e) if n not in variables and n not in held)
    nodes = size(e)  # (no path is longer than the tree's size: most inputs need no depth walk)
    if nodes > _deep.SHALLOW and deeper_than(e, _deep.SHALLOW):  # depth(e) > SHALLOW
        return _deep.run_deep(_solve, text, e, variables, held, nodes)
    return _solve(text, e, variables, held, nodes)


# ---- the order loop: the work is bounded, not the order (issue 10) ----
#: orders past this are refused outright (a tuple of stages must fit in memory)
ORDER_CEILING = 1000
#: the most nodes a stage may have to be differentiated again (or 4 times the function's).
#: Checked ahead: a stage's size times its last growth factor, to the power of the orders left,
#: is the size the last stage would have; so x^x (about 2.5 times an order) at order 10 is
#: refused at its 4th derivative, in well under a second, not after minutes.
MAX_STAGE_NODES = 8_000
#: nodes of all the stages' raw derivatives together
MAX_ORDER_WORK = 60_000


def _solve(text: str | None, e: Expr, variables: tuple[str, ...],
           constants: Sequence[str] = (), nodes: int | None = None) -> Solution:
    """One stage per variable. A stage whose function was already met (sin -> cos -> -sin ->
    -cos -> sin) is the same Stage object again, so a periodic family reaches order 59 at the
    cost of its period; a polynomial reaches 0 and stays there cheaply. The work (the size of
    each stage's function, predicted ahead, and of all raw derivatives) is bounded, whatever
    the order."""
    from .simplifier import simplify_steps
    stages: list[Stage] = []
    seen: dict = {}  # (function, variable) -> index of its stage
    current = e
    others = any(s not in variables and s not in constants for s in free_symbols(e))
    partial = others or len(set(variables)) > 1
    before = size(e) if nodes is None else nodes  # counted once: the room and the first growth
    function_shallow = before <= _deep.SHALLOW  # (no path is longer than the tree's size)
    answer_shallow = False  # the last stage's answer, when known (see Solution.shallow)
    work, room = 0, max(MAX_STAGE_NODES, 4 * before)
    for k, v in enumerate(variables):
        again = seen.get((current, v)) if len(variables) > 1 else None
        if again is not None:
            stage = stages[again]
            answer_shallow = False
        else:
            if k:
                nodes = size(current)
                _check_order_work(k, len(variables), nodes, before, room, work)
                before = nodes
            tree = derive(current, Context(v, partial))
            raw = tree.result
            raw_nodes = size(raw)
            work += raw_nodes
            simp = simplify_steps(raw, shallow=raw_nodes <= _deep.SHALLOW)
            answer = simp[-1].after if simp else raw
            zero, inner_nodes = _division_by_zero(answer)
            answer_shallow = not zero and inner_nodes < _deep.SHALLOW
            if zero or meets_a_singular_constant(tree, v):
                tree, raw, simp, answer = (_simplified_first(current, v, partial)
                                           or (tree, raw, simp, answer))
                answer_shallow = False
            stage = Stage(current, v, partial, tree, raw, tuple(simp), answer)
            if len(variables) > 1:
                seen[(current, v)] = k
        stages.append(stage)
        current = stage.answer
    return Solution(text, e, variables, tuple(stages), shallow=function_shallow and answer_shallow)


def divides_by_zero(e: Expr) -> bool:
    """Whether e divides by a literal 0 somewhere (0/0, 1/0, 0^(-1)), so it is undefined
    wherever it is evaluated. The simplifier leaves such a quotient where a derivative formula
    met an argument on the edge of its domain everywhere: asin(x/x) by the chain rule is
    1/sqrt(1 - (x/x)^2) (x - x)/x^2, which is -0/0 once x/x is cancelled."""
    return _division_by_zero(e)[0]


def _division_by_zero(e: Expr) -> tuple[bool, int]:
    """`divides_by_zero(e)`, and the number of distinct non-leaf nodes walked (all of e's when
    it does not): e is at most that many levels deep plus one, as a path from the root never
    meets a node twice. The order loop asks both of every stage's answer in one walk."""
    seen: set[int] = set()   # a shared subtree once (e keeps them alive: ids stay theirs)
    stack = [e]
    while stack:   # asked of every stage's answer: leaves are skipped by type, not walked
        node = stack.pop()
        t = type(node)
        if t in LEAVES or id(node) in seen:
            continue
        seen.add(id(node))
        if t is Div and node.den == ZERO:
            return True, len(seen)
        if t is Pow and node.base == ZERO and (number_of(node.exp) or 0) < 0:
            return True, len(seen)
        stack.extend(children(node))
    return False, len(seen)


def meets_a_singular_constant(derivation: Step, var: str) -> bool:
    """Whether the chain rule met an inner function that is a constant written with `var`
    (x - x, 1^x) where the outer function's derivative divides by zero: sqrt(x - x) is
    sqrt(0) = 0 everywhere, but the chain rule writes (1/2)(x - x)^(-1/2) (x - x)', which is
    nowhere defined, and the simplifier's 0 times it is 0 hides that (divides_by_zero cannot
    see it in the answer). The derivation's chain steps are walked: each names its inner
    function g and holds f'(g), which is asked at g's value, so every formula the rules know
    answers for itself. Cheap first: only a g where var occurs twice, or beside a 0 or 1 that
    can absorb it, and that takes one value at two points is simplified."""
    from .simplifier import simplify
    for step in iter_steps(derivation):
        if step.rule is not R.Rule.CHAIN or type(step.after) is not Mul:
            continue
        inner, outer = dict(step.bindings)["g"], step.after.factors[0]   # g and f'(g)
        if type(inner) in LEAVES or not _might_divide(outer) or not _might_be_constant(inner, var) \
                or _varies(inner):
            continue
        value = number_of(simplify(inner))
        if value is not None and divides_by_zero(simplify(replace(outer, {inner: Num(value)}))):
            return True
    return False


def _might_divide(e: Expr) -> bool:
    """Whether e has a quotient or a power that is not a whole non-negative one: only such a
    formula can divide by zero at some value (cos(g), 2g, e^g never do)."""
    stack = [e]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is Div:
            return True
        if t is Pow:
            q = number_of(node.exp)
            if q is None or q < 0 or q.denominator != 1:
                return True
        if t not in LEAVES:
            stack.extend(children(node))
    return False


def _might_be_constant(e: Expr, var: str) -> bool:
    """Whether e might be a constant written with var: var occurs twice or more, or once beside
    a literal that can absorb it (the factor 0 in 0 x, the exponent 0 in x^0, the base 1 in
    1^x). Without var, e is a constant the engine never takes by the chain rule: False."""
    count, absorbing = 0, False
    stack = [e]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is Sym:
            count += node.name == var
            continue
        if t is Mul:
            absorbing = absorbing or any(type(f) is Num and f.value == 0 for f in node.factors)
        elif t is Pow:
            absorbing = absorbing or (type(node.base) is Num and node.base.value == 1) \
                or (type(node.exp) is Num and node.exp.value == 0)
        stack.extend(children(node))
    return count >= 2 or (count == 1 and absorbing)


def _varies(e: Expr) -> bool:
    """e takes two different values at two generic points (in floats: a quick no before the
    simplifier is asked; a point outside e's domain says nothing)."""
    from .evaluation import evaluate_float
    names = sorted(free_symbols(e))
    try:
        a, b = (evaluate_float(e, {n: start + i / 10 for i, n in enumerate(names)})
                for start in (0.6180339887, 1.3247179572))
    except TutorError:
        return False
    return abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b))


def _simplified_first(e: Expr, var: str, partial: bool):
    """(tree, raw, simplification, answer) of d/dvar[e] with e simplified first, or None when
    that does not help. Why: differentiated as written, e can meet a formula outside its domain
    everywhere (asin(x/x): asin's derivative at 1) although e itself is defined: asin(x/x) is
    asin(1), a constant, wherever x != 0, and its derivative is 0 there, as a textbook says
    after simplifying first. The first step says so, with what the simplification assumed."""
    from .simplifier import simplify_steps
    steps = simplify_steps(e)
    if not steps:
        return None
    simpler = steps[-1].after
    assumed = [s.note for s in steps if s.note]
    why = joined_notes([Note("simplify first: as written it divides by zero"), *assumed])

    def first(rule: str, node: Expr, v: str, rw: R.Rewrite) -> R.Rewrite:
        return R.rewrite(node, simpler, why, v, partial) if node is e else rw
    tree = derive(e, Context(var, partial, mutate=first))
    raw = tree.result
    simp = simplify_steps(raw)
    answer = simp[-1].after if simp else raw
    if divides_by_zero(answer):
        return None
    return tree, raw, simp, answer


def _check_order_work(k: int, order: int, nodes: int, before: int, room: int, work: int) -> None:
    """Refuse before stage k (0-based) of `order` when the last stage would be past `room`
    nodes, or the raw derivatives so far are past MAX_ORDER_WORK. The last stage's size is
    extrapolated from the last step: geometrically when it grew 1.5 times or more (x^x, about
    2.5 times an order), else linearly (tan x grows by a few nodes an order), the growth damped
    by 20 nodes so that tiny first steps (tan -> sec^2) set no trend."""
    import math
    left = order - 1 - k  # stages after this one
    growth = (nodes + 20) / (before + 20)
    if growth >= 1.5:
        predicted = math.log(nodes) + left * math.log(growth)
    else:
        predicted = math.log(nodes + left * max(0, nodes - before))
    if predicted > math.log(room):
        last = f"{math.exp(predicted):,.0f}" if predicted < 60 else "far more"
        why = (f"derivative {k} has {nodes} parts and grows about {growth:.1f} times an order, "
               f"so derivative {order - 1} would have about {last} (the limit is {room:,})")
    elif work > MAX_ORDER_WORK:
        why = f"the first {k} derivatives built {work:,} parts (the limit is {MAX_ORDER_WORK:,})"
    else:
        return
    raise TutorError(f"order {order} is beyond the work budget: {why}", code="limit",
                     hint="ask for a lower order; each order of this function grows")
# ---- end of the order loop ----


def derivative(expr: str | Expr, var: str | None = None, order: int = 1) -> Expr:
    """Just the simplified answer (the same engine, the steps discarded)."""
    return differentiate(expr, var, order).answer
