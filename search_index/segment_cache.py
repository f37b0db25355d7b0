"""A small LRU cache of values computed from index segments, keyed by the segments' ids."""
from __future__ import annotations

import threading
from collections import OrderedDict


class SegmentCache:
    """Expanded spellings per segment: (segments, prune, Spellings) → Whoosh query, the last
    ``size`` used. A segment never changes once written (only documents get deleted from it), and
    what an expansion reads of it — its vocabulary, its document frequencies (Whoosh does not
    lower them for deletions) and whether a stem term adds a document to its exact term (a
    deletion can only turn that from yes to no, so a kept stem term stays harmless) — is
    therefore the same at every search: the same text searched again (another page, another
    filter or sort, a saved search's alert) skips the term lookups and the postings walk."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def segments_key(reader) -> tuple[str, ...] | None:
    """The ids of the segments ``reader`` reads (None when it reads no written segment)."""
    segments = reader.segments() if hasattr(reader, "segments") else None
    if not segments:
        return None
    return tuple(segment.segment_id() for segment in segments)
