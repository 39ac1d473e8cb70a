"""The request schemas' examples: the hint a malformed request gets is a body that works.

No server and no [serve] extra here (tests/test_service.py asks the real one): `validate` is
what the endpoints run before a job is made, and every example must pass it, for every
endpoint there is.
"""
import json

import pytest

from tutor.service.schemas import ALL_ENDPOINTS, EXAMPLES, FieldError, example_hint, validate


def test_every_endpoint_has_an_example():
    assert set(EXAMPLES) == set(ALL_ENDPOINTS)


@pytest.mark.parametrize("op", sorted(EXAMPLES))
def test_each_example_is_a_valid_body_with_every_required_field(op):
    body = EXAMPLES[op]
    assert validate(op, body)
    required = {name for name, f in ALL_ENDPOINTS[op].items() if f.required}
    assert required <= set(body), f"{op}'s example lacks {required - set(body)}"
    assert example_hint(op) == "send e.g. " + json.dumps(body)


@pytest.mark.parametrize("body, field", [([1, 2], None), ({"answer": "2x"}, "function")])
def test_a_body_that_is_not_a_request_hints_the_example(body, field):
    with pytest.raises(FieldError) as exc:
        validate("check", body)
    assert exc.value.field == field
    assert exc.value.hint == 'send e.g. {"function": "x^2", "answer": "2x"}'


def test_a_wrong_field_value_names_the_field_without_the_example():
    with pytest.raises(FieldError) as exc:
        validate("check", {"function": "x^2", "answer": "2x", "order": 0})
    assert exc.value.field == "order" and exc.value.hint is None
