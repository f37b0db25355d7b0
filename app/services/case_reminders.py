"""Reminders and escalation of public-question cases (issue 11, item 4): the worker's job and
``flask cases remind``.

For every open case (status new … approved: not yet published, closed, rejected or merged), with
D its deadline and today the local day of ``now``:

- **reminder** (level 0), from ``days_before`` working days before D (setting, default 1) up to D
  itself, to whoever must act: the assignee; a case nobody is assigned to goes to the agency's
  managers (they assign it), or to its staff when it has no manager. Once D has passed no
  reminder is sent: the breach notice takes over.
- **breach** (level 1), from the day after D, to the agency's managers.
- **escalation** (level 2), once ``escalate_after`` more working days (setting, default 2) have
  passed after D without an answer, i.e. from the day after the last of them, to the
  governorate's supervisors (the administrators when there is no supervisor).

A case no agency has taken yet sends all three to the supervisors (the governorate routes it), as
does an agency with neither manager nor staff. Only active accounts are notified; a case's notice
reaches each responsible user once: someone who becomes responsible later (a new assignee, a new
manager) hears at the next run. A deadline that moves (a holiday, a reopened case) is a new step:
the new deadline is reminded of once again; a breach or an escalation already told in the same
round is not told again for a deadline moved between days already past (a reopen starts a round).

Exactly once: each (case, kind, step = the deadline's ISO date, user) is one row of
``case_notifications`` under a UNIQUE key, inserted with ON CONFLICT DO NOTHING, together with the
case's timeline event and audit entry, and committed once per case. A run killed anywhere has
committed whole cases or nothing of one; the next run writes what is missing and nothing twice.
One process runs at a time (the lease ``cases.reminders_lease``); two at once would still write
each row once (the key), the lease only saves the work. E-mail is the digest's job
(app/services/alert_digest.py): it mails each row once and sets ``emailed_at``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import local_today, utcnow
from app.extensions import db
from app.i18n import N_
from app.jalali import format_jalali_date
from app.leases import claim_lease, new_owner, release_lease
from app.policy import can_edit_case_settings
from app.services import NotAllowed, ServiceError
from app.services.case_notice_due import Person, Recipients, WorkingCalendar, due_kinds
from app.services.case_timeline import add_event
from app.services.digits import shown_number
from app.services.settings import DEFAULTS, get_setting, set_setting
from models import OPEN_STATUSES, CaseEvent, CaseNotification, PublicQuestion
from search_index.persian import ascii_digits, to_persian_digits

SETTINGS_KEY = "cases.reminders"
MAX_DAYS = 30
LEASE_KEY = "cases.reminders_lease"
# The command line's "kind" names two levels (reminder | escalation); "level" tells them apart.
LEVELS = {"reminder": 0, "breach": 1, "escalation": 2}
RENEW_EVERY = 50  # cases between two renewals of the lease


# --- settings ---------------------------------------------------------------------------------


def reminder_days() -> dict[str, int]:
    """``days_before`` and ``escalate_after`` (working days): the setting, the defaults for what it lacks."""
    stored = get_setting(SETTINGS_KEY)
    stored = stored if isinstance(stored, dict) else {}
    days = {}
    for key, default in DEFAULTS[SETTINGS_KEY].items():
        value = stored.get(key)
        days[key] = value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DAYS \
            else default
    return days


def set_reminder_days(values: dict, actor) -> dict[str, int]:
    """Store when reminders and escalations go out (administrators), audited, commit.

    :raise NotAllowed: the actor is not an administrator.
    :raise ServiceError: a value missing or not a whole number from 0 to 30.
    """
    if not can_edit_case_settings(actor):
        raise NotAllowed(_("فقط مدیر سامانه زمان یادآوری و ارجاع پرونده‌ها را تغییر می‌دهد."))
    cleaned = {}
    for key in DEFAULTS[SETTINGS_KEY]:
        text = ascii_digits(str(values.get(key, ""))).strip()
        if not text.isascii() or not text.isdigit() or int(text) > MAX_DAYS:
            raise ServiceError(
                _("روزهای یادآوری و ارجاع باید عددی از ۰ تا %(max)s روز کاری باشند.", max=shown_number(MAX_DAYS)))
        cleaned[key] = int(text)
    set_setting(SETTINGS_KEY, cleaned, actor=actor, audit=True)
    db.session.commit()
    return cleaned


# --- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """One notification written (and so shown in the app, and mailed by the next digest)."""

    case_id: int
    ref: str
    agency: str | None
    notice: str  # reminder | breach | escalation
    user_id: int
    username: str
    deadline: date

    def as_json(self) -> dict:
        """The command line's line: ``case``, ``kind`` (reminder | escalation) and ``to`` are the
        contract; a breach notice is the first level of escalation (``level`` 1, to the agency's
        managers), the supervisors' the second (``level`` 2)."""
        return {"case": self.ref, "kind": "reminder" if self.notice == "reminder" else "escalation",
                "to": self.username, "level": LEVELS[self.notice], "notice": self.notice,
                "agency": self.agency, "deadline": format_jalali_date(self.deadline, digits="en")}


@dataclass
class RemindSummary:
    sent: list[Sent] = field(default_factory=list)
    cases: int = 0  # open cases with something due
    skipped: str = ""  # "busy": another process holds the lease; "lost": it was taken over mid-run
    dry_run: bool = False  # due_reminders: what would be sent, nothing written

    def line(self) -> str:
        if self.skipped == "busy":
            return "case reminders: another process is sending"
        counts = {kind: sum(1 for s in self.sent if s.notice == kind) for kind in LEVELS}
        tail = " (lease lost, stopped)" if self.skipped == "lost" else ""
        verb = "would be sent" if self.dry_run else "sent"
        return (f"case reminders: {len(self.sent)} {verb} ({counts['reminder']} reminders, {counts['breach']} breach "
                f"notices, {counts['escalation']} escalations) for {self.cases} cases{tail}")


@dataclass(frozen=True)
class SystemActor:
    """Who the timeline names for a notice: the worker or the command line (no account, no role)."""

    username: str
    id: None = None
    role: None = None


def _insert():
    dialect = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = CaseNotification.__table__
    return dialect(table).on_conflict_do_nothing(index_elements=["case_id", "kind", "step", "user_id"]) \
        .returning(table.c.id)


NOTICE_SENTENCES = {
    "reminder": N_("یادآوری موعد پاسخ (%(deadline)s) برای %(names)s فرستاده شد."),
    "breach": N_("موعد پاسخ (%(deadline)s) گذشت و پاسخی منتشر نشد؛ به مدیر روابط عمومی سازمان خبر داده شد: %(names)s."),
    "escalation": N_("%(days)s روز کاری پس از موعد پاسخ (%(deadline)s) هنوز پاسخی منتشر نشده است؛ پرونده به ناظران "
                     "استانداری ارجاع شد: %(names)s."),
}


def notice_sentence(kind: str, data: dict, names: list[str], digits: str = "fa") -> str | None:
    """The timeline's sentence of a notice event (``kind``), from its values (``due``, ``after``)
    and the people's ``names``, in the language of the moment; None for an event stored without
    its values."""
    try:
        deadline = format_jalali_date(date.fromisoformat(data["due"]), digits)
        days = str(int(data["after"]))
    except (KeyError, TypeError, ValueError):
        return None
    return _(NOTICE_SENTENCES[kind], deadline=deadline, names=_("، ").join(names),
             days=to_persian_digits(days) if digits == "fa" else days)


def _event_values(case: PublicQuestion, users: list[Person], days: dict[str, int]) -> dict:
    return {"to": [u.username for u in users], "due": case.deadline.isoformat(), "after": days["escalate_after"]}


def _told_this_round(told: tuple[datetime, set[str]] | None, step: str, reopened: datetime | None) -> bool:
    """Whether a breach or an escalation was told for another deadline of the same round: the deadline
    moved between days already past (a rest day or a holiday set after the fact), and the managers and
    the supervisors heard of the breach again for each move (a review of the cases). A reopened case's
    new round is told again."""
    if told is None:
        return False
    last, steps = told
    # only a deadline that had already passed when the earlier notice went out (moved between past days)
    return (step not in steps and date.fromisoformat(step) < local_today(last)
            and (reopened is None or last > reopened))


def _reopened_at(case_ids: list[int]) -> dict[int, datetime]:
    """case id → when it was last reopened (a move from «published» or «closed» back to «accepted»)."""
    found: dict[int, datetime] = {}
    for start in range(0, len(case_ids), 500):
        for case_id, at in db.session.execute(
                select(CaseEvent.case_id, func.max(CaseEvent.created_at))
                .where(CaseEvent.case_id.in_(case_ids[start:start + 500]), CaseEvent.kind == "moved",
                       CaseEvent.to_status == "accepted", CaseEvent.from_status.in_(("published", "closed")))
                .group_by(CaseEvent.case_id).execution_options(unscoped=True)):
            found[case_id] = at
    return found


def _plan(today: date, days: dict[str, int]) -> list[tuple[int, list[tuple[str, Person]]]]:
    """(case id, [(kind, person), …]) of the notices due today and not written yet, by deadline."""
    calendar = WorkingCalendar()
    horizon = calendar.after(today, days["days_before"])
    rows = db.session.execute(
        select(PublicQuestion.id, PublicQuestion.deadline, PublicQuestion.agency_id, PublicQuestion.assignee_id)
        .where(PublicQuestion.status.in_(OPEN_STATUSES), PublicQuestion.deadline <= horizon)
        .order_by(PublicQuestion.deadline, PublicQuestion.id).execution_options(unscoped=True)).all()
    recipients = Recipients()
    wanted = {}
    for case_id, deadline, agency_id, assignee_id in rows:
        pairs = [(kind, person) for kind in due_kinds(deadline, today, days, calendar)
                 for person in recipients.of(kind, agency_id, assignee_id)]
        if pairs:
            wanted[case_id] = (deadline.isoformat(), pairs)
    written: set[tuple[int, str, str, int]] = set()
    told: dict[tuple[int, str], tuple[datetime, set[str]]] = {}  # (case, breach|escalation) → last time, steps
    ids = list(wanted)
    for start in range(0, len(ids), 500):
        for case_id, kind, step, user_id, at in db.session.execute(
                select(CaseNotification.case_id, CaseNotification.kind, CaseNotification.step, CaseNotification.user_id,
                       CaseNotification.created_at)
                .where(CaseNotification.case_id.in_(ids[start:start + 500])).execution_options(unscoped=True)):
            written.add((case_id, kind, step, user_id))
            if LEVELS.get(kind, 0) >= 1:
                last, steps = told.get((case_id, kind), (at, set()))
                told[(case_id, kind)] = (max(last, at), steps | {step})
    reopened = _reopened_at(ids)
    # The highest notice written for a case's deadline: a lower one after it is stale (a run with an
    # earlier --now, after the breach was sent, wrote a «reminder» of a deadline already missed: a
    # review of the commands, round 7).
    reached: dict[tuple[int, str], int] = {}
    for case_id, kind, step, _user in written:
        reached[(case_id, step)] = max(reached.get((case_id, step), -1), LEVELS.get(kind, -1))
    plan = []
    for case_id, (step, pairs) in wanted.items():
        missing = [(kind, person) for kind, person in pairs if (case_id, kind, step, person.id) not in written
                   and LEVELS[kind] >= reached.get((case_id, step), -1)
                   and not _told_this_round(told.get((case_id, kind)), step, reopened.get(case_id))]
        if missing:
            plan.append((case_id, missing))
    return plan


def _notify_case(case_id: int, pairs: list[tuple[str, Person]], now: datetime, days: dict[str, int],
                 actor: SystemActor) -> list[Sent]:
    """Write one case's due notices with their timeline events (no commit). A case answered or
    given another deadline since the plan was read is left to the next run."""
    case = db.session.get(PublicQuestion, case_id, execution_options={"unscoped": True}, populate_existing=True)
    step = case.deadline.isoformat() if case is not None else ""
    if case is None or case.status not in OPEN_STATUSES:
        return []
    sent, statement = [], _insert()
    by_kind: dict[str, list[Person]] = {}
    for kind, user in pairs:
        written = db.session.execute(statement, {
            "case_id": case.id, "user_id": user.id, "kind": kind, "step": step, "deadline": case.deadline,
            "agency_id": case.agency_id, "created_at": now}).scalar()
        if written is not None:  # None: another process wrote it first
            by_kind.setdefault(kind, []).append(user)
            sent.append(Sent(case.id, case.ref, case.agency.slug if case.agency else None, kind, user.id,
                             user.username, case.deadline))
    for kind, users in by_kind.items():
        values = _event_values(case, users, days)
        with force_locale("fa"):  # the timeline keeps the words as said then; the page says them again
            text = notice_sentence(kind, values, [u.display_name or u.username for u in users])
        add_event(case, kind, actor, text=text, deadline=step, level=LEVELS[kind], **values)
    return sent


def due_reminders(now: datetime | None = None) -> RemindSummary:
    """What ``send_reminders(now)`` would write, writing nothing (``cases remind --dry-run``): a
    ``--now`` in the future shows what would go out then without storing those notices."""
    now = now or utcnow()
    summary = RemindSummary(dry_run=True)
    plan = _plan(local_today(now), reminder_days())
    summary.cases = len(plan)
    for case_id, pairs in plan:
        case = db.session.get(PublicQuestion, case_id, execution_options={"unscoped": True})
        summary.sent.extend(Sent(case.id, case.ref, case.agency.slug if case.agency else None, kind, person.id,
                                 person.username, case.deadline) for kind, person in pairs)
    db.session.rollback()
    return summary


def send_reminders(now: datetime | None = None, *, actor_label: str = "worker",
                   on_sent: Callable[[list[Sent]], None] | None = None) -> RemindSummary:
    """Write every reminder, breach notice and escalation due at ``now`` (default: now) and not
    written before; one commit per case, then ``on_sent`` with what that commit wrote (the
    command line prints it). Idempotent; safe to kill; one process at a time (the lease).
    """
    now = now or utcnow()
    today = local_today(now)
    seconds = current_app.config["CASE_REMIND_LEASE_SECONDS"]
    owner = new_owner()
    summary = RemindSummary()
    if not claim_lease(LEASE_KEY, owner, seconds):
        summary.skipped = "busy"
        return summary
    try:
        days = reminder_days()
        plan = _plan(today, days)
        db.session.rollback()  # end the read; the lease is renewed between two writes only
        summary.cases = len(plan)
        actor = SystemActor(actor_label)
        for number, (case_id, pairs) in enumerate(plan, start=1):
            if number % RENEW_EVERY == 0 and not claim_lease(LEASE_KEY, owner, seconds):
                summary.skipped = "lost"  # we stalled past the lease: another process goes on
                break
            try:
                sent = _notify_case(case_id, pairs, now, days, actor)
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            summary.sent.extend(sent)
            if sent and on_sent is not None:
                on_sent(sent)
    finally:
        release_lease(LEASE_KEY, owner)
    return summary


def remind_job(app: Flask) -> str:
    """The worker's "case-reminders" job: one pass of send_reminders."""
    return send_reminders().line()


def register_jobs(app: Flask) -> None:
    """Add the "case-reminders" job (every CASE_REMIND_EVERY_SECONDS) to the worker's schedule."""
    jobs = app.extensions.setdefault("hamzaban_jobs", [])
    jobs.append(("case-reminders", app.config["CASE_REMIND_EVERY_SECONDS"], remind_job))
