"""Exporting search results: the use case of the page's CSV/XLSX buttons and the worker's job.

``start_export`` builds a small export at once; a larger one (over ``DIRECT_ROWS``) becomes a
job: a ``settings`` row ``search_export:<token>`` holding the owner, the request, the state
(queued → running → done | failed) and the rows written so far. The worker's "search-exports"
job (one writer at a time: a lease) writes the file into ``<data folder>/exports`` and records
its progress on its own short connection; a job left "running" by a killed worker is started
again from the beginning (the file is written to ``.part`` and renamed when complete). Files are
served only to their owner and removed after ``KEEP_HOURS``.
"""
from __future__ import annotations

import io
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.clock import utcnow
from app.extensions import db
from app.leases import claim_lease, new_owner, release_lease
from app.scoping import agency_scope, scope_for_user
from app.services import NotFound, ServiceError
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
from app.services.settings import set_setting
from models import Setting, User
from search_index.backend import SearchRequest

KEY_PREFIX = "search_export:"
LEASE = "search.export_lease"
LEASE_SECONDS = 120
KEEP_HOURS = 24
REUSE_MINUTES = 10     # the same export asked again within this time is the same job
PROGRESS_EVERY = 250   # rows between two progress records


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
        if self.state == "done":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


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
    if not request.text.strip():
        raise ServiceError(_("عبارتی برای جست‌وجو وارد نشده است."))
    first = count_results(request, actor=actor)
    if first.index_missing:
        raise ServiceError(_("نمایهٔ جست‌وجو هنوز ساخته نشده است؛ پردازشگر پس‌زمینه آن را به‌زودی می‌سازد."))
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
    since = utcnow() - timedelta(minutes=REUSE_MINUTES)
    for key, job in _jobs():
        if (job["owner"] == actor.id and job["format"] == fmt and job["request"] == wanted
                and job["state"] != "failed" and _created(job) >= since):
            return _status(key, job)
    token = secrets.token_urlsafe(16)
    job = {"owner": actor.id, "format": fmt, "request": wanted, "state": "queued", "done": 0,
           "total": total, "created": utcnow().isoformat()}
    set_setting(KEY_PREFIX + token, job)
    db.session.commit()
    return _status(KEY_PREFIX + token, job)


def export_status(token: str, *, actor) -> ExportStatus:
    """The state of one of the actor's exports. :raise NotFound: unknown, expired or another's."""
    key, job = _own_job(token, actor)
    return _status(key, job)


def export_file(token: str, *, actor) -> tuple[Path, str, str]:
    """(path, download name, mimetype) of the actor's finished export.
    :raise NotFound: unknown, unfinished, expired or another user's export."""
    job = _own_job(token, actor)[1]
    path = _path(token, job["format"])
    if job["state"] != "done" or not path.exists():
        raise NotFound(_("این خروجی پیدا نشد."))
    return path, filename(job["format"]), FORMATS[job["format"]]


def _own_job(token: str, actor) -> tuple[str, dict]:
    key = KEY_PREFIX + token
    row = db.session.get(Setting, key) if len(key) <= 64 else None
    if row is None or not isinstance(row.value, dict) or row.value.get("owner") != getattr(actor, "id", None):
        raise NotFound(_("این خروجی پیدا نشد."))
    return key, row.value


def _status(key: str, job: dict) -> ExportStatus:
    return ExportStatus(key[len(KEY_PREFIX):], job["format"], job["state"], job["done"], job["total"])


def _jobs() -> list[tuple[str, dict]]:
    rows = db.session.scalars(select(Setting).where(Setting.key.startswith(KEY_PREFIX)).order_by(Setting.updated_at))
    return [(row.key, row.value) for row in rows if isinstance(row.value, dict)]


def _created(job: dict) -> datetime:
    return datetime.fromisoformat(job["created"])


def _folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "exports"


def _path(token: str, fmt: str) -> Path:
    return _folder() / f"{token}.{fmt}"


# --- the worker's job ---------------------------------------------------------------------------


def _record(key: str, job: dict) -> None:
    """Store the job's state on a connection of its own: the export's read session stays open."""
    with db.engine.begin() as conn:
        conn.execute(update(Setting).where(Setting.key == key).values(value=job, updated_at=utcnow()))


def write_export(key: str, job: dict, renew=lambda: None) -> None:
    """Write one export's file (again from the start: idempotent), recording its progress."""
    token = key[len(KEY_PREFIX):]
    owner = db.session.get(User, job["owner"])
    job = {**job, "state": "running", "done": 0}
    _record(key, job)
    if owner is None or not owner.is_active:
        _record(key, {**job, "state": "failed"})
        return
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    final = _path(token, job["format"])
    part = final.with_name(final.name + ".part")

    written = 0

    def counted(rows):
        nonlocal written
        for row in rows:
            yield row
            written += 1
            if written % PROGRESS_EVERY == 0:
                _record(key, {**job, "done": written})
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
    _record(key, {**job, "state": "done", "done": written, "finished": utcnow().isoformat()})


def _remove_old() -> int:
    """Delete exports (row and file) older than KEEP_HOURS."""
    limit = utcnow() - timedelta(hours=KEEP_HOURS)
    removed = 0
    for key, job in _jobs():
        if _created(job) < limit:
            token = key[len(KEY_PREFIX):]
            final = _path(token, job["format"])
            for path in (final, final.with_name(final.name + ".part")):
                path.unlink(missing_ok=True)
            db.session.delete(db.session.get(Setting, key))
            removed += 1
    db.session.commit()
    return removed


def exports_job(app: Flask) -> str:
    """Write the queued exports (one worker at a time), then remove the expired ones."""
    owner = new_owner()
    if not claim_lease(LEASE, owner, LEASE_SECONDS):
        return "busy: another worker writes the exports"
    written = failed = 0
    try:
        for key, job in _jobs():
            if job["state"] not in ("queued", "running"):  # running: its writer died (we hold the lease)
                continue
            db.session.rollback()
            try:
                write_export(key, job, renew=lambda: claim_lease(LEASE, owner, LEASE_SECONDS))
                written += 1
            except Exception:
                db.session.rollback()
                _record(key, {**job, "state": "failed"})
                failed += 1
                current_app.logger.exception("search export %s failed", key)
        removed = _remove_old()
    finally:
        release_lease(LEASE, owner)
    return f"{written} exports written, {failed} failed, {removed} removed"


def register_jobs(app: Flask) -> None:
    """Add the "search-exports" job (every SEARCH_INDEX_EVERY_SECONDS) to the worker's schedule."""
    app.extensions.setdefault("hamzaban_jobs", []).append(
        ("search-exports", app.config["SEARCH_INDEX_EVERY_SECONDS"], exports_job))
