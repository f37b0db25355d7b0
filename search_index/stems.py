"""Stems of words and of compounds written with a space, the stop list they skip, and the «و»
written onto a compound's second word after a ZWNJ («آموزش‌وپرورش»: ``conjunction_part``).

Compound halves (third round, 2026-12-02; the labelling rule of ``bench/morphology/README.md``:
the half of a compound whose lemma is the compound is not a form of the half). When the stem of
an inflected word, joined to the word before it, is a word of hazm's lexicon («دانش آموختگان»:
«دانشآموخته», «کشته شدگان»: «کشته‌شده»), the pair is a compound written with a space: it gives
the compound's stem «~دانشآموخته» at both words' positions and no «~آموخته», so «آموخته» does not
find «دانش آموختگان» while «دانش آموخته» does (``compound_forms``: the query side also asks a
pair of query words for that stem term). Likewise a ZWNJ compound that hazm lists
(«جنگ‌زدگان»: «جنگزده») gives no stem for its last part. Two exceptions: the word before must
not be a stop word («با», «به», «بی», «زیر» join too many words by their letters), and a half the
UD treebanks lemmatize as a token of its own keeps its stem (they split spaced compounds:
«کنندگان» → «کننده», so «کننده» still finds «مصرف کنندگان»).

The stems themselves are ``search_index.stemmer``'s (rules and sources in its module doc); the
tokenizer (``search_index.persian``) and the query side (``search_index.query_terms``) call them
through here, with the stop list.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from search_index import stemmer
from search_index.lexicon import lexicon
from search_index.normalization import normalize
from search_index.stemmer import BOUNDARY_SUFFIXES

__all__ = ["CONJUNCTION", "KEPT_WORDS", "STOPWORDS_PATH", "agent_half_base", "compound_left", "compound_stem", "compound_whole",
           "conjunction_part", "conjunction_split", "free_half", "is_stopword", "split_conjunctions", "stem", "stem_at_boundary", "stem_parts",
           "stopwords"]


def compound_stem(left: str, base: str, half: str) -> str | None:
    """The stem of the compound «left half» when ``left`` + ``base`` (the stem of ``half``) is a
    word of hazm's lexicon («دانش» + «آموختگان» → «دانشآموخته»): the word before an inflected word
    is then the first half of a compound whose lemma is the compound, and ``half`` no word of its
    own. ``left`` must be a word of at least two letters and not a stop word («با», «به», «بی»
    join too many words by their letters). A half the treebanks annotate as a token of its own
    with a lemma («کنندگان» → «کننده»: they split spaced compounds) keeps its own stem."""
    return compound_whole(left, base, half) if compound_left(left) else None


def compound_left(left: str) -> bool:
    """Whether ``left`` may be the first half of a spaced compound (``compound_stem``)."""
    return len(left) >= 2 and left.isalpha() and not left.isascii() and left not in stopwords()


def compound_whole(left: str, base: str, half: str) -> str | None:
    """``compound_stem`` for a ``left`` that may be a first half."""
    whole = left + base
    return whole if not free_half(whole, half) else None


def agent_half_base(half: str) -> str | None:
    """The verb's present stem of an agent noun's plural that has no stem of its own («آموزان» of
    «دانش آموزان», «گذاران» of «سرمایه گذاران»): the second half of a spaced compound whose
    singular is «دانش‌آموز» (``compound_whole`` decides with the word before it)."""
    if len(half) >= 4 and half.endswith("ان") and half[:-2] in lexicon().verb_stems:
        return half[:-2]
    return None


def free_half(whole: str, half: str) -> bool:
    """Whether ``half`` stands for itself inside the compound whose stem is ``whole``: the compound
    is no word of hazm's lexicon, or the treebanks lemmatize ``half`` as a token of its own."""
    return not lexicon().tags(whole) or bool(lexicon().treebank_says(half))


def stem(term: str, possessive: bool = True) -> str | None:
    """The stem of a normalized, ZWNJ-free term (``search_index.stemmer``; stop words never;
    ``possessive=False``: a query word's, see ``stemmer.stem``)."""
    return stemmer.stem(term, stopwords(), possessive)


def stem_at_boundary(left: str, suffix: str) -> str | None:
    """The stem of ``left`` written with a boundary (ZWNJ or space) before ``suffix``, or None."""
    return stemmer.stem_at_boundary(left, suffix, stopwords())


def stem_parts(parts: list[str], possessive: bool = True) -> str | None:
    """The stem of a word given as its normalized ZWNJ parts (a boundary before a suffix counts)."""
    if len(parts) == 1:
        return stem(parts[0], possessive)
    if parts[-1] in BOUNDARY_SUFFIXES:
        return stem_at_boundary("".join(parts[:-1]), parts[-1])
    joined = "".join(parts)
    base = stem(joined, possessive)
    # A cut across a written boundary is no suffix: «نشسته‌ایم» is not «نشست» + «هایم».
    if base is None or len(base) < len(joined) - len(parts[-1]):
        return None
    return base


# --- stop words ------------------------------------------------------------------------------

STOPWORDS_PATH = Path(__file__).with_name("stopwords_fa.txt")
# Entries of the Lucene/Savoy list that are content words for a PR desk: never dropped.
# The second line holds second halves of compounds often typed with a space («بهره برداری»).
KEPT_WORDS = frozenset(normalize(w) for w in (
    "خدمات", "مردم", "میلیون", "میلیارد", "هزار", "حق", "نام", "امروز", "امسال", "دیروز",
    "جدید", "کار", "کمک", "مختلف", "ضد", "خارج", "راه", "جریان", "سابق",
    "سازی", "گیری", "بندی", "ریزی", "گذاری", "برداری", "شناسی",
    # what a PR officer asks about (a review of search, round 6: «علت حادثه» returned every «حادثه»
    # article, 7 of its top 10 without «علت»; «جلوگیری از قاچاق» searched «قاچاق»)
    "علت", "جلوگیری", "بروز", "قصد",
))


@cache
def stopwords() -> frozenset[str]:
    """Normalized stop words from stopwords_fa.txt, minus ``KEPT_WORDS``."""
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    words = {normalize(line.strip()) for line in lines if line.strip() and not line.startswith("#")}
    return frozenset(words - KEPT_WORDS)


def is_stopword(term: str) -> bool:
    """True for a normalized term on the stop list (used for free-text queries only)."""
    return term in stopwords()


# --- «و» written onto the second word of a compound (index schema 16) ------------------------------

CONJUNCTION = "و"


def conjunction_part(term: str) -> str | None:
    """The word of a part written after a ZWNJ with «و» (and) joined to it — «آب‌وفاضلاب»,
    «آموزش‌وپرورش», «صدا‌وسیما», «کسب‌وکار» —, which the part becomes with the «و» a part of its
    own, so the compound is the phrase its spaced spelling is (an agency's name found either way;
    a review of search); None for a part that is a word itself («نخست‌وزیر», «به‌ویژه»,
    «هم‌وطن») or whose rest is no noun, adjective or name of three letters or more («بهره‌وری»,
    «حمله‌ور»); an inflected word after it too («ورزش‌وجوانان»: schema 24). Index schema 16.
    A word written apart that begins so is such a part too («آموزش وپرورش»: ``word_parts.split_parts``)."""
    if len(term) < 4 or term[0] != CONJUNCTION:
        return None
    rest = term[1:]
    words = lexicon()
    if term in words.words or term in words.names or is_stopword(rest):
        return None
    if term in NOT_CONJUNCTION or _verb_in_va(term, words):
        return None
    whole = stem(term)  # «واحدهای», «وزیران»: forms of a word in «و», as «نخست‌وزیران» holds one
    if whole and (whole in words.words or whole in words.names) or any(
            term.endswith(end) and term[:-len(end)] in words.words for end in ("ی", "یی")):
        return None  # «واحدی», «وزنی», «وداعی»: a word in «و» and its «ی»
    if words.content_word(rest) or rest in words.names:
        return rest
    base = stem(rest)  # «ورزش‌وجوانان»: a plural (a review of search, round 9: «جوانان» was no word)
    return rest if base and (words.content_word(base) or base in words.names) else None


# Words in «و» the lexicon does not know, each written apart in the test articles and read as «و» and a
# word by the first version of schema 24 (the code review): a name, a misspelling of «وزرای», Walt.
NOT_CONJUNCTION = frozenset({"ودود", "وزاری", "والت", "ولایه", "وانا", "وحید", "وهاب"})
_VERB_ENDINGS = frozenset({"", "م", "ی", "د", "یم", "ید", "ند", "ان", "نده", "ندگان", "ه", "ن"})


def _verb_in_va(term: str, words) -> bool:
    """Whether ``term`` is a form of a verb whose stem begins with «و»: «ورزم», «اندیشه ورزان», «وزید»."""
    return any(term.startswith(verb) and term[len(verb):] in _VERB_ENDINGS for verb in _va_verbs(words))


@cache
def _va_verbs(words) -> tuple[str, ...]:
    return tuple(verb for verb in (*words.verb_stems, *words.past_stems) if len(verb) >= 2 and verb[0] == CONJUNCTION)


def conjunction_split(word: str) -> tuple[str, str] | None:
    """The two words of a compound written joined around «و» — «صداوسیما», «آبوهوا», «کسبوکار» —,
    which the query side also looks for as the phrase «صدا و سیما» (its commonest spelling: the
    joined «صداوسیما» missed 13 of the 19 articles writing it spaced; a review of search, round 6);
    None when no «و» inside stands between two content words or names (a first of two letters at
    least, a second of three, neither a stop word, and in a word of the lexicon the first no word
    with the «و»: «نخستوزیر», «بهویژه», «شهروند», «داروخانه» are no such compounds; nor is an
    inflected word, «ماموران»). The first such «و» from the left."""
    words = lexicon()
    if CONJUNCTION not in word[2:-3] or stem(word):
        return None  # an inflected word is no compound: «ماموران» (no «مام و ران»), «دستورها» (the review)
    for i in range(2, len(word) - 3):
        if word[i] != CONJUNCTION:
            continue
        left, right = word[:i], word[i + 1:]
        if is_stopword(left) or is_stopword(right) or (word in words.words and words.content_word(left + CONJUNCTION)):
            continue  # «داروخانه», a word: «دارو» + «خانه», no «و» between («آبوفاضلاب» is no word: «آب» + «فاضلاب»)
        if all(words.content_word(half) or half in words.names for half in (left, right)):
            return left, right
    return None


def split_conjunctions(parts: list[str]) -> list[str]:
    """The parts of a ZWNJ-written word (query side) as ``word_parts.split_parts`` gives them to the index."""
    out: list[str] = []
    for part in parts:
        rest = conjunction_part(part) if out else None
        out += [part] if rest is None else [CONJUNCTION, rest]
    return out
