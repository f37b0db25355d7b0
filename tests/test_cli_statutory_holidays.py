"""Statutory (fixed solar) holidays are not removed by a slip (session 43's decision).

`calendar holidays remove 1406/01/01` took Nowruz out of the calendar at once, and with it moved
every open case's deadline: a typo of a day, or a script's loop over a year, did it unsaid. The
service now refuses a fixed solar holiday unless the caller says it means it (``statutory=True``:
`--statutory` from the shell); the removal is audited with ``was_fixed_solar``.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services import ServiceError
from app.services.holidays import remove_holiday
from models import AuditEntry, Holiday


def _nowruz():
    db.session.expire_all()
    return db.session.scalar(select(Holiday).where(Holiday.day == J("1406/01/01")))


def test_nowruz_is_not_removed_without_statutory(app):
    runner = app.test_cli_runner()
    assert _nowruz() is not None and _nowruz().kind == "fixed_solar"
    result = runner.invoke(args=["calendar", "holidays", "remove", "1406/01/01", "--json"])
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert "نوروز" in error and "--statutory" in error and "ثابت" in error
    text = runner.invoke(args=["calendar", "holidays", "remove", "۱۴۰۶/۰۱/۰۱"])
    assert text.exit_code == 2 and "خطا: " in text.stderr and "--statutory" in text.stderr
    assert _nowruz() is not None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.removed")) is None


def test_statutory_removes_it_audited(app):
    result = app.test_cli_runner().invoke(args=["calendar", "holidays", "remove", "1406/01/01", "--statutory",
                                                "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"date": "1406/01/01", "name": "نوروز", "removed": True}
    assert _nowruz() is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.removed"))
    assert entry.details["was_fixed_solar"] is True and entry.actor_label == "cli"


def test_the_service_refuses_it_too(app, make_user):
    with pytest.raises(ServiceError, match="ثابت خورشیدی"):
        remove_holiday(_nowruz(), actor=make_user(role="admin"))
    assert _nowruz() is not None
