"""What a case is opened or edited with, checked: the source (a monitored item or a manual
entry), the kind, the priority. Each check raises ServiceError with a Persian message."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.clock import local_today, to_local
from app.extensions import db
from app.i18n import N_
from app.jalali import format_jalali_date
from app.services import ServiceError, about
from app.services.case_timeline import (
    CHANNEL_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    choices_shown,
    label,
)
from app.services.case_workflow import clean_text, one_line
from app.services.digits import shown_number
from app.services.record_days import earliest_day  # a case's first day: importable from here as before
from models import CASE_KINDS, CASE_PRIORITIES, CASE_STATUSES, CaseSource, Item
from models.case import SOURCE_CHANNELS
from search_index.normalization import name_typed

TITLE_MAX = 300
NAME_MAX = 200
MSG_BAD_CHANNEL = N_("مجرای «%(value)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.")
MSG_BAD_KIND = N_("نوع «%(value)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.")
MSG_OPENED_FUTURE = N_("تاریخ طرح پرسش نمی‌تواند در آینده باشد.")
MSG_OPENED_PAST = N_("تاریخ طرح پرسش پیش از %(day)s است؛ پرسشی قدیمی‌تر از پنج سال پیش اینجا ثبت نمی‌شود. تاریخ را بازبینی کنید.")
MSG_REPORTED_FUTURE = N_("تاریخ پخش یا انتشار نمی‌تواند در آینده باشد.")
MSG_REPORTED_PAST = N_("تاریخ پخش یا انتشار پیش از %(day)s است؛ پرسشی قدیمی‌تر از پنج سال پیش اینجا ثبت نمی‌شود. تاریخ را بازبینی کنید.")
MSG_BAD_PRIORITY = N_("اولویت «%(value)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.")


@dataclass(frozen=True)
class ManualSource:
    """A question raised outside the monitored feeds: ``channel`` is tv | radio | print | social |
    press_conference; ``reported_on`` the day it aired or was printed (optional)."""

    channel: str
    outlet_name: str
    programme: str = ""
    reported_on: date | None = None


def check_day(day: date | None, future: str, past: str) -> None:
    """Refuse a case's day after today or before ``earliest_day`` (``future``, ``past``: the
    messages; ``past`` is given ``%(day)s``, the earliest day)."""
    if day is None:
        return
    if day > local_today():
        raise ServiceError(_(future))
    earliest = earliest_day()
    if day < earliest:
        raise ServiceError(_(past, day=format_jalali_date(earliest)))


def choice(value: str, choices: tuple[str, ...], labels: dict[str, str], message: str) -> str:
    """``value`` as one of ``choices``: its code in any letter case («Radio») or its label, in
    Persian or in the page's language, as the refusal lists them («رادیو», «كم فوريت»); spelling
    variants, spaces and ZWNJ aside. A command's user reads «رادیو (radio)» and may type either."""
    value = (value or "").strip()
    code = _named(value, choices, labels)
    if code is None:
        raise ServiceError(_(message, value=value, choices=choices_shown(choices, labels)))
    return code


def status_named(typed: str) -> str:
    """The case status ``typed`` names, as ``choice`` reads a name («بسته», «Closed», «closed»);
    what was typed (stripped) when it names none, for the move or the list to refuse."""
    value = (typed or "").strip()
    return _named(value, CASE_STATUSES, STATUS_LABELS) or value


def _named(value: str, choices: tuple[str, ...], labels: dict[str, str]) -> str | None:
    """The one choice ``value`` names: its code (letter case aside) or its label in Persian or the
    page's language (``name_typed``); None when it names none, or more than one."""
    if value in choices:
        return value
    code = value.lower()
    if code in choices:
        return code
    typed = name_typed(value)
    named = {c for c in choices if typed and typed in (name_typed(labels.get(c, "")), name_typed(label(labels, c)))}
    return named.pop() if len(named) == 1 else None


def clean_manual(manual: ManualSource) -> ManualSource:
    with about("channel"):
        channel = choice(manual.channel, SOURCE_CHANNELS, CHANNEL_LABELS, MSG_BAD_CHANNEL)
    with about("outlet_name"):
        outlet = one_line(clean_text(manual.outlet_name, NAME_MAX, _("نام رسانه")))
        if not outlet:
            raise ServiceError(_("نام رسانه‌ای را که پرسش در آن طرح شد بنویسید."))
    with about("reported_on"):
        check_day(manual.reported_on, MSG_REPORTED_FUTURE, MSG_REPORTED_PAST)  # it is stored as the source's day
    with about("programme"):
        programme = one_line(clean_text(manual.programme, NAME_MAX, _("نام برنامه")))
    return ManualSource(channel=channel, outlet_name=outlet, programme=programme, reported_on=manual.reported_on)


def make_source(actor, item: Item | None, manual: ManualSource | None, day: date | None = None) -> CaseSource:
    if item is not None:
        return CaseSource(item_id=item.id, outlet_name=item.outlet.name if item.outlet else "",
                          reported_on=to_local(item.published_at).date(), added_by_id=getattr(actor, "id", None))
    return CaseSource(channel=manual.channel, outlet_name=manual.outlet_name, programme=manual.programme,
                      reported_on=manual.reported_on or day, added_by_id=getattr(actor, "id", None))


def item_day(item: Item | None) -> date | None:
    """The day the item's question was raised, which a case's deadline counts from: the item's day
    in the local calendar (the installation's zone), if a case may be dated so (not before ``earliest_day``, not
    after today), else None. A case opened from an item without a day of its own takes it (the
    forms and the CLI counted from today: a review of the cases).

    An item the monitor got after its day (an archive imported, a feed listing old stories) dates
    its question by the day it got it: the agency could not have answered before; a case opened
    today from a story of last year was overdue and escalated to the supervisors at once (session
    36's note)."""
    if item is None:
        return None
    raised = max(to_local(item.published_at).date(), to_local(item.fetched_at).date()) \
        if item.fetched_at is not None else to_local(item.published_at).date()
    return raised if earliest_day() <= raised <= local_today() else None


def load_source(item_id: int | None, manual: ManualSource | None) -> tuple[Item | None, ManualSource | None]:
    if item_id is None and manual is None:
        raise ServiceError(_("منبع پرسش را بگویید: خبری از پایش رسانه‌ها، یا ورود دستی (رسانه و مجرا)."))
    if item_id is not None and manual is not None:
        raise ServiceError(_("منبع پرسش یا خبری از پایش است یا ورود دستی؛ هر دو با هم نه."))
    if manual is not None:
        return None, clean_manual(manual)
    item = db.session.get(Item, item_id)
    if item is None:
        raise ServiceError(_("خبری با شناسهٔ %(id)s نیست.", id=shown_number(item_id)))
    return item, None




def clean_kind(kind: str) -> str:
    return choice(kind, CASE_KINDS, KIND_LABELS, MSG_BAD_KIND)


def clean_priority(priority: str) -> str:
    return choice(priority, CASE_PRIORITIES, PRIORITY_LABELS, MSG_BAD_PRIORITY)


def shortened(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with «…» (a timeline's line, a
    refusal's quote)."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit - 1)
    return flat[:cut if cut > limit // 2 else limit - 1] + "…"
