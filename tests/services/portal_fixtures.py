"""Shared makers of the portal-freshness tests: an agency's portal feed and its items, and a
change seen on a portal page, each at a local Jalali day and time."""
from __future__ import annotations

import hashlib
import itertools

from app.extensions import db
from app.jalali import parse_jalali_datetime
from models import Feed, Item, ItemSighting, PortalChange, PortalCheck

_n = itertools.count(1)


def portal_feed(agency, *, active=True, created="1404/01/01") -> Feed:
    n = next(_n)
    feed = Feed(url=f"https://portal{n}.example.ir/rss", title="درگاه", agency_id=agency.id, is_active=active,
                created_at=parse_jalali_datetime(created))
    db.session.add(feed)
    db.session.commit()
    return feed


def portal_item(feed: Feed, when: str, *, also_in: Feed | None = None) -> Item:
    """An item of ``feed`` published at the local Jalali «1405/01/01 00:30» (seen in ``also_in`` too)."""
    n = next(_n)
    digest = hashlib.sha1(str(n).encode()).hexdigest()
    at = parse_jalali_datetime(when)
    item = Item(feed_id=feed.id, guid=f"g{n}", link=f"https://portal.example.ir/news/{n}", title=f"خبر {n}",
                published_at=at, content_hash=digest)
    db.session.add(item)
    db.session.flush()
    for seen in (feed, also_in) if also_in else (feed,):
        db.session.add(ItemSighting(feed_id=seen.id, key_hash=hashlib.sha1(f"{n}-{seen.id}".encode()).hexdigest(),
                                    item_id=item.id, content_hash=digest, first_seen_at=at))
    db.session.commit()
    return item


def page_watch(agency, first_checked: str) -> PortalCheck:
    check = PortalCheck(agency_id=agency.id, url=agency.portal_url or "https://x.example.ir/",
                        content_hash="0" * 64, first_checked_at=parse_jalali_datetime(first_checked),
                        last_checked_at=parse_jalali_datetime(first_checked), consecutive_failures=0)
    db.session.add(check)
    db.session.commit()
    return check


def page_change(agency, when: str) -> PortalChange:
    change = PortalChange(agency_id=agency.id, url=agency.portal_url or "https://x.example.ir/",
                          changed_at=parse_jalali_datetime(when), content_hash=f"{next(_n):064d}")
    db.session.add(change)
    db.session.commit()
    return change
