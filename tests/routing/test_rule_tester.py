"""The rule tester (matches among the last N items, highlighted), outlet limits, and applying a
rule to stored items (backfills: once per item, resumable, audited)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import NotAllowed, ServiceError
from app.services.routing import RuleRefused, create_rule, route_items, update_rule
from app.services.rule_tester import (
    mark_spans,
    request_backfill,
    run_backfills,
    snippet,
    try_rule,
)
from app.services.triage import routes_of_rule
from app.web.filters import highlight
from models import AuditEntry, ItemRoute, RuleBackfill, item_route_rules, utcnow
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def items(app):
    return ItemFactory()


@pytest.fixture
def water(make_agency):
    return make_agency(slug="water", name_fa="شرکت آب و فاضلاب")


def test_matched_spans_are_plain_text_pieces():
    """The service hands back text, not HTML: the pieces are the text as written, unescaped."""
    text = "قطعی <آب> در شهر"
    assert mark_spans(text, [(5, 9)]) == [("قطعی ", False), ("<آب>", True), (" در شهر", False)]
    assert mark_spans(text, [(0, 4), (2, 6)]) == [("قطعی", True), (" <آب> در شهر", False)]  # overlap: first wins
    assert "".join(piece for piece, _ in mark_spans(text, [(5, 9)], start=2, end=12)) == text[2:12]
    long = "واژه " * 200 + "قطعی آب " + "واژه " * 200
    start = long.index("قطعی")
    cut = snippet(long, [(start, start + 4)], chars=100)
    assert cut[0] == ("… ", False) and cut[-1] == (" …", False) and ("قطعی", True) in cut
    assert sum(len(piece) for piece, _ in cut) <= 100 + 4
    assert snippet("", []) == []


def test_tester_shows_matches_among_the_last_items_with_highlights(items, water):
    old = items.make("قطعی آب در روستای دور", "متن")
    for n in range(5):
        items.make(f"خبر ورزشی {n}", "بازی")
    items.make("قطع آب شرب", "اهالی از قطعي آب شکایت دارند")  # Arabic ي in the body
    result = try_rule("قطعی آب", agency_id=water.id, last=6)
    assert result.checked == 6
    assert [h.item.title for h in result.hits] == ["قطع آب شرب"]  # the old item is not among the last 6
    hit = result.hits[0]
    marked = [piece for piece, matched in hit.snippet if matched]
    assert marked in (["قطعي", "آب"], ["قطعي آب"])
    assert str(highlight(hit.snippet)).count("<mark>") == len(marked)
    assert hit.words and not hit.routed
    assert [h.item.id for h in try_rule("قطعی آب", last=100).hits][-1] == old.id
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 0  # nothing stored


def test_tester_refuses_a_broken_rule_with_its_position(items):
    with pytest.raises(RuleRefused) as refused:
        try_rule('آب "قطعی')
    assert refused.value.position == 3 and "۴" in str(refused.value)


def test_rule_limited_to_outlets_and_scopes(items, water):
    local, national = items.outlet("همشهری استان", scope="local"), items.outlet("خبرگزاری سراسری", scope="national")
    a = items.make("قطعی آب در محله", outlet=local)
    b = items.make("قطعی آب در پایتخت", outlet=national)
    rule = create_rule(water, "فقط این رسانه", "قطعی آب", outlet_ids=[national.id], actor_label="test")
    assert route_items(db.session, [a, b]) == 1
    db.session.commit()
    assert db.session.scalars(select(ItemRoute.item_id)).all() == [b.id]
    assert [h.item.id for h in try_rule("قطعی آب", scopes=["local"]).hits] == [a.id]
    with pytest.raises(ServiceError):
        update_rule(rule, name=rule.name, query=rule.query, outlet_ids=[999_999], actor_label="test")


def test_routes_remember_their_rules_for_the_inbox_filter(items, water):
    first = create_rule(water, "قطعی", "قطعی آب", actor_label="test")
    second = create_rule(water, "فشار", "افت فشار", actor_label="test")
    item = items.make("قطعی آب و افت فشار در شهر")
    route_items(db.session, [item])
    db.session.commit()
    route = db.session.scalar(select(ItemRoute))
    assert sorted(route.rule_ids) == sorted([first.id, second.id])
    assert db.session.scalar(select(ItemRoute.id).where(routes_of_rule(second.id))) == route.id


def test_backfill_routes_stored_items_once_and_is_audited(items, water, make_user):
    manager = make_user(role="manager", agency=water)
    now = utcnow()
    recent = [items.make(f"قطعی آب شرب {n}", published_at=now - timedelta(days=n)) for n in range(3)]
    items.make("قطعی آب قدیمی", published_at=now - timedelta(days=60))
    items.make("خبر دیگر", published_at=now)
    rule = create_rule(water, "قطعی آب", "قطعی آب", actor=manager)
    request_backfill(rule, 30, manager)
    with pytest.raises(ServiceError):  # one at a time
        request_backfill(rule, 30, manager)
    result = run_backfills()
    assert result["finished"] == 1
    routed = sorted(db.session.scalars(select(ItemRoute.item_id)))
    assert routed == sorted(i.id for i in recent)
    backfill = db.session.scalar(select(RuleBackfill))
    assert backfill.added == 3 and backfill.finished_at is not None
    assert db.session.scalar(select(func.count()).select_from(item_route_rules)) == 3
    # A second run over every stored item adds only the old one.
    request_backfill(rule, None, manager)
    run_backfills()
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 4
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("routing_rule.backfill%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["routing_rule.backfill_requested", "routing_rule.backfill_finished"] * 2


def test_backfill_adds_the_rule_to_an_existing_route_without_touching_its_status(items, water, make_user):
    first = create_rule(water, "قطعی", "قطعی آب", actor_label="test")
    item = items.make("قطعی آب و افت فشار")
    route_items(db.session, [item])
    db.session.commit()
    route = db.session.scalar(select(ItemRoute))
    route.status = "accepted"
    db.session.commit()
    second = create_rule(water, "فشار", "افت فشار", actor_label="test")
    request_backfill(second, None, make_user(role="admin"))
    run_backfills()
    db.session.refresh(route)
    assert route.status == "accepted" and route.rule_ids == [first.id, second.id]
    assert [m["rule"] for m in route.matched] == ["قطعی", "فشار"]
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 1


def test_backfill_resumes_after_a_stop(app, items, water, make_user):
    app.config["ROUTING_BACKFILL_BATCH"] = 2
    for n in range(5):
        items.make(f"قطعی آب {n}")
    rule = create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    request_backfill(rule, None, make_user(role="admin"))
    assert run_backfills(max_batches=1) == {"pending": 1, "finished": 0, "batches": 1}
    backfill = db.session.scalar(select(RuleBackfill))
    assert backfill.checked == 2 and backfill.finished_at is None
    db.session.expire_all()  # as if another worker process picked it up
    run_backfills()
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 5
    assert db.session.scalar(select(RuleBackfill.checked)) == 5


def test_backfill_is_for_rule_editors_and_active_rules(items, water, make_agency, make_user):
    rule = create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    with pytest.raises(NotAllowed):
        request_backfill(rule, 7, make_user(role="staff", agency=water))
    other = make_agency(slug="power", name_fa="برق")
    with pytest.raises(NotAllowed):
        request_backfill(rule, 7, make_user(role="manager", agency=other))
    update_rule(rule, name=rule.name, query=rule.query, is_active=False, actor_label="test")
    with pytest.raises(ServiceError):
        request_backfill(rule, 7, make_user(role="admin"))
    with pytest.raises(ServiceError):
        request_backfill(rule, 12, make_user(role="admin"))
    assert db.session.scalar(select(func.count(RuleBackfill.id))) == 0


def test_editing_rules_is_for_managers_of_their_agency_and_supervisors(water, make_agency, make_user):
    other = make_agency(slug="power", name_fa="برق")
    with pytest.raises(NotAllowed):
        create_rule(water, "x", "آب", actor=make_user(role="staff", agency=water))
    with pytest.raises(NotAllowed):
        create_rule(water, "x", "آب", actor=make_user(role="manager", agency=other))
    rule = create_rule(water, "x", "آب", actor=make_user(role="manager", agency=water))
    assert create_rule(other, "y", "برق", actor=make_user(role="supervisor")).agency_id == other.id
    with pytest.raises(ServiceError):  # the name is taken in this agency
        create_rule(water, "x", "فاضلاب", actor_label="test")
    # Saving without a change makes no new version.
    update_rule(rule, name="x", query="آب", actor_label="test")
    assert rule.version == 1


def test_apply_command_routes_stored_items(app, items, water):
    items.make("قطعی آب شرب")
    rule = create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["routing", "apply", str(rule.id), "--days", "all"])
    assert result.exit_code == 0, result.output
    assert "items checked: 1, routes added: 1" in result.output
    missing = runner.invoke(args=["routing", "apply", "999"])
    assert missing.exit_code == 2 and "قاعده‌ای با شناسهٔ ۹۹۹ نیست." in missing.output
    assert "routes added: 0" in runner.invoke(args=["routing", "apply", str(rule.id), "--days", "all"]).output
