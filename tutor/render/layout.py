"""Line breaking for long displayed lines, in text and LaTeX.

Why: a worked line past the page (100 characters of text, the text width of an `article` page
in LaTeX) is lost in print. A long line breaks where a teacher breaks it: before a `+` or `-`
of the outermost sum, else between the outermost factors, else at the shallowest bracket level
that has a sum in it; each piece is packed greedily and continues on an aligned line that
starts with its sign. Breaking works on the printed string (brackets counted), so it never
changes what is printed, only where the line ends.
"""
from __future__ import annotations

import re
from functools import reduce
from itertools import accumulate, repeat
from operator import add, sub

from ..printing.base import scope_table

OPEN, CLOSE = "([{", ")]}"
TEXT_WIDTH = 100


def _depths(s: str) -> list[int]:
    """The bracket depth before each character of `s` (a closing bracket counted at itself,
    an opening one after itself): running sums, in C, as long lines are measured often."""
    before = accumulate(map(_STEP.get, s, repeat(0)), initial=0)
    return list(map(sub, before, map(_CLOSING.get, s, repeat(0))))


_STEP = {**dict.fromkeys(OPEN, 1), **dict.fromkeys(CLOSE, -1)}
_CLOSING = dict.fromkeys(CLOSE, 1)
#: a space before a sign and a space (` + `, ` - `: where a sum may break), and a space with
#: no sign or `=` either side (between two factors)
_SIGN_GAP = re.compile(r" (?=[+-] )")
_FACTOR_GAP = re.compile(r"(?<=[^+\-=]) (?=[^+\-=])")


def _sign_gaps(s: str) -> list[int]:
    """The i in 1 .. len(s) - 3 with `s[i:i + 3]` ` + ` or ` - `."""
    return [m.start() for m in _SIGN_GAP.finditer(s, 1)]


def _factor_gaps(s: str) -> list[int]:
    """The i in 1 .. len(s) - 2 with s[i] a space and neither neighbour a sign or `=`."""
    return [m.start() for m in _FACTOR_GAP.finditer(s)]


def split_points(s: str, sums: bool = True) -> list[int]:
    """Where `s` may break (indices of the space before a `+`/`-`, or between factors), at the
    shallowest depth that has any; [] when it has none."""
    depth = _depths(s)
    signs = _sign_gaps(s)
    factors = None if sums else _factor_gaps(s)
    for level in range(0, 4):
        cuts = [i for i in signs if depth[i] == level]
        if not cuts and not sums:
            cuts = [i for i in factors if depth[i] == level]
        if cuts:
            return cuts
    return []


def pieces(s: str) -> list[str]:
    """`s` cut at its break points; the pieces joined by spaces are `s` again."""
    cuts = split_points(s) or split_points(s, sums=False)
    out, start = [], 0
    for c in cuts:
        out.append(s[start:c])
        start = c + 1
    out.append(s[start:])
    return out


def wrap(s: str, first: int, width: int = TEXT_WIDTH, indent: int = 0) -> list[str]:
    """`s` as lines: the first has `first` columns of room, the rest `width - indent`. Each
    line is a run of whole pieces, so a piece longer than the room stays whole (the only
    lines past `width`)."""
    lines: list[str] = []
    room = first
    current = ""
    for p in pieces(s):
        candidate = f"{current} {p}" if current else p
        if current and len(candidate) > room:
            lines.append(current)
            current, room = p, width - indent
        else:
            current = candidate
    lines.append(current)
    return lines


def note_rows(note: str) -> str:
    """A note under its line, wrapped at spaces within TEXT_WIDTH."""
    rows, current = [], "      note:"
    for word in note.split(" "):
        if len(current) + 1 + len(word) > TEXT_WIDTH and current.strip():
            rows.append(current)
            current = "        "
        current += " " + word if not current.endswith("  ") else word
    rows.append(current)
    return "\n".join(rows)


def text_rows(text: str, tag: str, lead: str, width: int) -> list[str]:
    """One displayed line in text: `lead` + the maths + `[tag]` in a column, broken onto
    aligned continuation lines (render.layout) when it would pass TEXT_WIDTH characters."""
    tag = f"  [{tag}]" if tag else ""
    body = lead + text
    if len(body) + len(tag) <= TEXT_WIDTH:
        padded = body.ljust(width) + tag if len(body) < width and tag else body + tag
        return [padded if len(padded) <= TEXT_WIDTH else body + tag]
    indent = " " * (len(lead) + 2)
    rows = wrap(text, TEXT_WIDTH - len(lead), TEXT_WIDTH, len(indent))
    out = [lead + rows[0]] + [indent + r for r in rows[1:]]
    if tag and len(out[-1]) + len(tag) <= TEXT_WIDTH:
        out[-1] += tag
    elif tag:  # on rows of its own, broken at spaces if it is long
        row = indent
        for w in tag.strip().split(" "):
            if len(row) + 1 + len(w) > TEXT_WIDTH and row.strip():
                out.append(row)
                row = indent + " "
            row += w if not row.strip() or row.endswith("  ") else " " + w
        out.append(row)
    return out


def answer_rows(head: str, answer: str) -> list[str]:
    """`Answer: d/dx[f] = answer` on one line when it fits TEXT_WIDTH; else the head alone and
    the answer on `  = ...` rows broken as the worked lines are."""
    line = f"Answer: {head} = {answer}"
    if len(line) <= TEXT_WIDTH:
        return [line]
    return [f"Answer: {head}"] + text_rows(answer, "", "  = ", 0)


# ------------------------------------------------------------------ LaTeX

#: the room of an `article` display, in the units of `latex_width` (about a 10 pt glyph each):
#: 345 pt of text width less the alignment indent
LATEX_WIDTH = 52

_COMMAND = re.compile(r"\\(left|right|mathrm|operatorname|quad|,|;|!)")
_NAME = re.compile(r"\\([a-zA-Z]+)")


#: bounds of the width memo of one render (printing.scope_table): strings remembered, and the
#: longest one remembered (a line's rows and pieces are measured several times each)
WIDTH_MEMO_STRINGS = 4096
WIDTH_MEMO_CHARS = 4000


def latex_width(s: str) -> float:
    """A conservative estimate of how wide maths `s` prints (glyphs, superscripts at 0.7, a
    fraction as its wider part). Over-estimating only breaks a line earlier than it must.
    Inside a render's print scope the widths are remembered by string (a pure function)."""
    return _width(s, scope_table("latex_width"))


def _width(s: str, memo: dict | None) -> float:
    """latex_width(s) with the scope's table `memo` in hand (found once per measure, not
    once per part: a line's parts are many and mostly remembered)."""
    if memo is None:
        return _latex_width(s, None)
    w = memo.get(s)
    if w is None:
        w = _latex_width(s, memo)
        if len(s) <= WIDTH_MEMO_CHARS and len(memo) < WIDTH_MEMO_STRINGS:
            memo[s] = w
    return w


def _latex_width(s: str, memo: dict | None = None) -> float:
    if "\\frac" in s:
        total, i = 0.0, 0
        while (k := s.find("\\frac{", i)) >= 0:
            total += _width(s[i:k], memo)
            num, j = _group(s, k + 5)
            den, j = _group(s, j)
            total += max(_width(num, memo), _width(den, memo)) + 0.5
            i = j
        return total + _width(s[i:], memo)
    plain = s
    if "\\" in s:  # (most parts measured are a number or a letter: no command to strip)
        plain = _COMMAND.sub("", s)
        plain = _NAME.sub(lambda m: m.group(1) if len(m.group(1)) <= 4 else "xx", plain)
    if len(plain) > LONG_PLAIN:
        return _plain_width(plain, memo)
    width, i = 0.0, 0  # a short string: the same sums by the plain loop, cheaper to start
    while i < len(plain):
        ch = plain[i]
        if ch in "^_":
            if i + 1 < len(plain) and plain[i + 1] == "{":
                inner, i = _group(plain, i + 1)
                width += 0.7 * _width(inner, memo)
            else:
                width += 0.7
                i += 2
            continue
        if ch not in "{}":
            width += 0.45 if ch == " " else 1.0
        i += 1
    return width


#: plain maths longer than this is measured a run at a time (`_plain_width`)
LONG_PLAIN = 40
#: how wide a character of plain maths counts (any other: 1.0); braces only group
_GLYPHS = {" ": 0.45, "{": 0.0, "}": 0.0}
_SCRIPT = re.compile(r"[\^_]")


def _plain_width(plain: str, memo: dict | None = None) -> float:
    """The width of maths with no commands left: each glyph 1.0 (a space 0.45, a brace
    nothing), each `^`/`_` 0.7 of what it raises. The glyphs are added one at a time, left
    to right (a float sum depends on its order, and the line breaks on these sums); a long
    run between the marks is summed by reduce, in C, the same additions in the same order
    (a brace adding 0.0, which changes nothing). Why: a long line is measured once for each
    row it might break into, each candidate row a new string."""
    width, i, n = 0.0, 0, len(plain)
    for j in [m.start() for m in _SCRIPT.finditer(plain)] + [n]:
        if j < i:  # inside a raised group already measured, or the one glyph raised
            continue
        if j - i > 8:
            width = reduce(add, map(_GLYPHS.get, plain[i:j], repeat(1.0)), width)
        else:
            for ch in plain[i:j]:
                if ch not in "{}":
                    width += 0.45 if ch == " " else 1.0
        if j >= n:
            break
        if j + 1 < n and plain[j + 1] == "{":
            inner, i = _group(plain, j + 1)
            width += 0.7 * _width(inner, memo)
        else:
            width += 0.7
            i = j + 2
    return width


def _group(s: str, i: int) -> tuple[str, int]:
    """The `{...}` group of `s` opening at index i, and the index after it."""
    close = s.find("}", i + 1)
    if close > 0 and s[i] == "{" and s.find("{", i + 1, close) < 0:
        return s[i + 1:close], close + 1  # no group inside (`^{2}`, `\\frac{1}{x}`): found in C
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
    return s[i + 1:], len(s)


def latex_pieces(s: str) -> list[str]:
    """`s` cut before the `+`/`-` of its outermost sum (brackets and braces counted); one piece
    when it has none."""
    gaps = _sign_gaps(s)
    depth = _depths(s) if gaps else ()
    return _cut(s, [i for i in gaps if depth[i] == 0])


def _cut(s: str, cuts: list) -> list[str]:
    """`s` cut at the spaces `cuts` (each dropped)."""
    out, start = [], 0
    for c in cuts:
        out.append(s[start:c])
        start = c + 1
    out.append(s[start:])
    return out


def latex_wrap(s: str, room: float = LATEX_WIDTH) -> list[str]:
    """Maths `s` packed into rows of at most `room` (a piece wider than that stays whole)."""
    rows, current = [], ""
    for p in latex_pieces(s):
        candidate = f"{current} {p}" if current else p
        if current and latex_width(candidate) > room:
            rows.append(current)
            current = p
        else:
            current = candidate
    rows.append(current)
    return rows


def latex_factors(s: str) -> list[str]:
    """`s` cut between its outermost factors (at spaces outside every bracket and brace)."""
    gaps = _factor_gaps(s)
    depth = _depths(s) if gaps else ()
    return [p for p in _cut(s, [i for i in gaps if depth[i] == 0]) if p]


def latex_rows(s: str, room: float = LATEX_WIDTH) -> list[str]:
    """The rows of one displayed line's right side: the outermost sum broken at its signs, a
    piece still too wide broken between its factors (the next row starting with `\\cdot`), and
    a wide fraction shown as 1/den times its numerator in \\Bigl( \\Bigr), which breaks."""
    if latex_width(s) <= room:
        return [s]
    if s.startswith("\\frac{"):
        num, j = _group(s, 5)
        den, k = _group(s, j)
        if k == len(s) and latex_width(den) < room / 2:
            inner = latex_rows(num, room - 2)
            if len(inner) > 1:
                lead = f"\\frac{{1}}{{{den}}} \\Bigl("
                inner[-1] += "\\Bigr)"
                if latex_width(lead + inner[0]) <= room:
                    return [lead + inner[0]] + inner[1:]
                return [lead] + inner
    rows: list[str] = []
    for row in latex_wrap(s, room):
        if latex_width(row) > room and (group := _widest_bracket(row)) is not None:
            opened, closed = group  # row[opened:closed] is `\\left( ... \\right)` (or [ ])
            inner = latex_rows(row[opened + 6:closed - 7], room - 2)
            if len(inner) > 1:
                shape = row[closed - 1]  # ) or ]: the printers' outer bracket may be square
                left = "(" if shape == ")" else "["
                rows.extend([row[:opened] + "\\Bigl" + left + inner[0]] + inner[1:-1]
                            + [inner[-1] + "\\Bigr" + shape + row[closed:]])
                continue
        if latex_width(row) <= room or len(latex_factors(row)) < 2:
            rows.append(row)
            continue
        current = ""
        for f in latex_factors(row):
            candidate = f"{current} {f}" if current else f
            if current and latex_width(candidate) > room:
                rows.append(current)
                current = "\\cdot " + f
            else:
                current = candidate
        rows.append(current)
    return rows


def text_chunks(tex: str, room: float = LATEX_WIDTH) -> list[str]:
    """LaTeX prose (`$...$` maths inside) cut at spaces outside the maths into chunks that fit
    `room` (a text glyph taken as 0.8 of a maths one), each to go in its own `\\text{}`."""
    if 0.8 * len(tex) <= room and tex[:1] != " ":
        return [tex]  # what `_prose_chunks` gives when the whole fits and starts with a word
    return _prose_chunks(tex, room)


def _prose_chunks(tex: str, room: float) -> list[str]:
    """text_chunks without its shortcut: words at spaces outside `$...$`, joined while they fit."""
    words, current, inside = [], "", False
    for ch in tex:
        if ch == "$":
            inside = not inside
        if ch == " " and not inside:
            words.append(current)
            current = ""
        else:
            current += ch
    words.append(current)
    chunks, line = [], ""
    for w in words:
        candidate = f"{line} {w}" if line else w
        if line and 0.8 * len(candidate) > room:
            chunks.append(line)
            line = w
        else:
            line = candidate
    chunks.append(line)
    return chunks


def _widest_bracket(s: str) -> tuple[int, int] | None:
    """(start, end) of the widest `\\left( ... \\right)` or `\\left[ ... \\right]` of `s` that
    opens outside every other bracket (its sum can then break, as `\\Bigl( ... \\Bigr)`)."""
    depth = _depths(s)
    best, best_width = None, 0.0
    i = 0
    while (i := s.find("\\left", i)) >= 0:
        if i + 5 < len(s) and s[i + 5] in "([" and depth[i + 5] == 0:
            shape = ")" if s[i + 5] == "(" else "]"
            j = i + 6
            while j < len(s) and depth[j] > 0:
                j += 1
            j += 1  # past the closing character, which must be written \\right) / \\right]
            if s[j - 7:j] == "\\right" + shape:
                width = latex_width(s[i:j])
                if width > best_width:
                    best, best_width = (i, j), width
            i = j
        else:
            i += 5
    return best
