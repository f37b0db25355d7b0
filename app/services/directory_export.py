"""The directory as a file (issue 12, item 4): the import's template filled in, CSV or XLSX.

One row per active journalist, then one row per active outlet that no exported journalist works
for or that has a shared note, with an empty «نام» (the import reads such a row as an outlet alone),
both in Persian alphabetical order (their stored ``name_order``). The seven headers of the issue come
first; the columns after them (directory_sheet.HEADERS) carry every other field, so the file
imported into an empty directory gives the same journalists (outlets, phones and their kinds,
e-mail, beat, handles, preferred channel, shared note) and outlets (scope, city, kind, website,
shared note). A journalist of several outlets lists them with «؛», their scopes, cities, kinds and
websites in the same order; an outlet's note is written on its own row. An outlet whose name, city
or website holds «؛» or «;» refuses the export (it would come back as two). Written by
app/services/spreadsheets.py (CSV UTF-8 with a BOM and formulas defused, XLSX right to left with
text cells); the import undoes the CSV's quote.
The export is audited ("directory.exported"): it takes people's phone numbers away. The entry is
committed before the bytes are delivered, never while they are (``export_directory``).
"""
from __future__ import annotations

import errno
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.extensions import db
from app.jalali import format_jalali_date
from app.policy import can_export_directory
from app.services import NotAllowed, ServiceError, spreadsheets
from app.services.audit import record
from app.services.digits import shown_number
from app.services.directory import holds_sheet_separator
from app.services.directory_sheet import (
    CHANNEL_WORDS,
    HEADERS,
    KIND_WORDS,
    LIST_SEPARATOR,
    PHONE_LABEL_WORDS,
    PHONE_SEPARATOR,
    SCOPE_WORDS,
    unquote,
)
from app.services.phones import sheet_phone
from models import HANDLE_KINDS, Journalist, Outlet
from search_index.collation import sort_key

WIDTHS = (28, 36, 16, 16, 36, 30, 24, 24, 36, 36, 16, 16, 20, 20, 20, 20, 20, 20, 40)  # HEADERS' columns
SHEET_TITLE = "رسانه‌ها و خبرنگاران"  # the sheet's name is part of the file, like its headers


@dataclass
class DirectoryFile:
    data: bytes
    filename: str
    mimetype: str
    journalists: int
    outlets: int


def _listed(values: list[str]) -> str:
    """Values in the outlets' order, separated by «؛»; empty when all are."""
    return LIST_SEPARATOR.join(values) if any(values) else ""


def _outlet_cells(outlets: list[Outlet]) -> tuple[str, str, str]:
    names = LIST_SEPARATOR.join(o.name for o in outlets)
    scopes = LIST_SEPARATOR.join(SCOPE_WORDS.get(o.scope, o.scope) for o in outlets)
    return names, scopes, _listed([o.city for o in outlets])


def _outlet_details(outlets: list[Outlet]) -> tuple[str, str]:
    """«گونه رسانه» and «وبگاه رسانه» of the outlets, in their order."""
    return _listed([KIND_WORDS.get(o.kind, o.kind) for o in outlets]), _listed([o.website for o in outlets])


def _journalist_row(journalist: Journalist, outlets: list[Outlet]) -> tuple[str, ...]:
    phones = PHONE_SEPARATOR.join(sheet_phone(p.e164) for p in journalist.phones)
    labels = LIST_SEPARATOR.join(PHONE_LABEL_WORDS.get(p.label, p.label) for p in journalist.phones)
    handles = tuple((journalist.handles or {}).get(kind, "") for kind in HANDLE_KINDS)
    return (journalist.name, *_outlet_cells(outlets), phones, journalist.email, journalist.beat,
            *_outlet_details(outlets), "", labels,
            CHANNEL_WORDS.get(journalist.preferred_channel, journalist.preferred_channel), *handles, journalist.notes)


def _outlet_row(outlet: Outlet) -> tuple[str, ...]:
    """An outlet alone: empty «نام», its note in «یادداشت رسانه»."""
    row = ("", *_outlet_cells([outlet]), "", "", "", *_outlet_details([outlet]), outlet.notes)
    return row + ("",) * (len(HEADERS) - len(row))


def _refuse_separators(outlets: list[Outlet]) -> None:
    """An outlet stored with «؛» or «;» in its name, city or website (before the forms refused it)
    would come back from the file as two: named, so an editor renames it, rather than written.

    :raise ServiceError: naming the outlets.
    """
    held = sorted({o.name for o in outlets if any(holds_sheet_separator(v) for v in (o.name, o.city, o.website))},
                  key=sort_key)
    if held:
        raise ServiceError(_("نام، شهر یا وبگاه این رسانه‌ها «؛» یا «;» دارد و از فایل چند رسانه خوانده می‌شود؛ "
                             "آن را در فهرست رسانه‌ها ویرایش کنید و دوباره برون‌بری کنید: %(outlets)s",
                             outlets="، ".join(f"«{name}»" for name in held)))


def directory_rows() -> tuple[list[tuple[str, ...]], int, int]:
    """The sheet's rows (in HEADERS order), the journalists and the outlets they hold."""
    journalists = db.session.scalars(
        select(Journalist).where(Journalist.is_active.is_(True))
        .options(selectinload(Journalist.outlets), selectinload(Journalist.phones))
        .order_by(Journalist.name_order, Journalist.id)).all()  # Persian alphabetical order (name_order.py)
    rows: list[tuple[str, ...]] = []
    named: set[int] = set()
    for journalist in journalists:
        # In name order (the relationship's); a deactivated outlet is hidden: not exported.
        outlets = [o for o in journalist.outlets if o.is_active]
        named.update(o.id for o in outlets)
        rows.append(_journalist_row(journalist, outlets))
    _refuse_separators([o for j in journalists for o in j.outlets if o.is_active])
    alone = db.session.scalars(select(Outlet).where(Outlet.is_active.is_(True))
                               .order_by(Outlet.name_order, Outlet.id)).all()
    _refuse_separators([o for o in alone if o.id not in named])
    for outlet in alone:
        if outlet.id not in named or outlet.notes:  # a note is written on its outlet's own row
            rows.append(_outlet_row(outlet))
    return rows, len(journalists), len(named | {o.id for o in alone})


def _rows(rows) -> Iterator[tuple[str, ...]]:
    """The rows as written: a value of quotes followed by = + - @ (whose first quote the import reads
    as the export's defusing one and takes off) gets one quote more, in either format, so the import
    gives it back whole («'=x» came back «=x»; a review of the directory commands, round 9)."""
    for row in rows:
        yield tuple(f"'{value}" if unquote(value) != value else value for value in row)


class Delivery(Protocol):
    """Where a command puts the file (app/cli/output_files.py: OutputFile, StreamOutput)."""

    written: int  # the bytes delivered so far

    def prepare(self, data: bytes) -> None:
        """Ready the bytes where nobody reads them yet (a file's new copy beside it), or nothing."""

    def deliver(self) -> None:
        """Hand the bytes over (the copy renamed into place, a stream written): may wait on its reader."""

    def discard(self) -> None:
        """Remove what ``prepare`` left."""


def _refuse_cut_cells(rows: list[tuple[str, ...]]) -> None:
    """A value longer than an XLSX cell holds (a note stored before NOTES_MAX, a journalist of very many
    outlets) would be cut unsaid, and the import would then bring back the cut text: named instead,
    with CSV (which keeps any length) as the way out.

    :raise ServiceError: naming the records and their columns (ten at most, and how many more).
    """
    headers = list(HEADERS.values())
    cut = [(_("رسانهٔ «%(name)s»", name=row[1]) if not row[0] else _("خبرنگار «%(name)s»", name=row[0]), headers[column])
           for row in _rows(rows) for column, value in enumerate(row) if not spreadsheets.fits_xlsx(value)]
    if not cut:
        return
    named = "، ".join(_("%(record)s (ستون «%(column)s»)", record=record, column=column) for record, column in cut[:10])
    if len(cut) > 10:
        named = ngettext("%(named)s و %(n)s خانهٔ دیگر", "%(named)s و %(n)s خانهٔ دیگر", len(cut) - 10, named=named,
                         n=shown_number(len(cut) - 10))
    raise ServiceError(_("این خانه‌ها بیش از %(n)s نویسه دارند و در XLSX بریده می‌شوند: %(cells)s. برون‌بری CSV "
                         "همه را نگه می‌دارد؛ آن را بگیرید، یا این نوشته‌ها را کوتاه کنید. چیزی نوشته نشد.",
                         n=shown_number(spreadsheets.XLSX_CELL_MAX), cells=named))


def _sheet_bytes(fmt: str, rows: list[tuple[str, ...]]) -> bytes:
    header = tuple(HEADERS.values())
    if fmt == "csv":
        return "".join(spreadsheets.csv_chunks(header, _rows(rows))).encode("utf-8")
    _refuse_cut_cells(rows)
    buffer = io.BytesIO()
    spreadsheets.write_xlsx(header, _rows(rows), buffer, sheet_title=SHEET_TITLE, widths=WIDTHS)
    return buffer.getvalue()


def export_directory(fmt: str, *, actor, actor_label: str = "", delivery: Delivery | None = None) -> DirectoryFile:
    """The directory as ``fmt`` ("csv" or "xlsx"), audited ("directory.exported") and, with
    ``delivery`` (a command's file or standard output), handed over.

    The order is the audit trail's: the bytes are built and prepared (a file's copy written beside
    it, unseen: a full disk leaves no entry), the entry is committed, and only then are the bytes
    delivered, with no transaction open: a reader that pauses the pipe (``| (sleep 15; wc -c)``) held
    SQLite's write lock, and every other writer failed with «database is locked» (a review of the
    directory commands). A database that cannot take the entry refuses before any byte is
    delivered (the prepared copy is removed). A delivery that then fails (the pipe's reader gone, a
    full device) cannot take back what the reader may have had: the entry stays and a second one,
    "directory.export_failed", says how many bytes of how many were delivered.

    :raise NotAllowed: the actor may not export the directory.
    :raise ServiceError: an unknown format; an outlet that would come back as two; an XLSX cell that
        would be cut (``_refuse_cut_cells``).
    :raise OSError: the delivery failed (its entries committed).
    """
    if not can_export_directory(actor):
        raise NotAllowed(_("برون‌بری فهرست رسانه‌ها برای نقش شما نیست."))
    if fmt not in spreadsheets.FORMATS:
        raise ServiceError(_("قالب خروجی «%(value)s» شناخته نیست؛ CSV یا XLSX را برگزینید.", value=fmt))
    rows, journalists, outlets = directory_rows()
    data = _sheet_bytes(fmt, rows)
    if delivery is not None:
        delivery.prepare(data)
    try:
        record("directory.exported", actor=actor, actor_label=actor_label, format=fmt, journalists=journalists,
               outlets=outlets)
        db.session.commit()
    except BaseException:
        if delivery is not None:
            delivery.discard()
        raise
    if delivery is not None:
        _deliver(delivery, fmt, len(data), actor=actor, actor_label=actor_label)
    stamp = format_jalali_date(local_today(), digits="en").replace("/", "-")
    return DirectoryFile(data=data, filename=f"hamzaban-directory-{stamp}.{fmt}",
                         mimetype=spreadsheets.FORMATS[fmt], journalists=journalists, outlets=outlets)


def _deliver(delivery: Delivery, fmt: str, total: int, *, actor, actor_label: str) -> None:
    """``delivery.deliver()``; a failure recorded after the export's entry, in a transaction of its
    own (a database that cannot take it meanwhile loses this entry, not the command's refusal).

    :raise OSError: what the delivery raised.
    """
    try:
        delivery.deliver()
    except OSError as error:
        delivery.discard()  # a copy not renamed into place
        record("directory.export_failed", actor=actor, actor_label=actor_label, format=fmt,
               written=delivery.written, total=total,
               error=errno.errorcode.get(error.errno or 0, type(error).__name__))
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
        raise
