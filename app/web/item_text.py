"""How a news item's text is shown on a Persian page: its stored text is the outlet's own, kept as
fetched (search already reads «ي/ك» as «ی/ک» and «67» as «۶۷»); what a reader sees of a Persian
item is written as Persian writes it.

- Arabic «ي» and «ك» as Persian «ی» and «ک». A Persian feed in windows-1256 cannot write «ی» (the
  code page has none) and older sites type the Arabic letters: 681 of the 1,500 real articles in
  ../shared/data/persian-news hold an Arabic «ي». An Arabic quote inside a Persian item is shown
  with the Persian letters too, as Persian print sets it. An Arabic item («ar», or no language and
  Arabic letters only) keeps its own: there a dotless final «ی» reads as «ى», another letter.
- ASCII and Arabic-Indic digits as Persian ones, in words without Latin letters («۶۷ درصد»,
  «۱۴۰۵/۰۹/۱۶»); «COVID-19», «F1», a link or an address keep theirs.
"""
from __future__ import annotations

import re

from search_index.normalization import persian_letters
from search_index.persian import to_persian_digits

_PERSIAN_LETTERS = re.compile("[پچژگیک\u200c]")  # letters Arabic does not write, and the ZWNJ
_ARABIC_ONLY = re.compile("[ةىأإ]|\\bال")  # the tied «ة», alef maqsura, hamza seats, the article
_TOKEN = re.compile(r"[^\s<>]+")
_DIGIT = re.compile("[0-9\u0660-\u0669]")
_KEEPS_DIGITS = re.compile(r"[A-Za-z&#@_]")  # a Latin word, an HTML entity, an address
_TAG = re.compile(r"(<[^>]*>)")


def is_persian(language: str | None, text: str) -> bool:
    """Whether an item is shown with Persian letters and digits: its feed says Persian (or any
    language but Arabic), or says nothing and its text has a letter only Persian writes, or none
    only Arabic writes."""
    language = (language or "").strip().lower()
    if language.startswith("ar"):
        return False
    if language:
        return True
    return bool(_PERSIAN_LETTERS.search(text)) or not _ARABIC_ONLY.search(text)


def _digits(match: re.Match) -> str:
    word = match.group(0)
    if not _DIGIT.search(word) or _KEEPS_DIGITS.search(word) or "://" in word:
        return word
    return to_persian_digits(word)


def shown_text(text: str | None, persian: bool = True) -> str:
    """Plain text as a Persian page shows it (``persian=False``: as stored)."""
    if not text or not persian:
        return text or ""
    return _TOKEN.sub(_digits, persian_letters(text))


def shown_html(html: str | None, persian: bool = True) -> str:
    """The same for HTML already cleaned or escaped: the text between tags only, entities kept."""
    if not html or not persian:
        return html or ""
    return "".join(part if part.startswith("<") else shown_text(part) for part in _TAG.split(html))


def item_persian(item) -> bool:
    """``is_persian`` of an item, from its language and its title and text (the first 2,000 characters)."""
    cached = getattr(item, "_shown_persian", None)
    if cached is None:
        cached = is_persian(item.language, f"{item.title} {(item.text or '')[:2000]}")
        try:
            item._shown_persian = cached
        except AttributeError:  # not an object that takes attributes: computed each time
            pass
    return cached


def item_title(item) -> str:
    """An item's title as a Persian page shows it ('' when it has none)."""
    return shown_text(item.title, item_persian(item)) if item is not None else ""


def stored_item_title(title: str | None) -> str:
    """An item's title copied where the item is not at hand (a case's timeline keeps the title of
    each coverage item it decided on), shown as ``item_title`` shows the item's: Persian or not is
    judged from the title alone."""
    return shown_text(title, is_persian(None, title or ""))
