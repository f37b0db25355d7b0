"""The plan of a directory import (``ImportPlan``: app/services/directory_import.py fills it
row by row) and its rows' outlets: found in the
directory (kept as they are, a different scope, city, kind or website said in a warning) or
planned as new, with their scope, city, kind, website and note; an outlet named again on a later
row takes the details it lacked, and a different one is an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.services.digits import shown_number
from app.services.directory_keys import name_key
from app.services.directory_rows import RowPlan, RowReader
from app.services.directory_sheet import HEADERS, KIND_WORDS, KINDS_BY_WORD, SCOPE_WORDS, header_key
from models import Outlet
from search_index.normalization import normalize

ROWS_NAMED = 5  # rows a grouped warning names; the rest counted


@dataclass
class NewOutlet:
    name: str
    key: str
    scope: str
    city: str
    row: int
    kind: str = ""  # "" when no row wrote one: stored as the model's default
    website: str = ""
    notes: str = ""



@dataclass
class ImportPlan:
    rows: list[RowPlan]
    outlets_new: dict[str, NewOutlet]  # by name key
    existing_outlets: dict[str, Outlet]
    warnings: list[str]
    deactivated: dict[str, list[int]] = field(default_factory=dict)  # an existing deactivated outlet's key → rows
    said: dict[tuple, tuple[int, list[int]]] = field(default_factory=dict)  # a warning's subject → (index, rows)
    encoding: str | None = None  # the CSV's (Table.encoding); None for an XLSX

    @property
    def errors(self) -> list[dict]:
        return [error for row in self.rows for error in row.errors]

    @property
    def duplicates(self) -> list[dict]:
        return [row.duplicate for row in self.rows if row.duplicate is not None]

    @property
    def new_journalists(self) -> list[RowPlan]:
        return [row for row in self.rows if row.status == "new"]



def outlet_details(plan: ImportPlan, reader: RowReader) -> dict[str, list[str]]:
    """The row's outlets' kinds, websites and note (the columns after the template's seven), in
    the outlets' order; an unknown kind word is read as «دیگر» with a warning."""
    row = reader.plan
    kinds = []
    for word in reader.listed("kind"):
        kind = KINDS_BY_WORD.get(header_key(word), "") if word else ""
        if word and not kind:
            plan.warnings.append(_("سطر %(row)s: «%(value)s» گونهٔ رسانه‌ای شناخته نیست و «%(other)s» خوانده شد؛ "
                                   "گونه‌ها: %(kinds)s.", row=shown_number(row.row), value=word,
                                   other=KIND_WORDS["other"], kinds="، ".join(KIND_WORDS.values())))
            kind = "other"
        kinds.append(kind)
    websites = reader.websites()
    if websites and len(websites) != len(row.outlets):  # a website is one outlet's: never «for all»
        reader.error("website", _("%(count)s وبگاه برای %(outlets)s رسانه نوشته شده؛ برای هر رسانه یکی (یا هیچ)، به "
                                  "همان ترتیب و جدا با «؛» بنویسید.", count=shown_number(len(websites)),
                                  outlets=shown_number(len(row.outlets))))
    row.outlet_notes = reader.text("outlet_notes")
    if row.outlet_notes and len(row.outlets) != 1:
        reader.error("outlet_notes", _("«یادداشت رسانه» یادداشت تنها رسانهٔ سطر است؛ سطری با یک رسانه بنویسید."))
    if len(kinds) > 1 and len(kinds) != len(row.outlets):
        reader.error("kind", _("%(count)s مقدار برای %(outlets)s رسانه نوشته شده؛ برای هر رسانه یکی، به همان "
                               "ترتیب و جدا با «؛» بنویسید.", count=shown_number(len(kinds)),
                               outlets=shown_number(len(row.outlets))))
    return {"kind": kinds, "website": websites if len(websites) == len(row.outlets) else [],
            "notes": [row.outlet_notes] if len(row.outlets) == 1 else []}


def _merge(reader: RowReader, planned: NewOutlet, details: dict[str, str]) -> None:
    """An outlet planned on an earlier row, named again: the details it lacked are taken, a
    different one is an error (as a different scope is)."""
    for name, value in details.items():
        if not value or same_detail(name, value, getattr(planned, name)):
            continue
        if getattr(planned, name):
            column = {"city": "city", "kind": "kind", "website": "website", "notes": "outlet_notes"}[name]
            shown = KIND_WORDS.get(planned.kind, "") if name == "kind" else getattr(planned, name)
            reader.error(column, _("«%(column)s» رسانهٔ «%(outlet)s» در سطر %(other)s «%(value)s» نوشته شده است.",
                                   column=HEADERS[column], outlet=planned.name, other=shown_number(planned.row),
                                   value=shown[:60]))
        else:
            setattr(planned, name, value)


def plan_outlets(plan: ImportPlan, reader: RowReader, scopes: list[str | None], cities: list[str],
                  details: dict[str, list[str]]) -> list[str]:
    """The row's outlets: existing ones found (and kept as they are), new ones planned with their
    scope, city, kind, website and note; returns the names of the new outlets this row is the
    first to name."""
    row = reader.plan
    created = []
    for position, outlet_name in enumerate(row.outlets):
        if not outlet_name:
            continue
        scope = scopes[position] if len(scopes) > position else scopes[0] if len(scopes) == 1 else ""
        if scope is None:
            continue
        city = cities[position] if len(cities) > position else cities[0] if len(cities) == 1 else ""
        key = name_key(outlet_name)
        own = {name: (values[position] if len(values) > position else values[0] if len(values) == 1 else "")
               for name, values in details.items()}
        existing = plan.existing_outlets.get(key)
        if existing is not None:
            if not existing.is_active and row.row not in plan.deactivated.get(key, ()):
                plan.deactivated.setdefault(key, []).append(row.row)
            if scope and scope != existing.scope:
                _warn(plan, (existing.id, "scope", scope), row.row, lambda rows, existing=existing: _(
                    "%(rows)s: «%(outlet)s» در فهرست «%(scope)s» است و همان می‌ماند.", rows=rows,
                    outlet=existing.name, scope=SCOPE_WORDS.get(existing.scope, "")))
            _kept_as_listed(plan, row.row, existing, {**own, "city": city})
            continue
        planned = plan.outlets_new.get(key)
        if planned is None:
            if not scope:
                reader.error("scope", _("رسانهٔ «%(outlet)s» در فهرست نیست؛ سطح آن را بنویسید: محلی، استانی یا ملی.",
                                        outlet=outlet_name))
                continue
            plan.outlets_new[key] = NewOutlet(name=outlet_name, key=key, scope=scope, city=city, row=row.row, **own)
            created.append(outlet_name)
            continue
        if scope and scope != planned.scope:
            reader.error("scope", _("سطح «%(outlet)s» در سطر %(other)s «%(scope)s» نوشته شده است.",
                                    outlet=outlet_name, other=shown_number(planned.row), scope=SCOPE_WORDS[planned.scope]))
        _merge(reader, planned, {**own, "city": city})  # the city too: a second row's was lost unsaid
    return created


def same_detail(name: str, value: str, other: str) -> bool:
    """Whether two of an outlet's details say the same: a city or a note whatever its spacing,
    ZWNJ or letter forms («کرمان‌» is «کرمان»), a website with or without its last «/» (``with_scheme``
    gave both their scheme and host in small letters). A review of the commands, round 7: the sheet
    refused «کرمان» against «کرمان» with a ZWNJ after it, and «https://a.ir/» against «https://a.ir»."""
    if not value or not other:
        return value == other
    if name in ("city", "notes"):
        return _folded(value) == _folded(other)
    if name == "website":
        return value.rstrip("/") == other.rstrip("/")
    return value == other


def _folded(text: str) -> str:
    return "".join(normalize(text).replace("\u200c", " ").split())


def _kept_as_listed(plan: ImportPlan, row: int, existing: Outlet, details: dict[str, str]) -> None:
    """An outlet already in the directory keeps its city, kind and website: a different one in
    the file is said (a warning, as a different scope is), not dropped unsaid."""
    for name in ("city", "kind", "website", "notes"):
        value, listed = details.get(name) or "", getattr(existing, name) or ""
        if value and not listed:
            # Not taken (the directory's record is kept as it is), but not dropped unsaid either: a sheet
            # that fills in the cities of outlets imported earlier without them exited 0 and changed nothing.
            column = "outlet_notes" if name == "notes" else name
            _warn(plan, (existing.id, name, "empty"), row, lambda rows, column=column: _(
                "%(rows)s: «%(column)s» رسانهٔ «%(outlet)s» در فهرست خالی است و از فایل پر نمی‌شود؛ آن را در صفحهٔ "
                "رسانه بنویسید.", rows=rows, column=HEADERS[column], outlet=existing.name))
            continue
        if name == "notes":
            continue  # a different shared note is kept unsaid, as README says
        if value and listed and not same_detail(name, value, listed):
            shown = KIND_WORDS.get(listed, listed) if name == "kind" else listed
            _warn(plan, (existing.id, name, value), row, lambda rows, name=name, shown=shown: _(
                "%(rows)s: «%(column)s» رسانهٔ «%(outlet)s» در فهرست «%(value)s» است و همان می‌ماند.", rows=rows,
                column=HEADERS[name], outlet=existing.name, value=shown[:60]))


def _warn(plan: ImportPlan, about: tuple, row: int, message) -> None:
    """One warning per outlet and what it says, naming the rows that say it (a file of 500 rows
    of one outlet with another city gave 500 warnings); ``message(rows)`` words it."""
    said = plan.said.get(about)
    if said is None:
        plan.said[about] = (len(plan.warnings), [row])
        plan.warnings.append(message(_rows_phrase([row])))
        return
    index, rows = said
    if row not in rows:
        rows.append(row)
    plan.warnings[index] = message(_rows_phrase(rows))


def _rows_phrase(rows: list[int]) -> str:
    shown = "، ".join(shown_number(r) for r in rows[:ROWS_NAMED])
    if len(rows) == 1:
        return _("سطر %(row)s", row=shown)
    if len(rows) <= ROWS_NAMED:
        return _("سطرهای %(rows)s", rows=shown)
    return _("سطرهای %(rows)s و %(more)s سطر دیگر", rows=shown, more=shown_number(len(rows) - ROWS_NAMED))
