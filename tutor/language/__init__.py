"""The input languages: calculator syntax and LaTeX, read into the project's own `Expr` tree.

One job: text in, `Expr` out, or a `ParseError` with a line, a column and a hint. The
grammars in `grammar/*.lark` are the reference for syntax and precedence. Why a package: each
language has its grammar, its transformer and its error messages (`calc`, `latex`,
`latex_errors`), the calculator language also has a word policy (`words`) and a fast reader
of its common subset (`fast`), and both share the input limits and the grammar loader
(`common`). `parse` here only picks the language; each reader applies the shared checks
once. The package imports only the AST, the vocabulary, the limits and the errors.
"""
import re

from ..errors import ParseError, TutorError, VariableError
from ..expr import Expr, Sym
from .calc import parse_calc
from .common import check_limits, check_tree, grammar_text
from .words import declared, declaring

__all__ = ["parse", "parse_calc", "parse_latex", "check_limits", "check_tree", "grammar_text",
           "variable_name", "declared", "declaring", "unwrap", "other_reading"]

# The patterns below are strings, compiled by `re` on first use (and kept in its cache), not
# at import: `tutor diff x^2` meets none of them, and compiling them is ~1.5 ms of cold start.

#: what students paste around an answer: $...$, $$...$$, \(...\), \[...\]
_WRAPPER = r"\s*(\$\$?|\\\(|\\\[)(.*?)(\$\$?|\\\)|\\\])\s*"
_PAIRS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅙": "1/6",
           "⅛": "1/8"}
_SUB_DIGITS = "[₀-₉]+"
_SUP_LETTERS = {"ˣ": "x", "ʸ": "y", "ⁿ": "n", "ᵗ": "t", "ᵏ": "k", "ᵃ": "a", "ᵇ": "b"}
_SUP_RUN = "[" + "".join(_SUP_LETTERS) + "]+"
_UNICODE = "[" + "".join(_VULGAR) + "₀-₉" + "".join(_SUP_LETTERS) + "]"


def parse_latex(text: str, printed: bool = False) -> Expr:
    """Read LaTeX (language.latex). Imported on first use: `tutor diff x^2` never reads LaTeX,
    and its LaTeX tables cost a cold start ~20 ms. `printed`: as in parse."""
    from .latex import parse_latex as read
    return read(text, printed)


def other_reading(text: str) -> str | None:
    """The second reading of an ambiguous answer (language.ambiguity), imported when grading."""
    from .ambiguity import other_reading as second
    return second(text)


def unwrap(text: str) -> str:
    """The maths inside the wrappers students paste: `$2x$`, `$$2x$$`, `\\(2x\\)`, `\\[2x\\]`
    (the delimiters blanked, so a caret still points at the right column)."""
    if "$" not in text and "\\" not in text:   # every wrapper starts with one of them
        return text
    m = re.fullmatch(_WRAPPER, text, re.S)
    if not m or _PAIRS[m.group(1)] != m.group(3):
        return text
    a, b = m.span(2)
    return " " * a + text[a:b] + " " * (len(text) - b)


def _plain_unicode(text: str) -> str:
    """Unicode a phone keyboard types, as calculator syntax: ½ -> (1/2), x₁ -> x_1, eˣ -> e^(x)."""
    if text.isascii() or not re.search(_UNICODE, text):   # all of them are beyond ASCII
        return text
    for ch, frac in _VULGAR.items():
        text = text.replace(ch, f"({frac})")
    text = re.sub(_SUB_DIGITS, lambda m: "_" + m.group().translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")), text)
    return re.sub(_SUP_RUN, lambda m: "^(" + "".join(_SUP_LETTERS[c] for c in m.group()) + ")", text)


_IDENTIFIER = r"[^\W\d_]\w*"


def variable_name(text: str) -> str:
    """A variable as the user named it (`--var x_1`, `var="w_{1}"`, `θ`), spelt as the
    expression's names are: read by the same reader, so `x_1`, `x_{1}` and `x1` are one name.
    A word that does not read as one name (`rate` undeclared reads r·a·t·e, `sin` is a
    function) is returned as typed; the caller then finds it does not occur and says so."""
    if not isinstance(text, str) or not text.strip():
        raise VariableError(f"{text!r} is not a variable name", hint="e.g. --var x")
    typed = text.strip()
    if typed in declared():
        return typed
    try:
        e = parse(typed)
    except TutorError:
        e = None
    if isinstance(e, Sym):
        return e.name
    if re.fullmatch(_IDENTIFIER, typed):
        return typed
    raise VariableError(f"'{typed}' is not a variable name", hint="e.g. --var x or --var w_1")


def parse(text: str, input: str = "auto", *, printed: bool = False) -> Expr:
    """Parse `text` as calculator syntax or LaTeX.

    input="auto" picks LaTeX when the text has a backslash command (`\\frac`, `\\sin`,
    `\\(`), else the calculator language. Braces alone are not LaTeX: students type
    `e^{2x} sin x` in plain boxes, and the calculator language reads braces as brackets.
    `printed=True` reads the engine's own printed LaTeX without Lark (latex_fast.printed_latex:
    the same tree); the grader asks for it, where a class copies the engine's forms."""
    if input not in ("auto", "calc", "latex"):
        raise TutorError(f"unknown input language {input!r}: use auto, calc or latex",
                         code="usage")
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", code="empty")
    text = unwrap(text)
    if input == "auto":
        input = "latex" if "\\" in text else "calc"
    return parse_calc(_plain_unicode(text)) if input == "calc" else parse_latex(text, printed)
