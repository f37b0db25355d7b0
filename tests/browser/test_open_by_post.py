"""Opening a notification or an inbox item is a POST (issue 14: no state change on GET): in a real
browser the titles are buttons of one shared form (`form` + `formaction`), so a click still opens
the item and marks the notification read / the route seen, without a script."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from models import Feed, Item, ItemRoute, Notification, RoutingRule, SavedSearch, utcnow
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(app, make_agency, make_user):
    agency = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    user = make_user(role="staff", agency=agency, username="water-open")
    feed = Feed(url="https://news.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, title="قطعی آب در شهرک", summary_html="<p>آب قطع است.</p>",
                published_at=utcnow(), content_hash="h")
    db.session.add(item)
    db.session.flush()
    rule = RoutingRule(agency_id=agency.id, name="آب", query="قطعی آب", scopes=[], outlet_ids=[])
    saved = SavedSearch(user_id=user.id, name="آب", query="قطعی آب", filters={})
    db.session.add_all([rule, saved])
    db.session.flush()
    db.session.add_all([ItemRoute(item_id=item.id, agency_id=agency.id, rule_ids=[rule.id], matched=[], status="new"),
                        Notification(user_id=user.id, saved_search_id=saved.id, item_id=item.id, words=["آب"])])
    db.session.commit()
    return user


def _login(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.fill("#username", user.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/")


def test_clicking_a_notification_opens_the_item_and_marks_it_read(page, live_server, staff):
    _login(page, live_server, staff)
    page.goto(f"{live_server}/alerts/")
    page.get_by_role("button", name="قطعی آب در شهرک").click()
    page.wait_for_url(f"{live_server}/items/*")
    assert page.locator("h1").inner_text() == "قطعی آب در شهرک"
    db.session.expire_all()
    assert db.session.scalar(select(Notification)).read_at is not None
    assert page.console_errors == []


def test_the_email_link_opens_with_one_click(page, live_server, staff):
    _login(page, live_server, staff)
    notification = db.session.scalar(select(Notification))
    page.goto(f"{live_server}/alerts/{notification.id}/open")
    db.session.expire_all()
    assert db.session.scalar(select(Notification)).read_at is None  # the GET changed nothing
    page.get_by_role("button", name="دیدن خبر").click()
    page.wait_for_url(f"{live_server}/items/*")
    db.session.expire_all()
    assert db.session.scalar(select(Notification)).read_at is not None


def test_clicking_an_inbox_item_opens_it_and_marks_the_route_seen(page, live_server, staff):
    _login(page, live_server, staff)
    page.goto(f"{live_server}/inbox/")
    page.get_by_role("button", name="قطعی آب در شهرک").click()
    page.wait_for_url(f"{live_server}/items/*")
    db.session.expire_all()
    assert db.session.scalar(select(ItemRoute)).status == "seen"
    assert page.console_errors == []
