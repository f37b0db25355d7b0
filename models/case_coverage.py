"""Closing the loop on a case: monitored items that carried its published answer.

After an answer is published, the case page suggests items that may carry it (the case's
agency's routes, the question's words, published since the answer); staff confirm or dismiss
each one. A decision is one row per (case, item): ``state`` confirmed | dismissed, with who
decided and when (``confirmed_by`` / ``confirmed_at`` name the decision, either way). A
suggestion nobody has decided is not stored: the page asks the search each time.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import UTCDateTime, utcnow
from models.case import PublicQuestion
from models.item import Item
from models.user import User

COVERAGE_STATES = ("confirmed", "dismissed")


class CaseCoverage(db.Model):
    """An item confirmed (or dismissed) as one that reported a case's published answer."""

    __tablename__ = "case_coverage"
    __table_args__ = (UniqueConstraint("case_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("public_questions.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="confirmed")  # COVERAGE_STATES
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[PublicQuestion] = relationship()
    item: Mapped[Item] = relationship()
    confirmed_by: Mapped[User | None] = relationship()
