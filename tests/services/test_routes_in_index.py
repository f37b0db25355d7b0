"""Routes in the search index, on the path a real deployment takes.

Nothing here registers a hook: the app comes from ``create_app`` (the ``app`` fixture), the
agencies, users, starter rules and demo feeds from ``seed-demo``'s own functions, the items
through the feed pipeline (``import_files`` → ``feed_pipeline.store_outcome`` → store, route,
alerts), the index through the indexer's ``drain``, and every route change through its service.
"""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.agencies import ensure_standard_agencies
from app.services.alerts import create_saved_search
from app.services.demo import seed_demo
from app.services.indexing import drain
from app.services.routing import create_rule
from app.services.rule_tester import request_backfill, run_backfills
from app.services.search import SearchRequest, search
from app.services.triage import reassign, set_route_status
from models import Agency, ItemRoute, Notification, SearchOutbox
from tests.conftest import csrf_token


def found(text: str, agency: str | None = None, actor=None, **filters) -> set[int]:
    page = search(SearchRequest(text=text, agencies=(agency,) if agency else (), per_page=100, **filters),
                  actor=actor, highlight=False)
    assert not page.index_missing
    return {result.item.id for result in page.results}


def routed_to(slug: str, statuses=("new", "seen", "accepted")) -> set[int]:
    return set(db.session.scalars(select(ItemRoute.item_id).join(Agency, Agency.id == ItemRoute.agency_id)
                                  .where(Agency.slug == slug, ItemRoute.status.in_(statuses))))


def outbox_items() -> set[int]:
    return set(db.session.scalars(select(SearchOutbox.doc_id).where(SearchOutbox.doc_type == "item")))


def result_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="/items/(\d+)"', html)}


@pytest.fixture
def deployment(app, make_user):
    """seed-demo's agencies, rules and demo feeds, with a water user's saved search (agency =
    water) saved before the feeds come in, and the index drained once."""
    assert "hamzaban_item_agencies" not in app.extensions  # no test hook anywhere
    app.config["SEARCH_REFRESH_SECONDS"] = 0  # the page sees each drain at once
    ensure_standard_agencies(actor_label="test")
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    water_user = make_user(role="staff", agency=agencies["water"])
    supervisor = make_user(role="supervisor")
    saved = create_saved_search(water_user, "آب", "آب", {"agency": "water"})
    seed_demo()  # starter rules, then the demo feeds through the pipeline
    summary = drain()
    assert summary.indexed and not summary.remaining
    return agencies, water_user, supervisor, saved


def test_agency_filter_and_alerts_agree_on_the_deployment_path(app, client, login_as, deployment):
    _agencies, water_user, _supervisor, saved = deployment
    water = found("آب", "water", water_user)
    assert water, "the demo feeds have items about water routed to water"
    assert water == found("آب") & routed_to("water")
    notified = set(db.session.scalars(select(Notification.item_id)
                                      .where(Notification.saved_search_id == saved.id)))
    assert notified == water  # the alert fired exactly for what its search finds

    login_as(water_user)  # the saved search's own "run" button on the page (a POST: it records the run)
    response = client.post(f"/alerts/saved/{saved.id}/run", data={"csrf_token": csrf_token(client, "/alerts/saved")},
                           follow_redirects=True)
    assert response.status_code == 200
    assert result_ids(response.get_data(as_text=True)) == notified


def test_reassignment_moves_an_item_within_one_indexer_run(app, deployment):
    agencies, water_user, supervisor, _saved = deployment
    item_id = min(found("آب", "water", water_user))
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item_id,
                                                      ItemRoute.agency_id == agencies["water"].id))
    reassign(route, agencies["power"], "مربوط به برق است", supervisor)
    assert item_id in outbox_items()  # queued in the reassignment's own transaction
    drain(max_batches=1)
    assert item_id not in found("آب", "water", supervisor)
    assert item_id in found("آب", "power", supervisor)


def test_status_changes_and_backfills_reach_the_index(app, deployment):
    agencies, water_user, supervisor, _saved = deployment
    seen, dismissed = sorted(found("آب", "water", water_user))[:2]
    routes = {r.item_id: r for r in db.session.scalars(select(ItemRoute).where(
        ItemRoute.agency_id == agencies["water"].id, ItemRoute.item_id.in_([seen, dismissed])))}
    set_route_status(routes[seen], "seen", water_user)
    set_route_status(routes[dismissed], "dismissed", water_user)
    assert {seen, dismissed} <= outbox_items()
    drain()
    after = found("آب", "water", water_user)
    assert seen in after and dismissed not in after  # a dismissed route is not "routed to water"

    rule = create_rule(agencies["environment"], "آب و محیط زیست", "آب", actor_label="test")
    assert found("آب", "environment", supervisor) == set()
    before = routed_to("environment")
    request_backfill(rule, None, actor_label="test")
    run_backfills()
    backfilled = routed_to("environment") - before
    assert backfilled and backfilled <= outbox_items()  # queued in the backfill batch's transaction
    drain()
    assert found("آب", "environment", supervisor) == backfilled


def test_search_rebuild_upgrades_an_index_of_the_previous_schema(app, deployment):
    """An index written by the code before routes were indexed (schema 2: no ``routes`` field, no
    agencies): the indexer keeps the outbox instead of failing half-way, and ``search rebuild``
    (without --fresh) upgrades it."""
    import shutil
    from pathlib import Path

    from whoosh import index as whoosh_index

    from app.services.indexing import verify
    from models import Item
    from search_index.schema import SCHEMA_VERSION
    from search_index.whoosh_backend import VERSION_FILE, build_schema

    agencies, water_user, supervisor, _saved = deployment
    path = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(path)
    path.mkdir()
    old_schema = build_schema()
    old_schema.remove("routes")
    ix = whoosh_index.create_in(str(path), old_schema)
    writer = ix.writer()
    for item in db.session.scalars(select(Item)):
        writer.add_document(id=f"item:{item.id}", doc_type="item", title=item.title,
                            body=f"{item.title}\n{item.text or ''}", version="old")
    writer.commit()
    ix.close()
    (path / VERSION_FILE).write_text(str(SCHEMA_VERSION - 1))

    assert found("آب") and found("آب", "water", supervisor) == set()  # the defect, as deployed
    # Not a route the demo cases accepted already (accepting it again would queue nothing); ordered, as
    # PostgreSQL returns rows in no fixed order.
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.agency_id == agencies["water"].id,
                                                      ItemRoute.status != "accepted").order_by(ItemRoute.id))
    set_route_status(route, "accepted", water_user)
    summary = drain()
    assert summary.outdated and "search rebuild" in summary.line() and summary.remaining == 1
    drained = app.test_cli_runner().invoke(args=["search", "drain", "--json"])
    report = json.loads(drained.output)  # the command says so too, and fails: nothing was written
    assert drained.exit_code == 2 and "search rebuild" in report["outdated"], drained.output
    assert (report["rows"], report["remaining"], report["busy"]) == (0, 1, False)
    assert not verify().schema_ok

    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert (path / VERSION_FILE).read_text().strip() == str(SCHEMA_VERSION)
    assert verify().ok
    assert found("آب", "water", supervisor) == found("آب") & routed_to("water") != set()
    assert drain().remaining == 0


def notified_items(saved) -> list[int]:
    """Item ids notified for ``saved``, one entry per notification (so a repeat would show)."""
    return sorted(db.session.scalars(select(Notification.item_id).where(Notification.saved_search_id == saved.id)))


def test_reassignment_notifies_the_receiving_agencys_saved_searches(app, make_user, deployment):
    """An item reassigned after its ingest reaches the alerts of searches filtered by the agency
    it now belongs to, once, and agrees with the search page after one indexer run."""
    agencies, water_user, supervisor, _ = deployment
    power_user = make_user(role="staff", agency=agencies["power"])
    power_saved = create_saved_search(power_user, "آب در برق", "آب", {"agency": "power"})
    unfiltered = create_saved_search(power_user, "همه آب", "آب")  # saved after ingest, no agency
    assert notified_items(power_saved) == [] and notified_items(unfiltered) == []

    item_id = min(found("آب", "water", water_user))
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item_id,
                                                      ItemRoute.agency_id == agencies["water"].id))
    moved = reassign(route, agencies["power"], "مربوط به برق است", supervisor)
    assert notified_items(power_saved) == [item_id]  # in the reassignment's own transaction
    assert notified_items(unfiltered) == []  # its match does not depend on routes: not new, not notified
    drain(max_batches=1)
    assert set(notified_items(power_saved)) <= found("آب", "power", power_user)  # alert and page agree

    back = reassign(moved, agencies["water"], "برگشت", supervisor)  # and to power again: still one alert
    reassign(back, agencies["power"], "دوباره برق", supervisor)
    assert notified_items(power_saved) == [item_id]


def test_backfill_and_a_route_set_back_notify_filtered_saved_searches(app, make_user, deployment):
    agencies, water_user, _, _ = deployment
    env_user = make_user(role="staff", agency=agencies["environment"])
    env_saved = create_saved_search(env_user, "آب محیط زیست", "آب", {"agency": "environment"})
    rule = create_rule(agencies["environment"], "آب و محیط زیست", "آب", actor_label="test")
    before = routed_to("environment")
    request_backfill(rule, None, actor_label="test")
    run_backfills()
    backfilled = routed_to("environment") - before
    assert backfilled and set(notified_items(env_saved)) == backfilled
    drain()
    assert set(notified_items(env_saved)) == found("آب", "environment", env_user)  # the page agrees

    late = create_saved_search(water_user, "آب دوباره", "آب", {"agency": "water"})  # after ingest
    item_id = min(found("آب", "water", water_user))
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item_id,
                                                      ItemRoute.agency_id == agencies["water"].id))
    set_route_status(route, "dismissed", water_user)
    assert notified_items(late) == []
    set_route_status(route, "new", water_user)  # water's again: its filtered searches hear of it
    assert notified_items(late) == [item_id]
    set_route_status(route, "seen", water_user)
    assert notified_items(late) == [item_id]
