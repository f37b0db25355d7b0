"""Interviews and sentences for the question detector (app/rules/detector.py): the journalist's own
questions in an interview («فارس: …؟» answered by «نام: …», «در پاسخ به این سؤال که آیا …») are not the
public's, and a sentence's bounds say where a group and its complaint stand together."""
from __future__ import annotations

import bisect
import re

_SENTENCE_END_RE = re.compile(r"[.!?؟\n]+")
_TURN_RE = re.compile(r"\s*([^\s:：]{2,20}(?: [^\s:：]{2,20}){0,2})\s*[:：]")  # «فارس:», «واحدی:»
_ASKER_LABELS = frozenset({"فارس", "خبرنگار", "سوال", "سؤال", "پرسش", "س"})
_SAYING = frozenset({"گفت", "افزود", "کرد", "داد", "داشت", "نمود", "شد", "است", "گفته", "افزوده"})
_ANSWER_TO_RE = re.compile(r"در پاسخ به (?:این |یک )?(?:سوال|سؤال|پرسش)")


def sentence_ends(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END_RE.finditer(text)]


def asked_by_journalist(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are a journalist's questions to the person interviewed: interview
    turns («فارس: …؟» followed by «نام: …») and sentences answering one («در پاسخ به این سؤال
    که آیا …»)."""
    spans = []
    lines = []
    start = 0
    for line in text.split("\n"):
        lines.append((start, start + len(line), line))
        start += len(line) + 1
    for i, (start, end, line) in enumerate(lines):
        turn = _turn(line)
        asker = turn in _ASKER_LABELS
        answered = ("؟" in line or "?" in line) and i + 1 < len(lines) and _turn(lines[i + 1][2])
        if asker or answered:
            spans.append((start, end))
    ends = sentence_ends(text)
    for m in _ANSWER_TO_RE.finditer(text):
        i = bisect.bisect_right(ends, m.start())
        spans.append((m.start(), ends[i] if i < len(ends) else len(text)))
    return spans


def outlet_turns(text: str) -> int:
    """How many lines are the outlet's questions of an interview («فارس: …», «خبرنگار: …»)."""
    return sum(_turn(line) in _ASKER_LABELS for line in text.split("\n") if ":" in line or "：" in line)


def _turn(line: str) -> str:
    """The speaker's label of an interview turn («فارس: …», «واحدی: …»), else ''; «وی افزود: …»
    is a quote, not a turn."""
    turn = _TURN_RE.match(line)
    if turn is None or turn.group(1).split()[-1] in _SAYING:
        return ""
    return turn.group(1)


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)
