"""A cookie of a session that has ended, sent again: refused (tests/test_findings_issue14.py) and
in the audit trail once per session, however often it is replayed and by however many processes;
the owner's own browser forgets an ended session's cookie, so its next pages write nothing."""
from __future__ import annotations

from sqlalchemy import delete, select

from app.extensions import db
from models import AuditEntry, ThrottleCounter, UserSession
from tests.conftest import csrf_token, login

ENDED = "این نشست پیش‌تر پایان یافته است"


def _replays() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "session.replayed")
                                   .order_by(AuditEntry.id)))


def _copy(app, cookie: str, agent: str = "werkzeug/3"):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    thief.environ_base["HTTP_USER_AGENT"] = agent
    return thief


def test_a_cookie_replayed_after_logout_is_audited_once_however_often_it_is_sent(app, client, make_user):
    user = make_user(role="staff")
    login(client, user)
    stolen = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/").status_code == 302 and _replays() == []  # the owner's browser sent nothing of it
    thief = _copy(app, stolen, agent="curl/8.5")
    statuses = [_copy(app, stolen, agent="curl/8.5").get("/").status_code for _ in range(25)]
    assert statuses == [302] * 25
    entries = _replays()
    assert len(entries) == 1, [entry.details for entry in entries]
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert entries[0].object_id == user.id and entries[0].actor_id is None
    assert entries[0].details == {"session": row.id, "ended": "logout", "address": "127.0.0.1",
                                  "same_address": True, "same_browser": False}
    response = thief.get("/login")  # what the replayer is told, in Persian
    assert ENDED in response.get_data(as_text=True)


def test_an_ended_sessions_own_browser_is_told_why_and_forgets_the_cookie(app, client, make_user):
    """An administrator ended the owner's session: the owner's next page says so in Persian (it was
    a bare login form), is audited as a use of an ended session (same browser), and no later page is."""
    from app.services.sessions import end_sessions

    user, admin = make_user(role="staff"), make_user(role="admin")
    login(client, user)
    end_sessions(user, actor=admin)
    response = client.get("/", follow_redirects=True)
    assert ENDED in response.get_data(as_text=True)
    for _ in range(5):
        client.get("/login")
    entries = _replays()
    assert len(entries) == 1 and entries[0].details["ended"] == "admin"
    assert entries[0].details["same_browser"] is True


def test_a_copy_of_a_cookie_that_timed_out_is_audited_the_owners_browser_is_not(app, client, make_user, clock):
    user = make_user(role="staff")
    login(client, user)
    kept = client.get_cookie("session").value
    clock.advance(minutes=31)
    assert client.get("/").status_code == 302  # this lookup ends it (idle): no replay
    for _ in range(3):
        client.get("/login")
    assert _replays() == []
    assert _copy(app, kept).get("/").status_code == 302
    assert [entry.details["ended"] for entry in _replays()] == ["idle"]


def test_a_copy_of_an_open_session_sent_by_another_browser_is_refused_and_audited_once(app, client, make_user):
    user = make_user(role="staff")
    login(client, user)
    copied = client.get_cookie("session").value
    assert [_copy(app, copied, agent="curl/8.5").get("/").status_code for _ in range(10)] == [302] * 10
    assert [(entry.action, entry.details["ended"], entry.details["same_browser"]) for entry in _replays()] == []
    foreign = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "session.foreign")).all()
    assert len(foreign) == 1 and foreign[0].object_id == user.id and foreign[0].details["same_browser"] is False
    assert client.get("/").status_code == 200  # the owner's session goes on


def test_a_phone_changing_networks_is_told_so_and_audited_apart_from_another_browser(app, client, make_user):
    """Wi-Fi to mobile data: the session's own browser from another address is refused (the
    session binding), as before, but it reads as what it most often is: the owner is told why in
    Persian, and the entry says «same browser, new address» (``seen``) with a wording of its own on
    the audit page. It is counted apart, so a copy of the cookie sent later by another browser is
    still in the trail (one note per session and kind swallowed it)."""
    app.config["MFA_REQUIRED_ROLES"] = ()
    user = make_user(role="staff")
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    login(client, user)
    copied = client.get_cookie("session").value
    client.environ_base["REMOTE_ADDR"] = "100.64.7.8"  # the carrier's address now
    response = client.get("/", follow_redirects=True)
    assert "وای‌فای به دادهٔ همراه" in response.get_data(as_text=True)
    assert _copy(app, copied, agent="curl/8.5").get("/").status_code == 302
    db.session.expire_all()
    foreign = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "session.foreign")
                                 .order_by(AuditEntry.id)).all()
    assert [(entry.details["seen"], entry.details["same_browser"], entry.details["same_address"])
            for entry in foreign] == [("new_address", True, False), ("other_browser", False, False)]
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "همان مرورگرِ نشست از نشانی شبکهٔ دیگر" in page
    assert "به کار رفتن کوکی نشستی باز از مرورگری دیگر" in page


def test_a_cookie_replayed_for_days_is_audited_once_in_all(app, client, make_user, clock):
    """The note of a replayed cookie was forgotten with the throttle's counts after a day: a thief
    replaying it daily wrote the same entry every day for the 30 days its session's row is kept.
    Now once per session; the note goes when the row does."""
    from app.services.login import housekeeping_job

    user = make_user(role="staff")
    login(client, user)
    stolen = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for _day in range(3):
        assert _copy(app, stolen, agent="curl/8.5").get("/").status_code == 302
        clock.advance(days=1, hours=1)
        housekeeping_job(app)
    assert len(_replays()) == 1
    clock.advance(days=30)
    assert housekeeping_job(app).startswith("1 old sessions deleted")
    keys = list(db.session.scalars(select(ThrottleCounter.key).where(ThrottleCounter.key.like("session:%"))))
    assert keys == []


def test_a_replay_from_the_sessions_own_ipv6_64_reads_as_the_same_address(app, make_user):
    """``same_address`` compares networks as the session binding does (IPv6 by its /64): the owner's
    phone, whose privacy address changed inside its /64 since the logout, replaying the ended cookie
    is no stranger's address; another /64 is (session 44: it compared the whole addresses)."""
    user = make_user(role="staff")
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "2001:db8:1:2::1"
    login(phone, user)
    kept = phone.get_cookie("session").value
    phone.post("/logout", data={"csrf_token": csrf_token(phone, "/")})
    for address in ("2001:db8:1:2:aaaa::7", "2001:db8:1:3::1"):
        replay = _copy(app, kept)
        replay.environ_base["REMOTE_ADDR"] = address
        replay.get("/")
        db.session.execute(delete(ThrottleCounter))  # the next replay audited too
        db.session.commit()
    assert [(entry.details["address"], entry.details["same_address"]) for entry in _replays()] == [
        ("2001:db8:1:2:aaaa::7", True), ("2001:db8:1:3::1", False)]
