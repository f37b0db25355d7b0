"""The inbox's and the dashboard's figures read at scale (issue 16, item 3: narrow queries, the
governorate's queue in two parts, the page's ids first) give what the plain definitions give:
checked against Python over every route, on routes of every status, agency (and none), with and
without pending requests, received ones and questions, ties in publication time included."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.scoping import agency_scope
from app.services.dashboard import work_by_agency
from app.services.inbox import InboxFilters, inbox_page
from app.services.triage import WAITING_STATUSES, inbox_counts
from models import ROUTE_STATUSES, Item, ItemRoute
from tests.search_index.item_factory import ItemFactory

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


@pytest.fixture
def desk(app, make_agency, make_user):
    rng = random.Random(7)
    agencies = [make_agency(slug=f"a{n}") for n in range(3)]
    factory = ItemFactory()
    outlets = [factory.outlet(scope="local"), factory.outlet(scope="national")]
    for n in range(60):
        # every third item shares its time with the one before: the id breaks the tie
        item = factory.make(f"خبر {n}", outlet=outlets[n % 2], published_at=T0 + timedelta(hours=n - n % 3),
                            commit=False)
        for agency in rng.sample([None, *agencies], rng.randint(1, 3)):
            status = rng.choice(ROUTE_STATUSES)
            db.session.add(ItemRoute(
                item_id=item.id, agency_id=agency.id if agency else None, status=status,
                is_question=rng.random() < 0.4, rule_ids=[], matched=[], question_reasons=[],
                request_at=T0 if agency is not None and rng.random() < 0.2 else None,
                request_agency_id=agencies[0].id if agency is not None else None,
                received_at=T0 if rng.random() < 0.2 else None))
    db.session.commit()
    # one pending request on an unassigned new route: counted once in what waits for the governorate
    unassigned = db.session.scalar(select(ItemRoute).where(ItemRoute.agency_id.is_(None)).order_by(ItemRoute.id))
    unassigned.status, unassigned.request_at = "new", T0
    db.session.commit()
    return {"agencies": agencies, "supervisor": make_user(role="supervisor", username="sup"),
            "staff": make_user(role="staff", agency=agencies[0], username="a0-staff"),
            "routes": list(db.session.scalars(select(ItemRoute)))}


def _visible(routes, agency_id):
    return [r for r in routes if agency_id is None or r.agency_id == agency_id]


@pytest.mark.parametrize("scope", ["province", "agency"])
def test_counts_are_the_plain_counts(desk, scope):
    agency_id = None if scope == "province" else desk["agencies"][0].id
    routes = _visible(desk["routes"], agency_id)
    new = [r for r in routes if r.status == "new"]
    pending = [r for r in routes if r.request_at is not None]
    unassigned = [r for r in new if r.agency_id is None]
    with agency_scope(agency_id):
        counts = inbox_counts()
    assert (counts.new, counts.pending, counts.unassigned) == (len(new), len(pending), len(unassigned))
    assert counts.waiting == len({r.id for r in pending + unassigned})
    if agency_id is None:  # the overlap (a request on an unassigned new route) is counted once
        assert counts.waiting < len(pending) + len(unassigned)


@pytest.mark.parametrize("scope", ["province", "agency"])
def test_work_per_agency_is_the_plain_count(desk, scope):
    agency_id = None if scope == "province" else desk["agencies"][0].id
    expected = {}
    for r in _visible(desk["routes"], agency_id):
        waiting = r.status in WAITING_STATUSES
        if not (waiting or r.request_at is not None):
            continue
        row = expected.setdefault(r.agency_id, [0, 0, 0, 0, 0])
        row[0] += r.status == "new"
        row[1] += r.status == "seen"
        row[2] += waiting and r.is_question
        row[3] += waiting and r.received_at is not None
        row[4] += r.request_at is not None
    with agency_scope(agency_id):
        work = work_by_agency()
    got = {w.agency.id if w.agency else None: [w.new, w.seen, w.questions, w.received, w.requested] for w in work}
    assert got == expected
    assert [w.waiting for w in work] == sorted((w.waiting for w in work), reverse=True)


def _expected_order(routes, governorate: bool):
    items = {i.id: i.published_at for i in db.session.scalars(select(Item))}

    def first(r):  # what waits for the governorate's decision comes first in its queue
        return 0 if governorate and (r.request_at is not None or
                                     (r.agency_id is None and r.status in WAITING_STATUSES)) else 1
    return [r.id for r in sorted(routes, key=lambda r: (first(r), -items[r.item_id].timestamp(), -r.id))]


def _all_pages(user, filters, page_size=5):
    ids, page, totals = [], 1, set()
    while True:
        result = inbox_page(user, filters, page=page, page_size=page_size)
        ids += [r.id for r in result.routes]
        totals.add(result.total)
        if not result.has_next:
            return ids, totals
        page += 1


@pytest.mark.parametrize("who", ["supervisor", "staff"])
@pytest.mark.parametrize("view", ["queue", "all", "seen", "questions", "local"])
def test_every_page_of_the_inbox_in_order(desk, who, view):
    user = desk[who]
    governorate = who == "supervisor"
    agency_id = None if governorate else desk["agencies"][0].id
    routes = _visible(desk["routes"], agency_id)
    local = {i.id for i in db.session.scalars(select(Item)) if i.outlet.scope == "local"}
    filters = InboxFilters()
    if view == "queue":
        routes = [r for r in routes if r.status in WAITING_STATUSES or (governorate and r.request_at is not None)]
    elif view == "all":
        filters.status = "all"
    elif view == "seen":
        filters.status = "seen"
        routes = [r for r in routes if r.status == "seen"]
    elif view == "questions":
        filters.question = True
        routes = [r for r in routes if r.is_question and (
            r.status in WAITING_STATUSES or (governorate and r.request_at is not None))]
    else:
        filters.scope = "local"
        routes = [r for r in routes if r.item_id in local and (
            r.status in WAITING_STATUSES or (governorate and r.request_at is not None))]
    with agency_scope(agency_id):
        ids, totals = _all_pages(user, filters)
    assert ids == _expected_order(routes, governorate and filters.status is None)
    assert totals == {len(routes)}
    if view in ("queue", "all"):
        assert len(routes) > 5  # more than one page: the governorate's two parts meet inside a page
