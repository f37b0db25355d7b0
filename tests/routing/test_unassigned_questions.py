"""A public question in the province's own media that no agency's rule takes is not lost: it
waits, without an agency, for the governorate's supervisors, who send it to the right agency."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.routing import create_rule, route_items
from app.services.triage import inbox_badge
from models import ItemRoute
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory

COMPLAINT = ("گلایهٔ ساکنان شهرک از رهاشدن پروژهٔ پارک محله؛ چرا کسی پاسخ نمی‌دهد؟",
             "ساکنان شهرک می‌گویند پروژهٔ پارک سه سال است نیمه‌کاره مانده و مسئولان پاسخی نمی‌دهند.")


@pytest.fixture
def world(app, make_agency):
    water = make_agency(slug="water", name_fa="شرکت آب و فاضلاب")
    city = make_agency(slug="municipality", name_fa="شهرداری")
    create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    items = ItemFactory()
    outlets = {scope: items.outlet(f"رسانهٔ {scope}", scope=scope) for scope in ("local", "provincial", "national")}
    made = {scope: items.make(*COMPLAINT, outlet=outlet) for scope, outlet in outlets.items()}
    made["plain"] = items.make("افتتاح نمایشگاه کتاب استان", "نمایشگاه تا جمعه برپاست.", outlet=outlets["local"])
    route_items(db.session, list(made.values()))
    db.session.commit()
    return {"water": water, "city": city, "items": made}


def test_unassigned_questions_of_local_and_provincial_outlets_wait_for_supervisors(world):
    routes = db.session.scalars(select(ItemRoute).order_by(ItemRoute.item_id)).all()
    assert [(r.item_id, r.agency_id) for r in routes] == [
        (world["items"]["local"].id, None), (world["items"]["provincial"].id, None)]
    assert all(r.is_question and r.question_reasons and r.matched == [] for r in routes)


def test_supervisor_sees_and_assigns_them_agencies_do_not_see_them(app, client, world, make_user):
    supervisor = make_user(role="supervisor")
    login(client, supervisor)
    page = client.get("/inbox/?unassigned=y").get_data(as_text=True)
    assert "پرسش یا گلایهٔ مردمی در رسانه‌های استان هیچ سازمانی ندارد" in page and "بی‌سازمان" in page
    assert inbox_badge(supervisor) == 2
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == world["items"]["local"].id))
    client.post("/inbox/reassign", data={"csrf_token": csrf_token(client, "/inbox/"), "route_id": route.id,
                                         "agency_id": world["city"].id, "reason": "پارک محله با شهرداری است"})
    db.session.expire_all()
    assert db.session.get(ItemRoute, route.id).status == "reassigned"
    moved = db.session.scalar(select(ItemRoute).where(ItemRoute.agency_id == world["city"].id))
    assert moved.item_id == route.item_id and moved.is_question and moved.status == "new"

    staff = app.test_client()
    login(staff, make_user(role="staff", agency=world["water"], username="water-staff"))
    html = staff.get("/inbox/").get_data(as_text=True)
    assert "پارک محله" not in html  # not the water company's, and not assigned to it


def test_no_unassigned_routes_when_the_setting_is_empty(app, make_agency):
    app.config["ROUTING_UNASSIGNED_SCOPES"] = ()
    create_rule(make_agency(slug="water"), "قطعی آب", "قطعی آب", actor_label="test")
    items = ItemFactory()
    item = items.make(*COMPLAINT, outlet=items.outlet("محلی", scope="local"))
    assert route_items(db.session, [item]) == 0


def test_questions_are_kept_before_any_rule_exists(app):
    items = ItemFactory()
    item = items.make(*COMPLAINT, outlet=items.outlet("محلی", scope="local"))
    assert route_items(db.session, [item]) == 1
    db.session.commit()
    route = db.session.scalar(select(ItemRoute))
    assert route.agency_id is None and route.is_question


def test_a_rule_run_on_earlier_items_takes_them_out_of_the_unassigned_queue(world, make_user):
    from app.services.rule_tester import request_backfill, run_backfills

    supervisor = make_user(role="supervisor")
    assert inbox_badge(supervisor) == 2
    rule = create_rule(world["city"], "پارک", "پارک محله", actor_label="test")
    request_backfill(rule, None, supervisor)
    run_backfills()
    assert inbox_badge(supervisor) == 0
    statuses = dict(db.session.execute(select(ItemRoute.agency_id, ItemRoute.status)
                                       .where(ItemRoute.item_id == world["items"]["local"].id)).all())
    assert statuses == {None: "reassigned", world["city"].id: "new"}
