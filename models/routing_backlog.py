"""The routing backlog: items stored by an ingest whose routing waits until after its commit.

With ``FEED_ROUTING=after_commit`` (the default) the ingest writes one row per new item in its own
transaction instead of routing it there; the worker's ``routing-backlog`` job (and ``flask
routing backlog``) routes them and deletes their rows in one later transaction
(app/services/routing_backlog.py). A row outlives a crash between the two commits.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from models.base import UTCDateTime, utcnow


class RoutingBacklog(db.Model):
    __tablename__ = "routing_backlog"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
