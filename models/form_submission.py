"""The forms that create a record, once each: the token each such form carries, kept when its
record was made (app/services/submissions.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime, utcnow


class FormSubmission(db.Model):
    """A form sent and acted on: its random token, who sent it and when (pruned after a day)."""

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
