"""Server-side sessions: opened at login, looked up on every request, ended by logout, "log out
everywhere", an admin, a password change, or the idle and absolute timeouts.

The browser's signed cookie carries Flask-Login's user key and a random session id (32 bytes);
the ``user_sessions`` row keeps the id's SHA-256 with when, from where and with what browser.
A cookie copied before a logout names an ended row and is refused.

Why a table and not Flask-Session: Flask-Session moves the whole cookie into a store keyed by
session id, but it cannot list one user's sessions or end them (its rows know no user), which
the admin page needs; its SQLAlchemy store also creates its own table outside the migrations.
The table costs one indexed lookup per request (14 ms on SQLite on the 2-core machine under a
load of 11-14, where one argon2 check took 970 ms) and a write at most once a minute per session.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from app import clock, throttle
from app.extensions import db
from app.policy import can_manage_users, may_sign_in
from app.services import NotAllowed, NotFound
from app.services.audit import record
from app.services.digits import row_id
from app.services.networks import network_of
from models import User, UserSession
from search_index.persian import normalize_for_storage

SEEN_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often (a tenth of a short idle period)
KEEP_ENDED = timedelta(days=30)  # ended sessions stay listed this long, then the worker deletes them


@dataclass(frozen=True)
class Client:
    """Who is asking: the client's address, its User-Agent, and the remembered-browser cookie
    (username, nonce, password tag) when it carries a validly signed one."""

    address: str = ""
    user_agent: str = ""
    device: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Found:
    user: User | None
    ended: str = ""  # "idle" or "expired" when this lookup ended the session; "ended": it had ended before


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(user: User, client: Client, now) -> str:
    """Add a session row for ``user`` (the caller commits); returns the new random session id."""
    session_id = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(session_id), created_at=now, last_seen_at=now,
                               address=client.address[:64], network=network_of(client.address),
                               # stored user input: no control character (PostgreSQL refuses a NUL in text)
                               user_agent=normalize_for_storage(client.user_agent)[:255]))
    return session_id


def end_past_the_limit(user: User, now) -> int:
    """End the user's open sessions used least recently past ``SESSIONS_PER_USER`` (the caller commits,
    with the login that opened one more); returns how many. Sessions timed out and not yet looked up
    are not counted (left to end as such when their cookie comes back). No login is refused for the count: the owner's next
    login ends a thief's oldest session, not the other way round (session 46: sessions were unlimited,
    a stolen password could open any number, each kept 12 hours)."""
    config = current_app.config
    idle_since = now - timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    born_since = now - timedelta(hours=config["SESSION_MAX_HOURS"])
    open_ids = db.session.scalars(select(UserSession.id).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None), UserSession.last_seen_at >= idle_since,
        UserSession.created_at >= born_since).order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).all()
    past = open_ids[config["SESSIONS_PER_USER"]:]
    return _end(update(UserSession).where(UserSession.id.in_(past)), now, "limit") if past else 0


def _end(query, now, reason: str) -> int:
    return db.session.execute(query.where(UserSession.ended_at.is_(None))
                              .values(ended_at=now, end_reason=reason)
                              .execution_options(synchronize_session=False)).rowcount


def end_all_of(user_id: int, reason: str, *, keep: str | None = None) -> int:
    """End every open session of a user but ``keep`` (the caller commits); returns how many."""
    query = update(UserSession).where(UserSession.user_id == user_id)
    if keep:
        query = query.where(UserSession.token_hash != _hash(keep))
    return _end(query, clock.utcnow(), reason)


def user_for_session(user_key: str, session_id: str | None, client: Client | None = None) -> Found:
    """The user of an open session, or None; ends the session here when it timed out.

    ``user_key`` is Flask-Login's ``id:token`` (the token changes when an admin changes the
    account); ``session_id`` the id from the cookie; ``client`` who sent it (for the audit of a
    session used after it ended: ``_replayed``).
    """
    user_id, _sep, token = (user_key or "").partition(":")
    if not session_id or row_id(user_id) is None:
        return Found(None)
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(session_id),
                                                      UserSession.user_id == int(user_id)))
    if row is None:
        return Found(None)
    if row.ended_at is not None:
        _replayed(row, client or Client())
        return Found(None, "ended")
    user = db.session.get(User, row.user_id, execution_options={"unscoped": True})
    if not may_sign_in(user) or user.session_token != token:
        return Found(None)
    now = clock.utcnow()
    config = current_app.config
    ended = ""
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    if now - row.last_seen_at > idle:
        ended = "idle"
    elif now - row.created_at > timedelta(hours=config["SESSION_MAX_HOURS"]):
        ended = "expired"
    if ended:
        row.ended_at, row.end_reason = now, ended
        db.session.commit()
        return Found(None, ended)
    # Written at most every minute, and at least ten times per idle period: a session in use is
    # never ended as idle more than a tenth of the period early (a review of the login: with a
    # one-minute period, a session used every 40 s was ended at 80 s).
    if now - row.last_seen_at > min(SEEN_EVERY, idle / 10):
        row.last_seen_at = now
        db.session.commit()
    return Found(user)


def foreign_cookie(session_id: str, client: Client) -> str:
    """A cookie refused before its session was looked up, as another browser's (Flask-Login's
    "strong" protection: its address or User-Agent differ from the login's): audited as
    ``_replayed`` says. Returns "ended", "moved" (its session is open, and this is its own browser
    from another address: a phone gone from Wi-Fi to mobile data) or "foreign" (its session is
    open, in another browser), "" when it names no session."""
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(session_id)))
    if row is None:
        return ""
    return _replayed(row, client)


SESSION_MARK_PREFIX = "session:"  # the throttle's keys that note a session's refused cookie (``_replayed``)


def _replayed(row: UserSession, client: Client) -> str:
    """A cookie naming a session that had ended (a logout, an administrator, a password change…),
    or an open one sent by another browser or from another address: refused, and audited
    (``session.replayed``, ``session.foreign``) the first time only, whatever the number of
    processes (``throttle.take_capped``: one atomic count per session and kind): a thief replaying
    a copied cookie in a loop writes one entry, not one per request (a review of the login,
    session 40: it wrote none). Once per session in all: the count is kept as long as the session's
    row (``prune_job``); forgotten after a day, a cookie replayed daily wrote an entry a day for the
    30 days the row is kept, the same news each time (session 41). The owner's browser forgets a
    cookie once it is refused (the web layer clears it), so its own next pages write nothing.

    An open session's cookie from its own browser at another address (``seen``: "new_address") is
    counted apart from another browser's ("other_browser"): a phone changing networks is the
    common case, and its entry must neither read as an attack nor use up the one entry a thief's
    browser writes later. A User-Agent can be copied: the entry says what was seen, not who."""
    address = client.address[:64]
    same_browser = normalize_for_storage(client.user_agent)[:255] == row.user_agent
    kind, seen = "replayed", ""
    if row.ended_at is None:
        # Its own browser at its own address too: only the binding's reading of the address changed
        # (an IPv6 session opened before it followed the /64, session 43), no thief's copy.
        kind, seen = "foreign", "new_address" if same_browser else "other_browser"
    mark = {"new_address": "moved"}.get(seen, kind)
    if throttle.take_capped(f"{SESSION_MARK_PREFIX}{mark}:{row.id}", 1, clock.utcnow()) is not None:
        user = db.session.get(User, row.user_id, execution_options={"unscoped": True})
        record(f"session.{kind}", obj=user, actor_label=user.username if user else "", session=row.id,
               ended=row.end_reason or "", address=address,
               # by network, as the binding reads it (session 44: a phone's next IPv6 privacy address in its
               # /64 read as another address)
               same_address=network_of(client.address) == (row.network or network_of(row.address)),
               same_browser=same_browser, **({"seen": seen} if seen else {}))
        db.session.commit()
    return "ended" if kind == "replayed" else mark


def log_out(user: User, session_id: str | None) -> None:
    """End this browser's session (audited: ``user.logged_out``). A session already ended (the other
    request of a double-clicked «خروج», read as logged in before the first committed) writes nothing:
    its entry «sessions=0» stood beside the first's (session 47, against gunicorn)."""
    ended = 0
    if session_id:
        ended = _end(update(UserSession).where(UserSession.token_hash == _hash(session_id),
                                               UserSession.user_id == user.id), clock.utcnow(), "logout")
    if ended:
        record("user.logged_out", actor=user, obj=user, sessions=ended)
    db.session.commit()


def log_out_everywhere(user: User) -> int:
    """End every session of ``user``, this one too; returns how many (audited when any: the second
    request of a double click ends none, as ``log_out``'s)."""
    count = end_all_of(user.id, "everywhere")
    if count:
        record("session.ended_everywhere", actor=user, obj=user, sessions=count)
    db.session.commit()
    return count


def end_own_sessions(user: User, session_id: str | None, *, session_row_id: int | None = None) -> int:
    """The user ends one of their other sessions (by its row id) or, without one, all the others; this
    browser's (``session_id``) stays: «خروج» ends it. Returns how many (audited:
    ``session.ended_by_owner``).

    :raise NotFound: no other open session of this user has that id (or, without one, there is none).
    """
    query = update(UserSession).where(UserSession.user_id == user.id)
    if session_id:
        query = query.where(UserSession.token_hash != _hash(session_id))
    if session_row_id is not None:
        query = query.where(UserSession.id == session_row_id)
    count = _end(query, clock.utcnow(), "owner")
    if session_row_id is not None and count == 0:
        db.session.rollback()
        raise NotFound(_("این نشست باز نیست، همین مرورگر است یا از آنِ شما نیست."))
    if count == 0:  # none open but this one: nothing done, nothing audited (it wrote «sessions=0», session 46)
        db.session.rollback()
        raise NotFound(_("نشست باز دیگری جز همین مرورگر نبود؛ چیزی پایان نیافت."))
    record("session.ended_by_owner", actor=user, obj=user, sessions=count,
           **({"session": session_row_id} if session_row_id is not None else {}))
    db.session.commit()
    return count


def own_sessions(user: User, session_id: str | None) -> tuple[list[UserSession], int | None]:
    """The user's sessions, open first, newest first (their own page), and the row of this one."""
    rows = _sessions(user.id)
    mine = _hash(session_id) if session_id else None
    return rows, next((row.id for row in rows if row.token_hash == mine), None)


def _sessions(user_id: int) -> list[UserSession]:
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)
                              .order_by(UserSession.ended_at.is_not(None), UserSession.created_at.desc(),
                                        UserSession.id.desc()).limit(200)).all()


def sessions_of(user: User, *, actor) -> list[UserSession]:
    """A user's sessions for the administrator."""
    if not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه نشست‌های کاربران را می‌بیند."))
    return _sessions(user.id)


def end_sessions(user: User, *, actor, session_row_id: int | None = None) -> int:
    """The administrator ends one session of ``user`` (by its row id) or all of them (audited).

    :raise NotFound: no open session of this user has that id (or, without one, none is open).
    """
    if not can_manage_users(actor):
        raise NotAllowed(_("تنها مدیر سامانه نشست‌های کاربران را پایان می‌دهد."))
    query = update(UserSession).where(UserSession.user_id == user.id)
    if session_row_id is not None:
        query = query.where(UserSession.id == session_row_id)
    count = _end(query, clock.utcnow(), "admin")
    if session_row_id is not None and count == 0:
        db.session.rollback()
        raise NotFound(_("این نشست باز نیست یا از آن این کاربر نیست."))
    if count == 0:  # nothing done, nothing audited (an entry «sessions=0» read as if something ended)
        db.session.rollback()
        raise NotFound(_("این کاربر نشست بازی نداشت؛ چیزی پایان نیافت."))
    record("session.ended_by_admin", actor=actor, obj=user, sessions=count,
           **({"session": session_row_id} if session_row_id is not None else {}))
    db.session.commit()
    return count


def prune_job(app) -> str:
    """Delete sessions that ended (or timed out) more than KEEP_ENDED ago."""
    now = clock.utcnow()
    cutoff = now - KEEP_ENDED
    idle_cutoff = now - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]) - KEEP_ENDED
    deleted = db.session.execute(delete(UserSession).where(or_(
        UserSession.ended_at < cutoff, UserSession.last_seen_at < idle_cutoff))).rowcount
    db.session.commit()
    # The notes of refused cookies (``_replayed``) outlive their session's row: a note is written
    # while the row exists, which is then deleted within KEEP_ENDED of its end, at most
    # SESSION_MAX_HOURS after the note.
    throttle.prune(idle_cutoff - timedelta(hours=app.config["SESSION_MAX_HOURS"]), only_prefix=SESSION_MARK_PREFIX)
    return f"{deleted} old sessions deleted"
