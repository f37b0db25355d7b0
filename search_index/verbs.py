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
knows as a noun, adjective or other word («رسید», a receipt; «دید», a view) is no verb here
unless «می» or «نمی» makes it one, and a form the lexicon or the gazetteers know as such a word
(«نبرد», battle; «برد», range; «گود», a pit; «پذیرفته») is not asked for. Compound verbs
(«تصمیم گرفت») are read word by word, the auxiliaries («شد», «بود», «کرد», «نمود», «گردید»,
«گشت», «داشت») not at all, and the irregular present forms after «ب» («بیاید») are not made.
"""
from __future__ import annotations

from functools import cache

from search_index.lexicon import DATA_DIR, lexicon

PREFIXES = ("نمی", "می", "ب", "ن")
PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
PAST_ENDINGS = ("م", "ی", "", "یم", "ید", "ند")
MIN_LENGTH = 4  # a shorter query word («کرد», «شد», «داد») is left as typed: its forms are everywhere
# The auxiliaries and the light verbs of compound verbs («اجرا می‌شود», «اعلام کرد»): a form of
# them is in nearly every article, and «اجرا می‌شود» would be «اجرا» and any of them.
AUXILIARIES = frozenset({"شد", "بود", "کرد", "نمود", "گردید", "گشت", "داشت"})


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


def verbs_of(word: str) -> set[tuple[str, str]]:
    """The verbs (past stem, present stem) of which ``word`` (normalized, no ZWNJ) is a simple form."""
    by_present, by_past = _pairs()
    found: set[tuple[str, str]] = set()
    for prefix in ("",) + PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix):]
        for ending in PRESENT_ENDINGS:
            if prefix and rest.endswith(ending) and len(rest) > len(ending):  # a present needs a prefix
                found.update(by_present.get(rest[:-len(ending)], ()))
        if prefix == "ب":
            continue  # «ب» is the present's (the subjunctive, the imperative)
        for ending in (*PAST_ENDINGS, "ه"):
            stem = rest[:-len(ending)] if ending else rest
            if ending and not rest.endswith(ending):
                continue
            if ending == "ه" and prefix in ("می", "نمی"):
                continue
            found.update(by_past.get(stem, ()))
    return found


def conjugations(past: str, present: str) -> set[str]:
    """The simple forms of one verb, joined («میپذیرد»)."""
    forms = {prefix + present + ending for prefix in PREFIXES for ending in PRESENT_ENDINGS}
    forms |= {prefix + past + ending for prefix in ("", "ن", "می", "نمی") for ending in PAST_ENDINGS}
    forms |= {past + "ه", "ن" + past + "ه"}
    return forms


def verb_forms(word: str) -> list[str]:
    """The other simple forms of the verb ``word`` is a form of (none when it is no verb form or
    also a word of another kind), without those that are words of another kind themselves."""
    word = word.replace("\u200c", "")
    if len(word) < MIN_LENGTH or not word.isalpha():
        return []
    marked = word.startswith(("می", "نمی"))
    if not marked and _other_word(word):
        return []
    verbs = verbs_of(word)
    if any(past in AUXILIARIES for past, _present in verbs):
        return []  # «می‌کند» is «کردن»'s, not «کندن»'s (to dig), whose present it shares
    forms: set[str] = set()
    for past, present in verbs:
        forms |= conjugations(past, present)
    forms.discard(word)
    return sorted(f for f in forms if f.startswith(("می", "نمی")) or not _other_word(f))
