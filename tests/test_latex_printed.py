"""The printed-LaTeX fast path (tutor/language/latex_fast.py `printed_latex`) reads the engine's
own `to_latex` output, and what a student copies from it, to exactly the tree the Lark reader
builds; anything it is unsure of declines, so every error message stays Lark's. Checked
differentially: the banks' LaTeX answers, the printer's output for random trees, token soups
of the subset's pieces and near-misses."""
from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import exprs
from tutor.errors import TutorError
from tutor.language import declaring, latex as LX
from tutor.language.latex_fast import printed_latex
from tutor.language.latex_text import prepare
from tutor.printing import to_latex

DATA = Path(__file__).parent / "data"


def _outcome(text: str, printed: bool = True):
    try:
        return ("ok", LX.parse_latex(text, printed))
    except TutorError as exc:
        return ("error", type(exc).__name__, str(exc), exc.code)


def _agree(text: str) -> bool:
    """Assert the identity for one input; True when the fast path answered."""
    fast = printed_latex(prepare(text))
    slow = _outcome(text, printed=False)
    with mock.patch.object(LX, "printed_latex", lambda src: None):
        assert _outcome(text) == slow      # Lark only
    if fast is not None:
        assert slow == ("ok", fast), (text, fast, slow)
    assert _outcome(text) == slow, text     # the reader, fast path on
    return fast is not None


def _bank_latex() -> list[str]:
    out = set()
    for name in ("grader_bank", "practice"):
        for line in open(DATA / f"{name}.jsonl", encoding="utf-8"):
            row = json.loads(line)
            out.update(v for k, v in row.items() if isinstance(v, str) and "\\" in v
                       and k in ("answer", "expected", "expr", "function"))
    return sorted(out)


def test_the_banks_latex_and_the_engines_printed_forms_agree():
    from tutor.language import parse
    from tutor.solve import derivative
    texts = _bank_latex()
    for line in open(DATA / "practice.jsonl", encoding="utf-8"):
        r = json.loads(line)
        texts += [to_latex(parse(r["expr"])), to_latex(derivative(r["expr"], r["var"]))]
    taken = sum(_agree(t) for t in texts)
    assert taken >= 0.9 * len(texts)          # the printed forms are the fast path's


@pytest.mark.parametrize("text", [
    r"\frac{1}{2} x", r"\sec^{2}\left(x\right)", r"-\frac{8 e^{w}}{\left(1 + 7 e^{w}\right)^{2}}",
    r"\log_{7}\left(r\right) + \left|x\right|", r"\operatorname{sech}\left(4 x\right)",
    r"\sqrt{x^{2} + 1}", r"3 \cdot x^{2} \cdot \ln\left(5\right)", r"\left[x + 1\right]^{2}",
    r"x \pi + 0.25", r"\arcsin\left(x\right)", r"$\frac{1}{x}$"])
def test_printed_forms_take_the_fast_path(text):
    assert _agree(text)


@pytest.mark.parametrize("text", [
    r"x^{2}^{3}", r"\frac{1}{}", r"\frac12", r"\frac{1} {2}", r"\left(x", r"x\right)", r"\sin x",
    r"\sin{x}", r"\sin\left[x\right]", r"2 3", r"x2", r"\left(x\right) 2", r"\left(x\right]",
    r"\sqrt[3]{x}", r"\frac{d}{dx}x^{2}", r"\partial x", r"\log\left(x\right)", r"{x}",
    r"x^2", r"x / 2", r"|x|", r"\sin^{-1}\left(x\right)", r"\sin^{x}\left(x\right)",
    r"\sec^{2}^{3}\left(x\right)", r"\cdot x", r"x \cdot \cdot y", r"\theta", r"\pix", r"",
    r"\left|x\right)", r"e^{}", r"\sqrt{}", r"+", r"x +", r"-", r"\mathit{ab}"])
def test_near_misses_decline_or_agree(text):
    assert not _agree(text) or text in (r"\left(x\right) 2",)


def test_the_grader_asks_for_it_and_the_cli_reads_through_lark():
    from tutor.grade import answer, clear_caches
    from tutor.language import parse
    text = r"\frac{1}{x} + \sin\left(x\right)"
    lark = parse(text)               # the CLI's reading (printed=False): Lark's
    clear_caches(references=False)
    with mock.patch.object(LX, "_parser", side_effect=AssertionError("Lark")):
        assert answer.read(text, "auto") == parse(text, printed=True) == lark
        with pytest.raises(AssertionError):
            parse(text, "latex")


def test_declared_names_leave_it_to_lark():
    with declaring({"ab"}):
        assert printed_latex(r"a b + \sin\left(x\right)") is None


_PIECES = ["x", "y", "e", "2", "0.5", "+", "-", " ", r"\frac{", "}{", "}", "{", "^{", r"\sqrt{",
           r"\left(", r"\right)", r"\left|", r"\right|", r"\left[", r"\right]", r"\sin", r"\ln",
           r"\sec^{2}", r"\log_{7}", r"\operatorname{sech}", r"\pi", r"\cdot", "d", "/", "|"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_token_soup_agrees(pieces):
    _agree("".join(pieces))


@settings(max_examples=300, deadline=None)
@given(exprs(max_leaves=10))
def test_the_printers_output_agrees(tree):
    """What the engine shows a student in LaTeX, copied back."""
    _agree(to_latex(tree))
