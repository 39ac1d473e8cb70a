"""The input languages: calculator syntax and LaTeX, read into the project's own `Expr` tree.

One job: text in, `Expr` out, or a `ParseError` with a line, a column and a hint. The
grammars in `grammar/*.lark` are the reference for syntax and precedence; this package
only imports the AST, the vocabulary, the limits and the errors.
"""
from .calc import check_limits, check_tree, grammar_text, parse, parse_calc
from .latex import parse_latex

__all__ = ["parse", "parse_calc", "parse_latex", "check_limits", "check_tree", "grammar_text"]
