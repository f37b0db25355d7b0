"""Shared model pieces: the UTC column type and the marker of agency-owned rows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from app.clock import as_utc, utcnow  # noqa: F401 - utcnow: the column default, re-exported


class UTCDateTime(TypeDecorator):
    """A point in time: stored as UTC (``timestamptz`` on PostgreSQL), read back aware UTC.

    SQLite keeps no zone, so values come back naive; this type makes them aware here, once.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return as_utc(value)


class AgencyOwned:
    """Mixin for rows that belong to one agency.

    Every SELECT of such a model is filtered to the current agency scope by
    `app.scoping` (one place), so no view has to remember it.
    """

    @declared_attr
    def agency_id(cls) -> Mapped[int | None]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("agencies.id"), index=True, nullable=cls.agency_nullable)

    agency_nullable = False
