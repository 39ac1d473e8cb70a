"""Instructions per fresh check, counted by callgrind: the referee for grader speed-ups.

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=ffi_call \\
        --callgrind-out-file=/tmp/cg.out python benchmarks/callgrind_grade.py [--limit N]
    callgrind_annotate /tmp/cg.out | head        # "PROGRAM TOTALS" / checks = Ir per check
    ... callgrind_grade.py --records             # each check with its tutor.verdict/1 JSON

Why: timing on a shared VM is noisy; an instruction count is not. The regime is issue 15's
"references built once per problem, every answer fresh and distinct" (bench_grader.py's
textbook bank): one untimed pass builds every problem's reference, the answer caches are
cleared (bench_grader.clear_ours(reference=False)), then ONE pass grades every answer afresh.
Only that pass is counted: it runs inside libc's bsearch (through ctypes: one dummy element,
one comparison), and callgrind's --toggle-collect=ffi_call (libffi's entry, the process's
one ctypes call; glibc's bsearch has no symbol name callgrind can match) brackets exactly
that loop, the cyclic garbage collector's share included. PYTHONHASHSEED=0 makes the count
repeatable. Without valgrind the script prints process CPU time.
"""
from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import time

try:   # the sibling first (bench_grader's _common puts this checkout first on sys.path)
    from bench_grader import clear_ours, textbook_bank
except ImportError:
    from benchmarks.bench_grader import clear_ours, textbook_bank


def inside_bsearch(fn) -> None:
    """fn() called from within libc's bsearch (the callgrind toggle), once."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    calls = []
    cmp_t = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)

    def cmp(a, b):
        calls.append(1)
        fn()
        return 0
    key, arr = ctypes.c_int(0), (ctypes.c_int * 1)(0)
    libc.bsearch(ctypes.byref(key), arr, 1, ctypes.sizeof(ctypes.c_int), cmp_t(cmp))
    assert calls == [1], "bsearch did not call the comparison once"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=24, help="first N practice problems (24)")
    ap.add_argument("--records", action="store_true",
                    help="count each check with its tutor.verdict/1 JSON text (a service "
                         "worker's check: Verdict.to_dict, json.dumps)")
    a = ap.parse_args(argv)
    import json
    from tutor.grade import check
    cases = textbook_bank(a.limit)
    verdicts = [check(*c) for c in cases]   # references built, untimed
    if a.records:   # and the problems' printed forms
        for v in verdicts:
            json.dumps(v.to_dict(), ensure_ascii=False)
    verdicts = [v.verdict for v in verdicts]
    clear_ours(reference=False)

    def run():
        for c in cases:
            check(*c)

    def run_records():
        for c in cases:
            json.dumps(check(*c).to_dict(), ensure_ascii=False)
    t0 = time.process_time()
    inside_bsearch(run_records if a.records else run)
    spent = time.process_time() - t0
    what = "fresh checks, each with its tutor.verdict/1 JSON" if a.records else "fresh checks"
    print(f"{len(cases)} {what} ({len({c[0] for c in cases})} problems, "
          f"{verdicts.count('correct')} correct): {spent / len(cases) * 1e6:.1f} us a check "
          f"(process CPU)")


if __name__ == "__main__":
    main()
