"""Handing a report out: at once, or as a job of the worker with its progress (the job store
and the worker's loop of app/services/file_jobs.py, shared with the search exports).

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
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _

from app.clock import utcnow
from app.extensions import db
from app.scoping import agency_scope, scope_for_user
from app.services import ServiceError
from app.services.documents import MIMETYPES
from app.services.file_jobs import FileJobs, progress_percent, record_state
from app.services.reports import (
    Document,
    ReportSpec,
    build_report,
    parse_report,
    report_rows,
)
from models import User

KEY_PREFIX = "report_job:"
LEASE = "reports.job_lease"
LEASE_SECONDS = 300
KEEP_HOURS = 24
REUSE_MINUTES = 10  # the same report asked again within this time is the same job
DIRECT_ROWS = 150  # rows a report may have to be built in the request
STEPS = ("queued", "read", "rendered", "written")  # done = the index of the last step reached
JOBS = FileJobs(KEY_PREFIX, LEASE, LEASE_SECONDS, "reports", KEEP_HOURS, REUSE_MINUTES,
                not_found=lambda: _("این گزارش پیدا نشد."), file_format=lambda job: job["request"]["format"])


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
        return progress_percent(self.state, self.done, self.total)


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
    same = JOBS.reusable(actor.id, request=wanted)
    if same is not None:
        return _status(*same)
    return _status(*JOBS.queue({"owner": actor.id, "request": wanted, "state": "queued", "done": 0,
                                "total": len(STEPS) - 1, "rows": rows, "filename": spec.filename}))


def report_status(token: str, *, actor) -> ReportStatus:
    """The state of one of the actor's report jobs. :raise NotFound: unknown, expired or another's."""
    return _status(*JOBS.own_job(token, actor))


def report_file(token: str, *, actor) -> tuple[Path, str, str]:
    """(path, download name, mimetype) of the actor's finished report.
    :raise NotFound: unknown, unfinished, expired or another user's report."""
    job, path = JOBS.finished_file(token, actor)
    return path, job["filename"], MIMETYPES[job["request"]["format"]]


def _status(key: str, job: dict) -> ReportStatus:
    return ReportStatus(JOBS.token(key), job["request"]["kind"], job["request"]["format"], job["state"],
                        job["done"], job["total"], job["filename"])


# --- the worker's job ---------------------------------------------------------------------------


def write_report(key: str, job: dict, renew=lambda: None) -> bool:
    """Build one report's file (again from the start: idempotent), recording each step; False when
    the owner may no longer have it (the job fails)."""
    owner = db.session.get(User, job["owner"], execution_options={"unscoped": True})
    job = {**job, "state": "running", "done": 0}
    record_state(key, job)
    request = job["request"]
    try:
        if owner is None or not owner.is_active:
            raise ServiceError("owner gone")
        spec = parse_report(request["kind"], request["agency"], request["period"], request["format"], actor=owner)
    except ServiceError:  # the owner may no longer read this agency's reports
        db.session.rollback()
        record_state(key, {**job, "state": "failed"})
        return False
    part, final = JOBS.new_file(key, job)

    def step(name: str) -> None:
        record_state(key, {**job, "done": STEPS.index(name)})
        renew()

    document = build_report(spec, actor=owner, progress=step)
    part.write_bytes(document.data)
    os.replace(part, final)
    db.session.rollback()  # end the read transaction
    record_state(key, {**job, "state": "done", "done": STEPS.index("written"), "finished": utcnow().isoformat()})
    return True


def report_jobs_job(app: Flask) -> str:
    """Build the queued reports (one worker at a time), then remove the expired ones."""
    return JOBS.run(write_report, noun="reports", busy="busy: another worker builds the reports",
                    failure="report job %s failed")


def register_jobs(app: Flask) -> None:
    """Add the "report-jobs" job (every SEARCH_INDEX_EVERY_SECONDS) to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("report-jobs", app.config["SEARCH_INDEX_EVERY_SECONDS"], report_jobs_job))
