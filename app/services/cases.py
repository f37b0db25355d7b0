"""Public-question cases (clause 12): open a case from a monitored item or a manual entry, move it
through the workflow, keep its answer, notes, sources and publication links.

The API that pages, jobs and the CLI build on (each action checks app/policy.py, writes the
timeline and the audit entry, and commits once; each raises ServiceError / NotAllowed /
NotFound with a Persian message and then has changed nothing):

    open_case(actor, *, agency, item_id=None, manual=None, title="", question="", kind="question",
              priority="normal", opened_on=None, notes="", accept=False) -> PublicQuestion
    move(case, to_status, actor, *, assignee=None, reason=None, link=None, answer=None,
         into=None, agency=None) -> PublicQuestion                     (app/services/case_workflow.py)
    save_answer(case, answer, actor) -> PublicQuestion
    add_note(case, text, actor) -> PublicQuestion
    add_publication_link(case, link, actor) -> PublicQuestion        (a published or closed case)
    add_source(case, actor, *, item_id=None, manual=None) -> PublicQuestion
    update_details(case, actor, *, title=None, question=None, kind=None, priority=None) -> PublicQuestion
    allowed_moves(case, actor) -> list[str]                           (statuses to offer as buttons)

Reads (through the current agency scope; app/services/case_queries.py):
    case_by_ref(ref), get_case(case_id) -> PublicQuestion              (NotFound outside the scope)
    cases_query(CaseFilters, today=None) -> Select; list_cases(CaseFilters, today=None) -> list
    timeline(case) -> list[CaseEvent]; case_as_dict(case, today=None) -> dict
    agency_by_slug(slug) -> Agency; user_by_username(name) -> User
Deadlines (app/services/case_deadlines.py): deadline_days_by_priority(), set_deadline_days(days, actor).
Figures (app/services/case_stats.py): case_figures(year, month, agency_id=None, today=None).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import local_today, to_local, utcnow
from app.extensions import db
from app.i18n import N_
from app.jalali import to_jalali
from app.policy import can_move_case, can_write_case
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.case_deadlines import (
    count_deadline,
    deadline_days_by_priority,
    set_deadline_days,
)
from app.services.case_queries import (
    CaseFilters,
    agency_by_slug,
    case_as_dict,
    case_by_ref,
    cases_query,
    get_case,
    list_cases,
    timeline,
    user_by_username,
)
from app.services.case_timeline import (
    CHANNEL_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    add_event,
    label,
)
from app.services.case_workflow import (
    ANSWER_MAX,
    TEXT_MAX,
    PublicationLink,
    allowed_moves,
    clean_link,
    clean_text,
    move,
)
from models import (
    CASE_KINDS,
    CASE_PRIORITIES,
    Agency,
    CasePublication,
    CaseRefCounter,
    CaseSource,
    Item,
    ItemRoute,
    PublicQuestion,
)
from models.case import SOURCE_CHANNELS
from models.search_outbox import enqueue
from search_index.persian import to_persian_digits

__all__ = [
    "CaseFilters", "ManualSource", "PublicationLink", "add_note", "add_publication_link", "add_source",
    "agency_by_slug", "allowed_moves", "case_as_dict", "case_by_ref", "cases_query", "deadline_days_by_priority",
    "get_case", "list_cases", "move", "open_case", "save_answer", "set_deadline_days", "timeline",
    "update_details", "user_by_username",
]
TITLE_MAX = 300
NAME_MAX = 200
# Statuses in which a case still holds its item: opening another case of the same agency from
# that item is refused (the existing case is named).
_HOLDING = ("new", "accepted", "assigned", "drafted", "approved", "published", "closed")
MSG_BAD_CHANNEL = N_("مجرای «%(value)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.")
MSG_BAD_KIND = N_("نوع «%(value)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.")
MSG_BAD_PRIORITY = N_("اولویت «%(value)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.")


@dataclass(frozen=True)
class ManualSource:
    """A question raised outside the monitored feeds: ``channel`` is tv | radio | print | social |
    press_conference; ``reported_on`` the day it aired or was printed (optional)."""

    channel: str
    outlet_name: str
    programme: str = ""
    reported_on: date | None = None


def _choice(value: str, choices: tuple[str, ...], labels: dict[str, str], message: str) -> str:
    value = (value or "").strip()
    if value not in choices:
        shown = "، ".join(f"{label(labels, c)} ({c})" for c in choices)
        raise ServiceError(_(message, value=value, choices=shown))
    return value


def _clean_manual(manual: ManualSource) -> ManualSource:
    channel = _choice(manual.channel, SOURCE_CHANNELS, CHANNEL_LABELS, MSG_BAD_CHANNEL)
    outlet = clean_text(manual.outlet_name, NAME_MAX, _("نام رسانه"))
    if not outlet:
        raise ServiceError(_("نام رسانه‌ای را که پرسش در آن طرح شد بنویسید."))
    return ManualSource(channel=channel, outlet_name=outlet,
                        programme=clean_text(manual.programme, NAME_MAX, _("نام برنامه")),
                        reported_on=manual.reported_on)


def _source(actor, item: Item | None, manual: ManualSource | None, day: date | None = None) -> CaseSource:
    if item is not None:
        return CaseSource(item_id=item.id, outlet_name=item.outlet.name if item.outlet else "",
                          reported_on=to_local(item.published_at).date(), added_by_id=getattr(actor, "id", None))
    return CaseSource(channel=manual.channel, outlet_name=manual.outlet_name, programme=manual.programme,
                      reported_on=manual.reported_on or day, added_by_id=getattr(actor, "id", None))


def _load_source(item_id: int | None, manual: ManualSource | None) -> tuple[Item | None, ManualSource | None]:
    if item_id is None and manual is None:
        raise ServiceError(_("منبع پرسش را بگویید: خبری از پایش رسانه‌ها، یا ورود دستی (رسانه و مجرا)."))
    if item_id is not None and manual is not None:
        raise ServiceError(_("منبع پرسش یا خبری از پایش است یا ورود دستی؛ هر دو با هم نه."))
    if manual is not None:
        return None, _clean_manual(manual)
    item = db.session.get(Item, item_id)
    if item is None:
        raise ServiceError(to_persian_digits(_("خبری با شناسهٔ %(id)s نیست.", id=item_id)))
    return item, None


def _existing_case_of(item_id: int, agency_id: int | None) -> PublicQuestion | None:
    query = (select(PublicQuestion).join(CaseSource, CaseSource.case_id == PublicQuestion.id)
             .where(CaseSource.item_id == item_id, PublicQuestion.status.in_(_HOLDING),
                    PublicQuestion.agency_id.is_(None) if agency_id is None
                    else PublicQuestion.agency_id == agency_id)
             .execution_options(unscoped=True))
    return db.session.scalars(query).first()


def allocate_ref(year: int) -> tuple[int, str]:
    """The next reference number of a Jalali year: the year's counter row, incremented and locked
    until the caller's commit (concurrent openers wait for it; on SQLite the write lock does the
    same). No commit."""
    table = CaseRefCounter.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(table).values(year=year, last_number=0).on_conflict_do_nothing(index_elements=["year"]))
    number = db.session.execute(update(table).where(table.c.year == year)
                                .values(last_number=table.c.last_number + 1)
                                .returning(table.c.last_number)).scalar_one()
    return number, f"{year}-{number:06d}"


def _accept_route(item_id: int, agency_id: int, actor) -> None:
    """The agency's inbox route of the item is handled once a case holds it: accepted."""
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item_id, ItemRoute.agency_id == agency_id)
                              .execution_options(unscoped=True))
    if route is None or route.status not in ("new", "seen"):
        return
    before = route.status
    route.status, route.status_changed_by_id, route.status_changed_at = "accepted", getattr(actor, "id", None), utcnow()
    record("item_route.status_changed", actor=actor, obj=route, item_id=item_id, before=before, after="accepted")
    enqueue(db.session, "item", item_id)


def open_case(actor, *, agency: Agency | None, item_id: int | None = None, manual: ManualSource | None = None,
              title: str = "", question: str = "", kind: str = "question", priority: str = "normal",
              opened_on: date | None = None, notes: str = "", accept: bool = False) -> PublicQuestion:
    """Open a case (status new; ``accept=True``: accepted at once) from a monitored item or a manual
    entry, with its reference number and deadline; timeline, audit, commit. Opening from an item
    marks the agency's inbox route of it accepted.

    :raise NotAllowed: the actor may not open cases for this agency (or accept them).
    :raise ServiceError: no source or two, an unknown item, channel, kind or priority, a missing
        title or outlet, a future date, an inactive agency, or an item the agency already has a case for.
    """
    agency_id = agency.id if agency is not None else None
    if not can_write_case(actor, agency_id):
        raise NotAllowed(_("شما برای این سازمان پرونده باز نمی‌کنید."))
    if accept and not can_move_case(actor, "accept", agency_id):
        raise NotAllowed(_("پذیرفتن پرسش کار کارکنان سازمان پاسخ‌گو یا ناظران استانداری است."))
    if agency is not None and not agency.is_active:
        raise ServiceError(_("سازمان «%(name)s» غیرفعال است.", name=agency.name_fa))
    if accept and agency is None:
        raise ServiceError(_("سازمان پاسخ‌گو را برگزینید."))
    item, manual = _load_source(item_id, manual)
    title = clean_text(title or (item.title[:TITLE_MAX] if item else ""), TITLE_MAX, _("عنوان"))
    if not title:
        raise ServiceError(_("عنوان پرسش را بنویسید."))
    question = clean_text(question, TEXT_MAX, _("پرسش")) or title
    kind = _choice(kind, CASE_KINDS, KIND_LABELS, MSG_BAD_KIND)
    priority = _choice(priority, CASE_PRIORITIES, PRIORITY_LABELS, MSG_BAD_PRIORITY)
    notes = clean_text(notes, ANSWER_MAX, _("یادداشت"))
    opened_on = opened_on or local_today()
    if opened_on > local_today():
        raise ServiceError(_("تاریخ طرح پرسش نمی‌تواند در آینده باشد."))
    if item is not None:
        existing = _existing_case_of(item.id, agency_id)
        if existing is not None:
            raise ServiceError(to_persian_digits(_("برای این خبر پیش‌تر پرونده %(ref)s باز شده است.", ref=existing.ref)))

    try:
        number, ref = allocate_ref(to_jalali(opened_on).year)
        case = PublicQuestion(ref=ref, ref_year=to_jalali(opened_on).year, ref_number=number, title=title,
                              question=question, kind=kind, priority=priority, status="new", agency=agency,
                              agency_id=agency_id, opened_on=opened_on, opened_by_id=getattr(actor, "id", None),
                              notes=notes, answer="")
        count_deadline(case, opened_on)
        case.sources.append(_source(actor, item, manual, opened_on))
        db.session.add(case)
        db.session.flush()
        add_event(case, "opened", actor, to_status="new", source="item" if item else manual.channel,
                  item_id=item.id if item else None, deadline=case.deadline.isoformat())
        if accept:
            case.status = "accepted"
            add_event(case, "moved", actor, from_status="new", to_status="accepted", move="accept")
        if item is not None and agency_id is not None:
            _accept_route(item.id, agency_id, actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return case


def _require_writer(case: PublicQuestion, actor) -> None:
    if not can_write_case(actor, case.agency_id):
        raise NotAllowed(_("شما اجازهٔ تغییر این پرونده را ندارید."))


def save_answer(case: PublicQuestion, answer: str, actor) -> PublicQuestion:
    """Save the answer text without moving the case (while it is assigned or drafted)."""
    if case.status not in ("assigned", "drafted") or not can_move_case(actor, "draft", case.agency_id, case.assignee_id):
        raise NotAllowed(_("پاسخ این پرونده را اکنون نمی‌توانید ویرایش کنید."))
    case.answer = clean_text(answer, ANSWER_MAX, _("متن پاسخ"))
    add_event(case, "answer_saved", actor, length=len(case.answer))
    db.session.commit()
    return case


def add_note(case: PublicQuestion, text: str, actor) -> PublicQuestion:
    """Add an internal note (never published) to the case's notes and timeline."""
    _require_writer(case, actor)
    text = clean_text(text, TEXT_MAX, _("یادداشت"))
    if not text:
        raise ServiceError(_("متن یادداشت را بنویسید."))
    case.notes = f"{case.notes}\n\n{text}".strip() if case.notes else text
    add_event(case, "note_added", actor, text=text)
    db.session.commit()
    return case


def add_publication_link(case: PublicQuestion, link: PublicationLink | str, actor) -> PublicQuestion:
    """Another place the published answer appeared (an outlet, a press conference)."""
    if case.status not in ("published", "closed") or not can_move_case(actor, "publish", case.agency_id):
        raise NotAllowed(_("نشانی انتشار را کارکنان همان سازمان پس از انتشار پاسخ می‌افزایند."))
    link = clean_link(link)
    case.publications.append(CasePublication(kind=link.kind, url=link.url, label=link.label,
                                             added_by_id=getattr(actor, "id", None)))
    add_event(case, "link_added", actor, url=link.url, place=link.kind)
    db.session.commit()
    return case


def add_source(case: PublicQuestion, actor, *, item_id: int | None = None,
               manual: ManualSource | None = None) -> PublicQuestion:
    """Another item or manual entry raising the same question."""
    _require_writer(case, actor)
    item, manual = _load_source(item_id, manual)
    if item is not None and any(s.item_id == item.id for s in case.sources):
        raise ServiceError(_("این خبر از پیش منبع همین پرونده است."))
    case.sources.append(_source(actor, item, manual))
    add_event(case, "source_added", actor, item_id=item.id if item else None,
              channel=manual.channel if manual else None)
    db.session.commit()
    return case


def update_details(case: PublicQuestion, actor, *, title: str | None = None, question: str | None = None,
                   kind: str | None = None, priority: str | None = None) -> PublicQuestion:
    """Edit the title, question, kind or priority; a new priority recounts an open case's deadline."""
    _require_writer(case, actor)
    changes: dict = {}
    if title is not None:
        changes["title"] = clean_text(title, TITLE_MAX, _("عنوان"))
        if not changes["title"]:
            raise ServiceError(_("عنوان پرسش را بنویسید."))
    if question is not None:
        changes["question"] = clean_text(question, TEXT_MAX, _("پرسش")) or case.title
    if kind is not None:
        changes["kind"] = _choice(kind, CASE_KINDS, KIND_LABELS, MSG_BAD_KIND)
    if priority is not None:
        changes["priority"] = _choice(priority, CASE_PRIORITIES, PRIORITY_LABELS, MSG_BAD_PRIORITY)
    changes = {key: value for key, value in changes.items() if getattr(case, key) != value}
    if not changes:
        return case
    for key, value in changes.items():
        setattr(case, key, value)
    data = dict(changes)
    if "priority" in changes and case.is_open:
        count_deadline(case, case.deadline_start, deadline_days_by_priority()[case.priority])
        data["deadline"] = case.deadline.isoformat()
    add_event(case, "details_changed", actor, **data)
    db.session.commit()
    return case
