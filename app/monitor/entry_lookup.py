"""Which stored item a feed's entry is (``store_entries``' first step): this feed's sightings of
the entries' keys, its items by canonical link, its linkless items by text, the GUIDs it gave to
another article since, and the item of a link whose scheme moved («http» ↔ «https»). Every read is
chunked (``_IN_CHUNK`` values an IN list)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.clock import as_utc
from app.monitor import dedupe
from app.monitor.article_links import names_a_page, other_article, same_address, same_number
from app.monitor.headline_typos import typo_fixed
from app.monitor.parse import ParsedEntry
from models import Item, ItemSighting

if TYPE_CHECKING:  # numpy comes with datasketch's MinHash (app/monitor/dedupe.py)
    import numpy as np

_IN_CHUNK = 500


def _chunks(values: list, size: int = _IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


# A linkless entry's text seen again within this many days is the same item; past them, a notice
# the feed publishes again (the same words a month on) is a new one.
UNLINKED_REPEAT_DAYS = 30


def unlinked_texts(session, feed_id: int, hashes: list[str], since: datetime) -> set[str]:
    """Which of these content hashes an item of this feed without a link, fetched since ``since``, has."""
    found: set[str] = set()
    for chunk in _chunks(hashes):
        found.update(session.scalars(select(Item.content_hash).where(
            Item.feed_id == feed_id, Item.link_hash.is_(None), Item.fetched_at >= since, Item.content_hash.in_(chunk))))
    return found


# Words of text an entry must have for its exact title and text, under a new address, to be this
# feed's article again (a notice's headline alone, «اطلاعیه», «گزارش تصویری», is no proof).
REPEATED_TEXT_WORDS = 20


def repeated_texts(session, feed_id: int, hashes: list[str], since: datetime) -> dict[str, int]:
    """content hash → the oldest item of this feed with a link, fetched since ``since``, of that exact
    title and text. A link that changes at every poll over the same words (an ASP.NET session in the
    path «/(S(…))/news.aspx?id=5», «&nocache=…») made a copy at every poll (a review of hostile
    feeds, round 10): such an entry (of ``REPEATED_TEXT_WORDS`` words of text at least, at an
    address this feed has no item of) is that item again."""
    found: dict[str, int] = {}
    for chunk in _chunks(hashes):
        for item_id, chash in session.execute(select(Item.id, Item.content_hash).where(
                Item.feed_id == feed_id, Item.link_hash.is_not(None), Item.fetched_at >= since,
                Item.content_hash.in_(chunk)).order_by(Item.id)):
            found.setdefault(chash, item_id)
    return found


def regiven_guids(session, feed_id: int, prepared: list[tuple], sightings: dict[str, ItemSighting],
                   own_links: set[str]) -> None:
    """Key by its GUID and link an entry whose GUID this feed gave to another article: a feed that
    numbers its entries by their place, ids of a moved CMS given again. The item of that GUID was
    overwritten with the new article, and the article it held lost (a review of hostile feeds,
    round 8). Given again: the item's own link stands in this document under another entry (the
    old article, moved down), or the new link names another article (``_the_stored_article``). A
    page whose address changed with its article («http» → «https», a time in the link, a corrected
    title in its slug beside the article's number) is still its item edited. An entry of a link
    this feed has an item of is ``store_entries``' ``reused``."""
    changed = [n for n, p in enumerate(prepared) if p[0].guid and names_a_page(p[3]) and p[4] not in own_links
               and p[1] in sightings and sightings[p[1]].content_hash != p[2]]
    if not changed:
        return
    stored = {}
    for chunk in _chunks(sorted({sightings[prepared[n][1]].item_id for n in changed})):
        stored.update((row.id, row) for row in session.execute(
            select(Item.id, Item.canonical_link, Item.title, Item.minhash).where(Item.id.in_(chunk))))
    in_document = {p[3] for p in prepared if p[3]}
    keys = []
    for n in changed:
        entry, key, chash, canonical, lhash = prepared[n]
        row = stored.get(sightings[key].item_id)
        if row is None or not names_a_page(row.canonical_link) or row.canonical_link == canonical:
            continue
        if row.canonical_link not in in_document and _the_stored_article(row, canonical, entry):
            continue
        # by GUID and link: two entries given again that share one link («/news/list») stay two
        key = dedupe.entry_key(f"{entry.guid}\n{entry.link}", entry.link, entry.title, entry.text)
        prepared[n] = (entry, key, chash, canonical, lhash)
        keys.append(key)
    sightings.update(sightings_of(session, feed_id, sorted(set(keys))))


def _the_stored_article(row, canonical: str, entry: ParsedEntry) -> bool:
    """Whether an entry at a new link under the GUID of ``row`` is that article edited: not when
    the links carry two article numbers (PHP-Nuke's «?sid=1001» and «?sid=1003», Drupal's
    «?q=node/…», «/news/1001» and «/news/1002» over a templated notice: the old articles were
    overwritten, a review of hostile feeds, round 11); yes at the same address but for a session or
    a cache buster; under the same number in another path («/news/555/<slug>», a title corrected),
    unless it plainly tells another story (the number was a category's, «/fa/service/5001/<slug>»);
    else when it tells the same story (``_same_story``)."""
    if other_article(row.canonical_link, canonical):
        return False
    if same_address(row.canonical_link, canonical):
        return True
    stored, new = Told.of_item(row.title, row.minhash), Told.of_entry(entry)
    if same_number(row.canonical_link, canonical):
        return not _other_story(stored, new)
    return _same_story(stored, new)


@dataclass(frozen=True)
class Told:
    """What the story tests read of an item or an entry, computed once: its headline's normalized
    words and its MinHash signature (None when its text is too short to judge)."""

    words: tuple[str, ...]
    sig: np.ndarray | None = field(compare=False)

    @classmethod
    def of_entry(cls, entry: ParsedEntry) -> Told:
        return cls(tuple(dedupe.words(entry.title, "")), dedupe.signature(entry.title, entry.text))

    @classmethod
    def of_item(cls, title: str | None, minhash: bytes | None) -> Told:
        return cls(tuple(dedupe.words(title or "", "")), dedupe.from_bytes(minhash) if minhash is not None else None)


def _alike(stored: Told, new: Told) -> float | None:
    return dedupe.similarity(stored.sig, new.sig) if stored.sig is not None and new.sig is not None else None


def _same_story(stored: Told, new: Told) -> bool:
    """Whether an entry is the stored article edited: words alike as the story clusters judge them,
    or the same title's words (a title of some) over texts not wholly different («اطلاعیه» over
    two notices is two stories)."""
    alike = _alike(stored, new)
    if alike is not None and alike >= dedupe.JACCARD_THRESHOLD:
        return True
    return bool(stored.words) and stored.words == new.words and (alike is None or alike >= _OTHER_TEXT)


_OTHER_TEXT = 0.1  # estimated Jaccard similarity below which two texts under one title are two stories


def former_guid_sightings(session, feed_id: int, prepared: list[tuple], sightings: dict[str, ItemSighting]) -> None:
    """Add to ``sightings``, under the key of the GUID as written, this feed's sighting under the
    key of the GUID as feedparser read it (an address relative to the feed's) of an entry not seen
    under the first: the items stored before the GUID was kept as written are found, while they stay
    in the feed at the address they were read from (an entry of its own link was stored again when
    edited, one without a link at once). Their sightings keep their keys: no migration."""
    former = {dedupe.entry_key(p[0].former_guid, None, "", ""): p[1] for p in prepared
              if p[0].guid and p[0].former_guid and p[1] not in sightings}
    for key, sighting in sightings_of(session, feed_id, sorted(former)).items():
        sightings.setdefault(former[key], sighting)


def sightings_of(session, feed_id: int, keys: list[str]) -> dict[str, ItemSighting]:
    """This feed's sightings of these entry keys, by key."""
    found: dict[str, ItemSighting] = {}
    for chunk in _chunks(keys):
        for sighting in session.scalars(select(ItemSighting).where(
                ItemSighting.feed_id == feed_id, ItemSighting.key_hash.in_(chunk))):
            found[sighting.key_hash] = sighting
    return found




def other_scheme_items(session, feed_id: int, prepared: list[tuple]) -> dict[tuple[str, str], int]:
    """(link hash, content hash) of these entries → the item this feed gave with the same text under
    the link's other scheme («http» ↔ «https», no port written)."""
    wanted: dict[str, str] = {}  # the other scheme's link hash → the entry's
    for _entry, _key, _chash, canonical, lhash in prepared:
        scheme, rest = canonical.split(":", 1)
        if scheme in _OTHER_SCHEME and ":" not in rest[2:].split("/", 1)[0]:
            wanted[dedupe.link_hash(_OTHER_SCHEME[scheme] + ":" + rest)] = lhash
    found: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted(wanted)):
        for item_id, other, chash in session.execute(
                select(Item.id, Item.link_hash, ItemSighting.content_hash).join(
                    ItemSighting, ItemSighting.item_id == Item.id).where(
                    ItemSighting.feed_id == feed_id, Item.link_hash.in_(chunk)).order_by(Item.id)):
            found.setdefault((wanted[other], chash), item_id)
    return found


_OTHER_SCHEME = {"http": "https", "https": "http"}


# Items at one link an entry is compared with: the newest this many. A list page given as the link of
# every entry gathers thousands of items; comparing each new entry with all of them made the store
# quadratic (1,000 entries a poll at one link: 1.0, 9.9, 25.3, 45.9 s for the first four polls; 300
# entries of a second feed at a link holding 2,000: 65 s; a review of hostile feeds, round 11). An
# entry that retells an item older than these at such a link is stored as an item of its own.
LINK_ITEMS_COMPARED = 200


class LinkedStories:
    """The items met by the entries' links (``items_by_link``): which of another feed's items an
    entry is (``take``); and, for this feed's own items at the entry's link, which one it tells
    again under a new GUID (``retold``). An aggregator's copy of an article, or the outlet's own entry of one an aggregator
    gave first, is that item: the same headline, often with the agency's name added, over no text,
    a lead or the whole text. But a link alone is no proof where it stands for several articles:
    portals and bridges that give every entry their home or list page, and Atom entries of an empty
    link (the feed's base), made another feed's different article a mere sighting of the first, lost
    for good (a review of hostile feeds, round 9). So at a link several items or several of the
    batch's entries share, an entry is the first item whose story it tells (``_same_story``); at a
    link of one item and one entry, it is that item unless it plainly tells another story
    (``_other_story``: the code review of the first version, which asked every copy to prove its
    story, lost 21 of 40 aggregator copies of real articles to new items). Each item's words are
    read once, and an entry is compared with ``LINK_ITEMS_COMPARED`` items of a link at most."""

    def __init__(self, session, linked: dict[str, list[int]], own: dict[str, list[int]]):
        self._session = session
        self._linked, self._own = linked, own
        self._rows: dict[int, object] = {}
        self._told: dict[int, Told] = {}
        self._retold_index: dict[str, dict[tuple[str, ...], list[int]]] = {}
        self._load([item_id for ids in linked.values() for item_id in ids[-LINK_ITEMS_COMPARED:]])

    def _load(self, item_ids) -> None:
        for chunk in _chunks(sorted(set(item_ids) - self._rows.keys())):
            self._rows.update((row.id, row) for row in self._session.execute(
                select(Item.id, Item.title, Item.minhash, Item.fetched_at).where(Item.id.in_(chunk))))

    def _told_of(self, item_id: int) -> Told:
        told = self._told.get(item_id)
        if told is None:
            row = self._rows[item_id]
            told = self._told[item_id] = Told.of_item(row.title, row.minhash)
        return told

    def take(self, lhash: str, entry: ParsedEntry, *, shared: bool) -> int | None:
        """The first of another feed's items at the link ``lhash`` (oldest first, the newest
        ``LINK_ITEMS_COMPARED``) that ``entry`` is, taken out of the list (one entry each); None
        when it is none of them. ``shared``: the batch gives the link to several entries."""
        item_ids = self._linked.get(lhash)
        if not item_ids:
            return None
        several = shared or len(item_ids) > 1
        first = max(0, len(item_ids) - LINK_ITEMS_COMPARED)
        self._load(item_ids[first:])  # older items move into the window as entries take the newer
        new = None
        for n in range(first, len(item_ids)):
            row = self._rows.get(item_ids[n])
            if row is None or not row.title and row.minhash is None or not (entry.title or entry.text):
                return item_ids.pop(n)
            new = new or Told.of_entry(entry)  # once an entry, not once an item
            stored = self._told_of(item_ids[n])
            if _same_story(stored, new) if several else not _other_story(stored, new):
                return item_ids.pop(n)
        return None

    def retold(self, lhash: str, named: set[int], entry: ParsedEntry, since: datetime) -> int | None:
        """The first of this feed's own items at the link ``lhash`` (oldest first, of the newest
        ``LINK_ITEMS_COMPARED``, fetched since ``since``, none of ``named``: items another entry of
        the document still is) that the entry tells again under a new GUID: the same headline's
        words over a text alike as the story clusters judge texts. A CMS that makes a new GUID at
        every poll, with a view counter in the description («بازدید: ۱۲۰», then «۱۳۴»), made a copy
        at every poll (a review of hostile feeds, round 10); an entry without text, or another text
        under one headline («اطلاعیه»), stays an item of its own, and so does a templated notice
        beside the older one it resembles (the code review: «اطلاعیه قطعی آب» of another street
        overwrote the first). The items are indexed by their headline's words once a link."""
        if lhash not in self._own or not entry.text:
            return None
        words = tuple(dedupe.words(entry.title, ""))
        candidates = self._headlines(lhash).get(words) if words else None
        if not candidates:
            return None
        new = dedupe.signature(entry.title, entry.text)
        if new is None:
            return None
        for item_id in candidates:
            row = self._rows[item_id]
            if (item_id not in named and as_utc(row.fetched_at) >= since
                    and dedupe.similarity(self._told_of(item_id).sig, new) >= dedupe.JACCARD_THRESHOLD):
                return item_id
        return None

    def _headlines(self, lhash: str) -> dict[tuple[str, ...], list[int]]:
        """headline words → this feed's items at the link with a signature, oldest first (the newest
        ``LINK_ITEMS_COMPARED``); read here only: most polls give no entry a new GUID at a known link."""
        index = self._retold_index.get(lhash)
        if index is None:
            recent = self._own[lhash][-LINK_ITEMS_COMPARED:]
            self._load(recent)
            index = self._retold_index[lhash] = {}
            for item_id in recent:
                row = self._rows.get(item_id)
                if row is not None and row.minhash is not None:
                    index.setdefault(self._told_of(item_id).words, []).append(item_id)
        return index


def _other_story(stored: Told, new: Told) -> bool:
    """Whether an entry plainly tells another story than the stored article: headlines that share
    less than half the words of the shorter, over texts wholly different or absent."""
    mine, theirs = set(stored.words), set(new.words)
    if mine and theirs and len(mine & theirs) * 2 >= min(len(mine), len(theirs)):
        return False
    alike = _alike(stored, new)
    if alike is None:
        return bool(mine and theirs)
    return alike < _OTHER_TEXT


def items_by_link(session, feed_id: int, link_hashes: list[str]
                  ) -> tuple[dict[str, list[int]], set[tuple[str, str]], dict[str, list[int]]]:
    """For these canonical links: link hash → the items with it that this feed has not seen, oldest
    first (two entries of one feed sharing a link are two entries, not one item seen twice); the
    (link hash, content hash) of the items this feed has seen with them; and link hash → those
    items of this feed, oldest first (``LinkedStories.retold``). Two queries a chunk."""
    linked: dict[str, list[int]] = {}
    same_here: set[tuple[str, str]] = set()
    own: dict[str, list[int]] = {}
    for chunk in _chunks(link_hashes):
        by_item = dict(session.execute(select(Item.id, Item.link_hash).where(Item.link_hash.in_(chunk))
                                       .order_by(Item.id)).tuples().all())
        if not by_item:
            continue
        seen = {}
        for ids in _chunks(list(by_item)):
            seen.update(session.execute(select(ItemSighting.item_id, ItemSighting.content_hash).where(
                ItemSighting.feed_id == feed_id, ItemSighting.item_id.in_(ids))).tuples().all())
        for item_id, lhash in by_item.items():  # in id order: the oldest first
            if item_id in seen:
                same_here.add((lhash, seen[item_id]))
                own.setdefault(lhash, []).append(item_id)
            else:
                linked.setdefault(lhash, []).append(item_id)
    return linked, same_here, own


class WordKeyedEdits:
    """This feed's items known by their words (no GUID, a site's root or no link: no link hash), fetched
    since ``since``, the newest ``LINK_ITEMS_COMPARED``, read at the first entry that asks. Such an
    entry's key is its words, so a typo the outlet fixed in its headline made a second item beside the
    first (round 16's note; hostile feeds, round 17). ``edited``: the item an entry is with its headline's
    typos fixed."""

    def __init__(self, session, feed_id: int, since: datetime):
        self._query = (select(Item.id, Item.title, Item.text, Item.canonical_link, Item.minhash).where(
            Item.feed_id == feed_id, Item.link_hash.is_(None), Item.fetched_at >= since)
            .order_by(Item.id.desc()).limit(LINK_ITEMS_COMPARED))
        self._session = session
        self._rows: list | None = None

    def edited(self, entry: ParsedEntry, canonical: str | None, named: set[int]) -> int | None:
        """The newest item, none of ``named`` (items this document's entries are: an old headline still
        given is its own entry), at the same link, whose headline this entry's is with one letter fixed in
        one or two words (``typo_fixed``) over the same text or one alike. Another number or another word
        («منطقه ۲» → «منطقه ۳», «شرق» → «غرب») is another notice: a new item, which the story clusters
        group with the first."""
        if self._rows is None:
            self._rows = self._session.execute(self._query).all()
        new = None
        for row in self._rows:
            if row.id in named or (row.canonical_link or "") != (canonical or ""):
                continue
            new = new or Told.of_entry(entry)
            stored = Told.of_item(row.title, row.minhash)
            if typo_fixed(stored.words, new.words):
                alike = _alike(stored, new)
                if alike >= dedupe.JACCARD_THRESHOLD if alike is not None else \
                        " ".join((row.text or "").split()) == " ".join(entry.text.split()):
                    named.add(row.id)
                    return row.id
        return None

