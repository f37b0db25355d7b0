"""Press conferences (clause 9): the conference, its invitations and attendance, the questions
journalists asked there, the commitments made, its photos, the coverage that followed, and its
timeline.

A conference belongs to one agency (``AgencyOwned``: app/scoping.py isolates it). Its children
are reached through the conference, which the scope has already let through (as a case's
sources are); none of them is read on its own id without its conference.

Times are aware UTC (``starts_at``; shown in the configured zone, Jalali). Topics and
spokespeople are short lists of text (JSON), what the coverage suggestions match against.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.case import PublicQuestion
from models.directory import Journalist
from models.item import Item
from models.outlet import Outlet
from models.user import User

CONFERENCE_STATUSES = ("planned", "held", "postponed", "cancelled")
RSVP_STATES = ("pending", "accepted", "declined", "maybe", "no_answer")
CONFERENCE_COVERAGE_STATES = ("suggested", "confirmed", "rejected")


class PressConference(AgencyOwned, db.Model):
    """A press conference an agency plans, holds, postpones or cancels."""

    __tablename__ = "press_conferences"
    __table_args__ = (Index("ix_press_conferences_agency_starts", "agency_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topics: Mapped[list] = mapped_column(JSON, default=list)  # short Persian phrases
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    place: Mapped[str] = mapped_column(String(300), default="")
    spokespeople: Mapped[list] = mapped_column(JSON, default=list)  # names (and titles), as typed
    status: Mapped[str] = mapped_column(String(16), default="planned", index=True)  # CONFERENCE_STATUSES
    status_note: Mapped[str] = mapped_column(Text, default="")  # why it was postponed / cancelled
    minutes: Mapped[str] = mapped_column(Text, default="")  # «صورت‌جلسه», plain text
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when it was marked held
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    created_by: Mapped[User | None] = relationship()
    invitations: Mapped[list[ConferenceInvitation]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferenceInvitation.id")
    questions: Mapped[list[ConferenceQuestion]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferenceQuestion.id")
    commitments: Mapped[list[ConferenceCommitment]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferenceCommitment.id")
    photos: Mapped[list[ConferencePhoto]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferencePhoto.id")
    coverage: Mapped[list[ConferenceCoverage]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferenceCoverage.id")
    events: Mapped[list[ConferenceEvent]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferenceEvent.id")

    def __repr__(self) -> str:
        return f"<PressConference {self.id} {self.status}>"


class ConferenceTarget(db.Model):
    """An agency's clause-9 target from ``since`` on (``Agency.conference_target`` is the one in force
    now): a closed period is judged by the target of its time, not by one set later (migration 0030).
    The first change of an agency also keeps the target before it, from the beginning."""

    __tablename__ = "conference_targets"
    __table_args__ = (Index("ix_conference_targets_agency_since", "agency_id", "since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    target: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(8))  # month, season or year
    since: Mapped[datetime] = mapped_column(UTCDateTime)


class ConferenceInvitation(db.Model):
    """One journalist or outlet invited to a conference, their answer and whether they came.

    ``outlet_id`` alone invites an outlet (its desk); a journalist's invitation also names the
    outlet they come for, when known. The services keep one invitation per journalist, and one
    per outlet without a journalist.
    """

    __tablename__ = "conference_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("press_conferences.id", ondelete="CASCADE"), index=True)
    journalist_id: Mapped[int | None] = mapped_column(ForeignKey("journalists.id", ondelete="CASCADE"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    rsvp: Mapped[str] = mapped_column(String(16), default="pending")  # RSVP_STATES
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)  # recorded once it was held
    note: Mapped[str] = mapped_column(Text, default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[PressConference] = relationship(back_populates="invitations")
    journalist: Mapped[Journalist | None] = relationship()
    outlet: Mapped[Outlet | None] = relationship()


class ConferenceQuestion(db.Model):
    """A question a journalist asked at the conference; it may become a clause-12 case."""

    __tablename__ = "conference_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("press_conferences.id", ondelete="CASCADE"), index=True)
    journalist_id: Mapped[int | None] = mapped_column(ForeignKey("journalists.id", ondelete="SET NULL"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="SET NULL"), index=True)
    asked_by_name: Mapped[str] = mapped_column(String(200), default="")  # who asked, if not in the directory
    outlet_name: Mapped[str] = mapped_column(String(200), default="")  # their outlet, if not in the directory
    text: Mapped[str] = mapped_column(Text)
    answer_summary: Mapped[str] = mapped_column(Text, default="")  # what the spokesperson said
    case_id: Mapped[int | None] = mapped_column(ForeignKey("public_questions.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[PressConference] = relationship(back_populates="questions")
    journalist: Mapped[Journalist | None] = relationship()
    outlet: Mapped[Outlet | None] = relationship()
    case: Mapped[PublicQuestion | None] = relationship()


class ConferenceCommitment(db.Model):
    """A promise made at the conference, with its owner and due date, followed until done."""

    __tablename__ = "conference_commitments"
    __table_args__ = (Index("ix_conference_commitments_open_due", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("press_conferences.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("conference_questions.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_label: Mapped[str] = mapped_column(String(200), default="")  # e.g. «معاونت بهره‌برداری»
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[PressConference] = relationship(back_populates="commitments")
    question: Mapped[ConferenceQuestion | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ConferencePhoto(db.Model):
    """A photo of the conference: the file lives outside ``static/`` under a random name."""

    __tablename__ = "conference_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("press_conferences.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)  # random; never the uploaded name
    original_name: Mapped[str] = mapped_column(String(255), default="")  # shown only, never a path
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(500), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[PressConference] = relationship(back_populates="photos")


class ConferenceCoverage(db.Model):
    """A monitored item suggested as coverage of the conference, then confirmed or rejected."""

    __tablename__ = "conference_coverage"
    __table_args__ = (UniqueConstraint("conference_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("press_conferences.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="suggested", index=True)  # CONFERENCE_COVERAGE_STATES
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list] = mapped_column(JSON, default=list)  # what matched: topics, spokespeople, agency
    suggested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference: Mapped[PressConference] = relationship(back_populates="coverage")
    item: Mapped[Item] = relationship()
    decided_by: Mapped[User | None] = relationship()


class ConferenceEvent(db.Model):
    """One line of a conference's timeline: who, when, what (status moves carry from/to)."""

    __tablename__ = "conference_events"
    __table_args__ = (Index("ix_conference_events_conference_created", "conference_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("press_conferences.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # app/services/conference_timeline.EVENT_KINDS
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")  # Persian, as it was said then
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    conference: Mapped[PressConference] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
