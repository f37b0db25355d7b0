"""Trying a rule before it is saved, and applying a saved rule to items already stored.

The tester matches a (possibly unsaved) rule against the last N stored items in memory, with the
matched words marked (as plain text pieces; the page's ``highlight`` filter makes the HTML). A
backfill applies a saved rule to stored items on demand: the request is a ``RuleBackfill`` row,
the worker walks the items in id order in batches and commits its cursor with each batch, so it
resumes after a crash and never routes an item twice. Every route it adds or changes queues its item
for reindexing in the batch's transaction, and a new route is matched against the saved searches
filtered by its agency there too (``alerts.notify_routed_items``: once per search and item).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.policy import can_edit_rules
from app.rules.analysis import AnalyzedItem, analyze_item
from app.rules.detector import detect_public_question
from app.rules.matcher import Match, match
from app.rules.places import held_abroad
from app.rules.ruleset import Limits
from app.services import NotAllowed, ServiceError
from app.services.alerts import notify_routed_items
from app.services.audit import record
from app.services.routing import check_rule_query, insert_routes, item_body, rule_limits
from models import Item, ItemRoute, RoutingRule, RuleBackfill, item_route_rules, utcnow
from models.search_outbox import enqueue

TESTER_DEFAULT = 200
TESTER_MAX = 1000
SNIPPET_CHARS = 260


Segment = tuple[str, bool]  # a piece of text, and whether it is a matched word (templates mark those)


def mark_spans(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> list[Segment]:
    """``text[start:end]`` cut into pieces, the character ``spans`` marked as matched."""
    end = len(text) if end is None else end
    out: list[Segment] = []
    at = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e or s < at:
            continue
        if s > at:
            out.append((text[at:s], False))
        out.append((text[s:e], True))
        at = e
    if end > at:
        out.append((text[at:end], False))
    return out


def snippet(text: str, spans: list[tuple[int, int]], chars: int = SNIPPET_CHARS) -> list[Segment]:
    """A window of ``text`` around its first matched span (the start when nothing matched)."""
    if not text:
        return []
    first = spans[0][0] if spans else 0
    start = max(0, first - chars // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ([("… ", False)] if start else []) + mark_spans(text, spans, start, end) + (
        [(" …", False)] if end < len(text) else [])


@dataclass
class TesterHit:
    item: Item
    title: list[Segment]  # the title, matched words marked
    snippet: list[Segment]  # a window of the body around the first match
    words: list[str]  # as written in the item
    routed: bool  # already in the agency's inbox
    abroad: str | None = None  # the foreign place the title names: the match routes nothing (places.py)


@dataclass
class TesterResult:
    checked: int  # items looked at
    hits: list[TesterHit]


def _scope_of(item: Item) -> str | None:
    return item.outlet.scope if item.outlet is not None else None


def try_rule(query: str, *, title_only: bool = False, lead: bool = False, scopes=(), outlet_ids=(),
             agency_id: int | None = None, last: int = TESTER_DEFAULT) -> TesterResult:
    """Which of the last ``last`` stored items the rule matches, with highlights (nothing stored).

    Raises RuleRefused (position and Persian message) when the query does not compile.
    """
    compiled = check_rule_query(query, title_only, lead)
    limits = Limits(scopes=frozenset(scopes or ()), outlet_ids=frozenset(int(i) for i in outlet_ids or ()))
    last = max(1, min(int(last or TESTER_DEFAULT), TESTER_MAX))
    items = db.session.scalars(select(Item).options(joinedload(Item.outlet))
                               .order_by(Item.id.desc()).limit(last)).all()
    hits: list[TesterHit] = []
    for item in items:
        if not limits.allow(_scope_of(item), item.outlet_id):
            continue
        analyzed = analyze_item(item.title, item_body(item))
        found = match(compiled, analyzed)
        if found is not None:
            hits.append(TesterHit(item, mark_spans(item.title or "", found.spans("title")),
                                  snippet(analyzed.texts["body"], found.spans("body")),
                                  list(dict.fromkeys(c.found for c in found.clauses)), False,
                                  held_abroad(compiled, analyzed)))
    if hits and agency_id is not None:
        routed = set(db.session.scalars(select(ItemRoute.item_id).execution_options(unscoped=True).where(
            ItemRoute.agency_id == agency_id, ItemRoute.item_id.in_([h.item.id for h in hits]))))
        for hit in hits:
            hit.routed = hit.item.id in routed
    return TesterResult(len(items), hits)


# --- backfills --------------------------------------------------------------------------------

BACKFILL_DAYS = (7, 30, 90)


def request_backfill(rule: RoutingRule, days: int | None, actor=None, *, actor_label: str = "") -> RuleBackfill:
    """Ask the worker to apply ``rule`` to items published in the last ``days`` days (None: all).
    ``actor`` None is the command line."""
    if actor is not None and not can_edit_rules(actor, rule.agency_id):
        raise NotAllowed(_("شما اجازهٔ ویرایش قاعده‌های ارجاع این سازمان را ندارید."))
    if not rule.is_active:
        raise ServiceError(_("قاعدهٔ غیرفعال را نمی‌توان روی خبرهای پیشین اجرا کرد؛ نخست آن را فعال کنید."))
    if days is not None and days not in BACKFILL_DAYS:
        raise ServiceError(_("بازهٔ زمانی خواسته‌شده پذیرفته نیست."))
    pending = db.session.scalar(select(RuleBackfill).where(RuleBackfill.rule_id == rule.id,
                                                           RuleBackfill.finished_at.is_(None)))
    if pending is not None:
        raise ServiceError(_("اجرای این قاعده روی خبرهای پیشین هنوز در جریان است."))
    since = utcnow() - timedelta(days=days) if days else None
    backfill = RuleBackfill(rule_id=rule.id, agency_id=rule.agency_id, since=since, cursor=0, checked=0,
                            added=0, requested_by_id=getattr(actor, "id", None))
    db.session.add(backfill)
    db.session.flush()
    record("routing_rule.backfill_requested", actor=actor, actor_label=actor_label, obj=rule, days=days,
           backfill_id=backfill.id)
    db.session.commit()
    return backfill


def apply_rule(session, rule: RoutingRule, items: list[Item]) -> int:
    """Route ``items`` by ``rule`` alone: new routes for its agency, or the rule added to an existing
    route's reasons (its status untouched). Idempotent; the caller commits. Returns routes added."""
    compiled = check_rule_query(rule.query, rule.is_title_only, rule.reads_lead, strict=False)  # as stored
    limits = rule_limits(rule)
    found: dict[int, tuple[Item, Match, AnalyzedItem]] = {}
    for item in items:
        if limits.allow(_scope_of(item), item.outlet_id):
            result = match(compiled, analyzed := analyze_item(item.title, item_body(item)))
            if result is not None and held_abroad(compiled, analyzed) is None:  # as routing at ingest holds it
                found[item.id] = (item, result, analyzed)
    if not found:
        return 0
    existing = {r.item_id: r for r in session.scalars(select(ItemRoute).execution_options(unscoped=True).where(
        ItemRoute.agency_id == rule.agency_id, ItemRoute.item_id.in_(found)))}
    reason = {"rule_id": rule.id, "rule": rule.name}
    rows, links = [], []
    for item_id, (item, result, analyzed) in found.items():
        words = list(dict.fromkeys(c.found for c in result.clauses))
        route = existing.get(item_id)
        if route is not None:
            if rule.id not in (route.rule_ids or []):
                route.rule_ids = [*route.rule_ids, rule.id]
                route.matched = [*route.matched, {**reason, "words": words}]
                links.append({"item_route_id": route.id, "rule_id": rule.id})  # not indexed: no reindex
            continue
        detection = detect_public_question(item.title, item_body(item), item=analyzed)
        rows.append({"item_id": item_id, "agency_id": rule.agency_id, "rule_ids": [rule.id],
                     "matched": [{**reason, "words": words}], "is_question": detection.is_question,
                     "question_reasons": [{"code": r.code, "text": r.text_fa, "snippet": r.snippet}
                                          for r in detection.reasons] if detection.is_question else [],
                     "status": "new", "created_at": utcnow()})
    if links:
        session.flush()
        session.connection().execute(insert(item_route_rules), links)
    if rows:
        insert_routes(session, rows)
        _close_unassigned(session, rule, [r["item_id"] for r in rows])
        notify_routed_items(session, [r["item_id"] for r in rows])  # the agency's filtered saved searches
    return len(rows)


def _close_unassigned(session, rule: RoutingRule, item_ids: list[int]) -> None:
    """Items that waited without an agency now have one: they leave the supervisors' queue."""
    waiting = session.scalars(select(ItemRoute).execution_options(unscoped=True).where(
        ItemRoute.item_id.in_(item_ids), ItemRoute.agency_id.is_(None),
        ItemRoute.status.in_(("new", "seen")))).all()
    for route in waiting:
        before, route.status, route.status_changed_at = route.status, "reassigned", utcnow()
        record("item_route.status_changed", actor_label="worker", obj=route, item_id=route.item_id,
               before=before, after="reassigned", rule_id=rule.id, to_agency_id=rule.agency_id)
        enqueue(session, "item", route.item_id)


def run_backfill_batch(backfill: RuleBackfill, batch: int) -> bool:
    """One batch of a backfill, committed with its cursor; True when the backfill is finished."""
    rule = db.session.get(RoutingRule, backfill.rule_id, execution_options={"unscoped": True})
    query = select(Item).options(joinedload(Item.outlet)).where(Item.id > backfill.cursor)
    if backfill.since is not None:
        query = query.where(Item.published_at >= backfill.since)
    items = db.session.scalars(query.order_by(Item.id).limit(batch)).all()
    if rule is not None and rule.is_active and items:
        backfill.added += apply_rule(db.session, rule, items)
        backfill.checked += len(items)
        backfill.cursor = items[-1].id
    if rule is None or not rule.is_active or len(items) < batch:
        backfill.finished_at = utcnow()
        record("routing_rule.backfill_finished", actor_label="worker", obj=rule or backfill,
               agency_id=backfill.agency_id, backfill_id=backfill.id, checked=backfill.checked,
               added=backfill.added)
    db.session.commit()
    return backfill.finished_at is not None


def run_backfills(max_batches: int | None = None) -> dict:
    """Run every unfinished backfill to its end (or ``max_batches`` batches in all)."""
    batch = current_app.config["ROUTING_BACKFILL_BATCH"]
    done = batches = 0
    pending = db.session.scalars(select(RuleBackfill).execution_options(unscoped=True)
                                 .where(RuleBackfill.finished_at.is_(None)).order_by(RuleBackfill.id)).all()
    for backfill in pending:
        while max_batches is None or batches < max_batches:
            batches += 1
            if run_backfill_batch(backfill, batch):
                done += 1
                break
    return {"pending": len(pending), "finished": done, "batches": batches}


def backfill_job(app) -> str:
    result = run_backfills(max_batches=app.config["ROUTING_BACKFILL_BATCHES_PER_RUN"])
    return f"backfills pending={result['pending']} finished={result['finished']} batches={result['batches']}"


def register_jobs(app) -> None:
    """The worker applies requested rules to stored items every few seconds."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("rule-backfills", app.config["ROUTING_BACKFILL_EVERY_SECONDS"], backfill_job))
