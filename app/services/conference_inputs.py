"""What a conference is planned or edited with, checked: title, topics, the local Jalali day and
time, duration, place, spokespeople. Each check raises ConferenceInputError (a ServiceError that
names the form field it is about, so the page shows it there and keeps what was typed)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _

from app.clock import from_local, to_local
from app.jalali import format_jalali_date
from app.services import ServiceError
from app.services.digits import shown_number
from app.services.record_days import earliest_day, latest_planned_day
from search_index.persian import ascii_digits, normalize_for_storage, to_persian_digits

TITLE_MAX = 300
PLACE_MAX = 300
PHRASE_MAX = 200
LIST_MAX = 20
DURATION_MAX = 12 * 60
_TIME = re.compile(r"\s*(\d{1,2})\s*[:٫.]\s*(\d{2})\s*")
_LIST_SEPARATORS = re.compile(r"[\n\r,،;؛]+")


class ConferenceInputError(ServiceError):
    """A bad field: ``field`` is the form field's name, str() the Persian message."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass
class ConferenceDraft:
    """A conference as typed: ``day`` a date (the Jalali field already read it), ``start_time``
    "10:30" in the configured zone, ``topics`` and ``spokespeople`` one per line (or ، separated)."""

    title: str = ""
    topics: str = ""
    day: date | None = None
    start_time: str = ""
    duration_minutes: int | str | None = 60
    place: str = ""
    spokespeople: str = ""


@dataclass(frozen=True)
class CleanConference:
    title: str
    topics: list[str]
    starts_at: datetime
    duration_minutes: int
    place: str
    spokespeople: list[str]


def _text(value: str | None, limit: int, what: str, field: str) -> str:
    text = " ".join(normalize_for_storage(value or "").split())
    if len(text) > limit:
        raise ConferenceInputError(_("%(what)s نباید بیش از %(n)s نویسه باشد.", what=what, n=shown_number(limit)),
                                   field)
    return text


def split_list(value: str | list | None, what: str, field: str) -> list[str]:
    """Phrases one per line or separated by ، , ; (duplicates dropped, order kept)."""
    parts = value if isinstance(value, list) else _LIST_SEPARATORS.split(value or "")
    seen, phrases = set(), []
    for part in parts:
        phrase = _text(part, PHRASE_MAX, what, field)
        if phrase and phrase not in seen:
            seen.add(phrase)
            phrases.append(phrase)
    if len(phrases) > LIST_MAX:
        raise ConferenceInputError(_("%(what)s بیش از %(n)s مورد نمی‌شود.", what=what, n=shown_number(LIST_MAX)),
                                   field)
    return phrases


def parse_time(value: str | None, field: str = "start_time") -> time:
    """A local time typed 10:30 or ۱۰:۳۰. :raise ConferenceInputError: unreadable."""
    match = _TIME.fullmatch(ascii_digits(value or ""))
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    shown = (value or "").strip()
    if not shown:
        raise ConferenceInputError(_("ساعت آغاز نشست را بنویسید، مانند ۱۰:۳۰."), field)
    raise ConferenceInputError(_("ساعت «%(value)s» خوانده نشد؛ آن را به شکل ساعت:دقیقه بنویسید، مانند ۱۰:۳۰.",
                                 value=shown), field)


def starts_at(day: date | None, start_time: str | None, *, day_field: str = "day",
              time_field: str = "start_time", kept_day: date | None = None) -> datetime:
    """The aware UTC instant of a local Jalali day and time; ``kept_day``: the conference's day
    now, not refused for a bound that moved past it since (a held conference's title corrected)."""
    if day is None:
        raise ConferenceInputError(_("روز نشست را بنویسید، مانند ۱۴۰۵/۰۹/۲۰."), day_field)
    if day != kept_day and not earliest_day() <= day <= latest_planned_day():  # «1300/01/01» was planned, then held
        raise ConferenceInputError(_("روز نشست (%(day)s) باید میان %(earliest)s و %(latest)s باشد؛ سال را درست بنویسید.",
                                     day=format_jalali_date(day), earliest=format_jalali_date(earliest_day()),
                                     latest=format_jalali_date(latest_planned_day())), day_field)
    return from_local(datetime.combine(day, parse_time(start_time, time_field)))


def _duration(value) -> int:
    text = ascii_digits(str(value if value is not None else "")).strip()
    if not text:
        return 60
    if not (text.isascii() and text.isdecimal()) or not 10 <= int(text) <= DURATION_MAX:  # «²» is isdigit(), no int()
        raise ConferenceInputError(_("مدت نشست را به دقیقه بنویسید، از ۱۰ تا ۷۲۰."), "duration_minutes")
    return int(text)


def clean_draft(draft: ConferenceDraft, kept_day: date | None = None) -> CleanConference:
    """The draft checked and tidied (``kept_day``: ``starts_at``'s). :raise ConferenceInputError: the first bad field."""
    title = _text(draft.title, TITLE_MAX, _("عنوان نشست"), "title")
    if not title:
        raise ConferenceInputError(_("عنوان نشست را بنویسید."), "title")
    return CleanConference(
        title=title, topics=split_list(draft.topics, _("محورها"), "topics"),
        starts_at=starts_at(draft.day, draft.start_time, kept_day=kept_day), duration_minutes=_duration(draft.duration_minutes),
        place=_text(draft.place, PLACE_MAX, _("محل نشست"), "place"),
        spokespeople=split_list(draft.spokespeople, _("سخنگویان"), "spokespeople"))


def draft_of(conference) -> ConferenceDraft:
    """A draft holding a conference's current values (the edit form's starting point)."""
    local = to_local(conference.starts_at)
    return ConferenceDraft(title=conference.title, topics="\n".join(conference.topics or []), day=local.date(),
                           start_time=local.strftime("%H:%M"), duration_minutes=conference.duration_minutes,
                           place=conference.place, spokespeople="\n".join(conference.spokespeople or []))


def when_text(value: datetime, digits: str = "fa") -> str:
    """«۱۴۰۵/۰۹/۲۰ ساعت ۱۰:۳۰», local, for messages and the timeline (``digits``: "en" for an
    English page)."""
    local = to_local(value)
    text = _("%(date)s ساعت %(time)s", date=format_jalali_date(local.date(), digits="en"), time=local.strftime("%H:%M"))
    return to_persian_digits(text) if digits == "fa" else text
