"""The printed forms a verdict's JSON remembers (tutor/grade/records.py) change its cost, never
its bytes: the `tutor.verdict/1` record with the tables cold, warm and after clear_caches
equals the one printed afresh (printing.expr_json, to_unicode) over the banks; each call
hands out a new dict; the tables are bounded and forgotten by grade.clear_caches."""
from __future__ import annotations

import json
from unittest import mock

from test_speed_paths import _cases
from tutor.expr import Num, Pow, Sym
from tutor.grade import check, check_work, clear_caches, records
from tutor.printing import expr_json, to_unicode


def _afresh(v) -> dict:
    """What Verdict.to_dict returned before its forms were remembered."""
    out = {"schema": "tutor.verdict/1", "verdict": v.verdict, "score": v.score,
           "feedback": {"text": v.feedback,
                        "latex": v.feedback_latex or records.feedback_latex(v.feedback)},
           "diagnoses": [d.to_dict() for d in v.diagnoses],
           "expected": expr_json(v.expected) if v.expected is not None else None,
           "answer": expr_json(v.answer) if v.answer is not None else None,
           "echo": f"you entered {to_unicode(v.answer)}" if v.answer is not None else "",
           "error_code": v.error_code}
    if v.readings:
        out["readings"] = [expr_json(r) for r in v.readings]
    return out


def _dump(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False)   # key order kept: the bytes the service sends


def test_remembered_forms_give_the_same_json_bytes_over_the_banks():
    cases = _cases() + [("x^2/4", "1/2 x", None, 1, False), ("sqrt(x)", "1/2 x^(-1/2)", None, 1, False)]
    verdicts = [check(f, a, v, o, allow_calculus=c) for f, a, v, o, c in cases]
    want = [_dump(_afresh(v)) for v in verdicts]
    clear_caches(references=False)
    assert [_dump(v.to_dict()) for v in verdicts] == want          # answers' tables cold
    assert [_dump(v.to_dict()) for v in verdicts] == want          # warm
    clear_caches()
    assert [_dump(v.to_dict()) for v in verdicts] == want          # every table cold
    assert any(v.readings for v in verdicts)                        # the ambiguous field too


def test_each_record_is_a_new_dict():
    v = check("x^3", "3x^2")
    first = v.to_dict()
    first["expected"]["text"] = "tampered"
    first["answer"]["latex"] = "tampered"
    again = v.to_dict()
    assert again["expected"]["text"] == "3x^2" and again["answer"]["latex"] == "3 x^{2}"


def test_work_verdict_json_unchanged():
    w = check_work("x^2 sin(x)", ["2x sin(x) + x^2 cos(x)", "2x sin(x) + x cos(x)"])
    clear_caches()
    first = _dump(w.to_dict())
    assert _dump(w.to_dict()) == first
    assert [json.loads(first)["lines"][i]["answer"] for i in (0, 1)] == \
        [expr_json(line.answer) for line in w.lines]


def test_tables_are_bounded_and_cleared():
    clear_caches()
    with mock.patch.object(records, "FORMS_SIZE", 5):
        for k in range(40):
            check("x^2", f"2x + {k}").to_dict()
            assert len(records._ANSWERS) <= 5
    assert records._EXPECTED and records._ANSWERS
    clear_caches(references=False)      # a fresh class: the problems' forms are kept
    assert not records._ANSWERS and records._EXPECTED
    clear_caches()
    assert not records._EXPECTED and not records._ANSWERS


def test_long_forms_are_printed_not_kept():
    clear_caches()
    answer = " + ".join(f"{k} x^{k}" for k in range(1, 400))
    v = check("x^2", answer)
    d = v.to_dict()
    assert d["answer"] == expr_json(v.answer) and len(d["answer"]["text"]) > records.FORMS_CHARS
    assert not records._ANSWERS


def test_a_tree_too_deep_to_hash_is_printed():
    e = Sym("x")
    for _ in range(3000):
        e = Pow(e, Num(2))
    v = records.Verdict("incorrect", 0.0, "no", answer=e)
    assert v.to_dict()["answer"] == expr_json(e)


def test_remembered_feedback_latex_equals_the_sentence_written_afresh():
    from tutor.language import declaring
    from tutor.language.words import log_notation
    sentences = sorted({check(f, a, v, o, allow_calculus=c).feedback for f, a, v, o, c in _cases()})
    sentences += ["Not correct: d/dx[ab^2] = 2 ab, not ab.", "d/dx[log(x)] = 1/x, not x."]
    clear_caches()
    for context in (declaring(()), declaring({"ab"}), log_notation(10)):
        with context:
            want = [records._feedback_latex(s) for s in sentences]
            assert [records.feedback_latex(s) for s in sentences] == want     # cold
            assert [records.feedback_latex(s) for s in sentences] == want     # remembered
    with declaring({"ab"}):
        ab = records.feedback_latex(sentences[-2])
    with log_notation(10):
        log10 = records.feedback_latex(sentences[-1])
    # the context is part of the key: `ab` one name, `log` base 10, only where they are set
    assert ab != records.feedback_latex(sentences[-2]) and "\\mathit{ab}" in ab
    assert log10 != records.feedback_latex(sentences[-1]) and "\\log_{10}" in log10
    assert records._FEEDBACK
    clear_caches(references=False)
    assert not records._FEEDBACK
