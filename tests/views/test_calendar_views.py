"""The working-day calendar pages: admins edit holidays and rest days; nobody else gets in."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.jalali import jalali_today
from app.jalali import parse_jalali_date as J
from app.services.lunar_holidays import COMING_YEAR_FROM_MONTH, propose_lunar_year
from app.services.settings import get_setting
from models import AuditEntry, Holiday, Setting
from tests.conftest import csrf_token, login

NEW = "/admin/calendar/holidays/new"
PROPOSE = "/admin/calendar/lunar/propose"
CONFIRM_YEAR = "/admin/calendar/lunar/confirm"


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
    assert 'value="۱۴۰۴/۱۲/۳۰"' in html and 'value="آزمایش"' in html
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


def test_each_delete_button_asks_first_and_a_statutory_holiday_says_it_is_one(client, admin):
    """One click removed Nowruz from the deadlines (the shell asks for --statutory): the page asks before it sends."""
    html = client.get("/admin/calendar/?year=1405").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/admin/calendar/holidays/\d+/delete"[^>]*>', html)
    assert forms and all("data-confirm=" in form for form in forms)
    nowruz = _holiday(J("1405/01/01"))
    form = next(f for f in forms if f'/holidays/{nowruz.id}/delete' in f)
    assert "تعطیلی رسمی ثابت" in form and "نوروز" in form


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
    assert "مهر ۳۰ روز دارد" in html and 'value="۱۴۰۵/۰۷/۳۱"' in html


def test_deadline_calculator_explains_itself_in_english_digits_on_an_english_page(client, admin):
    """It said «۱۲ working days after ۱۴۰۵/۰۹/۰۱ …» in Persian digits on the English page (session 42's walk)."""
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/admin/calendar/deadline"), "next": "/"})
    html = client.get("/admin/calendar/deadline?start=1405/09/01&days=12").get_data(as_text=True)
    assert "12 working days after 1405/09/01" in html and "۱۴۰۵" not in html
    # each skipped day's reason too: «weekly rest day ,جمعه» (a Persian weekday, laid out right to
    # left by its first word; the review of session 42's pages)
    assert "<bdi>Friday, weekly rest day</bdi>" in html and "جمعه" not in html


@pytest.mark.parametrize("role", ["supervisor", "manager", "staff", "viewer"])
def test_other_roles_get_403(client, make_user, login_as, role):
    propose_lunar_year(1404, actor=make_user(role="admin"))
    tasua = _holiday(J("1404/04/13"))
    login_as(make_user(role=role))
    for path in ("/admin/calendar/", NEW, "/admin/calendar/rest-days", "/admin/calendar/deadline",
                 f"/admin/calendar/holidays/{tasua.id}/edit"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/")
    response = client.post(NEW, data={"day": "1405/04/25", "name": "x", "csrf_token": token})
    assert response.status_code == 403
    assert _holiday(J("1405/04/25")) is None
    for path, data in ((PROPOSE, {"year": "1405"}), (CONFIRM_YEAR, {"year": "1404"}),
                       (f"/admin/calendar/holidays/{tasua.id}/confirm", {}),
                       (f"/admin/calendar/holidays/{tasua.id}/edit", {"day": "1404/04/12", "name": "x"})):
        assert client.post(path, data={**data, "csrf_token": token}).status_code == 403, path
    db.session.expire_all()
    assert _holiday(J("1404/04/13")).status == "proposed"
    assert db.session.scalar(select(Holiday).where(Holiday.day >= J("1405/01/01"), Holiday.kind == "lunar")) is None
    assert "lunar-warning" not in client.get("/").get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/calendar/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- lunar holidays: propose, confirm, move, delete; the warning ----------------------------------


def test_admin_proposes_a_year_from_the_page_and_twice_adds_nothing(client, admin):
    html = client.get("/admin/calendar/?year=1404").get_data(as_text=True)
    assert "هنوز پیشنهاد نشده‌اند." in html and "پیشنهاد تعطیلی‌های قمری سال ۱۴۰۴" in html
    token = csrf_token(client, "/admin/calendar/?year=1404")
    response = client.post(PROPOSE, data={"year": "1404", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("year=1404")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "۱۷ تعطیلی قمری سال ۱۴۰۴ پیشنهاد شد" in page
    assert "۱۷ روز در انتظار تأیید است." in page
    row = re.search(r'<tr class="table-warning">.*?۱۴۰۴/۰۴/۱۴.*?</tr>', page, re.DOTALL).group(0)
    assert "<bdi>عاشورای حسینی</bdi>" in row and "۱۰ محرم ۱۴۴۷" in row and "در انتظار تأیید" in row
    assert "قمری" in row
    response = client.post(PROPOSE, data={"year": "۱۴۰۴", "csrf_token": token})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "تعطیلی قمری تازه‌ای برای سال ۱۴۰۴ نماند" in page
    assert db.session.scalar(select(db.func.count()).select_from(Holiday).where(Holiday.kind == "lunar")) == 17


@pytest.mark.parametrize("typed, message", [
    ("1200", "تعطیلی‌های قمری را برای سال‌های ۱۳۰۴ تا ۱۴۵۵ می‌توان پیشنهاد داد (نوشته‌شده: ۱۲۰۰)"),
    ("abc", "سال باید عدد باشد، مانند ۱۴۰۶ (نوشته‌شده: «abc»)"),
])
def test_a_bad_year_is_refused_with_a_persian_message(client, admin, typed, message):
    token = csrf_token(client, "/admin/calendar/")
    response = client.post(PROPOSE, data={"year": typed, "csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    response = client.post(CONFIRM_YEAR, data={"year": typed, "csrf_token": token}, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Holiday).where(Holiday.kind == "lunar")) is None


def test_confirm_one_then_the_rest_of_the_year(client, admin):
    propose_lunar_year(1404, actor=admin)
    ghadir = _holiday(J("1404/03/24"))
    token = csrf_token(client, "/admin/calendar/?year=1404")
    response = client.post(f"/admin/calendar/holidays/{ghadir.id}/confirm", data={"csrf_token": token})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "تعطیلی «عید سعید غدیر خم» در ۱۴۰۴/۰۳/۲۴ تأیید شد." in page and "۱۶ روز در انتظار تأیید است." in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.confirmed"))
    assert entry.actor_id == admin.id and entry.object_id == ghadir.id
    response = client.post(CONFIRM_YEAR, data={"year": "1404", "csrf_token": token})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "۱۶ تعطیلی قمری سال ۱۴۰۴ تأیید شد." in page and "همه تأیید شده‌اند." in page
    assert "table-warning" not in page
    assert db.session.scalar(select(AuditEntry.actor_id).where(AuditEntry.action == "holiday.year_confirmed")) == admin.id


def test_move_a_proposal_by_a_day_from_the_edit_page(client, admin):
    propose_lunar_year(1404, actor=admin)
    ashura = _holiday(J("1404/04/14"))
    url = f"/admin/calendar/holidays/{ashura.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'value="۱۴۰۴/۰۴/۱۴"' in html and "روز قمری: ۱۰ محرم ۱۴۴۷" in html
    later = re.search(r'<form method="post">(?:(?!</form>).)*یک روز دیرتر(?:(?!</form>).)*</form>', html, re.DOTALL).group(0)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', later))
    assert fields["day"] == "۱۴۰۴/۰۴/۱۵" and fields["name"] == "عاشورای حسینی"
    response = client.post(url, data=fields)  # the «a day later» button
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "از ۱۴۰۴/۰۴/۱۴ به ۱۴۰۴/۰۴/۱۵ برده و تأیید شد" in page
    db.session.expire_all()
    moved = _holiday(J("1404/04/15"))
    assert moved.id == ashura.id and moved.status == "confirmed" and _holiday(J("1404/04/14")) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.changed"))
    assert entry.details["from_jalali"] == "1404/04/14" and entry.actor_id == admin.id


def test_moving_onto_an_existing_holiday_is_refused_next_to_the_field(client, admin):
    propose_lunar_year(1404, actor=admin)
    tasua = _holiday(J("1404/04/13"))
    url = f"/admin/calendar/holidays/{tasua.id}/edit"
    token = csrf_token(client, url)
    response = client.post(url, data={"day": "1404/04/14", "name": "تاسوعای حسینی", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "روز ۱۴۰۴/۰۴/۱۴ از پیش تعطیل ثبت شده است (عاشورای حسینی)" in html
    assert 'value="۱۴۰۴/۰۴/۱۴"' in html and "is-invalid" in html
    response = client.post(url, data={"day": "1404/13/01", "name": "تاسوعای حسینی", "csrf_token": token})
    assert response.status_code == 400 and "ماه باید از ۱ تا ۱۲ باشد" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _holiday(J("1404/04/13")).status == "proposed"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.changed")) is None


def test_the_warning_on_the_calendar_page_and_the_admin_dashboard(app, client, admin, make_user):
    today = jalali_today()
    expected = [today.year] + ([today.year + 1] if today.month >= COMING_YEAR_FROM_MONTH else [])
    for path in ("/", "/admin/calendar/"):
        html = client.get(path).get_data(as_text=True)
        warning = re.search(r'<div class="alert alert-warning" role="alert" id="lunar-warning">.*?</div>', html, re.DOTALL)
        assert warning, path
        for year in expected:
            fa = str(year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
            assert f"تعطیلی‌های قمری سال {fa} هنوز پیشنهاد نشده‌اند" in warning.group(0), path
            assert f'href="/admin/calendar/?year={year}"' in warning.group(0)
    for year in expected:
        propose_lunar_year(year, actor=admin)
    assert "در انتظار تأیید است؛ روز رسمی ممکن است یک روز فرق کند" in client.get("/").get_data(as_text=True)
    assert "تعطیلی قمری پیشِ روی سال" in client.get("/").get_data(as_text=True)  # the days ahead, not the year's
    token = csrf_token(client, "/admin/calendar/")
    for year in expected:
        client.post(CONFIRM_YEAR, data={"year": str(year), "csrf_token": token})
    assert "lunar-warning" not in client.get("/").get_data(as_text=True)
    db.session.execute(delete(Holiday).where(Holiday.kind == "lunar"))
    db.session.execute(delete(Setting).where(Setting.key == "calendar.lunar_proposed"))
    db.session.commit()
    assert "lunar-warning" in client.get("/").get_data(as_text=True)
    supervisor = app.test_client()
    login(supervisor, make_user(role="supervisor"))
    assert "lunar-warning" not in supervisor.get("/").get_data(as_text=True)  # an admin's to act on
