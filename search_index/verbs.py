"""A verb's other forms, for a query word that is one (the query side only; the index is unchanged).

The stemmer takes nouns and adjectives (plurals, clitics, comparatives); a verb is written in
as many forms as it has persons, tenses and prefixes, and a query of one of them found that one:
«می‌پذیرد» found 6 of the 18 articles with a present form of «پذیرفتن» and none of «بپذیرد» or
«نمی‌پذیرد», «پذیرفت» 15 of 41 with its past forms (a review of search, round 5). Here a query
word that reads as a conjugated verb (a prefix «می»/«نمی»/«ب»/«ن», a present or past stem of
hazm's verbs, a person ending) is also asked as every other simple form of that verb, with the
lower weight the stem terms have: present and past, the six persons, with and without «می»,
«نمی», «ب», «ن», and the past participle. Joined as the index joins «می‌پذیرد» and «می پذیرد»
(«میپذیرد»).

Where a form is also a word of another kind, it is left out: a query word that hazm's lexicon
knows as a noun, adjective or other word is no verb here unless «می» or «نمی» makes it one or it
is the verb's bare past stem, the short infinitive that is the verb's own noun («رسید», a receipt;
«خرید», a purchase; «نشست», a meeting: its other forms are asked; «کشتی», a ship, is no «کشت» +
«ی», «نبرد», a battle, no «ن» + «برد»); and a form the lexicon or the gazetteers know as such a
word («نبرد», battle; «برد», range; «گود», a pit) is not asked for, but the verb's bare past and
participle of a stem of four letters or more («رسید», «رسیده», «پذیرفته») unless the lexicon also
makes them function words («گذشته», besides). A reading through «ب» or «ن» gives way to one without
(«بافتند» is «بافتن»'s, not «ب» + «افتادن»'s), and a form that reads as another verb's first,
or is a form of an auxiliary or of the future «نخواهد», is not asked («نشستند» asks no «می‌شوید»).
Measured on the reviewer's judged verb queries over the 1,500 articles: recall of the
other forms 0.725 → 0.988, false matches 0/102 before and after. Compound verbs
(«تصمیم گرفت») are read word by word, the auxiliaries («شد», «بود», «کرد», «نمود», «گردید»,
«گشت», «داشت») not at all, and the irregular present forms after «ب» («بیاید») are not made;
neither are the bare presents («صورت پذیرد») nor the verbs with a preverb («برداشت», «بازداشت»).
"""
from __future__ import annotations

from functools import cache

from search_index.compound_halves import PRIVATIVE_HALVES
from search_index.lexicon import DATA_DIR, NOUNISH, lexicon

PREFIXES = ("نمی", "می", "ب", "ن")
PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
PAST_ENDINGS = ("م", "ی", "", "یم", "ید", "ند")
MIN_LENGTH = 4  # a shorter query word («کرد», «شد», «داد») is left as typed: its forms are everywhere
# The auxiliaries and the light verbs of compound verbs («اجرا می‌شود», «اعلام کرد»): a form of
# them is in nearly every article, and «اجرا می‌شود» would be «اجرا» and any of them.
AUXILIARIES = frozenset({"شد", "بود", "کرد", "نمود", "گردید", "گشت", "داشت"})
FUTURE = "خواه"  # «خواهد رفت»
# hazm's tags of a word that is also a function word or adverb: a participle with one («گذشته»,
# «بسته») is more than the verb's form
NOT_OWN_NOUN = frozenset({"ADV", "CONJ", "CL", "P", "PRO", "DET", "POSTP", "PR", "INT"})
# A bare past stem hazm's lexicon counts at least this often as a word of its own is a noun first,
# whose everyday sense is not the verb's: «سوخت» (fuel, 111,000,609), «نشست» (a meeting, 2,112,340),
# «نهاد» (an institution), «بافت» (texture), «ستاد» (headquarters), «دوخت», «پیوست», «شگفت», «درود»;
# the verb's own action nouns are counted far less: «خواست» 35,697, «رسید» 3,244, «پرداخت» 2,976,
# «ساخت» 2,378, «شکست» 1,831, «خرید» 1,581 (no bare past of hazm's verbs lies between 85,162 and 105,006)
NOUN_FIRST_FREQ = 100_000
# A bare past stem the news write above all as a noun in other words, which hazm's lexicon lacks: «زیست» of «محیط
# زیست», «زیست‌محیطی», «ساده زیست» (in the 1,500 articles, 117 of its 118; one verb, «باید زیست»). Another
# form of the verb does not ask it: «بزیم» (that we live) found the 37 articles of «محیط زیست» (session 46's open
# item); typed itself it still asks the verb's forms («زیست» finds «می‌زیستند», session 46).
NOUN_IN_OTHER_WORDS = frozenset({"زیست"})


@cache
def _pairs() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """present stem → its verbs (past, present), past stem → its verbs (hazm's verbs.dat)."""
    by_present: dict[str, list[tuple[str, str]]] = {}
    by_past: dict[str, list[tuple[str, str]]] = {}
    for line in (DATA_DIR / "verb_pairs_fa.txt").read_text(encoding="utf-8").splitlines():
        past, present = line.split()
        if not past.endswith(("د", "ت")) or len(present) < 2:
            continue  # hazm's few infinitives in the past column («اسغدن»), and «آ» of «آمدن»: «ب» + «ا» + «ید»
        by_present.setdefault(present, []).append((past, present))
        by_past.setdefault(past, []).append((past, present))
    return by_present, by_past


def _other_word(word: str) -> bool:
    lex = lexicon()
    return bool(lex.tags(word)) or word in lex.names


@cache
def readings(word: str) -> frozenset[tuple[str, str, str, str]]:
    """How ``word`` (normalized, no ZWNJ) reads as a simple verb form: (prefix, ending, past stem,
    present stem), the ending "ه" for the participle."""
    by_present, by_past = _pairs()
    found: set[tuple[str, str, str, str]] = set()
    for prefix in ("",) + PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix):]
        for ending in PRESENT_ENDINGS:
            if prefix and rest.endswith(ending) and len(rest) > len(ending):  # a present needs a prefix
                found.update((prefix, ending, *verb) for verb in by_present.get(rest[:-len(ending)], ()))
        if prefix == "ب":
            continue  # «ب» is the present's (the subjunctive, the imperative)
        for ending in (*PAST_ENDINGS, "ه"):
            stem = rest[:-len(ending)] if ending else rest
            if ending and not rest.endswith(ending):
                continue
            if ending == "ه" and prefix in ("می", "نمی"):
                continue
            found.update((prefix, ending, *verb) for verb in by_past.get(stem, ()))
    if any(prefix == "" for prefix, *_rest in found):  # «بافتند» is «بافتن»'s, not «ب» + «افتادن»'s
        found = {r for r in found if r[0] not in ("ب", "ن")}
    return frozenset(found)


def verbs_of(word: str) -> set[tuple[str, str]]:
    """The verbs (past stem, present stem) of which ``word`` (normalized, no ZWNJ) is a simple form;
    a reading through «ب» or «ن» only when the word has none without («نشستند» is «نشستن»'s, not
    «ن» + «شستن»'s; «نوشت» is no «ن» + «وشتن», whose present «وس» made «بوسید» one of its forms)."""
    return {(past, present) for _prefix, _ending, past, present in readings(word)}


def conjugations(past: str, present: str) -> set[str]:
    """The simple forms of one verb, joined («میپذیرد»)."""
    forms = {prefix + present + ending for prefix in PREFIXES for ending in PRESENT_ENDINGS}
    forms |= {prefix + past + ending for prefix in ("", "ن", "می", "نمی") for ending in PAST_ENDINGS}
    forms |= {past + "ه", "ن" + past + "ه"}
    return forms


@cache
def auxiliary_forms() -> frozenset[str]:
    """Every simple form of the auxiliaries and light verbs («میشوید», «نشوید», «میکند»), and the
    future auxiliary «خواهد» with «ن» («نخواهد بود», not «he does not want»)."""
    _by_present, by_past = _pairs()
    forms = {f for past in AUXILIARIES for verb in by_past.get(past, ()) for f in conjugations(*verb)}
    return frozenset(forms | {"ن" + FUTURE + ending for ending in PRESENT_ENDINGS})


def noun_first(word: str) -> bool:
    """A verb's bare past stem that is above all a noun of another sense («سوخت», fuel; «نشست», a
    meeting): neither searched as the verb nor asked for as one of its forms («می‌سوزد» asks «سوخته»,
    not «سوخت»). Its plural and its other forms of a noun are the stemmer's, as any noun's."""
    lex = lexicon()
    return "N" in lex.tags(word) and lex.freq(word) >= NOUN_FIRST_FREQ


def _own_noun(form: str, past: str) -> bool:
    """The verb's bare past stem or participle (with «ن» too) kept as a noun or adjective of its own
    («رسید», a receipt; «رسیده», arrived; «نرسیده», unripe; «پذیرفته»), not a function word too («گذشته», also «besides»;
    «بسته», in «بسته به»), of a past stem of at least ``MIN_LENGTH`` letters («داد», justice, and
    «داده», data, are not)."""
    tags = lexicon().tags(form)
    return (len(past) >= MIN_LENGTH and form in (past, past + "ه", "ن" + past + "ه") and form not in lexicon().names
            and not tags & NOT_OWN_NOUN and not (form == past and noun_first(form)))


def _short_subjunctives(past: str, present: str) -> frozenset[str]:
    """The present's forms with «ب» or «ن» alone of a present stem of two letters whose rest is a noun or adjective of
    the lexicon («بزید»: «ب» and «زید»; «بخرد», wise: «خرد»; «ببرد»: «برد», which is «بردن»'s too; «بدود»: «دود»),
    asked for no bare past stem (``verb_forms``): «زیست», life, of «محیط زیست», asked «بزید» and «نزید» (session 45's
    open item). The verb's other forms stay: «می‌زید», «زیستند», «برسد» («رسد» is no word of another kind), and every
    past form («نرسید»), and a rest that is the query itself («برسید»: «رسید»). All of them for any stem was measured and dropped: «رسید» lost 43 of its 371 articles on
    the 1,500, every one a true «برسد» or «نرسد»."""
    if len(present) > 2:
        return frozenset()
    return frozenset(prefix + present + ending for prefix in ("ب", "ن") for ending in PRESENT_ENDINGS
                     if present + ending != past and lexicon().tags(present + ending) & NOUNISH) \
        - {"ن" + past + ending for ending in PAST_ENDINGS}


def verb_forms(word: str) -> list[str]:
    """The other simple forms of the verb ``word`` is a form of (none when it is no verb form, or
    also a word of another kind without being the verb's bare past stem), without those that are
    words of another kind themselves (but the verb's own bare past and participle: ``_own_noun``),
    forms of an auxiliary, or forms that read as another verb's first."""
    if word.split("\u200c")[0] in PRIVATIVE_HALVES:
        return []  # «بی‌آبی» typed with its ZWNJ is no «بیابی» (you find): it found «می‌یابد» (session 45)
    word = word.replace("\u200c", "")
    if len(word) < MIN_LENGTH or not word.isalpha():
        return []
    found = readings(word)
    if not word.startswith(("می", "نمی")) and _other_word(word):
        # «رسید» (a receipt), «خرید» (a purchase), «نشست» (a meeting): the short infinitive is the
        # verb's own noun, its forms are asked; «کشتی» (a ship) is no «کشت» + «ی», «نبرد» (a battle)
        # no «ن» + «برد»
        found = {r for r in found if r[0] == r[1] == ""}
    if any(past in AUXILIARIES for _prefix, _ending, past, _present in found):
        return []  # «می‌کند» is «کردن»'s, not «کندن»'s (to dig), whose present it shares
    forms: set[str] = set()
    for prefix, ending, past, present in found:
        short = _short_subjunctives(past, present) if prefix == ending == "" else frozenset()
        forms |= {f for f in conjugations(past, present) - auxiliary_forms() - short
                  # «می‌افتد» asks no «بافتند» (they wove), «ستاد» no «بایستی» (must)
                  if (past, present) in verbs_of(f)
                  and (f.startswith(("می", "نمی")) or not _other_word(f) or _own_noun(f, past))}
    forms.discard(word)
    forms -= NOUN_IN_OTHER_WORDS  # «بزیم» asks no «زیست»
    if noun_first(word):
        # «سوخت» is fuel, not «سوخته» (burnt) nor «می‌سوزد»; «نشست» a meeting, not «نشسته»: only the
        # form that is also the noun's own with its «ی» is kept («نشستی», a meeting; «سوختی»)
        forms &= {word + "ی"}
    return sorted(forms)
