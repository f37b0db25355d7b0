"""Two administrators who take each other's role (or account) at the same moment: each read the
other as an administrator and passed the checks. The second save to reach the database is
refused in Persian and changes nothing, so the installation keeps an administrator (SQLite and
PostgreSQL alike). Before the guard, both saves went through and nobody could manage users."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import NotAllowed
from app.services.accounts import UserInput, update_user
from models import User
from tests.services.concurrency import elsewhere


def _active_admins() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(User.id)).where(User.role == "admin", User.is_active_account))


def _demote_elsewhere(app, target_id: int, actor_id: int, *, role: str = "supervisor", active: bool = True) -> list:
    def action():
        target, actor = db.session.get(User, target_id), db.session.get(User, actor_id)
        update_user(target, UserInput(username=target.username, role=role, display_name=target.display_name),
                    is_active=active, actor=actor)
    return elsewhere(app, action)


@pytest.mark.parametrize("role, active", [("supervisor", True), ("admin", False)],
                         ids=["demoted", "deactivated"])
def test_two_admins_removing_each_other_at_once_leave_one_admin(app, make_user, role, active):
    first, second = make_user(role="admin"), make_user(role="admin")
    assert (first.role, second.role) == ("admin", "admin")  # what the first admin's request read
    assert _demote_elsewhere(app, first.id, second.id, role=role, active=active) == []  # the second admin's save
    with pytest.raises(NotAllowed, match="دیگر مدیر سامانه نیستید"):
        update_user(second, UserInput(username=second.username, role=role, display_name=second.display_name),
                    is_active=active, actor=first)
    assert _active_admins() == 1
    kept = db.session.get(User, second.id)
    assert (kept.role, kept.is_active_account) == ("admin", True)


def test_an_admin_still_in_office_edits_as_before(app, make_user):
    """A colleague's unrelated save in between does not stop an administrator."""
    first, second = make_user(role="admin"), make_user(role="admin")
    reader = make_user(role="supervisor")
    assert _demote_elsewhere(app, reader.id, second.id, active=False) == []
    update_user(reader, UserInput(username=reader.username, role="supervisor", display_name="نام تازه"),
                is_active=True, actor=first)
    db.session.expire_all()
    assert (db.session.get(User, reader.id).role, db.session.get(User, reader.id).display_name) == (
        "supervisor", "نام تازه")
    assert _active_admins() == 2



def _race(app, first_id: int, second_id: int) -> list[str]:
    """Each admin demotes the other, both saves started together from two threads; what each got."""
    start, outcomes = threading.Barrier(2), []

    def save(target_id, actor_id):
        with app.app_context():
            try:
                target, actor = db.session.get(User, target_id), db.session.get(User, actor_id)
                start.wait(timeout=30)
                update_user(target, UserInput(username=target.username, role="supervisor",
                                              display_name=target.display_name), is_active=True, actor=actor)
                outcomes.append("saved")
            except NotAllowed:
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 - a deadlock or lock error would land here
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=pair) for pair in ((first_id, second_id), (second_id, first_id))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_admins_racing_to_remove_each_other_never_leave_none(app, make_user):
    """The same two saves started together, round after round, in whatever order the database
    serves them: one goes through, the other is refused (never a deadlock or another error), and
    one administrator is left."""
    for _ in range(8):
        first, second = make_user(role="admin"), make_user(role="admin")
        for user in db.session.scalars(select(User).where(User.role == "admin", User.id.not_in({first.id, second.id}))):
            user.role = "supervisor"
        db.session.commit()
        assert sorted(_race(app, first.id, second.id)) == ["refused", "saved"]
        assert _active_admins() == 1
