"""Any case list as a file: CSV (UTF-8 with a BOM, formulas defused) or XLSX (a right-to-left
sheet of text cells), written by app/services/spreadsheets.py.

The file holds exactly the list the page shows with the same filters (the same scoped query, every
page of it, at most ``MAX_ROWS`` rows); a filter the page could not use refuses the export with
its message rather than export another list than the one asked for.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.extensions import db
from app.i18n import N_
from app.jalali import format_jalali_date
from app.services import NotFound, ServiceError, spreadsheets
from app.services.case_pages import LISTS, CaseListQuery, list_query
from app.services.case_queries import is_overdue
from app.services.case_timeline import (
    CHANNEL_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    label,
)
from models import PublicQuestion

MAX_ROWS = 10_000
HEADER = (N_("شمارهٔ پرونده"), N_("عنوان"), N_("پرسش"), N_("نوع"), N_("سازمان"), N_("کارشناس"), N_("اولویت"),
          N_("وضعیت"), N_("تاریخ طرح"), N_("موعد پاسخ"), N_("دیرکرد"), N_("تاریخ انتشار پاسخ"),
          N_("نشانی انتشار پاسخ"), N_("منبع"))
WIDTHS = (14, 50, 60, 12, 24, 20, 10, 16, 12, 12, 8, 14, 40, 40)
LIST_TITLES = {"mine": N_("پرونده‌های من"), "agency": N_("پرونده‌های سازمان"), "all": N_("همهٔ پرونده‌ها")}


@dataclass
class CaseFile:
    data: bytes
    filename: str
    mimetype: str


def _day(value) -> str:
    return format_jalali_date(value) if value else ""


def _sources(case: PublicQuestion) -> str:
    parts = []
    for source in case.sources:
        what = f"{label(CHANNEL_LABELS, source.channel)}: {source.outlet_name}" if source.channel else source.outlet_name
        if source.programme:
            what = f"{what} ({source.programme})"
        parts.append(f"{what} {_day(source.reported_on)}".strip())
    return "؛ ".join(parts)


def case_rows(cases, today) -> Iterator[tuple[str, ...]]:
    """One row of text cells a case (Jalali dates, Persian digits)."""
    yes = _("بله")
    for case in cases:
        yield (
            case.ref, case.title, case.question, label(KIND_LABELS, case.kind),
            case.agency.name_fa if case.agency else _("بدون سازمان"),
            (case.assignee.display_name or case.assignee.username) if case.assignee else "",
            label(PRIORITY_LABELS, case.priority), label(STATUS_LABELS, case.status),
            _day(case.opened_on), _day(case.deadline), yes if is_overdue(case, today) else "",
            _day(case.answered_on), " ".join(p.url for p in case.publications), _sources(case),
        )


def export_cases(actor, list_name: str, query: CaseListQuery, fmt: str) -> CaseFile:
    """The list ``list_name`` with ``query``'s filters as ``fmt`` ("csv" or "xlsx").

    :raise NotFound: an unknown list.
    :raise ServiceError: an unknown format, or a filter the list could not use (its message).
    """
    if list_name not in LISTS:
        raise NotFound(_("این فهرست پیدا نشد."))
    if fmt not in spreadsheets.FORMATS:
        raise ServiceError(_("قالب خروجی «%(value)s» شناخته نیست؛ CSV یا XLSX را برگزینید.", value=fmt))
    today = local_today()
    select_cases, _filters, errors = list_query(actor, list_name, query, today)
    if errors:
        raise ServiceError(next(iter(errors.values())))
    cases = db.session.scalars(select_cases.options(
        selectinload(PublicQuestion.agency), selectinload(PublicQuestion.assignee),
        selectinload(PublicQuestion.sources), selectinload(PublicQuestion.publications)).limit(MAX_ROWS)).all()
    header = tuple(_(text) for text in HEADER)
    rows = case_rows(cases, today)
    if fmt == "csv":
        data = "".join(spreadsheets.csv_chunks(header, rows)).encode("utf-8")
    else:
        buffer = io.BytesIO()
        spreadsheets.write_xlsx(header, rows, buffer, sheet_title=_(LIST_TITLES[list_name]), widths=WIDTHS)
        data = buffer.getvalue()
    stamp = format_jalali_date(today, digits="en").replace("/", "-")
    return CaseFile(data=data, filename=f"hamzaban-cases-{list_name}-{stamp}.{fmt}", mimetype=spreadsheets.FORMATS[fmt])
