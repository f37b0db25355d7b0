"""Storing what one poll of a feed produced: items, sightings, clusters, outbox rows and the
feed's health, in the caller's transaction (app/services/feed_pipeline.py commits once per feed,
after routing and alerts, so a worker killed at any moment leaves either the whole batch or none
of it: the next run fetches the feed again and dedupes).

Per entry of feed F (see DESIGN.md, "deduplicate"):
1. F has seen the entry's key before → if its text changed and F is the item's origin feed,
   the item is updated (and re-clustered, outbox "upsert"); otherwise a duplicate.
   An entry under a GUID this feed gave to another article (a new link, the old one still in the
   document or another page and story) is keyed by its GUID and link (``entry_lookup.regiven_guids``); an
   entry without a GUID whose link moved between «http» and «https» with its text is the item of
   the other scheme (``entry_lookup.other_scheme_items``).
2. Another feed's item has the same canonical link → F gets a sighting of that item; when the
   link is on the site of F's outlet and not of the item's own feed, the item becomes F's (``_reclaim``).
3. Otherwise a new Item with its sighting and outbox row, then its story cluster.
The unique (feed, key) constraint is the last guard: a concurrent worker's insert makes the
commit fail, and the retry sees its rows as duplicates.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from app.clock import as_utc
from app.monitor import dedupe
from app.monitor.entry_lookup import (
    REPEATED_TEXT_WORDS,
    UNLINKED_REPEAT_DAYS,
    LinkedStories,
    WordKeyedEdits,
    former_guid_sightings,
    items_by_link,
    other_scheme_items,
    regiven_guids,
    repeated_texts,
    sightings_of,
    unlinked_texts,
)
from app.monitor.left_out import key_stories_at_a_shared_link, keyed
from app.monitor.parse import MAX_CATEGORIES, ParsedEntry, ParsedFeed
from app.monitor.politeness import next_backoff
from models import Feed, Item, ItemSighting, MinhashBand, SearchOutbox
from models.search_outbox import enqueue

_FUTURE_SLACK = timedelta(minutes=15)  # a date later than the fetch by more: the fetch's, estimated (round 11)
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before the web had news feeds: a broken date


@dataclass
class IngestStats:
    new: int = 0
    updated: int = 0
    duplicate: int = 0  # already known, including `linked`
    linked: int = 0  # an item of another feed, seen again here (same canonical link)
    reclaimed: int = 0  # of those, items given to this feed: their link is on its outlet's site
    clustered: int = 0
    empty: int = 0  # entries with no guid, link, title or text: nothing to keep, counted so it shows
    # The items this batch created, for the pipeline's next steps (routing, alerts).
    created: list = field(default_factory=list, repr=False, compare=False)
    # The items given to this feed (``reclaimed``): their outlet, scope and words changed (alerts).
    reclaimed_items: list = field(default_factory=list, repr=False, compare=False)

    def add(self, other: IngestStats) -> None:
        for name in ("new", "updated", "duplicate", "linked", "reclaimed", "clustered", "empty"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class FeedOutcome:
    """What one poll (or file read) of a feed produced, ready to be stored."""

    feed_id: int
    fetched_at: datetime
    parsed: ParsedFeed | None = None
    status: int | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    error_detail: dict | None = None  # {"key", "values"} of app/monitor/messages.py
    retry_after: float | None = None
    url: str = ""
    moved_to: str | None = None  # every redirect hop was permanent (301/308): the feed's new address
    stats: IngestStats = field(default_factory=IngestStats)

    @property
    def ok(self) -> bool:
        return self.error_code is None


def _published(entry: ParsedEntry, fetched_at: datetime) -> tuple[datetime, bool]:
    published = as_utc(entry.published)
    if published is None or published < _EARLIEST or published > fetched_at + _FUTURE_SLACK:
        return fetched_at, True
    return published, False


def _fill(item: Item, entry: ParsedEntry, chash: str, canonical: str | None, lhash: str | None) -> None:
    item.guid = (entry.guid or "")[:4000]
    item.link = entry.link or ""
    item.canonical_link = canonical or ""
    item.link_hash = lhash
    item.title = entry.title or ""
    item.summary_html = entry.summary_html or ""
    item.text = entry.text or ""
    item.author = (entry.author or "")[:500]
    item.categories = [c[:200] for c in entry.categories[:MAX_CATEGORIES]]
    item.content_hash = chash


def _signature(item: Item):
    sig = dedupe.signature(item.title, item.text)
    item.minhash = dedupe.to_bytes(sig) if sig is not None else None
    return sig


def _update_item(session, item: Item, entry: ParsedEntry, chash: str, fetched_at: datetime,
                 window_days: int) -> None:
    """The origin feed republished the entry with other text: the item follows it."""
    canonical = dedupe.canonical_link(entry.link)
    _fill(item, entry, chash, canonical, dedupe.link_hash(canonical))
    updated = as_utc(entry.updated)  # bounded as a publication day is («updated 7,978 years from now»)
    item.updated_at = updated if updated is not None and _EARLIEST <= updated <= fetched_at + _FUTURE_SLACK \
        else fetched_at
    if item.published_is_estimated and entry.published is not None:
        item.published_at, item.published_is_estimated = _published(entry, fetched_at)
    old = item.minhash
    sig = _signature(item)
    if item.minhash != old:  # the words changed enough to move the story: cluster it again
        session.execute(delete(MinhashBand).where(MinhashBand.item_id == item.id), execution_options=dedupe.NO_SYNC)
        dedupe.leave_cluster(session, item)
        clusters = dedupe.ClusterBatch(session, window_days=window_days)
        if sig is not None:
            clusters.load([(sig, as_utc(item.published_at))])
        clusters.assign(item, sig)
        clusters.finish()
        _insert_rows(session, MinhashBand, dedupe.band_rows(item.id, sig))
    enqueue(session, "item", item.id)


def store_entries(session, feed: Feed, entries: list[ParsedEntry], *, fetched_at: datetime,
                  language: str | None = None, window_days: int = dedupe.WINDOW_DAYS) -> IngestStats:
    """Add or update the items of one feed's entries in `session` (the caller commits); the new
    items are in the returned stats' ``created``."""
    stats = IngestStats()
    prepared, stats.empty = keyed(entries)  # and those with nothing to keep
    if not prepared:
        return stats
    linked, same_here, own = items_by_link(session, feed.id, sorted({p[4] for p in prepared if p[4]}))
    key_stories_at_a_shared_link(prepared, own)
    sightings = sightings_of(session, feed.id, sorted({p[1] for p in prepared}))
    former_guid_sightings(session, feed.id, prepared, sightings)
    # ``same_here``: this feed's items by (link, content): an entry under a new GUID with a link and
    # a text this feed already gave is that item again (a CMS that puts a session id or the time in
    # its GUIDs made a copy of every entry on every poll; a review of hostile feeds).
    stories = LinkedStories(session, linked, own)
    batch_links = Counter(p[4] for p in prepared if p[4])
    # A GUID this feed gave to an item of another link, when this feed also has an item of the
    # entry's own link, is not this entry's identity: a feed that once gave one GUID to two entries
    # (told apart by their links, parse.py) and later to one of them alone had the other's item
    # overwritten with it (a review of hostile feeds, round 5). Such an entry is that other item.
    # Without an item of its link, the GUID stands: a page whose address changed (http → https,
    # a time in the link) is an edit of its item, not a new one (the review of this change).
    own_links = {lhash for lhash, _ in same_here}
    reused = [n for n, p in enumerate(prepared) if p[0].guid and p[4] in own_links and p[1] in sightings]
    if reused:
        stored_links = dict(session.execute(select(Item.id, Item.link_hash).where(
            Item.id.in_({sightings[prepared[n][1]].item_id for n in reused}))).tuples().all())
        relinked = []
        for n in reused:
            entry, key, chash, canonical, lhash = prepared[n]
            stored = stored_links.get(sightings[key].item_id)
            if stored and stored != lhash:
                key = dedupe.entry_key(None, entry.link, entry.title, entry.text)
                prepared[n] = (entry, key, chash, canonical, lhash)
                relinked.append(key)
        sightings.update(sightings_of(session, feed.id, sorted(set(relinked))))
    regiven_guids(session, feed.id, prepared, sightings, own_links)
    # An entry without a link has its GUID as its only identity: one new on every poll made a copy
    # of each such entry at every poll (48 a day at the half-hour; a review of hostile feeds,
    # round 6). Under a GUID not seen, the same title and text as an item of this feed without a
    # link is that item again.
    # An entry without a GUID whose link's scheme changed (a site moved to https) is the item of the
    # same text this feed gave under the other scheme: each entry was stored again (a review of
    # hostile feeds, round 8). A sighting under the new link keeps it so (an edit then updates it).
    moved = other_scheme_items(session, feed.id, [p for p in prepared if not p[0].guid and p[4] and p[1] not in sightings])
    unlinked = unlinked_texts(session, feed.id, sorted({p[2] for p in prepared if not p[4] and p[1] not in sightings}),
                               fetched_at - timedelta(days=UNLINKED_REPEAT_DAYS))
    repeated = repeated_texts(session, feed.id, sorted({p[2] for p in prepared if p[4] and p[4] not in own_links and p[1] not in
                                                        sightings and len(p[0].text.split()) >= REPEATED_TEXT_WORDS}),
                              fetched_at - timedelta(days=UNLINKED_REPEAT_DAYS))  # an item's exact words, a new address
    named = {sightings[p[1]].item_id for p in prepared if p[1] in sightings}  # items this document's entries are
    word_keyed = WordKeyedEdits(session, feed.id, fetched_at - timedelta(days=UNLINKED_REPEAT_DAYS))
    created: list[tuple[Item, ParsedEntry, str, str]] = []
    read_here: set[str] = set()
    # item id → (its link, this feed's entry, its content hash), of another feed's items whose link is this site's
    claimed: dict[int, tuple[str, ParsedEntry, str]] = {}
    own_sites: frozenset[str] | None = None
    with session.no_autoflush:
        for entry, key, chash, canonical, lhash in prepared:
            if key in read_here:  # a key's first entry in the document is the item, on every read:
                stats.duplicate += 1  # a later one with other text overwrote it, then the first it,
                continue  # on each import after, reported as an edit and reindexed every time
            read_here.add(key)
            if key in sightings:
                sighting = sightings[key]
                if sighting.content_hash != chash:
                    sighting.content_hash = chash
                    item = session.get(Item, sighting.item_id)
                    if item is not None and item.feed_id == feed.id:
                        _update_item(session, item, entry, chash, fetched_at, window_days)
                        stats.updated += 1
                        continue
                stats.duplicate += 1
                continue
            if lhash and (lhash, chash) in same_here:
                stats.duplicate += 1
                continue
            retold = stories.retold(lhash, named, entry, fetched_at - timedelta(days=UNLINKED_REPEAT_DAYS))
            if retold is not None:  # this feed's item under a new GUID, its text touched: an edit
                session.add(ItemSighting(feed_id=feed.id, key_hash=key, item_id=retold, outlet_id=feed.outlet_id,
                                         content_hash=chash, first_seen_at=fetched_at))
                same_here.add((lhash, chash))
                item = session.get(Item, retold)
                if item is not None and item.feed_id == feed.id and item.content_hash != chash:
                    _update_item(session, item, entry, chash, fetched_at, window_days)
                    stats.updated += 1
                else:
                    stats.duplicate += 1
                continue
            if (lhash, chash) in moved:
                item_id = moved.pop((lhash, chash))
                session.add(ItemSighting(feed_id=feed.id, key_hash=key, item_id=item_id,
                                         outlet_id=feed.outlet_id, content_hash=chash, first_seen_at=fetched_at))
                item = session.get(Item, item_id)
                if item is not None and item.feed_id == feed.id:  # its own: the link follows the site
                    item.link, item.canonical_link, item.link_hash = entry.link or "", canonical or "", lhash
                    enqueue(session, "item", item.id)  # (another feed giving the new link finds it)
                stats.duplicate += 1
                continue
            if not lhash and chash in unlinked:
                stats.duplicate += 1
                continue
            if not (lhash or entry.guid) and (edited := word_keyed.edited(entry, canonical, named)) is not None:
                session.add(ItemSighting(feed_id=feed.id, key_hash=key, item_id=edited, outlet_id=feed.outlet_id,
                                         content_hash=chash, first_seen_at=fetched_at))
                _update_item(session, session.get(Item, edited), entry, chash, fetched_at, window_days)
                stats.updated += 1
                continue
            if lhash and lhash not in own_links and repeated.get(chash) not in (None, *named):
                session.add(ItemSighting(feed_id=feed.id, key_hash=key, item_id=repeated.pop(chash),
                                         outlet_id=feed.outlet_id, content_hash=chash, first_seen_at=fetched_at))
                stats.duplicate += 1
                continue
            seen_item = stories.take(lhash, entry, shared=batch_links[lhash] > 1)
            if seen_item is not None:
                sighting = ItemSighting(feed_id=feed.id, key_hash=key, item_id=seen_item,
                                        outlet_id=feed.outlet_id, content_hash=chash, first_seen_at=fetched_at)
                session.add(sighting)
                if canonical and feed.outlet_id is not None:
                    if own_sites is None:
                        own_sites = site_of_feed(feed)  # read only when another feed's item is met
                    if owns_link(own_sites, canonical):
                        claimed[sighting.item_id] = (canonical, entry, chash)
                stats.duplicate += 1
                stats.linked += 1
                continue
            published, estimated = _published(entry, fetched_at)
            item = Item(feed_id=feed.id, outlet_id=feed.outlet_id, language=(language or "")[:20],
                        published_at=published, published_is_estimated=estimated, fetched_at=fetched_at)
            _fill(item, entry, chash, canonical, lhash)
            session.add(item)
            created.append((item, key, chash, _signature(item)))
            if lhash:
                same_here.add((lhash, chash))
            else:
                unlinked.add(chash)
    if claimed:
        stats.reclaimed_items = _reclaim(session, feed, claimed, fetched_at, window_days)
        stats.reclaimed = len(stats.reclaimed_items)
    if not created:
        return stats
    session.flush()  # item ids, in one batched INSERT
    clusters = dedupe.ClusterBatch(session, window_days=window_days)
    clusters.load([(sig, as_utc(item.published_at)) for item, _, _, sig in created if sig is not None])
    rows: dict[type, list[dict]] = {ItemSighting: [], SearchOutbox: [], MinhashBand: []}
    for item, key, chash, sig in created:
        rows[ItemSighting].append({"feed_id": feed.id, "key_hash": key, "item_id": item.id,
                                   "outlet_id": feed.outlet_id, "content_hash": chash, "first_seen_at": fetched_at})
        rows[SearchOutbox].append({"doc_type": "item", "doc_id": item.id, "op": "upsert"})  # = enqueue()
        rows[MinhashBand] += dedupe.band_rows(item.id, sig)
        if clusters.assign(item, sig):
            stats.clustered += 1
        stats.new += 1
    clusters.finish()
    for model, values in rows.items():
        _insert_rows(session, model, values)
    stats.created = [item for item, _, _, _ in created]
    return stats


def _site(address: str | None) -> str:
    """The host of an address in lower case without «www.», in its ASCII (IDNA) form as canonical
    links hold it ("" when it has none)."""
    try:
        host = (urlsplit(address or "").hostname or "").rstrip(".")
        if not host.isascii():
            host = dedupe.ascii_host(host) or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def site_of_feed(feed: Feed) -> frozenset[str]:
    """The sites a feed speaks for: its own address's and its outlet's website's."""
    outlet = feed.outlet
    return frozenset(filter(None, (_site(feed.url), _site(outlet.website if outlet is not None else None))))


def owns_link(sites: frozenset[str], link: str) -> bool:
    """Whether ``link`` is on one of ``sites`` (or a subdomain of one, or one is a subdomain of the
    link's host: «rss.example.ir» speaks for «example.ir/news/1»)."""
    host = _site(link)
    return bool(host) and any(host == site or host.endswith("." + site) or site.endswith("." + host)
                              for site in sites)


def _reclaim(session, feed: Feed, claimed: dict[int, tuple[str, ParsedEntry, str]], fetched_at: datetime,
             window_days: int) -> list[Item]:
    """Give an item back to the outlet whose site its link is on: another feed (an aggregator, a
    news agency republishing a local outlet's article) gave it first and was credited with it —
    in the dashboards' coverage by outlet, the outlet's scope, its later edits. The item becomes
    this feed's (the other feed keeps its sighting) with this feed's own words and date: the first
    feed's headline and text stayed under the outlet's name, and the outlet's own were never stored
    (a review of hostile feeds, round 3: any feed could put words in a local outlet's mouth). Not
    when the item's own feed or outlet also speaks for the link's site (one outlet's two feeds).
    Queued for reindexing; returns the items given."""
    items = [item for item in session.scalars(select(Item).where(Item.id.in_(sorted(claimed))))
             if item.outlet_id != feed.outlet_id and item.feed_id != feed.id]
    if not items:
        return []
    origins = {origin.id: site_of_feed(origin) for origin in session.scalars(  # one query, not one a row
        select(Feed).options(selectinload(Feed.outlet)).where(Feed.id.in_({item.feed_id for item in items})))}
    moved = []
    for item in items:
        link, entry, chash = claimed[item.id]
        if owns_link(origins.get(item.feed_id, frozenset()), link):
            continue
        item.feed_id, item.outlet_id = feed.id, feed.outlet_id
        published, estimated = _published(entry, fetched_at)
        if not estimated:  # the outlet's own date, when it gives a believable one
            item.published_at, item.published_is_estimated = published, False
        if item.content_hash != chash:
            _update_item(session, item, entry, chash, fetched_at, window_days)  # re-clustered and queued
        else:
            enqueue(session, "item", item.id)
        moved.append(item)
    return moved


def _insert_rows(session, model, rows: list[dict]) -> None:
    """One executemany in the session's transaction (thousands of rows, no ORM objects)."""
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def record_health(feed: Feed, outcome: FeedOutcome) -> None:
    """The feed's status after this poll: validators, failures and backoff, next check."""
    now = outcome.fetched_at
    feed.last_checked_at = now
    feed.last_status = outcome.status
    interval = max(60, (feed.poll_interval_minutes or 30) * 60)
    if outcome.ok:
        if outcome.parsed is not None or outcome.not_modified:
            feed.etag, feed.last_modified = outcome.etag, outcome.last_modified
        if outcome.parsed is not None:
            feed.last_warning = outcome.parsed.warning
            feed.last_warning_detail = outcome.parsed.warning_detail
            if not feed.title and outcome.parsed.title:
                feed.title = outcome.parsed.title[:500]
        feed.last_success_at = now
        feed.consecutive_failures = 0
        feed.failing_since = None
        feed.last_error_code = feed.last_error = feed.last_error_detail = None
        feed.next_check_at = now + timedelta(seconds=interval)
        feed.item_count = (feed.item_count or 0) + outcome.stats.new + outcome.stats.linked
        return
    feed.consecutive_failures = (feed.consecutive_failures or 0) + 1
    feed.failing_since = as_utc(feed.failing_since) or now
    feed.last_error_code = (outcome.error_code or "")[:50]
    feed.last_error = outcome.error_message
    feed.last_error_detail = outcome.error_detail
    delay = next_backoff(feed.consecutive_failures, base=interval, retry_after=outcome.retry_after)
    feed.next_check_at = now + timedelta(seconds=delay)
