"""The inbox's filters (scope, date, rule, question, pending requests) and the reassignment
request: a staff user asks, a supervisor approves or declines, every step audited."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.routing import create_rule, route_items
from models import AuditEntry, ItemRoute
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def world(app, make_agency, make_user):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    items = ItemFactory()
    local, national = items.outlet("روزنامهٔ محلی", scope="local"), items.outlet("خبرگزاری سراسری", scope="national")
    cut = create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    sewer = create_rule(water, "فاضلاب", "فاضلاب", actor_label="test")
    made = [
        items.make("قطعی آب در محلهٔ شمالی", outlet=local, published_at=datetime(2026, 11, 20, 8, tzinfo=UTC)),
        items.make("قطعی آب در پایتخت", outlet=national, published_at=datetime(2026, 10, 1, 8, tzinfo=UTC)),
        items.make("پساب فاضلاب در خیابان؛ چرا کسی پاسخ نمی‌دهد؟", "اهالی محله گلایه دارند.", outlet=local,
                   published_at=datetime(2026, 11, 22, 8, tzinfo=UTC)),
    ]
    route_items(db.session, made)
    db.session.commit()
    staff = make_user(role="staff", agency=water, username="water-staff")
    return {"water": water, "power": power, "cut": cut, "sewer": sewer, "staff": staff,
            "supervisor": make_user(role="supervisor", username="sup")}


def _titles(client, query: str = "") -> set[str]:
    html = client.get("/inbox/" + query).get_data(as_text=True)
    return {t for t in ("محلهٔ شمالی", "پایتخت", "پساب فاضلاب") if t in html}


def test_filters_narrow_the_inbox(client, login_as, world):
    login_as(world["staff"])
    assert _titles(client) == {"محلهٔ شمالی", "پایتخت", "پساب فاضلاب"}
    assert _titles(client, "?scope=local") == {"محلهٔ شمالی", "پساب فاضلاب"}
    assert _titles(client, f"?rule={world['cut'].id}") == {"محلهٔ شمالی", "پایتخت"}
    assert _titles(client, "?question=y") == {"پساب فاضلاب"}
    # Jalali dates in any digits: 1405/08/29 is 2026-11-20; 1405/08/30 the 21st.
    assert _titles(client, "?since=۱۴۰۵/۰۸/۲۹") == {"محلهٔ شمالی", "پساب فاضلاب"}
    assert _titles(client, "?since=1405/08/30&until=1405/09/01") == {"پساب فاضلاب"}
    assert _titles(client, "?until=1405/08/29") == {"محلهٔ شمالی", "پایتخت"}


def test_a_bad_date_is_reported_in_persian_and_left_out(client, login_as, world):
    login_as(world["staff"])
    response = client.get("/inbox/?since=1405/13/01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "ماه" in html and "invalid-feedback" in html
    assert {"محلهٔ شمالی", "پایتخت", "پساب فاضلاب"} <= {t for t in ("محلهٔ شمالی", "پایتخت", "پساب فاضلاب")
                                                        if t in html}


def _route(title_part: str) -> ItemRoute:
    return next(r for r in db.session.scalars(select(ItemRoute)) if title_part in r.item.title)


def test_staff_requests_reassignment_and_supervisor_approves(client, login_as, world):
    route = _route("پایتخت")
    login_as(world["staff"])
    token = csrf_token(client, "/inbox/")
    empty = client.post("/inbox/request", data={"csrf_token": token, "route_id": route.id,
                                                "agency_id": world["power"].id, "reason": " "})
    assert empty.status_code == 302
    db.session.refresh(route)
    assert route.request_at is None
    assert client.post("/inbox/reassign", data={"csrf_token": token, "route_id": route.id,
                                                "agency_id": world["power"].id, "reason": "x"}).status_code == 403
    client.post("/inbox/request", data={"csrf_token": token, "route_id": route.id,
                                        "agency_id": world["power"].id, "reason": "خبر دربارهٔ برق است"})
    db.session.refresh(route)
    assert route.request_agency_id == world["power"].id and route.status == "new"
    assert "درخواست ارجاع به شرکت توزیع برق" in client.get("/inbox/").get_data(as_text=True)

    sup = client.application.test_client()
    login(sup, world["supervisor"])
    page = sup.get("/inbox/").get_data(as_text=True)
    assert "۱ درخواست ارجاع در انتظار تصمیم شماست" in page
    assert "پایتخت" in sup.get("/inbox/?requests=y").get_data(as_text=True)
    sup.post("/inbox/decide", data={"csrf_token": csrf_token(sup, "/inbox/"), "route_id": route.id,
                                    "decision": "approve"})
    db.session.expire_all()
    route = db.session.get(ItemRoute, route.id)
    assert route.status == "reassigned" and route.request_at is None
    moved = db.session.scalar(select(ItemRoute).where(ItemRoute.agency_id == world["power"].id))
    assert moved.item_id == route.item_id and moved.status == "new"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("item_route.%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["item_route.reassign_requested", "item_route.reassigned", "item_route.received"]


def test_supervisor_declines_a_request(client, login_as, world):
    route = _route("پایتخت")
    login_as(world["staff"])
    client.post("/inbox/request", data={"csrf_token": csrf_token(client, "/inbox/"), "route_id": route.id,
                                        "agency_id": world["power"].id, "reason": "برق"})
    sup = client.application.test_client()
    login(sup, world["supervisor"])
    sup.post("/inbox/decide", data={"csrf_token": csrf_token(sup, "/inbox/"), "route_id": route.id,
                                    "decision": "decline", "note": "مربوط به آب است"})
    db.session.expire_all()
    route = db.session.get(ItemRoute, route.id)
    assert route.status == "new" and route.request_at is None
    declined = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "item_route.reassign_declined"))
    assert declined.details["note"] == "مربوط به آب است" and declined.agency_id == world["water"].id
    assert db.session.scalar(select(ItemRoute).where(ItemRoute.agency_id == world["power"].id)) is None


def test_another_agency_cannot_request_for_my_items(client, login_as, world, make_user):
    route = _route("پایتخت")
    login_as(make_user(role="staff", agency=world["power"], username="power-staff"))
    response = client.post("/inbox/request", data={"csrf_token": csrf_token(client, "/inbox/"),
                                                   "route_id": route.id, "agency_id": world["power"].id,
                                                   "reason": "x"})
    assert response.status_code == 404
    db.session.refresh(route)
    assert route.request_at is None


def test_accept_in_bulk(client, login_as, world):
    login_as(world["staff"])
    route = _route("پایتخت")
    client.post("/inbox/mark", data={"csrf_token": csrf_token(client, "/inbox/"), "status": "accepted",
                                     "route_id": [str(route.id)]})
    db.session.refresh(route)
    assert route.status == "accepted"


def test_menu_counts_new_items_and_pending_requests(client, login_as, world):
    login_as(world["staff"])
    nav = client.get("/").get_data(as_text=True)
    assert 'data-nav-count="inbox.index">۳<' in nav
    route = _route("پایتخت")
    token = csrf_token(client, "/inbox/")
    client.post("/inbox/mark", data={"csrf_token": token, "status": "seen", "route_id": [str(route.id)]})
    assert 'data-nav-count="inbox.index">۲<' in client.get("/").get_data(as_text=True)
    client.post("/inbox/request", data={"csrf_token": token, "route_id": route.id,
                                        "agency_id": world["power"].id, "reason": "برق"})
    sup = client.application.test_client()
    login(sup, world["supervisor"])
    assert 'data-nav-count="inbox.index">۱<' in sup.get("/").get_data(as_text=True)


def test_item_page_shows_my_route_and_opening_it_marks_it_seen(client, login_as, world, make_user):
    route = _route("پساب فاضلاب")
    login_as(world["staff"])
    inbox = client.get("/inbox/").get_data(as_text=True)
    assert f'formaction="/items/{route.item_id}/open"' in inbox  # the inbox opens an item by POST
    opened = client.post(f"/items/{route.item_id}/open", data={"csrf_token": csrf_token(client, "/inbox/")})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/items/{route.item_id}")
    page = client.get(f"/items/{route.item_id}").get_data(as_text=True)
    assert "ارجاع به سازمان‌ها" in page and "فاضلاب" in page and "پرسش یا گلایهٔ مردمی" in page
    db.session.refresh(route)
    assert route.status == "seen" and route.status_changed_by_id == world["staff"].id
    assert 'value="accepted"' in page
    # A supervisor opening it changes nothing; another agency's staff sees no route of it.
    other = route.item_id
    sup = client.application.test_client()
    login(sup, world["supervisor"])
    assert "شرکت آب و فاضلاب" in sup.get(f"/items/{other}").get_data(as_text=True)
    power = client.application.test_client()
    login(power, make_user(role="staff", agency=world["power"], username="power-staff"))
    assert "ارجاع به سازمان‌ها" not in power.get(f"/items/{other}").get_data(as_text=True)
    db.session.refresh(route)
    assert route.status == "seen"


def test_date_filters_are_days_in_the_configured_zone(app, client, login_as, world):
    """A day typed in a filter is a day where the users are (HAMZABAN_TIMEZONE), not always Tehran:
    22:00 UTC on 20 November is still the 20th (1405/08/29) in UTC, but the 21st in Tehran."""
    late = ItemFactory().make("قطعی آب شبانه", published_at=datetime(2026, 11, 20, 22, tzinfo=UTC))
    route_items(db.session, [late])
    db.session.commit()
    login_as(world["staff"])
    html = client.get("/inbox/?since=1405/08/29&until=1405/08/29").get_data(as_text=True)
    assert "قطعی آب شبانه" not in html and "محلهٔ شمالی" in html  # Tehran: the 21st
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    html = client.get("/inbox/?since=1405/08/29&until=1405/08/29").get_data(as_text=True)
    assert "قطعی آب شبانه" in html and "محلهٔ شمالی" in html


def test_the_page_counts_are_the_menu_counts(client, login_as, world):
    """The inbox's numbers and the menu's badge come from one count (triage.inbox_counts)."""
    from app.services.triage import inbox_badge, inbox_counts

    route = _route("پایتخت")
    login_as(world["staff"])
    token = csrf_token(client, "/inbox/")
    client.post("/inbox/request", data={"csrf_token": token, "route_id": route.id,
                                        "agency_id": world["power"].id, "reason": "برق"})
    sup = client.application.test_client()
    login(sup, world["supervisor"])
    html = sup.get("/inbox/").get_data(as_text=True)
    counts = inbox_counts()
    assert (counts.new, counts.pending, counts.unassigned) == (3, 1, 0)
    assert inbox_badge(world["supervisor"]) == counts.waiting == 1
    assert 'title="خبرهای تازه">۳<' in html and "۱ درخواست ارجاع در انتظار تصمیم شماست." in html


@pytest.mark.parametrize("body", [{}, {"csrf_token": "%ff%fe"}], ids=["no token", "bad token"])
def test_a_refused_posts_error_page_counts_the_users_own_agency(client, login_as, world, body):
    """A POST refused by the CSRF check rendered its error page before the agency scope was set:
    the menu counted every agency's new routes (a review of login, round 4)."""
    items = ItemFactory()
    power_rule = create_rule(world["power"], "خاموشی", "خاموشی", actor_label="test")
    route_items(db.session, [items.make(f"خاموشی در محله {n}") for n in range(4)])
    db.session.commit()
    assert power_rule.id and db.session.query(ItemRoute).count() == 7
    login_as(world["staff"])
    assert 'data-nav-count="inbox.index">۳<' in client.get("/").get_data(as_text=True)
    refused = client.post("/alerts/read-all", data=body)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'data-nav-count="inbox.index">۳<' in html and "۷" not in html.split('id="account-menu"')[0]
