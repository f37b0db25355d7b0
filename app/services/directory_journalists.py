"""The media directory's journalists: adding, editing and deactivating them (app/services/directory.py
holds the outlets, the duplicate search and the errors both raise).

``check_journalist`` validates without touching the session (every phone parsed to E.164 by
``phones.parse_phone``; one it cannot read is an error on that phone and nothing is stored),
``add_journalist`` adds without committing (the import's building blocks); ``create_journalist``
and ``update_journalist`` are the forms' use cases and commit once.
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.services import NotFound, ServiceError
from app.services.audit import record
from app.services.digits import shown_number
from app.services.directory import (
    DuplicateFound,
    InvalidInput,
    assign_changed,
    clean_field,
    clean_notes,
    find_duplicates,
    require_deactivator,
    require_editor,
)
from app.services.directory_keys import name_key
from app.services.phones import parse_phone
from app.services.row_guard import STALE_PAGE, changed_since, version_of
from models import (
    HANDLE_KINDS,
    PHONE_LABELS,
    PREFERRED_CHANNELS,
    Journalist,
    JournalistPhone,
    Outlet,
)
from search_index.persian import ascii_digits

MAX_PHONES = 6
# A handle as the services write it: Latin letters, digits, «.», «_», «+», «-» («\w» took Persian
# letters too: a handle typed with the Persian layout on was kept, a broken link; round 4).
HANDLE_PATTERN = re.compile(r"^@?[A-Za-z0-9_.+\-]{1,100}$")


def clean_handle(kind: str, value: str) -> tuple[str, str | None]:
    """(the handle as stored, or as typed; a Persian message when it is refused) — the journalist
    form and the directory sheet's import alike. Persian digits are the digits; a WhatsApp handle
    that is a phone number is that number in E.164, as the phones are (a review of the directory
    commands, round 4: «۰۹۱۲…» was stored as typed and «+98 912 …» refused)."""
    handle = ascii_digits(value.strip())
    if kind == "whatsapp" and any(ch.isdigit() for ch in handle):
        with contextlib.suppress(ServiceError):  # no number: read as a handle below
            return parse_phone(handle), None
    if not HANDLE_PATTERN.match(handle):
        return value.strip(), _("شناسه را بی فاصله و با حروف لاتین، رقم، نقطه یا _ بنویسید.")
    return handle, None


@dataclass
class PhoneInput:
    number: str
    label: str = "mobile"


@dataclass
class JournalistInput:
    name: str
    outlet_ids: list[int] = field(default_factory=list)
    beat: str = ""
    phones: list[PhoneInput] = field(default_factory=list)  # empty numbers are skipped
    email: str = ""
    handles: dict[str, str] = field(default_factory=dict)  # HANDLE_KINDS → handle; empty ones dropped
    preferred_channel: str = "phone"
    notes: str = ""



_NAMED_ADDRESS = re.compile(r"[^<>]*<([^<>\s]+)>")  # «رضا <reza@example.ir>», copied from a mail client's «To»
_MAILTO = re.compile(r"mailto:([^?#\s]+)(?:[?#].*)?", re.IGNORECASE)  # a page's link, its «?subject=…» dropped


def pasted_email(value: str) -> str:
    """The address in an e-mail cell or field as people paste it (session 48): inside «Name <…>», after
    «mailto:», with the full-width «＠» of a Persian keyboard, a sentence's final «.»; Persian digits read
    as digits (round 4). Anything else is given back as typed, for the validator to refuse."""
    text = ascii_digits((value or "").strip()).replace("\uff20", "@")
    for shape in (_NAMED_ADDRESS, _MAILTO):
        found = shape.fullmatch(text)
        if found:
            # a link's address is percent-encoded (RFC 6068: «%40» is «@»); «%72eza@…» was stored as typed
            text = unquote(found.group(1)) if shape is _MAILTO else found.group(1)
    return text[:-1] if text.endswith(".") and "@" in text else text


def _check_email(errors: dict, value: str) -> str:
    email = pasted_email(value)
    if not email:
        return ""
    try:
        return validate_email(email, check_deliverability=False).normalized[:254]
    except EmailNotValidError:
        errors["email"] = _("«%(email)s» نشانی رایانامهٔ درستی نیست.", email=email[:254])
        return email


def _check_handles(errors: dict, handles: dict[str, str]) -> dict[str, str]:
    clean = {}
    for kind, value in handles.items():
        handle = (value or "").strip()
        if not handle:
            continue
        if kind not in HANDLE_KINDS:
            errors[f"handle_{kind}"] = _("این پیام‌رسان در فهرست نیست.")
        else:
            handle, refused = clean_handle(kind, handle)
            if refused:
                errors[f"handle_{kind}"] = refused
            else:
                clean[kind] = handle
    return clean


def _check_phones(errors: dict, phones: list[PhoneInput]) -> list[PhoneInput]:
    clean: list[PhoneInput] = []
    for index, phone in enumerate(phones):
        if not (phone.number or "").strip():
            continue
        try:
            e164 = parse_phone(phone.number)
        except ServiceError as refused:
            errors[f"phones-{index}"] = str(refused)
            continue
        if phone.label not in PHONE_LABELS:
            errors[f"phones-{index}"] = _("گونهٔ شماره را از فهرست برگزینید.")
        elif e164 not in [p.number for p in clean]:
            clean.append(PhoneInput(e164, phone.label))
    if len(clean) > MAX_PHONES:
        errors["phones"] = _("بیش از %(n)s شماره نمی‌شود.", n=shown_number(MAX_PHONES))
    return clean


def check_journalist(data: JournalistInput, stored_notes: str = "") -> JournalistInput:
    """``data`` normalized for storage with phones in E.164, or InvalidInput naming every bad
    field; touches nothing (the outlets' existence is checked by ``add_journalist``;
    ``stored_notes``: the journalist's note before an edit, see ``clean_notes``)."""
    errors: dict[str, str] = {}
    clean = JournalistInput(
        name=clean_field(errors, "name", data.name, 200, _("نام خبرنگار را بنویسید.")),
        outlet_ids=list(dict.fromkeys(data.outlet_ids)), beat=clean_field(errors, "beat", data.beat, 200),
        phones=_check_phones(errors, data.phones), email=_check_email(errors, data.email),
        handles=_check_handles(errors, data.handles), preferred_channel=data.preferred_channel or "phone",
        notes=clean_notes(errors, data.notes, stored_notes))
    if clean.preferred_channel not in PREFERRED_CHANNELS:
        errors["preferred_channel"] = _("راه ارتباطی را از فهرست برگزینید.")
    if errors:
        raise InvalidInput(errors)
    return clean


def _outlets(ids: list[int]) -> list[Outlet]:
    outlets = db.session.scalars(select(Outlet).where(Outlet.id.in_(ids))).all() if ids else []
    if len(outlets) != len(ids):
        raise InvalidInput({"outlets": _("یکی از رسانه‌های برگزیده در فهرست نیست.")})
    return list(outlets)


def add_journalist(clean: JournalistInput, *, actor=None, actor_label: str = "") -> Journalist:
    """Add a checked journalist with their outlets and phones, flush and audit; the caller commits."""
    journalist = Journalist(created_by_id=getattr(actor, "id", None))
    _fill(journalist, clean)
    db.session.add(journalist)
    db.session.flush()
    record("journalist.created", actor=actor, actor_label=actor_label, obj=journalist, name=journalist.name)
    return journalist


def _fill(journalist: Journalist, clean: JournalistInput) -> list[str]:
    changed = assign_changed(journalist, {"name": clean.name, "beat": clean.beat, "email": clean.email,
                                   "handles": clean.handles, "preferred_channel": clean.preferred_channel,
                                   "notes": clean.notes})
    journalist.name_key = name_key(journalist.name)
    outlets = _outlets(clean.outlet_ids)
    if sorted(o.id for o in journalist.outlets) != sorted(o.id for o in outlets):
        journalist.outlets = outlets
        changed.append("outlets")
    wanted = [(p.number, p.label) for p in clean.phones]
    if [(p.e164, p.label) for p in journalist.phones] != wanted:
        kept = {p.e164: p for p in journalist.phones}
        journalist.phones = [kept.pop(e164, None) or JournalistPhone(e164=e164) for e164, _label in wanted]
        for phone, (_e164, label) in zip(journalist.phones, wanted):
            phone.label = label
        changed.append("phones")
    return changed


def create_journalist(data: JournalistInput, *, actor=None, actor_label: str = "",
                      allow_duplicate: bool = False) -> Journalist:
    """A new journalist; the same normalized name or a phone already in the directory raises
    DuplicateFound unless ``allow_duplicate``."""
    require_editor(actor)
    clean = check_journalist(data)
    duplicates = find_duplicates("journalist", clean.name, [p.number for p in clean.phones])
    if duplicates and not allow_duplicate:
        raise DuplicateFound(duplicates)
    journalist = add_journalist(clean, actor=actor, actor_label=actor_label)
    db.session.commit()
    return journalist


def get_journalist(journalist_id: int) -> Journalist:
    """The journalist, or NotFound."""
    journalist = db.session.get(Journalist, journalist_id)
    if journalist is None:
        raise NotFound(_("این خبرنگار در فهرست نیست."))
    return journalist


def journalist_version(journalist: Journalist) -> str:
    """The journalist's ``version_of`` its edit form's values (details, outlets, phones)."""
    return version_of({"name": journalist.name, "beat": journalist.beat, "email": journalist.email,
                       "handles": journalist.handles or {}, "preferred_channel": journalist.preferred_channel,
                       "notes": journalist.notes, "outlets": sorted(o.id for o in journalist.outlets),
                       "phones": [[p.e164, p.label] for p in journalist.phones]})


def update_journalist(journalist_id: int, data: JournalistInput, *, actor=None, actor_label: str = "",
                      seen: str | None = None) -> Journalist:
    """Change a journalist's details, outlets and phones (audited with the fields that changed);
    ``seen``: the version the edit page showed (``journalist_version``), refused if changed since."""
    require_editor(actor)
    journalist = get_journalist(journalist_id)
    if changed_since(journalist, seen, journalist_version):
        raise InvalidInput({"version": _(STALE_PAGE)})
    clean = check_journalist(data, journalist.notes)
    with db.session.no_autoflush:
        changed = _fill(journalist, clean)
    if changed:
        record("journalist.updated", actor=actor, actor_label=actor_label, obj=journalist, fields=changed)
    db.session.commit()
    return journalist


def set_journalist_active(journalist_id: int, active: bool, *, actor=None, actor_label: str = "") -> Journalist:
    """Deactivate (hide from the lists and the choices) or reactivate a journalist."""
    require_deactivator(actor)
    journalist = get_journalist(journalist_id)
    if journalist.is_active != active:
        journalist.is_active = active
        record("journalist.reactivated" if active else "journalist.deactivated", actor=actor,
               actor_label=actor_label, obj=journalist)
        db.session.commit()
    return journalist
