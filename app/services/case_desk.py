"""The case pages' actions: each finds the case (by reference, through the actor's scope) or the
item, turns what the form sent into the objects the cases API takes (an assignee's id, the
reference of the case to merge into, an agency's slug, a publication link), and calls ONE
function of that API (app/services/cases.py), which checks the policy, writes the timeline and
the audit entry and commits. Nothing here commits on its own.

:raise NotFound: the case (or the item) is not in the actor's scope: views answer 404.
:raise NotAllowed / ServiceError: as the cases API raises them (a Persian message).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import can_move_case, sees_all_agencies
from app.services import NotFound, ServiceError, about
from app.services.case_coverage import decide_coverage
from app.services.case_pages import answer_version, item_for_case
from app.services.cases import (
    ManualSource,
    PublicationLink,
    add_note,
    add_publication_link,
    agency_by_slug,
    case_by_ref,
    move,
    open_case,
    save_answer,
    transfer,
)
from app.services.row_guard import STALE_PAGE, StalePage, changed_since
from models import Agency, CaseCoverage, PublicQuestion, User


@dataclass(frozen=True)
class CaseDraft:
    """The open-a-case form: what the question is and who answers it (``agency``: a slug; agency
    users open for their own agency only)."""

    title: str = ""
    question: str = ""
    kind: str = "question"
    priority: str = "normal"
    agency: str = ""
    notes: str = ""
    opened_on: date | None = None
    accept: bool = False


def _agency_for(actor, slug: str) -> Agency | None:
    """The agency a new case goes to: an agency user's own; the governorate's pick (None: none yet)."""
    if not sees_all_agencies(actor):
        own = getattr(actor, "agency", None)
        if slug and own is not None and slug != own.slug:
            raise ServiceError(_("پرونده را تنها برای سازمان خودتان باز می‌کنید."))
        return own
    return agency_by_slug(slug) if (slug or "").strip() else None


def _open(actor, draft: CaseDraft, *, item_id: int | None = None, manual: ManualSource | None = None) -> PublicQuestion:
    with about("agency"):
        agency = _agency_for(actor, draft.agency)
    accept = draft.accept and agency is not None and can_move_case(actor, "accept", agency.id)
    return open_case(actor, agency=agency, item_id=item_id, manual=manual, title=draft.title, question=draft.question,
                     kind=draft.kind or "question", priority=draft.priority or "normal", opened_on=draft.opened_on,
                     notes=draft.notes, accept=accept)


def open_from_item(item_id: int, draft: CaseDraft, actor) -> PublicQuestion:
    """Open a case from a monitored item (the title defaults to the item's); accepted at once when
    ``draft.accept`` and the actor may accept. :raise NotFound: no such item."""
    item_for_case(item_id)
    return _open(actor, draft, item_id=item_id)


def open_manual(draft: CaseDraft, manual: ManualSource, actor) -> PublicQuestion:
    """Open a case for a question raised outside the monitored feeds (TV, radio, print, social
    media, a press conference)."""
    return _open(actor, draft, manual=manual)


@dataclass(frozen=True)
class MoveForm:
    """What a move's form sent; each move reads what it needs (app/services/case_workflow.move)."""

    to_status: str
    assignee_id: int | None = None
    into_ref: str = ""
    agency: str = ""
    reason: str = ""
    answer: str | None = None
    link: str = ""
    link_kind: str = "portal"
    link_label: str = ""
    answer_seen: str | None = None  # ``answer_version`` of the answer the page showed (with ``answer``)


def _answer_as_seen(case: PublicQuestion, seen: str | None) -> None:
    """:raise StalePage: the answer changed since the page showed it as ``seen`` (compared under the
    row's write lock, held until the save commits; no version sent: a script, not checked)."""
    if changed_since(case, seen, answer_version):
        db.session.rollback()  # the row's write lock (SQLite's whole database) not held while the page renders
        raise StalePage(_(STALE_PAGE))


def _assignee(user_id: int | None) -> User | None:
    """The user picked (None: none picked, the move's default). :raise ServiceError: an id that is
    no user's, not read as "none picked" (a manager's move would then assign the case to himself)."""
    if user_id is None:
        return None
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise ServiceError(_("کارشناسی که برگزیده شد پیدا نشد؛ صفحه را دوباره بخوانید و از فهرست برگزینید."))
    return user


def _into(ref: str) -> PublicQuestion | None:
    if not (ref or "").strip():
        return None
    try:
        return case_by_ref(ref)
    except NotFound as missing:  # the case to merge into: a message, not a missing page
        raise ServiceError(str(missing)) from missing


def move_case(ref: str, form: MoveForm, actor) -> PublicQuestion:
    """Move case ``ref`` as its page's form asks."""
    case = case_by_ref(ref)
    if form.answer is not None:  # a draft or an approval sent from the answer's form
        _answer_as_seen(case, form.answer_seen)
    agency = None
    if form.to_status == "accepted" and form.agency:
        agency = _agency_for(actor, form.agency)
    link = PublicationLink(url=form.link, label=form.link_label, kind=form.link_kind or "portal") \
        if form.to_status == "published" else None
    return move(case, form.to_status, actor, assignee=_assignee(form.assignee_id), reason=form.reason or None,
                link=link, answer=form.answer, into=_into(form.into_ref) if form.to_status == "merged" else None,
                agency=agency)


def transfer_case(ref: str, agency_slug: str, reason: str, actor) -> PublicQuestion:
    """Send open case ``ref`` to another agency (the governorate), with a reason. A case the agency
    had accepted could only be rejected and opened again: the page offered the agency only when
    accepting (a walk through the pages, session 30)."""
    case = case_by_ref(ref)
    with about("agency"):
        agency = agency_by_slug(agency_slug) if (agency_slug or "").strip() else None
    return transfer(case, agency, actor, reason)


def save_case_answer(ref: str, answer: str, actor, seen: str | None = None) -> PublicQuestion:
    """Keep the answer being written without moving the case (``seen``: ``answer_version`` of the
    answer the page showed; a colleague's answer saved since is not overwritten unseen)."""
    case = case_by_ref(ref)
    _answer_as_seen(case, seen)
    return save_answer(case, answer, actor)


def add_case_note(ref: str, text: str, actor) -> PublicQuestion:
    """An internal note on case ``ref``."""
    return add_note(case_by_ref(ref), text, actor)


def add_case_link(ref: str, url: str, kind: str, link_label: str, actor) -> PublicQuestion:
    """Another place case ``ref``'s published answer appeared."""
    return add_publication_link(case_by_ref(ref), PublicationLink(url=url, label=link_label, kind=kind or "portal"),
                                actor)


def decide_case_coverage(ref: str, item_id: int | None, state: str, actor) -> CaseCoverage:
    """Confirm or dismiss a suggested item as one that reported case ``ref``'s answer."""
    return decide_coverage(case_by_ref(ref), item_id or 0, state, actor)
