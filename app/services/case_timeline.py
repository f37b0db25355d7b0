"""A case's timeline (its audit trail) and the Persian names of its statuses, kinds and events.

Every change to a case adds one ``CaseEvent`` (who, when, what, from/to status) and one audit
entry (``case.<kind>``) in the caller's transaction; the caller commits. Labels are marked with
``N_`` and translated by the layer that shows them (``gettext(STATUS_LABELS[s])``).
"""
from __future__ import annotations

from flask_babel import gettext

from app.i18n import N_
from app.services.audit import record
from models import CASE_STATUSES, CaseEvent, PublicQuestion

STATUS_LABELS = {
    "new": N_("تازه"),
    "accepted": N_("پذیرفته"),
    "assigned": N_("واگذارشده"),
    "drafted": N_("پیش‌نویس پاسخ"),
    "approved": N_("پاسخ تأییدشده"),
    "published": N_("پاسخ منتشرشده"),
    "closed": N_("بسته"),
    "rejected": N_("ردشده"),
    "merged": N_("ادغام‌شده"),
}
KIND_LABELS = {
    "question": N_("پرسش"),
    "ambiguity": N_("ابهام"),
    "request": N_("درخواست"),
    "complaint": N_("گلایه"),
    "rumour": N_("شایعه"),
}
PRIORITY_LABELS = {"urgent": N_("فوری"), "normal": N_("عادی"), "low": N_("کم‌فوریت")}
CHANNEL_LABELS = {
    "tv": N_("تلویزیون"),
    "radio": N_("رادیو"),
    "print": N_("نشریهٔ چاپی"),
    "social": N_("شبکه‌های اجتماعی"),
    "press_conference": N_("پرسش خبرنگار در نشست خبری"),
}
PUBLICATION_KIND_LABELS = {
    "portal": N_("درگاه سازمان"),
    "outlet": N_("رسانه"),
    "press_conference": N_("نشست خبری"),
    "other": N_("جای دیگر"),
}
# Timeline event kinds (CaseEvent.kind); other features add theirs (reminder, escalation,
# coverage_confirmed …) with their labels here.
EVENT_LABELS = {
    "opened": N_("پرونده باز شد"),
    "moved": N_("تغییر وضعیت"),
    "merged_in": N_("پرونده‌ای در این پرونده ادغام شد"),
    "merged_on": N_("پرونده‌ای که این پرونده در آن ادغام شده بود خود در پروندهٔ دیگری ادغام شد"),
    "answer_saved": N_("ویرایش پاسخ"),
    "note_added": N_("یادداشت درونی"),
    "link_added": N_("افزودن نشانی انتشار پاسخ"),
    "source_added": N_("افزودن منبع"),
    "details_changed": N_("ویرایش مشخصات پرونده"),
    "agency_changed": N_("تغییر سازمان پاسخ‌گو"),
    "deadline_moved": N_("جابه‌جایی موعد پاسخ"),
    "coverage_confirmed": N_("تأیید بازتاب پاسخ در رسانه"),
    "coverage_dismissed": N_("کنار گذاشتن پیشنهاد بازتاب پاسخ"),
    # app/services/case_reminders.py
    "reminder": N_("یادآوری موعد پاسخ"),
    "breach": N_("گذشتن موعد پاسخ؛ خبر به مدیر سازمان"),
    "escalation": N_("ارجاع به ناظران استانداری"),
}


def label(labels: dict[str, str], key: str | None) -> str:
    """The translated label of ``key`` (the key itself when unknown)."""
    if key is None:
        return ""
    text = labels.get(key)
    return gettext(text) if text else key


def choices_shown(choices: tuple[str, ...], labels: dict[str, str]) -> str:
    """«رادیو (radio)، …»: what a refusal lists."""
    return "، ".join(f"{label(labels, c)} ({c})" for c in choices)


def status_choices() -> str:
    """The statuses as a refusal lists them: «تازه (new)، پذیرفته (accepted)، …»."""
    return choices_shown(CASE_STATUSES, STATUS_LABELS)


def actor_label(actor) -> str:
    return getattr(actor, "username", "") or "system"


def add_event(case: PublicQuestion, kind: str, actor, /, *, text: str = "", from_status: str | None = None,
              to_status: str | None = None, audit_details: dict | None = None, **data) -> CaseEvent:
    """Add a timeline event and its audit entry (``case.<kind>``) to the session; no commit.

    ``text`` is the event's words (a reason, a note, or the system's sentence); ``data`` is kept
    as JSON on the event and in the audit entry."""
    event = CaseEvent(kind=kind, actor_id=getattr(actor, "id", None), actor_label=actor_label(actor),
                      from_status=from_status, to_status=to_status, text=text, data=data)
    case.events.append(event)
    details = {"ref": case.ref, **({"from": from_status, "to": to_status} if to_status else {}), **data,
               **(audit_details or {})}
    if text:
        details["text"] = text
    record(f"case.{kind}", actor=actor, actor_label=actor_label(actor), obj=case, **details)
    return event
