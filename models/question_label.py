"""Staff corrections of the public-question detector, kept as labels for later learning."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import AgencyOwned, UTCDateTime, utcnow


class QuestionLabel(AgencyOwned, db.Model):
    """A user marked (``is_flagged``) or unmarked an item's route as a public question; the
    route's ``is_question`` follows the latest label. ``was_flagged`` is what the route said
    before (the detector's call, or an earlier correction). The agency is the route's (None: an
    unassigned question, labelled by the governorate)."""

    __tablename__ = "question_labels"
    agency_nullable = True

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("item_routes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    was_flagged: Mapped[bool] = mapped_column(Boolean)
    is_flagged: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
