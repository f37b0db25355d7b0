"""Both search backends (Whoosh and tantivy) behind the SearchBackend interface: writes, filters,
sorting, paging, highlighting from database text, verify, rebuild, and read-only processes (the
tests taking ``engine``/``backend`` run for each engine); then Whoosh's own speed-ups."""
from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from search_index.backend import HitText, IndexDoc, SearchRequest
from search_index.documents import version_of
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend, naive_day_bounds

ENGINES = {"whoosh": WhooshBackend, "tantivy": TantivyBackend}


def doc(n: int, title: str, body: str = "", **fields) -> IndexDoc:
    values = dict(key=f"item:{n}", doc_type="item", title=title, body=body, outlet="1", scope="provincial",
                  published=datetime(2026, 3, n % 28 + 1, 8, 0))
    values.update(fields)
    d = IndexDoc(**values)
    return IndexDoc(**{**d.__dict__, "version": version_of(d)})


@pytest.fixture(params=sorted(ENGINES))
def engine(request):
    """The backend class of one engine."""
    return ENGINES[request.param]


@pytest.fixture
def backend(tmp_path, engine):
    return engine(tmp_path / "ix", writable=True)


def keys(backend, text, **request):
    return [h.key for h in backend.search(SearchRequest(text=text, per_page=100, **request)).hits]


def test_index_is_idempotent_and_deletes_in_the_same_commit(backend):
    backend.index([doc(1, "قطعی آب"), doc(2, "قطعی برق")])
    backend.index([doc(1, "قطعی آب"), doc(1, "قطعی آب شرب")])  # again, and twice in one batch
    assert backend.doc_count() == 2
    assert keys(backend, "شرب") == ["item:1"]
    backend.index([doc(3, "قطعی گاز")], deletions=["item:2", "item:99"])
    assert sorted(keys(backend, "قطعی")) == ["item:1", "item:3"]
    backend.delete(["item:1"])
    assert keys(backend, "قطعی") == ["item:3"]


def test_filters_outlet_scope_agency_type_and_tehran_days(backend):
    backend.index([
        doc(1, "سیل در استان", outlet="7", scope="local", agencies=("crisis", "roads"),
            published=datetime(2026, 3, 20, 20, 29)),   # 23:59 on 29 Esfand in Tehran
        doc(2, "سیل و آبگرفتگی", outlet="8", scope="national", published=datetime(2026, 3, 20, 20, 31)),  # 1 Farvardin
        doc(3, "سیل بهاری", outlet="7", scope="provincial", agencies=("roads",)),
    ])
    assert sorted(keys(backend, "سیل", outlet_ids=(7,))) == ["item:1", "item:3"]
    assert keys(backend, "سیل", scopes=("national",)) == ["item:2"]
    assert sorted(keys(backend, "سیل", agencies=("roads",))) == ["item:1", "item:3"]
    assert keys(backend, "سیل", agencies=("crisis",), outlet_ids=(7,)) == ["item:1"]
    assert keys(backend, "سیل", date_from=date(2026, 3, 21)) == ["item:2"]        # from 1 Farvardin 1405
    assert keys(backend, "سیل", date_from=date(2026, 3, 20), date_to=date(2026, 3, 20)) == ["item:1"]
    assert keys(backend, "سیل", doc_types=("case",)) == []


def test_day_bounds_are_naive_utc_in_the_default_zone():
    start, end = naive_day_bounds(date(2026, 3, 21), date(2026, 3, 21))  # Asia/Tehran, UTC+03:30
    assert start == datetime(2026, 3, 20, 20, 30)
    assert end == datetime(2026, 3, 21, 20, 29, 59, 999999)


def test_newest_first_and_paging(backend):
    backend.index([doc(n, f"جلسه شورا {n}", published=datetime(2026, 1, n, 9)) for n in range(1, 26)])
    newest = [h.doc_id for h in backend.search(SearchRequest("جلسه", sort="newest", per_page=10)).hits]
    assert newest == list(range(25, 15, -1))
    second = backend.search(SearchRequest("جلسه", sort="newest", page=3, per_page=10))
    assert [h.doc_id for h in second.hits] == list(range(5, 0, -1))
    assert second.total == 25 and second.pages == 3
    relevance = backend.search(SearchRequest("جلسه", per_page=10))
    assert relevance.total == 25 and len(relevance.hits) == 10 and relevance.hits[0].score > 0


def test_words_that_stand_together_in_the_body_rank_higher(backend):
    """«شورای شهر» typed without quotes: the article where the two words stand together ranks
    above one that has each of them as often but apart (a council of the province, a city's
    streets), though neither title has them; sorted newest first, the dates decide alone."""
    apart = ("اعضای شورای استان در نشست امروز درباره بودجه گفتند و سپس از خیابان‌های شهر بازدید کردند. "
             "گزارش کامل نشست منتشر شد.")
    together = ("اعضای شورای شهر در نشست امروز درباره بودجه گفتند و سپس از خیابان‌های استان بازدید کردند. "
                "گزارش کامل نشست منتشر شد.")
    backend.index([doc(1, "نشست امروز", apart, published=datetime(2026, 3, 2, 8)),
                   doc(2, "نشست امروز", together, published=datetime(2026, 3, 1, 8))])
    assert keys(backend, "شورای شهر") == ["item:2", "item:1"]
    assert keys(backend, '"شورای شهر"') == ["item:2"]
    assert keys(backend, "شورای شهر", sort="newest") == ["item:1", "item:2"]


# What a press desk watching prices reads: the agentive «گر» written after a ZWNJ, joined and apart
# («تحلیل‌گران», as the 1,500 test articles write «فتنه‌گران», «نجات‌گران», «معامله‌گران»), beside
# «گران» (expensive) as a word, first in a compound, and inside a joined word.
PRICE_NEWS = {
    1: "تحلیل‌گران بازار ارز پیش‌بینی می‌کنند نرخ دلار تا پایان سال ثابت بماند",
    2: "به گفته تحلیلگران اقتصادی بازار مسکن همچنان در رکود است",
    3: "یک تحلیل‌گر مسائل اقتصادی گفت بازار سرمایه آرام است",
    4: "به باور برخی تحلیل گران تورم ماه آینده کاهش می‌یابد",
    5: "برخورد با گران‌فروشی در بازار میوه و تره‌بار تشدید شد",
    6: "قیمت برنج ایرانی در یک هفته دوباره گران شد",
    7: "کارگران کارخانه قند در اعتراض به تعویق حقوق تجمع کردند",
    8: "تحلیل داده‌های بازار نشان می‌دهد تقاضای مسکن کاهش یافته است",
    9: "گزارش تحلیل هزینه‌های خانوار منتشر شد",
}


def test_an_agentive_suffix_after_a_zwnj_is_no_word_of_its_own(backend):
    """«گران» (expensive) does not find «تحلیل‌گران» (analysts): 4 of its first 10 hits in the test
    articles held only such a word. It finds «گران‌فروشی» and «گران شد»; apart, «تحلیل گران» is two
    words as written (4). The analysts' three spellings find each other, the singular all three."""
    backend.index([doc(n, "اخبار اقتصادی", text) for n, text in PRICE_NEWS.items()])
    assert sorted(keys(backend, "گران")) == ["item:4", "item:5", "item:6"]
    analysts = ["item:1", "item:2", "item:4"]
    for query in ("تحلیل‌گران", "تحلیلگران", "تحلیل گران"):
        assert sorted(keys(backend, query)) == analysts, query
    for query in ("تحلیل‌گر", "تحلیلگر"):  # the plurals through their stem «~تحلیلگر»
        assert sorted(keys(backend, query)) == ["item:1", "item:2", "item:3"], query
    texts = {f"item:{n}": HitText("اخبار اقتصادی", text) for n, text in PRICE_NEWS.items()}
    hits = backend.search(SearchRequest("تحلیل‌گر"), lambda found: texts).hits
    assert "<mark>تحلیل‌گران</mark> بازار" in next(hit.snippet_html for hit in hits if hit.key == "item:1")


def test_total_counts_only_filtered_documents(backend):
    backend.index([doc(n, "بازدید استاندار", scope="local" if n % 3 == 0 else "national")
                   for n in range(1, 31)])
    result = backend.search(SearchRequest("بازدید", scopes=("local",), per_page=5))
    assert result.total == 10 and len(result.hits) == 5


def test_highlight_comes_from_database_text_and_escapes_everything_else(backend):
    body = "مدیر <b>آب</b> گفت: قطعی آب شرب در روستاها تا فردا ادامه دارد. " + "متن دیگر " * 60
    backend.index([doc(1, "قطعی آب <script>", body)])
    if isinstance(backend, WhooshBackend):
        assert "body" not in backend.schema.stored_names()  # the index keeps no body text
    fetched = []

    def fetch(hit_keys):
        fetched.extend(hit_keys)
        return {"item:1": HitText("قطعی آب <script>", body)}

    hit = backend.search(SearchRequest("قطعی آب -برق"), fetch).hits[0]
    assert fetched == ["item:1"]
    assert hit.title_html == "<mark>قطعی</mark> <mark>آب</mark> &lt;script&gt;"
    assert "&lt;b&gt;<mark>آب</mark>&lt;/b&gt;" in hit.snippet_html
    assert "<mark>قطعی</mark> <mark>آب</mark> شرب" in hit.snippet_html
    assert "<b>" not in hit.snippet_html and "برق" not in hit.snippet_html
    assert len(hit.snippet_html) < 700


def test_snippet_falls_back_to_the_lead_when_only_the_title_matches(backend):
    backend.index([doc(1, "واکسن آنفلوانزا", "توزیع در مراکز بهداشت " * 40)])
    hit = backend.search(SearchRequest("واکسن"), lambda k: {"item:1": HitText("واکسن آنفلوانزا",
                                                                             "توزیع در مراکز بهداشت " * 40)}).hits[0]
    assert hit.snippet_html.startswith("توزیع در مراکز بهداشت") and hit.snippet_html.endswith("…")


def test_a_body_that_is_the_title_again_gives_no_excerpt(backend):
    """Many feeds' description is the title: the result showed the title twice (a walk through the
    pages)."""
    backend.index([doc(1, "تانکر آب برای بخش مرکزی", "تانکر آب  برای بخش مرکزی")])
    hit = backend.search(SearchRequest("تانکر"), lambda k: {"item:1": HitText("تانکر آب برای بخش مرکزی",
                                                                              "تانکر آب  برای بخش مرکزی")}).hits[0]
    assert "<mark>تانکر</mark>" in hit.title_html and hit.snippet_html == ""


def test_query_fallback_warning_and_empty_query(backend):
    backend.index([doc(1, "قطعی آب")])
    result = backend.search(SearchRequest('"قطعی آب'))
    assert [h.key for h in result.hits] == ["item:1"]
    assert result.warnings and "گیومه" in result.warnings[0]
    assert backend.search(SearchRequest("   ")).hits == []


def test_missing_index_is_reported_not_created(tmp_path, engine):
    reader = engine(tmp_path / "none")
    result = reader.search(SearchRequest("آب"))
    assert result.index_missing and result.hits == []
    assert not (tmp_path / "none").exists()


def test_reader_cannot_write_and_sees_new_commits(tmp_path, engine, backend):
    now = [100.0]  # the reader's refresh clock, moved by hand: no real time window to miss
    backend.index([doc(1, "مسکن مهر")])
    reader = engine(tmp_path / "ix", refresh_seconds=0.2, clock=lambda: now[0])
    with pytest.raises(PermissionError):
        reader.index([doc(2, "مسکن ملی")])
    assert keys(reader, "مسکن") == ["item:1"]
    backend.index([doc(2, "مسکن ملی")])
    now[0] += 0.15
    assert keys(reader, "مسکن") == ["item:1"]  # the same searcher, within the refresh interval
    now[0] += 0.1
    assert sorted(keys(reader, "مسکن")) == ["item:1", "item:2"]  # past it: the new commit is seen


def test_verify_lists_missing_extra_and_stale(backend):
    docs = [doc(1, "الف"), doc(2, "ب"), doc(3, "پ")]
    backend.index(docs)
    expected = {d.key: d.version for d in docs}
    assert backend.verify(expected).ok
    changed = doc(2, "ب ویرایش‌شده")
    expected.update({"item:2": changed.version, "item:4": "v"})
    del expected["item:3"]
    report = backend.verify(expected)
    assert (report.missing, report.extra, report.stale) == (["item:4"], ["item:3"], ["item:2"])
    assert (report.index_count, report.db_count, report.ok) == (3, 3, False)


def test_rebuild_commits_in_batches_reports_progress_and_merges(tmp_path, engine):
    backend = engine(tmp_path / "ix", writable=True, procs=2)
    backend.index([doc(999, "سند قدیمی")])
    seen = []
    count = backend.rebuild((doc(n, f"خبر شماره {n}") for n in range(1, 651)),
                            lambda last, done: seen.append((last.key, done)), fresh=True, batch_size=300)
    assert count == 650 and seen == [("item:300", 300), ("item:600", 600), ("item:650", 650)]
    assert backend.doc_count() == 650 and keys(backend, "قدیمی") == []
    if engine is WhooshBackend:  # tantivy merges in its writer's threads
        segments = len(backend._index().reader().leaf_readers())
        backend.finish_rebuild()
        assert len(backend._index().reader().leaf_readers()) < segments
    else:
        backend.finish_rebuild()
    assert backend.search(SearchRequest("خبر", per_page=5)).total == 650


def test_replaced_whoosh_methods_give_whooshs_results(tmp_path):
    """The bisecting skip_to, the block ids decoded in C and the set-based exact phrase match
    what Whoosh itself finds."""
    from whoosh import query as wq
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from search_index.whoosh_backend import searching

    rng = random.Random(7)
    words = ["آب", "و", "برق", "گاز", "قطعی", "در", "شهر", "روستا", "از", "به"]
    backend = WhooshBackend(tmp_path / "ix", writable=True)
    texts = {n: " ".join(rng.choice(words) for _ in range(rng.randint(3, 400))) for n in range(1, 400)}
    backend.index([doc(n, "", text) for n, text in texts.items()])
    searcher = backend._searcher()

    def ids(query):
        return {hit["id"] for hit in searcher.search(query, limit=None)}

    for phrase in (["قطعی", "آب"], ["آب", "و", "برق"], ["در", "شهر", "و", "روستا"], ["گاز", "گاز"]):
        query = wq.Phrase("body", phrase)
        patched = ids(query)
        wq.Phrase.matcher = searching._whoosh_phrase_matcher
        try:
            original = ids(query)
        finally:
            wq.Phrase.matcher = searching._phrase_matcher
        assert patched == original, phrase
    for pair in (("قطعی", "روستا"), ("گاز", "به")):
        expected = {f"item:{n}" for n, text in texts.items() if set(pair) <= set(text.split())}
        assert ids(wq.And([wq.Term("body", w) for w in pair])) == expected
    matcher = searcher.reader().postings("body", "برق")
    assert isinstance(matcher, W3LeafMatcher)
    ours = []
    while matcher.is_active():  # block by block: the ids each block decodes, ours and Whoosh's
        matcher._read_ids()
        ours.append(matcher._ids)
        searching._whoosh_read_ids(matcher)
        assert matcher._ids == ours[-1]
        matcher._next_block()
    assert len(ours) > 1
    assert sum(map(len, ours)) == len({n for n, text in texts.items() if "برق" in text.split()})


def test_disjunction_max_scores_each_document_by_its_own_match(tmp_path):
    """Whoosh scored a document matched by one spelling with another document's score."""
    from whoosh import query as wq

    backend = WhooshBackend(tmp_path / "ix", writable=True)

    backend.index([doc(1, "", "روابطعمومی " + "متن " * 300), doc(2, "", "روابط عمومی"),
                   doc(3, "", "روابطعمومی روابطعمومی")])
    searcher = backend._searcher()
    alone = {h["id"]: h.score for q in (wq.Term("body", "روابط"), wq.Term("body", "روابطعمومی"))
             for h in searcher.search(q, limit=None)}
    dismax = {h["id"]: h.score for h in searcher.search(
        wq.DisjunctionMax([wq.Term("body", "روابط"), wq.Term("body", "روابطعمومی")]), limit=None)}
    assert dismax == pytest.approx(alone)
    assert dismax["item:1"] < dismax["item:3"]  # a long document with one mention ranks lower


def test_indexer_commits_merge_small_segments_only(tmp_path, monkeypatch):
    """Whoosh's merge rule alone merged most of a large rebuilt index in one worker commit."""
    from search_index import whoosh_backend

    monkeypatch.setattr(whoosh_backend, "SMALL_SEGMENT_DOCS", 5)
    backend = WhooshBackend(tmp_path / "ix", writable=True)
    backend.rebuild((doc(n, f"خبر {n}") for n in range(1, 181)), fresh=True, batch_size=6)
    assert len(backend._index().reader().leaf_readers()) == 30  # "large" segments of 6
    backend.index([doc(500, "خبر تازه")])
    assert len(backend._index().reader().leaf_readers()) == 31  # Whoosh's own rule: 26
    for n in range(501, 521):  # small segments are still merged, by Whoosh's rule
        backend.index([doc(n, "خبر تازه")])
    assert len(backend._index().reader().leaf_readers()) < 30 + 21
    assert backend.search(SearchRequest("تازه", per_page=5)).total == 21
