"""The clitic readings of the light Persian stemmer (``search_index.stemmer``; their rules, 6 to 9,
are written in its module doc): the ezafe or indefinite «ی» after «ا»/«و», a possessive or personal
clitic written joined, an «ان»/«ات» plural + the indefinite «ی», and a word in «ه» + «ام/ات/اش». Each
takes the stemmer's own reading of what is left (``stemmer.stem``, passed in as ``stem``).
"""
from __future__ import annotations

from collections.abc import Callable

from search_index.lexicon import NOUN_FIRST, Lexicon, lexicon

Stem = Callable[..., "str | None"]  # ``stemmer.stem``, passed in: the readings recurse into it
POSSESSIVE_SUFFIXES = ("شان", "مان", "تان", "ش")  # longest first (rule 7; «تان» after «ه» or «ی» only)
AFTER_HEH_ONLY = frozenset(("مان", "تان"))  # read as «ه» + the clitic by the two-words test («خانهمان»)


def usable(base: str, stopwords: frozenset[str], comparative: bool = False) -> bool:
    """At least two letters; a stop word only when it is a content word («اثر» → «اثرات») or,
    as the base of a comparative, a tagged adjective or adverb («کم», «بیش»; not «به»)."""
    if len(base) < 2:
        return False
    if base not in stopwords:
        return True
    if comparative:
        return bool(lexicon().tags(base) & {"AJ", "ADV"})
    return lexicon().content_word(base)


def ends_in_past_stem(rest: str, lex: Lexicon) -> bool:
    """Whether ``rest`` is, or ends in, a past stem of hazm's verbs.dat («زد», «مالباخت»)."""
    return any(rest[i:] in lex.past_stems for i in range(len(rest) - 1))


def plural_personal(term: str, stopwords: frozenset[str], stem: Stem) -> str | None:
    """Rule 9: the stem of an «ان» plural with a personal clitic written joined: «فرزندانم» →
    «فرزند», «همکارانتان» → «همکار» («فرزندانش», «فرزندانمان» are rule 7's). The plural must be one by
    itself («بدانم», «میتوانم», «بخوانم» are verbs: «بدان», «میتوان» are no plurals; a review of
    search, round 8: «فرزند» missed «فرزندانم», «همسر» «همسرم»)."""
    plural = term[:-3] if term.endswith("انتان") else term[:-1]
    base = stem(plural, stopwords)
    return base if base is not None and len(base) < len(plural) - 1 else None


def plural_indefinite(term: str, lex: Lexicon, stopwords: frozenset[str], stem: Stem) -> str | None:
    """Rule 8: an «ان»/«ات» plural + the indefinite «ی» («مشکلاتی», «نمایندگانی», «کودکانی»), as
    «…هایی» is of «ها»: the stem of the plural. Only a plural the rules above read as one (its own
    stem, the clitic readings left out), and only where the word is no tagged word («تهرانی»,
    «انتخاباتی», «جهانی») or name (``stem`` has returned for those). «مشکل» missed the 12 articles
    writing only «مشکلاتی» (a review of search, round 6). A relational adjective of a plural
    («تحقیقاتی», «خدماتی») goes to the plural's stem too, the word it is made of; a surname in
    «انی» after a plural («مهاجرانی») is read as the plural (names are first names here). The plural
    must be one the treebanks annotate or hazm tags ``PL``: «حقانی», «کیشانی», «ظلمانی» (surnames, an
    adjective) were «حق», «کیش», «ظلم» through rule 4's reading of «حقان» (the review of the change)."""
    plural = term[:-1]
    if not plural.endswith(("ان", "ات")) or (lex.treebank_says(plural) is None and "PL" not in lex.tags(plural)):
        return None
    return stem(plural, stopwords, possessive=False)


def after_vowel(rest: str, lex: Lexicon, stopwords: frozenset[str], stem: Stem) -> str | None:
    """Rule 6: a word in «ا»/«و» + «ی» is that word with the ezafe or the indefinite «ی»
    («ابتدای», «طلای», «دانشجوی», «رقبای» → «رقیب» through the rest's own stem): after a vowel
    Persian writes them «ی» and the «ی» that makes another word «یی» («روستایی», «ابتدایی»), which
    is not cut. Only when the rest is a noun or adjective of hazm's lexicon (or has a stem) and the
    word itself is no tagged word (rule 1: «قوی», «برای», «روی»), name or stop word («جای»); not
    after «او», a consonant there («کنجکاوی» is curiosity), nor after «ب»/«ن» + a present stem of
    hazm's verbs.dat («بروی», «بشوی»: you go, you become)."""
    if rest.endswith("او") or rest[:1] in "بن" and rest[1:] in lex.verb_stems:
        return None  # «کنجکاوی»: after a consonant «و» the «ی» makes a noun; «بروی» is a verb form
    inner = stem(rest, stopwords)
    if inner is not None:
        return inner
    return rest if lex.content_word(rest) and usable(rest, stopwords) else None


def possessed(term: str, lex: Lexicon, stopwords: frozenset[str], stem: Stem) -> str | None:
    """Rule 7: «…ش»/«…شان»/«…مان» written joined after a noun or adjective is its possessive clitic
    («کشورش» → «کشور», «دوستانش» → «دوست», «نظرشان» → «نظر», «کشورمان»), unless the word is two words
    joined whose second holds the letters («زیرپوشش» is «زیر» + «پوشش», «گلفشان» «گل» + «فشان»);
    nouns in «ش» hazm does not hold are in ``data/own_words_fa.txt`` («پایش», monitoring)."""
    for suffix in POSSESSIVE_SUFFIXES:
        if not term.endswith(suffix):
            continue
        base = term[: -len(suffix)]
        after_heh = base.endswith("ه")
        if suffix == "تان" and not after_heh and base[-1:] != "ی":
            return None  # «پرستان», «…ستان»: «تان» is read after «ه» («خانوادهتان») or «ی» («گرامیتان», «فدایتان»)
        tail = "ه" + suffix if suffix in AFTER_HEH_ONLY and after_heh else suffix  # «خانهمان»: no «خان» + «همان»
        preposition = lex.noun_preposition(base)  # «کنارش», «برابرش»: hazm tags «کنار» a preposition too
        if len(base) < 2 or not (usable(base, stopwords) or preposition):
            return None
        # «کشورمان» is no «کشو» + «رمان», «مادرمان» no «ما» + «درمان»: «مان» after a consonant skips the test;
        # nor is a tagged plural's («مشکلاتش» is no «مشکل» + «آتش», «نظراتش» no «نظر» + «آتش»: round 6)
        # nor is a word in «ی» made of a content word that hazm lacks («آزادیش» is no «آزا» + «دیش»); a word
        # in «ی» it tags keeps the test («اندیش», of «روشن‌اندیش», is no «اندی», odd, + «ش»)
        # nor is an infinitive's («نوشتنش» is no «نوش» + «تنش», tension: the eleventh set's dev half)
        # nor is a noun hazm tags preposition too («برابرش» is no «برا» + «برش», «کنارش» no «کنا» + «رش»)
        if ((suffix != "مان" or after_heh) and "PL" not in lex.tags(base) and not preposition
                and _compound_tail(term, tail, lex)
                and not (base[-1] == "ی" and not lex.tags(base) and lex.possessor(base))
                and not (base[-1] == "ن" and base[:-1] in lex.past_stems)):
            return None
        if suffix == "شان" and term[:-2] in lex.verb_stems:
            return None  # «فروشان», «…پوشان»: agent nouns of rule 4's verb stems, not «فرو» + «شان»
        inner = stem(base, stopwords)
        if inner is not None:
            return inner
        return base if lex.content_word(base) or base in lex.names or lex.possessor(base) or preposition else None
    return None


def vowel_personal(term: str, lex: Lexicon, stopwords: frozenset[str], stem: Stem) -> str | None:
    """Rule 9: «م» (my, me) written joined after a word in «ا»/«و» and the glide «ی» («زانویم», «صدایم»,
    «بابایم» → «زانو», «صدا», «بابا»), read as rule 6 reads the word with its «ی» («زانوی»), as rule 7
    reads «ابتلایش»: not where the word before the «ی» is a present stem of hazm's verbs.dat, bare or after
    «می»/«نمی», which makes the verb's first person plural («برویم», «شویم», «نمایم», «می‌گویم»: we go,
    become, do, say; not «میگو», shrimp), nor a tagged word (rule 1 keeps the others whole; a plural
    hazm tags reaches here: «غنایم», «غنائم», spoils, is no «غنا» + «م»). Not «ت» (your):
    after «ای»/«وی» it is above all the Arabic abstract «…یت» («اولویت» written «الویت», «هویت»,
    «عضویت»; the fifteenth set's dev half, index schema 34). A bare spelling that is the present stem only of a
    verb hazm barely holds and a common noun («پا»: «پاییدن», 33) is the noun's: «پایم» → «پا» through «پای»
    (``short_after_vowel``), as rule 7 reads «پایمان» (``Lexicon.noun_before_rare_verb``, index schema 35)."""
    base = term[:-1]
    rest = base[:-1]
    bare = rest.removeprefix("ن").removeprefix("می")
    # verbs.dat writes some present stems with their glide: «آرای», «آزمای», «واگوی» («می‌آرایم», I adorn, is no «آرا», votes)
    stems = (rest, bare, base, bare + "ی")
    # «پایم»: my foot; «پاییدن» (to watch) is rare, and its first person is written with «می» («می‌پایم»)
    noun = rest == bare and not lex.verb_stems.isdisjoint(stems) and lex.noun_before_rare_verb(rest)
    if not base.endswith(("ای", "وی")) or not (noun or lex.verb_stems.isdisjoint(stems)) or lex.tags(term):
        return None
    if lex.tags(base) and not noun:
        return None
    return stem(base, stopwords)


def short_after_vowel(term: str, lex: Lexicon, stopwords: frozenset[str]) -> str | None:
    """Rule 6 for a word of three letters: a common noun or adjective of two in «ا»/«و» + the ezafe or
    indefinite «ی» («پای کار» → «پا», «بوی بد» → «بو», «موی سر», «سال نوی»): the rest counted ``NOUN_FIRST``
    times or more, the word untagged or a noun hazm counts ten times less than its rest («پای» 1,810,016,
    «پا» 32,102,287: a spelling of «پا» + «ی», not a word of its own). Not a tagged word of its own («قوی»,
    «جوی», a stream, «روی», «رای», «چای», «گوی»), a stop word («جای», «سوی», «توی»), a number («دوی»), a name,
    a verb stem bare («شوی») nor «خوی» (temper, and the town: ``own_words_fa.txt``) (index schema 35)."""
    rest = term[:2]
    if term in lex.names or not usable(rest, stopwords) or term in stopwords or rest[1] not in "او":
        return None
    tags = lex.tags(term)
    if tags and (tags != {"N"} or lex.freq(term) * 10 > lex.freq(rest)):
        return None
    return rest if lex.content_word(rest) and lex.freq(rest) >= NOUN_FIRST else None


def after_heh(term: str, lex: Lexicon, stopwords: frozenset[str], possessive: bool) -> str | None:
    """A joined «…هاش», «…هام», «…هات»: the clitic «اش/ام/ات» after a word in «ه» written without
    its ZWNJ («خانهاش» is «خانه‌اش», his house; «نامهات», «خانوادهام»), or the colloquial plural
    «ها» + «ش/م/ت» («کتابهات», which news writes «کتاب‌هایت»). The word in «ه» when hazm tags it a
    noun or adjective (or it is a name), or when neither it nor the rest before «ها» is a noun or
    adjective («پسرخالهاش»); the plural's rest when only it is («کتابهات» → «کتاب»). Not cut: a
    perfect verb («کرده‌ام», «نکردهام»: a past stem + «ه» + «ام»; verbs are left alone), a stop word
    («همه‌اش», «درباره‌اش»: never «هم», «دربار»), a rest of one letter or a stop word («مهام»,
    «باهاش»), and on the query side (``possessive=False``) the
    clitic reading, as rule 7: «خانه‌اش» asks for that form."""
    noun, rest = term[:-2], term[:-3]
    if not usable(rest, stopwords) or term.endswith("هام") and ends_in_past_stem(rest, lex):
        return None  # «مهام» is no «مه» + «ام», «باهاش» no «باه» + «اش»
    if lex.nounish(noun) or noun in lex.names or not lex.nounish(rest):
        return noun if possessive and usable(noun, stopwords) else None
    return None if lex.protected(rest + "ها") else rest


def _compound_tail(term: str, suffix: str, lex: Lexicon) -> bool:
    """Whether ``term`` is a word of at least two letters + a tagged word of at least three that
    holds ``suffix`` and more («زیر» + «پوشش»; not «سازمان» + «شان»)."""
    for cut in range(2, len(term) - max(3, len(suffix) + 1) + 1):
        if lex.tags(term[cut:]) and (lex.tags(term[:cut]) or term[:cut] in lex.names):
            return True
    return False
