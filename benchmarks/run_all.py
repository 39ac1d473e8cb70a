"""Run every benchmark and write benchmarks/RESULTS.md (date, machine facts, command, tables).

    python benchmarks/run_all.py [--quick | --full]

The flag is passed to each script (and bench_engine always gets --cpu: see ALWAYS). Every
figure is measured in this one run; ratios are ours / SymPy measured in the same process,
medians over repeats (the machine may be shared).
"""
from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time

try:
    from benchmarks import _common
except ImportError:
    import _common

from importlib import import_module

SCRIPTS = ("bench_parse", "bench_engine", "bench_grader")
#: flags a script always gets here: the worked solutions are timed in process CPU time, since
#: on a shared machine wall time mostly measures waiting for a core
ALWAYS = {"bench_engine": ["--cpu"]}


def _machine() -> str:
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    import sympy
    return (f"nproc {nproc}; {sys.version.split()[0]} ({platform.python_implementation()}); "
            f"{platform.platform()}; {platform.processor() or platform.machine()}; "
            f"SymPy {sympy.__version__}")


def main(argv=None) -> str:
    argv = list(sys.argv[1:] if argv is None else argv)
    parts, t0 = [], time.perf_counter()
    for name in SCRIPTS:
        try:
            mod = import_module(f"benchmarks.{name}")
        except ImportError:
            mod = import_module(name)
        print(f"# running {name} {' '.join(argv)}", file=sys.stderr, flush=True)
        parts.append(mod.main(argv + ALWAYS.get(name, [])))
    head = ["# Benchmark results", "",
            f"- Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            f"- Machine: {_machine()}",
            f"- Command: `{' '.join(['python benchmarks/run_all.py', *argv])}`",
            f"- Wall time of the whole run: {time.perf_counter() - t0:.0f} s",
            "- Method: medians over repeats in one process; every ratio is ours / SymPy measured "
            "side by side in the same run. The machine has 2 cores and was shared with other "
            "work, so absolute times are noisy; ratios are the figures to quote.", ""]
    text = "\n".join(head) + "\n" + "\n\n".join(parts) + "\n"
    (_common.ROOT / "benchmarks" / "RESULTS.md").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
