"""No state change on GET (issue 14, item 6; ASVS 5.0 V3.5.3).

A GET may be sent by a link scanner in a mail gateway, a browser's prefetch or an `<img>` on
another site; CSRF tokens guard only the POSTs. So every GET route, for every role, on the
user's own objects (an item routed to their agency, still new; their own unread notification
and saved search), must leave every table as it was. Routes are read from `app.url_map`, as in
the access matrix, so a GET added later is checked too.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.policy import AGENCY_ROLES, ROLES
from models import (
    CaseNotification,
    CaseSource,
    Contact,
    Feed,
    Holiday,
    Item,
    ItemRoute,
    Notification,
    Outlet,
    PublicQuestion,
    RoutingRule,
    SavedSearch,
    utcnow,
)
from tests.conftest import csrf_token, login
from tests.test_access_matrix import OBJECT_ARGS, _routes

# Request bookkeeping that a GET may legitimately touch (a server-side session's last-seen time,
# a rate limiter's counters): excluded by name. Everything else must stay byte for byte.
BOOKKEEPING = re.compile(r"session|limit|throttle", re.IGNORECASE)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (but the bookkeeping ones), in primary-key order."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        if BOOKKEEPING.search(table.name):
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [tuple(r) for r in db.session.execute(select(table).order_by(*order))]
    db.session.rollback()
    return rows


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.fixture
def own_world(app, make_agency, make_user):
    """One user per role with their own objects; agency users' agency has a new route of the item."""
    agency = make_agency(slug="alpha")
    feed = Feed(url="https://news.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, title="قطعی آب در شهرک", published_at=utcnow(), content_hash="h")
    db.session.add(item)
    db.session.flush()
    rule = RoutingRule(agency_id=agency.id, name="آب", query="قطعی آب", scopes=[], outlet_ids=[])
    db.session.add(rule)
    db.session.flush()
    db.session.add(ItemRoute(item_id=item.id, agency_id=agency.id, rule_ids=[rule.id], matched=[],
                             status="new"))
    holiday = Holiday(day=date(2027, 4, 10), name="تعطیلی آزمایشی")
    day = date(2026, 5, 10)
    case = PublicQuestion(ref="1405-000901", ref_year=1405, ref_number=901, title="قطعی آب", question="چرا؟",
                          agency_id=agency.id, status="new", opened_on=day, deadline_start=day, deadline_days=5,
                          deadline=date(2026, 5, 17))
    case.sources.append(CaseSource(channel="radio", outlet_name="رادیو", reported_on=day))
    outlet = Outlet(name="روزنامهٔ شهر", scope="local")
    db.session.add_all([holiday, case, outlet])
    db.session.flush()
    contact = Contact(agency_id=agency.id, outlet_id=outlet.id, topic="تماس", happened_at=utcnow(), items=[item],
                      cases=[case])
    db.session.add(contact)
    db.session.flush()
    conference, photo = _own_conference(agency, item)
    world = {"item": item, "feed": feed, "rule": rule, "agency": agency, "holiday": holiday, "case": case,
             "contact": contact, "conference": conference, "photo": photo, "users": {},
             "evidence": _own_evidence(agency)}
    for role in ROLES:
        user = make_user(role=role, agency=agency if role in AGENCY_ROLES else None, username=f"own-{role}")
        saved = SavedSearch(user_id=user.id, name="آب", query="قطعی آب", filters={})
        db.session.add(saved)
        db.session.flush()
        notification = Notification(user_id=user.id, saved_search_id=saved.id, item_id=item.id, words=["آب"])
        reminder = CaseNotification(case_id=case.id, user_id=user.id, kind="reminder", step=day.isoformat(),
                                    deadline=day, agency_id=agency.id)
        db.session.add_all([notification, reminder])
        db.session.flush()
        world["users"][role] = (user, saved.id, notification.id, reminder.id)
    world["directory"] = directory_of(agency, "خبرنگار", world["users"]["staff"][0])
    db.session.commit()
    return world


def _own_evidence(agency, text: str = "حکم انتصاب"):
    """An evidence record of the agency (clause 1, standing) with its file stored; ``text`` is its
    note and the file's shown name."""
    from pathlib import Path

    from flask import current_app

    from models import EvidenceRecord

    folder = Path(current_app.config["DATA_DIR"]) / "evidence-files"
    folder.mkdir(exist_ok=True)
    (folder / "own-evidence.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    record = EvidenceRecord(agency_id=agency.id, clause=1, happened_on=date(2026, 3, 1), is_standing=True, note=text,
                            file_stored_name="own-evidence.pdf", file_original_name=text,
                            file_content_type="application/pdf", file_size_bytes=16)
    db.session.add(record)
    db.session.flush()
    return record


def _own_conference(agency, item, text: str = "قطعی آب"):
    """A held conference of the agency with a question, a commitment, a coverage suggestion and a
    photo (its file stored), so its page shows every section; ``text`` is in each of them."""
    from io import BytesIO
    from pathlib import Path

    from flask import current_app
    from PIL import Image

    from models import (
        ConferenceCommitment,
        ConferenceCoverage,
        ConferencePhoto,
        ConferenceQuestion,
        PressConference,
    )

    out = BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    folder = Path(current_app.config["DATA_DIR"]) / "conference-photos"
    folder.mkdir(exist_ok=True)
    (folder / "own-photo.png").write_bytes(out.getvalue())
    conference = PressConference(agency_id=agency.id, title=text, topics=[text], spokespeople=[text],
                                 starts_at=utcnow(), status="held")
    conference.questions.append(ConferenceQuestion(asked_by_name=text, outlet_name=text, text=text,
                                                   answer_summary=text))
    conference.commitments.append(ConferenceCommitment(text=text, owner_label=text, due_on=date(2026, 5, 1)))
    conference.coverage.append(ConferenceCoverage(item_id=item.id, reasons=[{"kind": "topic", "text": text}]))
    photo = ConferencePhoto(stored_name="own-photo.png", content_type="image/png", size_bytes=len(out.getvalue()),
                            original_name=text, caption=text)
    conference.photos.append(photo)
    db.session.add(conference)
    db.session.flush()
    return conference, photo
def directory_of(agency, text: str, author) -> tuple[int, int, int]:
    """An outlet and a journalist named with ``text``, and a note of ``agency`` on each."""
    from models import DirectoryNote, Journalist, JournalistPhone, Outlet

    outlet = Outlet(name="رسانهٔ فهرست " + text, name_key="رسانه فهرست", scope="local", city=text, notes=text)
    journalist = Journalist(name=text, name_key="خبرنگار", beat=text, notes=text, handles={"telegram": text},
                            outlets=[outlet], phones=[JournalistPhone(e164="+989121234567")])
    db.session.add_all([outlet, journalist])
    db.session.flush()
    note = DirectoryNote(agency_id=agency.id, journalist_id=journalist.id, body=text, author_id=author.id)
    db.session.add_all([note, DirectoryNote(agency_id=agency.id, outlet_id=outlet.id, body=text, author_id=author.id)])
    db.session.flush()
    return outlet.id, journalist.id, note.id


def _own_export(user) -> str:
    """A finished search export of `user` (a settings row and its file), as the export job leaves it."""
    from pathlib import Path

    from flask import current_app

    from app.services.search_export_jobs import KEY_PREFIX
    from models import Setting

    token = f"export-of-{user.username}"
    if db.session.get(Setting, KEY_PREFIX + token) is None:
        db.session.add(Setting(key=KEY_PREFIX + token, value={
            "owner": user.id, "format": "csv", "request": {}, "state": "done", "done": 1, "total": 1,
            "created": utcnow().isoformat()}))
        db.session.commit()
        folder = Path(current_app.config["DATA_DIR"]) / "exports"
        folder.mkdir(exist_ok=True)
        (folder / f"{token}.csv").write_text("id,title\n")
    return token


def _own_upload(user) -> str:
    """A sheet ``user`` uploaded to import into the directory (a viewer's is made as if a writer's:
    the page answers 403 to the viewer anyway)."""
    from types import SimpleNamespace

    from app.services.directory_uploads import start_import

    return start_import(SimpleNamespace(id=user.id, role="staff"), "d.csv", "نام,تلفن\nعلی,09121234567\n".encode())


def _url(app, rule, world, role) -> str:
    user, saved_id, notification_id, reminder_id = world["users"][role]
    own = {"item_id": world["item"].id, "feed_id": world["feed"].id, "rule_id": world["rule"].id,
           "agency_id": world["agency"].id, "user_id": user.id, "saved_search_id": saved_id,
           "notification_id": notification_id, "token": _own_export(user), "holiday_id": world["holiday"].id,
           "ref": world["case"].ref, "case_notification_id": reminder_id, "outlet_id": world["directory"][0],
           "journalist_id": world["directory"][1], "note_id": world["directory"][2],
           "contact_id": world["contact"].id, "conference_id": world["conference"].id, "photo_id": world["photo"].id,
           "record_id": world["evidence"].id, "agency_slug": world["agency"].slug}
    if "upload_token" in rule.arguments:
        own["upload_token"] = _own_upload(user)
    values = {}
    for arg in rule.arguments:
        assert arg in own or arg in OBJECT_ARGS, f"{rule.rule}: <{arg}> unknown to {__file__}"
        values[arg] = own[arg] if arg in own else OBJECT_ARGS[arg][0](world)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


# GETs between two snapshots of every table: a group that changed something is read again one GET
# at a time to name it (a snapshot per GET cost ~50 SELECTs a route, a minute of the PostgreSQL pass;
# a change hides only if a later GET of the same group undoes it).
GROUP = 8


@pytest.mark.parametrize("role", ROLES)
def test_no_get_route_changes_anything(app, client, own_world, role):
    user = own_world["users"][role][0]
    login(client, user)
    csrf_token(client, "/")
    urls = [_url(app, rule, own_world, role) for rule in _routes(app)  # (an upload's token is made here)
            if "GET" in rule.methods and not BOOKKEEPING.search(rule.endpoint) and rule.endpoint != "auth.login"]
    changing = []
    before = snapshot()
    for start in range(0, len(urls), GROUP):
        group = urls[start:start + GROUP]
        for url in group:
            assert client.get(url).status_code != 500, url
        after = snapshot()
        if changed(before, after):
            named = []
            for url in group:
                alone = snapshot()
                client.get(url)
                tables = changed(alone, snapshot())
                if tables:
                    named.append(f"GET {url} changed {tables}")
            changing += named or [f"one of the GETs {group} changed {changed(before, after)}"]
            after = snapshot()
        before = after
    assert changing == [], role
    assert len(urls) > 20


def test_opening_an_item_by_get_leaves_my_agencys_route_new(app, client, own_world):
    user = own_world["users"]["staff"][0]
    login(client, user)
    page = client.get(f"/items/{own_world['item'].id}")
    assert page.status_code == 200
    route = db.session.scalar(select(ItemRoute))
    assert route.status == "new" and route.status_changed_by_id is None


def test_opening_a_notification_by_get_leaves_it_unread(app, client, own_world):
    user, _, notification_id, _ = own_world["users"]["viewer"]
    login(client, user)
    client.get(f"/alerts/{notification_id}/open")
    assert db.session.get(Notification, notification_id).read_at is None


def test_the_email_link_shows_a_button_that_opens_the_item_by_post(app, client, own_world):
    """The digest's link (a GET) shows the item's title and a button; the button's POST marks the
    notification read and leads to the item, as the link did before."""
    user, _, notification_id, _ = own_world["users"]["viewer"]
    login(client, user)
    page = client.get(f"/alerts/{notification_id}/open").get_data(as_text=True)
    assert "قطعی آب در شهرک" in page
    assert f'<form method="post" action="/alerts/{notification_id}/open"' in page
    token = csrf_token(client, f"/alerts/{notification_id}/open")
    opened = client.post(f"/alerts/{notification_id}/open", data={"csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/items/{own_world['item'].id}")
    assert db.session.get(Notification, notification_id).read_at is not None
    # without the CSRF token (a form on another site) nothing is marked
    other = own_world["users"]["staff"]
    client = app.test_client()
    login(client, other[0])
    assert client.post(f"/alerts/{other[2]}/open").status_code == 400
    db.session.expire_all()
    assert db.session.get(Notification, other[2]).read_at is None


def test_opening_an_item_from_the_inbox_marks_my_route_seen_by_post(app, client, own_world):
    user = own_world["users"]["staff"][0]
    login(client, user)
    token = csrf_token(client, "/inbox/")
    assert client.post(f"/items/{own_world['item'].id}/open").status_code == 400  # no token
    assert db.session.scalar(select(ItemRoute)).status == "new"
    opened = client.post(f"/items/{own_world['item'].id}/open", data={"csrf_token": token})
    assert opened.status_code == 302
    db.session.expire_all()
    route = db.session.scalar(select(ItemRoute))
    assert route.status == "seen" and route.status_changed_by_id == user.id
    # a viewer opening it changes nothing (viewers only read)
    viewer = own_world["users"]["viewer"][0]
    client = app.test_client()
    login(client, viewer)
    route.status = "new"
    db.session.commit()
    client.post(f"/items/{own_world['item'].id}/open", data={"csrf_token": csrf_token(client, "/inbox/")})
    db.session.expire_all()
    assert db.session.scalar(select(ItemRoute)).status == "new"


def test_running_a_saved_search_is_a_post(app, client, own_world):
    user, saved_id, _, _ = own_world["users"]["manager"]
    login(client, user)
    assert client.get(f"/alerts/saved/{saved_id}/run").status_code == 405
    page = client.get("/alerts/saved").get_data(as_text=True)
    assert f'formaction="/alerts/saved/{saved_id}/run"' in page
    response = client.post(f"/alerts/saved/{saved_id}/run", data={"csrf_token": csrf_token(client, "/alerts/saved")})
    assert response.status_code == 302 and "/search/?" in response.headers["Location"]
    assert db.session.get(SavedSearch, saved_id).last_seen_at is not None
