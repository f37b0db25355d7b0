"""Counters of attempts shared by every process (app/throttle.py reads and writes them)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime


class ThrottleCounter(db.Model):
    """Attempts under one key (``login:user:<keyed tag of the name>``, ``login:addr:10.0.0.7``, ``rate:search:12``)."""

    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the first attempt counted (a rate window's start)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
