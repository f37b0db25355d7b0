"""Editing a case without moving it: the answer, internal notes, sources, publication links,
the details (title, question, kind, priority) and, for the governorate, its agency. Each checks
app/policy.py, writes the timeline and the audit entry, and commits once."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case as sql_case
from sqlalchemy import literal, update

from app.clock import utcnow
from app.extensions import db
from app.policy import can_move_case, can_transfer_case, can_write_case
from app.services import NotAllowed, ServiceError
from app.services.case_deadlines import count_deadline, deadline_days_by_priority, hold_calendar
from app.services.case_inputs import (
    TITLE_MAX,
    ManualSource,
    clean_kind,
    clean_priority,
    load_source,
    make_source,
)
from app.services.case_links import keep_link
from app.services.case_timeline import add_event
from app.services.case_workflow import (
    ANSWER_MAX,
    TEXT_MAX,
    PublicationLink,
    check_no_case_there,
    clean_link,
    clean_text,
)
from app.services.digits import shown_ref
from app.services.row_guard import update_if_unchanged
from models import Agency, PublicQuestion


def _require_writer(case: PublicQuestion, actor) -> None:
    if not can_write_case(actor, case.agency_id):
        raise NotAllowed(_("شما اجازهٔ تغییر این پرونده را ندارید."))


def save_answer(case: PublicQuestion, answer: str, actor) -> PublicQuestion:
    """Save the answer text without moving the case (while it is assigned or drafted)."""
    if case.status not in ("assigned", "drafted") or not can_move_case(actor, "draft", case.agency_id, case.assignee_id):
        raise NotAllowed(_("پاسخ این پرونده را اکنون نمی‌توانید ویرایش کنید."))
    text = clean_text(answer, ANSWER_MAX, _("متن پاسخ"))
    # Nothing to save was confirmed as saved, with a «ویرایش پاسخ» on the timeline (a walk through the
    # pages, round 5): an empty answer is asked for, the same one said to be unchanged.
    if not text and not case.answer:
        raise ServiceError(_("متن پاسخ را بنویسید."))
    if text == (case.answer or ""):
        raise ServiceError(_("پاسخ همان پاسخ ذخیره‌شده است؛ چیزی تغییر نکرد."))
    # Only while the case is still as read (a manager who approved or reassigned it meanwhile: the
    # approved answer was overwritten unseen, or a former assignee's draft replaced the new one's).
    update_if_unchanged(case, {"answer": text}, _(
        "پرونده %(ref)s هم‌زمان به دست کس دیگری تغییر کرد و پاسخ ذخیره نشد؛ آن را دوباره بخوانید.",
        ref=shown_ref(case.ref)), status=case.status, assignee_id=case.assignee_id)
    add_event(case, "answer_saved", actor, length=len(case.answer))
    db.session.commit()
    return case


def add_note(case: PublicQuestion, text: str, actor) -> PublicQuestion:
    """Add an internal note (never published) to the case's notes and timeline."""
    _require_writer(case, actor)
    text = clean_text(text, TEXT_MAX, _("یادداشت"))
    if not text:
        raise ServiceError(_("متن یادداشت را بنویسید."))
    # Appended in the database, not to the notes as read: a note added by someone else meanwhile stays.
    table = PublicQuestion.__table__
    db.session.execute(update(table).where(table.c.id == case.id).values(
        notes=sql_case((table.c.notes == "", literal(text)), else_=table.c.notes + literal(f"\n\n{text}")),
        updated_at=utcnow()))
    db.session.expire(case, ["notes"])
    add_event(case, "note_added", actor, text=text)
    db.session.commit()
    return case


def add_publication_link(case: PublicQuestion, link: PublicationLink | str, actor) -> PublicQuestion:
    """Another place the published answer appeared (an outlet, a press conference)."""
    if case.status not in ("published", "closed") or not can_move_case(actor, "publish", case.agency_id):
        raise NotAllowed(_("نشانی انتشار را کارکنان همان سازمان پس از انتشار پاسخ می‌افزایند."))
    link = clean_link(link)
    if not keep_link(case, link, getattr(actor, "id", None)):  # the same page: a final «/», a host's capitals
        raise ServiceError(_("این نشانی از پیش در نشانی‌های انتشار همین پرونده هست."))
    add_event(case, "link_added", actor, url=link.url, place=link.kind)
    db.session.commit()
    return case


def add_source(case: PublicQuestion, actor, *, item_id: int | None = None,
               manual: ManualSource | None = None) -> PublicQuestion:
    """Another item or manual entry raising the same question."""
    _require_writer(case, actor)
    item, manual = load_source(item_id, manual)
    if item is not None and any(s.item_id == item.id for s in case.sources):
        raise ServiceError(_("این خبر از پیش منبع همین پرونده است."))
    case.sources.append(make_source(actor, item, manual))
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
        changes["kind"] = clean_kind(kind)
    if priority is not None:
        changes["priority"] = clean_priority(priority)
    changes = {key: value for key, value in changes.items() if getattr(case, key) != value}
    if not changes:
        return case
    if "priority" in changes and case.is_open:
        hold_calendar()  # before the case's row: case_deadlines.CALENDAR_LOCK
    # Only while the case is as read: a priority recounts the deadline of a case still open, and a
    # case closed or sent to another agency meanwhile is not edited by someone who may no longer.
    update_if_unchanged(case, changes, _(
        "پرونده %(ref)s هم‌زمان به دست کس دیگری تغییر کرد و ویرایش ذخیره نشد؛ آن را دوباره بخوانید.",
        ref=shown_ref(case.ref)), status=case.status, agency_id=case.agency_id)
    data = dict(changes)
    if "priority" in changes and case.is_open:
        count_deadline(case, case.deadline_start, deadline_days_by_priority()[case.priority])
        data["deadline"] = case.deadline.isoformat()
    add_event(case, "details_changed", actor, **data)
    db.session.commit()
    return case


def transfer(case: PublicQuestion, agency: Agency, actor, reason: str) -> PublicQuestion:
    """Send an open case to another agency (admins and supervisors), with a reason: it waits there
    as accepted, unassigned; its answer, if any, stays as a draft to rework.

    :raise NotAllowed: the actor is not of the governorate.
    :raise ServiceError: no reason, the same or an inactive agency, or a case no longer open.
    """
    if not can_transfer_case(actor):
        raise NotAllowed(_("سازمان پاسخ‌گو را تنها ناظران استانداری تعیین می‌کنند یا تغییر می‌دهند."))
    reason = clean_text(reason, TEXT_MAX, _("دلیل"))
    if not reason:
        raise ServiceError(_("دلیل فرستادن پرونده به سازمان دیگر را بنویسید."))
    if not case.is_open:
        raise ServiceError(_("تنها پرونده‌ای که هنوز پاسخ نگرفته به سازمان دیگر فرستاده می‌شود."))
    if agency is None or not agency.is_active or agency.id == case.agency_id:
        raise ServiceError(_("سازمان دیگری را که فعال است برگزینید."))
    check_no_case_there(case, agency)
    before_status, before_agency = case.status, case.agency.slug if case.agency else None
    # Only while the case is as read: one answered, closed or sent elsewhere meanwhile stays so.
    update_if_unchanged(case, {"agency_id": agency.id, "assignee_id": None, "approved_by_id": None, "approved_at": None,
                            "status": "new" if before_status == "new" else "accepted"}, _(
        "پرونده %(ref)s هم‌زمان به دست کس دیگری تغییر کرد و به سازمان دیگر فرستاده نشد؛ آن را دوباره بخوانید.",
        ref=shown_ref(case.ref)), status=before_status, agency_id=case.agency_id)
    case.agency, case.assignee = agency, None
    add_event(case, "agency_changed", actor, text=reason, from_status=before_status, to_status=case.status,
              **{"from": before_agency, "to": agency.slug})
    db.session.commit()
    return case
