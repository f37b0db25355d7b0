"""Word forms of index schema 33 (session 44; figures in bench/README.md, "a fourteenth set"): the Arabic
regular plurals «…ین» of a participle فاعل («واقفین», «غاصبین»), «مبلغان» (preachers) kept whole, the
surnames made of a «فعّال» plural + «ی» («خدامی», «عشاقی», «زواری») no forms of the singular, and «جوانب»
(aspects) no longer asking for the bare «جانب», which news writes in «از جانب» (by)."""
from __future__ import annotations

import pytest

from search_index.persian import normalize, stem
from search_index.query_terms import word_forms
from tests.search_index.test_stemmer import finders


@pytest.mark.parametrize("word, expected", [
    ("واقفین", "واقف"), ("غاصبین", "غاصب"), ("حاضرین", "حاضر"), ("عاملین", "عامل"), ("ناظرین", "ناظر"),
    ("واجدین", "واجد"), ("سارقین", "سارق"), ("سایرین", "سایر"), ("سائرین", "سایر"),
    ("ساکنین", "ساکن"), ("زائرین", "زایر"),  # listed before: unchanged
    # names, the Quran's «صادقین», the dual «والدین» (parents), adjectives in «ین», a shorter or Persian base
    ("عابدین", None), ("کاظمین", None), ("صادقین", None), ("والدین", None), ("راستین", None),
    ("واپسین", None), ("جانشین", None), ("پارچین", None), ("داروین", None), ("داوطلبین", None),
    # a verb's past stem + the spoken «ین» (you, plural) is no participle: «داشتین» is no «داشت» (the code review)
    ("داشتین", None), ("ساختین", None), ("بافتین", None),
])
def test_the_plural_in_of_a_participle_faail_gives_its_singular(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word, expected", [
    ("خدامی", None), ("عشاقی", None), ("زواری", None), ("کفاری", None), ("تجاری", None),  # surnames, adjectives
    ("خدام", "خادم"), ("زوار", "زایر"),  # the plural itself still is one
    ("افرادی", "فرد"), ("موادی", "ماده"), ("نقاطی", "نقطه"), ("مدارسی", "مدرسه"),  # plurals + the indefinite «ی»
    ("مبلغان", None), ("مبلغین", None),  # preachers: «مبلغ» in news is an amount of money
])
def test_a_fuaal_plural_with_ye_is_a_surname_and_preachers_keep_their_word(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word, forms", [
    ("جوانب", ["~جانب"]), ("مدارس", ["~مدرسه", "مدرسه"]), ("خدامی", ["~خدامی"]), ("افرادی", ["~فرد", "فرد"]),
])
def test_what_a_query_asks_for(word, forms):
    assert word_forms(normalize(word)) == [normalize(f) for f in forms]


def test_search_and_rules(tmp_path):
    texts = {"item:1": "واقفین به این موضوع", "item:2": "او واقف است", "item:3": "مراسم خادمین حرم",
             "item:4": "گفت‌وگو با آقای خدامی", "item:5": "اعزام مبلغان به روستاها", "item:6": "وام به مبلغ 250 میلیون ریال",
             "item:7": "همه جوانب طرح بررسی شد", "item:8": "از جانب دولت اعلام شد"}
    for find in finders(tmp_path, texts):
        assert find("واقف") == {"item:1", "item:2"}
        assert find("خادم") == {"item:3"}
        assert find("خدامی") == {"item:4"}
        assert find("مبلغ") == {"item:6"}
        assert find("مبلغان") == {"item:5"}
        assert find("جوانب") == {"item:7"}
        assert find("جانب") == {"item:7", "item:8"}
