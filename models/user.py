"""User accounts and their roles."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import policy
from app.extensions import db
from app.policy import ROLES  # noqa: F401 - re-exported: `from models import ROLES`
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.sealed import SealedString


class User(AgencyOwned, UserMixin, db.Model):
    __tablename__ = "users"
    agency_nullable = True  # admins and supervisors belong to no agency

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[str] = mapped_column(String(16), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column("is_active", Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changes on password change / deactivation, so old sessions stop working.
    session_token: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The second factor: a TOTP secret (base32), in use once the first code confirmed it; stored
    # sealed under a key derived from the secret key (models/sealed.py), read back plain.
    totp_secret: Mapped[str | None] = mapped_column(SealedString)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last 30-second step whose code was accepted: a code is good once (no replay).
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)

    agency: Mapped[Agency | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return bool(self.is_active_account)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @classmethod
    def may_sign_in_clause(cls):
        """``policy.may_sign_in`` as SQL: an active account, of an active agency unless it reads every
        agency's (the mails of alerts and case notices go to those only: a switched-off agency's staff
        still got them, the review of that change)."""
        return and_(cls.is_active_account, or_(cls.role.in_(tuple(policy.CROSS_AGENCY_ROLES)), cls.agency_id.is_(None),
                                               cls.agency.has(Agency.is_active)))

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def sees_all_agencies(self) -> bool:
        return policy.sees_all_agencies(self)

    @property
    def can_write(self) -> bool:
        return policy.can_write(self)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class RecoveryCode(db.Model):
    """One of a user's ten single-use recovery codes: a salted SHA-256 only (a code has 118 random
    bits, past the 112 above which ASVS 6.5.2 allows a plain hash; ten checks stay cheap)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
