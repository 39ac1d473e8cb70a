"""Regenerate tests/data/sympy_counts.json: for every problem of seeds.jsonl and practice.jsonl,
SymPy's `count_ops(simplify(diff(f)))` (the yardstick of tests/test_answer_keys.py).

Run from the repository root:  python tests/make_sympy_counts.py
SymPy's simplify is slow (seconds over the corpus), so the test reads the stored counts instead.
"""
from __future__ import annotations

import json
import pathlib
import sys

import sympy

HERE = pathlib.Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from conftest import load_corpus, to_sympy  # noqa: E402
from tutor.language import parse  # noqa: E402


def main() -> None:
    counts = {}
    for name in ("seeds.jsonl", "practice.jsonl"):
        for p in load_corpus(name):
            f = to_sympy(parse(p["expr"]))
            d = f
            for v in str(p["var"]).split(","):
                d = sympy.diff(d, sympy.Symbol(v.strip()), p.get("order", 1))
            counts[p["id"]] = int(sympy.count_ops(sympy.simplify(d)))
    out = HERE / "data" / "sympy_counts.json"
    out.write_text(json.dumps(counts, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(counts)} counts to {out}")


if __name__ == "__main__":
    main()
