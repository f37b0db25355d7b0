"""The Whoosh implementation of ``SearchBackend``: this package is the only place besides the
analyzer and the query parser that imports whoosh (``searching`` holds the query-time parts,
``fields`` the schema and a document's values, ``indexing`` the posting format and the writer's
speed-ups, ``storage`` the index folder read through memory maps without copying them).

Reading: one searcher per thread, re-checked against the index's latest commit at most every
``refresh_seconds``, so web processes see the indexer's commits within a second or two without
reopening the index for every request (reopened whole: see ``_searcher``). Filters test the
candidates against the segment's columns; "newest" sorts on the ``published`` column; a time
limit stops a pathological query and returns what it found so far.

Writing (only by the holder of the indexer lease, see ``app.services.indexing``): one writer and
one commit per call; old versions are deleted by key before the new ones are added, which makes
every write idempotent. A rebuild commits every ``batch_size`` documents with ``procs`` writer
processes (one segment each) and no merging, then ``finish_rebuild`` merges the small segments.
The writer processes die with the rebuild, and a lock left by a killed writer is cleared (see
``writer``).
"""
from __future__ import annotations

import html
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from whoosh import index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.collectors import TimeLimit
from whoosh.index import LockError
from whoosh.writing import MERGE_SMALL, NO_MERGE

from search_index.backend import (
    MAX_PER_PAGE,
    IndexDoc,
    SchemaOutdated,
    SearchHit,
    SearchRequest,
    SearchResults,
    TextFetcher,
    VerifyReport,
)
from search_index.highlighting import highlight_hits
from search_index.schema import SCHEMA_VERSION, parse_key
from search_index.whoosh_backend.fields import build_schema, document_fields
from search_index.whoosh_backend.searching import (
    FilteredCollector,
    StoryRanking,
    block_cache,
    build_query,
    filter_factory,
    naive_day_bounds,
    positive_terms,
    terms_to_mark,
)
from search_index.whoosh_backend.storage import open_storage
from search_index.whoosh_backend.writer import describe_owner, index_writer

REFRESH_SECONDS = 1.0
# zlib level of posting blocks written from now on (Whoosh's default is 3; every block states its
# own, so an index may mix them). 0 at 40,000 items: index twice as large (332 vs 165 MB),
# phrase searches a quarter faster (p95 47 vs 62 ms CPU): decompressing the blocks of a common
# word («و») is most of a phrase's cost.
POSTINGS_COMPRESSION = 0
VERSION_FILE = "hamzaban-schema-version"


SMALL_SEGMENT_DOCS = 20_000


def _merge_small_segments(writer, segments):
    """Whoosh merge policy: every segment under SMALL_SEGMENT_DOCS documents into one."""
    from whoosh.reading import SegmentReader

    small = [seg for seg in segments if seg.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) < 2:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in small]


def _merge_among_small_segments(writer, segments):
    """Whoosh merge policy for the indexer's commits: Whoosh's own (``MERGE_SMALL``), applied to
    the segments under SMALL_SEGMENT_DOCS documents only. Whoosh's rule alone, after a rebuild of
    40 segments (1,000,000 items), merged 26 of them (~650,000 documents) in the next commit."""
    small = [seg for seg in segments if seg.doc_count_all() < SMALL_SEGMENT_DOCS]
    return [seg for seg in segments if seg not in small] + MERGE_SMALL(writer, small)


def _dedupe(docs: Iterable[IndexDoc]) -> list[IndexDoc]:
    return list({doc.key: doc for doc in docs}.values())  # the last version of a key wins


class WhooshBackend:
    """``SearchBackend`` over a Whoosh index folder; ``writable`` is for the indexer only."""

    name = "whoosh"

    def __init__(self, path: str | os.PathLike, *, writable: bool = False, procs: int = 1,
                 limitmb: int = 128, time_limit: float = 5.0, writer_timeout: float = 30.0,
                 refresh_seconds: float = REFRESH_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.path = Path(path)
        self.writable = writable
        self.procs = max(1, procs)
        self.limitmb = limitmb
        self.time_limit = time_limit
        self.writer_timeout = writer_timeout
        self.refresh_seconds = refresh_seconds
        self._clock = clock  # the refresh interval's clock (a test sets it)
        self.schema = build_schema()
        self._ix = None
        self._local = threading.local()
        self._writes = 0  # this object's own commits: its searchers refresh at once after one

    # --- opening -----------------------------------------------------------------------------

    def _index(self, create: bool = False):
        if self._ix is None:
            if index.exists_in(str(self.path)):
                self._ix = self._storage().open_index()
            elif create:
                self._create()
        return self._ix

    def _create(self):
        self._require_writable()
        self.path.mkdir(parents=True, exist_ok=True)
        self._ix = self._storage().create_index(self.schema)
        (self.path / VERSION_FILE).write_text(str(SCHEMA_VERSION))
        self._local = threading.local()

    def _codec(self) -> W3Codec:
        return W3Codec(compression=POSTINGS_COMPRESSION)

    def _storage(self):
        return open_storage(self.path)  # memory-mapped, not copied into the heap (see storage)

    def _writer(self, **options):
        """A writer of the index (it holds the index's write lock until it commits or cancels);
        raises ``LockError`` naming the holder after ``writer_timeout`` seconds."""
        try:
            return index_writer(self._ix, timeout=self.writer_timeout, codec=self._codec(), **options)
        except LockError as exc:
            lock = self.path / f"{self._ix.indexname}_WRITELOCK"
            raise LockError(f"the search index {self.path} is locked by {describe_owner(lock)}; "
                            f"waited {self.writer_timeout:.0f} s") from exc

    def _require_writable(self):
        if not self.writable:
            raise PermissionError("this process only reads the search index (the indexer writes it)")

    def schema_ok(self) -> bool:
        try:
            return (self.path / VERSION_FILE).read_text().strip() == str(SCHEMA_VERSION)
        except OSError:
            return False

    def _searcher(self):
        """This thread's searcher, refreshed when the index has a newer commit."""
        ix = self._index()
        if ix is None:
            return None
        local = self._local
        searcher = getattr(local, "searcher", None)
        now = self._clock()
        if searcher is not None and now - local.checked <= self.refresh_seconds \
                and local.writes == self._writes:
            return searcher
        stamp = self._stamp(ix)
        if searcher is None or stamp != local.stamp:
            # Not searcher.refresh(): it reuses the reader of a segment whose deletions changed
            # (Whoosh compares segments by id only), so updated documents would show twice. A
            # new searcher costs a few milliseconds once per commit.
            if searcher is not None:
                searcher.close()
            searcher = ix.searcher()
        local.searcher, local.stamp, local.checked, local.writes = searcher, stamp, now, self._writes
        return searcher

    def _stamp(self, ix) -> tuple[int, int]:
        """The latest commit: its generation and its TOC file's time (a fresh rebuild restarts
        the generations, so the number alone could repeat)."""
        generation = ix.latest_generation()
        try:
            mtime = (self.path / f"_{ix.indexname}_{generation}.toc").stat().st_mtime_ns
        except OSError:
            mtime = 0
        return generation, mtime

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None

    # --- writing -----------------------------------------------------------------------------

    def _write(self, docs: list[IndexDoc], deletions: Iterable[str], writer) -> int:
        keys = set(deletions) | {doc.key for doc in docs}
        if keys and self._ix.doc_count_all():
            with self._ix.searcher() as searcher:  # one searcher for every delete
                for key in keys:
                    writer.delete_by_term("id", key, searcher=searcher)
        for doc in docs:
            writer.add_document(**document_fields(doc))
        return len(docs)

    def index(self, docs: Iterable[IndexDoc], deletions: Iterable[str] = ()) -> int:
        self._require_writable()
        self._index(create=True)
        if not self.schema_ok():  # its fields are not this code's: only a rebuild may write it
            try:
                found = (self.path / VERSION_FILE).read_text().strip()
            except OSError:
                found = "?"
            raise SchemaOutdated(f"the search index {self.path} has schema version {found}, this code writes "
                                 f"{SCHEMA_VERSION}: run `flask --app app search rebuild` to upgrade it")
        docs = _dedupe(docs)
        writer = self._writer(limitmb=self.limitmb)
        try:
            count = self._write(docs, deletions, writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=_merge_among_small_segments)
        self._writes += 1
        return count

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        self.index([], keys)
        return len(keys)

    def rebuild(self, source: Iterable[IndexDoc], progress: Callable[[IndexDoc, int], None] | None = None,
                *, fresh: bool = False, batch_size: int = 50_000) -> int:
        self._require_writable()
        if fresh or self._index() is None or not self.schema_ok():
            self._ix = None
            self._create()
        count = 0
        iterator = iter(source)
        # Into an empty index no key can be there already (``source`` yields each key once):
        # no delete per document, and no searcher over the segments this rebuild is writing.
        replacing = self._ix.doc_count_all() > 0
        while True:  # documents stream into the writer: a batch is never held in memory
            first = next(iterator, None)
            if first is None:
                return count
            options = {"procs": self.procs, "multisegment": True, "batchsize": 100} if self.procs > 1 else {}
            writer = self._writer(limitmb=self.limitmb, **options)
            searcher = self._ix.searcher() if replacing else None
            last, written = first, 0
            try:
                for doc in itertools.chain([first], itertools.islice(iterator, batch_size - 1)):
                    if searcher is not None:  # resuming, or rebuilding over a live index
                        writer.delete_by_term("id", doc.key, searcher=searcher)
                    writer.add_document(**document_fields(doc))
                    last, written = doc, written + 1
            except BaseException:
                writer.cancel()
                raise
            finally:
                if searcher is not None:
                    searcher.close()
            writer.commit(mergetype=NO_MERGE)
            self._writes += 1
            count += written
            if progress is not None:
                progress(last, count)

    def finish_rebuild(self) -> None:
        # Merge the small segments only: a full optimize of 200,000 documents rewrites every
        # posting in one Python process, as slow as indexing them again.
        self._require_writable()
        self._index(create=True)
        writer = self._writer()
        writer.commit(mergetype=_merge_small_segments)
        self._writes += 1

    # --- reading -----------------------------------------------------------------------------

    def doc_count(self) -> int:
        ix = self._index()
        return ix.doc_count() if ix is not None else 0

    def verify(self, expected: Mapping[str, str]) -> VerifyReport:
        ix = self._index()
        if ix is None:
            return VerifyReport.compare(expected, ())
        with ix.searcher() as searcher:
            return VerifyReport.compare(expected, [(stored["id"], stored.get("version", ""))
                                                   for _, stored in searcher.reader().iter_docs()],
                                        schema_ok=self.schema_ok())

    def search(self, request: SearchRequest, fetch_text: TextFetcher | None = None) -> SearchResults:
        started = time.perf_counter()
        page = max(1, request.page)
        per_page = min(max(1, request.per_page), MAX_PER_PAGE)
        results = SearchResults([], 0, page, per_page)
        searcher = self._searcher()
        if searcher is None:
            results.index_missing = True
            return results
        query, warnings = build_query(request.text, searcher.reader(), request)
        results.warnings = [w.message for w in warnings]
        results.warning_codes = [w.code for w in warnings]
        if query is wq.NullQuery:
            return results
        newest = request.sort == "newest"
        child = searcher.collector(limit=page * per_page, sortedby="published" if newest else None,
                                   reverse=newest, optimize=False)
        child.replace = 0  # see FilteredCollector: every match is visited once, and counted
        stories = StoryRanking(newest, page * per_page) if request.collapse else None
        collector = FilteredCollector(child, filter_factory(request), self.time_limit, stories)
        try:
            with block_cache():
                searcher.search_with_collector(query, collector)
        except TimeLimit:
            results.timed_out = True
        top = stories.top() if stories is not None else collector.results().top_n
        results.items_total = collector.accepted
        results.total = stories.stories if stories is not None else collector.accepted
        results.total_exact = not results.timed_out
        for score, docnum in top[(page - 1) * per_page: page * per_page]:
            stored = searcher.stored_fields(docnum)
            doc_type, doc_id = parse_key(stored["id"])
            results.hits.append(SearchHit(stored["id"], doc_type, doc_id, 0.0 if newest else float(score or 0.0),
                                          stored.get("published"), html.escape(stored.get("title", ""))))
        if fetch_text is not None and results.hits:
            self._highlight(results.hits, query, searcher.reader(), fetch_text)
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    def _highlight(self, hits: list[SearchHit], query, reader, fetch_text: TextFetcher) -> None:
        terms = terms_to_mark(query, reader)
        highlight_hits(hits, terms.free, self.schema["body"].analyzer, fetch_text, terms.phrases)



__all__ = ["WhooshBackend", "build_schema", "naive_day_bounds", "positive_terms"]
