"""Server-side sessions: one row per login, so a logout, an admin or a timeout can end it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import UTCDateTime, utcnow
from models.user import User

# Why a session ended (shown on the session pages).
END_REASONS = ("logout", "everywhere", "admin", "idle", "expired", "password", "account", "two-factor-reset")


class UserSession(db.Model):
    """A login. The browser holds a random id in its signed cookie; the row keeps only its SHA-256,
    so reading the database does not give anyone a way in."""

    __tablename__ = "user_sessions"
    # a wave's «known network» check: one lookup, whatever the account's number of sessions (app/services/login_wave.py)
    __table_args__ = (Index("ix_user_sessions_user_id_network", "user_id", "network"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Written at most once a minute (a write per request would queue behind the worker on SQLite).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    end_reason: Mapped[str] = mapped_column(String(24), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    # ``networks.network_of(address)``: the IPv4 address or IPv6 /64 the login came from (migration 0032)
    network: Mapped[str] = mapped_column(String(64), default="", server_default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
