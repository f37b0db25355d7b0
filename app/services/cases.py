"""Public-question cases (clause 12): open a case from a monitored item or a manual entry, move it
through the workflow, keep its answer, notes, sources and publication links.

The API that pages, jobs and the CLI build on (each action checks app/policy.py, writes the
timeline and the audit entry, and commits once; each raises ServiceError / NotAllowed /
NotFound with a Persian message and then has changed nothing):

    open_case(actor, *, agency, item_id=None, manual=None, title="", question="", kind="question",
              priority="normal", opened_on=None, notes="", accept=False) -> PublicQuestion
        = check_case_opening(...) (no change) + build_case(...) (rows, no commit) + commit
    move(case, to_status, actor, *, assignee=None, reason=None, link=None, answer=None,
         into=None, agency=None) -> PublicQuestion                     (app/services/case_workflow.py)
    save_answer(case, answer, actor) -> PublicQuestion                (app/services/case_edits.py)
    add_note(case, text, actor) -> PublicQuestion
    add_publication_link(case, link, actor) -> PublicQuestion        (a published or closed case)
    add_source(case, actor, *, item_id=None, manual=None) -> PublicQuestion
    update_details(case, actor, *, title=None, question=None, kind=None, priority=None) -> PublicQuestion
    transfer(case, agency, actor, reason) -> PublicQuestion           (governorate: another agency)
    allowed_moves(case, actor) -> list[str]                           (statuses to offer as buttons)
    allocate_ref(jalali_year) -> (number, ref)                        (inside a caller's transaction)

Reads (through the current agency scope; app/services/case_queries.py):
    case_by_ref(ref), get_case(case_id) -> PublicQuestion              (NotFound outside the scope)
    cases_query(CaseFilters, today=None) -> Select; list_cases(CaseFilters, today=None) -> list
    timeline(case) -> list[CaseEvent]; case_as_dict(case, today=None) -> dict
    agency_by_slug(slug) -> Agency; user_by_username(name) -> User
    status_named(typed) -> str  (a status by its code in any case or its Persian name: «بسته»)
Deadlines (app/services/case_deadlines.py): deadline_days_by_priority(), set_deadline_days(days, actor).
Figures (app/services/case_stats.py): case_figures(year, month, agency_id=None, today=None).
Run again (a script's re-run): open_manual_once / open_item_once (app/services/case_twins.py),
moved_already / move_once (app/services/case_reruns.py): the case there, and nothing stored.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import local_today, to_local, utcnow
from app.extensions import db
from app.jalali import format_jalali_date, to_jalali
from app.policy import VIEWER, can_move_case, can_write_case, role_of
from app.services import NotAllowed, ServiceError, about
from app.services.audit import record
from app.services.case_deadlines import (
    count_deadline,
    deadline_days_by_priority,
    set_deadline_days,
)
from app.services.case_edits import (
    add_note,
    add_publication_link,
    add_source,
    save_answer,
    transfer,
    update_details,
)
from app.services.case_inputs import (
    MSG_OPENED_FUTURE,
    MSG_OPENED_PAST,
    TITLE_MAX,
    ManualSource,
    check_day,
    clean_kind,
    clean_priority,
    item_day,
    load_source,
    make_source,
    status_named,
)
from app.services.case_queries import (
    CaseFilters,
    agency_by_slug,
    case_as_dict,
    case_by_ref,
    cases_query,
    get_case,
    list_cases,
    timeline,
    user_by_username,
)
from app.services.case_timeline import add_event, status_choices
from app.services.case_workflow import (
    ANSWER_MAX,
    TEXT_MAX,
    PublicationLink,
    allowed_moves,
    case_holding,
    clean_text,
    move,
    one_line,
    status_named_with_code,
    unread_inputs,
)
from app.services.digits import shown_ref
from models import CaseRefCounter, ItemRoute, PublicQuestion
from models.search_outbox import enqueue

__all__ = [
    "CaseFilters", "ManualSource", "PublicationLink", "add_note", "add_publication_link", "add_source",
    "agency_by_slug", "allocate_ref", "allowed_moves", "build_case", "case_as_dict", "case_by_ref", "cases_query",
    "check_case_opening", "deadline_days_by_priority", "get_case", "list_cases", "load_source", "move", "open_case", "save_answer",
    "set_deadline_days", "status_choices", "status_named", "status_named_with_code", "timeline", "transfer", "unread_inputs", "update_details",
    "user_by_username",
]
def allocate_ref(year: int) -> tuple[int, str]:
    """The next reference number of a Jalali year: the year's counter row, incremented and locked
    until the caller's commit (concurrent openers wait for it; on SQLite the write lock does the
    same). No commit."""
    table = CaseRefCounter.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(table).values(year=year, last_number=0).on_conflict_do_nothing(index_elements=["year"]))
    number = db.session.execute(update(table).where(table.c.year == year)
                                .values(last_number=table.c.last_number + 1)
                                .returning(table.c.last_number)).scalar_one()
    return number, f"{year}-{number:06d}"


def _accept_route(item_id: int, agency_id: int, actor) -> None:
    """The agency's inbox route of the item is handled once a case holds it: accepted."""
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item_id, ItemRoute.agency_id == agency_id)
                              .execution_options(unscoped=True))
    if route is None or route.status not in ("new", "seen"):
        return
    before = route.status
    route.status, route.status_changed_by_id, route.status_changed_at = "accepted", getattr(actor, "id", None), utcnow()
    record("item_route.status_changed", actor=actor, obj=route, item_id=item_id, before=before, after="accepted")
    enqueue(db.session, "item", item_id)


def open_case(actor, *, agency, item_id: int | None = None, manual: ManualSource | None = None,
              title: str = "", question: str = "", kind: str = "question", priority: str = "normal",
              opened_on: date | None = None, notes: str = "", accept: bool = False) -> PublicQuestion:
    """Open a case (status new; ``accept=True``: accepted at once) from a monitored item or a manual
    entry, with its reference number and deadline; timeline, audit, commit. Opening from an item
    marks the agency's inbox route of it accepted. (``build_case`` below, then one commit.)
    Without ``opened_on`` a case from an item is dated by the item's local day (its deadline counts
    from when the question was raised, whoever opens it), a manual entry by today.

    :raise NotAllowed: the actor may not open cases for this agency (or accept them).
    :raise ServiceError: no source or two, an unknown item, channel, kind or priority, a missing
        title or outlet, a future date, an inactive agency, or an item the agency already has a case for.
    """
    checked = check_case_opening(actor, agency=agency, item_id=item_id, manual=manual, title=title,
                                 question=question, kind=kind, priority=priority, opened_on=opened_on,
                                 notes=notes, accept=accept)
    try:
        case = build_case(actor, **checked)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return case


def check_case_opening(actor, *, agency, item_id: int | None = None, manual: ManualSource | None = None,
                       title: str = "", question: str = "", kind: str = "question", priority: str = "normal",
                       opened_on: date | None = None, notes: str = "", accept: bool = False) -> dict:
    """Check who opens what (the policy, then the input) without changing anything: the keyword
    arguments of ``build_case``, cleaned. :raise NotAllowed, ServiceError: as ``open_case``."""
    agency_id = agency.id if agency is not None else None
    if not can_write_case(actor, agency_id):
        if role_of(actor) == VIEWER:  # told the agency was wrong (a review of the commands, round 10)
            raise NotAllowed(_("نقش «بیننده» پرونده باز نمی‌کند؛ تنها آن را می‌خواند."))
        raise NotAllowed(_("شما برای این سازمان پرونده باز نمی‌کنید."))
    if accept and not can_move_case(actor, "accept", agency_id):
        raise NotAllowed(_("پذیرفتن پرسش کار کارکنان سازمان پاسخ‌گو یا ناظران استانداری است."))
    with about("agency"):
        if agency is not None and not agency.is_active:
            raise ServiceError(_("سازمان «%(name)s» غیرفعال است.", name=agency.name_fa))
        if accept and agency is None:
            raise ServiceError(_("سازمان پاسخ‌گو را برگزینید."))
    with about("opened_on"):
        check_day(opened_on, MSG_OPENED_FUTURE, MSG_OPENED_PAST)  # before the source's day: the CLI's --opened is both
    item, manual = load_source(item_id, manual)
    opened_on = opened_on or item_day(item) or local_today()  # an item's question was raised on its day
    with about("title"):
        title = one_line(clean_text(title or (item.title[:TITLE_MAX] if item else ""), TITLE_MAX, _("عنوان")))
        if not title:
            raise ServiceError(_("عنوان پرسش را بنویسید."))
    with about("question"):
        question = clean_text(question, TEXT_MAX, _("پرسش")) or title
    with about("kind"):
        kind = clean_kind(kind)
    with about("priority"):
        priority = clean_priority(priority)
    with about("notes"):
        notes = clean_text(notes, ANSWER_MAX, _("یادداشت"))
    with about("opened_on"):
        # Not before the item was out: published, or got by the monitor if that was earlier (an item
        # stored with a date ahead of its fetch, by a day's slack before, was refused every day). An
        # item its feed gave no date has the fetch's, estimated: no bound (staff who heard it aired
        # days before could not say so; a review of the case commands, session 37).
        out = min(item.published_at, item.fetched_at or item.published_at) \
            if item is not None and not item.published_is_estimated else None
        if out is not None and opened_on < to_local(out).date():
            raise ServiceError(_("پرسشِ یک خبر پیش از انتشار آن طرح نشده است: خبر در %(day)s منتشر شد.",
                                 day=format_jalali_date(out)))
    return {"agency": agency, "item": item, "manual": manual, "title": title, "question": question, "kind": kind,
            "priority": priority, "opened_on": opened_on, "notes": notes, "accept": accept}


def build_case(actor, *, agency, item, manual: ManualSource | None, title: str, question: str, kind: str,
               priority: str, opened_on: date, notes: str, accept: bool) -> PublicQuestion:
    """The rows of a new case (what ``check_case_opening`` returned), added and flushed in the
    caller's transaction: no commit, so a composed use case (a conference question turned into a
    case) commits the case with its own rows at once."""
    agency_id = agency.id if agency is not None else None
    number, ref = allocate_ref(to_jalali(opened_on).year)
    # Checked once the year's counter is held: two openers of one item (same year) cannot both pass.
    existing = case_holding([item.id], agency_id) if item is not None else None
    if existing is not None:
        raise ServiceError(_("برای این خبر پیش‌تر پرونده %(ref)s باز شده است.", ref=shown_ref(existing.ref)))
    case = PublicQuestion(ref=ref, ref_year=to_jalali(opened_on).year, ref_number=number, title=title,
                          question=question, kind=kind, priority=priority, status="new", agency=agency,
                          agency_id=agency_id, opened_on=opened_on, opened_by_id=getattr(actor, "id", None),
                          notes=notes, answer="")
    count_deadline(case, opened_on)
    case.sources.append(make_source(actor, item, manual, opened_on))
    db.session.add(case)
    db.session.flush()
    add_event(case, "opened", actor, to_status="new", source="item" if item else manual.channel,
              item_id=item.id if item else None, deadline=case.deadline.isoformat())
    if accept:
        case.status = "accepted"
        add_event(case, "moved", actor, from_status="new", to_status="accepted", move="accept")
    if item is not None and agency_id is not None:
        _accept_route(item.id, agency_id, actor)
    return case


