"""Routing use cases: rules (create, update, starter pack), routing new items at ingest, and the
triage of routes (status, reassignment). Every change is audited; the ingest hook does not commit.

Active rules of every agency are compiled once into one in-memory RuleSet (percolator style),
rebuilt when the rules change: the cache key is the database plus the count, last id and last
``updated_at`` of the rules, read with one small query per ingest batch.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from app.extensions import db
from app.routing.detector import detect_public_question
from app.routing.matcher import SCOPES, Limits, RuleSet, RuleSyntaxError, analyze_item, compile_rule
from app.routing.starter_rules import load_starter_rules as read_starter_pack
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from models import Agency, Item, ItemRoute, Outlet, RoutingRule, utcnow

TRIAGE_ROLES = frozenset({"admin", "supervisor", "manager", "staff"})
REASSIGN_ROLES = frozenset({"admin", "supervisor"})
STATUSES_SET_BY_HAND = ("new", "seen", "accepted", "dismissed")


class RuleRefused(ServiceError):
    """A rule that does not compile; ``position`` is where its query breaks (0-based)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


@dataclass
class ActiveRules:
    ruleset: RuleSet
    rules: dict[int, tuple[int, str]] = field(default_factory=dict)  # rule id → (agency id, name)


_cache: dict[tuple, ActiveRules] = {}


def _unscoped(stmt):
    return stmt.execution_options(unscoped=True)


def active_rules() -> ActiveRules:
    """The active rules of every agency compiled into one RuleSet (cached until a rule changes)."""
    count, last_id, last_change = db.session.execute(_unscoped(select(
        func.count(RoutingRule.id), func.max(RoutingRule.id), func.max(RoutingRule.updated_at)))).one()
    key = (str(db.engine.url), count, last_id, str(last_change))
    cached = _cache.get(key)
    if cached is not None:
        return cached
    active = ActiveRules(RuleSet())
    for rule in db.session.scalars(_unscoped(select(RoutingRule).where(RoutingRule.is_active)
                                             .order_by(RoutingRule.id))):
        try:
            compiled = compile_rule(rule.query, title_only=rule.is_title_only)
        except RuleSyntaxError:
            continue  # refused when saved; only a hand-edited database gets here
        active.ruleset.add(rule.id, compiled, Limits(scopes=frozenset(rule.scopes or ())))
        active.rules[rule.id] = (rule.agency_id, rule.name)
    _cache.clear()
    _cache[key] = active
    return active


def item_body(item: Item) -> str:
    """The text routing reads besides the title (the plain text, else the summary's words)."""
    if item.text:
        return item.text
    from markupsafe import Markup

    return Markup(item.summary_html or "").striptags()


def route_items(session, items: list[Item]) -> int:
    """Route NEW items (ids assigned) to the agencies whose active rules match; the caller commits.

    Called once per item by ingest, so a re-import routes nothing again; the unique
    (item, agency) constraint is the last guard. Returns the number of routes added.
    """
    active = active_rules()
    if not items or not len(active.ruleset):
        return 0
    outlet_ids = {i.outlet_id for i in items if i.outlet_id is not None}
    scopes = dict(session.execute(select(Outlet.id, Outlet.scope).where(Outlet.id.in_(outlet_ids))).all()) \
        if outlet_ids else {}
    rows = []
    for item in items:
        analyzed = analyze_item(item.title, item_body(item))
        found = active.ruleset.match(analyzed, outlet_scope=scopes.get(item.outlet_id), outlet_id=item.outlet_id)
        if not found:
            continue
        by_agency: dict[int, list] = {}
        for rule_id, match in found:
            agency_id, name = active.rules[rule_id]
            words = list(dict.fromkeys(c.found for c in match.clauses))  # as written in the item
            by_agency.setdefault(agency_id, []).append({"rule_id": rule_id, "rule": name, "words": words})
        detection = detect_public_question(item.title, item_body(item), item=analyzed)
        reasons = [{"code": r.code, "text": r.text_fa, "snippet": r.snippet} for r in detection.reasons]
        for agency_id, matched in by_agency.items():
            rows.append({"item_id": item.id, "agency_id": agency_id, "rule_ids": [m["rule_id"] for m in matched],
                         "matched": matched, "is_question": detection.is_question,
                         "question_reasons": reasons if detection.is_question else [],
                         "status": "new", "created_at": utcnow()})
    if rows:
        session.connection().execute(insert(ItemRoute.__table__), rows)
    return len(rows)


# --- rules -----------------------------------------------------------------------------------


def _check(name: str, query: str, title_only: bool, scopes) -> list[str]:
    if not (name or "").strip():
        raise ServiceError(_("نام قاعده را بنویسید."))
    scopes = sorted(set(scopes or ()))
    if not set(scopes) <= SCOPES:
        raise ServiceError(_("دامنهٔ رسانه شناخته‌شده نیست."))
    try:
        compile_rule(query or "", title_only=title_only)
    except RuleSyntaxError as error:
        raise RuleRefused(_("قاعده پذیرفته نشد: %(reason)s", reason=error.message), error.position) from None
    return scopes


def _label(actor, actor_label: str) -> str:
    return actor_label or getattr(actor, "username", "") or "system"


def create_rule(agency: Agency, name: str, query: str, *, title_only: bool = False, scopes=(),
                is_active: bool = True, actor=None, actor_label: str = "") -> RoutingRule:
    """Save a new rule of ``agency`` (refused with a position when its query does not compile)."""
    scopes = _check(name, query, title_only, scopes)
    rule = RoutingRule(agency_id=agency.id, name=name.strip(), query=query.strip(), is_title_only=title_only,
                       scopes=scopes, is_active=is_active, version=1, author_id=getattr(actor, "id", None))
    db.session.add(rule)
    db.session.flush()
    record("routing_rule.created", actor=actor, actor_label=_label(actor, actor_label), obj=rule,
           name=rule.name, query=rule.query, version=1)
    db.session.commit()
    return rule


def update_rule(rule: RoutingRule, *, name: str, query: str, title_only: bool = False, scopes=(),
                is_active: bool = True, actor=None, actor_label: str = "") -> RoutingRule:
    """Change a rule: a new version, the previous query kept in the audit entry."""
    scopes = _check(name, query, title_only, scopes)
    before = {"name": rule.name, "query": rule.query, "title_only": rule.is_title_only, "scopes": rule.scopes,
              "is_active": rule.is_active}
    rule.name, rule.query, rule.is_title_only = name.strip(), query.strip(), title_only
    rule.scopes, rule.is_active = scopes, is_active
    rule.version = (rule.version or 1) + 1
    rule.updated_at = utcnow()
    record("routing_rule.updated", actor=actor, actor_label=_label(actor, actor_label), obj=rule,
           before=before, query=rule.query, version=rule.version)
    db.session.commit()
    return rule


def load_starter_rules(actor_label: str = "cli", *, actor=None) -> dict:
    """Add the starter pack's rules for the standard agencies present (idempotent by agency+name)."""
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    existing = set(db.session.execute(_unscoped(select(RoutingRule.agency_id, RoutingRule.name))))
    added = skipped = 0
    for starter in read_starter_pack():
        agency = agencies.get(starter.agency)
        if agency is None or (agency.id, starter.name) in existing:
            skipped += 1
            continue
        db.session.add(RoutingRule(agency_id=agency.id, name=starter.name, query=starter.query,
                                   is_title_only=starter.title_only, scopes=[], is_active=True, version=1,
                                   author_id=getattr(actor, "id", None)))
        existing.add((agency.id, starter.name))
        added += 1
    if added:
        record("routing_rule.starter_loaded", actor=actor, actor_label=_label(actor, actor_label), added=added)
    db.session.commit()
    return {"added": added, "skipped": skipped}


# --- triage ----------------------------------------------------------------------------------


def _change_status(route: ItemRoute, status: str, actor) -> None:
    before = route.status
    route.status, route.status_changed_by_id, route.status_changed_at = status, getattr(actor, "id", None), utcnow()
    record("item_route.status_changed", actor=actor, obj=route, item_id=route.item_id, before=before, after=status)


def set_route_status(route: ItemRoute, status: str, actor) -> ItemRoute:
    """Mark a route new / seen / accepted / dismissed (viewers only read)."""
    return set_routes_status([route], status, actor)[0]


def set_routes_status(routes: list[ItemRoute], status: str, actor) -> list[ItemRoute]:
    """Bulk version of set_route_status: one audit entry per route, one commit."""
    if getattr(actor, "role", None) not in TRIAGE_ROLES:
        raise NotAllowed(_("شما اجازهٔ تغییر وضعیت خبرهای سازمان را ندارید."))
    if status not in STATUSES_SET_BY_HAND:
        raise ServiceError(_("وضعیت خواسته‌شده شناخته‌شده نیست."))
    for route in routes:
        if route.status != status:
            _change_status(route, status, actor)
    db.session.commit()
    return routes


def reassign(route: ItemRoute, agency: Agency, reason: str, actor) -> ItemRoute:
    """Send a routed item to another agency with a reason (supervisors and admins); returns the new route."""
    if getattr(actor, "role", None) not in REASSIGN_ROLES:
        raise NotAllowed(_("تنها ناظر یا مدیر سامانه خبر را به سازمان دیگری می‌فرستد."))
    if not (reason or "").strip():
        raise ServiceError(_("دلیل ارجاع به سازمان دیگر را بنویسید."))
    if agency.id == route.agency_id:
        raise ServiceError(_("این خبر هم‌اکنون در صندوق همین سازمان است."))
    target = db.session.scalar(_unscoped(select(ItemRoute).where(
        ItemRoute.item_id == route.item_id, ItemRoute.agency_id == agency.id)))
    if target is None:
        target = ItemRoute(item_id=route.item_id, agency_id=agency.id, rule_ids=[], matched=[],
                           is_question=route.is_question, question_reasons=route.question_reasons, status="new")
        db.session.add(target)
    elif target.status in ("dismissed", "reassigned"):
        target.status = "new"
    before = route.status
    route.status, route.status_changed_by_id, route.status_changed_at = "reassigned", actor.id, utcnow()
    db.session.flush()
    record("item_route.reassigned", actor=actor, obj=route, item_id=route.item_id, before=before,
           to_agency_id=agency.id, reason=reason.strip())
    record("item_route.received", actor=actor, obj=target, item_id=route.item_id,
           from_agency_id=route.agency_id, reason=reason.strip())
    db.session.commit()
    return target
