"""The verdict memo (tutor/grade/memo.py) changes what a repeat costs, never what it gets.

Memo on and off give the same verdict JSON over the banks; the table is bounded, least
recently used first out; grade.clear_caches forgets it; the key holds everything that
decides a verdict (the reading context included); threads and a forked child share it
safely."""
from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_speed_paths import _cases
from tutor.grade import Options, check, clear_caches, memo
from tutor.language import declaring
from tutor.language.words import log_notation


def _json(cases) -> list[str]:
    return [json.dumps(check(f, a, v, o, allow_calculus=c).to_dict(), sort_keys=True)
            for f, a, v, o, c in cases]


def test_memo_on_and_off_give_equal_verdict_json_over_the_banks():
    cases = _cases()
    clear_caches(references=False)   # references are no memo of verdicts: kept (they are slow)
    with mock.patch.object(memo, "SIZE", 0):
        off = _json(cases)
        assert memo.size() == 0
    clear_caches(references=False)
    first = _json(cases)           # memo on, empty: every verdict computed and stored
    assert memo.size() == len({c for c in cases})
    again = _json(cases)           # every verdict from the memo
    assert len(off) == len(cases) > 550
    assert first == off
    assert again == off
    clear_caches()


def test_a_repeat_is_the_stored_verdict_and_it_is_frozen():
    clear_caches()
    v = check("x^2 sin(x)", "2x cos(x)")
    assert check("x^2 sin(x)", "2x cos(x)") is v
    with pytest.raises(FrozenInstanceError):
        v.verdict = "correct"


def test_the_memo_is_bounded_least_recently_used_first_out():
    clear_caches()
    with mock.patch.object(memo, "SIZE", 5):
        first = check("x^3", "3x^2")
        for k in range(1, 10):
            check("x^3", f"{k}x")
            check("x^3", "3x^2")           # used again each time: never the oldest
            assert memo.size() <= 5
        assert memo.size() == 5
        assert check("x^3", "3x^2") is first
        assert check("x^3", "1x") is not None   # long forgotten: graded again, same verdict
    clear_caches()


@pytest.mark.parametrize("references", [True, False])
def test_clear_caches_forgets_the_verdicts(references):
    check("x^2", "2x")
    assert memo.size() >= 1
    clear_caches(references=references)
    assert memo.size() == 0


def test_the_key_holds_the_reading_context_and_every_option():
    """The same texts in a different context get that context's verdict, memo or not."""
    clear_caches()
    ln, log10 = check("log(x)", "1/x"), check("log(x)", "1/x", log10=True)
    assert (ln.verdict, log10.verdict) == ("correct", "incorrect")
    with log_notation(10):                       # the notation set by the caller's context
        assert check("log(x)", "1/x").verdict == "incorrect"
    assert check("log(x)", "1/x").verdict == "correct"
    plain = check("rate^2", "2 rate", "rate")
    with declaring(["rate"]):
        assert check("rate^2", "2 rate", "rate") == plain   # declared either way: one verdict
    held = check("a x^2", "2 a x", "x", constants="a")
    assert held.verdict == "correct"
    assert check("a x^2", "2 a x", "x").verdict == "correct"
    slip = check("x^2", "-2x")
    no_credit = check("x^2", "-2x", options=Options(partial_credit=False))
    assert slip.score > 0 and no_credit.score == 0
    assert check("x^2", "d/dx[x^2]").verdict == "invalid"
    assert check("x^2", "d/dx[x^2]", allow_calculus=True).verdict == "correct"
    assert check("x^2 y", "2x y", "x").verdict == "correct"
    assert check("x^2 y", "2x y", "y").verdict == "incorrect"
    assert check("x^2", "2x", order=2).verdict == "incorrect"


def test_threads_grading_at_once_get_the_sequential_verdicts():
    cases = _cases()[::4]
    clear_caches(references=False)
    want = _json(cases)
    clear_caches(references=False)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda c: _json([c])[0], cases * 3))
    assert got == want * 3
    clear_caches()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_child_forked_while_the_lock_is_held_still_grades():
    """A worker process forked while another thread was in the memo must not wait forever
    on a lock whose holder it does not have."""
    check("x^2", "2x")
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with memo._LOCK:
            inside.set()
            leave.wait(10)
    t = threading.Thread(target=hold)
    t.start()
    inside.wait(10)
    try:
        pid = os.fork()
        if pid == 0:   # the child: grade (memo hit and miss), then leave without cleanup
            ok = check("x^2", "2x").correct and check("x^2", "3x").verdict == "incorrect"
            os._exit(0 if ok else 1)
        for _ in range(200):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            threading.Event().wait(0.05)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung on the memo's lock")
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        leave.set()
        t.join()


_PROBLEMS = [("x^2 sin(x)", "x"), ("e^(2x) / x", "x"), ("ln(x^2 + 1)", "x"), ("a x^3 + b", "x")]
_PIECES = ["2x", "x^2", "cos(x)", "sin(x)", "e^(2x)", "ln(x)", "1/x", "3", "a", "(x + 1)", "x²",
           "√x", "|x|", "-", "+", "*", "/", " ", "(", ")"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_PROBLEMS), st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8),
       st.booleans())
def test_memo_on_and_off_agree_on_any_answer(problem, pieces, log10):
    """Any answer text (readable or not), with or without the log10 notation: the verdict
    from the memo, the verdict stored and the verdict computed without it are one JSON."""
    f, x = problem
    answer = "".join(pieces)
    with mock.patch.object(memo, "SIZE", 0):
        off = check(f, answer, x, constants="a,b", log10=log10).to_dict()
    first = check(f, answer, x, constants="a,b", log10=log10).to_dict()
    again = check(f, answer, x, constants="a,b", log10=log10).to_dict()
    assert first == off and again == off
