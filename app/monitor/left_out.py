"""The entries of a document the store will not keep, said on the feed's page.

``store.store_entries`` leaves out an entry with no GUID, link, title or text (nothing to keep), and an
entry whose dedupe key an earlier entry of the same document had (its GUID, or its link without one):
the first is the item, on every read. Where the later one's words differ (a CMS giving one article
twice, an edit under the old GUID and link beside the old text), they were lost in silence (a review of
hostile feeds, round 15: the store fuzzed with hostile fields). Exact repeats lose nothing and are not said.
"""
from __future__ import annotations

from app.monitor import dedupe
from app.monitor.messages import Message


def left_out(entries) -> Message | None:
    """A warning for the ``ParsedEntry``s the store will not keep, or None."""
    empty = repeated = 0
    first: dict[str, str] = {}  # dedupe key → the content hash of its first entry
    for entry in entries:
        if not (entry.guid or entry.link or entry.title or entry.text):
            empty += 1
            continue
        key = dedupe.entry_key(entry.guid, entry.link, entry.title, entry.text)
        words = dedupe.content_hash(entry.title, entry.text)
        if first.setdefault(key, words) != words:
            repeated += 1
    if repeated:
        return Message("warning.repeated_key", {"count": repeated})
    return Message("warning.empty_entries", {"count": empty}) if empty else None
