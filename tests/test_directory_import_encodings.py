"""The directory's CSV in the encodings a Persian office's Excel writes: «Unicode Text» (UTF-16 LE
with its BOM, tab-separated), plain «CSV» on a Persian Windows (windows-1256, no BOM: «ی» written
as «ي» or «ى»), and what is still refused (a Western code page, a UTF-8 file with a pasted line,
UTF-16 cut or without a BOM and a header). Through the service, the command and the import page;
the encoding read is said (JSON "encoding", the preview), a guessed one with a warning."""
from __future__ import annotations

import codecs
import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.directory_import import import_table
from app.services.directory_sheet import SheetRefused, read_table
from models import Journalist, Outlet
from tests.conftest import csrf_token, login
from tests.services.directory_files import (
    TEMPLATE,
    cli,  # noqa: F401 - the fixture
    counts,
    csv_bytes,
    directory,
)
from tests.services.test_directory_import import GOOD, _expected_good

ENGLISH = ["name", "outlet", "scope", "city", "phone", "email", "beat"]


def _sheet(rows: list[list[str]], header: list[str], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue()


def unicode_text(rows: list[list[str]], header: list[str] = TEMPLATE, big_endian: bool = False) -> bytes:
    """As Excel's «Unicode Text» (ذخیره با قالب «متن یونیکد») writes a sheet: UTF-16 with its BOM,
    tab-separated, CRLF (little-endian; big-endian as some Mac programs write it)."""
    text = _sheet(rows, header, "\t")
    if big_endian:
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def ansi_csv(rows: list[list[str]], header: list[str] = TEMPLATE, yeh: str = "\u064a") -> bytes:
    """As Excel's plain «CSV» writes a sheet on a Persian Windows: windows-1256, no BOM, CRLF. The
    code page has no Persian «ی»: it is written as Arabic «ي» (or, by some writers, «ى»)."""
    return _sheet(rows, header, ",").replace("\u06cc", yeh).encode("cp1256")


@pytest.fixture
def staff(make_user):
    return make_user(role="staff")


def _run(staff, data: bytes, filename: str = "directory.csv", **options) -> dict:
    return import_table(read_table(data, filename), actor=staff, filename=filename, **options).as_dict()


# --- the service -------------------------------------------------------------------------------


@pytest.mark.parametrize("big_endian", [False, True])
def test_excels_unicode_text_is_stored_as_the_utf8_file_is(staff, big_endian):
    data = unicode_text(GOOD, big_endian=big_endian)
    result = _run(staff, data, "directory.txt")
    assert (result["journalists_new"], result["outlets_new"], result["errors"]) == (3, 4, [])
    assert result["encoding"] == ("utf-16-be" if big_endian else "utf-16-le") and result["warnings"] == []
    assert directory() == _expected_good()


def test_unicode_text_with_a_tab_quoted_in_a_cell_and_commas_in_cells(staff):
    """Tab-separated because the tab cuts the header into the template's columns: the commas in
    a cell («09121234567، ...», a note with «,») stay in their cells."""
    rows = [["علی رضایی", "روزنامه همشهری", "محلی", "تبریز", "09121234567, 09131112233", "", "اقتصاد,\tبورس"]]
    _run(staff, unicode_text(rows))
    journalist = db.session.scalars(select(Journalist)).one()
    assert journalist.beat == "اقتصاد, بورس" and len(journalist.phones) == 2


def test_unicode_text_whose_headers_the_template_does_not_know_is_cut_at_its_tabs():
    """No delimiter cuts two known headers: a UTF-16 file is cut at its tabs, as Excel's «Unicode
    Text» is, not at the commas of a phone cell that outnumber them."""
    data = unicode_text([["علی رضایی", "0912 123 4567, 0913 111 2233, 0914 222 3344"]],
                        header=["نام و نام خانوادگی", "همراه"])
    table = read_table(data, "directory.txt")
    assert table.headers == ["نام و نام خانوادگی", "همراه"] and table.rows[0][1][0] == "علی رضایی"


def test_windows_1256_is_read_as_persian_said_and_stored_with_the_persian_letters(staff):
    dry = _run(staff, ansi_csv(GOOD), dry_run=True)
    assert dry["encoding"] == "windows-1256" and not dry["stored"] and counts() == (0, 0, 0, 0)
    assert "windows-1256" in dry["warnings"][0]  # never a silent guess
    result = _run(staff, ansi_csv(GOOD))
    assert result["stored"] and result["errors"] == []
    # «ي» (the code page's only yeh) stored as «ی»: the same directory as the UTF-8 file gives
    assert directory() == _expected_good()


def test_windows_1256_names_are_duplicates_of_the_same_names_typed_in_persian(staff):
    _run(staff, csv_bytes(GOOD))
    rows = [["علی رضایی", "", "", "", "", "", ""], ["زهرا كريمی", "", "", "", "", "", ""]]  # «ك»، «ي» typed
    result = _run(staff, ansi_csv(rows))
    assert [(d["row"], d["by"]) for d in result["duplicates"]] == [(2, "name"), (3, "name")]
    assert result["journalists_new"] == 0


def test_windows_1256_with_alef_maksura_for_yeh_and_arabic_kaf(staff):
    rows = [["مهدی موسوی", "روزنامه كرمان", "محلی", "کرمان", "", "", ""]]
    _run(staff, ansi_csv(rows, yeh="\u0649"))
    assert db.session.scalars(select(Journalist.name)).one() == "مهدی موسوی"
    assert db.session.scalars(select(Outlet.name)).one() == "روزنامه کرمان"


def test_windows_1256_with_english_headers_is_read_when_its_letters_are_persian(staff):
    result = _run(staff, ansi_csv([GOOD[2]], header=ENGLISH))
    assert result["encoding"] == "windows-1256" and result["journalists_new"] == 1
    assert db.session.scalars(select(Journalist.name)).one() == "مریم احمدی"


def test_utf16_without_a_bom_is_read_when_its_header_names_the_columns_and_said(staff):
    data = _sheet(GOOD, TEMPLATE, "\t").encode("utf-16-le")
    result = _run(staff, data)
    assert result["encoding"] == "utf-16-le" and "UTF-16" in result["warnings"][0]
    assert directory() == _expected_good()


@pytest.mark.parametrize(("data", "says"), [
    # Excel's «CSV» on a Western Windows: every byte is a letter in windows-1256 too; not guessed
    ("name,outlet,city\r\nJosé Müller,El País,Málaga\r\nFrançois,Le Monde,Paris\r\n".encode("cp1252"),
     "نویسه‌های فایل UTF-8 نیست"),
    # Cyrillic (windows-1251): Arabic letters inside Latin ones once read so
    ("name,outlet\r\nИван Петров,Известия\r\n".encode("cp1251"), "نویسه‌های فایل UTF-8 نیست"),
    # a UTF-8 sheet with one line pasted from a windows-1256 one: not read as windows-1256 (its
    # Persian would read «ط¹ظ„غŒ»), the line named
    (csv_bytes(GOOD) + ansi_csv([["رضا"]], header=["محمدی"]), "سطر ۶"),
    (b"\xef\xbb\xbf" + "نام,تلفن\nعلی,0912\n".encode() + b"\xe1\xed\n", "سطر ۳"),  # a BOM, then not UTF-8
    (codecs.BOM_UTF16_LE + "نام\tتلفن\r\nعلی\t0912\r\n".encode("utf-16-le") + b"\x00", "UTF-16"),  # cut
    (codecs.BOM_UTF16_LE + "\ud800".encode("utf-16-le", "surrogatepass") + "نام\n".encode("utf-16-le"), "UTF-16"),
])
def test_encodings_not_read_are_refused_in_persian_and_nothing_is_stored(staff, data, says):
    with pytest.raises(SheetRefused, match=says) as refusal:
        read_table(data, "directory.csv")
    assert re.search("[\u0600-\u06ff]", str(refusal.value))
    assert counts() == (0, 0, 0, 0)


# --- the command ---------------------------------------------------------------------------------


def test_the_command_says_the_encoding_and_warns_of_a_guess(cli, tmp_path):
    path = tmp_path / "خبرنگاران.csv"
    path.write_bytes(ansi_csv(GOOD))
    result = cli("import", str(path), "--dry-run", "--json")
    data = json.loads(result.stdout)
    assert data["encoding"] == "windows-1256" and data["journalists_new"] == 3 and not data["stored"]
    assert "windows-1256" in data["warnings"][0] and "windows-1256" in result.stderr
    assert counts() == (0, 0, 0, 0)
    result = cli("import", str(path))  # without --json: the guess on standard error
    assert "هشدار" in result.stderr and "windows-1256" in result.stderr and "ذخیره شد" in result.stdout
    assert directory() == _expected_good()


def test_the_command_reads_unicode_text_and_a_refusal_keeps_the_key(cli, tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(unicode_text(GOOD))
    data = json.loads(cli("import", str(path), "--json").stdout)
    assert (data["encoding"], data["journalists_new"], data["warnings"]) == ("utf-16-le", 3, [])
    # refused after it was read (no «نام»): the encoding is said; before (not read): null
    path.write_bytes(unicode_text([["ایرنا", "0912"]], header=["رسانه", "تلفن"]))
    data = json.loads(cli("import", str(path), "--json", status=2).stdout)
    assert data["encoding"] == "utf-16-le" and "«نام»" in data["error"]
    path.write_bytes("name,city\nJosé,Málaga\n".encode("cp1252"))
    data = json.loads(cli("import", str(path), "--json", status=2).stdout)
    assert data["encoding"] is None and "UTF-8" in data["error"] and not data["stored"]


# --- the import page -----------------------------------------------------------------------------


def _upload(client, data: bytes, filename: str):
    token = csrf_token(client, "/directory/import/")
    return client.post("/directory/import/", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize(("data", "encoding", "warned"), [
    (unicode_text(GOOD), "utf-16-le", False),
    (ansi_csv(GOOD), "windows-1256", True),
])
def test_the_page_previews_says_the_encoding_and_stores(client, make_user, data, encoding, warned):
    login(client, make_user(role="staff"))
    response = _upload(client, data, "directory.csv")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    preview = response.headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    assert re.search(rf'id="import-encoding">[^<]*<bdi dir="ltr">{encoding}</bdi>', html)
    # the code on one line: at a phone's width «windows-» ended a line and «1256» began the next (a browser walk)
    assert ('با نویسه‌گذاری <span class="text-nowrap">windows-1256</span>' in html) is warned
    assert "علی رضایی" in html and "علي" not in html and counts()[:3] == (0, 0, 0)
    response = client.post(f"{preview}/confirm", data={"csrf_token": csrf_token(client, preview)})
    assert response.status_code == 302
    assert directory() == _expected_good()


def test_the_page_refuses_a_western_code_page_and_keeps_nothing(app, client, make_user):
    login(client, make_user(role="staff"))
    response = _upload(client, "name,city\r\nJosé,Málaga\r\n".encode("cp1252"), "directory.csv")
    assert response.status_code == 400 and "UTF-8 نیست" in response.get_data(as_text=True)
    assert counts()[:3] == (0, 0, 0)  # (the login's audit entry aside)


def test_the_encoding_warnings_read_as_english(app):
    """A browser walk (session 39): «as its text reads as Persian so», «as its headers read so»."""
    from flask_babel import force_locale

    from app.services.directory_encoding import encoding_warning

    with app.test_request_context(), force_locale("en"):
        said = [encoding_warning("windows-1256", True), encoding_warning("utf-16-le", True)]
    assert "as its text reads as Persian in it;" in said[0] and "as its headers read as words in it;" in said[1]
    assert not any(" so;" in text for text in said)
