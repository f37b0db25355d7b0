"""README.md tells an upgrading administrator once to rebuild the search index, and names the index schema
this code writes: session 46 left the note three times over, each a copy of the whole history (~20,000
characters), the first saying schema 34 and one of the two schema-35 copies lacking the «۱۵ یا ۲۰ خرداد» note."""
from __future__ import annotations

import re

from search_index.schema import SCHEMA_VERSION
from tests.conftest import REPO


def test_the_upgrade_note_is_written_once_with_the_current_schema():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    notes = re.findall(r"run `flask --app app search rebuild` \(index schema (\d+)", text)
    assert notes == [str(SCHEMA_VERSION)]
