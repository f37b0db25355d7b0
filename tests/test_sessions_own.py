"""One's own sessions (session 46): ending another browser's from the account page, ending all the others,
and the number of sessions one account may hold open at once (``HAMZABAN_SESSIONS_PER_USER``)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from models import AuditEntry, UserSession
from tests.conftest import csrf_token, login


def _rows(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)))


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _browser(app, name: str):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = name
    return client


def _end(client, **form):
    return client.post("/account/sessions/end", data={"csrf_token": csrf_token(client, "/account/sessions"), **form})


def test_a_user_ends_another_browsers_session_from_their_own_page(app, make_user):
    """A session they do not know (a shared computer left logged in): ended from their page, this one kept.
    Before, only «خروج از همه جا» was offered, which ended this browser's too."""
    user = make_user(role="staff")
    office, shared = _browser(app, "Office browser"), _browser(app, "Library computer")
    login(office, user)
    login(shared, user)
    page = office.get("/account/sessions").get_data(as_text=True)
    assert page.count('name="session"') == 1  # the other's only: this browser ends with «خروج»
    other = next(row for row in _rows(user) if row.user_agent == "Library computer")
    response = _end(office, session=str(other.id))
    assert response.status_code == 302 and _logged_in(office) and not _logged_in(shared)
    assert [row.end_reason for row in _rows(user)] == ["", "owner"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "session.ended_by_owner")).one()
    assert entry.details["session"] == other.id and entry.details["sessions"] == 1


def test_ending_this_browsers_own_another_users_or_a_broken_id_ends_nothing(app, make_user):
    user, someone = make_user(role="staff"), make_user(role="staff")
    office, theirs = _browser(app, "Office browser"), _browser(app, "Their browser")
    login(office, user)
    login(theirs, someone)
    mine = _rows(user)[0]
    for chosen in (str(mine.id), str(_rows(someone)[0].id), "1 OR 1=1", "۹۹۹۹"):
        response = _end(office, session=chosen)
        assert response.status_code == 302
        assert "این نشست باز نیست" in office.get("/account/sessions").get_data(as_text=True)
    assert _logged_in(office) and _logged_in(theirs)
    assert [row.end_reason for row in _rows(user) + _rows(someone)] == ["", ""]


def test_ending_all_the_others_keeps_this_browser(app, make_user):
    user = make_user(role="manager")
    browsers = [_browser(app, f"Browser {n}") for n in range(3)]
    for browser in browsers:
        login(browser, user)
    response = _end(browsers[0])
    assert response.status_code == 302
    assert "۲ نشست دیگر پایان یافت" in browsers[0].get("/account/sessions").get_data(as_text=True)
    assert [_logged_in(browser) for browser in browsers] == [True, False, False]


def test_a_login_past_the_limit_ends_the_session_used_least_recently(app, make_user, clock):
    """Sessions were unlimited: a stolen password opened any number, each kept 12 hours. Past the limit
    the session used least recently ends; no login is refused (a thief filling the count cannot keep the
    owner out: the owner's login ends the thief's oldest)."""
    app.config["SESSIONS_PER_USER"] = 3
    user = make_user(role="staff")
    browsers = [_browser(app, f"Browser {n}") for n in range(4)]
    for browser in browsers[:3]:
        login(browser, user)
        clock.advance(minutes=2)
    assert _logged_in(browsers[0])  # used again: now the second is the one used least recently
    clock.advance(minutes=2)
    login(browsers[3], user)
    assert [_logged_in(browser) for browser in browsers] == [True, False, True, True]
    assert [row.end_reason for row in _rows(user)] == ["", "limit", "", ""]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.succeeded")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.details["sessions_ended"] == 1
    assert "نشست‌های باز بیش از اندازه" in browsers[0].get("/account/sessions").get_data(as_text=True)


def test_sessions_timed_out_are_not_counted_against_the_limit(app, make_user, clock):
    app.config["SESSIONS_PER_USER"] = 2
    user = make_user(role="staff")
    old, kept, new = (_browser(app, name) for name in ("Old", "Kept", "New"))
    login(old, user)
    clock.advance(minutes=31)  # the old one idle past HAMZABAN_SESSION_IDLE_MINUTES, not yet looked up
    login(kept, user)
    login(new, user)
    assert _logged_in(kept) and _logged_in(new)
    assert [row.end_reason for row in _rows(user)] == ["", "", ""]


def test_ending_the_others_when_there_are_none_writes_no_audit_entry(app, make_user, client):
    """«خروج از دیگر مرورگرها» with no other browser wrote «session.ended_by_owner, sessions=0» and said
    «۰ نشست دیگر پایان یافت»; an administrator's «end all» of a user with none open the same (session 46's
    note). Now nothing is written and the page says there was none."""
    user, admin = make_user(role="staff"), make_user(role="admin")
    office = _browser(app, "Office browser")
    login(office, user)
    response = _end(office)
    assert response.status_code == 302
    assert "نشست باز دیگری جز همین مرورگر نبود" in office.get("/account/sessions").get_data(as_text=True)
    login(client, admin)
    idle = make_user(role="staff")
    token = csrf_token(client, f"/admin/users/{idle.id}/sessions")
    said = client.post(f"/admin/users/{idle.id}/sessions/end", data={"csrf_token": token}, follow_redirects=True)
    assert "این کاربر نشست بازی نداشت" in said.get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert not actions & {"session.ended_by_owner", "session.ended_by_admin"}, actions
    assert _logged_in(office)
    ended = client.post(f"/admin/users/{user.id}/sessions/end", data={"csrf_token": token}, follow_redirects=True)
    assert "۱ نشست «" in ended.get_data(as_text=True) and not _logged_in(office)  # Persian digits (it was «1»)


def test_a_logout_sent_twice_at_once_writes_one_entry(app, make_user):
    """«خروج» double-clicked: both requests were read as logged in, the second ended nothing and wrote
    «user.logged_out, sessions=0» beside the first's (seen against gunicorn, 1 double click in 5). The
    second one's part, as the service runs it after the first committed: nothing to audit; «خروج از همه جا» alike."""
    from app.services.sessions import log_out, log_out_everywhere
    from app.web.client import SESSION_ID_KEY

    user = make_user(role="staff")
    office = _browser(app, "Office browser")
    login(office, user)
    with office.session_transaction() as cookie:
        session_id = cookie[SESSION_ID_KEY]
    log_out(user, session_id)
    log_out(user, session_id)
    details = [entry.details for entry in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.logged_out"))]
    assert [detail["sessions"] for detail in details] == [1], details
    assert not _logged_in(office)
    # «خروج از همه جا» the same way
    login(office, user)
    assert (log_out_everywhere(user), log_out_everywhere(user)) == (1, 0)
    details = [entry.details for entry in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "session.ended_everywhere"))]
    assert [detail["sessions"] for detail in details] == [1], details
