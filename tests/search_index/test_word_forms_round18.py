"""Word forms, round 18 (session 48; figures in bench/README.md, "Word forms, round 18"): a listed broken plural
that is also a word of its own with regular plurals — «مراجع» (authorities, the plural of «مرجع»; and the
participle «مُراجِع», one who calls, whose plurals «مراجعین», «مراجعان» the stemmer reads as «~مراجع») — asks
its own regular plurals beside its singular's forms: the query «مراجع» missed «مراجعین» (the eighteenth set's
dev half, 0/2). The singular «مرجع» does not find the visitors. No index term changes (no schema bump)."""
from __future__ import annotations

import hashlib
import json

import pytest

from search_index.persian import normalize
from search_index.query_terms import word_forms
from tests.conftest import REPO
from tests.search_index.engines_and_rules import assert_found_alike, both_engines


@pytest.mark.parametrize("word, forms", [
    ("مراجع", ("~مرجع", "مرجع", "~مراجع")),  # «مراجعین», «مراجعان» give «~مراجع»
    # the double plural «امورات» is «امر»'s (the fifth set's label), not asked by «امور»
    ("امور", ("~امر", "امر")),
    # a broken plural whose regular plurals are no word the stemmer reads as its own: unchanged
    ("فرامین", ("~فرمان", "فرمان")), ("مدارس", ("~مدرسه", "مدرسه")),
    # the singular and a regular word: unchanged
    ("مرجع", ("~مرجع",)), ("تانکر", ("~تانکر",)),
])
def test_the_query_forms(word, forms):
    assert word_forms(normalize(word)) == [normalize(f) for f in forms]


TEXTS = {"item:1": "کل مراجعین به پایگاه‌های انتقال خون استان", "item:2": "مراجعان به مراکز درمانی افزایش یافت",
         "item:3": "مراجع تقلید در قم", "item:4": "مرجع رسیدگی به شکایات", "item:5": "امورات جاری استان",
         "item:6": "مراجعه به دادگاه"}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("مراجع", {"item:1", "item:2", "item:3", "item:4"}),
    ("مرجع", {"item:3", "item:4"}),  # the singular does not find the visitors
    ("مراجعین", {"item:1", "item:2"}),
    ("امور", set()),
    ("مراجعه", {"item:6"}),
])
def test_both_engines_and_the_rules_find_the_forms(engines, query, expected):
    assert_found_alike(engines, TEXTS, query, expected)


def test_the_eighteenth_set_is_halved_by_the_sha256_of_its_base():
    """The set's ``half`` is the parity of the last byte of the SHA-256 of the base (even = dev), as
    ``bench/morphology/eighteenth.py`` draws it; the earlier sets used sha1."""
    lines = (REPO / "bench" / "morphology" / "eighteenth.jsonl").read_text(encoding="utf-8").splitlines()
    pairs = [json.loads(line) for line in lines]
    assert len(pairs) == 60
    for pair in pairs:
        even = hashlib.sha256(pair["base"].encode("utf-8")).digest()[-1] % 2 == 0
        assert pair["half"] == ("dev" if even else "test"), pair
