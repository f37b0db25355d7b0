"""Persian alphabetical order for lists people read (pure Python: PyICU is not installed here, and
no maintained pure-Python library carries the Persian tailoring; the Unicode default order puts
ه before و, as Arabic does).

``sort_key(text)`` orders by the Persian alphabet, آ ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق
ک گ ل م ن و ه ی, where code points put پ چ ژ ک گ after letters they precede and ه before و. Arabic
forms count as their Persian letter (ي ى ئ → ی, ك → ک, ة ۀ → ه, أ إ ٱ ء → ا, ؤ → و); ZWNJ, diacritics,
tatweel, invisible marks and punctuation are ignored; a space comes before any letter (so «علی
رضایی» before «علیرضا»); digits (any script) before letters, Persian letters before Latin ones
(case folded). Texts equal so far are ordered by their own characters, so the order is total.
"""
from __future__ import annotations

import unicodedata

from search_index.normalization import INVISIBLE, ZWNJ, ascii_digits

ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_FOLD = {"ي": "ی", "ى": "ی", "ئ": "ی", "ے": "ی", "ۓ": "ی", "ك": "ک", "ڪ": "ک", "ة": "ه", "ۀ": "ه", "ہ": "ه",
         "ھ": "ه", "ە": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ء": "ا", "ؤ": "و"}
_RANK = {letter: 100 + index for index, letter in enumerate(ALPHABET)}
_IGNORED = ZWNJ + "\u0640"  # tatweel is a letter to str.isalpha
_SPACE, _DIGIT, _OTHER_LETTER = 0, 10, 1000


def _rank(char: str) -> int | None:
    """A character's place, or None when it is ignored."""
    char = _FOLD.get(char, char)
    if char in _RANK:
        return _RANK[char]
    if char.isspace():
        return _SPACE
    digit = ascii_digits(char)
    if digit.isdigit() and digit.isascii():
        return _DIGIT + int(digit)
    if char.isalpha():
        return _OTHER_LETTER + ord(char.casefold()[0])
    return None  # ZWNJ, diacritics, tatweel, punctuation, symbols


def sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """The key that sorts ``text`` in Persian alphabetical order (see the module's docstring)."""
    ranks: list[int] = []
    for char in unicodedata.normalize("NFKC", text or ""):
        if char in _IGNORED or char in INVISIBLE:
            continue
        rank = _rank(char)
        if rank is None or (rank == _SPACE and (not ranks or ranks[-1] == _SPACE)):
            continue
        ranks.append(rank)
    while ranks and ranks[-1] == _SPACE:
        ranks.pop()
    return tuple(ranks), text or ""
