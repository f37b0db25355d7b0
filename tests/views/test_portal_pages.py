"""The portal-freshness page: supervisors see every agency stalest first with the monthly history
(Jalali months, Persian digits); an agency's user sees only their own; the governorate changes
the number of days, a bad number is said in Persian and nothing changes."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app import clock
from app.jalali import format_jalali_month, to_jalali
from app.services.portal_freshness import stale_days
from search_index.persian import to_persian_digits
from tests.conftest import csrf_token, login
from tests.services.portal_fixtures import (
    page_change,
    page_watch,
    portal_feed,
    portal_item,
)


@pytest.fixture
def world(app, make_agency, make_user):
    fresh = make_agency(slug="fresh", name_fa="سازمان تازه", portal_url="https://fresh.example.ir/")
    stale = make_agency(slug="stale", name_fa="سازمان کهنه", portal_url="https://stale.example.ir/")
    make_agency(slug="none", name_fa="سازمان بی‌درگاه")
    feed = portal_feed(fresh, created="1404/01/01")
    yesterday = to_jalali(clock.local_today() - timedelta(days=1))
    portal_item(feed, f"{yesterday.year}/{yesterday.month}/{yesterday.day} 10:00")
    page_watch(stale, "1404/01/01 10:00")
    page_change(stale, "1404/06/01 10:00")
    return fresh, stale, make_user("supervisor"), make_user("manager", fresh), make_user("staff", stale)


def test_supervisors_see_every_portal_stalest_first(app, client, world):
    supervisor = world[2]
    login(client, supervisor)
    html = client.get("/portals/").get_data(as_text=True)
    assert html.index('data-agency="stale"') < html.index('data-agency="fresh"') < html.index('data-agency="none"')
    assert "کهنه" in html and "به‌روز" in html and "بی‌داده" in html
    this_month = to_jalali(clock.local_today())
    assert format_jalali_month(this_month.year, this_month.month) in html  # Persian month and digits
    history = html.split('id="portal-history"')[1]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", history.split('data-agency="fresh"')[1].split("</tr>")[0])
    yesterday = to_jalali(clock.local_today() - timedelta(days=1))
    expected = ["۰"] * 12
    expected[-1 if (yesterday.year, yesterday.month) == (this_month.year, this_month.month) else -2] = "۱"
    assert cells == expected  # twelve Jalali months, Persian digits, yesterday's item in its month
    assert 'data-agency="none"' not in history  # an unwatched portal has no history row
    # the stale are counted among the portals watched, the others said apart (a newcomer's walk:
    # «2 of 20 stale» counted agencies without a portal)
    summary = html.split('id="portal-summary">')[1].split("</p>")[0]
    watched = html.count('<span class="text-success">') + html.count('<strong class="text-danger">')
    assert f"از {to_persian_digits(watched)} کهنه" in summary and "داده‌ای از درگاه خود ندارد" in summary


def test_an_agency_user_sees_only_their_own(app, client, world):
    manager = world[3]
    login(client, manager)
    html = client.get("/portals/").get_data(as_text=True)
    assert 'data-agency="fresh"' in html and 'data-agency="stale"' not in html and 'data-agency="none"' not in html
    assert 'id="portal-setting"' not in html
    token = csrf_token(client, "/portals/")
    assert client.post("/portals/settings", data={"csrf_token": token, "days": "3"}).status_code == 403
    assert stale_days() == 7


def test_the_governorate_sets_the_days_and_a_bad_number_is_said(app, client, world):
    _f, _s, supervisor, *_ = world
    login(client, supervisor)
    token = csrf_token(client, "/portals/")
    response = client.post("/portals/settings", data={"csrf_token": token, "days": "هفت"}, follow_redirects=True)
    assert "شمار روزها باید عددی از ۱ تا ۳۶۵ باشد" in response.get_data(as_text=True) and stale_days() == 7
    response = client.post("/portals/settings", data={"csrf_token": token, "days": "۱۴"}, follow_redirects=True)
    assert stale_days() == 14 and "۱۴" in response.get_data(as_text=True)


def test_the_days_message_has_the_readers_digits_and_keeps_what_was_typed(app, client, world):
    _f, _s, supervisor, *_ = world
    login(client, supervisor)
    token = csrf_token(client, "/portals/")
    html = client.post("/portals/settings", data={"csrf_token": token, "days": "40 روز"},
                       follow_redirects=True).get_data(as_text=True)
    assert "باید عددی از ۱ تا ۳۶۵ باشد (نوشته‌شده: 40 روز)" in html  # typed ASCII digits stay ASCII
    html = client.post("/portals/settings", data={"csrf_token": token, "days": "۴۰ روز"},
                       follow_redirects=True).get_data(as_text=True)
    assert "(نوشته‌شده: ۴۰ روز)" in html
    client.post("/language/en", data={"csrf_token": token, "next": "/portals/"})
    html = client.post("/portals/settings", data={"csrf_token": token, "days": "۴۰ days"},
                       follow_redirects=True).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "a whole number from 1 to 365 (written: ۴۰ days)" in html and "۳۶۵" not in html
    assert stale_days() == 7
