"""One story, one result in the backend: copies sharing a story collapse into their best-ranked
copy, counts are of stories, and pages cut the collapsed ranking (no story on two pages, none
lost), for both sorts, across segments and with filters."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from search_index.backend import IndexDoc, SearchRequest
from search_index.documents import version_of
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

WORDS = ["آب", "برق", "گاز", "قطعی", "تانکر", "روستا", "شهر", "سیل", "جاده", "مدرسه", "بیمارستان", "نان"]


def doc(n: int, title: str, body: str = "", **fields) -> IndexDoc:
    values = {"key": f"item:{n}", "doc_type": "item", "title": title, "body": body, "outlet": str(n % 5),
                  "scope": "provincial", "published": datetime(2026, 3, 1) + timedelta(hours=n)}
    values.update(fields)
    d = IndexDoc(**values)
    return IndexDoc(**{**d.__dict__, "version": version_of(d)})


@pytest.fixture(params=["tantivy", "whoosh"])
def backend(tmp_path, request):
    return {"whoosh": WhooshBackend, "tantivy": TantivyBackend}[request.param](tmp_path / "ix", writable=True)


def test_copies_of_a_story_are_one_result_ranked_by_their_best_copy(backend):
    backend.index([
        doc(1, "قطعی آب در همدان", "آب", story="c7"),
        doc(2, "قطعی آب در همدان", "آب آب آب آب", story="c7"),   # the best copy of story c7
        doc(3, "قطعی در همدان", "آب", story="c7"),  # (a title with the word would outrank #2 in tantivy's BM25)
        doc(4, "قطعی برق", "آب"),                                 # a story alone
    ])
    found = backend.search(SearchRequest(text="آب", collapse=True))
    assert [h.key for h in found.hits] == ["item:2", "item:4"]
    assert (found.total, found.items_total) == (2, 4)
    plain = backend.search(SearchRequest(text="آب"))
    assert (plain.total, plain.items_total, len(plain.hits)) == (4, 4, 4)
    newest = backend.search(SearchRequest(text="آب", collapse=True, sort="newest"))
    assert [h.key for h in newest.hits] == ["item:4", "item:3"]   # the newest copy stands for c7


def test_collapsed_counts_take_in_documents_without_a_date(backend):
    # tantivy counts a collapsed search's matches in an aggregation over the date field: an item
    # without a date (a feed that gives none) must be counted all the same.
    backend.index([
        doc(1, "قطعی آب", "آب", story="c7", published=None),
        doc(2, "قطعی آب", "آب", story="c7"),
        doc(3, "قطعی برق", "آب", published=None),
        doc(4, "تانکر", "آب"),
        doc(5, "جاده", "برق", published=None),   # no match
    ])
    for sort in ("relevance", "newest"):
        found = backend.search(SearchRequest(text="آب", collapse=True, sort=sort))
        assert (found.total, found.items_total, found.total_exact) == (3, 4, True), sort
        assert len(found.hits) == 3
    plain = backend.search(SearchRequest(text="آب"))
    assert (plain.total, plain.items_total) == (4, 4)


def _expected(backend, request: SearchRequest, story_of: dict[str, str]) -> list[str]:
    """The collapsed ranking computed by hand from the uncollapsed one: first copy of each story."""
    everything = SearchRequest(**{**request.__dict__, "collapse": False, "page": 1, "per_page": 100})
    keys, page = [], 1
    while True:
        found = backend.search(SearchRequest(**{**everything.__dict__, "page": page}))
        keys += [h.key for h in found.hits]
        if page >= found.pages:
            break
        page += 1
    seen, ranked = set(), []
    for key in keys:
        story = story_of[key] or key
        if story not in seen:
            seen.add(story)
            ranked.append(key)
    return ranked


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_pages_of_stories_match_the_collapsed_full_ranking(backend, sort):
    rng = random.Random(10)
    story_of, batch = {}, []
    for n in range(1, 601):
        story = f"c{rng.randrange(60)}" if rng.random() < 0.6 else ""
        title = " ".join(rng.choices(WORDS, k=4))
        body = " ".join(rng.choices(WORDS, k=rng.randrange(5, 30)))
        batch.append(doc(n, title, body, story=story,
                         # equal dates inside a story and across stories: ties must not move a story
                         published=datetime(2026, 3, 1) + timedelta(hours=rng.randrange(40))))
        story_of[f"item:{n}"] = story
        if len(batch) == 150:  # four commits: four segments at least
            backend.index(batch)
            batch = []
    for request in (SearchRequest(text="آب", sort=sort, collapse=True, per_page=7),
                    SearchRequest(text="قطعی یا سیل", sort=sort, collapse=True, per_page=10,
                                  outlet_ids=(1, 2, 3)),
                    SearchRequest(text="نان -برق", sort=sort, collapse=True, per_page=13)):
        expected = _expected(backend, request, story_of)
        assert len(expected) > 3 * request.per_page
        collected, page = [], 1
        while True:
            found = backend.search(SearchRequest(**{**request.__dict__, "page": page}))
            assert found.total == len(expected)
            assert found.items_total >= found.total
            assert len(found.hits) == min(request.per_page, len(expected) - (page - 1) * request.per_page)
            collected += [h.key for h in found.hits]
            if page >= found.pages:
                break
            page += 1
        assert collected == expected
        assert len({story_of[k] or k for k in collected}) == len(collected)


def test_the_index_follows_the_monitors_clusters_as_copies_arrive(app):
    """Feeds imported one at a time, the index drained after each: the copy indexed alone is
    queued again when a later copy makes it part of a cluster, so every document names its story
    (verify finds nothing stale) and the search shows each demo story once."""
    from pathlib import Path

    from sqlalchemy import select

    from app.extensions import db
    from app.services.indexing import drain
    from app.services.search import get_backend, search
    from models import Item
    from search_index.documents import expected_versions

    feeds = sorted((Path(__file__).resolve().parents[1] / "data" / "feeds").glob("demo-*.rss"))
    runner = app.test_cli_runner()
    for path in feeds:
        result = runner.invoke(args=["feeds", "import-file", str(path), "--json"])
        assert result.exit_code == 0, result.output
        drain()
    clustered = db.session.scalars(select(Item).where(Item.cluster_id.is_not(None))).all()
    assert len(clustered) == 7  # the demo's stories of 3, 2 and 2 copies
    report = get_backend().verify(expected_versions(db.engine))
    assert report.ok, (report.missing, report.extra, report.stale)
    collapsed = 0
    for item in clustered:
        for text in (item.title, " یا ".join(item.title.split()[:3])):
            page = search(SearchRequest(text=text, collapse=True, per_page=100))
            stories = [r.item.cluster_id or -r.item.id for r in page.results]
            assert len(stories) == len(set(stories)) and item.cluster_id in stories
            assert page.total == len(stories) <= page.items_total
            collapsed += page.items_total - page.total
    assert collapsed > 0


class SteppingClock:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_collapsed_tantivy_search_past_its_time_limit_stops_and_says_so(tmp_path):
    writer = TantivyBackend(tmp_path / "ix", writable=True)
    # 100 matches in 3 stories: the first read (80 hits, four times a page) finds too few stories
    writer.index([doc(n, "قطعی آب", "آب", story=f"c{n % 3}") for n in range(1, 101)])
    request = SearchRequest(text="آب", collapse=True)
    in_time = TantivyBackend(tmp_path / "ix", time_limit=5.0, clock=SteppingClock(0.001)).search(request)
    assert (in_time.total, in_time.items_total, in_time.total_exact, in_time.timed_out) == (3, 100, True, False)
    late = TantivyBackend(tmp_path / "ix", time_limit=5.0, clock=SteppingClock(10.0)).search(request)
    assert late.timed_out and not late.total_exact
    assert [h.key for h in late.hits] == [h.key for h in in_time.hits]  # the hits read before the limit
    assert late.items_total == 100 and 1 <= late.total <= 3  # at least the stories seen


def test_a_collapsed_search_that_read_every_match_counts_its_stories_from_them(tmp_path):
    """When the first read holds every match, the stories are counted from those hits (no second
    pass over the index for the stories' aggregation): exact, and not timed out even past the limit,
    since nothing was left unread; with copies, stories alone and documents without a story."""
    writer = TantivyBackend(tmp_path / "ix", writable=True)
    writer.index([doc(n, "قطعی آب", "آب", story=f"c{n % 3}" if n <= 9 else "") for n in range(1, 13)]
                 + [doc(13, "جاده", "برق", story="c1")])  # a copy that does not match
    request = SearchRequest(text="آب", collapse=True)
    for step in (0.001, 10.0):
        found = TantivyBackend(tmp_path / "ix", time_limit=5.0, clock=SteppingClock(step)).search(request)
        assert (found.total, found.items_total, found.total_exact, found.timed_out) == (6, 12, True, False), step
        assert len(found.hits) == 6
