"""What follows a held conference, wired into the conference page: the questions (→ cases), the
commitments, the photos and the coverage each fill their section of the page
(``conference_pages.SECTION_PROVIDERS``) and name their timeline events and audit actions.

``register_sections`` is called once by the factory (app/factory.py, ``register_listeners``);
it only fills those tables, so calling it again changes nothing.
"""
from __future__ import annotations

from app.i18n import N_
from app.services.audit import ACTION_LABELS
from app.services.conference_commitments import commitments_section
from app.services.conference_coverage import coverage_section
from app.services.conference_pages import SECTION_PROVIDERS
from app.services.conference_photos import photos_section
from app.services.conference_questions import questions_section
from app.services.conference_timeline import EVENT_LABELS

# Timeline event kinds (ConferenceEvent.kind) of this module's features; the audit action of
# each is ``conference.<kind>`` with the same label.
FOLLOWUP_EVENT_LABELS = {
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
SECTIONS = {
    "questions": questions_section,
    "commitments": commitments_section,
    "photos": photos_section,
    "coverage": coverage_section,
}


def register_sections() -> None:
    """Fill the conference page's sections and the labels of their events and audit actions."""
    SECTION_PROVIDERS.update(SECTIONS)
    EVENT_LABELS.update(FOLLOWUP_EVENT_LABELS)
    ACTION_LABELS.update({f"conference.{kind}": text for kind, text in FOLLOWUP_EVENT_LABELS.items()})
