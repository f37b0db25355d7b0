"""Reported questions and complaints: how a reporter writes what a group of people asks, waits to
hear or complains of («اهالی … می‌پرسند چرا …», «سوال اهالی این است که …», «خواستار پاسخ‌اند»,
«گله‌مندند»), found by regular expressions on the detector's folded text (Arabic ي/ك as Persian;
ZWNJ, a space or nothing between the parts of a word).

Regular expressions, not routing rules: a rule's phrase «می‌پرسند» starts with the term «می»,
which nearly every Persian text has, so the matcher would explain it on every item (measured on
the 1,491 articles: 2.6–2.8 ms per item for the detector instead of 1.0–1.2 ms). The words are
few and their spellings known; these expressions cost ~0.09 ms per item (title and 5,000
characters of body).
"""
from __future__ import annotations

import re

PEOPLE_WORDS = (
    "مردم", "ساکنان", "اهالی", "شهروندان", "روستاییان", "همشهریان", "کشاورزان", "باغداران",
    "دامداران", "کارگران", "رانندگان", "بیماران", "والدین", "خانواده‌ها", "مالباختگان",
    "بازنشستگان", "تولیدکنندگان", "مستأجران", "مسافران", "مشترکان", "متقاضیان")

_J = r"[\s\u200c]?"  # the parts of one word: joined, ZWNJ or a space
_S = r"[\s\u200c]+"  # between two words
_END = r"(?!\w)"  # a ZWNJ may follow («پاسخ‌اند»)
_QUESTION = r"(?:سوال|سؤال|پرسش)"


def _words(*words: str) -> str:
    return "|".join(w.replace("\u200c", _J) for w in words)


# Third-person verbs of asking and waiting for an answer: the reported question itself.
ASKED_RE = re.compile(r"(?:" + "|".join([
    r"می" + _J + r"پرسند",
    r"پرسیده" + _J + r"اند",
    _QUESTION + _S + r"(?:می" + _J + r"کنند|دارند|کرده" + _J + r"اند)",
    r"(?:خواستار|منتظر)" + _S + r"(?:پاسخ|جواب)(?:" + _J + r"گو(?:یی|ئی))?",
    r"(?:پاسخی|جوابی)" + _S + r"(?:نگرفته" + _J + r"اند|دریافت" + _S + r"نکرده" + _J + r"اند)",
]) + r")" + _END)

# Complaints reported in the third person that the detector's word cues do not hold
# («گلایه دارند» and «معترضند» they do). Not «گله دارند»: a herd is «گله» too.
GRIEVANCE_RE = re.compile(r"(?:" + "|".join([
    r"گله" + _J + r"مند(?:ند)?",
    r"گله" + _S + r"می" + _J + r"کنند",
    r"شاکی" + _J + r"(?:اند|هستند)",
]) + r")" + _END)

# «پرسش یک شهروند …», «سوال اهالی روستا این است که …», «پرسش بسیاری از مردم»: a question whose
# owner is a group of people.
PEOPLES_QUESTION_RE = re.compile(
    _QUESTION + r"(?:" + _J + r"ها)?(?:" + _J + r"ی)?" + _S
    + r"(?:(?:یک|برخی|بسیاری|جمعی|شماری|عده" + _J + r"ای|تعدادی|یکی)(?:" + _S + r"از)?" + _S + r")?"
    + r"(?:" + _words(*PEOPLE_WORDS, "شهروند", "ساکن") + r")" + r"(?![\w\u200c])")


def _has_any(text: str, keys: tuple[str, ...]) -> bool:
    return any(key in text for key in keys)  # most texts have none: skip the expressions


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """The matches that start a word (the expressions have no look-behind: with one, the engine
    tries every position of a 5,000-character body; without, it jumps to the first letters)."""
    return [m.span() for m in pattern.finditer(text)
            if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_\u200c")]


def asked_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each reported question in ``text``: a verb of asking or a people's question."""
    if not _has_any(text, ("پرس", "سوال", "سؤال", "پاسخ", "جواب")):
        return []
    return sorted({span for pattern in (ASKED_RE, PEOPLES_QUESTION_RE) for span in _spans(pattern, text)})


def grievance_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each third-person complaint verb that the word cues miss."""
    return _spans(GRIEVANCE_RE, text) if _has_any(text, ("گله", "شاکی")) else []
