"""Polling: claim due feeds with a lease, fetch and parse them in threads, store in this thread.

Two workers never poll the same feed: a feed is claimed by writing `lease_owner`/`lease_until`
in one statement (PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, then the update, in one
transaction; SQLite: a single `UPDATE … WHERE id IN (SELECT … LIMIT n)`, atomic because SQLite
serializes writers). A worker that dies keeps its feeds only until the lease runs out.

Fetching and parsing run in a thread pool (network-bound); every database write happens in the
calling thread, one transaction per feed (see ingest.store_outcome). Local files (`feeds
import-file`) are parsed in a pool of processes instead (CPU-bound), see `parse_files`.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import socket
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.monitor.fetch import Fetcher, FetchPolicy
from app.monitor.ingest import FeedOutcome, IngestStats, store_outcome
from app.monitor.messages import Message
from app.monitor.parse import FeedParseError, ParsedFeed, parse_feed
from models import Feed, utcnow

log = logging.getLogger(__name__)
INTERNAL_ERROR = Message("internal_error")
INTERNAL_ERROR_FA = INTERNAL_ERROR.persian()
MAX_ERRORS_LISTED = 50


@dataclass(frozen=True)
class Claim:
    feed_id: int
    url: str
    etag: str | None
    last_modified: str | None
    encoding_override: str | None


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def _pollable():
    return or_(Feed.url.like("http://%"), Feed.url.like("https://%"))


def claim_due_feeds(worker_id: str, limit: int, lease_seconds: int, *, now: datetime | None = None,
                    feed_id: int | None = None) -> list[Claim]:
    """Lease up to `limit` due feeds (or the one `feed_id`, due or not) to `worker_id`; commits.
    Feeds under another live lease are skipped; expired leases are taken over."""
    session = db.session
    now = now or utcnow()
    until = now + timedelta(seconds=lease_seconds)
    free = or_(Feed.lease_until.is_(None), Feed.lease_until < now)
    wanted = Feed.id == feed_id if feed_id is not None else and_(Feed.is_active, Feed.next_check_at <= now)
    candidates = (select(Feed.id).where(free, wanted, _pollable())
                  .order_by(Feed.next_check_at, Feed.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        ids = session.scalars(candidates.with_for_update(skip_locked=True)).all()
        target = Feed.id.in_(ids) if ids else None
    else:
        target = Feed.id.in_(candidates.scalar_subquery())
    if target is not None:
        session.execute(update(Feed).where(target).values(lease_owner=worker_id, lease_until=until)
                        .execution_options(synchronize_session=False))
    session.commit()
    rows = session.execute(select(Feed.id, Feed.url, Feed.etag, Feed.last_modified, Feed.encoding_override)
                           .where(Feed.lease_owner == worker_id, Feed.lease_until == until)
                           .order_by(Feed.next_check_at, Feed.id)).all()
    return [Claim(*row) for row in rows]


def release_leases(worker_id: str, feed_ids: list[int]) -> None:
    """Give claimed feeds back without polling them (commits)."""
    if feed_ids:
        db.session.execute(update(Feed).where(Feed.id.in_(feed_ids), Feed.lease_owner == worker_id)
                           .values(lease_owner=None, lease_until=None)
                           .execution_options(synchronize_session=False))
        db.session.commit()


def fetch_and_parse(fetcher: Fetcher, claim: Claim) -> FeedOutcome:
    """Fetch one claimed feed and parse it (runs in a pool thread; no database). Never raises."""
    outcome = FeedOutcome(feed_id=claim.feed_id, fetched_at=utcnow(), url=claim.url)
    try:
        result = fetcher.fetch(claim.url, etag=claim.etag, last_modified=claim.last_modified)
        outcome.status, outcome.retry_after = result.status, result.retry_after
        if result.error_code:
            outcome.error_code, outcome.error_message = result.error_code, result.error_message_fa
            outcome.error_detail = result.error_detail
            return outcome
        outcome.etag, outcome.last_modified = result.etag, result.last_modified
        if result.not_modified:
            outcome.not_modified = True
            return outcome
        outcome.parsed = parse_feed(result.body or b"", headers=result.headers, base_url=result.final_url,
                                    encoding_override=claim.encoding_override)
    except FeedParseError as exc:
        outcome.error_code, outcome.error_message = f"parse_{exc.code}"[:50], exc.message_fa
        outcome.error_detail = exc.detail.as_json()
    except Exception:  # a bug must cost one feed, not the pass
        log.exception("feed %s: unexpected error while fetching or parsing", claim.feed_id)
        outcome.error_code, outcome.error_message = "internal_error", INTERNAL_ERROR_FA
        outcome.error_detail = INTERNAL_ERROR.as_json()
    if outcome.error_code:
        outcome.parsed = None
        outcome.etag = outcome.last_modified = None
    return outcome


MAX_FILE_BYTES = 50 * 1024 * 1024
UNREADABLE_FA = "پرونده خوانده نشد (نیست، دسترسی ندارد یا بزرگ‌تر از ۵۰ مگابایت است)."
# Smaller imports are parsed in this process: starting worker processes (~1 s) would cost more.
POOL_MIN_FILES, POOL_MIN_BYTES = 100, 8 * 1024 * 1024


def parse_file(path: str, encoding_override: str | None = None) -> ParsedFeed | tuple[str, str]:
    """Read and parse one local feed file: the ParsedFeed, or (error code, Persian message).
    Never raises (runs in pool processes)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return "unreadable", UNREADABLE_FA
    if len(data) > MAX_FILE_BYTES:
        return "unreadable", UNREADABLE_FA
    try:
        return parse_feed(data, encoding_override=encoding_override)
    except FeedParseError as exc:
        return f"parse_{exc.code}"[:50], exc.message_fa
    except Exception as exc:  # one broken file must not stop the others
        log.exception("unexpected error parsing %s", path)
        return "internal_error", f"خطای پیش‌بینی‌نشده هنگام خواندن پرونده: {type(exc).__name__}"


def _total_size(files: list[tuple[str, str | None]]) -> int:
    total = 0
    for path, _ in files:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total


def parse_files(files: list[tuple[str, str | None]], workers: int = 1):
    """Parse (path, encoding override) pairs; yields the results of parse_file in order. With
    workers > 1 and enough files, parsing runs in that many processes while the caller stores
    the previous results; at most 2·workers results wait in memory."""
    if workers <= 1 or (len(files) < POOL_MIN_FILES and _total_size(files) < POOL_MIN_BYTES):
        for path, override in files:
            yield parse_file(path, override)
        return
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        pending: deque = deque()
        for path, override in files:
            pending.append(pool.submit(parse_file, path, override))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@dataclass
class PollSummary:
    feeds: int = 0
    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_duplicate: int = 0
    clustered: int = 0
    seconds: float = 0.0
    errors: list = field(default_factory=list)

    def add(self, outcome: FeedOutcome, stats: IngestStats) -> None:
        self.feeds += 1
        if not outcome.ok:
            self.failed += 1
            if len(self.errors) < MAX_ERRORS_LISTED:
                self.errors.append({"feed": outcome.feed_id, "url": outcome.url, "code": outcome.error_code,
                                    "message": outcome.error_message})
        elif outcome.not_modified:
            self.not_modified += 1
        else:
            self.ok += 1
        self.items_new += stats.new
        self.items_updated += stats.updated
        self.items_duplicate += stats.duplicate
        self.clustered += stats.clustered

    def as_dict(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data

    def line(self) -> str:
        return (f"feeds={self.feeds} ok={self.ok} not_modified={self.not_modified} failed={self.failed} "
                f"new={self.items_new} updated={self.items_updated} duplicate={self.items_duplicate} "
                f"seconds={self.seconds:.1f}")


def _store(outcome: FeedOutcome, worker_id: str, window_days: int) -> IngestStats:
    try:
        return store_outcome(outcome, worker_id=worker_id, window_days=window_days)
    except Exception:
        log.exception("feed %s: could not store the poll result", outcome.feed_id)
        db.session.rollback()
    # Record the failure (with backoff) without the items; if even that fails, the lease expires.
    failed = FeedOutcome(feed_id=outcome.feed_id, fetched_at=outcome.fetched_at, status=outcome.status,
                         error_code="internal_error", error_message=INTERNAL_ERROR_FA,
                         error_detail=INTERNAL_ERROR.as_json())
    outcome.error_code, outcome.error_message = failed.error_code, failed.error_message
    try:
        store_outcome(failed, worker_id=worker_id, window_days=window_days)
    except Exception:
        log.exception("feed %s: could not record the failure either", outcome.feed_id)
        db.session.rollback()
    return IngestStats()


def poll_feeds(config, *, feed_id: int | None = None, worker_id: str | None = None) -> PollSummary:
    """One pass: poll every due feed (or just `feed_id`) once; returns the summary. Run inside
    an app context. Safe to run in several processes at once and to kill at any moment."""
    started = time.monotonic()
    worker_id = worker_id or new_worker_id()
    concurrency = max(1, config["FEED_POLL_CONCURRENCY"])
    lease = max(2, config["FEED_LEASE_SECONDS"])
    window_days = config["FEED_CLUSTER_WINDOW_DAYS"]
    batch = concurrency * 4  # claimed at once: enough to keep the pool busy, few enough to finish within the lease
    summary, done = PollSummary(), set()
    with Fetcher(FetchPolicy.from_config(config)) as fetcher, ThreadPoolExecutor(concurrency) as pool:
        while True:
            claims = claim_due_feeds(worker_id, batch, lease, feed_id=feed_id)
            fresh = [c for c in claims if c.feed_id not in done]
            release_leases(worker_id, [c.feed_id for c in claims if c.feed_id in done])
            if not fresh:
                break
            futures = [pool.submit(fetch_and_parse, fetcher, claim) for claim in fresh]
            for future in as_completed(futures):
                outcome = future.result()
                stats = _store(outcome, worker_id, window_days)
                summary.add(outcome, stats)
                done.add(outcome.feed_id)
            if feed_id is not None:
                break
    summary.seconds = time.monotonic() - started
    return summary
