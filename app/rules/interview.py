"""Interviews and sentences for the question detector (app/rules/detector.py): the journalist's own
questions in an interview («فارس: …؟» answered by «نام: …», «در پاسخ به این سؤال که آیا …») are not the
public's, and a sentence's bounds say where a group and its complaint stand together."""
from __future__ import annotations

import bisect
import re

from app.rules.matcher import Hit
from app.rules.reported import PEOPLE_WORDS

_SENTENCE_END_RE = re.compile(r"[.!?؟\n]+")
_TURN_RE = re.compile(r"\s*([^\s:：]{2,20}(?: [^\s:：]{2,20}){0,2})\s*[:：]")  # «فارس:», «واحدی:»
_ASKER_LABELS = frozenset({"فارس", "خبرنگار", "سوال", "سؤال", "پرسش", "س"})
_SAYING = frozenset({"گفت", "افزود", "کرد", "داد", "داشت", "نمود", "شد", "است", "گفته", "افزوده"})
# «نماینده مردم» is an MP, «از مردم خواستار شد» asks the people: neither is people speaking;
# «یکی از / بسیاری از ساکنان» is.
_NOT_SPEAKING_RE = re.compile(
    r"(?:(?<![\w\u200c])(?:نماینده|نمایندگان)|(?<!یکی)(?<!برخی)(?<!بسیاری)(?<!تعدادی)(?<!شماری)"
    r"(?<!جمعی)(?<!گروهی)(?<!عده‌ای)(?<!عده ای)(?<!هیچ‌یک)(?<!بعضی) از)[\s\u200c]*$")
# «در پاسخ به این سئوال که …», «در ارتباط با این‌که «آیا …؟»، گفت», «در مورد اینکه آیا …»: a journalist's question
# reported in other words (a judge's answer on a smuggling case was flagged on it: the test halves, session 45).
# «در مورد/خصوص/ارتباط با اینکه» only before «آیا»: «ساکنان … در خصوص اینکه چرا … گاز ندارند، می‌پرسند؟» is the
# residents' own question (4.75 fell to 0.5: the review of session 45).
_ANSWER_TO_RE = re.compile(r"در[ \u200c]+(?:پاسخ[ \u200c]+به[ \u200c]+(?:(?:این|یک)[ \u200c]+)?(?:سوال|سؤال|سئوال|پرسش)"
                           r"|پاسخ[ \u200c]+به[ \u200c]+این[ \u200c]*که(?![\w\u200c])"
                           r"|(?:مورد|خصوص|ارتباط[ \u200c]+با)[ \u200c]+این[ \u200c]*که[ \u200c]*[«\"]?[ \u200c]*آیا(?![\w\u200c]))")


def sentence_ends(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END_RE.finditer(text)]


def asked_by_journalist(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are a journalist's questions to the person interviewed: interview
    turns («فارس: …؟» followed by «نام: …»), bulleted questions (``bulleted_questions``) and sentences answering one («در پاسخ به این سؤال
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
    spans += bulleted_questions(text)
    ends = sentence_ends(text)
    for m in _ANSWER_TO_RE.finditer(text):
        i = bisect.bisect_right(ends, m.start())
        spans.append((m.start(), ends[i] if i < len(ends) else len(text)))
    return spans


# The outlet's questions of a transcript set as bulleted lines («*سلام … خوش آمدید.», «*چه شد که … وارد شوید؟»: a
# presidential candidate's televised interview, flagged on its presenter's questions; the dev halves, session 44).
_BULLET_QUESTION_RE = re.compile(r"^[ \t]*[*■•●][^\n]*[؟?]", re.MULTILINE)


def bulleted_questions(text: str) -> list[tuple[int, int]]:
    """Spans of the bulleted question lines of ``text`` when there are two or more (one is a subheading), the
    people's own list aside («ساکنان … این پرسش‌ها را دارند:» and its lines: ``peoples_words``)."""
    spans = [(m.start(), m.end()) for m in _BULLET_QUESTION_RE.finditer(text)]
    if len(spans) >= 2:
        theirs = peoples_words(text)
        spans = [span for span in spans if not inside(theirs, span[0])]
    return spans if len(spans) >= 2 else []


def interview_turns(text: str) -> int:
    """How many of the outlet's questions an interview holds: turns («فارس: …») and bulleted questions; none when
    the people answer («ساکن روستا: …», a vox pop: their voice, not a person's own words; session 44's review)."""
    labels = [_turn(line) for line in text.split("\n") if ":" in line or "：" in line]
    if any(map(_peoples_answer, labels)):
        return 0
    return sum(label in _ASKER_LABELS for label in labels) + len(bulleted_questions(text))


def _peoples_turn(line: str) -> bool:
    """Whether ``line`` is a turn the people answer («یکی از اهالی: …», «ساکن روستا: …»)."""
    return _peoples_answer(_turn(line))


def _peoples_answer(label: str) -> bool:
    """Whether a turn's label names the people answering, not the outlet asking."""
    return bool(label) and label not in _ASKER_LABELS and _peoples_label(label)


def _peoples_label(label: str) -> bool:
    return any(_word_start(label, m.start()) for m in _PEOPLE_RE.finditer(label))


def _word_start(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_\u200c")


def _turn(line: str) -> str:
    """The speaker's label of an interview turn («فارس: …», «واحدی: …»), else ''; «وی افزود: …»
    is a quote, not a turn."""
    turn = _TURN_RE.match(line)
    if turn is None or turn.group(1).split()[-1] in _SAYING:
        return ""
    return turn.group(1)


# A body asking a series of questions is an interview or an essay (the outlet's own questions, a speaker's or a
# writer's rhetoric); a report of a complaint quotes one. Of the 773 dev articles of bench/routing, 17 hold three
# «؟» or more in the part of the body the detector reads, 2 of them a public question (session 44).
MANY_QUESTIONS = 3
_MARK_RE = re.compile(r"[؟?]")


def many_questions(body: str, asked_by=list) -> bool:
    """Whether ``body`` holds MANY_QUESTIONS «؟» or more: an interview or an essay, whose questions are its genre's.
    The people's own questions do not count (``peoples_words``; ``asked_by()``: the journalist's spans, whose
    «مردم می‌پرسند …؟» is the interviewer's): a resident's three questions quoted are the report's question
    (session 44's review: flagged with one, not with three)."""
    if sum(1 for _ in zip(range(MANY_QUESTIONS), _MARK_RE.finditer(body))) < MANY_QUESTIONS:
        return False
    journalists = asked_by()
    theirs = [span for span in peoples_words(body) if not inside(journalists, span[0])]
    return sum(1 for m in _MARK_RE.finditer(body) if not inside(theirs, m.start())) >= MANY_QUESTIONS


# A group of people speaking or asking, the words theirs to the paragraph's end («یکی از اهالی گفت: …؟ …؟»,
# «مردم می‌پرسند چرا …؟», «سوال ساکنان …»), and a list their line opens («… این پرسش‌ها را دارند:» and its
# bulleted lines). Read only where a body holds a series of «؟» (``many_questions``, ``bulleted_questions``).
# no look-behind before the words (the engine then tries every position of a 5,000-character body: 5 ms an
# article); a match inside a word is skipped (``_word_start``), as app/rules/reported.py does
_PEOPLE = (r"(?:" + "|".join(w.replace("\u200c", "[\u200c ]?") for w in (*PEOPLE_WORDS, "شهروند", "ساکن"))
           + r")(?![\w\u200c])")
_PEOPLE_RE = re.compile(_PEOPLE)
_PEOPLE_SAY_RE = re.compile(
    _PEOPLE + r"[^.!?؟\n]{0,80}?(?<![\w\u200c])(?:(?:گفت|گفتند|افزود|افزودند|پرسید|پرسیدند|"
    r"می[\u200c ]?(?:گوید|گویند|پرسد|پرسند))(?![\w\u200c])|سوال|سؤال|پرسش)")
_LIST_LINE_RE = re.compile(r"[ \t]*[*■•●\-–]")


def peoples_words(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` a group of people says or asks (see above); not an MP's «نماینده مردم»."""
    spans = []
    start = 0
    for line in text.split("\n"):  # their answers in a vox pop
        if _peoples_turn(line):
            spans.append((start, start + len(line)))
        start += len(line) + 1
    for m in _PEOPLE_SAY_RE.finditer(text):
        if not _word_start(text, m.start()) or _NOT_SPEAKING_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if text[m.start():end].rstrip().endswith((":", "：")):  # the list it opens
            while end < len(text) and _LIST_LINE_RE.match(text, end + 1):
                following = text.find("\n", end + 1)
                end = len(text) if following < 0 else following
        spans.append((m.start(), end))
    return spans


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def voiced_sentences(texts: dict[str, str], people: list[Hit], voice: list[Hit]) -> list[tuple[str, int, int]]:
    """(field, start, end) of each sentence holding both a group of people and a complaint or
    demand word, title first: the span runs from the first to the last of those words."""
    out = []
    if not people or not voice:
        return out
    for field, text in texts.items():
        ends = sentence_ends(text)
        by_sentence: dict[int, list[Hit]] = {}
        for hit in people:
            if hit.field == field and not _NOT_SPEAKING_RE.search(text, max(0, hit.start - 30), hit.start):
                by_sentence.setdefault(bisect.bisect_right(ends, hit.start), []).append(hit)
        seen = set()
        for hit in voice:
            if hit.field != field:
                continue
            sentence = bisect.bisect_right(ends, hit.start)
            if sentence in by_sentence and sentence not in seen:
                seen.add(sentence)
                words = by_sentence[sentence] + [hit]
                out.append((field, min(h.start for h in words), max(h.end for h in words)))
    return out
