"""Whoosh and tantivy give the same results on the 1,500 real articles (issue 16).

* **Same hits**: every query of the search bench (bench/bench_search.py, 49 queries: words,
  several words, phrases, syntax) in its four modes (relevance, newest, filtered by scope /
  outlet / agency / dates, filtered newest), each also with copies of a story collapsed, and the
  relevance judgments' 37 queries: the same total, the same number of documents, and for the
  uncollapsed searches the same set of documents (every page read).
* **Same order where it is not a score**: "newest first" gives the same dates in the same order.
* **Order by relevance within a tolerance**: scores differ (tantivy's BM25 is not Whoosh's
  BM25F), so on the judged set (bench/relevance, graded by a rule nobody tuned on either
  engine) the mean nDCG@10 of the two may differ by at most ``NDCG_TOLERANCE``, no query by more
  than ``NDCG_QUERY_TOLERANCE``, and the two top tens share at least ``TOP10_OVERLAP`` of their
  documents on average. Measured when written: see bench/README.md (issue 16, tantivy).
"""
from __future__ import annotations

import json
import math
import random
import statistics
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from search_index.backend import IndexDoc, SearchRequest
from search_index.documents import version_of
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend
from tests.conftest import shared_data

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench"
NDCG_TOLERANCE = 0.03
NDCG_QUERY_TOLERANCE = 0.25
TOP10_OVERLAP = 0.85
AGENCIES = [f"agency{n}" for n in range(8)]
STATUSES = ("pending", "accepted", "dismissed")


def _articles() -> list[dict]:
    out = []
    for path in sorted(shared_data("persian-news").glob("*.json")):
        for i, article in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append({**article, "judged_key": f"{path.name}#{i}"})
    return out


def _docs(articles: list[dict]) -> list[IndexDoc]:
    rng = random.Random(16)
    docs = []
    for n, a in enumerate(articles, 1):
        routed = tuple(sorted(rng.sample(AGENCIES, rng.choice((1, 2))))) if rng.random() < 0.4 else ()
        doc = IndexDoc(key=f"item:{n}", doc_type="item", title=a["title"],
                       body="\n".join([a.get("abstract", "")] + a["paragraphs"]), outlet=str(n % 40 + 1),
                       scope=("local", "provincial", "national")[n % 3], agencies=routed,
                       routes=tuple(f"{slug}:{rng.choice(STATUSES)}" for slug in routed),
                       published=datetime(2024, 3, 20) + timedelta(seconds=rng.randrange(730 * 86400)),
                       story=f"c{n // 4}" if n % 3 == 0 else "")  # some stories of two or three copies
        docs.append(IndexDoc(**{**doc.__dict__, "version": version_of(doc)}))
    return docs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    articles = _articles()
    docs = _docs(articles)
    engines = {}
    for name, engine in (("whoosh", WhooshBackend), ("tantivy", TantivyBackend)):
        backend = engine(tmp_path_factory.mktemp(name), writable=True, procs=2)
        backend.rebuild(docs, fresh=True, batch_size=1000)  # two commits: more than one segment
        backend.finish_rebuild()
        engines[name] = backend
    judged = {f"item:{n}": a["judged_key"] for n, a in enumerate(articles, 1)}
    return engines, judged


def _bench_requests() -> list[SearchRequest]:
    sys.path.insert(0, str(BENCH))
    from bench_search import MODES, QUERIES, request_for

    rng = random.Random(49)
    requests = []
    for _cls, text in QUERIES:
        for mode in MODES:
            request = request_for(mode, text, rng)
            if request.agencies:  # the bench's agency names are not this corpus's
                request = SearchRequest(**{**request.__dict__, "agencies": (rng.choice(AGENCIES),)})
            requests.append(request)
    for text in ("سیل", "قطعی آب"):  # the route status filter, with and without an agency
        requests.append(SearchRequest(text, statuses=("accepted",)))
        requests.append(SearchRequest(text, agencies=(AGENCIES[1],), statuses=("pending", "dismissed")))
    # quoted phrases that take their words' spelling families (session 42): «آنفلوآنزا» in the articles
    requests += [SearchRequest(text) for text in ('"آنفولانزا"', '"آنفولانزا فصلی"', '"گفتگو با"', '«رئیس جمهور»')]
    return requests


def _judged_queries() -> list[dict]:
    return [json.loads(line) for line in (BENCH / "relevance" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _every_key(backend, request: SearchRequest) -> list[str]:
    keys, page = [], 1
    while True:
        found = backend.search(SearchRequest(**{**request.__dict__, "page": page, "per_page": 100}))
        keys += [hit.key for hit in found.hits]
        if page >= found.pages:
            return keys
        page += 1


def test_same_hits_for_every_bench_and_judged_query_in_every_mode(corpus):
    engines, _ = corpus
    whoosh, tantivy = engines["whoosh"], engines["tantivy"]
    requests = _bench_requests() + [SearchRequest(q["query"]) for q in _judged_queries()]
    compared = 0
    for request in requests:
        for collapse in (False, True):
            asked = SearchRequest(**{**request.__dict__, "collapse": collapse})
            a, b = whoosh.search(asked), tantivy.search(asked)
            assert (a.total, a.items_total, a.warnings, a.warning_codes) == (
                b.total, b.items_total, b.warnings, b.warning_codes), asked
            if request.sort == "newest":
                assert [h.published for h in a.hits] == [h.published for h in b.hits], asked
            if not collapse:
                assert sorted(_every_key(whoosh, asked)) == sorted(_every_key(tantivy, asked)), asked
            compared += 1
    assert compared == 2 * len(requests) >= 2 * 4 * 49


def test_both_say_by_code_when_nothing_is_left_to_look_for(corpus):
    """Punctuation alone, or a lone quote, leaves no word: both engines say so with the code
    "empty" (what the command line refuses on), not only with its Persian text."""
    engines, _ = corpus
    for text in ("؟!", "...", '"'):
        for name, backend in engines.items():
            found = backend.search(SearchRequest(text))
            assert "empty" in found.warning_codes and found.total == 0, (name, text)
    assert all(engine.search(SearchRequest("سیل")).warning_codes == [] for engine in engines.values())


def _dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def test_relevance_order_agrees_on_the_judged_set_within_the_tolerance(corpus):
    engines, judged_key = corpus
    grades: dict[str, dict[str, int]] = {}
    for line in (BENCH / "relevance" / "judgments.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            grades.setdefault(row["query"], {})[f"{row['file']}#{row['index']}"] = row["grade"]
    ndcg: dict[str, list[float]] = {"whoosh": [], "tantivy": []}
    overlaps = []
    for q in _judged_queries():
        judged = grades.get(q["id"], {})
        ideal = _dcg(sorted(judged.values(), reverse=True)[:10])
        tops = {}
        for name, backend in engines.items():
            tops[name] = [judged_key[h.key] for h in backend.search(SearchRequest(q["query"], per_page=10)).hits]
        if tops["whoosh"]:
            overlaps.append(len(set(tops["whoosh"]) & set(tops["tantivy"])) / len(tops["whoosh"]))
        if ideal == 0:
            continue  # no relevant article judged: nDCG is undefined
        for name, top in tops.items():
            ndcg[name].append(_dcg([judged.get(key, 0) for key in top]) / ideal)
    differences = [abs(a - b) for a, b in zip(ndcg["whoosh"], ndcg["tantivy"])]
    assert len(differences) >= 30
    assert abs(statistics.mean(ndcg["whoosh"]) - statistics.mean(ndcg["tantivy"])) <= NDCG_TOLERANCE
    assert max(differences) <= NDCG_QUERY_TOLERANCE
    assert statistics.mean(overlaps) >= TOP10_OVERLAP
