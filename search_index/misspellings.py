"""Misspellings and colloquial forms searched as the word they stand for, with what was typed (the query side only: the
index keeps every document's own spelling, so no rebuild; a routing rule reads them so too, through ``spelling_family``).

Round 47's test half and round 48's dev found nothing on any engine for «برگذاری جشنواره» (16 of the 1,500 articles by
the written rules), «گرونی» (14), «قیمت نون», «بارون» (12), «خیابون» (26). Elasticsearch's answer for *known* mistakes is
a search-time synonym list («common misspellings and typos … handled transparently», its synonyms guide); a «did you
mean» offer (its phrase suggester, an edit distance over the index's vocabulary) is for the unknown ones, and is not
built here. So, a list, one way only (a word typed right asks nothing more):

- «ذ» for «ز», and the other way, in the words of two verbs a reader hears alike: «گزاردن» (to perform: «برگزاری»,
  «گزارش», «خبرگزاری», «نمازگزار») and «گذاشتن» (to put: «سرمایه‌گذاری», «قانون‌گذار», «واگذاری»). By the word's
  head, listed: «گذار» alone (a passage) and «گذاری» (the half of «سرمایه گذاری» typed apart) are words of their own.
- The capital's spoken «…ون» for a written «…ان» («نون», «گرونی», «خیابون», «جوونا»), in the words listed: as a rule it
  would read «قانون», «کانون», «بیرون», «چون» as «…ان» words.
- A few single misspellings («ذکات»).
"""
from __future__ import annotations

# Normalized (``persian.normalize``): «آ» is «ا».
PERFORM, PUT = "گزار", "گذار"
# The heads of the words of «گزاردن» (written with «ز») and of «گذاشتن» (with «ذ»); "" is «گزارش» alone.
PERFORM_HEADS = frozenset({"", "بر", "خبر", "نماز", "سپاس", "خدمت", "شکر", "کار", "حق"})
PUT_HEADS = frozenset({
    "سرمایه", "قانون", "وا", "تاثیر", "بنیان", "سیاست", "ارزش", "قیمت", "نام", "هدف", "پایه", "اثر", "بار", "جای",
    "مین", "بمب", "شماره", "نرخ", "تعرفه", "ریل", "لوله", "صحه", "سپرده", "فاصله", "علامت", "گل", "مرز", "بدعت",
})
# What may follow: «برگزاری», «گزارشات», «قانون‌گذاران» (not any word: «برگذاری جشنواره» is tried joined too).
TAILS = frozenset({"", "ی", "یی", "یها", "یهای", "ان", "ها", "های", "ش", "شی", "شها", "شهای", "شات", "شگر", "شگران",
                   "ده", "نده", "ندگان"})
# Heads that are no word alone: the compound is written joined only («برگزاری», «واگذاری»).
BOUND_HEADS = frozenset({"", "بر", "وا"})

# Spoken form → written form; each checked while writing this to begin no other word of the 1,500 articles with an
# ending below («نونهال», «جوونک» have none). Not «ایرون» for «ایران»: normalized, it is «آیرون» (Iron: «آیرون دام», the
# Iron Dome, «آیرون من»), which would ask every «ایران».
COLLOQUIAL = {
    "نون": "نان", "نونوا": "نانوا", "گرون": "گران", "ارزون": "ارزان", "بارون": "باران", "خیابون": "خیابان",
    "جوون": "جوان", "خونه": "خانه", "کارخونه": "کارخانه", "تهرون": "تهران", "زمستون": "زمستان", "تابستون": "تابستان",
    "بیمارستون": "بیمارستان", "میدون": "میدان", "دندون": "دندان", "اسمون": "اسمان",
}
# What may follow a spoken form: the written endings, and the spoken plural «ا» / «ای» for «ها» / «های» («جوونا»).
COLLOQUIAL_ENDINGS = {"": "", "ی": "ی", "یی": "یی", "ای": "های", "ا": "ها", "ها": "ها", "های": "های", "هایی": "هایی"}
MISSPELLED = {"ذکات": "زکات"}
# Words written with the other letter that are words of their own: «کارگذاری» is installing («کار گذاشتن»: «کارگذاری
# کنتور», «کارگذاری تیر برق», a water or power company's news), no misspelt «کارگزاری» (brokerage).
OWN_WORDS = ("کارگذاری",)


def misspelling_spellings(joined: str) -> list[tuple[str, ...]]:
    """What a misspelled or spoken word (one spelling, joined: «سرمایهگزاری») stands for, as index-term sequences, itself
    among them; [] for a word typed right or unknown."""
    written = _written(joined)
    if written is None:
        return []
    for wrong, right in ((PUT, PERFORM), (PERFORM, PUT)):
        head, found, tail = joined.partition(wrong)
        if found and head and head not in BOUND_HEADS:  # «سرمایه گزاری» typed apart: both spellings apart too
            return [(joined,), (head, wrong + tail), (written,), (head, right + tail)]
    return [(joined,), (written,)]


def _written(joined: str) -> str | None:
    """The written spelling of ``joined`` if it is a listed misspelling or spoken form; None otherwise."""
    if joined in MISSPELLED:
        return MISSPELLED[joined]
    if joined.startswith(OWN_WORDS):
        return None
    for wrong, right, heads in ((PUT, PERFORM, PERFORM_HEADS), (PERFORM, PUT, PUT_HEADS)):
        head, found, tail = joined.partition(wrong)
        if found and head in heads and tail in TAILS and (head or tail.startswith("ش")):  # «گذارش»; «گذار», «گذاری» are words
            return head + right + tail
    for spoken, written in COLLOQUIAL.items():
        ending = joined[len(spoken):]
        # after «ه», a spoken «ا» is no plural: «خونها» is «خون‌ها» (blood), 3 times in the 1,500 articles
        if joined.startswith(spoken) and ending in COLLOQUIAL_ENDINGS and not (spoken[-1] == "ه" and ending[:1] == "ا"):
            return written + COLLOQUIAL_ENDINGS[ending]
    return None
