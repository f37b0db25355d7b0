"""Reads for the contact log's pages: the log with its filters, a journalist's or an outlet's
timeline (the partial ``templates/contacts/_timeline.html``), the form's choices, one contact.

Everything goes through the agency scope (app/scoping.py): an agency's users read their agency's
contacts, the governorate every agency's (the pages then show the agency's name).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from app import clock
from app.extensions import db
from app.jalali import format_jalali_date
from app.policy import can_change_contact, can_log_contact, sees_all_agencies
from app.services import NotAllowed
from app.services.contacts import (
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    DIRECTION_SHORT_LABELS,
    get_contact,
)
from app.services.digits import row_id
from models import (
    CONTACT_CHANNELS,
    CONTACT_DIRECTIONS,
    Agency,
    Contact,
    Journalist,
    Outlet,
    journalist_outlets,
)

TIMELINE_ROWS = 20
# The Persian names the partials show (marked with N_, translated in the template).
LABELS = {"channel": CHANNEL_LABELS, "direction": DIRECTION_LABELS, "direction_short": DIRECTION_SHORT_LABELS}


def _loaded(query):
    return query.options(selectinload(Contact.journalist), selectinload(Contact.outlet),
                         selectinload(Contact.logged_by), selectinload(Contact.agency),
                         selectinload(Contact.items), selectinload(Contact.cases))


def _newest(query):
    return query.order_by(Contact.happened_at.desc(), Contact.id.desc())


@dataclass
class ContactQuery:
    """The log's filters as typed; bad values are said and left out."""

    journalist: str = ""
    outlet: str = ""
    channel: str = ""
    direction: str = ""
    date_from: date | None = None
    date_to: date | None = None
    agency: str = ""  # slug (the governorate)


@dataclass
class ContactList:
    contacts: list[Contact]
    total: int
    page: int
    has_next: bool
    journalists: list[Journalist]
    outlets: list[Outlet]
    agencies: list[Agency]
    journalist: Journalist | None = None  # the filter's, for the page's title
    outlet: Outlet | None = None
    errors: dict[str, str] = field(default_factory=dict)
    can_log: bool = False
    show_agency: bool = False
    user: object = None

    def can_change(self, contact: Contact) -> bool:
        return can_change_contact(self.user, contact.agency_id, contact.logged_by_id)


def _about_outlet(outlet_id: int):
    """Contacts that name the outlet, or name one of its journalists and no outlet."""
    of_outlet = select(journalist_outlets.c.journalist_id).where(journalist_outlets.c.outlet_id == outlet_id)
    return or_(Contact.outlet_id == outlet_id,
               and_(Contact.outlet_id.is_(None), Contact.journalist_id.in_(of_outlet)))


def choices() -> tuple[list[Journalist], list[Outlet]]:
    """The active journalists (with their outlets) and outlets, by name, for the forms."""
    journalists = list(db.session.scalars(select(Journalist).where(Journalist.is_active.is_(True))
                                          .options(selectinload(Journalist.outlets)).order_by(Journalist.name_order, Journalist.id)))
    outlets = list(db.session.scalars(select(Outlet).where(Outlet.is_active.is_(True)).order_by(Outlet.name_order, Outlet.id)))
    return journalists, outlets


def contact_list(user, query: ContactQuery, *, page: int = 1, page_size: int = 50) -> ContactList:
    """A page of the log, newest first, with the filters applied."""
    errors: dict[str, str] = {}
    conditions = []
    journalist = outlet = None
    if query.journalist:
        journalist = db.session.get(Journalist, row_id(query.journalist) or 0)
        if journalist is None:
            errors["journalist"] = _("این خبرنگار در فهرست رسانه‌ها نیست.")
        else:
            conditions.append(Contact.journalist_id == journalist.id)
    if query.outlet:
        outlet = db.session.get(Outlet, row_id(query.outlet) or 0)
        if outlet is None:
            errors["outlet"] = _("این رسانه در فهرست رسانه‌ها نیست.")
        else:
            conditions.append(_about_outlet(outlet.id))
    if query.channel in CONTACT_CHANNELS:
        conditions.append(Contact.channel == query.channel)
    if query.direction in CONTACT_DIRECTIONS:
        conditions.append(Contact.direction == query.direction)
    start, end = clock.local_day_bounds(query.date_from, query.date_to)
    if start is not None:
        conditions.append(Contact.happened_at >= start)
    if end is not None:
        conditions.append(Contact.happened_at < end)
    show_agency = sees_all_agencies(user)
    agencies = list(db.session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.name_order, Agency.id))) \
        if show_agency else []
    if show_agency and query.agency:
        agency = next((a for a in agencies if a.slug == query.agency), None)
        if agency is None:
            errors["agency"] = _("سازمانی با شناسهٔ «%(slug)s» نیست.", slug=query.agency)
        else:
            conditions.append(Contact.agency_id == agency.id)
    total = db.session.scalar(select(func.count(Contact.id)).where(*conditions)) or 0
    rows = list(db.session.scalars(_loaded(_newest(select(Contact).where(*conditions)))
                                   .offset((page - 1) * page_size).limit(page_size + 1)))
    journalists, outlets = choices()
    return ContactList(rows[:page_size], total, page, len(rows) > page_size, journalists, outlets, agencies,
                       journalist, outlet, errors, can_log_contact(user, getattr(user, "agency_id", None)),
                       show_agency, user)


@dataclass
class Timeline:
    """A journalist's or an outlet's contacts, newest first, for the partial
    ``templates/contacts/_timeline.html`` (and the quick-entry form ``_quick_form.html``)."""

    contacts: list[Contact]
    total: int
    journalist_id: int | None
    outlet_id: int | None
    can_log: bool
    show_agency: bool
    default_date: str  # today, Jalali, ASCII digits (the quick form's default)
    default_time: str  # now, HH:MM local
    outlets: list[Outlet]  # the quick form's outlet choice: the journalist's outlets
    user: object = None
    last_contact: Contact | None = None
    labels: dict = field(default_factory=lambda: dict(LABELS))

    def can_change(self, contact: Contact) -> bool:
        return can_change_contact(self.user, contact.agency_id, contact.logged_by_id)


def contact_timeline(user, *, journalist_id: int | None = None, outlet_id: int | None = None,
                     limit: int = TIMELINE_ROWS) -> Timeline:
    """The contacts with a journalist (or an outlet: those naming it, or one of its journalists
    without an outlet) that ``user`` may read, newest first; what a directory page includes."""
    if journalist_id is not None:
        condition = Contact.journalist_id == journalist_id
        journalist = db.session.get(Journalist, journalist_id)
        # the quick form's choices: a switched-off outlet is refused when chosen (the code review)
        outlets = [o for o in journalist.outlets if o.is_active] if journalist is not None else []
    else:
        condition = _about_outlet(outlet_id or 0)
        outlet = db.session.get(Outlet, outlet_id or 0)
        outlets = [outlet] if outlet is not None else []
    total = db.session.scalar(select(func.count(Contact.id)).where(condition)) or 0
    rows = list(db.session.scalars(_loaded(_newest(select(Contact).where(condition))).limit(limit)))
    now = clock.utcnow()
    return Timeline(rows, total, journalist_id, outlet_id if journalist_id is None else None,
                    can_log_contact(user, getattr(user, "agency_id", None)), sees_all_agencies(user),
                    format_jalali_date(now, digits="en"), f"{clock.to_local(now):%H:%M}", outlets, user,
                    rows[0] if rows else None)


@dataclass
class ContactPage:
    contact: Contact
    can_change: bool
    show_agency: bool


def contact_page(contact_id: int, user) -> ContactPage:
    """One contact. :raise NotFound: missing or another agency's."""
    contact = get_contact(contact_id)
    return ContactPage(contact, can_change_contact(user, contact.agency_id, contact.logged_by_id),
                       sees_all_agencies(user))


def contact_for_edit(contact_id: int, user) -> tuple[ContactPage, list[Journalist], list[Outlet]]:
    """A contact with the form's choices. :raise NotFound: missing or another agency's.
    :raise NotAllowed: ``user`` may read it but not change it."""
    page = contact_page(contact_id, user)
    if not page.can_change:
        raise NotAllowed(_("این تماس را تنها کسی که آن را ثبت کرده یا مدیر سازمان ویرایش می‌کند."))
    return (page, *choices())
