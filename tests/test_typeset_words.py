"""What users read speaks to them: no output names the course's repository.

Why: a note that says "the seed's convention" or "as the lab does them" names files of the
course's repository that a student never saw; say "the course notes' convention" or name it.
"""
from __future__ import annotations

import pytest

from tutor.cli import main


# ---------------------------------------------------------------- words for users

#: phrases that name the course's repository, not anything a user has read
_INSIDE = ("seed's", "seed 0", "the lab", "as the lab", "14.7", "table 14")

_OUTPUTS = [
    ["dual", "x*y + max(y, z)", "--wrt", "x", "--at", "x=2,y=3,z=-1"],
    ["backprop", "x*y + max(y, z)", "--at", "x=2,y=3,z=-1"],
    ["numeric", "w^2", "--at", "w=3"],
    ["descend", "w1^2 + w2^2", "--var", "w1,w2", "--start", "1,2", "--rate", "0.1", "--steps", "3"],
    ["grad", "w1^2 + w2^2", "--at", "w1=1,w2=2", "--hessian"],
    ["diff", "w^2", "--at", "w=3", "--detail", "full"],
    ["definition", "w^2", "--at", "w=3", "--table"],
]


@pytest.mark.parametrize("argv", _OUTPUTS, ids=[a[0] for a in _OUTPUTS])
def test_outputs_do_not_speak_of_the_repository(argv, capsys):
    for fmt in ("text", "latex", "markdown", "json"):
        assert main([*argv, "--format", fmt]) == 0
        out = capsys.readouterr().out.lower()
        assert not [p for p in _INSIDE if p in out], (argv, fmt)


def test_the_tie_note_speaks_to_users(capsys):
    main(["dual", "max(x, y)", "--wrt", "x", "--at", "x=1,y=1"])
    out = capsys.readouterr().out.lower()
    assert "seed" not in out


def test_help_does_not_speak_of_the_repository(capsys):
    for command in ("dual", "backprop", "numeric", "descend", "grad", "definition", "diff"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out.lower()
        assert not [p for p in _INSIDE if p in out], command
