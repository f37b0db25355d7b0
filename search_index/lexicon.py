"""The word lists the stemmer (``search_index.stemmer``) reads, loaded once: hazm's tagged
lexicon, the gazetteers' names, hazm's verb stems, the UD treebanks' lemmas and the team's broken
plurals (``data/``; sources, licences and versions in ``data/NOTICE.md``, rebuilt by
``scripts/build_stem_data.py``), with what they say of a word: its tags and frequency, whether it is
a name, a content word or a number word, and what the treebanks' lemmas make of an «ان»/«ات» word.
"""
from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from search_index.normalization import ZWNJ, normalize

DATA_DIR = Path(__file__).with_name("data")

PLURAL_SUFFIXES = (  # longest first
    "هایشان", "هایتان", "هایمان", "هاشان", "هاتان", "هامان", "هایم", "هایت", "هایش", "هایی",
    "های", "هام", "هات", "هاش", "ها",
)
COMPARATIVE_SUFFIXES = ("ترین", "تر")
INDEFINITE = "ای"
_LEMMA_SUFFIXES = frozenset(("ان", "ات", "یان", *COMPARATIVE_SUFFIXES, *PLURAL_SUFFIXES))
# Word endings a gazetteer entry must have to matter (the build script keeps only these).
TREEBANK_ENDINGS = ("ان", "ات", "تر", "ترین", *PLURAL_SUFFIXES)  # words rule 0 decides
GAZETTEER_ENDINGS = ("ها", "های", "هایی", "ان", "ات", "تر", "ترین", "ای")
# A place's or country's name may also end in the letters of a clitic the stemmer cuts (rule 7's «ش»,
# rule 6's «ی» after «و»): «املش» (Amlash) is no «امل» + «ش», «گیوی» no «گیو» + «ی», «اتریش», «مراکش»
# (index schema 30). First names keep ``GAZETTEER_ENDINGS``: the names file holds «مهرش», «داروش».
PLACE_ENDINGS = (*GAZETTEER_ENDINGS, "ش", "وی")
NOUNISH = frozenset({"N", "AJ"})
# ``Lexicon.noun_before_rare_verb``: a noun hazm counts this often («پا» 32,102,287) whose verb it counts as
# an infinitive fewer than ``RARE_VERB`` times («پاییدن» 33) reads «پایم» as the noun's (rule 9)
NOUN_FIRST = 100_000
RARE_VERB = 1_000
# hazm tags of closed-class (function) words: a word with one of them is never a stem.
FUNCTION_TAGS = frozenset({"P", "PRO", "DET", "CONJ"})
# hazm also tags NUM some 4,000 nouns that are no numerals («نام», «راه», «جواب», «هوا», «دانش»,
# «خدا», «آخر»): the tag excludes a word only when it is a number word (a cardinal, or its ordinal
# in «م»/«مین», as «سوم», «بیستمین»; and «اول», «نخست»).
CARDINALS = frozenset(normalize(word) for word in (
    "صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "یازده", "دوازده",
    "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "هیجده", "نوزده", "بیست", "سی", "چهل",
    "پنجاه", "شصت", "هفتاد", "هشتاد", "نود", "صد", "یکصد", "دویست", "سیصد", "چهارصد", "پانصد",
    "ششصد", "هفتصد", "هشتصد", "نهصد", "هزار", "میلیون", "میلیارد", "بیلیون", "تریلیون", "نیم",
    "چند",
))
ORDINALS = frozenset(normalize(word) for word in ("اول", "اولین", "نخست", "نخستین", "سوم", "سومین"))


def number_word(word: str) -> bool:
    """A cardinal or an ordinal of one («پنج», «پنجم», «پنجمین», «سوم», «اول»)."""
    return (word in CARDINALS or word in ORDINALS or word.endswith("م") and word[:-1] in CARDINALS
            or word.endswith("مین") and word[:-3] in CARDINALS)


class Lexicon:
    """hazm's tagged words (word → (frequency, tags)), the gazetteers' names and the treebanks'
    lemmas of «ان»/«ات» words (form → (own, lemma, count))."""

    def __init__(self, words: dict[str, tuple[int, frozenset[str]]], names: frozenset[str],
                 verb_stems: frozenset[str] = frozenset(), past_stems: frozenset[str] = frozenset(),
                 treebank: dict[str, tuple[int, str, int]] | None = None,
                 first_names: frozenset[str] = frozenset(), broken_plurals: dict[str, str] | None = None,
                 surname_roots: frozenset[str] = frozenset()):
        self.words = words
        self.broken_plurals = broken_plurals or {}  # «مناطق» → «منطقه» (rule 00)
        self.names = names  # places, countries and first names
        self.first_names = first_names - (names - first_names)  # only first names («مردان»)
        self.verb_stems = verb_stems  # present stems of hazm's verbs.dat («طلب», «نگار»)
        self.past_stems = past_stems  # past stems of hazm's verbs.dat («نشست», «کرد»)
        self.treebank = treebank or {}
        self.surname_roots = surname_roots  # first names that are content words («کریم»: «کریمیان»)

    def treebank_says(self, word: str) -> str | None:
        """What the UD treebanks' lemmas say of an «ان»/«ات» word: None when they do not hold it;
        else the lemma it is a regular plural of («زندانیان» → «زندانی»), or "" — not to be cut:
        a word of its own (its own lemma in at least half of its occurrences: «تسهیلات»,
        «انتخابات») or the plural of a lemma it is no regular plural of («دوران» → «دوره»,
        «دیگران» → «دیگری»)."""
        entry = self.treebank.get(word)
        if entry is None:
            return None
        own, lemma, count = entry
        if own >= count or not _regular_plural_of(word, lemma):
            return ""
        return lemma

    def tags(self, word: str) -> frozenset[str]:
        entry = self.words.get(word)
        return entry[1] if entry else frozenset()

    def freq(self, word: str) -> int:
        entry = self.words.get(word)
        return entry[0] if entry else 0

    def unattested(self, word: str) -> bool:
        """A tagged word hazm's corpus never met (frequency 0): a spelling its lexicon lists, such as
        the ezafe form «تقاضای» (N, 0) of «تقاضا» (914,246), not a word of its own (rule 6)."""
        entry = self.words.get(word)
        return entry is not None and entry[0] == 0 and word not in self.names

    def protected(self, word: str) -> bool:
        """A word of its own: a name, or a tagged lexicon word that hazm does not tag plural."""
        if word in self.names:
            return True
        tags = self.tags(word)
        return bool(tags) and "PL" not in tags

    def content_word(self, word: str) -> bool:
        """Tagged noun or adjective and never a function word («کم», «اثر», «دیده»; not «دیگر»
        (PRO), «بعد» (P), «به» (P), «همه» (DET)) nor a number word («دو», «سوم»; hazm's NUM tag
        on «نام», «راه», «هوا» is not one: ``number_word``)."""
        tags = self.tags(word)
        return bool(tags & NOUNISH) and not tags & FUNCTION_TAGS and not ("NUM" in tags and number_word(word))

    def possessor(self, word: str) -> bool:
        """A word a possessive clitic may follow though it is no content word (rule 7): a quantifier
        hazm tags determiner besides noun or adjective («اکثر», «اندک»: «اکثرشان», most of them), or,
        untagged, a word of four letters or more in «ی» after a consonant made of a content word,
        which hazm's lexicon mostly lacks («آزادی», «توحیدی», «کودکی»: «آزادیش»)."""
        tags = self.tags(word)
        if tags:
            return bool(tags & NOUNISH) and not tags & (FUNCTION_TAGS - {"DET"}) and not number_word(word)
        return len(word) >= 4 and word[-1] == "ی" and word[-2] not in "او" and self.content_word(word[:-1])

    def surname_root(self, word: str) -> bool:
        """A word in «ی» that is a first name made of a first name, both content words of hazm's
        lexicon (``surname_roots``: «محمدی» of «محمد», «احمدی», «حیدری», «جعفری»): its «…یان» is a
        surname («محمدیان»), no plural (rule 4; hazm tags «محمدی» a noun). Not an Arabic participle in
        «ی» («حامی», «قاضی», «راوی»: «حامیان» is a plural), whose rest is no name (index schema 30)."""
        return word[-1:] == "ی" and word in self.surname_roots and word[:-1] in self.surname_roots

    def noun_preposition(self, word: str) -> bool:
        """A noun hazm also tags preposition, and adjective or adverb, of three letters or more and
        common (frequency 1,000 or more): «کنار», «برابر», «اطراف», «مقابل», «داخل», «دور» take a
        possessive clitic as a noun does («کنارش», «برابرش», «اطرافشان»: rule 7, index schema 30).
        Not a preposition hazm tags noun only besides («برای»), nor a pronoun, determiner or
        conjunction."""
        tags = self.tags(word)
        return (len(word) >= 3 and {"N", "P"} <= tags and bool(tags & {"AJ", "ADV"})
                and not tags & {"PRO", "DET", "CONJ"} and self.freq(word) >= 1000)

    def noun_before_rare_verb(self, word: str) -> bool:
        """A noun hazm counts at least ``NOUN_FIRST`` times whose spellings («پا», «پای») are present
        stems only of verbs whose infinitive it counts fewer than ``RARE_VERB`` times («پاییدن» 33):
        the bare word + the glide + «م» is the noun's («پایم», my foot; rule 9), as the verb's first
        person is written with a prefix («می‌پایم»). Not «رو» («رفتن» 3,241,056: «می رویم»), «بو»
        («بوییدن» 19,201), «نما» («نمودن»), nor a word hazm tags adverb too («بسا»: «بسایم», I touch)."""
        if self.freq(word) < NOUN_FIRST or not self.content_word(word) or not self.tags(word) <= {"N", "AJ", "CL"}:
            return False
        infinitives = [past + "ن" for stem in (word, word + "ی") for past in verb_pasts().get(stem, ())]
        return bool(infinitives) and all(self.freq(infinitive) < RARE_VERB for infinitive in infinitives)

    def nounish(self, word: str, min_freq: int = 0) -> bool:
        entry = self.words.get(word)
        return bool(entry and entry[1] & NOUNISH and entry[0] >= min_freq)


@cache
def verb_pasts() -> dict[str, tuple[str, ...]]:
    """present stem → the past stems of its verbs (hazm's verbs.dat: ``data/verb_pairs_fa.txt``)."""
    pasts: dict[str, list[str]] = {}
    for line in (DATA_DIR / "verb_pairs_fa.txt").read_text(encoding="utf-8").splitlines():
        past, present = line.split()
        pasts.setdefault(present, []).append(past)
    return {present: tuple(found) for present, found in pasts.items()}


@cache
def lexicon() -> Lexicon:
    words: dict[str, tuple[int, frozenset[str]]] = {}
    with gzip.open(DATA_DIR / "lexicon_fa.tsv.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            word, freq, tags = line.rstrip("\n").split("\t")
            words[word] = (int(freq), frozenset(tags.split(",")))
    names: set[str] = set()
    for name in ("places_fa.txt", "names_fa.txt", "countries_fa.txt", "own_words_fa.txt"):
        names.update(w for w in (DATA_DIR / name).read_text(encoding="utf-8").split() if w)
    names.update(county_seats(words))
    first = frozenset((DATA_DIR / "names_fa.txt").read_text(encoding="utf-8").split())
    stems = (DATA_DIR / "verb_stems_fa.txt").read_text(encoding="utf-8").split()
    past = (DATA_DIR / "verb_past_stems_fa.txt").read_text(encoding="utf-8").split()
    treebank: dict[str, tuple[int, str, int]] = {}
    for line in (DATA_DIR / "treebank_lemmas_fa.tsv").read_text(encoding="utf-8").splitlines():
        form, own, lemma, count = line.split("\t")
        treebank[form] = (int(own), lemma, int(count))
    broken = {}
    for line in (DATA_DIR / "broken_plurals_fa.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            plural, singular = line.split("\t")
            broken[normalize(plural)] = normalize(singular)
    roots = frozenset((DATA_DIR / "surname_roots_fa.txt").read_text(encoding="utf-8").split())
    return Lexicon(words, frozenset(names), frozenset(stems), frozenset(past), treebank, first, broken, roots)


def place_word(word: str) -> bool:
    """Whether a word of a place's name can matter to the stemmer: four letters or more, ending in
    the letters of a suffix or clitic it cuts (``PLACE_ENDINGS``); the others it never cuts."""
    return len(word) >= 4 and word.endswith(PLACE_ENDINGS)


def county_seats(words: dict[str, tuple[int, frozenset[str]]]) -> set[str]:
    """The county seats' names of ``data/county_seats_fa.txt`` («بختگان», «گیوی», «ورزقان»), normalized,
    and the words of a name of several words that hazm's lexicon ``words`` does not tag («جرگلان»):
    a tagged word of such a name is a common word and stays one («آزادگان» of «دشت آزادگان»), and the
    name written joined is no name, so «دشتازادگان» is still also read «دشت آزادگان»
    (``compound_halves.may_split``); of these, those ``place_word`` keeps, and no word hazm tags plural
    («محلات», «قائنات»: a plural first, as for GeoNames' names). Index schema 30."""
    out: set[str] = set()
    for line in (DATA_DIR / "county_seats_fa.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name = normalize(line).replace(ZWNJ, " ").split()
            out.update(w for w in name if (len(name) == 1 or w not in words)
                       and place_word(w) and "PL" not in words.get(w, (0, frozenset()))[1])
    return out


def _regular_plural_of(form: str, lemma: str) -> bool:
    """Whether ``form`` is ``lemma`` + «ان»/«ات»/«یان»/«تر»/«ترین»/«ها…» (a suffix of
    ``PLURAL_SUFFIXES``), «…ه»/«…ت» → «…گان»/«…ات»/«…یات», or «…ه» + the indefinite «ای»
    («مقاله‌ای», written joined «مقالهای»), or a word in «ا»/«و» + the ezafe «ی» («بهای»)."""
    if len(lemma) < 2 or not form.startswith(lemma[:-1]):
        return False
    if form[len(lemma):] in _LEMMA_SUFFIXES and form.startswith(lemma):
        return True
    if lemma[-1] == "ه" and form == lemma + INDEFINITE or lemma[-1] in "او" and form == lemma + "ی":
        return True  # «مقالهای» (rule 0), «بهای» (price of: rule 6)
    return lemma[-1] in "هت" and form in (lemma[:-1] + "گان", lemma[:-1] + "ات", lemma[:-1] + "یات")
