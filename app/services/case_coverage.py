"""Closing the loop (issue 11, item 5): the monitored items that reported a case's published answer.

Once a case's answer is published, ``coverage_suggestions`` asks the app's search service
(app/services/search.py: the same Persian analysis and light stemming as the search page) for
items routed to the case's agency that share the question's words, published on or after the
day of publication; the items that raised the question and those already decided are left out.
The best-ranked come first. Staff confirm or dismiss each one (``decide_coverage``: a
``CaseCoverage`` row, a timeline event and its audit entry, one commit); the confirmed ones are
the case page's "outlets that reported the answer".

The words are the question's free-text words with stop words dropped, as alternatives («یا»):
an item need not repeat the question to carry its answer, and the ranking puts the items that
share the most words first.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import utcnow
from app.extensions import db
from app.policy import can_write_case
from app.services import NotAllowed, ServiceError
from app.services.case_timeline import add_event
from app.services.digits import shown_number
from app.services.search import AgencyFilterRefused, SearchRequest, search
from models import COVERAGE_STATES, CaseCoverage, Item, PublicQuestion
from models.case import ANSWERED_STATUSES
from search_index.persian import ZWNJ
from search_index.query_syntax import free_word_units
from search_index.query_terms import query_words

SUGGESTIONS = 10      # suggestions shown at once
QUERY_WORDS = 12      # the question's words asked for, at most
OR = " یا "           # the search syntax's alternative


def coverage_query(case: PublicQuestion) -> str:
    """The search text of a case's coverage: its question's words (stop words out) as alternatives."""
    units = free_word_units(query_words(case.question or case.title or ""), drop_stopwords=True)
    words = list(dict.fromkeys(unit for unit, _pairs in units if len(unit.replace(ZWNJ, "")) > 1))
    return OR.join(words[:QUERY_WORDS])


def _decided_and_sources(case: PublicQuestion) -> set[int]:
    decided = set(db.session.scalars(select(CaseCoverage.item_id).where(CaseCoverage.case_id == case.id)))
    return decided | {source.item_id for source in case.sources if source.item_id is not None}


def coverage_suggestions(case: PublicQuestion, actor, limit: int = SUGGESTIONS) -> list[Item]:
    """Items that may carry the case's published answer, best first (none before publication, for
    a case without an agency, or for an actor who may not decide them)."""
    if (case.status not in ANSWERED_STATUSES or case.agency is None or case.answered_on is None
            or not can_write_case(actor, case.agency_id)):
        return []
    text = coverage_query(case)
    if not text:
        return []
    skip = _decided_and_sources(case)
    request = SearchRequest(text=text, agencies=(case.agency.slug,), date_from=case.answered_on,
                            sort="relevance", page=1, per_page=min(100, limit + len(skip)))
    try:
        page = search(request, actor=actor, highlight=False)
    except AgencyFilterRefused:  # the case is in the actor's scope, so this is their agency: defensive
        return []
    return [result.item for result in page.results if result.item.id not in skip][:limit]


def coverage_of(case: PublicQuestion) -> list[CaseCoverage]:
    """The case's decided items (confirmed and dismissed), oldest item first."""
    return list(db.session.scalars(
        select(CaseCoverage).options(joinedload(CaseCoverage.item).joinedload(Item.outlet),
                                     joinedload(CaseCoverage.confirmed_by))
        .join(Item, Item.id == CaseCoverage.item_id).where(CaseCoverage.case_id == case.id)
        .order_by(Item.published_at, Item.id)))


def decide_coverage(case: PublicQuestion, item_id: int, state: str, actor) -> CaseCoverage:
    """Confirm (``state`` "confirmed") or dismiss ("dismissed") an item as one that reported the
    case's published answer; a decision can be changed. Timeline, audit, commit; the same
    decision twice changes nothing.

    :raise NotAllowed: the actor may not change this case.
    :raise ServiceError: the answer is not published yet, an unknown state or item, or an item
        that raised the question.
    """
    if not can_write_case(actor, case.agency_id):
        raise NotAllowed(_("بازتاب پاسخ را کارکنان همان سازمان یا ناظران استانداری تأیید می‌کنند."))
    if case.status not in ANSWERED_STATUSES:
        raise ServiceError(_("رسانه‌هایی را که پاسخ را بازتاب دادند پس از انتشار پاسخ ثبت کنید."))
    if state not in COVERAGE_STATES:
        raise ServiceError(_("تصمیم دربارهٔ پیشنهاد شناخته نیست: تأیید یا کنار گذاشتن."))
    item = db.session.get(Item, item_id) if item_id else None
    if item is None:
        raise ServiceError(_("خبری با شناسهٔ %(id)s نیست.", id=shown_number(item_id or "—")))
    if any(source.item_id == item.id for source in case.sources):
        raise ServiceError(_("این خبر منبع همین پرسش است، نه بازتاب پاسخ آن."))
    row = db.session.scalar(select(CaseCoverage).where(CaseCoverage.case_id == case.id,
                                                       CaseCoverage.item_id == item.id))
    if row is not None and row.state == state:
        return row
    if row is None:
        row = CaseCoverage(case_id=case.id, item_id=item.id)
        db.session.add(row)
    before = row.state if row.id else None
    row.state, row.confirmed_by_id, row.confirmed_at = state, getattr(actor, "id", None), utcnow()
    add_event(case, f"coverage_{state}", actor, item_id=item.id, title=item.title or "",
              outlet=item.outlet.name if item.outlet else "", link=item.link or "", before=before)
    db.session.commit()
    return row
