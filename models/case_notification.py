"""In-app notifications about public-question cases: the deadline reminder, the breach notice to
the agency's managers, the escalation to the governorate's supervisors.

One row per (case, kind, step, user), ever: the UNIQUE key is what makes the reminder job safe to
run twice, or to kill half-way (app/services/case_reminders.py inserts with ON CONFLICT DO
NOTHING). ``step`` names the deadline the notice is about (its ISO date), so a case reopened or
given a new deadline is reminded again, once, of the new one.

A notification belongs to its user (pages load it through its owner) and to the case's agency at
the time it was written (``AgencyOwned``: a user moved to another agency no longer sees it).
Read in the app (``read_at``, set by a POST) and e-mailed once by the digest (``emailed_at``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.case import PublicQuestion
from models.user import User

# reminder: before the deadline, to whoever must act; breach: the deadline passed unanswered, to
# the agency's managers; escalation: still unanswered some working days later, to the supervisors.
NOTICE_KINDS = ("reminder", "breach", "escalation")


class CaseNotification(AgencyOwned, db.Model):
    """A reminder, breach notice or escalation about one case, for one user."""

    __tablename__ = "case_notifications"
    agency_nullable = True  # a case no agency has taken yet: its notices go to the supervisors
    __table_args__ = (UniqueConstraint("case_id", "kind", "step", "user_id"),
                      Index("ix_case_notifications_user_read", "user_id", "read_at"),
                      Index("ix_case_notifications_user_created", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found by case through the UNIQUE key (case_id first).
    case_id: Mapped[int] = mapped_column(ForeignKey("public_questions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # NOTICE_KINDS
    step: Mapped[str] = mapped_column(String(32))  # the deadline it is about, ISO date
    deadline: Mapped[date] = mapped_column(Date)  # the same day, for the pages and e-mails
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    case: Mapped[PublicQuestion] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CaseNotification {self.kind} case={self.case_id} user={self.user_id} {self.step}>"
