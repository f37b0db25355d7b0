"""Reading cases: by reference, filtered lists, the timeline, and a case as JSON.

Every read goes through the current agency scope (app/scoping.py): a user of agency A finds
none of agency B's cases, and the CLI's ``--by USER`` reads as that user does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.extensions import db
from app.jalali import format_jalali_date
from app.policy import may_sign_in
from app.services import NotFound, ServiceError
from app.services.agencies import agency_by_slug  # noqa: F401 - the cases API's name for it
from app.services.digits import shown_ref
from app.services.login_keys import fold_username
from models import OPEN_STATUSES, CaseEvent, PublicQuestion, User
from search_index.persian import ascii_digits, fold_pasted

# A reference without its leading zeros, or with a slash: the year, then the number.
_REF = re.compile(r"([0-9]{4})\s*[-/]\s*0*([0-9]{1,6})")  # zeros before the number, as many as typed


@dataclass(frozen=True)
class CaseFilters:
    """A list's filters; None (or empty) = any. ``overdue``: open and past its deadline today."""

    agency_id: int | None = None
    statuses: tuple[str, ...] = ()
    overdue: bool = False
    open_only: bool = False
    assignee_id: int | None = None
    kind: str | None = None
    priority: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None


def cases_query(filters: CaseFilters = CaseFilters(), today: date | None = None) -> Select:
    """A SELECT of the cases matching ``filters`` (scoped), soonest deadline first; pages paginate it."""
    query = select(PublicQuestion)
    if filters.agency_id is not None:
        query = query.where(PublicQuestion.agency_id == filters.agency_id)
    if filters.statuses:
        query = query.where(PublicQuestion.status.in_(filters.statuses))
    if filters.open_only or filters.overdue:
        query = query.where(PublicQuestion.status.in_(OPEN_STATUSES))
    if filters.overdue:
        query = query.where(PublicQuestion.deadline < (today or local_today()))
    if filters.assignee_id is not None:
        query = query.where(PublicQuestion.assignee_id == filters.assignee_id)
    if filters.kind:
        query = query.where(PublicQuestion.kind == filters.kind)
    if filters.priority:
        query = query.where(PublicQuestion.priority == filters.priority)
    if filters.opened_from:
        query = query.where(PublicQuestion.opened_on >= filters.opened_from)
    if filters.opened_to:
        query = query.where(PublicQuestion.opened_on <= filters.opened_to)
    return query.order_by(PublicQuestion.deadline, PublicQuestion.id)


def list_cases(filters: CaseFilters = CaseFilters(), today: date | None = None) -> list[PublicQuestion]:
    return list(db.session.scalars(cases_query(filters, today).options(
        selectinload(PublicQuestion.agency), selectinload(PublicQuestion.assignee))))


def case_by_ref(ref: str) -> PublicQuestion:
    """The case with reference ``ref`` (Persian digits accepted) in the current scope.

    :raise NotFound: no such case, or it belongs to another agency.
    """
    cleaned = fold_pasted(ascii_digits(ref or "")).strip()  # copied from a Persian line: marks, dashes
    if not cleaned:
        raise NotFound(_("شمارهٔ پرونده را بنویسید، مانند ۱۴۰۵-۰۰۰۱۲۳."))
    quoted = _REF.fullmatch(cleaned)  # as people say it: «1405-123», «۱۴۰۵/۱۲۳»
    if quoted:
        cleaned = f"{quoted.group(1)}-{int(quoted.group(2)):06d}"
    case = db.session.scalar(select(PublicQuestion).where(PublicQuestion.ref == cleaned))
    if case is None:
        shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"  # a pasted page is not echoed back whole
        raise NotFound(_("پرونده‌ای با شمارهٔ %(ref)s نیست.", ref=shown_ref(shown)))
    return case


def get_case(case_id: int) -> PublicQuestion:
    """The case with id ``case_id`` in the current scope. :raise NotFound: none there."""
    case = db.session.scalar(select(PublicQuestion).where(PublicQuestion.id == case_id))
    if case is None:
        raise NotFound(_("این پرونده پیدا نشد."))
    return case


def timeline(case: PublicQuestion) -> list[CaseEvent]:
    """The case's events, oldest first."""
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                   .options(selectinload(CaseEvent.actor)).order_by(CaseEvent.id)))


def user_by_username(username: str) -> User:
    """An active user by username (unscoped: the CLI's --by and --assignee), read as the login reads
    it (ي/ك, capitals, Persian digits: ``fold_username``). :raise ServiceError: none."""
    user = db.session.scalar(select(User).where(User.username == fold_username(username))
                             .execution_options(unscoped=True))
    if user is None:
        raise ServiceError(_("کاربری با نام «%(name)s» نیست.", name=username or ""))
    if not user.is_active:  # the shell's user may be told (a review of the commands: «no such user» misled)
        raise ServiceError(_("حساب «%(name)s» غیرفعال است و کاری به نام او انجام نمی‌شود.", name=user.username))
    if not may_sign_in(user):  # as the login keeps them out (a review of the cases commands, round 9)
        raise ServiceError(_("سازمانِ «%(name)s» خاموش است و کاری به نام او انجام نمی‌شود.", name=user.username))
    return user


def _day(value: date | None) -> str | None:
    return format_jalali_date(value, digits="en") if value else None


def is_overdue(case: PublicQuestion, today: date | None = None) -> bool:
    return case.is_open and case.deadline < (today or local_today())


def answered_now(case: PublicQuestion) -> date | None:
    """The local day the answer in force was published: None while the case waits for an answer
    (also a reopened one); the last publication's day after a reopen's next answer."""
    if case.is_open or case.answered_on is None:
        return None
    return local_today(case.published_at) if case.published_at is not None else case.answered_on


def case_as_dict(case: PublicQuestion, today: date | None = None) -> dict:
    """The case as JSON (the CLI and the API): Jalali dates ``YYYY/MM/DD`` with ASCII digits."""
    return {
        "ref": case.ref,
        "id": case.id,
        "status": case.status,
        "agency": case.agency.slug if case.agency else None,
        "title": case.title,
        "question": case.question,
        "kind": case.kind,
        "priority": case.priority,
        "assignee": case.assignee.username if case.assignee else None,
        "opened": _day(case.opened_on),
        "deadline": _day(case.deadline),
        "deadline_days": case.deadline_days,
        "deadline_counting": case.deadline_counting,
        "overdue": is_overdue(case, today),
        "answer": case.answer,
        # the answer in force (null while a reopened case waits for its next one), and the first
        # answer with the deadline it was due by: what the month's figures count (models.case)
        "answered": _day(answered_now(case)),
        "first_answered": _day(case.answered_on),
        "answer_deadline": _day(case.answer_deadline),
        "links": [{"kind": p.kind, "url": p.url, "label": p.label} for p in case.publications],
        "sources": [{"item_id": s.item_id, "channel": s.channel, "outlet": s.outlet_name,
                     "programme": s.programme, "date": _day(s.reported_on)} for s in case.sources],
        "merged_into": case.merged_into.ref if case.merged_into else None,
        "reject_reason": case.reject_reason,
    }
