"""Routing: the agencies' rules and the routes they give items (one row per item and agency)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.agency import Agency
from models.base import AgencyOwned, UTCDateTime, utcnow
from models.item import Item

ROUTE_STATUSES = ("new", "seen", "accepted", "dismissed", "reassigned")
# The statuses in which an item counts as "routed to agency X" (the search index's ``agencies``
# field, the search page's agency filter and saved-search alerts): the item is in the agency's
# inbox and not turned away. A dismissed route (the agency said it is not theirs) and a
# reassigned one (the item went to another agency) do not count.
ROUTED_STATUSES = ("new", "seen", "accepted")


class RoutingRule(AgencyOwned, db.Model):
    """A query in the search syntax; items matching it are routed to the rule's agency."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    is_title_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # a title-only rule that also reads the lead (app.rules.analysis.LEAD_CHARS)
    reads_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    scopes: Mapped[list] = mapped_column(JSON, default=list)  # outlet scopes; empty = every outlet
    outlet_ids: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # empty = every outlet
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow,
                                                 index=True)

    agency: Mapped[Agency] = relationship()


item_route_rules = db.Table(
    "item_route_rules",
    db.Column("item_route_id", ForeignKey("item_routes.id", ondelete="CASCADE"), primary_key=True),
    db.Column("rule_id", ForeignKey("routing_rules.id", ondelete="CASCADE"), primary_key=True, index=True),
)  # which rules routed which route: the inbox filters by rule with it


class ItemRoute(AgencyOwned, db.Model):
    """Item X was routed to agency A by these rules, with these words; its triage status.

    A route without an agency is a public question no rule took: it waits for a supervisor.
    """

    __tablename__ = "item_routes"
    agency_nullable = True
    __table_args__ = (UniqueConstraint("item_id", "agency_id"),
                      Index("ix_item_routes_agency_status", "agency_id", "status"),
                      # the menu's count of new routes, the dashboard's waiting ones per agency:
                      # index-only scans (PostgreSQL includes the flags they count)
                      Index("ix_item_routes_status_agency", "status", "agency_id",
                            postgresql_include=["is_question", "received_at"]))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    rule_ids: Mapped[list] = mapped_column(JSON, default=list)
    matched: Mapped[list] = mapped_column(JSON, default=list)  # [{"rule_id", "rule", "words"}]
    is_question: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    question_reasons: Mapped[list] = mapped_column(JSON, default=list)  # [{"code", "text", "snippet"}]
    status: Mapped[str] = mapped_column(String(16), default="new")
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # A staff user's request to send the item to another agency, waiting for a supervisor.
    request_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    request_reason: Mapped[str | None] = mapped_column(Text)
    request_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    request_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Where a reassigned item came from, shown to the receiving agency: the sending agency (None:
    # an unassigned question), who sent it and who had asked for it (names as they were: the
    # receiver's scope cannot read another agency's users), the reason, and when.
    received_from_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_by_label: Mapped[str | None] = mapped_column(String(200))
    received_requested_by_label: Mapped[str | None] = mapped_column(String(200))
    received_reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A route the classifier added beside the rules (issue 15, «پیشنهاد سامانه»): the model
    # version (classifier_models.id; no constraint: SQLite cannot add one to this table in place,
    # and versions are never deleted), its probability and the item's words that weighed most.
    # None on rule routes.
    model_id: Mapped[int | None] = mapped_column(Integer)
    model_probability: Mapped[float | None] = mapped_column(Float)
    model_words: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    item: Mapped[Item] = relationship()
    agency: Mapped[Agency] = relationship(foreign_keys="ItemRoute.agency_id")
    request_agency: Mapped[Agency | None] = relationship(foreign_keys=[request_agency_id])
    received_from_agency: Mapped[Agency | None] = relationship(foreign_keys=[received_from_agency_id])


class RuleBackfill(AgencyOwned, db.Model):
    """A request to apply a rule to stored items, run by the worker in batches (resumable).

    ``cursor`` is the last item id looked at; the run walks items published since ``since`` in
    id order, so a crash or a restart resumes where the last committed batch ended.
    """

    __tablename__ = "rule_backfills"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("routing_rules.id", ondelete="CASCADE"), index=True)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None = every stored item
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    rule: Mapped[RoutingRule] = relationship()
