"""A test-side MathML reader: the printer's output (ElementTree) back to a SymPy expression.

Why in tests: the round trip `Expr -> to_mathml -> read -> SymPy` checks that what a browser
draws means the expression, independently of the printer's own tables (the function names and
Greek letters are spelled out here, not taken from tutor.vocabulary). It reads the MathML the
printer writes (rows of tokens with `(`, `|`, `[` groups, U+2062 and U+2061, `mfrac`, `msup`,
`msub`, `msubsup`, `msqrt`, `mroot`, `d/dx[...]`, `lim` under `munder`, and `expr|_{x=a}`);
anything else is an error, so unexpected markup fails loudly.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import sympy

NS = "{http://www.w3.org/1998/Math/MathML}"
TIMES, APPLY, MINUS = "\u2062", "\u2061", "\u2212"

FUNCTIONS = {
    "exp": sympy.exp, "ln": sympy.log, "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot, "arcsin": sympy.asin,
    "arccos": sympy.acos, "arctan": sympy.atan, "arcsec": sympy.asec, "arccsc": sympy.acsc,
    "arccot": sympy.acot, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "sech": sympy.sech, "csch": sympy.csch, "coth": sympy.coth, "arsinh": sympy.asinh,
    "arcosh": sympy.acosh, "artanh": sympy.atanh, "arsech": sympy.asech, "arcsch": sympy.acsch,
    "arcoth": sympy.acoth, "relu": lambda u: sympy.Max(0, u), "max": sympy.Max, "min": sympy.Min,
}
GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρστυφχψω",
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega".split()))
GREEK.update({c: n.capitalize() for c, n in zip("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega").split())})
RELATIONS = {"=": "=", ">": ">", "<": "<", "\u2265": ">=", "\u2264": "<=", "\u2260": "!="}


#: MathML Core's elements (https://www.w3.org/TR/mathml-core/) that the printer may write
CORE = {"math", "mi", "mn", "mo", "mrow", "mfrac", "msqrt", "mroot", "msup", "msub", "msubsup",
        "mtext", "mspace", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle",
        "mpadded", "mphantom", "ms", "merror", "semantics", "annotation", "mmultiscripts"}
ATTRIBUTES = {"display", "displaystyle", "mathvariant", "stretchy", "lspace", "rspace", "width", "form",
              "movablelimits", "fence", "separator"}


def check_core(markup: str) -> None:
    root = ET.fromstring(markup)     # well-formed XML, or this raises
    assert root.tag == NS + "math"
    for el in root.iter():
        assert el.tag.startswith(NS), el.tag
        assert tag(el) in CORE, tag(el)
        assert set(el.attrib) <= ATTRIBUTES, el.attrib
    assert "mfenced" not in markup


class Unreadable(ValueError):
    pass


def parse(markup: str) -> ET.Element:
    """The `<math>` element of a MathML string (ElementTree; well-formed XML or an error)."""
    root = ET.fromstring(markup)
    if root.tag != NS + "math":
        raise Unreadable(f"not a math element: {root.tag}")
    return root


def tag(el) -> str:
    return el.tag.replace(NS, "")


def read(markup, symbols: dict | None = None, functions: dict | None = None):
    """SymPy for a `<math>` string or element; a relation comes back as (lhs, op, rhs).
    `functions` gives the meaning of function names the page uses (f, f')."""
    el = parse(markup) if isinstance(markup, str) else markup
    return Reader(symbols or {}, functions).element(el)


def name_of(el) -> str:
    """The variable name an `mi`/`msub`/`msup` of primes spells (w1, x_a, theta, y')."""
    t = tag(el)
    if t == "mi":
        text = el.text or ""
        return GREEK.get(text, "..." if text == "\u2026" else text)
    if t == "msub":
        base, sub = list(el)
        sub_name = sub.text if tag(sub) == "mn" else "_" + name_of(sub)
        return name_of(base) + sub_name
    if t == "msup" and tag(el[1]) == "mo" and set(el[1].text) <= {"\u2032", "\u2033", "'"}:
        return name_of(el[0]) + "'" * {"\u2032": 1, "\u2033": 2}.get(el[1].text, len(el[1].text))
    raise Unreadable(f"not a name: {ET.tostring(el)!r}")


def is_mo(el, *texts) -> bool:
    return isinstance(el, ET.Element) and tag(el) == "mo" and (not texts or el.text in texts)


def tokens(el) -> list:
    """What the eye sees, left to right: `mrow` grouping is invisible (only brackets, fraction
    bars, radicals and scripts group), so is invisible times; a superscript is a postfix
    token on whatever it is drawn after. Adjacent digits read as one number."""
    t = tag(el)
    if t in ("mrow", "math"):
        out: list = []
        for child in el:
            for tok in tokens(child):
                if out and _is_mn(out[-1]) and _is_mn(tok):
                    merged = ET.Element(NS + "mn")
                    merged.text = out[-1].text + tok.text   # `2 3` is drawn as 23
                    out[-1] = merged
                else:
                    out.append(tok)
        return out
    if t == "mspace" or (t == "mo" and el.text == TIMES):
        return []
    if t == "msup" and not is_mo(el[1]):
        return tokens(el[0]) + [("sup", el[1])]
    if t == "msubsup":
        sub = ET.Element(NS + "msub")
        sub.extend([el[0], el[1]])
        return [sub, ("sup", el[2])]
    if t == "msub" and tag(el[0]) == "mrow" and is_mo(el[0][-1], "|"):
        return [("at", el)]
    return [el]


def _is_mn(tok) -> bool:
    return isinstance(tok, ET.Element) and tag(tok) == "mn"


class Reader:
    """A recursive-descent reading of the token list: relation < sum < product < power."""

    def __init__(self, symbols: dict, functions: dict | None = None) -> None:
        self.symbols = symbols   # name -> SymPy value
        self.functions = functions or {}   # name -> callable: f, f' of the definition route
        self.toks: list = []
        self.pos = 0
        self.abs_depth = 0

    def element(self, el):
        """A whole element's tokens, read on their own (a fraction's part, an exponent)."""
        saved = (self.toks, self.pos, self.abs_depth)
        self.toks, self.pos, self.abs_depth = tokens(el), 0, 0
        if not self.toks:
            raise Unreadable("empty")
        value = self.relation()
        if self.pos != len(self.toks):
            raise Unreadable(f"left over: {self.toks[self.pos:]!r}")
        self.toks, self.pos, self.abs_depth = saved
        return value

    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self):
        tok = self.peek()
        if tok is None:
            raise Unreadable("ran out of tokens")
        self.pos += 1
        return tok

    def expect(self, text):
        tok = self.take()
        if not is_mo(tok, text):
            raise Unreadable(f"expected {text!r}")

    # ------------------------------------------------------------ grammar
    def relation(self):
        left = self.sum()
        tok = self.peek()
        if is_mo(tok) and tok.text in RELATIONS:
            self.take()
            return (left, RELATIONS[tok.text], self.sum())
        return left

    def sum(self):
        negative = False
        if is_mo(self.peek(), MINUS, "-"):
            self.take()
            negative = True
        first = self.term()
        terms = [-first if negative else first]
        while is_mo(self.peek(), "+", MINUS, "-"):
            sign = 1 if self.take().text == "+" else -1
            terms.append(sign * self.term())
        return sympy.Add(*terms) if len(terms) > 1 else terms[0]

    def _ends_term(self, tok) -> bool:
        if tok is None:
            return True
        if is_mo(tok, "|"):
            return self.abs_depth > 0          # a bar after an operand closes the innermost |...|
        return is_mo(tok) and (tok.text in ("+", MINUS, "-", ")", "]", ",") or tok.text in RELATIONS)

    def term(self):
        factors = [self.factor()]
        while not self._ends_term(self.peek()):
            if is_mo(self.peek(), "\u00b7"):
                self.take()
            factors.append(self.factor())
        return sympy.Mul(*factors) if len(factors) > 1 else factors[0]

    def factor(self):
        value = self.atom()
        while isinstance(self.peek(), tuple) and self.peek()[0] == "sup":
            value = value ** self.element(self.take()[1])
        return value

    def sups(self):
        power = 1
        while isinstance(self.peek(), tuple) and self.peek()[0] == "sup":
            power = power * self.element(self.take()[1])
        return power

    def argument(self):
        if is_mo(self.peek(), APPLY):
            self.take()
        if not is_mo(self.peek(), "("):
            raise Unreadable("a function name without a bracketed argument")
        value = self.atom()
        return value if isinstance(value, tuple) else (value,)

    def atom(self):
        tok = self.take()
        if isinstance(tok, tuple):
            return self.evaluated(tok[1])
        t = tag(tok)
        if t == "mo":
            if tok.text == "(":
                items = [self.relation()]
                while is_mo(self.peek(), ","):
                    self.take()
                    items.append(self.relation())
                self.expect(")")
                return tuple(items) if len(items) > 1 else items[0]
            if tok.text == "[":
                value = self.relation()
                self.expect("]")
                if isinstance(value, tuple):
                    l, op, r = value
                    return {">": sympy.Heaviside(l - r, 0), ">=": sympy.Heaviside(l - r, 1),
                            "<": sympy.Heaviside(r - l, 0), "<=": sympy.Heaviside(r - l, 1)}[op]
                return value
            if tok.text == "|":
                self.abs_depth += 1
                value = self.sum()
                self.expect("|")
                self.abs_depth -= 1
                return sympy.Abs(value)
            raise Unreadable(f"unexpected operator {tok.text!r}")
        if t == "mn":
            return sympy.Rational(tok.text)
        if t == "mi":
            text = tok.text or ""
            primes = ""
            while is_mo(self.peek(), "\u2032", "\u2033", "'"):
                primes += "'" * {"\u2032": 1, "\u2033": 2}.get(self.take().text, 1)
            if primes:
                name = name_of(tok) + primes
                if is_mo(self.peek(), APPLY):
                    return self._call(name, self.argument())
                return self.sym(name)
            if text in FUNCTIONS:
                power = self.sups()
                return FUNCTIONS[text](*self.argument()) ** power
            if is_mo(self.peek(), APPLY):
                return self._call(name_of(tok), self.argument())
            if text == "\u03c0":
                return sympy.pi
            if text == "e":
                return sympy.E
            return self.sym(name_of(tok))
        if t == "msub":
            if tag(tok[0]) == "mi" and tok[0].text == "log":
                base = self.element(tok[1])
                return sympy.log(self.argument()[0], base)
            return self.sym(name_of(tok))
        if t == "msup":          # primes: y'
            return self.sym(name_of(tok))
        if t == "mfrac":
            leibniz = self.leibniz(tok)
            if leibniz is not None:
                return self.sym(leibniz)
            if self.is_d(tok):
                return self.derivative(tok)
            return self.element(tok[0]) / self.element(tok[1])
        if t == "msqrt":
            row = ET.Element(NS + "mrow")
            row.extend(list(tok))
            return sympy.sqrt(self.element(row))
        if t == "mroot":
            n = self.element(tok[1])
            return sympy.Pow(self.element(tok[0]), sympy.Rational(1, 3) if n == 3 else 1 / n)
        if t == "munder":
            return self.limit(tok)
        raise Unreadable(f"unexpected element {t}")

    def sym(self, name):
        return self.symbols.get(name, sympy.Symbol(name))

    def _call(self, name, args):
        """f(x), f'(4): a function the caller defined (`functions`), else SymPy's undefined one."""
        known = self.functions.get(name)
        return known(*args) if known is not None else sympy.Function(name)(*args)

    @staticmethod
    def leibniz(el) -> str | None:
        """dy/dx (d²y/dx²) drawn as a fraction: the name of y's derivative, y' (y'')."""
        top, bottom = el
        if tag(top) != "mrow" or tag(bottom) != "mrow" or len(top) != 2 or len(bottom) != 2:
            return None
        d, order = top[0], 1
        if tag(d) == "msup":
            d, order = d[0], int(d[1].text)
        if not (tag(d) == "mi" and d.text == "d" and tag(bottom[0]) == "mi" and bottom[0].text == "d"):
            return None
        return name_of(top[1]) + "'" * order

    @staticmethod
    def is_d(el) -> bool:
        top = el[0]
        if tag(top) == "msup":
            top = top[0]
        return tag(top) == "mi" and top.text in ("d", "\u2202") and tag(el[1]) == "mrow"

    def derivative(self, op):
        bottom = list(op[1])            # d x, or d x^n
        var, order = bottom[1], 1
        if tag(var) == "msup":
            var, order = var[0], int(var[1].text)
        if not is_mo(self.peek(), "["):
            raise Unreadable("d/dx without [...]")
        return sympy.Derivative(self.atom(), (sympy.Symbol(name_of(var)), order))

    def limit(self, under):
        """lim under `h → 0`, then the product after it: SymPy's limit of that."""
        head, where = list(under)
        if head.text != "lim":
            raise Unreadable("munder that is not a limit")
        w = list(where)
        var, point = sympy.Symbol(name_of(w[0])), self.element(w[2]) if len(w) == 3 else None
        if point is None:
            raise Unreadable("lim without its point")
        return sympy.limit(self.term(), var, point)

    def evaluated(self, el):
        """`expr |_{x = a, y = b}`: expr with the point substituted."""
        body, where = el
        inner = ET.Element(NS + "mrow")
        inner.extend(list(body)[:-1])
        value = self.element(inner)
        subs, piece = {}, []
        for child in [*(where if tag(where) == "mrow" else [where]), None]:
            if child is None or is_mo(child, ","):
                row = ET.Element(NS + "mrow")
                row.extend(piece)
                lhs, _, rhs = self.element(row)
                subs[lhs] = rhs
                piece = []
            else:
                piece.append(child)
        return value.doit().subs(subs, simultaneous=True)


def equal(got, want, trials: int = 4) -> bool:
    """SymPy agrees that two readings are equal: the same tree once derivatives are done, a
    difference that simplifies to 0, or (where simplify cannot decide) the same values at
    random points."""
    from conftest import numerically_equal
    if got == want:
        return True
    got, want = sympy.sympify(got), sympy.sympify(want)
    real = {s: sympy.Symbol(s.name, real=True) for s in got.free_symbols | want.free_symbols
            if isinstance(s, sympy.Symbol)}       # the page's variables are real: |u|' = u u'/|u|
    got, want = got.xreplace(real).doit(), want.xreplace(real).doit()
    if got == want or sympy.expand(got - want) == 0:
        return True
    if numerically_equal(got, want, trials=trials):
        return True
    try:
        return sympy.simplify(got - want) == 0
    except Exception:  # noqa: BLE001 - SymPy's simplify can raise on odd trees
        return False
