"""Searching press coverage: what the search page, the CLI and (later) the API call.

The backend finds and ranks; this service loads the rows of the page's hits (the database is
the source of truth: a hit whose row is gone is dropped), has their text highlighted, and keeps
agency-private document types inside the actor's agency. News items are public to every role.

With ``SearchRequest.collapse`` (the search page) copies of one story are one result: ``total``
counts stories and ``items_total`` the matching copies; each item result carries its ``Story``
(the other copies and the routes the actor may see, app/services/stories.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import current_app

from app.extensions import db
from app.policy import sees_all_agencies
from app.services.stories import Story, stories_of
from search_index import SearchBackend, open_backend
from search_index.backend import SearchHit, SearchRequest, SearchResults
from search_index.documents import hit_texts

__all__ = ["ItemResult", "SearchPage", "SearchRequest", "get_backend", "search"]  # the app's search API

_BACKEND = "hamzaban_search_backend"
# Document types every role may see; any other type is limited to the actor's own agency.
PUBLIC_DOC_TYPES = frozenset({"item"})


@dataclass
class ItemResult:
    """One hit with its database row (``item`` for doc_type "item")."""

    hit: SearchHit
    item: object
    story: Story | None = None  # its other copies and visible routes (items only)


@dataclass
class SearchPage:
    request: SearchRequest
    results: list[ItemResult] = field(default_factory=list)
    total: int = 0            # stories when the request collapses them, else documents
    items_total: int = 0      # matching documents (copies of a story each count)
    total_exact: bool = True  # False when the search was stopped by its time limit
    warnings: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    timed_out: bool = False
    index_missing: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


def get_backend() -> SearchBackend:
    """This process's read-only backend (one per app: its searchers are reused)."""
    app = current_app._get_current_object()
    backend = app.extensions.get(_BACKEND)
    if backend is None:
        backend = app.extensions[_BACKEND] = open_backend(app.config)
    return backend


def scoped_request(request: SearchRequest, actor=None) -> SearchRequest:
    """Keep agency-private document types inside the actor's agency.

    Items are public. When a private type (cases, conferences) is asked for by a user bound to
    an agency, the request is narrowed to that agency; an actor without an agency (the CLI,
    admins, supervisors) sees everything.
    """
    private = [t for t in request.doc_types if t not in PUBLIC_DOC_TYPES]
    if not private or actor is None or sees_all_agencies(actor):
        return request
    agency = getattr(actor, "agency", None)
    if agency is None:
        return replace(request, doc_types=tuple(t for t in request.doc_types if t in PUBLIC_DOC_TYPES))
    return replace(request, agencies=(agency.slug,))


def search(request: SearchRequest, *, actor=None, highlight: bool = True) -> SearchPage:
    """Run ``request`` and return the page of results with their rows and highlighted text."""
    request = scoped_request(request, actor)
    rows: dict[str, object] = {}

    def fetch(keys):
        found, texts = hit_texts(db.session, keys)
        rows.update(found)
        return texts

    found: SearchResults = get_backend().search(request, fetch if highlight else None)
    if not highlight and found.hits:
        rows.update(hit_texts(db.session, [hit.key for hit in found.hits])[0])
    page = SearchPage(request=request, total=found.total, items_total=found.items_total, total_exact=found.total_exact,
                      warnings=found.warnings, elapsed_ms=found.elapsed_ms, timed_out=found.timed_out,
                      index_missing=found.index_missing)
    for hit in found.hits:
        row = rows.get(hit.key)
        if row is not None:
            page.results.append(ItemResult(hit, row))
    items = [result for result in page.results if result.hit.doc_type == "item"]
    for result, story in zip(items, stories_of([result.item for result in items])):
        result.story = story
    return page
