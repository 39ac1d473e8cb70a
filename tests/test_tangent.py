"""Tangent and normal lines against SymPy (y = f(a) + f'(a)(x - a)), exact values, every
printed line an equation that holds, vertical tangents, the domain, the CLI, the checker."""
from __future__ import annotations

import json
import random
import re
from fractions import Fraction

import pytest
import sympy

from conftest import to_sympy
from tutor.cli import main
from tutor.errors import DomainError, TutorError, VariableError
from tutor.language import parse
from tutor.printing import to_text
from tutor.routes.tangent import same_line, tangent


def _same(a, b, var="x") -> bool:
    """Equal as functions of var: the difference vanishes at four points (30 digits)."""
    x = sympy.Symbol(var)
    d = a - b
    return all(abs(complex(d.subs(x, v).evalf(30))) < 1e-20
               for v in (sympy.Rational(3, 7), sympy.Rational(5, 4), sympy.Rational(-2, 3), 3))


def _oracle_line(f: str, var: str, a):
    x = sympy.Symbol(var)
    fs = to_sympy(parse(f))
    a = sympy.nsimplify(a)
    m = sympy.diff(fs, x).subs(x, a)
    return sympy.simplify(fs.subs(x, a) + m * (x - a)), m, x


FUNCTIONS = ["x^2", "x^3 - 2x + 1", "1/x", "sqrt(x)", "sin(x)", "cos(x^2)", "e^x", "ln(x)",
             "x e^x", "(x + 1)/(x - 1)", "tan(x)", "x^2 sin(x)", "atan(x)", "2^x", "cbrt(x + 7)"]


@pytest.mark.parametrize("f", FUNCTIONS)
@pytest.mark.parametrize("a", ["1/2", "3/4"])
def test_tangent_matches_sympy(f, a):
    t = tangent(f, f"x={a}", normal=True)
    line, m, x = _oracle_line(f, "x", a)
    assert _same(to_sympy(t.tangent.rhs), line)
    assert _same(to_sympy(t.tangent.point_slope), line)
    assert abs(complex((to_sympy(t.slope) - m).evalf(30))) < 1e-20
    if m != 0:  # the normal: slope -1/m through the same point
        normal = to_sympy(parse(f)).subs(x, sympy.nsimplify(a)) - (x - sympy.nsimplify(a)) / m
        assert _same(to_sympy(t.normal.rhs), normal)


def test_generated_polynomials_and_rationals():
    rng = random.Random(7)
    for _ in range(15):
        coeffs = [rng.randint(-5, 5) for _ in range(rng.randint(2, 4))]
        f = " + ".join(f"({c}) x^{k}" for k, c in enumerate(coeffs))
        if rng.random() < 0.4:
            f = f"({f})/(x^2 + 1)"
        a = Fraction(rng.randint(-9, 9), rng.randint(1, 5))
        t = tangent(f, {"x": a})
        line, m, _ = _oracle_line(f, "x", str(a))
        assert _same(to_sympy(t.tangent.rhs), line)
        # exact: a rational slope prints as a fraction, never a decimal
        assert "." not in to_text(t.tangent.rhs)


def test_seed_one_over_w_squared():
    t = tangent("1/w^2", "w=4")
    assert to_text(t.tangent.rhs) == "-w/32 + 3/16"
    assert to_text(t.slope) == "-1/32" and to_text(t.point[1][1]) == "1/16"
    text = t.to_text()
    assert "y = -w/32 + 3/16" in text and "f(4) = 1/4^2" in text and "f'(4) = -2/4^3" in text
    latex = t.to_latex()
    assert "y &= -\\frac{w}{32} + \\frac{3}{16}" in latex
    d = json.loads(t.to_json())
    assert d["schema"] == "tutor.tangent/1"
    assert d["tangent"]["rhs"]["text"] == "-w/32 + 3/16"
    assert set(d["slope"]) == {"text", "latex", "sympy"} and d["point"]["w"]["text"] == "4"
    assert sympy.sympify(d["tangent"]["rhs"]["sympy"]) == -sympy.Symbol("w") / 32 + sympy.Rational(3, 16)


def test_exact_irrational_values():
    t = tangent("sin(x)", "x=pi/6")
    line, _, _ = _oracle_line("sin(x)", "x", sympy.pi / 6)
    assert sympy.simplify(to_sympy(t.tangent.rhs) - line) == 0
    assert "." not in to_text(t.tangent.rhs)  # exact: cos(pi/6), never 0.866...


def _check_printed_lines(t, text):
    """Every `lhs = rhs` line of the text output holds (f(a), f'(a), the lines at a point)."""
    fs = to_sympy(t.function)
    x = sympy.Symbol(t.var)
    (_, a), _ = t.point
    a = to_sympy(a)
    values = {"f": fs.subs(x, a), "f'": sympy.diff(fs, x).subs(x, a)}
    current = None
    for raw in text.splitlines():
        body = raw.split("    [")[0].strip()
        head = re.match(r"^(f'?)\(([^)]*)\) = (.*)$", body)
        if head and head.group(2) == to_text(t.point[0][1]):
            current = values[head.group(1)]
            rhs = head.group(3)
        elif body.startswith("= ") and current is not None:
            rhs = body[2:]
        else:
            current = None if not body.startswith("=") else current
            continue
        assert abs(complex((to_sympy(parse(rhs)) - current).evalf(30))) < 1e-20, raw


@pytest.mark.parametrize("f, at", [("1/w^2", "w=4"), ("x^3 - 2x", "x=-1/2"), ("sqrt(x + 1)", "x=3"),
                                   ("cos(x^2)", "x=1"), ("e^(2x)", "x=0")])
def test_every_printed_line_holds(f, at):
    t = tangent(f, at, normal=True)
    text = t.to_text("brief")
    _check_printed_lines(t, text)
    for line in (t.tangent, t.normal):
        if line.vertical:
            continue
        assert _same(to_sympy(line.point_slope), to_sympy(line.rhs), t.var)
        rows = [r for r in text.splitlines() if r.strip().startswith("y = ")]
        for r in rows:
            assert "y = " + to_text(line.rhs) in text
    for r in text.splitlines():
        if r.strip().startswith("y = "):
            rhs = to_sympy(parse(r.strip()[4:].split("    [")[0]))
            assert any(_same(rhs, to_sympy(l.rhs), t.var) for l in (t.tangent, t.normal))


def test_horizontal_tangent_has_vertical_normal():
    t = tangent("x^2 - 4x", "x=2", normal=True)
    assert to_text(t.tangent.rhs) == "-4" and t.normal.vertical and to_text(t.normal.rhs) == "2"
    assert "x = 2" in t.to_text()


def test_vertical_tangents():
    for f, a in (("cbrt(x)", "x=0"), ("sqrt(x)", "x=0"), ("cbrt(x - 1)", "x=1")):
        t = tangent(f, a, normal=True)
        assert t.slope is None and t.tangent.vertical and not t.normal.vertical
        assert "vertical" in t.to_text()
        assert json.loads(t.to_json())["tangent"]["vertical"] is True


def test_domain_and_kinks():
    with pytest.raises(DomainError) as err:
        tangent("ln(x)", "x=-1")
    assert "undefined" in err.value.message
    with pytest.raises(DomainError):
        tangent("abs(x)", "x=0")
    with pytest.raises(TutorError):
        tangent("x^2", None)
    with pytest.raises(VariableError):
        tangent("x^2", "t=1")


def test_implicit_curve():
    t = tangent("x^2 + y^2 = 25", "x=3,y=4", normal=True)
    assert t.implicit and to_text(t.tangent.rhs) == "-3x/4 + 25/4" and to_text(t.normal.rhs) == "4x/3"
    assert "dy/dx" in t.to_text()
    assert json.loads(t.to_json())["equation"]["rhs"]["text"] == "25"
    folium = tangent("x^3 + y^3 = 6x y", "x=3,y=3")
    assert to_text(folium.tangent.rhs) == "-x + 6"


def test_same_line():
    t = tangent("1/w^2", "w=4", normal=True)
    assert same_line("y = 3/16 - w/32", t)
    assert same_line("(6 - w)/32", t)
    assert not same_line("y = -w/32", t)
    assert same_line("y = 32w - 2047/16", t, "normal")
    h = tangent("x^2", "x=0", normal=True)
    assert same_line("x = 0", h, "normal") and not same_line("x = 1", h, "normal")


def test_cli(capsys):
    assert main(["tangent", "1/w^2", "--at", "w=4"]) == 0
    assert "y = -w/32 + 3/16" in capsys.readouterr().out
    assert main(["tangent", "x^2 + y^2 = 25", "--at", "x=3,y=4", "--normal", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["normal"]["rhs"]["text"] == "4x/3"
    for fmt in ("latex", "markdown"):
        assert main(["tangent", "sin(x)", "--at", "x=0", "--format", fmt, "--normal"]) == 0
    assert main(["tangent", "ln(x)", "--at", "x=0"]) == 2
    err = capsys.readouterr().err
    assert "undefined" in err and "Traceback" not in err
    assert main(["tangent", "x^2 + y^2 = 25", "--at", "x=3,y=3"]) == 2


def test_standalone_latex_compiles(tmp_path):
    """The standalone LaTeX of both routes compiles (skipped where pdflatex is missing)."""
    import shutil
    import subprocess
    from tutor.routes.implicit import implicit
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    docs = {"implicit": implicit("x^2 + y^2 = 25", at="x=3,y=4", order=2, prime=True).to_latex(standalone=True),
            "vertical": tangent("x^2 + y^2 = 25", "x=5,y=0", normal=True).to_latex(standalone=True),
            "tangent": tangent("1/w^2", "w=4", normal=True).to_latex(standalone=True)}
    for name, doc in docs.items():
        (tmp_path / f"{name}.tex").write_text(doc, encoding="utf-8")
        run = subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode", f"{name}.tex"],
                             cwd=tmp_path, capture_output=True, timeout=60)
        assert run.returncode == 0, run.stdout.decode(errors="replace")[-2000:]
