"""Persian full-text search behind one seam.

The app sees a search engine only through ``open_backend`` and the ``SearchBackend`` protocol
(search_index/backend.py); the Persian analysis (persian.py and word_parts.py, analyzer.py, query*.py) is shared
with routing and dedup. Nothing outside this package imports an engine (whoosh, tantivy).
"""
from __future__ import annotations

from collections.abc import Mapping

from search_index.backend import SearchBackend


def open_backend(config: Mapping, *, writable: bool = False) -> SearchBackend:
    """The configured engine's backend (``config["SEARCH_BACKEND"]``: whoosh, the embedded
    default, or tantivy) over ``config["SEARCH_INDEX_DIR"]``.

    Read-only backends (web processes, verify) never take the index's write lock; a writable one
    is for the single index writer (the lease holder, app/services/indexing.py) only.
    """
    engine = config.get("SEARCH_BACKEND", "whoosh")
    if engine == "tantivy":
        from search_index.tantivy_backend import (
            TantivyBackend,  # the engine is loaded on first use
        )

        if writable:
            return TantivyBackend(config["SEARCH_INDEX_DIR"], writable=True, procs=config["SEARCH_INDEX_PROCS"],
                                  limitmb=config["SEARCH_INDEX_LIMITMB"])
        return TantivyBackend(config["SEARCH_INDEX_DIR"], time_limit=config["SEARCH_TIME_LIMIT_SECONDS"],
                              refresh_seconds=config["SEARCH_REFRESH_SECONDS"])
    if engine != "whoosh":
        raise ValueError(f"unknown search backend {engine!r}: whoosh or tantivy")
    from search_index.whoosh_backend import (
        WhooshBackend,  # the engine is loaded on first use
    )

    if writable:
        return WhooshBackend(config["SEARCH_INDEX_DIR"], writable=True,
                             procs=config["SEARCH_INDEX_PROCS"], limitmb=config["SEARCH_INDEX_LIMITMB"])
    return WhooshBackend(config["SEARCH_INDEX_DIR"], time_limit=config["SEARCH_TIME_LIMIT_SECONDS"],
                         refresh_seconds=config["SEARCH_REFRESH_SECONDS"])


__all__ = ["SearchBackend", "open_backend"]
