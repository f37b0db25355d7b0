"""The scorecard pages: the governorate sees every agency ranked and drills from a figure to the
records behind it; an agency's user sees their own agency's scorecard only (another's is a 404);
the rules page checks what is typed and audits the change."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from models import AuditEntry
from tests.conftest import csrf_token, login
from tests.services import scorecard_fixtures

sworld = scorecard_fixtures.sworld


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _users(make_user, w):
    return {"supervisor": make_user(role="supervisor"), "admin": make_user(role="admin"),
            "manager": make_user(role="manager", agency=w.water), "staff": make_user(role="staff", agency=w.water),
            "viewer": make_user(role="viewer", agency=w.water), "power": make_user(role="manager", agency=w.power)}


def first_day() -> str:
    """The first day a record may carry, as the pages write it (it moves with the year)."""
    from app.jalali import format_jalali_date
    from app.services.record_days import earliest_recorded_day

    return format_jalali_date(earliest_recorded_day())


def test_the_governorate_sees_every_agency_ranked(client, sworld, make_user):
    login(client, _users(make_user, sworld)["supervisor"])
    html = client.get("/scorecard/?period=1403-12").get_data(as_text=True)
    assert re.findall(r'data-agency="(\w+)"', html) == ["water", "power"]  # by score
    assert "اسفند ۱۴۰۳" in html and ("۳۵٫۷" in html or "۳۵.۷" in html)
    season = client.get("/scorecard/?period=۱۴۰۳-S4").get_data(as_text=True)
    assert "زمستان ۱۴۰۳" in season
    bad = client.get("/scorecard/?period=1403-13").get_data(as_text=True)
    assert "دوره «1403-13» خوانده نشد" in bad  # and the current month is shown instead
    # a period not yet begun is said, as `report scorecard` says it (it ranked days not yet lived)
    for path in ("/scorecard/?period=1499-01", "/scorecard/water?period=1499"):
        later = client.get(path).get_data(as_text=True)
        assert "هنوز آغاز نشده است" in later, path


def test_an_agency_page_drills_to_the_records(client, sworld, make_user):
    login(client, _users(make_user, sworld)["supervisor"])
    html = client.get("/scorecard/water?period=1403-12").get_data(as_text=True)
    assert html.count('class="scorecard-clause"') == 14
    clause12 = html[html.index('id="clause-12"'):html.index('id="clause-13"')]
    assert 'data-status="partly"' in clause12
    assert 'href="#records-12-opened"' in clause12  # a past month: the records listed on the page
    section = html[html.index('id="records-12-opened"'):]
    section = section[:section.index("</section>")]
    assert [ref for ref in re.findall(r'href="/cases/([\d-]+)"', section)] == ["1403-000002", "1403-000004",
                                                                                "1403-000001"]
    clause9 = html[html.index('id="clause-9"'):html.index('id="clause-10"')]
    assert "/conferences/?agency=water&amp;status=held&amp;date_from=1403/12/01&amp;date_to=1403/12/30" in clause9
    clause11 = html[html.index('id="clause-11"'):html.index('id="clause-12"')]
    assert "/contacts/?agency=water&amp;date_from=1403/12/01&amp;date_to=1403/12/30" in clause11
    clause7 = html[html.index('id="clause-7"'):html.index('id="clause-8"')]
    assert 'href="/evidence/?agency=water#clause-7"' in clause7 and 'data-status="met"' in clause7
    evidence = html[html.index('id="records-7-records"'):]
    assert "دورهٔ خبرنویسی" in evidence[:evidence.index("</section>")]  # E2, by its note
    clause10 = html[html.index('id="clause-10"'):html.index('id="clause-11"')]
    assert 'href="/portals/"' in clause10


def test_overdue_count_of_the_running_period_links_to_the_overdue_cases(app, client, sworld, make_user):
    """In the month that runs today, clause 12's overdue count leads to the case list filtered to the
    agency's overdue cases, and that list shows exactly them."""
    users = _users(make_user, sworld)
    login(client, users["supervisor"])
    html = client.get("/scorecard/water").get_data(as_text=True)  # the current month
    clause12 = html[html.index('id="clause-12"'):html.index('id="clause-13"')]
    overdue = re.search(r'data-figure="overdue">[^<]*<a href="([^"]+)"[^>]*>([^<]+)</a>', clause12)
    assert overdue.group(2).strip() == "۱"  # C4, past its deadline since 1404
    url = overdue.group(1).replace("&amp;", "&")
    assert url == "/cases/all?agency=water&status=open&overdue=y"
    listed = client.get(url).get_data(as_text=True)
    assert "1403-000004" in listed and "1403-000007" not in listed  # power's overdue case is not water's
    html = as_user(app, users["manager"]).get("/scorecard/water").get_data(as_text=True)
    assert 'href="/cases/agency?status=open&amp;overdue=y"' in html


def test_a_manager_sees_only_their_own_scorecard(app, sworld, make_user):
    users = _users(make_user, sworld)
    for role in ("manager", "staff", "viewer"):
        client = as_user(app, users[role])
        response = client.get("/scorecard/?period=1403-12")
        assert response.status_code == 302 and response.headers["Location"].endswith("/scorecard/water?period=1403-12")
        assert client.get("/scorecard/water?period=1403-12").status_code == 200
        other = client.get("/scorecard/power?period=1403-12")
        assert other.status_code == 404 and "توزیع برق" not in other.get_data(as_text=True)
        assert client.get("/scorecard/rules").status_code == 403
    client = as_user(app, users["power"])
    assert client.get("/scorecard/water").status_code == 404
    assert client.get("/scorecard/power").status_code == 200
    client = as_user(app, users["supervisor"])
    assert client.get("/scorecard/power").status_code == 200 and client.get("/scorecard/water").status_code == 200
    assert client.get("/scorecard/nope").status_code == 404


def test_rules_page_keeps_what_was_typed_and_audits(client, sworld, make_user):
    admin = _users(make_user, sworld)["admin"]
    login(client, admin)
    page = client.get("/scorecard/rules").get_data(as_text=True)
    assert 'name="c12_met_pct"' in page and 'value="۸۰"' in page  # Persian digits, as typed back
    token = csrf_token(client, "/scorecard/rules")
    fields = dict(re.findall(r'name="(c\d+_\w+)"[^>]*value="(\d+)"', page))
    assert len(fields) == 16
    bad = client.post("/scorecard/rules", data={**fields, "csrf_token": token, "c12_met_pct": "۱۲۰"})
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "باید عددی درست از ۰ تا ۱۰۰ باشد" in body and 'value="۱۲۰"' in body
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "scorecard.rules_changed")) is None
    good = client.post("/scorecard/rules", data={**fields, "csrf_token": token, "c11_met_min": "۲"})
    assert good.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "scorecard.rules_changed"))
    assert entry is not None and entry.details["changes"] == {"c11_met_min": [3, 2]}


def test_a_rules_message_has_the_readers_digits_and_keeps_what_was_typed(client, sworld, make_user):
    login(client, _users(make_user, sworld)["admin"])
    page = client.get("/scorecard/rules").get_data(as_text=True)
    token = csrf_token(client, "/scorecard/rules")
    fields = dict(re.findall(r'name="(c\d+_\w+)"[^>]*value="(\d+)"', page))
    body = client.post("/scorecard/rules", data={**fields, "csrf_token": token, "c12_met_pct": "120"}
                       ).get_data(as_text=True)
    assert "باید عددی درست از ۰ تا ۱۰۰ باشد (نوشته‌شده: 120)" in body  # typed ASCII digits stay ASCII
    body = client.post("/scorecard/rules", data={**fields, "csrf_token": token, "c13_met_min": "۱۲۰"}
                       ).get_data(as_text=True)
    assert "«بند ۱۳: شمار مدرک برای «انجام‌شده»» باید عددی درست از ۱ تا ۱۰۰ باشد (نوشته‌شده: ۱۲۰)" in body
    client.post("/language/en", data={"csrf_token": token, "next": "/scorecard/rules"})
    body = client.post("/scorecard/rules", data={**fields, "csrf_token": token, "c13_met_min": "۱۲۰"}
                       ).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in body
    assert "Clause 13: records needed" in body and "from 1 to 100" in body and "۱۲۰" in body
    assert "۱۰۰" not in body and "۱۳" not in body


def test_the_demo_fills_the_scorecard(app, make_user):
    """`seed-demo` (what `make run` shows): this month's scorecard counts the demo's conferences,
    contacts and cases; seeding again adds nothing."""
    from app.services.demo import seed_demo

    seed_demo()
    assert seed_demo()["conferences"]["scorecard"] == {"targets": 0, "held": 0}
    client = as_user(app, make_user(role="supervisor"))
    html = client.get("/scorecard/").get_data(as_text=True)
    assert re.findall(r'data-agency="(\w+)"', html)[:2] in (["water", "power"], ["power", "water"])
    water = client.get("/scorecard/water").get_data(as_text=True)
    clause9 = water[water.index('id="clause-9"'):water.index('id="clause-10"')]
    assert 'data-status="met"' in clause9  # 1 a month, held this month
    clause12 = water[water.index('id="clause-12"'):water.index('id="clause-13"')]
    assert 'data-status="no_data"' not in clause12 and "/cases/all?agency=water&amp;status=open&amp;overdue=y" in clause12


def test_a_portal_change_behind_clause_10_is_named_by_its_day_and_text(client, sworld, make_user):
    """The records of clause 10 list each change seen on the portal page by the day it was seen and
    the start of its text, not by a bare row number in Latin digits («47»)."""
    from models import PortalChange

    change = PortalChange(agency_id=sworld.water.id, url="https://water.example.ir/", changed_at=scorecard_fixtures.at(
        "1403/12/12"), content_hash="c1", excerpt="اطلاعیهٔ قطعی آب محلهٔ باغ‌شاد")
    db.session.add(change)
    db.session.commit()
    login(client, _users(make_user, sworld)["supervisor"])
    html = client.get("/scorecard/water?period=1403-12").get_data(as_text=True)
    section = html[html.index('id="records-10-portal_changes"'):]
    section = section[:section.index("</section>")]
    assert "۱۴۰۳/۱۲/۱۲" in section and "اطلاعیهٔ قطعی آب محلهٔ باغ‌شاد" in section
    assert f"<bdi>{change.id}</bdi>" not in section


def test_the_period_is_named_in_the_readers_language(client, sworld, make_user):
    """In English the scorecard's period read «اسفند ۱۴۰۳» (Persian month, Persian digits) in its
    title and picker; the Persian page keeps it."""
    login(client, _users(make_user, sworld)["supervisor"])
    assert "اسفند ۱۴۰۳" in client.get("/scorecard/water?period=1403-12").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/scorecard/"), "next": "/scorecard/"})
    for path in ("/scorecard/?period=1403-12", "/scorecard/water?period=1403-12"):
        html = client.get(path).get_data(as_text=True)
        assert "Esfand 1403" in html and "اسفند ۱۴۰۳" not in html, path
        assert "٪" not in html and "،" not in html, path  # the Persian percent sign and comma
    assert re.search(r'class="fw-bold">\d+(\.\d+)?%<', html)  # clause 12's share answered on time
    evidence = html[html.index('id="records-7-records"'):]
    assert "1403/12/15 — " in evidence[:evidence.index("</section>")]  # E2's day, as the reader writes digits
    assert "Winter 1403" in client.get("/scorecard/?period=1403-S4").get_data(as_text=True)


def test_a_period_before_the_installations_first_day_is_said_not_ranked(client, sworld, make_user):
    """«1305» for «1405» ranked every agency «not met» on the page, while `report scorecard` refuses
    it (session 40's note): said in Persian under the picker, naming the first day, and the current
    month shown instead, on the province page and an agency's."""
    login(client, _users(make_user, sworld)["supervisor"])
    for path in ("/scorecard/?period=1305", "/scorecard/water?period=1305-09", "/scorecard/?period=۱۳۹۹-S4"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert first_day() in html and "سال را درست" in html, path
        assert "invalid-feedback" in html, path
    assert "سال را درست" not in client.get("/scorecard/?period=1400-01").get_data(as_text=True)
