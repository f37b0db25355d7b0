"""A shared note no export cuts: `NOTES_MAX` at the forms (tests/views), a note of that length back
whole from XLSX, a longer one imported and given back whole by the CSV, and the XLSX export
refusing, not cutting, it (a review of the directory commands: a 40,000-character note came back
cut)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.directory import NOTES_MAX
from app.services.directory_keys import name_key
from app.services.spreadsheets import XLSX_CELL_MAX
from models import AuditEntry, Journalist, JournalistPhone, Outlet
from tests.services.directory_files import (
    cli,  # noqa: F401 - the fixture
    csv_bytes,
)

HEADER = ["نام", "رسانه", "سطح رسانه", "یادداشت رسانه", "یادداشت"]
LONG = "یادداشت بلندِ خبرنگار دربارهٔ پیشینهٔ گفت‌وگوها. " * 900  # about 44,000 characters


def _journalist(name: str, notes: str, outlet_notes: str = "") -> Journalist:
    """Stored as a note was before the limit: straight into the table."""
    outlet = Outlet(name="رادیو استان", name_key=name_key("رادیو استان"), scope="provincial", notes=outlet_notes)
    journalist = Journalist(name=name, name_key=name_key(name), notes=notes, outlets=[outlet],
                            phones=[JournalistPhone(e164="+989121234567")])
    db.session.add(journalist)
    db.session.commit()
    return journalist


def _exported() -> list:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "directory.exported")
                               .order_by(AuditEntry.id)).all()


def test_the_limit_fits_an_xlsx_cell_whatever_the_letters():
    """Twice the limit (every character an emoji: two UTF-16 units in Excel's count) and the export's
    defusing quote still fit one cell."""
    assert NOTES_MAX * 2 + 1 <= XLSX_CELL_MAX


@pytest.mark.parametrize("column", ["یادداشت", "یادداشت رسانه"])
def test_a_note_longer_than_the_forms_take_is_imported_and_comes_back_whole_from_csv(cli, tmp_path, column):
    """The forms keep a note to NOTES_MAX; the import does not (the code review: an export of a note
    stored longer before the limit, imported into an empty directory, was refused whole), and the
    CSV export gives it back as it is."""
    row = {"نام": "علی رضایی", "رسانه": "رادیو استان", "سطح رسانه": "استانی", column: LONG.strip()}
    path = tmp_path / "notes.csv"
    path.write_bytes(csv_bytes([[row.get(h, "") for h in HEADER]], header=HEADER))
    assert json.loads(cli("import", str(path), "--json").stdout)["stored"] is True
    out = tmp_path / "out.csv"
    cli("export", "--format", "csv", str(out))
    assert LONG.strip() in out.read_text(encoding="utf-8-sig")


def test_a_note_of_the_limit_comes_back_whole_from_xlsx(cli, tmp_path):
    note = ("😀 گفت‌وگو\n" * NOTES_MAX)[:NOTES_MAX - 1] + "."  # emoji: what Excel counts twice
    assert len(note) == NOTES_MAX
    _journalist("علی رضایی", note, outlet_notes=note)
    out = tmp_path / "directory.xlsx"
    cli("export", "--format", "xlsx", str(out))
    db.session.execute(JournalistPhone.__table__.delete())
    db.session.execute(Journalist.__table__.delete())
    db.session.execute(Outlet.__table__.delete())
    db.session.commit()
    data = json.loads(cli("import", str(out), "--json").stdout)
    assert data["journalists_new"] == 1
    db.session.expire_all()
    assert db.session.scalar(select(Journalist.notes)) == note
    assert db.session.scalar(select(Outlet.notes)) == note


def test_the_xlsx_export_refuses_a_longer_note_stored_before_the_limit(cli, tmp_path):
    """openpyxl cut it to 32,767 characters unsaid; the import then stored the cut note. Refused now,
    naming the journalist and the column and pointing to CSV, which keeps it whole."""
    _journalist("علی رضایی", LONG)
    out = tmp_path / "directory.xlsx"
    error = json.loads(cli("export", "--format", "xlsx", str(out), "--json", status=2).stdout)["error"]
    assert "بیش از ۳۲۷۶۷ نویسه" in error and "خبرنگار «علی رضایی» (ستون «یادداشت»)" in error
    assert "CSV" in error and "چیزی نوشته نشد" in error
    assert not out.exists() and _exported() == []
    result = cli("export", "--format", "xlsx", str(out), status=2)  # without --json: on standard error
    assert "CSV" in result.stderr and result.stdout == ""
    csv_out = tmp_path / "directory.csv"
    cli("export", "--format", "csv", str(csv_out))
    assert LONG.strip() in csv_out.read_bytes().decode("utf-8-sig")
