"""Bring an installation's starter rules up to the shipped pack (``routing load-starter --update``).

``load-starter`` only adds: a rule loaded from an older pack keeps its old query when a later pack
fixes it. The update changes a loaded starter rule (same agency and name) to the shipped query,
title-only and lead flags, unless someone edited or created it by hand: such a rule is kept as it is
and named in the result, for its agency to compare. A rule is the pack's own when no audit entry
says it was created or edited by hand (``routing_rule.created``, ``routing_rule.updated``) and its
version counts only the updates made here (a rule whose history was pruned is kept: the cautious
side). Every change is audited with the rule's previous state; rules missing from the installation
are added as ``load-starter`` adds them; rules the pack no longer ships are left alone.
"""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.rules.starter_rules import load_starter_rules as read_starter_pack
from app.services.audit import record
from app.services.routing import load_starter_rules, rule_state
from models import Agency, AuditEntry, RoutingRule, utcnow

HAND_ACTIONS = ("routing_rule.created", "routing_rule.updated")
UPDATE_ACTION = "routing_rule.starter_updated"


def _history(rule_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per rule id: how many audit entries of each action concern it."""
    rows = db.session.execute(
        select(AuditEntry.object_id, AuditEntry.action, func.count())
        .where(AuditEntry.object_type == "RoutingRule", AuditEntry.object_id.in_(rule_ids),
               AuditEntry.action.in_((*HAND_ACTIONS, UPDATE_ACTION)))
        .group_by(AuditEntry.object_id, AuditEntry.action).execution_options(unscoped=True))
    out: dict[int, dict[str, int]] = {}
    for rule_id, action, count in rows:
        out.setdefault(rule_id, {})[action] = count
    return out


def _edited_by_hand(rule: RoutingRule, history: dict[str, int]) -> bool:
    return (any(history.get(action) for action in HAND_ACTIONS)
            or (rule.version or 1) != 1 + history.get(UPDATE_ACTION, 0))


def update_starter_rules(actor_label: str = "cli", *, actor=None) -> dict:
    """Loaded starter rules set to the shipped pack, rules edited by hand kept; missing ones added.

    Returns ``added`` and ``skipped`` as ``load_starter_rules`` does (skipped: the agency is missing or
    the rule is there), ``updated`` (the names changed), ``kept`` (rules edited by hand
    that differ from the pack: left as they are) and ``unchanged`` (rules already as shipped).
    """
    label = actor_label or getattr(actor, "username", "") or "system"
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    stored = {(rule.agency_id, rule.name): rule for rule in db.session.scalars(
        select(RoutingRule).execution_options(unscoped=True))}
    history = _history([rule.id for rule in stored.values()])
    updated, kept, unchanged = [], [], 0
    for starter in read_starter_pack():
        agency = agencies.get(starter.agency)
        rule = stored.get((agency.id, starter.name)) if agency else None
        if rule is None:
            continue  # added below, as load-starter adds
        shipped = (starter.query, starter.title_only, starter.lead)
        if (rule.query, rule.is_title_only, rule.reads_lead) == shipped:
            unchanged += 1
            continue
        if _edited_by_hand(rule, history.get(rule.id, {})):
            kept.append(f"{starter.agency}/{starter.name}")
            continue
        before = rule_state(rule)
        rule.query, rule.is_title_only, rule.reads_lead = shipped
        rule.version = (rule.version or 1) + 1
        rule.updated_at = utcnow()  # the active rules' cache key: the ruleset is rebuilt
        record(UPDATE_ACTION, actor=actor, actor_label=label, obj=rule, before=before, **rule_state(rule),
               version=rule.version)
        updated.append(f"{starter.agency}/{starter.name}")
    db.session.commit()
    result = load_starter_rules(actor_label, actor=actor)  # commits
    return {**result, "updated": updated, "kept": kept, "unchanged": unchanged}
