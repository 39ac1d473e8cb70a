"""Real typesetters for the tests: pdflatex for documents, KaTeX's own parser for maths strings.

Why real ones: LaTeX that "looks right" still fails to compile (an unescaped `_` in `\\text{}`,
calculator syntax between formulas) or runs past the margin (an overfull `\\hbox`). Only the
programs a teacher and a web page use can say. `.ci/run` installs both when missing
(`apt-get install texlive-latex-base`, `npm install katex`) and sets TUTOR_REQUIRE_TYPESETTERS=1,
so in CI a missing tool fails the test instead of skipping it.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

KATEX_DIR = pathlib.Path(os.environ.get(
    "TUTOR_KATEX_DIR", pathlib.Path.home() / ".cache" / "tutor-katex"))
REQUIRED = os.environ.get("TUTOR_REQUIRE_TYPESETTERS") == "1"

ARTICLE = ("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{amsmath,amssymb}\n"
           "\\allowdisplaybreaks\n\\begin{document}\n%s\n\\end{document}\n")


def _missing(what: str):
    if REQUIRED:
        pytest.fail(f"{what} is required here (TUTOR_REQUIRE_TYPESETTERS=1) but missing")
    pytest.skip(f"{what} not installed (see README: Set-up)")


def need_pdflatex() -> str:
    exe = shutil.which("pdflatex")
    if exe is None:
        _missing("pdflatex")
    return exe


def need_katex() -> tuple[str, pathlib.Path]:
    node = shutil.which("node")
    if node is None:
        _missing("node")
    if not (KATEX_DIR / "node_modules" / "katex").is_dir():
        _missing(f"KaTeX (npm install --prefix {KATEX_DIR} katex)")
    return node, KATEX_DIR


_OVERFULL = re.compile(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)")


def pdflatex(document: str, *, body: bool = False) -> dict:
    """Compile a document (or a body, wrapped in a standard article page) with pdflatex.

    Returns {"ok", "log", "overfull": [points...], "errors": [lines...], "pdf": path or None}.
    """
    exe = need_pdflatex()
    source = ARTICLE % document if body else document
    work = pathlib.Path(tempfile.mkdtemp(prefix="tutor-tex-"))
    (work / "doc.tex").write_text(source, encoding="utf-8")
    run = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=work, capture_output=True, text=True, timeout=120)
    log = (work / "doc.log").read_text(encoding="latin-1") if (work / "doc.log").exists() else run.stdout
    errors = [line for line in log.splitlines() if line.startswith("!")]
    pdf = work / "doc.pdf"
    return {"ok": run.returncode == 0 and not errors, "log": log, "errors": errors,
            "overfull": [float(m) for m in _OVERFULL.findall(log)],
            "pdf": pdf if pdf.exists() else None, "dir": work}


_KATEX_SCRIPT = r"""
const katex = require(process.argv[1] + "/node_modules/katex");
let input = "";
process.stdin.on("data", d => input += d);
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(s => {
    try { katex.renderToString(s, {throwOnError: true, displayMode: true, strict: "ignore"}); return null; }
    catch (e) { return String(e.message || e); }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def katex_errors(strings: list[str]) -> dict[str, str]:
    """Each maths string that KaTeX's own parser refuses, with its message (empty: all fine)."""
    node, root = need_katex()
    run = subprocess.run([node, "-e", _KATEX_SCRIPT, str(root)], input=json.dumps(strings),
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(run.stderr)
    results = json.loads(run.stdout)
    return {s: r for s, r in zip(strings, results) if r is not None}
