"""Word forms of index schema 35 (session 46; figures in bench/README.md, "Word forms, round 16"): «رئوس» (main
points, heads) is the plural of «رأس» (the sixteenth set's dev half), «قوائم» of «قائمه» (it was «قوا» + «یم» →
«قوه»); a word of three letters, a common noun in «ا»/«و» + the ezafe, is that noun's form («پای کار» → «پا», «بوی»,
«موی», «نوی»; not «روی», «جوی», «قوی», «جای», «خوی»); «پایم» (my foot) is «پای» + «م» as «پایمان» is «پای» + «مان»:
«پاییدن» (to watch), whose present stem «پا» kept it whole, is a verb hazm's corpus barely holds and writes with
«می»; verbs that are common stay verbs («رویم», «نمایم», «بویم»)."""
from __future__ import annotations

import pytest

from search_index.persian import normalize, stem
from search_index.query_terms import word_forms
from tests.search_index.engines_and_rules import assert_found_alike, both_engines


@pytest.mark.parametrize("word, expected", [
    ("رئوس", "رأس"), ("رؤوس", "رأس"), ("قوائم", "قائمه"),
    ("پایم", "پا"), ("مویم", "مو"),
    ("پای", "پا"), ("بوی", "بو"), ("موی", "مو"), ("نوی", "نو"),
    # tagged words of their own, stop words, a number, a verb, the town «خوی» (temper): no form of the two letters
    ("روی", None), ("جوی", None), ("قوی", None), ("جای", None), ("سوی", None), ("توی", None), ("خوی", None),
    ("دوی", None), ("شوی", None), ("چای", None), ("گوی", None), ("رای", None),
    # a common verb's present stem + the glide + «م», bare or after a prefix: the verb's first person
    ("رویم", None), ("بویم", None), ("نمایم", None), ("شویم", None), ("گویم", None),
    ("می‌پایم", None), ("نمی‌پایم", None), ("برویم", None),
    # a word hazm tags adverb too, «بسا»: «بسایم» is «بسودن»'s (I touch), no «بسا» + «م»
    ("بسایم", None),
    # a noun hazm counts rarely («واگو» 11,502) whose verb hazm lacks («واگفتن»): «واگویم» is that verb's (I recount)
    ("واگویم", None),
    # a number word: «دویم» is the spoken «دوم» (second), no «دو» + «م»
    ("دویم", None),
    # «دعائم» (pillars) is written as «دعایم» (my prayer) once normalized: the live reading stays
    ("دعائم", "دعا"),
])
def test_the_forms(word, expected):
    assert stem(normalize(word)) == (normalize(expected) if expected else None)


def test_a_query_for_the_plural_asks_its_singular_too():
    assert word_forms(normalize("رئوس")) == [normalize(f) for f in ("~رأس", "رأس")]


def test_a_query_with_the_ezafe_asks_for_that_form():
    assert word_forms(normalize("پای")) == ["~پای"]  # rule 6 is left out on the query side


TEXTS = {"item:1": "رئوس برنامه‌های هفته بهزیستی اعلام شد", "item:2": "در رأس هیئت قرار دارد",
         "item:3": "قوائم اسب آسیب دید", "item:4": "قوه قضاییه", "item:5": "نمی‌توانم روی پایم بند شوم",
         "item:6": "همه پای کار آمدند", "item:7": "ما نمی رویم", "item:8": "جوی آب خشک شد",
         "item:9": "محور خوی - چایپاره", "item:10": "بوی بد زباله"}


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    return both_engines(TEXTS, tmp_path_factory)


@pytest.mark.parametrize("query, expected", [
    ("رأس", {"item:1", "item:2"}), ("رئوس", {"item:1", "item:2"}),
    ("قوه", {"item:4"}),  # «قوائم» (legs) is no form of «قوه» (power)
    ("قائمه", {"item:3"}),
    ("پای", {"item:5", "item:6"}), ("پا", {"item:5", "item:6"}), ("بو", {"item:10"}),
    ("جو", set()), ("خو", set()),  # «جوی» (a stream) is a word of its own, «خوی» a town
    ("رو", set()),  # «رویم» (we go) is no form of «رو»
])
def test_both_engines_and_the_rules_find_the_forms(engines, query, expected):
    assert_found_alike(engines, TEXTS, query, expected)
