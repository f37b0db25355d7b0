"""The written grading rules, applied the same way to every pooled article.

Each query of ``queries.jsonl`` names its topic as a few regular expressions (``topic``), written
before any system was run: the query's words with their inflections, compounds typed with or
without a space, and the synonyms a reader takes for the same topic (for «قطعی آب»: «قطع آب»,
«جیره‌بندی آب», «بی‌آبی»; for «زلزله»: «زمین‌لرزه»), which none of the three systems expands.
They are matched against the article read the way a person reads it: letter forms folded
(ي/ی, ك/ک, ة/ه, آ/ا, digits), diacritics and tatweel ignored, ZWNJ read as a space.

Grade 2 — the topic is the article's main subject: it is named in the title, or in the lead
          (the abstract) and at least once more in the article.
Grade 1 — the topic is mentioned substantively: at least twice in the article, or once in the lead.
Grade 0 — not mentioned, or a single passing mention in the body.
"""
from __future__ import annotations

import re
from functools import cache

from search_index.persian import normalize


def reading_text(text: str) -> str:
    """The text as the grader reads it: folded letters, ZWNJ and runs of spaces as one space."""
    return " ".join(normalize(text).replace("\u200c", " ").split())


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def occurrences(patterns: list[str], text: str) -> int:
    return len(_compiled(tuple(patterns)).findall(reading_text(text)))


def grade(topic: list[str], article: dict) -> tuple[int, str]:
    """(grade, reason) of ``article`` for a query whose topic is ``topic``."""
    in_title = occurrences(topic, article["title"])
    in_lead = occurrences(topic, article.get("abstract", ""))
    in_body = occurrences(topic, "\n".join(article["paragraphs"]))
    total = in_title + in_lead + in_body
    reason = f"title {in_title}, lead {in_lead}, body {in_body}"
    if in_title or (in_lead and total >= 2):
        return 2, reason
    if total >= 2 or in_lead:
        return 1, reason
    return 0, reason
