"""Holidays and the key/value settings (weekly rest days and the like)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime, utcnow

# What a holiday is: fixed in the solar calendar (seeded each year), a lunar (Hijri) one (proposed
# each year from the Hijri calendar), or another day an administrator declared (a one-off closure).
KIND_FIXED_SOLAR, KIND_LUNAR, KIND_OTHER = "fixed_solar", "lunar", "other"
HOLIDAY_KINDS = (KIND_FIXED_SOLAR, KIND_LUNAR, KIND_OTHER)
# Proposed = computed from the Hijri calendar and not yet confirmed by an administrator (the
# official day can differ by one); it counts as a holiday for deadlines all the same.
STATUS_CONFIRMED, STATUS_PROPOSED = "confirmed", "proposed"
HOLIDAY_STATUSES = (STATUS_CONFIRMED, STATUS_PROPOSED)


class Holiday(db.Model):
    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)  # Gregorian date of the holiday
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=KIND_OTHER, server_default=KIND_OTHER)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_CONFIRMED, server_default=STATUS_CONFIRMED,
                                        index=True)
    # The Hijri day a lunar holiday stands for («1447-01-10»); kept when an administrator moves it.
    hijri_date: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @hybrid_property
    def is_fixed_solar(self) -> bool:
        """The column this replaced (migration 0009); kept so `Holiday(is_fixed_solar=True)` still reads."""
        return self.kind == KIND_FIXED_SOLAR

    @is_fixed_solar.inplace.setter
    def _is_fixed_solar_setter(self, value: bool) -> None:
        self.kind = KIND_FIXED_SOLAR if value else KIND_OTHER

    @is_fixed_solar.inplace.expression
    @classmethod
    def _is_fixed_solar_expression(cls):
        return cls.kind == KIND_FIXED_SOLAR

    @property
    def is_proposed(self) -> bool:
        return self.status == STATUS_PROPOSED


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
