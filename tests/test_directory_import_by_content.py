"""`directory import` reads a file by what it holds, whatever its name says of the two formats:
an XLSX named `.csv` was read as a workbook, but a CSV named `.xlsx` (Excel's «Save as CSV» keeping
the old name, a download renamed) was refused as a damaged workbook. Both are read now; a file
that is neither is still refused whole, its message chosen by the name it came with."""
from __future__ import annotations

import pytest

from app.services.directory_cells import SheetRefused
from app.services.directory_sheet import read_table
from tests.services.directory_files import cli, counts, csv_bytes, xlsx_bytes  # noqa: F401 - cli is a fixture
from tests.test_cli_directory import CONTRACT_KEYS, _import

ROW = [["علی رضایی", "رادیو جوان", "محلی", "", "09121234567", "", ""]]


@pytest.mark.parametrize(("data", "name", "encoding"), [
    (csv_bytes(ROW), "directory.xlsx", "utf-8"),
    (csv_bytes(ROW), "directory.xls", "utf-8"),
    (xlsx_bytes(ROW), "directory.csv", None),
])
def test_a_file_is_read_by_its_content_whatever_its_name(cli, tmp_path, data, name, encoding):
    path = tmp_path / name
    path.write_bytes(data)
    result, _stderr = _import(cli, path)
    assert CONTRACT_KEYS <= set(result) and result["errors"] == [], result
    assert (result["journalists_new"], result["outlets_new"], result["encoding"]) == (1, 1, encoding)
    assert counts()[:2] == (1, 1)


@pytest.mark.one_database  # the bytes are judged alone (read_table): no database
@pytest.mark.parametrize(("data", "name", "says"), [
    (b"\x00\x01\x02\xff\xfe binary", "d.xlsx", "XLSX درستی نیست"),  # neither: the name's format is named
    (b"\x00\x01\x02\xff\xfe binary", "photo.jpg", "تنها فایل CSV یا XLSX"),
    (b"%PDF-1.7\n1 0 obj\n", "d.pdf", "تنها فایل CSV یا XLSX"),
    (b"%PDF-1.7\n1 0 obj\n", "d.csv", "تنها فایل CSV یا XLSX"),
])
def test_a_file_that_is_neither_is_refused(app, data, name, says):
    with pytest.raises(SheetRefused, match=says):
        read_table(data, name)
