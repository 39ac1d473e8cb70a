"""LaTeX as students and answer boxes type it, made TeX the grammar reads: one text-to-text pass.

Why apart from the reader: these rewrites (a `$...$` wrapper, MathLive's spellings, bare
function names as MathQuill and MathLive users write them) act on the raw text before the
grammar sees it, each padded or documented so a caret still points near the right column, and
they are pure string functions a test can check without a parser.
"""
from __future__ import annotations

import re

from .latex_errors import FUNCTION_ALIASES

__all__ = ["prepare"]


def prepare(text: str) -> str:
    """The text with its wrapper dropped, MathLive's spellings as TeX's and bare function
    names as commands (see each step)."""
    return _commands_for_bare_names(_mathlive(_unwrap_dollars(text)))


def _unwrap_dollars(text: str) -> str:
    """`$x$` and `$$x$$` → the maths, with the dollars blanked so columns still match."""
    m = re.fullmatch(r"(\s*)(\$\$?)(.*?)(\2)(\s*)", text, re.S)
    if not m:
        return text
    return m.group(1) + " " * len(m.group(2)) + m.group(3) + " " * len(m.group(4)) + m.group(5)


#: a bare word of letters (not a command's name, not inside \mathrm{...}-like braces)
_BARE_WORD = re.compile(r"(?<![\\a-zA-Z])[a-zA-Z]{2,}(?![a-zA-Z])")
_NAMED_OPEN = re.compile(r"\\(?:mathrm|operatorname|mathit|text[a-z]*)\s*\{\s*$")
#: bare names a MathQuill / MathLive user types for a function command (not sqrt: \sqrt
#: takes a TeX argument, and `sqrt(x)` has no such argument)
_BARE_FUNCTIONS = frozenset(n for n in FUNCTION_ALIASES if n != "sqrt") | {"log", "max", "min"}


def _commands_for_bare_names(src: str) -> str:
    """`\\frac{1}{2} sin x` -> `\\frac{1}{2} \\sin x`: a bare word that is exactly a function's
    name is that function, as MathQuill and MathLive users also write it (in TeX a bare word
    is a product of letters, which nobody means by `sin`). A word that is no function's name
    stays letters. The inserted backslashes shift a later caret by one column each."""
    def command(m: re.Match) -> str:
        if m.group() not in _BARE_FUNCTIONS or _NAMED_OPEN.search(src, 0, m.start()):
            return m.group()
        return "\\" + m.group()
    return _BARE_WORD.sub(command, src) if _BARE_WORD.search(src) else src


_MATHLIVE = re.compile(r"\\m(left|right)(?![a-zA-Z])|\\exponentialE(?![a-zA-Z])|\\imaginaryI(?![a-zA-Z])")


def _mathlive(src: str) -> str:
    """MathLive's spellings as TeX's, padded to the same width so columns still match:
    `\\mleft(`/`\\mright)` are `\\left(`/`\\right)`, `\\exponentialE` is e. (`\\imaginaryI`
    stays an unknown command: the tutor has no complex numbers.)"""
    if "\\m" not in src and "\\exp" not in src:
        return src

    def plain(m: re.Match) -> str:
        if m.group(1):
            return "\\" + m.group(1) + " "
        if m.group().startswith("\\exponentialE"):
            return " " * (len(m.group()) - 1) + "e"
        return m.group()
    return _MATHLIVE.sub(plain, src)
