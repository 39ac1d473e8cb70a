"""The grader's public face: what `tutor.grade` offers, and that no function shadows a module."""
from __future__ import annotations

import types

import tutor
import tutor.grade as grade


def test_public_names():
    from tutor.grade.equivalence import Options
    for name in ("check", "check_work", "clear_caches", "Verdict", "WorkVerdict", "Diagnosis",
                 "Options", "EXIT"):
        assert hasattr(grade, name), name
    assert grade.Options is Options
    assert tutor.check is grade.check and tutor.check_work is grade.check_work
    assert grade.EXIT == {"correct": 0, "incorrect": 1, "invalid": 2, "undetermined": 3}


def test_submodules_stay_modules():
    import tutor.grade.answer, tutor.grade.diagnose, tutor.grade.records, tutor.grade.reference  # noqa: E401, F401
    for name in ("answer", "diagnose", "equivalence", "misconceptions", "records", "reference"):
        assert isinstance(getattr(grade, name), types.ModuleType), name
