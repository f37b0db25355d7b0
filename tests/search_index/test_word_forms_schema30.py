"""Word forms of index schema 30 (session 42; figures in bench/README.md, "word forms, a twelfth set"):
a possessive after a noun hazm also tags a preposition («کنارش»), «…یان» of a first name in «ی» made of
a first name (a surname: «محمدیان»), an ezafe form the first names' file lists («احیای»), and place names ending in «ش» or «وی» and the county seats
(``data/county_seats_fa.txt``) kept whole."""
from __future__ import annotations

import pytest

from search_index.lexicon import county_seats, lexicon
from search_index.persian import normalize, stem
from tests.search_index.test_stemmer import finders


@pytest.mark.parametrize("word, expected", [
    ("کنارش", "کنار"), ("برابرش", "برابر"), ("اطرافش", "اطراف"), ("مقابلشان", "مقابل"), ("داخلش", "داخل"),
    ("برایش", None),  # «برای» is a preposition hazm tags noun besides, never adjective or adverb
    ("بینش", None), ("بالش", None),  # words of their own (insight, pillow): tagged
    ("الیش", None),  # «آلیش», a wrestling style (own_words_fa.txt), no «الی» + «ش»
])
def test_a_possessive_after_a_noun_hazm_also_tags_a_preposition(word, expected):
    assert stem(normalize(word)) == expected
    assert stem(normalize(word), possessive=False) is None  # the query asks for the form itself (rule 7)


@pytest.mark.parametrize("word, expected", [
    ("محمدیان", None), ("احمدیان", None), ("حیدریان", None), ("جعفریان", None),  # surnames
    ("حامیان", "حامی"), ("قاضیان", "قاضی"), ("راویان", "راوی"), ("والیان", "والی"),  # Arabic participles
    ("روحانیان", "روحانی"), ("فاطمیان", "فاطمی"), ("دانشگاهیان", "دانشگاهی"),
])
def test_yan_after_a_first_name_made_of_a_first_name_is_a_surname(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("word, expected", [("احیای", "احیا"), ("آقای", "اقا"), ("ادای", "ادا"), ("رویای", "رویا")])
def test_an_ezafe_form_the_first_names_file_lists_is_a_form_of_its_word(word, expected):
    assert stem(normalize(word)) == expected  # the twelfth set's dev half: «ادا» missed 7 articles of «ادای»
    assert stem(normalize(word), possessive=False) is None  # the query «آقای» asks for that form (rule 6)


@pytest.mark.parametrize("word", ["املش", "گیوی", "بختگان", "بخشیش", "اتریش", "مراکش", "ورزقان"])
def test_places_ending_in_a_clitic_or_county_seats_are_kept_whole(word):
    assert stem(normalize(word)) is None


def test_the_county_seats_give_their_names_not_the_common_words_of_them():
    seats = county_seats(lexicon().words)
    assert {"بختگان", "ورزقان", "گالیکش", "جرگلان"} <= seats
    assert not {"ازادگان", "بندر", "شهر", "و"} & seats  # «دشت آزادگان»: «آزادگان» stays the plural
    assert "دشتازادگان" not in seats  # joined, it is still also read «دشت آزادگان» (may_split)
    assert "محلات" not in seats  # tagged plural by hazm (the neighbourhoods first), as for GeoNames'
    assert stem("محلات") == "محله" and stem(normalize("آزادگان")) == "ازاده"


def test_search_and_rules_find_the_possessive_and_not_the_surname(tmp_path):
    texts = {"item:1": "در کنارش ایستاد", "item:2": "محمدمهدی حیدریان گفت"}
    for find in finders(tmp_path, texts):
        assert find("کنار") == {"item:1"}
        assert find("حیدری") == set()
