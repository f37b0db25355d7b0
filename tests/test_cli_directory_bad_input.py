"""`flask directory import` against bad input found by a probe: each file is real (tmp dir), the
database real, the command real; a refused file stores nothing and says why in Persian."""
from __future__ import annotations

import io
import re
import zipfile

from tests.services.directory_files import counts, xlsx_bytes
from tests.test_cli_directory import _import, cli  # noqa: F401 - cli is a fixture


def _sheet_xml_rewritten(data: bytes, pattern: bytes, replacement: bytes) -> bytes:
    """``data`` (an XLSX) with ``pattern`` replaced in its first sheet's XML (must match)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content, found = re.subn(pattern, replacement, content)
                assert found, content[:500]
            target.writestr(entry, content)
    return out.getvalue()


def _people(count: int, start: int = 0) -> list[list[str]]:
    return [[f"خبرنگار {n}", "رادیو جوان", "محلی", "", f"0912{n:07d}", "", ""] for n in range(start, start + count)]


def test_an_xlsx_whose_dimension_is_wrong_is_read_whole(cli, tmp_path):
    """openpyxl's read-only mode trusts <dimension ref=…>: a sheet saying A1:G2 over 50 rows (some
    writers leave it so) imported its first row only, exit 0, the other 49 journalists lost."""
    data = _sheet_xml_rewritten(xlsx_bytes(_people(50)), rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"')
    path = tmp_path / "dimension.xlsx"
    path.write_bytes(data)
    result, _ = _import(cli, path)
    assert (result["rows"], result["journalists_new"], result["stored"]) == (50, 50, True)
    assert counts()[1] == 50
    # A bad row far below the dimension's end is found too: nothing stored.
    bad = _sheet_xml_rewritten(xlsx_bytes([*_people(40, 100), ["بد", "", "", "", "0912", "", ""]]),
                               rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B3"')
    path.write_bytes(bad)
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(42, "تلفن")] and counts()[1] == 50
