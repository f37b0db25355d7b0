"""What the routing-rule pages read: the rules with how many routes each made, the rule names for
the inbox's filter, and one rule's versions (its audit entries), backfills and routes. Read-only;
the request's agency scope narrows every query (an agency sees its own rules)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from models import (
    Agency,
    AuditEntry,
    ItemRoute,
    RoutingRule,
    RuleBackfill,
    item_route_rules,
)

HISTORY_SHOWN = 50
BACKFILLS_SHOWN = 10


@dataclass
class RulesPage:
    rules: list[RoutingRule]
    routed: dict[int, int]  # rule id → routes it helped make (a rule that made none is absent)


@dataclass
class RuleRecord:
    history: list[AuditEntry]  # newest first: the rule's versions
    backfills: list[RuleBackfill]  # newest first
    routed: int  # routes the rule helped make


def rules_page(agency_id: int | None = None) -> RulesPage:
    """The rules (of one agency when ``agency_id`` is given), by agency name and rule name."""
    query = (select(RoutingRule).options(joinedload(RoutingRule.agency))
             .join(Agency, Agency.id == RoutingRule.agency_id))
    if agency_id:
        query = query.where(RoutingRule.agency_id == agency_id)
    rules = db.session.scalars(query.order_by(Agency.name_order, Agency.id, RoutingRule.name)).all()
    routed = dict(db.session.execute(
        select(item_route_rules.c.rule_id, func.count()).where(item_route_rules.c.rule_id.in_([r.id for r in rules]))
        .group_by(item_route_rules.c.rule_id)).all()) if rules else {}
    return RulesPage(rules, routed)


def rule_names() -> list[tuple[int, str]]:
    """(id, name) of the rules the scope shows, by name (the inbox's rule filter)."""
    return db.session.execute(select(RoutingRule.id, RoutingRule.name).order_by(RoutingRule.name)).all()


def rule_record(rule: RoutingRule) -> RuleRecord:
    """What the rule's page shows besides the rule: versions, backfills and its routes' count."""
    history = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "RoutingRule", AuditEntry.object_id == rule.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(HISTORY_SHOWN)).all()
    backfills = db.session.scalars(select(RuleBackfill).where(RuleBackfill.rule_id == rule.id)
                                   .order_by(RuleBackfill.id.desc()).limit(BACKFILLS_SHOWN)).all()
    routed = db.session.scalar(select(func.count()).select_from(item_route_rules)
                               .join(ItemRoute, ItemRoute.id == item_route_rules.c.item_route_id)
                               .where(item_route_rules.c.rule_id == rule.id))
    return RuleRecord(history, backfills, routed)
