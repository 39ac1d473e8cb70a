"""CPU time of the main user paths in one source tree, for before/after comparisons of a change.

    python benchmarks/compare_trees.py TREE [TREE ...]

Each TREE (a checkout of this repository, e.g. `git worktree add /tmp/old <commit>`) runs in its
own process, one after the other, alternating when several rounds are asked (`--rounds`). CPU
time (`time.process_time`), best of 5 passes, so a loaded machine disturbs the figures less
than wall time would. Prints, per tree: the worked solution (parse, steps, simplified answer,
LaTeX of every line) per corpus problem, and the grader per check on the bank with references
warm and answers fresh.
"""
from __future__ import annotations

import argparse
import subprocess
import sys

_PROBE = r"""
import json, sys, time
root = sys.argv[1]
sys.path.insert(0, root)
import tutor
rows = [json.loads(l) for f in ("seeds", "practice") for l in open(f"{root}/tests/data/{f}.jsonl")]
bank = [json.loads(l) for l in open(f"{root}/tests/data/grader_bank.jsonl")]
cases = [(r["function"], r["answer"], r.get("var"), r.get("order", 1)) for r in bank]

def solutions():
    for r in rows:
        tutor.differentiate(r["expr"], r.get("var"), r.get("order", 1)).to_latex()

def clear_answers():
    import tutor.grade as g
    if hasattr(g, "clear_caches"):
        g.clear_caches(references=False)
    else:
        g._read.cache_clear()

def checks():
    for c in cases:
        tutor.check(*c)

def best(fn, before=None, n=5):
    out = []
    for _ in range(n):
        if before: before()
        t = time.process_time(); fn(); out.append(time.process_time() - t)
    return min(out)

solutions(); checks()
s = best(solutions) / len(rows)
g = best(checks, clear_answers) / len(cases)
print(f"{root}: worked solution {s * 1e3:.2f} ms/problem ({len(rows)}), "
      f"check {g * 1e6:.0f} us ({len(cases)} bank answers, references warm)")
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    for _ in range(args.rounds):
        for tree in args.trees:
            subprocess.run([sys.executable, "-c", _PROBE, tree], check=True, cwd="/")


if __name__ == "__main__":
    main()
