"""Dates as an officer types them (round 45, session 45): two dates joined by «یا», a day in words («اول مهر»,
«بیست و دوم بهمن»), a day with a leading zero («۰۵ مرداد») and the month's old name «امرداد»; on both engines
and in a routing rule alike (``query_dates``)."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "سالروز قیام ۱۵ خرداد گرامی داشته شد",
    "item:2": "تجمع 20 خردادماه در میدان شهر",
    "item:3": "از 15 کیلومتر جاده در 20 روستا در خرداد بازدید شد",  # the numbers and the month apart
    "item:4": "مراسم اول مهر در مدارس برگزار شد",
    "item:5": "بازگشایی مدارس در یکم مهرماه",
    "item:6": "راهپیمایی بیست و دوم بهمن با حضور مردم",
    "item:7": "سالگرد 22 بهمن در استان",
    "item:8": "جلسه 5 مرداد در استانداری",
    "item:9": "قرارداد در امرداد امضا شد",
    "item:10": "مهر و موم صندوق‌ها در 1 روستا",  # «1» and «مهر» apart
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    # «یا» between two dates: each date whole (it was «15» and «خرداد» or «20» and «خرداد»: item 3 found, item 2 not)
    ("۱۵ خرداد یا ۲۰ خرداد", {"item:1", "item:2"}), ("۲۰ خرداد یا ۱۵ خرداد", {"item:1", "item:2"}),
    ("۱۵ خرداد ماه یا ۲۲ بهمن", {"item:1", "item:6", "item:7"}),
    ("۲۲ بهمن یا اول مهر", {"item:4", "item:5", "item:6", "item:7"}),
])
def test_two_dates_joined_by_or_are_each_a_date(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)


@pytest.mark.parametrize("query, expected", [
    ("اول مهر", {"item:4", "item:5"}), ("۱ مهر", {"item:4", "item:5"}), ('"اول مهر"', {"item:4", "item:5"}),
    ("یکم مهر ماه", {"item:4", "item:5"}),
    ("بیست و دوم بهمن", {"item:6", "item:7"}), ("۲۲ بهمن", {"item:6", "item:7"}),
])
def test_a_day_in_words_is_the_same_date(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)


@pytest.mark.parametrize("query, expected", [
    ("۰۵ مرداد", {"item:8"}), ('"۰۵ مرداد"', {"item:8"}), ("۵ امرداد", {"item:8"}),
    ("امرداد", {"item:8", "item:9"}), ("مرداد", {"item:8", "item:9"}),
])
def test_a_leading_zero_and_the_months_old_name(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
