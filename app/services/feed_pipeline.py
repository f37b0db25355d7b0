"""The feed pipeline, composed in one place: claim due feeds → fetch and parse (threads) →
store entries → route → alerts → feed health → commit, ONE transaction per feed.

The monitor modules only fetch, parse, clean, dedupe and store (in the caller's transaction);
this service commits. A worker killed at any moment leaves either a feed's whole batch or none
of it; the unique (feed, key) constraint is the last guard against two workers storing the same
entries: the loser's commit fails and its retry sees them as duplicates.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.extensions import db
from app.leases import Claim, claim_feed, claim_feeds, due_feeds, new_owner
from app.monitor import dedupe
from app.monitor.fetch_policy import FetchPolicy
from app.monitor.polling import INTERNAL_ERROR, INTERNAL_ERROR_FA, fetch_and_parse
from app.monitor.store import FeedOutcome, IngestStats, record_health, store_entries
from app.services.alerts import notify_new_items
from app.services.feed_addresses import follow_permanent_move
from app.services.routing import Analyses, route_items
from app.services.routing_backlog import queue_items, routing_after_commit
from models import Feed

log = logging.getLogger(__name__)
MAX_ERRORS_LISTED = 50


def ingest_entries(session, feed: Feed, entries, *, fetched_at, language: str | None = None,
                   window_days: int = dedupe.WINDOW_DAYS) -> IngestStats:
    """Store a feed's entries, then route and announce the items they created, in ``session``'s
    transaction (the caller commits: a rolled-back batch leaves no route and no notification).
    With ``FEED_ROUTING=after_commit`` the new items are queued in ``routing_backlog`` instead,
    in the same transaction, and routed and announced after the commit
    (app/services/routing_backlog.py)."""
    stats = store_entries(session, feed, entries, fetched_at=fetched_at, language=language,
                          window_days=window_days)
    if stats.created and routing_after_commit():
        queue_items(session, stats.created)
    elif stats.created:
        analyses = Analyses(stats.created)  # each new item analyzed once, for routing and alerts
        route_items(session, stats.created, analyses)  # new items only: routed once
        notify_new_items(session, stats.created, analyses)  # after routing: agency filters read routes
    if stats.reclaimed_items:  # given to their own outlet: its scope, its words (a review of the alerts)
        notify_new_items(session, stats.reclaimed_items)
    return stats


def store_outcome(outcome: FeedOutcome, *, worker_id: str | None = None,
                  window_days: int = dedupe.WINDOW_DAYS, attempts: int = 3) -> IngestStats:
    """Store one feed's outcome, route and announce its new items, record the feed's health and
    give the worker's lease back: one transaction, committed here. A worker whose lease another
    worker took meanwhile stores the items only.

    Raises what the database raises after `attempts` tries (the lease then expires and the feed
    is polled again; nothing half-written stays)."""
    session = db.session
    for attempt in range(1, attempts + 1):
        try:
            feed = session.get(Feed, outcome.feed_id, populate_existing=True)
            if feed is None:
                return IngestStats()
            stats = IngestStats()
            if outcome.parsed is not None:
                stats = ingest_entries(session, feed, outcome.parsed.entries, fetched_at=outcome.fetched_at,
                                       language=outcome.parsed.language, window_days=window_days)
            outcome.stats = stats
            if worker_id is not None and feed.lease_owner not in (None, worker_id):
                # Our lease ran out while we fetched and another worker claimed the feed: the items
                # are stored (idempotent), its health and next check are that worker's to record
                # (recorded twice, one failure counted two and doubled the backoff).
                log.info("feed %s: its lease passed to another worker meanwhile; its health is theirs to record",
                         outcome.feed_id)
            else:
                record_health(feed, outcome)
                if outcome.moved_to and outcome.parsed is not None:
                    follow_permanent_move(feed, outcome.url, outcome.moved_to)
                if worker_id is not None and feed.lease_owner == worker_id:
                    feed.lease_owner = feed.lease_until = None
            session.commit()
            return stats
        except IntegrityError:
            session.rollback()
            if attempt == attempts:
                raise
            log.info("feed %s: a concurrent worker stored the same entries; retrying", outcome.feed_id)
    raise AssertionError("unreachable")


@dataclass
class PollSummary:
    feeds: int = 0
    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_duplicate: int = 0
    items_empty: int = 0  # entries with nothing to keep (no guid, link, title or text)
    cut_short: bool = False  # FEED_POLL_PASS_SECONDS ran out: the feeds still due are the next pass's
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
        self.items_empty += stats.empty
        self.clustered += stats.clustered

    def as_dict(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data

    def line(self) -> str:
        return (f"feeds={self.feeds} ok={self.ok} not_modified={self.not_modified} failed={self.failed} "
                f"new={self.items_new} updated={self.items_updated} duplicate={self.items_duplicate} "
                f"empty={self.items_empty} seconds={self.seconds:.1f}" + (" cut_short" if self.cut_short else ""))


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


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # the fetch will say what is wrong with it
        return ""


DUE_READ = 5000  # due feeds a pass reads at once (it reads again when it has claimed them all)
CLAIM_ATTEMPTS = 100  # picks in a row while other workers claim every feed picked (each read leaves those out)


class _DueFeeds:
    """The due feeds of one pass, read once (and again when all are taken: feeds due since), to
    claim a few at a time as the pool frees places: a host's first due feeds up to its free slots
    (``per_host`` less its fetches under way), host after host in the order their first feed fell
    due. Claiming straight from the table returned the head of the queue each time: a host whose
    feeds filled it was all a claim got, given back but for its slots, and the other hosts' feeds
    waited for the next pass (session 30's note; a review of hostile feeds, round 7: 70 feeds of a
    dripping host, 20 other feeds never asked for)."""

    def __init__(self, per_host: int, pass_started: datetime):
        self.per_host, self.pass_started = per_host, pass_started
        self.hosts: dict[str, deque[int]] = {}  # host → its due feeds, first due first
        self.lost: set[int] = set()  # picked and claimed by another worker first

    def claim(self, worker_id: str, wanted: int, lease: int, in_flight: dict[Future, Claim],
              done: set[int]) -> list[Claim]:
        busy: dict[str, int] = {}
        for claim in in_flight.values():
            busy[_host(claim.url)] = busy.get(_host(claim.url), 0) + 1
        flying = {claim.feed_id for claim in in_flight.values()}
        for _attempt in range(CLAIM_ATTEMPTS):
            picked = self._pick(wanted, busy, done | flying | self.lost)
            # A feed picked and not claimed is another worker's (claimed, or polled and given back,
            # or locked while it stores it): not picked again in this pass. Other workers read the
            # same feeds in the same order: the picks go on down the lists (and the lists are read
            # again when used up) rather than give up (the review of this change: four of eight
            # workers ended their pass after a few losses while hundreds of feeds were due; then one
            # locked feed at the head was read and lost a hundred times).
            claims = claim_feeds(worker_id, picked, lease, checked_before=self.pass_started)
            self.lost.update(set(picked) - {claim.feed_id for claim in claims})
            if claims or not picked:
                return claims
        return []

    def _pick(self, wanted: int, busy: dict[str, int], skip: set[int]) -> list[int]:
        if not self.hosts:
            for feed, url in due_feeds(DUE_READ, checked_before=self.pass_started):
                self.hosts.setdefault(_host(url), deque()).append(feed)
        picked: list[int] = []
        for host, feeds in list(self.hosts.items()):
            room = self.per_host - busy.get(host, 0)
            while room > 0 and feeds and len(picked) < wanted:
                feed = feeds.popleft()
                # skip: done (stored, its health not: a lease taken meanwhile) or under way (read
                # again once its lease ran out mid-fetch: the review of this change)
                if feed not in skip:
                    picked.append(feed)
                    room -= 1
            if not feeds:
                del self.hosts[host]
            if len(picked) >= wanted:
                break
        return picked


def poll_feeds(config, *, feed_id: int | None = None, worker_id: str | None = None) -> PollSummary:
    """One pass: poll every due feed (or just `feed_id`) once; returns the summary. Run inside
    an app context. Safe to run in several processes at once and to kill at any moment.

    The pool is kept full: as each fetch ends, the next due feeds are claimed (at most ``per_host``
    of one host under way). It used to claim a batch and wait for all of it, so each round lasted
    as long as its slowest fetch: six feeds of a host dripping a byte every two seconds let 4 of 20
    other hosts' feeds through in a pass (a review of hostile feeds, round 6)."""
    started, pass_started = time.monotonic(), utcnow()
    worker_id = worker_id or new_owner()
    concurrency = max(1, config["FEED_POLL_CONCURRENCY"])
    lease = max(2, config["FEED_LEASE_SECONDS"])
    window_days = config["FEED_CLUSTER_WINDOW_DAYS"]
    budget = config["FEED_POLL_PASS_SECONDS"]
    summary, done = PollSummary(), set()
    in_flight: dict[Future, Claim] = {}
    policy = FetchPolicy.from_config(config)
    from app.monitor.fetch import Fetcher  # httpx with it: loaded by a poll, not at every start

    due = _DueFeeds(policy.per_host_limit, pass_started)
    claiming = True
    with Fetcher(policy) as fetcher, ThreadPoolExecutor(concurrency) as pool:
        while True:
            if claiming and len(in_flight) < concurrency:
                try:
                    if feed_id is not None:  # the one feed asked for, due or not
                        fresh = claim_feed(worker_id, feed_id, lease)
                    else:
                        fresh = due.claim(worker_id, concurrency - len(in_flight), lease, in_flight, done)
                except Exception:
                    # The database refused a claim (locked, the connection dropped) while fetches are
                    # under way: claim no more, and store those (they were lost, their feeds leased
                    # for FEED_LEASE_SECONDS: the review of this change).
                    log.exception("claiming feeds failed; finishing the fetches under way")
                    db.session.rollback()
                    fresh, claiming = [], False
                for claim in fresh:
                    in_flight[pool.submit(fetch_and_parse, fetcher, claim)] = claim
                if feed_id is not None:
                    claiming = False  # the one feed asked for: claimed once
            if not in_flight:
                break
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                in_flight.pop(future)
                outcome = future.result()
                stats = _store(outcome, worker_id, window_days)
                summary.add(outcome, stats)
                done.add(outcome.feed_id)
            if claiming and time.monotonic() - started > budget:
                # A slow host's feeds held routing, indexing and reminders for minutes (a review of
                # hostile feeds): the feeds still due are the next pass's; those under way end.
                summary.cut_short = True
                claiming = False
    summary.seconds = time.monotonic() - started
    return summary


def poll_feeds_job(app: Flask) -> str:
    """Worker job: one polling pass over the due feeds; the one-line summary goes to the log."""
    return poll_feeds(app.config).line()


def register_jobs(app: Flask) -> None:
    """Add the "poll-feeds" job (every FEED_POLL_EVERY_SECONDS) to the worker's schedule."""
    jobs = app.extensions.setdefault("hamzaban_jobs", [])
    jobs.append(("poll-feeds", app.config["FEED_POLL_EVERY_SECONDS"], poll_feeds_job))
