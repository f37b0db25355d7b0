"""Importing journalists and outlets from the directory's sheet (issue 12, item 4): all or nothing.

``plan_import`` reads every row and says what it would do, storing nothing: the errors (row,
column, message), the duplicates, the outlets and journalists that would be new. ``import_table``
stores the plan in one transaction, with one audit entry (counts), only when no row is bad.

Rows, as decided for issue 12:

- A row names a journalist («نام») and the outlets they work for («رسانه», several separated by
  «؛»). An outlet is found by its normalized name; one not in the directory is created with the
  row's «سطح رسانه» (required then: محلی / استانی / ملی) and «شهر». An existing outlet keeps its
  scope and city (a different scope in the file is a warning).
- A row with an outlet and no name is an outlet of its own (how the export writes outlets
  without journalists); a row with journalist details and no name is bad.
- Phones: one cell may hold several, separated by «،» «,» «;» «؛» «/» or a new line; each is
  parsed to E.164 (app/services/phones.py) or the row is bad.
- A duplicate is a journalist already in the directory, or on an earlier row of the same file,
  with the same normalized name or one of the same phones. It is not created again and not
  changed; it is reported as ``{"row", "name", "journalist_id" (or null), "of_row" (or null),
  "by": "phone"|"name"}`` (phone when a phone matched, else name). A file of duplicates only
  stores nothing and is not an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.policy import can_import_directory
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.directory_keys import name_key
from app.services.directory_sheet import (
    HEADERS,
    MAP_TARGETS,
    MULTI_COLUMN_FIELDS,
    SCOPE_WORDS,
    SCOPES_BY_WORD,
    SheetRefused,
    Table,
    column_label,
    header_key,
    known_field,
)
from app.services.phones import parse_phone
from models import Journalist, JournalistPhone, Outlet
from search_index.persian import normalize_for_storage

_PHONE_SPLIT = re.compile(r"[،,;؛/\n]+")
_LIST_SPLIT = re.compile(r"[؛;]+")
_LIMITS = {"name": 200, "outlet": 200, "city": 100, "email": 254, "beat": 200}


@dataclass
class Columns:
    """Which columns give which field, and the columns left out."""

    fields: dict[str, list[int]]
    ignored: list[str]  # labels of the columns nobody mapped
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
                ignored.append(column_label(index, header))
                continue
        fields.setdefault(target, []).append(index)
    for target, indexes in fields.items():
        if len(indexes) > 1 and target not in MULTI_COLUMN_FIELDS:
            labels = "»، «".join(column_label(i, table.headers[i]) for i in indexes)
            raise SheetRefused(_("ستون‌های «%(columns)s» هر دو «%(field)s» هستند؛ یکی را نگه دارید.", columns=labels,
                                 field=HEADERS.get(target, target)), row=table.header_row, column=HEADERS.get(target))
    if "name" not in fields:
        raise SheetRefused(_("ستون «نام» در سطر سرستون‌ها نیست؛ سرستون‌های الگو: %(headers)s.",
                             headers="، ".join(HEADERS.values())), row=table.header_row, column=HEADERS["name"])
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

    @property
    def status(self) -> str:
        """error | duplicate | new (a new journalist) | outlet (an outlet-only row)."""
        if self.errors:
            return "error"
        if self.duplicate is not None:
            return "duplicate"
        return "new" if self.name else "outlet"


@dataclass
class NewOutlet:
    name: str
    key: str
    scope: str
    city: str
    row: int


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    outlets_new: dict[str, NewOutlet]  # by name key
    existing_outlets: dict[str, Outlet]
    warnings: list[str]

    @property
    def errors(self) -> list[dict]:
        return [error for row in self.rows for error in row.errors]

    @property
    def duplicates(self) -> list[dict]:
        return [row.duplicate for row in self.rows if row.duplicate is not None]

    @property
    def new_journalists(self) -> list[RowPlan]:
        return [row for row in self.rows if row.status == "new"]


class _Row:
    """Reads one row's cells through the resolved columns, collecting the errors."""

    def __init__(self, table: Table, columns: Columns, number: int, cells: list[str]):
        self.table, self.columns, self.cells = table, columns, cells
        self.plan = RowPlan(row=number)

    def label(self, index: int) -> str:
        return column_label(index, self.table.headers[index])

    def error(self, index_or_field, message: str) -> None:
        column = (self.label(index_or_field) if isinstance(index_or_field, int)
                  else self.label(self.columns.fields[index_or_field][0]) if index_or_field in self.columns.fields
                  else HEADERS.get(index_or_field, index_or_field))
        self.plan.errors.append({"row": self.plan.row, "column": column, "message": message})

    def text(self, name: str, limited: bool = True) -> str:
        values = [normalize_for_storage(self.cells[i]) for i in self.columns.fields.get(name, ())]
        text = "\n".join(v for v in values if v) if name == "notes" else " ".join(" ".join(values).split())
        return self._limited(name, text) if limited else text

    def _limited(self, name: str, text: str) -> str:
        limit = _LIMITS.get(name)
        if limit and len(text) > limit:
            self.error(name, _("«%(start)s…» بیش از %(limit)s نویسه است.", start=text[:30], limit=limit))
            return text[:limit]
        return text

    def listed(self, name: str) -> list[str]:
        """A cell of several values separated by «؛» (the outlets, their scopes and cities)."""
        text = self.text(name, limited=False)
        return [self._limited(name, part.strip()) for part in _LIST_SPLIT.split(text)] if text else []

    def phones(self) -> list[str]:
        found: list[str] = []
        for index in self.columns.fields.get("phone", ()):
            for part in _PHONE_SPLIT.split(self.cells[index]):
                if not part.strip():
                    continue
                try:
                    number = parse_phone(part)
                except ServiceError as error:
                    self.error(index, str(error))
                    continue
                if number not in found:
                    found.append(number)
        return found

    def email(self) -> str:
        text = self.text("email")
        if not text:
            return ""
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            self.error("email", _("«%(email)s» نشانی ایمیل درستی نیست.", email=text))
            return text


def _scope(word: str) -> str | None:
    return SCOPES_BY_WORD.get(header_key(word))


def _existing() -> tuple[dict[str, Outlet], dict[str, int], dict[str, int]]:
    """The directory's outlets by name key, journalists' ids by name key and by phone."""
    outlets = {o.name_key or name_key(o.name): o for o in db.session.scalars(select(Outlet))}
    by_name: dict[str, int] = {}
    for journalist_id, name, key in db.session.execute(
            select(Journalist.id, Journalist.name, Journalist.name_key).order_by(Journalist.id)):
        by_name.setdefault(key or name_key(name), journalist_id)
    by_phone: dict[str, int] = {}
    for journalist_id, e164 in db.session.execute(
            select(JournalistPhone.journalist_id, JournalistPhone.e164).order_by(JournalistPhone.id)):
        by_phone.setdefault(e164, journalist_id)
    return outlets, by_name, by_phone


def plan_import(table: Table, mapping: dict[int, str] | None = None) -> ImportPlan:
    """What importing ``table`` would do; stores nothing. :raise SheetRefused: see resolve_columns."""
    columns = resolve_columns(table, mapping)
    outlets, by_name, by_phone = _existing()
    plan = ImportPlan(rows=[], outlets_new={}, existing_outlets=outlets, warnings=[])
    plan.warnings += [_("ستون «%(column)s» در الگو نیست و نادیده گرفته شد.", column=c) for c in columns.ignored]
    seen_names: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    for number, cells in table.rows:
        reader = _Row(table, columns, number, cells)
        row = reader.plan
        row.name, row.beat, row.notes = reader.text("name"), reader.text("beat"), reader.text("notes")
        row.outlets, row.phones, row.email = reader.listed("outlet"), reader.phones(), reader.email()
        scopes, cities = reader.listed("scope"), reader.listed("city")
        plan.rows.append(row)
        resolved = []
        for word in scopes:
            scope = _scope(word) if word else ""
            if scope is None:
                reader.error("scope", _("«%(value)s» سطح رسانه نیست؛ یکی از محلی، استانی یا ملی را بنویسید.",
                                        value=word))
            resolved.append(scope)  # None: said already, the outlet is not planned
        for values, name in ((resolved, "scope"), (cities, "city")):
            if len(values) > 1 and len(values) != len(row.outlets):
                reader.error(name, _("%(count)s مقدار برای %(outlets)s رسانه نوشته شده؛ برای هر رسانه یکی، به همان "
                                     "ترتیب و جدا با «؛» بنویسید.", count=len(values), outlets=len(row.outlets)))
        if not row.name:
            if row.phones or row.email or row.beat or row.notes or not row.outlets:
                reader.error("name", _("نام خبرنگار خالی است."))
        else:
            key = name_key(row.name)
            phone = next((p for p in row.phones if p in by_phone or p in seen_phones), None)
            if phone is not None:
                row.duplicate = {"row": number, "name": row.name, "journalist_id": by_phone.get(phone),
                                 "of_row": None if phone in by_phone else seen_phones[phone], "by": "phone"}
            elif key in by_name or key in seen_names:
                row.duplicate = {"row": number, "name": row.name, "journalist_id": by_name.get(key),
                                 "of_row": None if key in by_name else seen_names[key], "by": "name"}
            seen_names.setdefault(key, number)
            for p in row.phones:
                seen_phones.setdefault(p, number)
        if row.duplicate is None:
            _plan_outlets(plan, reader, resolved, cities)
    return plan


def _plan_outlets(plan: ImportPlan, reader: _Row, scopes: list[str | None], cities: list[str]) -> None:
    """The row's outlets: existing ones found, new ones planned with their scope and city."""
    row = reader.plan
    for position, outlet_name in enumerate(row.outlets):
        if not outlet_name:
            continue
        scope = scopes[position] if len(scopes) > position else scopes[0] if len(scopes) == 1 else ""
        if scope is None:
            continue
        city = cities[position] if len(cities) > position else cities[0] if len(cities) == 1 else ""
        key = name_key(outlet_name)
        existing = plan.existing_outlets.get(key)
        if existing is not None:
            if scope and scope != existing.scope:
                plan.warnings.append(_("سطر %(row)s: «%(outlet)s» در فهرست «%(scope)s» است و همان می‌ماند.",
                                       row=row.row, outlet=existing.name, scope=SCOPE_WORDS.get(existing.scope, "")))
            continue
        planned = plan.outlets_new.get(key)
        if planned is None:
            if not scope:
                reader.error("scope", _("رسانهٔ «%(outlet)s» در فهرست نیست؛ سطح آن را بنویسید: محلی، استانی یا ملی.",
                                        outlet=outlet_name))
                continue
            plan.outlets_new[key] = NewOutlet(name=outlet_name, key=key, scope=scope, city=city, row=row.row)
        elif scope and scope != planned.scope:
            reader.error("scope", _("سطح «%(outlet)s» در سطر %(other)s «%(scope)s» نوشته شده است.",
                                    outlet=outlet_name, other=planned.row, scope=SCOPE_WORDS[planned.scope]))


@dataclass
class ImportReport:
    """The outcome the CLI prints and the pages show."""

    plan: ImportPlan
    stored: bool

    def as_dict(self) -> dict:
        plan = self.plan
        return {"outlets_new": len(plan.outlets_new), "journalists_new": len(plan.new_journalists),
                "duplicates": plan.duplicates, "errors": plan.errors, "warnings": plan.warnings,
                "rows": len(plan.rows), "stored": self.stored}


def import_table(table: Table, *, actor, actor_label: str = "", filename: str = "", dry_run: bool = False,
                 mapping: dict[int, str] | None = None) -> ImportReport:
    """Plan the import of ``table`` and, unless ``dry_run`` or any row is bad, store it all in one
    transaction with an audit entry ("directory.imported", the counts).

    :raise SheetRefused: the columns cannot be used (see resolve_columns).
    :raise ServiceError: the directory changed under the import (an outlet of the same name).
    """
    if not can_import_directory(actor):
        raise NotAllowed(_("درون‌ریزی فهرست رسانه‌ها برای نقش شما نیست."))
    plan = plan_import(table, mapping)
    if dry_run or plan.errors or not (plan.outlets_new or plan.new_journalists):
        db.session.rollback()
        return ImportReport(plan=plan, stored=False)
    outlets = dict(plan.existing_outlets)
    for draft in plan.outlets_new.values():
        outlets[draft.key] = Outlet(name=draft.name, name_key=draft.key, scope=draft.scope, city=draft.city)
        db.session.add(outlets[draft.key])
    for row in plan.new_journalists:
        journalist = Journalist(name=row.name, name_key=name_key(row.name), beat=row.beat, email=row.email,
                                notes=row.notes, created_by_id=getattr(actor, "id", None))
        journalist.outlets = list({id(o): o for o in (outlets[name_key(n)] for n in row.outlets if n)}.values())
        journalist.phones = [JournalistPhone(e164=number) for number in row.phones]
        db.session.add(journalist)
    record("directory.imported", actor=actor, actor_label=actor_label, file=filename[:200], rows=len(plan.rows),
           outlets_new=len(plan.outlets_new), journalists_new=len(plan.new_journalists),
           duplicates=len(plan.duplicates))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("فهرست رسانه‌ها هم‌زمان تغییر کرد؛ پرونده را دوباره درون‌ریزی کنید.")) from None
    return ImportReport(plan=plan, stored=True)
