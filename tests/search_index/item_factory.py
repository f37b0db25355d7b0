"""Items for search tests: rows written like the ingest writes them (with their outbox row)."""
from __future__ import annotations

import itertools
from datetime import UTC, datetime

from app.extensions import db
from models import Feed, Item, Outlet
from models.search_outbox import enqueue

_numbers = itertools.count(1)


class ItemFactory:
    """``make(title=…, text=…, outlet=…, published_at=…)`` adds an item and its outbox row."""

    def __init__(self):
        self._feeds: dict[int | None, Feed] = {}

    def outlet(self, name: str | None = None, scope: str = "provincial") -> Outlet:
        outlet = Outlet(name=name or f"رسانه {next(_numbers)}", scope=scope)
        db.session.add(outlet)
        db.session.commit()
        return outlet

    def _feed(self, outlet: Outlet | None) -> Feed:
        key = outlet.id if outlet else None
        if key not in self._feeds:
            feed = Feed(url=f"https://example.test/{next(_numbers)}.rss", outlet_id=key)
            db.session.add(feed)
            db.session.commit()
            self._feeds[key] = feed
        return self._feeds[key]

    def _item(self, title: str, text: str, outlet: Outlet | None, published_at: datetime | None,
              overrides: dict) -> Item:
        n = next(_numbers)
        values = dict(
            feed_id=self._feed(outlet).id, outlet_id=outlet.id if outlet else None, title=title, text=text,
            link=f"https://example.test/news/{n}", guid=f"guid-{n}", content_hash=f"{n:040d}",
            published_at=published_at or datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        )
        values.update(overrides)
        return Item(**values)

    def make(self, title: str = "", text: str = "", *, outlet: Outlet | None = None,
             published_at: datetime | None = None, commit: bool = True, **overrides) -> Item:
        item = self._item(title, text, outlet, published_at, overrides)
        db.session.add(item)
        db.session.flush()
        enqueue(db.session, "item", item.id)
        if commit:
            db.session.commit()
        return item

    def make_many(self, texts: list[tuple[str, str]], *, outlet: Outlet | None = None) -> list[Item]:
        """Items for ``(title, text)`` pairs, the same rows as ``make`` writes one by one, in one
        flush (a thousand flushes took 10-20 s of a test's setup), committed."""
        items = [self._item(title, text, outlet, None, {}) for title, text in texts]
        db.session.add_all(items)
        db.session.flush()
        for item in items:
            enqueue(db.session, "item", item.id)
        db.session.commit()
        return items
