"""docs/SECURITY.md names the test that holds each ASVS row: every name it cites must be a test
function of this suite (a renamed or deleted test would otherwise leave the checklist lying)."""
from __future__ import annotations

import re

from tests.conftest import REPO

DOC = REPO / "docs" / "SECURITY.md"


def test_every_test_the_security_page_names_exists():
    cited = set(re.findall(r"`(test_[a-z0-9_]+)`", DOC.read_text(encoding="utf-8")))
    defined = {name for path in (REPO / "tests").rglob("test_*.py")
               for name in re.findall(r"^def (test_[a-z0-9_]+)\(", path.read_text(encoding="utf-8"), re.MULTILINE)}
    assert len(cited) > 50
    assert sorted(cited - defined) == []


def test_the_readme_links_the_security_page():
    assert "(docs/SECURITY.md)" in (REPO / "README.md").read_text(encoding="utf-8")
