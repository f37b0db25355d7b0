"""The contact log (clause 11): every contact of an agency with a journalist or an outlet.

A contact belongs to the agency that logged it (``AgencyOwned``: app/scoping.py isolates it; the
governorate reads every agency's). It names a journalist, an outlet or both (the service fills the
outlet from a journalist who works for exactly one); the lapsed-contact list and the figures count
a contact for the outlet it names. Journalists and outlets are shared by the province: deleting
one keeps the contacts (their column becomes NULL). Linked monitored items and public-question
cases are association rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.case import PublicQuestion
from models.directory import Journalist
from models.item import Item
from models.outlet import Outlet
from models.user import User

# "inbound": they called us; "outbound": we called them.
CONTACT_DIRECTIONS = ("inbound", "outbound")
CONTACT_CHANNELS = ("phone", "visit", "interview", "press_release", "message", "event")

contact_items = Table(
    "contact_items",
    db.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, index=True),
)

contact_cases = Table(
    "contact_cases",
    db.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", ForeignKey("public_questions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def _outlet_scope_now(context) -> str | None:
    """A new contact's outlet scope when none was given: the outlet's, as it is at the insert (None
    for an outlet switched off: it counts for no scope)."""
    outlet_id = context.get_current_parameters().get("outlet_id")
    if outlet_id is None:
        return None
    row = context.connection.execute(select(Outlet.scope, Outlet.is_active).where(Outlet.id == outlet_id)).first()
    return row.scope if row is not None and row.is_active else None


class Contact(AgencyOwned, db.Model):
    """One contact: who (journalist and/or outlet), which way, by which channel, about what, when."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_agency_happened", "agency_id", "happened_at"),
                      Index("ix_contacts_outlet_happened", "outlet_id", "happened_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    journalist_id: Mapped[int | None] = mapped_column(
        ForeignKey("journalists.id", ondelete="SET NULL"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="SET NULL"))
    # The outlet's scope when it was chosen for the contact (None: no outlet, or one switched off then):
    # the scorecard's local media of a past period (an outlet switched off or become provincial since
    # still counts as it was; migration 0030).
    outlet_scope: Mapped[str | None] = mapped_column(String(16), default=_outlet_scope_now)
    direction: Mapped[str] = mapped_column(String(8), default="outbound", index=True)  # CONTACT_DIRECTIONS
    channel: Mapped[str] = mapped_column(String(16), default="phone", index=True)  # CONTACT_CHANNELS
    topic: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    journalist: Mapped[Journalist | None] = relationship()
    outlet: Mapped[Outlet | None] = relationship()
    logged_by: Mapped[User | None] = relationship()
    items: Mapped[list[Item]] = relationship(secondary=contact_items, order_by=Item.id)
    cases: Mapped[list[PublicQuestion]] = relationship(secondary=contact_cases, order_by=PublicQuestion.id)

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.channel} {self.direction}>"
