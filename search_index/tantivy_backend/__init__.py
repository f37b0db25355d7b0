"""The tantivy implementation of ``SearchBackend`` (``HAMZABAN_SEARCH_BACKEND=tantivy``).

tantivy (PyPI ``tantivy``, Rust) is the engine for a province's years of news: at 1,000,000
items its searches take milliseconds where Whoosh's take up to a second (bench/README.md). It
reads the same ``IndexDoc`` values, the same Persian analysis (the tokens are handed over
pre-tokenized, ``fields``) and the same parsed query (``querying``), so both engines find the same
documents (tests/search_index/test_backends_agree.py); scores differ (BM25 against BM25F).

The index lives in ``<SEARCH_INDEX_DIR>/tantivy`` beside Whoosh's files, so an installation
switches engines by setting ``HAMZABAN_SEARCH_BACKEND`` and running ``search rebuild``; the other
engine's index stays where it was until it is deleted (switching back needs a rebuild too, since
it missed the writes made meanwhile).

Reading: one tantivy index object per backend; it reloads its reader (a cheap check of the
index's meta file) at most every ``refresh_seconds``, so web processes see the indexer's commits
within a second or two. Searchers are thread-safe.

The time limit (``time_limit``, SEARCH_TIME_LIMIT_SECONDS): the Python binding offers no way to
stop one tantivy search half-way (no timeout argument, no cancellation), so the limit is checked
between the steps of a search, where Whoosh checks it between matches: a collapsed search that
has run past it reads no further hits and skips the count of stories; the page shows what was
found, ``timed_out`` and an inexact total (at least the stories seen), as Whoosh's does. One
tantivy call is never cut: at 1,000,000 items the slowest took tens of milliseconds
(bench/README.md, issue 16 item 3).

Writing (only the holder of the indexer lease, ``app.services.indexing``): one tantivy writer per
call, deleting old versions by key before adding the new ones in the same commit (idempotent);
the writer's lock is released when the call ends. A rebuild keeps one writer (one indexing
thread) from start to end and commits every ``batch_size`` documents; the Persian analysis, the
costly part, runs in ``procs`` spawned processes, streamed in bounded chunks so that it goes on
while the writer commits (without the cyclic collector: ``_analysis_process``). What runs in this
process per document — building tantivy's ``Token`` objects (~0.3 ms of CPU) and ``add_document``
(~0.15 ms, the GIL held) — with the analysis (~0.5–0.8 ms) and tantivy's indexing thread (~0.4 ms)
keeps both CPUs of a two-core machine busy: that bounds a rebuild there (1,373–1,532 items/s at
1,000,000 items; bench/README.md, issue 16).
"""
from __future__ import annotations

import gc
import html
import itertools
import multiprocessing
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import tantivy

from app.clock import naive_utc
from search_index.analyzer import PersianAnalyzer
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
from search_index.tantivy_backend.fields import (
    build_schema,
    document_tokens,
    tantivy_document,
    text_tokens,
)
from search_index.tantivy_backend.querying import build_query

FOLDER = "tantivy"
VERSION_FILE = "hamzaban-schema-version"
REFRESH_SECONDS = 1.0
MIN_HEAP_MB = 50   # tantivy's writer wants at least ~15 MB per indexing thread
COLLAPSE_FIRST = 4  # when copies collapse: first look at 4 × the page's depth of hits
POOL_FROM_DOCS = 5_000  # a rebuild this large is analysed in ``procs`` spawned processes
ANALYSIS_CHUNK = 256  # documents per task of a rebuild's analysis processes
CHUNKS_AHEAD = 4  # tasks in flight per analysis process: work for ~1 s while the writer commits
MAX_STORY_BUCKETS = 60_000  # tantivy refuses an aggregation of more than 65,000 buckets


def _dedupe(docs: Iterable[IndexDoc]) -> list[IndexDoc]:
    return list({doc.key: doc for doc in docs}.values())  # the last version of a key wins


def _analyse(texts: list[tuple[str, str]]) -> list[tuple]:
    """A task of the analysis processes: ``document_tokens`` of a chunk of (title, body) (one
    pickle each way)."""
    return [text_tokens(title, body) for title, body in texts]


def _analysis_process() -> None:
    """A rebuild's analysis process runs without the cyclic garbage collector: the analysis makes
    no reference cycles (reference counting frees all it makes: tests/search_index/
    test_tantivy_documents.py), and the collector's passes over its word caches took ~14 % of its
    time (bench/README.md, issue 16, session 17)."""
    gc.disable()


def _analysed(docs: Iterator[IndexDoc], pool, procs: int) -> Iterator[tuple[IndexDoc, tuple]]:
    """(doc, its ``document_tokens``) in ``docs``' order; with a pool, the analysis runs in its
    processes, at most ``CHUNKS_AHEAD`` chunks per process ahead of the writer (bounded memory)."""
    if pool is None:
        for doc in docs:
            yield doc, document_tokens(doc)
        return
    pending: deque = deque()
    ahead = CHUNKS_AHEAD * procs
    while True:
        chunk = list(itertools.islice(docs, ANALYSIS_CHUNK))
        if chunk:
            pending.append((chunk, pool.apply_async(_analyse, ([(doc.title, doc.body) for doc in chunk],))))
        if pending and (len(pending) >= ahead or not chunk):
            done, result = pending.popleft()
            yield from zip(done, result.get())
        elif not chunk:
            return


class TantivyBackend:
    """``SearchBackend`` over a tantivy index folder; ``writable`` is for the indexer only."""

    name = "tantivy"

    def __init__(self, path: str | os.PathLike, *, writable: bool = False, procs: int = 1, limitmb: int = 128,
                 time_limit: float = 5.0, refresh_seconds: float = REFRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.root = Path(path)
        self.path = self.root / FOLDER
        self.writable = writable
        self.procs = max(1, procs)
        self.limitmb = limitmb
        self.time_limit = time_limit  # checked between the steps of a search (see the module)
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self.schema = build_schema()
        self._ix: tantivy.Index | None = None
        self._lock = threading.Lock()
        self._checked = float("-inf")

    # --- opening -----------------------------------------------------------------------------

    def _exists(self) -> bool:
        return (self.path / "meta.json").exists()

    def _index(self, create: bool = False) -> tantivy.Index | None:
        if self._ix is None:
            if self._exists() and self.schema_ok():
                self._ix = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            elif create:
                self._create()
        return self._ix

    def _create(self) -> None:
        self._require_writable()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self._ix = tantivy.Index(self.schema, path=str(self.path), reuse=False)
        (self.path / VERSION_FILE).write_text(str(SCHEMA_VERSION))

    def _require_writable(self) -> None:
        if not self.writable:
            raise PermissionError("this process only reads the search index (the indexer writes it)")

    def schema_ok(self) -> bool:
        try:
            return (self.path / VERSION_FILE).read_text().strip() == str(SCHEMA_VERSION)
        except OSError:
            return False

    def _searcher(self) -> tantivy.Searcher | None:
        """A searcher of the latest commit seen (checked at most every ``refresh_seconds``)."""
        ix = self._index()
        if ix is None:
            return None
        now = self._clock()
        if now - self._checked > self.refresh_seconds:
            with self._lock:
                ix.reload()
                self._checked = now
        return ix.searcher()

    def close(self) -> None:
        self._ix = None

    # --- writing -----------------------------------------------------------------------------

    def _writer(self, threads: int = 1) -> tantivy.IndexWriter:
        heap = max(MIN_HEAP_MB * threads, self.limitmb) * 1_000_000
        return self._ix.writer(heap_size=heap, num_threads=threads)

    def _committed(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        writer.wait_merging_threads()  # ends the writer: its lock is released
        self._checked = float("-inf")   # this process reads its own commit at once

    def index(self, docs: Iterable[IndexDoc], deletions: Iterable[str] = ()) -> int:
        self._require_writable()
        if self._exists() and not self.schema_ok():
            try:
                found = (self.path / VERSION_FILE).read_text().strip()
            except OSError:
                found = "?"
            raise SchemaOutdated(f"the search index {self.path} has schema version {found}, this code writes "
                                 f"{SCHEMA_VERSION}: run `flask --app app search rebuild` to upgrade it")
        self._index(create=True)
        docs = _dedupe(docs)
        writer = self._writer()
        try:
            for key in set(deletions) | {doc.key for doc in docs}:
                writer.delete_documents_by_term("id", key)
            for doc in docs:
                writer.add_document(tantivy_document(doc))
        except BaseException:
            writer.rollback()
            raise
        self._committed(writer)
        return len(docs)

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        self.index([], keys)
        return len(keys)

    def rebuild(self, source: Iterable[IndexDoc], progress: Callable[[IndexDoc, int], None] | None = None,
                *, fresh: bool = False, batch_size: int = 50_000) -> int:
        """One writer for the whole rebuild, committed every ``batch_size`` documents (then
        ``progress``); the analysis runs in ``procs`` spawned processes when there are at least
        ``POOL_FROM_DOCS`` documents, a stream that goes on while the writer commits, and tantivy
        indexes in one thread of this process (the analysis, not tantivy, needs the cores)."""
        self._require_writable()
        if fresh or self._index() is None or not self.schema_ok():
            self._ix = None
            self._create()
        replacing = self._ix.searcher().num_docs > 0  # resuming, or rebuilding over a live index
        iterator = iter(source)
        head = list(itertools.islice(iterator, POOL_FROM_DOCS))
        pool = None
        if self.procs > 1 and len(head) >= POOL_FROM_DOCS:
            # Spawned, not forked: a fork would copy this process with tantivy's threads
            # running in it. Starting them costs ~2 s (imports): only for large rebuilds.
            pool = multiprocessing.get_context("spawn").Pool(self.procs, initializer=_analysis_process)
        stream = _analysed(itertools.chain(head, iterator), pool, self.procs)
        count = 0
        writer = self._writer()
        try:
            while True:
                last = None
                for doc, tokens in itertools.islice(stream, batch_size):
                    if replacing:
                        writer.delete_documents_by_term("id", doc.key)
                    writer.add_document(tantivy_document(doc, tokens))
                    last = doc
                    count += 1
                if last is None:
                    return count
                writer.commit()  # the checkpoint; merges go on in tantivy's threads meanwhile
                self._checked = float("-inf")
                if progress is not None:
                    progress(last, count)
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # ends the writer: its lock is released
            self._checked = float("-inf")
            if pool is not None:
                pool.terminate()
                pool.join()

    def finish_rebuild(self) -> None:
        """tantivy merges segments in its writer's background threads (waited for at each commit)."""
        self._require_writable()
        self._index(create=True)

    # --- reading -----------------------------------------------------------------------------

    def doc_count(self) -> int:
        searcher = self._searcher()
        return searcher.num_docs if searcher is not None else 0

    def verify(self, expected: Mapping[str, str]) -> VerifyReport:
        searcher = self._searcher()
        if searcher is None or not searcher.num_docs:
            return VerifyReport.compare(expected, (), schema_ok=not self._exists() or self.schema_ok())
        found = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs, count=False)
        stored = (searcher.doc(address) for _score, address in found.hits)
        return VerifyReport.compare(expected, ((d.get_first("id"), d.get_first("version") or "") for d in stored),
                                    schema_ok=self.schema_ok())

    def search(self, request: SearchRequest, fetch_text: TextFetcher | None = None) -> SearchResults:
        started = time.perf_counter()
        deadline = self._clock() + self.time_limit
        page = max(1, request.page)
        per_page = min(max(1, request.per_page), MAX_PER_PAGE)
        results = SearchResults([], 0, page, per_page)
        searcher = self._searcher()
        if searcher is None:
            results.index_missing = True
            return results
        query, warnings, terms = build_query(request.text, self.schema, searcher, request)
        results.warnings = [w.message for w in warnings]
        results.warning_codes = [w.code for w in warnings]
        if query is None:
            results.elapsed_ms = (time.perf_counter() - started) * 1000
            return results
        newest = request.sort == "newest"
        order = {"order_by_field": "published", "order": tantivy.Order.Desc} if newest else {}
        if request.collapse:
            top, results.items_total, results.total, results.total_exact, results.timed_out = self._stories(
                searcher, query, page * per_page, order, deadline)
            top = top[(page - 1) * per_page:]
        else:
            found = searcher.search(query, limit=per_page, offset=(page - 1) * per_page, count=True, **order)
            top, results.items_total = found.hits, found.count
            results.total = found.count
        for score, address in top:
            stored = searcher.doc(address)
            key = stored.get_first("id")
            doc_type, doc_id = parse_key(key)
            results.hits.append(SearchHit(key, doc_type, doc_id, 0.0 if newest else float(score or 0.0),
                                          naive_utc(stored.get_first("published")),
                                          html.escape(stored.get_first("title") or "")))
        if fetch_text is not None and results.hits:
            highlight_hits(results.hits, terms.free, PersianAnalyzer(), fetch_text, terms.phrases)
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    def _stories(self, searcher, query, depth: int, order: dict,
                 deadline: float) -> tuple[list, int, int, bool, bool]:
        """The best ``depth`` stories (the best copy of each), the matching documents, the stories.

        Copies share the ``story`` fast field; the hits are read best first, more of them until
        ``depth`` stories are found or the hits run out. Stories are counted from the terms
        aggregation of the stories with two or more matching copies (at most ``MAX_STORY_BUCKETS``:
        tantivy's bucket limit; past it the count is a little high and is marked inexact).
        Past ``deadline`` (``self._clock``) no more hits are read and the stories are not
        counted: the total is then the stories among the hits read, inexact, and timed out (last)."""
        limit = max(depth * COLLAPSE_FIRST, 50)
        while True:
            found = searcher.search(query, limit=limit, count=True, **order)
            addresses = [address for _score, address in found.hits]
            stories = searcher.fast_field_values("story", addresses) if addresses else []
            seen: set[int] = set()
            top = []
            for hit, story in zip(found.hits, stories):
                if story is not None:
                    if story in seen:
                        continue
                    seen.add(story)
                top.append(hit)
                if len(top) == depth:
                    break
            if len(top) == depth or len(found.hits) < limit:
                break
            if self._clock() > deadline:
                break
            limit *= 4
        if len(found.hits) < limit:  # every match was read: its stories are counted from them, exactly
            return top, found.count, _stories_among(stories), True, False
        if self._clock() > deadline:  # at least the stories of the hits read
            return top, found.count, _stories_among(stories), False, True
        copies = searcher.aggregate(query, {"s": {"terms": {"field": "story", "size": MAX_STORY_BUCKETS,
                                                            "min_doc_count": 2}}})["s"]
        extra = sum(bucket["doc_count"] - 1 for bucket in copies["buckets"])
        exact = not copies.get("sum_other_doc_count")  # more stories with copies than buckets
        return top, found.count, found.count - extra, exact, False


def _stories_among(stories: list) -> int:
    """Stories among hits whose ``story`` values these are (a hit without one is a story alone)."""
    return len({story for story in stories if story is not None}) + stories.count(None)


__all__ = ["TantivyBackend"]
