"""The keys the media directory finds duplicates by: a name as the shared Persian analysis
normalizes it (Arabic «ي/ك», ZWNJ, diacritics and digits folded, spaces collapsed), and a phone
in E.164 (app/services/phones.py)."""
from __future__ import annotations

from search_index.persian import normalize

NAME_KEY_LENGTH = 200


def name_key(name: str) -> str:
    """«علي  رضائي» and «علی رضایی» give the same key."""
    return " ".join(normalize(name or "").replace("\u200c", " ").split())[:NAME_KEY_LENGTH]
