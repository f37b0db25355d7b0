"""Persian alphabetical order (search_index/collation.py): the alphabet where code points disagree,
Arabic forms and invisible marks folded, spaces, digits and Latin letters placed."""
from __future__ import annotations

import random

from search_index.collation import ALPHABET, sort_key


def test_the_alphabet_sorts_as_itself_whatever_the_code_points():
    letters = list(ALPHABET)
    shuffled = random.Random(7).sample(letters, len(letters))
    assert sorted(shuffled, key=sort_key) == letters
    assert sorted(letters) != letters  # the code points disagree (پ چ ژ ک گ, ه before و)


def test_arabic_forms_diacritics_tatweel_and_zwnj_do_not_move_a_name():
    assert sort_key("كريم")[0] == sort_key("کریم")[0]
    assert sort_key("مُحَمَّد")[0] == sort_key("محمد")[0] == sort_key("محـــمد")[0]
    assert sort_key("می\u200cشود")[0] == sort_key("میشود")[0]
    assert sort_key("روزنامهٔ شهر")[0] == sort_key("روزنامه شهر")[0]


def test_spaces_digits_and_latin_letters():
    names = ["IRNA news", "علیرضا", "علی رضایی", "۲۰ روزنامه", "3 رادیو", "  علی  رضا  "]
    assert sorted(names, key=sort_key) == ["۲۰ روزنامه", "3 رادیو", "  علی  رضا  ", "علی رضایی", "علیرضا",
                                           "IRNA news"]


def test_the_order_is_total():
    assert sort_key("كريم") != sort_key("کریم") and sorted(["كريم", "کریم"], key=sort_key) == sorted(["کریم", "كريم"], key=sort_key)
