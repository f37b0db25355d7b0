"""The contact log's figures for the scorecard (clause 11), per agency and Jalali month (or any
Jalali period: ``contact_figures_between``, a season or a year for the scorecard).

For the month (its local days, HAMZABAN_TIMEZONE): ``local_outlets`` (the active local outlets,
as the directory has them now), ``local_outlets_contacted`` (those the agency had a contact with
in the month), ``contacts`` (every contact of the agency in the month, whatever the outlet) and
the same by ``channel`` and by ``direction``. Then ``days_since_last_contact``: each local outlet
with the days since the agency's last contact on or before ``as_of`` (the month's last day, or
today when the month is not over), None when it never had one (app/services/contact_lapsed.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.jalali import format_jalali_date, jalali_month_range
from app.services.case_stats import parse_period, scorecard_agencies
from app.services.contact_lapsed import OutletContact, local_outlets, outlet_contacts
from models import CONTACT_CHANNELS, CONTACT_DIRECTIONS, Contact

__all__ = ["ContactFigures", "contact_figures", "parse_period"]


@dataclass(frozen=True)
class ContactFigures:
    agency_id: int
    agency: str  # slug
    period: str  # "1405-09"
    as_of: date
    local_outlets: int
    local_outlets_contacted: int
    contacts: int
    by_channel: dict[str, int]
    by_direction: dict[str, int]
    days_since_last_contact: list[OutletContact]
    records: list[int] = field(default_factory=list, compare=False)  # ids of the period's contacts
    outlet_records: list[int] = field(default_factory=list, compare=False)  # local outlets contacted

    def as_dict(self) -> dict:
        """One JSON line of `contacts stats`."""
        # ISO and Jalali side by side, as `contacts lapsed` and `cases stats` give them (a script read
        # two formats: a review of the commands, round 6)
        return {"agency": self.agency, "period": self.period, "as_of": self.as_of.isoformat(),
                "as_of_jalali": format_jalali_date(self.as_of, digits="en"),
                "local_outlets": self.local_outlets, "local_outlets_contacted": self.local_outlets_contacted,
                "contacts": self.contacts, "by_channel": self.by_channel, "by_direction": self.by_direction,
                "days_since_last_contact": [{"outlet": r.outlet, "outlet_id": r.outlet_id, "days": r.days,
                                             "last_contact": r.last_contact.isoformat() if r.last_contact else None,
                                             "last_contact_jalali": format_jalali_date(r.last_contact, digits="en")
                                             if r.last_contact else None}
                                            for r in self.days_since_last_contact]}


def contact_figures(year: int, month: int, *, agency_id: int | None = None,
                    today: date | None = None) -> list[ContactFigures]:
    """One ContactFigures per agency (the active ones, or ``agency_id``'s), as the scope sees them."""
    first, last = jalali_month_range(year, month)
    return contact_figures_between(first, last, f"{year:04d}-{month:02d}", agency_id=agency_id, today=today)


def contact_figures_between(first: date, last: date, label: str, *, agency_id: int | None = None,
                            today: date | None = None, with_lapsed: bool = True) -> list[ContactFigures]:
    """The figures of the local days [first, last] (a Jalali month, season or year); ``records``
    holds the ids of the contacts in it, ``outlet_records`` the local outlets contacted."""
    today = today or clock.local_today()
    as_of = min(last, today)
    # As of ``as_of``: a past --today counts the contacts up to that day, not the whole month.
    start, end = clock.local_midnight(first), clock.local_midnight(as_of + timedelta(days=1))
    agencies = scorecard_agencies(agency_id)
    ids = [a.id for a in agencies]
    in_period = (Contact.agency_id.in_(ids), Contact.happened_at >= start, Contact.happened_at < end)
    counts: dict[int, dict[tuple[str, str], int]] = {}
    for agency, channel, direction, n in db.session.execute(
            select(Contact.agency_id, Contact.channel, Contact.direction, func.count(Contact.id))
            .where(*in_period).group_by(Contact.agency_id, Contact.channel, Contact.direction)):
        counts.setdefault(agency, {})[(channel, direction)] = n
    records: dict[int, list[int]] = {}
    reached: dict[int, set[int]] = {}
    # A local outlet as it was when the contact chose it (``Contact.outlet_scope``): one switched off or
    # become provincial since still counts for the period it was contacted in (a review of the scorecard:
    # a closed season's figure fell when an outlet closed).
    for agency, contact, outlet, scope in db.session.execute(
            select(Contact.agency_id, Contact.id, Contact.outlet_id, Contact.outlet_scope)
            .where(*in_period).order_by(Contact.happened_at, Contact.id)):
        records.setdefault(agency, []).append(contact)
        if outlet is not None and scope == "local":
            reached.setdefault(agency, set()).add(outlet)
    # The local outlets of the period: the directory's now, and every outlet contacted as local in it
    # (one switched off or become provincial since was one then: it made «2 of 1», and «no data» of a
    # season with contacts; the code review of the change). The directory keeps no history of an
    # outlet's scope, and a directory imported today holds the outlets of past contacts too, so an
    # outlet added since is counted (its ``created_at`` says when it was typed in, not when it began).
    local_ids = {o.id for o in local_outlets()}
    local_ids |= set(db.session.scalars(select(Contact.outlet_id).where(
        Contact.happened_at >= start, Contact.happened_at < end, Contact.outlet_scope == "local",
        Contact.outlet_id.isnot(None)).execution_options(unscoped=True)))
    figures = []
    for agency in agencies:
        mine = counts.get(agency.id, {})
        by_channel = {c: sum(n for (ch, _d), n in mine.items() if ch == c) for c in CONTACT_CHANNELS}
        by_direction = {d: sum(n for (_c, di), n in mine.items() if di == d) for d in CONTACT_DIRECTIONS}
        figures.append(ContactFigures(
            agency_id=agency.id, agency=agency.slug, period=label, as_of=as_of, local_outlets=len(local_ids),
            local_outlets_contacted=len(reached.get(agency.id, ())), contacts=sum(mine.values()),
            by_channel=by_channel, by_direction=by_direction,
            days_since_last_contact=outlet_contacts(agency.id, as_of) if with_lapsed else [],
            records=records.get(agency.id, []), outlet_records=sorted(reached.get(agency.id, ()))))
    return figures
