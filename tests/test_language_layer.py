"""The language layer after the house move: vocabulary-derived tables, the grammar's leading
minus on both calculator paths, LaTeX function commands typed from the vocabulary, one set of
input checks, and the public names."""
from __future__ import annotations

import pathlib
import re
from unittest import mock

import pytest

from tutor import vocabulary
from tutor.errors import LimitError, ParseError
from tutor.expr import Add, Call, Div, Mul, Neg, Num, Pow, Sym
from tutor.language import (check_limits, check_tree, grammar_text, parse, parse_calc,
                            parse_latex)
from tutor.language.fast import fast_parse
from tutor.language.latex_errors import FUNCTION_ALIASES, KNOWN_COMMANDS, LATEX_GREEK
from tutor.language.words import ALIASES, GREEK_CHARS, INVERTIBLE

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _lark(text: str):
    with mock.patch("tutor.language.fast.fast_parse", lambda text: None):
        return parse_calc(text)


# ------------------------------------------------------------------ vocabulary

@pytest.mark.parametrize("char, name", [("τ", "tau"), ("υ", "upsilon"), ("φ", "phi"),
                                        ("χ", "chi"), ("ψ", "psi"), ("ω", "omega"),
                                        ("σ", "sigma"), ("ρ", "rho"), ("θ", "theta")])
def test_greek_characters_read_as_their_own_letter(char, name):
    """The old calc table was one letter off from τ on (τ read as sigma, ω as psi)."""
    assert parse_calc(char) == Sym(name)
    assert parse_calc(f"2{char}") == Mul((Num(2), Sym(name)))


def test_greek_table_is_the_vocabulary():
    assert GREEK_CHARS == vocabulary.greek_by_char()
    assert parse_calc("π") == parse_calc("pi")


def test_calc_and_latex_function_tables_are_the_vocabulary():
    assert ALIASES == vocabulary.CALC_SPELLINGS
    assert INVERTIBLE == frozenset(vocabulary.INVERSES)
    assert FUNCTION_ALIASES == vocabulary.LATEX_SPELLINGS


@pytest.mark.parametrize("spelling", sorted(vocabulary.LATEX_SPELLINGS))
def test_every_latex_function_spelling_is_read(spelling):
    name = vocabulary.LATEX_SPELLINGS[spelling]
    want = Call(name, (Sym("x"),))
    if spelling != "sqrt":  # \sqrt is its own command (it takes [n]); \operatorname{sqrt} is not
        assert parse_latex(f"\\{spelling}\\left(x\\right)") == want
        assert parse_latex(f"\\{spelling} x") == want
    assert parse_latex(f"\\operatorname{{{spelling}}}(x)") == want
    assert parse_latex(f"\\mathrm{{{spelling}}} x") == want


def test_latex_grammar_lists_no_function_names():
    text = "\n".join(line for line in grammar_text("latex.lark").splitlines()
                     if not line.startswith("//"))
    patterns = " ".join(re.findall(r"/((?:[^/\\\n]|\\.)+)/", text))   # every terminal's regex
    assert "frac" in patterns and "cdot" in patterns
    for spelling in vocabulary.LATEX_SPELLINGS:
        if spelling != "sqrt":   # SQRT is grammar, not vocabulary: \sqrt[n]{x}
            assert not re.search(rf"(?<![a-zA-Z]){spelling}(?![a-zA-Z])", patterns), spelling


def test_latex_greek_terminal_matches_the_vocabulary():
    """GREEK stays a terminal (subscripts and single-token arguments need it), so it is pinned
    to the vocabulary: the same commands, no more, no fewer."""
    m = re.search(r"^GREEK: /\\\\\(\?:([^)]*)\)", grammar_text("latex.lark"), re.M)
    assert set(m.group(1).split("|")) == set(LATEX_GREEK)
    assert LATEX_GREEK["vartheta"] == "theta" and "pi" not in LATEX_GREEK
    assert set(LATEX_GREEK) <= KNOWN_COMMANDS


@pytest.mark.parametrize("text", [r"\cdot x", r"\mathit{sin} x", r"x^\sin", r"\left(\right)",
                                  r"\lvert \rvert", r"2 + \div 3", r"\left x"])
def test_structural_commands_are_never_function_commands(text):
    with pytest.raises(ParseError) as info:
        parse_latex(text)
    assert "function" not in info.value.message


# ------------------------------------------------------------------ the leading minus

MINUS = {
    "-2/w^3": Neg(Div(Num(2), Pow(Sym("w"), Num(3)))),
    "(-2)/w^3": Div(Neg(Num(2)), Pow(Sym("w"), Num(3))),
    "2*-x/y": Div(Mul((Num(2), Neg(Sym("x")))), Sym("y")),
    "--a/b": Neg(Neg(Div(Sym("a"), Sym("b")))),
    "-(-x)/y": Neg(Div(Neg(Sym("x")), Sym("y"))),
    "-x*y/z": Neg(Div(Mul((Sym("x"), Sym("y"))), Sym("z"))),
    "-x^2": Neg(Pow(Sym("x"), Num(2))),
    "-2x": Neg(Mul((Num(2), Sym("x")))),
}


@pytest.mark.parametrize("text", sorted(MINUS))
def test_the_grammar_decides_the_leading_minus(text):
    assert _lark(text) == MINUS[text]
    assert fast_parse(text) == MINUS[text]


def test_a_minus_after_a_minus_term():
    a, b, c = Sym("a"), Sym("b"), Sym("c")
    want = Add((a, Neg(Neg(Div(b, c)))))
    assert _lark("a - -b/c") == want == fast_parse("a - -b/c")


def test_calc_grammar_states_the_rule():
    text = grammar_text("calc.lark")
    assert "product: MINUS product" in text
    assert "binds tighter than * and /" not in text.split("implicit multiplication")[0]


# ------------------------------------------------------------------ one set of checks

def test_latex_and_calc_refuse_oversized_input_alike():
    big = "x+" * 150_000 + "x"
    for reader in (parse_calc, parse_latex, parse):
        with pytest.raises(LimitError) as info:
            reader(big)
        assert info.value.message == "input is 300,001 characters long; the limit is 200,000"


def test_latex_tree_limits_are_the_shared_ones():
    with pytest.raises(LimitError) as info:
        parse_latex("-" * 10_001 + "x")
    assert info.value.message == "expression is nested 10,002 levels deep; the limit is 10,000"


def test_public_names():
    import tutor
    assert tutor.parse is parse and tutor.parse_calc is parse_calc
    assert tutor.parse_latex is parse_latex
    check_limits("x")
    assert check_tree(Sym("x")) == Sym("x")


def test_no_parse_state_is_kept_between_calls():
    """Errors re-lex the text instead of reading a thread-local list of the last tokens."""
    src = (ROOT / "tutor" / "language" / "calc.py").read_text(encoding="utf-8")
    assert "threading" not in src and "_state" not in src and "parse_table" not in src
    with pytest.raises(ParseError) as first:
        parse_calc("sin")
    parse_calc("sin x")
    with pytest.raises(ParseError) as again:
        parse_calc("sin")
    assert str(first.value) == str(again.value)
    assert first.value.message == "sin needs an argument"
