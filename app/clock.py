"""One clock: every stored time is aware UTC; every shown time is in HAMZABAN_TIMEZONE.

Columns use ``models.base.UTCDateTime``, which hands back aware UTC datetimes on SQLite too, so no
other code makes a naive value UTC by hand. Dates a user reads or types (Jalali days, "today",
date filters) are days in the configured zone (``BABEL_DEFAULT_TIMEZONE``, from
``HAMZABAN_TIMEZONE``); this module is the only place that turns one into the other.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app.config import DEFAULT_TIMEZONE


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware (also the callable column default)."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive value is taken as UTC (values computed outside the database)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def naive_utc(value: datetime | None) -> datetime | None:
    """UTC without a zone, for stores that keep none (Whoosh's DATETIME fields); naive = UTC already."""
    return None if value is None else as_utc(value).replace(tzinfo=None)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    """The zone dates are shown and read in (the app's config; the declared default outside one)."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return _zone(name)


def to_local(value: datetime) -> datetime:
    """A stored (UTC) datetime as local wall-clock time."""
    return as_utc(value).astimezone(local_zone())


def local_today(now: datetime | None = None) -> date:
    """Today's date where the users are."""
    return to_local(now or utcnow()).date()


def local_midnight(day: date) -> datetime:
    """The start of a local calendar day, as an aware UTC datetime (for date filters)."""
    return datetime.combine(day, time.min, local_zone()).astimezone(UTC)


def local_day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC [start, end) of the local days ``first`` … ``last`` (both included; None = open)."""
    start = local_midnight(first) if first else None
    end = local_midnight(last + timedelta(days=1)) if last else None
    return start, end


def from_local(value: datetime) -> datetime:
    """A local wall-clock time (naive, as typed) as an aware UTC datetime."""
    return value.replace(tzinfo=local_zone()).astimezone(UTC)
