"""Reading a student's answer: the parse, and the limits checked before any evaluation.

Why apart from the comparison: an answer is untrusted input. Everything that can refuse it
cheaply (too many parts, nested too deep, an exponent past the limit, calculus operators when
they are not accepted) is decided from one walk of the tree (plus a depth walk only for a tree
with more nodes than the depth limit), before a single evaluation, so a hostile answer is
refused as cheaply as a short one is read.

Cache invariant (`read`): key (answer text, input language, declared names, log notation) -> the tree. Trees are
frozen, and a parse is a pure function of its text, so the value may be shared by every
thread (`lru_cache` keeps its table coherent under threads; two threads that miss at once
both parse and get equal trees). A ParseError is raised, never cached. Nothing is shared
across processes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import TutorError
from ..evaluation import evaluate_float
from ..evaluation.text import fraction_parts
from ..expr import (Add, Call, Const, Derivative, Div, Expr, Mul, Neg, Num, Pow, Sym, children,
                    deeper_than, replace, size, with_children)
from ..language import declared, declaring, parse
from ..language.words import log_base, log_notation
from ..limits import MAX_EXPONENT
from ..printing import to_text
from .equivalence import Options

__all__ = ["read", "may_fold", "strip_lhs", "lhs_variable", "spelt_name", "text_deeper_than", "Shape",
           "shape", "refusal", "expand_calculus", "calculus_order",
           "fold_negations"]


# the left-hand sides that name a derivative: y' =, y'(x) =, f'(x) =, y'' =, dy/dx =,
# d^2y/dx^2 =, \frac{dy}{dx} =, \frac{d^2 y}{dx^2} = (group "v": the variable, when written)
_PRIME = r"[A-Za-z]\w*\s*(?:'+|′+|\^\{?\\prime\}?)\s*(?:\(\s*(?P<v1>[A-Za-z]\w*)\s*\))?"
_LEIBNIZ = (r"d\s*(?:\^\s*\{?\d+\}?)?\s*[A-Za-z]\w*\s*/\s*d\s*(?P<v2>[A-Za-z]\w*)"
            r"(?:\s*\^\s*\{?\d+\}?)?")
_FRAC = (r"\\[dt]?frac\s*\{\s*d\s*(?:\^\s*\{?\d+\}?)?\s*[A-Za-z]\w*\s*\}\s*"
         r"\{\s*d\s*(?P<v3>[A-Za-z]\w*)\s*(?:\^\s*\{?\d+\}?)?\s*\}")
_LHS = re.compile(rf"\s*(?:\$|\\\()?\s*(?:{_PRIME}|{_LEIBNIZ}|{_FRAC})\s*=(?!=)")


def lhs_variable(answer: str) -> str | None:
    """The variable a left-hand side naming a derivative names (`dy/dt = ...` -> t), or None
    (no such left-hand side, or one that names none: `y' = ...`)."""
    m = _LHS.match(answer) if "=" in answer else None
    return None if m is None else (m.group("v1") or m.group("v2") or m.group("v3"))


def spelt_name(name: str) -> str:
    """A name as the expression spells it (`x_1` is x1), or as typed if it is not one."""
    from ..language import variable_name
    try:
        return variable_name(name)
    except TutorError:
        return name


def strip_lhs(answer: str, var: str | None = None) -> str:
    """`y' = 2x`, `dy/dx = 2x`, `f'(x) = 2x` -> `2x`: a left-hand side that names a derivative
    is dropped (blanked, so a caret still points at the right column). With `var`, only a
    left-hand side naming that variable (dy/dx, f'(x), or none written) is dropped; another
    stays, and the reader refuses the `=`."""
    m = _LHS.match(answer)
    if not m:
        return answer
    named = m.group("v1") or m.group("v2") or m.group("v3")
    if var is not None and named is not None and named != var and spelt_name(named) != var:
        return answer
    lead = answer[:m.end()]
    keep = "$" if lead.lstrip().startswith("$") else ("\\(" if lead.lstrip().startswith("\\(") else "")
    return keep + " " * (m.end() - len(keep)) + answer[m.end():]


def text_deeper_than(text: str, limit: int) -> bool:
    """Whether the text alone shows its tree is deeper than `limit`: brackets nested past it,
    or a tower of more than `limit` powers (`x^x^...^x`: each ^ one level, right-associative
    in the calculator language). Linear string operations, run before the parse: a
    1,000-storey tower took 100 ms to parse only to be refused for its depth. A lower bound
    only: a tree it passes may still be refused after the parse."""
    if len(text) <= limit:
        return False   # a tree is never deeper than its text is long
    if text.count("(") + text.count("[") + text.count("{") > limit:
        level = 0
        for ch in text:
            if ch in "([{":
                level += 1
                if level > limit:
                    return True
            elif ch in ")]}" and level:
                level -= 1
    if "\\" in text or text.count("^") + text.count("**") < limit:
        return False
    run = 0   # storeys in a row: pieces between two ^ that are one letter or one number
    for piece in text.replace("**", "^").split("^")[1:-1]:
        atom = piece.strip().lstrip("-").lstrip()
        if (len(atom) == 1 and atom.isalpha()) or atom.isdigit():
            run += 1
            if run >= limit:
                return True
        else:
            run = 0
    return False


def read(answer: str, input: str, var: str | None = None) -> Expr:
    """The answer's tree (cached by text: a resubmitted answer is parsed once), without a
    left-hand side that names the derivative (`y' = ...`, `dy/dx = ...`; with `var`, only
    one naming that variable or none). The names declared for this check
    (language.declaring) are part of the key: `rate` reads as one name only where it was
    declared."""
    return _read(strip_lhs(answer, var) if "=" in answer else answer, input, declared(), log_base())


@lru_cache(maxsize=4096)
def _read(answer: str, input: str, names: frozenset, base: int | None = None) -> Expr:
    if names == declared() and base == log_base():
        # read() passes the context's own names and base: setting them again changes nothing
        # (two generator context managers, ~3 us of every fresh answer)
        e = parse(answer, input, printed=True)   # a copied printed form: no Lark
    else:
        with declaring(names), log_notation(base):
            e = parse(answer, input, printed=True)
    return fold_negations(e) if may_fold(answer) else e


#: the characters a Neg node is read from (calc.lark's and latex.lark's MINUS, superscript ⁻)
_MINUSES = ("-", "\u2212", "\u2013", "\u207b")


def may_fold(text: str) -> bool:
    """Whether the text has two minus signs, without which its tree has no Neg of a Neg and
    fold_negations has nothing to fold (each Neg is read from one minus sign): four
    str.count calls instead of a walk of the tree, for nearly every answer."""
    return sum(text.count(m) for m in _MINUSES) >= 2


def _double_negation(e: Expr) -> bool:
    """Whether some Neg's argument is a Neg (every node looked at, by its class: the node
    classes have no subclasses; a generator walk cost more than reading a short answer)."""
    stack = [e]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is Neg:
            if type(node.arg) is Neg:
                return True
            stack.append(node.arg)
        elif t is not Sym and t is not Num and t is not Const:
            stack.extend(children(node))
    return False


def fold_negations(e: Expr) -> Expr:
    """Repeated signs cancelled in pairs: `--x` is x, `---x` is -x. What a student means by
    a run of signs is its parity; read as typed, 500 signs are a tree 500 levels deep that is
    over every depth limit of a check. One walk when there is no such run (the usual case);
    otherwise one iterative rebuild, chains collapsed as they are met."""
    if not _double_negation(e):
        return e

    def collapse(node: Expr) -> Expr:
        while isinstance(node, Neg) and isinstance(node.arg, Neg):
            node = node.arg.arg
        return node

    out: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(collapse(e), False)]
    while stack:
        node, built = stack.pop()
        kids = children(node)
        if not kids:
            out.append(node)
        elif not built:
            stack.append((node, True))
            stack.extend((collapse(k), False) for k in reversed(kids))
        else:
            new = tuple(out[-len(kids):])
            del out[-len(kids):]
            out.append(node if new == kids else with_children(node, new))
    return out[0]


@dataclass(frozen=True, init=False)
class Shape:
    """What the checks before evaluation need, from ONE pre-order walk of the answer: its
    size (exact only up to the node limit), whether it has calculus operators, its variables
    in order of first appearance, its powers with a constant exponent, and whether it is
    rational (equivalence.is_rational: exact arithmetic decides). Separate walks would cost
    more than evaluating a short answer. (Its own `__init__`, as records.Verdict's: made on
    every check.)"""
    size: int
    calculus: bool
    symbols: tuple[str, ...]
    const_pows: tuple[Pow, ...]
    rational: bool

    def __init__(self, size: int, calculus: bool, symbols: tuple[str, ...],
                 const_pows: tuple[Pow, ...], rational: bool) -> None:
        fields = self.__dict__
        fields["size"] = size
        fields["calculus"] = calculus
        fields["symbols"] = symbols
        fields["const_pows"] = const_pows
        fields["rational"] = rational


def shape(e: Expr, max_nodes: int) -> Shape:
    """The answer's Shape. The walk is expr.walk's, inlined, dispatching on the node's class
    (the node classes have no subclasses): on the hot path a generator's resumption per node,
    a `match` over class patterns and the children of every leaf cost more than the checks."""
    n, calculus, rational = 0, False, True
    seen: dict[str, None] = {}
    pows = []
    stack = [e]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        n += 1
        if n > max_nodes:   # refused anyway: the exact count is computed for the message only
            return Shape(size(e), calculus, tuple(seen), tuple(pows), False)
        t = type(node)
        if t is Sym:
            seen.setdefault(node.name)
        elif t is Num:
            continue
        elif t is Pow:
            pows.append(node)   # those with a constant exponent are kept below
            if rational:   # is_rational's test: x^n or x^(-n), n an integer up to 64
                x = node.exp
                v = x.arg if type(x) is Neg else x
                rational = type(v) is Num and _small_integer(v.value)
            push(node.exp)
            push(node.base)
        elif t is Mul:   # the common inner nodes by their fields: no children() call
            stack.extend(reversed(node.factors))
        elif t is Add:
            stack.extend(reversed(node.terms))
        elif t is Neg:
            push(node.arg)
        elif t is Div:
            push(node.den)
            push(node.num)
        else:   # a call, a constant, a derivative, ...: not rational (is_rational's else)
            rational = False
            if t is Call:
                stack.extend(reversed(node.args))
                continue
            if t is Const:
                continue
            if t is Derivative:
                calculus = True
                seen.setdefault(node.var)
            stack.extend(reversed(children(node)))
    return Shape(n, calculus, tuple(seen), _constant_exponents(pows), rational)


def _small_integer(q) -> bool:
    """An integer up to 64 (is_rational's exponent test), on its integer parts."""
    n, d = fraction_parts(q)
    return d == 1 and n <= 64


def _constant_exponents(pows: list) -> tuple:
    """The powers whose exponent has no variable. A number is known at once; any other
    exponent is decided by one post-order pass over all of them with a memo, so a tower
    x^x^...^x costs one walk, not one walk per storey (free_symbols of every exponent was
    quadratic: 0.6 s for 200 storeys)."""
    if all(isinstance(p.exp, Num) for p in pows):
        return tuple(pows)
    memo: dict[int, bool] = {}      # id(node) -> whether a variable occurs in it
    for p in pows:
        stack = [(p.exp, False)]
        while stack:
            node, done = stack.pop()
            if id(node) in memo:
                continue
            kids = children(node)
            if isinstance(node, Sym) or isinstance(node, Derivative):
                memo[id(node)] = True
            elif not kids:
                memo[id(node)] = False
            elif done:
                memo[id(node)] = any(memo[id(k)] for k in kids)
            else:
                stack.append((node, True))
                stack.extend((k, False) for k in kids if id(k) not in memo)
    return tuple(p for p in pows if not memo.get(id(p.exp), isinstance(p.exp, Num)) or
                 isinstance(p.exp, Num))


def refusal(e: Expr, opts: Options, form: Shape) -> str | None:
    """A reason to refuse the answer before any evaluation, or None."""
    n = form.size
    if n > opts.max_nodes:
        return f"your answer has {n:,} parts; the limit is {opts.max_nodes:,}"
    # a tree is never deeper than it has nodes: the depth walk is needed only for large ones
    if n > opts.max_depth and deeper_than(e, opts.max_depth):
        return f"your answer is nested more than {opts.max_depth} levels deep"
    for node in form.const_pows:
        if type(node.exp) is Num:   # the common x^2: no evaluation needed to know it is in range
            n, d = fraction_parts(node.exp.value)   # |n/d| <= MAX_EXPONENT, on integers
            if -MAX_EXPONENT * d <= n <= MAX_EXPONENT * d:
                continue
        try:
            v = evaluate_float(node.exp, {})
        except TutorError:
            return f"the exponent {to_text(node.exp)[:40]} is too large to evaluate"
        if abs(v) > MAX_EXPONENT:
            return (f"the exponent {to_text(node.exp)[:40]} is over the limit of "
                    f"{MAX_EXPONENT:,}")
    return None


def calculus_order(e: Expr) -> int:
    """The most derivatives applied one inside another (d/dx[d/dx[u]] is 2, d^3/dx^3[u] is 3):
    what expanding them would cost in whole derivations, counted before any is computed."""
    most, stack = 0, [(e, 0)]
    while stack:
        node, above = stack.pop()
        if isinstance(node, Derivative):
            above += node.order
            most = max(most, above)
        stack.extend((k, above) for k in children(node))
    return most


def expand_calculus(e: Expr) -> Expr:
    """d/dx[u] inside an answer (when allowed) becomes the engine's derivative of u. Only the
    outermost derivatives are replaced, each after its own inside is expanded once: the work
    is one derivation per derivative written, not one per path through the nest (20 nested
    d/dx were 2^20 derivations). The caller bounds the nesting first (calculus_order). All
    of them share one work budget (engine.order_budget), opened on the thread that runs them:
    a deep answer runs on the big-stack worker, and a budget is a context variable of its
    thread."""
    from .._deep import run_deep
    return run_deep(_expand_budgeted, e)


def _expand_budgeted(e: Expr) -> Expr:
    from ..engine import order_budget
    with order_budget():
        return _expand(e)


def _expand(e: Expr) -> Expr:
    from ..solve import derivative
    mapping: dict = {}
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Derivative):
            if node not in mapping:
                mapping[node] = derivative(_expand(node.expr), node.var, node.order)
            continue
        stack.extend(children(node))
    return replace(e, mapping)


read.cache_clear = _read.cache_clear   # grade.clear_caches empties the table behind `read`
