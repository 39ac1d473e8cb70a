"""The classroom page in a real browser: Playwright driving the system Chromium against a real
`tutor serve` on 127.0.0.1. A student types `sin(x^2) e^x`, sees it read back as MathML, gets
the worked solution, submits a wrong derivative and reads the diagnosis, types a broken input
and reads the caret; asks for a second derivative and works the labs' routes (finite differences,
gradient, dual numbers, backprop, descent); the permalink restores the problem; a phone-width viewport has no
horizontal scroll; the page breaks no rule of its Content-Security-Policy and asks nothing
of any other host (every other request is refused, as with the network unplugged).

Chromium is /usr/bin/chromium (TUTOR_CHROMIUM overrides); missing, the tests skip, or fail when
TUTOR_REQUIRE_TYPESETTERS=1 (CI), as tests/typeset.py does. Playwright's own browsers are never
downloaded. Screenshots go to $TUTOR_ARTIFACTS (or a temporary directory), path printed.
"""
from __future__ import annotations

import html
import os
import pathlib
import re
import tempfile

import pytest
import sympy

import tutor
from conftest import to_sympy

CHROMIUM = os.environ.get("TUTOR_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("TUTOR_REQUIRE_TYPESETTERS") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT = 20_000    # ms: a bound for a loaded machine, not a timing assertion


def _missing(what: str):
    if REQUIRED:
        pytest.fail(f"{what} is required here (TUTOR_REQUIRE_TYPESETTERS=1) but missing")
    pytest.skip(f"{what} not installed (see README: Classroom page)")


@pytest.fixture(scope="module")
def artifacts() -> pathlib.Path:
    where = os.environ.get("TUTOR_ARTIFACTS")
    path = pathlib.Path(where) if where else pathlib.Path(tempfile.mkdtemp(prefix="tutor-page-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _missing(f"Chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (pip install playwright)")
    for mod in ("starlette", "uvicorn", "httpx"):
        pytest.importorskip(mod)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    from serving import Server
    s = Server(tmp_path_factory.mktemp("page-browser"), "--workers", "1", "--deadline", "10")
    yield s
    s.stop()


class Page:
    """One tab, with every console error (a CSP violation is one) kept for the end."""

    def __init__(self, browser, server, artifacts, width=1100, height=900, path="/"):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.set_default_timeout(WAIT)
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.artifacts = artifacts
        self.page.route("**/*", lambda route: self._offline(route, server.url))
        self.page.goto(server.url + path)

    def _offline(self, route, origin: str) -> None:
        """The network unplugged: anything not from the tutor server is refused, and noted."""
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            self.errors.append(f"fetched from elsewhere: {route.request.url}")
            route.abort()

    def _console(self, m) -> None:
        # an API answer of 422 or 501 is logged as a failed load: expected, and shown on the page
        if m.type == "error" and not m.text.startswith("Failed to load resource: the server responded"):
            self.errors.append(m.text)

    def __getattr__(self, name):
        return getattr(self.page, name)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def shot(self, name: str) -> None:
        path = self.artifacts / f"page_{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")

    def close(self) -> None:
        self.page.close()
        assert self.errors == [], self.errors


def _math_text(mathml: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", mathml)))


def test_type_read_solve_and_check_a_wrong_answer(browser, server, artifacts):
    from tutor.service.page import read_input
    p = Page(browser, server, artifacts)
    assert p.evaluate("document.activeElement.id") == "expr"      # ready to type
    p.locator("#expr").press_sequentially("sin(x^2) e^x", delay=15)
    p.wait_for_selector("#reading math")
    assert p.text("#reading").startswith("You entered")
    want = _math_text(read_input("sin(x^2) e^x")["mathml"])
    p.wait_for_function("w => document.querySelector('#reading math').textContent.replace(/\\s+/g, '') === w", arg=want)

    p.press("#expr", "Enter")                                          # Enter: the worked solution
    p.wait_for_selector("#result-body[data-answer]")
    assert p.locator(".routes button[value=solution]").get_attribute("aria-pressed") == "true"
    answer = p.locator("#result-body").get_attribute("data-answer")
    x = sympy.Symbol("x")
    assert sympy.simplify(to_sympy(tutor.parse(answer)) - sympy.diff(sympy.sin(x**2) * sympy.exp(x), x)) == 0
    assert p.text("#result-body").startswith("Worked solution")

    wrong = "cos(x^2) e^x + sin(x^2) e^x"                              # the chain rule forgotten
    p.fill("#answer", wrong)
    p.wait_for_selector("#answer-reading math")                        # read back as typed
    p.press("#answer", "Enter")
    p.wait_for_selector("#verdict[data-verdict]")
    v = tutor.check("sin(x^2) e^x", wrong)
    assert p.locator("#verdict").get_attribute("data-verdict") == v.verdict == "incorrect"
    assert p.locator("#verdict").get_attribute("data-diagnoses") == "chain-rule-missing-inner"
    said = p.text("#verdict")
    assert said.startswith("Not quite")
    assert "You forgot to multiply by the derivative of the inside" in said
    assert "partial credit 0.5" in said and v.score == 0.5
    assert p.text("#answer-reading") == ""                             # the verdict echoes it
    p.shot("solution")

    p.click("details#working summary")                                 # check my working
    p.fill("#lines", "= cos(x^2) 2x e^x + sin(x^2) e^x\n= 3 e^x")
    p.press("#lines", "Control+Enter")
    p.wait_for_selector("#work-verdict[data-verdict]")
    assert p.locator("#work-verdict").get_attribute("data-verdict") == "incorrect"

    p.click(".routes button[value=plot]")                              # the plot tab
    p.wait_for_selector("#result-body svg, #result-body .error")
    if p.locator("#result-body .error").count():
        assert "Plots are not available on this server" in p.text("#result-body")
    else:
        assert p.locator("#result-body svg").get_attribute("role") == "img"
    p.shot("plot")
    p.close()


def test_a_broken_input_shows_the_caret_and_the_hint(browser, server, artifacts):
    p = Page(browser, server, artifacts)
    order = []
    for _ in range(5):                                                  # the focus order
        p.keyboard.press("Tab")
        order.append(p.evaluate("document.activeElement.id || document.activeElement.value"))
    assert order == ["at", "var", "order", "detail", "solution"]
    p.focus("#expr")
    p.locator("#expr").press_sequentially("sin(x^2", delay=15)
    p.wait_for_selector("#reading .error")
    assert p.text("#reading .error-message") == "Unmatched '(' opened here (column 4)"
    assert p.text("#reading .caret") == "sin(x^2\n   ^"
    assert p.text("#reading .hint") == "Hint: add a matching ')'"
    assert p.locator("#expr").get_attribute("aria-invalid") == "true"
    p.shot("error")
    p.locator("#expr").press("End")
    p.locator("#expr").press_sequentially(")", delay=15)                # fixed: the reading returns
    p.wait_for_selector("#reading math")
    assert p.locator("#expr").get_attribute("aria-invalid") is None
    p.press("#expr", "Enter")
    p.click(".routes button[value=tangent]")                           # no point yet: says so
    assert p.text("#result-body .error-message") == "This needs a point: type it in the Point box."
    assert p.evaluate("document.activeElement.id") == "at"
    p.close()


def test_the_permalink_restores_the_problem(browser, server, artifacts):
    p = Page(browser, server, artifacts)
    p.fill("#expr", "x^2 + y^2 = 25")
    p.fill("#at", "x=3,y=4")
    p.select_option("#detail", "full")
    p.click(".routes button[value=implicit]")
    p.wait_for_selector("#result-body section")
    link = p.locator("#permalink").get_attribute("href")
    assert link == p.url and "#" in link and "25" in link
    p.close()
    q = Page(browser, server, artifacts, path=link[len(server.url):])
    q.wait_for_selector("#result-body section")
    assert q.locator("#expr").input_value() == "x^2 + y^2 = 25"
    assert q.locator("#at").input_value() == "x=3,y=4"
    assert q.locator("#detail").input_value() == "full"
    assert q.locator(".routes button[value=implicit]").get_attribute("aria-pressed") == "true"
    q.wait_for_selector("#reading math")
    q.close()


def test_phone_width_has_no_horizontal_scroll(browser, server, artifacts):
    p = Page(browser, server, artifacts, width=375, height=740,
             path="/#f=" + "sin(x^2)%20e^x%20%2B%20x^3%20ln(x)%20tan(x)&detail=full")
    p.wait_for_selector("#result-body[data-answer]")
    p.fill("#answer", "2x")
    p.press("#answer", "Enter")
    p.wait_for_selector("#verdict[data-verdict]")
    width = p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    p.shot("phone")
    p.fill("#expr", "x^2 + 3x)")
    p.wait_for_selector("#reading .error")
    assert p.text("#result .stale-note").startswith("This was worked out for sin(x^2) e^x + x^3")
    assert p.locator("#verdict").inner_text() == ""                     # the old verdict is gone
    assert p.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    p.shot("phone_error")
    p.close()


def test_the_order_box_and_the_labs_routes(browser, server, artifacts):
    """The order box gives f'' (and refuses a third implicit derivative as the API does); each
    lab's button works its record out with the inputs it needs; the permalink keeps them."""
    from tutor.render.common import fmt_significant
    p = Page(browser, server, artifacts)
    # the order: a second derivative, worked
    p.fill("#expr", "x^3 sin(x)")
    p.fill("#order", "2")
    p.click(".routes button[value=solution]")
    p.wait_for_selector("#result-body[data-answer]")
    want = tutor.differentiate("x^3 sin(x)", order=2).answer
    x = sympy.Symbol("x")
    got = to_sympy(tutor.parse(p.locator("#result-body").get_attribute("data-answer")))
    assert sympy.simplify(got - to_sympy(want)) == 0
    assert sympy.simplify(got - sympy.diff(x ** 3 * sympy.sin(x), x, 2)) == 0
    # ... and the server's limit, shown as the page shows every error
    p.fill("#expr", "x^2 + y^2 = 25")
    p.fill("#order", "3")
    p.click(".routes button[value=implicit]")
    p.wait_for_selector("#result-body .error-message")
    assert p.text("#result-body .error-message") == "'order' must be from 1 to 2 (got 3)"
    p.fill("#order", "1")
    # finite differences: the lab's line, digit for digit, and the table of ε
    fd = tutor.finite_difference("w^2", "w=3")
    p.fill("#expr", "w^2")
    p.fill("#at", "w=3")
    p.click(".routes button[value=numeric]")
    p.wait_for_selector("#result-body .tutor-numeric")
    assert p.text("#result-body pre.tutor-lab") == fd.lab_line
    assert p.locator("#result-body table.tutor-table tbody tr").count() == len(fd.rows)
    # the gradient: the direction and the Hessian are asked under the buttons, Enter re-runs it
    p.fill("#expr", "x^2 y + sin(y)")
    p.fill("#at", "x=1,y=0")
    assert p.locator("#along").is_hidden()
    p.click(".routes button[value=gradient]")
    p.wait_for_selector("#result-body .tutor-gradient")
    assert p.locator("#along").is_visible()
    p.fill("#along", "3,4")
    p.check("#hessian")
    p.press("#along", "Enter")
    p.wait_for_selector("#result-body .tutor-gradient mtable")
    # at the page's Detail (normal) each partial is worked, then the gradient itself
    answers = p.locator("#result-body .tutor-answer").all_inner_texts()
    assert sum(a.startswith("Gradient:") for a in answers) == 1 and len(answers) > 1
    assert "≈ 1.6" in p.text("#result-body .tutor-gradient")      # D_u f = 8/5 at the point
    p.wait_for_selector("#reading .vars:text-is('(variables: x, y)')")
    p.shot("gradient")
    # dual numbers: with respect to the point's first name
    p.fill("#expr", "x^2 sin(x) + 3x")
    p.fill("#at", "x=2")
    p.click(".routes button[value=dual]")
    p.wait_for_selector("#result-body .tutor-dual")
    assert p.locator("#result-body tr.tutor-trace-line").count() == 7
    therefore = p.text("#result-body .tutor-answer")
    assert therefore.startswith("Therefore") and "9.637189707" in therefore and "4.972602361" in therefore
    p.wait_for_selector("#reading .vars:text-is('(variable: x)')")   # the reading caught up too
    p.shot("dual")
    # backpropagation: the gradient in one backward pass
    p.fill("#expr", "x y + sin(x)")
    p.fill("#at", "x=1,y=2")
    p.click(".routes button[value=backprop]")
    p.wait_for_selector("#result-body .tutor-backprop")
    grad = p.locator("#result-body tr.tutor-answer-line").all_inner_texts()
    assert [" ".join(g.split()) for g in grad] == ["∂f/∂x = v̄1 = 2.540302306", "∂f/∂y = v̄2 = 1"]
    # the route's own error, shown as the page shows every error
    p.fill("#at", "x=1")
    p.click(".routes button[value=dual]")
    p.wait_for_selector("#result-body .error-message")
    assert p.text("#result-body .error-message").startswith("No value for y: give every variable a value")
    # a lab without its point says so before asking the server
    p.fill("#at", "")
    p.click(".routes button[value=dual]")
    assert p.text("#result-body .error-message") == "This needs a point: type it in the Point box."
    # gradient descent: start, rate and steps under the buttons
    d = tutor.descend("(w-3)^2", None, "1", "0.2", 4)
    p.fill("#expr", "(w-3)^2")
    p.click(".routes button[value=descend]")
    p.wait_for_selector("#result-body .tutor-descent")
    p.fill("#start", "1")
    p.fill("#rate", "0.2")
    p.fill("#steps", "4")
    p.press("#steps", "Enter")
    p.wait_for_selector("#result-body .tutor-iterations tbody tr:nth-child(5):last-child")   # 4 steps, 5 rows
    result = "".join(p.text("#result-body .tutor-answer").split())     # MathML's w is 𝑤 in text
    assert result.startswith("Result:") and result.endswith(f"={fmt_significant(d.final[0])}")
    p.wait_for_selector("#reading .vars:text-is('(variable: w)')")
    p.shot("descent")
    link = p.locator("#permalink").get_attribute("href")
    assert "r=descend" in link and "start=1" in link and "rate=0.2" in link and "steps=4" in link
    p.close()
    # the permalink brings the route and its boxes back, and works it out again
    q = Page(browser, server, artifacts, path=link[len(server.url):])
    q.wait_for_selector("#result-body .tutor-descent")
    assert [q.locator(f"#{b}").input_value() for b in ("expr", "start", "rate", "steps")] == \
        ["(w-3)^2", "1", "0.2", "4"]
    assert q.locator(".routes button[value=descend]").get_attribute("aria-pressed") == "true"
    assert q.locator("#start").is_visible()
    assert q.locator("#result-body .tutor-iterations tbody tr").count() == 5
    q.close()
    # at phone width: the labs' tables scroll in their boxes, the page never sideways
    for route, at in (("backprop", "x%3D1%2Cy%3D2"), ("dual", "x%3D1%2Cy%3D2"), ("gradient", "x%3D1%2Cy%3D2")):
        r = Page(browser, server, artifacts, width=375, height=740,
                 path=f"/#f=x%20y%20%2B%20sin(x)&r={route}&at={at}&along=1%2C2&hessian=1")
        r.wait_for_selector(f"#result-body .tutor-{route}")
        assert r.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), route
        r.shot(f"phone_{route}")
        r.close()
