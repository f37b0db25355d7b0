"""Coverage suggestions of a held conference: items published in the window after it that carry
its topics (word forms too) or its spokespeople, found through the search index and the agency's
routes and checked by the rules matcher; confirmed or rejected by staff; an idempotent rerun; the
worker's job; the page's counts by outlet and scope."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.scoping import agency_scope
from app.services import NotAllowed, NotFound, ServiceError
from app.services.conference_coverage import (
    coverage_job,
    coverage_section,
    decide,
    find_coverage,
)
from app.services.conferences import MoveRequest, move_conference
from app.services.indexing import drain
from models import ConferenceCoverage, ItemRoute
from tests.search_index.item_factory import ItemFactory
from tests.services import conference_fixtures

conf = conference_fixtures.conf


@pytest.fixture
def scene(conf):
    """A's conference held 10 days ago at 10:00 (window: 7 days) and items around it."""
    c = conf.plan(day=local_today() - timedelta(days=10), time="10:00", topics="کم‌آبی\nجیره‌بندی آب",
                  spokespeople="علی رضایی (مدیرعامل)")
    move_conference(c.id, MoveRequest(to_status="held"), conf.staff)
    at = c.starts_at
    f = ItemFactory()
    items = {
        "topic_forms": f.make("کم‌آبی‌ها در شهر جدی شد", "گزارشی از محله‌ها.", outlet=conf.local1,
                              published_at=at + timedelta(hours=2), commit=False),
        "spokesperson": f.make("وعدهٔ تازه برای تابستان", "علی رضایی، مدیرعامل شرکت، گفت لوله‌ها نو می‌شوند.",
                               outlet=conf.national, published_at=at + timedelta(days=1), commit=False),
        "routed_topic": f.make("جیره‌بندی آب در تابستان نیست", "", outlet=conf.provincial,
                               published_at=at + timedelta(days=3), commit=False),
        "routed_unrelated": f.make("افتتاح پارک محله", "پارک تازه باز شد.", outlet=conf.local2,
                                   published_at=at + timedelta(days=1), commit=False),
        "before": f.make("کم‌آبی در راه است", "", outlet=conf.local1, published_at=at - timedelta(hours=3), commit=False),
        "after_window": f.make("کم‌آبی ادامه دارد", "", outlet=conf.local1, published_at=at + timedelta(days=9),
                               commit=False),
        "other_words": f.make("کمبود آب در روستا", "", outlet=conf.local2, published_at=at + timedelta(days=1),
                              commit=False),
    }
    for key in ("routed_topic", "routed_unrelated"):
        db.session.add(ItemRoute(item_id=items[key].id, agency_id=conf.a.id, status="new"))
    db.session.commit()
    drain()
    return c, items


def _rows(conference_id: int) -> dict[int, ConferenceCoverage]:
    return {r.item_id: r for r in db.session.scalars(select(ConferenceCoverage)
                                                       .where(ConferenceCoverage.conference_id == conference_id))}


def test_items_matching_topics_or_spokespeople_within_the_window_are_suggested(conf, scene):
    c, items = scene
    result = find_coverage(c.id, conf.staff)
    rows = _rows(c.id)
    expected = {items[k].id for k in ("topic_forms", "spokesperson", "routed_topic")}
    assert set(rows) == expected and result.added == 3
    assert {r.state for r in rows.values()} == {"suggested"}
    reasons = {k: rows[items[k].id].reasons for k in ("topic_forms", "spokesperson", "routed_topic")}
    assert reasons["topic_forms"] == [{"kind": "topic", "text": "کم‌آبی"}]
    assert reasons["spokesperson"] == [{"kind": "spokesperson", "text": "علی رضایی"}]
    assert reasons["routed_topic"] == [{"kind": "topic", "text": "جیره‌بندی آب"}, {"kind": "agency", "text": conf.a.name_fa}]
    assert rows[items["routed_topic"].id].score > rows[items["topic_forms"].id].score
    assert [e.kind for e in c.events][-1] == "coverage_found"


def test_a_rerun_adds_nothing_and_keeps_the_decisions(conf, scene):
    c, items = scene
    find_coverage(c.id, conf.staff)
    confirmed = _rows(c.id)[items["topic_forms"].id]
    rejected = _rows(c.id)[items["spokesperson"].id]
    decide(c.id, confirmed.id, "confirmed", conf.staff)
    decide(c.id, rejected.id, "rejected", conf.manager)
    again = find_coverage(c.id, conf.staff)
    assert again.added == 0
    rows = _rows(c.id)
    assert len(rows) == 3
    assert (rows[items["topic_forms"].id].state, rows[items["spokesperson"].id].state) == ("confirmed", "rejected")
    assert rows[items["topic_forms"].id].decided_by_id == conf.staff.id
    kinds = [e.kind for e in c.events]
    assert kinds.count("coverage_found") == 1 and kinds.count("coverage_confirmed") == 1


def test_the_page_shows_confirmed_coverage_by_outlet_and_scope(conf, scene):
    c, items = scene
    find_coverage(c.id, conf.staff)
    rows = _rows(c.id)
    for key in ("topic_forms", "spokesperson", "routed_topic"):
        decide(c.id, rows[items[key].id].id, "confirmed", conf.staff)
    decide(c.id, rows[items["routed_topic"].id].id, "rejected", conf.staff)  # a decision can change
    section = coverage_section(c, conf.staff)
    assert [r.item_id for r in section["confirmed"]] == [items["topic_forms"].id, items["spokesperson"].id]
    assert dict(section["by_scope"]) == {"local": 1, "provincial": 0, "national": 1}
    assert section["by_outlet"] == [(("خبرگزاری سراسری", "national"), 1), (("روزنامهٔ شهر", "local"), 1)]
    assert [r.item_id for r in section["rejected"]] == [items["routed_topic"].id] and section["suggested"] == []


def test_without_the_search_index_the_routed_items_are_still_checked(conf, scene, app, monkeypatch):
    from app.services import conference_coverage as module

    c, items = scene
    monkeypatch.setattr(module, "_searched_ids", lambda conference, found: (set(), True))
    result = find_coverage(c.id, conf.staff)
    assert set(_rows(c.id)) == {items["routed_topic"].id} and result.index_missing


def test_only_a_held_conference_of_the_actors_agency(conf, scene):
    c, _items = scene
    planned = conf.plan(days=3)
    with pytest.raises(ServiceError, match="پس از برگزاری"):
        find_coverage(planned.id, conf.staff)
    with pytest.raises(NotAllowed):
        find_coverage(c.id, conf.viewer)
    with agency_scope(conf.b.id), pytest.raises(NotFound):
        find_coverage(c.id, conf.staff_b)
    find_coverage(c.id, conf.staff)
    row = next(iter(_rows(c.id).values()))
    with agency_scope(conf.b.id), pytest.raises(NotFound):
        decide(c.id, row.id, "confirmed", conf.staff_b)
    with pytest.raises(ServiceError):
        decide(c.id, row.id, "suggested", conf.staff)
    assert _rows(c.id)[row.item_id].state == "suggested"


def test_the_worker_job_finds_coverage_of_recent_conferences_once(conf, app):
    c = conf.plan(day=local_today() - timedelta(days=2), time="09:00", topics="آب‌بها", spokespeople="")
    move_conference(c.id, MoveRequest(to_status="held"), conf.staff)
    old = conf.plan(day=local_today() - timedelta(days=30), time="09:00", topics="آب‌بها", spokespeople="")
    move_conference(old.id, MoveRequest(to_status="held"), conf.staff)
    f = ItemFactory()
    f.make("نرخ آب‌بها اعلام شد", "", outlet=conf.local1, published_at=c.starts_at + timedelta(hours=5), commit=False)
    f.make("آب‌بها", "", outlet=conf.local1, published_at=old.starts_at + timedelta(hours=5), commit=False)
    db.session.commit()
    drain()
    assert coverage_job(app) == "conferences=1 suggested=1"
    assert coverage_job(app) == "conferences=1 suggested=0"
    assert db.session.scalar(select(func.count()).select_from(ConferenceCoverage)) == 1
    assert any(name == "conference-coverage" for name, _every, _job in app.extensions["hamzaban_jobs"])
