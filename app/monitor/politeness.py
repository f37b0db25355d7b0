"""Polite polling: how long to wait after failures (exponential backoff with jitter, Retry-After)
and how many requests one host gets at a time. Pure Python: no Flask, no database."""
from __future__ import annotations

import email.utils
import math
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from app.clock import as_utc, utcnow
from search_index.persian import ascii_digits

RETRY_AFTER_MAX = 86400  # seconds: ``next_backoff``'s cap, so no longer wait is ever scheduled
# Seconds as servers write them besides HTTP's ASCII integer: a fraction («120.5», «120,5») and Persian or
# Arabic-Indic digits («۱۲۰», «۱۲۰٫۵»). Each read «later», without a wait (a review of hostile feeds, round 13).
# A comma before three digits groups thousands («3,600»: an hour, as «۳٬۶۰۰» is), not a fraction.
_SECONDS = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[.,]([0-9]*))?", re.ASCII)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header, delta-seconds or HTTP-date, at most ``RETRY_AFTER_MAX``
    (what the schedule allows: the message then names the wait that is kept); None when absent,
    unreadable («²», a date past the calendar) or not in the future. Delta-seconds may have a
    fraction, rounded up, and Persian or Arabic-Indic digits («۱۲۰»)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    number = _SECONDS.fullmatch(ascii_digits(value)) if len(value) <= 1000 else None
    if number:
        whole, fraction = number.groups()
        whole = whole.replace(",", "")
        # the whole part compared by its length first: int() of thousands of digits is slow, and past 4,300 refused
        seconds = float(RETRY_AFTER_MAX if len(whole.lstrip("0")) > 9 else min(int(whole), RETRY_AFTER_MAX))
        if fraction and fraction.strip("0"):
            seconds = min(math.floor(seconds) + 1, RETRY_AFTER_MAX)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        seconds = (as_utc(when) - (now or utcnow())).total_seconds()
    return min(seconds, RETRY_AFTER_MAX) if seconds > 0 else None


def next_backoff(consecutive_failures: int, *, base: float = 300, cap: float = 86400,
                 retry_after: float | None = None, rng=random) -> float:
    """Seconds before the next try: base·2^(n-1) with equal jitter (half fixed, half random,
    so the delay never collapses to zero), never less than Retry-After, capped at `cap`."""
    delay = 0.0
    if consecutive_failures > 0:
        ceiling = min(cap, base * 2 ** min(consecutive_failures - 1, 64))
        delay = ceiling / 2 + rng.uniform(0, ceiling / 2)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(cap, delay)


class HostLimiter:
    """At most `limit` requests at a time to one host name, across the threads of a pool."""

    def __init__(self, limit: int = 2):
        self.limit = limit
        self._lock = threading.Lock()
        self._semaphores: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[float]:
        """Hold a slot for `host`; yields the seconds spent waiting for it."""
        with self._lock:
            semaphore = self._semaphores.setdefault(host.lower(),
                                                    threading.BoundedSemaphore(self.limit))
        started = time.monotonic()
        semaphore.acquire()
        try:
            yield time.monotonic() - started
        finally:
            semaphore.release()


_shared_limiters: dict[int, HostLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(limit: int) -> HostLimiter:
    """The process-wide limiter for a given per-host limit (one registry for every Fetcher)."""
    with _shared_lock:
        return _shared_limiters.setdefault(limit, HostLimiter(limit))
