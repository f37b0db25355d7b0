"""What the case pages read (views/cases.py): the three lists with their filters, one case with
everything its page shows, the case panel of an item's page, and the menu's count.

Every read goes through the agency scope (app/scoping.py): a user of agency A finds none of
agency B's cases, and ``case_page`` answers NotFound for them. The lists' filters come in as the
user typed them (``CaseListQuery``); a value that cannot be used is left out of the filter and
its Persian message is returned by field (``CaseList.errors``), so a bad filter never fails the
page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.extensions import db
from app.i18n import N_, digit_style
from app.policy import (
    CASE_ASSIGNEE_ROLES,
    can_move_case,
    can_transfer_case,
    can_write_case,
    sees_all_agencies,
)
from app.services import NotFound, ServiceError
from app.services.case_coverage import coverage_of, coverage_suggestions
from app.services.case_deadlines import moved_sentence
from app.services.case_inputs import item_day
from app.services.case_queries import (
    CaseFilters,
    agency_by_slug,
    case_by_ref,
    cases_query,
    is_overdue,
    timeline,
)
from app.services.case_reminders import NOTICE_SENTENCES, notice_sentence
from app.services.case_workflow import TRANSITIONS, allowed_moves
from app.services.digits import shown_number
from app.services.row_guard import version_of
from app.services.working_days import WorkingDayResult
from models import (
    CASE_KINDS,
    CASE_STATUSES,
    OPEN_STATUSES,
    Agency,
    CaseCoverage,
    CaseEvent,
    CaseSource,
    Item,
    ItemRoute,
    PublicQuestion,
    User,
)
from models.case import ANSWERED_STATUSES

LISTS = ("mine", "agency", "all")
# The status filter's two groups beside the single statuses.
OPEN, ANY = "open", "all"
MAX_PAGE_SIZE = 200

# The buttons of the case page, by move (app/services/case_workflow.TRANSITIONS).
MOVE_LABELS = {
    "accept": N_("پذیرفتن"),
    "reject": N_("رد کردن"),
    "merge": N_("ادغام در پرونده‌ای دیگر"),
    "assign": N_("واگذاری"),
    "reassign": N_("واگذاری به کارشناس دیگر"),
    "return": N_("بازگرداندن برای بازنگری"),
    "draft": N_("فرستادن پیش‌نویس پاسخ"),
    "approve": N_("تأیید پاسخ"),
    "publish": N_("ثبت انتشار پاسخ"),
    "close": N_("بستن پرونده"),
    "reopen": N_("بازگشایی پرونده"),
}


@dataclass(frozen=True)
class CaseListQuery:
    """A list's filters as typed (the query string); dates already read by the form."""

    status: str = OPEN          # "open", "all" or a status key
    overdue: bool = False
    kind: str = ""
    agency: str = ""            # an agency's slug
    assignee: str = ""          # a username
    opened_from: date | None = None
    opened_to: date | None = None


@dataclass
class CaseList:
    cases: list[PublicQuestion]
    total: int
    page: int
    page_size: int
    filters: CaseFilters
    errors: dict[str, str] = field(default_factory=dict)      # field name → Persian message
    agencies: list[Agency] = field(default_factory=list)      # the agency filter's choices
    assignees: list[User] = field(default_factory=list)       # the assignee filter's choices
    today: date | None = None

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total

    def overdue(self, case: PublicQuestion) -> bool:
        return is_overdue(case, self.today)


def agency_choices(actor) -> list[Agency]:
    """The active agencies ``actor`` may pick: every one for the governorate, else their own."""
    query = select(Agency).where(Agency.is_active).order_by(Agency.name_order, Agency.id)
    if not sees_all_agencies(actor):
        query = query.where(Agency.id == getattr(actor, "agency_id", None))
    return list(db.session.scalars(query))


def assignee_choices(agency_id: int | None = None) -> list[User]:
    """Active managers and staff (of ``agency_id`` when given) in the reader's scope."""
    query = (select(User).where(User.role.in_(sorted(CASE_ASSIGNEE_ROLES)), User.is_active_account)
             .order_by(User.display_name, User.username))
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    return list(db.session.scalars(query))


def _agency_filter(actor, slug: str, errors: dict) -> int | None:
    slug = (slug or "").strip()
    if not slug:
        return None
    try:
        agency = agency_by_slug(slug)
    except ServiceError as unknown:
        errors["agency"] = str(unknown)
        return None
    if not sees_all_agencies(actor) and agency.id != getattr(actor, "agency_id", None):
        errors["agency"] = _("پرونده‌های «%(agency)s» را تنها همان سازمان و ناظران استانداری می‌بینند؛ "
                             "سازمان خودتان را برگزینید.", agency=agency.name_fa)
        return None
    return agency.id


def _list_filters(actor, list_name: str, query: CaseListQuery) -> tuple[CaseFilters, dict[str, str]]:
    errors: dict[str, str] = {}
    status = (query.status or "").strip()
    statuses, open_only = (), False
    if status == OPEN:
        open_only = True
    elif status in CASE_STATUSES:
        statuses = (status,)
    elif status not in ("", ANY):
        errors["status"] = _("وضعیت «%(value)s» شناخته نیست؛ یکی از گزینه‌های فهرست را برگزینید.", value=status)
    kind = (query.kind or "").strip()
    if kind and kind not in CASE_KINDS:
        errors["kind"] = _("نوع «%(value)s» شناخته نیست؛ یکی از گزینه‌های فهرست را برگزینید.", value=kind)
        kind = ""
    agency_id = _agency_filter(actor, query.agency, errors)
    assignee_id = None
    if list_name == "mine":
        assignee_id = getattr(actor, "id", None)
    elif (query.assignee or "").strip():
        name = query.assignee.strip()
        assignee_id = db.session.scalar(select(User.id).where(User.username == name))
        if assignee_id is None:
            errors["assignee"] = _("کاربری با نام کاربری «%(name)s» نیست.", name=name)
    if list_name == "agency":
        own = getattr(actor, "agency_id", None)
        agency_id = own if own is not None else agency_id
    opened_from, opened_to = query.opened_from, query.opened_to
    if opened_from and opened_to and opened_from > opened_to:
        errors["opened_to"] = _("تاریخ پایان پیش از تاریخ آغاز است؛ بازه را درست کنید.")
        opened_to = None
    filters = CaseFilters(agency_id=agency_id, statuses=statuses, open_only=open_only, overdue=query.overdue,
                          assignee_id=assignee_id, kind=kind or None, opened_from=opened_from, opened_to=opened_to)
    return filters, errors


def list_query(actor, list_name: str, query: CaseListQuery, today: date | None = None):
    """The SELECT of a list (scoped), its filters and the messages of the unusable ones."""
    filters, errors = _list_filters(actor, list_name, query)
    return cases_query(filters, today), filters, errors


def case_list(actor, list_name: str, query: CaseListQuery, *, page: int = 1, page_size: int = 50) -> CaseList:
    """One page of "my cases" (``list_name`` "mine": assigned to the actor), "my agency's cases"
    ("agency") or every agency's ("all"), soonest deadline first, with the filters' choices."""
    if list_name not in LISTS:
        raise NotFound(_("این فهرست پیدا نشد."))
    today = local_today()
    select_cases, filters, errors = list_query(actor, list_name, query, today)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    total = db.session.scalar(select(func.count()).select_from(select_cases.order_by(None).subquery())) or 0
    # Past the last page: the last page (a typed ?page=99999999999999999999 overflowed the driver's
    # OFFSET: a 500).
    page = max(1, min(page, -(-total // page_size)))
    cases = list(db.session.scalars(select_cases.options(selectinload(PublicQuestion.agency),
                                                         selectinload(PublicQuestion.assignee))
                                    .limit(page_size).offset((page - 1) * page_size)))
    own_agency = getattr(actor, "agency_id", None) if not sees_all_agencies(actor) else None
    return CaseList(cases=cases, total=total, page=page, page_size=page_size, filters=filters, errors=errors,
                    agencies=agency_choices(actor), assignees=assignee_choices(own_agency), today=today)


def my_open_cases_count(user) -> int:
    """Open cases assigned to ``user`` (the menu's number; one indexed count)."""
    if getattr(user, "role", None) not in CASE_ASSIGNEE_ROLES:
        return 0
    return db.session.scalar(select(func.count(PublicQuestion.id)).where(
        PublicQuestion.assignee_id == user.id, PublicQuestion.status.in_(OPEN_STATUSES))) or 0


# --- one case -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveChoice:
    to_status: str
    move: str      # accept, assign, … (MOVE_LABELS)


@dataclass
class CasePage:
    case: PublicQuestion
    events: list[CaseEvent]
    moves: list[MoveChoice]
    assignees: list[User]              # who the case may be assigned to (its agency's managers and staff)
    agencies: list[Agency]             # the agencies a supervisor may accept it into
    overdue: bool
    can_write: bool                    # notes, coverage decisions
    can_edit_answer: bool              # save the answer without moving the case
    can_add_link: bool                 # another publication link
    can_transfer: bool                 # pick the agency when accepting
    assign_self_only: bool             # staff take a case themselves; a manager picks anyone
    coverage: list[CaseCoverage]
    suggestions: list[Item]
    skipped_days: list[dict]           # the days the deadline skipped: {"date", "reason"}
    sentences: dict[int, str]          # event id → its sentence said again in the reader's language
    deadline_note: str                 # how the deadline was counted, in the reader's language
    people: dict[str, str] = field(default_factory=dict)  # the timeline's assignees: username → name
    agency_names: dict[str, str] = field(default_factory=dict)  # the timeline's agencies: slug → name

    @property
    def answer_version(self) -> str:
        """Carried by the answer's form (``answer_version``)."""
        return answer_version(self.case)

    @property
    def confirmed(self) -> list[CaseCoverage]:
        return [row for row in self.coverage if row.state == "confirmed"]

    @property
    def dismissed(self) -> list[CaseCoverage]:
        return [row for row in self.coverage if row.state == "dismissed"]

    def move(self, name: str) -> MoveChoice | None:
        return next((m for m in self.moves if m.move == name), None)


def _people(events: list[CaseEvent]) -> dict[str, str]:
    """The names of the users the timeline's moves name by username (assigned, previously assigned):
    the page shows «کارشناس: علی رضایی», not «water.staff»."""
    usernames = {(e.data or {}).get(key) for e in events for key in ("assignee", "previous_assignee")} - {None}
    usernames |= {name for e in events if e.kind in NOTICE_SENTENCES for name in (e.data or {}).get("to", [])
                  if isinstance(name, str)}
    if not usernames:
        return {}
    rows = db.session.execute(select(User.username, User.display_name)
                              .where(User.username.in_(usernames)).execution_options(unscoped=True))
    return {username: name for username, name in rows if name}


def _agency_names(events: list[CaseEvent]) -> dict[str, str]:
    """The names of the agencies the timeline names by slug (accepted for one, sent from one to
    another), in the reader's language: it showed «سازمان: power»."""
    slugs = {value for e in events for key in ("agency", "from", "to", "from_agency")
             if isinstance(value := (e.data or {}).get(key), str)}
    if not slugs:
        return {}
    locale = str(get_locale() or "fa")
    agencies = db.session.scalars(select(Agency).where(Agency.slug.in_(slugs)).execution_options(unscoped=True))
    return {agency.slug: agency.display_name(locale) for agency in agencies}


def answer_version(case: PublicQuestion) -> str:
    """The version of the case's answer its page shows: a save from a page read before someone
    else saved another answer is refused (app/services/case_desk.py), the typed text kept."""
    return version_of({"answer": case.answer or ""})


def case_page(ref: str, actor) -> CasePage:
    """Everything the page of case ``ref`` shows to ``actor``.

    :raise NotFound: no such case in the actor's scope (another agency's case).
    """
    case = case_by_ref(ref)
    moves = [MoveChoice(to, TRANSITIONS[(case.status, to)]) for to in allowed_moves(case, actor)]
    assignee_id = case.assignee_id
    events = timeline(case)
    people = _people(events)
    return CasePage(
        case=case, events=events, moves=moves, people=people, sentences=_sentences(events, people),
        agency_names=_agency_names(events),
        assignees=assignee_choices(case.agency_id) if case.agency_id is not None else [],
        agencies=agency_choices(actor) if can_transfer_case(actor) else [],
        overdue=is_overdue(case),
        can_write=can_write_case(actor, case.agency_id),
        can_edit_answer=case.status in ("assigned", "drafted") and can_move_case(actor, "draft", case.agency_id,
                                                                                   assignee_id),
        can_add_link=case.status in ANSWERED_STATUSES and can_move_case(actor, "publish", case.agency_id),
        can_transfer=can_transfer_case(actor),
        assign_self_only=not can_move_case(actor, "assign", case.agency_id, -1),
        coverage=coverage_of(case),
        suggestions=coverage_suggestions(case, actor),
        **_deadline_counting(case),
    )


def _sentences(events: list[CaseEvent], people: dict[str, str]) -> dict[int, str]:
    """The sentences the system wrote on the timeline (a deadline moved, a notice sent), said
    again from the event's values in the reader's language; an event stored without its values
    keeps the sentence stored with it."""
    digits, said = digit_style(), {}
    for event in events:
        data = event.data or {}
        if event.kind == "deadline_moved":
            text = moved_sentence(data, digits)
        elif event.kind in NOTICE_SENTENCES:
            names = [people.get(name, name) for name in data.get("to", []) if isinstance(name, str)]
            text = notice_sentence(event.kind, data, names, digits)
        else:
            continue
        if text:
            said[event.id] = text
    return said


def _deadline_counting(case: PublicQuestion) -> dict:
    """How the case's deadline was counted, said in the reader's language; a counting stored
    before it could be read back shows the sentence and reasons stored with it (Persian)."""
    counting = WorkingDayResult.from_dict(case.deadline_counting)
    if counting is None:
        return {"deadline_note": case.deadline_note,
                "skipped_days": list((case.deadline_counting or {}).get("skipped", []))}
    return {"deadline_note": counting.explain(digit_style()), "skipped_days": counting.reasons(digit_style())}


# --- the case panel of an item's page ---------------------------------------------------------------


@dataclass
class ItemCasePanel:
    item: Item
    cases: list[PublicQuestion]    # the cases (in the reader's scope) this item raised
    flagged: bool                  # a route the reader sees marks it a public question
    can_open: bool
    agency_id: int | None          # the agency a new case goes to unless the reader picks another
    agency_slug: str               # its slug ("" for none yet)
    agencies: list[Agency]         # the choices of a supervisor or admin (empty: their own agency)
    raised_on: date | None = None  # the item's local day: the question's, as the deadline counts it


def item_case_panel(item_id: int, actor) -> ItemCasePanel:
    """Whether and how the reader may open a case from item ``item_id``, and the cases it already
    raised. :raise NotFound: no such item."""
    item = item_for_case(item_id)
    cases = list(db.session.scalars(
        select(PublicQuestion).join(CaseSource, CaseSource.case_id == PublicQuestion.id)
        .where(CaseSource.item_id == item.id).order_by(PublicQuestion.id)))
    routes = list(db.session.scalars(select(ItemRoute).where(ItemRoute.item_id == item.id).order_by(ItemRoute.id)))
    flagged = [route for route in routes if route.is_question]
    if sees_all_agencies(actor):
        guess = next((r.agency_id for r in flagged + routes if r.agency_id is not None), None)
        agencies = agency_choices(actor)
        slug = next((a.slug for a in agencies if a.id == guess), "")
    else:
        guess, agencies = getattr(actor, "agency_id", None), []
        slug = getattr(getattr(actor, "agency", None), "slug", "")
    raised_on = item_day(item)  # shown in the form; the service takes it too when the field is left empty
    return ItemCasePanel(item=item, cases=cases, flagged=bool(flagged), can_open=can_write_case(actor, guess),
                         agency_id=guess, agency_slug=slug, agencies=agencies, raised_on=raised_on)


def item_for_case(item_id: int) -> Item:
    """The item a case is opened from. :raise NotFound: no such item."""
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFound(_("خبری با شناسهٔ %(id)s نیست.", id=shown_number(item_id)))
    return item
