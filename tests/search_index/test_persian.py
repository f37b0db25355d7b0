"""The Persian text rules of DESIGN.md: normalization, tokens, clitics, stop words."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from search_index.persian import (
    ZWNJ,
    ascii_digits,
    is_stopword,
    normalize,
    normalize_for_storage,
    stopwords,
    to_persian_digits,
    tokenize,
)
from search_index.query_terms import join_clitics, query_tokens, query_words
from tests.conftest import shared_data

REPO = Path(__file__).resolve().parents[2]

# Every row of the DESIGN.md table: (input characters, what each becomes).
TABLE = [
    ("\u064a\u0649\u06d2\u06d3\u0626", "ی"),
    ("\u0643\u06aa\u06ab\u06ac\u06ad\u06ae", "ک"),
    ("\u0629\u06c0\u06c1\u06c2\u06c3\u06d5\u06be", "ه"),
    ("\u0622\u0623\u0625\u0671", "ا"),
    ("\u0624", "و"),
    ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
]


@pytest.mark.parametrize("chars, target", TABLE)
def test_table_letters_and_digits(chars, target):
    for i, char in enumerate(chars):
        expected = target if len(target) == 1 else target[i]
        assert normalize(char) == expected, f"U+{ord(char):04X}"
        assert normalize(f"ب{char}ب") == f"ب{expected}ب"


def test_table_separators():
    assert normalize("۳٫۵") == "3.5"
    assert normalize("۱٬۲۰۰٬۰۰۰") == "1200000"
    assert normalize("۲۰٪") == "20%"


@pytest.mark.parametrize("code", [*range(0x064B, 0x0660), 0x0670, *range(0x0610, 0x061B),
                                  *range(0x06D6, 0x06EE), 0x0640])
def test_table_harakat_quranic_marks_and_tatweel_removed(code):
    assert normalize(f"کتا{chr(code)}ب") == "کتاب"


@pytest.mark.parametrize("code", [0x200E, 0x200F, 0x200D, 0x200B, 0x00AD, 0xFEFF,
                                  *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_table_invisible_and_bidi_controls_removed(code):
    assert normalize(f"سلام{chr(code)}") == "سلام"
    assert normalize(f"سل{chr(code)}ام") == "سلام"


def test_nfkc_first_then_lower_case():
    assert normalize("\ufed9\ufe98\ufe8e\ufe8f") == "کتاب"  # presentation forms of «كتاب»
    assert normalize("\ufefb") == "لا"  # lam-alef ligature
    assert normalize("ＩＣＴ Café ﬁle") == "ict café file"
    assert normalize("\ufbfc") == "ی"  # Farsi yeh, isolated form


def test_zwnj_kept():
    assert normalize("مي\u200cشود") == "می\u200cشود"


def test_diacritics_and_tatweel_fold_to_plain_word():
    assert normalize("مُحَمَّد") == normalize("محمد") == "محمد"
    assert normalize("محـــــمد") == "محمد"
    assert normalize("قرآن") == normalize("قران")


def test_year_in_three_digit_scripts():
    assert normalize("۱۴۰۵") == normalize("١٤٠٥") == normalize("1405") == "1405"


def test_normalize_for_storage_is_gentle():
    text = "\u200fآقاي مُحَمَّد كريمي\u200c‌ها ۱۴۰۵\u202b"
    stored = normalize_for_storage(text)
    assert stored == "آقای مُحَمَّد کریمی\u200c‌ها ۱۴۰۵"
    assert "آ" in stored and "\u064f" in stored and ZWNJ in stored


def test_normalize_for_storage_drops_control_characters_but_tabs_and_line_breaks():
    """A NUL (PostgreSQL refuses it), a terminal's escape code, a bell: out; tab, LF and CR stay."""
    assert normalize_for_storage("علی\x00\x1b[2J\x07 رضا\t۱\r\n\x7fدوم") == "علی[2J رضا\t۱\r\nدوم"
    # C1 too: «\x9b» is a terminal's one-byte CSI (it passed the fold, and cases stored it); «\xa0» stays.
    assert normalize_for_storage("علی\x9b2J\x85رضا\x80\xa0دوم") == "علی2Jرضا\xa0دوم"


def test_normalize_for_storage_drops_invisible_characters_that_are_no_part_of_a_word():
    """A name imported with a zero-width space, a word joiner or a soft hyphen looked the same as the
    name without and was stored as another (a review of the directory commands, round 8); ZWNJ and
    ZWJ, which shape Persian words, stay."""
    assert normalize_for_storage("علی\u200bرضا\u2060یی\u00ad") == "علیرضایی"
    assert normalize_for_storage("می\u200cروم \u200d") == "می\u200cروم \u200d"


def test_ascii_digits_and_display_digits():
    assert ascii_digits("۱۴۰۵/۰۹/۰۵") == "1405/09/05"
    assert ascii_digits("١٤٠٥-9-5") == "1405-9-5"
    assert ascii_digits("۱٬۲۰۰٫۵") == "1200.5"
    assert to_persian_digits("1405/09/05") == "۱۴۰۵/۰۹/۰۵"
    assert to_persian_digits(42) == "۴۲"
    assert to_persian_digits("١٤") == "۱۴"


def terms(text):
    return [(t.text, t.pos, t.kind) for t in tokenize(text)]


def test_diacritic_word_is_not_dropped_and_offsets_cover_it():
    text = "دیدار مُحَمَّد با مردم"
    tokens = list(tokenize(text))
    assert [t.text for t in tokens] == ["دیدار", "محمد", "با", "مردم"]
    assert text[tokens[1].start:tokens[1].end] == "مُحَمَّد"


def test_token_offsets_index_the_original_text():
    text = "«مُحَمَّد» در روابط‌عمومیِ استانـــداری می شود؛ ۱۴۰۵ و كتاب‌هاي\u200fخوب"
    tokens = list(tokenize(text))
    assert tokens
    for t in tokens:
        original = text[t.start:t.end]
        if t.kind == "joined":
            original = original.replace(" ", "")
        assert normalize(original).replace(ZWNJ, "") == t.text, t


def test_zwnj_word_emits_parts_at_consecutive_positions_and_joins_at_first():
    assert terms("مدیر روابط‌عمومی استان") == [
        ("مدیر", 0, "word"),
        ("روابط", 1, "part"), ("روابطعمومی", 1, "joined"), ("عمومی", 2, "part"),
        ("استان", 3, "word"),
    ]



def test_the_ezafe_written_after_zwnj_is_no_part_of_the_word():
    """«توسعه‌ی پایدار» indexes as «توسعهٔ پایدار» and «توسعه پایدار» (schema 10): the word, then the
    next word at the next position; the word's offsets still cover its «‌ی»."""
    assert terms("توسعه‌ی پایدار") == terms("توسعهٔ پایدار") == terms("توسعه پایدار") == [
        ("توسعه", 0, "word"), ("پایدار", 1, "word")]
    assert [(t.start, t.end) for t in tokenize("توسعه‌ی پایدار")] == [(0, 7), (8, 14)]
    assert ("ی", 1, "part") in terms("خانه‌ی‌ها")  # only a last «ی» is the ezafe
    assert ("ی", 1, "part") in terms("کتاب‌ی")  # after another letter: a part, as before
    assert ("ی", 1, "word") in terms("توسعه، ی")  # after punctuation: a word, as before


def test_the_agentive_suffix_after_zwnj_is_one_word_with_the_part_before_it():
    """«تحلیل‌گران» indexes as «تحلیلگران» does (schema 25): no part «گران» (expensive), which
    found it; its stem «~تحلیلگر» is the term «تحلیل‌گر» asks for. A first part is a word of its
    own still («گران‌فروشی»), and a joined word is read as before («کارگران»)."""
    assert terms("تحلیل‌گران اقتصادی") == terms("تحلیلگران اقتصادی") == [
        ("تحلیلگران", 0, "word"), ("~تحلیلگر", 0, "stem"), ("اقتصادی", 1, "word")]
    assert [(t.start, t.end) for t in tokenize("تحلیل‌گران")] == [(0, 10), (0, 10)]
    for word in ("فتنه‌گر", "اصلاح‌گری", "فتنه‌گرانی", "اصلاح‌گرهای"):
        assert [t.text for t in tokenize(word) if t.kind != "stem"] == [word.replace(ZWNJ, "")], word
    assert ("گری", 0, "part") not in terms("تحلیل‌گری‌ها") and ("تحلیلگری", 0, "part") in terms("تحلیل‌گری‌ها")
    assert ("گران", 0, "part") in terms("گران‌فروشی")
    assert terms("کارگران") == [("کارگران", 0, "word"), ("~کارگر", 0, "stem")]
    assert query_words("تحلیل‌گران") == query_words("تحلیلگران") == ["تحلیلگران"]


def test_the_ezafe_written_apart_is_no_word():
    """«توسعه ی پایدار» (the ezafe after a space, 44 times in the 1,500 articles) indexes as
    «توسعه‌ی پایدار» does (schema 11): before, the «ی» took a position and the phrase «توسعه پایدار»
    did not find it."""
    assert terms("توسعه ی پایدار") == terms("توسعه‌ی پایدار") == [("توسعه", 0, "word"), ("پایدار", 1, "word")]
    assert terms("همه ی ما") == [("همه", 0, "word"), ("ما", 1, "word")]
    assert ("ی", 1, "word") in terms("کتاب ی")  # after another letter: a word, as before
    assert query_words("«توسعه ی پایدار»") == ["توسعه", "پایدار"]
    assert query_words("«توسعه‌ی پایدار»") == ["توسعه", "پایدار"]


def test_the_ezafe_written_as_a_hamza_alone_is_the_words_last_letter():
    """«روزنامهء شهر» (the ezafe as «ء», older typing of «روزنامهٔ»; 6 times in the 1,500 articles:
    «آيهء», «نيمهء», «رسالهء»…) indexes as «روزنامهٔ شهر» does (schema 17): it was the term «روزنامهء»,
    which «روزنامه» did not find. A hamza that is the word's own stays («جزء», «شیء», «ماءالشعیر»)."""
    assert terms("روزنامهء شهر") == terms("روزنامهٔ شهر") == [("روزنامه", 0, "word"), ("شهر", 1, "word")]
    assert [(t.start, t.end) for t in tokenize("روزنامهء شهر")] == [(0, 8), (9, 12)]  # offsets as written
    assert terms("نيمهء‌اول")[0][0] == "نیمه"
    for word in ("جزء", "شیء", "ماءالشعیر", "سوء"):
        assert terms(word) == [(word, 0, "word")]
    assert normalize("روزنامهء") == normalize("روزنامهٔ") == normalize("روزنامۀ") == "روزنامه"


def test_a_final_hamza_after_alef_is_left_out():
    """«هیأت امناء» missed «هیأت امنا» (a review of search, round 2); «ارتقاء», «اعضاء», «امضاء»,
    «شهداء» stand 235 times in the 1,500 articles beside the spelling without the hamza (schema 18)."""
    for written, plain in (("امناء", "امنا"), ("اعضاء", "اعضا"), ("ارتقاء", "ارتقا"), ("آراء", "ارا")):
        assert terms(written) == terms(plain) and terms(written)[0] == (plain, 0, "word")
    assert [(t.text, t.start, t.end) for t in tokenize("اعضاء شورا") if t.kind == "word"] == [
        ("اعضا", 0, 5), ("شورا", 6, 10)]  # offsets as written
    assert terms("ماءالشعیر") == [("ماءالشعیر", 0, "word")]  # inside a word: kept

def test_three_part_word_emits_every_contiguous_join():
    got = {(text, pos) for text, pos, kind in terms("بی‌توجهی‌ها") if kind == "joined"}
    assert got == {("بیتوجهی", 0), ("بیتوجهیها", 0), ("توجهیها", 1)}


def test_spaced_and_zwnj_clitic_index_alike():
    zwnj = sorted(terms("می‌شود"))
    assert sorted(terms("می شود")) == [(t, p, "word" if k == "part" else k) for t, p, k in zwnj]
    assert ("میشود", 0, "joined") in terms("می شود")
    assert ("کتابهای", 0, "joined") in terms("کتاب های")
    assert ("خانهای", 0, "joined") in terms("خانه ای")


def test_clitic_not_joined_across_punctuation_or_digits():
    assert all(kind != "joined" for _, _, kind in terms("می، شود"))
    assert all(kind != "joined" for _, _, kind in terms("۱۴۰۵ ها"))


def test_number_separators_stay_inside_a_number():
    assert [t for t, _, _ in terms("رشد ۳٫۵ درصدی و ۱٬۲۰۰ نفر در 2.5")] == [
        "رشد", "3.5", "درصدی", "و", "1200", "نفر", "در", "2.5"]


def test_positions_never_decrease_per_term():
    seen: dict[str, int] = {}
    for t in tokenize("می شود می‌شود کتاب‌ها کتاب ها " * 3):
        assert t.pos >= seen.get(t.text, -1)
        seen[t.text] = t.pos


def test_join_clitics_query_side():
    expected = ["میشود"]
    assert join_clitics(["می", "شود"]) == join_clitics(["می\u200cشود"]) == join_clitics(["میشود"]) == expected
    assert join_clitics(["نمی", "توان"]) == ["نمیتوان"]
    assert join_clitics(["کتاب", "ها"]) == join_clitics(["کتاب\u200cها"]) == ["کتابها"]
    assert join_clitics(["بزرگ", "ترین", "شهر"]) == ["بزرگترین", "شهر"]
    assert join_clitics(["روابط\u200cعمومی"]) == ["روابط\u200cعمومی"]
    assert join_clitics(["می", "شود"], sep=ZWNJ) == ["می\u200cشود"]


def test_query_words_and_query_tokens():
    assert query_words("می‌شود، كتاب!") == ["می\u200cشود", "کتاب"]
    assert [t.text for t in query_tokens("می شود روابط‌عمومی کتاب ها")] == [
        "میشود", "روابطعمومی", "کتابها"]


def test_stopwords_list_and_lookup():
    header = (Path(__file__).resolve().parents[2] / "search_index" / "stopwords_fa.txt").read_text(
        encoding="utf-8")
    assert "Lucene" in header and "BSD" in header
    assert is_stopword("و") and is_stopword("از") and is_stopword(normalize("براي"))
    assert not is_stopword("مردم") and not is_stopword("درمان")
    assert all(normalize(w) == w for w in stopwords())


def _news_titles():
    for path in sorted(shared_data("persian-news").glob("*.json")):
        yield from json.loads(path.read_text(encoding="utf-8"))


def test_real_articles_normalize_is_idempotent():
    count = 0
    for article in _news_titles():
        for text in [article["title"], article.get("abstract") or "", *article["paragraphs"]]:
            once = normalize(text)
            assert normalize(once) == once
        count += 1
    assert count >= 1000


def test_real_titles_arabic_and_persian_letters_normalize_equal():
    to_arabic = str.maketrans({"ی": "ي", "ک": "ك", "۰": "٠", "۴": "٤", "۵": "٥", "۶": "٦"})
    to_persian = str.maketrans({"ي": "ی", "ك": "ک"})
    checked = 0
    for article in _news_titles():
        words = article["title"].split()
        for word in words:
            arabic, persian = word.translate(to_arabic), word.translate(to_persian)
            assert normalize(arabic) == normalize(persian) == normalize(word)
            checked += arabic != persian
    assert checked > 1000
