"""Every function and every Greek letter `tutor` knows, each one row of one table.

Why one table: a name that the calculator reader knows but the LaTeX reader does not, or that
prints in a form neither reads back, is a silent misread (`arcsin` as a·r·c·s·i·n). So the
parsers (both grammars' post-lexers), the printers, the evaluator, the simplifier and the
grader all derive their tables from the rows below; adding a function is one row here, plus its
derivative in `rules.ELEMENTARY` and its kernel in `evaluation.kernels`. A test walks the table:
every spelling parses in both languages, prints in every format, reads back, evaluates and
differentiates.

Each `Function` row says:
    name      the canonical name in the tree (`Call(name, args)`)
    arity     1, 2 (log and root carry a second argument), or None (two or more: max, min)
    family    what kind of function it is (the simplifier's identities and the grader's
              misconceptions work by family)
    calc      extra spellings the calculator reader accepts (the name itself always)
    latex     the LaTeX printed for it, and the extra command names the LaTeX reader accepts
    inverse   for f whose `f^-1` spelling means the inverse function, that inverse
    power_form whether LaTeX prints its integer powers as \\sin^{2}(x)
    sympy     SymPy's name for it (tests and `to_sympy` only; tutor never imports SymPy)
    spoken    the words used in notes ("the derivative of sine is cosine")
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Function", "Greek", "FUNCTIONS", "GREEK", "function", "families",
           "CALC_SPELLINGS", "LATEX_SPELLINGS", "INVERSES", "greek_by_char"]

CIRCULAR = "circular"
HYPERBOLIC = "hyperbolic"
INVERSE_CIRCULAR = "inverse circular"
INVERSE_HYPERBOLIC = "inverse hyperbolic"
EXP_LOG = "exponential and logarithm"
ROOT = "root"
PIECEWISE = "piecewise"


class Function(NamedTuple):
    """One function's row (the fields are described at the top of the module). A NamedTuple,
    not a dataclass: as immutable, and made in a tenth of the time (every start-up)."""

    name: str
    arity: int | None
    family: str
    latex: str                      # printed LaTeX head: \sin, \operatorname{arsinh}
    spoken: str
    calc: tuple[str, ...] = ()      # extra calculator spellings (arcsin, asin, cosec, √)
    latex_in: tuple[str, ...] = ()  # extra command names the LaTeX reader takes (\arcsin)
    inverse: str | None = None      # f^-1 means this function
    power_form: bool = False        # LaTeX \sin^{2}(x) for integer powers
    sympy: str | None = None        # SymPy's name when it differs


def _trig(name: str, spoken: str, *, latex: str | None = None, calc: tuple = (),
          power: bool = True) -> list[Function]:
    """A circular function and its inverse (sin, asin = arcsin = sin^-1)."""
    inv = "a" + name
    arc = "arc" + name
    return [
        Function(name, 1, CIRCULAR, latex or "\\" + name, spoken, calc=calc, inverse=inv,
                 power_form=power),
        Function(inv, 1, INVERSE_CIRCULAR,
                 "\\" + arc if name in ("sin", "cos", "tan") else f"\\operatorname{{{arc}}}",
                 "arc" + spoken if spoken != "secant" else "arcsecant",
                 calc=(arc,), latex_in=(arc,)),
    ]


def _hyp(name: str, spoken: str, *, latex: str | None = None, power: bool = True) -> list[Function]:
    """A hyperbolic function and its inverse (sinh, asinh = arsinh = arcsinh = sinh^-1)."""
    inv = "a" + name
    return [
        Function(name, 1, HYPERBOLIC, latex or "\\" + name, "hyperbolic " + spoken,
                 inverse=inv, power_form=power),
        Function(inv, 1, INVERSE_HYPERBOLIC, f"\\operatorname{{ar{name}}}",
                 "inverse hyperbolic " + spoken,
                 calc=("ar" + name, "arc" + name), latex_in=("ar" + name, "arc" + name)),
    ]


_ROWS: list[Function] = [
    Function("exp", 1, EXP_LOG, r"\exp", "exponential"),
    Function("ln", 1, EXP_LOG, r"\ln", "natural logarithm", sympy="log"),
    Function("log", 2, EXP_LOG, r"\log", "logarithm", calc=("log10", "log2")),
    Function("sqrt", 1, ROOT, r"\sqrt", "square root", calc=("√",)),
    Function("cbrt", 1, ROOT, r"\sqrt[3]", "cube root", calc=("∛",)),
    Function("root", 2, ROOT, r"\sqrt[n]", "root"),
    Function("abs", 1, PIECEWISE, r"\left|\cdot\right|", "absolute value", calc=("Abs",),
             sympy="Abs"),
    *_trig("sin", "sine"), *_trig("cos", "cosine"), *_trig("tan", "tangent"),
    *_trig("sec", "secant"), *_trig("csc", "cosecant", calc=("cosec",)),
    *_trig("cot", "cotangent"),
    *_hyp("sinh", "sine"), *_hyp("cosh", "cosine"), *_hyp("tanh", "tangent"),
    *_hyp("sech", "secant", latex=r"\operatorname{sech}", power=False),
    *_hyp("csch", "cosecant", latex=r"\operatorname{csch}", power=False),
    *_hyp("coth", "cotangent"),
    Function("relu", 1, PIECEWISE, r"\operatorname{relu}", "rectified linear unit",
             latex_in=("ReLU",)),
    Function("max", None, PIECEWISE, r"\max", "maximum", calc=("Max",), sympy="Max"),
    Function("min", None, PIECEWISE, r"\min", "minimum", calc=("Min",), sympy="Min"),
]

#: canonical name -> its row, in the table's order
FUNCTIONS: dict[str, Function] = {f.name: f for f in _ROWS}


def function(name: str) -> Function:
    return FUNCTIONS[name]


def families(*names: str) -> frozenset[str]:
    """The canonical names of every function in the given families."""
    return frozenset(f.name for f in _ROWS if f.family in names)


#: every calculator spelling -> canonical name (log10 and log2 are log with a base)
CALC_SPELLINGS: dict[str, str] = {}
for _f in _ROWS:
    CALC_SPELLINGS[_f.name] = _f.name
    for _s in _f.calc:
        CALC_SPELLINGS[_s] = _f.name
CALC_SPELLINGS["log10"], CALC_SPELLINGS["log2"] = "log10", "log2"  # bases: built specially

#: every LaTeX command or operator name a function may carry -> canonical name
LATEX_SPELLINGS: dict[str, str] = {}
for _f in _ROWS:
    if _f.arity == 1 and _f.family != ROOT or _f.name in ("sqrt", "cbrt"):
        LATEX_SPELLINGS[_f.name] = _f.name
    for _s in _f.latex_in:
        LATEX_SPELLINGS[_s] = _f.name
for _f in _ROWS:  # every inverse also by its `a` name: \operatorname{asin}
    if _f.family in (INVERSE_CIRCULAR, INVERSE_HYPERBOLIC):
        LATEX_SPELLINGS.setdefault(_f.name, _f.name)

#: f -> its inverse, for the functions whose f^-1 means the inverse function
INVERSES: dict[str, str] = {f.name: f.inverse for f in _ROWS if f.inverse}


# ---------------------------------------------------------------- Greek letters

class Greek(NamedTuple):
    """One Greek letter's row: its name in the tree, its characters and LaTeX commands."""

    name: str                 # the variable's name in the tree: Sym("theta")
    char: str                 # θ
    latex: str | None         # \theta; None where LaTeX has no command (omicron, Alpha)
    variants: tuple[str, ...] = ()   # other LaTeX commands read as this letter (\vartheta)
    chars: tuple[str, ...] = ()      # other characters read as this letter (ϑ)


_LOWER = ("alpha α", "beta β", "gamma γ", "delta δ", "epsilon ε", "zeta ζ", "eta η", "theta θ",
          "iota ι", "kappa κ", "lambda λ", "mu μ", "nu ν", "xi ξ", "omicron ο", "pi π", "rho ρ",
          "sigma σ", "tau τ", "upsilon υ", "phi φ", "chi χ", "psi ψ", "omega ω")
_VARIANTS = {"epsilon": (("varepsilon",), ("ϵ",)), "theta": (("vartheta",), ("ϑ",)),
             "phi": (("varphi",), ("ϕ",)), "rho": (("varrho",), ()),
             "sigma": (("varsigma",), ("ς",))}
_CAPITAL_COMMANDS = frozenset("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split())
_CAPITAL_CHARS = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"


def _greek_rows() -> list[Greek]:
    rows = []
    for entry in _LOWER:
        name, char = entry.split()
        variants, chars = _VARIANTS.get(name, ((), ()))
        rows.append(Greek(name, char, None if name == "omicron" else "\\" + name, variants, chars))
    for entry, cap in zip(_LOWER, _CAPITAL_CHARS):
        name = entry.split()[0].capitalize()
        rows.append(Greek(name, cap, "\\" + name if name in _CAPITAL_COMMANDS else None))
    return rows


#: name -> row. `pi` is here for printing and reading; in the tree it is the constant Const("pi")
GREEK: dict[str, Greek] = {g.name: g for g in _greek_rows()}


def greek_by_char() -> dict[str, str]:
    """Every Greek character the readers accept -> the letter's name (π -> pi, ϑ -> theta)."""
    out = {}
    for g in GREEK.values():
        out[g.char] = g.name
        for c in g.chars:
            out[c] = g.name
    return out


#: letters textbooks use for constants beside the variable (a x^2 + b x + c, k t, n x^n): when
#: no variable is named and exactly one name of a function is not among these, it is the
#: variable (solve.pick_variable), and the others are held constant
CONSTANT_LETTERS = frozenset("abckmnpqABCK")
