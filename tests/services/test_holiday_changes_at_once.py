"""A holiday changed by two at once (two administrators' clicks on «a day later», a page left open while another
moved or removed the holiday): the change that comes second was made on what it read, not on the row as it is
now. A review of session 46 (the helper noticed ``update_holiday`` might share ``remove_holiday``'s race)."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services import ServiceError
from app.services.holidays import add_holiday, remove_holiday, update_holiday
from models import AuditEntry, Holiday


def _read_then_changed_by_another(app, admin, **change):
    """A holiday this session read (its transaction ended), then changed by another connection and committed."""
    holiday = add_holiday(J("1405/04/25"), "عاشورا", actor=admin)
    holiday_id = holiday.id
    db.session.commit()
    assert holiday.day == J("1405/04/25")  # loaded, as a page that showed it
    with db.engine.connect() as other:
        statement = delete(Holiday) if not change else update(Holiday).values(**change)
        other.execute(statement.where(Holiday.id == holiday_id))
        other.commit()
    return holiday


def _audited(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_a_holiday_moved_by_another_meanwhile_is_not_moved_again_from_where_it_was(app, make_user):
    """Moved to 26 Tir by another, then «a day earlier» from the 25th it was read on: it went to the 24th,
    audited as moved from the 25th (where it no longer was), and the deadlines counting the 26th as a holiday
    were never recounted (no signal for the day it left)."""
    admin = make_user(role="admin")
    holiday = _read_then_changed_by_another(app, admin, day=J("1405/04/26"))
    with pytest.raises(ServiceError, match="تغییر داده یا برداشته"):
        update_holiday(holiday, J("1405/04/24"), "عاشورا", actor=admin)
    db.session.expire_all()
    assert db.session.scalar(select(Holiday.day).where(Holiday.name == "عاشورا")) == J("1405/04/26")
    assert _audited("holiday.changed") == 0


def test_a_holiday_removed_by_another_meanwhile_is_not_moved(app, make_user):
    """Removed by another, then moved from the page still open: SQLAlchemy's StaleDataError (a server error)."""
    admin = make_user(role="admin")
    holiday = _read_then_changed_by_another(app, admin)
    with pytest.raises(ServiceError, match="تغییر داده یا برداشته"):
        update_holiday(holiday, J("1405/04/24"), "عاشورا", actor=admin)
    assert db.session.scalar(select(func.count(Holiday.id)).where(Holiday.name == "عاشورا")) == 0
    assert _audited("holiday.changed") == 0


def test_a_holiday_moved_by_another_meanwhile_is_not_removed_from_the_day_it_left(app, make_user):
    """Moved to the 26th by another, then removed as read on the 25th: the removal was audited on the 25th and
    signalled for the 25th, while the 26th, the holiday's day, stayed counted in the open deadlines."""
    admin = make_user(role="admin")
    holiday = _read_then_changed_by_another(app, admin, day=J("1405/04/26"))
    assert remove_holiday(holiday, actor=admin) is False
    db.session.expire_all()
    assert db.session.scalar(select(Holiday.day).where(Holiday.name == "عاشورا")) == J("1405/04/26")
    assert _audited("holiday.removed") == 0


def test_a_holiday_another_moved_the_same_way_meanwhile_is_left_as_it_is(app, make_user):
    """Two clicks on «a day later» at once, or the same move made on two pages: the second finds the holiday where
    it asks it to be. Nothing to refuse (the holiday is where both wanted it), nothing audited twice."""
    admin = make_user(role="admin")
    holiday = _read_then_changed_by_another(app, admin, day=J("1405/04/26"), status="confirmed")
    assert update_holiday(holiday, J("1405/04/26"), "عاشورا", actor=admin).day == J("1405/04/26")
    assert _audited("holiday.changed") == 0
