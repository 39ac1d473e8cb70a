"""Every command's LaTeX compiles with a real pdflatex, and every maths string in it passes KaTeX.

Why one pdflatex run per command: a run costs a second or two on a loaded machine; the bodies of
a command's handful of inputs go into one article page, each under its own heading, and the
errors are attributed back by the heading nearest before the failing line.
"""
from __future__ import annotations

import json
import re

import pytest

from tutor.cli import main
from typeset import katex_errors, pdflatex

#: command -> argument lists (the seed examples and a few that reach notes, kinks, tables)
CASES = {
    "dual": [["x*y + max(y, z)", "--wrt", "x", "--at", "x=2,y=3,z=-1"],
             ["w^2", "--wrt", "w", "--at", "w=3"],
             ["abs(x) + max(x, 0)", "--wrt", "x", "--at", "x=1"],
             ["sin(x) e^x / (1 + x^2)", "--wrt", "x", "--at", "x=-1/2"]],
    "backprop": [["x*y + max(y, z)", "--at", "x=2,y=3,z=-1"],
                 ["w^2", "--at", "w=3"],
                 ["relu(x) + abs(x)", "--at", "x=2"],
                 ["sin(x y) + x^2", "--at", "x=1/2,y=pi"]],
    "numeric": [["w^2", "--at", "w=3"],
                ["abs(w) + e^w", "--at", "w=-2"],
                ["1/w", "--at", "w=0.001", "--eps", "1e-5"],
                ["sin(w)", "--at", "w=pi/4"]],
    "descend": [["w1^2 + w2^2", "--var", "w1,w2", "--start", "1,2", "--rate", "0.1", "--steps", "3"],
                ["w^2", "--start", "3", "--rate", "0.1", "--steps", "4"],
                ["w^2", "--start", "3", "--rate", "1.5", "--steps", "40"],
                ["(w - 1)^2", "--start", "0", "--rate", "0.5"]],
    "grad": [["w1^2 + w2^2", "--at", "w1=1,w2=2"],
             ["w1^2 + w2^2", "--at", "w1=1,w2=2", "--along", "1,1", "--hessian"],
             ["x y + sin(x) z", "--hessian"],
             ["x^2 y", "--detail", "full", "--at", "x=1,y=-1/2"]],
    "diff": [["w^2", "--at", "w=3"],
             ["sin(x^2)", "--at", "x=pi"],
             ["x^3 - 2x", "--at", "x=-2", "--order", "2"],
             ["ln(x)", "--at", "x=e", "--detail", "full"]],
    "definition": [["w^2", "--at", "w=3"],
                   ["x^3 - x", "--at", "x=2", "--table"],
                   ["1/x"],
                   ["sqrt(x)", "--at", "x=4"]],
    "implicit": [["x^2 + y^2 = 25", "--at", "x=3,y=4"],
                 ["x y + y^2 = 1"],
                 ["x^3 + y^3 = 6 x y", "--order", "2"]],
    "tangent": [["x^2", "--at", "x=2", "--normal"],
                ["x^2 + y^2 = 25", "--at", "x=3,y=4", "--normal"],
                ["sin(x)", "--at", "x=pi/6"]],
}


def _run(capsys, argv: list[str]) -> str:
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0, (argv, out)
    return out


def _maths(body: str) -> list[str]:
    """The maths strings of a LaTeX body: each `\\[...\\]` display and each `$...$`."""
    display = r"\\\[(.*?)\\\]|\\begin\{(align\*|equation\*|gather\*)\}(.*?)\\end\{\2\}"
    displays = [m.group(1) if m.group(1) is not None else m.group(0)   # KaTeX reads align*
                for m in re.finditer(display, body, re.S)]
    rest = re.sub(display, " ", body, flags=re.S)
    rest = rest.replace("\\$", "")
    inline = re.findall(r"\$(.+?)\$", rest, re.S)
    return [s.strip() for s in displays + inline if s.strip()]


def _bodies(capsys, command: str) -> list[tuple[str, str]]:
    return [(" ".join(args), _run(capsys, [command, args[0], *args[1:], "--format", "latex"]))
            for args in CASES[command]]


def _compile(cases: list[tuple[str, str]]) -> dict:
    doc = "\n\n".join(f"\\section*{{Case {i}}}\n{body}" for i, (_, body) in enumerate(cases))
    return pdflatex(doc, body=True)


@pytest.mark.parametrize("command", sorted(CASES))
def test_every_commands_latex_compiles_and_passes_katex(command, capsys):
    cases = _bodies(capsys, command)
    result = _compile(cases)
    assert result["ok"], (command, result["errors"], result["log"][-3000:])
    strings = [s for _, body in cases for s in _maths(body)]
    assert strings
    assert katex_errors(strings) == {}


def test_descend_latex_is_latex_not_markdown(capsys):
    args = CASES["descend"][0]
    latex = _run(capsys, ["descend", *args, "--format", "latex"])
    markdown = _run(capsys, ["descend", *args, "--format", "markdown"])
    assert latex != markdown
    assert "\\begin{tabular}" in latex and "|---" not in latex
    assert "$w_{1} = 0.512, w_{2} = 1.024$" in latex         # the result, in maths


def test_multi_line_markdown_never_nests_align_in_dollars(capsys):
    for command, cases in CASES.items():
        for args in cases[:2]:
            md = _run(capsys, [command, *args, "--format", "markdown"])
            for block in re.findall(r"\$\$(.*?)\$\$", md, re.S):
                assert not re.search(r"\\begin\{align\*?\}", block), (command, args, block)


@pytest.mark.parametrize("function, answer", [
    ("x^2 sin(x)", "2x sin(x)"), ("x^2", "2x"), ("sin(x^2)", "cos(x^2)"), ("cos(x^2)", "sin(x^2) 2x"),
    ("ln(x^2 + 1)", "1/(x^2 + 1)"), ("e^x", "x e^(x-1)"), ("x^3", "3x^2 + y"),
    ("sqrt(x)", "1/sqrt(x) ^ _ & %"), ("x^2", "d/dx x^2"), ("1/x", "ln(x)")])
def test_the_verdicts_feedback_latex_is_maths_that_compiles(function, answer, capsys):
    main(["check", function, answer, "--format", "json"])
    verdict = json.loads(capsys.readouterr().out)
    latex = verdict["feedback"]["latex"]
    assert katex_errors([latex]) == {}
    result = pdflatex(f"${latex}$", body=True)
    assert result["ok"], (latex, result["errors"])


def test_feedback_latex_writes_the_numbers_and_derivatives_as_maths():
    from tutor.grade.records import feedback_latex
    got = feedback_latex("Not correct: at x = 0.275357 the derivative is 1e-07, your answer "
                         "gives -0.149734. The right step is d/dx[sin(x^2)] = cos(x^2) (2x).")
    assert "\\text{Not correct: at }x = 0.275357" in got
    assert "1 \\times 10^{-7}" in got and "}-0.149734\\text" in got
    assert "\\frac{d}{dx}\\left[\\sin\\left(x^{2}\\right)\\right] = \\cos" in got
    assert "x = 0.275357" not in re.findall(r"\\text\{([^}]*)\}", got)


def test_tikz_names_its_packages_and_compiles_standalone(capsys):
    tikz = _run(capsys, ["backprop", "x*y + max(y, z)", "--at", "x=2,y=3,z=-1", "--format", "tikz"])
    assert "\\usepackage{tikz}" in tikz.splitlines()[0] and tikz.startswith("%")
    import shutil
    import subprocess
    if subprocess.run(["kpsewhich", "tikz.sty"], capture_output=True, text=True).stdout.strip() == "" \
            or shutil.which("pdflatex") is None:
        pytest.skip("TikZ (pgf) is not installed")
    body = "\n".join(line for line in tikz.splitlines() if not line.startswith("%"))
    doc = "\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n" + body + "\n\\end{document}\n"
    result = pdflatex(doc)
    assert result["ok"], result["errors"]


def test_definition_notes_keep_relations_inside_the_maths(capsys):
    latex = _run(capsys, ["definition", "w^2", "--at", "w=3", "--format", "latex"])
    assert "at $w = 3$" in latex and "($h \\neq 0$ inside the limit)" in latex
    assert "$w$ = $3$" not in latex
