"""Words the news write in several ways that no general rule of the analysis relates: each family's
spellings are searched together, by search and by routing rules alike (the query side only: the
index keeps every document's own spelling, so no rebuild).

- A verb's past and present stems joined by «و» into a noun, written four ways («گفت‌وگو» 309 times
  in the 1,500 test articles, «گفتگو» 118, «گفت و گو» 59, «گفت‌و‌گو» 42): the spelling without «و»
  («گفتگو», «جستجو», «شستشو») is no spelling the other rules reach («گفتگو» found 70 of the 426
  articles of the word). Only these three are written without the «و»; the others («ساخت و ساز»,
  «داد و ستد») are ``stems.conjunction_split``'s and the spaced unit's (``query_syntax``).
- «الله» in a name or a title, also written «اله» («آیت اله», «عبداله», «روح‌اله»: «آیت اله» found
  none of the 67 articles of «آیت‌الله», «عبداله» none of the 30 of «عبدالله»; a review of search,
  round 9).
- «رئیس جمهور» and «رئیس جمهوری», one title («رئیس‌جمهوری» missed 119 of the 163 articles).
- «سوء» typed without its hamza before the words it makes one with («سو استفاده», «سواستفاده»).
- Loanwords spelled two ways that the letter folds do not relate («ئ» is «ی» and «آ» is «ا» already):
  «آنفولانزا» and «آنفلوآنزا» (the query «آنفولانزا» found none of the articles writing «آنفلوآنزا»,
  nine times in one of them: the review41 round of session 41), «میلیارد» and «ملیارد», «تلویزیون» and
  «تلوزیون», «بلیت» and «بلیط», «توفان» and «طوفان»…, with the plural or «ی» after them (``LOANWORDS``).

Every spelling is given as index terms (``normalize``d, ZWNJ-free): one term for a joined spelling,
several for a spaced one («گفت و گو»: «گفت», «و», «گو»).
"""
from __future__ import annotations

from search_index.misspellings import misspelling_spellings
from search_index.stems import CONJUNCTION

PAIRED_STEMS = (("گفت", "گو"), ("جست", "جو"), ("شست", "شو"))
PAIRED_SUFFIXES = ("", "ی", "یی", "ای", "ها", "های", "هایی")

ALLAH = ("الله", "اله")
# What stands before «الله» in names and titles (normalized: «آیت» is «ایت»): «اله» alone is another
# word (a god), and «ساله», «مساله», «رساله» end so.
ALLAH_FIRST = frozenset({
    "ایت", "ایه", "عبد", "روح", "حزب", "نصر", "فضل", "رحمت", "حشمت", "عنایت", "قدرت", "حبیب", "امین", "سیف",
    "نعمت", "ذبیح", "خلیل", "کلیم", "اسد", "لطف", "حجت", "فتح", "عزت", "نور", "هدایت", "کرامت", "ولی", "شکر",
    "بیت", "رحم", "حفظ", "عطا", "فرج", "رضوان", "ثار", "جند", "انشا", "ماشا", "سبحان", "حمد", "بسم"})

# Normalized (``normalize``): «آنفلوآنزا» is «انفلوانزا». Each a word no other spelling of the family
# is a form of (checked against the 1,500 articles' vocabulary while writing this).
LOANWORDS = (("انفولانزا", "انفلوانزا"), ("میلیارد", "ملیارد"), ("میلیون", "ملیون"), ("تلویزیون", "تلوزیون"),
             ("دموکراسی", "دمکراسی"), ("دیپلماسی", "دیپلوماسی"), ("پروتکل", "پروتوکل"), ("کامپیوتر", "کمپیوتر"),
             # «ط» or «ت», both in use (round 42's dev: «بلیط» found none of the 4 articles of «بلیت»,
             # «توفان» missed «طوفانی»)
             ("بلیت", "بلیط"), ("توفان", "طوفان"),
             # Turkic «اتاق», also «اطاق» (session 43: «اطاق بازرگانی» found none of the 3 articles of
             # «اتاق بازرگانی», «اطاق» 1 of the 14 of the word)
             ("اتاق", "اطاق"),
             # not a loanword: the month «مرداد» and its old name «امرداد» (round 45's dev: «امرداد» found nothing)
             ("مرداد", "امرداد"),
             # not a loanword: «جزء» (a part, one of) with its final hamza, and «جزو», the Academy's spelling
             # (round 18: 17 and 41 of the 1,500 articles, neither finding the other; «جز», but, stays apart)
             ("جزء", "جزو"))

# An office and its holder, one topic for a PR desk («معاون سیاسی استانداری» is «معاون استاندار»; round
# 43's dev: «معاون استاندار» missed 4 of the 7 articles the rules mark relevant, each writing «استانداری»).
# Listed, not a rule: «خریدار» (buyer) is no holder of «خریداری» (purchase), nor «نگهدار» of «نگهداری».
# Not «شهردار»: the municipality is a body of its own, which round 41's «شهردار» does not ask for (with it,
# «شهرداری» titles ranked first there: nDCG@10 0.84 → 0.38 on that dev query).
# Search asks each for the other as a form (``office_holder``), weighted below the word's own spelling, typed
# alone or in a quoted phrase, and a routing rule reads it so (``query.holder_forms``; the code review of session 43).
OFFICES = frozenset({"استاندار", "فرماندار", "بخشدار", "دهدار"})

PRESIDENT = ("رییس", ("جمهور", "جمهوری"))
# The local councils by their full name, «شورای اسلامی شهر» (also «… روستا», «… شهرستان»…), and as an
# officer types it, «شورای شهر», one or several: one topic (round 43's dev: the quoted «"شورای شهر"» missed 4 of
# the 21 articles the rules count, each writing the full name, one «شوراهای اسلامی شهر»: the query's ezafe
# asks for itself, not the plural). Only after «شورا(های)»: «مجلس شورای اسلامی» is the parliament, no council
# of a seat. A quoted phrase's family only (``query.phrase_family_variants``): made one unit of the free words
# «شورای شهر», the two were searched as a phrase, and round 43's dev «شورای شهر» fell 0.894 → 0.873 (Whoosh),
# 0.937 → 0.858 (tantivy); in the bonus of free words side by side, 0.894 → 0.811, 0.937 → 0.782.
COUNCILS = (("شورای", "شوراهای"), "اسلامی", frozenset({"شهر", "روستا", "شهرستان", "استان", "بخش"}))
# The words «سوء» makes one with (normalized), which the news also write «سو»: «سو» alone is a side.
MAL = frozenset({"استفاده", "مدیریت", "تفاهم", "ظن", "قصد", "تغذیه", "رفتار", "پیشینه", "نیت", "هاضمه", "سابقه"})


def paired_spellings(joined: str) -> list[tuple[str, ...]]:
    """Every spelling of a compound of ``PAIRED_STEMS`` as index terms, given one joined spelling
    with or without its «و» and a plural or «ی» after it («گفتگوهای»): the joined word without
    the «و», with it (the index's term of «گفت‌وگو»), its three words («گفت و گو», «گفت‌و‌گو») and
    its two («گفت وگو»); [] for any other word («جستجوگر»)."""
    for left, right in PAIRED_STEMS:
        for middle in ("", CONJUNCTION):
            head = left + middle + right
            if joined.startswith(head) and joined[len(head):] in PAIRED_SUFFIXES:
                rest = right + joined[len(head):]
                return [(left + rest,), (left + CONJUNCTION + rest,), (left, CONJUNCTION, rest),
                        (left, CONJUNCTION + rest)]
    return []


def _two_ways(firsts: tuple[str, ...], seconds: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each first half with each second, joined and apart."""
    return [seq for first in firsts for second in seconds for seq in ((first + second,), (first, second))]


def spelling_family(joined: str) -> list[tuple[str, ...]]:
    """Every spelling of the word ``joined`` (one spelling, joined: «آیتاله») as index-term sequences,
    itself among them; [] for a word of no family."""
    paired = paired_spellings(joined)
    if paired:
        return paired
    for allah in ALLAH:
        if joined.endswith(allah) and joined[:-len(allah)] in ALLAH_FIRST:
            return _two_ways((joined[:-len(allah)],), ALLAH)
    first, seconds = PRESIDENT
    if joined in (first + second for second in seconds):
        return _two_ways((first,), seconds)
    for mal in ("سوء", "سو"):
        if joined.startswith(mal) and joined[len(mal):] in MAL:
            return _two_ways(("سوء", "سو"), (joined[len(mal):],))
    return loanword_spellings(joined) or misspelling_spellings(joined)  # «برگذاری»: also «برگزاری»


def council_spellings(joined: str) -> list[tuple[str, ...]]:
    """A local council of ``COUNCILS`` named short or in full, typed joined («شورایشهر»,
    «شوراهایاسلامیروستا»): both names, one council or several, as index terms («شورای», «شهر»; «شوراهای»,
    «اسلامی», «شهر»…); [] for anything else."""
    heads, islamic, seats = COUNCILS
    for head in heads:
        seat = joined.removeprefix(head).removeprefix(islamic) if joined.startswith(head) else ""
        if seat in seats:
            return [(name, seat) for name in heads] + [(name, islamic, seat) for name in heads]
    return []


def office_holder(joined: str) -> str | None:
    """The office of a holder of ``OFFICES`` («استاندار» → «استانداری») or the holder of the office
    («استانداری» → «استاندار»); None for any other word."""
    if joined in OFFICES:
        return joined + "ی"
    return joined[:-1] if joined.endswith("ی") and joined[:-1] in OFFICES else None


def loanword_spellings(joined: str) -> list[tuple[str, ...]]:
    """The spellings of a loanword of ``LOANWORDS`` with the same ending («تلوزیونی»: «تلویزیونی»
    and itself); [] for any other word."""
    for family in LOANWORDS:
        for spelling in family:
            if joined.startswith(spelling) and joined[len(spelling):] in PAIRED_SUFFIXES:
                rest = joined[len(spelling):]
                return [(other + rest,) for other in family]
    return []
