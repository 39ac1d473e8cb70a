"""Every error the calculator parser names: exact message, place, caret and hint."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tutor.errors import LimitError, ParseError
from tutor.language import check_limits, parse, parse_calc

# (input, code, message, line, column, hint)
CASES = [
    ("(x+1", "unbalanced", "unmatched '(' opened here", 1, 1, "add a matching ')'"),
    ("((x)", "unbalanced", "unmatched '(' opened here", 1, 1, "add a matching ')'"),
    ("x+1)", "unbalanced", "unmatched ')'", 1, 4, "remove it or add a '(' before it"),
    ("(x]", "unbalanced", "unmatched '(' opened here", 1, 1, "close it with ')', not ']'"),
    ("|x", "unbalanced", "unmatched '|' opened here", 1, 1, "close it with another '|'"),
    ("2*", "missing-operand", "missing operand after '*'", 1, 2, "put a number or an expression after '*'"),
    ("x^", "missing-operand", "missing operand after '^'", 1, 2, "put a number or an expression after '^'"),
    ("3 +", "missing-operand", "missing operand after '+'", 1, 3, "put a number or an expression after '+'"),
    ("2*/3", "missing-operand", "missing operand after '*'", 1, 2, "put a number or an expression after '*'"),
    ("*2", "missing-operand", "missing operand before '*'", 1, 1, "put a number or an expression before '*'"),
    ("()", "missing-operand", "empty brackets", 1, 1, "put an expression inside the brackets"),
    ("sin", "missing-argument", "sin needs an argument", 1, 1, "write sin(x)"),
    ("sin()", "missing-argument", "sin needs an argument", 1, 1, "write sin(x)"),
    ("x sin", "missing-argument", "sin needs an argument", 1, 3, "write sin(x)"),
    ("sin + x", "missing-argument", "sin needs an argument", 1, 1, "write sin(x)"),
    ("sin^2", "missing-argument", "sin needs an argument", 1, 1, "write sin(x)"),
    ("log_2", "missing-argument", "log_2 needs an argument", 1, 1, "write log_2(x)"),
    ("sinn(x)", "unknown-function", "unknown function 'sinn'", 1, 1, "did you mean `sin`?"),
    ("arcsinn(x)", "unknown-function", "unknown function 'arcsinn'", 1, 1, "did you mean `arcsin`?"),
    ("sqr(x)", "unknown-function", "unknown function 'sqr'", 1, 1, "did you mean `sqrt`?"),
    ("2 + Sin(x)", "unknown-function", "unknown function 'Sin'", 1, 5, "did you mean `sin`?"),
    ("log3(x)", "unknown-function", "unknown function 'log3'", 1, 1,
     "for log base 3 write log_3(x) or log(x, 3)"),
    ("3,5", "decimal-comma", "decimal comma", 1, 2, "use a decimal point: 3.5"),
    ("x + (3,5)", "decimal-comma", "decimal comma", 1, 7, "use a decimal point: 3.5"),
    ("a,b", "syntax", "unexpected ','", 1, 2, "commas separate the arguments of a function, as in max(a, b)"),
    ("2 @ x", "bad-character", "unexpected character '@'", 1, 3, None),
    ("y = x^2", "bad-character", "unexpected character '='", 1, 3, "type only the expression, without '= ...'"),
    ("", "empty", "empty input", 1, 1, "type an expression such as x^2 + 1"),
    ("   ", "empty", "empty input", 1, 1, "type an expression such as x^2 + 1"),
    ("f'", "calculus", "prime notation is not supported", 1, 2, "write the derivative as d/dx[...]"),
    ("y'", "calculus", "prime notation is not supported", 1, 2, "write the derivative as d/dx[...]"),
    ("log10(x, 2)", "arity", "log10 takes 1 argument, got 2", 1, 1, None),
    ("max(1)", "arity", "max takes 2 or more arguments, got 1", 1, 1, None),
    ("root(x)", "arity", "root takes 2 arguments, got 1", 1, 1, None),
    ("log(x, 2, 3)", "arity", "log takes 1 or 2 arguments, got 3", 1, 1, None),
    ("sin(x, y)", "arity", "sin takes 1 argument, got 2", 1, 1, None),
    ("x > 1", "syntax", "unexpected '>'", 1, 3, "comparisons go inside square brackets: [u > v]"),
    ("1.5.3", "syntax", "malformed number '1.5.3'", 1, 1, None),
    ("sin_2 x", "syntax", "sin cannot take a subscript", 1, 1, "only log takes one: log_2(x) is log base 2"),
    ("d^2/dx[x]", "syntax", "derivative orders do not match in 'd^2/dx'", 1, 1, "write d^2/dx^2[...]"),
    ("x +\n  * 2", "missing-operand", "missing operand after '+'", 1, 3, "put a number or an expression after '+'"),
    ("x\n+ )", "unbalanced", "unmatched ')'", 2, 3, "remove it or add a '(' before it"),
]


@pytest.mark.parametrize("text,code,message,line,column,hint", CASES)
def test_error(text, code, message, line, column, hint):
    with pytest.raises(ParseError) as info:
        parse_calc(text)
    err = info.value
    assert (err.code, err.message, err.line, err.column, err.hint) == (code, message, line, column, hint)
    assert err.text == text
    assert str(err).startswith(f"{message} (line {line}, column {column})\n")


def test_caret_rendering():
    with pytest.raises(ParseError) as info:
        parse_calc("sinn(x) + 1")
    assert str(info.value) == ("unknown function 'sinn' (line 1, column 1)\n"
                               "  sinn(x) + 1\n  ^\nhint: did you mean `sin`?")
    with pytest.raises(ParseError) as info:
        parse_calc("x + (y")
    assert str(info.value) == ("unmatched '(' opened here (line 1, column 5)\n"
                               "  x + (y\n      ^\nhint: add a matching ')'")
    with pytest.raises(ParseError) as info:
        parse_calc("2*")
    assert str(info.value) == ("missing operand after '*' (line 1, column 2)\n"
                               "  2*\n   ^\nhint: put a number or an expression after '*'")


def test_not_errors():
    assert parse_calc("ab(x+1)") is not None      # letters, not close to a function name
    assert parse_calc("xsin(x)") is not None      # x * sin(x)
    assert parse_calc("x**2 + x^3") is not None   # mixing ** and ^


def test_bad_input_language():
    with pytest.raises(ValueError):
        parse("x", input="python")


# ------------------------------------------------------------------ limits

def test_100k_nested_brackets_is_a_limit_error():
    with pytest.raises(LimitError):
        parse_calc("(" * 100_000 + "x" + ")" * 100_000)
    with pytest.raises(LimitError):
        parse_calc("(" * 99_999 + "x" + ")" * 99_999)


def test_deep_brackets_refused_fast():
    with pytest.raises(LimitError) as info:
        parse_calc("(" * 199_999)
    assert info.value.message == "brackets are nested more than 10,000 levels deep (the limit)"


def test_one_megabyte_refused_fast():
    with pytest.raises(LimitError) as info:
        parse("(" * 1_000_000)
    assert info.value.message == "input is 1,000,000 characters long; the limit is 200,000"
    with pytest.raises(LimitError):
        check_limits("x" * 200_001)


def test_deep_tree_without_brackets_is_a_limit_error():
    with pytest.raises(LimitError) as info:
        parse_calc("-" * 20_000 + "x")
    assert info.value.message == "expression is nested 20,001 levels deep; the limit is 10,000"


def test_huge_numbers_are_refused():
    with pytest.raises(LimitError):
        parse_calc("1e999999999")
    with pytest.raises(LimitError):
        parse_calc("9" * 6000)
    assert parse_calc("1" * 4000).value == int("1" * 2000) * 10 ** 2000 + int("1" * 2000)
    with pytest.raises(LimitError, match="the limit is 4,000 digits"):
        parse_calc("1" * 4001)   # a number read must also print (Python: 4,300 digits at most)


def test_ten_thousand_term_sum_parses_fast():
    text = " + ".join(f"{i}x^2" for i in range(10_000))
    tree = parse_calc(text)
    assert len(tree.terms) == 10_000


def test_no_sympy_at_runtime():
    out = subprocess.run([sys.executable, "-c",
                          "import sys; from tutor.language import parse; parse('sin x'); print('sympy' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
