"""The classroom page's side of `tutor serve`: the files at `/` with their CSP, `/v1/read`, the
routes' `format: "html"`, `/v1/plot`, and their place in the OpenAPI document, over HTTP on a
real uvicorn (as tests/test_service.py). The browser drives the page in test_page_browser.py.
"""
from __future__ import annotations

import importlib.util
import json
import re

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

import tutor  # noqa: E402
from tutor.service.page import CSP, presentational, read_input  # noqa: E402
from tutor.service.schemas import PAGE_ENDPOINTS  # noqa: E402
from serving import Server  # noqa: E402



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("page"), "--workers", "1", "--deadline", "10")
    yield s
    s.stop()


# ------------------------------------------------------------------ the files

def test_the_page_and_its_files_are_served_with_a_csp(server):
    r = server.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "'unsafe-inline'" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    page = r.text
    assert '<label for="expr"' in page and 'id="expr"' in page and 'aria-live="polite"' in page
    assert '<script src="/static/page.js"' in page
    # no inline script or style, nothing from another host: the page works offline
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and "<style" not in page
    assert not re.search(r"\b(?:src|href)=\"(?:https?:)?//", page)
    assert " style=" not in page and " onclick=" not in page
    for name, kind in (("page.css", "text/css"), ("tutor.css", "text/css"), ("page.js", "text/javascript"),
                       ("favicon.svg", "image/svg+xml")):
        f = server.get(f"/static/{name}")
        assert f.status_code == 200 and f.headers["content-type"].startswith(kind), name
        assert f.headers["content-security-policy"] == CSP
        assert not re.search(r"https?://(?!www\.w3\.org/)", f.text), name   # namespaces only
    assert server.get("/static/nope.js").status_code == 404
    assert server.get("/static/../app.py").status_code == 404


# ------------------------------------------------------------------ /v1/read

def test_read_shows_the_input_back_as_mathml(server):
    r = server.post("read", {"expr": "sin(x^2) e^x"})
    assert r.status_code == 200
    d = r.json()
    assert d["schema"] == "tutor.reading/1" and d["ok"] is True and d["equation"] is False
    e = tutor.parse("sin(x^2) e^x")
    assert d["text"] == tutor.to_text(e) and d["unicode"] == tutor.to_unicode(e)
    assert d["latex"] == tutor.to_latex(e) and d["variables"] == ["x"]
    assert d["echo"] == f"you entered {tutor.to_unicode(e)}"
    assert re.match(r'<math xmlns="http://www.w3.org/1998/Math/MathML"[^>]*>.*</math>$', d["mathml"], re.S)
    latex = server.post("read", {"expr": r"\frac{1}{x}"}).json()
    assert latex["ok"] and latex["text"] == "1/x"
    assert server.post("read", {"expr": "\\sin x", "input": "calc"}).json()["ok"] is False


def test_read_an_unreadable_input_is_a_200_with_the_caret_and_hint(server):
    d = server.post("read", {"expr": "sin(x^2"}).json()
    assert d == {"schema": "tutor.reading/1", "ok": False, "error": {
        "code": "unbalanced", "message": "unmatched '(' opened here", "line": 1, "column": 4,
        "hint": "add a matching ')'", "field": "expr", "context": "  sin(x^2\n     ^"}}
    d = server.post("read", {"expr": "2x +"}).json()
    assert not d["ok"] and d["error"]["message"] == "missing operand after '+'"
    assert d["error"]["context"].splitlines()[1].index("^") == 2 + d["error"]["column"] - 1


def test_read_an_equation_side_by_side_the_caret_on_the_whole_line(server):
    d = server.post("read", {"expr": "x^2 + y^2 = 25"}).json()
    assert d["ok"] and d["equation"] and d["text"] == "x^2 + y^2 = 25" and d["variables"] == ["x", "y"]
    assert d["mathml"].count("<math") == 1 and "<mo>=</mo>" in d["mathml"]
    bad = server.post("read", {"expr": "x^2 + y^2 = 2*"}).json()
    assert not bad["ok"] and bad["error"]["column"] == 14
    assert bad["error"]["context"] == "  x^2 + y^2 = 2*\n               ^"
    two = server.post("read", {"expr": "x = y = 1"}).json()
    assert not two["ok"] and two["error"]["code"] == "equation"
    assert two["error"]["message"] == "the equation has 2 '=' signs (columns 3, 7): give one"


def test_read_refuses_bad_fields_like_every_endpoint(server):
    r = server.post("read", {"expr": ""})
    assert r.status_code == 422 and r.json()["error"]["message"] == "'expr' is empty"
    r = server.post("read", {"exp": "x"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "exp"
    assert server.post("read", {"expr": 3}).status_code == 422


def test_read_in_process_equals_the_endpoint(server):
    for text in ("sin(x^2) e^x", "x^", "\\frac{d}{dx} x", "e^{2x} sin x"):
        assert server.post("read", {"expr": text}).json() == json.loads(json.dumps(read_input(text)))


# ------------------------------------------------------------------ format: html

def _html(server, op, body) -> dict:
    r = server.post(op, {**body, "format": "html"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["schema"] == "tutor.html/1" and d["html"].lstrip().startswith("<section class=\"tutor-")
    return d


def test_every_route_answers_html_and_json_is_unchanged(server):
    assert _html(server, "diff", {"expr": "sin(x^2) e^x", "detail": "brief"})["kind"] == "solution"
    assert _html(server, "diff", {"expr": "1/w^2", "at": {"w": 4}})["kind"] == "at"
    assert _html(server, "definition", {"expr": "x^2", "at": "x=3"})["kind"] == "definition"
    assert _html(server, "implicit", {"equation": "x^2 + y^2 = 25", "at": "x=3,y=4"})["kind"] == "implicit"
    assert _html(server, "tangent", {"expr": "x^2", "at": "x=1"})["kind"] == "tangent"
    # without format (or format json) the answers are the records, as before
    assert server.post("diff", {"expr": "sin(x^2)", "detail": "brief"}).json() == \
        json.loads(json.dumps(tutor.differentiate("sin(x^2)").to_dict("brief")))
    assert server.post("diff", {"expr": "sin(x^2)", "detail": "brief", "format": "json"}).json()["schema"] \
        == "tutor.solution/2"
    assert server.post("definition", {"expr": "x^2"}).json() == \
        json.loads(json.dumps(tutor.from_definition("x^2").to_dict()))
    assert server.post("implicit", {"equation": "x y = 1"}).json()["schema"] == \
        tutor.implicit("x y = 1").to_dict()["schema"]
    t = server.post("tangent", {"expr": "x^2", "at": "x=1"}).json()
    assert t == json.loads(json.dumps(tutor.tangent("x^2", "x=1").to_dict()))


LABS = [  # (endpoint, body, kind, the record's own HTML, which the endpoint must answer)
    ("numeric", {"expr": "w^2", "at": "w=3"}, "numeric", lambda: tutor.finite_difference("w^2", "w=3")),
    ("gradient", {"expr": "x^2 y", "at": "x=1,y=2", "along": [3, 4], "hessian": True}, "gradient",
     lambda: tutor.gradient("x^2 y", None, "x=1,y=2", [3, 4], True)),
    ("dual", {"expr": "x^2 sin(x)", "wrt": "x", "at": {"x": 2}}, "dual",
     lambda: tutor.dual_trace("x^2 sin(x)", "x", {"x": 2})),
    ("backprop", {"expr": "x y + sin(x)", "at": "x=1,y=2"}, "backprop",
     lambda: tutor.backprop("x y + sin(x)", "x=1,y=2")),
    ("descend", {"expr": "(w-3)^2", "start": [0], "rate": 0.1, "steps": 5}, "descent",
     lambda: tutor.descend("(w-3)^2", None, [0], 0.1, 5)),
]


@pytest.mark.parametrize("op, body, kind, record", LABS, ids=[x[0] for x in LABS])
def test_the_labs_answer_html_and_json_is_unchanged(server, op, body, kind, record):
    from tutor.render.html import to_html
    d = _html(server, op, body)
    assert d["kind"] == kind and d["html"].startswith(f'<section class="tutor-{kind}">')
    rec = record()
    assert d["html"] == to_html(rec, "brief" if op == "gradient" else "normal")
    if op == "gradient":     # the page sends its Detail: the partials worked, as diff's steps are
        full = _html(server, op, {**body, "detail": "full"})["html"]
        assert full == to_html(rec, "full") and len(full) > len(d["html"])
    assert server.post(op, body).json() == json.loads(json.dumps(rec.to_dict()))
    assert server.post(op, {**body, "format": "json"}).json()["schema"] == rec.to_dict()["schema"]


def test_the_labs_errors_in_html_are_the_routes_errors(server):
    r = server.post("numeric", {"expr": "w^2", "format": "html"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "at"
    r = server.post("dual", {"expr": "x y", "wrt": "x", "at": "x=1", "format": "html"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "expr"
    assert r.json() == server.post("dual", {"expr": "x y", "wrt": "x", "at": "x=1"}).json()
    r = server.post("descend", {"expr": "w^2", "steps": 10_001, "format": "html"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "steps"


def test_the_verdict_in_html_carries_its_record(server):
    d = _html(server, "check", {"function": "sin(x^2)", "answer": "cos(x^2)"})
    want = tutor.check("sin(x^2)", "cos(x^2)")
    assert d["kind"] == "verdict" and d["record"]["verdict"] == want.verdict == "incorrect"
    assert [x["id"] for x in d["record"]["diagnoses"]] == [x.id for x in want.diagnoses]
    assert d["record"]["gradable"] is True
    bad = _html(server, "check", {"function": "x^2", "answer": "2x +"})["record"]
    assert bad["verdict"] == "invalid" and bad["gradable"] is False
    work = _html(server, "check-work", {"function": "x^2", "lines": "= 2x\n= 3x"})["record"]
    assert work["verdict"] == "incorrect" and work["first_wrong_line"] == 2


def test_route_errors_name_the_field_and_the_fix(server):
    r = server.post("implicit", {"equation": "sin(x)", "format": "html"})
    assert r.status_code == 422
    assert r.json()["error"] == {"code": "equation", "message": "'sin(x)' is not an equation: it has no '='",
                                 "line": None, "column": None, "field": "equation",
                                 "hint": "write both sides, e.g. x^2 + y^2 = 25 (or x y - 1 = 0)"}
    r = server.post("tangent", {"expr": "x^2", "format": "html"})
    assert r.status_code == 422 and r.json()["error"]["message"] == \
        "'at' is required (the point: \"x=2\" (or \"x=3,y=4\" on a curve))"
    r = server.post("diff", {"expr": "sin(x^2", "format": "html"})
    assert r.status_code == 422 and r.json()["error"]["column"] == 4
    r = server.post("diff", {"expr": "x", "format": "pdf"})
    assert r.status_code == 422 and r.json()["error"]["message"] == "'format' must be one of the choices (json, html)"


# ------------------------------------------------------------------ /v1/plot

def test_plot_is_an_svg_or_a_clear_501(server):
    r = server.post("plot", {"expr": "sin(x^2) e^x", "derivative": True, "tangent_at": "1"})
    if importlib.util.find_spec("tutor.plotting") is None:
        assert r.status_code == 501
        err = r.json()["error"]
        assert err["code"] == "missing-extra"
        assert err["message"] == "Plots are not available on this server: tutor.plotting cannot be imported."
        assert "pip install" in err["hint"]
    else:
        assert r.status_code == 200, r.text
        svg = r.json()["svg"]
        assert svg.startswith("<svg") and " style=" not in svg and "<style" not in svg
    r = server.post("plot", {"expr": "x", "range": [1]})
    assert r.status_code in (422, 501)


def test_presentational_svg_draws_the_same_without_inline_style():
    raw = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n'
           '<svg xmlns="http://www.w3.org/2000/svg" width="10pt"><defs><style type="text/css">'
           '*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>'
           '<path d="M0 0" style="fill: none; stroke: #1f77b4; stroke-width: 1.5; -x-odd: 1"/>'
           '<g style="fill: #ffffff"/></svg>')
    assert presentational(raw) == (
        '<svg stroke-linejoin="round" stroke-linecap="butt" xmlns="http://www.w3.org/2000/svg" '
        'width="10pt"><defs></defs><path d="M0 0" fill="none" stroke="#1f77b4" stroke-width="1.5"/>'
        '<g fill="#ffffff"/></svg>')


# ------------------------------------------------------------------ the document

def test_the_page_endpoints_are_in_the_openapi_document(server):
    doc = server.get("/openapi.json").json()
    for op in PAGE_ENDPOINTS:
        assert f"/v1/{op}" in doc["paths"], op
    read = doc["paths"]["/v1/read"]["post"]
    assert read["requestBody"]["content"]["application/json"]["schema"]["required"] == ["expr"]
    assert read["responses"]["200"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/Reading"}
    diff = doc["paths"]["/v1/diff"]["post"]
    assert diff["requestBody"]["content"]["application/json"]["schema"]["properties"]["format"]["enum"] \
        == ["json", "html"]
    assert {"$ref": "#/components/schemas/Html"} in \
        diff["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]
    for op in ("numeric", "gradient", "dual", "backprop", "descend"):
        post = doc["paths"][f"/v1/{op}"]["post"]
        fmt = post["requestBody"]["content"]["application/json"]["schema"]["properties"]["format"]
        assert fmt["enum"] == ["json", "html"], op
        assert {"$ref": "#/components/schemas/Html"} in \
            post["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"], op
    kinds = doc["components"]["schemas"]["Html"]["properties"]["kind"]["enum"]
    assert {"numeric", "gradient", "dual", "backprop", "descent"} <= set(kinds)
    assert "501" in doc["paths"]["/v1/plot"]["post"]["responses"]
    assert {"Reading", "Html", "Plot"} <= set(doc["components"]["schemas"])
