"""The keys the media directory finds duplicates by: a name as the shared Persian analysis
normalizes it (Arabic «ي/ك», ZWNJ, diacritics and digits folded), with the ezafe written out
(«روزنامه‌ی»; «روزنامهء» the normalization folds itself) read as «روزنامهٔ» and without spaces — Persian writes the parts of one
name apart, with a ZWNJ or joined («محمدرضا»، «محمد رضا»، «محمد‌رضا»; «خبرگزاری»، «خبر گزاری») —, and
a phone in E.164 (app/services/phones.py). Migration 0025 computes the stored keys this way."""
from __future__ import annotations

from search_index.persian import normalize

NAME_KEY_LENGTH = 200


def name_key(name: str, length: int | None = NAME_KEY_LENGTH) -> str:
    """«علي  رضائي», «علیرضایی» and «علی رضایی» give one key; so do «روزنامه‌ی شهر», «روزنامهء شهر»
    and «روزنامهٔ شهر». ``length=None``: the whole key (a case's title, app/services/case_twins.py)."""
    words: list[str] = []
    for word in normalize(name or "").replace("\u200c", " ").split():
        if word == "ی" and words and words[-1].endswith("ه"):
            continue  # the ezafe written apart: «روزنامه‌ی شهر»
        words.append(word)
    return "".join(words)[:length]
