"""The search backend interface: what the indexer, the service and the CLI may ask of an engine.

Two implementations: Whoosh (``search_index.whoosh_backend``, the embedded default) and tantivy
(``search_index.tantivy_backend``); nothing outside ``search_index`` imports either. Documents are plain ``IndexDoc`` values built by
``search_index.documents``; requests and results are the dataclasses below.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from app.clock import local_day_bounds, naive_utc
from search_index.schema import parse_key

SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100


class SchemaOutdated(RuntimeError):
    """The index was built with another ``schema.SCHEMA_VERSION``: documents of this code cannot be
    written into it until ``search rebuild`` has upgraded it (the outbox keeps them meanwhile)."""


@dataclass(frozen=True)
class IndexDoc:
    """One document as the index sees it; ``version`` is a hash of every other value."""

    key: str                  # "item:123", see schema.doc_key
    doc_type: str
    title: str
    body: str
    outlet: str = ""          # outlet id as text, "" when unknown
    scope: str = ""           # local | provincial | national | ""
    agencies: tuple[str, ...] = ()  # slugs of the agencies it is routed to (documents.routed_agencies)
    routes: tuple[str, ...] = ()    # "slug:status" of each route to an agency, every status
    published: datetime | None = None  # naive UTC
    story: str = ""           # "c<cluster id>" when the monitor clustered copies of one story
    version: str = ""


@dataclass(frozen=True)
class SearchRequest:
    """What a user asked for. Dates are local calendar days (HAMZABAN_TIMEZONE), both ends included."""

    text: str
    outlet_ids: tuple[int, ...] = ()
    scopes: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()   # routed to one of these (a status in models.ROUTED_STATUSES)
    statuses: tuple[str, ...] = ()   # a route in one of these statuses (to one of ``agencies`` if given)
    date_from: date | None = None
    date_to: date | None = None
    doc_types: tuple[str, ...] = ("item",)
    sort: str = "relevance"   # relevance | newest
    page: int = 1
    per_page: int = 20
    # One result per story: copies that share ``IndexDoc.story`` collapse into their best-ranked
    # copy (by the request's sort), and ``total`` counts stories (``items_total`` counts copies).
    collapse: bool = False


@dataclass(frozen=True)
class HitText:
    """The full text of a hit, read from the database, for highlighting."""

    title: str
    body: str


@dataclass
class SearchHit:
    """One result; ``title_html`` and ``snippet_html`` are escaped text with <mark> around matches."""

    key: str
    doc_type: str
    doc_id: int
    score: float
    published: datetime | None
    title_html: str = ""
    snippet_html: str = ""


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    warnings: list[str] = field(default_factory=list)   # Persian messages (query fallback …)
    warning_codes: list[str] = field(default_factory=list)  # the same, as codes ("empty": nothing to look for)
    elapsed_ms: float = 0.0
    timed_out: bool = False   # the safety time limit stopped the search: results are partial
    total_exact: bool = True  # False when the time limit stopped the search: at least ``total``
    index_missing: bool = False
    items_total: int = 0      # matching documents; differs from ``total`` when collapsed by story

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class VerifyReport:
    """Where the index and the database disagree (keys as in ``IndexDoc.key``)."""

    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)    # in the index, not in the database
    stale: list[str] = field(default_factory=list)    # in both, but the indexed version differs
    index_count: int = 0
    db_count: int = 0
    schema_ok: bool = True

    @property
    def ok(self) -> bool:
        return self.schema_ok and not (self.missing or self.extra or self.stale)

    @classmethod
    def compare(cls, expected: Mapping[str, str], indexed: Iterable[tuple[str, str]],
                schema_ok: bool = True) -> VerifyReport:
        """The report for ``expected`` (key → version from the database) against the index's
        (key, version) pairs; a key indexed twice is stale (re-indexing it leaves one copy)."""
        found: dict[str, str] = {}
        twice: set[str] = set()
        for key, version in indexed:
            if key in found:
                twice.add(key)
            found[key] = version
        return cls(missing=sorted((k for k in expected if k not in found), key=_key_order),
                   extra=sorted((k for k in found if k not in expected), key=_key_order),
                   stale=sorted((k for k, v in expected.items() if k in found and (found[k] != v or k in twice)),
                                key=_key_order),
                   index_count=len(found), db_count=len(expected), schema_ok=schema_ok)


def _key_order(key: str):
    try:
        return parse_key(key)
    except ValueError:
        return (key, 0)


def naive_day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Naive-UTC bounds, both included, of the local calendar days ``first`` … ``last`` (None = open).

    The days are in the app's zone (app.clock, HAMZABAN_TIMEZONE); the engines keep naive UTC.
    """
    start, end = local_day_bounds(first, last)
    return naive_utc(start), (naive_utc(end) - timedelta(microseconds=1) if end else None)


# Reads the database text of a page of hits: key → HitText (keys it cannot find are left out).
TextFetcher = Callable[[Sequence[str]], Mapping[str, HitText]]


class SearchBackend(Protocol):
    """A full-text engine. Only the indexer (holding the writer lease) calls the write methods."""

    name: str  # the engine ("whoosh", "tantivy"), as HAMZABAN_SEARCH_BACKEND names it

    def index(self, docs: Iterable[IndexDoc], deletions: Iterable[str] = ()) -> int:
        """Upsert ``docs`` and delete ``deletions`` (keys) in one commit; returns docs written.
        Idempotent: writing the same document twice leaves one copy. Raises ``SchemaOutdated``
        into an index of another schema version (``rebuild`` upgrades it)."""

    def delete(self, keys: Iterable[str]) -> int:
        """Delete documents by key in one commit; unknown keys are ignored."""

    def search(self, request: SearchRequest, fetch_text: TextFetcher | None = None) -> SearchResults:
        """Run a user query; with ``fetch_text`` the page's hits get highlighted title and snippet."""

    def rebuild(self, source: Iterable[IndexDoc], progress: Callable[[IndexDoc, int], None] | None = None,
                *, fresh: bool = False, batch_size: int = 50_000) -> int:
        """Write every document of ``source`` (committing every ``batch_size``; ``progress(last,
        count)`` after each commit, for checkpoints). ``fresh`` empties the index first.
        ``source`` yields each key once."""

    def finish_rebuild(self) -> None:
        """Merge the small segments a rebuild left behind."""

    def verify(self, expected: Mapping[str, str]) -> VerifyReport:
        """Compare the index with ``expected`` (key → version from the database)."""

    def doc_count(self) -> int:
        """Documents in the index."""

    def schema_ok(self) -> bool:
        """Whether the index exists and was built with this code's ``schema.SCHEMA_VERSION``."""
