"""The working-day calendar pages: admins edit holidays and rest days; nobody else gets in."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services.settings import get_setting
from models import AuditEntry, Holiday
from tests.conftest import csrf_token

NEW = "/admin/calendar/holidays/new"


@pytest.fixture
def admin(make_user, login_as):
    user = make_user(role="admin")
    login_as(user)
    return user


def _holiday(day):
    return db.session.scalar(select(Holiday).where(Holiday.day == day))


def test_year_page_lists_the_seeded_holidays_in_jalali(client, admin):
    html = client.get("/admin/calendar/?year=1406").get_data(as_text=True)
    assert "تعطیلی‌های سال ۱۴۰۶" in html
    assert "۱۴۰۶/۰۱/۰۱" in html and "نوروز" in html and "۱۴۰۶/۱۱/۲۲" in html
    assert "۱۴۰۵/۰۱/۰۱" not in html
    assert 'href="/admin/calendar/?year=1405"' in html and 'href="/admin/calendar/?year=1407"' in html
    assert client.get("/admin/calendar/?year=2027").status_code == 404


def test_admin_adds_a_holiday_through_the_form(client, admin):
    token = csrf_token(client, NEW)
    response = client.post(NEW, data={"day": "۱۴۰۵/۰۴/۲۵", "name": "عاشورای حسینی", "csrf_token": token})
    assert response.status_code == 302
    holiday = _holiday(J("1405/04/25"))
    assert holiday.name == "عاشورای حسینی" and not holiday.is_fixed_solar
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.added"))
    assert entry.actor_id == admin.id and entry.object_id == holiday.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<bdi>عاشورای حسینی</bdi>" in page and "۱۴۰۵/۰۴/۲۵" in page


def test_bad_date_shows_the_persian_reason_and_keeps_what_was_typed(client, admin):
    token = csrf_token(client, NEW)
    response = client.post(NEW, data={"day": "1404/12/30", "name": "آزمایش", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "اسفند سال ۱۴۰۴ فقط ۲۹ روز دارد، چون ۱۴۰۴ سال کبیسه نیست" in html
    assert 'value="1404/12/30"' in html and 'value="آزمایش"' in html
    assert "is-invalid" in html and "invalid-feedback" in html
    response = client.post(NEW, data={"day": "1405/13/01", "name": "آزمایش", "csrf_token": token})
    assert "ماه باید از ۱ تا ۱۲ باشد" in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.added")) is None


def test_a_day_that_is_already_a_holiday_is_refused_next_to_the_field(client, admin):
    token = csrf_token(client, NEW)
    response = client.post(NEW, data={"day": "1405/01/13", "name": "دوباره", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "۱۴۰۵/۰۱/۱۳ از پیش تعطیل ثبت شده است (روز طبیعت)" in html
    assert _holiday(J("1405/01/13")).name == "روز طبیعت"


def test_delete_needs_the_csrf_token(client, admin):
    holiday = _holiday(J("1405/11/22"))
    url = f"/admin/calendar/holidays/{holiday.id}/delete"
    assert client.post(url).status_code == 400
    assert _holiday(J("1405/11/22")) is not None
    response = client.post(url, data={"csrf_token": csrf_token(client, "/admin/calendar/?year=1405")})
    assert response.status_code == 302 and response.headers["Location"].endswith("year=1405")
    db.session.expire_all()
    assert _holiday(J("1405/11/22")) is None
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "holiday.removed"))


def test_rest_days_form(client, admin):
    html = client.get("/admin/calendar/rest-days").get_data(as_text=True)
    labels = re.findall(r'<label[^>]*for="days-\d"[^>]*>([^<]+)</label>', html)
    assert labels == ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"]
    assert re.search(r'<input[^>]*checked[^>]*value="4"|<input[^>]*value="4"[^>]*checked', html)
    token = csrf_token(client, "/admin/calendar/rest-days")
    response = client.post("/admin/calendar/rest-days", data={"days": ["3", "4"], "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_setting("calendar.rest_days") == [3, 4]
    assert "پنجشنبه، جمعه" in client.get("/admin/calendar/").get_data(as_text=True)
    response = client.post("/admin/calendar/rest-days",
                           data={"days": [str(d) for d in range(7)], "csrf_token": token})
    assert response.status_code == 400
    assert "دست‌کم یک روز هفته باید کاری باشد" in response.get_data(as_text=True)


def test_deadline_calculator_explains_itself(client, admin):
    html = client.get("/admin/calendar/deadline?start=۱۴۰۵/۱۲/۲۵&days=۵").get_data(as_text=True)
    assert "۸ فروردین ۱۴۰۶" in html
    assert "ملی شدن صنعت نفت، نوروز" in html and "۱۴۰۶/۰۱/۰۴" in html
    html = client.get("/admin/calendar/deadline?start=1405/02/31&days=5").get_data(as_text=True)
    assert "اردیبهشت ۳۱ روز دارد" not in html  # 31 Ordibehesht exists
    html = client.get("/admin/calendar/deadline?start=1405/07/31&days=5").get_data(as_text=True)
    assert "مهر ۳۰ روز دارد" in html and 'value="1405/07/31"' in html


@pytest.mark.parametrize("role", ["supervisor", "manager", "staff", "viewer"])
def test_other_roles_get_403(client, make_user, login_as, role):
    login_as(make_user(role=role))
    for path in ("/admin/calendar/", NEW, "/admin/calendar/rest-days", "/admin/calendar/deadline"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/")
    response = client.post(NEW, data={"day": "1405/04/25", "name": "x", "csrf_token": token})
    assert response.status_code == 403
    assert _holiday(J("1405/04/25")) is None


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/calendar/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
