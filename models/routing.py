"""Routing: the agencies' rules and the routes they give items (one row per item and agency)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import AgencyOwned, utcnow
from models.item import Item

ROUTE_STATUSES = ("new", "seen", "accepted", "dismissed", "reassigned")


class RoutingRule(AgencyOwned, db.Model):
    """A query in the search syntax; items matching it are routed to the rule's agency."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    is_title_only: Mapped[bool] = mapped_column(Boolean, default=False)
    scopes: Mapped[list] = mapped_column(JSON, default=list)  # outlet scopes; empty = every outlet
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow,
                                                 index=True)

    agency: Mapped[Agency] = relationship()


class ItemRoute(AgencyOwned, db.Model):
    """Item X was routed to agency A by these rules, with these words; its triage status."""

    __tablename__ = "item_routes"
    __table_args__ = (UniqueConstraint("item_id", "agency_id"),
                      Index("ix_item_routes_agency_status", "agency_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    rule_ids: Mapped[list] = mapped_column(JSON, default=list)
    matched: Mapped[list] = mapped_column(JSON, default=list)  # [{"rule_id", "rule", "words"}]
    is_question: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    question_reasons: Mapped[list] = mapped_column(JSON, default=list)  # [{"code", "text", "snippet"}]
    status: Mapped[str] = mapped_column(String(16), default="new")
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    item: Mapped[Item] = relationship()
    agency: Mapped[Agency] = relationship()
