"""The simplifier under threads: a server may simplify on several threads at once.

Every identity-keyed table lives in one call (`tutor.simplifier.memo.Memo`, the pass's own
memo, trig_cancel's survey), so concurrent calls share nothing mutable; this checks it by
running many simplifications on several threads at once and comparing with one thread.
"""
from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import DATA
from tutor import differentiate
from tutor.expr import Sym, children, with_children
from tutor.printing import to_text
from tutor.simplifier import simplify_steps


def _raw_derivatives() -> list:
    """The rules' raw derivatives of the seed and practice corpora (computed on one thread)."""
    out = []
    for name in ("seeds.jsonl", "practice.jsonl"):
        for line in (DATA / name).read_text().splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                sol = differentiate(row["expr"], row["var"])
            except Exception:  # inputs the tutor refuses are not this test's business
                continue
            out.extend(stage.raw for stage in sol.stages)
    return out


@pytest.fixture(autouse=True)
def _switch_often():
    """Switch threads every microsecond, so the calls really interleave."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def _fingerprint(e) -> tuple:
    return tuple((s.rule, s.name, to_text(s.after), str(s.note)) for s in simplify_steps(e))


def test_concurrent_simplify_matches_sequential():
    raws = _raw_derivatives()
    assert len(raws) > 100
    expected = [_fingerprint(e) for e in raws]
    work = list(range(len(raws))) * 3
    # interleave differently on each thread: neighbours share subtrees across calls otherwise not
    order = work[::2] + work[1::2]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda i: (i, _fingerprint(raws[i])), order))
    for i, fp in got:
        assert fp == expected[i], to_text(raws[i])


def _renamed(e, prefix: str):
    """e with every variable v renamed prefix + v (the order of names is kept)."""
    if isinstance(e, Sym):
        return Sym(prefix + e.name) if prefix else Sym(e.name[e.name.index("_") + 1:])
    kids = children(e)
    return with_children(e, tuple(_renamed(k, prefix) for k in kids)) if kids else e


def _renamed_fingerprint(e, prefix: str) -> tuple:
    return tuple((s.rule, s.name, to_text(_renamed(s.after, "")), str(s.note).replace(prefix, ""))
                 for s in simplify_steps(_renamed(e, prefix)))


def test_concurrent_calls_on_fresh_trees():
    """Each thread's trees are new to the simplifier (fresh variable names): every structural
    key is made while other threads make theirs."""
    raws = _raw_derivatives()[:60]
    expected = [_renamed_fingerprint(e, "s_") for e in raws]
    tasks = [(i, f"t{j}_") for j in range(8) for i in range(len(raws))]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: (t[0], _renamed_fingerprint(raws[t[0]], t[1])), tasks))
    for i, fp in got:
        assert fp == expected[i], to_text(raws[i])


def test_concurrent_calls_on_one_shared_tree():
    """The same tree objects simplified on many threads at once (identity keys are per call)."""
    raws = _raw_derivatives()[:40]
    expected = [_fingerprint(e) for e in raws]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: [_fingerprint(e) for e in raws], range(8)))
    assert all(r == expected for r in results)


def test_no_module_level_mutable_state():
    """Module tables are read-only (tuples, frozensets, MappingProxyType): whatever a call
    records lives in the call, so there is nothing for two threads to race on."""
    import importlib
    import pkgutil
    import tutor.simplifier as package
    names = ["tutor.simplifier"] + [f"tutor.simplifier.{m.name}"
                                     for m in pkgutil.iter_modules(package.__path__)]
    bad = []
    for name in names:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("__"):
                continue
            if isinstance(value, (dict, list, set, bytearray)):
                bad.append(f"{name}.{attr}")
    assert bad == []
