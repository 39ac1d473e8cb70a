"""Options keeps its hash once computed (grade.equivalence.Options.__hash__): equal options
hash alike, a changed copy is a new key, and the cached hash never travels in a pickle (a
str's hash differs between processes, so a worker must compute its own)."""
from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys

from tutor.grade.equivalence import Options


def test_equal_options_hash_alike_and_a_changed_copy_is_another_key():
    a, b = Options(seed="course"), Options(seed="course")
    assert hash(a) == hash(a) == hash(b) and a == b
    c = dataclasses.replace(a, rtol=1e-5)
    assert c != a and {a: 1, c: 2}[dataclasses.replace(c)] == 2
    assert {a: 1}[b] == 1


def test_the_cached_hash_is_not_pickled_and_another_process_finds_the_key():
    o = Options(seed="course", credit=(("sign-error", 0.8),))
    hash(o)   # cached now
    blob = pickle.dumps(o)
    assert pickle.loads(blob).__dict__.keys() == {f.name for f in dataclasses.fields(Options)}
    code = ("import pickle, sys; from tutor.grade.equivalence import Options; "
            "o = pickle.loads(sys.stdin.buffer.read()); "
            "print({Options(seed='course', credit=(('sign-error', 0.8),)): 'found'}[o])")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        assert out.stdout.decode().strip() == "found"
