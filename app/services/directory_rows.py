"""Reading the directory sheet's rows through its columns (issue 12, item 4): which column is
which field (the template's headers, the preview page's mapping for the others), and one row's
cells as a journalist's name, outlets, phones (E.164), e-mail, beat and notes, with the errors
found on the way (row, column as the file names it, Persian message). Used by directory_import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.services import ServiceError
from app.services.digits import shown_number
from app.services.directory import is_website, with_scheme
from app.services.directory_journalists import MAX_PHONES, clean_handle, pasted_email
from app.services.directory_sheet import (
    CHANNEL_WORDS,
    CHANNELS_BY_WORD,
    CONTRACT_HEADERS,
    FIELD_LABELS,
    HEADERS,
    MAP_TARGETS,
    MULTI_COLUMN_FIELDS,
    PHONE_LABEL_WORDS,
    PHONE_LABELS_BY_WORD,
    SheetRefused,
    Table,
    blank,
    column_label,
    failed_message,
    header_key,
    known_field,
    uncomputed_message,
)
from app.services.phones import parse_phone
from models import HANDLE_KINDS
from search_index.persian import normalize_for_storage

_PHONE_SPLIT = re.compile(r"[،,;؛/\n]+")
_LIST_SPLIT = re.compile(r"[؛;]+")
# A dash alone (hyphen, en and em dash, minus, …) is how a sheet says «none»: in a phone or e-mail cell,
# and in a «؛» list's place (an outlet, its scope, city, kind or website).
_NONE_MARK = re.compile(r"[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")
# A note is not limited here: an export (CSV, any length) imported again gives the same directory
# (the code review of NOTES_MAX, which the forms keep to); the XLSX export refuses what a cell cannot hold.
_LIMITS = {"name": 200, "outlet": 200, "city": 100, "email": 254, "beat": 200, "website": 500}
_MULTILINE = frozenset({"notes", "outlet_notes"})  # kept as written, lines and all
HANDLE_FIELDS = {f"handle_{kind}": kind for kind in HANDLE_KINDS}


@dataclass
class Columns:
    """Which columns give which field, and the columns left out."""

    fields: dict[str, list[int]]
    ignored: list[tuple[int, str]]  # (index, header) of the columns nobody mapped
    unknown: list[int]  # indexes of the columns that are not the template's


def resolve_columns(table: Table, mapping: dict[int, str] | None = None) -> Columns:
    """The template's columns by their headers, the others by ``mapping`` (column index → a
    MAP_TARGETS field, or "" to ignore it).

    :raise SheetRefused: no «نام» column, or a single-column field given twice.
    """
    mapping = mapping or {}
    fields: dict[str, list[int]] = {}
    ignored, unknown = [], []
    for index, header in enumerate(table.headers):
        target = known_field(header)
        if target is None:
            unknown.append(index)
            target = mapping.get(index, "")
            if target not in MAP_TARGETS:
                ignored.append((index, header))
                continue
        fields.setdefault(target, []).append(index)
    for target, indexes in fields.items():
        if len(indexes) > 1 and target not in MULTI_COLUMN_FIELDS:
            labels = "»، «".join(column_label(i, table.headers[i]) for i in indexes)
            raise SheetRefused(_("ستون‌های «%(columns)s» هر دو «%(field)s» هستند؛ یکی را نگه دارید.", columns=labels,
                                 field=FIELD_LABELS.get(target, target)), row=table.header_row,
                                 column=FIELD_LABELS.get(target))
    if "name" not in fields:
        raise SheetRefused(_("ستون «نام» در سطر سرستون‌ها نیست؛ سرستون‌های الگو: %(headers)s.",
                             headers=CONTRACT_HEADERS), row=table.header_row, column=HEADERS["name"])
    return Columns(fields=fields, ignored=ignored, unknown=unknown)


@dataclass
class RowPlan:
    """One data row: what it holds once parsed, and what the import does with it."""

    row: int
    name: str = ""
    outlets: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164
    email: str = ""
    beat: str = ""
    notes: str = ""
    errors: list[dict] = field(default_factory=list)
    duplicate: dict | None = None
    # The columns after the template's seven (directory_sheet.HEADERS):
    outlet_notes: str = ""  # the shared note of the row's one outlet
    phone_labels: list[str] = field(default_factory=list)  # PHONE_LABELS, in the phones' order
    channel: str = ""  # PREFERRED_CHANNELS, "" when not written
    handles: dict[str, str] = field(default_factory=dict)  # HANDLE_KINDS → handle

    @property
    def status(self) -> str:
        """error | duplicate | new (a new journalist) | outlet (an outlet-only row)."""
        if self.errors:
            return "error"
        if self.duplicate is not None:
            return "duplicate"
        return "new" if self.name else "outlet"



class RowReader:
    """Reads one row's cells through the resolved columns, collecting the errors."""

    def __init__(self, table: Table, columns: Columns, number: int, cells: list[str]):
        self.table, self.columns, self.cells = table, columns, cells
        self.plan = RowPlan(row=number)
        self.invisible: set[str] = set()  # fields whose cells held invisible characters only
        read = {i for indexes in columns.fields.values() for i in indexes}
        for index, formula in table.uncomputed.get(number, {}).items():
            if index in read:  # a formula in an ignored column loses nothing the import would keep
                self.error(index, uncomputed_message(number, self.label(index), formula))
        for index, error in table.failed.get(number, {}).items():
            if index in read:
                self.error(index, failed_message(number, self.label(index), error))

    def label(self, index: int) -> str:
        return column_label(index, self.table.headers[index])

    def error(self, index_or_field, message: str) -> None:
        column = (self.label(index_or_field) if isinstance(index_or_field, int)
                  else self.label(self.columns.fields[index_or_field][0]) if index_or_field in self.columns.fields
                  else HEADERS.get(index_or_field, index_or_field))
        self.plan.errors.append({"row": self.plan.row, "column": column, "message": message})

    def said(self, name: str) -> bool:
        """Whether an error names the field's column already (a formula the file holds no value for:
        «نام خبرنگار خالی است» beside it sent the reader looking for an empty cell)."""
        labels = {self.label(index) for index in self.columns.fields.get(name, ())}
        return any(error["column"] in labels for error in self.plan.errors)

    def text(self, name: str, limited: bool = True) -> str:
        """The field's text; "" when it shows nothing (see ``blank``), the field then in ``invisible``."""
        cells = [self.cells[i] for i in self.columns.fields.get(name, ())]
        values = [normalize_for_storage(cell) for cell in cells]
        text = "\n".join(v for v in values if v) if name in _MULTILINE else " ".join(" ".join(values).split())
        if blank(text):
            if any(cells):
                self.invisible.add(name)
            return ""
        return self._limited(name, text) if limited else text

    def full_name(self) -> str:
        """«نام», with the surname after it when the sheet keeps one apart (``SURNAME_HEADERS``)."""
        text = " ".join(t for t in (self.text("name", limited=False), self.text("surname", limited=False)) if t)
        return self._limited("name", text) if text else ""

    def _limited(self, name: str, text: str) -> str:
        limit = _LIMITS.get(name)
        if limit and len(text) > limit:
            self.error(name, _("«%(start)s…» بیش از %(limit)s نویسه است.", start=text[:30], limit=shown_number(limit)))
            return text[:limit]
        return text

    def listed(self, name: str) -> list[str]:
        """A cell of several values separated by «؛» (the outlets, their scopes and cities); a
        value of a dash alone is none, as in a phone cell."""
        text = self.text(name, limited=False)
        return [("" if blank(part) or _NONE_MARK.fullmatch(part.strip()) else self._limited(name, part.strip()))
                for part in _LIST_SPLIT.split(text)] if text else []

    def phones(self) -> list[str]:
        found: list[str] = []
        for index in self.columns.fields.get("phone", ()):
            for part in _PHONE_SPLIT.split(self.cells[index]):
                if blank(part) or _NONE_MARK.fullmatch(part.strip()):
                    continue
                try:
                    number = parse_phone(part)
                except ServiceError as error:
                    self.error(index, str(error))
                    continue
                if number not in found:
                    found.append(number)
        if len(found) > MAX_PHONES:  # as the form refuses: the journalist's page failed with more (round 9)
            self.error("phone", _("بیش از %(n)s شماره نمی‌شود.", n=shown_number(MAX_PHONES)))
        return found

    def email(self) -> str:
        text = pasted_email(self.text("email", limited=False))  # as the form reads it («ali۱۲@…», «Name <…>»)
        if not text or _NONE_MARK.fullmatch(text):
            return ""
        if len(text) > _LIMITS["email"]:
            return self._limited("email", text)  # one error for the cell: too long, not also «not an address»
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            self.error("email", _("«%(email)s» نشانی ایمیل درستی نیست.", email=text))
            return text

    def websites(self) -> list[str]:
        """«وبگاه رسانه»: one address per outlet (or none), each a whole http(s) address."""
        found = [with_scheme(website) for website in self.listed("website")]
        for website in found:
            if website and not is_website(website):
                self.error("website", _("«%(value)s» نشانی وبگاه کاملی نیست؛ آن را مانند https://example.ir بنویسید.",
                                        value=website))
        return found

    def coded(self, name: str, by_word: dict[str, str], words: dict[str, str]) -> list[str]:
        """A «؛» list of words (the phones' kinds) as codes; an unknown word is an error."""
        codes = []
        for word in self.listed(name):
            code = by_word.get(header_key(word), "") if word else ""
            if word and not code:
                self.error(name, _("«%(value)s» در «%(column)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(words)s.",
                                   value=word, column=HEADERS[name], words="، ".join(words.values())))
            codes.append(code)
        return codes

    def phone_labels(self) -> list[str]:
        return self.coded("phone_label", PHONE_LABELS_BY_WORD, PHONE_LABEL_WORDS)

    def channel(self) -> str:
        """«راه ارتباطی»: one word, "" when empty."""
        word = self.text("channel")
        code = CHANNELS_BY_WORD.get(header_key(word), "") if word else ""
        if word and not code:
            self.error("channel", _("«%(value)s» در «%(column)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(words)s.",
                                    value=word, column=HEADERS["channel"], words="، ".join(CHANNEL_WORDS.values())))
        return code

    def handles(self) -> dict[str, str]:
        """The messaging handles, one column per service (as the journalist form checks them)."""
        found = {}
        for name, kind in HANDLE_FIELDS.items():
            handle = self.text(name)
            if handle:
                handle, refused = clean_handle(kind, handle)
                if refused:
                    self.error(name, refused)
                else:
                    found[kind] = handle
        return found
