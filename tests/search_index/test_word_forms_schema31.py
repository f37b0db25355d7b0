"""Broken plurals of index schema 31 (session 42; figures in bench/README.md, "broken plurals"): a
broken plural's query also asks for its bare singular («مدارس» finds «مدرسه»), and the plurals hazm's
lexicon tags that the team's list lacked («سطوح», «متون», «تعالیم») are forms of their singular."""
from __future__ import annotations

import pytest

from search_index.persian import normalize, stem
from search_index.query_terms import word_forms
from tests.search_index.test_stemmer import finders


@pytest.mark.parametrize("word, expected", [
    ("سطوح", "سطح"), ("متون", "متن"), ("تعالیم", "تعلیم"), ("اعماق", "عمق"), ("تفاسیر", "تفسیر"),
    ("آرای", "رای"), ("اعلام", None), ("مشاغل", "شغل"),  # «اعلام», announce, is no plural of «علم»
])
def test_broken_plurals_hazm_tags_give_their_singular(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word, forms", [
    ("مدارس", ["~مدرسه", "مدرسه"]), ("افرادی", ["~فرد", "فرد"]), ("قوانین", ["~قانون", "قانون"]),
    ("مسئولین", ["~مسئول"]), ("گزارشات", ["~گزارش"]),  # the singular + an ending: a plural asks for plurals
    ("مدرسه‌ها", ["~مدرسه"]), ("مدرسه", ["~مدرسه"]),
])
def test_a_broken_plural_asks_for_its_bare_singular(word, forms):
    assert word_forms(normalize(word)) == [normalize(f) for f in forms]


def test_search_and_rules_find_the_singular_from_the_broken_plural(tmp_path):
    texts = {"item:1": "بازگشایی مدرسه در پاییز", "item:2": "مدارس شهر تعطیل شد", "item:3": "مدرس دانشگاه"}
    for find in finders(tmp_path, texts):
        assert find("مدارس") == {"item:1", "item:2"}
        assert find("مدرسه") == {"item:1", "item:2"}
