"""`flask directory import` against bad input found by a probe: each file is real (tmp dir), the
database real, the command real; a refused file stores nothing and says why in Persian."""
from __future__ import annotations

import io
import re
import zipfile

from tests.services.directory_files import TEMPLATE, counts, csv_bytes, xlsx_bytes
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


ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_terminal_escapes_in_the_file_do_not_reach_the_messages(cli, tmp_path):
    """A header «\\x1b[31mموبایل» and a phone «\\x1b[2J0912» were echoed as they were, on standard
    error (the unknown column's warning) and standard output (the bad phone): the terminal ran
    them. C1 controls («\\x9b» is a CSI too) passed even JSON (json.dumps escapes C0 only)."""
    header = [*TEMPLATE, "\x1b[31mموبایل\x9b0m\x1b]0;title\x07"]
    rows = [["علی\x9b رضایی", "", "", "", "\x1b[2J0912", "a\x9b@\x1b]0;x\x07b", "", ""]]
    path = tmp_path / "escapes.csv"
    path.write_bytes(csv_bytes(rows, header=header))
    result, stderr = _import(cli, path, status=2)
    assert "موبایل" in stderr and not ESCAPES.search(stderr)
    raw = cli("import", str(path), "--json", status=2).stdout
    said = [*result["warnings"], *(e["message"] for e in result["errors"])]  # as json.loads gives them back
    assert not ESCAPES.search(raw) and not any(ESCAPES.search(text) for text in said), said
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "تلفن"), (2, "ایمیل")]
    assert "[2J0912" in result["errors"][0]["message"]  # the cell is still quoted, without its escape
    text = cli("import", str(path), status=2)
    assert "[2J0912" in text.stdout and not ESCAPES.search(text.stdout + text.stderr)
    assert counts() == (0, 0, 0, 0)


def test_terminal_escapes_in_the_file_name_do_not_reach_the_messages(cli, tmp_path):
    result, _ = _import(cli, tmp_path / "a\x1b[31m\x9bb.csv", status=2)
    assert "پیدا نشد" in result["error"] and not ESCAPES.search(result["error"])
    text = cli("import", str(tmp_path / "a\x1b[31m.csv"), status=2)
    assert "پیدا نشد" in text.stderr and not ESCAPES.search(text.stderr)
