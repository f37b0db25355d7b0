"""Exporting search results: the use case of the page's CSV/XLSX buttons and the worker's job.

``start_export`` builds a small export at once; a larger one (over ``DIRECT_ROWS``) becomes a
job: a ``settings`` row ``search_export:<token>`` holding the owner, the request, the state
(queued → running → done | failed) and the rows written so far. The worker's "search-exports"
job (one writer at a time: a lease) writes the file into ``<data folder>/exports`` and records
its progress on its own short connection; a job left "running" by a killed worker is started
again from the beginning (the file is written to ``.part`` and renamed when complete). Files are
served only to their owner and removed after ``KEEP_HOURS``. The store and the worker's loop are
app/services/file_jobs.py's, shared with the report jobs.
"""
from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from flask import Flask
from flask_babel import gettext as _

from app.clock import utcnow
from app.extensions import db
from app.scoping import agency_scope, scope_for_user
from app.services import ServiceError
from app.services.file_jobs import FileJobs, progress_percent, record_state
from app.services.search_export import (
    DIRECT_ROWS,
    FORMATS,
    MAX_ROWS,
    count_results,
    csv_chunks,
    export_rows,
    filename,
    iter_results,
    write_xlsx,
)
from models import User
from search_index.backend import SearchRequest

KEY_PREFIX = "search_export:"
LEASE = "search.export_lease"
LEASE_SECONDS = 120
KEEP_HOURS = 24
REUSE_MINUTES = 10     # the same export asked again within this time is the same job
PROGRESS_EVERY = 250   # rows between two progress records
JOBS = FileJobs(KEY_PREFIX, LEASE, LEASE_SECONDS, "exports", KEEP_HOURS, REUSE_MINUTES,
                not_found=lambda: _("این خروجی پیدا نشد."), file_format=lambda job: job["format"])


@dataclass
class DirectExport:
    """A small export, built in the request."""

    data: bytes
    filename: str
    mimetype: str


@dataclass
class ExportStatus:
    token: str
    format: str
    state: str         # queued | running | done | failed
    done: int
    total: int

    @property
    def percent(self) -> int:
        return progress_percent(self.state, self.done, self.total)


# --- the use case of the page -------------------------------------------------------------------


def _request_json(request: SearchRequest) -> dict:
    data = asdict(request)
    for key in ("date_from", "date_to"):
        data[key] = data[key].isoformat() if data[key] else None
    data.pop("page"), data.pop("per_page")
    return json.loads(json.dumps(data))  # as stored (lists), so that two requests compare equal


def _request_from_json(data: dict) -> SearchRequest:
    values = dict(data)
    for key in ("date_from", "date_to"):
        values[key] = date.fromisoformat(values[key]) if values[key] else None
    for key in ("outlet_ids", "scopes", "agencies", "statuses", "doc_types"):
        values[key] = tuple(values.get(key) or ())
    return SearchRequest(**values)


def start_export(request: SearchRequest, fmt: str, *, actor) -> DirectExport | ExportStatus:
    """Export the results of ``request`` as the actor would find them (same scoped search).

    Up to ``DIRECT_ROWS`` results: the file itself. More: a queued job (or the actor's same
    export asked in the last ``REUSE_MINUTES``), committed for the worker.
    :raise ServiceError: an unknown format, an empty query, no index yet.
    """
    if fmt not in FORMATS:
        raise ServiceError(_("قالب خروجی ناشناخته است."))
    nothing = _("عبارتی برای جست‌وجو وارد نشده است.")  # the search page's warning, the same words
    if not request.text.strip():
        raise ServiceError(nothing)
    first = count_results(request, actor=actor)
    if first.index_missing:
        raise ServiceError(_("نمایهٔ جست‌وجو هنوز ساخته نشده است؛ پردازشگر پس‌زمینه آن را به‌زودی می‌سازد."))
    if "empty" in first.warning_codes and not first.total:  # «😀», «-», «""»: no word (an empty file before)
        raise ServiceError(nothing)
    total = min(first.total, MAX_ROWS)
    if total <= DIRECT_ROWS:
        with agency_scope(scope_for_user(actor)):  # the routes shown are those the actor may read
            rows = export_rows(iter_results(request, actor=actor, limit=total))
            if fmt == "csv":
                data = "".join(csv_chunks(rows)).encode("utf-8")
            else:
                buffer = io.BytesIO()
                write_xlsx(rows, buffer)
                data = buffer.getvalue()
        return DirectExport(data, filename(fmt), FORMATS[fmt])
    wanted = _request_json(request)
    same = JOBS.reusable(actor.id, format=fmt, request=wanted)
    if same is not None:
        return _status(*same)
    return _status(*JOBS.queue({"owner": actor.id, "format": fmt, "request": wanted, "state": "queued",
                                "done": 0, "total": total}))


def export_status(token: str, *, actor) -> ExportStatus:
    """The state of one of the actor's exports. :raise NotFound: unknown, expired or another's."""
    return _status(*JOBS.own_job(token, actor))


def export_file(token: str, *, actor) -> tuple[Path, str, str]:
    """(path, download name, mimetype) of the actor's finished export.
    :raise NotFound: unknown, unfinished, expired or another user's export."""
    job, path = JOBS.finished_file(token, actor)
    return path, filename(job["format"]), FORMATS[job["format"]]


def _status(key: str, job: dict) -> ExportStatus:
    return ExportStatus(JOBS.token(key), job["format"], job["state"], job["done"], job["total"])


# --- the worker's job ---------------------------------------------------------------------------


def write_export(key: str, job: dict, renew=lambda: None) -> bool:
    """Write one export's file (again from the start: idempotent), recording its progress; False
    when its owner is gone or deactivated (the job fails)."""
    owner = db.session.get(User, job["owner"])
    job = {**job, "state": "running", "done": 0}
    record_state(key, job)
    if owner is None or not owner.is_active:
        record_state(key, {**job, "state": "failed"})
        return False
    part, final = JOBS.new_file(key, job)

    written = 0

    def counted(rows):
        nonlocal written
        for row in rows:
            yield row
            written += 1
            if written % PROGRESS_EVERY == 0:
                record_state(key, {**job, "done": written})
                renew()

    with agency_scope(scope_for_user(owner)):
        results = iter_results(_request_from_json(job["request"]), actor=owner, limit=min(job["total"], MAX_ROWS))
        rows = counted(export_rows(results))
        if job["format"] == "csv":
            with part.open("w", encoding="utf-8", newline="") as out:
                for chunk in csv_chunks(rows):
                    out.write(chunk)
        else:
            write_xlsx(rows, str(part))
    os.replace(part, final)
    db.session.rollback()  # end the read transaction
    record_state(key, {**job, "state": "done", "done": written, "finished": utcnow().isoformat()})
    return True


def exports_job(app: Flask) -> str:
    """Write the queued exports (one worker at a time), then remove the expired ones."""
    return JOBS.run(write_export, noun="exports", busy="busy: another worker writes the exports",
                    failure="search export %s failed")


def register_jobs(app: Flask) -> None:
    """Add the "search-exports" job (every SEARCH_INDEX_EVERY_SECONDS) to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("search-exports", app.config["SEARCH_INDEX_EVERY_SECONDS"], exports_job))
