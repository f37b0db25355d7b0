"""Reports for an agency and a period, as PDF or XLSX: the use case of the reports page, the
``report`` commands and the worker's report jobs.

Kinds (``KINDS``): ``cases`` (clause 12, app/services/report_cases.py), ``media`` (clauses 9
and 11, app/services/report_media.py), ``digest`` (the daily press digest of one day,
app/services/press_digest.py; its "period" is a Jalali day, default today). Formats: ``pdf``,
``xlsx``.

``parse_report`` checks what was asked (kind, agency, period, format) and who asks: an agency's
users read their own agency's reports only (an empty agency means their own), the governorate
any agency's (``policy.can_read_agency_report``); every refusal is a Persian ``ServiceError``
(``NotAllowed`` for another agency's report). ``build_report`` renders the file in the
asker's agency scope. ``start_report`` (app/services/report_jobs.py) decides between the two
ways of handing it out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from app.clock import local_today
from app.i18n import N_
from app.jalali import MSG_FORMAT, JalaliDateError, format_jalali_date, parse_jalali_date
from app.policy import can_read_agency_report, sees_all_agencies
from app.scoping import agency_scope, scope_for_user
from app.services import NotAllowed, ServiceError
from app.services.agencies import list_agencies
from app.services.case_queries import agency_by_slug
from app.services.contacts import CHANNEL_LABELS
from app.services.digits import shown_number
from app.services.documents import MIMETYPES, render_pdf, write_workbook
from app.services.press_digest import press_digest
from app.services.record_days import refuse_before_records
from app.services.report_cases import case_report, count_case_rows
from app.services.report_media import count_media_rows, media_report
from app.services.report_periods import (
    ReportPeriod,
    parse_report_period,
    period_holding,
)
from app.services.report_sheets import case_sheets, digest_sheets, media_sheets
from app.services.search_export import STATUS_LABELS as ROUTE_STATUS_LABELS
from models import Agency

FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class ReportKind:
    label: str  # N_(): translated where shown
    read: Callable  # (agency, period or day, today) -> the report's data
    count: Callable  # (agency_id, period or day) -> rows, to decide request or worker
    template: str  # the PDF's document template
    sheets: Callable  # data -> list[Sheet]
    by_day: bool = False  # the period is one Jalali day


def _count_digest(agency_id: int, day: date) -> int:
    return 0  # a day's digest is small: always built at once


KINDS: dict[str, ReportKind] = {
    "cases": ReportKind(N_("گزارش بند ۱۲: پاسخ به پرسش‌های عمومی"),
                        lambda agency, period, today: case_report(agency, period, today=today),
                        count_case_rows, "reports/doc_cases.html", case_sheets),
    "media": ReportKind(N_("گزارش بندهای ۹ و ۱۱: نشست‌های خبری و ارتباط با رسانه‌ها"),
                        lambda agency, period, today: media_report(agency, period, today=today),
                        count_media_rows, "reports/doc_media.html", media_sheets),
    "digest": ReportKind(N_("خلاصهٔ خبری روزانه"), lambda agency, day, today: press_digest(agency, day),
                         _count_digest, "reports/doc_digest.html", digest_sheets, by_day=True),
}


@dataclass(frozen=True)
class ReportSpec:
    """A checked request: what to build, for whom."""

    kind: str
    agency: Agency
    period: ReportPeriod | date
    format: str

    @property
    def period_key(self) -> str:
        """As written back (the job row, the file name): 1405-09, 1405-S3, 1405, or 1405-09-12."""
        if isinstance(self.period, date):
            return format_jalali_date(self.period, digits="en").replace("/", "-")
        return self.period.key

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.agency.slug}-{self.period_key}.{self.format}"

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.format]


@dataclass(frozen=True)
class Document:
    data: bytes
    filename: str
    mimetype: str


def parse_day(text: str | None) -> date:
    """A Jalali day (1405/09/12, 1405-09-12, Persian digits); empty: today. :raise ServiceError."""
    raw = (text or "").strip()
    if not raw:
        return local_today()
    try:
        return parse_jalali_date(raw.replace("-", "/"))
    except JalaliDateError as error:
        if error.template == MSG_FORMAT:  # not a day's shape
            raise ServiceError(_("روز «%(value)s» خوانده نشد؛ آن را به شکل ۱۴۰۵/۰۹/۱۲ بنویسید.", value=raw)) from None
        # A day the calendar has not («1404/12/30»: 1404 is no leap year) was told to use the shape it has
        raise ServiceError(_("روز «%(value)s» خوانده نشد: %(reason)s", value=raw,
                             reason=error.message(shown_number))) from None


def default_period() -> str:
    """The page's first period: the month now running (1405-09)."""
    return period_holding("month", local_today()).key


def report_agencies(actor, locale: str = "fa") -> list[tuple[str, str]]:
    """(slug, name in ``locale``) of the agencies the actor may ask reports for (the page's choices)."""
    if sees_all_agencies(actor):
        found = [(a.slug, a.display_name(locale)) for a in list_agencies(active_only=True, order="name")]
        return sorted(found, key=lambda pair: pair[1].casefold()) if locale == "en" else found
    agency = getattr(actor, "agency", None)
    return [(agency.slug, agency.display_name(locale))] if agency is not None else []


def parse_report(kind: str, agency_slug: str | None, period: str | None, fmt: str, *, actor) -> ReportSpec:
    """Check a report request (see the module doc). :raise ServiceError: a bad kind, format, agency
    or period (Persian). :raise NotAllowed: another agency's report."""
    kind = (kind or "").strip()
    if kind not in KINDS:
        raise ServiceError(_("گزارشی به نام «%(value)s» نیست؛ یکی از این‌ها را بخواهید: %(kinds)s.",
                             value=kind, kinds="، ".join(KINDS)))
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise ServiceError(_("قالب «%(value)s» پشتیبانی نمی‌شود؛ pdf یا xlsx بخواهید.", value=fmt))
    slug = (agency_slug or "").strip()
    if slug:
        with agency_scope(None):  # which agency it is; whether the actor may read it is the policy's
            agency = agency_by_slug(slug)
    elif getattr(actor, "agency_id", None) is not None and not sees_all_agencies(actor):
        agency = actor.agency
    else:
        raise ServiceError(_("سازمان گزارش را انتخاب کنید."))
    if not can_read_agency_report(actor, agency.id):
        raise NotAllowed(_("گزارش‌های سازمان دیگری را نمی‌توانید ببینید."))
    when = parse_day(period) if KINDS[kind].by_day else parse_report_period(period)
    first = when if isinstance(when, date) else when.first
    refuse_before_records(when if isinstance(when, date) else when.last, period or "")  # «1305-09» for «1405-09»
    if first > local_today():  # an empty report of days not yet lived (as `report scorecard`, `cases stats`)
        raise ServiceError(_("دورهٔ «%(period)s» هنوز آغاز نشده است (از %(first)s)؛ دوره‌ای تا امروز بخواهید.",
                             period=(period or "").strip(), first=format_jalali_date(first)))
    return ReportSpec(kind, agency, when, fmt)


def report_rows(spec: ReportSpec) -> int:
    """The rows the report will list (read in the asker's scope by the caller)."""
    return KINDS[spec.kind].count(spec.agency.id, spec.period)


def build_report(spec: ReportSpec, *, actor, today: date | None = None, progress=lambda step: None) -> Document:
    """Render the report as the actor may see it; ``progress`` is told "read" and "rendered"."""
    kind = KINDS[spec.kind]
    scope = None if actor is None else scope_for_user(actor)
    with agency_scope(scope):
        data = kind.read(spec.agency, spec.period, today or local_today())
        progress("read")
        if spec.format == "pdf":
            with force_locale("fa"):
                title = _(kind.label)
            content = render_pdf(kind.template, report=data, title=title, channel_labels=CHANNEL_LABELS,
                                 route_labels=ROUTE_STATUS_LABELS)
        else:
            content = write_workbook(kind.sheets(data))
    progress("rendered")
    return Document(content, spec.filename, spec.mimetype)
