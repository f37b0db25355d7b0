"""Word forms of index schema 36 (session 47; figures in bench/README.md, "Word forms, round 17"): the broken plurals
of four letters hazm tags plural — «عناصر» of «عنصر», «فرامین» of «فرمان» (the seventeenth set's dev half: the
singular found none of their articles), «تجارب», «شیاطین», «جداول», «اقالیم», «مساکین» — are forms of their
singular; «جماهیر» («اتحاد جماهیر شوروی») is not made «جمهور»'s, whose «رئیس جمهور» would answer it. «خویشان»
(relatives) is kept whole: it was read «خوی» + «شان» (their temper, or the town)."""
from __future__ import annotations

import pytest

from search_index.persian import normalize, stem
from search_index.query_terms import word_forms
from tests.search_index.engines_and_rules import assert_found_alike, both_engines


@pytest.mark.parametrize("word, expected", [
    ("عناصر", "عنصر"), ("فرامین", "فرمان"), ("تجارب", "تجربه"), ("شیاطین", "شیطان"), ("جداول", "جدول"),
    ("اقالیم", "اقلیم"), ("مساکین", "مسکین"),
    # with the indefinite «ی», as «افرادی» (stemmer rule 6): «عناصری از …»
    ("عناصری", "عنصر"), ("فرامینی", "فرمان"),
    # written in the Arabic letters
    ("عناصري", "عنصر"), ("شياطين", "شیطان"),
    # left out on purpose: «جماهیر» would ask every «رئیس جمهور»
    ("جماهیر", None),
    # «خویشان» (relatives) is no «خوی» (the town, temper) + «شان» (their): kept whole (session 46's note)
    ("خویشان", None),
    # look-alikes of the same letters stay whole (the set's unrelated pairs)
    ("تعارض", None), ("تبادل", None), ("عبارت", None), ("جماعت", None), ("سهامی", None), ("اماکن", "مکان"),
])
def test_the_forms(word, expected):
    assert stem(normalize(word)) == (normalize(expected) if expected else None)


def test_a_query_for_the_plural_asks_its_singular_too():
    assert word_forms(normalize("فرامین")) == [normalize(f) for f in ("~فرمان", "فرمان")]


TEXTS = {"item:1": "عناصر گروه تروریستی داعش دستگیر شدند", "item:2": "سه عنصر برنامه، سرمایه و مدیریت",
         "item:3": "اجرای فرامین رهبری", "item:4": "تجارب کشورهای دیگر بررسی شد",
         "item:5": "شیاطین سرخ در تابستان خرید می‌کنند", "item:6": "جداول لیگ برتر",
         "item:7": "فروپاشی اتحاد جماهیر شوروی", "item:8": "رئیس جمهور آمریکا", "item:9": "تعارض منافع", "item:10": "خویشان شهدا"}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("عنصر", {"item:1", "item:2"}), ("عناصر", {"item:1", "item:2"}),
    ("فرمان", {"item:3"}), ("تجربه", {"item:4"}), ("شیطان", {"item:5"}), ("جدول", {"item:6"}),
    ("جماهیر", {"item:7"}), ("جمهور", {"item:8"}),  # not made one word
    ("تعرض", set()),
    ("خوی", set()), ("خویشان", {"item:10"}),  # «تعارض» (conflict) is no form of «تعرض» (assault)
])
def test_both_engines_and_the_rules_find_the_forms(engines, query, expected):
    assert_found_alike(engines, TEXTS, query, expected)
