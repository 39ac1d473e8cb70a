"""Notes are templates whose maths each format prints its own way, the blackboard is computed
once per stage, and full-detail LaTeX states every rule's formula (bugs of issue 8)."""
from __future__ import annotations

import re

from tutor import differentiate
from tutor.expr import Sym
from tutor.rules import Rule, rule_info
from tutor.steps import Note, note_text
from tutor.printing import to_latex
from tutor.render.common import tex_escape
from tutor.render.solution import NARRATION

#: calculator syntax that must never reach LaTeX or Markdown prose
_CALC = re.compile(r"\w\^\d|\w+\^\(|\b[a-z]\w*\d \(|\bd/d\w+\[")


def _prose_of_markdown(md: str) -> str:
    """The Markdown's prose: display maths lines dropped, inline $...$ removed."""
    lines = [ln for ln in md.splitlines() if not ln.startswith("$$")]
    return re.sub(r"\$[^$]*\$", "", "\n".join(lines))


def test_markdown_note_prints_latex_not_calculator_syntax():
    sol = differentiate("sin(w1) w2^2 (1 - w2)", "w1")
    md = sol.to_markdown()
    assert "$w_{2}^{2} \\left(1 - w_{2}\\right)$ does not depend on $w_{1}$" in md
    assert "w2^2 (1 - w2)" not in md
    assert not _CALC.search(_prose_of_markdown(md))
    # the text stays calculator text, as before
    assert "note: w2^2 (1 - w2) does not depend on w1: it is a constant factor" in sol.to_text()


def test_no_calculator_syntax_in_latex_or_markdown_prose():
    for function, var in [("sin(w1) w2^2 (1 - w2)", "w1"), ("max(y z, y + 2x)", "x"),
                          ("relu(w11 x1 + w21 x2)", "w11"), ("sqrt(x^2 + 1)", "x"),
                          ("x^x", "x"), ("log(x, y) + a x^2", "x"), ("root(x, 5)", "x")]:
        sol = differentiate(function, var)
        for detail in ("normal", "full"):
            assert not _CALC.search(_prose_of_markdown(sol.to_markdown(detail))), (function, detail)
            for text in re.findall(r"\\text\{((?:[^{}]|\{[^{}]*\})*)\}", sol.to_latex(detail)):
                assert not _CALC.search(re.sub(r"\$[^$]*\$", "", text)), (function, text)


def test_note_renders_per_format_and_escapes_only_prose():
    note = Note("{0} is 50% of {1}", (Sym("w1"), Sym("x_a")))
    assert str(note) == "w1 is 50% of x_a"
    latex = note.render(lambda e: f"${to_latex(e)}$", tex_escape)
    assert latex == "$w_{1}$ is 50\\% of $x_{a}$"
    assert note_text("plain", None) == "plain" and note_text("50%", str, tex_escape) == "50\\%"
    assert not Note("") and note


def test_full_latex_states_the_first_steps_formula():
    latex = differentiate("x sin x").to_latex("full")
    assert rule_info("product").latex in latex
    rows = latex.splitlines()
    assert "Product rule" in rows[1] and rows[2].startswith("& && ") and "u' v" in rows[2]


def test_full_latex_states_every_formula_the_text_states():
    sol = differentiate("sin(x^2) e^x + 3/x^2")
    text, latex = sol.to_text("full"), sol.to_latex("full")
    for step in sol.stages[0].flat_steps():
        info = rule_info(step.rule)
        assert f"{info.name}: {info.text}" in text
        assert info.latex in latex


def test_blackboard_is_computed_once_per_stage():
    sol = differentiate("sin(x^2) e^x")
    stage = sol.stages[0]
    assert stage.lines() is stage.lines()
    assert stage.lines()[-1][0] == stage.answer
    sol.to_text(), sol.to_latex(), sol.to_dict()  # the renderers read the same tuple
    assert stage.lines() is stage.lines()


def test_rule_ids_are_an_enum_with_the_json_strings():
    assert Rule.PRODUCT == "product" and f"{Rule.CONSTANT_MULTIPLE}" == "constant-multiple"
    assert str(Rule.LOG_DIFF) == "log-diff" and {"chain": 1}[Rule.CHAIN] == 1
    sol = differentiate("sin(x^2)")
    ids = [s["rule"] for s in sol.to_dict()["steps"]][:2]
    assert ids == ["chain", "power"] and all(type(i) is str for i in ids)
    assert set(NARRATION) == set(Rule)


def test_renderers_read_simplify_steps_of_either_record_alike():
    """The simplifier's records are turning into steps.Step(kind="simplify"): every renderer
    must give the same output for both (they read kind, rule, name, before, after, note)."""
    import dataclasses
    from tutor.steps import Stage, Step
    for function in ("x^x", "(x^2 + 1)/(x - 1)"):
        sol = differentiate(function)
        st = sol.stages[0]
        simp = tuple(Step(r.rule, r.before, r.after, note=r.note, kind="simplify", name=r.name)
                     for r in st.simplification)
        sol2 = dataclasses.replace(sol, stages=(Stage(st.function, st.var, st.partial, st.derivation,
                                                      st.raw, simp, st.answer),))
        for detail in ("brief", "normal", "full"):
            assert sol.to_text(detail) == sol2.to_text(detail)
            assert sol.to_latex(detail) == sol2.to_latex(detail)
            assert sol.to_markdown(detail) == sol2.to_markdown(detail)
            assert sol.to_json(detail) == sol2.to_json(detail)


def test_a_simplify_note_with_maths_prints_per_format():
    import dataclasses
    from tutor.steps import Stage, Step
    sol = differentiate("x^x")
    st = sol.stages[0]
    simp = tuple(Step(r.rule, r.before, r.after, kind="simplify", name=r.name,
                      note=Note("cancelling assumes {0} ≠ 0", (Sym("x1"),)) if r.note else "")
                 for r in st.simplification)
    sol2 = dataclasses.replace(sol, stages=(Stage(st.function, st.var, st.partial, st.derivation,
                                                  st.raw, simp, st.answer),))
    assert "cancelling assumes x1 ≠ 0" in sol2.to_text("full")
    assert "($x_{1}$" not in sol2.to_markdown() and "cancelling assumes $x_{1}$ ≠ 0" in sol2.to_markdown()
    assert "\\text{note: cancelling assumes $x_{1}$ $\\neq$ 0}" in sol2.to_latex("full")
    assert sol2.to_dict()["steps"][-1]["note"] == "cancelling assumes x1 ≠ 0"
