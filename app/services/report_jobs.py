"""Handing a report out: at once, or as a job of the worker with its progress (the pattern of
app/services/search_export_jobs.py, whose rules this copies).

``start_report`` builds a report of up to ``DIRECT_ROWS`` rows in the request; a larger one
becomes a job: a ``settings`` row ``report_job:<token>`` holding the owner, the request (kind,
agency slug, period, format), the state (queued → running → done | failed) and its progress in
steps (read the data, render, write the file: ``STEPS``). The worker's "report-jobs" job (one
writer at a time: a lease) writes the file into ``<data folder>/reports`` (``.part`` first,
renamed when complete) and records each step on its own short connection; a job left
"running" by a killed worker is built again from the start. The owner is checked again when the
job runs (a user moved to another agency meanwhile gets nothing). Files are served to their
owner only and removed after ``KEEP_HOURS``.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.clock import utcnow
from app.extensions import db
from app.leases import claim_lease, new_owner, release_lease
from app.scoping import agency_scope, scope_for_user
from app.services import NotFound, ServiceError
from app.services.documents import MIMETYPES
from app.services.reports import (
    Document,
    ReportSpec,
    build_report,
    parse_report,
    report_rows,
)
from app.services.settings import set_setting
from models import Setting, User

KEY_PREFIX = "report_job:"
LEASE = "reports.job_lease"
LEASE_SECONDS = 300
KEEP_HOURS = 24
REUSE_MINUTES = 10  # the same report asked again within this time is the same job
DIRECT_ROWS = 150  # rows a report may have to be built in the request
STEPS = ("queued", "read", "rendered", "written")  # done = the index of the last step reached


@dataclass
class ReportStatus:
    token: str
    kind: str
    format: str
    state: str  # queued | running | done | failed
    done: int  # steps
    total: int
    filename: str

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


def _request(spec: ReportSpec) -> dict:
    return {"kind": spec.kind, "agency": spec.agency.slug, "period": spec.period_key, "format": spec.format}


def start_report(kind: str, agency_slug: str | None, period: str | None, fmt: str, *, actor,
                 force_job: bool = False) -> Document | ReportStatus:
    """The report at once (``Document``), or a queued job (``ReportStatus``, committed) when it
    has more than ``DIRECT_ROWS`` rows (or ``force_job``); the actor's same report asked in the last
    ``REUSE_MINUTES`` is the same job. :raise ServiceError / NotAllowed: see parse_report."""
    spec = parse_report(kind, agency_slug, period, fmt, actor=actor)
    with agency_scope(scope_for_user(actor)):
        rows = report_rows(spec)
    if rows <= DIRECT_ROWS and not force_job:
        return build_report(spec, actor=actor)
    wanted = _request(spec)
    since = utcnow() - timedelta(minutes=REUSE_MINUTES)
    for key, job in _jobs():
        if (job["owner"] == actor.id and job["request"] == wanted and job["state"] != "failed"
                and _created(job) >= since):
            return _status(key, job)
    token = secrets.token_urlsafe(16)
    job = {"owner": actor.id, "request": wanted, "state": "queued", "done": 0, "total": len(STEPS) - 1,
           "rows": rows, "filename": spec.filename, "created": utcnow().isoformat()}
    set_setting(KEY_PREFIX + token, job)
    db.session.commit()
    return _status(KEY_PREFIX + token, job)


def report_status(token: str, *, actor) -> ReportStatus:
    """The state of one of the actor's report jobs. :raise NotFound: unknown, expired or another's."""
    return _status(*_own_job(token, actor))


def report_file(token: str, *, actor) -> tuple[Path, str, str]:
    """(path, download name, mimetype) of the actor's finished report.
    :raise NotFound: unknown, unfinished, expired or another user's report."""
    job = _own_job(token, actor)[1]
    path = _path(token, job["request"]["format"])
    if job["state"] != "done" or not path.exists():
        raise NotFound(_("این گزارش پیدا نشد."))
    return path, job["filename"], MIMETYPES[job["request"]["format"]]


def _own_job(token: str, actor) -> tuple[str, dict]:
    key = KEY_PREFIX + (token or "")
    row = db.session.get(Setting, key) if len(key) <= 64 else None
    if row is None or not isinstance(row.value, dict) or row.value.get("owner") != getattr(actor, "id", None):
        raise NotFound(_("این گزارش پیدا نشد."))
    return key, row.value


def _status(key: str, job: dict) -> ReportStatus:
    return ReportStatus(key[len(KEY_PREFIX):], job["request"]["kind"], job["request"]["format"], job["state"],
                        job["done"], job["total"], job["filename"])


def _jobs() -> list[tuple[str, dict]]:
    rows = db.session.scalars(select(Setting).where(Setting.key.startswith(KEY_PREFIX)).order_by(Setting.updated_at))
    return [(row.key, row.value) for row in rows if isinstance(row.value, dict)]


def _created(job: dict) -> datetime:
    return datetime.fromisoformat(job["created"])


def _folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "reports"


def _path(token: str, fmt: str) -> Path:
    return _folder() / f"{token}.{fmt}"


# --- the worker's job ---------------------------------------------------------------------------


def _record(key: str, job: dict) -> None:
    """Store the job's state on a connection of its own (the report's read session stays open)."""
    with db.engine.begin() as conn:
        conn.execute(update(Setting).where(Setting.key == key).values(value=job, updated_at=utcnow()))


def write_report(key: str, job: dict, renew=lambda: None) -> bool:
    """Build one report's file (again from the start: idempotent), recording each step; False when
    the owner may no longer have it (the job fails)."""
    token = key[len(KEY_PREFIX):]
    owner = db.session.get(User, job["owner"], execution_options={"unscoped": True})
    job = {**job, "state": "running", "done": 0}
    _record(key, job)
    request = job["request"]
    try:
        if owner is None or not owner.is_active:
            raise ServiceError("owner gone")
        spec = parse_report(request["kind"], request["agency"], request["period"], request["format"], actor=owner)
    except ServiceError:  # the owner may no longer read this agency's reports
        db.session.rollback()
        _record(key, {**job, "state": "failed"})
        return False
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    final = _path(token, request["format"])
    part = final.with_name(final.name + ".part")

    def step(name: str) -> None:
        _record(key, {**job, "done": STEPS.index(name)})
        renew()

    document = build_report(spec, actor=owner, progress=step)
    part.write_bytes(document.data)
    os.replace(part, final)
    db.session.rollback()  # end the read transaction
    _record(key, {**job, "state": "done", "done": STEPS.index("written"), "finished": utcnow().isoformat()})
    return True


def _remove_old() -> int:
    """Delete reports (row and file) older than KEEP_HOURS."""
    limit = utcnow() - timedelta(hours=KEEP_HOURS)
    removed = 0
    for key, job in _jobs():
        if _created(job) < limit:
            final = _path(key[len(KEY_PREFIX):], job["request"]["format"])
            for path in (final, final.with_name(final.name + ".part")):
                path.unlink(missing_ok=True)
            db.session.delete(db.session.get(Setting, key))
            removed += 1
    db.session.commit()
    return removed


def report_jobs_job(app: Flask) -> str:
    """Build the queued reports (one worker at a time), then remove the expired ones."""
    owner = new_owner()
    if not claim_lease(LEASE, owner, LEASE_SECONDS):
        return "busy: another worker builds the reports"
    written = failed = 0
    try:
        for key, job in _jobs():
            if job["state"] not in ("queued", "running"):  # running: its writer died (we hold the lease)
                continue
            db.session.rollback()
            try:
                ok = write_report(key, job, renew=lambda: claim_lease(LEASE, owner, LEASE_SECONDS))
            except Exception:
                db.session.rollback()
                _record(key, {**job, "state": "failed"})
                ok = False
                current_app.logger.exception("report job %s failed", key)
            written, failed = written + ok, failed + (not ok)
        removed = _remove_old()
    finally:
        release_lease(LEASE, owner)
    return f"{written} reports written, {failed} failed, {removed} removed"


def register_jobs(app: Flask) -> None:
    """Add the "report-jobs" job (every SEARCH_INDEX_EVERY_SECONDS) to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("report-jobs", app.config["SEARCH_INDEX_EVERY_SECONDS"], report_jobs_job))
