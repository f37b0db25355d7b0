"""The holiday edit page posted while another removes the holiday at the same instant (session 46's review:
the refusal rendered the deleted row, a server error; a window of milliseconds, not reproduced then). Here
the other's removal is a real one, by another database connection, committed between the page's read of
the holiday and its update — the instant the two clicks meet."""
from __future__ import annotations

from sqlalchemy import delete, event, func, select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from app.services.holidays import add_holiday
from models import AuditEntry, Holiday
from tests.conftest import csrf_token


def test_a_holiday_removed_as_the_edit_is_posted_is_said_not_a_server_error(client, make_user, login_as):
    admin = make_user(role="admin")
    login_as(admin)
    holiday = add_holiday(J("1405/04/25"), "عاشورا", actor=admin)
    db.session.commit()
    holiday_id = holiday.id
    url = f"/admin/calendar/holidays/{holiday_id}/edit"
    token = csrf_token(client, url)
    removed = []

    def remove_first(conn, cursor, statement, parameters, context, executemany):
        if not removed and statement.lstrip().upper().startswith("UPDATE HOLIDAYS"):
            removed.append(True)
            with db.engine.connect() as other:  # another administrator's «remove», committed first
                other.execute(delete(Holiday).where(Holiday.id == holiday_id))
                other.commit()

    event.listen(db.engine, "before_cursor_execute", remove_first)
    try:
        response = client.post(url, data={"day": "1405/04/26", "name": "عاشورا", "csrf_token": token})
    finally:
        event.remove(db.engine, "before_cursor_execute", remove_first)
    assert removed
    assert response.status_code in (302, 303), response.status_code
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "را هم‌اکنون کس دیگری تغییر داده یا برداشته است؛ چیزی تغییر نکرد" in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Holiday.id)).where(Holiday.name == "عاشورا")) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "holiday.changed")) == 0
