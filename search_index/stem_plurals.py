"""Rule 4 of the light Persian stemmer (``search_index.stemmer``, whose module doc writes the rules):
the «ان» plurals — «…ندگان» of an agent noun, «…گان» of a participle, «…یان» of a word in «ی» —, the
bases «…ان» is tried against, and what keeps a base from being one (a pronoun + a personal clitic, a
verb's present stem that is the agent half of a compound).
"""
from __future__ import annotations

from search_index.lexicon import Lexicon, number_word
from search_index.stem_clitics import ends_in_past_stem, usable

MIN_BASE_FREQ = 1000  # hazm corpus frequency a noun needs to take the «ان» plural (rule 4)
RELATIONAL_BASE_FREQ = 1_000_000  # the noun an untagged «…ی» of «…یان» is made of (``relational``)
PREVERBS = ("فرا", "فرو", "باز", "بر", "در", "ور", "وا")  # the preverbs of compound verbs («فراگرفتن»)


def personal_clitic(base: str, lex: Lexicon) -> bool:
    """Whether ``base`` is a pronoun + a personal clitic «م/ت/ش» (hazm tags both a pronoun:
    «خودم» = «خود» + «م», «خودش»): then «…ان» is the plural clitic «مان/تان/شان» («خودمان»,
    «خودشان»), not the plural «ان» — Persian puts the plural before a personal clitic, never after."""
    return base[-1:] in "متش" and "PRO" in lex.tags(base) and "PRO" in lex.tags(base[:-1])


def regular_plural(term: str, lex: Lexicon, stopwords: frozenset[str]) -> str | None:
    """The two «ان» plurals cut even when hazm tags the plural as a noun of its own (it tags
    «نویسندگان», «ستارگان» N): «…ندگان» of an agent noun in «…نده» and «…یان» of a word of at
    least four letters in «ی» («زندانیان», «مسیحیان»; not «جریان», «پایان»). Names never."""
    if term in lex.names:
        return None
    if term.endswith("ندگان") and len(term) >= 6:
        base = term[:-3] + "ه"  # fully regular: no lexicon check
        return base if usable(base, stopwords) else None
    if term.endswith("گان") and ends_in_past_stem(term[:-3], lex):
        base = term[:-3] + "ه"  # a participle's plural: «زدگان» → «زده», «مالباختگان» → «مالباخته»
        return base if usable(base, stopwords) else None
    if term.endswith("یان") and len(term) >= 6:
        base = term[:-2]
        return base if (lex.nounish(base) or relational(base, lex)) and usable(base, stopwords) else None
    return None


def relational(word: str, lex: Lexicon) -> bool:
    """An untagged adjective of relation in «ی» hazm lacks, made of a content word that is no
    first name («دانشگاهی» of «دانشگاه», «زمینی», «خاکی»): its «…یان» is a plural («دانشگاهیان»).
    Not after a first name, which makes a surname (``surname_roots``: «کریمیان», «صادقیان», «غلامیان»;
    45 of the 65 such words of the 1,500 articles; «فرهنگیان» is lost, «فرهنگ» is a first name too),
    nor after a word less common than ``RELATIONAL_BASE_FREQ`` in hazm's corpus: surnames are also
    made of places and rarer nouns («نهاوندیان», «طبیبیان», «کبکیان», «پیراهنیان»). Of the 1,500
    articles' words this cuts «دانشگاهیان», «بازاریان», «خاکیان», «زمینیان» and one surname, «نژادیان».
    Nor where the noun's own «ان» plural is a word (tagged, or in the treebanks): «مسئولیان» is a
    misspelt «مسئولان» (the seventh set), «سپاهیان» beside the team «سپاهان» (index schema 29)."""
    rest = word[:-1]
    return (len(word) >= 4 and word[-1] == "ی" and rest[-1] not in "او" and not lex.tags(word)
            and lex.content_word(rest) and lex.freq(rest) >= RELATIONAL_BASE_FREQ and rest not in lex.surname_roots
            and not lex.tags(rest + "ان") and rest + "ان" not in lex.treebank)


def an_bases(term: str) -> list[str]:
    rest = term[:-2]
    bases = []
    if rest.endswith("گ"):
        bases.append(rest[:-1] + "ه")  # نمایندگان → نماینده
    if rest.endswith("ی") and rest[-2:-1] in ("ا", "و"):
        bases.append(rest[:-1])  # دانشجویان → دانشجو, آقایان → آقا
    bases.append(rest)
    return bases


def preverbed(base: str, lex: Lexicon) -> bool:
    """A present stem made of a preverb and another verb's present stem («فراگیر» = «فرا» + «گیر», of
    «فراگرفتن»): an agent noun or adjective of its own (a learner), not the agent half of a compound
    as «طلب» is of «اصلاح طلبان», so «فراگیران» is its plural (index schema 32; the twelfth set's dev
    half). Of the 1,500 articles' words it cuts «فراگیران» only."""
    return any(base.startswith(verb) and len(base) - len(verb) >= 2 and base[len(verb):] in lex.verb_stems
               for verb in PREVERBS)


def arabic_plural(term: str, lex: Lexicon, stopwords: frozenset[str]) -> str | None:
    """The Arabic regular plurals news writes, cut even where hazm tags the plural a noun of its own
    (index schema 32; the thirteenth set's dev half): «…یون» of a noun or adjective in «ی» («روحانیون» →
    «روحانی», «افراطیون», and «انقلابیون», which hazm tags plural, of the untagged «انقلابی» made of «انقلاب»:
    ``relational``; not «کامیون»), and
    «…ین» of an Arabic participle in «م» (مُفعِل, مُتَفَعِّل, مُستَفعِل: «مسلمین» → «مسلم», «متدینین» →
    «متدین») or of the shape فاعل («واقفین» → «واقف», ``agent_participle``) that hazm tags a noun or
    adjective; not a name, not a number word («میلیون»), not a shorter
    base («ماشین», «مشکین»: «ماش», «مشک» are no participles)."""
    if term in lex.names or number_word(term) or len(term) < 6 or term.endswith("ترین"):
        return None
    base = term[:-2]
    if term.endswith("یون"):
        # an untagged base only for a word hazm does not tag, or tags plural: «کامیون» is no «کامی» + «ون»
        ok = lex.nounish(base, MIN_BASE_FREQ) or relational(base, lex) and (not lex.tags(term) or "PL" in lex.tags(term))
    elif term.endswith("ین") and base[0] == "م" and len(base) >= 4:
        ok = lex.nounish(base, MIN_BASE_FREQ)
    elif term.endswith("ین") and agent_participle(base):
        # «واقفین», «غاصبین», «حاضرین», «عاملین» (index schema 33); an adjective in «ین» hazm tags is a word of
        # its own («راستین»), and a past stem + the spoken «ین» a verb («داشتین», «ساختین»: the code review);
        # the names «عابدین», «کاظمین», the Quran's «صادقین» and the dual «والدین» (parents) are in own_words_fa.txt
        ok = lex.nounish(base, MIN_BASE_FREQ) and "AJ" not in lex.tags(term) and base not in lex.past_stems
    else:
        return None
    return base if ok and usable(base, stopwords) else None


PERSIAN_ONLY = frozenset("پچژگ")


def agent_participle(word: str) -> bool:
    """Whether ``word`` has the shape of the Arabic active participle فاعل («واقف», «غاصب», «حاضر»,
    «سائر» written «سایر»): four letters, «ا» second, the root letters Arabic consonants (not «پارچ» of
    «پارچین», not «دارو»), the second a hamza or its seat «ی» and the first «و» or «ی» allowed."""
    if len(word) != 4:
        return False
    first, long_a, second, third = word
    return (long_a == "ا" and not PERSIAN_ONLY & set(word) and first not in "اء"
            and second not in "اوء" and third not in "اویء")


def fuaal_plural(plural: str, singular: str) -> bool:
    """Whether a listed broken plural is «فعّال» of a participle فاعل («خدام» of «خادم», «عشاق» of
    «عاشق», «زوار» of «زائر», «تجار» of «تاجر»): with «ی» it is a surname or an adjective of relation
    («خدامی», «عشاقی», «زواری», «تجاری»), not the plural with the indefinite «ی» (index schema 33); not
    «مواد» of «ماده», which only looks like one."""
    if len(plural) != 4 or plural[2] != "ا" or len(singular) != 4 or singular[1] != "ا":
        return False
    # the same root letters in order, the hollow root's «و» written as the hamza's seat: «زوار», «زائر» («زایر»)
    return (plural[0], plural[3]) == (singular[0], singular[3]) and (plural[1] == singular[2] or singular[2] == "ی")


def plural_with_ye(term: str, lex: Lexicon) -> str | None:
    """The listed broken plural of a term read as that plural + the indefinite «ی» («افرادی» → «افراد»,
    «مواردی»: stemmer rule 00), or None: not a tagged word, not a «فعّال» plural's surname (``fuaal_plural``).
    A tagged word hazm's corpus never met is a spelling its lexicon lists, not a word of its own, as rule 6's
    «تقاضای»: «آثاری» (N, frequency 0; «آثاری از …», some works or traces, in 7 of the 1,500 articles) is
    «آثار» + the indefinite «ی» (the fourteenth set's notes, index schema 34)."""
    if term[-1:] != "ی" or lex.tags(term) and not lex.unattested(term):
        return None
    singular = lex.broken_plurals.get(term[:-1])
    return term[:-1] if singular is not None and not fuaal_plural(term[:-1], singular) else None
