"""A quoted date whose day is written in words around «و» («"بیست و دوم بهمن"», «"سی و یکم شهریور"») is the date
(the review of session 45): it asked its own words only, while «"۲۲ بهمن"», «"اول مهر"» and the words typed free
find every spelling of the day; its last two words were read as the date «دوم بهمن». On both engines and in a
routing rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "راهپیمایی بیست و دوم بهمن با حضور مردم",
    "item:2": "سالگرد 22 بهمن در استان",
    "item:3": "جشن بیست و دوم بهمن‌ماه",
    "item:4": "مراسم 2 بهمن در تهران",  # the second, no twenty-second
    "item:5": "قرارداد در سی و یکم شهریور امضا شد",
    "item:6": "پایان تابستان، 31 شهریور",
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ('"بیست و دوم بهمن"', {"item:1", "item:2", "item:3"}), ('"۲۲ بهمن"', {"item:1", "item:2", "item:3"}),
    ('"سی و یکم شهریور"', {"item:5", "item:6"}), ('"راهپیمایی بیست و دوم بهمن"', {"item:1"}),
    ('"دوم بهمن"', {"item:1", "item:3", "item:4"}),  # the words as written: «بیست و دوم بهمن» holds them
])
def test_a_quoted_day_in_two_words_is_the_date(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
