"""Portal freshness (clause 10) for a portal without a feed: check its page for a change.

An agency with ``Agency.portal_url`` and no active portal feed has its page fetched through the
feeds' own fetcher (app/monitor/fetch.py: the private-address guard on every connection and
redirect, the size cap, the timeouts, the per-host limit), conditionally (ETag/Last-Modified:
a 304 is "not modified" without a byte of body). The page's main text (app/monitor/page_text.py:
no markup, scripts, navigation, clock or counter) is hashed; a hash unlike the last one is a
``PortalChange`` dated now. The first successful read is the baseline, not a change (nobody
knows when the page changed before); so is the first read after the agency's address changed.

One pass (``check_portals``) is what the worker's job "portal-checks" and ``flask --app app
portals check`` run: one commit per agency, idempotent (a second pass right after finds the
same text, or a 304), one process at a time (the lease ``portal_checks.lease``, renewed before
each page). The worker's job runs every few minutes and checks only the pages due (not checked
for ``PORTAL_CHECK_EVERY_SECONDS``, the longest unchecked first) and claims no page after
``PORTAL_CHECK_PASS_SECONDS``: the rest wait for its next run. Six portals dripping a byte every
two seconds held the worker — no poll, no index, no heartbeat — for a minute each, one after the
other (a review of hostile feeds, round 6). The command checks every page.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy import or_, select

from app.clock import utcnow
from app.extensions import db
from app.leases import claim_lease, new_owner, release_lease
from app.monitor.fetch_policy import FetchPolicy, FetchResult
from app.monitor.messages import Message
from app.monitor.page_text import page_text
from models import Agency, Feed, PortalChange, PortalCheck

if TYPE_CHECKING:  # the feeds' fetcher (httpx with it) is loaded when a check runs, not at every start
    from app.monitor.fetch import Fetcher

LEASE_KEY = "portal_checks.lease"
# No real portal page holds this many tags (a home page: a few thousand); reading 200,000 costs
# about a second and 150 MB.
PAGE_MAX_TAGS = 200_000
OUTCOMES = ("baseline", "changed", "unchanged", "not_modified", "failed")


@dataclass(frozen=True)
class PortalOutcome:
    agency: str  # slug
    url: str
    outcome: str  # OUTCOMES
    status: int | None = None
    error_code: str | None = None
    change_id: int | None = None

    def as_dict(self) -> dict:
        return {"agency": self.agency, "url": self.url, "outcome": self.outcome, "status": self.status,
                "error": self.error_code, "change_id": self.change_id}


@dataclass
class CheckSummary:
    results: list[PortalOutcome] = field(default_factory=list)
    skipped: str = ""  # "busy": another process holds the lease
    left: int = 0  # pages due and not checked: the pass's time was up (the worker's next run takes them)

    def counts(self) -> dict[str, int]:
        found = Counter(r.outcome for r in self.results)
        return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}

    def as_dict(self) -> dict:
        return {"checked": len(self.results), **self.counts(), "skipped": self.skipped or None,
                "left": self.left, "portals": [r.as_dict() for r in self.results]}

    def line(self) -> str:
        if self.skipped == "busy":
            return "portal checks: another process is checking"
        counts = self.counts()
        return (f"portal checks: {len(self.results)} pages, {counts['changed']} changed, {counts['unchanged']} "
                f"unchanged, {counts['not_modified']} not modified, {counts['baseline']} first read, "
                f"{counts['failed']} failed" + (f", {self.left} left for the next run" if self.left else ""))


def pages_to_check(due_before: datetime | None = None) -> list[Agency]:
    """Active agencies with a portal address and no active portal feed (unscoped: the system); with
    ``due_before``, only those not checked since then (or at another address), never checked first,
    then the longest unchecked."""
    with_feed = select(Feed.agency_id).where(Feed.agency_id.is_not(None), Feed.is_active.is_(True))
    query = (select(Agency).outerjoin(PortalCheck, PortalCheck.agency_id == Agency.id)
             .where(Agency.is_active.is_(True), Agency.portal_url != "", Agency.id.not_in(with_feed)))
    if due_before is None:
        return list(db.session.scalars(query.order_by(Agency.id)))
    query = query.where(or_(PortalCheck.id.is_(None), PortalCheck.last_checked_at.is_(None),
                            PortalCheck.last_checked_at <= due_before, PortalCheck.url != Agency.portal_url))
    return list(db.session.scalars(query.order_by(PortalCheck.last_checked_at.is_not(None),
                                                  PortalCheck.last_checked_at, Agency.id)))


def _record(agency: Agency, url: str, check: PortalCheck | None, result: FetchResult, now: datetime) -> PortalOutcome:
    """Apply one fetch of ``url`` to the agency's check row (and a change row): in the caller's
    transaction."""
    if check is None:
        check = PortalCheck(agency_id=agency.id, url=url, consecutive_failures=0)
        db.session.add(check)
    if check.url != url:  # a new address: its first read is a new baseline
        check.url, check.etag, check.last_modified, check.content_hash = url, None, None, None
    check.last_checked_at, check.last_status = now, result.status
    if not result.ok:
        check.last_outcome, check.last_error_code, check.last_error_detail = "failed", result.error_code, \
            result.error_detail
        check.consecutive_failures = (check.consecutive_failures or 0) + 1
        return PortalOutcome(agency.slug, url, "failed", result.status, result.error_code)
    tags = 0 if result.not_modified else (result.body or b"").count(b"<")
    if tags > PAGE_MAX_TAGS:
        # 14 MB of «<a x="» took 3.4 s and 1.6 GB to read (a review of hostile feeds, round 6): no
        # portal's page holds that many tags
        detail = Message("page.overgrown", {"count": tags, "limit": PAGE_MAX_TAGS})
        check.last_outcome, check.last_error_code, check.last_error_detail = "failed", "page.overgrown", \
            detail.as_json()
        check.consecutive_failures = (check.consecutive_failures or 0) + 1
        return PortalOutcome(agency.slug, url, "failed", result.status, "page.overgrown")
    check.last_error_code, check.last_error_detail, check.consecutive_failures = None, None, 0
    check.last_success_at = now
    check.etag, check.last_modified = result.etag, result.last_modified
    if result.not_modified and check.content_hash is not None:
        check.last_outcome = "not_modified"
        return PortalOutcome(agency.slug, url, "not_modified", result.status)
    text = page_text(result.body or b"", result.headers.get("content-type", ""))
    change_id = None
    if check.content_hash is None:
        outcome = "baseline"
        check.first_checked_at = check.first_checked_at or now
    elif check.content_hash == text.digest:
        outcome = "unchanged"
    else:
        outcome = "changed"
        change = PortalChange(agency_id=agency.id, url=url, changed_at=now, content_hash=text.digest,
                              previous_hash=check.content_hash, text_length=len(text.text), excerpt=text.excerpt)
        db.session.add(change)
        db.session.flush()
        change_id, check.last_changed_at = change.id, now
    check.content_hash, check.last_outcome = text.digest, outcome
    return PortalOutcome(agency.slug, url, outcome, result.status, change_id=change_id)


def check_portals(*, fetcher: Fetcher | None = None, now: datetime | None = None,
                  due_only: bool = False) -> CheckSummary:
    """Check every portal page (``pages_to_check``) once; one commit per agency. Runs as the
    system (unscoped). Another process holding the lease: nothing is done (``skipped`` "busy").
    ``due_only`` (the worker): the pages due, and none claimed after ``PORTAL_CHECK_PASS_SECONDS``
    (``left`` counts those waiting for the next run)."""
    summary = CheckSummary()
    owner, config = new_owner(), current_app.config
    lease_seconds = config["PORTAL_CHECK_LEASE_SECONDS"]
    if not claim_lease(LEASE_KEY, owner, lease_seconds):
        summary.skipped = "busy"
        return summary
    from app.monitor.fetch import Fetcher

    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(FetchPolicy.from_config(config))
    started = time.monotonic()
    try:
        due_before = (now or utcnow()) - timedelta(seconds=config["PORTAL_CHECK_EVERY_SECONDS"]) if due_only else None
        agencies = [(a.id, a.portal_url) for a in pages_to_check(due_before)]
        db.session.rollback()  # end the read: no transaction stays open during a fetch
        for done, (agency_id, url) in enumerate(agencies):
            if due_only and time.monotonic() - started >= config["PORTAL_CHECK_PASS_SECONDS"]:
                summary.left = len(agencies) - done
                break
            if not claim_lease(LEASE_KEY, owner, lease_seconds):  # renewed: a long pass keeps it
                summary.left = len(agencies) - done
                break
            check = db.session.scalar(select(PortalCheck).where(PortalCheck.agency_id == agency_id))
            conditional = check is not None and check.url == url and check.content_hash is not None
            etag = check.etag if conditional else None
            last_modified = check.last_modified if conditional else None
            db.session.rollback()
            result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
            try:
                agency = db.session.get(Agency, agency_id)
                check = db.session.scalar(select(PortalCheck).where(PortalCheck.agency_id == agency_id))
                summary.results.append(_record(agency, url, check, result, now or utcnow()))
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
    finally:
        if own_fetcher:
            fetcher.close()
        release_lease(LEASE_KEY, owner)
    return summary


JOB_EVERY_SECONDS = 300  # the job looks for pages due this often (each is checked every PORTAL_CHECK_EVERY_SECONDS)


def check_job(app: Flask) -> str:
    """The worker's "portal-checks" job: the pages due, within the pass's time."""
    return check_portals(due_only=True).line()


def register_jobs(app: Flask) -> None:
    """Add the "portal-checks" job to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("portal-checks", min(JOB_EVERY_SECONDS, app.config["PORTAL_CHECK_EVERY_SECONDS"]), check_job))
