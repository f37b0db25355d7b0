"""The single writer of the search index: drains ``search_outbox``, rebuilds, repairs (use cases).

Batches. A batch reads the oldest outbox rows, loads the current documents of the rows they name
(a row whose database row is gone means "delete"), writes them to the index in **one** commit,
and only then deletes exactly those outbox rows. Every step can be repeated: a crash before the
index commit leaves the rows in the outbox; a crash after it re-indexes the same versions. A row
added while a batch runs is not deleted by it and is picked up by the next one.

Lease. Exactly one process writes the index at a time: the holder of the ``settings`` row
``search.writer_lease``. It is claimed with one conditional UPDATE (``WHERE`` the lease has
expired or is already ours), which is atomic on SQLite and PostgreSQL alike, and renewed before
every batch; ``updated_at`` is the time of the last claim and the lease expires
``SEARCH_LEASE_SECONDS`` later (clocks of several machines must agree to within that). A crashed
holder's lease simply expires. Whoosh's own write lock (a file lock, released when the process
that took it dies: its writer processes die with it, and a lock they kept is cleared, see
``search_index/whoosh_backend/writer.py``) guards the same folder a second time. Web processes
never write: their backend is opened read-only.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import leases
from app.extensions import db
from app.leases import new_owner
from models import SearchOutbox, Setting
from search_index import SearchBackend, open_backend
from search_index.backend import SchemaOutdated, VerifyReport
from search_index.documents import (
    count_documents,
    document_keys,
    expected_versions,
    iter_documents,
    load_documents,
)
from search_index.schema import doc_key, parse_key

LEASE_KEY = "search.writer_lease"
CHECKPOINT_KEY = "search.rebuild_checkpoint"


class LeaseBusy(RuntimeError):
    """Another process holds the index writer lease."""


def writer_backend(app: Flask | None = None) -> SearchBackend:
    """A backend that may write (only for the lease holder)."""
    return open_backend((app or current_app).config, writable=True)


def claim_lease(owner: str, seconds: float | None = None) -> bool:
    """Take or renew the writer lease; True when ``owner`` holds it now."""
    seconds = seconds if seconds is not None else current_app.config["SEARCH_LEASE_SECONDS"]
    return leases.claim_lease(LEASE_KEY, owner, seconds)


def release_lease(owner: str) -> None:
    """Give the lease back at once (the next claimer need not wait for it to expire)."""
    leases.release_lease(LEASE_KEY, owner)


@dataclass
class DrainSummary:
    batches: int = 0
    indexed: int = 0
    deleted: int = 0
    rows: int = 0
    busy: bool = False
    remaining: int = 0
    outdated: str = ""  # the index is of another schema version: why nothing was written

    def line(self) -> str:
        if self.busy:
            return "search index: another process holds the writer lease"
        if self.outdated:
            return f"{self.outdated} ({self.remaining} outbox rows kept)"
        return (f"search index: {self.rows} outbox rows, {self.indexed} indexed, {self.deleted} deleted "
                f"in {self.batches} batches, {self.remaining} left")


def drain_batch(backend: SearchBackend, batch_size: int) -> tuple[int, int, int]:
    """Index one batch of the outbox; returns (rows, indexed, deleted). The caller holds the lease."""
    rows = db.session.execute(
        select(SearchOutbox.id, SearchOutbox.doc_type, SearchOutbox.doc_id)
        .order_by(SearchOutbox.id).limit(batch_size)
    ).all()
    if not rows:
        return 0, 0, 0
    keys = {doc_key(doc_type, doc_id) for _, doc_type, doc_id in rows}
    docs = load_documents(db.session, keys)
    gone = keys - docs.keys()
    db.session.rollback()  # end the read transaction before the (slow) index commit
    backend.index(docs.values(), gone)
    # The index has committed: only now may these rows go (exactly these, not newer ones).
    ids = [row_id for row_id, _, _ in rows]
    for start in range(0, len(ids), 500):
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids[start:start + 500])))
    db.session.commit()
    return len(rows), len(docs), len(gone)


def drain(backend: SearchBackend | None = None, *, batch_size: int | None = None,
          max_batches: int | None = None, owner: str | None = None) -> DrainSummary:
    """Drain the outbox in batches while holding the lease (then give it back)."""
    backend = backend or writer_backend()
    batch_size = batch_size or current_app.config["SEARCH_INDEX_BATCH"]
    owner = owner or new_owner()
    summary = DrainSummary()
    if not claim_lease(owner):
        summary.busy = True
        return summary
    try:
        while max_batches is None or summary.batches < max_batches:
            try:
                rows, indexed, deleted = drain_batch(backend, batch_size)
            except SchemaOutdated as outdated:  # nothing written, the rows stay for after the rebuild
                summary.outdated = str(outdated)
                break
            if not rows:
                break
            summary.batches += 1
            summary.rows += rows
            summary.indexed += indexed
            summary.deleted += deleted
            if not claim_lease(owner):  # renew; lost it (we stalled past expiry): stop writing
                break
    finally:
        db.session.rollback()
        release_lease(owner)
    summary.remaining = db.session.scalar(select(func.count(SearchOutbox.id))) or 0
    return summary


def drain_job(app: Flask) -> str:
    """Worker job: index what the outbox holds (at most SEARCH_INDEX_MAX_BATCHES batches a run)."""
    return drain(max_batches=app.config["SEARCH_INDEX_MAX_BATCHES"]).line()


def register_jobs(app: Flask) -> None:
    """Add the "search-index" job (every SEARCH_INDEX_EVERY_SECONDS, default 5) to the worker."""
    jobs = app.extensions.setdefault("hamzaban_jobs", [])
    jobs.append(("search-index", app.config["SEARCH_INDEX_EVERY_SECONDS"], drain_job))


# --- rebuild and repair ---------------------------------------------------------------------


def get_checkpoint() -> dict | None:
    row = db.session.get(Setting, CHECKPOINT_KEY)
    return row.value if row is not None and row.value else None


def _set_checkpoint(value: dict | None) -> None:
    row = db.session.get(Setting, CHECKPOINT_KEY)
    if row is None:
        db.session.add(Setting(key=CHECKPOINT_KEY, value=value))
    else:
        row.value = value
    db.session.commit()


@dataclass
class RebuildSummary:
    indexed: int = 0
    removed: int = 0
    resumed_after: int = 0
    seconds: float = 0.0
    extra: list[str] = field(default_factory=list)
    backend: str = ""  # the engine written (HAMZABAN_SEARCH_BACKEND)

    @property
    def rate(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0


def rebuild(backend: SearchBackend | None = None, *, fresh: bool = False, restart: bool = False,
            batch_size: int | None = None, on_start: Callable[[int], None] | None = None,
            on_progress: Callable[[int], None] | None = None) -> RebuildSummary:
    """Rewrite every document from the database, resuming after the last checkpoint.

    The checkpoint (the last item id whose batch the index committed) is written after each
    commit, so a rebuild killed half-way continues where it stopped. At the end, documents the
    database no longer has are removed and the segments are merged. Raises ``LeaseBusy``.
    """
    import time

    backend = backend or writer_backend()
    owner = new_owner()
    if not claim_lease(owner):
        raise LeaseBusy(_("فرایند دیگری نمایهٔ جست‌وجو را می‌نویسد؛ چند لحظهٔ دیگر دوباره اجرا کنید."))
    summary = RebuildSummary(backend=backend.name)
    started = time.perf_counter()
    try:
        checkpoint = None if restart else get_checkpoint()
        if checkpoint is not None and (not backend.schema_ok() or not backend.doc_count()
                                       or checkpoint.get("backend", backend.name) != backend.name):
            # The index was emptied, is of another schema version (the backend starts it again)
            # or of another engine: the documents before the checkpoint must be written again too.
            checkpoint, fresh = None, True
        if checkpoint is None:
            checkpoint = {"last_id": 0, "fresh": fresh, "backend": backend.name}
            _set_checkpoint(checkpoint)
            fresh_now = fresh
        else:
            fresh_now = False  # resuming: the first run already emptied the index
        summary.resumed_after = checkpoint["last_id"]
        total = count_documents(db.session, checkpoint["last_id"])
        if on_start:
            on_start(total)

        def committed(last_doc, count):
            _set_checkpoint({**checkpoint, "last_id": parse_key(last_doc.key)[1]})
            if not claim_lease(owner):
                raise LeaseBusy(_("نوبت نوشتن نمایه در میانهٔ بازسازی به فرایند دیگری رسید؛ دوباره اجرا کنید تا از همان‌جا ادامه یابد."))
            if on_progress:
                on_progress(count - summary.indexed)
            summary.indexed = count

        backend.rebuild(iter_documents(db.engine, checkpoint["last_id"]), committed, fresh=fresh_now,
                        batch_size=batch_size or current_app.config["SEARCH_REBUILD_BATCH"])
        # Every document was just written from the database: only the keys it no longer has
        # are left to find, and the keys need no text read (versions "" are not compared here).
        report = backend.verify(dict.fromkeys(document_keys(db.engine), ""))
        if report.extra:
            backend.delete(report.extra)
        summary.removed, summary.extra = len(report.extra), report.extra
        backend.finish_rebuild()
        _set_checkpoint(None)
    finally:
        release_lease(owner)
    summary.seconds = time.perf_counter() - started
    return summary


def verify(backend: SearchBackend | None = None) -> VerifyReport:
    """Compare the index with the database (read-only)."""
    backend = backend or open_backend(current_app.config)
    return backend.verify(expected_versions(db.engine))


def fix(report: VerifyReport, backend: SearchBackend | None = None) -> int:
    """Re-index what ``report`` found missing or stale and delete what is extra (under the lease)."""
    backend = backend or writer_backend()
    owner = new_owner()
    if not claim_lease(owner):
        raise LeaseBusy(_("فرایند دیگری نمایهٔ جست‌وجو را می‌نویسد؛ چند لحظهٔ دیگر دوباره اجرا کنید."))
    try:
        keys = report.missing + report.stale
        chunks = [keys[i:i + 1000] for i in range(0, len(keys), 1000)] or [[]]
        written = 0
        for number, chunk in enumerate(chunks):
            docs = load_documents(db.session, chunk)
            deletions = (set(chunk) - docs.keys()) | (set(report.extra) if number == 0 else set())
            written += backend.index(docs.values(), deletions)
        return written
    finally:
        release_lease(owner)
