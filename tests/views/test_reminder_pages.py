"""The case reminders page as people use it: a count in the menu, the list of one's own
notifications (never another agency's), reading by POST only, and the open cases by deadline."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from app.extensions import db
from models import CaseNotification
from tests.conftest import csrf_token, login
from tests.services import case_fixtures
from tests.services.reminder_fixtures import remind

desk = case_fixtures.desk


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def menu_count(client) -> str | None:
    found = re.search(r'data-nav-count="reminders.index">([^<]+)<', client.get("/").get_data(as_text=True))
    return found.group(1) if found else None


def _unread(user) -> list[int]:
    db.session.expire_all()
    return db.session.scalars(select(CaseNotification.id).where(CaseNotification.user_id == user.id,
                                                                CaseNotification.read_at.is_(None))).all()


def test_a_manager_reads_their_breach_notices_and_no_other_agencys(app, client, desk):
    a_case = desk.open("assigned")
    b_case = desk.open("assigned", agency=desk.b, title="خاموشی برق شهرک؛ پرسش سازمان دیگر")
    remind("1405/02/28T10:00")  # both overdue: each agency's manager hears of their own
    login(client, desk.manager)
    assert menu_count(client) == "۱"
    page = text(client.get("/reminders/"))
    assert (a_case.ref, b_case.ref) == ("1405-000001", "1405-000002")
    assert "پرونده \u2066۱۴۰۵-۰۰۰۰۰۱\u2069: چرا آب محله قطع است؟ — آب و فاضلاب" in page  # the number isolated LTR
    assert "۱۴۰۵-۰۰۰۰۰۲" not in page and b_case.title not in page
    assert "موعد پاسخ این پرونده (۱۴۰۵/۰۲/۲۶) گذشت" in page
    assert page.count("case-notification notice-breach list-group-item-warning unread") == 1
    # Another user's notification, asked for by id: 404, and nothing changes.
    b_notice = db.session.scalar(select(CaseNotification).where(CaseNotification.user_id == desk.manager_b.id))
    token = csrf_token(client, "/reminders/")
    for url in (f"/reminders/{b_notice.id}/open", f"/reminders/{b_notice.id}/read"):
        assert client.post(url, data={"csrf_token": token}).status_code == 404
        assert client.get(f"/reminders/{b_notice.id}/open").status_code == 404
    assert _unread(desk.manager_b) == [b_notice.id]


def test_reading_is_a_post_and_a_get_changes_nothing(app, client, desk):
    case = desk.open("assigned")
    remind("1405/02/26T10:00")  # the reminder to the assignee
    (notice_id,) = _unread(desk.staff)
    login(client, desk.staff)
    text(client.get("/reminders/"))
    opened = text(client.get(f"/reminders/{notice_id}/open"))  # the e-mail's link: a button, nothing read
    assert "دیدن پرونده" in opened and "یادآوری: موعد پاسخ این پرونده ۱۴۰۵/۰۲/۲۶ است." in opened
    assert _unread(desk.staff) == [notice_id]
    token = csrf_token(client, "/reminders/")
    response = client.post(f"/reminders/{notice_id}/open", data={"csrf_token": token})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"/reminders/#case-notification-{notice_id}") or case.ref in location
    assert _unread(desk.staff) == [] and menu_count(client) is None

    remind("1405/02/26T10:00")  # nothing new
    case2 = desk.open("assigned")
    remind("1405/02/26T11:00")
    assert menu_count(client) == "۱"
    assert client.post("/reminders/read-all", data={"csrf_token": token}).status_code == 302
    assert _unread(desk.staff) == [] and "یادآوری خوانده شد" in text(client.get("/reminders/"))
    assert case2.ref


def test_a_post_without_the_csrf_token_is_refused(app, client, desk):
    desk.open("assigned")
    remind("1405/02/26T10:00")
    (notice_id,) = _unread(desk.staff)
    login(client, desk.staff)
    assert client.post(f"/reminders/{notice_id}/read").status_code == 400
    assert _unread(desk.staff) == [notice_id]


def _row(page: str, name: str) -> dict[str, str]:
    row = re.search(rf'<tr[^>]*data-row="{name}">(.*?)</tr>', page, re.DOTALL).group(1)
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', row))


def test_open_cases_by_deadline_for_staff_and_for_supervisors(app, client, desk):
    desk.open("assigned")  # assigned to water.staff, long overdue by the real clock
    desk.open("accepted")  # water, unassigned
    desk.open("accepted", agency=desk.b)
    remind("1405/03/20T10:00")  # escalations written for the current deadlines
    login(client, desk.staff)
    page = text(client.get("/reminders/"))
    assert _row(page, "mine") == {"overdue": "۱", "due_today": "۰", "this_week": "۰", "later": "۰",
                                  "escalated": "۱", "open": "۱"}
    assert _row(page, "agency")["overdue"] == "۲" and 'data-row="power"' not in page
    supervisor = app.test_client()
    login(supervisor, desk.supervisor)
    page = text(supervisor.get("/reminders/"))
    assert _row(page, "water")["overdue"] == "۲" and _row(page, "power")["overdue"] == "۱"
    assert _row(page, "province") == {"overdue": "۳", "due_today": "۰", "this_week": "۰", "later": "۰",
                                      "escalated": "۳", "open": "۳"}


def test_the_administrator_sets_when_reminders_go_out(app, client, desk):
    from app.services.case_reminders import reminder_days

    login(client, desk.admin)
    assert 'href="/reminders/settings"' in text(client.get("/reminders/"))
    form = text(client.get("/reminders/settings"))
    assert 'name="days_before"' in form and 'value="۱"' in form and 'value="۲"' in form  # the page's digits
    token = csrf_token(client, "/reminders/settings")
    bad = client.post("/reminders/settings", data={"csrf_token": token, "days_before": "۴۰", "escalate_after": "x"})
    page = text(bad)
    assert "شمار روزها باید از ۰ تا ۳۰ روز کاری باشد." in page and 'value="۴۰"' in page  # what was typed is kept
    assert reminder_days() == {"days_before": 1, "escalate_after": 2}
    good = client.post("/reminders/settings", data={"csrf_token": token, "days_before": "۲", "escalate_after": "3"})
    assert good.status_code == 302
    assert reminder_days() == {"days_before": 2, "escalate_after": 3}
    assert "یادآوری ۲ روز کاری پیش از موعد و ارجاع به ناظران ۳ روز کاری پس از آن." in text(
        client.get("/reminders/settings"))
    manager = app.test_client()
    login(manager, desk.manager)
    assert manager.get("/reminders/settings").status_code == 403
    assert 'href="/reminders/settings"' not in text(manager.get("/reminders/"))
