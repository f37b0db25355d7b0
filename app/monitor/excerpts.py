"""Whether a feed entry's description is an excerpt of its content (left out) or a lede written
apart (kept before the content, so search and routing read both): ``parse._content`` asks."""
from __future__ import annotations

import re

from search_index.persian import normalize

_WORD = re.compile(r"\w+")
_LEDE_WORDS = 8  # a summary whose first words stand in the content, in order, and all of whose words it has
# An excerpt is cut at its last «…» or «...» (``_last_cut``); what follows is a link's words:
_CUT_TAIL_WORDS = 3  # … at most these, after a cut of …
_CUT_MIN_WORDS = 5  # … at least these
_LINK_TAIL = re.compile(r"^\W*(?:continue reading|read more|ادامه (?:مطلب|خبر)|بیشتر بخوانید)|appeared first on|اولین بار در",
                        re.IGNORECASE)  # a link's words after a cut, not «… ادامه داد» (went on to say)


def is_excerpt(summary: str, content: str) -> bool:
    """Whether the summary is an excerpt of the content: its words stand in the content, in order
    and together — up to a cut, when it ends with one («…» or «...» and at most three words after
    it, or a link's: «Continue reading», «ادامه مطلب», «The post … appeared first on …»), the word before
    the cut left out (the cut may fall inside it); or its first eight words do and the content has
    every one of its words (a caption between). Words are compared as the index reads them (one
    normalization, no ZWNJ: «میشود» is «می‌شود»). The first eight words alone were the test: 135
    of the 1,500 articles the team reads have a lede whose first words the body repeats somewhere
    and that goes on with its own (62 with words the body has not: «مصدوم شدن 6 مسافر» was found
    by no search; a review of search, round 5)."""
    words = _words(summary)
    cut = _last_cut(summary)
    if cut is not None:
        before = _words(summary[:cut])
        if len(before) >= _CUT_MIN_WORDS and (len(words) - len(before) <= _CUT_TAIL_WORDS
                                               or _LINK_TAIL.search(summary[cut:])):
            words = before[:-1]  # a quoted «…» inside a lede is no cut: the whole lede is compared
    if not words:
        return True
    body = _words(content)
    within = f" {' '.join(body)} "
    if f" {' '.join(words)} " in within:
        return True
    if f" {' '.join(words[:_LEDE_WORDS])} " not in within:
        return False
    return set(words) <= set(body)


def _words(text: str) -> list[str]:
    return _WORD.findall(normalize(text).replace("\u200c", "").casefold())


def _last_cut(text: str) -> int | None:
    at = max(text.rfind("…"), text.rfind("..."))
    return at if at >= 0 else None
