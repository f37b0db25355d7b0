"""Server-side sessions: timeouts on a clock the test moves, logging out everywhere, the admin's
page of a user's sessions, a new session id at every login."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.services.login import housekeeping_job
from models import AuditEntry, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token, login


def _rows(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)))


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _actions(user):
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == user.id).order_by(AuditEntry.id)))


def test_a_session_ends_after_thirty_idle_minutes(app, client, make_user, clock):
    user = make_user(role="staff")
    login(client, user)
    clock.advance(minutes=29)
    assert _logged_in(client)  # used within the half hour: still on, and seen now
    clock.advance(minutes=29)
    assert _logged_in(client)
    clock.advance(minutes=31)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "بی‌کاری پایان یافت" in client.get("/login").get_data(as_text=True)
    assert [(row.end_reason, row.ended_at == clock.now) for row in _rows(user)] == [("idle", True)]


def test_a_short_idle_period_does_not_end_a_session_in_use(app, client, make_user, clock):
    """The review of the login (session 26): the last use was written at most once a minute, and
    with a one-minute idle period a session used every 40 seconds was ended as idle at 80 s."""
    app.config["SESSION_IDLE_MINUTES"] = 1
    user = make_user(role="staff")
    login(client, user)
    for _ in range(5):
        clock.advance(seconds=40)
        assert _logged_in(client)
    clock.advance(seconds=61)
    assert not _logged_in(client)


def test_a_session_ends_twelve_hours_after_login_however_busy(app, client, make_user, clock):
    user = make_user(role="staff")
    login(client, user)
    for _ in range(35):  # a request every 20 minutes for 11 h 40 min
        clock.advance(minutes=20)
        assert _logged_in(client)
    clock.advance(minutes=21)
    assert not _logged_in(client)
    assert "بیشینهٔ زمان" in client.get("/login").get_data(as_text=True)
    assert _rows(user)[0].end_reason == "expired"


def test_timeouts_are_settings(app, client, make_user, clock):
    app.config.update(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    user = make_user(role="staff")
    login(client, user)
    clock.advance(minutes=6)
    assert not _logged_in(client)
    login(client, user)
    for _ in range(15):
        clock.advance(minutes=4)
        assert _logged_in(client)
    clock.advance(minutes=4)
    assert not _logged_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app, client, make_user, clock):
    user = make_user(role="staff")
    login(client, user)
    first = _rows(user)[0].last_seen_at
    clock.advance(seconds=30)
    client.get("/")
    assert _rows(user)[0].last_seen_at == first
    clock.advance(seconds=31)
    client.get("/")
    assert _rows(user)[0].last_seen_at == clock.now


def test_a_new_session_id_at_every_login_and_the_old_one_is_dead(app, client, make_user):
    user = make_user(role="staff")
    login(client, user)
    with client.session_transaction() as sess:
        first = sess["_sid"]
    old_cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, user)
    with client.session_transaction() as sess:
        assert sess["_sid"] != first
    assert [row.end_reason for row in _rows(user)] == ["logout", ""]
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert not _logged_in(replay)


def test_log_out_everywhere_ends_every_browser(app, make_user):
    user = make_user(role="manager")
    office, home = app.test_client(), app.test_client()
    home.environ_base["HTTP_USER_AGENT"] = "Firefox at home"
    login(office, user)
    login(home, user)
    page = office.get("/account/sessions").get_data(as_text=True)
    assert "Firefox at home" in page and "همین مرورگر" in page
    response = office.post("/logout/everywhere", data={"csrf_token": csrf_token(office, "/account/sessions")})
    assert response.status_code == 302
    assert not _logged_in(office) and not _logged_in(home)
    assert {row.end_reason for row in _rows(user)} == {"everywhere"}
    # the home browser's next page used its ended session: in the trail once (tests/test_session_replay.py)
    assert _actions(user)[-2:] == ["session.ended_everywhere", "session.replayed"]


def test_the_admin_lists_a_users_sessions_and_ends_one_or_all(app, client, make_user):
    admin = make_user(role="admin")
    user = make_user(role="staff")
    phone, desk = app.test_client(), app.test_client()
    phone.environ_base.update(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Phone browser 1.0")
    desk.environ_base.update(REMOTE_ADDR="10.1.2.4", HTTP_USER_AGENT="Desk browser 2.0")
    login(phone, user)
    login(desk, user)
    login(client, admin)
    page = client.get(f"/admin/users/{user.id}/sessions").get_data(as_text=True)
    for text in ("10.1.2.3", "10.1.2.4", "Phone browser 1.0", "Desk browser 2.0", "باز"):
        assert text in page
    phone_row = next(row for row in _rows(user) if row.address == "10.1.2.3")
    token = csrf_token(client, f"/admin/users/{user.id}/sessions")
    response = client.post(f"/admin/users/{user.id}/sessions/end", data={"csrf_token": token, "session": phone_row.id})
    assert response.status_code == 302
    assert not _logged_in(phone) and _logged_in(desk)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "session.ended_by_admin")).one()
    assert entry.actor_id == admin.id and entry.object_id == user.id and entry.details["session"] == phone_row.id
    # Ending it again: said, not an error page.
    again = client.post(f"/admin/users/{user.id}/sessions/end", data={"csrf_token": token, "session": phone_row.id},
                        follow_redirects=True)
    assert "باز نیست" in again.get_data(as_text=True)
    # A session id that is no id ends nothing (a review of the login, round 5: it ended them all).
    for broken in ("abc", "12x", " "):
        said = client.post(f"/admin/users/{user.id}/sessions/end", data={"csrf_token": token, "session": broken},
                           follow_redirects=True)
        assert "باز نیست" in said.get_data(as_text=True) and _logged_in(desk)
    client.post(f"/admin/users/{user.id}/sessions/end", data={"csrf_token": token})
    assert not _logged_in(desk)
    assert {row.end_reason for row in _rows(user)} == {"admin"}
    assert _actions(user).count("session.ended_by_admin") == 2


def test_another_sessions_page_is_for_admins_only(app, client, make_user):
    user = make_user(role="supervisor")
    other = make_user(role="staff")
    login(client, user)
    assert client.get(f"/admin/users/{other.id}/sessions").status_code == 403


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user(role="staff")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    response = here.post("/account/password", data={"current": TEST_PASSWORD, "new": "a brand new long phrase", "confirm": "a brand new long phrase",
                                                     "csrf_token": csrf_token(here, "/account/password")})
    assert response.status_code == 302
    assert _logged_in(here) and not _logged_in(elsewhere)
    assert sorted(row.end_reason for row in _rows(user)) == ["", "password"]


def test_deactivating_a_user_ends_their_sessions(app, client, make_user):
    admin = make_user(role="admin")
    user = make_user(role="staff")
    theirs = app.test_client()
    login(theirs, user)
    login(client, admin)
    client.post(f"/admin/users/{user.id}", data={
        "csrf_token": csrf_token(client, f"/admin/users/{user.id}"), "username": user.username,
        "role": "staff", "agency": user.agency.slug, "display_name": "x"})  # is_active unticked
    assert not _logged_in(theirs)
    assert _rows(user)[0].end_reason == "account"


def test_switching_an_agency_off_ends_its_users_sessions_and_logins_not_the_supervisors(app, make_user):
    """A review of the login, round 7: a deactivated agency's staff kept their open sessions, logged
    in anew and read its inbox, cases and contacts. Its own users (who read only its rows) are out
    while it is off, as an inactive account is (the same refusal as a wrong password); a supervisor
    whose agency it is reads every agency's and stays."""
    staff = make_user(role="staff")
    supervisor = make_user(role="supervisor", agency=staff.agency)
    theirs, supervisors = app.test_client(), app.test_client()
    login(theirs, staff)
    login(supervisors, supervisor)
    admin = make_user(role="admin", agency=None)
    from app.services.agencies import AgencyInput, update_agency

    agency = staff.agency
    data = AgencyInput(**{f: getattr(agency, f) for f in AgencyInput.__dataclass_fields__})
    data.is_active = False
    update_agency(agency, data, actor=admin)  # as the agency's page switches it off
    assert not _logged_in(theirs) and _logged_in(supervisors)
    # ended, and listed as ended (a session kept open came back when the agency was switched on again)
    assert _rows(staff)[0].end_reason == "agency" and _rows(supervisor)[0].ended_at is None
    again = app.test_client()
    refused = again.post("/login", data={"username": staff.username, "password": TEST_PASSWORD,
                                         "csrf_token": csrf_token(again)})
    assert refused.status_code == 401 and not _logged_in(again)
    admins = app.test_client()
    login(admins, admin)  # the users page says why (it said «فعال»)
    assert "سازمانش خاموش است" in admins.get("/admin/users").get_data(as_text=True)
    data.is_active = True
    update_agency(agency, data, actor=admin)
    assert not _logged_in(theirs)  # the old session stays ended
    login(again, staff)
    assert _logged_in(again)


def test_moving_a_user_to_another_agency_ends_their_sessions(app, client, make_user, make_agency):
    """As a change of role does (a review of the login, round 2: the scope was right, read on every
    request, but the session opened at one desk stayed open at the other)."""
    admin = make_user(role="admin")
    user = make_user(role="staff")
    other = make_agency(slug="power", name_fa="توزیع برق")
    theirs = app.test_client()
    login(theirs, user)
    login(client, admin)
    client.post(f"/admin/users/{user.id}", data={
        "csrf_token": csrf_token(client, f"/admin/users/{user.id}"), "username": user.username,
        "role": "staff", "agency": other.slug, "display_name": "x", "is_active": "y"})
    db.session.expire_all()
    assert db.session.get(type(user), user.id).agency_id == other.id
    assert not _logged_in(theirs)
    assert _rows(user)[0].end_reason == "account"


def test_old_sessions_are_deleted_by_the_worker(app, client, make_user, clock):
    user = make_user(role="staff")
    login(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, user)
    clock.advance(days=31)
    assert housekeeping_job(app).startswith("2 old sessions deleted")  # ended, and idle for a month
    assert _rows(user) == []


def test_the_database_holds_no_usable_session_id(app, client, make_user):
    user = make_user(role="staff")
    login(client, user)
    with client.session_transaction() as sess:
        session_id = sess["_sid"]
    assert len(session_id) >= 43  # 32 random bytes
    row = _rows(user)[0]
    assert session_id not in row.token_hash and len(row.token_hash) == 64


def test_logging_out_is_in_the_audit_trail(app, client, make_user):
    """A logout ended a session and left no trace: the trail showed a login and then nothing."""
    user = make_user(role="staff")
    login(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert not _logged_in(client)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.logged_out")).one()
    assert entry.actor_id == user.id and entry.object_id == user.id and entry.details["sessions"] == 1
    assert _actions(user)[-2:] == ["login.succeeded", "user.logged_out"]
    admin = app.test_client()
    login(admin, make_user(role="admin"))
    assert "خروج از سامانه" in admin.get("/admin/audit").get_data(as_text=True)


def test_the_password_form_answers_a_refusal_with_an_error_status_and_keeps_the_session(app, make_user):
    """A wrong current password is 401, a new password that breaks a rule or an empty field 400 (a
    script or a proxy's log sees the failure, not a 200), the message on the form in Persian, and
    nothing changes."""
    user = make_user(role="staff")
    client = app.test_client()
    login(client, user)
    token = csrf_token(client, "/account/password")
    cases = [({"current": "not the password at all", "new": "a brand new long phrase", "confirm": "a brand new long phrase"}, 401, "گذرواژهٔ کنونی درست نیست"),
             ({"current": TEST_PASSWORD, "new": "short", "confirm": "short"}, 400, "دست‌کم"),
             ({"current": TEST_PASSWORD, "new": " ", "confirm": " " * 12}, 400, "گذرواژهٔ تازه را بنویسید"),
             ({"current": "", "new": "a brand new long phrase", "confirm": "a brand new long phrase"}, 400, "گذرواژهٔ کنونی را بنویسید")]
    for data, status, message in cases:
        response = client.post("/account/password", data={**data, "csrf_token": token})
        assert response.status_code == status, (data, response.status_code)
        assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert _logged_in(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, user)  # the password is the old one still


def test_a_user_agent_with_control_characters_is_stored_without_them(app, make_user):
    """A NUL in the User-Agent header (PostgreSQL's text refuses it) logs in like any other; the
    sessions page shows the agent without its control characters."""
    user = make_user(role="staff")
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0\x00 (X11)\x1b[31m\x7f"  # on every request
    login(client, user)
    assert [row.user_agent for row in _rows(user)] == ["Mozilla/5.0 (X11)[31m"]
    assert "Mozilla/5.0 (X11)" in client.get("/account/sessions").get_data(as_text=True)


@pytest.fixture
def behind_a_proxy(monkeypatch):
    """HAMZABAN_TRUSTED_PROXIES=1, read when the ``app`` fixture builds the app (ask for it first)."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_PROXIES", "1")


def test_behind_a_proxy_a_copied_cookie_does_not_pass_for_its_owner_by_a_forged_forwarded_for(behind_a_proxy, app,
                                                                                               make_user):
    """Found by probing a running server behind HAMZABAN_TRUSTED_PROXIES=1: a session cookie is
    tied to the browser's address and User-Agent (Flask-Login's "strong" protection), so a copy
    sent from elsewhere is refused. That address was the first entry of X-Forwarded-For, which the
    client writes itself (the proxy appends the address it saw): a thief sending the owner's
    address there, and the owner's User-Agent, was let in with the copy. The address is the one the
    app counts (the trusted proxies' hop, as the login throttle and the session list read it)."""
    user = make_user(role="staff")
    owner = app.test_client()  # through the proxy at 127.0.0.1 (the test client's own address)
    owner.environ_base["HTTP_X_FORWARDED_FOR"] = "10.1.1.5"
    login(owner, user)
    assert _logged_in(owner)
    thief = app.test_client()  # the proxy appends the thief's own address to what the thief sent
    thief.environ_base["HTTP_X_FORWARDED_FOR"] = "10.1.1.5, 10.6.6.6"
    thief.set_cookie("session", owner.get_cookie("session").value)
    assert not _logged_in(thief)
    assert _logged_in(owner)


def test_without_a_proxy_the_session_is_tied_as_flask_login_ties_it(app):
    """The digest is Flask-Login's own for a client that sends no X-Forwarded-For: the cookies of
    a server without a proxy stay valid across the change above."""
    from flask_login.utils import _create_identifier

    from app.web.client import session_identifier

    for headers in ({"User-Agent": "Mozilla/5.0 (X11; Linux) مرورگر"}, {}):
        with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "10.1.2.3"}):
            assert session_identifier() == _create_identifier()


@pytest.fixture
def over_https(monkeypatch):
    """HAMZABAN_HTTPS=1, read when the ``app`` fixture builds the app (ask for it first)."""
    monkeypatch.setenv("HAMZABAN_HTTPS", "1")


def test_over_https_the_cookies_carry_a_prefix_so_no_other_host_can_plant_them(over_https, app, make_user):
    """Found by probing a running server with HAMZABAN_HTTPS=1: the session cookie was named
    "session", a name any other host under the same parent domain (the governorate's other sites
    under ostan.ir) may set for the whole domain, and the browser sends that cookie here too. An
    attacker logged in to their own account, planted its cookie in a colleague's browser, and the
    colleague worked (notes, answers to cases) in the attacker's account. Over HTTPS the session
    cookie is "__Host-session": browsers take it only from this very host (Secure, Path=/, no
    Domain), so a cookie planted from elsewhere is another name, read by nobody; the
    remembered-browser cookie is "__Secure-hamzaban_device" (ASVS 5.0 V3.3.1)."""
    attacker = make_user(role="staff")
    theirs = app.test_client()
    cookies = login(theirs, attacker).headers.getlist("Set-Cookie")
    session_cookie = next((c for c in cookies if c.startswith("__Host-session=")), "")
    assert "; Secure" in session_cookie and "; Path=/" in session_cookie and "Domain=" not in session_cookie, cookies
    assert any(c.startswith("__Secure-hamzaban_device=") and "; Secure" in c for c in cookies), cookies
    assert _logged_in(theirs)  # the prefixed cookie is the one read
    value = theirs.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    colleague = app.test_client()
    colleague.set_cookie("session", value)  # as a sibling host sets it for the parent domain
    assert not _logged_in(colleague)


def test_behind_a_proxy_a_forwarded_entry_that_is_no_address_is_not_taken_for_one(behind_a_proxy, app, make_user):
    """Found by a login review behind HAMZABAN_TRUSTED_PROXIES=1: a client that reached the app
    without the proxy wrote the trusted entry of X-Forwarded-For itself, and «not-an-ip» became the
    address its failed logins were counted on (a fresh one for every guess). Such an entry is not
    read: the connection's own address is counted; a real address still is. From loopback such a
    request is refused, 503, nothing counted (a proxy there that sends no client address makes every
    client one: session 45, tests/test_login_loopback_proxy.py)."""
    from sqlalchemy import select

    from models import ThrottleCounter

    make_user(role="staff", username="target")
    answers = {}
    for peer, forwarded in (("127.0.0.1", "not-an-ip"), ("192.0.2.50", "not-an-ip"), ("127.0.0.1", "10.0.0.7"),
                            ("127.0.0.1", "10.0.0.8:51234"), ("127.0.0.1", "[2001:db8::9]:443")):
        client = app.test_client()
        client.environ_base.update(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
        answers[peer, forwarded] = client.post("/login", data={"username": "target", "password": "wrong",
                                                               "csrf_token": csrf_token(client)}).status_code
    keys = set(db.session.scalars(select(ThrottleCounter.key)))
    assert answers["127.0.0.1", "not-an-ip"] == 503 and answers["192.0.2.50", "not-an-ip"] == 401, answers
    assert not any("not-an-ip" in key or key.endswith(":127.0.0.1") for key in keys), keys
    assert any(key.endswith(":192.0.2.50") for key in keys) and any(key.endswith(":10.0.0.7") for key in keys), keys
    # a port after the address (as some proxies write it) is left out, not taken for another client
    assert any(key.endswith(":10.0.0.8") for key in keys) and "login:addr:2001:db8::/64" in keys, keys  # IPv6: its /64
    assert not any("51234" in key or "443" in key for key in keys), keys


def test_a_new_password_must_differ_from_the_current_one_and_be_typed_twice_alike(app, client, make_user):
    """A user who thinks the password leaked «changed» it to itself and kept the leaked one; a slip in
    the new one, seen by nobody, locked its owner out (a review of the login, round 3)."""
    user = make_user(role="staff")
    login(client, user)
    before = user.password_hash
    token = csrf_token(client, "/account/password")
    for data, message in (({"new": TEST_PASSWORD, "confirm": TEST_PASSWORD}, "همان گذرواژهٔ کنونی"),
                          ({"new": "a brand new long phrase", "confirm": "a brand new long phrase."}, "با خود آن یکی نیست"),
                          ({"new": "a brand new long phrase"}, "با خود آن یکی نیست")):
        response = client.post("/account/password", data={"current": TEST_PASSWORD, **data, "csrf_token": token})
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    db.session.refresh(user)
    assert user.password_hash == before and _logged_in(client)


def test_a_sessions_browser_is_named_shortly_and_the_header_kept_in_its_title():
    """A newcomer's walk: the sessions' lists showed «Mozilla/5.0 (X11; Linux x86_64)…» cut short."""
    from app.web.filters import browser

    linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
    assert browser(linux) == "Chrome 124 · Linux"
    assert browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0") == "Firefox 126 · Windows"
    assert browser("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                   "Version/17.0 Mobile/15E148 Safari/604.1") == "Safari 17 · iPhone"
    assert browser("Phone browser 1.0") == "Phone browser 1.0" and browser(None) == ""


def test_the_remembered_browser_cookie_does_not_name_its_user(app, client, make_user):
    """A review of the login, round 6: the cookie is signed, not encrypted, and held the username
    in plain base64 for 180 days after logging out: anyone with the browser's profile read who
    logged in last. It holds a keyed tag of the name; the browser is still remembered by it."""
    import base64
    import json

    from app.services.login_keys import account_key, normalize_username
    from app.services.sessions import Client
    from app.web.client import DEVICE_COOKIE

    user = make_user(role="staff", username="water.reporter")
    login(client, user)
    raw = client.get_cookie(DEVICE_COOKIE, path="/login").value
    payload = raw.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) == {"u", "n", "p"} and "water" not in raw and "water" not in json.dumps(data)
    device = Client(address="192.0.2.1", device=(data["u"], data["n"], data["p"]))
    assert account_key(normalize_username(user.username), device).startswith("login:device:")


def test_a_remembered_browser_cookie_older_than_its_days_is_a_strangers(app):
    """The cookie's Max-Age was its only bound: a copied value was a remembered browser forever (a
    review of the login, round 7). It is signed with its time and read for ``DEVICE_DAYS`` only."""
    import time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    from app.web import client as web_client

    class WrittenLongAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - (web_client.DEVICE_DAYS + 1) * 86400

    with app.test_request_context():
        salt = web_client._serializer().salt
        fresh = web_client._serializer().dumps({"u": "t", "n": "n", "p": "p"})
    stale = URLSafeTimedSerializer(app.secret_key, salt=salt, signer=WrittenLongAgo).dumps({"u": "t", "n": "n", "p": "p"})
    for raw, device in ((fresh, ("t", "n", "p")), (stale, None)):
        with app.test_request_context(headers={"Cookie": f"{web_client.DEVICE_COOKIE}={raw}"},
                                      environ_base={"REMOTE_ADDR": "192.0.2.1"}):  # a client, as a server gives
            assert web_client.current_client().device == device
