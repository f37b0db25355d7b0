"""«فرمانداری» (the governorate) finds «فرماندار» (the governor) too, but ranks its own articles first (session 45's
open item): the title bonus gave a title naming the governor the full weight of the query's word, so «فرماندار
دشتی: …» ranked above an article whose lead names the governorate (round 45's dev, «فرمانداری» nDCG@10 0.666 /
0.597). On both engines."""
from __future__ import annotations

import pytest

from search_index.backend import IndexDoc, SearchRequest
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

DOCS = [
    ("item:1", "فرماندار دشتی: زلزله خسارتی نداشت", "فرماندار دشتی گفت زلزله دیشب خسارتی نداشت."),
    ("item:2", "ساخت ۱۱۰۰ واحد مسکونی روستایی", "به گزارش روابط عمومی فرمانداری خرم آباد، ۱۱۰۰ واحد ساخته می‌شود."),
    ("item:3", "جلسه شورای اداری", "فرماندار در جلسه شورای اداری سخن گفت."),
]


@pytest.mark.parametrize("engine", [WhooshBackend, TantivyBackend])
def test_the_office_ranks_above_its_holder(engine, tmp_path):
    backend = engine(str(tmp_path), writable=True)
    backend.rebuild([IndexDoc(key=k, doc_type="item", title=t, body=b) for k, t, b in DOCS], fresh=True)
    keys = [hit.key for hit in backend.search(SearchRequest("فرمانداری", per_page=10)).hits]
    assert keys[0] == "item:2" and set(keys) == {"item:1", "item:2", "item:3"}
    # the holder typed finds the office too, its own articles first, as before
    keys = [hit.key for hit in backend.search(SearchRequest("فرماندار", per_page=10)).hits]
    assert set(keys) == {"item:1", "item:2", "item:3"} and keys[-1] == "item:2"


@pytest.mark.parametrize("engine", [WhooshBackend, TantivyBackend])
def test_the_holder_named_often_in_the_body_ranks_below_the_office_named_once(engine, tmp_path):
    """No title decides here (both titles alike): the holder's far form weighs FORM_BOOST² (0.16), so three
    «فرماندار» in a short body stay below one «فرمانداری» in a long one; at FORM_BOOST (0.4) they ranked first on both
    engines (the review of session 46: the title-bonus test passed with either weight)."""
    filler = " ".join(["گزارش جلسه امروز در شهر برگزار شد و مردم حضور داشتند"] * 15)
    docs = [("item:1", "خبر شهرستان", "فرماندار گفت. فرماندار افزود. فرماندار تاکید کرد."),
            ("item:2", "خبر شهرستان", "به گزارش روابط عمومی فرمانداری، " + filler)]
    backend = engine(str(tmp_path), writable=True)
    backend.rebuild([IndexDoc(key=k, doc_type="item", title=t, body=b) for k, t, b in docs], fresh=True)
    assert [hit.key for hit in backend.search(SearchRequest("فرمانداری", per_page=10)).hits] == ["item:2", "item:1"]
