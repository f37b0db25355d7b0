"""More than one «یا» between dates, and a date of several words before one (the review of session 45): «بیست و
دوم بهمن یا ۱۳ آبان» stopped the search and a rule's saving with an IndexError, and «۱۵ خرداد یا ۲۰ خرداد یا ۲
خرداد» lost its second «یا» (the dates were read at the places of the query before its first dates were joined)
and found nothing. On both engines and in a routing rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "سالروز قیام ۱۵ خرداد گرامی داشته شد",
    "item:2": "تجمع 20 خردادماه در میدان شهر",
    "item:3": "سالگرد دوم خرداد در تهران",
    "item:4": "راهپیمایی بیست و دوم بهمن با حضور مردم",
    "item:5": "راهپیمایی روز ۱۳ آبان در تهران",
    "item:6": "از 15 کیلومتر جاده در 20 روستا در خرداد بازدید شد",  # the numbers and the month apart
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("۱۵ خرداد یا ۲۰ خرداد یا ۲ خرداد", {"item:1", "item:2", "item:3"}),
    ("۲ خرداد یا ۱۵ خرداد یا ۲۰ خرداد ماه", {"item:1", "item:2", "item:3"}),
    ("بیست و دوم بهمن یا ۱۳ آبان", {"item:4", "item:5"}),
    ("۱۳ آبان یا بیست و دوم بهمن", {"item:4", "item:5"}),
    ("بیست و دوم بهمن یا ۱۳ آبان یا ۱۵ خرداد", {"item:1", "item:4", "item:5"}),
    ("راهپیمایی بیست و دوم بهمن یا ۱۳ آبان", {"item:4", "item:5"}),
])
def test_each_date_beside_an_or_is_whole(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
