"""Word forms of index schema 32 (session 43; figures in bench/README.md, "weak-root plurals"): the
broken plurals of three letters («آرا»/«آراء» of «رأی», «علل» of «علت»), the broken plurals hazm's
lexicon tags that the shapes of schema 31 could not find (weak roots and the shapes «فعلا»,
«فعایا», «فعالی», «افعله»: «حواشی», «قضایا», «رقبا»), the agent noun of a verb with a preverb
(«فراگیران» of «فراگیر»), two surnames in «…یان» («حقیقیان», «عزیزیان») and the Arabic regular plurals
«…یون» and «…ین» of a participle in «م» («روحانیون», «مسلمین»; the thirteenth set's dev half)."""
from __future__ import annotations

import pytest

from search_index.persian import normalize, stem
from search_index.query_terms import word_forms
from tests.search_index.test_stemmer import finders


@pytest.mark.parametrize("word, expected", [
    ("آرا", "رای"), ("آراء", "رای"), ("علل", "علت"), ("قوا", "قوه"), ("سنن", "سنت"),
    ("سه", None), ("ملل", None),  # three letters, no listed plural («ملل» of «سازمان ملل» is left out)
])
def test_a_broken_plural_of_three_letters_gives_its_singular(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word, expected", [
    ("حواشی", "حاشیه"), ("معانی", "معنا"), ("قضایا", "قضیه"), ("هدایا", "هدیه"), ("جوایز", "جایزه"),
    ("احادیث", "حدیث"), ("رقبا", "رقیب"), ("وکلا", "وکیل"), ("ادعیه", "دعا"), ("حکام", "حاکم"),
    # left out: «عالم» is "world" in news, «ولی» "but", «امین» a first name, «وضع» imposing
    ("علما", None), ("اولیا", None), ("امنا", None), ("اوضاع", None),
])
def test_weak_root_broken_plurals_hazm_tags_give_their_singular(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word, forms", [
    ("آرا", ["~رای", "رای"]), ("علل", ["~علت", "علت"]), ("حواشی", ["~حاشیه", "حاشیه"]),
    # broken plurals that begin with their singular's letters («قو», «خط»), no singular + an ending
    ("قوا", ["~قوه", "قوه"]), ("بلایا", ["~بلا", "بلا"]), ("خطوط", ["~خط", "خط"]), ("فنون", ["~فن", "فن"]),
    ("مسئولین", ["~مسئول"]), ("کارخانجات", ["~کارخانه"]),  # the singular + «ین», «جات»: plurals only
])
def test_the_plural_asks_for_its_bare_singular(word, forms):
    assert word_forms(normalize(word)) == [normalize(f) for f in forms]


@pytest.mark.parametrize("word, expected", [
    ("فراگیران", "فراگیر"),  # learners: «فرا» + «گیر», a word of its own
    ("طلبان", None), ("نگاران", None), ("گیران", None),  # the agent halves of «اصلاح طلبان», «خبر نگاران»
    ("حقیقیان", None), ("عزیزیان", None),  # surnames, no plural of «حقیقی», «عزیزی»
    ("حامیان", "حامی"), ("مدعیان", "مدعی"), ("زندانیان", "زندانی"),
])
def test_agent_nouns_with_a_preverb_and_surnames_in_yan(word, expected):
    assert stem(normalize(word)) == expected


def test_search_and_rules_find_votes_and_causes_both_ways(tmp_path):
    texts = {"item:1": "شمارش آرا در این شهرستان", "item:2": "با 24 هزار رأی برنده شد",
             "item:3": "علل سقوط هواپیما", "item:4": "علت حادثه", "item:5": "دیدار با آقای حقیقیان"}
    for find in finders(tmp_path, texts):
        assert find("رای") == {"item:1", "item:2"}
        assert find("آراء") == {"item:1", "item:2"}
        assert find("علت") == {"item:3", "item:4"}
        assert find("علل") == {"item:3", "item:4"}
        assert find("حقیقی") == set()


@pytest.mark.parametrize("word", ["جهان‌آرا", "فرمان‌آرا", "فرش‌آرا"])
def test_ara_as_the_last_part_of_a_compound_is_the_stem_of_arastan_not_votes(word):
    from search_index.persian import tokenize

    assert "~رای" not in {token.text for token in tokenize(word)}


@pytest.mark.parametrize("word, expected", [
    ("روحانیون", "روحانی"), ("انقلابیون", "انقلابی"), ("افراطیون", "افراطی"), ("سیاسیون", "سیاسی"),
    ("مسلمین", "مسلم"), ("متدینین", "متدین"), ("منتقدین", "منتقد"), ("مجروحین", "مجروح"),
    # loanwords and words that merely end in the letters: «کامیون» is no «کامی» + «ون», «میلیون» a number
    ("کامیون", None), ("میلیون", None), ("کمیسیون", None), ("ماشین", None), ("سنگین", None), ("سومین", None),
])
def test_the_arabic_regular_plurals_yun_and_in_give_their_singular(word, expected):
    assert stem(normalize(word)) == expected


@pytest.mark.parametrize("word", [
    "مشایخی", "فضائلی",  # surnames (the composer «علیرضا مشایخی», «مهدی فضائلی»), no «مشایخ» or «فضائل» + «ی»
    "مبلغین",  # preachers (مُبَلِّغ): «مبلغ» in news is an amount of money (45 of the 1,500 articles)
    "محسنین",  # benefactors: «محسن» in news is the first name (42 articles)
])
def test_surnames_and_homographs_of_the_new_plurals_keep_their_own_word(word):
    """The code review of session 43: these became forms of «شیخ», «فضیلت», «مبلغ», «محسن» in schema 32."""
    assert stem(normalize(word)) is None


def test_search_and_rules_find_no_homograph_of_the_new_plurals(tmp_path):
    texts = {"item:1": "مهدی فضائلی کارشناس مسائل سیاسی", "item:2": "فضیلت علم",
             "item:3": "اعزام مبلغین به روستاها", "item:4": "وام به مبلغ 250 میلیون ریال",
             "item:5": "پاداش محسنین", "item:6": "محسن جعفری گفت", "item:7": "علیرضا مشایخی", "item:8": "شیخ"}
    for find in finders(tmp_path, texts):
        assert find("فضائلی") == {"item:1"}
        assert find("مبلغ") == {"item:4"}
        assert find("مبلغین") == {"item:3"}
        assert find("محسن") == {"item:6"}
        assert find("مشایخی") == {"item:7"}


def test_vehicles_are_no_middlemen(tmp_path):
    """«وسایط» is «وسایط نقلیه» (vehicles) in news, no plural of «واسطه» in its sense (a go-between, «حذف
    واسطه‌ها» of market news): kept whole as «بستگان» is (the code review of session 43)."""
    texts = {"item:1": "تردد وسایط نقلیه سنگین", "item:2": "حذف واسطه‌ها از بازار میوه"}
    for find in finders(tmp_path, texts):
        assert find("واسطه") == {"item:2"}
        assert find("وسایط") == {"item:1"}
