"""The evidence register's pages: an agency's staff add, correct and delete their own agency's
records (with a file: PDF, image, DOCX, XLSX by content, size-capped, stored outside static/,
served with nosniff to who may see it); another agency's record or file is a 404; supervisors
see and may add for every agency; viewers read; every bad field says why in Persian and keeps
what was typed."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, EvidenceRecord
from search_index.persian import to_persian_digits
from tests.conftest import csrf_token, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office(kind: str) -> bytes:
    part, main = {"docx": ("word/document.xml", "wordprocessingml.document.main"),
                  "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main")}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override PartName="/{part}" '
                                                f'ContentType="application/vnd.openxmlformats-officedocument.{main}+xml"/></Types>')
        archive.writestr(part, "<x/>")
    return out.getvalue()


@dataclass
class World:
    water: object
    power: object
    staff: object
    manager: object
    viewer: object
    power_staff: object
    supervisor: object


@pytest.fixture
def world(app, make_agency, make_user):
    water, power = make_agency(slug="water", name_fa="آبفا"), make_agency(slug="power", name_fa="برق")
    return World(water, power, make_user("staff", water), make_user("manager", water), make_user("viewer", water),
                 make_user("staff", power), make_user("supervisor"))


def post(client, path, data, file=None, token_from="/evidence/"):
    body = {"csrf_token": csrf_token(client, token_from), **data}
    if file is not None:
        body["file"] = (io.BytesIO(file[0]), file[1])
    return client.post(path, data=body, content_type="multipart/form-data")


def records():
    return list(db.session.scalars(select(EvidenceRecord).execution_options(unscoped=True)))


def test_staff_add_a_record_with_a_pdf_and_it_is_served_only_to_their_agency(app, client, world):
    login(client, world.staff)
    response = post(client, "/evidence/new", {"clause": "1", "date": "۱۴۰۵/۰۱/۱۵", "note": "حکم آقای <b>رضایی</b>"},
                    (PDF, "حکم انتصاب.pdf"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (record,) = records()
    assert (record.agency_id, record.clause, record.is_standing, record.file_content_type) == (
        world.water.id, 1, True, "application/pdf")
    stored = Path(app.config["DATA_DIR"]) / "evidence-files" / record.file_stored_name
    assert stored.read_bytes() == PDF and "static" not in stored.parts
    page = client.get("/evidence/").get_data(as_text=True)
    assert "حکم انتصاب.pdf" in page and "&lt;b&gt;رضایی" in page and "<b>رضایی" not in page
    served = client.get(f"/evidence/{record.id}/file")
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "EvidenceRecord",
                                                         AuditEntry.object_id == record.id)) == "evidence.added"
    client = app.test_client()  # another person
    login(client, world.power_staff)
    assert client.get(f"/evidence/{record.id}/file").status_code == 404
    assert client.get(f"/evidence/{record.id}/edit").status_code == 404
    assert post(client, f"/evidence/{record.id}/delete", {}).status_code == 404
    assert "حکم انتصاب.pdf" not in client.get("/evidence/").get_data(as_text=True)
    assert len(records()) == 1


@pytest.mark.parametrize("kind,content_type", [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
def test_office_files_are_known_by_their_content(app, client, world, kind, content_type):
    login(client, world.manager)
    response = post(client, "/evidence/new", {"clause": "7", "date": "1405/02/01", "note": ""}, (office(kind), f"x.{kind}"))
    assert response.status_code == 302
    assert records()[0].file_content_type == content_type and records()[0].is_standing is False


@pytest.mark.parametrize("data,fields,field,message", [
    ({"clause": "9", "date": "1405/01/10", "note": "x"}, None, "clause", "بندی از دفتر مستندات برگزینید"),
    ({"clause": "", "date": "1405/01/10", "note": "x"}, None, "clause", "بندی از دفتر مستندات برگزینید"),
    ({"clause": "3", "date": "1405/13/40", "note": "شورای اطلاع‌رسانی"}, None, "date", "ماه"),
    ({"clause": "3", "date": "", "note": "شورای اطلاع‌رسانی"}, None, "date", "تاریخ را بنویسید."),
    ({"clause": "3", "date": "1499/01/01", "note": "شورای اطلاع‌رسانی"}, None, "date", "پس از امروز"),
    ({"clause": "3", "date": "1300/01/01", "note": "شورای اطلاع‌رسانی"}, None, "date", "سال را درست بنویسید"),  # before five Jalali years back
    ({"clause": "3", "date": "1405/01/10", "note": "   "}, None, "note", "یادداشتی بنویسید یا فایلی پیوست کنید."),
    ({"clause": "3", "date": "1405/01/10", "note": "شورای اطلاع‌رسانی"}, (b"MZ\x90\x00 not a document", "a.pdf"), "file",
     "PDF، تصویر"),
    ({"clause": "3", "date": "1405/01/10", "note": "شورای اطلاع‌رسانی"}, (b"PK\x03\x04broken", "a.docx"), "file",
     "PDF، تصویر"),
    # A file of no bytes (a failed export, a cloud file not downloaded): the record was saved without it, unsaid.
    ({"clause": "3", "date": "1405/01/10", "note": "شورای اطلاع‌رسانی"}, (b"", "صورتجلسه.pdf"), "file",
     "فایل «صورتجلسه.pdf» خالی است"),
])
def test_bad_input_is_said_in_persian_and_nothing_is_lost(app, client, world, data, fields, field, message):
    login(client, world.staff)
    response = post(client, "/evidence/new", data, fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and f'id="{field}-feedback"' in html
    assert "آنچه نوشته بودید مانده است" in html
    if data["note"].strip():
        assert data["note"] in html
    if data["date"]:
        assert f'value="{to_persian_digits(data["date"])}"' in html  # in the page's digits
    folder = Path(app.config["DATA_DIR"]) / "evidence-files"
    assert records() == []
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_date_and_note_messages_have_the_readers_digits_and_keep_what_was_typed(app, client, world):
    login(client, world.staff)
    html = post(client, "/evidence/new", {"clause": "3", "date": "1405/13/01", "note": "x" * 5001}).get_data(as_text=True)
    assert "ماه باید از ۱ تا ۱۲ باشد (نوشته‌شده: ۱۳)." in html  # in the page's digits, as the field shows it
    assert "یادداشت نباید بیش از ۵۰۰۰ نویسه باشد." in html
    html = post(client, "/evidence/new", {"clause": "3", "date": "۱۴۰۵/۰۱/۳۲", "note": "x"}).get_data(as_text=True)
    assert "روز باید از ۱ تا ۳۱ باشد (نوشته‌شده: ۳۲)." in html
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/evidence/"), "next": "/evidence/"})
    html = post(client, "/evidence/new", {"clause": "3", "date": "۱۴۰۵/۱۳/۰۱", "note": "x" * 5001}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "The month must be from 1 to 12 (you wrote ۱۳)." in html
    assert "The note must not be longer than 5000 characters." in html and "۵۰۰۰" not in html
    assert records() == []


def test_an_uploaded_name_is_shown_without_its_path_and_keeps_its_extension(app, client, world):
    """«../../secret_key.pdf» was listed as typed (served under a generated name, so never a path
    on disk); a 300-letter name was cut to 255 and lost «.pdf»."""
    login(client, world.staff)
    for name in ("../../secret_key.pdf", "PR/نامه.pdf", "ن" * 300 + ".pdf"):
        assert post(client, "/evidence/new", {"clause": "7", "date": "1405/02/01", "note": ""}, (PDF, name)).status_code == 302
    shown = [r.file_original_name for r in records()]
    assert shown[:2] == ["secret_key.pdf", "نامه.pdf"] and len(shown[2]) == 255 and shown[2].endswith("ن.pdf")


def test_a_file_over_the_cap_is_refused_before_it_is_stored(app, client, world):
    app.config["EVIDENCE_FILE_MAX_BYTES"] = 2048
    login(client, world.staff)
    response = post(client, "/evidence/new", {"clause": "13", "date": "1405/01/10", "note": "فهرست تجهیزات"},
                    (PDF + b"0" * 4096, "big.pdf"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "حجم فایل بیش از" in html and "فهرست تجهیزات" in html
    assert records() == []


def test_edit_replaces_the_file_and_delete_removes_it(app, client, world):
    login(client, world.staff)
    post(client, "/evidence/new", {"clause": "6", "date": "1405/01/10", "note": "عضویت", "standing": "y"},
         (PDF, "a.pdf"))
    (record,) = records()
    assert record.is_standing is True
    folder = Path(app.config["DATA_DIR"]) / "evidence-files"
    first_file = record.file_stored_name
    form = client.get(f"/evidence/{record.id}/edit").get_data(as_text=True)
    assert 'value="۱۴۰۵/۰۱/۱۰"' in form and "عضویت" in form
    response = post(client, f"/evidence/{record.id}/edit", {"clause": "6", "date": "1405/01/11", "note": "مشارکت"},
                    (office("xlsx"), "b.xlsx"), token_from=f"/evidence/{record.id}/edit")
    assert response.status_code == 302
    db.session.expire_all()
    record = records()[0]
    assert (record.note, record.is_standing, record.file_original_name) == ("مشارکت", False, "b.xlsx")
    assert not (folder / first_file).exists() and (folder / record.file_stored_name).exists()
    stored = record.file_stored_name
    response = post(client, f"/evidence/{record.id}/delete", {})
    assert response.status_code == 302 and records() == [] and not (folder / stored).exists()
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("evidence.%"))
                                      .order_by(AuditEntry.id)))
    assert actions == ["evidence.added", "evidence.updated", "evidence.deleted"]


def test_viewers_read_and_supervisors_see_and_add_for_every_agency(app, client, world):
    login(client, world.supervisor)
    response = post(client, "/evidence/new", {"agency": "power", "clause": "2", "date": "1405/01/10",
                                              "note": "حکم مشاور"})
    assert response.status_code == 302
    missing = post(client, "/evidence/new", {"agency": "", "clause": "2", "date": "1405/01/10", "note": "حکم"})
    assert missing.status_code == 400 and "سازمانی را برگزینید." in missing.get_data(as_text=True)
    overview = client.get("/evidence/").get_data(as_text=True)
    assert 'id="evidence-overview"' in overview and 'data-agency="power"' in overview
    assert "حکم مشاور" in client.get("/evidence/?agency=power").get_data(as_text=True)
    (record,) = records()
    assert record.agency_id == world.power.id
    client = app.test_client()  # another person
    login(client, world.viewer)
    assert client.get("/evidence/").status_code == 200
    assert client.get("/evidence/new").status_code == 403
    assert client.get(f"/evidence/{record.id}/file").status_code == 404  # power's record: not water's
    client = app.test_client()  # another person
    login(client, world.staff)  # water's staff: an agency chosen by slug is ignored
    post(client, "/evidence/new", {"agency": "power", "clause": "5", "date": "1405/01/10", "note": "جلسه"})
    assert {r.agency_id for r in records() if r.clause == 5} == {world.water.id}


def _seen(html: str) -> str:
    import re

    return re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', html).group(1)


def test_a_correction_from_a_page_read_before_a_colleagues_is_refused_and_keeps_what_was_typed(app, client, world):
    """The manager replaced the file after the staff member opened the edit page: saving that page
    would put back what the staff member saw, unseen. It is refused in Persian, the record and
    the manager's file stay, the typed note is kept; saving the refreshed page again stores it."""
    from app.services.evidence_records import EvidenceDraft, Upload, update_record

    login(client, world.staff)
    post(client, "/evidence/new", {"clause": "5", "date": "1405/01/10", "note": "جلسهٔ نخست"}, (PDF, "a.pdf"))
    (record,) = records()
    path = f"/evidence/{record.id}/edit"
    seen = _seen(client.get(path).get_data(as_text=True))
    update_record(record.id, EvidenceDraft(clause="5", date="1405/01/10", note="جلسهٔ نخست"),
                  Upload(io.BytesIO(office("docx")), "صورتجلسه.docx"), world.manager)  # the manager's save
    response = post(client, path, {"clause": "5", "date": "1405/01/12", "note": "نوشتهٔ تازه", "seen": seen},
                    token_from=path)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="evidence-stale"' in html and "نوشتهٔ تازه" in html
    db.session.expire_all()
    (record,) = records()
    assert (record.note, record.file_original_name) == ("جلسهٔ نخست", "صورتجلسه.docx")
    response = post(client, path, {"clause": "5", "date": "1405/01/12", "note": "نوشتهٔ تازه", "seen": _seen(html)},
                    token_from=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert (records()[0].note, records()[0].file_original_name) == ("نوشتهٔ تازه", "صورتجلسه.docx")


def _file_replaced_elsewhere(app, world) -> int:
    """A record with «a.pdf», read here; a colleague's correction then stores «b.docx» in its place
    (another session, committed). Its id."""
    from app.services.evidence_records import EvidenceDraft, Upload, add_record, update_record
    from tests.services.concurrency import elsewhere

    record = add_record(EvidenceDraft(clause="5", date="1405/01/10", note="جلسه"), Upload(io.BytesIO(PDF), "a.pdf"),
                        world.staff)
    record_id = record.id
    assert record.file_original_name == "a.pdf"  # what this session read
    assert elsewhere(app, lambda: update_record(
        record_id, EvidenceDraft(clause="5", date="1405/01/10", note="جلسه"),
        Upload(io.BytesIO(office("docx")), "b.docx"), db.session.merge(world.manager))) == []
    return record_id


def test_two_corrections_replacing_the_file_at_once_leave_no_file_behind(app, world):
    """Each correction read the record naming the first file, then stored its own: the second to
    reach the database must remove the file the first one stored, not the first file again, or a
    file would stay on the disk that no record names (SQLite and PostgreSQL alike)."""
    from app.services.evidence_records import EvidenceDraft, Upload, update_record

    record_id = _file_replaced_elsewhere(app, world)
    update_record(record_id, EvidenceDraft(clause="5", date="1405/01/10", note="جلسه"),
                  Upload(io.BytesIO(office("xlsx")), "c.xlsx"), world.staff)
    db.session.expire_all()
    (record,) = records()
    folder = Path(app.config["DATA_DIR"]) / "evidence-files"
    assert record.file_original_name == "c.xlsx"
    assert sorted(p.name for p in folder.iterdir()) == [record.file_stored_name]


def test_a_record_deleted_after_a_colleague_replaced_its_file_leaves_no_file_behind(app, world):
    """The delete read the record naming the first file; a colleague's correction stored another
    meanwhile: the delete must remove that one, not the first again (found by a review)."""
    from app.services.evidence_records import delete_record

    delete_record(_file_replaced_elsewhere(app, world), world.staff)
    folder = Path(app.config["DATA_DIR"]) / "evidence-files"
    assert records() == [] and list(folder.iterdir()) == []


def test_an_evidence_form_sent_twice_records_one_document(app, client, world):
    import re

    login(client, world.staff)
    once = re.search(r'name="once" value="([0-9a-f]{32})"', client.get("/evidence/new").get_data(as_text=True)).group(1)
    data = {"clause": "5", "date": "1405/01/10", "note": "جلسه", "once": once}
    assert post(client, "/evidence/new", data, (PDF, "a.pdf")).status_code == 302
    again = post(client, "/evidence/new", data, (PDF, "a.pdf"))
    assert again.status_code == 302 and len(records()) == 1
    folder = Path(app.config["DATA_DIR"]) / "evidence-files"
    assert len(list(folder.iterdir())) == 1  # the second file was not stored either


def test_a_record_older_than_the_bound_keeps_its_date_when_its_note_is_corrected(app, client, world):
    """A diff review: the five-year bound moves every Nowruz, so a record dated before it (entered
    when it was allowed) could no longer have its note corrected (its unchanged date refused)."""
    from app.jalali import parse_jalali_date

    login(client, world.staff)
    assert post(client, "/evidence/new", {"clause": "5", "date": "1405/01/10", "note": "جلسه"}).status_code == 302
    (record,) = records()
    record.happened_on = parse_jalali_date("1398/05/01")  # as a record of that year stays after Nowruz
    db.session.commit()
    path = f"/evidence/{record.id}/edit"
    response = post(client, path, {"clause": "5", "date": "1398/05/01", "note": "جلسهٔ شورا"}, token_from=path)
    db.session.expire_all()
    assert response.status_code == 302 and records()[0].note == "جلسهٔ شورا"
    moved = post(client, path, {"clause": "5", "date": "1398/05/02", "note": "جلسهٔ شورا"}, token_from=path)
    assert moved.status_code == 400 and "سال را درست بنویسید" in moved.get_data(as_text=True)
