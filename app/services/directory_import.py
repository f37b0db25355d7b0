"""Importing journalists and outlets from the directory's sheet (issue 12, item 4): all or nothing.

``plan_import`` reads every row and says what it would do, storing nothing: the errors (row,
column, message), the duplicates, the outlets and journalists that would be new. ``import_table``
stores the plan in one transaction, with one audit entry (counts), only when no row is bad.

Rows, as decided for issue 12:

- A row names a journalist («نام») and the outlets they work for («رسانه», several separated by
  «؛»). An outlet is found by its normalized name; one not in the directory is created with the
  row's «سطح رسانه» (required then: محلی / استانی / ملی) and «شهر». An existing outlet keeps its
  scope and city (a different scope in the file is a warning), and kind, website and note. A
  deactivated outlet is found too (an active one of the same name first), linked to, left
  deactivated, and named in a warning. The optional columns (directory_sheet.HEADERS after the
  seven) give a new outlet's kind (a word not known: «دیگر», with a warning), website and note (a
  row of one outlet), and the journalist's phone kinds, preferred channel, handles and note.
- A row with an outlet and no name is an outlet of its own (how the export writes outlets
  without journalists); a row with journalist details and no name is bad.
- Phones: one cell may hold several, separated by «،» «,» «;» «؛» «/» or a new line; each is
  parsed to E.164 (app/services/phones.py) or the row is bad. A dash alone («-», «—») is «none»,
  in a phone or the e-mail cell.
- A duplicate is a journalist already in the directory, or on an earlier row of the same file,
  with the same normalized name or one of the same mobile numbers (a fixed line — a newsroom's
  switchboard or fax — is shared by its reporters and identifies none). It is not created again and not
  changed; it is reported as ``{"row", "name", "journalist_id" (or null), "of_row" (or null),
  "by": "phone"|"name"}`` (phone when a phone matched, else name). A file of duplicates only
  stores nothing and is not an error. A duplicate row's outlets are read as an outlet-only row's:
  one not in the directory is created (a warning says the duplicate is not linked to it: it was
  dropped in silence), one without its scope makes the row bad.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.leases import (
    claim_lease_from_the_dead,
    lease_holder,
    lease_time_left,
    new_owner,
    release_lease,
)
from app.policy import can_import_directory
from app.services import NotAllowed, ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from app.services.directory_encoding import encoding_warning
from app.services.directory_keys import name_key
from app.services.directory_line_ends import stray_return_warning
from app.services.directory_outlet_plan import ImportPlan, outlet_details, plan_outlets
from app.services.directory_rows import RowReader, resolve_columns
from app.services.directory_sheet import (
    SCOPES_BY_WORD,
    Table,
    blank,
    header_key,
)
from app.services.phones import phone_kind
from models import Journalist, JournalistPhone, Outlet

LEASE_KEY = "directory.import_lease"
MERGE_HOLDER = ":merge"  # ends the lease holder's name while a merge holds it (directory_writer)
LEASE_SECONDS = 300  # a 5,000-row import is stored in seconds; a crashed importer's lease frees after this


# The scope words as compared: ZWNJ and spaces left out («سرا‌سری», «ملی‌»), Arabic letters folded
# (header_key); «سراسری» is the directory's own word for national (its pages and forms say
# محلی / استانی / سراسری), accepted beside the template's «ملی».
_SCOPES = {key.replace(" ", ""): scope for key, scope in
           {**SCOPES_BY_WORD, header_key("سراسری"): "national"}.items()}


def _scope(word: str) -> str | None:
    return _SCOPES.get(header_key(word).replace(" ", ""))


def _existing() -> tuple[dict[str, Outlet], dict[str, int], dict[str, int], set[int]]:
    """The directory's outlets by name key, journalists' ids by name key and by phone, and the ids
    of the deactivated journalists."""
    # Of two outlets of one normalized name, an active one (the first made): a deactivated outlet is
    # found only when no active one has its name.
    outlets = {o.name_key or name_key(o.name): o
               for o in db.session.scalars(select(Outlet).order_by(Outlet.is_active, Outlet.id.desc()))}
    by_name: dict[str, int] = {}
    for journalist_id, name, key in db.session.execute(
            select(Journalist.id, Journalist.name, Journalist.name_key).order_by(Journalist.id)):
        by_name.setdefault(key or name_key(name), journalist_id)
    by_phone: dict[str, int] = {}
    for journalist_id, e164 in db.session.execute(
            select(JournalistPhone.journalist_id, JournalistPhone.e164).order_by(JournalistPhone.id)):
        by_phone.setdefault(e164, journalist_id)
    hidden = set(db.session.scalars(select(Journalist.id).where(Journalist.is_active.is_(False))))
    return outlets, by_name, by_phone, hidden


def _repeats_header(cells: list[str], header_keys: list[str]) -> bool:
    """Whether a row is the header row again: its cells, empty ones at the end left out, the
    header's first ones (a sheet pasted under another one column narrower was three unrelated
    errors: a review of the commands, round 6)."""
    keys = [header_key(c) for c in cells]
    while keys and not keys[-1]:
        keys.pop()
    return len(keys) >= min(2, len(header_keys)) and keys == header_keys[:len(keys)]


def _personal(e164: str) -> bool:
    """Whether a number identifies one journalist (a mobile, not a fixed line)."""
    return phone_kind(e164) == "mobile"


def _first_rows(rows: list[int]) -> str:
    """Row numbers for a warning: the first ten, then «…»."""
    return "، ".join(shown_number(r) for r in rows[:10]) + ("، …" if len(rows) > 10 else "")


def _hidden_warnings(table: Table) -> list[str]:
    """What the file's reader may not have seen: a hidden first sheet, rows hidden by a filter."""
    warnings = []
    if table.hidden_sheet is not None:
        warnings.append(_("کاربرگ نخست فایل («%(sheet)s») پنهان است و همان خوانده شد؛ اگر فهرست در کاربرگ دیگری "
                          "است، آن را نخستین کاربرگ کنید.", sheet=table.hidden_sheet[:60]))
    if table.hidden_rows:
        warnings.append(_("%(count)s سطر پنهان در کاربرگ (با پالایه یا Hide) مانند دیگر سطرها خوانده شد؛ اگر نباید "
                          "درون‌ریزی شوند، آن‌ها را از فایل پاک کنید: سطر %(rows)s",
                          count=shown_number(len(table.hidden_rows)), rows=_first_rows(table.hidden_rows)))
    return warnings


def plan_import(table: Table, mapping: dict[int, str] | None = None) -> ImportPlan:
    """What importing ``table`` would do; stores nothing. :raise SheetRefused: see resolve_columns."""
    columns = resolve_columns(table, mapping)
    outlets, by_name, by_phone, hidden = _existing()
    header_keys = [header_key(h) for h in table.headers]
    plan = ImportPlan(rows=[], outlets_new={}, existing_outlets=outlets, warnings=[])
    # A column with no header and nothing in it ignores nothing: no warning (a sheet with one value
    # in its 60th column warned of each of the 56 empty ones between; a review of the commands).
    plan.warnings += [_("ستون «%(column)s» در الگو نیست و نادیده گرفته شد.", column=header) if header else
                      _("ستون %(number)s سرستون ندارد و نادیده گرفته شد.", number=shown_number(index + 1))
                      for index, header in columns.ignored
                      if header or any(not blank(cells[index]) for _n, cells in table.rows if index < len(cells))]
    plan.warnings += _hidden_warnings(table)
    if warning := stray_return_warning(table.stray_returns):
        plan.warnings.append(warning)
    plan.encoding = table.encoding
    if warning := encoding_warning(table.encoding, table.encoding_guessed):
        plan.warnings.insert(0, warning)  # first: what every row was read with
    seen_names: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    for number, cells in table.rows:
        reader = RowReader(table, columns, number, cells)
        row = reader.plan
        row.name, row.beat, row.notes = reader.full_name(), reader.text("beat"), reader.text("notes")
        if row.name and not any(ch.isalpha() for ch in row.name):  # «12345», a phone in the name's column
            reader.error("name", _("«%(name)s» نام کسی نیست (حرفی ندارد)؛ نام خبرنگار را بنویسید یا خانه را خالی "
                                   "بگذارید.", name=row.name))
        row.outlets, row.phones, row.email = reader.listed("outlet"), reader.phones(), reader.email()
        scopes, cities = reader.listed("scope"), reader.listed("city")
        details = outlet_details(plan, reader)
        row.phone_labels, row.channel, row.handles = reader.phone_labels(), reader.channel(), reader.handles()
        # One kind for several phones is as unclear as two for three: «همراه» beside a mobile and a
        # landline stored the landline as a mobile (a review of the commands, round 6).
        if len(row.phone_labels) != len(row.phones) and (len(row.phone_labels) > 1 or len(row.phones) > 1) \
                and row.phone_labels:
            reader.error("phone_label", _("%(count)s گونه برای %(phones)s تلفن نوشته شده؛ برای هر تلفن یکی، به همان "
                                          "ترتیب و جدا با «؛» بنویسید.", count=shown_number(len(row.phone_labels)),
                                          phones=shown_number(len(row.phones))))
        plan.rows.append(row)
        # Two sheets pasted one under the other: the second header row is no journalist «نام».
        if _repeats_header(cells, header_keys):  # said once, as that: not as its cells' errors too
            row.errors.clear()
            reader.error("name", _("سطر %(row)s همان سرستون‌های سطر %(header)s است؛ آن را پاک کنید.",
                                   row=shown_number(number), header=shown_number(table.header_row)))
            continue
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
                                     "ترتیب و جدا با «؛» بنویسید.", count=shown_number(len(values)), outlets=shown_number(len(row.outlets))))
        if not row.name:
            if "outlet" in reader.invisible and not any(row.outlets):
                reader.error("outlet", _("نام رسانه تنها نویسه‌های نادیدنی دارد (نیم‌فاصله، نشانهٔ جهت، فاصلهٔ نشکن، "
                                         "کشیده «ـ»…) و خالی شمرده می‌شود."))
            elif "name" in reader.invisible:
                reader.error("name", _("نام خبرنگار تنها نویسه‌های نادیدنی دارد (نیم‌فاصله، نشانهٔ جهت، فاصلهٔ نشکن، "
                                       "کشیده «ـ»…) و خالی شمرده می‌شود."))
            elif (row.phones or row.email or row.beat or row.notes or row.channel or row.handles
                  or not any(row.outlets)) and not reader.said("name"):  # «؛» alone names none; a formula said
                reader.error("name", _("نام خبرنگار خالی است."))
        else:
            key = name_key(row.name)
            # A mobile number is a person's; a fixed line (a newsroom's switchboard, its fax) is
            # shared: it made every reporter of a paper after the first a "duplicate", dropped with
            # their own mobile (a review of the commands, round 6). The same name still matches.
            phone = next((p for p in row.phones if (p in by_phone or p in seen_phones) and _personal(p)), None)
            if phone is not None:
                row.duplicate = {"row": number, "name": row.name, "journalist_id": by_phone.get(phone),
                                 "of_row": None if phone in by_phone else seen_phones[phone], "by": "phone"}
            elif key in by_name or key in seen_names:
                row.duplicate = {"row": number, "name": row.name, "journalist_id": by_name.get(key),
                                 "of_row": None if key in by_name else seen_names[key], "by": "name"}
            if row.duplicate is not None and row.duplicate["journalist_id"] in hidden:
                plan.warnings.append(_("سطر %(row)s همان خبرنگار «%(name)s» است که در فهرست غیرفعال است؛ دوباره ساخته "
                                       "نمی‌شود و غیرفعال می‌ماند.", row=shown_number(number), name=row.name))
            seen_names.setdefault(key, number)
            for p in row.phones:
                seen_phones.setdefault(p, number)
        created = plan_outlets(plan, reader, resolved, cities, details)
        if row.duplicate is not None and created:
            # Its new outlets are created as an outlet-only row's would be (they were dropped in
            # silence); the duplicate journalist is not changed, so not linked to them: said so.
            plan.warnings += [_("سطر %(row)s تکراری است و خبرنگارش تغییر نمی‌کند؛ رسانهٔ «%(outlet)s» که در فهرست "
                                "نبود ساخته می‌شود، ولی به او پیوند نمی‌خورد.", row=shown_number(number), outlet=name)
                              for name in created]
    for key, rows in plan.deactivated.items():
        plan.warnings.append(_("رسانهٔ «%(outlet)s» (سطر %(rows)s) در فهرست غیرفعال است و غیرفعال می‌ماند؛ خبرنگاران "
                               "تازهٔ این سطرها به آن پیوند می‌خورند.", outlet=outlets[key].name, rows=_first_rows(rows)))
    return plan


@dataclass
class ImportReport:
    """The outcome the CLI prints and the pages show."""

    plan: ImportPlan
    stored: bool
    dry_run: bool = False  # a dry run or the preview: asked what would be stored

    def as_dict(self) -> dict:
        """«outlets_new» and «journalists_new» are what was stored (what would be, in a dry run): a file
        refused for a bad row counted its rolled-back rows (session 43), and its dry run still did (a review,
        session 43); the file's own are «…_planned»."""
        plan = self.plan
        outlets, journalists = len(plan.outlets_new), len(plan.new_journalists)
        counted = self.stored or (self.dry_run and not plan.errors)  # a bad row: nothing would be stored
        return {"outlets_new": outlets if counted else 0, "journalists_new": journalists if counted else 0,
                "duplicates": plan.duplicates, "errors": plan.errors, "warnings": plan.warnings,
                "rows": len(plan.rows), "stored": self.stored, "encoding": plan.encoding,
                "outlets_planned": outlets, "journalists_planned": journalists}


def import_table(table: Table, *, actor, actor_label: str = "", filename: str = "", dry_run: bool = False,
                 mapping: dict[int, str] | None = None) -> ImportReport:
    """Plan the import of ``table`` and, unless ``dry_run`` or any row is bad, store it all in one
    transaction with an audit entry ("directory.imported", the counts).

    :raise SheetRefused: the columns cannot be used (see resolve_columns).
    :raise ServiceError: the directory changed under the import (an outlet of the same name), or
        another import is being stored (the lease ``directory.import_lease``).
    """
    if not can_import_directory(actor):
        raise NotAllowed(_("درون‌ریزی فهرست رسانه‌ها برای نقش شما نیست."))
    if dry_run:
        plan = plan_import(table, mapping)
        db.session.rollback()
        return ImportReport(plan=plan, stored=False, dry_run=True)
    # Two imports planned side by side would each find the other's journalists new and store them
    # twice (journalists have no unique key: two people may share a name): one import at a time.
    owner = new_owner()
    if not claim_lease_from_the_dead(LEASE_KEY, owner, LEASE_SECONDS):
        raise ServiceError(_busy_message(lease_time_left(LEASE_KEY, LEASE_SECONDS),
                                         merging=lease_holder(LEASE_KEY).endswith(MERGE_HOLDER)))
    try:
        return _store(table, actor=actor, actor_label=actor_label, filename=filename, mapping=mapping)
    except BaseException:
        db.session.rollback()  # before the release: on SQLite a write lock held here would block it
        raise
    finally:
        release_lease(LEASE_KEY, owner)


@contextmanager
def directory_writer(busy: str):
    """Hold the import's lease while a merge stores (``busy``: the refusal when it is held). A merge
    of outlet X beside an import storing journalists of X saw none of them (not yet committed),
    and its DELETE of X, once the import committed, cascaded to their links: on PostgreSQL the
    imported journalists were left without an outlet, both commands exiting 0 (session 40's
    note). :raise ServiceError: ``busy``, with the longest wait, while an import (or a merge) holds it."""
    owner = new_owner() + MERGE_HOLDER
    if not claim_lease_from_the_dead(LEASE_KEY, owner, LEASE_SECONDS):
        left = math.ceil(lease_time_left(LEASE_KEY, LEASE_SECONDS).total_seconds())
        raise ServiceError(_(busy, seconds=shown_number(max(left, 1))))
    try:
        yield
    except BaseException:
        db.session.rollback()  # before the release, as the import's
        raise
    finally:
        release_lease(LEASE_KEY, owner)


def _busy_message(left: timedelta, *, merging: bool = False) -> str:
    """The refusal while another import (or a merge: ``merging``) holds the lease, with the longest
    wait (its lease's end: the other import usually finishes, and frees it, sooner). A merge was
    said as «another import» (session 40's note): the user looked for an import nobody ran."""
    seconds = math.ceil(left.total_seconds())
    if seconds <= 0:  # freed since the claim was refused
        return _("درون‌ریزی دیگری در فهرست رسانه‌ها هم‌اکنون پایان یافت؛ چیزی ذخیره نشد. دوباره درون‌ریزی کنید.")
    wait = (_("%(n)s ثانیه", n=shown_number(seconds)) if seconds < 60
            else _("%(n)s دقیقه", n=shown_number(math.ceil(seconds / 60))))
    if merging:
        return _("ادغام دو رکورد تکراری در فهرست رسانه‌ها هم‌اکنون در جریان است؛ چیزی ذخیره نشد. نوبت درون‌ریزی "
                 "دست‌بالا تا %(wait)s دیگر آزاد می‌شود؛ آن‌گاه دوباره درون‌ریزی کنید.", wait=wait)
    return _("درون‌ریزی دیگری در فهرست رسانه‌ها در جریان است؛ چیزی ذخیره نشد. نوبت درون‌ریزی دست‌بالا تا "
             "%(wait)s دیگر آزاد می‌شود؛ آن‌گاه دوباره درون‌ریزی کنید.", wait=wait)


def _store(table: Table, *, actor, actor_label: str, filename: str, mapping: dict[int, str] | None) -> ImportReport:
    """Plan ``table`` afresh (under the lease) and store it in one transaction unless a row is bad."""
    plan = plan_import(table, mapping)
    if plan.errors or not (plan.outlets_new or plan.new_journalists):
        db.session.rollback()
        return ImportReport(plan=plan, stored=False)
    outlets = dict(plan.existing_outlets)
    for draft in plan.outlets_new.values():
        outlets[draft.key] = Outlet(name=draft.name, name_key=draft.key, scope=draft.scope, city=draft.city,
                                    kind=draft.kind or "website", website=draft.website, notes=draft.notes)
        db.session.add(outlets[draft.key])
    for row in plan.new_journalists:
        journalist = Journalist(name=row.name, name_key=name_key(row.name), beat=row.beat, email=row.email,
                                notes=row.notes, handles=row.handles, preferred_channel=row.channel or "phone",
                                created_by_id=getattr(actor, "id", None))
        journalist.outlets = list({id(o): o for o in (outlets[name_key(n)] for n in row.outlets if n)}.values())
        labels = row.phone_labels if len(row.phone_labels) == len(row.phones) else row.phone_labels[:1] * len(row.phones)
        journalist.phones = [JournalistPhone(e164=number, label=label or phone_kind(number))  # a landline: «دفتر»
                             for number, label in zip(row.phones, labels or [""] * len(row.phones), strict=True)]
        db.session.add(journalist)
    record("directory.imported", actor=actor, actor_label=actor_label, file=filename[:200], rows=len(plan.rows),
           outlets_new=len(plan.outlets_new), journalists_new=len(plan.new_journalists),
           duplicates=len(plan.duplicates))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("فهرست رسانه‌ها هم‌زمان تغییر کرد؛ فایل را دوباره درون‌ریزی کنید.")) from None
    return ImportReport(plan=plan, stored=True)
