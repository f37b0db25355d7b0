"""A verb's other forms (``search_index.verbs``) in a routing rule as in the search box (session 45): a rule
«ساختند» matched «پلی ساختند» only, while the search found «پل را ساخت» and «مدرسه می‌سازند» too; a rule
«می‌پذیرد» matched none of «پذیرفت», «نمی‌پذیرد», «بپذیرند»."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "پل را ساخت",
    "item:2": "پلی ساختند",
    "item:3": "مدرسه می‌سازند",
    "item:4": "ساختمان جدید",
    "item:5": "سازنده",
    "item:6": "درخواست را پذیرفت",
    "item:7": "نمی‌پذیرد",
    "item:8": "بپذیرند",
    "item:9": "راه حل را می‌یابد",
    "item:10": "روستا دچار بی‌آبی شد",
}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("ساختند", {"item:1", "item:2", "item:3"}), ("می‌سازند", {"item:1", "item:2", "item:3"}),
    ("پذیرفت", {"item:6", "item:7", "item:8"}), ("می‌پذیرد", {"item:6", "item:7", "item:8"}),
    ("ساختمان", {"item:4"}),
    # «بی‌آبی» typed with its ZWNJ is no «بیابی» (you find) of «یافتن»: it found «راه حل را می‌یابد», and in a rule
    # the starter pack's water rule went from 2 to 6 items of routing's dev half (P 1.0 → 0.33)
    ("بی‌آبی", {"item:10"}), ("کم‌آبی", set()),
])
def test_a_rule_reads_a_verbs_forms_as_search_does(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
