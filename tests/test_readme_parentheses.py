"""README.md's paragraphs close every parenthesis they open: the broken-plural paragraph of session 47 (the merge of
the «جماهیر» line) closed one more than it opened, which leaves a reader unsure where the list of exceptions ends.
Code spans and fenced blocks are left out (a command's «(...)» is not prose)."""
from __future__ import annotations

import re

from tests.conftest import REPO


def test_every_paragraph_closes_the_parentheses_it_opens():
    text = re.sub(r"```.*?```", "", (REPO / "README.md").read_text(encoding="utf-8"), flags=re.DOTALL)
    unbalanced = []
    for paragraph in re.split(r"\n\s*\n", text):
        prose = re.sub(r"`[^`]*`", "", paragraph)
        if prose.count("(") != prose.count(")"):
            unbalanced.append(f"{prose.count('(')} «(» / {prose.count(')')} «)»: {prose[:80]!r}")
    assert unbalanced == []
