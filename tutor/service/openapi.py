"""The OpenAPI 3.1 document of the service, written by hand from `schemas.ENDPOINTS`.

Request bodies come from the same table the validator reads; the response schemas describe
the library's JSON records (`tutor.verdict/1`, `tutor.work-verdict/1`, `tutor.solution/2`, the
routes' records) and the error body (`tutor.error/1`).
"""
from __future__ import annotations

from .schemas import ALL_ENDPOINTS, OPTIONS, RESPONSES, F

_EXPR = {"type": "object", "description": "an expression three ways",
         "properties": {"text": {"type": "string"}, "latex": {"type": "string"},
                        "sympy": {"type": "string"}}, "required": ["text", "latex", "sympy"]}
_FEEDBACK = {"type": "object", "properties": {"text": {"type": "string"}, "latex": {"type": "string"}},
             "required": ["text", "latex"]}
_DIAGNOSIS = {"type": "object", "properties": {
    "id": {"type": "string", "examples": ["chain-rule-missing-inner"]}, "message": {"type": "string"},
    "rule": {"type": ["string", "null"]}, "step": {"type": ["string", "null"]},
    "credit": {"type": "number"}}, "required": ["id", "message", "credit"]}
_VERDICTS = ["correct", "incorrect", "invalid", "undetermined"]
_GRADABLE = {"type": "boolean", "description": "added by the service: false for invalid and "
             "undetermined (do not count the attempt), as PrairieLearn's results.json"}

COMPONENTS = {
    "Expr": _EXPR,
    "Diagnosis": _DIAGNOSIS,
    "Verdict": {"type": "object", "description": "tutor.verdict/1 (Verdict.to_dict) plus gradable",
                "properties": {
                    "schema": {"const": "tutor.verdict/1"}, "verdict": {"enum": _VERDICTS},
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                    "feedback": _FEEDBACK,
                    "diagnoses": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnosis"}},
                    "expected": {"oneOf": [{"$ref": "#/components/schemas/Expr"}, {"type": "null"}]},
                    "answer": {"oneOf": [{"$ref": "#/components/schemas/Expr"}, {"type": "null"}]},
                    "echo": {"type": "string"},
                    "error_code": {"type": ["string", "null"], "description":
                                   "why invalid/undetermined: syntax, limit, calculus, timeout, ambiguous, ..."},
                    "readings": {"type": "array", "items": {"$ref": "#/components/schemas/Expr"},
                                 "description": "only with error_code ambiguous: the two readings "
                                                "textbooks disagree on, which grade differently"},
                    "gradable": _GRADABLE},
                "required": ["schema", "verdict", "score", "feedback", "diagnoses", "expected",
                             "answer", "echo", "error_code", "gradable"]},
    "WorkVerdict": {"type": "object", "description": "tutor.work-verdict/1 plus gradable",
                    "properties": {
                        "schema": {"const": "tutor.work-verdict/1"}, "verdict": {"enum": _VERDICTS},
                        "score": {"type": "number"}, "feedback": _FEEDBACK,
                        "first_wrong_line": {"type": ["integer", "null"]},
                        "diagnoses": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnosis"}},
                        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Verdict"}},
                        "gradable": _GRADABLE},
                    "required": ["schema", "verdict", "score", "feedback", "first_wrong_line",
                                 "diagnoses", "lines", "gradable"]},
    "Solution": {"type": "object", "description": "tutor.solution/2 (Solution.to_dict), or "
                 "tutor.atpoint/1 when `at` is given; see README, JSON",
                 "properties": {"schema": {"enum": ["tutor.solution/2", "tutor.atpoint/1"]}},
                 "required": ["schema"], "additionalProperties": True},
    "Record": {"type": "object", "description": "the route's record: tutor.numeric/1, "
               "tutor.gradient/1, tutor.dual/1, tutor.backprop/1 or tutor.descent/1",
               "properties": {"schema": {"type": "string"}}, "required": ["schema"],
               "additionalProperties": True},
    "Error": {"type": "object", "description": "tutor.error/1", "properties": {
        "schema": {"const": "tutor.error/1"},
        "error": {"type": "object", "properties": {
            "code": {"type": "string", "examples": ["json", "field", "syntax", "auth", "body-limit",
                                                    "timeout", "busy"]},
            "message": {"type": "string"}, "line": {"type": ["integer", "null"]},
            "column": {"type": ["integer", "null"]}, "hint": {"type": ["string", "null"]},
            "field": {"type": ["string", "null"]}}, "required": ["code", "message"]}},
        "required": ["schema", "error"]},
    "Reading": {"type": "object", "description": "tutor.reading/1: what the page shows back as the "
                "student types; an unreadable input is ok false with the error, still a 200",
                "properties": {
                    "schema": {"const": "tutor.reading/1"}, "ok": {"type": "boolean"},
                    "equation": {"type": "boolean"}, "text": {"type": "string"},
                    "unicode": {"type": "string"}, "latex": {"type": "string"},
                    "mathml": {"type": "string", "description": "a <math> element (MathML Core)"},
                    "variables": {"type": "array", "items": {"type": "string"}},
                    "echo": {"type": "string", "examples": ["you entered sin(x²) eˣ"]},
                    "error": {"type": "object", "description": "when ok is false: tutor.error/1's "
                              "error plus context, the input line with a caret under the column",
                              "properties": {"context": {"type": ["string", "null"]}}}},
                "required": ["schema", "ok"]},
    "Html": {"type": "object", "description": "tutor.html/1 (format html): the record as an HTML "
             "fragment of MathML (tutor.render.html.to_html); a verdict also carries its record",
             "properties": {"schema": {"const": "tutor.html/1"},
                            "kind": {"enum": ["solution", "at", "definition", "implicit", "tangent",
                                              "verdict", "numeric", "gradient", "dual", "backprop",
                                              "descent"]},
                            "html": {"type": "string"},
                            "answer": {"type": "string", "description": "solutions only: the "
                                       "answer in calculator syntax"},
                            "record": {"type": "object", "description": "verdicts only"}},
             "required": ["schema", "kind", "html"]},
    "Plot": {"type": "object", "description": "tutor.plot/1: an SVG image (inline it); 501 with "
             "code missing-extra when the server cannot draw plots",
             "properties": {"schema": {"const": "tutor.plot/1"}, "svg": {"type": "string"}},
             "required": ["schema", "svg"]},
    "Health": {"type": "object", "properties": {
        "status": {"enum": ["ok", "degraded"]}, "version": {"type": "string"},
        "workers": {"type": "integer"}, "idle": {"type": "integer"}, "busy": {"type": "integer"},
        "spares": {"type": "integer"}, "queued": {"type": "integer"}, "deadline": {"type": "number"}}},
}


def _field_schema(f: F) -> dict:
    k = f.kind
    name = {"string": {"type": "string"}, "boolean": {"type": "boolean"},
            "names": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "numberish": {"oneOf": [{"type": "number"}, {"type": "string"}]},
            "digits": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 17}, {"const": "full"}]},
            "point": {"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties":
                                                     {"oneOf": [{"type": "number"}, {"type": "string"}]}}]},
            "vector": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "array", "items":
                                                     {"oneOf": [{"type": "number"}, {"type": "string"}]}}]},
            "lines": {"oneOf": [{"type": "array", "items": {"type": "string"}, "maxItems": 200},
                                {"type": "string"}]},
            "options": _options_schema()}.get(k)
    if k == "integer":
        name = {"type": "integer", "minimum": f.lo, "maximum": f.hi}
    if k == "enum":
        name = {"enum": list(f.choices)}
    return {**name, "description": f.doc}


def _options_schema() -> dict:
    props = {}
    for key, (kind, lo, hi) in OPTIONS.items():
        if kind == "credit":
            props[key] = {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}}
        elif kind in ("integer", "number"):
            props[key] = {"type": kind, "minimum": lo, "maximum": hi}
        else:
            props[key] = {"type": kind}
    return {"type": "object", "properties": props, "additionalProperties": False}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


SUMMARIES = {
    "check": "Grade a student's derivative", "check-work": "Grade a student's working line by line",
    "diff": "Worked solution of a derivative", "numeric": "Finite differences",
    "gradient": "Gradient, directional derivative, Hessian", "dual": "Dual-number trace",
    "backprop": "Backpropagation", "descend": "Gradient descent",
    "read": "Read an input back (MathML), or its parse error with the caret (the page's preview)",
    "definition": "The derivative from the limit definition", "implicit": "Implicit differentiation",
    "tangent": "Tangent (and normal) line", "plot": "A plot as SVG",
}


def _response(op: str, fields: dict) -> dict:
    ref = {"$ref": f"#/components/schemas/{RESPONSES[op]}"}
    if "format" in fields:
        return {"oneOf": [ref, {"$ref": "#/components/schemas/Html"}]}
    return ref


def openapi(version: str) -> dict:
    paths = {}
    for op, fields in ALL_ENDPOINTS.items():
        body = {"type": "object", "additionalProperties": False,
                "properties": {n: _field_schema(f) for n, f in fields.items()},
                "required": [n for n, f in fields.items() if f.required]}
        grading = op.startswith("check")
        paths[f"/v1/{op}"] = {"post": {
            "summary": SUMMARIES[op], "operationId": op.replace("-", "_"),
            "security": [{"bearer": []}, {}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {"description": ("the verdict (an unreadable answer is verdict invalid; past "
                                        "the deadline, undetermined with error_code timeout)"
                                        if grading else "the record"),
                        "content": {"application/json": {"schema": _response(op, fields)}}},
                "400": _error("the body is not JSON"),
                "401": _error("a token is required and was missing or wrong"),
                "413": _error("the body is over the size limit"),
                "422": _error("a field is missing or wrong, or the problem (function, var, "
                              "order) cannot be worked" + ("" if grading else "; or past the deadline")),
                "503": _error("no worker was free in time (retry after the Retry-After seconds)"),
            }}}
        if op == "plot":
            paths["/v1/plot"]["post"]["responses"]["501"] = _error(
                "this server cannot draw plots (tutor.plotting or matplotlib missing): code missing-extra")
    paths["/health"] = {"get": {"summary": "Liveness and the pool's state", "responses": {
        "200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Health"}}}},
        "503": {"description": "no worker is running"}}}}
    paths["/metrics"] = {"get": {"summary": "Prometheus metrics (text format 0.0.4)", "responses": {
        "200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    paths["/openapi.json"] = {"get": {"summary": "This document", "responses": {
        "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "tutor grader service", "version": version,
                     "description": "Step-by-step differentiation and a derivative grader over "
                                    "HTTP. See the README, section 'Grader service'."},
            "paths": paths,
            "components": {"schemas": COMPONENTS,
                           "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}}
