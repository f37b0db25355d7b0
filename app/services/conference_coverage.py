"""Coverage of a held conference (issue 12, item 6): the monitored items that reported it,
suggested, then confirmed or rejected by the agency's staff; the page shows the confirmed ones by
outlet and by scope (local / provincial / national).

Which items are suggested: those published from the conference's start to the end of the
``CONFERENCE_COVERAGE_DAYS``-th local day after it, that carry one of its topics or
spokespeople. Candidates come from two places: the items routed to the agency in the window (the
database), and, for each topic and spokesperson, the search service (``app.services.search``:
the index with its Persian analysis, so items of outlets no rule routes are found too). Every
candidate is then checked by the routing rules' matcher (``app.rules``: the same tokenizer, word
forms and phrase variants as search and routing, in memory), which also says what matched (the
``reasons``); a candidate that matches no topic and no spokesperson is not suggested, whatever
routed it. A single-word topic matches its word forms (تانکر → تانکرها); a longer one is a phrase.

``find_coverage`` is idempotent: an item is suggested once per conference (a UNIQUE row, inserted
with ON CONFLICT DO NOTHING, so the worker's job and a click at the same time add it once); a
still-suggested row gets its reasons refreshed; a confirmed or rejected one is left alone. The
worker's job *conference-coverage* runs it for every conference held within the window.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from app.clock import local_midnight, to_local, utcnow
from app.extensions import db
from app.policy import can_write_conference
from app.rules.analysis import analyze_item
from app.rules.matcher import CompiledRule, RuleSyntaxError, compile_rule, matches
from app.services import NotFound, ServiceError
from app.services.conference_timeline import add_event
from app.services.conferences import get_conference, require_writer
from app.services.search import SearchRequest, search
from models import (
    CONFERENCE_COVERAGE_STATES,
    ROUTED_STATUSES,
    ConferenceCoverage,
    Item,
    ItemRoute,
    PressConference,
)

SEARCH_PER_PHRASE = 100  # best-ranked items asked of the index for each topic or spokesperson
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # «علی رضایی (مدیرعامل)»: the name is what the news prints
_QUOTES = re.compile("[\"«»“”]")
SCOPES = ("local", "provincial", "national")


@dataclass(frozen=True)
class Phrase:
    kind: str  # "topic" | "spokesperson"
    text: str
    rule: CompiledRule


@dataclass(frozen=True)
class FindResult:
    added: int
    refreshed: int
    candidates: int
    index_missing: bool = False


def window(conference: PressConference) -> tuple[datetime, datetime]:
    """[start, end): from the conference's start to the end of the window's last local day."""
    days = int(current_app.config["CONFERENCE_COVERAGE_DAYS"])
    last_day = to_local(conference.starts_at).date() + timedelta(days=days)
    return conference.starts_at, local_midnight(last_day + timedelta(days=1))


def phrases(conference: PressConference) -> list[Phrase]:
    """The conference's topics and spokespeople as compiled rules (a bad one is skipped)."""
    found: list[Phrase] = []
    for kind, values in (("topic", conference.topics or []), ("spokesperson", conference.spokespeople or [])):
        for value in values:
            text = " ".join(_QUOTES.sub(" ", _ASIDE.sub(" ", value)).split())
            if not text:
                continue
            try:
                rule = compile_rule(text if len(text.split()) == 1 else f'"{text}"')
            except RuleSyntaxError:
                continue
            found.append(Phrase(kind, text, rule))
    return found


def _routed_ids(conference: PressConference, start: datetime, end: datetime) -> set[int]:
    return set(db.session.scalars(
        select(ItemRoute.item_id).join(Item, Item.id == ItemRoute.item_id)
        .where(ItemRoute.agency_id == conference.agency_id, ItemRoute.status.in_(ROUTED_STATUSES),
               Item.published_at >= start, Item.published_at < end)
        .execution_options(unscoped=True)))


def _searched_ids(conference: PressConference, found: list[Phrase]) -> tuple[set[int], bool]:
    first = to_local(conference.starts_at).date()
    last = first + timedelta(days=int(current_app.config["CONFERENCE_COVERAGE_DAYS"]))
    ids: set[int] = set()
    missing = False
    for phrase in found:
        text = phrase.text if len(phrase.text.split()) == 1 else f'"{phrase.text}"'
        page = search(SearchRequest(text=text, date_from=first, date_to=last, sort="relevance",
                                    per_page=SEARCH_PER_PHRASE), actor=None, highlight=False)
        missing = missing or page.index_missing
        ids.update(result.item.id for result in page.results if result.hit.doc_type == "item")
    return ids, missing


def _insert(values: dict) -> None:
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(ConferenceCoverage.__table__).values(**values)
                       .on_conflict_do_nothing(index_elements=["conference_id", "item_id"]))


def _suggest(conference: PressConference, actor) -> FindResult:
    """The rows of one run, in the caller's transaction (no commit)."""
    start, end = window(conference)
    found = phrases(conference)
    if not found:
        return FindResult(0, 0, 0)
    routed = _routed_ids(conference, start, end)
    searched, missing = _searched_ids(conference, found)
    items = list(db.session.scalars(select(Item).where(Item.id.in_(routed | searched),
                                                       Item.published_at >= start, Item.published_at < end)))
    existing = {row.item_id: row for row in conference.coverage}
    added = refreshed = 0
    for item in items:
        analyzed = analyze_item(item.title, item.text)
        reasons = [{"kind": p.kind, "text": p.text} for p in found if matches(p.rule, analyzed)]
        if not reasons:
            continue
        score = 2.0 * len(reasons) + (1.0 if item.id in routed else 0.0)
        if item.id in routed:
            reasons.append({"kind": "agency", "text": conference.agency.name_fa})
        row = existing.get(item.id)
        if row is None:
            _insert({"conference_id": conference.id, "item_id": item.id, "state": "suggested", "score": score,
                     "reasons": reasons, "suggested_at": utcnow()})
            added += 1
        elif row.state == "suggested" and (row.reasons != reasons or row.score != score):
            row.reasons, row.score = reasons, score
            refreshed += 1
    if added:
        add_event(conference, "coverage_found", actor, added=added)
    return FindResult(added, refreshed, len(items), missing)


def find_coverage(conference_id: int, actor) -> FindResult:
    """Suggest the coverage of a held conference of the actor's agency (see the module); one commit.

    :raise NotFound: the conference is not in the actor's scope.
    :raise NotAllowed: the actor is not the conference agency's manager or staff.
    :raise ServiceError: the conference was not held.
    """
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if conference.status != "held":
        raise ServiceError(_("بازتاب نشست پس از برگزاری آن جست‌وجو می‌شود."))
    try:
        result = _suggest(conference, actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire(conference, ["coverage"])
    return result


def decide(conference_id: int, coverage_id: int | None, state: str, actor) -> ConferenceCoverage:
    """Confirm or reject a suggestion (a decision can be changed; the same one twice changes
    nothing). Timeline, audit, commit. :raise NotFound, NotAllowed, ServiceError."""
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    if state not in CONFERENCE_COVERAGE_STATES or state == "suggested":
        raise ServiceError(_("تصمیم دربارهٔ پیشنهاد شناخته نیست: تأیید یا رد."))
    row = next((c for c in conference.coverage if c.id == coverage_id), None) if coverage_id else None
    if row is None:
        raise NotFound(_("این پیشنهاد بازتاب در این نشست نیست."))
    if row.state == state:
        return row
    before = row.state
    row.state, row.decided_by_id, row.decided_at = state, getattr(actor, "id", None), utcnow()
    item = row.item
    add_event(conference, f"coverage_{state}", actor, text=item.title or "", item_id=item.id, before=before,
              outlet=item.outlet.name if item.outlet else "", link=item.link or "")
    db.session.commit()
    return row


def coverage_job(app: Flask) -> str:
    """The worker's "conference-coverage" job: ``find_coverage`` for each conference held within
    the window (unscoped, as the system), one commit each."""
    days = int(app.config["CONFERENCE_COVERAGE_DAYS"])
    since = utcnow() - timedelta(days=days + 1)
    ids = list(db.session.scalars(select(PressConference.id).where(
        PressConference.status == "held", PressConference.starts_at >= since).order_by(PressConference.id)))
    added = 0
    for conference_id in ids:
        conference = db.session.get(PressConference, conference_id)
        added += _suggest(conference, None).added
        db.session.commit()
    return f"conferences={len(ids)} suggested={added}"


def register_jobs(app: Flask) -> None:
    """Add the "conference-coverage" job (every CONFERENCE_COVERAGE_EVERY_SECONDS)."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("conference-coverage", app.config["CONFERENCE_COVERAGE_EVERY_SECONDS"], coverage_job))


def coverage_section(conference: PressConference, actor) -> dict:
    """The conference page's coverage: suggestions (best first), the confirmed items by outlet and
    by scope, how many were rejected, and the window."""
    rows = list(db.session.scalars(select(ConferenceCoverage)
                                   .options(joinedload(ConferenceCoverage.item).joinedload(Item.outlet))
                                   .where(ConferenceCoverage.conference_id == conference.id)))
    confirmed = sorted((r for r in rows if r.state == "confirmed"), key=lambda r: r.item.published_at)
    by_outlet = Counter((r.item.outlet.name, r.item.outlet.scope) if r.item.outlet else ("", "") for r in confirmed)
    by_scope = Counter(scope or "other" for (_name, scope) in by_outlet.elements())
    start, end = window(conference)
    return {
        "suggested": sorted((r for r in rows if r.state == "suggested"),
                            key=lambda r: (-r.score, -r.item.published_at.timestamp(), r.id)),
        "confirmed": confirmed,
        "rejected": [r for r in rows if r.state == "rejected"],
        "by_outlet": sorted(by_outlet.items(), key=lambda pair: (-pair[1], pair[0][0])),
        "by_scope": [(scope, by_scope.get(scope, 0)) for scope in (*SCOPES, "other") if scope in SCOPES or by_scope.get(scope)],
        "window": (to_local(start).date(), to_local(end - timedelta(seconds=1)).date()),
        "can_write": can_write_conference(actor, conference.agency_id) and conference.status == "held",
        "is_held": conference.status == "held",
    }
