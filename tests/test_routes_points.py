"""Points, vectors, numbers and variable choices are read once (tutor/routes/points.py) and
mean the same in every route; number formatting for people is written once (render/common.py)."""
from fractions import Fraction

import pytest

from tutor.errors import TutorError, VariableError
from tutor.expr import Num, Sym
from tutor.language import parse
from tutor.render.common import fmt_decimal, fmt_number, fmt_significant, python_number
from tutor.routes import points

import tutor


def test_parse_point_reads_either_language():
    p = points.parse_point("x=pi/2, y=\\frac{1}{2}")
    assert set(p) == {"x", "y"}
    assert points.parse_point("") == {} and points.parse_point(None) == {}
    with pytest.raises(TutorError):
        points.parse_point("x")


def test_read_point_evaluates_and_checks_names():
    e = parse("x y")
    assert points.read_point(e, "x=1/3,y=2") == {"x": Fraction(1, 3), "y": Fraction(2)}
    assert points.read_point(e, {"x": 1, "y": Num(Fraction(2))}) == {"x": 1, "y": 2}
    with pytest.raises(VariableError, match="z is not a variable"):
        points.read_point(e, "x=1,y=2,z=3")
    with pytest.raises(VariableError, match="no value for y"):
        points.read_point(e, "x=1")


def test_normalise_point_keeps_trees_and_goes_float_on_a_float():
    pairs, floats = points.normalise_point({"x": "pi/2"}, ("x",))
    assert pairs == (("x", parse("pi/2")),) and floats == {}
    pairs, floats = points.normalise_point({"x": 0.5, "y": 2}, ("x", "y"))
    assert floats == {"x": 0.5, "y": 2.0}
    for bad in (True, float("nan"), Sym("y"), object()):
        with pytest.raises(VariableError):
            points.normalise_point({"x": bad}, ("x",))


def test_choose_variable_must_name_a_variable_of_the_expression():
    assert points.choose_variable(parse("w^2"), None) == "w"
    assert points.choose_variable(parse("x y"), "y") == "y"
    for e, var in (("x y", None), ("3", None), ("x", "z")):
        with pytest.raises(VariableError):
            points.choose_variable(parse(e), var)


def test_vectors_and_numbers():
    assert points.read_vector("2, 3, -1/2", 3) == [2, 3, Fraction(-1, 2)]
    assert points.read_vector([1, 0.5], 2) == [1, Fraction(1, 2)]
    with pytest.raises(TutorError):
        points.read_vector("1, pi", 2)
    with pytest.raises(TutorError):
        points.read_vector("1", 2)
    assert points.read_number("pi", "the rate") == pytest.approx(3.141592653589793)
    assert points.read_values("1,2", ("x", "y")) == (1.0, 2.0)
    assert points.read_values(3, ("w",)) == (3.0,)
    with pytest.raises(TutorError, match="the start point has 1 value"):
        points.read_values("1", ("x", "y"))


def test_number_formats():
    assert fmt_number(Fraction(-1, 32)) == "\u22121/32"
    assert fmt_number(Fraction(-1, 32), "latex") == "-\\frac{1}{32}"
    assert fmt_number(Fraction(-1, 32), "ascii") == "-1/32"
    assert fmt_number(0.5403023058681398) == "0.5403023059"
    assert fmt_decimal(Fraction(2, 3)) == "0.6666666667"
    assert fmt_significant(0.0) == "0" and fmt_significant(1 / 3) == "0.3333333333"
    assert python_number(Fraction(9)) == "9" and python_number(Fraction(1, 16)) == "0.0625"


@pytest.mark.parametrize("call", [
    lambda: tutor.finite_difference("x + y", "x=1"),
    lambda: tutor.dual_trace("x y", "x", "x=1"),
    lambda: tutor.backprop("x y", "x=1"),
    lambda: tutor.from_definition("x^2", at="x:3"),
    lambda: tutor.from_definition("x^2", table=True),
    lambda: tutor.tangent("x^2", None),
    lambda: tutor.plot_contours("x y", direction="1,1"),
])
def test_a_missing_or_bad_point_is_told_without_command_line_flags(call):
    """The same errors reach the CLI, Python and the classroom page (where a student types the
    point in a box): they show the point itself (x=1,y=1), not a flag of one front end."""
    with pytest.raises(tutor.TutorError) as exc:
        call()
    said = f"{exc.value.message} {exc.value.hint or ''}"
    assert "--" not in said and "=" in said, said
