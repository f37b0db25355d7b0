"""News items, the feeds each was seen in, and story clusters of near-duplicates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from models.base import UTCDateTime, utcnow
from models.feed import Feed
from models.outlet import Outlet


class StoryCluster(db.Model):
    """One story as published by several outlets (near-duplicate items)."""

    __tablename__ = "story_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_item_id: Mapped[int | None] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Item(db.Model):
    """A news item. Public: visible to every role (not agency-owned)."""

    __tablename__ = "items"
    __table_args__ = (Index("ix_items_published_at_id", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id"), index=True)  # the feed it came from first
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    guid: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    canonical_link: Mapped[str] = mapped_column(Text, default="")
    # sha1 of the canonical link: the same story link from another feed is the same item.
    link_hash: Mapped[str | None] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")  # cleaned with nh3
    text: Mapped[str] = mapped_column(Text, default="")  # plain text, for search and routing
    author: Mapped[str] = mapped_column(String(500), default="")
    categories: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(20), default="")
    # Indexed with the id (ix_items_published_at_id below): lists walk items newest first.
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_is_estimated: Mapped[bool] = mapped_column(Boolean, default=False)  # feed gave no date
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(40))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # signature of normalized shingles
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("story_clusters.id"), index=True)

    feed: Mapped[Feed] = relationship()
    outlet: Mapped[Outlet | None] = relationship()
    cluster: Mapped[StoryCluster | None] = relationship()


class ItemSighting(db.Model):
    """Item X was seen in feed F under dedupe key K: makes ingest idempotent per feed."""

    __tablename__ = "item_sightings"
    __table_args__ = (UniqueConstraint("feed_id", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id"))
    key_hash: Mapped[str] = mapped_column(String(40))  # sha1 of the GUID, else link, else title+content
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    content_hash: Mapped[str] = mapped_column(String(40))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class MinhashBand(db.Model):
    """LSH band of an item's MinHash: items sharing a band are near-duplicate candidates."""

    __tablename__ = "minhash_bands"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    band: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(16), index=True)  # of the band number and its rows
