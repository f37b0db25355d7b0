"""Output escaping on every page (ASVS 5.0 V1.2.1, V3.2.2): text that users, feeds and imports put
in the database — agency, user, outlet, feed, rule, saved-search and holiday names, an item's
title, author, categories and matched words, an audit entry — comes back escaped on every page
that shows it, in element text and in attribute values alike. Each role opens every GET route
(from `app.url_map`, as in the access matrix) on its own objects, all named with the payload."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.policy import AGENCY_ROLES
from app.services.audit import record
from app.services.indexing import drain
from models import (
    CaseNotification,
    CaseSource,
    Contact,
    Feed,
    Holiday,
    Item,
    ItemRoute,
    Journalist,
    Notification,
    Outlet,
    PortalCheck,
    PublicQuestion,
    RoutingRule,
    SavedSearch,
    utcnow,
)
from models.search_outbox import enqueue
from tests.conftest import login
from tests.test_access_matrix import _routes
from tests.test_get_changes_nothing import (
    _own_conference,
    _own_evidence,
    _url,
    directory_of,
)

PAYLOAD = "قطعی آب <script>alert(\"x\")</script><img src=x onerror=alert(1)>\"' onmouseover=alert(2) x=\""
RAW = ("<script>alert", "<img src=x onerror", "\" onmouseover=alert(2)")


@pytest.fixture
def hostile_world(app, make_agency, make_user):
    agency = make_agency(slug="alpha", name_fa="سازمان " + PAYLOAD, name_en="Agency " + PAYLOAD,
                         portal_url="https://portal.example.ir/?q=" + PAYLOAD)
    outlet = Outlet(name="رسانهٔ " + PAYLOAD, scope="local")
    db.session.add(outlet)
    db.session.flush()
    feed = Feed(url="https://news.example.ir/rss", title="خوراک " + PAYLOAD, outlet_id=outlet.id)
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, outlet_id=outlet.id, title=PAYLOAD, author=PAYLOAD, categories=[PAYLOAD],
                summary_html="<p>متن خبر</p>", text="قطعی آب", published_at=utcnow(), content_hash="h",
                link="https://news.example.ir/1")
    db.session.add(item)
    db.session.flush()
    rule = RoutingRule(agency_id=agency.id, name="قاعدهٔ " + PAYLOAD, query="قطعی آب", scopes=[], outlet_ids=[])
    db.session.add(rule)
    db.session.flush()
    db.session.add(ItemRoute(item_id=item.id, agency_id=agency.id, rule_ids=[rule.id], status="new",
                             matched=[{"rule_id": rule.id, "rule": rule.name, "words": [PAYLOAD]}],
                             is_question=True, question_reasons=[{"code": "x", "text": PAYLOAD,
                                                                  "snippet": PAYLOAD}]))
    holiday = Holiday(day=date(2027, 4, 10), name="تعطیلی " + PAYLOAD)
    day = date(2026, 5, 10)
    case = PublicQuestion(ref="1405-000902", ref_year=1405, ref_number=902, title=PAYLOAD, question=PAYLOAD,
                          agency_id=agency.id, status="new", opened_on=day, deadline_start=day, deadline_days=5,
                          deadline=date(2026, 5, 17))
    case.sources.append(CaseSource(channel="radio", outlet_name=PAYLOAD, reported_on=day))
    journalist = Journalist(name=PAYLOAD, outlets=[outlet])
    db.session.add_all([holiday, case, journalist])
    db.session.flush()
    contact = Contact(agency_id=agency.id, journalist_id=journalist.id, outlet_id=outlet.id, topic=PAYLOAD,
                      notes=PAYLOAD, happened_at=utcnow() - timedelta(days=40), items=[item], cases=[case])
    db.session.add(contact)
    db.session.flush()
    enqueue(db.session, "item", item.id)
    conference, photo = _own_conference(agency, item, PAYLOAD)
    world = {"item": item, "feed": feed, "rule": rule, "agency": agency, "holiday": holiday, "case": case,
             "contact": contact, "conference": conference, "photo": photo, "users": {},
             "evidence": _own_evidence(agency, PAYLOAD)}
    db.session.add(PortalCheck(agency_id=agency.id, url=agency.portal_url, consecutive_failures=1,
                               last_error_code="http_error",
                               last_error_detail={"key": "fetch.http_error", "values": {"status": PAYLOAD}}))
    for role in ("admin", "supervisor", "manager", "staff", "viewer"):
        user = make_user(role=role, agency=agency if role in AGENCY_ROLES else None, username=f"esc-{role}",
                         display_name=PAYLOAD)
        saved = SavedSearch(user_id=user.id, name=f"{role} {PAYLOAD}", query="قطعی آب", filters={})
        db.session.add(saved)
        db.session.flush()
        notification = Notification(user_id=user.id, saved_search_id=saved.id, item_id=item.id, words=[PAYLOAD])
        reminder = CaseNotification(case_id=case.id, user_id=user.id, kind="reminder", step=day.isoformat(),
                                    deadline=day, agency_id=agency.id)
        db.session.add_all([notification, reminder])
        db.session.flush()
        record("test.hostile", actor=user, obj=user, note=PAYLOAD)
        world["users"][role] = (user, saved.id, notification.id, reminder.id)
    world["directory"] = directory_of(agency, PAYLOAD, world["users"]["staff"][0])
    db.session.commit()
    drain()
    return world


@pytest.mark.parametrize("role", ["admin", "manager", "staff"])
def test_stored_text_is_escaped_on_every_page(app, client, hostile_world, role):
    login(client, hostile_world["users"][role][0])
    pages = [_url(app, rule, hostile_world, role) for rule in _routes(app)
             if "GET" in rule.methods and rule.endpoint != "auth.login"]
    pages += ["/search/?q=" + PAYLOAD, "/search/?q=قطعی+آب", "/items/?outlet=" + PAYLOAD,
              "/alerts/saved/new?q=" + PAYLOAD]
    shown = 0
    for url in pages:
        response = client.get(url)
        if response.mimetype.startswith("image/") or response.mimetype in ("text/calendar", "text/csv"):
            # A photo, a calendar file or a CSV holds the text as its own format escapes it; the
            # browser must not read it as a page. Pages and XML (OPML) are checked below.
            assert response.headers.get("X-Content-Type-Options") == "nosniff", url
            continue
        body = response.get_data(as_text=True)
        for raw in RAW:
            assert raw not in body, f"{role} GET {url}: {raw!r} unescaped"
        shown += "&lt;script&gt;" in body or "&lt;script&gt;".replace("&gt;", "&#62;") in body
    assert shown >= 8  # the payload really was on the pages (escaped), not merely absent


def test_found_a_stored_reason_was_shown_as_markup(app, client, hostile_world):
    """Found by the test above: the inbox and the item page passed a question reason's stored
    text through gettext, whose result Jinja trusts as markup. The detector writes only its own
    labels there today; the pages now escape it anyway."""
    login(client, hostile_world["users"]["staff"][0])
    for url in ("/inbox/", f"/items/{hostile_world['item'].id}"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "&lt;script&gt;alert" in body, url


def test_found_a_case_title_was_shown_as_markup_on_the_reminders_pages(app, client, hostile_world):
    """Found by the test above after the case reminders were merged: the reminders list and the
    e-mail link's page printed a case's title and agency unescaped (the text macros they share
    with the e-mail digest came back as trusted markup)."""
    user, _, _, reminder_id = hostile_world["users"]["manager"]
    login(client, user)
    for url in ("/reminders/", f"/reminders/{reminder_id}/open"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "&lt;script&gt;alert" in body, url
