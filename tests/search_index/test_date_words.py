"""A day's number typed before a solar month is a date: the two side by side, not the number anywhere and the
month anywhere (``query_syntax.date_units``; round 43's dev «۱۵ خرداد», session 44), on both engines and in a
routing rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "سالروز قیام ۱۵ خرداد گرامی داشته شد",
    "item:2": "مراسم 15 خردادماه در مصلی برگزار می‌شود",
    "item:3": "از 13 تا 15 خرداد ماه 34 نفر نجات یافتند",
    "item:4": "پانزده نفر در 14 خرداد به 15 روستا رفتند",  # the number and the month apart: no date asked
    "item:5": "15 کیلومتر جاده در خرداد ساخته شد",
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("۱۵ خرداد", {"item:1", "item:2", "item:3"}),
    # quoted, the same date with «ماه» joined, typed either way (the code review: it was the free words' only)
    ('"15 خرداد"', {"item:1", "item:2", "item:3"}), ('«۱۵ خردادماه»', {"item:1", "item:2", "item:3"}),
    ('"مراسم 15 خرداد"', {"item:2"}),
    # two days joined by «و» before one month are either date, as with «یا» (session 47, round 47's decision)
    ("۱۵ و ۱۶ خرداد", {"item:1", "item:2", "item:3"}), ("جاده خرداد", {"item:5"}),
    # «ماه» after the month, apart or joined, names the same date (the code review: «۱۵ خرداد ماه» asked «ماه»
    # anywhere and lost «15 خردادماه», «۱۵ خردادماه» lost «۱۵ خرداد»)
    ("۱۵ خرداد ماه", {"item:1", "item:2", "item:3"}), ("۱۵ خردادماه", {"item:1", "item:2", "item:3"}),
    ("۱۵ خرداد‌ماه", {"item:1", "item:2", "item:3"}), ('"۱۵ خرداد‌ماه"', {"item:1", "item:2", "item:3"}),
])
def test_a_day_and_its_month_are_searched_side_by_side(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
