"""`make test` hands whole files to its workers in the order tests/conftest.py sets (the slow files
first): pytest-xdist 3.8's default hands out the files with the most tests first instead, which put
the heaviest file of both passes (tests/search_index/test_search_variants.py) 14th of 261 (session 44)."""
from __future__ import annotations

import re

from tests.conftest import REPO


def test_every_make_target_that_runs_by_file_keeps_the_conftest_order():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    xdist = dict(re.findall(r"^(\w+) :?= (.*)$", makefile, re.MULTILINE))
    commands = [line.replace("$(XDIST)", xdist.get("XDIST", "")) for line in makefile.splitlines()
                if "-m pytest" in line]
    assert commands
    for command in commands:
        if "--dist loadfile" in command:
            assert "--no-loadscope-reorder" in command, command
