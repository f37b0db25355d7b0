"""Portal freshness (clause 10) for a portal without a feed: the state of its page check and
every change seen on the page.

An agency with a portal feed (``Feed.agency_id``) is measured by that feed's items; an agency
with only ``Agency.portal_url`` is measured by its page: ``PortalCheck`` keeps the conditional-GET
validators and the hash of the page's main text (one row per agency), and each time that hash
changes a ``PortalChange`` row records the day (app/services/portal_checks.py). Both are
agency-owned, so app/scoping.py isolates them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow


class PortalCheck(AgencyOwned, db.Model):
    """The last check of an agency's portal page (one row per agency)."""

    __tablename__ = "portal_checks"
    __table_args__ = (UniqueConstraint("agency_id", name="uq_portal_checks_agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))  # the page checked (Agency.portal_url then)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the normalized main text
    first_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the first read (the baseline)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_outcome: Mapped[str | None] = mapped_column(String(20))  # app/services/portal_checks.OUTCOMES
    last_error_code: Mapped[str | None] = mapped_column(String(50))
    last_error_detail: Mapped[dict | None] = mapped_column(JSON)  # {"key", "values"} (app/monitor/messages.py)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)

    agency: Mapped[Agency] = relationship()


class PortalChange(AgencyOwned, db.Model):
    """A change seen on an agency's portal page: one dated update of clause 10."""

    __tablename__ = "portal_changes"
    __table_args__ = (Index("ix_portal_changes_agency_changed", "agency_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # when the check saw it
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    text_length: Mapped[int] = mapped_column(Integer, default=0)
    excerpt: Mapped[str] = mapped_column(Text, default="")  # the start of the main text, for the page

    agency: Mapped[Agency] = relationship()
