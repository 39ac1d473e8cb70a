"""Gradients, directional derivatives and Hessians: seed 002/003 goldens, SymPy oracle."""
import json
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, HealthCheck, strategies as st

from conftest import to_sympy
from tutor.cli import main
from tutor.errors import TutorError, VariableError
from tutor.expr import Add, Call, Mul, Num, Pow, Sym
from tutor.routes.multivar import gradient
from tutor.printing import to_text
from tutor.solve import differentiate

X, Y, Z = sympy.symbols("x y z")


def test_seed_002_partials_hold_others_constant():
    sol = differentiate("sin(w1) w2 (1 - w2)", "w1")
    assert "w2 (1 - w2) does not depend on w1: it is a constant factor" in sol.to_text()
    g = gradient("sin(w1) w2 (1 - w2)", at="w1=0,w2=0.5")
    assert g.variables == ("w1", "w2")
    assert [a.value for a in g.values] == [Fraction(1, 4), 0]
    w1, w2 = sympy.symbols("w1 w2")
    f = sympy.sin(w1) * w2 * (1 - w2)
    for v, e in zip((w1, w2), g.vector):
        assert sympy.simplify(to_sympy(e) - sympy.diff(f, v)) == 0


def test_seed_003_directional_derivative():
    # seed 003 leaves f(x, y, z) abstract: D_v f = 2 df/dx + 3 df/dy - df/dz, normalised by |v| = sqrt(14)
    g = gradient("x^2 y + y z^3", along="2,3,-1", at={"x": 1, "y": 2, "z": -1})
    d = g.direction
    assert d.norm_squared == 14 and to_text(d.norm) == "sqrt(14)"
    assert [to_text(u) for u in d.unit][:2] == ["2/sqrt(14)", "3/sqrt(14)"]
    f = X**2 * Y + Y * Z**3
    expected = (2 * sympy.diff(f, X) + 3 * sympy.diff(f, Y) - sympy.diff(f, Z)) / sympy.sqrt(14)
    assert sympy.simplify(to_sympy(g.directional) - expected) == 0
    exact, value = g.directional_value
    assert sympy.simplify(to_sympy(exact) - expected.subs({X: 1, Y: 2, Z: -1})) == 0
    assert abs(value - 2 / 14 ** 0.5) < 1e-15
    text = g.to_text()
    assert "|v| = sqrt(2^2 + 3^2 + (-1)^2) = sqrt(14) ≈ 3.741657387" in text
    assert "u = v/|v| = (2/sqrt(14), 3/sqrt(14)" in text


def test_rational_norm_and_square_factor():
    g = gradient("x y", along="3,4")
    assert to_text(g.direction.norm) == "5" and [to_text(u) for u in g.direction.unit] == ["3/5", "4/5"]
    g = gradient("x y", along="2,4")
    assert to_text(g.direction.norm) == "2 sqrt(5)"


def test_hessian_and_mixed_partial_cli(capsys):
    g = gradient("x^2 y^3", hessian=True, at="x=1,y=2")
    assert [[a.value for a in row] for row in g.hessian_values] == [[16, 24], [24, 12]]
    assert differentiate("x^2 y^3", "x,y").answer == g.hessian[0][1].answer
    assert main(["diff", "x^2 y^3", "--var", "x,y"]) == 0
    assert "6x y^2" in capsys.readouterr().out


def test_errors():
    with pytest.raises(TutorError) as info:
        gradient("x y", along="0,0")
    assert info.value.message == "the direction (0, 0) has length 0: it cannot be normalised"
    with pytest.raises(TutorError) as info:
        gradient("x y", along="1,2,3")
    assert info.value.message == "the direction has 3 components but there are 2 variables"
    with pytest.raises(VariableError):
        gradient("x y", at="x=1")
    with pytest.raises(VariableError):
        gradient("5")


def test_renderers_and_cli(capsys):
    g = gradient("x^2 y + y z^3", along="2,3,-1", at="x=1,y=2,z=-1", hessian=True)
    assert "\\begin{bmatrix}" in g.to_latex() and "\\nabla f" in g.to_markdown()
    d = g.to_dict()
    assert d["schema"] == "tutor.gradient/1" and d["direction"]["norm"]["text"] == "sqrt(14)"
    json.dumps(d)
    for fmt in ("text", "latex", "markdown", "json"):
        assert main(["grad", "x^2 y", "--at", "x=1,y=2", "--along", "1,1", "--hessian", "--format", fmt]) == 0
    assert main(["grad", "x^2 y", "--detail", "full"]) == 0
    capsys.readouterr()


# ---------------------------------------------------------------- oracle

_atoms = st.sampled_from([Sym("x"), Sym("y"), Sym("z"), Num(2), Num(3)])


def _combine(kids):
    return st.one_of(
        st.tuples(kids, kids).map(lambda t: Add(t)),
        st.tuples(kids, kids).map(lambda t: Mul(t)),
        st.tuples(kids, st.integers(2, 3)).map(lambda t: Pow(t[0], Num(t[1]))),
        st.tuples(st.sampled_from(["sin", "cos", "exp"]), kids).map(lambda t: Call(t[0], (t[1],))),
    )


poly_trig = st.recursive(_atoms, _combine, max_leaves=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(poly_trig)
def test_gradient_and_hessian_match_sympy(e):
    g = gradient(e, vars="x,y,z", hessian=True)
    f = to_sympy(e)
    for v, d in zip((X, Y, Z), g.vector):
        assert sympy.simplify(to_sympy(d) - sympy.diff(f, v)) == 0
    for i, vi in enumerate((X, Y, Z)):
        for j, vj in enumerate((X, Y, Z)):
            assert sympy.simplify(to_sympy(g.hessian_matrix[i][j]) - sympy.diff(f, vi, vj)) == 0


def test_worked_values_at_a_point_are_not_headed_twice():
    """At normal detail each partial's value is worked under its own 'At x = 1, y = 0:'; the
    gradient's value comes after them under its heading, never two headings in a row."""
    import re
    g = gradient("x^2 y + sin(y)", None, "x=1,y=0")
    lines = [ln for ln in g.to_text("normal").splitlines() if ln.strip()]
    heads = [i for i, ln in enumerate(lines) if ln.startswith("At x = 1, y = 0:")]
    assert len(heads) == 3 and all(b - a > 1 for a, b in zip(heads, heads[1:]))
    assert lines[heads[-1] + 1].strip().startswith("grad f = (0, 2)")
    html = g.to_html("normal", standalone=False)
    assert not re.search(r'<p class="tutor-heading">At [^\n]*?</p><section class="tutor-atpoint">'
                         r'<p class="tutor-heading">At ', html)
    assert html.count('<p class="tutor-heading">At ') == 3
