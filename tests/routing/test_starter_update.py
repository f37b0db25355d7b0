"""`routing load-starter --update`: an installation's starter rules brought to the shipped pack, the
rules an agency edited or made by hand kept, every change audited."""
from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.rules.starter_rules import load_starter_rules as read_starter_pack
from app.services.agencies import ensure_standard_agencies
from app.services.routing import active_rules, create_rule, load_starter_rules, update_rule
from models import Agency, AuditEntry, RoutingRule

OLD_QUERY = "«قطعی آب»"  # what an older pack shipped (the test's stand-in)


def rule_of(slug: str, name: str) -> RoutingRule:
    return db.session.scalar(select(RoutingRule).join(Agency).where(Agency.slug == slug, RoutingRule.name == name)
                             .execution_options(unscoped=True))


def invoke(app, *args: str) -> dict:
    result = app.test_cli_runner().invoke(args=["routing", "load-starter", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def older_installation(app):
    """The starter pack loaded, then three of its rules as an older pack, a hand edit and a hand-made
    rule of a starter name left them."""
    ensure_standard_agencies(actor_label="test")
    load_starter_rules(actor_label="test")
    pack = read_starter_pack()
    old, edited, made = pack[0], pack[1], pack[2]
    rule = rule_of(old.agency, old.name)
    rule.query = OLD_QUERY  # as the older pack wrote it: no audit entry, version 1
    hand = rule_of(edited.agency, edited.name)
    update_rule(hand, name=hand.name, query=OLD_QUERY, title_only=hand.is_title_only, lead=hand.reads_lead,
                actor_label="admin")
    db.session.delete(rule_of(made.agency, made.name))
    db.session.commit()
    agency = db.session.scalar(select(Agency).where(Agency.slug == made.agency))
    create_rule(agency, made.name, OLD_QUERY, actor_label="admin")
    return old, edited, made


def test_load_starter_alone_keeps_an_older_packs_rule(app):
    old, _, _ = older_installation(app)
    assert invoke(app)["added"] == 0
    assert rule_of(old.agency, old.name).query == OLD_QUERY


def test_update_sets_the_shipped_query_and_keeps_hand_edits(app):
    old, edited, made = older_installation(app)
    result = invoke(app, "--update")
    assert result["updated"] == [f"{old.agency}/{old.name}"]
    assert sorted(result["kept"]) == sorted([f"{edited.agency}/{edited.name}", f"{made.agency}/{made.name}"])
    assert result["added"] == 0 and result["unchanged"] == len(read_starter_pack()) - 3
    rule = rule_of(old.agency, old.name)
    assert (rule.query, rule.is_title_only, rule.reads_lead, rule.version) == (old.query, old.title_only, old.lead, 2)
    assert rule_of(edited.agency, edited.name).query == OLD_QUERY
    assert rule_of(made.agency, made.name).query == OLD_QUERY
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "routing_rule.starter_updated")
                              .execution_options(unscoped=True))
    assert entry.object_id == rule.id and entry.actor_label == "cli"
    assert entry.details["before"]["query"] == OLD_QUERY and entry.details["query"] == old.query
    # routing reads the new query at once (the active rules' cache follows updated_at)
    assert rule.id in active_rules().rules
    # a second run changes nothing; the rule updated here is still the pack's own
    again = invoke(app, "--update")
    assert again["updated"] == [] and again["unchanged"] == len(read_starter_pack()) - 2


def test_update_adds_missing_rules_and_leaves_rules_the_pack_dropped(app):
    ensure_standard_agencies(actor_label="test")
    load_starter_rules(actor_label="test")
    first = read_starter_pack()[0]
    db.session.delete(rule_of(first.agency, first.name))
    agency = db.session.scalar(select(Agency).where(Agency.slug == first.agency))
    db.session.add(RoutingRule(agency_id=agency.id, name="قاعدهٔ بستهٔ قدیمی", query=OLD_QUERY, version=1))
    db.session.commit()
    result = invoke(app, "--update")
    assert result["added"] == 1 and result["updated"] == [] and result["kept"] == []
    assert rule_of(first.agency, first.name).query == first.query
    assert rule_of(first.agency, "قاعدهٔ بستهٔ قدیمی").query == OLD_QUERY


def test_the_text_output_names_the_rules_kept(app):
    _, edited, _ = older_installation(app)
    result = app.test_cli_runner().invoke(args=["routing", "load-starter", "--update"])
    assert result.exit_code == 0 and f"kept (edited by hand): {edited.agency}/{edited.name}" in result.output
    assert "rules updated to the shipped version: 1" in result.output


def test_update_brings_session_41s_pack_to_the_title_and_lead_and_the_split_governor_rule(app):
    """Session 42's pack: four body rules read the title and the lead only (same query, flags changed) and
    «فرماندار» left «استاندار در عنوان» for a rule of its own; an installation of session 41's pack gets
    both from ``--update``, and its routing follows (a foreign state's governor is no governorate)."""
    from app.rules.analysis import analyze_item

    ensure_standard_agencies(actor_label="test")
    load_starter_rules(actor_label="test")
    municipality = rule_of("municipality", "شهرداری")
    municipality.is_title_only, municipality.reads_lead = False, False
    governor = rule_of("governorate", "استاندار در عنوان")
    governor.query = governor.query.replace("استانداری یا ", "استانداری یا فرماندار یا ", 1)
    db.session.delete(rule_of("governorate", "فرماندار در عنوان"))
    db.session.commit()
    title = "تاکید فرماندار ایالت لارا ونزوئلا بر گسترش همکاری‌ها با ایران"
    governorate = db.session.scalar(select(Agency.id).where(Agency.slug == "governorate"))

    def agencies() -> set[int]:
        active = active_rules()
        return {active.rules[key][0] for key in active.ruleset.matching(analyze_item(title, ""))}

    assert governorate in agencies()
    result = invoke(app, "--update")
    assert sorted(result["updated"]) == ["governorate/استاندار در عنوان", "municipality/شهرداری"]
    assert result["added"] == 1 and result["kept"] == []
    assert (municipality.is_title_only, municipality.reads_lead) == (True, True)
    assert governorate not in agencies()
