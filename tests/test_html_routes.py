"""HTML of the labs' records (tutor/render/html_numeric, html_multivar, html_trace, html_descent):
the structure the page relies on, the record's numbers digit for digit (the text renderer's),
every `<math>` MathML Core and well-formed, scalar rows read back as true equations
(tests/mathml_reader.py, the oracle SymPy), and the lines in the text renderer's order.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sympy

import tutor
from mathml_reader import NS, read, tag
from test_html import answers, check_page_markup, fragment_tree
from tutor.render.html import to_html

MATH = NS + "math"


def _cls(el) -> set:
    return set((el.get("class") or "").split())


def _line_cells(fragment: str, table_cls: str = "tutor-lines"):
    """Per `tr.tutor-line`: {cell class: td} in order, from tables with `table_cls`."""
    out = []
    for table in fragment_tree(fragment).iter("table"):
        if table_cls in _cls(table):
            for tr in table.iter("tr"):
                if "tutor-line" in _cls(tr):
                    out.append({c: td for td in tr.findall("td") for c in _cls(td)})
    return out


def _text(el) -> str:
    return "".join(el.itertext())


def _items(math_el) -> list:
    """A bracketed row `(a, b, c)` read item by item (the reader reads scalars, not vectors)."""
    row = math_el
    while tag(row) in ("math", "mrow") and len(row) == 1:
        row = row[0]
    kids = list(row)
    assert kids[0].text == "(" and kids[-1].text == ")", ET.tostring(row)
    items, cur = [], []
    for k in kids[1:-1]:
        if tag(k) == "mo" and k.text == ",":
            items.append(cur)
            cur = []
        else:
            cur.append(k)
    items.append(cur)
    out = []
    for parts in items:
        m = ET.Element(MATH)
        r = ET.SubElement(m, NS + "mrow")
        r.extend(parts)
        out.append(read(m))
    return out


def _section(fragment: str, kind: str) -> ET.Element:
    assert fragment.startswith(f'<section class="tutor-{kind}">'), fragment[:80]
    check_page_markup(fragment)           # balanced, no script, every <math> MathML Core
    return fragment_tree(fragment)


# ---------------------------------------------------------------- finite differences

@pytest.mark.parametrize("source, at", [("w^2", "w=3"), ("sin(x)", "x=1"), ("1/w", "w=2"), ("sqrt(x)", "x=0.25")])
def test_numeric_lines_table_and_numbers(source, at):
    fd = tutor.finite_difference(source, at)
    fragment = to_html(fd)
    root = _section(fragment, "numeric")
    j, j_eps, k = _line_cells(fragment)
    # J, J_ε and k in the text's order, each with the lab's digits (Python's repr)
    assert _text(j["tutor-rhs"]).endswith(fd.J_text)
    assert _text(j_eps["tutor-rhs"]).endswith(repr(fd.J_epsilon).replace("-", "\u2212"))
    assert _text(k["tutor-rhs"]).endswith(repr(fd.k).replace("-", "\u2212"))
    assert "Python floats" in _text(j_eps["tutor-why"])
    pre = next(root.iter("pre"))
    assert pre.text == fd.lab_line                 # digit for digit
    # the exact derivative: dJ/dw = f' = value, the value the record has
    exact = next(el for el in root.iter("p") if "tutor-exact" in _cls(el))
    assert "at this point" in _text(exact)
    # the table: one row per ε, the text renderer's cells
    table = next(t for t in root.iter("table") if "tutor-table" in _cls(t))
    body = [[_text(td) for td in tr.findall("td")] for tr in table.find("tbody")]
    assert len(body) == len(fd.rows)
    for cells, r in zip(body, fd.rows):
        assert cells[0] == f"{r.eps:.0e}"
        assert cells[1] == ("undefined" if r.forward is None else repr(r.forward))
        assert cells[2] == ("-" if r.forward_error is None else f"{r.forward_error:.2e}")
        assert cells[3] == ("undefined" if r.central is None else repr(r.central))
    assert fd.conclusion in fragment.replace("&#x27;", "'")


def test_numeric_exact_line_holds():
    fd = tutor.finite_difference("w^3", "w=2")
    root = fragment_tree(to_html(fd))
    exact = next(el for el in root.iter("p") if "tutor-exact" in _cls(el)).find(MATH)
    row = exact[0]                                   # dJ/dw = 3w^2 = 12: read the two right sides
    eqs = [i for i, k in enumerate(row) if tag(k) == "mo" and k.text == "="]
    assert len(eqs) == 2

    def part(a, b):
        m = ET.Element(MATH)
        ET.SubElement(m, NS + "mrow").extend(list(row)[a:b])
        return read(m)
    w = sympy.Symbol("w")
    assert sympy.simplify(part(eqs[0] + 1, eqs[1]) - 3 * w ** 2) == 0
    assert part(eqs[1] + 1, len(row)) == 12


# ---------------------------------------------------------------- the gradient

def test_gradient_partials_vector_direction_and_hessian():
    g = tutor.gradient("x^2 y + sin(y)", None, "x=1,y=0", "3,4", True)
    fragment = to_html(g, "brief")
    root = _section(fragment, "gradient")
    x, y = sympy.symbols("x y")
    f = x ** 2 * y + sympy.sin(y)
    cells = _line_cells(fragment)
    # the partials first, in the variables' order, each the derivative of f
    for c, v in zip(cells, (x, y)):
        assert sympy.simplify(read(c["tutor-rhs"].find(MATH)) - sympy.diff(f, v)) == 0
    # the gradient, the answer
    grad = next(el for el in root.iter() if "tutor-answer" in _cls(el))
    assert _text(grad).startswith("Gradient:")
    vec = grad.find(MATH)[0]
    assert [sympy.simplify(a - sympy.diff(f, v)) for a, v in zip(_items(_rhs_of(vec)), (x, y))] == [0, 0]
    texts = [_text(c["tutor-why"]) for c in cells]
    rhs = [c["tutor-rhs"].find(MATH) for c in cells]
    # at the point: (0, 2) ≈ (0, 2)
    assert _items(rhs[2]) == [0, 2] and texts[2] == "≈ (0, 2)"
    # |v| = sqrt(3² + 4²) = sqrt(25) = 5, u = (3/5, 4/5) ≈ (0.6, 0.8), D_u f = ... = 8/5 ≈ 1.6
    assert read(rhs[3]) == 5 and read(rhs[4]) == 5 and read(rhs[5]) == 5
    assert _items(rhs[7]) == [sympy.Rational(3, 5), sympy.Rational(4, 5)] and texts[7] == "≈ (0.6, 0.8)"
    directional = sympy.Rational(3, 5) * sympy.diff(f, x) + sympy.Rational(4, 5) * sympy.diff(f, y)
    assert sympy.simplify(read(rhs[9]) - directional) == 0
    assert read(rhs[10]) == sympy.Rational(8, 5) and texts[10] == "≈ 1.6"
    # the Hessian, symbolic then at the point, as mtables
    tables = [el for el in root.iter(NS + "mtable")]
    assert len(tables) == 2
    values = [[read(_wrap(td)) for td in tr] for tr in tables[1]]
    assert values == [[0, 2], [2, 0]]
    assert fragment.index("Partial derivatives") < fragment.index("Gradient:") < fragment.index("Direction") \
        < fragment.index("Hessian")


def _rhs_of(row):
    """The right side of `lhs = rhs` in an answer's mrow."""
    kids = list(row)
    i = next(i for i, k in enumerate(kids) if tag(k) == "mo" and k.text == "=")
    m = ET.Element(MATH)
    ET.SubElement(m, NS + "mrow").extend(kids[i + 1:])
    return m


def _wrap(td):
    m = ET.Element(MATH)
    ET.SubElement(m, NS + "mrow").extend(list(td))
    return m


def test_gradient_in_more_detail_works_each_partial():
    g = tutor.gradient("x y^2", None, "x=2,y=1")
    brief, normal = to_html(g, "brief"), to_html(g)
    assert "tutor-solution" not in brief and normal.count('<section class="tutor-solution">') == 2
    assert normal.count('<section class="tutor-atpoint">') == 2
    check_page_markup(normal)


# ---------------------------------------------------------------- dual numbers

def test_dual_trace_lines_are_the_text_renderers():
    t = tutor.dual_trace("x^2 sin(x) + 3x", "x", "x=2")
    fragment = to_html(t)
    _section(fragment, "dual")
    cells = _line_cells(fragment, "tutor-trace")
    text_lines = [ln.strip() for ln in t.to_text().splitlines()[2:2 + len(t.lines)]]
    assert len(cells) == len(t.lines) == len(text_lines)
    for c, line in zip(cells, text_lines):
        assert line.startswith(f"{_text(c['tutor-lhs'])} = {_text(c['tutor-rhs'])}   ")
        assert line.endswith(f"[{_text(c['tutor-why'])}]")
    assert _text(cells[1]["tutor-lhs"]) == "let c"
    [(u, value), (ux, derivative)] = _pairs(fragment)
    assert u == sympy.Symbol("u") and ux == sympy.Symbol("u_x")
    assert abs(float(value) - 9.637189707) < 1e-9 and abs(float(derivative) - 4.972602361) < 1e-9


def _pairs(fragment):
    out = []
    for el in fragment_tree(fragment).iter():
        if "tutor-answer" in _cls(el):
            for m in el.iter(MATH):
                lhs, op, rhs = read(m)
                out.append((lhs, rhs))
    return out


def test_dual_exact_values_stay_exact():
    t = tutor.dual_trace("x/y", "y", "x=1,y=2")
    fragment = to_html(t)
    [(_, value), (_, derivative)] = _pairs(fragment)
    assert value == sympy.Rational(1, 2) and derivative == -sympy.Rational(1, 4)
    assert "<mfrac><mn>1</mn><mn>4</mn></mfrac>" in fragment


# ---------------------------------------------------------------- backpropagation

def test_backprop_graph_forward_backward_gradient():
    b = tutor.backprop("x*y + sin(x)", "x=1,y=2")
    fragment = to_html(b)
    root = _section(fragment, "backprop")
    heads = [_text(p) for p in root.iter("p") if "tutor-heading" in _cls(p)]
    assert [h.split(" (")[0] for h in heads] == ["Computation graph", "Forward pass", "Backward pass", "Gradient"]
    tables = [t for t in root.iter("table") if "tutor-trace" in _cls(t)]
    n = len(b.graph.nodes)
    assert [len(t.find("tbody")) for t in tables] == [n, n, n, 2]
    text = b.to_text()
    for t in tables[:3]:
        for tr in t.find("tbody"):
            lhs, rhs = (_text(td) for td in tr.findall("td")[0:3:2])
            assert f"  {lhs} = {rhs}" in text
    first_back = tables[2].find("tbody")[0]
    assert _text(first_back.findall("td")[3]) == "the output: ∂f/∂f"
    grad = [(_text(tr[0]), _text(tr[2])) for tr in tables[3].find("tbody")]
    assert grad == [("∂f/∂x", "v̄1 = 2.540302306"), ("∂f/∂y", "v̄2 = 1")]
    assert all("tutor-answer-line" in _cls(tr) for tr in tables[3].find("tbody"))


# ---------------------------------------------------------------- gradient descent

def test_descent_iterations_and_result():
    d = tutor.descend("(w-3)^2", None, 0, 0.1, 5)
    fragment = to_html(d)
    root = _section(fragment, "descent")
    w = sympy.Symbol("w")
    cells = _line_cells(fragment)
    assert sympy.simplify(read(cells[0]["tutor-rhs"].find(MATH)) - (w - 3) ** 2) == 0
    assert sympy.simplify(read(cells[1]["tutor-rhs"].find(MATH)) - 2 * (w - 3)) == 0
    table = next(t for t in root.iter("table") if "tutor-iterations" in _cls(t))
    assert [_text(th) for th in table.find("thead")[0]] == ["k", "w", "J", "dJ/dw", "update"]
    body = [[_text(td) for td in tr] for tr in table.find("tbody")]
    assert len(body) == len(d.iterations) == 6
    assert body[0] == ["0", "0", "9", "-6", "w := 0 - 0.1·(-6) = 0.6"]
    assert body[-1][:2] == ["5", "2.01696"] and body[-1][-1] == ""
    assert "Stopped after 5 iterations (the step limit)." in fragment
    [(lhs, rhs)] = answers(fragment)
    assert lhs == w and rhs == sympy.Rational("2.01696")


def test_descent_several_variables():
    d = tutor.descend("(a-1)^2 + (b+2)^2", None, [0, 0], 0.1, 3)
    fragment = to_html(d)
    root = _section(fragment, "descent")
    table = next(t for t in root.iter("table") if "tutor-iterations" in _cls(t))
    assert [_text(th) for th in table.find("thead")[0]] == ["k", "a", "b", "J", "dJ/da", "dJ/db", "update"]
    assert "∂" in fragment                      # ∂J/∂a with several variables
    result = next(el for el in root.iter() if "tutor-answer" in _cls(el))
    assert _text(result).startswith("Result:")
    from tutor.render.common import fmt_significant
    shown = [mn.text for mn in result.iter(NS + "mn")]
    assert shown == [fmt_significant(abs(x)) for x in d.final]


# ---------------------------------------------------------------- pages and titles

@pytest.mark.parametrize("record", [
    tutor.finite_difference("w^2", "w=3"), tutor.gradient("x y", None, "x=1,y=1"),
    tutor.dual_trace("x y", "x", "x=1,y=2"), tutor.backprop("x y", "x=1,y=2"),
    tutor.descend("w^2", None, 1)], ids=lambda r: type(r).__name__)
def test_standalone_pages_of_the_labs(record):
    page = to_html(record, standalone=True)
    tags = check_page_markup(page)
    assert {"html", "head", "body", "main", "section", "math"} <= tags
    assert "<title>" in page and "— tutor</title>" in page and page.count("<section") >= 1


def test_a_kink_line_and_its_note():
    t = tutor.dual_trace("abs(x) + max(x, 1)", "x", "x=2")
    fragment = to_html(t)
    cells = _line_cells(fragment, "tutor-trace")
    assert [_text(c["tutor-why"]) for c in cells] == [ln.rule_text for ln in t.lines]
    assert any(ln.rule == "max" for ln in t.lines) and any(ln.rule == "abs" for ln in t.lines)
    notes = [_text(p) for p in fragment_tree(fragment).iter("p") if "tutor-note" in _cls(p)]
    assert notes == [f"Note: {n}" for n in t.notes]


@pytest.mark.parametrize("record", [
    tutor.finite_difference("w^2", "w=3"), tutor.gradient("x y", None, "x=1,y=1"),
    tutor.dual_trace("x y", "x", "x=1,y=2"), tutor.backprop("x y", "x=1,y=2"),
    tutor.descend("w^2", None, 1)], ids=lambda r: type(r).__name__)
def test_the_labs_records_print_their_own_html_as_every_record_does(record):
    """`record.to_html()`, as Solution, Definition, Implicit, AtPoint and Verdict have it: the
    standalone page by default, the page's fragment with standalone=False."""
    assert record.to_html().startswith("<!doctype html>")
    assert record.to_html(standalone=False).startswith("<section")
