"""The derivative from the limit definition, f'(x) = lim_{h->0} (f(x+h) - f(x))/h, worked the
way OpenStax §3.1-3.2 and APEX §2.1 (and seed 003's "Steps 1-5") lay it out.

`from_definition(f, var=None, at=None)` returns a `Definition` record: the lines in order,
each a `Line(kind, label, expr, limit)`. While `limit` is true the line is the expression under
lim_{h->0}, an identity in x and h for h != 0 (every rewrite is exact algebra in Q[x, h] done
by `routes.polynomial`, or a named identity: angle addition, the exponent law, a^3 - b^3);
after it the line is the derivative itself. Each class's stages are worked in
`routes.quotients`; this module strings them into lines, adds the point and the table.
Renderers (`tutor.render.definition`) only read.

Classes (anything else is a TutorError naming them):
- polynomials of any degree and rational functions (one fraction first: common denominator);
- sqrt and cbrt of a polynomial (multiply by the conjugate, or by A^2 + AB + B^2);
- sin and cos of a linear argument (angle addition, then sin t/t -> 1, (cos t - 1)/t -> 0);
- e^(ax+b), exp(ax+b) and b^(ax+b) for a constant base b > 0 ((e^t - 1)/t -> 1);
- sums and constant multiples of these; other variables are held constant (a partial
  derivative), and any subtree free of the variable is a constant.
At a point (`at="x=2"`) also the x -> a form lim_{x->a} (f(x) - f(a))/(x - a) for polynomials
and rational functions, the numerator factored by synthetic division, and the value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import DomainError, EvaluationError, LimitError, TutorError, VariableError
from ..expr import ONE, ZERO, Add, Call, Div, Expr, Neg, Num, Sym, add, free_symbols, mul, neg, replace, size
from ..steps import Note
from .polynomial import NotPolynomial, Poly, PolyLimit, constant_value, to_poly, to_rational
from .quotients import KNOWN, SUPPORTED, Context, note_of, over, prefixed, split_pieces

__all__ = ["Definition", "Line", "TableRow", "from_definition", "SCHEMA", "SUPPORTED", "TABLE_H"]

SCHEMA = "tutor.definition/1"
MAX_NODES = 400
TABLE_H = tuple(10.0 ** -k for k in range(1, 11))


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the derivation. kind: a stable id, e.g. "substitute", "expand", "cancel-h"."""
    kind: str
    label: Note
    expr: Expr
    limit: bool              # True: the expression under the limit (an identity for h != 0)
    note: Note | None = None


@dataclass(frozen=True, slots=True)
class TableRow:
    h: float
    quotient: float | None   # (f(a + h) - f(a))/h in floats; None outside the domain
    error: float | None


@dataclass(frozen=True)
class Definition:
    function: Expr
    var: str
    step: str                # the increment's name, h unless f already uses h
    variables: tuple         # every variable of f, in order (the others are held constant)
    shifted: Expr            # f(x + h)
    lines: tuple             # Line, ...
    answer: Expr
    known_limits: tuple      # (name, quotient in t, its limit as t -> 0), in order of use
    point: tuple | None = None        # ((name, Expr), ...)
    point_lines: tuple = ()           # the x -> a form (limit=True: under lim_{x->a})
    value: Expr | None = None         # f'(a)
    decimal: float | None = None
    table: tuple = ()                 # TableRow, ...

    @property
    def partial(self) -> bool:
        return len(self.variables) > 1

    def to_text(self) -> str:
        from ..render.definition import render_text
        return render_text(self)

    def to_latex(self, standalone: bool = False) -> str:
        from ..render.definition import render_latex
        return render_latex(self, standalone)

    def to_markdown(self) -> str:
        from ..render.definition import render_markdown
        return render_markdown(self)

    def to_html(self, detail: str = "normal", standalone: bool = True) -> str:
        from ..render.html import to_html  # MathML Core in HTML (render/html.py)
        return to_html(self, detail, standalone)

    def to_dict(self) -> dict:
        from ..render.definition import render_dict
        return render_dict(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        return self.to_latex()


# ------------------------------------------------------------------ assembly

def _choose_var(f: Expr, var: str | None) -> str:
    names = free_symbols(f)
    if var:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", var):
            raise VariableError(f"--var must be a variable name like x, not '{var}'", code="bad_variable")
        return var
    if len(names) == 1:
        return names[0]
    if not names:
        return "x"  # a constant: its derivative in x is 0, worked all the same
    raise VariableError(f"the function has several variables ({', '.join(names)}): choose the one "
                        "to differentiate by with --var; the others are held constant",
                        code="ambiguous_variable")


def _step_name(f: Expr, var: str) -> str:
    taken = set(free_symbols(f)) | {var}
    for name in ("h", "k", "dx", "delta"):
        if name not in taken:
            return name
    raise VariableError("no free name for the increment (h, k, dx and delta are all variables)",
                        code="no_increment")


def _read_point(f: Expr, var: str, at) -> dict:
    from ..language import parse
    if isinstance(at, str):
        raw = {}
        for part in at.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise TutorError(f"a point is name=value pairs like x=2 or x=1,y=3, not '{part.strip()}'",
                                 code="point", hint="for example x=3, or x=1,y=2 for two variables")
            name, value = part.split("=", 1)
            raw[name.strip()] = parse(value.strip())
    else:
        raw = dict(at)
    names = set(free_symbols(f)) | {var}
    point = {}
    for name, v in raw.items():
        if name not in names:
            raise VariableError(f"{name} is not a variable of the function (its variables: "
                                f"{', '.join(sorted(names))})", code="unknown_variable")
        if isinstance(v, (int, Fraction)):
            v = Num(Fraction(v)) if v >= 0 else neg(Num(-Fraction(v)))
        elif isinstance(v, float):
            raise TutorError("give the point exactly (3, 1/2, pi/4), not as a float", code="point")
        point[name] = v
    if var not in point:
        raise VariableError(f"the point gives no value for {var}: e.g. {var}=2", code="missing_variable")
    return point


def _combine(pieces: list, exprs: list) -> Expr:
    return add(*(e if p.coeff == ONE else mul(p.coeff, e) for p, e in zip(pieces, exprs)))


def _derive(f: Expr, c: Context, var: str, variables: tuple) -> tuple:
    from ..simplifier import simplify
    x, h = c.x, c.h
    args = tuple(Sym(v) for v in variables)
    shift_args = tuple(c.xh if a == x else a for a in args)
    fx, fxh = Call("f", args), Call("f", shift_args)
    shifted = c.sub(f)
    others = tuple(a for a in args if a != x)
    if others:
        label = note_of("Definition of the partial derivative: " + ", ".join("{%d}" % i for i in range(len(others)))
                      + " held constant", *others)
    else:
        label = note_of("Definition of the derivative")
    lines = [Line("definition", label, Div(Add((fxh, Neg(fx))), h), True),
             Line("substitute", note_of("Substitute {0} = {1}", fxh, shifted), c.quotient(f), True)]
    pieces, dropped = split_pieces(c, f)
    current = [p.stages[0][2] for p in pieces]
    split = _combine(pieces, current)
    if split != lines[-1].expr:
        gone = "the constant terms cancel" if dropped else ""
        if len(pieces) > 1:
            label = note_of("Split into one quotient per term, constant factors in front "
                          "(sum and constant-multiple laws of limits)" + (f"; {gone}" if gone else ""))
        elif pieces[0].coeff != ONE:
            label = note_of(("The constant terms cancel; p" if gone else "P") + "ull out the constant factor "
                          "{0} (constant-multiple law of limits)", pieces[0].coeff)
        else:
            label = note_of("The constant terms cancel")
        lines.append(Line("split", label, split, True))
    many = len(pieces) > 1
    for i, p in enumerate(pieces):
        for kind, lab, expr, note in p.stages[1:]:
            current[i] = expr
            if many:
                lab = prefixed(lab, "{0}: ", mul(p.coeff, p.core) if p.coeff != ONE else p.core)
            lines.append(Line(kind, lab, _combine(pieces, current), True, note))
    known = tuple(dict.fromkeys(k for p in pieces for k in p.known))
    if known:
        maths = [h] + [m for k in known for m in KNOWN[k]]
        parts = ", ".join("{%d} → {%d}" % (1 + 2 * j, 2 + 2 * j) for j in range(len(known)))
        label = Note("Evaluate the limit: set {0} = 0, with the known limits " + parts + " as t → 0",
                     tuple(maths))
    else:
        label = note_of("Evaluate the limit: set {0} = 0", h)
    evaluated = _combine(pieces, [p.evaluated for p in pieces])
    lines.append(Line("evaluate", label, evaluated, False))
    answer = simplify(_combine(pieces, [p.value for p in pieces]))
    if answer != evaluated:
        lines.append(Line("simplify", note_of("Simplify"), answer, False))
    return shifted, tuple(lines), answer, known, pieces


def _point_lines(f: Expr, var: str, point: dict, variables: tuple) -> tuple:
    """The x -> a form for a rational function of the one variable at a rational point."""
    x = Sym(var)
    a = constant_value(point[var])
    g = replace(f, {Sym(k): v for k, v in point.items() if k != var})
    if a is None or free_symbols(g) not in ((var,), ()):
        return ()
    gens = (x, Sym("_h"))
    try:
        n, d = to_rational(g, gens)
    except (NotPolynomial, PolyLimit):
        return ()
    dz = d.at(0, Poly.const(gens, a)).constant()
    if dz == 0:
        raise DomainError(f"f is not defined at {var} = {a}: its denominator is 0 there", code="domain")
    fa = n.at(0, Poly.const(gens, a)).constant() / dz
    A = Num(a) if a >= 0 else neg(Num(-a))
    x_a = add(x, neg(A))
    if isinstance(g, Div) and _same(g.num, n, gens) and _same(g.den, d, gens):
        pe, qe = g.num, g.den
    else:
        pe, qe = n.to_expr(), d.to_expr()
    lead = d.constant()
    F_a = Num(fa) if fa >= 0 else neg(Num(-fa))
    held = {Sym(k): v for k, v in point.items() if k != var}
    f_x = Call("f", tuple(held.get(Sym(v), Sym(v)) for v in variables))
    f_a = Call("f", tuple(A if v == var else held.get(Sym(v), Sym(v)) for v in variables))
    lines = [Line("definition-at-point", note_of("Definition of the derivative at {0} = {1}", x, A),
                  Div(Add((f_x, Neg(f_a))), x_a), True),
             Line("substitute", note_of("Substitute {0} = {1}", f_a, F_a), Div(add(g, neg(F_a)), x_a), True)]
    if lead is None:
        num_e = add(pe, neg(mul(F_a, qe)))
        lines.append(Line("common-denominator", note_of("Write the numerator over the common denominator {0}", qe),
                          Div(num_e, mul(qe, x_a)), True))
        N = n - d.scale(fa)
        den = mul(qe, x_a)
        rest = qe
    else:
        N = (n - d.scale(fa)).scale(1 / lead)
        den, rest = x_a, None
    if Div(N.to_expr(), den) != lines[-1].expr:
        lines.append(Line("simplify", note_of("Simplify the numerator"), Div(N.to_expr(), den), True))
    q, r = N.divide_linear(0, a)
    assert r.is_zero(), "x = a must be a root of f(x) - f(a)"
    k = q.constant()
    factored = ZERO if q.is_zero() else mul(q.to_expr(), x_a) if k is not None else mul(x_a, q.to_expr())
    lines.append(Line("factor", note_of("Factor the numerator: {0} = {1} is a root, so {2} is a factor", x, A, x_a),
                      Div(factored, den), True))
    if rest is None:
        kept = q.to_expr()
    elif k is not None and k.denominator != 1:  # -1/(2(x + 1)), not (-1/2)/(x + 1)
        top = Num(abs(k.numerator))
        kept = over(neg(top) if k < 0 else top, mul(Num(k.denominator), rest))
    else:
        kept = over(q.to_expr(), rest)
    lines.append(Line("cancel", note_of("Cancel the common factor {0}", x_a), kept, True,
                      note_of("{0} ≠ {1} inside the limit", x, A)))
    value = q.at(0, Poly.const(gens, a)).constant() / (1 if rest is None else dz)
    V = Num(value) if value >= 0 else neg(Num(-value))
    lines.append(Line("evaluate", note_of("Evaluate the limit: set {0} = {1}", x, A), replace(kept, {x: A}), False))
    if lines[-1].expr != V:
        lines.append(Line("simplify", note_of("Simplify"), V, False))
    return tuple(lines)


def _same(e: Expr, p: Poly, gens: tuple) -> bool:
    try:
        return to_poly(e, gens) == p
    except (NotPolynomial, PolyLimit):
        return False


def _table(f: Expr, var: str, point: dict, exact: float | None) -> tuple:
    from ..evaluation import evaluate_float
    env = {}
    for k, v in point.items():
        env[k] = evaluate_float(v, {})
    missing = [n for n in free_symbols(f) if n not in env]
    if missing:
        raise VariableError(f"the table needs a value for every variable: add {', '.join(missing)} to the point",
                            code="missing_variable")
    f0 = evaluate_float(f, env)
    rows = []
    for hk in TABLE_H:
        try:
            q = (evaluate_float(f, {**env, var: env[var] + hk}) - f0) / hk
        except (DomainError, EvaluationError, OverflowError):
            q = None
        rows.append(TableRow(hk, q, None if q is None or exact is None else abs(q - exact)))
    return tuple(rows)


def from_definition(f, var: str | None = None, at=None, table: bool = False, *,
                    input: str = "auto") -> Definition:
    """The derivative of f from the limit definition, line by line (see the module docstring).
    `at` ("x=2" or {"x": 2}) adds the value f'(a), and the x -> a form when f is rational;
    `table=True` (needs `at`) adds the difference quotient for h = 0.1, 0.01, ..."""
    from ..language import parse
    from ..simplifier import simplify
    if isinstance(f, str):
        f = parse(f, input)
    if size(f) > MAX_NODES:
        raise LimitError(f"the function has {size(f)} nodes; the definition route works up to {MAX_NODES}",
                         hint="`tutor diff` handles large functions with the rules")
    v = _choose_var(f, var)
    step = _step_name(f, v)
    variables = tuple(dict.fromkeys(free_symbols(f) + (v,)))
    c = Context(f, v, step, variables)
    try:
        shifted, lines, answer, known, pieces = _derive(f, c, v, variables)
    except PolyLimit as exc:
        raise LimitError(f"the expansion is too large to show by hand ({exc})",
                         hint=f"degrees up to 40 and {MAX_NODES} nodes; `tutor diff` has no such limit") from None
    point = value = decimal = None
    point_lines: tuple = ()
    rows: tuple = ()
    if at is not None and at != "" and at != {}:
        pt = _read_point(f, v, at)
        from ..evaluation import evaluate
        if all(n in pt for n in free_symbols(f)):
            try:
                evaluate(f, {k: evaluate(e, {}) for k, e in pt.items()})
            except DomainError:
                from ..printing import to_text
                raise DomainError(f"f is not defined at {', '.join(f'{k} = {to_text(e)}' for k, e in pt.items())}",
                                  code="domain") from None
        value = simplify(replace(answer, {Sym(k): e for k, e in pt.items()}))
        if not free_symbols(value):
            try:  # cos(pi/3) is 1/2: the exact value when it is rational
                exact = evaluate(value, {})
                if isinstance(exact, Fraction):
                    value = Num(exact) if exact >= 0 else neg(Num(-exact))
            except (DomainError, EvaluationError):
                pass
        try:
            from ..evaluation import evaluate_float
            decimal = evaluate_float(value, {}) if not free_symbols(value) else None
        except (DomainError, EvaluationError):
            from ..printing import to_text
            raise DomainError(f"the derivative {to_text(answer)} is not defined at "
                              f"{', '.join(f'{k} = {to_text(e)}' for k, e in pt.items())}",
                              code="domain", hint="the limit does not exist there") from None
        try:
            point_lines = _point_lines(f, v, pt, variables)
        except PolyLimit:
            point_lines = ()
        point = tuple(pt.items())
        if table:
            rows = _table(f, v, pt, decimal)
    elif table:
        raise TutorError(f"the table needs a point, e.g. {v}=1", code="point",
                         hint="the difference quotients are worked at a point, for h shrinking to 0")
    known = tuple((k, *KNOWN[k]) for k in known)
    return Definition(f, v, step, variables, shifted, lines, answer, known, point, point_lines,
                      value, decimal, rows)
