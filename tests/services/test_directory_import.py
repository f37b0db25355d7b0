"""Importing the directory's sheet (issue 12, item 4): good files (CSV, XLSX), bad rows (nothing
stored, every bad row reported with its row and column), Persian and Arabic letters and digits,
duplicates (by normalized name, by phone, inside the file), the column mapping, refused files."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import NotAllowed, directory_xlsx
from app.services import directory_sheet as sheet
from app.services.directory_import import import_table
from app.services.directory_keys import name_key
from app.services.directory_sheet import SheetRefused, read_table
from models import AuditEntry, Journalist, JournalistPhone, Outlet
from tests.services.directory_files import (
    TEMPLATE,
    counts,
    csv_bytes,
    directory,
    xlsx_bytes,
)

GOOD = [
    ["علی رضایی", "روزنامه همشهری", "محلی", "تبریز", "09121234567، 021-2233-4455", "ali@example.com", "اقتصاد"],
    ["زهرا کریمی", "خبرگزاری ایرنا؛ روزنامه همشهری", "ملی؛ محلی", "؛ تبریز", "+98 913 111 2233 / 0098 914 222 3344",
     "", "شهری"],
    ["مریم احمدی", "رادیو آذربایجان", "استانی", "تبریز", "0915 333 4455; 0916-444-5566", "", ""],
    ["", "سیمای مرکز", "استانی", "تبریز", "", "", ""],
]


@pytest.fixture
def staff(make_user):
    return make_user(role="staff")


def run(staff, data: bytes, filename: str = "directory.csv", **options):
    return import_table(read_table(data, filename), actor=staff, filename=filename, **options).as_dict()


def _expected_good():
    return {
        "outlets": {"روزنامه همشهری": ("local", "تبریز"), "خبرگزاری ایرنا": ("national", ""),
                    "رادیو آذربایجان": ("provincial", "تبریز"), "سیمای مرکز": ("provincial", "تبریز")},
        "journalists": {
            "علی رضایی": (("روزنامه همشهری",), ("+982122334455", "+989121234567"), "ali@example.com", "اقتصاد"),
            "زهرا کریمی": (("خبرگزاری ایرنا", "روزنامه همشهری"), ("+989131112233", "+989142223344"), "", "شهری"),
            "مریم احمدی": (("رادیو آذربایجان",), ("+989153334455", "+989164445566"), "", ""),
        },
    }


def test_a_good_csv_is_stored_whole_with_one_audit_entry(staff):
    result = run(staff, csv_bytes(GOOD))
    assert result == {"outlets_new": 4, "journalists_new": 3, "duplicates": [], "errors": [], "warnings": [],
                      "rows": 4, "stored": True, "encoding": "utf-8", "outlets_planned": 4, "journalists_planned": 3}
    assert directory() == _expected_good()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "directory.imported")).one()
    assert entry.actor_id == staff.id
    assert entry.details == {"file": "directory.csv", "rows": 4, "outlets_new": 4, "journalists_new": 3,
                             "duplicates": 0}
    journalist = db.session.scalars(select(Journalist).where(Journalist.name == "علی رضایی")).one()
    assert journalist.name_key == name_key("علی رضایی") and journalist.created_by_id == staff.id
    assert all(o.name_key == name_key(o.name) for o in db.session.scalars(select(Outlet)))


def test_a_good_xlsx_gives_the_same_directory_numbers_in_number_cells_too(staff):
    rows = [list(r) for r in GOOD]
    rows[2][4] = 9153334455  # typed into a number cell: the leading 0 is gone
    rows[2][4] = f"{rows[2][4]}; 0916-444-5566"
    rows.insert(1, [None] * 7)  # an empty line
    rows[0][4] = 9121234567.0
    rows[0][4] = "09121234567، 021-2233-4455"
    result = run(staff, xlsx_bytes(rows), "directory.xlsx")
    assert (result["journalists_new"], result["outlets_new"], result["errors"]) == (3, 4, [])
    assert directory() == _expected_good()


def test_a_number_cell_of_xlsx_is_read_as_a_phone(staff):
    result = run(staff, xlsx_bytes([["رضا موسوی", "", "", "", 9121234567, "", ""]]), "d.xlsx")
    assert result["errors"] == [] and result["journalists_new"] == 1
    assert db.session.scalar(select(JournalistPhone.e164)) == "+989121234567"


def test_a_true_or_false_cell_of_xlsx_reads_as_the_sheet_shows_it(staff):
    """A cell Excel turned into a truth value («true» typed) was stored as Python's «True» (a review of
    the commands, round 3): it reads as the sheet shows it."""
    table = read_table(xlsx_bytes([["رضا موسوی", "", "", "", "", "", True], ["مریم احمدی", "", "", "", "", "", False]]),
                       "d.xlsx")
    assert [texts[6] for _row, texts in table.rows] == ["TRUE", "FALSE"]


def test_bad_rows_store_nothing_and_every_bad_row_is_reported(staff):
    existing = Outlet(name="روزنامه همشهری", name_key=name_key("روزنامه همشهری"), scope="local")
    db.session.add(existing)
    db.session.commit()
    before = counts()
    rows = [
        GOOD[0],                                                          # row 2: good
        ["", "", "", "", "", "", ""],                                     # row 3: empty, skipped
        ["حسن", "", "", "", "12345", "", ""],                             # row 4: bad phone
        ["حسین", "", "", "", "", "not-an-email", ""],                     # row 5: bad e-mail
        ["", "", "", "", "09121112233", "", ""],                          # row 6: a phone without a name
        ["نرگس", "هفته‌نامه تازه", "", "", "", "", ""],                   # row 7: a new outlet without scope
        ["پری", "هفته‌نامه دیگر", "کشوری", "", "", "", ""],               # row 8: an unknown scope
        ["سارا", "الف؛ ب", "محلی؛ ملی؛ استانی", "", "", "", ""],           # row 9: three scopes for two outlets
        ["x" * 201, "", "", "", "", "", ""],                              # row 10: too long
        ["نازی", "هفته‌نامه سوم", "محلی", "", "", "", ""],
        ["نادر", "هفته‌نامه سوم", "ملی", "", "", "", ""],                # row 12: another scope for row 11's outlet
    ]
    result = run(staff, csv_bytes(rows))
    assert result["stored"] is False and counts() == before
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (4, "تلفن"), (5, "ایمیل"), (6, "نام"), (7, "سطح رسانه"), (8, "سطح رسانه"), (9, "سطح رسانه"), (10, "نام"),
        (12, "سطح رسانه")]
    assert all(e["message"] for e in result["errors"])
    assert "12345" in result["errors"][0]["message"]
    assert "هفته‌نامه تازه" in result["errors"][3]["message"]


def test_a_different_scope_of_an_existing_outlet_is_a_warning_and_changes_nothing(staff):
    db.session.add(Outlet(name="ایرنا", name_key=name_key("ایرنا"), scope="national"))
    db.session.commit()
    result = run(staff, csv_bytes([["علی", "ايرنا", "محلی", "", "", "", ""]]))
    assert result["stored"] and result["outlets_new"] == 0 and len(result["warnings"]) == 1
    assert db.session.scalar(select(Outlet.scope)) == "national"
    assert [o.name for o in db.session.scalars(select(Journalist)).one().outlets] == ["ایرنا"]


def test_a_new_outlets_city_named_again_is_taken_or_a_different_one_is_an_error(staff):
    """Found by a review of the commands: a new outlet named on two rows kept the first row's city
    and dropped the second's unsaid («شهر ب»), and one whose first row had no city got none. The
    city is read as the kind, the website and the note are: taken when it was missing, an error
    when it differs."""
    different = run(staff, csv_bytes([["ه یک", "رسانه ذ", "محلی", "شهر الف", "09121110031", "", ""],
                                      ["ه دو", "رسانه ذ", "محلی", "شهر ب", "09121110032", "", ""]]))
    assert not different["stored"] and [(e["row"], e["column"]) for e in different["errors"]] == [(3, "شهر")]
    assert "شهر الف" in different["errors"][0]["message"] and db.session.scalar(select(Outlet.id)) is None
    missing_first = run(staff, csv_bytes([["ه سه", "رسانه ر", "محلی", "", "09121110033", "", ""],
                                          ["ه چهار", "رسانه ر", "محلی", "شهر ج", "09121110034", "", ""]]))
    assert missing_first["stored"] and missing_first["errors"] == []
    assert db.session.scalar(select(Outlet.city).where(Outlet.name == "رسانه ر")) == "شهر ج"


def test_a_different_city_or_kind_of_an_existing_outlet_is_a_warning_and_changes_nothing(staff):
    db.session.add(Outlet(name="همشهری", name_key=name_key("همشهری"), scope="local", city="تبریز", kind="newspaper"))
    db.session.commit()
    result = run(staff, csv_bytes([["علی", "همشهری", "", "مراغه", "", "", ""]]))
    assert result["stored"] and result["outlets_new"] == 0
    assert len(result["warnings"]) == 1 and "«شهر» رسانهٔ «همشهری» در فهرست «تبریز» است" in result["warnings"][0]
    assert db.session.scalar(select(Outlet.city)) == "تبریز"
    assert run(staff, csv_bytes([["رضا", "همشهری", "", "تبریز", "", "", ""]]))["warnings"] == []  # the same city: nothing to say



def test_an_outlets_details_written_alike_are_the_same_detail(staff):
    """A review of the commands, round 7: a city with a ZWNJ after it («کرمان‌») on a second row
    refused the whole file as another city, «https://a.ir/» against «https://a.ir» too, and a
    website written «HTTPS://A.IR» was no website. They are the same city and website."""
    header = TEMPLATE + ["وبگاه رسانه"]
    result = run(staff, csv_bytes([["ک یک", "رسانهٔ زد", "محلی", "کرمان", "", "", "", "HTTPS://A.IR"],
                                   ["ک دو", "رسانهٔ زد", "", "کرمان\u200c", "", "", "", "https://a.ir/"]], header=header))
    assert result["stored"] and result["errors"] == [] and result["warnings"] == []
    assert db.session.execute(select(Outlet.city, Outlet.website)).one() == ("کرمان", "https://a.ir")
    again = run(staff, csv_bytes([["ک سه", "رسانه زد", "", " كرمان ", "", "", "", "https://A.ir/"]], header=header))
    assert again["stored"] and again["warnings"] == []  # the outlet kept: nothing different to say


def test_a_city_an_existing_outlet_lacks_is_a_warning_not_dropped_unsaid(staff):
    """A review of the commands, round 7: a sheet filling in the city of an outlet stored without
    one exited 0, said nothing and changed nothing (only a *different* city was a warning). The
    outlet is still kept as it is; the file's city is said."""
    db.session.add(Outlet(name="همشهری", name_key=name_key("همشهری"), scope="local", city="", kind="newspaper"))
    db.session.commit()
    result = run(staff, csv_bytes([["علی", "همشهری", "", "مراغه", "", "", ""]]))
    assert result["stored"] and len(result["warnings"]) == 1
    assert "«شهر» رسانهٔ «همشهری» در فهرست خالی است" in result["warnings"][0]
    assert db.session.scalar(select(Outlet.city)) == ""


def test_an_existing_outlets_other_city_on_many_rows_is_one_warning_naming_the_rows(staff):
    """A file of a few hundred rows of one outlet with another city gave a warning per row; it is
    one, naming the first rows and counting the rest; another value is its own warning."""
    db.session.add(Outlet(name="همشهری", name_key=name_key("همشهری"), scope="local", city="تبریز", kind="newspaper"))
    db.session.commit()
    rows = [[f"خبرنگار {n}", "همشهری", "استانی", "مراغه", "", "", ""] for n in range(8)]
    rows.append(["خبرنگار ۹", "همشهری", "", "مرند", "", "", ""])
    result = run(staff, csv_bytes(rows))
    assert result["stored"] and len(result["warnings"]) == 3, result["warnings"]
    scope, city, other_city = result["warnings"]
    assert scope.startswith("سطرهای ۲، ۳، ۴، ۵، ۶ و ۳ سطر دیگر: «همشهری» در فهرست «محلی» است")
    assert city.startswith("سطرهای ۲، ۳، ۴، ۵، ۶ و ۳ سطر دیگر: «شهر» رسانهٔ «همشهری» در فهرست «تبریز» است")
    assert other_city.startswith("سطر ۱۰: «شهر» رسانهٔ «همشهری»")


def test_persian_and_arabic_letters_and_digits_in_names_and_phones(staff):
    rows = [["علي كريمي", "روزنامهٔ فجر", "محلی", "", "٠٩١٢١٢٣٤٥٦٧", "", ""],     # Arabic ي ك, Arabic-Indic digits
            ["رضا  صادقی", "", "", "", "۰۰۹۸۹۱۳۷۶۵۴۳۲۱ ، +۹۸۹۱۴۱۱۱۲۲۳۳", "", ""]]  # Persian digits
    result = run(staff, csv_bytes(rows))
    assert result["errors"] == [] and result["journalists_new"] == 2
    names = {j.name: sorted(p.e164 for p in j.phones) for j in db.session.scalars(select(Journalist))}
    assert names == {"علی کریمی": ["+989121234567"], "رضا صادقی": ["+989137654321", "+989141112233"]}
    # The same people written in the other letters and digits are duplicates.
    again = [["علی کریمی", "", "", "", "", "", ""], ["رضا صادقي", "", "", "", "", "", ""],
             ["کسی دیگر", "", "", "", "09137654321", "", ""]]
    result = run(staff, csv_bytes(again))
    ids = {j.name: j.id for j in db.session.scalars(select(Journalist))}
    assert result["duplicates"] == [
        {"row": 2, "name": "علی کریمی", "journalist_id": ids["علی کریمی"], "of_row": None, "by": "name"},
        {"row": 3, "name": "رضا صادقی", "journalist_id": ids["رضا صادقی"], "of_row": None, "by": "name"},
        {"row": 4, "name": "کسی دیگر", "journalist_id": ids["رضا صادقی"], "of_row": None, "by": "phone"}]
    assert result["stored"] is False and result["journalists_new"] == 0


def test_duplicates_inside_the_file_by_name_and_phone(staff):
    rows = [["محمد‌رضا نوری", "", "", "", "09121234567", "", ""],
            ["محمد رضا  نوري", "", "", "", "", "", ""],               # the same name, spaced and spelled otherwise
            ["کسی دیگر", "", "", "", "0912 123 4567", "", ""],       # row 2's phone
            ["تازه", "", "", "", "09351234567", "", ""]]
    result = run(staff, csv_bytes(rows))
    assert result["duplicates"] == [
        {"row": 3, "name": "محمد رضا نوری", "journalist_id": None, "of_row": 2, "by": "name"},
        {"row": 4, "name": "کسی دیگر", "journalist_id": None, "of_row": 2, "by": "phone"}]
    assert result["journalists_new"] == 2 and result["stored"]
    assert sorted(db.session.scalars(select(Journalist.name))) == ["تازه", "محمد‌رضا نوری"]


def test_a_newsrooms_shared_line_makes_no_reporter_a_duplicate(staff):
    """A review of the commands, round 6: a paper's sheet gives its switchboard (or fax) beside each
    reporter's mobile; every reporter after the first was a "duplicate by phone", not stored, their
    own mobile lost. A fixed line identifies no one; a mobile and a name still do."""
    rows = [["علی توکلی", "روزنامه نصف جهان", "محلی", "اصفهان", "09131117001؛ 031-32223344", "", ""],
            ["مریم فروتن", "روزنامه نصف جهان", "محلی", "اصفهان", "09131117002؛ 031-32223344", "", ""],
            ["کسی دیگر", "", "", "", "09131117001", "", ""]]  # row 2's mobile: the same person
    result = run(staff, csv_bytes(rows))
    assert result["duplicates"] == [{"row": 4, "name": "کسی دیگر", "journalist_id": None, "of_row": 2, "by": "phone"}]
    phones = {j.name: sorted(p.e164 for p in j.phones) for j in db.session.scalars(select(Journalist))}
    assert phones == {"علی توکلی": ["+983132223344", "+989131117001"], "مریم فروتن": ["+983132223344", "+989131117002"]}
    again = run(staff, csv_bytes([["رضا نادری", "", "", "", "031-32223344", "", ""]]))  # against the directory
    assert again["duplicates"] == [] and again["journalists_new"] == 1


def test_a_surname_in_a_column_of_its_own_is_read_after_the_name(staff):
    """A review of the commands, round 6: a sheet of «نام» and «نام خانوادگی» (how many offices keep
    one) stored «علی» alone and dropped the second «علی» as its duplicate, exit 0. The surname is
    read after the name, wherever its column stands."""
    data = ("\ufeffردیف,نام خانوادگی,نام,رسانه,سطح رسانه,شهر,تلفن\n"
            "1,محمدی,علی,روزنامه اصفهان امروز,محلی,اصفهان,09131110001\n"
            "2,کریم‌زاده,علی,روزنامه اصفهان امروز,محلی,اصفهان,09131110002\n"
            "3,,رضا,روزنامه اصفهان امروز,محلی,اصفهان,\n").encode()
    result = run(staff, data)
    assert result["duplicates"] == [] and result["journalists_new"] == 3 and result["stored"]
    assert sorted(db.session.scalars(select(Journalist.name))) == ["رضا", "علی محمدی", "علی کریم‌زاده"]
    assert not any("نام خانوادگی" in warning for warning in result["warnings"])


def test_a_file_of_duplicates_only_stores_nothing_and_is_no_error(staff):
    run(staff, csv_bytes(GOOD))
    before = counts()
    result = run(staff, csv_bytes(GOOD))
    assert (result["stored"], result["errors"], result["journalists_new"], result["outlets_new"]) == (False, [], 0, 0)
    assert [d["row"] for d in result["duplicates"]] == [2, 3, 4]
    assert counts() == before  # no audit entry either


def test_dry_run_stores_nothing(staff):
    before = counts()
    result = run(staff, csv_bytes(GOOD), dry_run=True)
    assert (result["journalists_new"], result["outlets_new"], result["stored"]) == (3, 4, False)
    assert counts() == before


def test_a_viewer_may_not_import(make_user):
    with pytest.raises(NotAllowed):
        run(make_user(role="viewer"), csv_bytes(GOOD))


def test_unknown_headers_are_ignored_with_a_warning_or_mapped(staff):
    header = [*TEMPLATE, "همراه", "توضیحات"]
    data = csv_bytes([["علی", "", "", "", "", "", "", "09121234567", "خبرنگار پیشکسوت"]], header=header)
    result = run(staff, data, dry_run=True)
    assert len(result["warnings"]) == 2 and "همراه" in result["warnings"][0]
    result = run(staff, data, mapping={7: "phone", 8: "notes"})
    journalist = db.session.scalars(select(Journalist)).one()
    assert [p.e164 for p in journalist.phones] == ["+989121234567"] and journalist.notes == "خبرنگار پیشکسوت"
    assert result["warnings"] == []


def test_a_name_column_may_come_from_the_mapping_but_not_twice(staff):
    data = csv_bytes([["علی", "09121234567"]], header=["نام و نام خانوادگی", "تلفن"])
    with pytest.raises(SheetRefused, match="«نام»"):
        run(staff, data)
    assert run(staff, data, mapping={0: "name"})["journalists_new"] == 1
    with pytest.raises(SheetRefused, match="هر دو"):
        run(staff, csv_bytes([["a", "b"]], header=["نام", "خبرنگار"]), mapping={1: "name"})


def test_csv_with_semicolons_and_english_headers_and_no_bom(staff):
    data = csv_bytes([["Ali", "IRNA", "national", "", "09121234567", "", ""]],
                     header=["Name", "Outlet", "Scope", "City", "Phone", "Email", "Beat"], bom=False, delimiter=";")
    result = run(staff, data)
    assert (result["journalists_new"], result["outlets_new"]) == (1, 1)
    assert db.session.scalar(select(Outlet.scope)) == "national"


def test_rows_are_counted_as_the_sheet_shows_them(staff):
    data = "\ufeff\n\nنام,تلفن\nعلی,12\n\n\"چند\nخطی\",13\n".encode()
    result = run(staff, data)
    assert [e["row"] for e in result["errors"]] == [4, 6]


@pytest.mark.parametrize(("data", "filename", "says"), [
    (b"x" * (sheet.MAX_BYTES + 1), "big.csv", "مگابایت"),
    ("name,city\nJosé,Málaga\n".encode("cp1252"), "d.csv", "UTF-8"),  # a Western code page: not guessed
    (b"%PDF-1.4 binary", "d.pdf", "CSV یا XLSX"),
    (b"\xd0\xcf\x11\xe0 old excel", "d.xls", "XLSX"),
    (b"PK\x03\x04 not really a zip", "d.xlsx", "XLSX"),
    ("نام\n".encode("utf-32"), "d.csv", "UTF-8"),  # UTF-32: not read, the encoding said
    ("نام\nعلی\n".encode("utf-16")[:-1], "d.csv", "UTF-16"),  # UTF-16 cut inside a character
    (b"\xef\xbb\xbf\n\n", "empty.csv", "خالی"),
])
def test_files_refused_whole_with_a_persian_message(data, filename, says):
    with pytest.raises(SheetRefused, match=says):
        read_table(data, filename)


def test_a_zip_that_is_not_a_workbook_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(SheetRefused, match="XLSX"):
        read_table(buffer.getvalue(), "d.xlsx")


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    with pytest.raises(SheetRefused, match="۳|3"):
        read_table(csv_bytes([["a"], ["b"], ["c"], ["d"]], header=["نام"]), "d.csv")


def _workbook_bytes(sheets: list[tuple[str, list[list]]], chart_first: bool = False) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    if chart_first:
        book.create_chartsheet("نمودار")
    for title, rows in sheets:
        worksheet = book.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_of_too_many_rows_is_refused_before_openpyxl_parses_it(monkeypatch):
    # openpyxl parses a sheet without <dimension> whole, twice, when it opens it: a 150,000-row
    # sheet took ~7 s to reach the refusal at row 5,001. The rows are counted in its XML first.
    import openpyxl

    monkeypatch.setattr(directory_xlsx, "MAX_ROWS", 3)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened before the refusal"))
    rows = [["نام"], ["الف"], ["ب"], ["پ"], ["ت"], ["ث"]]  # the header, a title row's allowance, and 5 rows
    with pytest.raises(SheetRefused, match="۳"):
        read_table(_workbook_bytes([("خبرنگاران", rows)], chart_first=True), "d.xlsx")


def test_the_count_before_opening_reads_the_first_worksheet_only(monkeypatch):
    monkeypatch.setattr(directory_xlsx, "MAX_ROWS", 3)
    many = [["نام"]] + [[f"ردیف {i}"] for i in range(10)]
    table = read_table(_workbook_bytes([("خبرنگاران", [["نام"], ["علی"], ["رضا"]]), ("بایگانی", many)]), "d.xlsx")
    assert [cells[0] for _n, cells in table.rows] == ["علی", "رضا"]


def test_a_header_and_a_title_row_do_not_count_as_directory_rows(monkeypatch):
    monkeypatch.setattr(directory_xlsx, "MAX_ROWS", 3)
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    rows = [["فهرست خبرنگاران استان"], ["نام", "رسانه"], ["الف", "ر"], ["ب", "ر"], ["پ", "ر"]]
    table = read_table(_workbook_bytes([("خبرنگاران", rows)]), "d.xlsx")
    assert [cells[0] for _n, cells in table.rows] == ["الف", "ب", "پ"]


def _rewritten_xlsx(replace: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["علی", "", "", "", "", "", ""]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            archive.writestr(entry.filename, replace.get(entry.filename, source.read(entry.filename)))
    return buffer.getvalue()


def test_an_xlsx_bomb_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(directory_xlsx, "MAX_UNZIPPED", 10_000)
    data = _rewritten_xlsx({"xl/padding.bin": b"\0" * 20_000})
    with pytest.raises(SheetRefused, match="بزرگ"):
        read_table(data, "d.xlsx")


def test_an_xlsx_declaring_entities_is_refused_not_expanded():
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(10))
    sheet_xml = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{laughs}]>'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                 '<row r="1"><c r="A1" t="inlineStr"><is><t>نام</t></is></c></row>'
                 '<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>')
    data = _rewritten_xlsx({"xl/worksheets/sheet1.xml": sheet_xml.encode()})
    with pytest.raises(SheetRefused, match="XLSX"):
        read_table(data, "d.xlsx")


EXTRA = ["گونه رسانه", "وبگاه رسانه", "یادداشت رسانه", "گونه تلفن", "راه ارتباطی", "تلگرام", "یادداشت"]


def test_the_optional_columns_are_read_with_their_words_and_english_aliases(staff):
    rows = [["علی", "روزنامه شهر؛ سیمای مرکز", "محلی؛ استانی", "", "09121234567، 04133334444", "", "",
             "نشریه؛ tv", "؛ https://tv.example.ir", "", "همراه؛ دفتر", "پیامک", "@ali", "خط یک\nخط دو"],
            ["", "روزنامه شهر", "", "", "", "", "", "", "https://shahr.example.ir", "شنبه‌ها تعطیل", "", "", "", ""]]
    assert run(staff, csv_bytes(rows, header=[*TEMPLATE, *EXTRA]))["errors"] == []
    outlets = {o.name: (o.kind, o.website, o.notes) for o in db.session.scalars(select(Outlet))}
    assert outlets == {"روزنامه شهر": ("newspaper", "https://shahr.example.ir", "شنبه‌ها تعطیل"),
                       "سیمای مرکز": ("tv", "https://tv.example.ir", "")}
    journalist = db.session.scalars(select(Journalist)).one()
    assert ([(p.e164, p.label) for p in journalist.phones], journalist.preferred_channel, journalist.handles,
            journalist.notes) == ([("+989121234567", "mobile"), ("+984133334444", "office")], "sms",
                                  {"telegram": "@ali"}, "خط یک\nخط دو")
    english = ["Name", "Outlet", "Scope", "Outlet kind", "Preferred channel", "Instagram", "Notes"]
    run(staff, csv_bytes([["زهرا", "رادیو شهر", "محلی", "radio", "visit", "z.k", "یادداشت"]], header=english))
    zahra = db.session.scalars(select(Journalist).where(Journalist.name == "زهرا")).one()
    assert (zahra.outlets[0].kind, zahra.preferred_channel, zahra.handles, zahra.notes) == (
        "radio", "visit", {"instagram": "z.k"}, "یادداشت")


def test_an_outlet_kind_word_not_known_is_other_with_a_warning(staff):
    result = run(staff, csv_bytes([["", "گاهنامه دانشجویی", "محلی", "", "", "", "", "گاهنامه"]],
                                  header=[*TEMPLATE, "گونه رسانه"]))
    assert result["errors"] == [] and len(result["warnings"]) == 1
    assert "«گاهنامه»" in result["warnings"][0] and "«دیگر»" in result["warnings"][0]
    assert db.session.scalars(select(Outlet)).one().kind == "other"


@pytest.mark.parametrize(("cells", "column", "says"), [
    ({"راه ارتباطی": "کبوتر"}, "راه ارتباطی", "«کبوتر»"),
    ({"تلگرام": "علی رضایی"}, "تلگرام", "بی فاصله"),
    ({"وبگاه رسانه": "ftp://shahr.ir"}, "وبگاه رسانه", "https://example.ir"),  # «shahr.ir» is https://shahr.ir
    ({"وبگاه رسانه": "https://shahr.example.ir"}, "وبگاه رسانه", "برای هر رسانه یکی"),  # with two outlets below
    ({"گونه تلفن": "همراه؛ دفتر؛ دورنگار"}, "گونه تلفن", "برای هر تلفن یکی"),
    ({"گونه تلفن": "ماهواره"}, "گونه تلفن", "«ماهواره»"),
    # one kind for two phones (below): a landline was stored as a mobile (a review of the commands, round 6)
    ({"گونه تلفن": "همراه"}, "گونه تلفن", "۱ گونه برای ۲ تلفن"),
])
def test_bad_optional_cells_are_errors_naming_their_column(staff, cells, column, says):
    header = [*TEMPLATE, *cells]
    outlets = "روزنامه شهر؛ رادیو شهر" if says == "برای هر رسانه یکی" else "روزنامه شهر"
    phones = "09121234567؛ 02133119001" if says.startswith("۱ گونه") else "09121234567"
    data = csv_bytes([["علی", outlets, "محلی", "", phones, "", "", *cells.values()]], header=header)
    result = run(staff, data)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, column)] and says in result["errors"][0]["message"]
    assert counts()[:2] == (0, 0)


def test_an_outlet_note_needs_a_row_of_one_outlet_and_agrees_across_rows(staff):
    header = [*TEMPLATE, "یادداشت رسانه"]
    two = run(staff, csv_bytes([["", "الف؛ ب", "محلی", "", "", "", "", "یادداشت"]], header=header))
    assert [e["column"] for e in two["errors"]] == ["یادداشت رسانه"]
    again = run(staff, csv_bytes([["", "الف", "محلی", "", "", "", "", "یک"], ["", "الف", "محلی", "", "", "", "", "دو"]],
                                 header=header))
    assert [(e["row"], e["column"]) for e in again["errors"]] == [(3, "یادداشت رسانه")]
    assert "سطر ۲" in again["errors"][0]["message"]


def test_a_row_with_journalist_details_in_the_new_columns_and_no_name_is_bad(staff):
    result = run(staff, csv_bytes([["", "روزنامه شهر", "محلی", "", "", "", "", "@ali"]], header=[*TEMPLATE, "تلگرام"]))
    assert [e["column"] for e in result["errors"]] == ["نام"]


def test_a_landline_without_a_kind_is_stored_as_an_office_phone(staff):
    """The review of the commands (session 26): «021-…» was stored as «همراه» (mobile) when the
    sheet left «گونه تلفن» empty."""
    run(staff, csv_bytes(GOOD[:1]))
    phones = {p.e164: p.label for p in db.session.scalars(select(JournalistPhone))}
    assert phones == {"+989121234567": "mobile", "+982122334455": "office"}


@pytest.mark.parametrize("typed, stored", [
    ("HTTPS://A.IR", "https://a.ir"),
    ("https://A.IR?ref=ABC", "https://a.ir?ref=ABC"),  # a query's letters are the site's to read
    ("WWW.Shahr.IR/News", "https://www.shahr.ir/News"),
    ("https://a.ir/Path/", "https://a.ir/Path/"),
])
def test_a_website_is_stored_with_its_scheme_and_host_in_small_letters_and_the_rest_as_typed(typed, stored):
    """A review of the commands, round 7, and the review of its change: «HTTPS://A.IR» was no
    website; then the first fix lowered a query's letters too, and not a host typed without a scheme."""
    from app.services.directory import with_scheme

    assert with_scheme(typed) == stored
