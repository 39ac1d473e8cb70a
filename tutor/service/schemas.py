"""What each endpoint accepts, checked before any work, and the OpenAPI document made from it.

    validate(op, body) -> args      raises FieldError (HTTP 422) naming the field and the fix
    openapi(version) -> dict        the document served at /openapi.json

One table (`ENDPOINTS`) is the single source: the validator and the OpenAPI request schemas
both read it, so the document cannot drift from what the server does. Unknown fields are
refused (a misspelt `anwser` must not grade the empty answer). `options` may tighten the
grader's size limits, never loosen them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

INPUTS = ("auto", "calc", "latex")


class FieldError(Exception):
    def __init__(self, message: str, field: str | None = None, code: str = "field",
                 hint: str | None = None):
        super().__init__(message)
        self.message, self.field, self.code, self.hint = message, field, code, hint


@dataclass(frozen=True)
class F:
    kind: str                 # string names integer number numberish boolean point vector lines enum
    doc: str
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()


_INPUT = F("enum", "input language of the expressions (default auto: LaTeX if it has a backslash)",
           choices=INPUTS)
_ORDER = F("integer", "order of the derivative (default 1)", lo=1, hi=20)
_LOG10 = F("boolean", "read a plain log as log base 10 (default false: natural log)")

ENDPOINTS: dict[str, dict[str, F]] = {
    "check": {
        "function": F("string", "the function to differentiate (the problem)", True),
        "answer": F("string", "the student's derivative (calculator syntax or LaTeX)", True),
        "var": F("string", "the variable (default: the only one in the function)"),
        "order": _ORDER, "input": _INPUT,
        "allow_calculus": F("boolean", "accept d/dx[...] and ' in the answer (default false)"),
        "log10": _LOG10,
        "options": F("options", "grader knobs (tutor.grade.Options); limits may only be tightened"),
    },
    "check-work": {
        "function": F("string", "the function to differentiate", True),
        "lines": F("lines", "the working: a list of lines (or one string with newlines), each '= ...'", True),
        "var": F("string", "the variable"), "order": _ORDER, "input": _INPUT, "log10": _LOG10,
        "options": F("options", "grader knobs (tutor.grade.Options)"),
    },
    "diff": {
        "expr": F("string", "the function", True),
        "var": F("names", "the variable, or a list / 'x,y' for a mixed partial"),
        "order": _ORDER,
        "detail": F("enum", "steps' detail in the solution (default full)", choices=("brief", "normal", "steps", "full")),
        "at": F("point", "evaluate the derivative at a point: {\"x\": 2} or \"x=2\""),
        "input": _INPUT, "log10": _LOG10,
    },
    "numeric": {
        "expr": F("string", "the function", True),
        "at": F("point", "the point, e.g. {\"w\": 3} or \"w=3\"", True),
        "var": F("string", "the variable"), "eps": F("numberish", "epsilon (default 0.001)"),
        "digits": F("digits", "decimals of k in the summary line J = ..., dJ_dw ~= k (default 6), or \"full\""),
        "input": _INPUT,
    },
    "gradient": {
        "expr": F("string", "the function", True),
        "vars": F("names", "the variables in order (default: all, in order of appearance)"),
        "at": F("point", "a point"), "along": F("vector", "a direction, e.g. [2, 3, -1] or \"2,3,-1\""),
        "hessian": F("boolean", "also the Hessian (default false)"), "input": _INPUT,
        "detail": F("enum", "the html's detail (default brief: the partials; normal, steps and full "
                    "work each one, as the page's Detail asks)", choices=("brief", "normal", "steps", "full")),
    },
    "dual": {
        "expr": F("string", "the function", True),
        "wrt": F("string", "the variable seeded with derivative 1", True),
        "at": F("point", "values of every variable", True), "input": _INPUT,
    },
    "backprop": {
        "expr": F("string", "the function", True),
        "at": F("point", "values of every variable", True), "input": _INPUT,
    },
    "descend": {
        "expr": F("string", "the cost J", True), "var": F("names", "the variable(s)"),
        "start": F("vector", "start point: one value per variable (default 0)"),
        "rate": F("numberish", "learning rate (default 0.1)"),
        "steps": F("integer", "most iterations (default 10)", lo=0, hi=10_000),
        "tol": F("numberish", "stop when the step is shorter (default 1e-10)"), "input": _INPUT,
    },
}

# `format: html` answers tutor.html/1: the record's to_html fragment (MathML), for the page
_FORMAT = F("enum", "json (default): the record; html: {schema: tutor.html/1, kind, html} with the "
            "record rendered as an HTML fragment of MathML (verdicts also carry the record)",
            choices=("json", "html"))
for _op in ("check", "check-work", "diff", "numeric", "gradient", "dual", "backprop", "descend"):
    ENDPOINTS[_op]["format"] = _FORMAT

_AT = F("point", "a point: {\"x\": 2} or \"x=2\" (\"x=3,y=4\" for a curve)")
_DETAIL = F("enum", "steps' detail in the html (default normal)", choices=("brief", "normal", "steps", "full"))

# the classroom page's endpoints (README, "Classroom page"), validated and documented alike
PAGE_ENDPOINTS: dict[str, dict[str, F]] = {
    "read": {
        "expr": F("string", "what the student typed: a function, or an equation such as x^2 + y^2 = 25", True),
        "input": _INPUT,
    },
    "definition": {
        "expr": F("string", "the function", True), "var": F("string", "the variable"),
        "at": _AT, "table": F("boolean", "with `at`: the difference quotients for h = 0.1, 0.01, ..."),
        "input": _INPUT, "format": _FORMAT,
    },
    "implicit": {
        "equation": F("string", "an equation in x and y, e.g. x^2 + y^2 = 25", True),
        "dep": F("string", "the dependent variable (default y)"),
        "var": F("string", "the variable (default x)"), "at": _AT, "order": F(
            "integer", "1, or 2 for d²y/dx² too", lo=1, hi=2),
        "detail": _DETAIL, "input": _INPUT, "format": _FORMAT,
    },
    "tangent": {
        "expr": F("string", "y = f(x) as f(x), or a curve's equation", True),
        "at": F("point", "the point: \"x=2\" (or \"x=3,y=4\" on a curve)", True),
        "normal": F("boolean", "also the normal line"), "var": F("string", "the variable"),
        "detail": _DETAIL, "input": _INPUT, "format": _FORMAT,
    },
    "plot": {
        "expr": F("string", "the function", True), "var": F("string", "the variable"),
        "range": F("vector", "the x range: [-3, 3] or \"-3,3\""),
        "derivative": F("boolean", "also draw f'"),
        "tangent_at": F("numberish", "also draw the tangent line at this x"), "input": _INPUT,
    },
}

# option -> (kind, lo, hi); the size limits' upper bounds are the grader's defaults
OPTIONS: dict[str, tuple] = {
    "points": ("integer", 1, 200), "min_points": ("integer", 1, 200),
    "max_draws": ("integer", 1, 5000), "exact_points": ("integer", 0, 32),
    "rtol": ("number", 0, 0.1), "zero": ("number", 0, 1), "seed": ("string", None, None),
    "max_chars": ("integer", 1, 5000), "max_nodes": ("integer", 1, 3000),
    "max_depth": ("integer", 1, 200), "diagnose": ("boolean", None, None),
    "partial_credit": ("boolean", None, None), "credit": ("credit", None, None),
    "slip_credit": ("number", 0, 1),
}

RESPONSES = {"check": "Verdict", "check-work": "WorkVerdict", "diff": "Solution",
             "numeric": "Record", "gradient": "Record", "dual": "Record", "backprop": "Record",
             "descend": "Record", "read": "Reading", "definition": "Record", "implicit": "Record",
             "tangent": "Record", "plot": "Plot"}
ALL_ENDPOINTS = {**ENDPOINTS, **PAGE_ENDPOINTS}

#: the smallest useful body of each endpoint: the hint of a request that is not one (a body
#: that is not JSON, not an object, or without a required field), so a plug-in author's first
#: mistake answers with a body to copy; tests/test_service_schemas.py validates every one
EXAMPLES: dict[str, dict] = {
    "check": {"function": "x^2", "answer": "2x"},
    "check-work": {"function": "x^2", "lines": ["= 2x"]},
    "diff": {"expr": "sin(x^2)"},
    "numeric": {"expr": "w^2", "at": "w=3"},
    "gradient": {"expr": "x^2 y", "at": "x=1,y=2"},
    "dual": {"expr": "x^2 y", "wrt": "x", "at": "x=1,y=2"},
    "backprop": {"expr": "x^2 y", "at": "x=1,y=2"},
    "descend": {"expr": "(w - 3)^2"},
    "read": {"expr": "sin(x^2)"},
    "definition": {"expr": "x^2"},
    "implicit": {"equation": "x^2 + y^2 = 25"},
    "tangent": {"expr": "x^2", "at": "x=2"},
    "plot": {"expr": "sin(x)"},
}


def example_hint(op: str) -> str | None:
    """'send e.g. {...}': the endpoint's smallest body, as JSON to paste."""
    body = EXAMPLES.get(op)
    return None if body is None else "send e.g. " + json.dumps(body)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf")


def _check(name: str, f: F, v):
    k = f.kind
    if k == "string" and isinstance(v, str):
        return v
    if k == "names" and (isinstance(v, str) or (isinstance(v, list) and v and all(isinstance(x, str) for x in v))):
        return v
    if k == "integer" and _is_int(v):
        if (f.lo is not None and v < f.lo) or (f.hi is not None and v > f.hi):
            raise FieldError(f"'{name}' must be from {f.lo:g} to {f.hi:g} (got {v})", name)
        return v
    if k == "boolean" and isinstance(v, bool):
        return v
    if k == "numberish" and (_is_num(v) or isinstance(v, str)):
        return v
    if k == "digits" and ((_is_int(v) and 0 <= v <= 17) or v == "full"):
        return v
    if k == "enum" and v in f.choices:
        return v
    if k == "point" and (isinstance(v, str) or (isinstance(v, dict) and v and all(
            isinstance(key, str) and (_is_num(x) or isinstance(x, str)) for key, x in v.items()))):
        return v
    if k == "vector" and (isinstance(v, str) or _is_num(v) or (isinstance(v, list) and v and all(
            _is_num(x) or isinstance(x, str) for x in v))):
        return v
    if k == "lines" and isinstance(v, str):
        v = v.splitlines()
    if k == "lines" and isinstance(v, list) and all(isinstance(x, str) for x in v):
        if not any(x.strip() for x in v):
            raise FieldError("'lines' has no working in it", name)
        if len(v) > 200:
            raise FieldError(f"'lines' has {len(v)} lines; the limit is 200", name)
        return v
    if k == "options":
        return _options(v)
    raise FieldError(f"'{name}' must be {_KIND_TEXT[k]}" + (
        f" ({', '.join(f.choices)})" if f.choices else ""), name)


_KIND_TEXT = {
    "string": "a string", "names": "a name or a list of names", "integer": "a whole number",
    "boolean": "true or false", "numberish": "a number or a string such as \"1/3\"",
    "digits": "a whole number from 0 to 17 or \"full\"", "enum": "one of the choices",
    "point": "an object of values such as {\"x\": 2} or a string such as \"x=2\"",
    "vector": "a list of numbers or a string such as \"2,3,-1\"",
    "lines": "a list of strings", "options": "an object",
}


def _options(v) -> dict:
    if not isinstance(v, dict):
        raise FieldError("'options' must be an object", "options")
    out = {}
    for key, value in v.items():
        spec = OPTIONS.get(key)
        if spec is None:
            raise FieldError(f"unknown option '{key}' (known: {', '.join(OPTIONS)})", f"options.{key}")
        kind, lo, hi = spec
        field = f"options.{key}"
        if kind == "credit":
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and _is_num(c) and 0 <= c <= 1 for k, c in value.items()):
                raise FieldError("'options.credit' must map diagnosis ids to credits from 0 to 1", field)
        elif kind == "boolean" and not isinstance(value, bool):
            raise FieldError(f"'{field}' must be true or false", field)
        elif kind == "string" and not (isinstance(value, str) and len(value) <= 200):
            raise FieldError(f"'{field}' must be a string of at most 200 characters", field)
        elif kind in ("integer", "number"):
            ok = _is_int(value) if kind == "integer" else _is_num(value)
            if not ok or not lo <= value <= hi:
                raise FieldError(f"'{field}' must be a {'whole ' if kind == 'integer' else ''}"
                                 f"number from {lo:g} to {hi:g}", field)
        out[key] = value
    if out.get("min_points", 1) > out.get("points", 48):
        raise FieldError("'options.min_points' cannot exceed 'options.points'", "options.min_points")
    return out


def validate(op: str, body) -> dict:
    """The request's arguments, checked against ENDPOINTS[op]; FieldError says what is wrong."""
    fields = ALL_ENDPOINTS[op]
    if not isinstance(body, dict):
        raise FieldError("the request body must be a JSON object", hint=example_hint(op))
    unknown = [k for k in body if k not in fields]
    if unknown:
        raise FieldError(f"unknown field '{unknown[0]}' (this endpoint takes: {', '.join(fields)})",
                         unknown[0])
    args = {}
    for name, f in fields.items():
        v = body.get(name)
        if v is None:
            if f.required:
                raise FieldError(f"'{name}' is required ({f.doc})", name, hint=example_hint(op))
            continue
        args[name] = _check(name, f, v)
    for name, f in fields.items():
        if f.required and f.kind == "string" and not args[name].strip() and name != "answer":
            raise FieldError(f"'{name}' is empty", name)
    return args
