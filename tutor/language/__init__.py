"""The input languages: calculator syntax and LaTeX, read into the project's own `Expr` tree.

One job: text in, `Expr` out, or a `ParseError` with a line, a column and a hint. The
grammars in `grammar/*.lark` are the reference for syntax and precedence. Why a package: each
language has its grammar, its transformer and its error messages (`calc`, `latex`,
`latex_errors`), the calculator language also has a word policy (`words`) and a fast reader
of its common subset (`fast`), and both share the input limits and the grammar loader
(`common`). `parse` here only picks the language; each reader applies the shared checks
once. The package imports only the AST, the vocabulary, the limits and the errors.
"""
from ..errors import ParseError, TutorError
from ..expr import Expr
from .calc import parse_calc
from .common import check_limits, check_tree, grammar_text
from .latex import parse_latex

__all__ = ["parse", "parse_calc", "parse_latex", "check_limits", "check_tree", "grammar_text"]


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
