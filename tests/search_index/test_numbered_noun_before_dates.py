"""A number after a noun that numbers things («ماده ۵», «بند ۳», «ساعت ۱۰») is no day of a list of dates (session 47's
review: «ماده ۵ و ۱۵ خرداد» was «ماده» and «5 خرداد» or «15 خرداد»): «و» stays «و» there (both asked). «یا» is left as
it was (an odd query either way). A list of days after another word is a list as before («مراسم ۱۵ و ۲۰ خرداد»). On both engines and in a routing
rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "به استناد ماده ۵ قانون، مراسم ۱۵ خرداد برگزار شد",
    "item:2": "اصلاح ماده ۱۰ آیین‌نامه در ۵ خرداد",  # «ماده» and «5 خرداد», no «ماده ۵»
    "item:3": "مراسم ۲۰ خرداد در مصلی",
    "item:4": "بند ۳ مصوبه و جلسه ۱۵ خرداد شورا",
    "item:5": "جلسه ساعت ۱۰ و نشست ۱۵ خرداد",
    "item:6": "دیدار ۱۰ خرداد استاندار",
    "item:7": "بند ۸ مصوبه ۳ خرداد",
    "item:8": "ساعت ۹ دیدار ۱۰ خرداد",
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("ماده ۵ و ۱۵ خرداد", {"item:1"}),
    ("بند ۳ و ۱۵ خرداد", {"item:4"}),
    ("ساعت ۱۰ و ۱۵ خرداد", {"item:5"}),
    ("مراسم ۱۵ و ۲۰ خرداد", {"item:1", "item:3"}),  # a list after another word: either date, as before
    ("۱۵ و ۲۰ خرداد", {"item:1", "item:3", "item:4", "item:5"}),
])
def test_a_numbered_noun_makes_no_day(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
