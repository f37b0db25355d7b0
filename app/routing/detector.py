"""Public-question detection (clause 12): does an item carry citizens' questions, complaints,
requests or ambiguities aimed at an agency?

An explainable score: each cue is a small rule in the search syntax (same analysis as routing
and search, so every Persian spelling counts), found in the title (counted double) or the body;
cues of complaint, demand, unresolved matters, residents as speakers, interrogatives and «؟»
raise the score, and counter-cues (an official's announcement, inaugurations, visits, meetings,
honours, sports results, crime reports, national and foreign politics, sermons) lower it. ``Detection.reasons`` names
every cue found with the words and a snippet. The weights and ``THRESHOLD`` were set on the
dev half of ``bench/routing/labels.jsonl`` (see bench/routing/README.md), never on its test
half.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from app.routing.matcher import AnalyzedItem, CompiledRule, analyze_item, compile_rule, explain

THRESHOLD = 3.0
TITLE_FACTOR = 2.0
MAX_COUNT = 3  # occurrences of one cue that still add to the score
SNIPPET_CHARS = 40


class Cue(NamedTuple):
    code: str
    text_fa: str
    weight: float  # per occurrence, negative for counter-cues
    query: str


CUES = (
    Cue("complaint", "گلایه، شکایت، اعتراض یا انتقاد", 1.5,
        'گلایه یا گلایه‌مند یا گلایه‌مندی یا شکایت یا شکایات یا اعتراض یا اعتراضات یا معترض یا '
        'معترضان یا نارضایتی یا ناراضی یا ناراضیان یا انتقاد یا "ابراز نارضایتی" یا غفلت یا '
        'کوتاهی یا کم‌کاری یا بی‌تفاوتی یا "سوء مدیریت" یا سوءمدیریت'),
    Cue("unresolved", "بلاتکلیفی، سردرگمی یا کار ناتمام", 1.5,
        'بلاتکلیفی یا بلاتکلیف یا سردرگمی یا سردرگم یا بی‌پاسخ یا "پیگیری نشده" یا '
        '"محقق نشده" یا "عملی نشده" یا "اجرا نشده" یا نیمه‌تمام یا نیمه‌کاره یا معطل یا '
        '"رها شده" یا "فراموش شده" یا بی‌توجهی یا بی‌مهری یا "به سرانجام نرسیده" یا '
        '"عدم رسیدگی" یا "رسیدگی نشده"'),
    Cue("promise", "وعده", 1.0, 'وعده یا وعده‌ها یا وعده‌های یا "قول داده"'),
    Cue("demand", "مطالبه، درخواست یا تقاضا", 1.0,
        'مطالبه یا مطالبات یا مطالبه‌گری یا خواستار یا درخواست یا تقاضا یا "چشم انتظار"'),
    Cue("citizens", "مردم و ساکنان، گویندهٔ خبر", 0.5,
        'ساکنان یا اهالی یا شهروندان یا روستاییان یا همشهریان یا "یکی از ساکنان" یا '
        '"یکی از اهالی" یا "مردم روستا" یا "مردم منطقه"'),
    Cue("interrogative", "پرسش", 0.75,
        'چرا یا "تا کی" یا "چه زمانی" یا "چه کسی" یا آیا یا چگونه یا پاسخگو یا پاسخگویی'),
    Cue("hardship", "مشکل، کمبود یا محرومیت", 0.5,
        'مشکلات یا مشکل یا معضل یا معضلات یا محرومیت یا محروم یا کمبود یا نبود یا "عدم حمایت"'),
    Cue("ceremony", "افتتاح، بازدید، آیین یا تقدیر", -1.0,
        'افتتاح یا بهره‌برداری یا بازدید یا تجلیل یا تقدیر یا گرامیداشت یا آیین یا همایش یا '
        'جشنواره یا کلنگ‌زنی'),
    Cue("announcement", "خبر یا گزارش یک مسئول", -0.5,
        '"خبر داد" یا "اعلام کرد" یا "عملکرد" یا "پیش‌بینی می‌شود" یا "در نظر گرفته شده"'),
    Cue("meeting", "جلسه یا نشست مسئولان", -0.5, 'جلسه یا نشست'),
    Cue("sports", "رقابت و نتیجهٔ ورزشی", -0.5,
        'لیگ یا مسابقات یا "تیم ملی" یا بازیکن یا بازیکنان یا سرمربی یا امتیاز'),
    Cue("crime", "جرم و برخورد انتظامی", -1.5,
        'دستگیر یا دستگیری یا سارق یا سارقان یا متهم یا متهمان یا کلاهبرداری یا "مواد مخدر" یا '
        'پلیس یا "نیروی انتظامی"'),
    Cue("politics", "سیاست ملی و خارجی یا خطبه", -1.5,
        'آمریکا یا استکبار یا دشمن یا دشمنان یا انتخابات یا "نماز جمعه" یا خطبه‌های یا '
        'صهیونیستی یا تروریست‌ها یا عربستان یا اروپا یا "سازمان ملل" یا "رئیس جمهور" یا احزاب'),
)
QUESTION_MARK = Cue("question_mark", "علامت پرسش «؟»", 1.0, "")
_QUESTION_RE = re.compile(r"[؟?]")


class Reason(NamedTuple):
    code: str
    text_fa: str
    snippet: str  # the words found, with their context in the item


@dataclass(frozen=True)
class Detection:
    is_question: bool
    score: float
    reasons: list[Reason]


@cache
def _compiled() -> tuple[tuple[Cue, CompiledRule], ...]:
    return tuple((cue, compile_rule(cue.query)) for cue in CUES)


def _snippet(text: str, start: int, end: int) -> str:
    left = max(0, start - SNIPPET_CHARS)
    right = min(len(text), end + SNIPPET_CHARS)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def detect_public_question(title: str, text: str, *, item: AnalyzedItem | None = None) -> Detection:
    """Score the item and say why; pass ``item`` when it was already analyzed for routing."""
    item = item or analyze_item(title, text)
    score = 0.0
    reasons: list[Reason] = []
    for cue, rule in _compiled():
        # One occurrence per start: «گلایه‌مند» is found by «گلایه» (a part) and by itself.
        hits = list({(h.field, h.start): h for clause in explain(rule, item).clauses
                     for h in clause.hits}.values())
        if not hits:
            continue
        weight = sum(TITLE_FACTOR if h.field == "title" else 1.0
                     for h in sorted(hits, key=lambda h: h.field != "title")[:MAX_COUNT])
        score += cue.weight * weight
        first = min(hits, key=lambda h: (h.field != "title", h.start))
        reasons.append(Reason(cue.code, cue.text_fa,
                              _snippet(item.texts[first.field], first.start, first.end)))
    marks = [("title", m) for m in _QUESTION_RE.finditer(item.texts["title"])]
    marks += [("body", m) for m in _QUESTION_RE.finditer(item.texts["body"])]
    if marks:
        score += QUESTION_MARK.weight * sum(TITLE_FACTOR if f == "title" else 1.0
                                            for f, _ in marks[:MAX_COUNT])
        field, m = marks[0]
        reasons.append(Reason(QUESTION_MARK.code, QUESTION_MARK.text_fa,
                              _snippet(item.texts[field], m.start(), m.end())))
    reasons.sort(key=lambda r: r.code in {c.code for c in CUES if c.weight < 0})
    return Detection(score >= THRESHOLD, round(score, 2), reasons)
