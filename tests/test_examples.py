"""The scripts in examples/ run, so they cannot rot."""
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
EXPECT = {
    "answer_key.py": r"**Answer:** $\frac{x^{2} - 2 x - 1}{\left(x - 1\right)^{2}}$",
    "grade_homework.py": '"diagnoses": ["chain-rule-missing-inner"]',
    "lecture_notes.py": "\\begin{align*}",
    "other_routes.py": "J = 9, J_epsilon = 9.006001, dJ_dw ~= k = 6.001000",
}


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert EXPECT[script.name] in done.stdout


def test_readme_first_example_is_what_the_cli_prints(capsys):
    """The README's opening `$ tutor diff ...` block is the command's output, line for line
    (it had drifted: a pass's name changed and the README kept the old one)."""
    import re
    import shlex
    from tutor.cli import main
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ (tutor diff [^\n]+)\n(.*?)```", text, re.S)
    assert block, "the README has no `$ tutor diff` example"
    argv = shlex.split(block.group(1))[1:]
    assert main(argv) == 0
    assert capsys.readouterr().out == block.group(2)
