"""`flask directory import` against bad input found by a probe: each file is real (tmp dir), the
database real, the command real; a refused file stores nothing and says why in Persian."""
from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from sqlalchemy import select

from app.extensions import db
from models import Journalist, Outlet
from tests.services.directory_files import TEMPLATE, counts, csv_bytes, xlsx_bytes
from tests.test_cli_directory import PERSIAN, _import, cli  # noqa: F401 - cli is a fixture


@pytest.fixture
def page_staff(client, make_user):
    from tests.conftest import login

    user = make_user(role="staff")
    login(client, user)
    return user


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
    assert "[2J0912" in text.stderr and not ESCAPES.search(text.stdout + text.stderr)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
def test_terminal_escapes_in_the_file_name_do_not_reach_the_messages(cli, tmp_path):
    result, _ = _import(cli, tmp_path / "a\x1b[31m\x9bb.csv", status=2)
    assert "پیدا نشد" in result["error"] and not ESCAPES.search(result["error"])
    text = cli("import", str(tmp_path / "a\x1b[31m.csv"), status=2)
    assert "پیدا نشد" in text.stderr and not ESCAPES.search(text.stderr)


def _outlets() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Outlet.name)))


def test_a_duplicate_row_naming_a_new_outlet_creates_the_outlet_and_says_so(cli, tmp_path):
    """A duplicate row's new outlet was dropped in silence (the row was skipped whole). Now it is
    created as an outlet-only row would create it, the duplicate journalist is not changed (the
    contract), and a warning says the outlet is not linked to them."""
    first = tmp_path / "first.csv"
    first.write_bytes(csv_bytes([["علی رضایی", "روزنامه همشهری", "محلی", "", "09121234567", "", ""]]))
    _import(cli, first)
    again = tmp_path / "again.csv"
    again.write_bytes(csv_bytes([
        ["علي رضائي", "روزنامه همشهری؛ رادیو تازه", "محلی؛ استانی", "؛ تبریز", "", "", ""],  # in the directory
        ["زهرا کریمی", "", "", "", "", "", ""],
        ["زهرا کریمی", "سیمای نو", "ملی", "", "", "", ""],  # earlier in the file
    ]))
    result, stderr = _import(cli, again)
    assert [(d["row"], d["by"]) for d in result["duplicates"]] == [(2, "name"), (4, "name")]
    assert (result["outlets_new"], result["journalists_new"], result["stored"]) == (2, 1, True)
    assert _outlets() == {"روزنامه همشهری", "رادیو تازه", "سیمای نو"}
    assert db.session.scalar(select(Outlet.city).where(Outlet.name == "رادیو تازه")) == "تبریز"
    ali = db.session.scalars(select(Journalist).where(Journalist.name == "علی رضایی")).one()
    assert [o.name for o in ali.outlets] == ["روزنامه همشهری"]  # a duplicate is not changed
    warned = [w for w in result["warnings"] if "تکراری" in w]
    assert len(warned) == 2 and "سطر ۲" in warned[0] and "«رادیو تازه»" in warned[0] and "«سیمای نو»" in warned[1]
    assert "رادیو تازه" in stderr


def test_a_duplicate_row_naming_a_new_outlet_without_its_scope_is_a_bad_row(cli, tmp_path):
    first = tmp_path / "first.csv"
    first.write_bytes(csv_bytes([["علی رضایی", "", "", "", "09121234567", "", ""]]))
    _import(cli, first)
    before = counts()
    again = tmp_path / "again.csv"
    again.write_bytes(csv_bytes([["علی رضایی", "رادیو تازه", "", "", "09121234567", "", ""],
                                 ["حسن موسوی", "", "", "", "", "", ""]]))
    result, _ = _import(cli, again, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "سطح رسانه")]
    assert "«رادیو تازه»" in result["errors"][0]["message"] and counts() == before


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
def test_a_file_name_too_long_for_the_system_exits_2_in_persian(cli, tmp_path):
    """A path component of more than 255 bytes (ENAMETOOLONG, raised by the first look at the path)
    was a traceback, exit 1."""
    path = tmp_path / ("خبرنگاران" * 20 + ".csv")  # 360 bytes in UTF-8
    result, _ = _import(cli, path, status=2)
    assert "نام فایل بیش از اندازه بلند است" in result["error"] and PERSIAN.search(result["error"])
    assert result["stored"] is False and result["errors"][0]["message"] == result["error"]
    text = cli("import", str(path), status=2)
    assert "بیش از اندازه بلند" in text.stderr and "Traceback" not in text.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_a_file_without_read_permission_exits_2_in_persian(cli, tmp_path):
    path = tmp_path / "secret.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "", "", "", "", "", ""]]))
    path.chmod(0)
    result, _ = _import(cli, path, status=2)
    assert "اجازهٔ خواندن" in result["error"] and "Permission" not in result["error"]
    assert counts() == (0, 0, 0, 0)


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
def test_a_link_that_leads_nowhere_is_said_so(cli, tmp_path):
    """A link to a file that is gone, or a loop of links, was «not found» (the link is there)."""
    (tmp_path / "loop-a.csv").symlink_to(tmp_path / "loop-b.csv")
    (tmp_path / "loop-b.csv").symlink_to(tmp_path / "loop-a.csv")
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "gone.csv")
    for name in ("loop-a.csv", "dangling.csv"):
        result, _ = _import(cli, tmp_path / name, status=2)
        assert "پیوند" in result["error"] and PERSIAN.search(result["error"])


INVISIBLE = ["\u200c", "\u200d\u200c", "\u200f\u00a0", "ـــ", "\u200e\u200c\u00a0\u0640"]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_of_invisible_characters_only_is_an_empty_name(cli, tmp_path, name):
    """ZWNJ, ZWJ, bidi marks, no-break spaces or tatweel alone counted as a name: a journalist
    nobody can see was stored (and the outlet-only row's outlet with no visible name)."""
    path = tmp_path / "invisible.csv"
    path.write_bytes(csv_bytes([
        [name, "رادیو جوان", "محلی", "", "09121234567", "", ""],  # details but no name: bad
        ["", name, "محلی", "تبریز", "", "", ""],  # an outlet-only row whose outlet has no name: bad
        ["حسن موسوی", f"رادیو جوان؛ {name}", "محلی", "", "", "", ""],  # a list's invisible part: as an empty part
        [name, "", name, "", name, "", ""],  # nothing visible: an empty row, skipped
    ]))
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "نام"), (3, "رسانه")], result["errors"]
    assert "نادیدنی" in result["errors"][0]["message"] and "نادیدنی" in result["errors"][1]["message"]
    assert result["rows"] == 3 and counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(("word", "scope"), [
    ("سراسری", "national"),  # the directory's own word (its pages, its form), not the template's «ملی»
    ("سراسري", "national"),  # Arabic ye
    ("سراسری\u200c", "national"),  # a ZWNJ typed after it
    ("سرا\u200cسری", "national"),
    ("ملي", "national"),
    ("ملی\u200c", "national"),
    ("محلي", "local"),
    ("استاني", "provincial"),
    ("است\u200cانی", "provincial"),
])
def test_the_scope_words_as_people_type_them(cli, tmp_path, word, scope):
    path = tmp_path / "scopes.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "رادیو جوان", word, "", "", "", ""]]))
    result, _ = _import(cli, path)
    assert (result["outlets_new"], result["errors"]) == (1, [])
    assert db.session.scalar(select(Outlet.scope)) == scope


def _workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _merged_sheet(rows: list[list[str]], merge: str | None) -> bytes:
    """An XLSX of these rows with one merged range."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    return _workbook_bytes(book)


def test_merged_cells_refuse_the_file(cli, tmp_path):
    """A merged «رسانه» over three journalists' rows holds its value in the first cell only: the
    other two were imported without their outlet, silently."""
    path = tmp_path / "merged.xlsx"
    path.write_bytes(_merged_sheet([TEMPLATE, *_people(3)], "B2:B4"))
    result, _ = _import(cli, path, status=2)
    assert "B2:B4" in result["error"] and "ادغام" in result["error"] and PERSIAN.search(result["error"])
    assert result["stored"] is False and counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("merge", [None, "A1:G1"])
def test_a_title_row_above_the_header_is_skipped(cli, tmp_path, merge):
    """Office sheets put a title above the header («فهرست خبرنگاران استان», often merged across the
    columns): it was read as the only header, and every real header row became a journalist."""
    path = tmp_path / "titled.xlsx"
    path.write_bytes(_merged_sheet([["فهرست خبرنگاران استان — ۱۴۰۵"], TEMPLATE, *_people(2)], merge))
    result, _ = _import(cli, path)
    assert (result["journalists_new"], result["errors"]) == (2, [])
    csv_path = tmp_path / "titled.csv"
    csv_path.write_bytes("فهرست خبرنگاران\n".encode() + csv_bytes(_people(2, 7), bom=False))
    result, _ = _import(cli, csv_path)
    assert (result["journalists_new"], result["errors"]) == (2, [])
    # «;» and tab files too, a comma in the title's words or none (a review of the directory commands, round 9)
    for n, (title, delimiter) in enumerate((("فهرست خبرنگاران", ";"), ("خبرنگاران, ۱۴۰۵", ";"), ("فهرست", "\t"))):
        csv_path.write_bytes(f"{title}\n".encode() + csv_bytes(_people(2, 20 + 2 * n), bom=False, delimiter=delimiter))
        result, _ = _import(cli, csv_path)
        assert (result["journalists_new"], result["errors"]) == (2, []), (title, delimiter)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_data_cell_full_of_commas_does_not_decide_the_delimiter(cli, tmp_path, delimiter):
    """A «;» or tab file whose beat lists eight subjects with commas was cut at the commas and refused
    for a missing «نام», which its header holds (a review of the directory commands, round 10)."""
    people = _people(2, 40)
    people[0][6] = "اقتصاد, سیاست, ورزش, فرهنگ, هنر, علم, جامعه, حوادث"
    path = tmp_path / "commas.csv"
    path.write_bytes(csv_bytes(people, bom=False, delimiter=delimiter))  # the header row, then the people
    result, _ = _import(cli, path)
    assert (result["journalists_new"], result["errors"]) == (2, [])
    assert db.session.scalar(select(Journalist.beat).where(Journalist.name == "خبرنگار 40")) == people[0][6]


def test_a_huge_cell_in_the_first_lines_is_refused_with_its_row(cli, tmp_path):
    """The delimiter's reading of the first lines met the csv module's cell limit outside the
    file's reading and the import ended with a traceback (the code review of the change)."""
    path = tmp_path / "huge.csv"
    path.write_bytes(csv_bytes([[*_people(1)[0][:6], "ب" * 140_000]], bom=False, delimiter=";"))
    result, _ = _import(cli, path, status=2)
    assert "بیش از اندازه بزرگ است" in result["error"] and counts() == (0, 0, 0, 0)


def test_a_merge_in_one_row_is_refused_below_a_title(cli, tmp_path):
    """A merge across one row is let be only in a title row above the header: in a data row it
    hides the next cells' values as any merge does."""
    path = tmp_path / "merged-row.xlsx"
    path.write_bytes(_merged_sheet([TEMPLATE, *_people(2)], "B2:C2"))
    result, _ = _import(cli, path, status=2)
    assert "B2:C2" in result["error"] and counts() == (0, 0, 0, 0)


def _far_sheet(phones: tuple[str, str]) -> bytes:
    """A journalist on row 2 and another on row 20,003 (with these phones), nothing between."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(TEMPLATE)
    sheet.append([*_people(1)[0][:4], phones[0]])
    for column, value in enumerate([*_people(1, 7)[0][:4], phones[1]], 1):
        sheet.cell(row=20_003, column=column, value=value)
    return _workbook_bytes(book)


def test_rows_after_a_long_empty_stretch_are_read(cli, tmp_path):
    """Reading stopped after 10,000 empty rows: a journalist written below them was lost, exit 0."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(_far_sheet(("09120000000", "09120000007")))
    result, _ = _import(cli, path)
    assert (result["rows"], result["journalists_new"]) == (2, 2)
    # Bad phones, the dimension wrong too, and 30,000 formatted empty rows after the last one:
    # both rows are read, the formatting rows are no rows.
    data = _sheet_xml_rewritten(_far_sheet(("0912", "0913")), rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"')
    rows = "".join(f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>' for n in range(20_004, 50_000))
    path.write_bytes(_sheet_xml_rewritten(data, rb"</sheetData>", rows.encode() + b"</sheetData>"))
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "تلفن"), (20_003, "تلفن")]
    assert result["rows"] == 2


def test_a_sheet_whose_cells_have_no_reference_is_read_whole(cli, tmp_path):
    """Cell references (r="B7") are optional in the format: without them the last row is not known
    from the XML, and every row is read."""
    data = _sheet_xml_rewritten(xlsx_bytes(_people(30)), rb'(<c) r="[A-Z]+\d+"', rb"\1")
    path = tmp_path / "no-refs.xlsx"
    path.write_bytes(_sheet_xml_rewritten(data, rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"'))
    result, _ = _import(cli, path)
    assert (result["rows"], result["journalists_new"]) == (30, 30)


@pytest.mark.parametrize("mark", ["-", "—", "–", " - ", "--", "−"])
def test_a_dash_alone_means_no_phone_and_no_email(cli, tmp_path, mark):
    """«-» is how a sheet says «none»: it was refused as a bad phone (and a bad address), the whole
    file with it."""
    path = tmp_path / "dashes.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "", "", "", mark, mark, ""],
                                ["زهرا کریمی", "", "", "", f"09131112233، {mark}", "", ""]]))
    result, _ = _import(cli, path)
    assert (result["journalists_new"], result["errors"]) == (2, [])
    db.session.expire_all()
    stored = {j.name: ([p.e164 for p in j.phones], j.email) for j in db.session.scalars(select(Journalist))}
    assert stored == {"علی رضایی": ([], ""), "زهرا کریمی": (["+989131112233"], "")}


@pytest.mark.parametrize("mark", ["-", "—", " – "])
def test_a_dash_alone_means_none_in_the_outlet_scope_and_city_cells_too(cli, tmp_path, mark):
    """As in a phone cell: a dash alone in «رسانه», «سطح رسانه» or «شهر» (or in one of their «؛»
    parts) is «none». Before, «-» became an outlet named «-», a scope «-» refused the row («not a
    scope») and a city «-» was stored as the outlet's city."""
    path = tmp_path / "dashes.csv"
    path.write_bytes(csv_bytes([["علی رضایی", mark, mark, mark, "", "", ""],
                                ["زهرا کریمی", f"روزنامه شهر؛ {mark}", f"محلی؛ {mark}", f"مرکز استان؛ {mark}", "", "", ""],
                                ["مریم احمدی", "خبرگزاری استان", mark, "", "", "", ""]]))
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(4, "سطح رسانه")], result["errors"]
    path.write_bytes(csv_bytes([["علی رضایی", mark, mark, mark, "", "", ""],
                                ["زهرا کریمی", f"روزنامه شهر؛ {mark}", f"محلی؛ {mark}", f"مرکز استان؛ {mark}", "", "", ""]]))
    result, _ = _import(cli, path)
    assert (result["journalists_new"], result["outlets_new"], result["errors"]) == (2, 1, [])
    db.session.expire_all()
    assert [(o.name, o.scope, o.city) for o in db.session.scalars(select(Outlet))] == [("روزنامه شهر", "local", "مرکز استان")]
    stored = {j.name: [o.name for o in j.outlets] for j in db.session.scalars(select(Journalist))}
    assert stored == {"علی رضایی": [], "زهرا کریمی": ["روزنامه شهر"]}


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_rows_hidden_by_a_filter_are_imported_and_warned_of(cli, tmp_path):
    """A filter (or «Hide») hides rows from whoever looks at the sheet, not from the import: they
    were imported in silence. They still are (what the file holds is the file), and the warning
    names them, so whoever filtered them out to leave them out knows to delete them."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(TEMPLATE)
    for row in _people(12):
        sheet.append(row)
    for number in (2, 3, *range(5, 14)):  # 11 of the 12 data rows: more than the ten a warning names
        sheet.row_dimensions[number].hidden = True
    path = tmp_path / "filtered.xlsx"
    path.write_bytes(_saved(book))
    result, _ = _import(cli, path)
    assert (result["journalists_new"], result["errors"]) == (12, [])
    hidden = [w for w in result["warnings"] if "پنهان" in w]
    assert len(hidden) == 1 and hidden[0].startswith("۱۱ سطر پنهان"), hidden
    assert hidden[0].endswith("سطر ۲، ۳، ۵، ۶، ۷، ۸، ۹، ۱۰، ۱۱، ۱۲، …"), hidden  # the first ten


def test_a_hidden_first_sheet_is_read_and_warned_of(cli, tmp_path):
    """The first sheet is the one read, as the format says; when it is hidden, whoever opens the
    file sees another one and wonders where its rows went: the warning names the sheet read."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "قدیمی"
    first.append(TEMPLATE)
    first.append(_people(1)[0])
    first.sheet_state = "hidden"
    seen = book.create_sheet("فهرست")
    seen.append(TEMPLATE)
    for row in _people(3, start=5):
        seen.append(row)
    path = tmp_path / "hidden-sheet.xlsx"
    path.write_bytes(_saved(book))
    result, _ = _import(cli, path)
    assert result["journalists_new"] == 1
    assert any("«قدیمی»" in w and "پنهان" in w for w in result["warnings"]), result["warnings"]


def test_rows_naming_a_deactivated_outlet_are_warned(cli, tmp_path):
    """A deactivated outlet named in the file was linked to in silence: the new journalist is
    listed under an outlet nobody sees. Now: linked (the record says where they work), left
    deactivated (reactivating is a manager's decision), and a warning names it with its rows."""
    from app.services.directory_keys import name_key

    gone = Outlet(name="خبرگزاری ایرنا", name_key=name_key("خبرگزاری ایرنا"), scope="national", is_active=False)
    db.session.add(gone)
    db.session.commit()
    path = tmp_path / "deactivated.csv"
    path.write_bytes(csv_bytes([
        ["علی رضایی", "خبرگزاري ايرنا", "", "", "", "", ""],
        ["", "خبرگزاری ایرنا", "ملی", "", "", "", ""],
        ["زهرا کریمی", "رادیو جوان؛ خبرگزاری ایرنا", "محلی؛ ملی", "", "", "", ""],
    ]))
    result, stderr = _import(cli, path)
    assert (result["outlets_new"], result["journalists_new"], result["errors"]) == (1, 2, [])
    warned = [w for w in result["warnings"] if "غیرفعال" in w]
    assert len(warned) == 1 and "«خبرگزاری ایرنا»" in warned[0] and "۲، ۳، ۴" in warned[0], result["warnings"]
    assert "غیرفعال" in stderr
    db.session.expire_all()
    assert db.session.scalar(select(Outlet.is_active).where(Outlet.id == gone.id)) is False
    ali = db.session.scalars(select(Journalist).where(Journalist.name == "علی رضایی")).one()
    assert [o.id for o in ali.outlets] == [gone.id]


def test_an_active_outlet_is_chosen_over_a_deactivated_one_of_the_same_name(cli, tmp_path):
    from app.services.directory_keys import name_key

    for name, active in (("رادیو جوان", True), ("رادیو  جوان", False)):  # one normalized name
        db.session.add(Outlet(name=name, name_key=name_key(name), scope="local", is_active=active))
    db.session.commit()
    path = tmp_path / "same-name.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "رادیو جوان", "", "", "", "", ""]]))
    result, _ = _import(cli, path)
    assert (result["outlets_new"], result["journalists_new"], result["warnings"]) == (0, 1, [])
    db.session.expire_all()
    ali = db.session.scalars(select(Journalist)).one()
    assert [(o.name, o.is_active) for o in ali.outlets] == [("رادیو جوان", True)]


def test_the_page_reads_the_same_way(app, client, page_staff, tmp_path):
    """The page /directory/import shares the service: a wrong dimension is read whole, a merged
    sheet is refused in Persian and nothing is kept, a deactivated outlet is warned on the preview."""
    from app.services.directory_keys import name_key
    from tests.test_directory_import_pages import _folder, _statuses, _token, _upload

    data = _sheet_xml_rewritten(xlsx_bytes(_people(50)), rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G2"')
    token = _token(_upload(client, data, "dimension.xlsx"))
    html = client.get(f"/directory/import/{token}").get_data(as_text=True)
    assert len(_statuses(html)) == 50
    db.session.add(Outlet(name="رادیو جوان", name_key=name_key("رادیو جوان"), scope="local", is_active=False))
    db.session.commit()
    html = client.get(f"/directory/import/{token}").get_data(as_text=True)
    assert "«رادیو جوان»" in html and "غیرفعال است" in html
    merged = _sheet_xml_rewritten(xlsx_bytes(_people(3)), rb"</sheetData>",
                                  b'</sheetData><mergeCells count="1"><mergeCell ref="B2:B4"/></mergeCells>')
    response = _upload(client, merged, "merged.xlsx")
    assert response.status_code == 400 and "ادغام" in response.get_data(as_text=True)
    assert sorted(p.name for p in _folder(app).iterdir()) == [f"{token}.data", f"{token}.json"]


def test_a_header_of_invisible_characters_is_no_header(cli, tmp_path):
    """A header cell holding a ZWNJ only was named in the warning as «‌» (nothing to see)."""
    path = tmp_path / "header.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "x"]], header=["نام", "\u200c\u200f"]))
    result, stderr = _import(cli, path)
    assert result["warnings"] == ["ستون ۲ سرستون ندارد و نادیده گرفته شد."] and "ستون ۲ سرستون ندارد" in stderr


def test_an_outlet_cell_of_separators_only_is_no_outlet(cli, tmp_path):
    """A row with no name whose «رسانه» held only «؛» was an outlet-only row naming nothing: it did
    nothing, in silence. Now it is a row with no name."""
    path = tmp_path / "separators.csv"
    path.write_bytes(csv_bytes([["", "؛ ؛", "محلی", "", "", "", ""], ["علی رضایی", "", "", "", "", "", ""]]))
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "نام")] and counts() == (0, 0, 0, 0)


def test_a_row_repeating_the_header_is_a_bad_row(cli, tmp_path):
    """Two sheets pasted one under the other: the second header row («نام», «تلفن»…) was read as
    a journalist named «نام» (stored, with only a name column; else a bad phone «تلفن»)."""
    path = tmp_path / "twice.csv"
    path.write_bytes(csv_bytes([["علی رضایی"], ["\ufeffنام"], ["زهرا کریمی"]], header=["نام"]))
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "نام")]
    assert "سرستون" in result["errors"][0]["message"] and counts() == (0, 0, 0, 0)
    # The second sheet one column narrower (a review of the commands, round 6: three unrelated
    # errors, a bad phone «تلفن», a bad e-mail «ایمیل», a bad scope «سطح رسانه»).
    header = ["نام", "رسانه", "سطح رسانه", "شهر", "تلفن", "ایمیل", "حوزه خبری", "یادداشت"]
    path.write_bytes(csv_bytes([["علی رضایی", *[""] * 7], [*header[:7], ""], ["زهرا کریمی", *[""] * 7]], header=header))
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "نام")]
    assert "سرستون" in result["errors"][0]["message"]


def test_a_duplicate_of_a_deactivated_journalist_is_warned(cli, tmp_path):
    """A row matching a deactivated journalist was a plain duplicate: not created, and nobody told
    that the match is hidden from the lists."""
    from app.services.directory_keys import name_key

    db.session.add(Journalist(name="علی رضایی", name_key=name_key("علی رضایی"), is_active=False))
    db.session.commit()
    path = tmp_path / "hidden.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "", "", "", "", "", ""]]))
    result, stderr = _import(cli, path)
    assert [(d["row"], d["by"]) for d in result["duplicates"]] == [(2, "name")]
    assert len(result["warnings"]) == 1 and "غیرفعال" in result["warnings"][0] and "سطر ۲" in result["warnings"][0]
    assert "غیرفعال" in stderr


def test_a_file_of_headers_only_is_refused_not_previewed_as_nothing(cli, tmp_path):
    """A review of the forms: a file with the header row and no other showed a preview of 0 rows
    and a «save all» button; it is refused, saying where the rows go."""
    for name, data in (("headers.csv", csv_bytes([])), ("headers.xlsx", xlsx_bytes([]))):
        path = tmp_path / name
        path.write_bytes(data)
        result, _ = _import(cli, path, status=2)
        assert "جز سطر سرستون‌ها سطری ندارد" in result["error"], name
    assert counts() == (0, 0, 0, 0)  # nothing stored, not even an audit entry


def test_one_row_without_the_header_row_is_told_so(cli, tmp_path):
    """One journalist's row and no header row above it was told «nothing but the header row» (the
    wrong reason), where two such rows were told the «نام» column is missing (a review of the
    commands, round 3)."""
    path = tmp_path / "one.csv"
    path.write_bytes("علی رضایی,روزنامه شهر,محلی,زنجان,09121234567,,\n".encode())
    result, _ = _import(cli, path, status=2)
    assert "سطر نخست فایل سرستون‌ها نیست" in result["error"]
    assert counts() == (0, 0, 0, 0)


def test_a_name_without_a_letter_is_no_name(cli, tmp_path):
    """An XLSX number cell «12345» (a phone typed into the name's column) was stored as a journalist
    named «12345» (a review of the directory commands, round 8)."""
    path = tmp_path / "numbers.xlsx"
    path.write_bytes(xlsx_bytes([[12345, "رادیو جوان", "محلی", "", "09121234567", "", ""],
                                 ["حسن ۱۲", "رادیو جوان", "محلی", "", "", "", ""]]))  # a letter: a name
    result, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "نام")], result["errors"]
    assert "حرفی ندارد" in result["errors"][0]["message"] and counts() == (0, 0, 0, 0)


def test_a_csv_refused_after_it_was_read_names_its_encoding(cli, tmp_path):
    """The JSON's «encoding» is the CSV's when it was read before the refusal (the command's
    contract): a file of headers only, or with a quote left open, said null (a review of the
    commands' contracts, session 39); an XLSX, and bytes never decoded, say null."""
    header = ",".join(TEMPLATE) + "\n"
    for data, encoding in ((("\ufeff" + header).encode("utf-8"), "utf-8"),
                           (header.encode("utf-16-le"), "utf-16-le"),
                           ((header + "علی,\"روزنامه\n").encode("utf-8"), "utf-8"),
                           (xlsx_bytes([]), None)):
        path = tmp_path / ("sheet.xlsx" if data.startswith(b"PK") else "sheet.csv")
        path.write_bytes(data)
        result, _ = _import(cli, path, status=2)
        assert result["error"] and result["encoding"] == encoding, (encoding, result)
    assert counts() == (0, 0, 0, 0)


def test_a_lone_cr_in_an_unquoted_cell_is_read_as_spreadsheets_read_it_and_warned_of(cli, tmp_path):
    """Session 40's note: «اقتصاد\\rسیاست» in a beat cell, unquoted, in a file of LF lines. Read as
    LibreOffice and Excel read it (two rows: a journalist named «سیاست»), and now warned of, naming
    the file's line and the two rows. A CR inside quotes, CRLF line ends and «\\r\\r\\n» warn of nothing."""
    head = ",".join(TEMPLATE)
    text = "\n".join([head, "خبرنگار یک,رادیو جوان,محلی,,09120000001,,اقتصاد\rسیاست",
                      "خبرنگار دو,رادیو جوان,محلی,,09120000002,,\"ورزش\rفرهنگ\"", ""])
    path = tmp_path / "cr.csv"
    path.write_bytes(text.encode("utf-8"))
    result, _stderr = _import(cli, path, "--dry-run")
    said = [w for w in result["warnings"] if "CR" in w]
    assert len(said) == 1 and "خط ۲ فایل (سطر ۲ و ۳)" in said[0], result["warnings"]
    assert result["rows"] == 3  # as spreadsheets read it: the cut row is two
    text_run = cli("import", str(path), "--dry-run")
    assert "خط ۲ فایل" in text_run.stderr + text_run.stdout
    for quiet in (text.replace("اقتصاد\rسیاست", "اقتصاد").replace("\n", "\r\n"),
                  text.replace("اقتصاد\rسیاست", "اقتصاد").replace("\n", "\r\r\n")):
        path.write_bytes(quiet.encode("utf-8"))
        result, _ = _import(cli, path, "--dry-run")
        assert not [w for w in result["warnings"] if "CR" in w], result["warnings"]
