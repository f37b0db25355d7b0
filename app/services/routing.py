"""Routing use cases: rules (create, update, starter pack) and routing new items at ingest.
Every change is audited; the ingest hook does not commit. The triage of routes (status,
reassignment) is in ``app.services.triage``; the rule tester and backfills in
``app.services.rule_tester``.

Active rules of every agency are compiled once into one in-memory RuleSet (percolator style),
rebuilt when the rules change: the cache key is the database plus the count, last id and last
``updated_at`` of the rules, read with one small query per ingest batch.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from app.extensions import db
from app.i18n import digit_style
from app.monitor.clean import html_to_text
from app.policy import can_edit_rules
from app.rules.analysis import analyze_item
from app.rules.detector import detect_public_question
from app.rules.matcher import SCOPES, RuleSyntaxError, compile_rule
from app.rules.ruleset import Limits, RuleSet
from app.rules.starter_rules import load_starter_rules as read_starter_pack
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.learning import EMPTY, active_model, classify_all, learning_agencies
from models import (
    Agency,
    Item,
    ItemRoute,
    Outlet,
    RouteSuggestion,
    RoutingRule,
    item_route_rules,
    utcnow,
)
from models.search_outbox import SearchOutbox
from search_index.query_syntax import MESSAGES, QuerySyntaxError, lex, or_between_runs


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
            compiled = compile_rule(rule.query, title_only=rule.is_title_only, lead=rule.reads_lead)
        except RuleSyntaxError:
            continue  # refused when saved; only a hand-edited database gets here
        active.ruleset.add(rule.id, compiled, rule_limits(rule))
        active.rules[rule.id] = (rule.agency_id, rule.name)
    _cache.clear()
    _cache[key] = active
    return active


def rule_limits(rule: RoutingRule) -> Limits:
    return Limits(scopes=frozenset(rule.scopes or ()), outlet_ids=frozenset(rule.outlet_ids or ()))


def item_body(item: Item) -> str:
    """The text routing reads besides the title (the plain text, else the summary's words)."""
    if item.text:
        return item.text
    return html_to_text(item.summary_html)


class Analyses(dict):
    """item id → its AnalyzedItem, made on first use: one analysis per new item, shared by routing,
    the question detector and the saved-search alerts of the same ingest batch."""

    def __init__(self, items: list[Item]):
        super().__init__()
        self._items = {item.id: item for item in items}

    def __missing__(self, item_id: int):
        item = self._items[item_id]
        analyzed = self[item_id] = analyze_item(item.title, item_body(item))
        return analyzed


def route_items(session, items: list[Item], analyses: Analyses | None = None, *, reindex: bool = False,
                skip: set[tuple[int, int | None]] | None = None) -> int:
    """Route NEW items (ids assigned) to the agencies whose active rules match; the caller commits.

    Called once per item by ingest, so a re-import routes nothing again; the unique
    (item, agency) constraint is the last guard. An item of a local or provincial outlet
    (``ROUTING_UNASSIGNED_SCOPES``) that no rule takes but that carries a public question gets a
    route without an agency: it waits for the governorate's supervisors to assign it. Beside the
    rules, the classifier (app/services/learning.py) adds routes at an agency's threshold and
    suggestions below it, for agencies no rule took, and may flag the question.
    ``reindex``: queue the routed items for reindexing (routing after the ingest's commit: the
    ingest queued them before they had routes); ``skip``: (item id, agency id) pairs that already
    have a route or a suggestion (routed meanwhile by other means), left out.
    Returns the number of routes added.
    """
    if not items:
        return 0
    active = active_rules()
    unassigned_scopes = set(current_app.config["ROUTING_UNASSIGNED_SCOPES"])
    learning = learning_agencies()
    if not len(active.ruleset) and not unassigned_scopes and not learning:
        return 0
    model = active_model() if learning else None
    analyses = analyses if analyses is not None else Analyses(items)
    outlet_ids = {i.outlet_id for i in items if i.outlet_id is not None}
    scopes = dict(session.execute(select(Outlet.id, Outlet.scope).where(Outlet.id.in_(outlet_ids))).all()) \
        if outlet_ids else {}
    rows, suggestions = [], []
    # Stage by stage over the batch, not item by item (issue 16): the analysis of the items the rules or
    # the model read, the rules, the model, the detector; each stage's code and data (the rule index, the
    # model's arrays) stay in the CPU's caches from one item to the next. The same answers.
    ruleset = active.ruleset if len(active.ruleset) else None
    for item in items:
        analyzed = analyses[item.id]
        if (ruleset is not None and ruleset.reads(analyzed)) or (model is not None and analyzed.has_arabic_script):
            analyzed.analyze()
    # A title-only rule's match on a title about a foreign place is held (RuleSet.route): not routed.
    ruled = [ruleset.route(analyses[item.id], outlet_scope=scopes.get(item.outlet_id),
                           outlet_id=item.outlet_id).routes for item in items] \
        if ruleset is not None else [[]] * len(items)
    read = classify_all([analyses[item.id] for item in items], learning, model) if model is not None \
        else [EMPTY] * len(items)
    # by_agency and by_model below: routed when a rule matched or the model routes
    detected = [detect_public_question(item.title, item_body(item), item=analyses[item.id])
                if found or classified.routes or scopes.get(item.outlet_id) in unassigned_scopes else None
                for item, found, classified in zip(items, ruled, read)]
    for item, found, classified, detection in zip(items, ruled, read, detected):
        scope = scopes.get(item.outlet_id)
        by_agency: dict[int, list] = {}
        for rule_id, match in found:
            agency_id, name = active.rules[rule_id]
            words = list(dict.fromkeys(c.found for c in match.clauses))  # as written in the item
            by_agency.setdefault(agency_id, []).append({"rule_id": rule_id, "rule": name, "words": words})
        by_model = {learning[slug]: (slug, p) for slug, p in classified.routes.items() if learning[slug] not in by_agency}
        suggestions += [{"item_id": item.id, "agency_id": learning[slug], "model_id": classified.model_for(slug),
                         "probability": round(p.probability, 4), "words": list(p.words), "status": "new",
                         "created_at": utcnow()}
                        for slug, p in classified.suggested.items() if learning[slug] not in by_agency]
        routed = bool(by_agency or by_model)
        if not routed and scope not in unassigned_scopes:
            continue
        model_reason = classified.question_reason()
        is_question = detection.is_question or model_reason is not None
        if not routed and not is_question:
            continue
        reasons = [{"code": r.code, "text": r.text_fa, "snippet": r.snippet}
                   for r in detection.reasons] if detection.is_question else []
        question = {"is_question": is_question, "status": "new", "created_at": utcnow(),
                    "question_reasons": reasons + ([model_reason] if model_reason else []),
                    "model_id": None, "model_probability": None, "model_words": []}
        if not routed:
            rows.append({"item_id": item.id, "agency_id": None, "rule_ids": [], "matched": [], **question})
            continue
        for agency_id, matched in by_agency.items():
            rows.append({"item_id": item.id, "agency_id": agency_id, "rule_ids": [m["rule_id"] for m in matched],
                         "matched": matched, **question})
        for agency_id, (slug, prediction) in by_model.items():
            rows.append({"item_id": item.id, "agency_id": agency_id, "rule_ids": [], "matched": [], **question,
                         "model_id": classified.model_for(slug), "model_probability": round(prediction.probability, 4),
                         "model_words": list(prediction.words)})
    if skip:
        rows = [r for r in rows if (r["item_id"], r["agency_id"]) not in skip]
        suggestions = [s for s in suggestions if (s["item_id"], s["agency_id"]) not in skip]
    if rows:
        # At ingest (in its transaction) the new items are queued for indexing already.
        insert_routes(session, rows, reindex=reindex)
    if suggestions:
        session.connection().execute(insert(RouteSuggestion.__table__), suggestions)
    return len(rows)


def insert_routes(session, rows: list[dict], *, reindex: bool = True) -> None:
    """Insert new routes and their (route, rule) links; ``rows`` are ItemRoute column dicts. With
    ``reindex``, each item is queued for reindexing in the same transaction (the index carries its
    routes)."""
    connection = session.connection()
    connection.execute(insert(ItemRoute.__table__), rows)
    if reindex:
        connection.execute(insert(SearchOutbox.__table__),
                           [{"doc_type": "item", "doc_id": item_id, "op": "upsert"}
                            for item_id in sorted({r["item_id"] for r in rows})])
    pairs = {(r["item_id"], r["agency_id"]): r["rule_ids"] for r in rows if r["rule_ids"]}
    if not pairs:
        return
    item_ids = sorted({item_id for item_id, _ in pairs})
    ids = connection.execute(select(ItemRoute.id, ItemRoute.item_id, ItemRoute.agency_id)
                             .where(ItemRoute.item_id.in_(item_ids))).all()
    links = [{"item_route_id": route_id, "rule_id": rule_id} for route_id, item_id, agency_id in ids
             for rule_id in pairs.get((item_id, agency_id), ())]
    if links:
        connection.execute(insert(item_route_rules), links)


# --- rules -----------------------------------------------------------------------------------


def refusal_reason(error: RuleSyntaxError) -> str:
    """Why a rule or saved search was refused, in the reader's language and digits."""
    return error.render(_, digit_style() == "fa")


def rule_warnings(query: str) -> list[str]:
    """What a rule that compiles may mean otherwise than its writer thought, said on its form when it
    is tested or saved: «یا» between two runs of words («قطعی آب یا افت فشار» matched nothing,
    silently; a review of routing, round 7)."""
    try:
        items = lex(query or "")
    except QuerySyntaxError:
        return []
    return [_(MESSAGES["or_between_runs"])] if or_between_runs(items) else []


def check_rule_query(query: str, title_only: bool = False, lead: bool = False, *, strict: bool = True):
    """The compiled rule, or RuleRefused with the position and the Persian message. ``strict=False``
    for a query stored before parentheses and «*» were refused: read as it was then (a backfill of
    such a rule failed, and held up every backfill after it: the review of the round-6 change)."""
    try:
        return compile_rule(query or "", title_only=title_only, lead=lead, strict=strict)
    except RuleSyntaxError as error:
        raise RuleRefused(_("قاعده پذیرفته نشد: %(reason)s", reason=refusal_reason(error)), error.position) from None


def _check(name: str, query: str, title_only: bool, scopes, outlet_ids, *,
           stored: str | None = None) -> tuple[list[str], list[int]]:
    """``stored``: the rule's query as saved; the same query is not refused for what is refused
    only since it was saved (a rule of «(…)» could be neither renamed nor switched off)."""
    if not (name or "").strip():
        raise ServiceError(_("نام قاعده را بنویسید."))
    scopes = sorted(set(scopes or ()))
    if not set(scopes) <= SCOPES:
        raise ServiceError(_("دامنهٔ رسانه شناخته‌شده نیست."))
    outlet_ids = sorted({int(i) for i in outlet_ids or ()})
    if outlet_ids and len(db.session.scalars(select(Outlet.id).where(Outlet.id.in_(outlet_ids))).all()) \
            != len(outlet_ids):
        raise ServiceError(_("یکی از رسانه‌های برگزیده پیدا نشد."))
    check_rule_query(query, title_only, strict=(query or "").strip() != stored)
    return scopes, outlet_ids


def _may_edit(actor, agency_id: int) -> None:
    if actor is not None and not can_edit_rules(actor, agency_id):
        raise NotAllowed(_("شما اجازهٔ ویرایش قاعده‌های ارجاع این سازمان را ندارید."))


def _name_taken(agency_id: int, name: str, rule_id: int | None = None) -> bool:
    query = select(RoutingRule.id).where(RoutingRule.agency_id == agency_id, RoutingRule.name == name)
    if rule_id is not None:
        query = query.where(RoutingRule.id != rule_id)
    return db.session.scalar(_unscoped(query)) is not None


def _label(actor, actor_label: str) -> str:
    return actor_label or getattr(actor, "username", "") or "system"


def create_rule(agency: Agency, name: str, query: str, *, title_only: bool = False, lead: bool = False, scopes=(),
                outlet_ids=(), is_active: bool = True, actor=None, actor_label: str = "") -> RoutingRule:
    """Save a new rule of ``agency`` (refused with a position when its query does not compile)."""
    _may_edit(actor, agency.id)
    scopes, outlet_ids = _check(name, query, title_only, scopes, outlet_ids)
    if _name_taken(agency.id, name.strip()):
        raise ServiceError(_("این سازمان قاعده‌ای با همین نام دارد."))
    lead = bool(title_only and lead)  # the lead is read besides the title, by a title-only rule
    rule = RoutingRule(agency_id=agency.id, name=name.strip(), query=query.strip(), is_title_only=title_only,
                       reads_lead=lead, scopes=scopes, outlet_ids=outlet_ids, is_active=is_active, version=1,
                       author_id=getattr(actor, "id", None))
    db.session.add(rule)
    db.session.flush()
    record("routing_rule.created", actor=actor, actor_label=_label(actor, actor_label), obj=rule,
           name=rule.name, query=rule.query, title_only=title_only, lead=lead, scopes=scopes, outlet_ids=outlet_ids,
           is_active=is_active, version=1)
    db.session.commit()
    return rule


def rule_state(rule: RoutingRule) -> dict:
    """What a version of a rule is made of (kept in its audit entries)."""
    return {"name": rule.name, "query": rule.query, "title_only": rule.is_title_only, "lead": rule.reads_lead,
            "scopes": list(rule.scopes or ()), "outlet_ids": list(rule.outlet_ids or ()),
            "is_active": rule.is_active}


def update_rule(rule: RoutingRule, *, name: str, query: str, title_only: bool = False, lead: bool = False, scopes=(),
                outlet_ids=(), is_active: bool = True, actor=None, actor_label: str = "") -> RoutingRule:
    """Change a rule: a new version, the previous one kept in the audit entry (nothing changed:
    no new version)."""
    _may_edit(actor, rule.agency_id)
    scopes, outlet_ids = _check(name, query, title_only, scopes, outlet_ids, stored=rule.query)
    if _name_taken(rule.agency_id, name.strip(), rule.id):
        raise ServiceError(_("این سازمان قاعده‌ای با همین نام دارد."))
    before = rule_state(rule)
    rule.name, rule.query, rule.is_title_only = name.strip(), query.strip(), title_only
    rule.reads_lead = bool(title_only and lead)
    rule.scopes, rule.outlet_ids, rule.is_active = scopes, outlet_ids, is_active
    after = rule_state(rule)
    if after == before:
        return rule
    rule.version = (rule.version or 1) + 1
    rule.updated_at = utcnow()
    record("routing_rule.updated", actor=actor, actor_label=_label(actor, actor_label), obj=rule,
           before=before, **after, version=rule.version)
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
                                   is_title_only=starter.title_only, reads_lead=starter.lead, scopes=[],
                                   is_active=True, version=1,
                                   author_id=getattr(actor, "id", None)))
        existing.add((agency.id, starter.name))
        added += 1
    if added:
        record("routing_rule.starter_loaded", actor=actor, actor_label=_label(actor, actor_label), added=added)
    db.session.commit()
    return {"added": added, "skipped": skipped}
