"""Two words that are halves of one: which neighbours of a query make one word, typed apart, joined
or with a ZWNJ (``query_syntax.free_word_units`` joins them, ``spellings.lexicon_splits`` and the
routing matcher split a joined one). A stop word is a half only where listed here, a content word
where hazm's lexicon has the whole.
"""
from __future__ import annotations

from search_index.lexicon import lexicon
from search_index.persian import ZWNJ, is_stopword


def joinable(word: str) -> bool:
    """A word that may be joined to its neighbour as a compound (no ZWNJ, not a stop word)."""
    return word.isalpha() and ZWNJ not in word and not is_stopword(word)


def after_article(word: str) -> bool:
    """A second half that begins with the Arabic article («المللی» of «بین‌المللی», «الهی» of
    «غیرالهی»): it stands after its first half only, so it joins the word before it even when
    that is a stop word («بین», «غیر», «فوق»)."""
    return len(word) >= 4 and word.startswith("ال")


# Stop words that begin compounds written apart or joined («پیش بینی», «هم زمان», «غیر مترقبه», «بی کار»,
# «پس انداز», «زیر ساخت», «فوق العاده», «چند جانبه», «سه شنبه», «چهار محال»), and the one that ends the
# commonest («خاطر نشان»).
# Not every stop word of the lexicon: «قرار» + «داد» is «قرار داد» (placed), no «قرارداد» (contract),
# «بر» + «نامه», «به» + «داشت», «بن» + «در» no «برنامه», «بهداشت», «بندر» (the review of this change).
# «نشان دهنده» (the lexicon's «نشاندهنده»; «نشان داد» is no compound of it), «نخست وزیر», «ولی فقیه»
# («نخستوزیر» typed joined missed 31 of the 50 test articles, «ولیفقیه» 27 of 41).
COMPOUND_FIRST_HALVES = frozenset({"پیش", "هم", "غیر", "بی", "پس", "زیر", "فوق", "چند", "سه", "چهار", "پنج", "کم",
                                   "نشان", "نخست", "ولی"})
# Second halves: «خاطر نشان»; «اسلام آباد», «خرم آباد» (a place's name: searched «اسلام» alone, none of
# the 13 Islamabad articles in its first ten), «نیمه تمام», «آسیب دیده», «هم اکنون» (a review of search,
# round 7). Words come normalized: «آباد» is «اباد».
# «سوء استفاده» (searched «سوء» alone: «استفاده» is a stop word; 9 of the 20 articles write it spaced).
COMPOUND_SECOND_HALVES = frozenset({"نشان", "اباد", "تمام", "دیده", "اکنون", "استفاده", "کل", "داشت"})
# The offices «کل» (general) makes a title of, written «مدیرکل», «مدیر‌کل» or «مدیر کل» (the lexicon has
# «مدیرکل» alone; normalized: «رییس»): «مدیر کل» searched «مدیر» and missed 64 of the 127 test articles that name one,
# «ادارهکل» 67 of 82.
GENERAL_OFFICES = frozenset({"مدیر", "اداره", "دبیر", "رییس", "بازرس", "دادستان", "سرپرست", "فرمانده", "مدیران",
                             "ادارات", "سرکنسول", "کنسول"})
# Towns of the province list whose name is two words, one a stop word or a light verb, written apart
# as often as joined: «شهر کرد» searched «شهر» alone («کرد» a light verb: 338 results for 16, none
# right in the first ten; a review of search, round 9).
NAMES_WRITTEN_APART = frozenset({"شهرکرد", "کردکوی", "دهدشت", "دهگلان", "دهلران", "دوگنبدان"})
# The privative prefixes: before a content word they make its compound whether or not the lexicon
# lists the whole («کم آبی», «کم‌آبی»: hazm has no «کمآبی»; «بی توجهی», «غیر مجاز»). Searched apart,
# «کم آبی» was «آبی» (blue: «رنگ آبی», a football club's) — a review of search, round 6. «سوء» (mal-)
# likewise: «سوء مدیریت», «سوء تغذیه» are one word spaced or joined.
PRIVATIVE_HALVES = frozenset({"کم", "بی", "غیر", "سوء"})
# What the lexicon tags a compound's whole: a noun («پیش‌بینی»), an adjective or an adverb
# («غیرقانونی», «هم‌اکنون»: «غیر قانونی» spaced searched every «قانونی»; round 6).
_COMPOUND_TAGS = frozenset({"N", "AJ", "ADV"})


def compound_word(whole: str) -> bool:
    """Whether the lexicon knows ``whole`` (two halves joined) as a noun, an adjective or an adverb."""
    return not _COMPOUND_TAGS.isdisjoint(lexicon().tags(whole))


def stopword_compound(left: str, right: str) -> bool:
    """Whether two halves, one of them a stop word, are a compound's: the whole is a word of hazm's
    lexicon (``compound_word``), a stop word first is one of ``COMPOUND_FIRST_HALVES`` and one second
    of ``COMPOUND_SECOND_HALVES`` — «پیش» + «بینی», «هم» + «زمان», «خاطر» + «نشان», «غیر» + «مترقبه»;
    a privative prefix (``PRIVATIVE_HALVES``) before a content word, whatever the lexicon says.
    «خاطرنشان» joined missed 57 of the 64 articles writing «خاطر نشان», and «خاطر نشان» spaced
    searched «خاطر» alone (a review of search, round 4)."""
    if left + right in NAMES_WRITTEN_APART:
        return True
    if is_stopword(left) and left not in COMPOUND_FIRST_HALVES:
        return False
    if is_stopword(right) and right not in COMPOUND_SECOND_HALVES:
        return False
    if left in PRIVATIVE_HALVES and len(right) > 1 and not is_stopword(right):
        return True
    return right == "کل" and left in GENERAL_OFFICES or compound_word(left + right)


def may_split(word: str, left: str, right: str) -> bool:
    """Whether a joined word may also be read as ``left`` and ``right`` side by side (search's and
    routing's two-part spellings): any word but a name (a place's, a country's, a first name), which
    splits only into a verbal noun's compound, before the Arabic article, or before a name of four
    letters or more: «زنجان» found «هزار زن جان خود را…» (a review of search, round 7), while
    «مسجدسلیمان», «امیرمهران» find «مسجد سلیمان», «امیر مهران» (the review of that change)."""
    names = lexicon().names
    return word not in names or verbal_noun_compound(left, right) or after_article(right) \
        or (len(right) >= 4 and right in names)


def joinable_pair(left: str, right: str) -> bool:
    """Whether two neighbouring words may be one compound written apart (``joinable`` both, or
    a stop word before a half that begins with the Arabic article, or a stop-word half of a noun
    of hazm's lexicon: «چهار محال» is «چهارمحال», «پنج شنبه» «پنجشنبه» — «چهار» is a stop word,
    dropped from a search, and «چهار محال و بختیاری» found 1 of the province's 14 articles, all
    written «چهارمحال»; a review of search, round 2; «خاطر نشان» is «خاطرنشان», round 4)."""
    if not (right.isalpha() and ZWNJ not in right and left.isalpha() and ZWNJ not in left):
        return False
    if joinable(left) and joinable(right):
        return True
    if joinable(left):
        return stopword_compound(left, right)
    return joinable(right) and (after_article(right) or left in PRIVATIVE_HALVES or compound_word(left + right))


def verbal_noun_compound(left: str, right: str) -> bool:
    """Two content words typed apart that make one noun of hazm's lexicon whose second half is a
    verbal noun, a present stem and «ی» («تصمیم گیری», «اطلاع رسانی», «آتش سوزی», «راه اندازی»):
    one unit, the joined word or the two side by side — searched apart, «گیری» matched any «…‌گیری»
    compound («کناره‌گیری» in a title ranked above «تصمیم گیری»; a review of search, round 5).
    Any noun of the lexicon was first taken (the review of this change): «آب سه» was «آبسه»
    (abscess), «نام شخص» «نامشخص» (unknown), «زن جان باخته» «زنجان», «آب جو» «آبجو» (beer).
    One-letter halves are no such words."""
    lex = lexicon()
    if not (len(left) > 1 and len(right) > 2 and right.endswith("ی") and "N" in lex.tags(left + right)):
        return False
    stem = right[:-1]  # «برداری»: «بر» + «دار», as hazm lists the stems without their prefixes
    return stem in lex.verb_stems or any(stem.startswith(p) and stem[len(p):] in lex.verb_stems
                                         for p in _VERB_PREFIXES)


_VERB_PREFIXES = ("بر", "در", "باز", "فرا", "فرو", "ور")
