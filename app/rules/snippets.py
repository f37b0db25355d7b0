"""The snippet a question's reason shows (app/rules/detector.py): the words around a match."""
from __future__ import annotations

SNIPPET_CHARS = 40


def snippet(text: str, start: int, end: int) -> str:
    """Up to SNIPPET_CHARS either side of the match, cut between words: a cut inside one showed a word
    that is not there («…فته‌هاست» of «هفته‌هاست», «پاسخ…» of «پاسخگو»; a browser walk, session 39)."""
    left = max(0, start - SNIPPET_CHARS)
    right = min(len(text), end + SNIPPET_CHARS)
    if left and not text[left - 1].isspace():
        space = next((i for i in range(left, start) if text[i].isspace()), None)
        left = start if space is None else space + 1
    if right < len(text) and not text[right].isspace():
        space = next((i for i in range(right - 1, end - 1, -1) if text[i].isspace()), None)
        right = end if space is None else space
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")
