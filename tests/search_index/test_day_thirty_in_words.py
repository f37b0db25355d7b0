"""The thirtieth day in words, «سی‌ام», as a date (the review of session 45): the index reads «سی‌ام» as «سی» and
«ام» (and «سیام» at the first's place), so the date «۳۰ اسفند» asked «سیام اسفند» side by side and found no «سی‌ام
اسفند» on either engine, though a rule matched it; «سی‌ام اسفند» typed as written found it before the ordinal days
(81b2b7c2) and nothing after. On both engines and in a routing rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "در سی‌ام اسفند جلسه برگزار شد",
    "item:2": "روز 30 اسفند تعطیل است",
    "item:3": "سی ام اسفند ماه",
    "item:4": "سی نفر در اسفند",  # «سی» (thirty) and the month, no date
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("سی‌ام اسفند", {"item:1", "item:2", "item:3"}), ("۳۰ اسفند", {"item:1", "item:2", "item:3"}),
    ('"۳۰ اسفند"', {"item:1", "item:2", "item:3"}), ("۳۰ اسفند یا ۱ فروردین", {"item:1", "item:2", "item:3"}),
])
def test_the_thirtieth_in_words_is_the_date(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
