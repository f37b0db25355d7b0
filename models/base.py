"""Shared model pieces: the UTC clock and the marker of agency-owned rows."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware (used as a callable column default)."""
    return datetime.now(timezone.utc)


class AgencyOwned:
    """Mixin for rows that belong to one agency.

    Every SELECT of such a model is filtered to the current agency scope by
    `app.scoping` (one place), so no view has to remember it.
    """

    @declared_attr
    def agency_id(cls) -> Mapped[int | None]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("agencies.id"), index=True, nullable=cls.agency_nullable)

    agency_nullable = False
