"""What the directory's pages read (views/directory.py): the outlet and journalist lists with
their filters and pages, one outlet's and one journalist's page, the forms' choices.

Other features add a block to the journalist's or the outlet's page without touching its
template: a provider in ``PAGE_SECTIONS["journalist"]`` / ``PAGE_SECTIONS["outlet"]`` takes the
user and the record (a Journalist or an Outlet) and returns a ``PageSection`` (its template, its
data) or None; the page includes ``section.template`` with ``section`` in the context, in the
order of the list (the contact timeline and its quick entry first, then the conferences).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.policy import (
    can_deactivate_directory,
    can_edit_directory,
    can_write_directory_note,
)
from app.services import ServiceError
from app.services.contact_pages import contact_timeline
from app.services.directory import get_outlet
from app.services.directory_journalists import get_journalist
from app.services.directory_keys import name_key
from app.services.directory_notes import NoteRow, notes_for
from app.services.phones import display_phone, parse_phone
from models import Feed, Journalist, JournalistPhone, Outlet, journalist_outlets
from search_index.collation import sort_key
from search_index.persian import ascii_digits


@dataclass(frozen=True)
class PageSection:
    """A block another feature adds to a directory page: its template and its data."""
    key: str
    template: str
    data: Any


# page kind ("journalist" | "outlet") → providers: (user, record) → PageSection | None.
def _contacts(user, subject) -> PageSection:
    """The contact timeline with its quick entry (the contact log, clause 11)."""
    if isinstance(subject, Journalist):
        timeline = contact_timeline(user, journalist_id=subject.id)
    else:
        timeline = contact_timeline(user, outlet_id=subject.id)
    return PageSection("contacts", "contacts/_directory_section.html", timeline)


PAGE_SECTIONS: dict[str, list[Callable[[Any, Any], PageSection | None]]] = {
    "journalist": [_contacts], "outlet": [_contacts]}


def page_sections(kind: str, user, subject) -> list[PageSection]:
    return [s for s in (provider(user, subject) for provider in PAGE_SECTIONS[kind]) if s is not None]


@dataclass
class Listing:
    rows: list
    total: int
    page: int
    has_next: bool


@dataclass
class OutletQuery:
    q: str = ""
    scope: str = ""
    city: str = ""
    kind: str = ""
    inactive: bool = False  # show the deactivated ones instead


@dataclass
class JournalistQuery:
    q: str = ""  # a name (normalized) or a phone number
    outlet_id: int | None = None
    beat: str = ""
    scope: str = ""  # of one of their outlets
    inactive: bool = False


def _like(text: str):
    return f"%{text}%"


def _page(query, count_query, page: int, page_size: int) -> tuple[list, int, bool]:
    total = db.session.scalar(count_query) or 0
    rows = db.session.scalars(query.limit(page_size).offset((page - 1) * page_size)).unique().all()
    return list(rows), total, page * page_size < total


def outlet_list(query: OutletQuery, *, page: int = 1, page_size: int = 50) -> Listing:
    """Outlets by name, filtered; each row with its number of active journalists."""
    conditions = [Outlet.is_active.is_(not query.inactive)]
    if key := name_key(query.q):
        conditions.append(Outlet.name_key.contains(key, autoescape=True))
    for column, value in ((Outlet.scope, query.scope), (Outlet.kind, query.kind), (Outlet.city, query.city)):
        if value:
            conditions.append(column == value)
    select_rows = select(Outlet).where(*conditions).order_by(Outlet.name_order, Outlet.name, Outlet.id)
    rows, total, has_next = _page(select_rows, select(func.count(Outlet.id)).where(*conditions), page, page_size)
    counts = dict(db.session.execute(
        select(journalist_outlets.c.outlet_id, func.count())
        .join(Journalist, Journalist.id == journalist_outlets.c.journalist_id)
        .where(Journalist.is_active, journalist_outlets.c.outlet_id.in_([o.id for o in rows]))
        .group_by(journalist_outlets.c.outlet_id)).all()) if rows else {}
    return Listing([(o, counts.get(o.id, 0)) for o in rows], total, page, has_next)


def _phone_of(text: str) -> str | None:
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7:
        return None
    try:
        return parse_phone(text)
    except ServiceError:
        return None


def _phone_digits(text: str) -> str | None:
    """The digits of a search that is a phone number's last digits only (4 to 6, any script), else
    None: a desk remembers «the one ending in 1101» (a review of the directory found it finding nothing)."""
    digits = ascii_digits("".join(text.split()))
    return digits if digits.isascii() and digits.isdigit() and 4 <= len(digits) <= 6 else None


def journalist_list(query: JournalistQuery, *, page: int = 1, page_size: int = 50) -> Listing:
    """Journalists by name, filtered by name or phone, outlet, beat and their outlets' scope."""
    conditions = [Journalist.is_active.is_(not query.inactive)]
    if query.q.strip():
        phone = _phone_of(query.q)
        if phone:
            conditions.append(Journalist.id.in_(select(JournalistPhone.journalist_id)
                                                .where(JournalistPhone.e164 == phone)))
        elif (tail := _phone_digits(query.q)) is not None:  # «1101», «۱۱۰۱»: the end of a number
            conditions.append(Journalist.id.in_(select(JournalistPhone.journalist_id)
                                                .where(JournalistPhone.e164.endswith(tail, autoescape=True))))
        else:
            conditions.append(Journalist.name_key.contains(name_key(query.q), autoescape=True))
    if query.beat.strip():
        conditions.append(Journalist.beat.contains(" ".join(query.beat.split()), autoescape=True))
    if query.outlet_id is not None or query.scope:
        outlets = select(journalist_outlets.c.journalist_id).join(Outlet, Outlet.id == journalist_outlets.c.outlet_id)
        if query.outlet_id is not None:
            outlets = outlets.where(Outlet.id == query.outlet_id)
        if query.scope:
            outlets = outlets.where(Outlet.scope == query.scope)
        conditions.append(Journalist.id.in_(outlets))
    select_rows = (select(Journalist).where(*conditions).order_by(Journalist.name_order, Journalist.name, Journalist.id)
                   .options(selectinload(Journalist.outlets), selectinload(Journalist.phones)))
    rows, total, has_next = _page(select_rows, select(func.count(Journalist.id)).where(*conditions), page, page_size)
    return Listing(rows, total, page, has_next)


@dataclass(frozen=True)
class Phone:
    e164: str
    display: str  # +98 912 123 4567 (shown left to right)
    label: str


@dataclass
class DirectoryPage:
    """One outlet's or journalist's page."""
    subject: Any  # Outlet | Journalist
    notes: list[NoteRow]
    sections: list[PageSection]
    can_edit: bool
    can_deactivate: bool
    can_write_note: bool
    journalists: list[Journalist] = field(default_factory=list)  # an outlet's
    feeds: list[Feed] = field(default_factory=list)  # an outlet's
    phones: list[Phone] = field(default_factory=list)  # a journalist's
    handles: list[tuple[str, str]] = field(default_factory=list)  # a journalist's (kind, handle)


def _page_of(user, kind: str, subject, notes: list[NoteRow]) -> DirectoryPage:
    return DirectoryPage(subject=subject, notes=notes, sections=page_sections(kind, user, subject),
                         can_edit=can_edit_directory(user), can_deactivate=can_deactivate_directory(user),
                         can_write_note=can_write_directory_note(user))


def outlet_page(outlet_id: int, user) -> DirectoryPage:
    """An outlet with its journalists, its feeds, the notes the user's agency scope sees."""
    outlet = get_outlet(outlet_id)
    page = _page_of(user, "outlet", outlet, notes_for(user, outlet_id=outlet.id))
    page.journalists = list(db.session.scalars(
        select(Journalist).join(journalist_outlets).where(journalist_outlets.c.outlet_id == outlet.id)
        .order_by(Journalist.is_active.desc(), Journalist.name_order, Journalist.id).options(selectinload(Journalist.phones))))
    page.feeds = list(db.session.scalars(select(Feed).where(Feed.outlet_id == outlet.id).order_by(Feed.title)))
    return page


def journalist_page(journalist_id: int, user) -> DirectoryPage:
    """A journalist with their outlets, phones (international format), handles and notes."""
    journalist = get_journalist(journalist_id)
    page = _page_of(user, "journalist", journalist, notes_for(user, journalist_id=journalist.id))
    page.phones = [Phone(p.e164, display_phone(p.e164), p.label) for p in journalist.phones]
    page.handles = sorted((journalist.handles or {}).items())
    return page


def outlet_choices(keep: list[int] = ()) -> list[tuple[int, str]]:
    """(id, name) of the active outlets, and of the inactive ones in ``keep`` (a journalist's)."""
    query = select(Outlet.id, Outlet.name).order_by(Outlet.name_order, Outlet.id)
    query = query.where(Outlet.is_active | Outlet.id.in_(list(keep))) if keep else query.where(Outlet.is_active)
    return [(i, n) for i, n in db.session.execute(query)]


def city_choices() -> list[str]:
    """The cities outlets are in (the lists' filter)."""
    return sorted(db.session.scalars(select(Outlet.city).where(Outlet.city != "").distinct()), key=sort_key)
