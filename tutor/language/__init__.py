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
from .latex import parse_latex
from .words import declared, declaring

__all__ = ["parse", "parse_calc", "parse_latex", "check_limits", "check_tree", "grammar_text",
           "variable_name", "declared", "declaring"]

_IDENTIFIER = re.compile(r"[^\W\d_]\w*")


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
    if _IDENTIFIER.fullmatch(typed):
        return typed
    raise VariableError(f"'{typed}' is not a variable name", hint="e.g. --var x or --var w_1")


def parse(text: str, input: str = "auto") -> Expr:
    """Parse `text` as calculator syntax or LaTeX.

    input="auto" picks LaTeX when the text has a backslash command (`\\frac`, `\\sin`,
    `\\(`), else the calculator language. Braces alone are not LaTeX: students type
    `e^{2x} sin x` in plain boxes, and the calculator language reads braces as brackets."""
    if input not in ("auto", "calc", "latex"):
        raise TutorError(f"unknown input language {input!r}: use auto, calc or latex",
                         code="usage")
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", code="empty")
    if input == "auto":
        input = "latex" if "\\" in text else "calc"
    return parse_calc(text) if input == "calc" else parse_latex(text)
