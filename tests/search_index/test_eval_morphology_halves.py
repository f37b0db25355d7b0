"""bench/eval_morphology.py's ``--half``: only a set that has halves (the ninth) can be asked for one."""
from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO


def test_a_half_of_a_set_without_halves_is_refused(capsys):
    """``--split sixth --half dev`` printed every system at 0.000 (0/0), a figure that reads like one."""
    sys.path.insert(0, str(REPO / "bench"))
    import eval_morphology

    with pytest.raises(SystemExit) as exit_:
        eval_morphology.main(["--split", "sixth", "--half", "dev"])
    assert exit_.value.code == 2 and "halves" in capsys.readouterr().err
