"""One claimed feed fetched and parsed (in a pool thread, no database); never raises."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.clock import utcnow
from app.leases import Claim
from app.monitor.messages import Message
from app.monitor.parse import FeedParseError, parse_feed
from app.monitor.store import FeedOutcome

if TYPE_CHECKING:  # the worker makes its Fetcher (app/monitor/fetch.py): httpx comes with it, not at every start
    from app.monitor.fetch import Fetcher

log = logging.getLogger(__name__)
INTERNAL_ERROR = Message("internal_error")
INTERNAL_ERROR_FA = INTERNAL_ERROR.persian()


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
        if result.permanent_redirect and result.final_url and result.final_url != claim.url:
            outcome.moved_to = result.final_url
        if result.not_modified:
            outcome.not_modified = True
            return outcome
        outcome.parsed = parse_feed(result.body or b"", headers=result.headers, base_url=result.final_url,
                                    encoding_override=claim.encoding_override,
                                    max_entries=fetcher.policy.max_entries)
        if (outcome.parsed.warning_detail or {}).get("key") == "warning.truncated":
            # A body cut off (the connection closed mid-document, no Content-Length) is no copy of
            # the version its ETag names: kept, the next polls were 304s and the entries after the
            # cut were never read (a review of hostile feeds, round 7).
            outcome.etag = outcome.last_modified = None
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
