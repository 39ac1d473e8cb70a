"""The new views of issue 10 compile and parse: high orders (one line per order, the cycle note),
the derivative at a point in function notation, steps and full detail broken at width, and
Markdown's long lines in `aligned`. pdflatex (no overfull box) and KaTeX are the judges."""
from __future__ import annotations

import re

from typeset import katex_errors, pdflatex

from tutor import differentiate

WIDE = "(x^2+1)(x-3)(2x+5)/((x^2-2)(x+7))"


def _latex_bodies():
    return [
        differentiate("sin(x)", order=59).to_latex(),
        differentiate("e^(2x) x", order=5).to_latex(),
        differentiate("cos(x)").at(x="pi/4").to_latex("brief"),
        differentiate("x^2 y", "x").at(x=1, y=2).to_latex("brief"),
        differentiate(WIDE).to_latex("steps"),
        differentiate(WIDE).to_latex("full"),
        differentiate("x^3 sin(x)").to_latex("brief"),
        differentiate("x^3", order=2).to_latex(),
    ]


def test_new_latex_compiles_within_the_page():
    body = "\\allowdisplaybreaks\n" + "\n\n".join(_latex_bodies())
    result = pdflatex(body, body=True)
    assert result["ok"], result["errors"]
    assert result["overfull"] == []


def test_new_latex_and_markdown_pass_katex():
    strings = []
    for tex in _latex_bodies():
        strings.append(tex.replace("\\begin{align*}", "\\begin{aligned}").replace("\\end{align*}", "\\end{aligned}"))
    for md in (differentiate(WIDE).to_markdown(), differentiate("sin(x)", order=59).to_markdown(),
               differentiate("1/w^2").at(w=4).to_markdown("brief")):
        assert "align*" not in md
        strings += re.findall(r"\$\$(.*?)\$\$", md)
    assert katex_errors(strings) == {}


def test_markdown_breaks_long_lines():
    md = differentiate(WIDE).to_markdown()
    assert "\\begin{aligned}" in md
