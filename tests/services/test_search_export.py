"""Exporting search results: CSV (BOM, formulas defused), XLSX (right to left, text cells), the
agency scope of the routes shown, and large exports as a worker job served to their owner only."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.services import NotFound, ServiceError
from app.services import search_export_jobs as jobs
from app.services.indexing import drain
from app.services.search import SearchRequest
from app.services.search_export import safe_cell
from app.services.search_export_jobs import (
    DirectExport,
    ExportStatus,
    export_file,
    export_status,
    exports_job,
    start_export,
)
from models import ItemRoute, Setting
from tests.search_index.item_factory import ItemFactory

HEADER = ["عنوان", "رسانه", "تاریخ انتشار", "پیوند", "سازمان", "وضعیت", "بخشی از متن"]


@pytest.fixture
def world(app, make_agency, make_user):
    app.config["SEARCH_REFRESH_SECONDS"] = 0
    water = make_agency(slug="water", name_fa="آبفا")
    power = make_agency(slug="power", name_fa="توزیع برق")
    factory = ItemFactory()
    outlet = factory.outlet("همدان پیام", scope="local")
    items = {
        "formula": factory.make("=HYPERLINK(\"http://evil.test\",\"قطعی آب\")", "قطعی آب در شهر", outlet=outlet,
                                published_at=datetime(2026, 3, 25, 6, 0, tzinfo=UTC)),
        "plus": factory.make("+98 قطعی آب در روستا", "همه قطعی آب", outlet=outlet,
                             published_at=datetime(2026, 3, 24, 6, 0, tzinfo=UTC)),
        "routed": factory.make("قطعی آب و برق در همدان", "برق و آب قطع شد",
                               published_at=datetime(2026, 3, 23, 6, 0, tzinfo=UTC)),
    }
    db.session.add_all([ItemRoute(item_id=items["routed"].id, agency_id=water.id, status="accepted"),
                        ItemRoute(item_id=items["routed"].id, agency_id=power.id, status="new")])
    db.session.commit()
    drain()
    users = {"water": make_user(role="staff", agency=water), "power": make_user(role="staff", agency=power),
             "supervisor": make_user(role="supervisor")}
    return items, users


def _csv(result: DirectExport) -> list[list[str]]:
    assert result.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Persian right
    return list(csv.reader(io.StringIO(result.data.decode("utf-8-sig"))))


def test_csv_has_a_bom_persian_header_and_defused_formulas(app, world):
    _items, users = world
    result = start_export(SearchRequest(text="قطعی آب", sort="newest"), "csv", actor=users["supervisor"])
    assert isinstance(result, DirectExport) and result.mimetype.startswith("text/csv")
    rows = _csv(result)
    assert rows[0] == HEADER and len(rows) == 4
    formula, plus, routed = rows[1:]
    assert formula[0] == "'=HYPERLINK(\"http://evil.test\",\"قطعی آب\")"  # text, not a formula
    assert plus[0] == "'+98 قطعی آب در روستا"
    assert formula[1] == "همدان پیام" and formula[2] == "۱۴۰۵/۰۱/۰۵"  # Jalali, Persian digits
    assert formula[3].startswith("https://example.test/news/")
    assert routed[0] == "قطعی آب و برق در همدان" and routed[1] == ""
    assert routed[4] == "آبفا؛ توزیع برق" and routed[5] == "پذیرفته؛ تازه"  # a supervisor sees every route


def test_xlsx_is_a_right_to_left_sheet_of_text_cells(app, world):
    _items, users = world
    result = start_export(SearchRequest(text="قطعی آب", sort="newest"), "xlsx", actor=users["supervisor"])
    assert result.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(result.data)).active
    assert sheet.sheet_view.rightToLeft is True
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER and len(values) == 4
    formula_cell = sheet["A2"]
    assert formula_cell.value == "=HYPERLINK(\"http://evil.test\",\"قطعی آب\")" and formula_cell.data_type == "s"
    assert values[3][4] == "آبفا؛ توزیع برق" and values[1][2] == "۱۴۰۵/۰۱/۰۵"


def test_an_agency_user_exports_only_their_own_routes(app, world):
    _items, users = world
    for name, agency, status in (("water", "آبفا", "پذیرفته"), ("power", "توزیع برق", "تازه")):
        rows = _csv(start_export(SearchRequest(text="همدان برق"), "csv", actor=users[name]))
        assert [r[0] for r in rows[1:]] == ["قطعی آب و برق در همدان"]
        assert (rows[1][4], rows[1][5]) == (agency, status)


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+98", "'+98"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("قطعی = آب", "قطعی = آب"), ("", ""),
])
def test_csv_cells_a_spreadsheet_would_run_get_a_quote(value, safe):
    assert safe_cell(value) == safe


def test_refusals(app, world):
    _, users = world
    with pytest.raises(ServiceError, match="قالب"):
        start_export(SearchRequest(text="آب"), "pdf", actor=users["water"])
    with pytest.raises(ServiceError):
        start_export(SearchRequest(text="  "), "csv", actor=users["water"])


@pytest.mark.parametrize("text", ["😀", "-", "«»", "؟!…", "OR", '"', "عنوان:"])
def test_a_query_with_nothing_to_look_for_is_refused_as_the_page_says(app, world, text):
    """The page says «nothing to look for» for an emoji, a lone «-», empty quotes; the export gave
    an empty file for them (the browser walk of session 41), where the empty box was refused."""
    _, users = world
    for fmt in ("csv", "xlsx"):
        with pytest.raises(ServiceError, match="عبارتی برای جست‌وجو وارد نشده است"):
            start_export(SearchRequest(text=text), fmt, actor=users["water"])


def test_a_large_export_is_a_job_with_progress_served_to_its_owner_only(app, world, monkeypatch):
    _items, users = world
    monkeypatch.setattr(jobs, "DIRECT_ROWS", 2)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 1)
    request = SearchRequest(text="قطعی آب", sort="newest")
    status = start_export(request, "xlsx", actor=users["water"])
    assert isinstance(status, ExportStatus) and (status.state, status.total, status.percent) == ("queued", 3, 0)
    # Asked again (a second click): the same job, not a second one.
    assert start_export(request, "xlsx", actor=users["water"]).token == status.token
    with pytest.raises(NotFound):
        export_file(status.token, actor=users["water"])  # not written yet
    with pytest.raises(NotFound):
        export_status(status.token, actor=users["power"])  # another user's export
    assert exports_job(app).startswith("1 exports written")
    done = export_status(status.token, actor=users["water"])
    assert (done.state, done.done, done.percent) == ("done", 3, 100)
    path, _name, _mimetype = export_file(status.token, actor=users["water"])
    assert path.parent == Path(app.config["DATA_DIR"]) / "exports"
    sheet = load_workbook(path).active
    assert sheet.sheet_view.rightToLeft and sheet.max_row == 4
    assert sheet["E4"].value == "آبفا" and sheet["F4"].value == "پذیرفته"  # water's route only
    for other in ("power", "supervisor"):
        with pytest.raises(NotFound):
            export_file(status.token, actor=users[other])
    assert exports_job(app).startswith("0 exports written")  # idempotent: nothing left to do


def test_a_job_left_running_by_a_killed_worker_is_written_again(app, world, monkeypatch):
    _, users = world
    monkeypatch.setattr(jobs, "DIRECT_ROWS", 1)
    status = start_export(SearchRequest(text="قطعی آب"), "csv", actor=users["supervisor"])
    row = db.session.get(Setting, jobs.KEY_PREFIX + status.token)
    row.value = {**row.value, "state": "running", "done": 1}
    db.session.commit()
    folder = Path(app.config["DATA_DIR"]) / "exports"
    folder.mkdir()
    (folder / f"{status.token}.csv.part").write_text("half a file")
    exports_job(app)
    path, _, _ = export_file(status.token, actor=users["supervisor"])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff" + ",".join(HEADER)) and text.count("\n") == 4
    assert not path.with_name(path.name + ".part").exists()


def test_expired_exports_are_removed(app, world, monkeypatch):
    _, users = world
    monkeypatch.setattr(jobs, "DIRECT_ROWS", 1)
    status = start_export(SearchRequest(text="قطعی آب"), "csv", actor=users["supervisor"])
    exports_job(app)
    path, _, _ = export_file(status.token, actor=users["supervisor"])
    row = db.session.get(Setting, jobs.KEY_PREFIX + status.token)
    row.value = {**row.value, "created": "2000-01-01T00:00:00+00:00"}
    db.session.commit()
    assert exports_job(app).endswith("1 removed")
    assert not path.exists()
    with pytest.raises(NotFound):
        export_status(status.token, actor=users["supervisor"])


def test_an_export_whose_owner_was_deactivated_fails_and_is_counted_failed(app, world, monkeypatch):
    _, users = world
    monkeypatch.setattr(jobs, "DIRECT_ROWS", 1)
    status = start_export(SearchRequest(text="قطعی آب"), "csv", actor=users["water"])
    users["water"].is_active_account = False
    db.session.commit()
    assert exports_job(app).startswith("0 exports written, 1 failed")
    assert db.session.get(Setting, jobs.KEY_PREFIX + status.token).value["state"] == "failed"
