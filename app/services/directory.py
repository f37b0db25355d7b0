"""The media directory (clause 11): adding, editing and deactivating outlets; what outlets and
journalists share (the input errors, the duplicate search, the policy checks). Journalists are
``directory_journalists.py``.

Outlets and journalists are shared by the province (every agency reads the same directory);
who may change them is ``app/policy.py`` (DIRECTORY_EDITORS, DIRECTORY_DEACTIVATORS). Each
agency's own notes are ``directory_notes.py``; the pages' reads are ``directory_pages.py``.

Input comes in as typed (``OutletInput``, ``JournalistInput``) and is checked whole before
anything is stored: a bad field raises ``InvalidInput`` with a Persian message per field (a phone
that ``phonenumbers`` cannot read included), and nothing is saved. Creating a record whose name
(normalized: ``directory_keys.name_key``) or phone is already in the directory raises
``DuplicateFound`` naming the existing records, unless the caller passes ``allow_duplicate=True``
(the form's «create anyway» box: a conscious choice).

Building blocks for the import (the whole file in one transaction): ``check_outlet`` /
``check_journalist`` validate without touching the session, ``find_duplicates`` looks, and
``add_outlet`` / ``add_journalist`` add, flush and audit without committing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import can_deactivate_directory, can_edit_directory
from app.services import NotAllowed, NotFound, ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from app.services.directory_keys import name_key
from app.services.row_guard import STALE_PAGE, changed_since, version_of
from models import (
    OUTLET_KINDS,
    OUTLET_SCOPES,
    Journalist,
    JournalistPhone,
    Outlet,
)
from search_index.persian import normalize_for_storage

_WEBSITE = re.compile(r"^https?://[^\s/]+\.\S+$")


class InvalidInput(ServiceError):
    """Fields that cannot be stored: ``errors`` maps a field name (``phones-1`` for the second
    phone) to its Persian message; str() is the first message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


@dataclass(frozen=True)
class Duplicate:
    """An existing record that looks like the one being created."""
    kind: str  # "outlet" | "journalist"
    id: int
    name: str
    reason: str  # "name" | "phone"
    phone: str = ""  # E.164, when reason == "phone"
    is_active: bool = True


class DuplicateFound(ServiceError):
    """The record looks like ``duplicates``; nothing was stored."""

    def __init__(self, duplicates: list[Duplicate]):
        super().__init__(_("رکوردی همانند این در فهرست هست؛ اگر با این همه تازه است، «همانند نیست؛ بساز» را بزنید."))
        self.duplicates = duplicates


@dataclass
class OutletInput:
    name: str
    kind: str = "website"
    scope: str = "local"
    city: str = ""
    website: str = ""
    notes: str = ""


def holds_sheet_separator(text: str) -> bool:
    """The directory's sheet lists a journalist's outlets (their scopes, cities, kinds and
    websites) separated by «؛» or «;»: an outlet's name, city or website holding one came back from
    its own export as two outlets, or refused the file. The forms, the feeds' path (which creates
    outlets) and the export refuse it."""
    return "؛" in (text or "") or ";" in (text or "")


def separator_message() -> str:
    return _("«؛» و «;» در نام رسانه، شهر و وبگاه آن نمی‌آیند: فایل فهرست رسانه‌ها چند رسانه را با آن‌ها از هم "
             "جدا می‌کند.")


def with_scheme(text: str) -> str:
    """«www.shahr-daily.ir» is «https://www.shahr-daily.ir» (the form refused an address typed as
    people write it: a walk through the pages); an http(s) address's scheme and host in small
    letters («HTTPS://A.IR/News» is «https://a.ir/News»: a review of the commands, round 7), the
    rest as typed; anything else as it is."""
    text = (text or "").strip()
    if text and "://" not in text and "." in text and not any(ch.isspace() for ch in text):
        text = "https://" + text
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        authority, slash, path = _split_authority(rest)
        user, at, host = authority.rpartition("@")
        return scheme.lower() + sep + user + at + host.lower() + slash + path
    return text


def _split_authority(rest: str) -> tuple[str, str, str]:
    """The host part of an address after «://» and what follows it (a path, «?» or «#»)."""
    for at, ch in enumerate(rest):
        if ch in "/?#":
            return rest[:at], ch, rest[at + 1:]
    return rest, "", ""


def is_website(text: str) -> bool:
    """A whole http(s) address, as the outlet form takes it (the sheet's import checks the same)."""
    return len(text) <= 500 and bool(_WEBSITE.match(text))


def _text(value: str) -> str:
    return " ".join(normalize_for_storage(value or "").split())


def clean_text(value: str) -> str:
    return normalize_for_storage(value or "").strip()


# A shared note's most characters (a journalist's, an outlet's), wherever it is entered (the forms,
# the import): a few pages, and well under what every export keeps whole. An XLSX cell holds 32,767
# (Excel's limit, counted in UTF-16: an emoji is two; openpyxl cut a longer one unsaid), so a
# 40,000-character note came back cut from an XLSX export and import (a review of the directory
# commands); twice this and the export's defusing quote still fit one.
NOTES_MAX = 10_000


def clean_notes(errors: dict, value: str, stored: str = "") -> str:
    """A shared note as stored (lines kept); too long: an error under «notes». A note stored longer
    before (the import takes any length, and notes of before NOTES_MAX) may be kept or cut down: its
    record could not be saved at all from the form (session 36's note)."""
    text = clean_text(value)
    if len(text) > max(NOTES_MAX, len(stored or "")):
        errors["notes"] = _("بیش از %(n)s نویسه نوشته شده است.", n=shown_number(NOTES_MAX))
    return text


def clean_field(errors: dict, name: str, value: str, limit: int, empty_message: str | None = None) -> str:
    text = _text(value)
    if not name_key(text) and empty_message:  # a name of ZWNJ, bidi marks or tatweel only shows nothing
        errors[name] = empty_message
    elif len(text) > limit:
        errors[name] = _("بیش از %(n)s نویسه نوشته شده است.", n=shown_number(limit))
    return text


def find_duplicates(kind: str, name: str, phones: list[str] = (), *, exclude_id: int | None = None) -> list[Duplicate]:
    """Records of ``kind`` with the same normalized name, and journalists holding one of ``phones``
    (E.164)."""
    model = Outlet if kind == "outlet" else Journalist
    key = name_key(name)
    query = select(model).where(model.name_key == key).order_by(model.id)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    found = [Duplicate(kind, r.id, r.name, "name", is_active=r.is_active) for r in db.session.scalars(query)] if key else []
    if kind == "journalist" and phones:
        rows = db.session.execute(
            select(Journalist, JournalistPhone.e164).join(JournalistPhone)
            .where(JournalistPhone.e164.in_(list(phones)), Journalist.id != (exclude_id or 0))
            .order_by(Journalist.id)).all()
        found += [Duplicate(kind, j.id, j.name, "phone", e164, j.is_active) for j, e164 in rows]
    return found


# --- outlets -----------------------------------------------------------------------------------

def check_outlet(data: OutletInput, stored_notes: str = "") -> OutletInput:
    """``data`` normalized for storage, or InvalidInput; touches nothing (``stored_notes``: the
    outlet's note before an edit, see ``clean_notes``)."""
    errors: dict[str, str] = {}
    clean = OutletInput(name=clean_field(errors, "name", data.name, 200, _("نام رسانه را بنویسید.")),
                        kind=data.kind, scope=data.scope, city=clean_field(errors, "city", data.city, 100),
                        website=with_scheme(data.website), notes=clean_notes(errors, data.notes, stored_notes))
    for field, value in (("name", clean.name), ("city", clean.city), ("website", clean.website)):
        if field not in errors and holds_sheet_separator(value):
            errors[field] = separator_message()
    if clean.kind not in OUTLET_KINDS:
        errors["kind"] = _("گونهٔ رسانه را از فهرست برگزینید.")
    if clean.scope not in OUTLET_SCOPES:
        errors["scope"] = _("سطح رسانه را از فهرست برگزینید (محلی، استانی یا سراسری).")
    if clean.website and not is_website(clean.website):
        errors["website"] = _("نشانی وبگاه را کامل بنویسید، مانند https://example.ir")
    if errors:
        raise InvalidInput(errors)
    return clean


def _outlet_name_taken(name: str, outlet_id: int | None = None) -> Outlet | None:
    query = select(Outlet).where(Outlet.name == name)
    if outlet_id is not None:
        query = query.where(Outlet.id != outlet_id)
    return db.session.scalar(query)


def add_outlet(clean: OutletInput, *, actor=None, actor_label: str = "") -> Outlet:
    """Add a checked outlet, flush and audit it; the caller commits."""
    outlet = Outlet(name=clean.name, name_key=name_key(clean.name), kind=clean.kind, scope=clean.scope,
                    city=clean.city, website=clean.website, notes=clean.notes)
    db.session.add(outlet)
    db.session.flush()
    record("outlet.created", actor=actor, actor_label=actor_label, obj=outlet, name=outlet.name)
    return outlet


def require_editor(actor) -> None:
    if actor is not None and not can_edit_directory(actor):
        raise NotAllowed(_("شما فهرست رسانه‌ها و خبرنگاران را تنها می‌خوانید."))


def create_outlet(data: OutletInput, *, actor=None, actor_label: str = "", allow_duplicate: bool = False) -> Outlet:
    """A new outlet. Same name: refused; same normalized name: DuplicateFound unless allowed."""
    require_editor(actor)
    clean = check_outlet(data)
    same = _outlet_name_taken(clean.name)
    if same is not None:
        raise InvalidInput({"name": _("رسانه‌ای با نام «%(name)s» در فهرست هست.", name=same.name)})
    duplicates = find_duplicates("outlet", clean.name)
    if duplicates and not allow_duplicate:
        raise DuplicateFound(duplicates)
    outlet = add_outlet(clean, actor=actor, actor_label=actor_label)
    db.session.commit()
    return outlet


def get_outlet(outlet_id: int) -> Outlet:
    """The outlet, or NotFound."""
    outlet = db.session.get(Outlet, outlet_id)
    if outlet is None:
        raise NotFound(_("این رسانه در فهرست نیست."))
    return outlet


def outlet_version(outlet: Outlet) -> str:
    """The outlet's ``version_of`` its edit form's values."""
    return version_of({name: getattr(outlet, name) for name in ("name", "kind", "scope", "city", "website", "notes")})


def update_outlet(outlet_id: int, data: OutletInput, *, actor=None, actor_label: str = "",
                  seen: str | None = None) -> Outlet:
    """Change an outlet's details (audited with the fields that changed); ``seen``: the version
    the edit page showed (``outlet_version``), refused if the outlet changed since."""
    require_editor(actor)
    outlet = get_outlet(outlet_id)
    if changed_since(outlet, seen, outlet_version):
        raise InvalidInput({"version": _(STALE_PAGE)})
    clean = check_outlet(data, outlet.notes)
    if _outlet_name_taken(clean.name, outlet.id) is not None:
        raise InvalidInput({"name": _("رسانه‌ای با نام «%(name)s» در فهرست هست.", name=clean.name)})
    changed = assign_changed(outlet, {"name": clean.name, "kind": clean.kind, "scope": clean.scope, "city": clean.city,
                               "website": clean.website, "notes": clean.notes})
    outlet.name_key = name_key(outlet.name)
    if changed:
        record("outlet.updated", actor=actor, actor_label=actor_label, obj=outlet, fields=changed)
    db.session.commit()
    return outlet


def set_outlet_active(outlet_id: int, active: bool, *, actor=None, actor_label: str = "") -> Outlet:
    """Deactivate (hide from the lists and the choices) or reactivate an outlet."""
    require_deactivator(actor)
    outlet = get_outlet(outlet_id)
    if outlet.is_active != active:
        outlet.is_active = active
        record("outlet.reactivated" if active else "outlet.deactivated", actor=actor, actor_label=actor_label,
               obj=outlet)
        db.session.commit()
    return outlet


def require_deactivator(actor) -> None:
    if actor is not None and not can_deactivate_directory(actor):
        raise NotAllowed(_("تنها مدیر روابط عمومی سازمان یا ناظران استانداری رکوردی را غیرفعال می‌کنند."))


def assign_changed(obj, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed
