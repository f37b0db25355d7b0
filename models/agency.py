"""Agencies: the executive bodies of the province whose PR offices use Hamzaban."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String, true
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime, utcnow

AGENCY_KINDS = ("directorate", "university", "company", "municipality", "governorate", "other")
# The Jalali period a conference target counts over (clause 9's cadence).
CONFERENCE_TARGET_PERIODS = ("month", "season", "year")


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_fa: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    # name_fa's place in Persian alphabetical order (app/services/name_order.py fills it): the lists sort by it.
    name_order: Mapped[bytes] = mapped_column(LargeBinary, index=True, default=b"")
    kind: Mapped[str] = mapped_column(String(32), default="directorate")
    parent_ministry: Mapped[str] = mapped_column(String(200), default="")
    portal_url: Mapped[str] = mapped_column(String(500), default="")
    # Clause 9's cadence: `conference_target` conferences held per Jalali `conference_target_period`
    # (month, season or year), e.g. 1 per month; 0 = no target.
    conference_target: Mapped[int] = mapped_column(Integer, default=4)
    conference_target_period: Mapped[str] = mapped_column(String(8), default="year")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Triage that learns (issue 15): the classifier routes and suggests for this agency and learns
    # from its desk's decisions; an admin switches it off.
    learning_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def display_name(self, locale: str = "fa") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_fa

    def __repr__(self) -> str:
        return f"<Agency {self.slug}>"
