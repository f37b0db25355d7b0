"""Leases: one holder at a time across processes (the index writer, the digest sender).

A lease is a row of ``settings`` claimed with one conditional UPDATE (where it has expired or is
already ours), atomic on SQLite and PostgreSQL alike. A holder renews it by claiming again; a
crashed holder's lease expires ``seconds`` after its last claim. Feeds are leased on their own
rows: a poll reads the due feeds (``due_feeds``) and claims some of them (``claim_feeds``: those
still due and free), so two workers never poll the same feed; a worker that dies keeps its feeds
only until the lease runs out. PostgreSQL takes the candidates with ``SELECT … FOR UPDATE SKIP
LOCKED`` and updates them in the same transaction; SQLite runs one ``UPDATE … WHERE id IN (SELECT
…)``, atomic because SQLite serializes writers.

Each claim and release is its own short transaction on its own connection, so it never commits
(or rolls back) the caller's unit of work. Call them outside a write transaction: on SQLite a
second connection waits for the first one's write lock.
"""
from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Text, and_, cast, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.clock import utcnow
from app.extensions import db
from models import Feed, Setting

_FREE = datetime(2000, 1, 1, tzinfo=UTC)  # a free lease's time


def _held_by(owner: str):
    # settings.value is JSON: the owner is stored as a JSON string.
    return cast(Setting.value, Text).in_([f'"{owner}"'])


def _create_free(conn, key: str) -> None:
    """Insert the lease row, free; several processes may do it at once (the losers do nothing)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(Setting).values(key=key, value="", updated_at=_FREE)
                 .on_conflict_do_nothing(index_elements=["key"]))


def claim_lease(key: str, owner: str, seconds: float) -> bool:
    """Take or renew the lease ``key``; True when ``owner`` holds it now."""
    now = utcnow()
    with db.engine.begin() as conn:
        if conn.scalar(select(Setting.key).where(Setting.key == key)) is None:
            _create_free(conn, key)
        result = conn.execute(
            update(Setting)
            .where(Setting.key == key, (Setting.updated_at < now - timedelta(seconds=seconds)) | _held_by(owner))
            .values(value=owner, updated_at=now)
        )
    return result.rowcount == 1


def lease_time_left(key: str, seconds: float) -> timedelta:
    """How long until the lease ``key`` (taken for ``seconds``) expires unless renewed; zero when free."""
    with db.engine.connect() as conn:
        row = conn.execute(select(Setting.value, Setting.updated_at).where(Setting.key == key)).first()
    if row is None or not row.value:
        return timedelta(0)
    return max(timedelta(0), row.updated_at + timedelta(seconds=seconds) - utcnow())


def _dead_here(owner: str) -> bool:
    """True when ``owner`` (``new_owner``'s host:pid:random) is a process of this host that is gone."""
    host, _sep, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def claim_lease_from_the_dead(key: str, owner: str, seconds: float) -> bool:
    """``claim_lease``, and when another holder has it: take it over if that holder was a process of
    this host that has died (a crashed command would otherwise hold it ``seconds``). A holder on
    another host is waited for, as is one whose process id is alive (possibly reused: then only
    the wait of before)."""
    if claim_lease(key, owner, seconds):
        return True
    with db.engine.connect() as conn:
        holder = conn.scalar(select(Setting.value).where(Setting.key == key))
    if not isinstance(holder, str) or not holder or not _dead_here(holder):
        return False
    with db.engine.begin() as conn:
        result = conn.execute(update(Setting).where(Setting.key == key, _held_by(holder))
                              .values(value=owner, updated_at=utcnow()))
    return result.rowcount == 1


def lease_holder(key: str) -> str:
    """Who holds the lease ``key`` now (its owner's name; "" when free or never claimed)."""
    with db.engine.connect() as conn:
        holder = conn.scalar(select(Setting.value).where(Setting.key == key))
    return holder if isinstance(holder, str) else ""


def release_lease(key: str, owner: str) -> None:
    """Give the lease back at once (the next claimer need not wait for it to expire)."""
    with db.engine.begin() as conn:
        conn.execute(update(Setting).where(Setting.key == key, _held_by(owner)).values(value="", updated_at=_FREE))


# --- feeds: each claimed by one worker at a time ----------------------------------------------


@dataclass(frozen=True)
class Claim:
    feed_id: int
    url: str
    etag: str | None
    last_modified: str | None
    encoding_override: str | None


def new_owner() -> str:
    """A lease holder's name: host, process and a random part (unique per claimer)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _pollable():
    return or_(Feed.url.like("http://%"), Feed.url.like("https://%"))


def claim_feed(worker_id: str, feed_id: int, lease_seconds: int, *, now: datetime | None = None) -> list[Claim]:
    """Lease the one feed ``feed_id`` to ``worker_id``, due or not (`feeds poll --feed`), unless
    another live lease holds it: [its claim] or []. Expired leases are taken over."""
    now = now or utcnow()
    return _lease(worker_id, select(Feed.id).where(Feed.id == feed_id, _free(now), _pollable()), lease_seconds, now)


def due_feeds(limit: int, *, now: datetime | None = None, checked_before: datetime | None = None) -> list[tuple[int, str]]:
    """(id, address) of up to ``limit`` due feeds under no live lease, those due first first: what
    a poll may claim (``claim_feeds``), read on a connection of its own, without a write.
    ``checked_before``: none checked since (a pass's own feeds, due again within it after a short
    backoff)."""
    now = now or utcnow()
    query = (select(Feed.id, Feed.url).where(_free(now), _due(now, checked_before), _pollable())
             .order_by(Feed.next_check_at, Feed.id).limit(limit))
    with db.engine.connect() as conn:  # the caller's session keeps no snapshot of it
        return [(row.id, row.url) for row in conn.execute(query)]


def claim_feeds(worker_id: str, feed_ids: list[int], lease_seconds: int, *, now: datetime | None = None,
                checked_before: datetime | None = None) -> list[Claim]:
    """Lease to ``worker_id`` those of ``feed_ids`` (read by ``due_feeds``) still due and under no
    live lease: another worker may have claimed some since, or polled them and given them back."""
    if not feed_ids:
        return []
    now = now or utcnow()
    candidates = select(Feed.id).where(Feed.id.in_(feed_ids), _free(now), _due(now, checked_before), _pollable())
    return _lease(worker_id, candidates, lease_seconds, now)


def _due(now: datetime, checked_before: datetime | None):
    due = and_(Feed.is_active, Feed.next_check_at <= now)
    if checked_before is None:
        return due
    return and_(due, or_(Feed.last_checked_at.is_(None), Feed.last_checked_at < checked_before))


def _free(now: datetime):
    return or_(Feed.lease_until.is_(None), Feed.lease_until < now)


def _lease(worker_id: str, candidates, lease_seconds: int, now: datetime) -> list[Claim]:
    until = now + timedelta(seconds=lease_seconds)
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            ids = conn.scalars(candidates.with_for_update(skip_locked=True)).all()
            target = Feed.id.in_(ids) if ids else None
        else:
            target = Feed.id.in_(candidates.scalar_subquery())
        if target is not None:
            conn.execute(update(Feed).where(target).values(lease_owner=worker_id, lease_until=until))
        rows = conn.execute(select(Feed.id, Feed.url, Feed.etag, Feed.last_modified, Feed.encoding_override)
                            .where(Feed.lease_owner == worker_id, Feed.lease_until == until)
                            .order_by(Feed.next_check_at, Feed.id)).all()
    return [Claim(*row) for row in rows]


def release_every_lease() -> None:
    """Free every lease (settings rows whose key ends in "_lease": "search.writer_lease",
    "alerts.digest_lease", "search.export_lease") and every feed's lease. Only for a restored
    database: the processes that held them belong to the installation the backup came from."""
    with db.engine.begin() as conn:
        conn.execute(update(Setting).where(Setting.key.like("%\\_lease", escape="\\"))
                     .values(value="", updated_at=_FREE))
        conn.execute(update(Feed).where(Feed.lease_owner.is_not(None)).values(lease_owner=None, lease_until=None))
