"""Reading what students type (issue 9, "Reading"): braces, variable names, wrappers."""
import pytest

import tutor
from tutor.errors import TutorError
from tutor.language import parse
from tutor.printing import to_text


# ------------------------------------------------------------------ braces are not LaTeX

@pytest.mark.parametrize("text, read", [
    ("e^{2x} sin x", "e^(2x) sin(x)"),
    ("tan^{-1}(x)", "atan(x)"),
    ("log_{10}(x)", "log10(x)"),
    ("x^{2} + 1", "x^2 + 1"),
])
def test_braces_read_as_brackets_in_calculator_syntax(text, read):
    assert to_text(parse(text)) == read


@pytest.mark.parametrize("text, read", [
    (r"\frac{1}{2} sin x", "(1/2) sin(x)"),
    (r"\frac{1}{2} sin(x)", "(1/2) sin(x)"),
    (r"\frac{1}{2} log_{2} x", "(1/2) log2(x)"),
    (r"\mathrm{sin} x", "sin(x)"),
    (r"\frac{ab}{2}", "a b/2"),
])
def test_latex_accepts_bare_function_names(text, read):
    assert to_text(parse(text)) == read


def test_check_with_braces_in_a_plain_answer_is_correct():
    v = tutor.check("e^(2x) sin x", "2e^{2x} sin x + e^{2x} cos x")
    assert v.correct


# ------------------------------------------------------------------ variable names

@pytest.mark.parametrize("var", ["x_1", "x1", "x_{1}"])
def test_a_variable_is_spelt_as_the_expression_spells_it(var):
    assert to_text(tutor.differentiate("x_1^2 x_2", var).answer) == "2x1 x2"


def test_check_with_a_subscripted_variable():
    assert tutor.check("w_1^2", "2w_1", var="w_1").correct
    assert tutor.check("w_1^2", "2w_{1}", var="w_{1}").correct


def _variable_error(*args, **kw):
    with pytest.raises(TutorError) as info:
        tutor.differentiate(*args, **kw)
    return str(info.value).splitlines()[0], info.value.hint


def test_a_variable_that_does_not_occur_is_an_error():
    assert _variable_error("x^2", "y") == (
        "the variable 'y' does not occur in the function (read as x^2)",
        "the variables are x")
    assert _variable_error("x^2", "sin") == (
        "the variable 'sin' does not occur in the function (read as x^2)",
        "sin is a function, not a variable; the variables are x")


def test_an_undeclared_word_says_how_it_was_read():
    from tutor.solve import check_occurs
    with pytest.raises(TutorError) as info:
        check_occurs(parse("rate^2 t"), "rate")
    assert str(info.value).splitlines()[0] == (
        "the variable 'rate' does not occur in the function (read as r a t e^2 t)")
    assert info.value.hint == ("a word of several letters reads as a product of its letters: "
                               "declare it as one name (names=['rate']), or use one of r, a, t")


def test_a_tree_may_be_differentiated_by_a_name_it_lacks():
    assert to_text(tutor.differentiate(tutor.parse("x"), "y").answer) == "0"


def test_naming_a_word_as_the_variable_declares_it():
    assert to_text(tutor.differentiate("rate^2 t", "rate").answer) == "2 rate t"


def test_a_number_before_a_declared_word_is_printed_apart():
    """`2 rate t`, not `2rate t` (which reads as 2·r·a·t·e·t without the declaration); one
    letter, a subscript or a Greek name keeps the textbook's `2x`, `2x_1`, `2theta`."""
    v = tutor.check("rate^2 t", "2 rate t", "rate")
    assert v.verdict == "correct" and v.echo == "you entered 2 rate t"
    for src, shown in (("2 x", "2x"), ("2 x_1", "2x1"), ("2 theta", "2theta"), ("2 w1", "2w1")):
        assert to_text(tutor.parse(src)) == shown
    from tutor.language import declaring
    with declaring(["rate"]):
        assert to_text(tutor.parse("2 rate")) == "2 rate"


def test_declared_names_and_constants():
    assert to_text(tutor.differentiate("rate^2 t", "t", names=["rate"]).answer) == "rate^2"
    sol = tutor.differentiate("k x^2 + lam x", constants="k,lam")
    assert sol.var == "x" and not sol.partial
    assert to_text(sol.answer) == "2k x + lam"


@pytest.mark.parametrize("text, var, answer", [
    ("a x^2 + b x + c", "x", "2a x + b"),
    ("n x^n", "x", "n^2 x^(n - 1)"),
    ("A sin(k t)", "t", "A k cos(k t)"),
])
def test_beside_constant_letters_the_variable_is_chosen(text, var, answer):
    sol = tutor.differentiate(text)
    assert sol.var == var and not sol.partial
    import sympy
    from conftest import to_sympy
    assert sympy.simplify(to_sympy(sol.answer) - to_sympy(parse(answer))) == 0


def test_several_real_variables_still_ask_which():
    message, hint = _variable_error("x y")
    assert message.startswith("the function has several variables (x, y)")
    assert hint == "e.g. --var x, or declare the others constant (--constants y)"


# ------------------------------------------------------------------ near-miss words

@pytest.mark.parametrize("text, message, hint", [
    ("sinn x", "'sinn x' reads as sin(n x)",
     "did you mean `sin(n x)`? write the brackets you mean: `sin(n x)` or `sin(n) x`, "
     "or `sin(x)` if 'sinn' is a typo"),
    ("sine x", "'sine x' reads as sin(e x)",
     "did you mean `sin(e x)`? write the brackets you mean: `sin(e x)` or `sin(e) x`, "
     "or `sin(x)` if 'sine' is a typo"),
    ("Cos x", "unknown function 'Cos'", "did you mean `cos`?"),
    ("sinn(x)", "unknown function 'sinn'", "did you mean `sin`?"),
])
def test_near_miss_words_get_did_you_mean(text, message, hint):
    with pytest.raises(TutorError) as info:
        parse(text)
    assert str(info.value).splitlines()[0] == message + " (line 1, column 1)"
    assert info.value.hint == hint


@pytest.mark.parametrize("text, read", [
    ("sinx", "sin(x)"), ("sin x cos x", "sin(x) cos(x)"), ("sinx cosx", "sin(x) cos(x)"),
    ("x sin x", "x sin(x)"), ("sin 2x", "sin(2x)"), ("theta x", "theta x"),
])
def test_ordinary_words_still_read(text, read):
    assert to_text(parse(text)) == read


# ------------------------------------------------------------------ wrappers and notations

@pytest.mark.parametrize("text, read", [
    ("$2x$", "2x"), ("$$x^2$$", "x^2"), (r"\(2x\)", "2x"), (r"\[x + 1\]", "x + 1"),
    ("½ x", "(1/2) x"), ("x₁^2", "x1^2"), ("eˣ", "e^x"),
    (r"\mleft( x + 1 \mright)^2", "(x + 1)^2"), (r"\exponentialE^{x}", "e^x"),
    (r"2\exponentialE^{x}", "2e^x"),
])
def test_pasted_wrappers_and_unicode(text, read):
    assert to_text(parse(text)) == read


def test_a_wrapper_keeps_the_caret_column():
    with pytest.raises(TutorError) as info:
        parse("$x + $")
    assert info.value.column == 4


@pytest.mark.parametrize("answer", [
    "y' = 2x", "dy/dx = 2x", "f'(x) = 2x", r"\frac{dy}{dx} = 2x", "$y' = 2x$", "y′=2x",
    r"\(y' = 2x\)",
])
def test_a_left_hand_side_naming_the_derivative_is_dropped(answer):
    assert tutor.check("x^2", answer).correct


def test_a_left_hand_side_naming_another_variable_stays():
    from tutor.grade.answer import strip_lhs
    assert strip_lhs("dy/dt = 2x", "x") == "dy/dt = 2x"
    assert strip_lhs("dy/dx = 2x", "x").strip() == "2x"
    assert strip_lhs("y = 2x") == "y = 2x"


def test_working_lines_with_prefixes():
    v = tutor.check_work("x^2", ["y' = 2x", "dy/dx = 2x"])
    assert v.verdict == "correct"


# ------------------------------------------------------------------ never an internal error

def test_another_systems_calculus_word_is_refused_as_calculus():
    for answer in ("diff(x^2)", "Diff(x^2, x)", "derivative(x^2)"):
        v = tutor.check("x^2", answer)
        assert v.verdict == "invalid" and v.error_code == "calculus", answer
    with pytest.raises(TutorError) as info:
        parse("diff(x^2)")
    assert str(info.value).splitlines()[0] == "'diff(...)' is calculus notation (line 1, column 1)"
    assert info.value.hint == "write the derivative as d/dx[...]"


def test_a_long_run_of_letters_is_refused_at_parse_time():
    import time
    start = time.perf_counter()
    with pytest.raises(TutorError) as info:
        parse("x" * 10_000)
    assert time.perf_counter() - start < 5
    assert str(info.value).splitlines()[0] == (
        "a run of 10,000 letters without a space or operator; the limit is 100 "
        "(line 1, column 1)")
    assert info.value.code == "limit"
    parse("x" * 100)   # at the limit: read


def test_cli_constants():
    import subprocess, sys
    out = subprocess.run([sys.executable, "-m", "tutor", "diff", "k x^2 + rate x",
                          "--constants", "k,rate"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1].endswith("= 2k x + rate")


# ------------------------------------------------------------------ names and constants in check

@pytest.mark.parametrize("function, answer, kw", [
    ("a x^2 + b x + c", "2a x + b", {"constants": "a,b,c"}),
    ("k x^2 + rate x", "2k x + rate", {"constants": ["k", "rate"]}),
    ("rate^2 t", "2 rate t", {"var": "rate"}),
    ("rate^2 t", "2 rate t", {"names": ["rate"], "var": "rate"}),
    ("rate^2 t", "rate^2", {"names": "rate", "var": "t"}),
])
def test_check_reads_declared_names_in_the_function_and_the_answer(function, answer, kw):
    assert tutor.check(function, answer, **kw).verdict == "correct"
    assert tutor.check_work(function, [answer], **kw).verdict == "correct"


def test_a_declared_name_is_part_of_the_problem_not_of_the_process():
    assert tutor.check("rate^2 t", "2 rate t", var="rate").correct
    assert to_text(parse("rate^2 t")) == "r a t e^2 t"   # the declaration did not leak


def test_check_by_a_variable_that_does_not_occur_is_the_authors_error():
    with pytest.raises(TutorError) as info:
        tutor.check("x^2", "0", var="y")
    assert str(info.value) == ("the variable 'y' does not occur in the function (read as x^2)\n"
                               "hint: the variables are x")


def test_the_left_hand_side_is_dropped_only_when_it_names_the_variable_asked_for():
    assert tutor.check("x^2", "dy/dx = 2x").correct
    assert tutor.check("x^2", "f'(x) = 2x", var="x").correct
    v = tutor.check("x^2", "dy/dt = 2x", var="x")
    assert (v.verdict, v.error_code) == ("invalid", "wrong-variable")
    assert v.feedback == ("your answer is written as a derivative in t (d/dt), but the "
                          "derivative asked for is in x: write d/dx or only the expression")
    assert tutor.check("x_1^2", "dy/dx_1 = 2x_1", var="x_1").correct


def test_cli_check_constants_and_names(capsys):
    from tutor.cli import EXIT_AUTHOR, main
    assert main(["check", "a x^2 + b x + c", "2a x + b", "--constants", "a,b,c"]) == 0
    assert main(["check", "rate^2 t", "2 rate t", "--names", "rate", "--var", "rate"]) == 0
    assert main(["check", "x^2", "0", "--var", "y"]) == EXIT_AUTHOR
    assert "the variable 'y' does not occur" in capsys.readouterr().err


# ------------------------------------------------------------------ ambiguous readings

@pytest.mark.parametrize("text, other", [
    ("1/2 x^(-1/2)", "1/2 * x^(-1/2)"), ("1/2x", "1/2 *x"), ("x/2 sin x", "x/2 * sin x"),
    ("sin x e^x", "sin x * e^x"), ("sin 2x e^x", "sin 2x * e^x"), ("2/3 (x+1)", "2/3 * (x+1)"),
    ("1/2", None), ("x/2 + 1", None), ("sin x cos x", None), ("sin x/2", None),
    ("1/(2x)", None), ("2x/3", None), ("ln x/x", None), (r"\frac{1}{2} x", None),
])
def test_the_other_reading_of_a_spot_textbooks_disagree_on(text, other):
    from tutor.language import other_reading
    assert other_reading(text) == other


def test_the_other_reading_scans_hostile_text_linearly():
    from tutor.language import other_reading
    assert other_reading("1/(" * 1_600 + ")" * 1_600) is None
    assert other_reading("x^" * 2_000 + "x") is None   # no recursion on a tower


@pytest.mark.parametrize("function, answer, a, b", [
    ("sqrt(x)", "1/2 x^(-1/2)", "1/(2x^(-1/2))", "(1/2) x^(-1/2)"),
    ("x^2/4", "1/2 x", "1/(2x)", "(1/2) x"),
    ("sin(x) e^x", "cos x e^x + sin x e^x", "cos(x e^x) + sin(x e^x)", "cos(x) e^x + sin(x) e^x"),
])
def test_an_answer_whose_readings_get_different_grades_asks_for_brackets(function, answer, a, b):
    import json
    v = tutor.check(function, answer)
    assert (v.verdict, v.error_code, v.score) == ("invalid", "ambiguous", 0.0)
    assert v.feedback == (f"Your answer can be read in two ways that get different grades: as "
                          f"{a} or as {b}. Write brackets to say which you mean.")
    data = json.loads(json.dumps(v.to_dict()))
    assert [r["text"] for r in data["readings"]] == [a, b]
    assert tutor.check(function, answer.replace("1/2 x", "(1/2) x")).verdict == "correct" \
        or "e^x" in answer


def test_an_answer_whose_readings_agree_is_graded_as_read():
    v = tutor.check("ln(2x)", "1/2x")           # wrong both ways: graded, with its diagnosis
    assert v.verdict == "incorrect" and v.readings == ()
    assert tutor.check("x^2", "2x").readings == ()
    assert tutor.check("sqrt(x)", "1/(2 x^(1/2))").correct


@pytest.mark.parametrize("answer, hint", [
    ("sinn x", "did you mean `sin(n x)`?"), ("sine x", "did you mean `sin(e x)`?"),
    ("Cos x", "did you mean `cos`?")])
def test_near_miss_words_without_brackets_are_invalid_with_did_you_mean(answer, hint):
    v = tutor.check("sin(x)", answer)
    assert v.verdict == "invalid" and f"hint: {hint}" in v.feedback


def test_readings_appear_in_the_json_only_when_the_answer_is_ambiguous():
    assert "readings" not in tutor.check("x^2", "2x").to_dict()
    assert len(tutor.check("sqrt(x)", "1/2 x^(-1/2)").to_dict()["readings"]) == 2
