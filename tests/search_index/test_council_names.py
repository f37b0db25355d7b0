"""A local council by its short and its full name («شورای شهر», «شورای اسلامی شهر», «شوراهای اسلامی شهر»),
quoted, on both engines and in a routing rule alike (``spelling_families.COUNCILS``; round 43's dev, session 44)."""
from __future__ import annotations

import pytest

from tests.search_index.engines_and_rules import assert_found_alike, both_engines

TEXTS = {
    "item:1": "عضو شورای شهر گفت",
    "item:2": "رییس شورای اسلامی شهر قدس از تکمیل کانال خبر داد",
    "item:3": "تب انتخابات شوراهای اسلامی شهر و روستا",
    "item:4": "شورای نگهبان درباره آب شهر تهران",  # the two words apart: another council
    "item:5": "نماینده مجلس شورای اسلامی در شهر",  # the parliament
}
COUNCIL = {"item:1", "item:2", "item:3"}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    # free words: anywhere, and «شورای» asks for itself (the plural through the ezafe ranked worse: round 43's dev)
    ("شورای شهر", {"item:1", "item:2", "item:4", "item:5"}),
    ('"شورای شهر"', COUNCIL), ("«شورای اسلامی شهر»", COUNCIL),
    ('"شوراهای شهر"', COUNCIL), ('"مجلس شورای اسلامی"', {"item:5"}),
])
def test_a_council_is_found_by_its_short_and_its_full_name(backends, query, expected):
    assert_found_alike(backends, TEXTS, query, expected)
