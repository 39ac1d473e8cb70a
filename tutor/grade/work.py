"""check_work: a line-by-line working, each line judged against the line before.

Why apart from check(): a working is a chain of equalities, so the first line that breaks
the chain is where the student slipped, and what kind of slip it can be depends on the line
before it. After a line that still has d/dx[...] in it, the step may apply a rule (so the
rule misconceptions of check() apply); after a line that is already a plain derivative,
the step is algebra, so a rule diagnosis (a "sign error in d/dx sin x" from line 1) would be
false: it is an algebra slip on that line, with the slip credit.

What students write around the lines is accepted: a leading "=", a left-hand side naming the
derivative asked for (dy/dx =, y' =, f'(x) =, d/dx[...] =), chained equalities (one line each),
and definitions of the parts (u = x^2, v = sin x, u' = 2x), which are skipped. An empty
working is a verdict (invalid: no working), never an exception.
"""
from __future__ import annotations

import re

from ..errors import TutorError
from .equivalence import Options
from .records import Verdict, WorkVerdict

__all__ = ["check_work", "working_lines", "MAX_LINES"]

#: lines of working graded at most (each is a full check): refused beyond, before any work
MAX_LINES = 100

#: a left-hand side naming the derivative: dy/dx, d/dx[...], y', f'(x), df/dx, \frac{dy}{dx}, D
_DERIVATIVE_LHS = re.compile(
    r"""^\s*(?:
        d\s*\^?\s*\d*\s*[a-zA-Z]?\s*/\s*d\s*[a-zA-Z]+(?:\s*\^\s*\d+)?(?:\s*[\[(].*[\])])?   # dy/dx, d/dx[f], d^2y/dx^2
      | \\frac\s*\{\s*d[^{}]*\}\s*\{\s*d[^{}]*\}(?:\s*\\left)?(?:\s*[\[(].*[\])])?            # \frac{dy}{dx}
      | [a-zA-Z](?:'+|′+|'')\s*(?:\(\s*[a-zA-Z]\s*\))?                                        # y', f'(x), y''
      | [a-zA-Z]_?[a-zA-Z]?\s*\^?\s*\(\s*\d+\s*\)\s*(?:\(\s*[a-zA-Z]\s*\))?                   # f^(2)(x)
    )\s*$""", re.VERBOSE)

#: a definition of a part: u = x^2, v = sin x, u' = 2x, g(x) = ... (a single letter, not y/f)
_DEFINITION_LHS = re.compile(r"^\s*([a-eg-xzA-Z])\s*(?:'|′)?\s*(?:\(\s*[a-zA-Z]\s*\))?\s*$")


def working_lines(lines, var: str | None = None) -> list[str]:
    """The expressions to grade, in order: blank lines, definitions and derivative names on
    the left of '=' dropped; 'A = B' chains split into one line per expression."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    out: list[str] = []
    defined: list[str] = []
    for raw in lines:
        text = str(raw).strip()
        if not text:
            continue
        text = text[1:].strip() if text.startswith("=") else text
        parts = [p.strip() for p in _split_equals(text)]
        if len(parts) > 1:
            head = parts[0]
            m = _DEFINITION_LHS.match(head)
            if m and m.group(1) != var:
                defined.append(m.group(1))
                continue            # u = x^2: a definition, not a line of the derivative
            if _DERIVATIVE_LHS.match(head) or not head:
                parts = parts[1:]
        for p in parts:
            if p and not any(re.search(rf"(?<![A-Za-z]){d}(?![A-Za-z])", p) for d in defined):
                out.append(p)       # a line in the defined parts (u' v + u v') is the rule, skipped
    return out


def _split_equals(text: str) -> list[str]:
    """Split on '=' that is not part of >=, <=, == (indicator brackets keep theirs)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        elif ch == "=" and depth == 0 and (i == 0 or text[i - 1] not in "<>!="):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def check_work(function: str, lines, var: str | None = None, order: int = 1, *,
               options: Options | None = None, input: str = "auto", names=None,
               constants=None, log10: bool = False) -> WorkVerdict:
    """Each line of working (text or LaTeX) must equal the derivative; d/dx[...] is allowed
    in working. Score: 1 all right; 0 for an unreadable line (no penalty: fix and resubmit)
    or no working; for the first wrong line: after a line with d/dx still in it, its rule
    diagnosis' credit; after a plain line, an algebra slip: `slip_credit`; on line 1 with
    no diagnosis, 0. `names`, `constants` and `log10` are check's: for every line."""
    from contextlib import nullcontext
    from ..language import declaring
    from ..language.words import log_notation
    from . import declarations
    with declaring(declarations(names, constants, var)[0]), \
            (log_notation(10) if log10 else nullcontext()):
        return _check_work(function, lines, var, order, options, input, names, constants)


def _check_work(function, lines, var, order, options, input, names, constants) -> WorkVerdict:
    from . import check
    opts = options or Options()
    texts = working_lines(lines, var)
    if not texts:
        return WorkVerdict("invalid", 0.0, "no working given: write one '= ...' line per step",
                           None)
    if len(texts) > MAX_LINES:
        return WorkVerdict("invalid", 0.0, f"the working has {len(texts):,} lines; the limit is "
                           f"{MAX_LINES}", None)
    verdicts: list[Verdict] = []
    for i, t in enumerate(texts, 1):
        v = check(function, t, var, order, allow_calculus=True, options=opts, input=input,
                  names=names, constants=constants)
        verdicts.append(v)
        if v.verdict == "correct":
            continue
        if v.verdict == "invalid":
            return WorkVerdict("invalid", 0.0, f"line {i} could not be read: {v.feedback}", i,
                               tuple(verdicts))
        if v.verdict == "undetermined":
            return WorkVerdict("undetermined", 0.0, f"line {i}: {v.feedback}", i, tuple(verdicts))
        before = verdicts[-2] if i > 1 else None
        if before is not None and not _has_calculus(texts[i - 2], input):
            score = opts.slip_credit if opts.partial_credit else 0.0
            said = v.feedback
            if v.diagnoses and said.endswith(" " + v.diagnoses[0].message):
                said = said[: -len(v.diagnoses[0].message) - 1]
            fb = (f"line {i} does not follow from line {i - 1} (line {i - 1} is right: an algebra "
                  f"slip on line {i}): {said}")
            return WorkVerdict("incorrect", score, fb, i, tuple(verdicts))
        if v.diagnoses:
            score = v.diagnoses[0].credit
        else:
            score = opts.slip_credit if i > 1 else 0.0
        score = score if opts.partial_credit else 0.0
        fb = f"line {i} no longer equals the derivative: {v.feedback}"
        return WorkVerdict("incorrect", score, fb, i, tuple(verdicts), v.diagnoses)
    return WorkVerdict("correct", 1.0, f"all {len(texts)} lines are right", None, tuple(verdicts))


def _has_calculus(text: str, input: str) -> bool:
    """Whether the line as written still had d/dx[...] in it (the step after it may apply a
    rule). The line was read already (and is cached by answer.read)."""
    from ..errors import ParseError
    from ..expr import Derivative, walk
    from .answer import read
    try:
        return any(isinstance(n, Derivative) for n in walk(read(text, input)))
    except (ParseError, TutorError, RecursionError):
        return False
