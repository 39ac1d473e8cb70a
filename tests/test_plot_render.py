"""The drawings: the SVG holds one <path> per curve piece (so no line joins across a pole),
png/pdf are what they say, output is deterministic, and the pgfplots code compiles with a
real pdflatex with no overfull box."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import tutor

from typeset import pdflatex

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def mpl():
    """Matplotlib draws svg/png/pdf (the plot extra); the TikZ tests below need nothing."""
    return pytest.importorskip("matplotlib")


def _groups(svg: str) -> dict[str, list]:
    """gid 'role-i-j' -> the <path> elements inside that group."""
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if re.fullmatch(r"[a-z]+-\d+-\d+", gid):
            out[gid] = list(g.iter(f"{SVG}path"))
    return out


def _moves(path) -> int:
    """How many separate strokes a path's d attribute draws (M commands)."""
    return len(re.findall(r"M", path.get("d", "")))


@pytest.mark.parametrize("src,kwargs,pieces", [
    ("1/x", dict(range=(-2, 3)), 2),
    ("tan x", dict(range=(-4, 4)), 3),
    ("ln x", dict(range=(-2, 3)), 1),
    ("x^3 - 3x", dict(derivative=True), 1),
])
def test_svg_has_one_path_per_segment(mpl, src, kwargs, pieces):
    fig = tutor.plot(src, **kwargs)
    groups = _groups(fig.to_svg())
    f_groups = {k: v for k, v in groups.items() if k.startswith("f-")}
    assert len(f_groups) == pieces == len(fig.curve("f")[0].pieces)
    for paths in f_groups.values():
        assert len(paths) == 1 and _moves(paths[0]) == 1   # one unbroken stroke each
    total = sum(len(c.pieces) for c in fig.curves)
    assert len(groups) == total


def test_svg_of_f_and_derivative_tangent_secants(mpl):
    fig = tutor.plot("x^2", derivative=True, tangent_at=1, secants_at=1)
    groups = _groups(fig.to_svg())
    roles = sorted({k.split("-")[0] for k in groups})
    assert roles == ["derivative", "f", "secant", "tangent"]
    assert sum(1 for k in groups if k.startswith("secant-")) == 3
    svg = fig.to_svg()
    assert "tangent at x = 1: y = 2x − 1" in svg        # the legend, as text (svg.fonttype none)
    assert "increasing (f′ &gt; 0)" in svg and "decreasing (f′ &lt; 0)" in svg


def test_output_is_deterministic_and_formats_are_real(mpl):
    fig = tutor.plot("sin x", tangent_at="pi/4")
    assert fig.to_svg() == fig.to_svg()
    assert fig.to_png()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = fig.to_pdf()
    assert pdf[:5] == b"%PDF-" and pdf == fig.to_pdf()


def test_save_picks_the_format_from_the_suffix(mpl, tmp_path):
    fig = tutor.plot("x^2")
    assert fig.save(tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")
    assert fig.save(tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert fig.save(tmp_path / "a.tex").read_text().startswith("\\begin{tikzpicture}")
    assert fig.save(tmp_path / "a.dat", "tikz").read_text().startswith("\\begin{tikzpicture}")
    with pytest.raises(tutor.TutorError) as info:
        fig.save(tmp_path / "a.jpg")
    assert info.value.message == "cannot tell the format of 'a.jpg' from its suffix"
    assert fig._repr_svg_().lstrip().startswith("<?xml")


def test_contours_and_descent_render_in_every_format(mpl):
    fig = tutor.plot_contours("x^2 + 3y^2", at="x=1,y=2", direction="1,1",
                              descent={"start": "2,1", "rate": 0.1, "steps": 20})
    svg = fig.to_svg()
    groups = _groups(svg)
    assert sum(1 for k in groups if k.startswith("contour-")) == sum(len(c.pieces) for c in fig.curve("contour"))
    assert sum(1 for k in groups if k.startswith("path-")) == 1
    assert "∇J(1, 2) = (2, 12)" in svg
    assert fig.to_png()[:4] == b"\x89PNG" and fig.to_pdf()[:5] == b"%PDF-"


# ---------------------------------------------------------------- TikZ / pgfplots

DOC = ("\\documentclass{article}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n"
       "\\begin{document}\n%s\n\\end{document}\n")


def _figures():
    return [
        tutor.plot("x^3 - 3x", derivative=True),
        tutor.plot("1/x", tangent_at=1, secants_at=1, h="1,0.5,0.1"),
        tutor.plot("tan x", derivative=True),
        tutor.plot("sqrt(x) + ln(x + 2)", tangent_at="1/4"),
        tutor.plot_contours("x^2 + 3y^2", at="x=1,y=2", direction="1,1",
                            descent={"start": "2,1", "rate": 0.1, "steps": 20}),
        tutor.plot_contours("x y", at="x=1/2,y=-1/3", direction="3,-4"),
        tutor.plot_descent("(w - 3)^2", start=0, rate=0.2, steps=8),
    ]


def test_tikz_compiles_with_pdflatex_and_fits_the_page():
    figs = _figures()
    body = "\n\n".join(f.to_tikz() for f in figs)
    result = pdflatex(DOC % body)
    assert result["ok"], result["errors"]
    assert result["overfull"] == []


def test_tikz_structure():
    fig = tutor.plot("1/x", tangent_at=1, range=(-2, 3))
    tikz = fig.to_tikz()
    assert tikz.startswith("\\begin{tikzpicture}\n\\begin{axis}[") and tikz.endswith("\\end{tikzpicture}\n")
    plots = re.findall(r"\\addplot\[color=\{rgb,255:red,31;green,119;blue,180\}", tikz)
    assert len(plots) == len(fig.curve("f")[0].pieces) == 2
    assert "\\addlegendentry{tangent at $x = 1$: $y = -x + 2$}" in tikz
    assert "title={$f(x) = \\frac{1}{x}$}" in tikz
    for x, y in re.findall(r"\((-?[\d.e+-]+),(-?[\d.e+-]+)\)", tikz):
        assert abs(float(y)) < 1e3     # cut to the window: TeX never meets a huge number
