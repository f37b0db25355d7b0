"""The evidence register's use cases: add, correct and delete a record (with its optional file).

Who: an agency's manager and staff for their own agency; admins and supervisors for any agency
(app/policy.can_write_evidence); viewers read only. Each use case checks every field first and
raises ``EvidenceInvalid`` with a Persian message per field (the form shows each next to its
field, with what was typed kept), stores the file only when everything else is right, writes
the audit entry and commits once; a file replaced or deleted is removed from the disk after the
commit (a failed commit removes the new file instead).

A record needs a note or a file (an appointment's PDF says enough by itself); its date is a
Jalali day, not after today; whether it stands until superseded follows its clause
(``models.CLAUSES``: for clauses 3 and 6 the form asks).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.jalali import JalaliDateError, format_jalali_date, parse_jalali_date
from app.policy import can_write_evidence, sees_all_agencies
from app.services import NotAllowed, ServiceError
from app.services import evidence_files as files
from app.services.audit import record as audit
from app.services.digits import shown_number
from app.services.evidence import get_record
from app.services.record_days import earliest_day
from app.services.row_guard import STALE_PAGE, changed_since, read_for_update, version_of
from models import CLAUSES_BY_NUMBER, Agency, EvidenceRecord
from search_index.persian import ascii_digits, normalize_for_storage

NOTE_MAX = 5000


class EvidenceInvalid(ServiceError):
    """Some fields are wrong: ``errors`` maps a field name to its Persian message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class EvidenceDraft:
    """A record as typed (every field text); ``agency`` is a slug, read for the governorate only."""

    clause: str = ""
    date: str = ""
    note: str = ""
    standing: bool = False
    agency: str = ""


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO | None = None
    filename: str | None = None


def draft_of(record: EvidenceRecord) -> EvidenceDraft:
    return EvidenceDraft(clause=str(record.clause), date=format_jalali_date(record.happened_on, digits="en"),
                         note=record.note, standing=record.is_standing, agency=record.agency.slug)


def record_version(record: EvidenceRecord) -> str:
    """The record's ``version_of`` its edit page's values, its file included (a file replaced meanwhile
    is a change)."""
    return version_of({"clause": record.clause, "happened_on": record.happened_on, "note": record.note,
                       "is_standing": record.is_standing, "agency_id": record.agency_id,
                       "file": record.file_stored_name})


def _clause(text: str, errors: dict) -> int | None:
    value = ascii_digits(text or "").strip()
    if value.isascii() and value.isdigit() and int(value) in CLAUSES_BY_NUMBER:
        return int(value)
    errors["clause"] = _("بندی از دفتر مستندات برگزینید (بندهای ۱ تا ۸، ۱۳ و ۱۴).")
    return None


def _date(text: str, errors: dict, kept: date | None = None) -> date | None:
    """The record's date; ``kept``: the one it has now, not refused for a bound moved past it since."""
    if not (text or "").strip():
        errors["date"] = _("تاریخ را بنویسید.")
        return None
    try:
        day = parse_jalali_date(text)
    except JalaliDateError as exc:
        errors["date"] = exc.message(shown_number)
        return None
    if day > clock.local_today():
        errors["date"] = _("تاریخ سند نمی‌تواند پس از امروز باشد.")
        return None
    if day < earliest_day() and day != kept:
        errors["date"] = _("تاریخ سند (%(day)s) پیش از %(earliest)s است؛ سال را درست بنویسید.",
                           day=format_jalali_date(day), earliest=format_jalali_date(earliest_day()))
        return None
    return day


def _agency(draft: EvidenceDraft, actor, errors: dict, current: EvidenceRecord | None) -> int | None:
    if not sees_all_agencies(actor):
        return getattr(actor, "agency_id", None) if current is None else current.agency_id
    slug = (draft.agency or "").strip()
    if not slug and current is not None:
        return current.agency_id
    agency = db.session.scalar(select(Agency).where(Agency.slug == slug)) if slug else None
    if agency is None:
        errors["agency"] = _("سازمانی را برگزینید.")
        return None
    return agency.id


def _checked(draft: EvidenceDraft, upload: Upload, actor, current: EvidenceRecord | None = None,
             *, keeps_file: bool = False) -> tuple[dict, bytes]:
    """Every field read and checked; :raise EvidenceInvalid, NotAllowed."""
    errors: dict[str, str] = {}
    agency_id = _agency(draft, actor, errors, current)
    if agency_id is not None and not can_write_evidence(actor, agency_id):
        raise NotAllowed(_("ثبت مستندات این سازمان برای نقش شما نیست."))
    clause = _clause(draft.clause, errors)
    day = _date(draft.date, errors, current.happened_on if current is not None else None)
    note = normalize_for_storage(draft.note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("یادداشت نباید بیش از %(n)s نویسه باشد.", n=shown_number(NOTE_MAX))
    data = b""
    try:
        data = files.read_upload(upload.stream)
        if data:
            files.sniff(data)
        elif (upload.filename or "").strip():  # a file chosen, of no bytes: the record was saved without it, unsaid
            errors["file"] = _("فایل «%(name)s» خالی است (۰ بایت) و پیوست نشد؛ فایل درست را برگزینید.",
                               name=files.shown_name(upload.filename))
    except files.FileRefused as refused:
        errors["file"] = str(refused)
    if not note and not data and not keeps_file and "file" not in errors and "note" not in errors:
        errors["note"] = _("یادداشتی بنویسید یا فایلی پیوست کنید.")
    if errors:
        raise EvidenceInvalid(errors)
    kind = CLAUSES_BY_NUMBER[clause].kind
    standing = kind == "standing" or (kind == "either" and bool(draft.standing))
    return {"agency_id": agency_id, "clause": clause, "happened_on": day, "note": note, "is_standing": standing}, data


def _attach(record: EvidenceRecord, data: bytes, upload: Upload) -> str:
    stored = files.store(data, upload.filename)
    record.file_stored_name, record.file_original_name = stored.stored_name, stored.original_name
    record.file_content_type, record.file_size_bytes = stored.content_type, stored.size_bytes
    return stored.stored_name


def _commit(new_file: str | None) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        files.remove(new_file)
        raise


def add_record(draft: EvidenceDraft, upload: Upload, actor) -> EvidenceRecord:
    """Add a record (and its file) for the actor's agency, or the chosen one for the governorate.
    :raise EvidenceInvalid, NotAllowed."""
    values, data = _checked(draft, upload, actor)
    record = EvidenceRecord(**values, created_by_id=getattr(actor, "id", None))
    new_file = _attach(record, data, upload) if data else None
    db.session.add(record)
    db.session.flush()
    audit("evidence.added", actor=actor, obj=record, clause=record.clause, day=record.happened_on.isoformat(),
          file=record.file_original_name or None)
    _commit(new_file)
    return record


def update_record(record_id: int, draft: EvidenceDraft, upload: Upload, actor, *,
                  remove_file: bool = False, seen: str | None = None) -> EvidenceRecord:
    """Correct a record; a new file replaces the old one, ``remove_file`` drops it. ``seen``: the
    version the edit page showed (``record_version``), refused if the record changed since. The
    row is read again under its write lock first, so two corrections at once replace the file
    one after the other (none is left on the disk that no record names).
    :raise NotFound (another agency's), NotAllowed, EvidenceInvalid (under "seen": out of date)."""
    record = get_record(record_id)
    if not can_write_evidence(actor, record.agency_id):
        raise NotAllowed(_("ثبت مستندات این سازمان برای نقش شما نیست."))
    try:
        if changed_since(record, seen, record_version):
            raise EvidenceInvalid({"seen": _(STALE_PAGE)})
        read_for_update(record)  # the file named now is the one this correction replaces
        values, data = _checked(draft, upload, actor, record, keeps_file=record.has_file and not remove_file)
    except ServiceError:
        db.session.rollback()  # the row's lock, released now rather than at the request's end
        raise
    old_file = record.file_stored_name if (data or remove_file) else None
    for name, value in values.items():
        setattr(record, name, value)
    new_file = _attach(record, data, upload) if data else None
    if remove_file and not data:
        record.file_stored_name, record.file_original_name = None, ""
        record.file_content_type, record.file_size_bytes = None, None
    audit("evidence.updated", actor=actor, obj=record, clause=record.clause, day=record.happened_on.isoformat(),
          file_replaced=bool(data), file_removed=bool(remove_file and not data))
    _commit(new_file)
    files.remove(old_file)
    return record


def delete_record(record_id: int, actor) -> int:
    """Delete a record and its file; returns its clause. :raise NotFound, NotAllowed."""
    record = get_record(record_id)
    if not can_write_evidence(actor, record.agency_id):
        raise NotAllowed(_("ثبت مستندات این سازمان برای نقش شما نیست."))
    read_for_update(record)  # the file a colleague's correction stored meanwhile is the one removed
    clause, stored = record.clause, record.file_stored_name
    audit("evidence.deleted", actor=actor, obj=record, clause=clause, day=record.happened_on.isoformat(),
          note=record.note[:200])
    db.session.delete(record)
    db.session.commit()
    files.remove(stored)
    return clause
