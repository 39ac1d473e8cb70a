"""A fast path for the plainest LaTeX: sums of monomials such as `3x^{2} y - 2x + 5`.

Why: Lark's LALR loop costs about 50 µs per term of LaTeX (a 200,000-character sum took 2.9 s,
against 0.5 s for the same sum in calculator syntax, whose reader has a hand-written fast path).
Long LaTeX input is nearly always a long polynomial-like sum, so that subset, and only it, is
rewritten as calculator text that reads to the SAME tree, and read by the calculator's fast path.

The subset (a full match, or the LaTeX reader decides): terms joined by `+` and `-`, the first
optionally signed with `-`; a term is an optional number (`3`, `0.25`) followed by single letters,
each atom optionally raised to `^{digits}` or `^digit` (not followed by another digit or `^`);
spaces and `\\,` `\\;` `\\!` `\\quad` between. Where TeX and the calculator language differ on
these characters the rewrite makes them agree: letters are spaced apart (TeX `xy` is x·y, and so
is calculator `x y`, while calculator `lnx` would be ln x), `x^{12}` becomes `x^12`, and a number
only starts a term (TeX `x2` is x·2, calculator `x2` a name). tests/test_parse_latex.py checks the
identity with the Lark reader differentially.

The printed subset (`printed_latex`): what the engine's own `to_latex` writes, and what a
student copies from it: `\\frac{A}{B}`, `^{A}`, `\\sqrt{A}`, `\\left( \\right)`, `\\left[ \\right]`,
`\\left| \\right|`, `\\cdot`,
function commands (`\\sin`, `\\ln`, `\\operatorname{sech}`, `\\log_{7}`, `\\sec^{2}`) applied to a
`\\left(...\\right)`, `\\pi`, single letters, numbers, `+ -`. Each piece is rewritten as the
calculator text that reads to the same tree (groups as round brackets, `\\frac` as `((A)/(B))`,
letters spaced apart), read by the calculator's fast reader; anything else (another command,
a bare brace, `/`, `|`, a `d`, a double superscript, declared names) declines, and Lark reads
it as before. Only where asked (`parse(text, printed=True)`: the grader's answers). Why: those answers were 5 % of the textbook bank and each cost ~0.7 ms in Lark.
tests/test_latex_printed.py checks the identity differentially (the bank's LaTeX answers, the
printer's output for random trees, and hostile near-misses).
"""
from __future__ import annotations

import re

from ..expr import Expr
from .fast import fast_parse
from .latex_errors import FUNCTION_ALIASES
from .words import declared

__all__ = ["fast_latex", "printed_latex"]

_SP = r"(?:\s|\\[,;!]|\\quad(?![a-zA-Z]))*"
_SPACING = re.compile(r"\\[,;!]|\\quad")
_POW = r"(?:\^(?:\{\d{1,8}\}|\d(?![\d{])))?"
_NUM = rf"\d+(?:\.\d+)?{_POW}"
_LETTER = rf"[a-zA-Z](?![a-zA-Z\d_]){_POW}(?!{_SP}\^)"
_TERM = rf"{_SP}(?:{_NUM}{_SP}(?!\^))?(?:{_LETTER}{_SP})*"
_SUM = re.compile(rf"{_SP}-?(?=\S){_TERM}(?:[-+]{_TERM})*")
_PIECE = re.compile(r"\d+(?:\.\d+)?|[a-zA-Z]|\^\{?\d+\}?|[-+]")


def fast_latex(src: str) -> Expr | None:
    """The tree of `src` when it is in the subset (the same tree the Lark reader builds), else
    None. Every term must hold an atom: an empty term (`x + + y`, `x -`) is left to the reader's
    errors."""
    if len(src) < 64 or _SUM.fullmatch(src) is None:
        return None   # short input: Lark is quick enough, and its errors are the reference
    out: list[str] = []
    want_atom = True
    for p in _PIECE.findall(_SPACING.sub(" ", src)):
        if p in "+-":
            if want_atom and (out or p == "+"):
                return None          # an empty term
            out.append(" " + p)
            want_atom = True
        elif p.startswith("^"):
            out.append("^" + p.strip("^{}"))
        else:
            out.append(" " + p)
            want_atom = False
    if want_atom:
        return None
    return fast_parse("".join(out))


#: function commands of the printed subset -> the calculator's name (sqrt, abs: their own forms)
_FUNCTIONS = {name: canon for name, canon in FUNCTION_ALIASES.items()
              if canon not in ("sqrt", "cbrt", "abs", "relu")}
_PRINTED = re.compile(r"""\\(?:left[(\[]|right[)\]]|left\||right\||cdot(?![a-zA-Z])|frac\{|sqrt\{|operatorname\{([a-z]+)\}|log_\{(\d{1,3})\}|pi(?![a-zA-Z])|([a-zA-Z]+))
                      |(\^\{)|(\d+(?:\.\d+)?)|([a-ce-zA-Z])|([-+])|(\s+|\\[,;!])|(\{)|(\})|(.)""", re.X)


class _Decline(Exception):
    pass


def printed_latex(src: str) -> Expr | None:
    """The tree of `src` when it is in the printed subset (see the module's docstring), else
    None. The same tree the Lark reader builds; its errors stay Lark's (None on anything odd)."""
    if declared():   # a lone d (d/dx) or \\partial declines in _rewrite: not in the subset
        return None
    try:
        text = _rewrite(src)
    except _Decline:
        return None
    return fast_parse(text)


def _rewrite(src: str) -> str:
    """src as calculator text. Braces are only the arguments of \\frac, \\sqrt and ^ (a stack
    of what each closes to); a function command must be followed by its \\left( argument."""
    out: list[str] = []
    stack: list[str] = []        # what each open group closes to in the calculator text
    pending: list[str] = []      # a function command's name waiting for its \\left(
    last = ""                    # the kind of the last piece: "sup" right after a ^{...}
    pos = 0
    for m in _PRINTED.finditer(src):
        pos = m.end()
        piece = m.group()
        kind = m.lastindex
        if m.group(11) is not None or (kind == 3 and m.group(3) not in _FUNCTIONS):
            raise _Decline
        if m.group(8) is not None:        # spacing
            continue
        if stack and stack[-1] == "}fnpow":     # the digits of \\sec^{2}, read already
            if piece == "}":
                stack.pop()
            elif m.group(5) is None:
                raise _Decline
            continue
        if pending and piece not in ("\\left(", "^{"):
            raise _Decline           # \\sin x, \\sin{x}: Lark decides
        if last == "sup" and piece == "^{":
            raise _Decline           # a double superscript: Lark's error
        last = ""
        if piece == "\\left[" and not pending:
            out.append(" (")
            stack.append("]")
        elif piece == "\\right]":
            if not stack or stack[-1] != "]":
                raise _Decline
            stack.pop()
            out.append(")")
        elif piece == "\\cdot":
            if not out or out[-1].endswith(("(", "+", "-", "*")):
                raise _Decline
            out.append(" *")
        elif piece == "\\left(":
            if pending:
                name, power = pending.pop()
                out.append(f" {name}(")
                stack.append(")" + (f"^({power})" if power else ""))
                continue
            out.append(" (")
            stack.append(")")
        elif piece == "\\left|":
            out.append(" abs(")
            stack.append("|")
        elif piece in ("\\right)", "\\right|"):
            want = ")" if piece == "\\right)" else "|"
            if not stack or stack[-1][0] != want:
                raise _Decline
            close = stack.pop()
            out.append(")" + close[1:])
            last = "sup" if close[1:] else ""
        elif piece == "\\frac{":
            out.append(" ((")
            stack += ["/den", "}num"]
        elif piece == "\\sqrt{":
            out.append(" sqrt(")
            stack.append("}sqrt")
        elif piece == "^{":
            if pending:              # \\sec^{2}\\left(u\\right): the power of the call
                name, power = pending[-1]
                j = src.find("}", pos)
                if power or j < 0 or not src[pos:j].isdigit():
                    raise _Decline
                pending[-1] = (name, src[pos:j])
                stack.append("}fnpow")
                continue
            if not out or out[-1].endswith(("(", "+", "-")):
                raise _Decline
            out.append("^(")
            stack.append("}sup")
        elif piece == "}":
            if not stack or stack[-1][0] != "}":
                raise _Decline
            role = stack.pop()[1:]
            if role == "num":
                if not src.startswith("{", pos):
                    raise _Decline
                out.append(")/(")
                continue
            out.append("))" if role == "den" else ")")
            last = "sup" if role == "sup" else ""
        elif piece == "{":
            if stack and stack[-1] == "/den" and out and out[-1] == ")/(":
                stack[-1] = "}den"
                continue
            raise _Decline
        elif m.group(1) is not None or m.group(3) is not None:   # \\operatorname{f}, \\sin
            name = _FUNCTIONS.get(m.group(1) or m.group(3))
            if name is None:
                raise _Decline
            pending.append((name, ""))
        elif m.group(2) is not None:     # \\log_{7}
            pending.append((f"log_{m.group(2)}", ""))
        elif piece == "\\pi":
            out.append(" pi")
        elif m.group(5) is not None:     # a number starts a term (TeX x2 is x·2, 2 3 is 23)
            if out and not out[-1].endswith(("(", "+", "-", "*")):
                raise _Decline
            out.append(" " + piece)
        else:                            # a letter or + -
            out.append(" " + piece)
    if stack or pending:
        raise _Decline
    return "".join(out)
