"""Dates typed in a query: a day before a solar month is one date, the two side by side, not the number anywhere
and the month anywhere (round 43's dev: «۱۵ خرداد» ranked an article of «14 خرداد» first; 6 of its 15 hits held
«15» and «خرداد» apart, none of them relevant by the rules). Search and routing rules read them alike.

The day is typed in digits («۱۵», «05») or as an ordinal word («اول مهر», «یکم مهرماه», «بیست و دوم بهمن»: the
news write both, 28 ordinal days before a month in the 1,500 articles); a date asks for every spelling of its
day, digits with or without a leading zero and the ordinal words, and its month with «ماه» joined or not and
under its other name («امرداد», the old name of «مرداد»). Round 45's dev, session 45: «اول مهر» searched «مهر»
alone (50 hits, the stop word «اول» dropped), «امرداد» found none of the articles of «مرداد».
"""
from __future__ import annotations

from search_index.persian import ZWNJ
from search_index.stems import CONJUNCTION

MONTH = "ماه"
# The solar months (normalized), with the old name «امرداد» of «مرداد»
MONTHS = frozenset(("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "امرداد", "شهریور", "مهر", "ابان", "اذر", "دی",
                    "بهمن", "اسفند"))
OTHER_NAMES = {"مرداد": ("امرداد",), "امرداد": ("مرداد",)}

_ONES = ("یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم")
# An ordinal day typed as one word (normalized, without the ZWNJ of «سی‌ام»)
ORDINALS: dict[str, int] = {**{w: n for n, w in enumerate(_ONES, 1)}, "اول": 1, "دهم": 10, "یازدهم": 11,
                            "دوازدهم": 12, "سیزدهم": 13, "چهاردهم": 14, "پانزدهم": 15, "شانزدهم": 16, "هفدهم": 17,
                            "هجدهم": 18, "هیجدهم": 18, "نوزدهم": 19, "بیستم": 20, "سیام": 30}
TENS = {"بیست": 20, "سی": 30}  # «بیست و دوم»: the tens, «و», an ordinal of ``_ONES``
# An ordinal written in two halves with a ZWNJ: the index holds «سی» and «ام» side by side (and «سیام» at the
# first's place only), so «سیام» and a month side by side missed «سی‌ام اسفند» (the review of session 45); typed
# with a space, the two halves are the ordinal too («سی ام اسفند» searched «سی», «ام» and «اسفند» anywhere: session 46)
ORDINAL_END = "ام"  # the ordinal's ending written apart: «سی ام»
HALVES = {"سیام": ("سی", ORDINAL_END)}
_FROM_HALVES = {halves: ORDINALS[word] for word, halves in HALVES.items()}


def day_before(units: list[str]) -> tuple[int, int]:
    """(how many of the last ``units`` make a day, the day) — digits 1–31, an ordinal word, «سی ام», or «بیست و دوم»;
    (0, 0) when they make none."""
    last = units[-1].replace(ZWNJ, "") if units else ""
    if last.isascii() and last.isdigit() and 1 <= int(last) <= 31:
        return 1, int(last)
    if len(units) >= 2 and (units[-2], last) in _FROM_HALVES:  # «سی ام»
        return 2, _FROM_HALVES[units[-2], last]
    if len(units) >= 3 and units[-2] == CONJUNCTION and units[-3] in TENS and last in _ONES:
        day = TENS[units[-3]] + _ONES.index(last) + 1
        return (3, day) if day <= 31 else (0, 0)
    return (1, ORDINALS[last]) if last in ORDINALS else (0, 0)


def date_units(units: list[str]) -> list[str]:
    """A day (``day_before``) and the month after it made one unit of the day's digits and the month, as if typed
    with a ZWNJ («15‌خرداد», «اول مهر» → «1‌مهر»): the unit asks for the two side by side in every spelling
    (``date_spellings``). «ماه» after the month, apart or joined («۱۵ خرداد ماه», «۱۵ خردادماه», «۱۵ خرداد‌ماه»),
    is the same date (the code review of session 44: it asked «ماه» anywhere)."""
    out: list[str] = []
    for unit in units:
        month = unit.replace(ZWNJ, "").removesuffix(MONTH)  # «خردادماه», «خرداد‌ماه»: «خرداد»
        taken, day = day_before(out) if month in MONTHS else (0, 0)
        if taken:
            del out[-taken:]
            out.append(f"{day}{ZWNJ}{month}")
        elif not (out and unit == MONTH and date_unit(out[-1])):
            out.append(unit)
    return out


def date_unit(unit: str) -> bool:
    """Whether ``unit`` is a date of ``date_units``, a day's number (1–31) and a month («15‌خرداد»)."""
    parts = unit.split(ZWNJ)
    return len(parts) == 2 and parts[0].isascii() and parts[0].isdigit() and 1 <= int(parts[0]) <= 31 \
        and parts[1] in MONTHS


def day_spellings(day: int) -> list[tuple[str, ...]]:
    """The index terms of a day written in the news: «5», «05», «پنجم»; «22», «بیست و دوم»; «30», «سیام», «سی ام»."""
    words = [seq for w, n in ORDINALS.items() if n == day for seq in ((w,), HALVES.get(w)) if seq]
    if day > 20 and day % 10:
        words.append((next(w for w, n in TENS.items() if n == day - day % 10), CONJUNCTION, _ONES[day % 10 - 1]))
    return list(dict.fromkeys([(str(day),), (str(day).zfill(2),), *words]))


def date_spellings(unit: str) -> list[tuple[str, ...]]:
    """Every spelling of a date unit of ``date_units`` («15‌خرداد») as index-term sequences but the unit's own: the
    day in digits or words (``day_spellings``), the month joined to «ماه» or not («15 خردادماه», a term of its own
    in the index) and by its other name; a month typed alone, the month joined to «ماه» and its other name («خرداد»
    finds «20 خردادماه», round 47's dev: «خرداد -۱۵ خرداد» missed it); [] for another unit."""
    if not date_unit(unit):
        month = unit.replace(ZWNJ, "")
        return [(m + end,) for m in (month, *OTHER_NAMES.get(month, ())) for end in ("", MONTH)
                if m + end != month] if month in MONTHS else []
    day, month = unit.split(ZWNJ)
    months = [m + end for m in (month, *OTHER_NAMES.get(month, ())) for end in ("", MONTH)]
    return [seq for d in day_spellings(int(day)) for m in months if (seq := (*d, m)) != (day, month)]


def date_family(joined: str) -> list[tuple[str, ...]]:
    """A date of two words of a quoted phrase typed joined, its day in digits or one ordinal word and its month
    with «ماه» or not («15خرداد», «اولمهرماه»), or of four, «بیستودومبهمن»: every spelling, as the free words find
    them; [] else."""
    rest = joined.lstrip("0123456789")
    day = joined[:len(joined) - len(rest)]
    if not day:  # «بیستودوم»: the tens, «و», an ordinal of ``_ONES`` (a phrase's four words, the review of session 45)
        words = {**ORDINALS, **{t + CONJUNCTION + w: n + i for t, n in TENS.items() for i, w in enumerate(_ONES, 1)}}
        word = next((w for w in sorted(words, key=len, reverse=True) if joined.startswith(w)), "")
        day, rest = (str(words[word]), joined[len(word):]) if word else ("", rest)
    unit = f"{day.lstrip('0') or '0'}{ZWNJ}{rest.removesuffix(MONTH)}"
    return [tuple(unit.split(ZWNJ)), *date_spellings(unit)] if day and date_unit(unit) else []
