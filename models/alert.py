"""Saved searches and the notifications their alerts create. Private to their owner (a user),
not to an agency: the service loads them by owner, so another user's row is a 404."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import UTCDateTime, utcnow
from models.item import Item
from models.user import User


class SavedSearch(db.Model):
    """A query in the search syntax plus the filters that can be checked on one item in memory."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    # {"outlet_id": int, "scope": "local"|…, "agency": slug, "sort": "newest"|"relevance"}; absent = any
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    # Alert on: each new matching item creates a notification.
    is_alert_on: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by the service on every change (the alert matcher's cache key reads it).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When the owner last ran it from the list.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    notifications: Mapped[list[Notification]] = relationship(back_populates="saved_search",
                                                             cascade="all, delete-orphan", passive_deletes=True)


class Notification(db.Model):
    """A new item matched a user's saved search: one row per (saved search, item), ever."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("saved_search_id", "item_id"),
                      Index("ix_notifications_user_read", "user_id", "read_at"),
                      Index("ix_notifications_user_created", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    words: Mapped[list] = mapped_column(JSON, default=list)  # the words that matched, as written in the item
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    saved_search: Mapped[SavedSearch] = relationship(back_populates="notifications")
    item: Mapped[Item] = relationship()
