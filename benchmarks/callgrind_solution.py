"""Issue 15 referee: the worked solution's first calls, counted in instructions, not seconds.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.sol.out \\
        python benchmarks/callgrind_solution.py            # imports + warm-up + the corpus
    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.base.out \\
        python benchmarks/callgrind_solution.py --baseline # imports + warm-up only

The corpus's cost is the difference of the two totals (Ir). Why: on a shared 2-core VM the
clock is noise of several percent, while an instruction count of the same work repeats to
well under 0.1%. One fresh process meets each problem of tests/data/seeds.jsonl +
practice.jsonl once, in corpus order, after the same warm-up as bench_engine's first_call
(`differentiate("q^2", "q").to_latex()`): exactly issue 15's regime. Without valgrind it
prints the per-problem times (process CPU), slowest first, to show what the tail is.
"""
from __future__ import annotations

import pathlib
import sys
import time

_HERE = str(pathlib.Path(__file__).resolve().parent.parent)
if _HERE not in sys.path[:2]:
    sys.path.insert(0, _HERE)

from benchmarks._common import fmt_time, load_jsonl  # noqa: E402


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    rows = load_jsonl("seeds", "practice")
    from tutor import differentiate
    differentiate("q^2", "q").to_latex()               # imports and tables, not a problem
    if "--baseline" in argv:
        return
    took = []
    for r in rows:
        t0 = time.process_time()
        differentiate(r["expr"], r["var"], r.get("order", 1)).to_latex()
        took.append((time.process_time() - t0, r))
    if "--tail" in argv:
        for t, r in sorted(took, key=lambda p: -p[0])[:12]:
            print(f"{fmt_time(t):>10}  {r['id']}  {r['expr']}  (order {r.get('order', 1)})")


if __name__ == "__main__":
    main()
