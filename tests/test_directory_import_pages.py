"""The page «ورود از فایل» (/directory/import): upload → preview (per-row status, the mapping of
unknown columns) → confirm (all or nothing), cancel, expiry, and the export buttons."""
from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import directory_uploads
from models import AuditEntry, Journalist
from tests.conftest import csrf_token, login
from tests.services.directory_files import TEMPLATE, counts, csv_bytes, xlsx_bytes
from tests.services.test_directory_import import GOOD


@pytest.fixture
def staff(client, make_user):
    user = make_user(role="staff")
    login(client, user)
    return user


def _folder(app) -> Path:
    return Path(app.config["DATA_DIR"]) / directory_uploads.FOLDER


def _upload(client, data: bytes, filename: str):
    token = csrf_token(client, "/directory/import/")
    return client.post("/directory/import/", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _token(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match = re.fullmatch(r"/directory/import/([A-Za-z0-9_-]{32})", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def _statuses(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-row="(\d+)" data-status="(\w+)"', html)


def test_upload_preview_map_and_confirm(app, client, staff):
    header = [*TEMPLATE, "همراه"]
    rows = [[*GOOD[0], ""], ["حسن موسوی", "", "", "", "", "", "", "09351234567"], [*GOOD[0][:1], *[""] * 7]]
    token = _token(_upload(client, csv_bytes(rows, header=header), "directory.csv"))
    files = sorted(p.name for p in _folder(app).iterdir())
    assert files == [f"{token}.data", f"{token}.json"]
    assert not list(Path(app.root_path).parent.joinpath("static").rglob(f"{token}*"))

    html = client.get(f"/directory/import/{token}").get_data(as_text=True)
    # «همراه» is not the template's (who comes along, or a mobile): offered for mapping, the phone suggested.
    assert re.search(r'<select[^>]*name="map-7".*?<option value="phone" selected>', html, re.DOTALL)
    assert _statuses(html) == [("2", "new"), ("3", "new"), ("4", "duplicate")]
    assert "+۹۸ ۹۳۵ ۱۲۳ ۴۵۶۷" in html and "همان سطر" in html  # in the reader's digits, as the directory shows it

    # Ignoring the column: the preview is computed again without it.
    html = client.get(f"/directory/import/{token}", query_string={"mapped": "1", "map-7": ""}).get_data(as_text=True)
    assert "+۹۸ ۹۳۵ ۱۲۳ ۴۵۶۷" not in html and "نادیده گرفته شد" in html
    assert counts()[:3] == (0, 0, 0)  # previews store nothing

    csrf = csrf_token(client, f"/directory/import/{token}")
    response = client.post(f"/directory/import/{token}/confirm", data={"csrf_token": csrf, "mapped": "1",
                                                                       "map-7": "phone"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/directory/import/")
    assert "۲ خبرنگار" in client.get("/directory/import/").get_data(as_text=True)
    phones = {j.name: [p.e164 for p in j.phones] for j in db.session.scalars(select(Journalist))}
    assert phones["حسن موسوی"] == ["+989351234567"]
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "directory.imported"))[
        "journalists_new"] == 2
    assert list(_folder(app).iterdir()) == []  # the upload is gone
    assert client.get(f"/directory/import/{token}").status_code == 404
    # A second click on «ذخیرهٔ همه»: a plain 404 page was shown; now a word on the import page
    before = counts()
    again = client.post(f"/directory/import/{token}/confirm", data={"csrf_token": csrf, "mapped": "1",
                                                                    "map-7": "phone"})
    assert again.status_code == 404 and "یا پیش‌تر ذخیره شد" in again.get_data(as_text=True)
    assert 'name="file"' in again.get_data(as_text=True)  # the import page, to send another file
    assert counts() == before


def test_a_file_with_bad_rows_is_shown_and_not_stored(app, client, staff):
    rows = [GOOD[0], ["بد", "", "", "", "0912", "", ""], ["", "", "", "", "", "bad@", ""]]
    token = _token(_upload(client, xlsx_bytes(rows), "directory.xlsx"))
    html = client.get(f"/directory/import/{token}").get_data(as_text=True)
    assert _statuses(html) == [("2", "new"), ("3", "error"), ("4", "error")]
    assert "تلفن: «0912»" in html and "/confirm" not in html
    csrf = csrf_token(client, f"/directory/import/{token}")
    response = client.post(f"/directory/import/{token}/confirm", data={"csrf_token": csrf})
    assert response.status_code == 400 and "هیچ سطری ذخیره نشد" in response.get_data(as_text=True)
    assert counts()[:3] == (0, 0, 0)
    assert (_folder(app) / f"{token}.data").exists()  # kept, to be fixed and sent again or cancelled
    response = client.post(f"/directory/import/{token}/cancel", data={"csrf_token": csrf})
    assert response.status_code == 302 and list(_folder(app).iterdir()) == []


def test_a_file_without_the_name_column_asks_for_the_mapping(client, staff):
    token = _token(_upload(client, csv_bytes([["علی", "09121234567"]], header=["نام و نام خانوادگی", "تلفن"]),
                           "d.csv"))
    html = client.get(f"/directory/import/{token}", query_string={"mapped": "1", "map-0": ""}).get_data(as_text=True)
    assert "ستون «نام»" in html and "/confirm" not in html
    html = client.get(f"/directory/import/{token}").get_data(as_text=True)  # suggested: the name
    assert _statuses(html) == [("2", "new")] and "/confirm" in html


@pytest.mark.parametrize(("data", "filename", "says"), [
    ("name\nJosé Müller\n".encode("cp1252"), "d.csv", "UTF-8"),
    (b"GIF89a", "photo.gif", "CSV یا XLSX"),
    (b"", "empty.csv", "خالی"),
])
def test_a_refused_file_keeps_nothing(app, client, staff, data, filename, says):
    response = _upload(client, data, filename)
    assert response.status_code == 400 and says in response.get_data(as_text=True)
    assert not _folder(app).exists() or list(_folder(app).iterdir()) == []


def test_an_oversized_file_is_refused(app, client, staff, monkeypatch):
    from app.services import directory_sheet

    monkeypatch.setattr(directory_sheet, "MAX_BYTES", 100)
    monkeypatch.setattr("views.directory_import.MAX_BYTES", 100)
    response = _upload(client, csv_bytes(GOOD), "d.csv")
    assert response.status_code == 400 and "مگابایت" in response.get_data(as_text=True)


def test_no_file_chosen(client, staff):
    token = csrf_token(client, "/directory/import/")
    response = client.post("/directory/import/", data={"csrf_token": token})
    assert response.status_code == 400 and "برگزینید" in response.get_data(as_text=True)


def test_an_expired_upload_is_gone(app, client, staff):
    token = _token(_upload(client, csv_bytes(GOOD), "d.csv"))
    old = time.time() - (directory_uploads.KEEP_HOURS * 3600 + 60)
    for path in _folder(app).iterdir():
        os.utime(path, (old, old))
    assert client.get(f"/directory/import/{token}").status_code == 404
    assert list(_folder(app).iterdir()) == []


def test_another_users_upload_is_a_404(app, client, staff, make_user):
    token = _token(_upload(client, csv_bytes(GOOD), "d.csv"))
    client = app.test_client()
    login(client, make_user(role="manager", agency=staff.agency))
    assert client.get(f"/directory/import/{token}").status_code == 404
    csrf = csrf_token(client, "/directory/import/")
    # Confirming it: a 404, told as after a second click on one's own that no such file waits
    response = client.post(f"/directory/import/{token}/confirm", data={"csrf_token": csrf})
    assert response.status_code == 404 and "دیگر در انتظار ذخیره نیست" in response.get_data(as_text=True)
    assert counts()[:3] == (0, 0, 0)
    assert client.get("/directory/import/../../etc/passwd").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_buttons(client, staff, fmt):
    html = client.get("/directory/import/").get_data(as_text=True)
    assert 'value="csv"' in html and 'value="xlsx"' in html
    token = csrf_token(client, "/directory/import/")
    response = client.post("/directory/import/export", data={"csrf_token": token, "format": fmt})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith(f'.{fmt}"')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf" if fmt == "csv" else b"PK")


def test_a_viewer_neither_imports_nor_exports(client, make_user):
    login(client, make_user(role="viewer"))
    assert client.get("/directory/import/").status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/directory/import/export", data={"csrf_token": token, "format": "csv"}).status_code == 403


def test_the_preview_knows_the_optional_columns_and_offers_them_for_mapping(client, staff):
    """The columns after the seven are the template's: no mapping asked for them; an unknown header
    may be mapped to them («نوع رسانه» is proposed as «گونه رسانه»)."""
    header = [*TEMPLATE, "راه ارتباطی", "ایتا", "یادداشت", "نوع رسانه"]
    token = _token(_upload(client, csv_bytes([["علی", "رادیو شهر", "محلی", "", "", "", "", "ایتا", "ali", "",
                                               "رادیو"]], header=header), "d.csv"))
    html = client.get(f"/directory/import/{token}").get_data(as_text=True)
    assert set(re.findall(r'name="map-(\d+)"', html)) == {"10"}
    assert re.search(r'<select[^>]*name="map-10".*?<option value="kind" selected>', html, re.DOTALL)
    for target in ("website", "outlet_notes", "phone_label", "channel", "handle_x", "notes"):
        assert f'<option value="{target}"' in html
    assert _statuses(html) == [("2", "new")]


def test_a_previews_empty_values_are_a_dash_not_a_bare_label(client, staff):
    """On a phone each row is a card: a journalist with no e-mail or beat, an outlet's own row (no
    name, no phone) and a good row (nothing to explain) read «ایمیل:», «نام:», «توضیح:» with
    nothing after them (session 41's walk)."""
    from tests.views.test_card_cells import empty_labelled_cells

    html = client.get(f"/directory/import/{_token(_upload(client, csv_bytes(GOOD), 'directory.csv'))}").get_data(as_text=True)
    assert len(_statuses(html)) == len(GOOD)
    assert empty_labelled_cells(html) == []


def test_the_stored_files_counts_agree_with_their_nouns_in_english(client, staff):
    """«1 journalists and 1 new outlets stored; 0 duplicate rows», «all 1 rows were duplicates» on an English page
    (session 46); the Persian counts in Persian digits, as before."""
    def confirm(rows):
        token = _token(_upload(client, csv_bytes(rows), "directory.csv"))
        csrf = csrf_token(client, f"/directory/import/{token}")
        client.post(f"/directory/import/{token}/confirm", data={"csrf_token": csrf})
        return client.get("/directory/import/").get_data(as_text=True)

    with client.session_transaction() as session:
        session["locale"] = "en"
    assert "1 new journalist and 1 new outlet stored; 0 duplicate rows left out." in confirm([GOOD[0]])
    assert "Nothing new in the file: its 1 row was a duplicate." in confirm([GOOD[0]])
    with client.session_transaction() as session:
        session["locale"] = "fa"
    assert "۱ خبرنگار تازه و ۱ رسانهٔ تازه ذخیره شد؛ ۱ سطر تکراری کنار گذاشته شد." in confirm([GOOD[2], GOOD[0]])
