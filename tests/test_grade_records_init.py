"""The hand-written `__init__` of the records a check makes (Verdict, Diagnosis, Comparison,
Shape) is the one `dataclass` would generate: the same parameters in the same order with the
same defaults, every field set, still frozen, equal, hashable and picklable as before."""
from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from tutor.grade.answer import Shape
from tutor.grade.equivalence import Comparison
from tutor.grade.records import Diagnosis, Verdict

RECORDS = [Verdict, Diagnosis, Comparison, Shape]


def _generated(cls):
    """The same fields as cls, in a dataclass whose __init__ IS generated."""
    return dataclasses.make_dataclass(
        "Generated" + cls.__name__,
        [(f.name, f.type, dataclasses.field(default=f.default)) if f.default is not dataclasses.MISSING
         else (f.name, f.type) for f in dataclasses.fields(cls)], frozen=True)


@pytest.mark.parametrize("cls", RECORDS)
def test_the_signature_is_the_generated_one(cls):
    mine = inspect.signature(cls.__init__).parameters
    theirs = inspect.signature(_generated(cls).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in mine.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


@pytest.mark.parametrize("cls", RECORDS)
def test_every_field_is_set_frozen_equal_and_picklable(cls):
    names = [f.name for f in dataclasses.fields(cls)]
    required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    values = {name: f"value of {name}" for name in names}
    a, b = cls(**values), cls(*values.values())
    assert vars(a) == values == dataclasses.asdict(b)
    assert a == b and hash(a) == hash(b)
    assert pickle.loads(pickle.dumps(a)) == a
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, names[0], "changed")
    short = cls(*(values[name] for name in required))
    assert vars(short) == vars(_generated(cls)(*(values[name] for name in required)))
    assert dataclasses.replace(a, **{names[-1]: "other"}) == cls(**{**values, names[-1]: "other"})
