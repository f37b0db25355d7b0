"""The pages of saved searches and notifications, as a user clicks through them: save a search
from the search page, see new items arrive with a counter in the menu, read them, manage the
saved searches; and another user's rows answer 404."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.alerts import create_saved_search
from models import Notification, Outlet, SavedSearch
from tests.conftest import csrf_token, login
from tests.monitor.test_ingest import cli_import
from tests.services.test_alerts import POWER, ROAD, WATER, write_feed


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def menu_count(client) -> str | None:
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'data-nav-count="alerts.notifications">([^<]+)<', html)
    return found.group(1) if found else None


@pytest.fixture
def user(make_user, login_as):
    u = make_user(role="viewer")
    login_as(u)
    return u


def test_save_a_search_from_the_search_page_and_be_notified(app, client, user, tmp_path):
    db.session.add(Outlet(name="روزنامهٔ محلی", scope="local"))
    db.session.commit()
    search = text(client.get("/search/", query_string={"q": "قطعی آب", "scope": "local"}))
    assert 'id="save-search"' in search and 'action="/alerts/saved/new"' in search
    assert '<input type="hidden" name="scope" value="local">' in search
    token = csrf_token(client, "/search/?q=x")
    response = client.post("/alerts/saved/new", data={"csrf_token": token, "name": "آب محلی", "q": "قطعی آب",
                                                      "scope": "local", "is_alert_on": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/alerts/saved")
    saved = db.session.scalar(select(SavedSearch))
    assert (saved.user_id, saved.query, saved.filters, saved.is_alert_on) == (user.id, "قطعی آب", {"scope": "local"}, True)
    assert menu_count(client) is None

    cli_import(app, write_feed(tmp_path, "local", WATER, POWER), outlet="روزنامهٔ محلی")
    cli_import(app, write_feed(tmp_path, "national", ("w9", "https://t.example.ir/w9", "قطعی آب روستا", "")))
    assert menu_count(client) == "۱"
    page = text(client.get("/alerts/"))
    assert "قطعی آب در محلهٔ شمالی" in page and "قطعی آب روستا" not in page  # a national outlet
    assert page.count('class="list-group-item notification list-group-item-warning unread"') == 1
    assert "جست‌وجوی «<bdi>آب محلی</bdi>»" in page

    notification = db.session.scalar(select(Notification))
    assert f'formaction="/alerts/{notification.id}/open"' in page  # the title opens it by POST
    token = csrf_token(client, "/alerts/")
    opened = client.post(f"/alerts/{notification.id}/open", data={"csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/items/{notification.item_id}")
    assert menu_count(client) is None
    page = text(client.get("/alerts/"))
    assert "unread" not in re.sub(r"unread=1", "", page.split('id="notifications"')[1])


def test_a_query_with_a_syntax_error_is_shown_next_to_the_field_and_kept(client, user):
    token = csrf_token(client, "/alerts/saved/new")
    response = client.post("/alerts/saved/new", data={"csrf_token": token, "name": "ناقص", "q": 'قطعی "آب شرب'})
    assert response.status_code == 400  # as every refused form (it was 200)
    page = text(response)
    assert "جست‌وجو ذخیره نشد" in page and "گیومه‌ای که در نویسهٔ ۶ آمده جفت ندارد" in page
    assert 'value="قطعی &#34;آب شرب"' in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.scalar(select(SavedSearch)) is None


def test_a_query_with_nothing_to_look_for_is_said_as_a_search_not_a_rule(client, user):
    """A review of the forms: «-» or «""» was refused as «قاعده خالی است» (a routing rule's words)."""
    token = csrf_token(client, "/alerts/saved/new")
    response = client.post("/alerts/saved/new", data={"csrf_token": token, "name": "تهی", "q": '""'})
    page = text(response)
    assert response.status_code == 400 and "واژه‌ای برای یافتن نمانده است" in page and "قاعده خالی" not in page
    assert db.session.scalar(select(SavedSearch)) is None


def test_mark_read_and_mark_all_read(app, client, user, tmp_path):
    create_saved_search(user, "همه", "قطعی یا خاموشی یا جاده")
    cli_import(app, write_feed(tmp_path, "one", WATER, POWER, ROAD))
    assert menu_count(client) == "۳"
    first = db.session.scalar(select(Notification).order_by(Notification.id))
    token = csrf_token(client, "/alerts/")
    assert client.post(f"/alerts/{first.id}/read", data={"csrf_token": token}).status_code == 302
    assert menu_count(client) == "۲"
    unread_page = text(client.get("/alerts/?unread=1"))
    assert "قطعی آب در محلهٔ شمالی" not in unread_page and "بازگشایی جاده" in unread_page
    response = client.post("/alerts/read-all", data={"csrf_token": token}, follow_redirects=True)
    assert "۲ اعلان خوانده شد" in text(response)
    assert menu_count(client) is None


def test_the_saved_search_list_rename_toggle_run_delete(app, client, user, tmp_path):
    saved = create_saved_search(user, "آب", "قطعی آب", {"sort": "relevance"})
    cli_import(app, write_feed(tmp_path, "one", WATER))
    page = text(client.get("/alerts/saved"))
    assert "آب" in page and "قطعی آب" in page and "روشن" in page
    token = csrf_token(client, "/alerts/saved")

    response = client.post(f"/alerts/saved/{saved.id}", data={"csrf_token": token, "name": "آب شرب", "q": "قطعی آب",
                                                             "is_alert_on": "y"})
    assert response.status_code == 302
    assert client.post(f"/alerts/saved/{saved.id}/alert", data={"csrf_token": token, "on": "0"}).status_code == 302
    db.session.expire_all()
    saved = db.session.get(SavedSearch, saved.id)
    assert saved.name == "آب شرب" and not saved.is_alert_on
    assert "خاموش" in text(client.get("/alerts/saved"))

    run = client.post(f"/alerts/saved/{saved.id}/run", data={"csrf_token": token})
    assert run.status_code == 302 and "/search/?" in run.headers["Location"] and "sort=relevance" in run.headers["Location"]  # its saved order
    db.session.expire_all()
    assert db.session.get(SavedSearch, saved.id).last_seen_at is not None

    assert client.post(f"/alerts/saved/{saved.id}/delete", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(select(SavedSearch)) is None and db.session.scalar(select(Notification)) is None
    assert "هنوز جست‌وجویی ذخیره نکرده‌اید" in text(client.get("/alerts/saved"))


def test_another_users_saved_searches_and_notifications_are_404(app, make_user, tmp_path):
    owner = make_user(role="staff")
    saved = create_saved_search(owner, "جست‌وجوی خصوصی مالک", "قطعی آب")
    cli_import(app, write_feed(tmp_path, "one", WATER))
    notification = db.session.scalar(select(Notification))
    for role in ("staff", "admin"):
        other = make_user(role=role)
        client = app.test_client()
        login(client, other)
        token = csrf_token(client, "/alerts/")
        for url in (f"/alerts/saved/{saved.id}", f"/alerts/{notification.id}/open"):
            assert client.get(url).status_code == 404, (role, url)
        for url in (f"/alerts/saved/{saved.id}", f"/alerts/saved/{saved.id}/alert", f"/alerts/saved/{saved.id}/delete",
                    f"/alerts/saved/{saved.id}/run", f"/alerts/{notification.id}/read",
                    f"/alerts/{notification.id}/open"):
            assert client.post(url, data={"csrf_token": token, "name": "x", "q": "y"}).status_code == 404, (role, url)
        assert "جست‌وجوی خصوصی مالک" not in text(client.get("/alerts/saved"))
        assert "قطعی آب در محلهٔ شمالی" not in text(client.get("/alerts/"))
        assert menu_count(client) is None
        client.post("/alerts/read-all", data={"csrf_token": token})
    db.session.expire_all()
    saved = db.session.get(SavedSearch, saved.id)
    assert saved.name == "جست‌وجوی خصوصی مالک" and saved.is_alert_on
    assert db.session.get(Notification, notification.id).read_at is None


def test_a_saved_searchs_words_read_right_to_left(client, user):
    """As a rule's words: «"IRNA" یا ایرنا -تهران» took the direction of its first letter (left to right)."""
    create_saved_search(user, "ایرنا", '"IRNA" یا ایرنا -تهران')
    assert '<bdi class="saved-query" dir="rtl">&#34;IRNA&#34; یا ایرنا -تهران</bdi>' in client.get("/alerts/saved").get_data(as_text=True)
