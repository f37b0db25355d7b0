"""What the scorecard pages show: the province's agencies ranked for a period (the governorate),
and one agency's 14 clause rows with each figure's way to the records behind it.

A figure's ``drill`` names a list and its filters (the view turns it into a link): the cases
list (open and overdue cases, when the period runs today, so "now" is the list's now), the
conference list (held, in the period), the contact log (in the period), the evidence register
and the portal page; every figure with records of its own also links to the records listed on
the page (``#records-<clause>-<figure>``), by name, each to its page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.clock import local_today, to_local
from app.extensions import db
from app.i18n import N_, digit_style
from app.jalali import format_jalali_date
from app.policy import sees_all_agencies
from app.services import NotFound, ServiceError
from app.services.record_days import refuse_before_records
from app.services.report_periods import (
    ReportPeriod,
    parse_report_period,
    period_holding,
)
from app.services.scorecard import AgencyScorecard, ClauseRow, ranked, ranks, scorecards
from models import (
    Agency,
    Contact,
    EvidenceRecord,
    Feed,
    Outlet,
    PortalChange,
    PressConference,
    PublicQuestion,
)

FIGURES = {  # clause → the figures shown, in order
    9: ("held", "target", "questions", "coverage_confirmed", "conferences_covered", "commitments_open",
        "commitments_overdue"),
    10: ("updates", "latest_update", "days_since_update", "stale"),
    11: ("local_outlets_contacted", "local_outlets", "contacts"),
    12: ("opened", "answered", "answered_on_time", "on_time_pct", "median_working_days_to_answer", "open", "overdue",
         "overdue_longest_days"),
}
EVIDENCE_FIGURES = ("records", "carried")
FIGURE_LABELS = {
    "held": N_("نشست برگزارشده"), "target": N_("هدف دوره"), "questions": N_("پرسش خبرنگاران"),
    "coverage_confirmed": N_("بازتاب تأییدشده"), "conferences_covered": N_("نشست بازتاب‌دار"),
    "commitments_open": N_("قول باز"), "commitments_overdue": N_("قول دیرکرده"),
    "updates": N_("به‌روزرسانی در دوره"), "latest_update": N_("آخرین به‌روزرسانی"),
    "days_since_update": N_("روز از آخرین به‌روزرسانی"), "stale": N_("کهنه"),
    "local_outlets_contacted": N_("رسانهٔ محلی تماس‌گرفته"), "local_outlets": N_("رسانهٔ محلی"),
    "contacts": N_("تماس ثبت‌شده"),
    "opened": N_("پرسش طرح‌شده"), "answered": N_("پاسخ‌داده"), "answered_on_time": N_("پاسخ به‌موقع"),
    "on_time_pct": N_("درصد به‌موقع"), "median_working_days_to_answer": N_("میانهٔ روز کاری تا پاسخ"),
    "open": N_("در انتظار پاسخ"), "overdue": N_("دیرکرده"), "overdue_longest_days": N_("بیشترین روز دیرکرد"),
    "records": N_("مدرک"), "carried": N_("مدرک پابرجا از پیش"),
}
RECORD_KINDS = {"cases": N_("پرونده‌ها"), "conferences": N_("نشست‌ها"), "contacts": N_("تماس‌ها"),
                "outlets": N_("رسانه‌ها"), "evidence": N_("مدرک‌ها"), "feeds": N_("خوراک پایگاه"),
                "portal_changes": N_("تغییرهای صفحهٔ پایگاه")}


@dataclass(frozen=True)
class Drill:
    kind: str  # cases | conferences | contacts | evidence | portal
    args: dict


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: object  # int, float, str (a Jalali day), bool or None
    drill: Drill | None = None
    anchor: str | None = None  # the records listed on the page


@dataclass(frozen=True)
class RecordLink:
    kind: str  # cases | conferences | contacts | evidence | feeds | outlets | portal_changes
    key: object  # the case ref, the row id
    label: str


@dataclass
class AgencyPage:
    card: AgencyScorecard
    period: ReportPeriod
    choices: list[ReportPeriod]
    errors: dict[str, str]
    running: bool  # the period holds today: "open" and "overdue" are today's
    cells: dict[int, list[Cell]] = field(default_factory=dict)
    records: dict[int, list[tuple[str, str, list[RecordLink]]]] = field(default_factory=dict)  # (anchor, label, links)


@dataclass
class ProvincePage:
    period: ReportPeriod
    choices: list[ReportPeriod]
    errors: dict[str, str]
    cards: list[AgencyScorecard]

    @property
    def ranks(self) -> list[int | None]:
        """Each card's rank, ties sharing one (``scorecard.ranks``)."""
        return ranks(self.cards)


def page_period(text: str | None, today: date | None = None) -> tuple[ReportPeriod, dict[str, str]]:
    """The period asked for; empty: the current Jalali month; unreadable, not begun, or ending before the
    installation's first record day: said, and the current month."""
    today = today or local_today()
    if not (text or "").strip():
        return period_holding("month", today), {}
    try:
        chosen = parse_report_period(text)
    except ServiceError as error:
        return period_holding("month", today), {"period": str(error)}
    try:  # «1305» for «1405», as `report scorecard` refuses it: every agency «not met» (session 40's note)
        refuse_before_records(chosen.last, text or "")
    except ServiceError as error:
        return period_holding("month", today), {"period": str(error)}
    if chosen.first > today:  # as `report scorecard`: a ranking of days not yet lived (a review of the scorecard)
        return period_holding("month", today), {"period": _(
            "دورهٔ «%(period)s» هنوز آغاز نشده است (از %(first)s)؛ دوره‌ای تا امروز بخواهید.",
            period=(text or "").strip(), first=format_jalali_date(chosen.first))}
    return chosen, {}


def period_choices(chosen: ReportPeriod, today: date | None = None) -> list[ReportPeriod]:
    """The picker's periods: the last 12 months, 4 seasons and 2 years up to today (and the chosen one)."""
    today = today or local_today()
    choices: list[ReportPeriod] = []
    for kind, count in (("month", 12), ("season", 4), ("year", 2)):
        period = period_holding(kind, today)
        for _n in range(count):
            choices.append(period)
            period = period.previous()
    if chosen not in choices:
        choices.insert(0, chosen)
    return choices


def province_scorecard(actor, period_text: str = "") -> ProvincePage:
    """Every active agency's scorecard for the period, ranked (the governorate). :raise NotFound: others."""
    if not sees_all_agencies(actor):
        raise NotFound(_("این کارنامه پیدا نشد."))
    period, errors = page_period(period_text)
    return ProvincePage(period, period_choices(period), errors, ranked(scorecards(period)))


def own_agency_slug(actor) -> str | None:
    """The slug of the agency an agency's user belongs to (their scorecard); None without one."""
    agency_id = getattr(actor, "agency_id", None)
    return db.session.scalar(select(Agency.slug).where(Agency.id == agency_id)) if agency_id else None


def agency_scorecard(actor, slug: str, period_text: str = "") -> AgencyPage:
    """One agency's scorecard: the governorate's for any agency, an agency user's for their own.
    :raise NotFound: no such agency, or another agency's (as the scope would not find it)."""
    agency = db.session.scalar(select(Agency).where(Agency.slug == (slug or "").strip()))
    if agency is None or not (sees_all_agencies(actor) or agency.id == getattr(actor, "agency_id", None)):
        raise NotFound(_("این کارنامه پیدا نشد."))
    period, errors = page_period(period_text)
    [card] = scorecards(period, agency_id=agency.id) or [None]
    if card is None:
        raise NotFound(_("این کارنامه پیدا نشد."))
    running = period.contains(local_today())
    page = AgencyPage(card, period, period_choices(period), errors, running)
    labels = _record_labels(card)
    for row in card.clauses:
        page.cells[row.clause] = _cells(row, card, running)
        page.records[row.clause] = _records(row, labels)
    return page


def _anchor(row: ClauseRow, key: str) -> str:
    return f"records-{row.clause}-{key}"


def _cells(row: ClauseRow, card: AgencyScorecard, running: bool) -> list[Cell]:
    slug, first, last = card.agency.slug, card.period.first, card.period.last
    span = {"date_from": format_jalali_date(first, digits="en"), "date_to": format_jalali_date(last, digits="en")}
    drills = {
        9: {"held": Drill("conferences", {"agency": slug, "status": "held", **span})},
        10: {"updates": Drill("portal", {}), "latest_update": Drill("portal", {})},
        11: {"contacts": Drill("contacts", {"agency": slug, **span})},
        12: {"open": Drill("cases", {"agency": slug, "status": "open"}),
             "overdue": Drill("cases", {"agency": slug, "status": "open", "overdue": "y"})} if running else {},
    }.get(row.clause, {"records": Drill("evidence", {"agency": slug, "_anchor": f"clause-{row.clause}"})})
    keys = FIGURES.get(row.clause, EVIDENCE_FIGURES)
    return [Cell(key, _(FIGURE_LABELS[key]), _value(key, row.figures.get(key)), drills.get(key),
                 _anchor(row, key) if key in row.by_figure or (key == "records" and row.records.get("evidence"))
                 else None)
            for key in keys if key in row.figures or not row.figures]


def _value(key: str, value):
    return date.fromisoformat(value) if key == "latest_update" and value else value


def _records(row: ClauseRow, labels: dict) -> list[tuple[str, str, list[RecordLink]]]:
    groups = []
    if row.by_figure:
        kind = next(iter(row.records))
        for key, ids in row.by_figure.items():
            if key in FIGURE_LABELS:
                kind_of = "outlets" if key == "local_outlets_contacted" else kind
                groups.append((_anchor(row, key), _(FIGURE_LABELS[key]), _links(kind_of, ids, labels)))
    else:
        for kind, ids in row.records.items():
            if ids:
                anchor = _anchor(row, "records") if kind == "evidence" else f"records-{row.clause}-{kind}"
                groups.append((anchor, _(RECORD_KINDS.get(kind, kind)), _links(kind, ids, labels)))
    return groups


def _links(kind: str, ids: list, labels: dict) -> list[RecordLink]:
    return [RecordLink(kind, key, labels.get(kind, {}).get(key, str(key))) for key in ids]


def _record_labels(card: AgencyScorecard) -> dict[str, dict]:
    """Names for the records behind the figures: case titles, conference titles, contact topics…"""
    wanted: dict[str, set] = {}
    for row in card.clauses:
        for kind, ids in row.records.items():
            wanted.setdefault(kind, set()).update(ids)
    labels: dict[str, dict] = {}
    if wanted.get("cases"):
        labels["cases"] = {ref: title for ref, title in db.session.execute(
            select(PublicQuestion.ref, PublicQuestion.title).where(PublicQuestion.ref.in_(wanted["cases"])))}
    if wanted.get("conferences"):
        labels["conferences"] = dict(db.session.execute(
            select(PressConference.id, PressConference.title).where(PressConference.id.in_(wanted["conferences"]))).all())
    if wanted.get("contacts"):
        labels["contacts"] = dict(db.session.execute(
            select(Contact.id, Contact.topic).where(Contact.id.in_(wanted["contacts"]))).all())
    for kind, model, name in (("outlets", Outlet, Outlet.name), ("feeds", Feed, Feed.title)):
        if wanted.get(kind):
            labels[kind] = dict(db.session.execute(select(model.id, name).where(model.id.in_(wanted[kind]))).all())
    if wanted.get("evidence"):
        labels["evidence"] = {i: f"{format_jalali_date(day, digits=digit_style())} — {note[:80]}" for i, day, note in db.session.execute(
            select(EvidenceRecord.id, EvidenceRecord.happened_on, EvidenceRecord.note)
            .where(EvidenceRecord.id.in_(wanted["evidence"])))}
    if wanted.get("portal_changes"):
        labels["portal_changes"] = {i: f"{format_jalali_date(to_local(seen), digits=digit_style())} — {(excerpt or url)[:80]}"
                                    for i, seen, excerpt, url in db.session.execute(
            select(PortalChange.id, PortalChange.changed_at, PortalChange.excerpt, PortalChange.url)
            .where(PortalChange.id.in_(wanted["portal_changes"])))}
    return labels
