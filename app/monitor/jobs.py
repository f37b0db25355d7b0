"""The monitor's worker jobs (registered in `app.extensions["hamzaban_jobs"]`)."""
from __future__ import annotations

from flask import Flask


def poll_feeds_job(app: Flask) -> str:
    """One polling pass over the due feeds; the one-line summary goes to the worker's log."""
    from app.monitor.schedule import poll_feeds

    return poll_feeds(app.config).line()


def register_jobs(app: Flask) -> None:
    """Add the "poll-feeds" job (every FEED_POLL_EVERY_SECONDS) to the worker's schedule."""
    jobs = app.extensions.setdefault("hamzaban_jobs", [])
    jobs.append(("poll-feeds", app.config["FEED_POLL_EVERY_SECONDS"], poll_feeds_job))
