"""Issue 5 benchmark: grader checks per second, beside a typical SymPy grader, in one run.

    python benchmarks/bench_grader.py [--quick | --full] [--passes N] [--sympy-cases N]

Ours is `tutor.grade.check(function, answer, var, order)` (diagnosis on, default Options), on
one core (single thread). The grader caches, per problem, the reference derivative, its sample
values and its misconception mutants; per answer, the parsed tree, its compiled function,
comparison, counter-example and diagnosis; and whole verdicts by the check's arguments
(tutor.grade.memo) (`tutor.grade.clear_caches` forgets them); so these regimes are timed,
each a median over --passes passes:
- cold: every cache cleared before EVERY check (a problem seen for the first time);
- reference warm, answers fresh: every answer cache cleared before each pass (every answer
  parsed and evaluated: the worst case of a class, no two students alike);
- a class: each answer handed in k times in a row (k = 5), and a realistic class: 30
  students per problem, each handing in one answer drawn (seeded) from the problem's answer
  mix with Zipf weights 1/rank (the engine's form most common, then the answer key's, the
  other correct forms and the slips), answer caches cleared before each pass;
- fully warm: nothing cleared (identical answers resubmitted: every check a memo hit).
Bank: tests/data/grader_bank.jsonl. Median textbook problem: over tests/data/practice.jsonl,
the problem whose cold single check (of its correct answer) has the median time; then a mix of
~20 distinct answers for it (correct forms and typical wrong ones), repeated.
SymPy grader (typical): clear_cache(); a = diff(parse_expr(f), x); b = parse_expr(answer);
simplify(a - b) == 0. Answers are converted to SymPy syntax by tutor.printing.to_sympy first,
untimed; unreadable answers are left out. SymPy is slow, so it runs on ~60 evenly spaced bank
cases and on the mix, once each; its per-check time is reported. Ratios are throughput ours /
SymPy on the same cases' kind, in this process. Targets: >= 100x, >= 2,000 checks/s (median).
"""
from __future__ import annotations

import argparse
import signal
import statistics
import time

# the sibling first: run as a script, `benchmarks` could name another checkout's package (a
# .pth of the venv puts the main checkout on sys.path), and its _common would import ITS tutor
try:
    from _common import fmt_num, fmt_time, load_jsonl, median_time, table, verdict
except ImportError:
    from benchmarks._common import fmt_num, fmt_time, load_jsonl, median_time, table, verdict


def _cases(rows):
    return [(r["function"], r["answer"], r.get("var"), r.get("order", 1)) for r in rows]


def clear_ours(reference: bool = True) -> None:
    """Every cache of the grader: grade.clear_caches, and the per-answer memos of the
    evaluation and the comparison (compiled trees, comparisons, counter-examples,
    diagnoses), which clear_caches does not reach (yet), so "answers fresh" stays fresh."""
    from tutor.grade import clear_caches
    from tutor.evaluation import compile_float
    from tutor.grade import diagnose, equivalence, points
    clear_caches(references=reference)
    for fn in (compile_float, equivalence.compare, diagnose.explain, points.simple_counterexample):
        getattr(fn, "cache_clear", lambda: None)()


def time_ours(cases, passes: int) -> dict:
    """Per-check seconds in the three cache regimes (medians over passes)."""
    from tutor.grade import check

    def run():
        for f, a, v, o in cases:
            check(f, a, v, o)

    def run_cold():
        for f, a, v, o in cases:
            clear_ours()
            check(f, a, v, o)
    n = len(cases)
    cold = median_time(run_cold, max(1, passes // 3)) / n
    clear_ours()
    run()  # fill the reference cache, untimed
    fresh = median_time(run, passes, setup=lambda: clear_ours(reference=False)) / n
    warm = median_time(run, passes) / n
    return {"cold": cold, "fresh": fresh, "warm": warm}


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def sympy_grader(cases, timeout: float = 20.0) -> dict:
    """Per-check seconds of parse_expr both + simplify(a - b) == 0, cold cache, one run each."""
    import sympy
    from sympy.core.cache import clear_cache
    from sympy.parsing.sympy_parser import parse_expr
    from tutor.errors import TutorError
    from tutor.language import parse
    from tutor.printing import to_sympy
    from tutor.solve import pick_variable

    prepared = []
    for f, a, v, o in cases:
        try:
            fs, as_ = to_sympy(parse(f)), to_sympy(parse(a))
            var = pick_variable(parse(f), v)
        except TutorError:
            continue  # unreadable: a SymPy grader would reject it at parse time
        prepared.append((fs, as_, var, o))
    times, timeouts, errors = [], 0, 0
    old = signal.signal(signal.SIGALRM, _alarm) if hasattr(signal, "SIGALRM") else None
    try:
        for fs, as_, var, o in prepared:
            clear_cache()
            t0 = time.perf_counter()
            if old is not None:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                ref = sympy.diff(parse_expr(fs), sympy.Symbol(var), o)
                bool(sympy.simplify(ref - parse_expr(as_)) == 0)
            except _Timeout:
                timeouts += 1
            except Exception:  # noqa: BLE001 - SymPy can raise anything; count it
                errors += 1
            finally:
                if old is not None:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - t0)
    finally:
        if old is not None:
            signal.signal(signal.SIGALRM, old)
    return {"n": len(prepared), "per_check": statistics.mean(times) if times else float("nan"),
            "median": statistics.median(times) if times else float("nan"),
            "timeouts": timeouts, "errors": errors}


def median_problem(limit: int | None = None) -> tuple[dict, float]:
    """The practice problem whose cold single check of its correct answer is the median."""
    from tutor.grade import check
    from tutor.printing import to_text
    from tutor.solve import derivative
    timed = []
    for r in load_jsonl("practice")[:limit]:
        if r.get("order", 1) != 1:
            continue
        ans = to_text(derivative(r["expr"], r["var"]))
        clear_ours()
        t0 = time.perf_counter()
        check(r["expr"], ans, r["var"])
        timed.append((time.perf_counter() - t0, r["id"], r))
    timed.sort(key=lambda t: t[0])
    t, _, r = timed[len(timed) // 2]
    return r, t


def answer_mix(r: dict) -> list[tuple[str, bool]]:
    """~20 distinct answers for problem r: (answer text, meant to be correct)."""
    from tutor.printing import to_latex, to_text, to_unicode
    from tutor.solve import derivative
    x, f = r["var"], r["expr"]
    d = derivative(f, x)
    A = to_text(d)
    right = [A, r["expected"], to_latex(d), to_unicode(d), f"({A}) + 0",
             f"(2({A}))/2", f"({A})(sin({x})^2 + cos({x})^2)", f"{A} + {x} - {x}"]
    wrong = [f"-({A})", f"2({A})", f"({A}) + 1", f"({A}) - {x}", f, f"({A})^2", f"({A}) {x}",
             "0", "1", f"({A})/{x}", f"{A} + {x}^2", f"3({A})", f"({A}) + {x}/1000"]
    out, seen = [], set()
    for texts, ok in ((right, True), (wrong, False)):
        for t in texts:
            if t not in seen:
                seen.add(t)
                out.append((t, ok))
    return out


def textbook_bank(limit: int | None = None) -> list[tuple]:
    """Issue 15's bank of simple textbook answers: for every first-order practice problem,
    its answer mix (answer_mix: the engine's and the answer key's forms, LaTeX, Unicode,
    trivial rewrites; the usual slips), every (problem, answer) distinct."""
    out = []
    for r in load_jsonl("practice")[:limit]:
        if r.get("order", 1) == 1:
            out += [(r["expr"], t, r["var"], 1) for t, _ in answer_mix(r)]
    return out


def time_class(cases, passes: int, repeat: int) -> float:
    """Per-check seconds when each answer of the bank is handed in by `repeat` students (a
    class: the answers are fresh at every pass, then seen again within it)."""
    from tutor.grade import check

    def run():
        for f, a, v, o in cases:
            for _ in range(repeat):
                check(f, a, v, o)
    return median_time(run, passes, setup=lambda: clear_ours(reference=False)) / (len(cases) * repeat)


def realistic_class(bank: list[tuple], students: int = 30, seed: int = 15) -> list[tuple]:
    """Each problem's class: `students` answers drawn (seeded) from its answer mix with Zipf
    weights 1/rank, in the mix's order (the engine's form first). Problems in bank order."""
    import random
    rng = random.Random(seed)
    by_problem: dict = {}
    for case in bank:
        by_problem.setdefault(case[0], []).append(case)
    out = []
    for mix in by_problem.values():
        out += rng.choices(mix, weights=[1 / (i + 1) for i in range(len(mix))], k=students)
    return out


def time_sequence(cases, passes: int) -> float:
    """Per-check seconds of the checks in order, answer caches cleared before each pass."""
    from tutor.grade import check

    def run():
        for f, a, v, o in cases:
            check(f, a, v, o)
    return median_time(run, passes, setup=lambda: clear_ours(reference=False)) / len(cases)


def time_records(cases, passes: int) -> dict:
    """Per-check seconds of what a service worker does per check (issue 13): the check, its
    `tutor.verdict/1` record (`Verdict.to_dict`) and the JSON text, answers fresh (answer
    caches cleared before each pass, references and their printed forms kept) and warm."""
    import json
    from tutor.grade import check

    def run():
        for f, a, v, o in cases:
            json.dumps(check(f, a, v, o).to_dict(), ensure_ascii=False)
    run()   # the references and their printed forms, untimed
    fresh = median_time(run, passes, setup=lambda: clear_ours(reference=False)) / len(cases)
    warm = median_time(run, passes) / len(cases)
    return {"fresh": fresh, "warm": warm}


def textbook_section(passes: int, n_sym: int, limit: int | None, repeat: int,
                     students: int = 30) -> str:
    bank = textbook_bank(limit)
    problems = len({c[0] for c in bank})
    ours = time_ours(bank, passes)
    per_class = time_class(bank, max(1, passes // 2), repeat)
    klass = realistic_class(bank, students)
    distinct = len(set(klass))
    per_real = time_sequence(klass, passes)
    rec = time_records(bank, passes)
    step = max(1, len(bank) // n_sym)
    sym = sympy_grader(bank[::step][:n_sym])
    t = sym["per_check"]
    rows = [[f"ours, a new problem per check (every cache cleared before each), {len(bank)} checks",
             fmt_time(ours["cold"]), fmt_num(1 / ours["cold"]), f"{t / ours['cold']:.0f}x"],
            ["ours, references built once per problem, every answer fresh and distinct",
             fmt_time(ours["fresh"]), fmt_num(1 / ours["fresh"]), f"{t / ours['fresh']:.0f}x"],
            [f"ours, a class: each answer handed in {repeat}x (answers fresh per pass)",
             fmt_time(per_class), fmt_num(1 / per_class), f"{t / per_class:.0f}x"],
            [f"ours, a realistic class: {students} students per problem, answers drawn from "
             f"the mix ({distinct} distinct of {len(klass)})",
             fmt_time(per_real), fmt_num(1 / per_real), f"{t / per_real:.0f}x"],
            ["ours, fully warm (the same answers again)", fmt_time(ours["warm"]),
             fmt_num(1 / ours["warm"]), f"{t / ours['warm']:.0f}x"],
            ["ours + the tutor.verdict/1 JSON (a service worker's check), every answer fresh",
             fmt_time(rec["fresh"]), fmt_num(1 / rec["fresh"]), f"{t / rec['fresh']:.0f}x"],
            ["ours + the tutor.verdict/1 JSON, fully warm", fmt_time(rec["warm"]),
             fmt_num(1 / rec["warm"]), f"{t / rec['warm']:.0f}x"],
            [f"SymPy parse_expr + simplify(a - b) == 0, {sym['n']} of these checks",
             fmt_time(t), fmt_num(1 / t), "1x"]]
    fresh_rate = 1 / ours["fresh"]
    regimes = [("every answer fresh and distinct", fresh_rate),
               (f"each answer {repeat}x", 1 / per_class),
               (f"a realistic class of {students}", 1 / per_real),
               ("fully warm", 1 / ours["warm"])]
    met = [name for name, rate in regimes if rate >= 10_000]
    missed = [f"{name} ({rate:,.0f}/s)" for name, rate in regimes if rate < 10_000]
    return "\n".join([
        "## Grader on a bank of simple textbook answers (issue 15)", "",
        f"{problems} practice problems x their answer mix (correct forms incl. LaTeX and Unicode, "
        f"the usual slips): {len(bank)} distinct checks. One core; ours are medians over {passes} "
        f"passes; SymPy one cold run per case (mean; median {fmt_time(sym['median'])}; "
        f"{sym['timeouts']} timeouts, {sym['errors']} errors).", "",
        table(["grader", "time per check", "checks/s", "speed-up vs SymPy"], rows), "",
        f"Targets (references built once per problem, every answer fresh): >= 10,000 checks/s: "
        f"{fresh_rate:,.0f}/s -> {verdict(fresh_rate >= 10_000)}; >= 100x SymPy: "
        f"{t / ours['fresh']:.0f}x -> {verdict(t / ours['fresh'] >= 100)}. "
        f"A class ({repeat} hand-ins per answer): {1 / per_class:,.0f}/s -> "
        f"{verdict(1 / per_class >= 10_000)}. A realistic class ({students} students per "
        f"problem): {1 / per_real:,.0f}/s -> {verdict(1 / per_real >= 10_000)}.", "",
        f"Regimes at >= 10,000 checks/s: {', '.join(met) or 'none'}; below it: "
        f"{', '.join(missed) or 'none'}."])


#: the stages of a fresh check timed by `where_time_goes`: (module attribute of tutor.grade, label)
STAGES = (("read", "reading"), ("shape", "shape walk"), ("compile_float", "compiling"),
          ("simple_counterexample", "counter-example"), ("explain", "diagnosis"),
          ("_beyond", "beyond the sample"))


def where_time_goes(cases, passes: int = 3) -> str:
    """Per fresh check (references built once, answer caches cleared before each pass):
    process CPU time, the cyclic collector's share (gc.callbacks), then, with the collector
    off, each stage's time (a timer around tutor.grade's own names: a measurement, never
    shipped) and the comparison's (equivalence.compare); "beyond the sample" includes its
    own comparison."""
    import gc
    import tutor.grade as G
    from tutor.grade import check
    for case in cases:
        check(*case)
    gc_time, started = [0.0], [0.0]

    def on_gc(phase, info):
        if phase == "start":
            started[0] = time.process_time()
        else:
            gc_time[0] += time.process_time() - started[0]
    def fresh_passes() -> float:
        """CPU seconds of `passes` passes over the cases, answer caches cleared before each."""
        spent_all = 0.0
        for _ in range(passes):
            clear_ours(reference=False)
            t0 = time.process_time()
            for case in cases:
                check(*case)
            spent_all += time.process_time() - t0
        return spent_all
    gc.callbacks.append(on_gc)
    try:
        total = fresh_passes()
    finally:
        gc.callbacks.remove(on_gc)
    spent: dict = {label: 0.0 for _, label in STAGES}
    spent["comparison"] = 0.0
    saved = {}

    def timed(owner, name, label):
        fn = getattr(owner, name)
        saved[(owner, name)] = fn

        def wrapper(*args, **kw):
            t = time.process_time()
            try:
                return fn(*args, **kw)
            finally:
                spent[label] += time.process_time() - t
        wrapper.__dict__.update(fn.__dict__)
        setattr(owner, name, wrapper)
    for name, label in STAGES:
        timed(G, name, label)
    timed(G.EQ, "compare", "comparison")
    gc.disable()
    try:
        whole = fresh_passes()
    finally:
        gc.enable()
        for (owner, name), fn in saved.items():
            setattr(owner, name, fn)
    n = passes * len(cases)
    rest = whole - sum(spent.values())
    parts = ", ".join(f"{label} {fmt_time(v / n)}" for label, v in
                      sorted(spent.items(), key=lambda kv: -kv[1])) + f", the rest {fmt_time(rest / n)}"
    return (f"Per fresh check ({len(cases):,} checks x {passes} passes, process CPU time): "
            f"{fmt_time(total / n)}, of which the cyclic garbage collector {fmt_time(gc_time[0] / n)}. "
            f"With the collector off, {fmt_time(whole / n)}: {parts}.")


def main(argv=None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--passes", type=int, help="timed passes per regime")
    ap.add_argument("--sympy-cases", type=int, help="bank cases for the SymPy grader (~60)")
    ap.add_argument("--limit", type=int, help="only the first N bank cases / practice problems")
    ap.add_argument("--mix-repeat", type=int, help="repeats of the answer mix per pass")
    ap.add_argument("--where", action="store_true",
                    help="only where a fresh check's time goes on the textbook bank (GC, stages)")
    a = ap.parse_args(argv)
    if a.where:
        text = where_time_goes(textbook_bank(a.limit), a.passes or 3)
        print(text)
        return text
    passes = a.passes or (1 if a.quick else 9 if a.full else 5)
    n_sym = a.sympy_cases or (4 if a.quick else 120 if a.full else 60)
    limit = a.limit or (8 if a.quick else None)
    mix_repeat = a.mix_repeat or (1 if a.quick else 10)
    from tutor.grade import check

    bank = _cases(load_jsonl("grader_bank"))[:limit]
    ours = time_ours(bank, passes)
    step = max(1, len(bank) // n_sym)
    sym = sympy_grader(bank[::step][:n_sym])
    sym_rate = 1 / sym["per_check"]
    rows = [[f"ours, cold (caches cleared per check), {len(bank)} cases",
             fmt_time(ours["cold"]), fmt_num(1 / ours["cold"]), f"{sym['per_check'] / ours['cold']:.0f}x"],
            [f"ours, reference warm, answers fresh, {len(bank)} cases", fmt_time(ours["fresh"]),
             fmt_num(1 / ours["fresh"]), f"{sym['per_check'] / ours['fresh']:.0f}x"],
            [f"ours, fully warm, {len(bank)} cases", fmt_time(ours["warm"]),
             fmt_num(1 / ours["warm"]), f"{sym['per_check'] / ours['warm']:.0f}x"],
            [f"SymPy parse_expr + simplify(a - b) == 0, {sym['n']} bank cases",
             fmt_time(sym["per_check"]), fmt_num(sym_rate), "1x"]]
    out = ["## Grader throughput (issue 5)", "",
           f"One core (single thread); ours are medians over {passes} passes; SymPy one cold run per "
           f"case (mean per check; median {fmt_time(sym['median'])}; {sym['timeouts']} timeouts, "
           f"{sym['errors']} errors).", "",
           table(["grader", "time per check", "checks/s", "speed-up vs SymPy"], rows), "",
           f"Target >= 100x SymPy (reference warm, answers fresh): "
           f"{sym['per_check'] / ours['fresh']:.0f}x -> {verdict(sym['per_check'] / ours['fresh'] >= 100)}"]

    prob, t_single = median_problem(limit)
    mix = answer_mix(prob)
    mcases = [(prob["expr"], t, prob["var"], 1) for t, _ in mix] * mix_repeat
    m = time_ours(mcases, passes)
    msym = sympy_grader([(prob["expr"], t, prob["var"], 1) for t, _ in mix])
    verdicts = [check(prob["expr"], t, prob["var"]).verdict for t, _ in mix]
    agree = sum((v == "correct") == ok for v, (_, ok) in zip(verdicts, mix))
    rows = [["ours, cold", fmt_time(m["cold"]), fmt_num(1 / m["cold"]),
             f"{msym['per_check'] / m['cold']:.0f}x"],
            ["ours, reference warm, answers fresh", fmt_time(m["fresh"]), fmt_num(1 / m["fresh"]),
             f"{msym['per_check'] / m['fresh']:.0f}x"],
            ["ours, fully warm", fmt_time(m["warm"]), fmt_num(1 / m["warm"]),
             f"{msym['per_check'] / m['warm']:.0f}x"],
            [f"SymPy grader ({msym['n']} answers, once each)", fmt_time(msym["per_check"]),
             fmt_num(1 / msym["per_check"]), "1x"]]
    out += ["", f"### Median textbook problem: {prob['id']} `{prob['expr']}` (d/d{prob['var']})", "",
            f"Chosen over {len(load_jsonl('practice')[:limit])} practice problems by cold single-check "
            f"time ({fmt_time(t_single)}). Mix: {len(mix)} distinct answers "
            f"({sum(ok for _, ok in mix)} correct forms incl. LaTeX, Unicode and the answer key's SymPy-style text, "
            f"{sum(not ok for _, ok in mix)} wrong), x{mix_repeat} per pass; our verdicts agree with "
            f"the intended label on {agree}/{len(mix)}.", "",
            table(["grader", "time per check", "checks/s", "speed-up vs SymPy"], rows), "",
            f"Target >= 2,000 checks/s on the median problem (reference warm, answers fresh): "
            f"{1 / m['fresh']:,.0f}/s -> {verdict(1 / m['fresh'] >= 2000)}"]
    out += ["", textbook_section(passes, n_sym, 12 if a.quick else None, 2 if a.quick else 5,
                                 3 if a.quick else 30)]
    text = "\n".join(out)
    print(text)
    return text


if __name__ == "__main__":
    main()
