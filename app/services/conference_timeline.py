"""A conference's timeline (its audit trail) and the Persian names of its statuses, RSVP states
and events.

Every change to a conference adds one ``ConferenceEvent`` (who, when, what, from/to status) and
one audit entry (``conference.<kind>``) in the caller's transaction; the caller commits. Labels
are marked with ``N_`` and translated by the layer that shows them.
"""
from __future__ import annotations

from app.i18n import N_
from app.services.audit import record
from app.services.case_timeline import actor_label, label  # noqa: F401 - label: re-exported for the pages
from models import ConferenceEvent, PressConference

STATUS_LABELS = {
    "planned": N_("برنامه‌ریزی‌شده"),
    "held": N_("برگزارشده"),
    "postponed": N_("به تعویق افتاده"),
    "cancelled": N_("لغوشده"),
}
RSVP_LABELS = {
    "pending": N_("در انتظار پاسخ"),
    "accepted": N_("می‌آید"),
    "declined": N_("نمی‌آید"),
    "maybe": N_("شاید بیاید"),
    "no_answer": N_("پاسخ نداد"),
}
# The moves' names (app/policy.CONFERENCE_MOVE_ROLES) as buttons and timeline lines.
MOVE_LABELS = {
    "hold": N_("برگزار شد"),
    "postpone": N_("به تعویق افتاد"),
    "replan": N_("برنامه‌ریزی دوباره"),
    "cancel": N_("لغو نشست"),
}
# Timeline event kinds (ConferenceEvent.kind), the conference's own and its follow-up's
# (questions, commitments, photos, coverage); the audit action of each is ``conference.<kind>``.
EVENT_LABELS = {
    "planned": N_("نشست برنامه‌ریزی شد"),
    "edited": N_("ویرایش مشخصات نشست"),
    "moved": N_("تغییر وضعیت نشست"),
    "invited": N_("دعوت از خبرنگاران و رسانه‌ها"),
    "uninvited": N_("برداشتن دعوت"),
    "rsvp": N_("ثبت پاسخ دعوت"),
    "attendance": N_("ثبت حضور"),
    "minutes_saved": N_("ثبت صورت‌جلسه"),
    "question_added": N_("ثبت پرسش خبرنگار"),
    "question_case": N_("پرسش خبرنگار پرونده شد"),
    "commitment_added": N_("ثبت قول نشست"),
    "commitment_done": N_("انجام قول نشست"),
    "commitment_reopened": N_("بازگشایی قول نشست"),
    "photo_added": N_("افزودن عکس نشست"),
    "photo_removed": N_("برداشتن عکس نشست"),
    "coverage_found": N_("پیشنهاد بازتاب‌های نشست"),
    "coverage_confirmed": N_("تأیید بازتاب نشست"),
    "coverage_rejected": N_("رد پیشنهاد بازتاب نشست"),
}


def add_event(conference: PressConference, kind: str, actor, /, *, text: str = "",
              from_status: str | None = None, to_status: str | None = None, **data) -> ConferenceEvent:
    """Add a timeline event and its audit entry (``conference.<kind>``) to the session; no commit."""
    event = ConferenceEvent(kind=kind, actor_id=getattr(actor, "id", None), actor_label=actor_label(actor),
                            from_status=from_status, to_status=to_status, text=text, data=data)
    conference.events.append(event)
    details = {"title": conference.title, **({"from": from_status, "to": to_status} if to_status else {}), **data}
    if text:
        details["text"] = text
    record(f"conference.{kind}", actor=actor, actor_label=actor_label(actor), obj=conference, **details)
    return event
