"""A day's number typed before a solar month is a date: the two side by side, not the number anywhere and the
month anywhere (``query_syntax.date_units``; round 43's dev «۱۵ خرداد», session 44), on both engines and in a
routing rule alike."""
from __future__ import annotations

import pytest

from app.rules.analysis import analyze_item
from app.rules.matcher import compile_rule, matches
from search_index.backend import IndexDoc, SearchRequest
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

TEXTS = {
    "item:1": "سالروز قیام ۱۵ خرداد گرامی داشته شد",
    "item:2": "مراسم 15 خردادماه در مصلی برگزار می‌شود",
    "item:3": "از 13 تا 15 خرداد ماه 34 نفر نجات یافتند",
    "item:4": "پانزده نفر در 14 خرداد به 15 روستا رفتند",  # the number and the month apart: no date asked
    "item:5": "15 کیلومتر جاده در خرداد ساخته شد",
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    """Whoosh and tantivy over ``TEXTS``, built once for the module."""
    built = []
    for engine in (WhooshBackend, TantivyBackend):
        backend = engine(str(tmp_path_factory.mktemp(engine.__name__)), writable=True)
        backend.rebuild([IndexDoc(key=k, doc_type="item", title="عنوان", body=v) for k, v in TEXTS.items()], fresh=True)
        built.append(backend)
    return built


@pytest.mark.parametrize("query, expected", [
    ("۱۵ خرداد", {"item:1", "item:2", "item:3"}),
    # quoted, the same date with «ماه» joined, typed either way (the code review: it was the free words' only)
    ('"15 خرداد"', {"item:1", "item:2", "item:3"}), ('«۱۵ خردادماه»', {"item:1", "item:2", "item:3"}),
    ('"مراسم 15 خرداد"', {"item:2"}),
    ("۱۵ و ۱۶ خرداد", set()), ("جاده خرداد", {"item:5"}),
    # «ماه» after the month, apart or joined, names the same date (the code review: «۱۵ خرداد ماه» asked «ماه»
    # anywhere and lost «15 خردادماه», «۱۵ خردادماه» lost «۱۵ خرداد»)
    ("۱۵ خرداد ماه", {"item:1", "item:2", "item:3"}), ("۱۵ خردادماه", {"item:1", "item:2", "item:3"}),
    ("۱۵ خرداد‌ماه", {"item:1", "item:2", "item:3"}), ('"۱۵ خرداد‌ماه"', {"item:1", "item:2", "item:3"}),
])
def test_a_day_and_its_month_are_searched_side_by_side(backends, query, expected):
    for backend in backends:
        assert {hit.key for hit in backend.search(SearchRequest(query, per_page=10)).hits} == expected, backend
    assert {k for k, v in TEXTS.items() if matches(compile_rule(query), analyze_item("عنوان", v))} == expected
