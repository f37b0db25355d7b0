"""Two dates typed as people shorten them (session 45's open items): days sharing one month joined by «یا»,
«۱۵ یا ۲۰ خرداد», searched «15» or «20 خرداد» (119 of the 1,500 articles, most with no «خرداد»); the thirtieth
in words written with a space, «سی ام اسفند», searched «سی», «ام» and «اسفند» anywhere, not the date. On both
engines and in a routing rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "سالروز قیام ۱۵ خرداد گرامی داشته شد",
    "item:2": "تجمع 20 خردادماه در میدان شهر",
    "item:3": "سالگرد دوم خرداد در تهران",
    "item:4": "از 15 کیلومتر جاده در 20 روستا در خرداد بازدید شد",  # the numbers and the month apart
    "item:5": "15 تیر جلسه شورا",  # the day with another month
    "item:6": "در سی‌ام اسفند جلسه برگزار شد",
    "item:7": "روز 30 اسفند تعطیل است",
    "item:8": "سی نفر از کارکنان ام القری در اسفند",  # «سی», «ام» and the month, no date
    "item:9": "مرحله دوم طرح آغاز شد",  # an ordinal with no month
    "item:10": "راهپیمایی 22 بهمن با شکوه برگزار شد",
    "item:11": "مراسم دوم بهمن در روستا",  # «دوم»: the last word of «بیست و دوم» alone
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("۱۵ یا ۲۰ خرداد", {"item:1", "item:2"}),
    ("15 یا 20 خردادماه", {"item:1", "item:2"}),
    ("۱۵ یا ۲۰ یا ۲ خرداد", {"item:1", "item:2", "item:3"}),
    ("دوم یا ۱۵ خرداد", {"item:1", "item:3"}),
    ("۱۵ یا ۳۰ اسفند", {"item:6", "item:7"}),
    # a day in words of two or three before «یا» is the whole day, not its last word (the review of session 46:
    # «بیست و دوم یا ۲۵ بهمن» searched «2 بهمن» or «25 بهمن», and «سی ام یا ۱۵ اسفند» «سی» and «ام» or «15 اسفند»)
    ("بیست و دوم یا ۲۵ بهمن", {"item:10"}),
    ("سی ام یا ۱۵ اسفند", {"item:6", "item:7"}),
    # a list with commas is a list of dates too («۱۵، ۲۰ یا ۲ خرداد» was «15» anywhere and «20 خرداد» or «2 خرداد»:
    # 1 of the 1,500 articles for the 11 of «۱۵ یا ۲۰ یا ۲۵ خرداد»; the review of session 46)
    ("۱۵، ۲۰ یا ۲ خرداد", {"item:1", "item:2", "item:3"}),
    ("15, 20 خرداد", {"item:1", "item:2"}),
    ("۱۵ خرداد، ۲۰ خرداد", {"item:1", "item:2"}),
    ("۱۵ ، دوم یا ۲۰ خرداد", {"item:1", "item:2", "item:3"}),
])

def test_days_sharing_one_month(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)


@pytest.mark.parametrize("query, expected", [
    ("سی ام اسفند", {"item:6", "item:7"}),
    ("سی ام اسفند ماه", {"item:6", "item:7"}),
    ('"سی ام اسفند"', {"item:6", "item:7"}),
    ("سی‌ام اسفند", {"item:6", "item:7"}),
])
def test_the_thirtieth_written_with_a_space(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)


@pytest.mark.parametrize("query, expected", [
    ("۱۵، روستا", {"item:4"}),  # a comma between words that make no dates is nothing, as before
    ("جاده، کیلومتر", {"item:4"}),
])
def test_a_comma_between_other_words_is_nothing(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
