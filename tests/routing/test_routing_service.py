"""Routing at ingest, the rule service, the offline test command and the agency inbox."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import NotAllowed, ServiceError
from app.services.agencies import ensure_standard_agencies
from app.services.routing import (
    RuleRefused,
    create_rule,
    load_starter_rules,
    update_rule,
)
from app.services.triage import reassign, set_route_status
from models import Agency, AuditEntry, Feed, Item, ItemRoute, RoutingRule, SearchOutbox, utcnow
from tests.conftest import csrf_token
from tests.monitor.test_ingest import DEMO, cli_import


def routes_by_slug() -> dict[str, list[ItemRoute]]:
    found: dict[str, list[ItemRoute]] = {}
    for route in db.session.scalars(select(ItemRoute).order_by(ItemRoute.id)):
        found.setdefault(route.agency.slug, []).append(route)
    return found


@pytest.fixture
def starter(app):
    ensure_standard_agencies(actor_label="test")
    result = load_starter_rules(actor_label="test")
    assert result["added"] > 20
    return {a.slug: a for a in db.session.scalars(select(Agency))}


def make_route(agency, title="خبر آزمایشی", **values) -> ItemRoute:
    feed = db.session.scalar(select(Feed)) or Feed(url="https://t.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, title=title, published_at=utcnow(), content_hash="0")
    db.session.add(item)
    db.session.flush()
    values = {"rule_ids": [], "matched": [], "status": "new", **values}
    route = ItemRoute(item_id=item.id, agency_id=agency.id, **values)
    db.session.add(route)
    db.session.commit()
    return route


def test_starter_pack_loads_once(starter):
    count = db.session.scalar(select(func.count(RoutingRule.id)))
    assert load_starter_rules(actor_label="test") == {"added": 0, "skipped": count}
    assert db.session.scalar(select(func.count(RoutingRule.id))) == count


def test_ingest_routes_demo_items_with_words_and_reasons(app, starter):
    cli_import(app, *DEMO)
    routes = routes_by_slug()
    water_titles = [r.item.title for r in routes["water"]]
    assert any("آب" in t and "قطع" in t for t in water_titles)
    assert any("خاموشی" in r.item.title for r in routes["power"])
    for route in routes["water"] + routes["power"]:
        assert route.status == "new" and route.rule_ids
        assert route.matched and all(m["words"] and m["rule"] for m in route.matched)
    power = next(r for r in routes["power"] if "خاموشی" in r.item.title)
    assert "خاموشی" in [w for m in power.matched for w in m["words"]]
    flagged = [r for rs in routes.values() for r in rs if r.is_question]
    assert flagged and all(r.question_reasons for r in flagged)
    assert {reason["code"] for r in flagged for reason in r.question_reasons} & {"complaint", "question_mark"}
    # Items no rule matches are not routed anywhere.
    assert db.session.scalar(select(func.count(ItemRoute.id))) < 2 * db.session.scalar(select(func.count(Item.id)))


def test_ingest_queues_each_new_routed_item_for_indexing_once(app, starter):
    """Routing new items in the ingest's transaction (FEED_ROUTING=in_transaction) writes no
    second outbox row: the ingest queued them in its transaction."""
    app.config["FEED_ROUTING"] = "in_transaction"
    cli_import(app, *DEMO)
    assert db.session.scalar(select(func.count(ItemRoute.id)))  # some items were routed
    queued = db.session.execute(select(SearchOutbox.doc_id, func.count()).group_by(SearchOutbox.doc_id)
                                .having(func.count() > 1)).all()
    clustered = {item.id for item in db.session.scalars(select(Item).where(Item.cluster_id.is_not(None)))}
    assert {doc_id for doc_id, _ in queued} <= clustered  # only a story's copies are queued again


def test_routing_after_the_commit_queues_routed_items_for_indexing_again(app, starter):
    """Routed after the ingest's commit (the default), an item may have been indexed without its
    routes already: the drain queues each routed item once more (the indexer collapses the two
    rows when it finds both in one batch); an item no rule took is not queued again."""
    cli_import(app, *DEMO)
    routed = set(db.session.scalars(select(ItemRoute.item_id)))
    assert routed
    counts = dict(db.session.execute(select(SearchOutbox.doc_id, func.count()).group_by(SearchOutbox.doc_id)).all())
    clustered = {item.id for item in db.session.scalars(select(Item).where(Item.cluster_id.is_not(None)))}
    assert all(counts[item_id] >= 2 for item_id in routed)
    assert {i for i, n in counts.items() if n > 1} <= routed | clustered


def test_reimport_does_not_route_again_nor_duplicate(app, starter):
    cli_import(app, *DEMO)
    before = db.session.execute(select(ItemRoute.item_id, ItemRoute.agency_id).order_by(ItemRoute.id)).all()
    assert before
    # A rule added later applies to new items only: a re-import must not route old ones to it.
    create_rule(starter["culture"], "همه‌چیز", "شهر یا استان", actor_label="test")
    second = cli_import(app, *DEMO)
    assert second["items_new"] == 0
    after = db.session.execute(select(ItemRoute.item_id, ItemRoute.agency_id).order_by(ItemRoute.id)).all()
    assert after == before


def test_new_rule_is_picked_up_by_the_next_ingest(app, starter):
    create_rule(starter["culture"], "کسبه", "کسبه", actor_label="test")
    cli_import(app, *DEMO)
    culture = routes_by_slug().get("culture", [])
    assert any("کسبه" in r.item.title for r in culture)


def test_rule_with_syntax_error_is_refused_with_its_position(starter):
    with pytest.raises(RuleRefused) as refused:
        create_rule(starter["water"], "ناقص", 'آب "قطعی', actor_label="test")
    assert refused.value.position == 3
    assert "۴" in str(refused.value) and "گیومه" in str(refused.value)
    assert db.session.scalar(select(RoutingRule).where(RoutingRule.name == "ناقص")) is None


def test_rule_update_is_versioned_and_audited(starter, make_user):
    admin = make_user(role="admin")
    rule = create_rule(starter["water"], "چاه", "چاه", actor=admin)
    update_rule(rule, name="چاه‌ها", query="چاه یا قنات", actor=admin)
    assert rule.version == 2
    with pytest.raises(RuleRefused):
        update_rule(rule, name="چاه‌ها", query="چاه یا", actor=admin)
    db.session.rollback()
    assert db.session.get(RoutingRule, rule.id).query == "چاه یا قنات"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "RoutingRule",
                                                          AuditEntry.object_id == rule.id)
                                 .order_by(AuditEntry.id)).all()  # PostgreSQL returns rows in no set order
    assert [e.action for e in entries] == ["routing_rule.created", "routing_rule.updated"]
    assert entries[1].details["before"]["query"] == "چاه"


def test_routing_test_command_uses_starter_pack_without_db_rules(app):
    lines = [{"id": "a", "title": "قطعی آب شرب در سه روستا", "summary": "", "text": "اهالی گلایه دارند؟"},
             {"id": "b", "title": "قهرمانی تیم کشتی", "summary": "", "text": ""}]
    result = app.test_cli_runner().invoke(args=["routing", "test", "--json"],
                                          input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert out[0]["id"] == "a" and "water" in out[0]["agencies"]
    assert out[0]["question"] is True and "complaint" in out[0]["reasons"]
    assert out[1]["id"] == "b" and "water" not in out[1]["agencies"] and out[1]["question"] is False
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 0


def test_routing_test_command_uses_active_db_rules(app, make_agency):
    agency = make_agency(slug="water", name_fa="آبفا")
    create_rule(agency, "چاه", "چاه", actor_label="test")
    line = json.dumps({"id": 1, "title": "قطعی آب شرب", "summary": "", "text": "حفر چاه"}, ensure_ascii=False)
    result = app.test_cli_runner().invoke(args=["routing", "test", "--json"], input=line + "\n")
    out = json.loads(result.output)
    assert {key: out[key] for key in ("id", "agencies", "question", "reasons", "routes")} == {
        "id": 1, "agencies": ["water"], "question": False, "reasons": [],
        "routes": [{"agency": "water", "rule": "چاه", "words": [{"word": "چاه", "found": "چاه"}]}]}
    # the classifier's keys (issue 15; LEARNING is off in this test): nothing from the model
    assert (out["rule_agencies"], out["model_agencies"], out["suggested"], out["model"]) == (["water"], [], [], [])


def test_status_change_and_reassignment_are_audited(starter, make_user):
    staff = make_user(role="staff", agency=starter["water"])
    supervisor = make_user(role="supervisor")
    route = make_route(starter["water"])
    set_route_status(route, "seen", staff)
    assert route.status == "seen" and route.status_changed_by_id == staff.id and route.status_changed_at
    with pytest.raises(NotAllowed):
        set_route_status(route, "dismissed", make_user(role="viewer", agency=starter["water"]))
    with pytest.raises(NotAllowed):
        reassign(route, starter["power"], "مربوط به برق است", staff)
    with pytest.raises(ServiceError):
        reassign(route, starter["power"], "  ", supervisor)
    target = reassign(route, starter["power"], "مربوط به برق است", supervisor)
    assert route.status == "reassigned" and target.agency_id == starter["power"].id and target.status == "new"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "ItemRoute")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["item_route.status_changed", "item_route.reassigned", "item_route.received"]
    moved = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "item_route.reassigned"))
    assert moved.details["reason"] == "مربوط به برق است" and moved.agency_id == starter["water"].id


def test_inbox_shows_only_my_agency_and_bulk_dismisses(client, login_as, make_agency, make_user):
    a, b = make_agency(), make_agency()
    mine = make_route(a, title="خبر سازمان الف", matched=[{"rule_id": 1, "rule": "قاعدهٔ الف", "words": ["آبرسانی"]}],
                      is_question=True,
                      question_reasons=[{"code": "complaint", "text": "گلایه", "snippet": "گلایهٔ اهالی"}])
    theirs = make_route(b, title="SECRET-OF-B")
    staff = make_user(role="staff", agency=a)
    login_as(staff)
    page = client.get("/inbox/").get_data(as_text=True)
    assert "خبر سازمان الف" in page and "قاعدهٔ الف" in page and "آبرسانی" in page and "گلایهٔ اهالی" in page
    assert "SECRET-OF-B" not in page
    assert "SECRET-OF-B" not in client.get("/inbox/?status=new&question=1").get_data(as_text=True)
    token = csrf_token(client, "/inbox/")
    # Another agency's route among the chosen ones: the whole action is refused, with a message.
    response = client.post("/inbox/mark", data={"csrf_token": token, "status": "dismissed",
                                                "route_id": [str(mine.id), str(theirs.id)]})
    assert response.status_code == 302
    assert "در صندوق شما نیست" in client.get("/inbox/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ItemRoute, mine.id).status == "new"
    assert db.session.get(ItemRoute, theirs.id).status == "new"  # another agency's route is untouched
    client.post("/inbox/mark", data={"csrf_token": token, "status": "dismissed", "route_id": [str(mine.id)]})
    db.session.expire_all()
    assert db.session.get(ItemRoute, mine.id).status == "dismissed"
    assert "خبر سازمان الف" not in client.get("/inbox/?status=new").get_data(as_text=True)


def test_viewer_cannot_change_status_and_supervisor_sees_all(client, login_as, make_agency, make_user):
    a, b = make_agency(), make_agency()
    make_route(a, title="خبر الف")
    make_route(b, title="خبر ب")
    login_as(make_user(role="viewer", agency=a))
    assert client.post("/inbox/mark", data={"csrf_token": csrf_token(client, "/inbox/")}).status_code == 403
    client.get("/logout")
    supervisor_client = client.application.test_client()
    from tests.conftest import login

    login(supervisor_client, make_user(role="supervisor"))
    page = supervisor_client.get("/inbox/").get_data(as_text=True)
    assert "خبر الف" in page and "خبر ب" in page


def test_an_item_without_plain_text_is_routed_by_its_summarys_words(make_agency):
    """Paragraphs of a summary stay separate words (the ingest's html_to_text), not glued together
    as Markup.striptags did: «آب</p><p>در» read as «آبدر» lost the word «آب»."""
    from app.services.routing import item_body, route_items
    from tests.search_index.item_factory import ItemFactory

    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    create_rule(water, "قطعی آب", "«قطعی آب»", actor_label="test")
    item = ItemFactory().make("گزارش امروز", "", summary_html="<p>قطعی آب</p><p>در شهر</p>")
    assert item_body(item).split() == ["قطعی", "آب", "در", "شهر"]
    assert route_items(db.session, [item]) == 1


def test_a_title_rule_that_reads_the_lead_routes_an_item_naming_its_word_there(make_agency, make_user):
    """A review of routing: the governorate's title rule found 1 of 10 of its items (the governor is
    named in the lead, «استاندار … گفت», not in the title). A title-only rule may read the lead too
    (the body's first ``LEAD_CHARS``); a mention deep in the body still routes nothing; the choice is
    a version of the rule, audited, and a rule that reads the whole text has no lead of its own."""
    from app.rules.analysis import LEAD_CHARS
    from app.services.routing import route_items
    from tests.search_index.item_factory import ItemFactory

    governorate = make_agency(slug="governorate", name_fa="استانداری")
    admin = make_user(role="admin")
    rule = create_rule(governorate, "استاندار", "استاندار", title_only=True, actor=admin)
    factory = ItemFactory()
    lead = factory.make("افتتاح طرح آبرسانی", "استاندار در آیین افتتاح طرح گفت: کار ادامه دارد.")
    deep = factory.make("افتتاح طرح آبرسانی", "کار ادامه دارد. " * (LEAD_CHARS // 10) + "استاندار هم آمد.")
    assert route_items(db.session, [lead, deep]) == 0
    update_rule(rule, name="استاندار", query="استاندار", title_only=True, lead=True, actor=admin)
    assert (rule.reads_lead, rule.version) == (True, 2)
    assert route_items(db.session, [lead, deep]) == 1
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == lead.id))
    assert route.matched[0]["words"] == ["استاندار"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_id == rule.id)
                               .order_by(AuditEntry.id.desc())).first()
    assert (entry.details["lead"], entry.details["before"]["lead"]) == (True, False)
    update_rule(rule, name="استاندار", query="استاندار", title_only=False, lead=True, actor=admin)
    assert rule.reads_lead is False  # the whole text is read: no lead of its own


def test_a_rule_saved_with_parentheses_before_they_were_refused_still_works(make_agency, make_user):
    """The review of the round-6 change: a stored rule of «(…)» made its backfill raise (and every
    backfill queued after it wait for ever), and could be neither renamed nor switched off until its
    query was rewritten. A stored query is read as it was; only a changed query is checked strictly."""
    from app.services.rule_tester import request_backfill, run_backfills
    from tests.search_index.item_factory import ItemFactory

    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    admin = make_user(role="admin")
    item = ItemFactory().make("قطعی آب در روستا", "")
    rule = RoutingRule(agency_id=water.id, name="قدیمی", query="(قطعی آب)", is_title_only=False, scopes=[],
                       outlet_ids=[], is_active=True, version=1)
    db.session.add(rule)
    db.session.commit()
    request_backfill(rule, None, actor=admin)
    assert run_backfills()["finished"] == 1
    assert db.session.scalar(select(ItemRoute.item_id).where(ItemRoute.agency_id == water.id)) == item.id
    update_rule(rule, name="قدیمی ۲", query="(قطعی آب)", is_active=False, actor=admin)
    assert (rule.name, rule.is_active) == ("قدیمی ۲", False)
    with pytest.raises(RuleRefused):
        update_rule(rule, name="قدیمی ۲", query="(قطعی آب) یا (قطعی برق)", actor=admin)
