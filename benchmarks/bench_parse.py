"""Issue 2 benchmark: parse + print throughput (tokens/s) and CLI cold start, beside SymPy.

    python benchmarks/bench_parse.py [--quick | --full] [--repeat N] [--runs N]

Throughput: one pass = tutor.parse(text) + to_text + to_latex of the tree; SymPy's side is
parse_expr of the same expression written in SymPy syntax (tutor.printing.to_sympy), alone and
with str() + latex() added, so both "parse only" and "parse + print" ratios are shown. Tokens
are counted on the calculator input by a simple regex (numbers, names, single operator chars,
`**`). Every figure is a median over repeats in this one process; ratios are ours / SymPy.

Cold start: wall time of a fresh interpreter (subprocess) for `python -m tutor parse x`,
`python -m tutor diff x^2`, `python -m tutor check x^2 2x`, a LaTeX input and a calculator
input the fast reader declines (both need Lark and its tables), the installed `tutor` console
script (beside this interpreter, or on PATH; run with PYTHONPATH set to this checkout, so it
times this tree's code, without runpy), `python -c pass` and `python -c "import sympy"`, each
a median over --runs rounds taking the commands in turn. Targets: cold start under half of
`import sympy` (issue 2); `tutor diff x^2` at most 0.3 x `import sympy` (issue 15).
`--cold-only` skips the throughput part.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import time

# the sibling first: run as a script, `benchmarks` could name another checkout's package
try:
    from _common import ROOT, fmt_num, fmt_time, median_time, table, verdict
except ImportError:
    from benchmarks._common import ROOT, fmt_num, fmt_time, median_time, table, verdict

TOKEN = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z_0-9]*|\*\*|\S")

#: About 20 tokens, textbook style (implicit products, paren-less function, a quotient).
SMALL = "3x^2 sin(x) + e^(2x)/(x + 1) - 4 sqrt x"


def big_input(target_tokens: int = 2000) -> str:
    """A ~2,000-token sum of mixed textbook terms (no repetition of whole terms)."""
    pieces, k = [], 1
    while count_tokens(" + ".join(pieces)) < target_tokens:
        pieces.append(f"{k} x^{k % 7 + 1} cos({k}x + 1)" if k % 2 else f"e^({k}x)/(x^2 + {k})")
        k += 1
    return " + ".join(pieces)


def count_tokens(text: str) -> int:
    return len(TOKEN.findall(text))


def ours_pass(text: str):
    from tutor.language import parse
    from tutor.printing import to_latex, to_text
    e = parse(text)
    to_text(e)
    to_latex(e)


def throughput(repeat: int) -> tuple[str, list[dict]]:
    import sympy
    from sympy.parsing.sympy_parser import parse_expr
    from tutor.language import parse
    from tutor.printing import to_sympy

    results, rows = [], []
    for label, text in (("~20 tokens", SMALL), ("~2,000 tokens", big_input())):
        n = count_tokens(text)
        sym_text = to_sympy(parse(text))
        reps = repeat if n < 100 else max(3, repeat // 20)
        ours = median_time(lambda: ours_pass(text), reps)
        ours_parse = median_time(lambda: parse(text), reps)
        theirs = median_time(lambda: parse_expr(sym_text), reps)

        def sym_print():
            s = parse_expr(sym_text)
            str(s)
            sympy.latex(s)
        theirs_print = median_time(sym_print, reps)
        results.append({"input": label, "tokens": n, "ours": ours, "ours_parse": ours_parse,
                        "sympy_parse": theirs, "sympy_parse_print": theirs_print})
        rows.append([label, n, reps, fmt_num(n / ours_parse), fmt_num(n / ours),
                     fmt_num(n / theirs), fmt_num(n / theirs_print),
                     f"{ours / theirs:.2f}", f"{ours / theirs_print:.2f}"])
    md = table(["input", "tokens", "repeats", "ours parse tok/s", "ours parse+text+latex tok/s",
                "SymPy parse_expr tok/s", "SymPy parse_expr+str+latex tok/s",
                "time ratio ours(all)/SymPy parse", "time ratio ours/SymPy parse+print"], rows)
    return md, results


#: the environment of every timed command: the installed script then imports this checkout
_ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def _cold_all(cmds: dict, runs: int) -> dict:
    """Median wall time of each command, the commands taken in turn in every round (so a
    burst of load on the shared machine falls on all of them, not on one)."""
    times: dict = {k: [] for k in cmds}
    for _ in range(runs):
        for k, cmd in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False, env=_ENV)
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def cold_start(runs: int) -> tuple[str, dict]:
    """Bytecode compiled first (`compileall`, as an installed package has it: this machine
    sets PYTHONDONTWRITEBYTECODE, and SymPy's site-packages already has its .pyc), the
    grammar cache warm as after any first run (tutor.language.tables)."""
    import compileall
    compileall.compile_dir(str(ROOT / "tutor"), quiet=1)
    py = sys.executable
    cmds = {"python -c pass": [py, "-c", "pass"],
            "python -c \"import sympy\"": [py, "-c", "import sympy"],
            "python -m tutor parse x": [py, "-m", "tutor", "parse", "x"],
            "python -m tutor diff x^2": [py, "-m", "tutor", "diff", "x^2"],
            "python -m tutor check x^2 2x": [py, "-m", "tutor", "check", "x^2", "2x"],
            "python -m tutor diff \\frac{1}{x} (LaTeX: Lark tables from the cache)":
                [py, "-m", "tutor", "diff", "\\frac{1}{x}"],
            "python -m tutor diff d/dx(x^2) (calculator text for Lark: tables from the cache)":
                [py, "-m", "tutor", "diff", "d/dx(x^2)"]}
    script = _script()
    if script:
        cmds["tutor diff x^2 (installed script)"] = [script, "diff", "x^2"]
        cmds["tutor check x^2 2x (installed script)"] = [script, "check", "x^2", "2x"]
    for cmd in cmds.values():  # warm the OS file cache (and the grammar cache) once, untimed
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=_ENV)
    res = _cold_all(cmds, runs)
    base, sym = res["python -c pass"], res["python -c \"import sympy\""]
    rows = []
    for k, v in res.items():
        rows.append([f"`{k}`", fmt_time(v), fmt_time(max(0.0, v - base)), f"{v / sym:.2f}"])
    if not script:
        rows.append(["`tutor` script", "not installed", "", ""])
    ours = res["python -m tutor parse x"]
    md = table(["command", f"median of {runs}", "minus `python -c pass`", "ratio to import sympy"],
               rows)
    diff = res["python -m tutor diff x^2"]
    md += (f"\n\nTarget: cold start of `tutor parse x` < 0.5 x `import sympy`: "
           f"{ours / sym:.2f} x -> {verdict(ours < 0.5 * sym)}. Target (issue 15): `tutor diff x^2` "
           f"<= 0.3 x `import sympy`: {diff / sym:.2f} x -> {verdict(diff <= 0.3 * sym)}. "
           f"Load average (1 min) at the end: {_load()}.")
    return md, res


def _script() -> str | None:
    """The installed console script `tutor`: beside this interpreter (a venv), else on PATH."""
    beside = pathlib.Path(sys.executable).parent / "tutor"
    return str(beside) if beside.is_file() else shutil.which("tutor")


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - no load average on this platform
        return "unknown"


def main(argv=None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few repeats (smoke run)")
    ap.add_argument("--full", action="store_true", help="more repeats")
    ap.add_argument("--repeat", type=int, help="repeats for the ~20-token input")
    ap.add_argument("--runs", type=int, help="subprocess runs per cold-start command")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start part")
    ap.add_argument("--cold-only", action="store_true", help="only the cold-start part")
    a = ap.parse_args(argv)
    repeat = a.repeat or (5 if a.quick else 1000 if a.full else 200)
    runs = a.runs or (2 if a.quick else 20 if a.full else 10)
    out = [] if a.cold_only else [
        "## Parse + print throughput (issue 2)", "",
        "Medians over repeats in one process; ratios are ours / SymPy (lower is better for us).",
        "", throughput(repeat)[0], ""]
    if not a.no_cold:
        out += ["## Cold start (issues 2 and 15)", "", cold_start(runs)[0]]
    text = "\n".join(out)
    print(text)
    return text


if __name__ == "__main__":
    main()
