"""Two people deciding about the same routed item at once (the inbox): each read the route as it
was and passed the checks; the decision that reaches the database second is refused with a
Persian message, and the first one stands (SQLite and PostgreSQL alike)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services import ServiceError
from app.services.triage import (
    decide_request,
    mark_item_seen,
    reassign,
    request_reassignment,
    set_routes_status,
)
from models import Agency, AuditEntry, ItemRoute, User
from tests.search_index.item_factory import ItemFactory
from tests.services.concurrency import elsewhere


@pytest.fixture
def inbox(app, make_agency, make_user):
    water, power = make_agency(slug="water", name_fa="آب و فاضلاب"), make_agency(slug="power", name_fa="توزیع برق")
    roads = make_agency(slug="roads", name_fa="راه و شهرسازی")
    item = ItemFactory().make("کابل برق در کوچهٔ بهاران افتاده است", "اهالی می‌گویند سیم برق روی زمین است.")
    route = ItemRoute(item_id=item.id, agency_id=water.id, rule_ids=[], matched=[], status="new")
    db.session.add(route)
    db.session.commit()
    return {"water": water, "power": power, "roads": roads, "route": route,
            "staff": make_user(role="staff", agency=water), "supervisor": make_user(role="supervisor"),
            "admin": make_user(role="admin")}


def _elsewhere(app, action, route_id: int, user_id: int) -> list[str]:
    return elsewhere(app, lambda: action(db.session.get(ItemRoute, route_id), db.session.get(User, user_id)))


def _routes(item_id: int) -> list[tuple[int, str]]:
    return [(r.agency_id, r.status) for r in db.session.scalars(
        select(ItemRoute).where(ItemRoute.item_id == item_id).order_by(ItemRoute.id))]


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("item_route.%"))
                                   .order_by(AuditEntry.id)))


def test_a_route_sent_elsewhere_meanwhile_is_not_accepted_back(app, inbox):
    """The supervisor sent the item to the power company while the water desk's «accept» was on its
    way: the water route stays «reassigned», the item is the power company's only."""
    route, power_id = inbox["route"], inbox["power"].id
    assert route.status == "new"  # what the desk's page read
    assert _elsewhere(app, lambda r, user: reassign(r, db.session.get(Agency, power_id), "کار برق است", user),
                      route.id, inbox["supervisor"].id) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        set_routes_status([route], "accepted", inbox["staff"])
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "reassigned"), (power_id, "new")]
    assert _actions() == ["item_route.reassigned", "item_route.received"]


def test_two_supervisors_sending_an_item_at_once_keep_the_first_choice(app, inbox):
    route, roads_id = inbox["route"], inbox["roads"].id
    assert route.status == "new"
    assert _elsewhere(app, lambda r, user: reassign(r, db.session.get(Agency, roads_id), "کار راه است", user),
                      route.id, inbox["admin"].id) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        reassign(route, inbox["power"], "کار برق است", inbox["supervisor"])
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "reassigned"), (roads_id, "new")]
    assert _actions() == ["item_route.reassigned", "item_route.received"]


def test_a_request_declined_meanwhile_is_not_approved(app, inbox):
    route = inbox["route"]
    request_reassignment(route, inbox["power"], "کابل برق است، نه آب", inbox["staff"])
    assert route.request_at is not None  # what the second supervisor's page read
    assert _elsewhere(app, lambda r, user: decide_request(r, False, user, note="نخست بازدید شود"),
                      route.id, inbox["admin"].id) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        decide_request(route, True, inbox["supervisor"])
    db.session.expire_all()
    again = db.session.get(ItemRoute, route.id)
    assert (again.status, again.request_at) == ("new", None)
    assert _routes(route.item_id) == [(inbox["water"].id, "new")]
    assert _actions() == ["item_route.reassign_requested", "item_route.reassign_declined"]


def test_an_item_opened_twice_is_marked_seen_once(app, inbox):
    """A colleague opened the item first (or the same person clicked twice): the second opening
    finds the route seen already, changes nothing and does not fail. (The opening reads the route
    afresh; between that read and its write, the write itself holds: ``status = 'new'``.)"""
    route, staff = inbox["route"], inbox["staff"]
    assert _elsewhere(app, lambda r, user: mark_item_seen(r.item_id, user), route.id, staff.id) == []
    assert mark_item_seen(route.item_id, staff) == 0
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "seen")]
    assert _actions() == ["item_route.status_changed"]


def test_opening_an_item_decided_before_keeps_the_decision(app, inbox):
    route, staff = inbox["route"], inbox["staff"]
    assert _elsewhere(app, lambda r, user: set_routes_status([r], "dismissed", user), route.id, staff.id) == []
    assert route.status == "new"  # what this opening read
    assert mark_item_seen(route.item_id, staff) == 0
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "dismissed")]


def test_a_bulk_action_goes_through_when_a_colleague_did_the_same_or_only_opened_an_item(app, inbox, make_agency):
    """Two ticked routes: a colleague dismissed one and opened the other meanwhile; my «dismiss»
    of both stands (nothing refused, one audit entry each for what each of us changed)."""
    first, staff = inbox["route"], inbox["staff"]
    item = ItemFactory().make("لوله در خیابان شکسته است", "آب در خیابان جاری است.")
    second = ItemRoute(item_id=item.id, agency_id=inbox["water"].id, rule_ids=[], matched=[], status="new")
    db.session.add(second)
    db.session.commit()
    assert _elsewhere(app, lambda r, user: set_routes_status([r], "dismissed", user), first.id, staff.id) == []
    assert _elsewhere(app, lambda r, user: mark_item_seen(r.item_id, user), second.id, staff.id) == []
    assert (first.status, second.status) == ("new", "new")  # what the ticked page read
    set_routes_status([first, second], "dismissed", staff)
    db.session.expire_all()
    assert [db.session.get(ItemRoute, r.id).status for r in (first, second)] == ["dismissed", "dismissed"]
    assert _actions() == ["item_route.status_changed"] * 3  # theirs ×2, mine for the second route


def test_a_decision_of_a_colleague_meanwhile_refuses_a_different_one(app, inbox):
    route, staff = inbox["route"], inbox["staff"]
    assert _elsewhere(app, lambda r, user: set_routes_status([r], "accepted", user), route.id, staff.id) == []
    with pytest.raises(ServiceError, match="هم‌زمان"):
        set_routes_status([route], "dismissed", staff)
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "accepted")]


def test_a_supervisor_sends_an_item_a_desk_opened_meanwhile(app, inbox):
    """The desk opening the item (new → seen) while the supervisor sends it elsewhere changes
    nothing the supervisor decided on: it is sent."""
    route, power_id = inbox["route"], inbox["power"].id
    assert _elsewhere(app, lambda r, user: mark_item_seen(r.item_id, user), route.id, inbox["staff"].id) == []
    reassign(route, db.session.get(Agency, power_id), "کار برق است", inbox["supervisor"])
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "reassigned"), (power_id, "new")]


def test_a_request_on_an_item_sent_away_meanwhile_is_refused(app, inbox):
    route, power_id, roads_id = inbox["route"], inbox["power"].id, inbox["roads"].id
    assert _elsewhere(app, lambda r, user: reassign(r, db.session.get(Agency, power_id), "کار برق است", user),
                      route.id, inbox["supervisor"].id) == []
    assert route.status == "new"  # the desk's page, read before
    with pytest.raises(ServiceError, match="هم‌زمان"):
        request_reassignment(route, db.session.get(Agency, roads_id), "کار راه است", inbox["staff"])
    db.session.expire_all()
    assert db.session.get(ItemRoute, route.id).request_at is None


def test_a_request_declined_while_the_desk_opened_the_item_is_declined(app, inbox):
    route, roads_id = inbox["route"], inbox["roads"].id
    request_reassignment(route, db.session.get(Agency, roads_id), "کار راه است", inbox["staff"])
    assert _elsewhere(app, lambda r, user: mark_item_seen(r.item_id, user), route.id, inbox["staff"].id) == []
    decide_request(route, False, inbox["supervisor"], note="همین سازمان پاسخ می‌دهد")
    db.session.expire_all()
    again = db.session.get(ItemRoute, route.id)
    assert (again.status, again.request_at) == ("seen", None)


def test_a_route_sent_away_is_not_sent_again_from_a_stale_page(app, inbox):
    """The same «send to» posted twice (a double click, a second supervisor's stale page): the
    item stays with the first agency it was sent to, not with two."""
    route, power, roads = inbox["route"], inbox["power"], inbox["roads"]
    reassign(route, power, "کار برق است", inbox["supervisor"])
    again = db.session.get(ItemRoute, route.id)  # the next request reads it afresh
    with pytest.raises(ServiceError, match="پیش‌تر به سازمان دیگری ارجاع شده"):
        reassign(again, roads, "کار راه است", inbox["admin"])
    db.session.expire_all()
    assert _routes(route.item_id) == [(inbox["water"].id, "reassigned"), (power.id, "new")]
    assert _actions() == ["item_route.reassigned", "item_route.received"]
