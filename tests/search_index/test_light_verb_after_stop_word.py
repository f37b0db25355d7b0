"""A light verb after a word of the stop list that it makes a verb of («ساخته می‌شود», «انجام می‌شود») is no word
to look for either (session 45): «ساخته می‌شود» searched «می‌شود» alone and found «جلسه برگزار می‌شود»; «پل ساخته
می‌شود» asked «می‌شود» beside «پل» and lost «پل ساخته شد». On both engines and in a routing rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "مدرسه ساخته می‌شود",
    "item:2": "جلسه برگزار می‌شود",
    "item:3": "پل ساخته شد",
    "item:4": "کار انجام شد",
    "item:5": "ارزیابی انجام می‌شود",
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    # only stop words and the light verb: every word as typed, as «ساخته شد» is searched
    ("ساخته می‌شود", {"item:1"}), ("انجام می‌شود", {"item:5"}), ("ساخته شد", {"item:3"}),
    ("پل ساخته می‌شود", {"item:3"}), ("ارزیابی انجام شد", {"item:5"}),
    ("برگزار می‌شود", {"item:2"}),  # as before: the light verb after a content word
])
def test_a_light_verb_after_a_stop_word_is_not_searched_alone(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
