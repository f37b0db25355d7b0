"""A file the worker writes for one user, kept as a job: the store and the worker's loop that
search exports (search_export_jobs.py) and report jobs (report_jobs.py) share.

A job is a ``settings`` row ``<key prefix><token>`` holding a dict: the owner's user id, the
state (queued → running → done | failed), its progress (``done`` of ``total``), when it was
``created`` and whatever its kind needs to write the file. The worker's job (``FileJobs.run``)
writes the queued ones one worker at a time (a lease), each file into ``<data folder>/<folder>``
(``.part`` first, renamed when complete), recording the state on its own short connection; a job
left "running" by a killed worker is written again from the start. A file is served to its owner
only; job and file are removed ``keep_hours`` after the job was created.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app.clock import utcnow
from app.extensions import db
from app.leases import claim_lease, new_owner, release_lease
from app.services import NotFound
from app.services.settings import set_setting
from models import Setting


def record_state(key: str, job: dict) -> None:
    """Store a job's state on a connection of its own: the writer's read session stays open."""
    with db.engine.begin() as conn:
        conn.execute(update(Setting).where(Setting.key == key).values(value=job, updated_at=utcnow()))


@dataclass(frozen=True)
class FileJobs:
    """One kind of file job: where its rows and files are, how long they live, who writes them."""

    key_prefix: str  # of its settings rows
    lease: str  # held by the worker that writes them
    lease_seconds: int
    folder_name: str  # under DATA_DIR
    keep_hours: int  # after its creation a job and its file are removed
    reuse_minutes: int  # the same file asked again by its owner within this time is the same job
    not_found: Callable[[], str]  # the message of NotFound (called in the request, for its locale)
    file_format: Callable[[dict], str]  # a job's file ending: "csv", "xlsx", …

    # --- the store ---------------------------------------------------------------------------

    def jobs(self) -> list[tuple[str, dict]]:
        """(key, job) of every job, the least recently updated first."""
        rows = db.session.scalars(select(Setting).where(Setting.key.startswith(self.key_prefix))
                                  .order_by(Setting.updated_at))
        return [(row.key, row.value) for row in rows if isinstance(row.value, dict)]

    def token(self, key: str) -> str:
        return key[len(self.key_prefix):]

    def reusable(self, owner_id: int, **fields) -> tuple[str, dict] | None:
        """The owner's job with these ``fields``, not failed, created in the last ``reuse_minutes``."""
        since = utcnow() - timedelta(minutes=self.reuse_minutes)
        for key, job in self.jobs():
            if (job["owner"] == owner_id and all(job.get(name) == value for name, value in fields.items())
                    and job["state"] != "failed" and _created(job) >= since):
                return key, job
        return None

    def queue(self, job: dict) -> tuple[str, dict]:
        """Store ``job`` (owner, state "queued", …) under a new token with its creation time, commit."""
        key = self.key_prefix + secrets.token_urlsafe(16)
        job = {**job, "created": utcnow().isoformat()}
        set_setting(key, job)
        db.session.commit()
        return key, job

    def own_job(self, token: str | None, actor) -> tuple[str, dict]:
        """(key, job) of the actor's job. :raise NotFound: unknown, expired or another user's."""
        key = self.key_prefix + (token or "")
        row = db.session.get(Setting, key) if len(key) <= 64 else None
        if row is None or not isinstance(row.value, dict) or row.value.get("owner") != getattr(actor, "id", None):
            raise NotFound(self.not_found())
        return key, row.value

    def finished_file(self, token: str | None, actor) -> tuple[dict, Path]:
        """(job, path) of the actor's written file. :raise NotFound: unknown, unfinished, expired
        or another user's."""
        job = self.own_job(token, actor)[1]
        path = self.path(token, self.file_format(job))
        if job["state"] != "done" or not path.exists():
            raise NotFound(self.not_found())
        return job, path

    def folder(self) -> Path:
        return Path(current_app.config["DATA_DIR"]) / self.folder_name

    def path(self, token: str, fmt: str) -> Path:
        return self.folder() / f"{token}.{fmt}"

    def new_file(self, key: str, job: dict) -> tuple[Path, Path]:
        """(part, final): where a writer writes the job's file and where it renames it when complete."""
        self.folder().mkdir(parents=True, exist_ok=True)
        final = self.path(self.token(key), self.file_format(job))
        return final.with_name(final.name + ".part"), final

    def remove_old(self) -> int:
        """Delete the jobs (row and file, whole or part) created more than ``keep_hours`` ago, and
        files of that age no job names (a job removed while the worker wrote it); commit."""
        limit = utcnow() - timedelta(hours=self.keep_hours)
        removed = self._remove(lambda job: _created(job) < limit)
        folder = self.folder()
        if folder.is_dir():
            known = {self.token(key) for key, _ in self.jobs()}
            for path in folder.iterdir():
                if path.name.split(".", 1)[0] not in known and path.stat().st_mtime < limit.timestamp():
                    path.unlink(missing_ok=True)
        db.session.commit()
        return removed

    def remove_owned(self, owner_id: int) -> int:
        """Delete every job of one owner (row and file), without committing: their account's rights
        changed, and a file made under the old ones is theirs no more (a review of login, round 4:
        a report of the water agency's cases stayed downloadable after its owner moved to another
        agency)."""
        return self._remove(lambda job: job.get("owner") == owner_id)

    def _remove(self, which: Callable[[dict], bool]) -> int:
        removed = 0
        for key, job in self.jobs():
            if which(job):
                final = self.path(self.token(key), self.file_format(job))
                for path in (final, final.with_name(final.name + ".part")):
                    path.unlink(missing_ok=True)
                db.session.delete(db.session.get(Setting, key))
                removed += 1
        return removed

    # --- the worker's job ----------------------------------------------------------------------

    def run(self, write_one: Callable[..., bool | None], *, noun: str, busy: str, failure: str) -> str:
        """Write the queued jobs (one worker at a time), then remove the expired ones.

        ``write_one(key, job, renew=…)`` writes one file; it counts as written unless it returns
        False (it recorded the job failed) or raises (the job is recorded failed, ``failure`` %
        key logged). ``busy`` is the answer when another worker holds the lease; else
        "N <noun> written, F failed, R removed".
        """
        owner = new_owner()
        if not claim_lease(self.lease, owner, self.lease_seconds):
            return busy
        written = failed = 0
        try:
            for key, job in self.jobs():
                if job["state"] not in ("queued", "running"):  # running: its writer died (we hold the lease)
                    continue
                db.session.rollback()
                try:
                    ok = write_one(key, job, renew=lambda: claim_lease(self.lease, owner, self.lease_seconds))
                except Exception:
                    db.session.rollback()
                    record_state(key, {**job, "state": "failed"})
                    ok = False
                    current_app.logger.exception(failure, key)
                if ok is False:
                    failed += 1
                else:
                    written += 1
            removed = self.remove_old()
        finally:
            release_lease(self.lease, owner)
        return f"{written} {noun} written, {failed} failed, {removed} removed"


def progress_percent(state: str, done: int, total: int) -> int:
    """A job's progress for its page: 100 once done, else at most 99."""
    if state == "done":
        return 100
    return min(99, done * 100 // total) if total else 0


def _created(job: dict) -> datetime:
    return datetime.fromisoformat(job["created"])
