"""One clock: stored times are aware UTC on every database, shown times follow HAMZABAN_TIMEZONE,
and no other module converts by hand or names the province's zone.

The storage tests run on SQLite, and on PostgreSQL too when HAMZABAN_TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from models import User

REPO = Path(__file__).resolve().parent.parent
NOWRUZ_EVE = datetime(2026, 3, 20, 20, 0, tzinfo=UTC)  # 23:30 on 29 Esfand 1404 in Tehran


def _reread(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def test_a_stored_time_reads_back_aware_utc(app, make_user):
    user = make_user(role="admin")
    user.last_login_at = NOWRUZ_EVE
    db.session.commit()

    again = _reread(user.id)
    assert again.last_login_at == NOWRUZ_EVE
    assert again.last_login_at.tzinfo is not None and again.last_login_at.utcoffset() == timedelta(0)
    assert again.created_at.utcoffset() == timedelta(0)  # the column default (clock.utcnow) too
    column = db.session.scalar(select(User.last_login_at).where(User.id == user.id))  # a Core read
    assert column.utcoffset() == timedelta(0) and column == NOWRUZ_EVE


def test_a_time_of_another_zone_is_stored_as_the_same_instant(app, make_user):
    user = make_user(role="admin")
    user.last_login_at = datetime(2026, 3, 21, 0, 30, tzinfo=ZoneInfo("Asia/Kabul"))  # = 20:00 UTC
    db.session.commit()

    assert _reread(user.id).last_login_at == NOWRUZ_EVE
    assert _reread(user.id).last_login_at.hour == 20
    # The database itself holds the UTC instant: it compares and orders by it.
    found = db.session.scalars(select(User.id).where(
        User.last_login_at > NOWRUZ_EVE - timedelta(minutes=1), User.last_login_at < NOWRUZ_EVE + timedelta(minutes=1)))
    assert list(found) == [user.id]
    if db.engine.dialect.name == "sqlite":
        raw = db.session.execute(text("SELECT last_login_at FROM users WHERE id = :id"), {"id": user.id}).scalar()
        assert str(raw).startswith("2026-03-20 20:00:00")
    else:
        raw = db.session.execute(text("SELECT last_login_at AT TIME ZONE 'UTC' FROM users WHERE id = :id"),
                                 {"id": user.id}).scalar()
        assert raw == datetime(2026, 3, 20, 20, 0)


def test_a_naive_time_is_taken_as_utc(app, make_user):
    user = make_user(role="admin")
    user.last_login_at = NOWRUZ_EVE.replace(tzinfo=None)
    db.session.commit()
    assert _reread(user.id).last_login_at == NOWRUZ_EVE


def test_a_time_in_the_future_compares_with_the_clock_after_reading_back(app, make_user):
    from app.clock import utcnow

    user = make_user(role="staff")
    user.last_login_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert _reread(user.id).last_login_at > utcnow()  # aware against aware: no TypeError
    _reread(user.id).last_login_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert _reread(user.id).last_login_at < utcnow()


def _app_in_zone(tmp_path, monkeypatch, zone: str | None):
    if zone is None:
        monkeypatch.delenv("HAMZABAN_TIMEZONE", raising=False)
    else:
        monkeypatch.setenv("HAMZABAN_TIMEZONE", zone)
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "DATA_DIR": str(tmp_path),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'zone.db'}"})


@pytest.mark.parametrize("zone, shown_day, shown_time", [
    (None, "۱۴۰۴/۱۲/۲۹", "۲۹ اسفند ۱۴۰۴، ۲۳:۳۰"),          # the default zone: Tehran, UTC+03:30
    ("UTC", "۱۴۰۴/۱۲/۲۹", "۲۹ اسفند ۱۴۰۴، ۲۰:۰۰"),
    ("Asia/Kabul", "۱۴۰۵/۰۱/۰۱", "۱ فروردین ۱۴۰۵، ۰۰:۳۰"),  # UTC+04:30: already the new year
], ids=["default", "utc", "kabul"])
def test_shown_times_follow_hamzaban_timezone(tmp_path, monkeypatch, zone, shown_day, shown_time):
    app = _app_in_zone(tmp_path, monkeypatch, zone)
    with app.app_context():
        rendered = app.jinja_env.from_string("{{ t | jdate }} {{ t | jdatetime }}").render(t=NOWRUZ_EVE)
        assert rendered == f"{shown_day} {shown_time}"


def test_typed_days_are_read_in_hamzaban_timezone(tmp_path, monkeypatch):
    """A date filter (and the search's day bounds) start at midnight of the configured zone."""
    from app.clock import local_day_bounds, local_today
    from search_index.whoosh_backend import naive_day_bounds

    nowruz = date(2026, 3, 21)
    with _app_in_zone(tmp_path, monkeypatch, "Asia/Kabul").app_context():
        assert local_day_bounds(nowruz, nowruz) == (datetime(2026, 3, 20, 19, 30, tzinfo=UTC),
                                                    datetime(2026, 3, 21, 19, 30, tzinfo=UTC))
        assert naive_day_bounds(nowruz, nowruz) == (datetime(2026, 3, 20, 19, 30),
                                                    datetime(2026, 3, 21, 19, 29, 59, 999999))
        assert local_today(NOWRUZ_EVE) == nowruz
    with _app_in_zone(tmp_path, monkeypatch, "UTC").app_context():
        assert naive_day_bounds(nowruz, None) == (datetime(2026, 3, 21), None)
        assert local_today(NOWRUZ_EVE) == date(2026, 3, 20)


# Modules being moved into services on another branch: each entry goes when that branch lands
# (the test fails while a listed file no longer needs it, so the list cannot go stale).
PENDING_ELSEWHERE: set[str] = set()


def _sources():
    for top in ("app", "views", "models", "search_index"):
        for path in sorted((REPO / top).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern, allowed_in, pending", [
    ("Tehran|TEHRAN", {"app/config.py"}, PENDING_ELSEWHERE),  # the zone is a config value
    (re.escape("replace(tzinfo="), {"app/clock.py"}, set()),  # the one naive <-> aware conversion
])
def test_one_place_names_the_zone_and_converts(pattern, allowed_in, pending):
    found = {name for name, source in _sources() if re.search(pattern, source)}
    assert found - allowed_in - pending == set(), f"{pattern} outside {sorted(allowed_in)}"
    assert pending <= found, f"{sorted(pending - found)} no longer match: remove them from PENDING_ELSEWHERE"
