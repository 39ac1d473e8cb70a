"""The fast reader's tokens (language.fast._tokens) split and classify text as the seven-group
token regex did: the group-free regex plus a token's first character (_FIRST) must give the
same tokens and the same kinds, and decline the same texts."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

from tutor.language import fast

#: the token regex as it was, one capture group per kind (number, word, operator,
#: superscript, root, bar, anything else)
GROUPED = re.compile(r"([0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
                     r"|([A-Za-z]+[0-9]*(?:_[0-9]+|_[A-Za-z]+[0-9]*)?)"
                     r"|(\*\*|[-+*/^()\[\]{},\u2212\u2013\u00d7\u00b7\u22c5\u2219\u00f7])"
                     r"|(\u207b?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)"
                     r"|([\u221a\u221b])"
                     r"|(\|)"
                     r"|(\S)")
KINDS = "nwosrb"   # the groups' kinds in _FIRST's letters; the seventh is the catch-all


def _grouped(text: str) -> list[tuple[str, str | None]]:
    """(token, kind) by the grouped regex; kind None for the catch-all."""
    out = []
    for groups in GROUPED.findall(text):
        k = next(i for i, g in enumerate(groups) if g)
        out.append((groups[k], KINDS[k] if k < len(KINDS) else None))
    return out


def _flat(text: str) -> list[tuple[str, str | None]]:
    return [(t, None if t in fast._LONE else fast._FIRST.get(t[0])) for t in fast._TOKEN_RE.findall(text)]


EDGES = [".", "\u207b", "x\u207b", "x\u207b\u00b9", ". 5", "1.2.3", "2 3", "|x|", "|x)", "\u221ax",
         "\u221b(x)", "sin\u00b2x", "x**2", "a_b", "x_1y", "log_4 x", "\u00e9", "x = 2", "1e-3x",
         ".5x", "5.x", "2..", "x\u207b\u207b\u00b9", "3 \u00d7 x \u00f7 2 \u2212 1", "e^(2x) sin x"]


def _texts() -> list[str]:
    rows = Path(__file__).parent / "data" / "grader_bank.jsonl"
    texts = [json.loads(line)["answer"] for line in rows.read_text().splitlines() if line.strip()]
    rng = random.Random(15)
    alphabet = list("x y2.1e-+*/^()[]{},|\u221a\u221b\u00b2\u00b3\u207b\u00b9\u2212\u00d7\u00b7\u00f7sincoslnpi_ \u00e9=")
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(5000)]
    return EDGES + texts


def test_the_flat_regex_splits_and_classifies_as_the_grouped_one():
    for text in _texts():
        assert _flat(text) == _grouped(text), text


def test_tokens_decline_exactly_the_catch_all():
    """Every text whose grouped tokens hold a catch-all character is declined by _tokens."""
    for text in _texts():
        if any(kind is None for _, kind in _grouped(text)):
            try:
                fast._tokens(text)
            except fast._Decline:
                continue
            raise AssertionError(f"{text!r} was not declined")


def test_the_fast_reader_reads_only_balanced_text():
    """parse_calc checks the brackets only when the fast reader declines: it must never read
    a text whose brackets check_brackets would refuse."""
    from tutor.language.calc import _balanced
    for text in _texts() + ["(x]", "[x)", "{x", "x}", "sin(x]", "(x))", "((x)", "|x|)", "f(x, y]"]:
        if fast.fast_parse(text) is not None:
            assert _balanced(text), text
