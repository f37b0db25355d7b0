"""The case lists (my cases, my agency's, every agency's): who opens which, the filters with their
Persian messages for bad values, the menu's count, and the CSV/XLSX export of any list."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from app.clock import local_today
from app.extensions import db
from app.policy import AGENCY_CASES_ROLES, ALL_CASES_ROLES, MY_CASES_ROLES
from tests.conftest import login
from tests.services import case_fixtures

desk, make_item = case_fixtures.desk, case_fixtures.make_item  # the shared fixtures, by name


def refs(html: str) -> set[str]:
    return set(re.findall(r'class="case-row" data-ref="([^"]+)"', html))


def get(client, path: str, **args) -> str:
    response = client.get(path, query_string=args)
    assert response.status_code == 200, (path, args, response.status_code)
    return response.get_data(as_text=True)


@pytest.fixture
def cases(desk):
    """Cases of agency A in several statuses, one of agency B; one A case opened today (not overdue)."""
    made = {
        "new": desk.open("new", title="چرا آب محله قطع است؟"),
        "assigned": desk.open("assigned", title="=HYPERLINK(\"http://evil\") تانکر آب کجاست؟"),
        "published": desk.open("published", title="شایعهٔ آلودگی آب"),
        "rejected": desk.open("rejected", title="پرسش نیست"),
        "b": desk.open("assigned", agency=desk.b, title="قطعی برق شهرک"),
        "today": desk.open("accepted", opened_on=local_today(), title="درخواست لوله‌کشی تازه"),
    }
    made["published"].kind = "rumour"  # (update_details is the cases API's; here only the data matters)
    db.session.commit()
    return made


def test_each_list_opens_for_its_roles_only(app, desk, cases):
    for user, allowed in ((desk.staff, {"mine", "agency"}), (desk.manager, {"mine", "agency"}),
                          (desk.viewer, {"agency"}), (desk.supervisor, {"all"}), (desk.admin, {"all"})):
        client = app.test_client()
        login(client, user)
        for name in ("mine", "agency", "all"):
            status = client.get(f"/cases/{name}").status_code
            assert (status == 200) == (name in allowed), (user.username, name, status)
            assert client.get(f"/cases/{name}/export?format=csv").status_code == (200 if name in allowed else 403)
        assert client.get("/cases/").status_code == 302
    assert MY_CASES_ROLES == {"manager", "staff"} and AGENCY_CASES_ROLES == {"manager", "staff", "viewer"}
    assert ALL_CASES_ROLES == {"admin", "supervisor"}


def test_my_cases_are_the_open_cases_assigned_to_me_and_the_menu_counts_them(app, client, desk, cases):
    login(client, desk.staff)
    html = get(client, "/cases/mine")
    assert refs(html) == {cases["assigned"].ref}
    # The menu: «پرونده‌های من» with the number of my open cases, in Persian digits.
    assert re.search(r'href="/cases/mine">پرونده‌های من <span class="badge[^"]*"[^>]*>۱<', html)
    assert refs(get(client, "/cases/mine", status="all")) == {cases["assigned"].ref, cases["published"].ref}
    client = app.test_client()
    login(client, desk.staff2)
    html = get(client, "/cases/mine")
    assert refs(html) == set() and 'data-nav-count="cases.mine"' not in html


def test_the_agency_list_holds_my_agency_only(client, desk, cases):
    login(client, desk.viewer)
    html = get(client, "/cases/agency", status="all")
    assert refs(html) == {c.ref for k, c in cases.items() if k != "b"}
    assert "قطعی برق شهرک" not in html
    # Open cases by default.
    assert refs(get(client, "/cases/agency")) == {cases["new"].ref, cases["assigned"].ref, cases["today"].ref}


def test_filters_status_overdue_kind_agency_assignee_and_jalali_dates(client, desk, cases):
    login(client, desk.supervisor)
    everything = {c.ref for c in cases.values()}
    assert refs(get(client, "/cases/all", status="all")) == everything
    assert refs(get(client, "/cases/all", status="published")) == {cases["published"].ref}
    assert refs(get(client, "/cases/all", overdue="y")) == {cases["new"].ref, cases["assigned"].ref, cases["b"].ref}
    assert refs(get(client, "/cases/all", status="all", kind="rumour")) == {cases["published"].ref}
    assert refs(get(client, "/cases/all", status="all", agency="power")) == {cases["b"].ref}
    assert refs(get(client, "/cases/all", status="all", assignee="water.staff")) == {cases["assigned"].ref,
                                                                                     cases["published"].ref}
    # Jalali dates, in either digit script: the fixture's cases were opened on 1405/02/20.
    assert refs(get(client, "/cases/all", status="all", opened_from="۱۴۰۵/۰۲/۲۰", opened_to="1405-2-20")) == \
        everything - {cases["today"].ref}
    assert refs(get(client, "/cases/all", status="all", opened_from="1405/02/21")) == {cases["today"].ref}


@pytest.mark.parametrize("args, message", [
    ({"status": "lost"}, "وضعیت «lost» شناخته نیست"),
    ({"kind": "joke"}, "نوع «joke» شناخته نیست"),
    ({"agency": "nowhere"}, "سازمانی با شناسهٔ «nowhere» نیست"),
    ({"assignee": "nobody"}, "کاربری با نام کاربری «nobody» نیست"),
    ({"opened_from": "1405/13/01"}, "ماه باید از ۱ تا ۱۲ باشد"),
    ({"opened_from": "1405/03/01", "opened_to": "1405/02/01"}, "تاریخ پایان پیش از تاریخ آغاز است"),
])
def test_a_bad_filter_is_a_persian_message_not_an_error(client, desk, cases, args, message):
    login(client, desk.supervisor)
    html = get(client, "/cases/all", **args)
    assert message in html
    # The export refuses it with the same message instead of exporting another list.
    response = client.get("/cases/all/export", query_string={**args, "format": "csv"})
    assert response.status_code == 302 and "/cases/all" in response.headers["Location"]
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_agency_user_cannot_filter_by_another_agency(client, desk, cases):
    login(client, desk.staff)
    html = get(client, "/cases/agency", status="all", agency="power")
    assert "پرونده‌های «توزیع برق» را تنها همان سازمان و ناظران استانداری می‌بینند" in html
    assert cases["b"].ref not in refs(html) and "قطعی برق شهرک" not in html
    response = client.get("/cases/agency/export", query_string={"agency": "power", "format": "csv"})
    assert response.status_code == 302


def test_csv_export_has_a_bom_persian_text_and_defused_formulas(client, desk, cases):
    login(client, desk.manager)
    response = client.get("/cases/agency/export", query_string={"status": "all", "format": "csv"})
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="hamzaban-cases-agency-' in response.headers["Content-Disposition"]
    data = response.data
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.startswith("شمارهٔ پرونده,عنوان,")
    assert "شایعهٔ آلودگی آب" in text and "شایعه" in text and "پاسخ منتشرشده" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    assert "۱۴۰۵/۰۲/۲۰" in text and "https://water.example.ir/news/answer-1" in text
    assert "قطعی برق شهرک" not in text  # agency B's case is not in agency A's file
    assert text.count("\r\n") == 1 + 5


def test_xlsx_export_is_a_right_to_left_sheet_of_text_cells(client, desk, cases):
    login(client, desk.supervisor)
    response = client.get("/cases/all/export", query_string={"status": "all", "format": "xlsx"})
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("شمارهٔ پرونده", "عنوان") and len(rows) == 1 + len(cases)
    formula = next(cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # text, not a formula
    assert {row[0] for row in rows[1:]} == {c.ref for c in cases.values()}


def test_an_unknown_export_format_is_a_message(client, desk, cases):
    login(client, desk.staff)
    response = client.get("/cases/mine/export", query_string={"format": "pdf"})
    assert response.status_code == 302
    assert "قالب خروجی «pdf» شناخته نیست" in client.get(response.headers["Location"]).get_data(as_text=True)



@pytest.mark.parametrize("option", [{"_method": "POST"}, {"_anchor": "x"}, {"_external": "1"},
                                    {"_scheme": "https", "_external": "1"}, {"endpoint": "x"}])
def test_url_for_options_in_a_refused_exports_query_are_not_read_as_such(client, desk, cases, option):
    """A refused export goes back to its list with the query, through ``url_for``: «?_method=POST»
    or «?endpoint=» was a 500, «_anchor» and «_external» a fragment or an absolute URL."""
    login(client, desk.supervisor)
    query = {"status": "all", "kind": "rumour", "format": "pdf"}
    plain = client.get("/cases/all/export", query_string=query)
    response = client.get("/cases/all/export", query_string={**query, **option})
    assert response.status_code == 302
    assert response.headers["Location"] == plain.headers["Location"] == "/cases/all?status=all&kind=rumour"


@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775807", "40"])
def test_a_page_past_the_last_shows_the_last_page(client, desk, cases, page):
    """A typed page number past the end (one larger than SQLite's or PostgreSQL's OFFSET takes was
    a 500) shows the list's last page."""
    login(client, desk.supervisor)
    html = get(client, "/cases/all", status="all", page=page)
    assert refs(html) == {case.ref for case in cases.values()}  # all six fit on the one page
