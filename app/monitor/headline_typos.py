"""A headline's typo fixed, told from another headline one letter away (hostile feeds, round 17; a review, session 43).

``typo_fixed`` lets an entry known by its words update the item whose headline is its own with a typo fixed
(app/monitor/entry_lookup.py, ``WordKeyedEdits``). One letter is not always a typo: the negative «ن» («می‌شود» →
«نمی‌شود», «کرد» → «نکرد») is a cancellation or a denial, a short word's letter another town («قم», «بم»; «خوی»,
«خور»), a long vowel's letter in a word of five letters or fewer another person («حسنی», «حسینی»; «محمدی», «محمودی»). Read as the first headline
fixed, the first story was overwritten by the second. Those edits are another story; a typo is a letter
written as another that looks or sounds alike («آپ» → «آب», «یذد» → «یزد»), or any other one edit in a longer word («استندار» → «استاندار»),
or a long vowel's letter put back into a short word that no word list knows (nor once its inflection is off), making a word or name they know
(«آبادن» → «آبادان», «کرمن» → «کرمان»: the lexicon and gazetteers of ``search_index.lexicon``; hostile feeds, round 18).
"""
from __future__ import annotations

from search_index.lexicon import lexicon
from search_index.stems import stem

__all__ = ["typo_fixed"]

_NEGATIVE = "ن"
_LONG_VOWELS = "اوی"  # (normalized: «آ» is «ا»)
# Letters one skeleton apart by their dots, or one sound (a speller's slip): a short word's typo is one of these.
_ALIKE = [set(group) for group in ("بپتثن", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ",
                                   "ذزضظ", "سصث", "تط", "هح", "قغ", "اع")]
SHORT_WORD = 3  # letters: a word of this many or fewer is a name or a particle, one letter another word
NAME_LENGTH = 5  # letters: up to this, a long vowel's letter more or less is read as another name, not a typo


def typo_fixed(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Whether headline ``new`` (normalized words) is ``old`` with a typo fixed in one or two of its words
    (three words at least): each word one letter added, dropped, replaced or swapped with its neighbour,
    no digit in either (a number changed names another notice, a district or a day), and none of the
    edits above that make it another story."""
    if len(old) != len(new) or len(old) < 3 or old == new:
        return False
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    return len(changed) <= 2 and all(_typo(a, b) and not any(c.isdigit() for c in a + b) for a, b in changed)


def _typo(a: str, b: str) -> bool:
    short = min(len(a), len(b)) <= SHORT_WORD
    if len(a) == len(b):
        at = [n for n in range(len(a)) if a[n] != b[n]]
        if len(at) == 2:  # two neighbours swapped
            return not short and at[1] == at[0] + 1 and a[at[0]] == b[at[1]] and a[at[1]] == b[at[0]]
        if len(at) != 1:
            return False
        x, y = a[at[0]], b[at[0]]
        if at[0] == 0 and _NEGATIVE in (x, y):  # «بخرد» / «نخرد»
            return False
        return not short or any(x in group and y in group for group in _ALIKE)
    shorter, longer = sorted((a, b), key=len)
    if len(longer) != len(shorter) + 1 or short:
        return False
    for n in range(len(longer)):
        if longer[:n] + longer[n + 1:] == shorter:
            letter = longer[n]
            if n == 0 and letter == _NEGATIVE:
                return False
            return letter not in _LONG_VOWELS or len(shorter) > NAME_LENGTH or (b == longer and _known(b) and not _word_of_its_own(a))
    return False


def _known(word: str) -> bool:
    """Whether a word is one of the word lists' (hazm's lexicon, the gazetteers and first names, the surnames' roots)."""
    known = lexicon()
    return word in known.words or word in known.names or word in known.surname_roots


def _word_of_its_own(word: str) -> bool:
    """A word the lists hold, or hold once its plural or clitic («زنان», «اجرای»), its «ی» or a possessive («قبلی»,
    «پدرم») or its negation («نبود») is off: the lexicon lists few inflected forms, and «نبود» → «نابود», «قبلی» →
    «قبولی» were read as typos fixed (a review of round 18)."""
    known = lexicon()
    return _known(word) or stem(word) not in (None, word) or (word[-1] in "یمتش" and _known(word[:-1])) or \
        (word[0] in "نب" and (_known(word[1:]) or word[1:] in known.past_stems or word[1:] in known.verb_stems))
