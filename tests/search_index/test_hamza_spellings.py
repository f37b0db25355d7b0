"""Hamza spellings (session 48, round 18; figures in bench/README.md, "Word forms, round 18"): «جزء» (a part, one of)
is also written «جزو», as the Academy of Persian spells it, and the analysis related neither to the other (the
corpus' 17 articles of «جزء» and 41 of «جزو»); both are searched together, as a family of spellings (query side,
no rebuild). «جز» (but, except) and «جزوه» (a pamphlet) stay other words; «سوءاستفاده» / «سواستفاده» and
«مسأله» / «مساله» were one already and stay so."""
from __future__ import annotations

import pytest

from search_index.spelling_families import spelling_family
from tests.search_index.engines_and_rules import assert_found_alike, both_engines


@pytest.mark.parametrize("word, expected", [
    ("جزء", {("جزء",), ("جزو",)}), ("جزو", {("جزء",), ("جزو",)}),
    ("جزوها", {("جزءها",), ("جزوها",)}),
    ("جز", set()), ("جزوه", set()),
])
def test_the_family(word, expected):
    assert set(spelling_family(word)) == expected


TEXTS = {"item:1": "این طرح جزء برنامه‌های استان است", "item:2": "شهرستان جزو مناطق محروم است",
         "item:3": "همه جز یک نفر آمدند", "item:4": "جزوه آموزشی چاپ شد",
         "item:5": "سوءاستفاده از اموال عمومی", "item:6": "سواستفاده مالی", "item:7": "این مسأله حل شد",
         "item:8": "این مساله حل شد"}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("جزء", {"item:1", "item:2"}), ("جزو", {"item:1", "item:2"}),
    ("جز", {"item:3"}), ("جزوه", {"item:4"}),
    ("سوءاستفاده", {"item:5", "item:6"}), ("سواستفاده", {"item:5", "item:6"}),
    ("مساله", {"item:7", "item:8"}), ("مسأله", {"item:7", "item:8"}),
])
def test_both_engines_and_the_rules_find_every_spelling(engines, query, expected):
    assert_found_alike(engines, TEXTS, query, expected)
