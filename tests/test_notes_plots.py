"""Answer keys with figures (`tutor notes --plots`).

Two halves: the document side against a stand-in plotting package with the same interface
(`plot(expr, var, *, derivative, tangent_at, secants_at) -> Figure` with `to_tikz()` /
`to_svg()`), so placement, files and errors are checked apart from the drawing; then the real
`tutor.plotting` (Matplotlib comes with the test extra): a compiled LaTeX key with TikZ
figures, Markdown with SVG files, and an HTML key with inline SVG."""
from __future__ import annotations

import importlib.machinery
import pathlib
import sys
import types
import xml.etree.ElementTree as ET

import pytest

from tutor.cli import main
from tutor.documents import build_key

from typeset import pdflatex

SETS = pathlib.Path(__file__).parent / "data" / "problem_sets"
PLOTS = (SETS / "plots.txt").read_text(encoding="utf-8")

TIKZ = ("\\begin{tikzpicture}\n\\begin{axis}[width=9cm, height=6cm, xlabel={$x$}]\n"
        "\\addplot[domain=-2:2, samples=20] {x^2};\n\\end{axis}\n\\end{tikzpicture}")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><path d="M0 0 L10 10"/></svg>'


@pytest.fixture
def fake_plotting(monkeypatch):
    """A stand-in `tutor.plotting` that records each call."""
    calls = []

    class Figure:
        def to_tikz(self):
            return TIKZ

        def to_svg(self):
            return SVG

    def plot(expr, var=None, *, range=None, derivative=False, tangent_at=None,
             secants_at=None, h=(1, 0.5, 0.1)):
        calls.append((expr, var, derivative, tangent_at, secants_at))
        if expr == "ln(x - 100)":
            import tutor
            raise tutor.TutorError("nothing to draw on the automatic range", code="range")
        return Figure()

    module = types.ModuleType("tutor.plotting")
    module.plot = plot
    module.__spec__ = importlib.machinery.ModuleSpec("tutor.plotting", None)
    monkeypatch.setitem(sys.modules, "tutor.plotting", module)
    return calls


def test_each_route_asks_for_its_figure(fake_plotting):
    key = build_key(PLOTS, format="latex", plots=True)
    assert key.failures == ()
    assert fake_plotting == [
        ("x^2 sin(x)", "x", True, None, None),        # f and f'
        ("1/w^2", "w", True, 4, None),                 # at a point: the tangent there
        ("sqrt(x)", "x", False, 4, None),              # tangent line
        ("x^2", "x", False, None, 1),                  # definition at a point: secants
        ("w^2", "w", False, None, 3),                  # finite differences: secants
        ("ln(x - 100)", "x", True, None, None),
    ]                                                   # no figure: implicit, partial
    assert key.text.count("\\begin{figure}[H]") == 5
    assert key.notes == ((8, "no figure: nothing to draw on the automatic range"),)


def test_latex_with_figures_compiles_with_no_overfull_box(fake_plotting):
    key = build_key(PLOTS, format="latex", plots=True)
    assert "\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}" in key.text
    result = pdflatex(key.text)
    assert result["ok"], result["errors"]
    assert result["overfull"] == []


def test_markdown_figures_are_files_beside_the_document(fake_plotting, tmp_path, capsys):
    path = tmp_path / "set.txt"
    path.write_text(PLOTS, encoding="utf-8")
    out = tmp_path / "key.md"
    assert main(["notes", str(path), "--plots", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    files = sorted(p.name for p in (tmp_path / "key_figures").iterdir())
    assert files == ["problem-01.svg", "problem-02.svg", "problem-03.svg", "problem-04.svg",
                     "problem-05.svg"]
    assert "![Figure 1: the graph of f(x) = x^2 sin(x) and of its derivative](key_figures/problem-01.svg)" in text
    assert "problem 8: no figure: nothing to draw" in capsys.readouterr().err


def test_markdown_figures_inline_without_an_output_file(fake_plotting):
    key = build_key("x^2\n", format="markdown", plots=True)
    assert "](data:image/svg+xml;base64," in key.text and key.files == ()


def test_without_plots_the_package_is_never_asked(fake_plotting):
    build_key(PLOTS, format="latex")
    assert fake_plotting == []


# ---------------------------------------------------------------- the real plotting package

def test_real_plots_latex_compiles():
    key = build_key(PLOTS, format="latex", plots=True)
    result = pdflatex(key.text)
    assert result["ok"], result["errors"]
    assert result["overfull"] == []
    assert key.text.count("\\begin{tikzpicture}") >= 5


def test_real_plots_markdown_svg_files(tmp_path):
    path = tmp_path / "set.txt"
    path.write_text(PLOTS, encoding="utf-8")
    out = tmp_path / "key.md"
    assert main(["notes", str(path), "--plots", "-o", str(out)]) in (0, 1)
    svgs = sorted((tmp_path / "key_figures").glob("*.svg"))
    assert len(svgs) >= 5
    for svg in svgs:
        assert ET.parse(svg).getroot().tag.endswith("svg")


def test_real_plots_html_inline_svg():
    key = build_key(PLOTS, format="html", plots=True)
    assert key.files == ()                       # one file: the figures are inline
    assert key.text.count("<figure><svg") >= 5
    assert "<script" not in key.text
