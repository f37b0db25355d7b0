"""Word forms of index schema 29 (session 41; figures in bench/README.md, "word forms, an eleventh set"):
the first part of a word written with a ZWNJ gives its own stem, «…یان» of an untagged «…ی» made of a
common noun that is no first name, a word of three letters + «ش», an infinitive + «ش»; both engines and
the routing rules find them alike."""
from __future__ import annotations

import pytest

from search_index.persian import STEM_MARK, normalize, stem, tokenize
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend
from tests.search_index.test_stemmer import finders


def stems(text: str) -> set[str]:
    return {t.text for t in tokenize(text) if t.kind == "stem"}


@pytest.mark.parametrize("text, expected", [
    ("صنایع‌دستی", {"صنعت"}),  # the tenth set's dev half: «صنعت» missed 5 articles writing only this
    ("مشکلات‌شان", {"مشکل"}), ("بازیکنان‌مان", {"بازیکن"}),  # a plural + a clitic after a ZWNJ had no stem
    ("کتاب‌ها", {"کتاب"}),  # a base before a suffix: the whole word's stem only, as before
    ("دانش‌آموختگان", {"دانشاموخته"}),  # «دانش» has no stem of its own
])
def test_the_first_part_of_a_word_of_several_parts_gives_its_own_stem(text, expected):
    assert stems(text) == {STEM_MARK + normalize(word) for word in expected}


def test_the_first_parts_stem_stands_at_the_first_parts_position():
    found = [(t.text, t.pos, t.start, t.end) for t in tokenize("صنایع‌دستی") if t.kind == "stem"]
    assert found == [(STEM_MARK + "صنعت", 0, 0, 5)]


@pytest.mark.parametrize("word, expected", [
    ("دانشگاهیان", "دانشگاهی"), ("بازاریان", "بازاری"), ("خاکیان", "خاکی"), ("زمینیان", "زمینی"),
    # surnames: made of a first name («کریم», «صادق», «غلام», «فرهنگ» too) or of a rarer word or a place
    ("کریمیان", None), ("صادقیان", None), ("غلامیان", None), ("فرهنگیان", None),
    ("نهاوندیان", None), ("طبیبیان", None), ("کبکیان", None), ("پیراهنیان", None),
    ("مسیولیان", None),  # a misspelt «مسئولان» (the seventh set): «مسئولان» is the noun's own plural
])
def test_yan_after_an_untagged_relational_adjective(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("word, expected", [
    ("سنش", "سن"), ("دلش", "دل"), ("حسش", "حس"), ("آبش", "اب"),
    ("جاش", None), ("کفش", None), ("روش", None), ("خوش", None), ("پاش", None), ("ایش", None),
    ("نوشتنش", "نوشتن"), ("رفتنش", "رفتن"),
    ("املش", None),  # a town (Amlash): the eleventh set's dev half (places_fa.txt since schema 30)
])
def test_a_possessive_after_a_short_word_or_an_infinitive(word, expected):
    assert stem(normalize(word)) == expected
    assert stem(normalize(word), possessive=False) is None  # the query asks for the form itself (rule 7)


TEXTS = {"item:1": "نمایشگاه صنایع‌دستی استان", "item:2": "حضور دانشگاهیان در همایش",
         "item:3": "پدرش در سنش نمی‌گنجید", "item:4": "سه سال بعد از نوشتنش منتشر شد",
         "item:5": "مسعود کریمیان گفت", "item:6": "توزیع نهال در املش"}


@pytest.mark.parametrize("engine", [WhooshBackend, TantivyBackend])
def test_both_engines_and_the_rules_find_the_new_forms(tmp_path, engine):
    searched, routed = finders(tmp_path, TEXTS, engine)
    for find in (searched, routed):
        assert find("صنعت") == {"item:1"}
        assert find("دانشگاهی") == {"item:2"}
        assert find("سن") == {"item:3"}
        assert find("نوشتن") == {"item:4"}
        assert find("کریمی") == set()
        assert find("امل") == set()
