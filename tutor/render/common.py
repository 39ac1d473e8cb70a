"""Presentation helpers every renderer shares, written once so each format is right everywhere.

TeX escaping is the one that matters most: a label or a note that reaches pdflatex or KaTeX
unescaped does not compile, so every piece of prose that goes inside `\\text{}` passes through
`tex_escape` (one pass, so an escape is never escaped again).

Numbers for people are written here too, once per convention the routes print (an exact value
as text or LaTeX, a decimal to 10 digits, 10 significant digits for float iterations, the way
Python prints the lab's J), so two routes never show the same number two ways.
"""
from __future__ import annotations

from fractions import Fraction

from ..evaluation import format_value
from ..evaluation.text import decimal_text
from ..expr import Derivative, Div, Expr, Neg, Num, Sym

#: digits of the decimals shown beside exact values, and of float iterations
DIGITS = 10

#: every character that is special in LaTeX text mode, and what stands for it there
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
}

#: Unicode maths characters prose uses, as LaTeX that compiles in text mode (T1 or OT1 alike)
#: and in KaTeX: a bare ε or − makes pdflatex stop with "Unicode character not set up", and
#: KaTeX refuses \neq in text mode, so each is a small `$...$`
_PROSE_UNICODE = {
    "ε": "$\\varepsilon$", "−": "$-$", "×": "$\\times$", "·": "$\\cdot$", "≤": "$\\leq$",
    "≥": "$\\geq$", "≠": "$\\neq$", "≈": "$\\approx$", "±": "$\\pm$", "→": "$\\to$",
    "∂": "$\\partial$", "∇": "$\\nabla$", "α": "$\\alpha$", "²": "$^2$", "³": "$^3$",
    "√": "$\\surd$", "∞": "$\\infty$", "|": "$|$", "<": "$<$", ">": "$>$", "′": "'",
    "…": "\\dots{}", "\u0304": "",
}

#: the ASCII characters `tex_escape` rewrites (a string with none and no Unicode is as it is)
_ESCAPED = frozenset(_TEX_SPECIAL) | frozenset("|<>")


def closing_bracket(s: str, start: int) -> int | None:
    """The index of the `]` that closes the `[` just before `start` (a `d/dx[...]` in a
    feedback sentence), or None: where the maths of a sentence ends, for every format."""
    depth = 1
    for i in range(start, len(s)):
        depth += {"[": 1, "]": -1}.get(s[i], 0)
        if depth == 0:
            return i
    return None


def tex_escape(s: str) -> str:
    """Prose as LaTeX text-mode source (for `\\text{...}`, headings, table cells): the special
    characters escaped and each Unicode maths character (≠ ≥ ≤ → · ε −) as a small `$...$`,
    in one pass, so an escape is never escaped again. The one helper every format uses."""
    if s.isascii() and _ESCAPED.isdisjoint(s):
        return s
    out: list[str] = []
    for ch in s:
        piece = _PROSE_UNICODE.get(ch)
        if piece is None:
            out.append(_TEX_SPECIAL.get(ch, ch))
        elif piece.startswith("$") and out and out[-1].endswith("$") and not out[-1].endswith("\\$"):
            out[-1] = out[-1][:-1] + piece[1:]     # one maths group for −× and the like
        else:
            out.append(piece)
    return "".join(out)



def latex_text(s: str) -> str:
    """Prose as a `\\text{}` group inside maths."""
    return f"\\text{{{tex_escape(s)}}}"


def standalone_document(body: str) -> str:
    """A compilable `article` around a LaTeX body (amsmath for align*, amssymb for symbols)."""
    return ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
            + body + "\n\\end{document}\n")


def derivative_head(sol) -> Expr:
    """d^n/dx^n[f], or d/dy[d/dx[f]] for a mixed partial (x first): the left side of a solution."""
    if len(set(sol.variables)) == 1:
        return Derivative(sol.function, sol.variables[0], sol.order, sol.partial)
    head: Expr = sol.function
    for v in sol.variables:
        head = Derivative(head, v, 1, True)
    return head


# ---------------------------------------------------------------- numbers for people

def fmt_number(v, style: str = "text") -> str:
    """7, -1/32 (text: −1/32 with a Unicode minus; latex: -\\frac{1}{32}; any other style:
    ASCII), decimals to 10 digits."""
    if isinstance(v, Fraction) and v.denominator != 1:
        if style == "latex":
            sign = "-" if v < 0 else ""
            return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    s = format_value(v)
    if style == "text":
        s = s.replace("-", "\u2212")
    return s


def fmt_decimal(x, digits: int = DIGITS) -> str:
    """Any value as a decimal to `digits` significant digits (2/sqrt(14) -> 0.5345224838); an
    exact value past the float range from its own digits (10^600 -> 1e+600), never an error."""
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        return decimal_text(Fraction(x), digits)
    return format_value(float(x), digits)


def fmt_significant(x: float, digits: int = DIGITS) -> str:
    """A float iterate to `digits` significant digits ("%.10g"), zero as "0"."""
    return "0" if x == 0 else f"{x:.{digits}g}"


def tex_float(s: str) -> str:
    """A float as Python or %g prints it, in maths: 1e-05 -> 1 \\times 10^{-5} (an `e` in a
    formula reads as Euler's number); nan and inf as maths too."""
    if s in ("nan", "inf", "-inf"):
        return {"nan": "\\mathrm{NaN}", "inf": "\\infty", "-inf": "-\\infty"}[s]
    if "e" in s:
        m, e = s.split("e")
        return f"{m} \\times 10^{{{int(e)}}}"
    return s


def python_number(v) -> str:
    """How Python prints the lab's J: an int when integral (9), else the float (0.0625)."""
    if isinstance(v, Fraction) and v.denominator == 1:
        return str(v.numerator)
    return repr(float(v))


def point_text(point, show=None) -> str:
    """`w = 4, x = pi/2` from ((name, Expr), ...), in text (or in the printer `show`)."""
    from ..printing import to_text
    show = show or to_text
    return ", ".join(f"{show(Sym(n))} = {show(v)}" for n, v in point)


def is_number(e: Expr) -> bool:
    """Whether e is a rational written as a number: 7, -7, 1/32, -(1/32) in lowest terms (a
    line that is one is shown as "-1/32", not as the printer's "-(1/32)")."""
    if isinstance(e, Neg):
        e = e.arg
    if isinstance(e, Num):
        return True
    return (isinstance(e, Div) and isinstance(e.num, Num) and isinstance(e.den, Num)
            and e.num.value.denominator == 1 and e.den.value.denominator == 1 and e.den.value > 1
            and Fraction(e.num.value, e.den.value).denominator == e.den.value)
