"""`tutor plot`: svg and tikz to stdout, files with -o, binary never to a terminal, and every
wrong combination of options an exact message with the documented exit status."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tutor.cli import EXIT_USAGE, main


def test_tikz_to_stdout(capsys):
    assert main(["plot", "1/x", "--tangent-at", "1", "--secants-at", "1", "--h", "1,0.5",
                 "--format", "tikz"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\\begin{tikzpicture}") and out.count("\\addlegendentry{secant") == 2


def test_svg_is_the_default(capsys):
    pytest.importorskip("matplotlib")
    assert main(["plot", "x^3 - 3x", "--derivative"]) == 0
    assert "<svg" in capsys.readouterr().out


@pytest.mark.parametrize("name,magic", [("f.png", b"\x89PNG"), ("f.pdf", b"%PDF"), ("f.svg", b"<?xml"),
                                        ("f.tikz", b"\\begin")])
def test_output_file_format_from_its_suffix(tmp_path, capsys, name, magic):
    if not name.endswith(".tikz"):
        pytest.importorskip("matplotlib")
    path = tmp_path / name
    assert main(["plot", "x^2+3y^2", "--at", "x=1,y=2", "--direction", "1,1", "--descent",
                 "--start", "2,1", "--steps", "5", "-o", str(path)]) == 0
    assert path.read_bytes().startswith(magic)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"tutor plot: wrote {path} (")


def test_png_refuses_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert main(["plot", "x^2", "--format", "png"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == ("tutor plot: png is binary and standard output is a terminal: write it to a file\n"
                   "hint: add -o plot.png, or pipe it: tutor plot ... > plot.png\n")


def test_png_goes_down_a_pipe(tmp_path):
    pytest.importorskip("matplotlib")
    r = subprocess.run([sys.executable, "-m", "tutor", "plot", "x^2", "--format", "png"],
                       capture_output=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout[:4] == b"\x89PNG"


@pytest.mark.parametrize("argv,status,message", [
    (["plot", "x^2+y", "--derivative"], EXIT_USAGE,
     "--derivative is for a function of one variable (this one has two: x, y)"),
    (["plot", "x^2", "--at", "x=1"], EXIT_USAGE, "--at is for level curves of a function of two variables"),
    (["plot", "x^2", "--direction", "1,1"], EXIT_USAGE, "--direction is for level curves of a function of two variables"),
    (["plot", "x^2", "--h", "1"], EXIT_USAGE, "--h is for the secants: give --secants-at too"),
    (["plot", "x^2", "--start", "1"], EXIT_USAGE, "--start is for gradient descent: give --descent too"),
    (["plot", "x^2", "--descent", "--tangent-at", "1"], EXIT_USAGE, "--tangent-at is not for a descent picture"),
    (["plot", "x y", "--yrange", "0,1"], EXIT_USAGE, "--yrange needs --range (the x range) too"),
    (["plot", "x^2", "-o", "f.jpg"], EXIT_USAGE, "cannot tell the format of 'f.jpg' from its suffix\n"
     "hint: use --format svg|png|pdf|tikz, or a .svg/.png/.pdf/.tikz name"),
    (["plot", "x^2", "--range", "3,1", "--format", "tikz"], 2,
     "the range must go from a smaller to a larger number, not 3,1"),
    (["plot", "x^2", "--range", "a,b", "--format", "tikz"], 2, "the range must be a number, not 'a'"),
    (["plot", "ln x", "--tangent-at", "-1", "--format", "tikz"], 2,
     "the function ln(x) is undefined at x = -1, so it has no derivative there: ln is undefined at -1 (its argument must be > 0)"),
    (["plot", "x^2", "--secants-at", "1", "--h", "0", "--format", "tikz"], 2,
     "h must not be 0: a secant needs two different points"),
    (["plot", "x y z", "--format", "tikz"], 2, "a picture is of one or two variables; this function has 3 (x, y, z)"),
])
def test_errors_are_exact(capsys, argv, status, message):
    assert main(argv) == status
    assert capsys.readouterr().err.endswith(f"tutor plot: {message}\n")


def test_bad_expression_has_the_caret(capsys):
    assert main(["plot", "x^2 +", "--format", "tikz"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tutor plot: ") and "^" in err


def test_from_another_directory(tmp_path):
    r = subprocess.run([sys.executable, "-m", "tutor", "plot", "sin x", "--derivative", "--format", "tikz"],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0 and "\\end{tikzpicture}" in r.stdout


def test_latex_input(capsys):
    assert main(["plot", "\\frac{1}{x^2}", "--input", "latex", "--format", "tikz"]) == 0
    out = capsys.readouterr().out
    assert "title={$f(x) = \\frac{1}{x^{2}}$}" in out


def test_two_variables_without_a_start_say_so(capsys):
    assert main(["plot", "x^2 + 3y^2", "--descent", "--format", "tikz"]) == 2
    assert capsys.readouterr().err == ("tutor plot: the start point has 1 value but there are 2 "
                                       "variables (x, y)\n")
