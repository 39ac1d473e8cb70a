"""Presentation figures of issue 10 over the corpus (tests/data/seeds.jsonl + practice.jsonl):
printed lines per solution (every line but `Answer:` and notes), the median and 90th percentile,
solutions with a line over 100 characters, the forbidden fragments of a normal-detail line, and
the two examples. `python benchmarks/bench_presentation.py [--detail steps]`."""
from __future__ import annotations

import json
import re
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor import differentiate  # noqa: E402

FORBIDDEN = re.compile(r"3\*1|\+ 0(?![\d.])|(?<![\w.])0 - |(?<![\w.])1e\^x|(?<![\w.])1 ln\(x\)|\(\(")
EXAMPLES = ("(3x+1)^5 (2x-1)^3", "sin(x^2) e^x")


def corpus() -> list[dict]:
    rows = []
    for name in ("seeds.jsonl", "practice.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text().splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def printed(text: str) -> list[str]:
    """The lines a reader counts: not the answer, not notes, not blank."""
    return [ln for ln in text.splitlines()
            if ln.strip() and not ln.startswith("Answer:") and not ln.strip().startswith("note:")]


def measure(detail: str = "normal") -> dict:
    counts, wide, bad = [], 0, []
    for row in corpus():
        text = differentiate(row["expr"], row["var"], row.get("order", 1)).to_text(detail)
        lines = printed(text)
        counts.append(len(lines))
        wide += any(len(ln) > 100 for ln in text.splitlines())
        bad.extend((row["id"], m.group()) for ln in lines for m in FORBIDDEN.finditer(ln))
    counts.sort()
    examples = {e: len(printed(differentiate(e).to_text(detail))) for e in EXAMPLES}
    return {"solutions": len(counts), "median": statistics.median(counts),
            "p90": counts[int(0.9 * (len(counts) - 1))], "wide": wide, "forbidden": bad,
            "examples": examples}


if __name__ == "__main__":
    detail = sys.argv[sys.argv.index("--detail") + 1] if "--detail" in sys.argv else "normal"
    print(json.dumps(measure(detail), indent=2))
