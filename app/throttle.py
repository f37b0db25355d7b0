"""Counting attempts in the database, so every process (waitress threads, a second web process,
the worker) sees the same counts: growing waits for password and code guesses, and per-user rate
limits on costly pages.

Why the database and not Flask-Limiter: its storages are memory (one process only), Redis,
Memcached and MongoDB; the default install is SQLite with no other service, and a login guess
must be judged *before* its password is checked, all keys at once (see ``take``), which a
fixed-window limiter does not do. Measured on the 2-core development machine while it was
heavily shared (load 11-14): a two-key ``take`` cost 27 ms on SQLite, a ``hit`` 12 ms, one argon2
check 970 ms; the counting adds about 3 % to a login and a small part of a search.

Each call is its own short transaction on its own connection (as app/leases.py does), so a count
stays counted whatever the caller's unit of work does next. Call it outside a write transaction:
on SQLite a second connection waits for the first one's write lock. A login thus holds two
connections at once: a web process needs more pool connections (SQLAlchemy's 5 + 10) than
threads (waitress 8, gunicorn 4), or every connection may be some thread's first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from models import ThrottleCounter
from models.base import UTCDateTime

_table = ThrottleCounter.__table__


@dataclass(frozen=True)
class Allowance:
    """``free`` attempts, then each further one waits 1 s, 2 s, 4 s … up to ``max_delay``; the count
    is forgotten ``memory`` after its last attempt, or, with ``leak_every``, leaks one attempt per
    ``leak_every`` instead (a leaky bucket: it fades while attempts keep coming, as a busy NAT's do)."""

    free: int
    max_delay: timedelta
    memory: timedelta
    leak_every: timedelta | None = None

    def leaked(self, attempts: int, since: datetime, now: datetime) -> tuple[int, datetime]:
        """The count left at ``now`` of ``attempts`` leaking from ``since``, and the time its leak
        runs from (whole steps only: the part of a step under way is kept, not lost)."""
        if self.leak_every is None or attempts <= 0 or now <= since:
            return max(attempts, 0), since if attempts > 0 else now
        steps = int((now - since) / self.leak_every)
        if steps >= attempts:
            return 0, now
        return attempts - steps, since + steps * self.leak_every

    def delay(self, attempts: int) -> timedelta | None:
        """The wait after the ``attempts``-th attempt (None: the next one may come at once)."""
        if attempts < self.free:
            return None
        doublings = min(attempts - self.free, 30)  # 2**30 s is past any sane cap
        return min(timedelta(seconds=2 ** doublings), self.max_delay)


class _Refused(Exception):
    """A key is waiting: the whole take is rolled back, nothing is counted."""


def _time(value: datetime):
    return literal(value, UTCDateTime())


def _insert(conn):
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(_table)


def take(keys: dict[str, Allowance], now: datetime) -> datetime | None:
    """Count one attempt on every key, all or none. None: counted, go on; else the time until which
    one of the keys must wait (nothing was counted).

    One INSERT … ON CONFLICT DO UPDATE … WHERE not waiting … RETURNING per key, in one transaction
    with the keys in a fixed order: the database serialises parallel attempts (SQLite's write
    lock, PostgreSQL's row lock), so a hundred guesses sent at once still get ``free`` evaluations.
    The attempt is counted before the password is checked; a success gives it back (``refund``).
    """
    try:
        with db.engine.begin() as conn:
            for key in sorted(keys):
                allowance = keys[key]
                if allowance.leak_every is not None:
                    _take_leaking(conn, key, allowance, now)
                    continue
                stale = _table.c.last_at < _time(now - allowance.memory)
                attempts = conn.scalar(
                    _insert(conn).values(key=key, attempts=1, started_at=now, last_at=now)
                    .on_conflict_do_update(
                        index_elements=["key"],
                        set_={"attempts": case((stale, 1), else_=_table.c.attempts + 1),
                              "started_at": case((stale, _time(now)), else_=_table.c.started_at),
                              "last_at": _time(now)},
                        where=or_(_table.c.blocked_until.is_(None), _table.c.blocked_until <= _time(now)))
                    .returning(_table.c.attempts))
                if attempts is None:
                    raise _Refused
                wait = allowance.delay(attempts)
                if wait is not None:
                    conn.execute(update(_table).where(_table.c.key == key).values(blocked_until=now + wait))
    except _Refused:
        with db.engine.connect() as conn:
            until = conn.scalar(select(func.max(_table.c.blocked_until))
                                .where(_table.c.key.in_(list(keys)), _table.c.blocked_until > _time(now)))
        return until or now + timedelta(seconds=1)
    return None


def _take_leaking(conn, key: str, allowance: Allowance, now: datetime) -> None:
    """``take`` on a leaking count: ``started_at`` is the time its leak runs from, ``attempts`` the
    count at that time. Read, leaked and written back under the row's lock: the INSERT … ON CONFLICT
    DO NOTHING first takes SQLite's write lock (before any read of this transaction) or creates the
    row PostgreSQL's SELECT … FOR UPDATE then locks, so parallel attempts are counted one by one.

    :raise _Refused: the key is waiting."""
    conn.execute(_insert(conn).values(key=key, attempts=0, started_at=now, last_at=now)
                 .on_conflict_do_nothing(index_elements=["key"]))
    attempts, since, until = conn.execute(
        select(_table.c.attempts, _table.c.started_at, _table.c.blocked_until)
        .where(_table.c.key == key).with_for_update()).one()
    if until is not None and until > now:
        raise _Refused
    level, since = allowance.leaked(attempts, since, now)
    wait = allowance.delay(level + 1)
    conn.execute(update(_table).where(_table.c.key == key).values(
        attempts=level + 1, started_at=since, last_at=now, blocked_until=now + wait if wait is not None else None))


def level(key: str, allowance: Allowance, now: datetime) -> int:
    """The count under ``key`` at ``now`` (leaked, for a leaking allowance); 0 without a counter."""
    with db.engine.connect() as conn:
        row = conn.execute(select(_table.c.attempts, _table.c.started_at).where(_table.c.key == key)).first()
    return allowance.leaked(row[0], row[1], now)[0] if row is not None else 0


def refund(key: str, allowance: Allowance, tried_at: datetime | None = None) -> None:
    """Give back one attempt (it succeeded), and its wait when the count falls below the allowance.

    ``tried_at``: when ``take`` counted the attempt. While it is still the key's last counted one,
    the wait is the one this attempt set (``take`` counts only a key not waiting), and goes too: a
    right password at the address's hundredth failure left the address a wait of its own making."""
    ours = _table.c.last_at == _time(tried_at) if tried_at is not None else literal(False)
    with db.engine.begin() as conn:
        conn.execute(update(_table).where(_table.c.key == key, _table.c.attempts > 0).values(
            attempts=_table.c.attempts - 1,
            blocked_until=case((_table.c.attempts - 1 < allowance.free, None), (ours, None),
                               else_=_table.c.blocked_until)))


def clear(*keys: str) -> int:
    """Forget the counts of these keys (a login succeeded; an admin lifted the wait): how many there were."""
    with db.engine.begin() as conn:
        return conn.execute(delete(_table).where(_table.c.key.in_(keys))).rowcount


def waiting_until(keys: list[str], now: datetime) -> dict[str, datetime]:
    """The keys among ``keys`` that must wait now, with until when."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(_table.c.key, _table.c.blocked_until)
                            .where(_table.c.key.in_(keys), _table.c.blocked_until > _time(now)))
        return {key: until for key, until in rows}


def hit(key: str, limit: int, window: timedelta, now: datetime) -> datetime | None:
    """One use under a fixed-window rate limit: None when within ``limit`` uses per ``window``,
    else the time the window ends (when to come back)."""
    with db.engine.begin() as conn:
        stale = _table.c.started_at <= _time(now - window)
        row = conn.execute(
            _insert(conn).values(key=key, attempts=1, started_at=now, last_at=now)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={"attempts": case((stale, 1), else_=_table.c.attempts + 1),
                      "started_at": case((stale, _time(now)), else_=_table.c.started_at),
                      "last_at": _time(now)})
            .returning(_table.c.attempts, _table.c.started_at)).one()
    attempts, started_at = row
    return started_at + window if attempts > limit else None


def first_refusal(key: str, until: datetime, now: datetime) -> bool:
    """Note that a try on ``key`` was refused during its wait that ends ``until``: True for the
    first refusal of that wait only, False for every later one.

    A wait is set by a counted attempt and ends at its ``blocked_until``; refused tries count
    nothing and leave it as it is, so "the first refusal since the last allowed try" is "the
    first refusal naming this ``until``". The note is a row of its own, ``<key>|refused``, whose
    ``blocked_until`` is the wait it was noted for: one INSERT … ON CONFLICT DO UPDATE … WHERE
    the noted wait is an earlier one, so of a thousand refusals sent at once exactly one gets
    True, and the later ones write nothing. ``prune`` deletes the note with the old counters.
    """
    with db.engine.begin() as conn:
        noted = conn.scalar(
            _insert(conn).values(key=f"{key}|refused", attempts=1, started_at=now, last_at=now, blocked_until=until)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={"attempts": 1, "started_at": _time(now), "last_at": _time(now), "blocked_until": _time(until)},
                where=or_(_table.c.blocked_until.is_(None), _table.c.blocked_until < _time(until)))
            .returning(_table.c.key))
    return noted is not None


def take_capped(key: str, cap: int, now: datetime) -> int | None:
    """Count one attempt on ``key`` unless ``cap`` are counted already: the count with this one,
    or None (nothing counted). Unlike ``take`` the count neither waits nor fades with time: only
    ``clear`` starts it over (a success, an administrator), and ``prune`` keeps it when asked to.
    One INSERT … ON CONFLICT DO UPDATE … WHERE below the cap: parallel attempts never pass it."""
    with db.engine.begin() as conn:
        return conn.scalar(
            _insert(conn).values(key=key, attempts=1, started_at=now, last_at=now)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={"attempts": _table.c.attempts + 1, "last_at": _time(now)},
                where=_table.c.attempts < cap)
            .returning(_table.c.attempts))


def note(key: str, until: datetime, now: datetime) -> None:
    """Keep ``key`` as a marker until ``until`` (written again with the later of the two): a row no
    ``take`` counts on, which ``prune`` deletes once ``until`` and the memory are past."""
    with db.engine.begin() as conn:
        conn.execute(_insert(conn).values(key=key, attempts=1, started_at=now, last_at=now, blocked_until=until)
                     .on_conflict_do_update(index_elements=["key"],
                                            set_={"last_at": _time(now), "blocked_until": _time(until)},
                                            where=or_(_table.c.blocked_until.is_(None),
                                                      _table.c.blocked_until < _time(until))))


def spend(key: str, now: datetime) -> bool:
    """Delete the marker ``key`` (``note``'s) while it holds: True for the one call that deleted it, so
    of two sent at once one spends it and the other gets False (one DELETE … WHERE it is still there)."""
    with db.engine.begin() as conn:
        return conn.execute(delete(_table).where(_table.c.key == key, _table.c.blocked_until > _time(now))).rowcount == 1


def keys_starting(prefix: str) -> list[str]:
    """The keys of the counters (and markers) whose key starts with ``prefix``."""
    with db.engine.connect() as conn:
        return list(conn.scalars(select(_table.c.key).where(_table.c.key.startswith(prefix, autoescape=True))))


def counts(keys: list[str]) -> dict[str, int]:
    """The attempts counted under each of ``keys`` that has a counter."""
    if not keys:
        return {}
    with db.engine.connect() as conn:
        return dict(conn.execute(select(_table.c.key, _table.c.attempts).where(_table.c.key.in_(keys))).all())


def prune(older_than: datetime, *, keep_prefixes: tuple[str, ...] = (), only_prefix: str = "") -> int:
    """Delete the counters not touched since ``older_than`` and not waiting, but those whose key
    starts with one of ``keep_prefixes`` (with ``only_prefix``: only those whose key starts with
    it); returns how many."""
    kept = [_table.c.key.startswith(prefix, autoescape=True) for prefix in keep_prefixes]
    if only_prefix:
        kept.append(~_table.c.key.startswith(only_prefix, autoescape=True))
    with db.engine.begin() as conn:
        return conn.execute(delete(_table).where(
            _table.c.last_at < _time(older_than),
            or_(_table.c.blocked_until.is_(None), _table.c.blocked_until < _time(older_than)),
            *(~condition for condition in kept))).rowcount
