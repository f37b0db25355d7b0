"""Monitored feeds: an outlet's news feed or an agency's own portal feed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import UTCDateTime, utcnow
from models.outlet import Outlet


class Feed(db.Model):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    # Set when this is the agency's own portal feed (clause 10: keep the portal updated).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    poll_interval_minutes: Mapped[int] = mapped_column(Integer, default=30)
    next_check_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Lease: the worker that claimed the feed and until when (a crashed worker's lease expires).
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first failure of the streak
    last_error_code: Mapped[str | None] = mapped_column(String(50))
    last_error: Mapped[str | None] = mapped_column(Text)  # Persian message shown on the feed page
    last_warning: Mapped[str | None] = mapped_column(Text)  # Persian; the feed was read despite a flaw
    # The same two messages as {"key", "values"}, shown in the reader's language (app/monitor/messages.py).
    last_error_detail: Mapped[dict | None] = mapped_column(JSON)
    last_warning_detail: Mapped[dict | None] = mapped_column(JSON)
    encoding_override: Mapped[str | None] = mapped_column(String(40))
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    outlet: Mapped[Outlet | None] = relationship()
    agency: Mapped[Agency | None] = relationship()

    def __repr__(self) -> str:
        return f"<Feed {self.id} {self.url}>"
