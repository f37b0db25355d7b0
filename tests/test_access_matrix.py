"""Every route × every role, with the objects of another agency asked for by id.

Routes are read from `app.url_map`, so a route added later is checked without anyone
remembering to: a view must declare who may use it (`@access`), and every URL argument needs an
entry in OBJECT_ARGS below, or this test fails and says what is missing.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.policy import AGENCY_ROLES, ROLES, STAFF
from app.services.audit import record
from models import Holiday
from tests.conftest import login

# Text that only objects of the other agency carry: no page shown to agency A may contain it.
SECRET = "SECRET-OF-AGENCY-B"


@dataclass
class World:
    agency_a: object
    agency_b: object
    users: dict           # role → user (agency roles in agency A)
    user_b: object        # a staff user of agency B
    holiday: object


def _feed_and_item(w) -> tuple[int, int]:
    """A monitored feed with one item, made on first use (public data: every role reads items)."""
    if getattr(w, "feed_item", None) is None:
        from models import Feed, Item, utcnow

        feed = Feed(url="https://news.example.ir/rss", title="خوراک آزمایشی")
        db.session.add(feed)
        db.session.flush()
        item = Item(feed_id=feed.id, title="خبر آزمایشی", published_at=utcnow(), content_hash="0")
        db.session.add(item)
        db.session.commit()
        w.feed_item = (feed.id, item.id)
    return w.feed_item


def _rule_of_other_agency(w) -> int:
    """A routing rule of agency B (its name is the secret: agency A must never see it)."""
    if getattr(w, "rule_id", None) is None:
        from models import RoutingRule

        rule = RoutingRule(agency_id=w.agency_b.id, name=SECRET, query="قطعی آب", scopes=[], outlet_ids=[])
        db.session.add(rule)
        db.session.commit()
        w.rule_id = rule.id
    return w.rule_id


def _holiday(w) -> int:
    """A lunar holiday waiting for confirmation; made again when a route before this one deleted it."""
    from datetime import date

    from sqlalchemy import inspect, select

    from models.calendar import KIND_LUNAR, STATUS_PROPOSED

    holiday_id = inspect(w.holiday).identity[0]  # without a load: the row may be gone (a route deleted it)
    if db.session.scalar(select(Holiday.id).where(Holiday.id == holiday_id)) is None:
        db.session.expire_all()
        w.holiday = Holiday(day=date(2027, 4, 10), name="تعطیلی آزمایشی", kind=KIND_LUNAR, status=STATUS_PROPOSED)
        db.session.add(w.holiday)
        db.session.commit()
    return w.holiday.id


# An object private to its owner (user B): every role, administrators too, gets a 404 for it.
OWNER_ONLY = "owner-only"


def _private_of_user_b(w) -> tuple[int, int]:
    """User B's saved search (named with the secret) and a notification it produced."""
    if getattr(w, "private_b", None) is None:
        from models import Notification, SavedSearch

        item_id = _feed_and_item(w)[1]
        saved = SavedSearch(user_id=w.user_b.id, name=SECRET, query="خبر", filters={})
        db.session.add(saved)
        db.session.flush()
        notification = Notification(user_id=w.user_b.id, saved_search_id=saved.id, item_id=item_id, words=[SECRET])
        db.session.add(notification)
        db.session.commit()
        w.private_b = (saved.id, notification.id)
    return w.private_b


def _export_of_user_b(w) -> str:
    """A finished search export of user B (a settings row and its file): only B may read it."""
    if getattr(w, "export_token", None) is None:
        from pathlib import Path

        from flask import current_app

        from app.services.search_export_jobs import KEY_PREFIX
        from models import Setting, utcnow

        w.export_token = "export-of-user-b"
        db.session.add(Setting(key=KEY_PREFIX + w.export_token, value={
            "owner": w.user_b.id, "format": "csv", "request": {}, "state": "done", "done": 1, "total": 1,
            "created": utcnow().isoformat()}))
        db.session.commit()
        folder = Path(current_app.config["DATA_DIR"]) / "exports"
        folder.mkdir(exist_ok=True)
        (folder / f"{w.export_token}.csv").write_text(SECRET)
    return w.export_token


def _case_of_other_agency(w) -> str:
    """A public-question case of agency B (its title is the secret): agency A gets a 404 for its
    page and every action on it."""
    if getattr(w, "case_ref", None) is None:
        from datetime import date

        from models import CaseSource, PublicQuestion

        day = date(2026, 5, 10)
        case = PublicQuestion(ref="1405-000900", ref_year=1405, ref_number=900, title=SECRET, question=SECRET,
                              agency_id=w.agency_b.id, status="new", opened_on=day, deadline_start=day,
                              deadline_days=5, deadline=date(2026, 5, 17))
        case.sources.append(CaseSource(channel="radio", outlet_name="رادیو", reported_on=day))
        db.session.add(case)
        db.session.commit()
        w.case_ref = case.ref
    return w.case_ref


def _case_notification_of_user_b(w) -> int:
    """A reminder to user B about a case of agency B (the case's title is the secret)."""
    if getattr(w, "case_notification_id", None) is None:
        from datetime import date

        from models import CaseNotification, PublicQuestion

        day = date(2026, 5, 10)
        case = PublicQuestion(ref="1405-999999", ref_year=1405, ref_number=999999, title=SECRET, status="assigned",
                              agency_id=w.agency_b.id, assignee_id=w.user_b.id, opened_on=day, deadline_start=day,
                              deadline_days=5, deadline=day)
        db.session.add(case)
        db.session.flush()
        notice = CaseNotification(case_id=case.id, user_id=w.user_b.id, kind="reminder", step=day.isoformat(),
                                  deadline=day, agency_id=w.agency_b.id)
        db.session.add(notice)
        db.session.commit()
        w.case_notification_id = notice.id
    return w.case_notification_id


def _directory(w) -> tuple[int, int, int]:
    """A shared outlet and journalist (every agency reads them), each with a note of agency B that
    carries the secret: agency A's pages of the outlet and the journalist must not show it, and
    B's note (its id) is a 404 to agency A."""
    if getattr(w, "directory", None) is None:
        from models import DirectoryNote, Journalist, JournalistPhone, Outlet

        outlet = Outlet(name="روزنامهٔ آزمایشی", name_key="روزنامهازمایشی", scope="local")
        journalist = Journalist(name="خبرنگار آزمایشی", name_key="خبرنگارازمایشی", outlets=[outlet],
                                phones=[JournalistPhone(e164="+989121234567")])
        db.session.add_all([outlet, journalist])
        db.session.flush()
        note = DirectoryNote(agency_id=w.agency_b.id, journalist_id=journalist.id, body=SECRET, author_id=w.user_b.id)
        db.session.add_all([note, DirectoryNote(agency_id=w.agency_b.id, outlet_id=outlet.id, body=SECRET,
                                                author_id=w.user_b.id)])
        db.session.commit()
        w.directory = (outlet.id, journalist.id, note.id)
    return w.directory


def _conference_of_other_agency(w) -> int:
    """A press conference of agency B (its title, place and minutes are the secret), held, with
    an invitation: agency A gets a 404 for its page, its lists, its files and every action."""
    if getattr(w, "conference_id", None) is None:
        from models import ConferenceInvitation, Outlet, PressConference, utcnow

        outlet = Outlet(name="روزنامهٔ نشست آزمایشی", scope="local")
        conference = PressConference(agency_id=w.agency_b.id, title=SECRET, place=SECRET, minutes=SECRET,
                                     topics=[SECRET], starts_at=utcnow(), status="held")
        conference.invitations.append(ConferenceInvitation(outlet=outlet))
        db.session.add(conference)
        db.session.commit()
        w.conference_id = conference.id
    return w.conference_id


def _contact_of_other_agency(w) -> int:
    """A contact logged by agency B (its topic and notes are the secret): agency A gets a 404 for
    its page, its edit form and its deletion."""
    if getattr(w, "contact_id", None) is None:
        from models import Contact, Outlet, utcnow

        outlet = Outlet(name="رسانهٔ محلی آزمایشی", scope="local")
        db.session.add(outlet)
        db.session.flush()
        contact = Contact(agency_id=w.agency_b.id, outlet_id=outlet.id, topic=SECRET, notes=SECRET,
                          happened_at=utcnow(), logged_by_id=w.user_b.id)
        db.session.add(contact)
        db.session.commit()
        w.contact_id = contact.id
    return w.contact_id


def _directory_upload_of_user_b(w) -> str:
    """A sheet user B uploaded to import into the directory (it names the secret): only B may
    preview, confirm or cancel it."""
    if getattr(w, "upload_token", None) is None:
        from app.services.directory_uploads import start_import

        w.upload_token = start_import(w.user_b, "b.csv", f"نام,تلفن\n{SECRET},09121234567\n".encode())
    return w.upload_token


def _photo_of_other_agency(w) -> int:
    """A photo of agency B's conference, its file stored as the upload stores it: the governorate
    is served it, agency A gets a 404."""
    if getattr(w, "photo_id", None) is None:
        from io import BytesIO
        from pathlib import Path

        from flask import current_app
        from PIL import Image

        from models import ConferencePhoto

        out = BytesIO()
        Image.new("RGB", (8, 8)).save(out, format="PNG")
        folder = Path(current_app.config["DATA_DIR"]) / "conference-photos"
        folder.mkdir(exist_ok=True)
        (folder / "photo-of-b.png").write_bytes(out.getvalue())
        photo = ConferencePhoto(conference_id=_conference_of_other_agency(w), stored_name="photo-of-b.png",
                                original_name=SECRET, content_type="image/png", size_bytes=len(out.getvalue()))
        db.session.add(photo)
        db.session.commit()
        w.photo_id = photo.id
    return w.photo_id


def _evidence_of_other_agency(w) -> int:
    """An evidence record of agency B with its file (its note and the file's name are the
    secret): the governorate reads it and is served the file, agency A gets a 404; made again
    when a route before this one (the governorate's deletion) removed it."""
    from pathlib import Path

    from flask import current_app
    from sqlalchemy import select

    from models import EvidenceRecord

    record_id = getattr(w, "evidence_id", None)
    if record_id is None or db.session.scalar(select(EvidenceRecord.id).where(EvidenceRecord.id == record_id)
                                              .execution_options(unscoped=True)) is None:
        from datetime import date

        folder = Path(current_app.config["DATA_DIR"]) / "evidence-files"
        folder.mkdir(exist_ok=True)
        name = f"evidence-of-b-{record_id or 0}.pdf"
        (folder / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
        record = EvidenceRecord(agency_id=w.agency_b.id, clause=1, happened_on=date(2026, 3, 1), is_standing=True,
                                note=SECRET, file_stored_name=name, file_original_name=SECRET,
                                file_content_type="application/pdf", file_size_bytes=16)
        db.session.add(record)
        db.session.commit()
        w.evidence_id = record.id
    return w.evidence_id


# URL argument name → (how to get a value from the world, whether it names agency B's object)
OBJECT_ARGS = {
    "agency_id": (lambda w: w.agency_b.id, False),
    "user_id": (lambda w: w.user_b.id, True),
    "holiday_id": (_holiday, False),
    "code": (lambda w: "en", False),
    "feed_id": (lambda w: _feed_and_item(w)[0], False),
    "item_id": (lambda w: _feed_and_item(w)[1], False),
    "saved_search_id": (lambda w: _private_of_user_b(w)[0], OWNER_ONLY),
    "notification_id": (lambda w: _private_of_user_b(w)[1], OWNER_ONLY),
    "rule_id": (_rule_of_other_agency, True),
    "token": (_export_of_user_b, OWNER_ONLY),
    "ref": (_case_of_other_agency, True),
    "case_notification_id": (_case_notification_of_user_b, OWNER_ONLY),
    "outlet_id": (lambda w: _directory(w)[0], False),
    "journalist_id": (lambda w: _directory(w)[1], False),
    "note_id": (lambda w: _directory(w)[2], True),
    "conference_id": (_conference_of_other_agency, True),
    "photo_id": (_photo_of_other_agency, True),
    "contact_id": (_contact_of_other_agency, True),
    "upload_token": (_directory_upload_of_user_b, OWNER_ONLY),
    "record_id": (_evidence_of_other_agency, True),
    "agency_slug": (lambda w: w.agency_b.slug, True),  # another agency's scorecard or dashboard
}

# Routes that legitimately answer something other than 200/302/400 to an allowed GET.
NON_GET_OK = {405}


@pytest.fixture
def world(app, make_agency, make_user):
    from datetime import date

    agency_a = make_agency(slug="alpha", name_fa="سازمان الف")
    agency_b = make_agency(slug="beta", name_fa="سازمان ب")
    users = {}
    for role in ROLES:
        agency = agency_a if role in AGENCY_ROLES else None
        users[role] = make_user(role=role, agency=agency, username=f"a-{role}")
    user_b = make_user(role=STAFF, agency=agency_b, username="b-staff", display_name=SECRET)
    record("test.secret", actor=user_b, obj=user_b, agency_id=agency_b.id, note=SECRET)
    holiday = Holiday(day=date(2027, 4, 10), name="تعطیلی آزمایشی", kind="lunar", status="proposed")
    db.session.add(holiday)
    db.session.commit()
    world = World(agency_a, agency_b, users, user_b, holiday)
    from models import RouteSuggestion

    # The classifier's suggestion to agency B (its words are the secret): agency A's inbox must not show it.
    db.session.add(RouteSuggestion(item_id=_feed_and_item(world)[1], agency_id=agency_b.id, probability=0.5,
                                   words=[SECRET]))
    db.session.commit()
    return world


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        yield rule


def _url(app, rule, world) -> tuple[str, bool]:
    values, names_other_agency = {}, False
    for arg in rule.arguments:
        assert arg in OBJECT_ARGS, (
            f"route {rule.rule} has argument <{arg}>: add it to OBJECT_ARGS in {__file__}")
        getter, is_other = OBJECT_ARGS[arg]
        values[arg] = getter(world)
        names_other_agency = OWNER_ONLY if OWNER_ONLY in (is_other, names_other_agency) else (
            names_other_agency or is_other)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values), names_other_agency


def test_every_view_declares_its_access(app):
    undeclared = [r.endpoint for r in _routes(app)
                  if not hasattr(app.view_functions[r.endpoint], "access_public")]
    assert undeclared == [], f"views without @access(...): {undeclared}"


def test_anonymous_is_sent_to_login(app, client, world):
    for rule in _routes(app):
        view = app.view_functions[rule.endpoint]
        if view.access_public or "GET" not in rule.methods:
            continue
        url, _ = _url(app, rule, world)
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url


def _csrf(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/")


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, client, world, role):
    user = world.users[role]
    login(client, user)
    token = _csrf(client)
    agency_bound = role in AGENCY_ROLES
    checked = 0
    for rule in _routes(app):
        view = app.view_functions[rule.endpoint]
        allowed = view.access_public or role in view.access_roles
        url, names_other_agency = _url(app, rule, world)
        for method in ("GET", "POST"):
            if method not in rule.methods:
                continue
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
            status = response.status_code
            body = response.get_data().decode("utf-8", "replace")  # a served photo is binary
            where = f"{role} {method} {url}"
            assert status != 500, where
            if not allowed:
                assert status == 403, f"{where}: expected 403, got {status}"
            elif names_other_agency == OWNER_ONLY:
                assert status == 404, f"{where}: another user's private object answered {status}"
            elif names_other_agency and agency_bound:
                assert status in (403, 404), f"{where}: another agency's object answered {status}"
            else:
                assert status in (200, 302, 400, 401, 423) or status in NON_GET_OK, f"{where}: {status}"
            if agency_bound or names_other_agency == OWNER_ONLY:
                assert SECRET not in body, f"{where} shows data of another agency or user"
            checked += 1
            if method == "POST" and "session" in response.headers.get("Set-Cookie", "") and \
                    client.get("/").status_code == 302:
                login(client, user)  # the route logged us out (logout, language switch)
                token = _csrf(client)
    assert checked > 10


# --- the agency filter: which agency an item went to is that agency's business ------------------


def _item_routed_to_b(w):
    """An item routed to agency B by B's rule, through the functions ingest runs (route, then
    alerts, one commit), and indexed by the indexer."""
    from app.services.alerts import notify_new_items
    from app.services.indexing import drain
    from app.services.routing import route_items
    from tests.search_index.item_factory import ItemFactory

    _rule_of_other_agency(w)  # B's rule: «قطعی آب»
    item = ItemFactory().make("قطعی آب در شهرک", "آب از صبح قطع است.", commit=False)
    assert route_items(db.session, [item]) == 1
    notify_new_items(db.session, [item])
    db.session.commit()
    drain()
    return item


def _agency_options(html: str) -> set[str]:
    import re

    select = re.search(r'<select[^>]*name="agency".*?</select>', html, re.DOTALL).group(0)
    return {value for value in re.findall(r'<option[^>]*value="([^"]*)"', select) if value}


@pytest.mark.parametrize("role", ROLES)
def test_agency_filter_on_search_page_saved_search_and_alerts(app, client, world, role):
    from sqlalchemy import select

    from models import Notification, SavedSearch

    user = world.users[role]
    sees_all = role in ("admin", "supervisor")
    # A saved search filtered by agency B, stored as the old code let anyone save it.
    old = SavedSearch(user_id=user.id, name="ارجاع‌های ب", query="قطعی آب", filters={"agency": "beta"})
    db.session.add(old)
    db.session.commit()
    item = _item_routed_to_b(world)

    # Alerts: notified of B's routed item only when the owner may filter by B.
    notified = db.session.scalars(select(Notification.item_id).where(Notification.saved_search_id == old.id)).all()
    assert notified == ([item.id] if sees_all else []), role

    login(client, user)
    # The search page: offers my agency only (every agency to supervisors and admins), and refuses
    # B's filter with a message instead of answering.
    html = client.get("/search/", query_string={"q": "قطعی آب"}).get_data(as_text=True)
    assert _agency_options(html) == ({"alpha", "beta"} if sees_all else {"alpha"}), role
    html = client.get("/search/", query_string={"q": "قطعی آب", "agency": "beta"}).get_data(as_text=True)
    found = f'href="/items/{item.id}"' in html
    assert found == sees_all, role
    assert ("تنها همان سازمان و ناظران می‌بینند" in html) == (not sees_all), role
    html = client.get("/search/", query_string={"q": "قطعی آب", "agency": "alpha"}).get_data(as_text=True)
    assert f'href="/items/{item.id}"' not in html and "تنها همان سازمان" not in html, role

    # The saved search: the form offers the same agencies; saving B's filter is refused unless allowed.
    form = client.get("/alerts/saved/new", query_string={"q": "قطعی آب"}).get_data(as_text=True)
    assert _agency_options(form) == ({"alpha", "beta"} if sees_all else {"alpha"}), role
    token = _csrf(client)
    response = client.post("/alerts/saved/new", data={"csrf_token": token, "name": "تازه", "q": "قطعی آب",
                                                      "agency": "beta", "is_alert_on": "y"})
    created = db.session.scalar(select(SavedSearch).where(SavedSearch.user_id == user.id,
                                                          SavedSearch.name == "تازه"))
    if sees_all:
        assert response.status_code == 302 and created is not None, role
    else:
        assert response.status_code == 400 and created is None, role  # refused, as every refused form
        assert "تنها همان سازمان و ناظران می‌بینند" in response.get_data(as_text=True), role
    # Editing the old search keeps refusing B for an agency user (and keeps allowing their own).
    response = client.post(f"/alerts/saved/{old.id}", data={"csrf_token": token, "name": old.name,
                                                            "q": "قطعی آب", "agency": "alpha", "is_alert_on": "y"})
    assert response.status_code == 302, role


# --- the inbox's actions name their route in the form, not the URL --------------------------------

INBOX_ACTIONS = {  # endpoint → form fields besides route_id (and agency_id)
    "inbox.mark": {"status": "dismissed"},
    "inbox.question": {"flagged": "1"},
    "inbox.request_route": {"reason": "x"},
    "inbox.reassign_route": {"reason": "x"},
    "inbox.decide": {"decision": "decline"},
    "inbox.suggestion": {"decision": "dismiss"},  # names its suggestion (agency B's) in suggestion_id
}


def test_every_inbox_action_is_checked_here(app):
    posted = {r.endpoint for r in _routes(app) if r.endpoint.startswith("inbox.") and "POST" in r.methods}
    assert posted == set(INBOX_ACTIONS), f"add the inbox's new actions to INBOX_ACTIONS: {posted}"


@pytest.mark.parametrize("role", [r for r in ROLES if r in AGENCY_ROLES])
def test_inbox_actions_refuse_another_agencys_route(app, client, world, role):
    """An agency's user acting on agency B's route (its id typed into a form) is refused, and the
    route, its question mark and the labels stay as they were."""
    from flask import url_for
    from sqlalchemy import select

    from models import ItemRoute, QuestionLabel, RouteSuggestion

    item_id = _feed_and_item(world)[1]
    route = ItemRoute(item_id=item_id, agency_id=world.agency_b.id, status="new", is_question=False)
    suggestion = db.session.scalar(select(RouteSuggestion))  # the world's, agency B's
    db.session.add(route)
    db.session.commit()
    login(client, world.users[role])
    token = _csrf(client)
    for endpoint, fields in INBOX_ACTIONS.items():
        with app.test_request_context():
            url = url_for(endpoint)
        response = client.post(url, data={"csrf_token": token, "route_id": route.id, "suggestion_id": suggestion.id,
                                          "agency_id": world.agency_a.id, **fields})
        allowed = role in app.view_functions[endpoint].access_roles
        expected = 403 if not allowed else 302 if endpoint == "inbox.mark" else 404
        assert response.status_code == expected, f"{role} {endpoint}: {response.status_code}"
        if expected == 302:  # the bulk form answers with a message on the inbox
            assert "در صندوق شما نیست" in client.get("/inbox/").get_data(as_text=True)
    db.session.expire_all()
    route = db.session.get(ItemRoute, route.id)
    assert (route.status, route.is_question, route.request_at) == ("new", False, None)
    assert db.session.scalar(select(QuestionLabel)) is None
    assert db.session.get(RouteSuggestion, suggestion.id).status == "new"
