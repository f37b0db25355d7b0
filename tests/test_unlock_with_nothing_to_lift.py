"""The users page's «برداشتن محدودیت ورود» on an account that had no wait and no closed code step (session 47's
leftover): it said «محدودیت ورود … برداشته شد» though nothing was lifted and nothing audited, where `user unlock`
says «"unlocked": false … چیزی تغییر نکرد» (session 47's re-run rule). Now the page says so too."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from models import AuditEntry
from tests.conftest import csrf_token, login
from tests.test_login_throttle import _post_login


def _unlockings(user) -> int:
    return len(db.session.scalars(select(AuditEntry.id).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == user.id,
        AuditEntry.action == "account.unlocked")).all())


def test_an_unlock_that_lifts_nothing_says_so(app, client, make_user, clock):
    admin, user = make_user(role="admin"), make_user(role="staff")
    login(client, admin)
    response = client.post(f"/admin/users/{user.id}/unlock",
                           data={"csrf_token": csrf_token(client, "/admin/users")}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "برداشته شد" not in html, html
    assert f"«{user.username}» محدودیت ورودی نداشت" in html and "چیزی تغییر نکرد" in html, html
    assert _unlockings(user) == 0


def test_an_unlock_that_lifts_a_wait_still_says_lifted(app, client, make_user, clock):
    admin, user = make_user(role="admin"), make_user(role="staff")
    other = app.test_client()
    for _ in range(6):
        _post_login(other, user.username, "not it")
    login(client, admin)
    response = client.post(f"/admin/users/{user.id}/unlock",
                           data={"csrf_token": csrf_token(client, "/admin/users")}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert f"محدودیت ورود «{user.username}» برداشته شد" in html, html
    assert _unlockings(user) == 1
    again = client.post(f"/admin/users/{user.id}/unlock",
                        data={"csrf_token": csrf_token(client, "/admin/users")}, follow_redirects=True)
    assert "چیزی تغییر نکرد" in again.get_data(as_text=True)
    assert _unlockings(user) == 1
