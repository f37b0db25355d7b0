"""Word forms of index schema 34 (session 45; figures in bench/README.md, "a fifteenth set"): «م» (my) written
joined after a word in «ا»/«و» and the glide «ی» («زانویم», «صدایم»), «تان» (your) after a word's «ی»
(«گرامیتان», «فدایتان»), not a verb's first person plural («برویم», «می‌گویم») nor the Arabic «…یت»
(«اولویت» misspelt «الویت»); «آثاری» (a tagged spelling hazm's corpus never met) is «آثار» + the indefinite «ی»."""
from __future__ import annotations

import pytest

from search_index.persian import normalize, stem
from search_index.query_terms import word_forms
from tests.search_index.engines_and_rules import assert_found_alike, both_engines


@pytest.mark.parametrize("word, expected", [
    ("زانویم", "زانو"), ("صدایم", "صدا"), ("بابایم", "بابا"), ("عمویم", "عمو"), ("دانشجویم", "دانشجو"),
    ("گرامیتان", "گرامی"), ("فدایتان", "فدا"), ("ندایتان", "ندا"), ("زندگیتان", "زندگی"),
    ("آثاری", "اثر"),
    # a verb's first person plural: the present stem before the glide, bare or after «ب», «ن», «می», «نمی»
    ("برویم", None), ("شویم", None), ("بگویم", None), ("گویم", None), ("نمایم", None), ("بدویم", None),
    ("میگویم", None), ("نمیرویم", None),
    # a present stem verbs.dat lists with its glide, «آرای» (adorn), «واگوی» (retell): «آرایم» is no «آرا» (votes)
    ("آرایم", None), ("واگویم", None),
    # the Arabic abstract «…یت» and tagged words are no «…» + «ی» + «ت»/«م»
    ("الویت", None), ("هویت", None), ("عضویت", None), ("رضایت", None), ("تقویم", None), ("قایم", None),
    # a plural hazm tags, «غنائم» (spoils, of «غنیمت»), is no «غنا» (wealth) + «ی» + «م» (review5)
    ("غنائم", None), ("غنایم", None),
    # tagged or listed: unchanged
    ("احکامی", None), ("تجاری", None), ("خدامی", None),
])
def test_a_clitic_after_a_long_vowel_gives_its_word(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word, forms", [
    ("زانویم", ["~زانویم"]),  # a query with a clitic asks for that form (rule 9, as rule 7)
    ("آثاری", ["~اثر", "اثر"]),  # a broken plural + «ی» asks for the bare singular too (schema 31)
])
def test_what_a_query_asks_for(word, forms):
    assert word_forms(normalize(word)) == [normalize(f) for f in forms]


TEXTS = {"item:1": "گذاشتم روی زانویم", "item:2": "درد زانو", "item:3": "اخوی گرامیتان درگذشت",
         "item:4": "باید به سمت تکامل پیش برویم", "item:5": "آثاری از دوران ساسانی کشف شد",
         "item:6": "این اثر هنری", "item:7": "می‌گویم که میگو گران است", "item:8": "الویت دولت",
         "item:9": "صدای آلو را شنیدم", "item:10": "غنائم جنگی به دست آمد",
         "item:11": "خانه را با گل می‌آرایم"}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("زانو", {"item:1", "item:2"}), ("زانویم", {"item:1"}), ("گرامی", {"item:3"}),
    ("اثر", {"item:5", "item:6"}), ("آثاری", {"item:5", "item:6"}),
    ("برو", set()), ("میگو", {"item:7"}), ("الو", {"item:9"}),  # «آلو» (plum), not «الویت»
    ("غنا", set()),  # «غنائم», spoils, is no form of «غنا», wealth
    ("رای", set()),  # «می‌آرایم», I adorn, is no form of «رای», a vote («آرا»)
])
def test_both_engines_and_the_rules_find_the_forms(engines, query, expected):
    assert_found_alike(engines, TEXTS, query, expected)
