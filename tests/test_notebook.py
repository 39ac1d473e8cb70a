"""The lab notebook (examples/lab.ipynb) runs top to bottom on a real IPython kernel, so it
cannot rot: no cell errors, and the numbers the course's lab prints come out of `tutor`."""
from __future__ import annotations

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "lab.ipynb"


def _text(cell) -> str:
    """A cell's outputs as one text. Stream pieces are concatenated as they came: a busy kernel
    may send one print() in several stream messages."""
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o["text"])
        data = o.get("data", {})
        for kind in ("text/markdown", "text/latex", "text/plain"):
            if kind in data:
                out.append("\n" + (data[kind] if isinstance(data[kind], str) else "".join(data[kind])) + "\n")
    return "".join(out)


@pytest.fixture(scope="module")
def executed():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel imports this checkout's tutor (as a fresh checkout with PYTHONPATH would), and
    # runs where a user opening examples/lab.ipynb would: in examples/
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved]))
    try:
        client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                         resources={"metadata": {"path": str(ROOT / "examples")}})
        client.execute()   # raises CellExecutionError on the first cell that fails
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    return nb


def test_every_cell_runs_without_error(executed):
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert all(o.get("output_type") != "error" for o in cell.outputs), cell.source


def test_the_lab_lines_come_out_digit_for_digit(executed):
    text = "\n".join(_text(c) for c in executed.cells if c.cell_type == "code")
    assert "J = 9, J_epsilon = 9.006001, dJ_dw ~= k = 6.001000" in text
    assert "J = 6, J_epsilon = 6.002, dJ_dw ~= k = 1.9999999999997797" in text
    assert "J = 0.5, J_epsilon = 0.49975012493753124, dJ_dw ~= k = -0.2498750624687629" in text
    assert "J = 0.0625, J_epsilon = 0.06246876171484496, dJ_dw ~= k = -0.031238285155041345" in text


def test_worked_solutions_display_richly_with_the_answers(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    rich = {c.source.splitlines()[0]: c.outputs[0]["data"] for c in code
            if c.outputs and "data" in c.outputs[0] and "text/markdown" in c.outputs[0]["data"]}
    answers = {'dJ_dw = tutor.differentiate("w^2")': "**Answer:** $2 w$",
               'dJ_dw = tutor.differentiate("2w")': "**Answer:** $2$",
               'dJ_dw = tutor.differentiate("w^3")': "**Answer:** $3 w^{2}$",
               'dJ_dw = tutor.differentiate("1/w")': "**Answer:** $-\\frac{1}{w^{2}}$",
               'dJ_dw = tutor.differentiate("1/w^2")': "**Answer:** $-\\frac{2}{w^{3}}$"}
    for first, answer in answers.items():
        assert answer in rich[first]["text/markdown"], first
        assert "text/latex" in rich[first]


def test_values_at_points(executed):
    text = "\n".join(_text(c) for c in executed.cells if c.cell_type == "code")
    for line in ("at w = 2: 4", "at w = 3: 6", "at w = -3: -6", "at w = 2: 12", "at w = 2: -1/4",
                 "at w = 4: -1/32 ≈ -0.03125"):
        assert line in text


def test_the_notebook_ends_with_the_plot(executed):
    import json
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")  # stored clean
    last = executed.cells[-1]
    assert last.cell_type == "code" and "tutor.plot" in "".join(last.source)
    svg = [o["data"]["image/svg+xml"] for o in last.outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svg) == 1 and "<svg" in "".join(svg[0])


def test_every_formula_in_the_notebook_parses_in_katex(executed):
    """Markdown cells and the Markdown the cells display: every $...$ and $$...$$ is maths
    that a renderer accepts (Jupyter uses MathJax; KaTeX is the stricter of the two)."""
    import re
    from typeset import katex_errors
    texts = ["".join(c.source) for c in executed.cells if c.cell_type == "markdown"]
    for c in executed.cells:
        for o in c.get("outputs", []):
            md = o.get("data", {}).get("text/markdown")
            if md:
                texts.append(md if isinstance(md, str) else "".join(md))
    maths = []
    for t in texts:
        maths += re.findall(r"\$\$(.+?)\$\$", t, flags=re.S)
        rest = re.sub(r"\$\$(.+?)\$\$", " ", t, flags=re.S)
        maths += re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", rest)
    assert len(maths) > 50
    assert katex_errors(maths) == {}
