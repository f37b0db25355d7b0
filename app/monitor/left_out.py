"""The entries of a document the store will not keep, said on the feed's page.

``store.store_entries`` leaves out an entry with no GUID, link, title or text (nothing to keep), and an
entry whose dedupe key an earlier entry of the same document had (its GUID, or its link without one):
the first is the item, on every read. Where the later one's words differ (a CMS giving one article
twice, an edit under the old GUID and link beside the old text), they were lost in silence (a review of
hostile feeds, round 15: the store fuzzed with hostile fields). Exact repeats lose nothing and are not said.
"""
from __future__ import annotations

from collections import Counter

from app.monitor import dedupe
from app.monitor.messages import Message


def keyed(entries) -> tuple[list[tuple], int]:
    """The entries the store keeps, each as ``(entry, dedupe key, content hash, canonical link, link hash)``
    (``key_stories_at_a_shared_link`` not yet applied), and how many have nothing to keep."""
    prepared, empty = [], 0
    for entry in entries:
        if not (entry.guid or entry.link or entry.title or entry.text):
            empty += 1
            continue
        canonical = dedupe.canonical_link(entry.link)
        prepared.append((entry, dedupe.entry_key(entry.guid, entry.link, entry.title, entry.text),
                         dedupe.content_hash(entry.title, entry.text), canonical, dedupe.link_hash(canonical)))
    return prepared, empty


def key_stories_at_a_shared_link(prepared: list[tuple], own: dict[str, list[int]]) -> None:
    """Entries without a GUID that share one link with other texts are told apart by their words: a
    portal that gives its home page as every entry's link had the first story kept and the others
    counted as its copies, and at the next poll a new story at the top overwrote it (a review of
    hostile feeds, round 10). So are they at a link this feed holds several items of (``own``),
    when the document gives it to one entry only for a while (the code review: that entry's plain
    key found the first item there and overwrote it). A link of one item, alone in the document,
    keeps its plain key."""
    texts: dict[str, set[str]] = {}
    for entry, _key, chash, _canonical, lhash in prepared:
        if not entry.guid and lhash:
            texts.setdefault(lhash, set()).add(chash)
    for n, (entry, _key, chash, canonical, lhash) in enumerate(prepared):
        if not entry.guid and lhash and (len(texts[lhash]) > 1 or len(own.get(lhash, ())) > 1):
            prepared[n] = (entry, dedupe.shared_link_key(entry.link, entry.title, entry.text), chash, canonical, lhash)


def left_out(entries) -> list[Message]:
    """The warnings for the ``ParsedEntry``s the store will not keep: entries repeating an earlier one's key
    with other words, entries with nothing to keep (each said: round 16). Stories without a GUID at one
    link with other words are each kept (told apart by them): no repeat.

    Every document is read through it, so it keys only what can repeat: an entry with a GUID by its GUID
    alone, the others as the store keys them (``keyed``, ``key_stories_at_a_shared_link``: those without
    a GUID are all they read), and it hashes the words only of entries whose key repeats (keying and
    hashing every entry, as the store does, cost a Persian ingest ~0.2 ms an entry).
    tests/monitor/test_left_out.py compares it with the plain reading."""
    kept = [entry for entry in entries if entry.guid or entry.link or entry.title or entry.text]
    empty = len(entries) - len(kept)
    unguided, _ = keyed(entry for entry in kept if not entry.guid)
    key_stories_at_a_shared_link(unguided, {})
    shared = {id(entry): (key, words) for entry, key, words, _canonical, _lhash in unguided}
    keys = [shared[id(entry)][0] if id(entry) in shared
            else dedupe.entry_key(entry.guid, entry.link, entry.title, entry.text) for entry in kept]
    counts = Counter(keys)
    repeated = 0
    first: dict[str, str] = {}  # a repeated dedupe key → the content hash of its first entry
    for entry, key in zip(kept, keys):
        if counts[key] > 1:
            words = shared[id(entry)][1] if id(entry) in shared else dedupe.content_hash(entry.title, entry.text)
            if first.setdefault(key, words) != words:
                repeated += 1
    said = [Message("warning.repeated_key", {"count": repeated})] if repeated else []
    return said + [Message("warning.empty_entries", {"count": empty})] if empty else said
