"""HTML of the records (tutor/render/html*.py): every row of working is a true equation when its
MathML is read back (tests/mathml_reader.py), the answer is marked, the markup parses, and a
page is self-contained (no script, nothing from the network).
"""
from __future__ import annotations

import html.parser
import os
import pathlib
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
import sympy

import tutor
from conftest import load_corpus, to_sympy
from mathml_reader import NS, check_core, equal, read
from tutor.expr import Sym
from tutor.grade import Verdict
from tutor.render.html import to_html

CORPUS = load_corpus("seeds.jsonl") + load_corpus("practice.jsonl")
MATH = NS + "math"


# ---------------------------------------------------------------- reading a fragment back

def _cls(el) -> set:
    return set((el.get("class") or "").split())


def fragment_tree(fragment: str) -> ET.Element:
    """A fragment is well-formed XML too (every element closed, every entity XML's)."""
    return ET.fromstring(fragment)


def rows(fragment: str, why: bool = False, **reader):
    """(lhs, rhs) SymPy pairs of every row of working, in order; a row with an empty left side
    takes the left side of the row above it (in the same table). With `why`, (lhs, rhs, why)."""
    out = []
    for table in fragment_tree(fragment).iter("table"):
        if "tutor-lines" not in _cls(table):
            continue
        lhs = None
        for tr in table.iter("tr"):
            if "tutor-line" not in _cls(tr):
                continue
            cells = {c: td for td in tr.findall("td") for c in _cls(td)}
            left = cells["tutor-lhs"].find(MATH)
            right = cells["tutor-rhs"].find(MATH)
            if left is not None:
                lhs = read(left, **reader)
            if right is not None:
                label = "".join(cells["tutor-why"].itertext())
                out.append((lhs, read(right, **reader)) + ((label,) if why else ()))
    return out


def answers(fragment: str, **reader):
    """The (lhs, rhs) of every element marked tutor-answer."""
    out = []
    for el in fragment_tree(fragment).iter():
        if "tutor-answer" in _cls(el):
            value = read(el.find(MATH), **reader)
            assert isinstance(value, tuple) and value[1] == "=", value
            out.append((value[0], value[2]))
    return out


def assert_true_rows(fragment: str, **reader) -> int:
    pairs = rows(fragment, **reader)
    for lhs, rhs in pairs:
        assert equal(lhs, rhs), f"{lhs} = {rhs} does not hold"
    return len(pairs)


# ---------------------------------------------------------------- worked solutions

def _params():
    return [pytest.param(row, id=row["id"]) for row in CORPUS]


@pytest.mark.parametrize("row", _params())
def test_every_line_of_a_corpus_solution_is_a_true_equation(row):
    sol = tutor.differentiate(row["expr"], row.get("var"), order=row.get("order", 1))
    fragment = to_html(sol)
    assert fragment.startswith('<section class="tutor-solution">')
    assert assert_true_rows(fragment) >= 1
    [(lhs, rhs)] = answers(fragment)
    assert equal(lhs, rhs)
    x = sympy.Symbol(sol.var)
    assert equal(rhs, sympy.diff(to_sympy(sol.function), x, sol.order))


@pytest.mark.parametrize("detail", ["brief", "normal", "steps", "full"])
@pytest.mark.parametrize("source", ["sin(x^2) e^x", "x^2 sin(x)/(x + 1)", "sqrt(x^2 + 1)", "ln(x)^3"])
def test_every_detail_level(source, detail):
    sol = tutor.differentiate(source)
    fragment = to_html(sol, detail)
    assert_true_rows(fragment)
    [(lhs, rhs)] = answers(fragment)
    assert equal(rhs, to_sympy(sol.answer))
    check_page_markup(fragment)
    if detail == "brief":
        assert "tutor-rules" in fragment and "<table" not in fragment


def test_rule_labels_are_text_and_notes_are_rows():
    fragment = to_html(tutor.differentiate("1/w^2"))
    why = [td.text or "" for td in fragment_tree(fragment).iter("td") if "tutor-why" in _cls(td)]
    assert "Rewrite, power rule" in why
    assert "tutor-note" in fragment and "note: a constant over a power" in fragment


def test_second_order_and_mixed_partials():
    for sol in (tutor.differentiate("x^3 sin x", order=2), tutor.differentiate("x^2 y^3", "x,y")):
        fragment = to_html(sol)
        assert fragment.count('class="tutor-heading"') == 2
        assert_true_rows(fragment)
        [(lhs, rhs)] = answers(fragment)
        assert equal(lhs, rhs)


# ---------------------------------------------------------------- the routes

@pytest.mark.parametrize("source, var, point", [
    ("1/w^2", None, {"w": 4}), ("sin(x)", None, {"x": "pi/3"}), ("x^2 y", "x", {"x": 2, "y": 3}),
    ("e^(2x)", None, {"x": 0})])
def test_at_a_point(source, var, point):
    a = tutor.differentiate(source, var).at(point)
    fragment = to_html(a)
    assert fragment.startswith('<section class="tutor-atpoint">')
    assert_true_rows(fragment)
    found = answers(fragment)
    lhs, rhs = found[-1]
    assert equal(lhs, rhs) and equal(rhs, to_sympy(a.exact))
    assert "|" in fragment and "substitute" in fragment


def test_at_a_point_shows_the_decimal_beside_a_fraction():
    fragment = to_html(tutor.differentiate("1/w^2").at(w=4), "brief")
    assert "≈ -0.03125" in fragment and "tutor-solution" not in fragment


def _functions(t):
    x = sympy.Symbol(t.var)
    f = to_sympy(t.function)
    return {"f": sympy.Lambda(x, f), "f'": sympy.Lambda(x, sympy.diff(f, x))}


@pytest.mark.parametrize("source, at", [("1/w^2", "w=4"), ("x^3 - 2x", "x=1"), ("sin(x)", "x=0"),
                                        ("x^2", "x=0"), ("cbrt(x)", "x=0")])
def test_tangent_and_normal_lines(source, at):
    t = tutor.tangent(source, at=at, normal=True)
    fragment = to_html(t)
    assert fragment.startswith('<section class="tutor-tangent">')
    lines = {"tangent": [], "normal": []}
    for lhs, rhs, why in rows(fragment, why=True, functions=_functions(t)):
        kind = why.split(",")[0]
        if kind in lines:       # a line: y = ... (or x = a when vertical)
            lines[kind].append((lhs, rhs))
        else:
            assert equal(lhs, rhs), f"{lhs} = {rhs}"
    for kind, line in (("tangent", t.tangent), ("normal", t.normal)):
        name = sympy.Symbol(t.var if line.vertical else t.dep)
        assert lines[kind] and all(l == name and equal(r, to_sympy(line.rhs)) for l, r in lines[kind])
    names = [a for a, _ in answers(fragment, functions=_functions(t))]
    assert len(names) == 3      # the derivative's answer, the tangent line, the normal line


def _on_curve(expr, rec, point):
    """expr (read with y = Y(x)) at a point of the curve, dy/dx and d²y/dx² put in."""
    x, Y = sympy.Symbol(rec.var), sympy.Function("Y")(sympy.Symbol(rec.var))
    y = sympy.Symbol(rec.dep)
    answer = to_sympy(rec.answer).subs(y, Y)
    second = to_sympy(rec.second).subs(y, Y) if rec.second is not None else None
    e = sympy.sympify(expr).doit()
    if second is not None:
        e = e.subs(sympy.Derivative(Y, (x, 2)), second)
    e = e.subs(sympy.Derivative(Y, x), answer)
    return e.subs(Y, point[1]).subs(x, point[0])


@pytest.mark.parametrize("equation, points", [
    ("x^2 + y^2 = 25", [(3, 4), (4, -3), (-3, 4)]),
    ("x y = 6", [(2, 3), (-3, -2)]),
    ("x^3 + y^3 = 6 x y", [(3, 3)]),
    ("y^2 = x^3 + x", [(1, sympy.sqrt(2))]),
])
def test_implicit_rows_hold_on_the_curve(equation, points):
    rec = tutor.implicit(equation, order=2)
    fragment = to_html(rec)
    assert fragment.startswith('<section class="tutor-implicit">')
    x, Y = sympy.Symbol(rec.var), sympy.Function("Y")(sympy.Symbol(rec.var))
    symbols = {rec.dep: Y, rec.dep + "'": sympy.Derivative(Y, x),
               rec.dep + "''": sympy.Derivative(Y, (x, 2))}
    pairs = rows(fragment, symbols=symbols)
    assert len(pairs) >= 4
    for lhs, rhs in pairs:
        for p in points:
            assert sympy.simplify(_on_curve(lhs - rhs, rec, p)) == 0, f"{lhs} = {rhs} at {p}"
    (d1, a1), (d2, a2) = answers(fragment, symbols=symbols)
    assert d1 == sympy.Derivative(Y, x) and d2 == sympy.Derivative(Y, (x, 2))
    for p in points:
        assert sympy.simplify(_on_curve(a1, rec, p) - _on_curve(to_sympy(rec.answer).subs(
            sympy.Symbol(rec.dep), Y), rec, p)) == 0


def test_implicit_at_a_point_and_primes():
    rec = tutor.implicit("x^2 + y^2 = 25", at="x=3,y=4")
    fragment = to_html(rec)
    assert "Tangent line:" in fragment
    (_, slope), *_ = [(l, r) for l, r in answers(fragment) if l == sympy.Symbol("y'")] or [(0, 0)]
    primed = to_html(tutor.implicit("x^2 + y^2 = 25", prime=True))
    assert "<mo>′</mo>" in primed and '<mi mathvariant="normal">d</mi><mi>y</mi>' not in primed
    line = to_html(tutor.tangent("x^2 + y^2 = 25", at="x=3,y=4"))
    ys = [r for l, r in rows(line) if l == sympy.Symbol("y")]
    assert ys and all(equal(r, -sympy.Rational(3, 4) * sympy.Symbol("x") + sympy.Rational(25, 4)) for r in ys)


@pytest.mark.parametrize("source, at", [("x^2", "x=3"), ("1/x", None), ("sqrt(x)", None),
                                        ("3x^3 - x", "x=2"), ("sin(x)", None)])
def test_definition_rows_are_true(source, at):
    d = tutor.from_definition(source, at=at)
    fragment = to_html(d)
    assert fragment.startswith('<section class="tutor-definition">')
    x = sympy.Symbol(d.var)
    f = to_sympy(d.function)
    functions = {"f": sympy.Lambda(x, f), "f'": sympy.Lambda(x, sympy.diff(f, x))}
    assert assert_true_rows(fragment, functions=functions) >= 4
    for lhs, rhs in answers(fragment, functions=functions):
        assert equal(lhs, rhs)
    assert "<munder><mi>lim</mi>" in fragment


def test_definition_table_is_a_table():
    fragment = to_html(tutor.from_definition("x^2", at="x=3", table=True))
    assert '<table class="tutor-table">' in fragment and "1e-05" in fragment


# ---------------------------------------------------------------- the grader's verdicts

def test_verdict_incorrect_with_its_diagnosis():
    v = tutor.check("sin(x^2)", "cos(x^2)")
    fragment = to_html(v)
    root = fragment_tree(fragment)
    assert {"tutor-verdict", "tutor-verdict-incorrect"} <= _cls(root)
    assert root.get("data-verdict") == "incorrect"
    echo = next(el for el in root.iter() if "tutor-echo" in _cls(el))
    assert equal(read(echo.find(MATH)), sympy.cos(sympy.Symbol("x") ** 2))
    [li] = [el for el in root.iter("li") if "tutor-diagnosis" in _cls(el)]
    assert li.get("data-id") == "chain-rule-missing-inner"
    assert "You forgot to multiply" in "".join(li.itertext())
    assert fragment.count("You forgot to multiply") == 1          # said once
    assert "tutor-expected" not in fragment                       # not given away ...
    assert "tutor-expected" in to_html(v, "full")                 # ... unless asked


def test_verdict_correct_and_invalid():
    assert 'data-verdict="correct"' in to_html(tutor.check("x^2", "2x"))
    fragment = to_html(tutor.check("sin(x^2)", "cos(x^2"))
    assert 'class="tutor-verdict tutor-verdict-invalid"' in fragment
    pre = next(fragment_tree(fragment).iter("pre"))
    assert pre.text.splitlines() == ["  cos(x^2", "     ^"]         # the caret under the column
    assert "hint: add a matching" in fragment


def test_work_verdict_marks_the_first_wrong_line():
    w = tutor.check_work("x^2 sin x", ["= 2x sin x + x^2 cos x", "= 2x sin x"])
    fragment = to_html(w)
    items = [el for el in fragment_tree(fragment).iter("li") if "tutor-work-line" in _cls(el)]
    assert len(items) == 2 and "tutor-first-wrong" in _cls(items[1])
    assert "tutor-first-wrong" not in _cls(items[0])


def test_text_from_users_is_escaped():
    v = Verdict("incorrect", 0.0, "<script>alert(1)</script> & more", answer=Sym("<img src=x>"))
    fragment = to_html(v)
    assert "<script" not in fragment and "<img" not in fragment
    assert "&lt;script&gt;" in fragment
    fragment_tree(fragment)


# ---------------------------------------------------------------- pages

class _Checker(html.parser.HTMLParser):
    """Tags balanced (void elements aside), and what an offline page must not have."""
    VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags = [], [], set()

    def handle_starttag(self, t, attrs):
        self.tags.add(t)
        for name, value in attrs:
            if name in ("src", "href", "action") or name.startswith("on"):
                self.errors.append(f"{t} {name}={value}")
        if t not in self.VOID:
            self.stack.append(t)

    def handle_endtag(self, t):
        if not self.stack or self.stack.pop() != t:
            self.errors.append(f"unbalanced </{t}>")


def check_page_markup(text: str) -> set:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert "script" not in checker.tags
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", text))
    assert urls <= {"http://www.w3.org/1998/Math/MathML"}, urls   # the namespace, never fetched
    for m in re.findall(r"<math\b.*?</math>", text, flags=re.S):
        check_core(m)
    return checker.tags


def _records():
    sol = tutor.differentiate("sin(x^2) e^x")
    return [sol, sol.at(x=1), tutor.tangent("1/w^2", at="w=4", normal=True),
            tutor.implicit("x^2 + y^2 = 25", at="x=3,y=4", order=2),
            tutor.from_definition("x^2", at="x=3", table=True),
            tutor.check("sin(x^2)", "cos(x^2)"), tutor.check("x", "(("),
            tutor.check_work("x^2 sin x", ["= 2x sin x + x^2 cos x", "= 2x sin x"])]


@pytest.mark.parametrize("record", _records(), ids=lambda r: type(r).__name__)
def test_standalone_pages_are_self_contained(record):
    page = record.to_html()              # the record's own door: standalone by default
    assert page.startswith("<!doctype html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<style>" in page and "<title>" in page
    tags = check_page_markup(page)
    assert {"html", "head", "body", "main", "section"} <= tags
    assert "math" in tags or getattr(record, "verdict", "") == "invalid"
    fragment = to_html(record)
    assert fragment.startswith('<section class="tutor-') and fragment in page
    check_page_markup(fragment)


def test_bad_detail_and_unknown_records_are_tutor_errors():
    with pytest.raises(tutor.TutorError) as info:
        to_html(tutor.differentiate("x^2"), "verbose")
    assert info.value.message == "unknown detail 'verbose': use brief, normal, steps or full"
    with pytest.raises(tutor.TutorError) as info:
        to_html(42)
    assert info.value.message.startswith("no HTML for a int")


# ---------------------------------------------------------------- in a real browser

def _chromium() -> str | None:
    path = os.environ.get("TUTOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if pathlib.Path(path).exists() else None


def test_a_solution_page_renders_in_chromium(tmp_path):
    pw = pytest.importorskip("playwright.sync_api")
    path = _chromium()
    if path is None:
        if os.environ.get("TUTOR_REQUIRE_TYPESETTERS") == "1":
            pytest.fail("chromium is required here but missing")
        pytest.skip("no chromium")
    page_file = tmp_path / "solution.html"
    page_file.write_text(tutor.differentiate("sin(x^2) e^x").to_html(), encoding="utf-8")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=args)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 600})
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            # MathML laid out natively: a fraction is taller than its numerator
            frac = page.locator(".tutor-answer mfrac").first.bounding_box()
            num = page.locator(".tutor-answer mfrac > *").first.bounding_box()
            assert frac["height"] > 1.5 * num["height"]
            assert page.locator("tr.tutor-line").count() == 3
            assert page.locator(".tutor-answer").inner_text().startswith("Answer:")
            page.screenshot(path=str(tmp_path / "solution.png"), full_page=True)
            narrow = browser.new_page(viewport={"width": 360, "height": 640})
            narrow.goto(page_file.as_uri())
            assert narrow.evaluate("document.documentElement.scrollWidth") <= 360   # no sideways page
        finally:
            browser.close()
    assert all(u.startswith("file://") for u in requests), requests


def test_a_huge_solution_is_summarised_and_still_answers():
    from tutor.expr import Call
    e = Sym("x")
    for _ in range(300):
        e = Call("sin", (e,))
    fragment = to_html(tutor.differentiate(e, "x"))
    assert "too long to show line by line" in fragment
    assert fragment.count('class="tutor-answer"') == 1
    fragment_tree(fragment)
