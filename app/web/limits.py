"""Per-user rate limits on costly pages: searches, exports and the rule tester.

``@rate_limited("search")`` under ``@access``: each use by a logged-in user is counted in the
database (app/throttle.py, shared by every process); past the limit of its window the answer is
429 with a Persian page (JSON under /api/) saying when to come back, and a Retry-After header.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from app import clock, throttle

# bucket → (setting with the limit, window, what the user was doing, for the message)
LIMITS = {
    "search": ("RATE_SEARCHES_PER_MINUTE", timedelta(minutes=1), _l("جست‌وجو")),
    "export": ("RATE_EXPORTS_PER_HOUR", timedelta(hours=1), _l("خروجی گرفتن از جست‌وجو")),
    "rule-test": ("RATE_RULE_TESTS_PER_MINUTE", timedelta(minutes=1), _l("آزمودن قاعده")),
    # reports counted apart: they used the search exports' 20 an hour, and the refusal named those
    # (a newcomer's walk: a supervisor's month of twenty agencies' reports was locked out for an hour)
    "report": ("RATE_REPORTS_PER_HOUR", timedelta(hours=1), _l("گرفتن گزارش")),
}


class RateLimited(TooManyRequests):
    """429 with what was limited and how many seconds to wait (the error page reads both)."""

    def __init__(self, what: str, seconds: int):
        super().__init__(retry_after=seconds)
        self.what = what
        self.seconds = seconds


def rate_limited(bucket: str, when: Callable[[], bool] = lambda: True) -> Callable:
    """Count a use of ``bucket`` per user (when ``when()`` says the request is one) and refuse past the limit."""
    setting, window, what = LIMITS[bucket]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            limit = current_app.config[setting]
            if limit and current_user.is_authenticated and when():
                now = clock.utcnow()
                retry_at = throttle.hit(f"rate:{bucket}:{current_user.id}", limit, window, now)
                if retry_at is not None:
                    raise RateLimited(str(what), max(1, math.ceil((retry_at - now).total_seconds())))
            return view(*args, **kwargs)

        return wrapped

    return decorator
