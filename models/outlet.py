"""Media outlets: news agencies, papers, broadcasters, sites and channels. The media directory
(models/directory.py) adds journalists and each agency's notes; the contact log and press
conferences point here too."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime, utcnow

# "other": none of the others (the directory sheet's words it does not know); kind is a String
# column without a CHECK, so adding one needs no migration.
OUTLET_KINDS = ("news_agency", "newspaper", "tv", "radio", "website", "social_channel", "other")
OUTLET_SCOPES = ("local", "provincial", "national")


class Outlet(db.Model):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="website", index=True)
    scope: Mapped[str] = mapped_column(String(16), default="national", index=True)
    city: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    # The name as the shared Persian analysis normalizes it (filled by the services): duplicates.
    name_key: Mapped[str] = mapped_column(String(200), index=True, default="")
    # The name's place in Persian alphabetical order (app/services/name_order.py fills it on
    # every insert and update): the lists sort by it, not by the name's code points.
    name_order: Mapped[bytes] = mapped_column(LargeBinary, index=True, default=b"")
    notes: Mapped[str] = mapped_column(Text, default="")  # the province's shared notes
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Outlet {self.name}>"
