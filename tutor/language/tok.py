"""The token class of the calculator's Lark path, in a module of its own so that Lark is
imported only when a text needs it.

Why apart from `words`: the word policy (`words.split`, `near_miss`) is shared with the
hand-written fast reader (`fast`), which reads `x^2` and nearly every everyday answer without
Lark; only the Lark post-lexer (`words.refine`, `words.word`) makes tokens. Had `Tok` stayed a
class statement in `words`, every `tutor diff x^2` would import Lark (~30 ms of cold start)
to define a class it never instantiates.
"""
from lark import Token

__all__ = ["Tok"]


class Tok(Token):
    """A Token that may remember the function head it belongs to (for error messages)."""

    head_of = None
