"""A grader's record (tutor.grade.records: Verdict, WorkVerdict) as an HTML fragment.

Why this shape: a student reads the verdict first, then what was read ("you entered ..." in
MathML, so a misread is seen at once), then the counter-example and the diagnosis. The
diagnoses are a list of their own (each `data-id` the catalogue id), and their messages are
taken out of the feedback sentence so nothing is said twice. An unreadable answer's feedback
keeps its caret under the column, in a `<pre>`. The reference derivative is shown only at
`detail="full"` (a page that checks homework should not give the answer away by default).
Derivatives written in the prose (`d/dx[sin(x^2)]`) are drawn as MathML.
"""
from __future__ import annotations

import re

from .common import closing_bracket
from .html_common import esc, maths_inline, section

__all__ = ["verdict_html", "work_html", "prose_html"]

_DERIVATIVE = re.compile(r"d/d[A-Za-z]\w*\[")
_TITLES = {"correct": "Correct", "incorrect": "Incorrect", "invalid": "Could not read the answer",
           "undetermined": "Undetermined"}


def prose_html(text: str) -> str:
    """Prose escaped, each `d/dx[...]` in it that reads as a derivative drawn as MathML."""
    from ..errors import TutorError
    from ..language import parse
    out, pos = [], 0
    for m in _DERIVATIVE.finditer(text):
        if m.start() < pos:
            continue
        close = closing_bracket(text, m.end())
        if close is None:
            continue
        try:
            tree = parse(text[m.start():close + 1], "calc")
        except (TutorError, RecursionError, ValueError):
            continue
        out += [esc(text[pos:m.start()]), maths_inline(tree)]
        pos = close + 1
    out.append(esc(text[pos:]))
    return "".join(out)


def _feedback(text: str) -> str:
    """The feedback: sentences as a paragraph; a parse error's caret lines kept in a `<pre>`."""
    if "\n" not in text:
        return f'<p class="tutor-feedback">{prose_html(text)}</p>' if text else ""
    first, *rest = text.split("\n")
    caret = [r for r in rest if not r.startswith("hint:")]
    hints = [r for r in rest if r.startswith("hint:")]
    out = f'<p class="tutor-feedback">{esc(first)}</p>'
    if caret:
        out += f'<pre class="tutor-caret">{esc(chr(10).join(caret))}</pre>'
    out += "".join(f'<p class="tutor-hint">{esc(h)}</p>' for h in hints)
    return out


def _head(verdict: str, score: float) -> str:
    return (f'<p class="tutor-verdict-head"><strong>{esc(_TITLES.get(verdict, verdict))}</strong> '
            f'<span class="tutor-score">score {score:g}</span></p>')


def _diagnoses(diagnoses) -> str:
    if not diagnoses:
        return ""
    items = "".join(f'<li class="tutor-diagnosis" data-id="{esc(d.id)}">{prose_html(d.message)}</li>'
                    for d in diagnoses)
    return f'<ul class="tutor-diagnoses">{items}</ul>'


def _without(feedback: str, diagnoses) -> str:
    for d in diagnoses:
        if d.message and d.message in feedback:
            feedback = feedback.replace(" " + d.message, "").replace(d.message, "").rstrip()
    return feedback


def verdict_html(v, detail: str = "normal") -> str:
    """`<section class="tutor-verdict tutor-verdict-KIND">`: verdict and score, the answer as
    read, the feedback, the diagnoses (and the expected derivative at full detail)."""
    parts = [_head(v.verdict, v.score)]
    if v.answer is not None:
        parts.append(f'<p class="tutor-echo">You entered {maths_inline(v.answer)}</p>')
    parts.append(_feedback(_without(v.feedback, v.diagnoses)))
    parts.append(_diagnoses(v.diagnoses))
    if detail == "full" and v.expected is not None:
        parts.append(f'<p class="tutor-expected">The derivative: {maths_inline(v.expected)}</p>')
    data = f'data-verdict="{esc(v.verdict)}"' + (f' data-error="{esc(v.error_code)}"' if v.error_code else "")
    return section("verdict", parts, classes=f"tutor-verdict-{esc(v.verdict)}", data=data)


def work_html(w, detail: str = "normal") -> str:
    """`<section class="tutor-work tutor-verdict-KIND">`: the verdict of a line-by-line working,
    each line as read with its own verdict, the first wrong line marked `tutor-first-wrong`."""
    items = []
    for i, line in enumerate(w.lines, 1):
        cls = f"tutor-work-line tutor-verdict-{esc(line.verdict)}"
        if w.first_wrong == i:
            cls += " tutor-first-wrong"
        shown = maths_inline(line.answer) if line.answer is not None else esc(line.feedback)
        items.append(f'<li class="{cls}">{shown} <span class="tutor-line-verdict">'
                     f"{esc(line.verdict)}</span></li>")
    parts = [_head(w.verdict, w.score), _feedback(_without(w.feedback, w.diagnoses)),
             f'<ol class="tutor-work-lines">{"".join(items)}</ol>' if items else "",
             _diagnoses(w.diagnoses)]
    return section("work", parts, classes=f"tutor-verdict-{esc(w.verdict)}",
                   data=f'data-verdict="{esc(w.verdict)}"')
