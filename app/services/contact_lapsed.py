"""Lapsed contact (clause 11: local media above all): for an agency, the local outlets it has not
contacted in more than N days (the setting ``contacts.lapsed_days``, default 30).

Counted in whole local days (HAMZABAN_TIMEZONE, so a contact at 23:00 UTC counts for the next
local day): ``days`` is today minus the local day of the agency's last contact with the outlet,
None when it never had one. An outlet is lapsed when ``days`` is None or greater than N: a
contact exactly N days ago still keeps it (30 days after a contact on 1 Azar is 1 Dey, still
fine; 2 Dey is lapsed). Local outlets are the active outlets of scope ``local``; a contact counts
for the outlet it names (app/services/contacts.py fills it from a journalist with one outlet).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.jalali import format_jalali_date
from app.policy import can_edit_contact_settings, sees_all_agencies
from app.services import NotAllowed, ServiceError
from app.services.case_queries import agency_by_slug
from app.services.name_order import name_order
from app.services.settings import DaysSetting
from models import Agency, Contact, Outlet

SETTING_KEY = "contacts.lapsed_days"
MIN_DAYS, MAX_DAYS = 1, 365
LAPSED_DAYS = DaysSetting(SETTING_KEY, MIN_DAYS, MAX_DAYS)
OVERVIEW_ROWS = 8  # lapsed outlets shown on an agency's dashboard


@dataclass(frozen=True)
class OutletContact:
    """A local outlet and an agency's last contact with it, as of a day."""

    outlet_id: int
    outlet: str  # its name
    scope: str
    city: str
    last_contact: date | None  # the local day
    days: int | None  # since the last contact; None: never

    def as_dict(self) -> dict:
        """The CLI's JSON line (`contacts lapsed`): "outlet" and "days" are the contract."""
        return {"outlet": self.outlet, "days": self.days, "outlet_id": self.outlet_id, "scope": self.scope,
                "city": self.city, "last_contact": self.last_contact.isoformat() if self.last_contact else None,
                "last_contact_jalali": format_jalali_date(self.last_contact, digits="en") if self.last_contact
                else None}


def lapsed_days() -> int:
    """N: the setting when it is a whole number in range, else the default (30)."""
    return LAPSED_DAYS.value()


def parse_days(text) -> int:
    """A number of days as typed (any digits). :raise ServiceError: not a whole number from 1 to 365."""
    return LAPSED_DAYS.parse(text)


def set_lapsed_days(text, actor) -> int:
    """Store N (administrators), audited, commit. :raise NotAllowed, ServiceError."""
    if not can_edit_contact_settings(actor):
        raise NotAllowed(_("فقط مدیر سامانه مرز تماس ازدست‌رفته را تغییر می‌دهد."))
    return LAPSED_DAYS.save(text, actor)


def local_outlets() -> list[Outlet]:
    return list(db.session.scalars(select(Outlet).where(Outlet.scope == "local", Outlet.is_active.is_(True))
                                   .order_by(Outlet.name_order, Outlet.id)))


def _last_contacts(agency_ids: list[int], outlet_ids: list[int], as_of: date) -> dict[tuple[int, int], date]:
    """(agency, outlet) → the local day of the last contact on or before ``as_of``."""
    if not agency_ids or not outlet_ids:
        return {}
    rows = db.session.execute(
        select(Contact.agency_id, Contact.outlet_id, func.max(Contact.happened_at))
        .where(Contact.agency_id.in_(agency_ids), Contact.outlet_id.in_(outlet_ids),
               Contact.happened_at < clock.local_midnight(as_of + timedelta(days=1)))
        .group_by(Contact.agency_id, Contact.outlet_id)).all()
    return {(a, o): clock.to_local(clock.as_utc(at)).date() for a, o, at in rows}


def outlet_contacts(agency_id: int, as_of: date | None = None) -> list[OutletContact]:
    """Every local outlet with the agency's last contact and the days since it, as of ``as_of``
    (default today): never contacted first, then the longest ago, then by name."""
    as_of = as_of or clock.local_today()
    outlets = local_outlets()
    last = _last_contacts([agency_id], [o.id for o in outlets], as_of)
    return _sorted([_row(o, last.get((agency_id, o.id)), as_of) for o in outlets])


def _row(outlet: Outlet, last: date | None, as_of: date) -> OutletContact:
    return OutletContact(outlet.id, outlet.name, outlet.scope, outlet.city or "", last,
                         None if last is None else (as_of - last).days)


def _sorted(rows: list[OutletContact]) -> list[OutletContact]:
    """Never contacted first, then the longest silence; ties in Persian alphabetical order (not the
    code points', which put «پ» and «ک» after «ی»)."""
    return sorted(rows, key=lambda r: (r.days is not None, -(r.days or 0), name_order(r.outlet)))


def is_lapsed(row: OutletContact, days: int) -> bool:
    return row.days is None or row.days > days


def lapsed_outlets(agency_id: int, *, days: int | None = None, today: date | None = None) -> list[OutletContact]:
    """The agency's lapsed local outlets (no contact in more than ``days``, default the setting)."""
    days = lapsed_days() if days is None else days
    return [r for r in outlet_contacts(agency_id, today) if is_lapsed(r, days)]


@dataclass(frozen=True)
class AgencyLapsed:
    agency: Agency
    lapsed: list[OutletContact]
    local_total: int


def lapsed_by_agency(agencies: list[Agency], *, days: int, today: date) -> list[AgencyLapsed]:
    """Each agency's lapsed local outlets, in two queries whatever the number of agencies."""
    outlets = local_outlets()
    last = _last_contacts([a.id for a in agencies], [o.id for o in outlets], today)
    result = []
    for agency in agencies:
        rows = _sorted([_row(o, last.get((agency.id, o.id)), today) for o in outlets])
        result.append(AgencyLapsed(agency, [r for r in rows if is_lapsed(r, days)], len(outlets)))
    return result


@dataclass
class LapsedOverview:
    """The dashboard's section: an agency's lapsed outlets, or the governorate's agencies."""

    days: int
    today: date
    local_total: int
    agency: AgencyLapsed | None = None  # an agency's user
    agencies: list[AgencyLapsed] = field(default_factory=list)  # the governorate: agencies with lapsed outlets
    rows: int = OVERVIEW_ROWS


def _active_agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.name_order, Agency.id)))


def lapsed_overview(user, today: date | None = None) -> LapsedOverview | None:
    """What the dashboard shows ``user``; None when there is no local outlet (nothing to say)."""
    today = today or clock.local_today()
    days = lapsed_days()
    if not local_outlets():
        return None
    if sees_all_agencies(user):
        rows = [r for r in lapsed_by_agency(_active_agencies(), days=days, today=today) if r.lapsed]
        rows.sort(key=lambda r: (-len(r.lapsed), r.agency.name_order))
        total = rows[0].local_total if rows else len(local_outlets())
        return LapsedOverview(days, today, total, agencies=rows)
    agency = getattr(user, "agency", None)
    if agency is None:
        return None
    mine = lapsed_by_agency([agency], days=days, today=today)[0]
    return LapsedOverview(days, today, mine.local_total, agency=mine)


@dataclass
class LapsedPage:
    days: int
    setting_days: int
    today: date
    agency: Agency | None
    agencies: list[Agency]  # the choices (the governorate)
    outlets: list[OutletContact]  # every local outlet of the chosen agency, lapsed or not
    overview: list[AgencyLapsed]  # the governorate without a chosen agency
    errors: dict[str, str]
    can_edit_setting: bool

    @property
    def lapsed(self) -> list[OutletContact]:
        return [r for r in self.outlets if is_lapsed(r, self.days)]


def lapsed_page(user, agency_slug: str = "", days_text: str = "") -> LapsedPage:
    """The lapsed-contact page: an agency's user sees their agency; the governorate picks one (or
    sees each agency's count). A bad ``days`` or agency is said and left out."""
    errors: dict[str, str] = {}
    setting = lapsed_days()
    days = setting
    if (days_text or "").strip():
        try:
            days = parse_days(days_text)
        except ServiceError as error:
            errors["days"] = str(error)
    today = clock.local_today()
    governorate = sees_all_agencies(user)
    agencies = _active_agencies() if governorate else []
    agency = None if governorate else getattr(user, "agency", None)
    if governorate and (agency_slug or "").strip():
        try:
            agency = agency_by_slug(agency_slug)
        except ServiceError as error:
            errors["agency"] = str(error)
    outlets = outlet_contacts(agency.id, today) if agency is not None else []
    overview = []
    if governorate and agency is None:
        overview = sorted(lapsed_by_agency(agencies, days=days, today=today),
                          key=lambda r: (-len(r.lapsed), r.agency.name_order))
    return LapsedPage(days, setting, today, agency, agencies, outlets, overview, errors,
                      can_edit_contact_settings(user))
