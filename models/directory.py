"""The media directory (clause 11): journalists, the outlets they work for, their phones, and
each agency's own notes on an outlet or a journalist.

Outlets (``models/outlet.py``) and journalists are shared by the province: every agency sees the
same directory. What an agency writes about them (``DirectoryNote``) is its own
(``AgencyOwned``: app/scoping.py isolates it). Phones are stored in E.164 (``+989121234567``),
parsed by the services with ``phonenumbers``; a number that does not parse is never stored.
``name_key`` columns hold the name as the shared Persian analysis normalizes it (services fill
them), so «علی رضائی» and «علي رضايي» are found as one duplicate.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.outlet import Outlet

# How a journalist prefers to be reached (the contact log's channels are in models/contact.py).
PREFERRED_CHANNELS = ("phone", "sms", "email", "telegram", "eitaa", "bale", "whatsapp", "visit")
# Messaging handles a journalist may have (keys of ``Journalist.handles``).
HANDLE_KINDS = ("telegram", "eitaa", "bale", "whatsapp", "instagram", "x")
PHONE_LABELS = ("mobile", "office", "fax", "other")

journalist_outlets = Table(
    "journalist_outlets",
    db.metadata,
    Column("journalist_id", ForeignKey("journalists.id", ondelete="CASCADE"), primary_key=True),
    Column("outlet_id", ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Journalist(db.Model):
    """A reporter, editor or presenter; works for one or more outlets."""

    __tablename__ = "journalists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="")
    name_order: Mapped[bytes] = mapped_column(LargeBinary, index=True, default=b"")  # as Outlet's
    beat: Mapped[str] = mapped_column(String(200), default="")  # «حوزه خبری»
    email: Mapped[str] = mapped_column(String(254), default="")
    handles: Mapped[dict] = mapped_column(JSON, default=dict)  # HANDLE_KINDS → handle
    preferred_channel: Mapped[str] = mapped_column(String(20), default="phone")
    notes: Mapped[str] = mapped_column(Text, default="")  # the province's shared notes
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    outlets: Mapped[list[Outlet]] = relationship(secondary=journalist_outlets, order_by=Outlet.name_order)
    phones: Mapped[list[JournalistPhone]] = relationship(
        back_populates="journalist", cascade="all, delete-orphan", order_by="JournalistPhone.id")

    def __repr__(self) -> str:
        return f"<Journalist {self.id} {self.name}>"


class JournalistPhone(db.Model):
    """One phone number of a journalist, in E.164."""

    __tablename__ = "journalist_phones"
    __table_args__ = (UniqueConstraint("journalist_id", "e164"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journalist_id: Mapped[int] = mapped_column(ForeignKey("journalists.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str] = mapped_column(String(20), default="mobile")  # PHONE_LABELS

    journalist: Mapped[Journalist] = relationship(back_populates="phones")


class DirectoryNote(AgencyOwned, db.Model):
    """An agency's own note on an outlet or a journalist (exactly one of the two)."""

    __tablename__ = "directory_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    journalist_id: Mapped[int | None] = mapped_column(
        ForeignKey("journalists.id", ondelete="CASCADE"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
