"""Searching press coverage: what the search page, the CLI and (later) the API call.

The backend finds and ranks; this service loads the rows of the page's hits (the database is
the source of truth: a hit whose row is gone is dropped), has their text highlighted, and keeps
agency-private document types inside the actor's agency. News items are public to every role.

Which agency an item was routed to, and in which status, is that agency's business: a user bound
to an agency filters by agency (or route status) only within their own agency; supervisors,
administrators and the command line by every agency. A refused filter raises
``AgencyFilterRefused`` with a Persian message (the page shows it; nothing is searched). Saved
searches and their alerts use the same check (``app.services.alerts``).

With ``SearchRequest.collapse`` (the search page) copies of one story are one result: ``total``
counts stories and ``items_total`` the matching copies; each item result carries its ``Story``
(the other copies and the routes the actor may see, app/services/stories.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.policy import can_filter_by_agency, sees_all_agencies
from app.services import NotAllowed
from app.services.stories import Story, stories_of
from models import Agency
from search_index import SearchBackend, open_backend
from search_index.backend import SearchHit, SearchRequest, SearchResults
from search_index.documents import hit_texts

__all__ = ["AgencyFilterRefused", "ItemResult", "SearchPage", "SearchRequest", "check_agency_filter",
           "filter_agencies", "get_backend", "may_filter_by_agency", "search"]  # the app's search API

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
    warning_codes: list[str] = field(default_factory=list)  # the warnings' codes (search_index.query_syntax)
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


class AgencyFilterRefused(NotAllowed):
    """An agency (or route status) filter the actor may not use; str() is the Persian message."""


def _sees_every_agency(actor) -> bool:
    return actor is None or sees_all_agencies(actor)  # None: the command line, the system


def may_filter_by_agency(actor, slug: str | None) -> bool:
    """Whether ``actor`` may filter by the items routed to agency ``slug`` (policy.
    can_filter_by_agency: supervisors and admins every agency, the others their own; the command
    line, ``actor`` None, every agency)."""
    if _sees_every_agency(actor):
        return True
    own = getattr(actor, "agency", None)
    return slug is not None and own is not None and own.slug == slug and can_filter_by_agency(actor, own.id)


def check_agency_filter(actor, slugs, statuses=()) -> None:
    """Raise AgencyFilterRefused unless ``actor`` may use these agency and status filters (a status
    filter without an agency reads every agency's routes: for cross-agency roles only)."""
    refused = [slug for slug in dict.fromkeys(slugs) if not may_filter_by_agency(actor, slug)]
    if refused:
        name = db.session.scalar(select(Agency.name_fa).where(Agency.slug == refused[0])
                                 .execution_options(unscoped=True))
        raise AgencyFilterRefused(_("خبرهای ارجاع‌شده به «%(agency)s» را تنها همان سازمان و ناظران می‌بینند؛ "
                                    "در فیلتر «سازمان» سازمان خودتان را برگزینید.", agency=name or refused[0]))
    if statuses and not slugs and not _sees_every_agency(actor):
        raise AgencyFilterRefused(_("فیلتر وضعیت ارجاع را همراه با سازمان خودتان به کار ببرید."))


def filter_agencies(actor, locale: str = "fa") -> list[tuple[str, str]]:
    """(slug, name in ``locale``) of the active agencies ``actor`` may filter by, for the forms."""
    query = select(Agency).where(Agency.is_active).order_by(Agency.name_order, Agency.id)
    if not _sees_every_agency(actor):
        own = getattr(actor, "agency", None)
        if own is None or not can_filter_by_agency(actor, own.id):
            return []
        query = query.where(Agency.id == own.id)
    found = [(a.slug, a.display_name(locale)) for a in db.session.scalars(query.execution_options(unscoped=True))]
    return sorted(found, key=lambda pair: pair[1].casefold()) if locale == "en" else found  # in the reader's order


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
    """Run ``request`` and return the page of results with their rows and highlighted text.
    Raises AgencyFilterRefused for an agency or status filter the actor may not use."""
    check_agency_filter(actor, request.agencies, request.statuses)
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
                      warnings=found.warnings, warning_codes=found.warning_codes, elapsed_ms=found.elapsed_ms, timed_out=found.timed_out,
                      index_missing=found.index_missing)
    for hit in found.hits:
        row = rows.get(hit.key)
        if row is not None:
            page.results.append(ItemResult(hit, row))
    items = [result for result in page.results if result.hit.doc_type == "item"]
    for result, story in zip(items, stories_of([result.item for result in items])):
        result.story = story
    return page
