"""`flask directory import|export`: the issue's contract (JSON keys, exit codes 0 and 2, nothing
stored on a bad row or with --dry-run, warnings on standard error), the export → import round
trip into an empty directory (CSV and XLSX), and formulas defused in the export."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.leases import claim_lease, release_lease
from app.services.directory_keys import name_key
from models import AuditEntry, Journalist, JournalistPhone, Outlet
from search_index.persian import ascii_digits, to_persian_digits
from tests.services.directory_files import (
    TEMPLATE,
    cli,  # noqa: F401 - the fixture
    counts,
    csv_bytes,
    directory,
    xlsx_bytes,
)
from tests.services.test_directory_import import GOOD

PERSIAN = re.compile(r"[\u0600-\u06FF]")
CONTRACT_KEYS = {"outlets_new", "journalists_new", "duplicates", "errors"}


def _import(cli, path, *options, status=0) -> tuple[dict, str]:
    result = cli("import", str(path), *options, "--json", status=status)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0]), result.stderr


def test_a_good_file_exits_0_with_the_contract_keys(cli, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    data, stderr = _import(cli, path)
    assert CONTRACT_KEYS <= set(data) and stderr == ""
    assert (data["outlets_new"], data["journalists_new"], data["duplicates"], data["errors"]) == (4, 3, [], [])
    assert counts()[:3] == (4, 3, 6)
    # Again: every row a duplicate, nothing stored, still exit 0.
    data, _ = _import(cli, path)
    assert [(d["row"], d["by"]) for d in data["duplicates"]] == [(2, "phone"), (3, "phone"), (4, "phone")]
    assert (data["journalists_new"], data["outlets_new"], data["stored"]) == (0, 0, False)


def test_a_bad_row_exits_2_and_stores_nothing(cli, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([*GOOD, ["بد", "", "", "", "0912", "", ""]]))
    before = counts()
    data, _ = _import(cli, path, status=2)
    assert CONTRACT_KEYS <= set(data)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(6, "تلفن")]
    assert PERSIAN.search(data["errors"][0]["message"])
    # "error" as every exit 2 of every command gives it (a file refused whole had it, bad rows had not: session 45)
    assert next(iter(data)) == "error" and "۱ سطر" in data["error"] and "چیزی ذخیره نشد" in data["error"], data
    assert counts() == before


def test_dry_run_exits_0_and_stores_nothing(cli, tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(xlsx_bytes(GOOD))
    data, _ = _import(cli, path, "--dry-run")
    assert (data["journalists_new"], data["outlets_new"], data["stored"]) == (3, 4, False)
    assert counts() == (0, 0, 0, 0)


def test_unknown_headers_are_ignored_with_a_warning_on_stderr(cli, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_bytes(csv_bytes([["علی", "", "", "", "", "", "", "09121234567"]],
                               header=["نام", "رسانه", "سطح رسانه", "شهر", "تلفن", "ایمیل", "حوزه خبری", "همراه"]))
    data, stderr = _import(cli, path)
    assert "همراه" in stderr and data["warnings"] and data["journalists_new"] == 1
    assert counts()[2] == 0  # the unmapped phone column was not read


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(("phone", "email"), [("موبایل", "پست الکترونیک"), ("تلفن همراه", "ایمیل"),
                                              ("شماره تماس", "رایانامه"), ("شماره موبایل", "پست الکترونیکی"),
                                              ("تلفن‌همراه", "آدرس ایمیل")])
def test_common_names_of_the_phone_and_email_columns_are_read_as_the_templates(cli, tmp_path, kind, phone, email):
    """A review of the directory commands (MEDIUM): a sheet headed «موبایل» and «پست الکترونیک» (the
    preview page proposed them, the shell ignored them) stored its journalists without phones and
    e-mails and exited 0, and a corrected file then could not add them: a name already in the
    directory is a duplicate, never changed. Read as «تلفن» and «ایمیل» now, with no warning."""
    header = ["نام", "رسانه", "سطح رسانه", phone, email]
    rows = [["علی رضایی", "رادیو استان", "استانی", "0912 123 4567", "ali@example.ir"],
            ["زهرا کریمی", "رادیو استان", "", "۰۹۱۳۱۱۱۲۲۳۳، 021-2233-4455", "zahra@example.ir"]]
    path = tmp_path / f"people.{kind}"
    path.write_bytes(csv_bytes(rows, header=header) if kind == "csv" else xlsx_bytes(rows, header))
    data, stderr = _import(cli, path)
    assert (data["journalists_new"], data["warnings"], stderr) == (2, [], "")
    db.session.expire_all()
    found = {j.name: ([p.e164 for p in j.phones], j.email) for j in db.session.scalars(select(Journalist))}
    assert found == {"علی رضایی": (["+989121234567"], "ali@example.ir"),
                     "زهرا کریمی": (["+989131112233", "+982122334455"], "zahra@example.ir")}


def test_a_phone_column_under_two_names_is_read_whole_and_two_email_columns_refused(cli, tmp_path):
    """«تلفن» and «موبایل» are both phones (joined, as two «تلفن» columns are); «ایمیل» and «رایانامه»
    are two addresses for one field: the file is refused naming both, rather than one dropped."""
    path = tmp_path / "two.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "021 2233 4455", "0912 123 4567"]], header=["نام", "تلفن", "موبایل"]))
    assert _import(cli, path)[0]["journalists_new"] == 1
    assert [p.e164 for p in db.session.scalars(select(JournalistPhone))] == ["+982122334455", "+989121234567"]
    path.write_bytes(csv_bytes([["زهرا", "a@example.ir", "b@example.ir"]], header=["نام", "ایمیل", "رایانامه"]))
    data, _ = _import(cli, path, status=2)
    assert "«ایمیل»، «رایانامه»" in data["error"] and "هر دو «ایمیل»" in data["error"]


def test_a_too_long_email_is_one_error_not_two(cli, tmp_path):
    path = tmp_path / "email.csv"
    path.write_text("نام,ایمیل\nعلی رضایی," + "a" * 250 + "@example.ir\n", encoding="utf-8")
    data, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(2, "ایمیل")]
    assert "بیش از ۲۵۴ نویسه" in data["errors"][0]["message"]


def test_a_tab_separated_file_named_tsv_is_read(cli, tmp_path):
    path = tmp_path / "directory.tsv"
    path.write_text("نام\tتلفن\nعلی رضایی\t09121234567\n", encoding="utf-8")
    data, _ = _import(cli, path)
    assert data["journalists_new"] == 1 and data["errors"] == []


@pytest.mark.parametrize("separator", ["،", "|"])
def test_a_file_separated_by_the_persian_comma_or_a_bar_is_read(cli, tmp_path, separator):
    """A review of the case commands (session 37): a sheet typed with the Persian keyboard's comma «،»
    (or «|») between its cells was refused as if «نام» were missing, the message listing the
    template with the very separator typed. Read when it cuts the header into the template's
    columns; a «،» inside a comma-separated file's cell stays text."""
    path = tmp_path / "directory.csv"
    path.write_text(separator.join(["نام", "رسانه", "سطح رسانه", "تلفن", "حوزه خبری"]) + "\n"
                    + separator.join(["علی رضایی", "روزنامه شهر", "محلی", "09121234567", "اقتصاد"]) + "\n",
                    encoding="utf-8")
    data, _ = _import(cli, path)
    assert (data["journalists_new"], data["errors"]) == (1, [])
    journalist = db.session.scalar(select(Journalist))
    assert (journalist.name, journalist.beat) == ("علی رضایی", "اقتصاد")
    path.write_text("نام,حوزه خبری\nمریم احمدی,اقتصاد، سیاست\n", encoding="utf-8")
    _import(cli, path)
    assert db.session.scalar(select(Journalist.beat).where(Journalist.name == "مریم احمدی")) == "اقتصاد، سیاست"
    # the separator written inside a cell cut it, every later cell a column on: refused (the code
    # review: the beat was stored cut, the note lost); quoted, the cell is read whole
    cells = ["نام", "تلفن", "حوزه خبری", "یادداشت"]
    path.write_text(separator.join(cells) + "\n" + separator.join(["رضا کریمی", "09121110000",
                                                                  f"ورزش{separator} جوانان", "پیگیر"]) + "\n",
                    encoding="utf-8")
    data, _ = _import(cli, path, status=2)
    assert "بیش از سرستون‌ها" in json.dumps(data, ensure_ascii=False)
    assert db.session.scalar(select(Journalist).where(Journalist.name == "رضا کریمی")) is None
    path.write_text(separator.join(cells) + "\n" + separator.join(["رضا کریمی", "09121110000",
                                                                  f'"ورزش{separator} جوانان"', "پیگیر"]) + "\n",
                    encoding="utf-8")
    _import(cli, path)
    kept = db.session.scalar(select(Journalist).where(Journalist.name == "رضا کریمی"))
    assert (kept.beat, kept.notes) == (f"ورزش{separator} جوانان", "پیگیر")


@pytest.mark.parametrize(("content", "name", "says"), [
    ("name,city\nJosé,Málaga\n".encode("cp1252"), "latin.csv", "UTF-8"),  # a Western code page: not guessed
    # UTF-16 without a BOM whose header names no column of the template: not guessed
    ("فهرست\tخبرنگاران\nعلی\t0912\n".encode("utf-16-le"), "unicode.txt", "UTF-16"),
    # a long Persian text in UTF-16 without a BOM nor a header: few zero bytes (U+0006 as UTF-8 …)
    (("علی رضایی نامی ,\n" * 40).encode("utf-16-le"), "long.csv", "UTF-8"),
    # one stray zero byte in a UTF-8 sheet: said so, on its line (not «save it as UTF-8»)
    ("نام,تلفن\nعلی,0912\nرضا,\x000913\n".encode(), "nul.csv", "سطر ۳ فایل نویسهٔ تهی"),
    (b"%PDF-1.4", "x.pdf", "CSV"),
    ("رسانه,تلفن\nایرنا,\n".encode(), "noname.csv", "«نام»"),
])
def test_a_refused_file_exits_2_with_an_error_in_persian(cli, tmp_path, content, name, says):
    path = tmp_path / name
    path.write_bytes(content)
    data, _ = _import(cli, path, status=2)
    assert CONTRACT_KEYS <= set(data) and says in data["error"] and PERSIAN.search(data["error"])
    assert data["errors"][0]["message"] == data["error"]
    assert counts() == (0, 0, 0, 0)


def test_a_file_without_the_name_column_is_told_the_seven_template_headers(cli, tmp_path):
    """The message listed all 19 headers, the optional ones too: the seven of the template are what
    a file needs (the others are in the README)."""
    path = tmp_path / "noname.csv"
    path.write_bytes("رسانه,تلفن\nایرنا,\n".encode())
    data, _ = _import(cli, path, status=2)
    assert data["error"].endswith("نام، رسانه، سطح رسانه، شهر، تلفن، ایمیل، حوزه خبری."), data["error"]


@pytest.mark.parametrize(("text", "new", "warned"), [
    ("نام,تلفن\nعلی رضایی,,\n", 1, False),  # a trailing comma: the extra cell is empty, no column
    ("نام,تلفن\nعلی رضایی,09121234567,تهران\n", 1, True),  # a cell past the header: a column without a name
])
def test_rows_wider_than_the_header(cli, tmp_path, text, new, warned):
    """A row with more cells than the header row crashed the reader (IndexError, exit 1)."""
    path = tmp_path / "wide.csv"
    path.write_bytes(text.encode())
    data, stderr = _import(cli, path)
    assert data["journalists_new"] == new and data["errors"] == []
    assert ("ستون ۳ سرستون ندارد" in stderr) == warned
    assert "ستون «ستون" not in stderr  # the word «column» once


@pytest.mark.parametrize(("text", "row"), [
    ('نام,تلفن\n"علی رضایی,09121234567\nزهرا کریمی,09131112233\n', 2),  # a quote never closed
    ('نام,تلفن\nعلی رضایی,09121234567\n"زهرا" کریمی,09131112233\n', 3),  # text after a closing quote
])
def test_a_broken_quote_refuses_the_file_and_names_its_row(cli, tmp_path, text, row):
    """An opening quote that is never closed swallowed every later row into one cell, silently:
    here a journalist named «علی رضایی,09121234567 زهرا کریمی,…» and nobody else."""
    path = tmp_path / "quote.csv"
    path.write_bytes(text.encode())
    data, _ = _import(cli, path, status=2)
    assert f"سطر {to_persian_digits(row)}" in data["error"] and "«\"»" in data["error"]
    assert not re.search(r"[A-Za-z]{3}", data["error"])  # the reason in Persian, not the csv module's English
    assert counts() == (0, 0, 0, 0)


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
@pytest.mark.parametrize("args", [["--json"], ["a.csv", "--sheet", "2", "--json"], ["a.csv", "b.csv", "--json"]])
def test_a_usage_error_under_json_keeps_the_contract_keys(cli, args):
    """A command line click refuses (no FILE, say from an empty shell variable; an unknown option;
    two files from a glob) printed only {"error"} under --json: a script reading «stored» or
    «errors», as every other refusal of the import gives them, found nothing."""
    data = json.loads(cli("import", *args, status=2).stdout)
    assert CONTRACT_KEYS <= set(data) and data["stored"] is False and PERSIAN.search(data["error"])
    assert data["errors"][0]["message"] == data["error"]


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
@pytest.mark.parametrize("typed", ["", " "])
def test_an_empty_file_name_is_asked_for(cli, typed):
    """«directory import "$FILE"» with the variable empty was told ««.» پوشه است، نه فایل» (Path("")
    is the current folder): a folder nobody typed (session 42's hostile round)."""
    data = json.loads(cli("import", typed, "--json", status=2).stdout)
    assert "نام فایل" in data["error"] and "«.»" not in data["error"] and CONTRACT_KEYS <= set(data), data


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
def test_a_missing_file_exits_2(cli, tmp_path):
    data, _ = _import(cli, tmp_path / "nowhere.csv", status=2)
    assert "پیدا نشد" in data["error"]


def test_a_folder_is_said_to_be_a_folder(cli, tmp_path):
    """A folder was reported as «not found», which sends the user looking for a missing file."""
    data, _ = _import(cli, tmp_path, status=2)
    assert f"«{tmp_path}» پوشه است، نه فایل" in data["error"] and "پیدا نشد" not in data["error"]
    assert data["stored"] is False and counts() == (0, 0, 0, 0)
    result = cli("import", str(tmp_path), status=2)  # the text report says the same on stderr
    assert "پوشه است، نه فایل" in result.stderr


def test_a_file_name_that_is_not_utf8(cli, tmp_path, tmp_path_factory):
    """A file whose Persian name was written on Windows (Windows-1256 bytes, as an unzipped
    archive leaves it) imported, but its name was kept in the audit entry with the bytes Python
    could not read, and any message or JSON naming it (not found, the export's «path») was a
    UnicodeEncodeError traceback, or, on a terminal, a JSON line that is not UTF-8."""
    name = os.fsdecode("خبرنگاران".encode("cp1256"))  # as Python reads such a name
    shown = "خبرنگاران".encode("cp1256").decode("utf-8", "replace")  # «�» for what is not UTF-8
    path = tmp_path / f"{name}.csv"
    path.write_bytes(csv_bytes(GOOD))
    data, _ = _import(cli, path)
    assert (data["journalists_new"], data["stored"]) == (3, True)
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "directory.imported"))["file"] == (
        f"{shown}.csv")
    data, _ = _import(cli, tmp_path / f"{name}-2.csv", status=2)
    assert f"فایل «{tmp_path}/{shown}-2.csv» پیدا نشد" in data["error"]
    elsewhere = tmp_path_factory.mktemp("exports")  # not the data folder (tmp_path): written over below
    out = elsewhere / f"{name}-out.csv"
    result = cli("export", "--format", "csv", str(out), "--json")
    assert json.loads(result.stdout_bytes.decode()) == {"path": f"{elsewhere}/{shown}-out.csv", "journalists": 3,
                                                        "outlets": 4, "replaced": False}
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # written where it was asked, under its own name
    assert f"{shown}-out.csv" in cli("export", "--format", "csv", str(out)).stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read(cli, tmp_path):
    """A sheet piped in (`curl … | flask directory import /dev/stdin`, or `<(…)`) is no regular file
    and was reported «not found», though it was there to be read."""
    import threading

    pipe = tmp_path / "sheet.csv"
    os.mkfifo(pipe)

    def feed():
        with pipe.open("wb") as writer:
            writer.write(csv_bytes(GOOD))

    writer = threading.Thread(target=feed, daemon=True)  # not left waiting if the import never reads
    writer.start()
    try:
        data, _ = _import(cli, pipe)
    finally:
        writer.join(timeout=5)
    assert (data["journalists_new"], data["stored"]) == (3, True) and counts()[:3] == (4, 3, 6)


def test_one_import_at_a_time(cli, tmp_path):
    """Two imports stored side by side each planned the other's journalists as new and stored every
    journalist twice; the second one now waits for nobody and stores nothing."""
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    assert claim_lease("directory.import_lease", "another importer", 300)
    data, _ = _import(cli, path, status=2)
    assert "درون‌ریزی دیگری" in data["error"] and data["stored"] is False
    assert counts() == (0, 0, 0, 0)
    data, _ = _import(cli, path, "--dry-run")  # a dry run stores nothing: it needs no turn
    assert data["journalists_new"] == 3
    release_lease("directory.import_lease", "another importer")
    assert _import(cli, path)[0]["journalists_new"] == 3
    data, _ = _import(cli, path)  # the lease was given back: the next import runs, all duplicates
    assert (data["journalists_new"], len(data["duplicates"])) == (0, 3)
    assert counts()[:3] == (4, 3, 6)


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc")
def test_a_file_that_cannot_be_read_exits_2(cli):
    """A read error (here EIO: /proc/self/mem is a file whose start cannot be read; as root, a
    chmod 000 file would not do) was an OSError traceback, exit 1."""
    data, _ = _import(cli, "/proc/self/mem", status=2)
    assert "خوانده نشد" in data["error"] and data["stored"] is False


def test_text_output_without_json(cli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([["بد", "", "", "", "0912", "", ""]]))
    result = cli("import", str(path), status=2)
    assert "سطر ۲،" in result.stderr and "تلفن" in result.stderr


def _seed_directory():
    outlets = {}
    for name, scope, city in (("روزنامه همشهری", "local", "تبریز"), ("خبرگزاری ایرنا", "national", ""),
                              ("رادیو آذربایجان", "provincial", "تبریز"), ("سیمای مرکز", "provincial", "")):
        outlets[name] = Outlet(name=name, name_key=name_key(name), scope=scope, city=city)
        db.session.add(outlets[name])
    people = [("علی رضایی", ["روزنامه همشهری"], ["+989121234567", "+982122334455"], "ali@example.com", "اقتصاد"),
              ("زهرا کریمی", ["خبرگزاری ایرنا", "روزنامه همشهری"], ["+989131112233"], "", "شهری"),
              ("مریم احمدی", ["رادیو آذربایجان"], [], "", ""),
              ("بی‌رسانه", [], ["+989351234567"], "free@example.com", "")]
    for name, outlet_names, phones, email, beat in people:
        journalist = Journalist(name=name, name_key=name_key(name), email=email, beat=beat,
                                outlets=[outlets[n] for n in outlet_names],
                                phones=[JournalistPhone(e164=p) for p in phones])
        db.session.add(journalist)
    db.session.commit()


def _empty_directory():
    db.session.execute(JournalistPhone.__table__.delete())
    db.session.execute(Journalist.__table__.delete())
    db.session.execute(Outlet.__table__.delete())
    db.session.commit()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_export_then_import_into_an_empty_directory(cli, tmp_path, fmt):
    _seed_directory()
    before = directory()
    out = tmp_path / f"directory.{fmt}"
    result = cli("export", "--format", fmt, str(out), "--json")
    assert json.loads(result.stdout) == {"path": str(out), "journalists": 4, "outlets": 4, "replaced": False}
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "directory.exported")) == {
        "format": fmt, "journalists": 4, "outlets": 4}
    _empty_directory()
    data, _ = _import(cli, out)
    assert (data["journalists_new"], data["outlets_new"], data["errors"], data["duplicates"]) == (4, 4, [], [])
    assert directory() == before


def test_control_characters_are_not_stored(cli, tmp_path):
    """A name with a control character (a terminal's colour code pasted into a sheet) was stored as
    is; the XLSX export leaves such characters out, so importing the export into the same directory
    made the journalist again."""
    path = tmp_path / "pasted.csv"
    path.write_bytes(csv_bytes([["علی\x07 رضایی\x1b", "روزنامه\x01 همشهری", "محلی", "", "", "", "اقتصاد\x7f"]]))
    assert _import(cli, path)[0]["journalists_new"] == 1
    journalist = db.session.scalars(select(Journalist)).one()
    assert (journalist.name, journalist.beat, journalist.outlets[0].name) == ("علی رضایی", "اقتصاد", "روزنامه همشهری")
    cli("export", "--format", "xlsx", str(tmp_path / "d.xlsx"))
    data, _ = _import(cli, tmp_path / "d.xlsx")
    assert (data["journalists_new"], data["outlets_new"], [d["by"] for d in data["duplicates"]]) == (0, 0, ["name"])


def test_the_export_leaves_out_deactivated_outlets(cli, tmp_path):
    """A deactivated outlet is hidden from the lists, but the export wrote it in its journalists'
    «رسانه» (and counted it), so the file imported into an empty directory brought it back active."""
    _seed_directory()
    gone = db.session.scalars(select(Outlet).where(Outlet.name == "خبرگزاری ایرنا")).one()
    gone.is_active = False
    db.session.commit()
    out = tmp_path / "d.csv"
    assert json.loads(cli("export", "--format", "csv", str(out), "--json").stdout)["outlets"] == 3
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert "ایرنا" not in out.read_bytes().decode("utf-8-sig")
    assert ["زهرا کریمی", "روزنامه همشهری", "محلی", "تبریز"] == rows[[r[0] for r in rows].index("زهرا کریمی")][:4]
    _empty_directory()
    _import(cli, out)
    assert db.session.scalar(select(Outlet.id).where(Outlet.name == "خبرگزاری ایرنا")) is None


def test_the_export_is_the_template_and_defuses_formulas(cli, tmp_path):
    outlet = Outlet(name="+رسانه", name_key=name_key("+رسانه"), scope="local")
    db.session.add(outlet)
    db.session.add(Journalist(name='=HYPERLINK("http://x.example","بزن")', name_key="x", beat="@SUM(A1)",
                              outlets=[outlet], phones=[JournalistPhone(e164="+989121234567")]))
    db.session.commit()
    cli("export", "--format", "csv", str(tmp_path / "d.csv"))
    raw = (tmp_path / "d.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    # The seven headers first and unchanged; the columns that carry the rest after them.
    assert rows[0] == ["نام", "رسانه", "سطح رسانه", "شهر", "تلفن", "ایمیل", "حوزه خبری", "گونه رسانه", "وبگاه رسانه",
                       "یادداشت رسانه", "گونه تلفن", "راه ارتباطی", "تلگرام", "ایتا", "بله", "واتس‌اپ", "اینستاگرام",
                       "ایکس", "یادداشت"]
    assert rows[1] == ["'=HYPERLINK(\"http://x.example\",\"بزن\")", "'+رسانه", "محلی", "", "0912 123 4567", "",
                       "'@SUM(A1)", "پایگاه خبری", "", "", "همراه", "تلفن", "", "", "", "", "", "", ""]
    cli("export", "--format", "xlsx", str(tmp_path / "d.xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "d.xlsx").active
    assert sheet.sheet_view.rightToLeft
    cell = sheet["A2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    # The quote the CSV added is the export's: importing the file gives the text back.
    _empty_directory()
    _import(cli, tmp_path / "d.csv")
    journalist = db.session.scalars(select(Journalist)).one()
    assert (journalist.name, journalist.beat, journalist.outlets[0].name) == (
        '=HYPERLINK("http://x.example","بزن")', "@SUM(A1)", "+رسانه")



@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_value_that_begins_with_a_quote_before_a_formula_sign_comes_back_whole(cli, tmp_path, fmt):
    """The import takes a quote before = + - @ for the export's defusing quote: a note «'=به‌روز» came
    back «=به‌روز» (a review of the directory commands, round 9). The export adds one more; two quotes,
    or a quote before a letter, were never touched."""
    notes = ("'=به‌روز شد", "''@خبرنگار", "'خبرنگار ارشد")
    for n, note in enumerate(notes):
        db.session.add(Journalist(name=f"خبرنگار {n}", name_key=name_key(f"خبرنگار {n}"), notes=note,
                                  phones=[JournalistPhone(e164=f"+98912000000{n}")]))
    db.session.commit()
    cli("export", "--format", fmt, str(tmp_path / f"d.{fmt}"))
    _empty_directory()
    _import(cli, tmp_path / f"d.{fmt}")
    assert sorted(db.session.scalars(select(Journalist.notes))) == sorted(notes)


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
def test_export_refuses_an_unknown_format(cli, tmp_path):
    result = cli("export", "--format", "pdf", str(tmp_path / "d.pdf"), status=2)
    assert not (tmp_path / "d.pdf").exists() and result.exit_code == 2


@pytest.mark.parametrize("where", ["missing/d.csv", "file.txt/d.csv"])
def test_export_to_a_folder_that_cannot_hold_the_file_exits_2_in_persian(cli, tmp_path, where):
    (tmp_path / "file.txt").write_text("x")
    result = cli("export", "--format", "csv", str(tmp_path / where), "--json", status=2)
    error = json.loads(result.stdout)["error"]  # under --json, as every command's refusal
    assert list(json.loads(result.stdout)) == ["error"] and PERSIAN.search(error) and "چیزی نوشته نشد" in error
    result = cli("export", "--format", "csv", str(tmp_path / where), status=2)
    assert PERSIAN.search(result.stderr) and result.stdout == ""
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "directory.exported")) is None


@pytest.mark.parametrize("reason, says", [(errno.EROFS, "دیسک تنها خواندنی است"), (errno.EACCES, "اجازهٔ نوشتن نیست")])
def test_export_to_a_folder_on_a_read_only_disk_says_which(cli, tmp_path_factory, monkeypatch, reason, says):
    """A folder on a read-only mount (or one the user may not write in) was «پوشهٔ … نیست یا نوشتن در آن
    ممکن نیست» (session 41's note): the reader could not tell a mistyped folder from a mount. The
    system's answer to a file made there is said (here os.open of a path in the folder fails as a
    read-only mount makes it fail: a test cannot mount one), and a folder that is there is not said
    to be missing."""
    folder = tmp_path_factory.mktemp("mount")
    real_open = os.open

    def read_only(path, *args, **kwargs):
        if str(folder) in (os.fspath(path), os.path.dirname(os.fspath(path))):  # O_TMPFILE opens the folder
            raise OSError(reason, os.strerror(reason), os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    error = json.loads(cli("export", "--format", "csv", str(folder / "d.csv"), "--json", status=2).stdout)["error"]
    assert says in error and "نیست یا نوشتن" not in error and "چیزی نوشته نشد" in error, error
    assert not any(folder.iterdir())
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "directory.exported")) is None
    missing = json.loads(cli("export", "--format", "csv", str(folder / "no" / "d.csv"), "--json", status=2).stdout)
    assert "«" + str(folder / "no") + "» نیست" in missing["error"], missing


@pytest.mark.parametrize("out, says", [("", "نام فایل خروجی را بنویسید"), (".", "نام فایل خروجی را بنویسید"),
                                       ("{tmp}", "پوشه است؛ نام فایلی درون آن را بنویسید")])
def test_export_to_no_name_or_a_folder_says_so_in_persian(cli, tmp_path, out, says):
    """`--format csv /tmp` said «مقدار «OUT» درست نیست (File '/tmp' is a directory.)», an empty
    name «پروندهٔ «.» نوشته نشد: Is a directory»."""
    result = cli("export", "--format", "csv", out.format(tmp=tmp_path), "--json", status=2)
    error = json.loads(result.stdout)["error"]
    assert says in error and "چیزی نوشته نشد" in error
    assert "is a directory" not in error.lower() and "File '" not in error
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "directory.exported")) is None


def test_the_export_is_readable_by_its_owner_only(cli, tmp_path_factory):
    """A bulk copy of people's phone numbers was written -rw-r--r--; `backup` writes 0600. A file
    already there with wider rights is made owner-only too."""
    _seed_directory()
    folder = tmp_path_factory.mktemp("exports")  # not the data folder, whose files are never written over
    fresh, existing = folder / "fresh.csv", folder / "existing.xlsx"
    existing.write_bytes(b"old")
    existing.chmod(0o644)
    cli("export", "--format", "csv", str(fresh))
    cli("export", "--format", "xlsx", str(existing))
    assert (fresh.stat().st_mode & 0o777, existing.stat().st_mode & 0o777) == (0o600, 0o600)
    assert existing.read_bytes().startswith(b"PK")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_an_export_that_cannot_be_delivered_is_audited_as_failed(cli):
    """A device (here a full disk: /dev/full) is written once the export's entry is committed (no
    lock is held while a stream waits on its reader: tests/test_cli_directory_delivery.py), so its
    failure is a second entry after it, with the bytes delivered of all. A regular file's failure
    leaves no entry: its copy is written beside it before the audit (the same file)."""
    _seed_directory()
    result = cli("export", "--format", "csv", "/dev/full", "--json", status=2)
    assert "«/dev/full» نوشته نشد: دیسک پر است" in json.loads(result.stdout)["error"]
    result = cli("export", "--format", "csv", "/dev/full", status=2)
    assert "«/dev/full» نوشته نشد" in result.stderr and result.stdout == ""
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("directory.export%"))
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["directory.exported", "directory.export_failed"] * 2
    failed = entries[1].details
    assert (failed["format"], failed["written"], failed["error"]) == ("csv", 0, "ENOSPC") and failed["total"] > 500


LATIN_DIGIT = re.compile(r"[0-9]")


def test_numbers_in_the_persian_messages_are_persian_digits(cli, tmp_path, monkeypatch):
    """Row numbers, limits and counts were printed in Latin digits inside Persian text («بیش از 200
    نویسه», «سطر 2»)."""
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([
        ["ر" * 201, "روزنامه همشهری", "محلی", "", "", "", ""],
        ["زهرا کریمی", "رادیو الف؛ رادیو ب", "محلی؛ استانی؛ ملی", "", "", "", ""],
        ["مریم احمدی", "رادیو الف", "استانی", "", "", "", ""],
    ]))
    data, _ = _import(cli, path, status=2)
    messages = [e["message"] for e in data["errors"]]
    assert [e["row"] for e in data["errors"]] == [2, 3, 4]  # the JSON keeps numbers as numbers
    assert "بیش از ۲۰۰ نویسه" in messages[0]
    assert "۳ مقدار برای ۲ رسانه" in messages[1]
    assert "در سطر ۳" in messages[2]
    assert not any(LATIN_DIGIT.search(m) for m in messages), messages
    result = cli("import", str(path), status=2)  # the text report
    assert "خطا: سطر ۲، ستون «نام»" in result.stderr and "خطا: ۳" in result.stdout  # the rows' errors on stderr
    assert "سطر ۲، ستون" not in result.stdout
    assert not LATIN_DIGIT.search(result.stdout + result.stderr), result.output
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(GOOD))
    result = cli("import", str(good))
    assert "رسانهٔ تازه: ۴، خبرنگار تازه: ۳، تکراری: ۰، خطا: ۰" in result.stdout
    result = cli("export", "--format", "csv", str(tmp_path / "d.csv"))
    assert result.stdout.startswith("۳ خبرنگار و ۴ رسانه")
    monkeypatch.setattr("app.services.directory_sheet.MAX_ROWS", 2)
    data, _ = _import(cli, good, status=2)
    assert "بیش از ۲ سطر" in data["error"] and not LATIN_DIGIT.search(data["error"])


def _formula_xlsx(cached: str | None = None) -> bytes:
    """A sheet written by openpyxl (which computes no formula): row 3's phone is a formula with no
    value stored, or, with ``cached``, with that value stored as a spreadsheet program would."""
    data = xlsx_bytes([GOOD[0], ["زهرا کریمی", "روزنامه همشهری", "محلی", "", '="0913"&"1112233"', "", ""]])
    return data if cached is None else _stored_value(data, "E3", "str", cached)


def test_a_formula_without_its_value_refuses_the_row_naming_row_and_column(cli, tmp_path):
    """openpyxl reads such a cell as empty: the journalist was stored without their phone, silently."""
    path = tmp_path / "formulas.xlsx"
    path.write_bytes(_formula_xlsx())
    data, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(3, "تلفن")]
    message = data["errors"][0]["message"]
    assert "سطر ۳" in message and "«تلفن»" in message and "ذخیره کنید" in message and "LibreOffice" in message
    assert data["stored"] is False and counts() == (0, 0, 0, 0)


def test_a_formula_in_the_name_cell_is_one_error_not_also_an_empty_name(cli, tmp_path):
    """Session 42's hostile round: «=1+1» in «نام» with no stored value was refused twice for one cell,
    the formula's message and «نام خبرنگار خالی است», which sends the reader looking for an empty cell."""
    path = tmp_path / "name-formula.xlsx"
    path.write_bytes(xlsx_bytes([["=1+1", "رادیو فرمول", "محلی", "", "09121110020", "", ""]]))
    data, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(2, "نام")], data["errors"]
    assert "فرمول" in data["errors"][0]["message"]


def test_a_formula_cell_in_an_ignored_column_is_no_error(cli, tmp_path):
    path = tmp_path / "ignored.xlsx"
    path.write_bytes(xlsx_bytes([["علی رضایی", "=1+1"]], header=["نام", "جمع"]))
    data, stderr = _import(cli, path)
    assert (data["journalists_new"], data["errors"]) == (1, []) and "جمع" in stderr


def test_a_formula_in_the_header_row_refuses_the_file(cli, tmp_path):
    path = tmp_path / "header.xlsx"
    path.write_bytes(xlsx_bytes([["علی رضایی", "09121234567"]], header=["نام", '="تل"&"فن"']))
    data, _ = _import(cli, path, status=2)
    assert "سطر ۱" in data["error"] and "فرمول" in data["error"] and counts() == (0, 0, 0, 0)


FORMULA_ERRORS = ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def _stored_value(data: bytes, cell: str, kind: str, value: str) -> bytes:
    """``data`` (a sheet written by openpyxl, which stores no formula's value) with the formula in
    ``cell`` holding ``value`` of type ``kind`` as its stored value, as a spreadsheet program
    writes it: "str" for a text result, "e" for an error (#REF! …)."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                before = content
                content = re.sub(rf'<c r="{cell}"><f>(.*?)</f><v\s*/>'.encode(),
                                 rf'<c r="{cell}" t="{kind}"><f>\1</f><v>{value}</v>'.encode(), content)
                assert content != before, before
            target.writestr(entry, content)
    return out.getvalue()


def _with_error(data: bytes, cell: str, error: str) -> bytes:
    """``data`` with the formula in ``cell`` holding ``error`` as its stored value (t="e")."""
    return _stored_value(data, cell, "e", error)


@pytest.mark.parametrize("error", FORMULA_ERRORS)
def test_a_formula_error_refuses_the_row_naming_row_column_and_error(cli, tmp_path, error):
    """The error's text was imported as the cell's value (a phone «#REF!», a beat «#N/A»)."""
    path = tmp_path / "errors.xlsx"
    path.write_bytes(_with_error(_formula_xlsx(), "E3", error))
    data, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(3, "تلفن")]
    message = data["errors"][0]["message"]
    assert "سطر ۳" in message and "«تلفن»" in message and f"خطای فرمول «{error}»" in message
    assert data["stored"] is False and counts() == (0, 0, 0, 0)


def test_a_formula_error_in_the_header_row_refuses_the_file(cli, tmp_path):
    path = tmp_path / "header-error.xlsx"
    path.write_bytes(_with_error(xlsx_bytes([["علی رضایی", "09121234567"]], header=["نام", "=A5"]), "B1", "#REF!"))
    data, _ = _import(cli, path, status=2)
    assert "سطر ۱" in data["error"] and "«#REF!»" in data["error"] and counts() == (0, 0, 0, 0)


def test_a_formula_with_its_value_stored_imports_the_value(cli, tmp_path):
    path = tmp_path / "computed.xlsx"
    path.write_bytes(_formula_xlsx(cached="09131112233"))
    data, _ = _import(cli, path)
    assert (data["journalists_new"], data["errors"]) == (2, [])
    zahra = db.session.scalars(select(Journalist).where(Journalist.name == "زهرا کریمی")).one()
    assert [p.e164 for p in zahra.phones] == ["+989131112233"]


def _lease_row():
    from models import Setting

    db.session.expire_all()
    return db.session.get(Setting, "directory.import_lease")


def test_an_import_that_fails_half_way_gives_its_lease_back(cli, tmp_path, monkeypatch):
    """A Python exception while storing must not leave the lease held for its 300 s."""
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    with monkeypatch.context() as patch:
        patch.setattr("app.services.directory_import.record", broken)  # after the rows are added
        result = cli("import", str(path), "--json", status=1)
        assert isinstance(result.exception, RuntimeError)
    assert counts() == (0, 0, 0, 0)
    assert _lease_row().value == ""  # free
    data, _ = _import(cli, path)  # at once, not 300 s later
    assert (data["journalists_new"], data["stored"]) == (3, True)


def test_a_held_lease_says_when_it_will_be_free(cli, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    assert claim_lease("directory.import_lease", "another-host:4242:beef", 300)
    data, _ = _import(cli, path, status=2)
    assert "درون‌ریزی دیگری" in data["error"] and "دیگر آزاد می‌شود" in data["error"]
    wait = re.search(r"تا ([۰-۹]+) دقیقه دیگر", data["error"])
    assert wait and int(ascii_digits(wait.group(1))) == 5, data["error"]  # 300 s, rounded up to the minute
    assert not LATIN_DIGIT.search(data["error"])
    result = cli("import", str(path), status=2)
    assert "دیگر آزاد می‌شود" in result.stderr and counts() == (0, 0, 0, 0)


def test_the_lease_of_an_importer_that_died_is_taken_over(cli, tmp_path):
    """A command killed while storing (SIGKILL, out of memory) left its lease for 300 s; a holder
    that was a process of this host and is gone no longer blocks the next import."""
    import socket
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: no process has this id any more (until the system reuses it)
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    assert claim_lease("directory.import_lease", f"{socket.gethostname()}:{gone.pid}:dead", 300)
    data, _ = _import(cli, path)
    assert (data["journalists_new"], data["stored"]) == (3, True)
    assert _lease_row().value == ""


def test_an_xlsx_is_read_from_its_first_sheet_whichever_was_open(cli, tmp_path):
    """The format names the first sheet; openpyxl's ``active`` is the sheet open when the file was
    saved: a workbook saved on its second sheet imported that one, silently."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.append(TEMPLATE)
    first.append(["اولی", "رادیو یک", "محلی", "", "09121111111", "", ""])
    second = book.create_sheet("دوم")
    second.append(TEMPLATE)
    second.append(["دومی", "رادیو دو", "محلی", "", "09122222222", "", ""])
    book.active = 1
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    data, _ = _import(cli, path)
    assert data["journalists_new"] == 1
    assert set(db.session.scalars(select(Journalist.name))) == {"اولی"}


def test_an_empty_first_sheet_before_the_list_is_said_by_its_name(cli, tmp_path):
    """A workbook whose list is on its second sheet was refused as «پرونده خالی است»: the file was not
    (a review of the directory commands, round 10). Still refused, only the first sheet is read, but
    the message names that sheet."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "راهنما"
    second = book.create_sheet("فهرست")
    second.append(TEMPLATE)
    second.append(["دومی", "رادیو دو", "محلی", "", "09122222222", "", ""])
    path = tmp_path / "empty-first.xlsx"
    book.save(path)
    data, _ = _import(cli, path, status=2)
    assert "کاربرگ نخست فایل («راهنما») خالی است" in data["error"] and counts()[0] == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_sheet_wider_than_read_is_refused_not_cut(cli, tmp_path, kind):
    """Columns past the 60th were dropped without a word: a phone and an outlet written there were
    lost while the journalist was stored. Now the sheet is refused, saying which row."""
    header = ["نام", *[f"c{n}" for n in range(60)], "تلفن"]
    rows = [["علی رضایی", *[""] * 60, "09121234567"]]
    path = tmp_path / f"wide.{kind}"
    path.write_bytes(csv_bytes(rows, header) if kind == "csv" else xlsx_bytes(rows, header))
    data, _ = _import(cli, path, status=2)
    assert "بیش از ۶۰ ستون" in data["error"] and "سطر ۱" in data["error"]
    assert counts()[:3] == (0, 0, 0)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_sheet_with_a_column_far_past_the_60th_is_refused(cli, tmp_path, kind):
    """The review of the commands (session 26): the reader asked openpyxl for one column past the
    60th, so a sheet with its «تلفن» and «ایمیل» at columns 70 and 71 imported with no phones and no
    e-mails, exit 0, unsaid. Each cell of the sheet's XML is looked at now."""
    header = ["نام", *[""] * 68, "تلفن", "ایمیل"]
    rows = [["علی رضایی", *[""] * 68, "09121234567", "ali@example.ir"]]
    path = tmp_path / f"far.{kind}"
    path.write_bytes(csv_bytes(rows, header) if kind == "csv" else xlsx_bytes(rows, header))
    data, _ = _import(cli, path, status=2)
    assert "بیش از ۶۰ ستون" in data["error"] and "سطر ۱" in data["error"]
    assert counts()[:3] == (0, 0, 0)


@pytest.mark.parametrize("header_sep, row_sep", [(";", ","), (",", ";"), ("\t", ",")])
def test_rows_cut_at_another_separator_than_the_header_are_refused(cli, tmp_path, header_sep, row_sep):
    """A header written with «;» and rows with «,» (two exports pasted together): each row was read
    as one cell and stored as a journalist named with the whole row."""
    header = header_sep.join(TEMPLATE)
    row = row_sep.join(["علی رضایی", "رادیو جوان", "محلی", "مرکز", "09121234567", "a@b.ir", "شهری"])
    path = tmp_path / "mixed.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    data, _ = _import(cli, path, status=2)
    assert "سطر ۲" in data["error"] and "جداکننده" in data["error"]
    assert counts()[:3] == (0, 0, 0)


# The Persian alphabet: آ ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی. By code
# point پ چ ژ ک گ come after letters they precede (U+067E…U+06AF against ت U+062A, ل U+0644…), ه
# U+0647 before و U+0648, and a ZWNJ (U+200C) after every letter.
ALPHABETICAL = ["آرش", "احمد", "پرویز", "تقی", "چنگیز", "حسن", "ژاله", "سارا", "کاوه", "كريم", "گلاره", "لیلا",
                "مهر\u200cآسا", "مهرانگیز", "وحید", "هادی", "یاسر"]


def test_the_export_is_in_persian_alphabetical_order(cli, tmp_path):
    """«Name order» was the database's (code point) order: «پرویز» after «یاسر», «کاوه» after «لیلا»,
    «هادی» before «وحید»; Arabic «كريم» (ك ي) and a ZWNJ sorted apart from their Persian forms."""
    for number, name in enumerate(reversed(ALPHABETICAL)):
        outlet = Outlet(name=f"روزنامهٔ {name}", name_key=name_key(f"روزنامهٔ {name}"), scope="local")
        alone = Outlet(name=f"{name} نیوز", name_key=name_key(f"{name} نیوز"), scope="local")
        db.session.add_all([alone, Journalist(name=name, name_key=name_key(name), outlets=[outlet],
                                              phones=[JournalistPhone(e164=f"+9891212300{number:02d}")])])
    db.session.commit()
    out = tmp_path / "d.csv"
    cli("export", "--format", "csv", str(out))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))[1:]
    assert [r[0] for r in rows if r[0]] == ALPHABETICAL
    assert [r[1] for r in rows if not r[0]] == [f"{name} نیوز" for name in ALPHABETICAL]


def test_the_export_refuses_an_outlet_stored_with_the_separator_in_its_name(cli, tmp_path):
    """An outlet stored before the forms refused «؛» (or by the feeds' path) was written into
    «رسانه» as it is and came back from the file as two outlets. The export names it and writes
    nothing, unaudited."""
    outlet = Outlet(name="صدا؛ سیما", name_key=name_key("صدا؛ سیما"), scope="provincial")
    db.session.add(Journalist(name="علی", name_key=name_key("علی"), outlets=[outlet]))
    db.session.commit()
    out = tmp_path / "d.csv"
    data = json.loads(cli("export", "--format", "csv", str(out), "--json", status=2).stdout)
    assert "«صدا؛ سیما»" in data["error"] and PERSIAN.search(data["error"])
    assert not out.exists()
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "directory.exported")) is None


def _every_field() -> dict:
    """Every outlet and journalist with every field the directory stores (agency notes aside: they
    are each agency's own, not the province's directory)."""
    db.session.expire_all()
    outlets = {o.name: (o.kind, o.scope, o.city, o.website, o.notes, o.is_active)
               for o in db.session.scalars(select(Outlet))}
    journalists = {j.name: (tuple(sorted(o.name for o in j.outlets)), tuple((p.e164, p.label) for p in j.phones),
                            j.email, j.beat, dict(j.handles or {}), j.preferred_channel, j.notes, j.is_active)
                   for j in db.session.scalars(select(Journalist))}
    return {"outlets": outlets, "journalists": journalists}


def _build_full_directory(staff) -> None:
    """Through the services, as the forms store them: every kind, every channel, every handle."""
    from app.services.directory import OutletInput, create_outlet
    from app.services.directory_journalists import JournalistInput, PhoneInput, create_journalist

    outlets = {}
    for name, kind, scope, city, website, notes in [
            ("خبرگزاری ایرنا", "news_agency", "national", "تهران", "https://www.irna.ir", "دفتر استان: طبقهٔ دوم"),
            ("روزنامهٔ همشهری", "newspaper", "local", "تبریز", "", ""),
            ("سیمای مرکز", "tv", "provincial", "تبریز", "https://tabriz.irib.ir/news", "=تماس با سردبیر\nپیش از ۱۰ صبح"),
            ("رادیو آذربایجان", "radio", "provincial", "", "", ""),
            ("پایگاه خبری شهر", "website", "local", "مرند", "http://shahr.example.ir", ""),
            ("کانال خبری استان", "social_channel", "local", "", "", "تنها در ایتا"),
            ("گاهنامهٔ دانشجویی", "other", "local", "تبریز", "", "")]:
        outlets[name] = create_outlet(OutletInput(name=name, kind=kind, scope=scope, city=city, website=website,
                                                  notes=notes), actor=staff).id
    for name, outlet_names, phones, email, beat, handles, channel, notes in [
            ("علی رضایی", ["روزنامهٔ همشهری"], [("09121234567", "mobile"), ("04133334444", "office")],
             "ali@example.com", "اقتصاد", {"telegram": "@ali_rezaei", "eitaa": "ali.rezaei"}, "telegram",
             "صبح‌ها در دفتر است.\nبا پیامک پاسخ می‌دهد."),
            ("زهرا کریمی", ["خبرگزاری ایرنا", "سیمای مرکز"], [("09131112233", "mobile"), ("04135556677", "fax")],
             "", "شهری", {"bale": "zkarimi", "whatsapp": "+989131112233", "instagram": "z.karimi", "x": "zkarimi"},
             "eitaa", ""),
            ("مریم احمدی", ["رادیو آذربایجان", "پایگاه خبری شهر", "کانال خبری استان"], [("09141234567", "other")],
             "", "", {}, "visit", "+۹۸ را نمی‌پسندد"),
            ("بی‌رسانه", [], [], "free@example.com", "", {}, "email", ""),
            ("پیامکی", ["گاهنامهٔ دانشجویی"], [], "", "", {}, "sms", ""),
            ("تلفنی", [], [("09151234567", "mobile")], "", "", {}, "whatsapp", ""),
            ("همیشگی", [], [("09161234567", "mobile")], "", "", {}, "bale", ""),
            ("قدیمی", [], [("09171234567", "mobile")], "", "", {}, "phone", "")]:
        create_journalist(JournalistInput(
            name=name, outlet_ids=[outlets[n] for n in outlet_names], beat=beat, email=email,
            phones=[PhoneInput(number, label) for number, label in phones], handles=handles,
            preferred_channel=channel, notes=notes), actor=staff)
    create_outlet(OutletInput(name="هفته‌نامهٔ تنها", kind="newspaper", scope="local", city="مراغه",
                              website="https://tanha.example.ir", notes="بی‌خبرنگار"), actor=staff)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_keeps_every_field_of_every_outlet_and_journalist(cli, tmp_path, make_user, fmt):
    """The sheet had no column for an outlet's kind, website and shared note, nor for a
    journalist's messaging handles, preferred channel, shared note and phone kinds: the README's
    «importing it into an empty directory gives the same directory» lost them all."""
    _build_full_directory(make_user(role="staff"))
    before = _every_field()
    assert {kind for kind, *_rest in before["outlets"].values()} == {
        "news_agency", "newspaper", "tv", "radio", "website", "social_channel", "other"}
    out = tmp_path / f"directory.{fmt}"
    assert json.loads(cli("export", "--format", fmt, str(out), "--json").stdout)["journalists"] == 8
    _empty_directory()
    data, stderr = _import(cli, out)
    assert (data["errors"], data["duplicates"], data["warnings"], stderr) == ([], [], [], "")
    assert (data["journalists_new"], data["outlets_new"]) == (8, 8)
    assert _every_field() == before


def test_the_export_never_writes_over_the_installations_own_files(app, cli, tmp_path_factory):
    """Found by a review of the commands: `directory export --format csv <data>/hamzaban.db` turned
    the live database into a CSV file, and every command after it failed. A path in the data
    folder (the database, the secret key, stored files), the search index or the SQLite database
    wherever it lies is refused in Persian, exit 2; the file is untouched and nothing audited.
    A new file in the data folder may be written: nothing is lost."""
    from sqlalchemy.engine import make_url

    _seed_directory()
    data_dir = Path(app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    key = data_dir / "secret_key"
    key.write_text("not to be lost")
    targets = [key, Path(app.config["SEARCH_INDEX_DIR"]) / "x.csv"]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        targets.append(Path(url.database))
    for target in targets:
        before = target.read_bytes() if target.exists() else None
        result = cli("export", "--format", "csv", str(target), "--json", status=2)
        assert "از فایل‌های خود همزبان است" in json.loads(result.stdout)["error"], target
        assert (target.read_bytes() if target.exists() else None) == before, target
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "directory.exported")) is None
    cli("export", "--format", "csv", str(data_dir / "new-export.csv"))  # a new file there loses nothing
    if url.get_backend_name() == "sqlite":  # the database by another name (a hard link elsewhere)
        link = tmp_path_factory.mktemp("links") / "copy.db"
        os.link(url.database, link)
        result = cli("export", "--format", "csv", str(link), "--json", status=2)
        assert "از فایل‌های خود همزبان است" in json.loads(result.stdout)["error"]


def test_the_other_commands_that_write_a_file_keep_off_the_installations_files_too(app, tmp_path_factory):
    """`report scorecard --out` and `feeds export-opml -o` (which also gave a
    traceback for a folder that is not there)."""
    data_dir = Path(app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    key = data_dir / "secret_key"
    key.write_text("not to be lost")
    runner = app.test_cli_runner()
    for args in (["report", "scorecard", "--period", "1404", "--out", str(key)],
                 ["feeds", "export-opml", "-o", str(key)]):
        result = runner.invoke(args=args)
        assert result.exit_code == 2 and "از فایل‌های خود همزبان است" in result.stderr, (args, result.output)
        assert key.read_text() == "not to be lost"
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # outside the data folder
    missing = runner.invoke(args=["feeds", "export-opml", "-o", str(elsewhere / "no-such-folder" / "f.opml")])
    assert missing.exit_code == 2 and "پوشهٔ آن نیست" in missing.stderr and missing.exception.__class__ is SystemExit
    written = runner.invoke(args=["feeds", "export-opml", "-o", str(elsewhere / "f.opml")])
    assert written.exit_code == 0 and (elsewhere / "f.opml").read_bytes().startswith(b"<?xml")


def test_the_text_report_names_what_a_duplicate_row_matched(cli, tmp_path):
    """The text report said only «سطر ۳ تکراری است (علی رضایی)»: not whether the phone or the name
    matched, nor the row or the journalist it repeats (the JSON has both)."""
    path = tmp_path / "dups.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "روزنامه همشهری", "محلی", "", "09121234567", "", ""],
                                ["علی رضائی", "روزنامه همشهری", "", "", "", "", ""],
                                ["زهرا کریمی", "روزنامه همشهری", "", "", "۰۹۱۲۱۲۳۴۵۶۷", "", ""]]))
    result = cli("import", str(path))
    assert "سطر ۳ تکراری است (علی رضائی) — هم‌نام با سطر ۲" in result.stdout
    assert "سطر ۴ تکراری است (زهرا کریمی) — هم‌تلفن با سطر ۲" in result.stdout
    again = cli("import", str(path))  # now they are in the directory
    journalist = db.session.scalar(select(Journalist.id).where(Journalist.name == "علی رضایی"))
    assert f"سطر ۲ تکراری است (علی رضایی) — هم‌تلفن با خبرنگار شمارهٔ {journalist} در فهرست" in again.stdout


def _twice() -> tuple[int, int]:
    """A journalist entered twice: the same person, another phone on the second record."""
    outlet = Outlet(name="روزنامهٔ شهر", name_key=name_key("روزنامهٔ شهر"), scope="local", kind="newspaper")
    kept = Journalist(name="علی رضایی", name_key=name_key("علی رضایی"), outlets=[outlet],
                      phones=[JournalistPhone(e164="+989121234567")])
    copy = Journalist(name="علي رضايي", name_key=name_key("علي رضايي"), email="ali@example.ir",
                      phones=[JournalistPhone(e164="+989351112233")])
    db.session.add_all([kept, copy])
    db.session.commit()
    return kept.id, copy.id


def test_a_merge_run_again_once_its_ids_were_reused_merges_nothing(cli):
    """SQLite gives a new record the id of the last one deleted (no AUTOINCREMENT): once a merge removed the newest
    journalist, the next one imported takes its id, and the merge run again (a script re-run, session 44's answer
    "unchanged") merged that other person away (session 44's review). Refused, exit 2, both named, nothing stored;
    and a kept id reused is no merge made before either."""
    kept, copy = _twice()
    cli("merge-journalists", str(kept), str(copy), "--json")
    db.session.add(Journalist(id=copy, name="مریم احمدی", name_key=name_key("مریم احمدی")))  # as SQLite reuses it
    db.session.commit()
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    refused = json.loads(cli("merge-journalists", str(kept), str(copy), "--json", status=2).stdout)["error"]
    assert "مریم احمدی" in refused and "علي رضايي" in refused, refused
    db.session.expire_all()
    assert db.session.get(Journalist, copy).name == "مریم احمدی"
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited
    # the kept one's id reused: the merge made before is not this record's («… ادغام شده است» named the new one)
    first, second = (Journalist(name=name, name_key=name_key(name)) for name in ("سارا نوری", "سارا نوري"))
    db.session.add_all([first, second])
    db.session.commit()
    first_id, second_id = first.id, second.id
    cli("merge-journalists", str(first_id), str(second_id), "--json")
    cli("merge-journalists", str(kept), str(first_id), "--json")  # the one kept merged away in turn
    db.session.add(Journalist(id=first_id, name="رضا کامرانی", name_key=name_key("رضا کامرانی")))
    db.session.commit()
    again = cli("merge-journalists", str(first_id), str(second_id), status=2)
    # the duplicate's history is in the record kept first, merged in turn (not in the id's new holder)
    assert f"خبرنگار شمارهٔ {second_id} در فهرست نیست: پیش‌تر در «علی رضایی» ({kept})" in again.stderr
    assert "رضا کامرانی" not in again.output


def test_a_merge_run_again_after_the_kept_record_was_merged_in_turn_changes_nothing(cli):
    """Merged A into B, then B into C: the merge of A into B run again (a script re-run) was refused, exit 2,
    «این خبرنگار در فهرست نیست», where the same re-run before B's merge answered "unchanged" (session 44's note).
    A's history is in C: the merge made before, exit 0, "unchanged": true, "now_in" naming C (the kept record
    itself when it is still there); nothing stored. An outlet likewise."""
    a, b = _twice()
    c = Journalist(name="علی رضائی", name_key=name_key("علی رضائی"))
    db.session.add(c)
    db.session.commit()
    c_id = c.id
    cli("merge-journalists", str(b), str(a), "--json")
    data = json.loads(cli("merge-journalists", str(b), str(a), "--json").stdout)
    assert data["unchanged"] is True and data["now_in"] == {"id": b, "name": "علي رضايي"}
    cli("merge-journalists", str(c_id), str(b), "--json")
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    data = json.loads(cli("merge-journalists", str(b), str(a), "--json").stdout)
    assert (data["kept"]["id"], data["removed"]["id"], data["stored"], data["unchanged"]) == (b, a, False, True)
    assert data["now_in"] == {"id": c_id, "name": "علی رضائی"}
    text = cli("merge-journalists", str(b), str(a)).stdout
    assert "چیزی تغییر نکرد" in text and f"«علی رضائی» ({c_id})" in text, text
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited
    outlets = [Outlet(name=name, name_key=name_key(name), scope="local", kind="newspaper")
               for name in ("خبر شمال", "خبر شمال ۲", "خبر شمال ۳")]
    db.session.add_all(outlets)
    db.session.commit()
    first, second, third = (outlet.id for outlet in outlets)
    cli("merge-outlets", str(second), str(first), "--json")
    cli("merge-outlets", str(third), str(second), "--json")
    data = json.loads(cli("merge-outlets", str(second), str(first), "--json").stdout)
    assert data["unchanged"] is True and data["now_in"]["id"] == third


def test_merge_journalists_dry_run_then_merge_json(cli):
    kept, copy = _twice()
    data = json.loads(cli("merge-journalists", str(kept), str(copy), "--dry-run", "--json").stdout)
    assert set(data) == {"kept", "removed", "moved", "filled", "differing", "stored", "unchanged"}
    assert (data["kept"]["id"], data["removed"]["id"], data["stored"]) == (kept, copy, False)
    assert data["moved"]["phones"] == 1 and data["filled"] == ["email"]
    assert db.session.get(Journalist, copy) is not None and not db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "journalist.merged")).all()
    data = json.loads(cli("merge-journalists", str(kept), str(copy), "--json").stdout)
    assert data["stored"] is True
    db.session.expire_all()
    assert db.session.get(Journalist, copy) is None
    assert sorted(p.e164 for p in db.session.get(Journalist, kept).phones) == ["+989121234567", "+989351112233"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "journalist.merged"))
    assert entry.actor_label == "cli" and entry.details["removed_name"] == "علي رضايي"


def test_merge_text_output_and_refusals_in_persian(cli):
    kept, copy = _twice()
    result = cli("merge-journalists", str(kept), str(copy))
    assert "ادغام شد" in result.stdout and "۱ تلفن" in result.stdout
    # the ids as a script passes them back (they were in Persian digits: a review, round 9)
    assert f"({copy}) در" in result.stdout and f"({kept}) ادغام شد" in result.stdout
    assert "از رکورد تکراری پر شد: ایمیل" in result.stdout  # only the JSON said it (a review, round 7)
    assert "نام = «علي رضايي»" in result.stderr  # the duplicate's other spelling of the name, not kept, is said
    # run again (a script re-run; session 44): the merge made before, nothing changed, exit 0 (it was refused,
    # «این خبرنگار در فهرست نیست», exit 2); JSON `"unchanged": true`, `"stored": false`
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    again = cli("merge-journalists", str(kept), str(copy))
    assert f"({copy}) پیش‌تر در «علی رضایی» ({kept}) ادغام شده است؛ چیزی تغییر نکرد" in again.stdout
    data = json.loads(cli("merge-journalists", str(kept), str(copy), "--json").stdout)
    assert (data["kept"]["id"], data["removed"], data["stored"], data["unchanged"]) == (
        kept, {"id": copy, "name": "علي رضايي"}, False, True)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited
    refused = cli("merge-journalists", str(copy), str(kept), status=2)  # the other way round: it is gone
    # which id, and where it went (it was «این خبرنگار در فهرست نیست», neither: session 46)
    assert f"خبرنگار شمارهٔ {copy} در فهرست نیست: پیش‌تر در «علی رضایی» ({kept}) ادغام شده است؛ ادغام را با " \
           f"{kept} بکنید. چیزی تغییر نکرد." in refused.stderr and "Traceback" not in refused.output
    unknown = json.loads(cli("merge-journalists", str(kept), str(copy + 100), "--json", status=2).stdout)
    assert unknown == {"error": f"خبرنگار شمارهٔ {copy + 100} در فهرست نیست؛ چیزی تغییر نکرد."}
    gone = json.loads(cli("merge-outlets", "999", "998", "--json", status=2).stdout)["error"]
    assert gone == "رسانهٔ شمارهٔ 999 در فهرست نیست؛ چیزی تغییر نکرد."
    same = cli("merge-outlets", "1", "1", "--json", status=2)
    assert "با خودش" in json.loads(same.stdout)["error"]
    assert "invalid" not in cli("merge-outlets", "x", "1", status=2).output.lower()


def test_a_locked_database_is_said_in_persian_and_no_file_is_written(app, cli, tmp_path):
    """The review of the commands (session 26): a database locked past its wait gave a traceback
    and exit 1, and `directory export` had written the phone numbers to disk before the audit
    entry's commit failed. Now the entry is written first, and the refusal is a Persian line."""
    import sqlite3

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the lock is SQLite's")
    _seed_directory()
    db.session.remove()
    holder = sqlite3.connect(url.removeprefix("sqlite:///"))
    holder.execute("BEGIN EXCLUSIVE")
    try:
        out = tmp_path / "exports" / "directory.csv"
        out.parent.mkdir()
        result = cli("export", "--format", "csv", str(out), "--json", status=2)
    finally:
        holder.rollback()
        holder.close()
    error = json.loads(result.stdout)["error"]
    assert "پایگاه داده پاسخ نداد" in error and "Traceback" not in result.output
    assert not out.exists()
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "directory.exported")).all()


def test_empty_columns_without_a_header_are_not_warned_of(cli, tmp_path):
    """The review of the commands (session 26): one value in a sheet's 8th column warned of each
    empty column between the template's and it; only the column that holds something is."""
    header = ["نام", "رسانه", "سطح رسانه", "", "", "", "", ""]
    rows = [["علی رضایی", "رادیو جوان", "محلی", "", "", "", "", "یادداشتی بی سرستون"]]
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(xlsx_bytes(rows, header))
    data, stderr = _import(cli, path)
    assert data["journalists_new"] == 1
    assert stderr.count("سرستون ندارد") == 1 and "ستون ۸" in stderr


def test_a_dash_is_standard_input_and_output(cli, app, tmp_path):
    """`directory export --format csv -` writes the sheet to standard output (its line to standard
    error), `directory import -` reads one piped in: a file named «-» was written and read in the
    working folder instead. `-` with --json is refused: the sheet leaves no room for the JSON."""
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    _import(cli, path)
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["directory", "export", "--format", "csv", "-"])
    assert exported.exit_code == 0 and "خروجی استاندارد" in exported.stderr
    out = tmp_path / "directory.csv"
    cli("export", "--format", "csv", str(out))
    assert exported.stdout_bytes == out.read_bytes()
    refused = runner.invoke(args=["directory", "export", "--format", "csv", "-", "--json"])
    assert refused.exit_code == 2 and "--json" in json.loads(refused.stdout)["error"]
    for model in (JournalistPhone, Journalist, Outlet):
        db.session.query(model).delete()
    db.session.commit()
    imported = runner.invoke(args=["directory", "import", "-", "--json"], input=exported.stdout_bytes)
    assert imported.exit_code == 0, imported.output
    assert (json.loads(imported.stdout)["journalists_new"], counts()[:3]) == (3, (4, 3, 6))
    assert not Path("-").exists()


def test_the_export_writes_to_dev_stdout_on_a_pipe(cli, tmp_path):
    """`directory export … /dev/stdout` with its output piped: /dev/stdout resolves to «pipe:[…]», no
    path at all, and the export said «its folder is not there»; written in place now."""
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD))
    _import(cli, path)
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as reader:
        try:
            result = cli("export", "--format", "csv", f"/dev/fd/{write_end}", "--json")  # a small sheet: the pipe holds it
        finally:
            os.close(write_end)
        sheet = reader.read()
    assert json.loads(result.stdout)["journalists"] == 3
    assert sheet.startswith(b"\xef\xbb\xbf") and len(sheet.decode("utf-8-sig").splitlines()) > 3


def test_the_export_format_and_the_files_name_agree(cli, tmp_path):
    """`--format csv d.xlsx` wrote a CSV that Excel then refused as a broken workbook; the format's
    letter case is free, as the case commands' codes are (the review of the directory)."""
    result = cli("export", "--format", "csv", str(tmp_path / "d.xlsx"), "--json", status=2)
    assert ".xlsx" in json.loads(result.stdout)["error"] and not (tmp_path / "d.xlsx").exists()
    cli("export", "--format", "XLSX", str(tmp_path / "d.xlsx"))
    assert (tmp_path / "d.xlsx").read_bytes().startswith(b"PK")


def test_an_imported_address_and_handles_read_digits_as_the_form_does(cli, tmp_path):
    """The journalist form read «sara۱۲@example.ir» as «sara12@…» and the sheet stored it as typed (the
    review of session 29); a handle in Persian letters is refused, WhatsApp's number is E.164."""
    from models import Journalist

    path = tmp_path / "people.csv"
    path.write_text("نام,ایمیل,تلگرام,واتس‌اپ\nسارا,sara۱۲@example.ir,@sara_۱۲,۰۹۱۲ ۵۵۵ ۰۰۹۹\n", "utf-8")
    report, _ = _import(cli, path)
    assert report["journalists_new"] == 1 and report["errors"] == []
    sara = db.session.query(Journalist).one()
    assert (sara.email, sara.handles) == ("sara12@example.ir", {"telegram": "@sara_12", "whatsapp": "+989125550099"})
    path.write_text("نام,تلگرام\nپرستو,@شمهقهئ\n", "utf-8")
    report, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "تلگرام")]


def test_a_row_with_more_phones_than_the_form_takes_is_refused(cli, tmp_path):
    """A review of the directory commands, round 9: a row of 9 phones was stored, and the journalist's
    page then failed (the form takes at most 6)."""
    phones = "؛ ".join(f"0912000{n:04d}" for n in range(7))
    path = tmp_path / "phones.csv"
    path.write_bytes(csv_bytes([["علی رضایی", "", "", "", phones, "", ""]]))
    data, _ = _import(cli, path, status=2)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(2, "تلفن")] and "۶" in data["errors"][0]["message"]
    assert db.session.scalar(select(Journalist)) is None


@pytest.mark.one_database
def test_an_export_to_dev_stdout_writes_the_file_alone_on_standard_output(app, tmp_path):
    """A review of the directory commands, round 9: piped, «directory export … /dev/stdout» ended the
    file with its summary line, which an import then read as a journalist. Written as «-» is now,
    the summary on standard error (the real command: standard output is a pipe)."""
    import subprocess
    import sys

    from tests.conftest import REPO

    db.session.add(Journalist(name="علی رضایی", name_key=name_key("علی رضایی"), phones=[JournalistPhone(e164="+989120000001")]))
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "directory", "export", "--format", "csv",
                           "/dev/stdout"], cwd=REPO, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert rows[0][0] == "نام" and [row[0] for row in rows[1:]] == ["علی رضایی"]
    assert "نوشته شد" in done.stderr.decode()
    # with --json, refused as «-» is, and said with the name typed (round 10: it named «-»)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "directory", "export", "--format", "csv",
                           "/dev/stdout", "--json"], cwd=REPO, env=env, capture_output=True, timeout=120)
    assert done.returncode == 2 and "«/dev/stdout»" in json.loads(done.stdout)["error"]


@pytest.mark.one_database
def test_a_workbook_is_not_written_to_a_terminal(app, tmp_path):
    """`directory export --format xlsx -` typed at a terminal wrote the workbook's bytes on it (a
    garbled screen, nothing saved; session 36's note): refused in Persian, as gzip refuses; a CSV
    (text) is still shown, and the workbook still goes down a pipe."""
    import subprocess
    import sys

    from tests.conftest import REPO, on_a_terminal

    db.session.add(Journalist(name="علی رضایی", name_key=name_key("علی رضایی"), phones=[JournalistPhone(e164="+989120000001")]))
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])

    def export_on_a_terminal(fmt: str, out: str) -> tuple[int, bytes, str]:
        return on_a_terminal(["directory", "export", "--format", fmt, out], env)

    for out in ("-", "/dev/stdout"):
        code, shown, stderr = export_on_a_terminal("xlsx", out)
        assert code == 2 and b"PK" not in shown and "پایانه" in stderr + shown.decode(errors="replace")
    code, shown, _ = export_on_a_terminal("csv", "-")
    assert code == 0 and "علی رضایی" in shown.decode("utf-8", errors="replace")
    piped = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "directory", "export", "--format", "xlsx",
                            "-"], cwd=REPO, env=env, capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")


def test_ids_copied_from_a_persian_line_are_read_as_the_case_numbers_are(cli):
    """A review of the commands' contracts (session 39): an id copied from a right-to-left line
    carries a direction mark or a ZWNJ; `cases move` read such a case number, the merges refused the
    id with a message quoting what looked like the number itself. «1_0» and «+5» stay refused."""
    kept, copy = _twice()
    typed = ("\u200f" + to_persian_digits(kept), to_persian_digits(copy) + "\u200c")
    data = json.loads(cli("merge-journalists", *typed, "--dry-run", "--json").stdout)
    assert (data["kept"]["id"], data["removed"]["id"]) == (kept, copy)
    data = json.loads(cli("merge-journalists", f" {kept} ", f"\u2067{copy}\u2069", "--dry-run", "--json").stdout)
    assert (data["kept"]["id"], data["removed"]["id"]) == (kept, copy)
    for bad in ("1_0", "+5", "\u200f"):
        assert json.loads(cli("merge-journalists", str(kept), bad, "--json", status=2).stdout)["error"]


@pytest.mark.one_database  # refused before the database: no SQL runs, the refusal's words are the proof
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_export_into_a_folder_the_system_makes_no_file_in_is_not_said_missing(cli):
    """`directory export … /proc/version` was «پوشهٔ «/proc» نیست»: /proc is there, and the system answers a new
    file there with ENOENT (session 46)."""
    error = json.loads(cli("export", "--format", "csv", "/proc/d.csv", "--json", status=2).stdout)["error"]
    assert error == "در پوشهٔ «/proc» فایلی نوشته نمی‌شود: سامانه در آن فایل تازه نمی‌سازد؛ چیزی نوشته نشد.", error
