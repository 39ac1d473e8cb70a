"""The slope prefilter (diagnose._slope_differs) builds its shifted points without splicing
tuples when the problem has one variable; the points the answer is evaluated at must be the
very points the general splice makes (head + (t + s h,) + tail), for one variable and more."""
from __future__ import annotations

from unittest import mock

import pytest

from tutor.grade import diagnose
from tutor.grade.equivalence import Options
from tutor.grade.reference import reference_for
from tutor.language import parse


def _spliced(ref, points: int) -> list[tuple]:
    """The general splice's points, in the prefilter's order, for the first `points` points."""
    i = ref.sample.variables.index(ref.var)
    out = []
    for p in ref.sample.points[:points]:
        t = p[i]
        h = diagnose.SLOPE_STEP * (abs(t) + 1.0)
        out += [p[:i] + (t + s * h,) + p[i + 1:] for s in (1.0, -1.0, 0.5, -0.5)]
    return out


@pytest.mark.parametrize("f, var, answer", [
    ("x^2 sin(x)", None, "-x^2 cos(x) + 2x sin(x) + 2cos(x)"),
    ("x^2 sin(x)", None, "-(2x sin(x) + x^2 cos(x))"),
    ("x*y^2", "x", "x^2 y^2 / 2 + y"),
    ("x*y^2", "y", "x y^3 / 3"),
])
def test_slope_points_are_the_general_splice(f, var, answer):
    ref = reference_for(f, var, 1, "auto", Options())
    seen = []
    real = diagnose.compile_float

    def recording(e, variables, **kw):
        fn = real(e, variables, **kw)

        def rec(p):
            seen.append(p)
            return fn(p)
        return rec
    with mock.patch.object(diagnose, "compile_float", recording):
        diagnose._slope_differs(parse(answer), ref)
    assert seen
    assert len(seen) % 4 == 0
    assert seen == _spliced(ref, len(seen) // 4)
    assert all(type(p) is tuple and len(p) == len(ref.sample.variables) for p in seen)
