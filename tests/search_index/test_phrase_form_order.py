"""A quoted phrase's word forms are asked with the fewest words changed first, within the cap of
``MAX_FORM_VARIANTS`` (session 45): «"معاون سیاسی امنیتی استاندار"» has 32 sequences of forms, the holder's four filled
the first 16 and «معاونان … استانداری» (two words changed) was never asked. Both engines and a rule alike."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "معاونان سیاسی امنیتی استانداری تهران",
    "item:2": "معاون سیاسی امنیتی استاندار تهران",
    "item:3": "معاون امنیتی استانداری تهران",  # a word missing: no phrase
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ('"معاون سیاسی امنیتی استاندار"', {"item:1", "item:2"}),
    ('"معاون امنیتی استانداری"', {"item:3"}),
])
def test_the_forms_with_fewest_words_changed_come_first(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
