"""The evidence register's files: size-limited, their kind read from their bytes, stored outside
``static/`` under the data folder (``<DATA_DIR>/evidence-files/``) with a random name, and served
only through the record's own view (the agency scope: another agency's file is NotFound).

Accepted kinds, judged by content and never by the name or the browser's Content-Type: PDF
(``%PDF-`` and an ``%%EOF`` near the end), JPEG / PNG / WebP (Pillow decodes them whole:
app/services/conference_photos.inspect_image), DOCX and XLSX (a ZIP whose ``[Content_Types].xml``
declares the Word document or the Excel workbook part, and which Python's zipfile can read). The
uploaded name is kept as text to show, never used as a path; the size cap is
``EVIDENCE_FILE_MAX_BYTES`` (10 MB by default).
"""
from __future__ import annotations

import os
import secrets
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from app.services import ServiceError
from app.services.conference_photos import inspect_image, shown_name
from app.services.digits import shown_number

FOLDER = "evidence-files"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
ACCEPT = ",".join([".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png", ".webp", *EXTENSIONS])
_OOXML_PARTS = {DOCX: ("word/document.xml", "wordprocessingml.document.main"),
                XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main")}


class FileRefused(ServiceError):
    """The file is refused whole (size, kind): nothing is stored."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int


@dataclass(frozen=True)
class EvidenceFile:
    path: Path
    content_type: str
    download_name: str  # ASCII, made here: never the uploaded name


def folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / FOLDER


def max_bytes() -> int:
    return int(current_app.config["EVIDENCE_FILE_MAX_BYTES"])


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _refused() -> FileRefused:
    return FileRefused(_("این فایل PDF، تصویر (JPEG، PNG، WebP)، Word (DOCX) یا Excel (XLSX) نیست "
                         "(یا آسیب دیده است) و ذخیره نشد."))


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or archive.testzip() is not None:
                return None
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, RuntimeError, EOFError):
        return None
    for kind, (part, declared) in _OOXML_PARTS.items():
        if part in names and declared in types:
            return kind
    return None


def sniff(data: bytes) -> str:
    """The Content-Type of an accepted file, read from its bytes. :raise FileRefused: any other."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise _refused()
        return PDF
    if data.startswith(b"PK\x03\x04"):
        kind = _office_kind(data)
        if kind is None:
            raise _refused()
        return kind
    try:
        return inspect_image(data).content_type
    except ServiceError:
        raise _refused() from None


def read_upload(stream: BinaryIO | None) -> bytes:
    """The uploaded bytes, within the cap (b"" when no file was chosen). :raise FileRefused: too large."""
    if stream is None:
        return b""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(_("حجم فایل بیش از %(mb)s مگابایت است و ذخیره نشد.", mb=shown_number(megabytes(limit))))
    return data


def store(data: bytes, filename: str | None) -> StoredFile:
    """Check and write a file under a random name (written whole, then renamed into place).
    :raise FileRefused: not an accepted kind."""
    content_type = sniff(data)
    target = folder()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    partial = target / f".{stored_name}.part"
    partial.write_bytes(data)
    os.replace(partial, target / stored_name)
    return StoredFile(stored_name, shown_name(filename), content_type, len(data))


def remove(stored_name: str | None) -> None:
    if stored_name and os.sep not in stored_name:
        (folder() / stored_name).unlink(missing_ok=True)


def served(record) -> EvidenceFile | None:
    """The stored file of a record, for the view that serves it; None when it has none or it is gone."""
    name = record.file_stored_name
    if not name or os.sep in name:
        return None
    path = folder() / name
    if not path.is_file():
        return None
    ext = EXTENSIONS.get(record.file_content_type or "", "bin")
    return EvidenceFile(path, record.file_content_type or "application/octet-stream",
                        f"evidence-{record.agency_id}-{record.id}.{ext}")
