"""Public-question cases (clause 12): the case, its sources, its publication links, its timeline,
and the per-year counter its reference number comes from.

A case belongs to one agency (``AgencyOwned``: app/scoping.py isolates it); a new case may have
no agency yet (a question no agency's rule took waits for a supervisor). Its children (sources,
links, events) are reached through the case, which the scope has already let through.

Room left for later features: reminders/escalations and confirmed coverage items are separate
tables keyed by ``case_id`` (their own migrations); the timeline takes any event ``kind``.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.item import Item
from models.user import User

CASE_STATUSES = ("new", "accepted", "assigned", "drafted", "approved", "published", "closed",
                 "rejected", "merged")
# The deadline runs in these statuses (the question still waits for its answer).
OPEN_STATUSES = ("new", "accepted", "assigned", "drafted", "approved")
# The answer is out: published, and then closed.
ANSWERED_STATUSES = ("published", "closed")
CASE_KINDS = ("question", "ambiguity", "request", "complaint", "rumour")
CASE_PRIORITIES = ("urgent", "normal", "low")
# Where a manually entered question was raised.
SOURCE_CHANNELS = ("tv", "radio", "print", "social", "press_conference")
# Where an answer was published.
PUBLICATION_KINDS = ("portal", "outlet", "press_conference", "other")


class PublicQuestion(AgencyOwned, db.Model):
    """A question, ambiguity, request, complaint or rumour raised in the media, to be answered."""

    __tablename__ = "public_questions"
    agency_nullable = True  # a new case no agency has taken yet
    __table_args__ = (UniqueConstraint("ref_year", "ref_number"),
                      Index("ix_public_questions_agency_status", "agency_id", "status"),
                      Index("ix_public_questions_status_deadline", "status", "deadline"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)  # «1405-000123»
    ref_year: Mapped[int] = mapped_column(Integer)  # Jalali year of opened_on
    ref_number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text, default="")  # the question in one sentence
    kind: Mapped[str] = mapped_column(String(16), default="question", index=True)
    priority: Mapped[str] = mapped_column(String(8), default="normal", index=True)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date, index=True)  # the local day the deadline counts from
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Deadline: `deadline_days` working days after `deadline_start` (not counted); how it was
    # counted is kept as one Persian sentence and as WorkingDayResult.as_dict().
    deadline_start: Mapped[date] = mapped_column(Date)
    deadline_days: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    deadline_note: Mapped[str] = mapped_column(Text, default="")
    deadline_counting: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")  # internal, never published
    answer: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first published answer: its local day and the deadline it was due by. A reopened case
    # keeps both (its new deadline is for the next answer), so a month's figures never change after
    # the fact; a later publication updates ``published_at`` only.
    answered_on: Mapped[date | None] = mapped_column(Date, index=True)
    answer_deadline: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("public_questions.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    merged_into: Mapped[PublicQuestion | None] = relationship(remote_side=[id])
    sources: Mapped[list[CaseSource]] = relationship(back_populates="case", order_by="CaseSource.id",
                                                     cascade="all, delete-orphan")
    publications: Mapped[list[CasePublication]] = relationship(
        back_populates="case", order_by="CasePublication.id", cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id",
                                                   cascade="all, delete-orphan")

    @hybrid_property
    def first_answer_due(self) -> date:
        """The deadline the first answer is judged by: ``answer_deadline`` once answered (a reopen's
        new deadline is for the next answer), ``deadline`` until then. Migration 0022 filled
        ``answer_deadline`` for every answered case; the fallback covers the unanswered ones."""
        return self.answer_deadline or self.deadline

    @first_answer_due.inplace.expression
    @classmethod
    def _first_answer_due_expression(cls):
        return func.coalesce(cls.answer_deadline, cls.deadline)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<PublicQuestion {self.ref} {self.status}>"


class CaseSource(db.Model):
    """Where the question was raised: a monitored item, or a manual entry (channel, outlet,
    programme, date)."""

    __tablename__ = "case_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("public_questions.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str | None] = mapped_column(String(20))  # SOURCE_CHANNELS; None for an item
    outlet_name: Mapped[str] = mapped_column(String(200), default="")
    programme: Mapped[str] = mapped_column(String(200), default="")
    reported_on: Mapped[date | None] = mapped_column(Date)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[PublicQuestion] = relationship(back_populates="sources")
    item: Mapped[Item | None] = relationship()


class CasePublication(db.Model):
    """Where the answer was published: a portal page, an outlet, a press conference."""

    __tablename__ = "case_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("public_questions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="portal")  # PUBLICATION_KINDS
    url: Mapped[str] = mapped_column(String(2000), default="")
    label: Mapped[str] = mapped_column(String(300), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[PublicQuestion] = relationship(back_populates="publications")


class CaseEvent(db.Model):
    """One line of a case's timeline (its audit trail): who, when, what, from/to which status."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("public_questions.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(128), default="")  # username, "cli", "system"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # app/services/case_timeline.EVENT_KINDS
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")  # Persian, as it was said then
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[PublicQuestion] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CaseRefCounter(db.Model):
    """The last reference number given in a Jalali year (one row per year, locked while taken)."""

    __tablename__ = "case_ref_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
