"""The page «ورود از فایل»: upload → preview with the column mapping → confirm (all or nothing).

The uploaded file is kept between the steps in the data folder (``<data>/directory-imports``,
never under ``static/``) under a random token, with a small JSON file naming its owner; only the
owner reaches it (anyone else gets NotFound, as for a token that never was). It is deleted when
the import is stored or cancelled, and any upload older than ``KEEP_HOURS`` is deleted by the next
upload or preview. The database learns nothing until the confirmation, which plans the file again
(the directory may have changed meanwhile) and stores it in one transaction (directory_import).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.policy import can_import_directory
from app.services import NotAllowed, NotFound
from app.services.directory_import import (
    ImportPlan,
    ImportReport,
    import_table,
    plan_import,
)
from app.services.directory_sheet import (
    MAP_TARGETS,
    SheetRefused,
    Table,
    column_label,
    known_field,
    read_table,
    suggested_target,
)
from app.services.phones import display_phone

FOLDER = "directory-imports"
KEEP_HOURS = 2
PREVIEW_ROWS = 200  # fine rows shown on the page; every bad or duplicate row is shown
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _folder() -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Delete the uploads nobody confirmed within KEEP_HOURS."""
    limit = time.time() - KEEP_HOURS * 3600
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # another process swept it first
            pass


def _check(actor) -> None:
    if not can_import_directory(actor):
        raise NotAllowed(_("درون‌ریزی فهرست رسانه‌ها برای نقش شما نیست."))


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def start_import(actor, filename: str, data: bytes) -> str:
    """Keep an uploaded sheet for its preview; returns its token.

    :raise NotAllowed: the actor may not import.
    :raise SheetRefused: the file is refused whole (size, type, encoding, rows): nothing is kept.
    """
    _check(actor)
    read_table(data, filename)
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    _write(folder / f"{token}.data", data)
    _write(folder / f"{token}.json", json.dumps(
        {"owner": getattr(actor, "id", None), "filename": Path(filename or "").name[:200]}).encode())
    return token


def _load(actor, token: str) -> tuple[str, Table]:
    """The owner's upload (file name, table). :raise NotFound: no such token, not theirs, or expired."""
    _check(actor)
    gone = NotFound(_("این فایل پیدا نشد یا زمانش گذشته است؛ آن را دوباره بفرستید."))
    if not _TOKEN.fullmatch(token or ""):
        raise gone
    folder = _folder()
    _sweep(folder)
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.data").read_bytes()
    except (FileNotFoundError, ValueError):
        raise gone from None
    if meta.get("owner") != getattr(actor, "id", None):
        raise gone
    return meta.get("filename", ""), read_table(data, meta.get("filename", ""))


def _delete(token: str) -> None:
    for suffix in (".data", ".json"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


@dataclass
class ColumnChoice:
    index: int
    label: str
    field: str | None  # the template's field this header names, or None: mapped on the page
    target: str = ""  # the mapping chosen for an unknown column ("" = ignored)


@dataclass
class ImportPreview:
    token: str
    filename: str
    columns: list[ColumnChoice]
    mapping: dict[int, str]
    plan: ImportPlan | None
    refusal: str = ""  # the columns cannot be used (no «نام», a field twice): fix the mapping
    rows: list[dict] = field(default_factory=list)
    hidden_rows: int = 0

    @property
    def counts(self) -> dict:
        if not self.plan:
            return {}
        counts = ImportReport(plan=self.plan, stored=False, dry_run=True).as_dict()
        # the page lists the new outlets beside the bad rows: its counts are the file's
        return {**counts, "outlets_new": counts["outlets_planned"], "journalists_new": counts["journalists_planned"]}

    @property
    def can_confirm(self) -> bool:
        return self.plan is not None and not self.plan.errors


def _row_view(row) -> dict:
    messages = [f"{e['column']}: {e['message']}" for e in row.errors]
    return {"row": row.row, "status": row.status, "name": row.name, "outlets": row.outlets,
            "phones": [display_phone(p) for p in row.phones], "email": row.email, "beat": row.beat,
            "messages": messages, "duplicate": row.duplicate}


def _preview(token: str, filename: str, table: Table, mapping: dict[int, str] | None) -> ImportPreview:
    columns = [ColumnChoice(i, column_label(i, h), known_field(h)) for i, h in enumerate(table.headers)]
    if mapping is None:
        mapping = {c.index: suggested_target(table.headers[c.index]) for c in columns if c.field is None}
    mapping = {c.index: mapping.get(c.index, "") for c in columns if c.field is None}
    mapping = {i: (t if t in MAP_TARGETS else "") for i, t in mapping.items()}
    for column in columns:
        column.target = mapping.get(column.index, "")
    preview = ImportPreview(token=token, filename=filename, columns=columns, mapping=mapping, plan=None)
    try:
        preview.plan = plan_import(table, mapping)
    except SheetRefused as refusal:
        preview.refusal = str(refusal)
        return preview
    shown, fine = [], 0
    for row in preview.plan.rows:
        if row.status in ("error", "duplicate") or fine < PREVIEW_ROWS:
            fine += row.status not in ("error", "duplicate")
            shown.append(_row_view(row))
    preview.rows, preview.hidden_rows = shown, len(preview.plan.rows) - len(shown)
    return preview


def preview_import(actor, token: str, mapping: dict[int, str] | None = None) -> ImportPreview:
    """What confirming would store, row by row, with ``mapping`` for the unknown columns (None:
    the suggested mapping). Stores nothing. :raise NotFound: see _load."""
    filename, table = _load(actor, token)
    return _preview(token, filename, table, mapping)


@dataclass
class ConfirmOutcome:
    """Stored (or nothing to store: ``report``), or refused: the ``preview`` to show again."""

    report: ImportReport | None = None
    preview: ImportPreview | None = None


def confirm_import(actor, token: str, mapping: dict[int, str] | None) -> ConfirmOutcome:
    """Store the whole upload in one transaction, or nothing when a row is bad (the preview then
    says which); the upload is deleted once done. :raise NotFound: see _load.
    :raise ServiceError: the directory changed under the import."""
    filename, table = _load(actor, token)
    preview = _preview(token, filename, table, mapping)
    if not preview.can_confirm:
        return ConfirmOutcome(preview=preview)
    report = import_table(table, actor=actor, filename=filename, mapping=preview.mapping)
    _delete(token)
    return ConfirmOutcome(report=report)


def cancel_import(actor, token: str) -> None:
    """Forget an upload. :raise NotFound: see _load."""
    _load(actor, token)
    _delete(token)

