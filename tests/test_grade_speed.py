"""The fresh check's speed-ups (issue 15) give the very values and verdicts they replace.

- evaluation.exact.rational_fast (unreduced integer pairs for + - * / and integer powers) is
  None or exactly evaluate_exact's Fraction, over the banks' answers and functions at exact
  points, zero and the simple point 2, and at the edges it must leave to evaluate_exact
  (zero divisors, 0 to a negative power, numbers past its bound);
- the smaller per-answer memos and shared leaves change no verdict: every verdict of the
  textbook mix is the same with the memos emptied before each check as in one run;
- compiled functions keep no state between calls: threads calling one at once agree.
"""
from __future__ import annotations

import json
import pathlib
import random
import threading
from fractions import Fraction

import pytest

from tutor.errors import TutorError
from tutor.evaluation import compile_float, exact_evaluator
from tutor.evaluation.exact import PAIR_BITS, evaluate_exact, rational_fast
from tutor.expr import free_symbols
from tutor.grade import check, clear_caches, diagnose, equivalence, points
from tutor.language import parse
from tutor.printing import to_text
from tutor.solve import derivative

DATA = pathlib.Path(__file__).resolve().parent / "data"

EDGES = ["x^-3", "1/(x-2)", "0^-1", "(x-x)^-2", "x^0", "0^0", "(1/x)^-2", "2^200 x^5",
         "x^64 + 1/x^64", "(x^64)^64", "1/0", "x/(x-x)", "10^400/x", "x^(-(-2))", "-x^2/3",
         "(2x+1)^-64", f"x^{PAIR_BITS}", "x y / (x - y)", "sin(x) + 1", "pi x", "e^2"]


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line]


def _texts() -> list[str]:
    texts = {r["answer"] for r in _rows("grader_bank")} | {r["function"] for r in _rows("grader_bank")}
    texts |= {r["expr"] for r in _rows("practice")} | {r["expected"] for r in _rows("practice")}
    return sorted(texts) + EDGES


def _exact(e, point):
    try:
        return evaluate_exact(e, point)
    except TutorError as exc:
        return ("error", exc.code, exc.message)


def test_rational_fast_is_evaluate_exact_or_declines():
    rng = random.Random(15)
    answered = 0
    for text in _texts():
        try:
            e = parse(text)
        except TutorError:
            continue
        names = free_symbols(e)
        pts = [{v: 2 for v in names}, {v: 0 for v in names}]
        pts += [{v: Fraction(rng.randint(-10_000, 10_000), rng.randint(2, 97)) for v in names}
                for _ in range(3)]
        for p in pts:
            got = rational_fast(e, p)
            if got is None:
                continue
            answered += 1
            want = _exact(e, p)
            assert type(want) is Fraction and type(got) is Fraction and got == want, (text, p)
    assert answered > 500


@pytest.mark.parametrize("text", ["1/0", "x/(x-x)", "0^-1", "(x-x)^-2", "sin(x)", "pi x",
                                  "(x^64)^64", f"x^{PAIR_BITS + 1}", "y + x"])
def test_rational_fast_leaves_the_rest_to_evaluate_exact(text):
    assert rational_fast(parse(text), {"x": 3}) is None


def test_exact_evaluator_errors_unchanged():
    at = exact_evaluator(parse("1/(x - 2)"))
    with pytest.raises(TutorError) as info:
        at({"x": 2})
    assert info.value.code == "domain" and info.value.message == "division by zero"
    assert at({"x": Fraction(5, 2)}) == 2 and type(at({"x": 3})) is Fraction


def _forget() -> None:
    clear_caches(references=False)
    for fn in (compile_float, equivalence.compare, diagnose.explain, points.simple_counterexample):
        fn.cache_clear()


def _record(v) -> str:
    return json.dumps(v.to_dict(), ensure_ascii=False, sort_keys=True)


def test_verdicts_do_not_depend_on_what_the_memos_still_hold():
    cases = []
    for r in [r for r in _rows("practice") if r.get("order", 1) == 1][::9]:
        a = to_text(derivative(r["expr"], r["var"]))
        cases += [(r["expr"], t, r["var"]) for t in
                  (a, r["expected"], f"-({a})", f"2({a})", f"({a}) + 1", r["expr"], "0")]
    _forget()
    together = [_record(check(*c)) for c in cases]
    alone = []
    for c in cases:
        _forget()
        alone.append(_record(check(*c)))
    assert together == alone


def test_a_compiled_function_is_safe_across_threads():
    fn = compile_float(parse("2x cos(x^2) + 1/(x - 1)"), ("x",))
    pts = [(0.05 * i + 0.01,) for i in range(200)] + [(1.0,)]
    want = [fn(p) for p in pts]
    out: list = []

    def work():
        out.append([fn(p) for p in pts])
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 4 and all(o == want or str(o) == str(want) for o in out)


@pytest.mark.parametrize("levels", [3, 119, 121, 600])
def test_depth_learnt_by_compiling_gives_the_same_exact_value(levels):
    """evaluate skips its depth walk for a tree compile_float has compiled (keys.known_shallow):
    shallow and deep trees alike get the value they get without it."""
    from tutor.evaluation import evaluate, known_shallow
    from tutor.expr import Add, Num, Sym
    e = Sym("x")
    for _ in range(levels - 1):
        e = Add((e, Num(1)))
    before = evaluate(e, {"x": 2})
    assert known_shallow(e) is None or levels < 3
    compile_float(e, ("x",))
    # a tree too deep to hash is compiled without a key: then nothing is known
    assert known_shallow(e) is True if levels <= 120 else known_shallow(e) is not True
    assert evaluate(e, {"x": 2}) == before == levels + 1


def _walked_is_rational(e) -> bool:
    """equivalence.is_rational as it was written: a walk and a match per node."""
    from tutor.expr import Add, Div, Mul, Neg, Num, Pow, Sym, walk
    for node in walk(e):
        match node:
            case Num() | Sym() | Add() | Mul() | Div() | Neg():
                continue
            case Pow(_, Num(v)) if v.denominator == 1 and v <= 64:
                continue
            case Pow(_, Neg(Num(v))) if v.denominator == 1 and v <= 64:
                continue
        return False
    return True


def test_class_dispatched_walks_agree_with_the_generic_walk():
    from tutor.expr import Neg, walk
    from tutor.grade.answer import _double_negation
    from tutor.language.common import _size_depth
    from tutor.expr import depth, size
    seen = 0
    for text in _texts() + ["x^65", "x^-(-2)", "x^(1/2)", "--x", "-(-(x))", "x - -y", "2^-64 x"]:
        try:
            e = parse(text)
        except TutorError:
            continue
        seen += 1
        assert equivalence.is_rational(e) == _walked_is_rational(e), text
        assert _double_negation(e) == any(isinstance(n, Neg) and isinstance(n.arg, Neg)
                                          for n in walk(e)), text
        assert _size_depth(e) == (size(e), depth(e)), text
    assert seen > 700
