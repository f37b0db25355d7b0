"""Dates typed in a list in the search box and in routing rules: two or more dates joined by «یا», «و» or commas, a
day sharing the month of the date after it, and a date excluded with «-» (``dates_beside_or``, run by
``query_syntax.lex`` on its clauses).

* «۱۵ یا ۲۰ خرداد», «۱۵، ۲۰ یا ۲۵ خرداد», «۱۵، یا ۲۰ خرداد»: either date (a comma before «یا» is that «یا»: it was
  «14» anywhere or «15 خرداد», 92 of the 1,500 articles for «۱۴، یا ۱۵ خرداد», round 47's dev);
* «۱۵ و ۲۰ خرداد», «۱۵ خرداد و ۲۰ خرداد»: a list of dates, either date as with «یا» (session 46's open item: it asked
  both, and «15» anywhere; no article of the 1,500 names both days, and a list of days in a news desk's box asks
  for the news of each day); an article naming both ranks first, as for any «یا». «و» inside a day in words
  («بیست و دوم بهمن») stays the day's, and so does «و» after a number labelling a noun («ماده ۵ و ۱۵ خرداد»: both);
* «-۱۵ خرداد», «-بیست و دوم بهمن»: the date is left out, not the number anywhere with the month required (session 46's
  open item: «خرداد -۱۵ خرداد» dropped every article with a «15» of anything), as «-"۱۵ خرداد"» does.

The clauses are ``query_syntax.Clause`` (kind, words, negated, field), changed with ``dataclasses.replace``.
"""
from __future__ import annotations

from dataclasses import replace

from search_index.persian import ZWNJ
from search_index.query_dates import date_unit, date_units, day_before
from search_index.stems import CONJUNCTION

# Nouns a number follows as a label, not a day («ماده ۵ و ۱۵ خرداد» is article 5 and the 15th: session 47's review)
NUMBERED_NOUNS = frozenset({"ماده", "بند", "اصل", "تبصره", "فصل", "شماره", "ردیف", "صفحه", "پلاک", "منطقه", "ناحیه",
                            "طبقه", "فاز", "کلاس", "پایه", "واحد", "کد", "قطعه", "بلوک", "سطر", "ایه", "سوره", "ساعت"})
# A comma after a word: «یا» between two dates («۱۵، ۲۰ یا ۲۵ خرداد», a list; the review of session 46), else nothing
LIST_COMMAS = "،,"


def _plain(clause) -> bool:
    return clause.kind == "word" and not clause.negated and clause.field is None


def _is_comma(clause) -> bool:
    return clause.kind == "or" and clause.words == list(LIST_COMMAS)


def dates_beside_or(items: list) -> list:
    """A date's words (``date_units``) beside an «یا» made one word clause, so that «یا» joins two dates: «۱۵ خرداد
    یا ۲۰ خرداد» was «15» and «خرداد» or «20» and «خرداد» (session 44's review; round 45's dev: 15 hits, 2 relevant);
    «و» between dates read as «یا», a comma before «یا» as that «یا», and an excluded date made one clause."""
    def date_span(at: int, step: int) -> int:  # how many word clauses from ``at`` (backwards: step -1) make a date
        for size in (5, 4, 3, 2):
            span = out[max(at - size + 1, 0):at + 1] if step < 0 else out[at:at + size]
            if len(span) == size and all(map(_plain, span)) \
                    and len(units := date_units([w for c in span for w in c.words])) == 1 and date_unit(units[0]):
                return size
        return 0
    out = _excluded_dates([c for j, c in enumerate(items) if not (
        _is_comma(c) and j + 1 < len(items) and items[j + 1].kind == "or")])  # «۱۵، یا ۲۰ خرداد»: the «یا»
    for i in range(len(out) - 2, 0, -1):  # «۱۵ و ۲۰ خرداد»: a list of dates, «و» as «یا» (the module's docstring)
        if _plain(out[i]) and out[i].words == [CONJUNCTION] and date_span(i + 1, 1) and (
                date_span(i - 1, -1) or _day_words_before(out[:i])) and not _inside_date(out, i):
            out[i] = replace(out[i], kind="or", words=[])
    i = len(out) - 1
    while i >= 0:  # the clauses read as they stand once the later dates are joined (it read ``items``: the review)
        if out[i].kind == "or":
            if size := date_span(i + 1, 1):
                out[i + 1:i + 1 + size] = [replace(out[i + 1], words=date_units([w for c in out[i + 1:i + 1 + size] for w in c.words]))]
            if size := date_span(i - 1, -1):
                out[i - size:i] = [replace(out[i - size], words=date_units([w for c in out[i - size:i] for w in c.words]))]
                i -= size - 1  # «یا» now stands right after the joined date
            elif shared := _day_with_month_after(out[max(i - 3, 0):i], out[i + 1:i + 2]):
                taken, unit = shared
                out[i - taken:i] = [replace(out[i - taken], words=[unit])]
                i -= taken - 1
        i -= 1
    return [c for j, c in enumerate(out) if not _is_comma(c) or 0 < j < len(out) - 1 and all(
        _plain(n) and date_unit(n.words[0]) for n in out[j - 1:j + 2:2])]


def _day_words_before(before: list) -> bool:
    """Whether the plain words right before a place make a day («۱۵», «دوم», «بیست و دوم»), not a number after a noun
    of ``NUMBERED_NOUNS`` («ماده ۵»)."""
    words: list[str] = []
    for clause in reversed(before[-4:]):
        if not (_plain(clause) and len(clause.words) == 1):
            break
        words.insert(0, clause.words[0])
    taken = day_before(words)[0] if words else 0
    return taken > 0 and not (len(words) > taken and words[-taken - 1] in NUMBERED_NOUNS)


def _inside_date(out: list, at: int) -> bool:
    """Whether the «و» at ``at`` is a day's own («بیست و دوم بهمن»): the plain words around it make one date."""
    for first in range(max(at - 2, 0), at):
        for last in range(at + 1, min(at + 4, len(out))):
            span = out[first:last + 1]
            if all(map(_plain, span)) and len(units := date_units([w for c in span for w in c.words])) == 1 \
                    and date_unit(units[0]):
                return True
    return False


def _excluded_dates(items: list) -> list:
    """«-۱۵ خرداد» (the «-» before the day only): the date made one excluded clause, as «-"۱۵ خرداد"»."""
    out = list(items)
    for i in range(len(out) - 1, -1, -1):
        clause = out[i]
        if not (clause.kind == "word" and clause.negated and clause.field is None):
            continue
        for size in (4, 3, 2, 1):  # the day's other words after it: «-بیست و دوم بهمن»
            rest = out[i + 1:i + 1 + size]
            if len(rest) == size and all(map(_plain, rest)) \
                    and len(units := date_units(clause.words + [w for c in rest for w in c.words])) == 1 \
                    and date_unit(units[0]):
                out[i:i + 1 + size] = [replace(clause, words=units)]
                break
    return out


def _day_with_month_after(before: list, after: list) -> tuple[int, str] | None:
    """A day before «یا» (digits, an ordinal word, «سی ام», «بیست و دوم»: ``day_before`` on the last of ``before``)
    and a date after it: (how many clauses make the day, the day in the date's month as a date unit) («۱۵ یا ۲۰
    خرداد» is «15 خرداد» or «20 خرداد»: it was «15» anywhere or «20 خرداد», 119 of the 1,500 articles, session 45's
    open item); None else. Read right to left, «۱۵ یا ۲۰ یا ۲۵ خرداد» shares its month too. The whole day, not its
    last word: «بیست و دوم یا ۲۵ بهمن» searched «2 بهمن» (the review of session 46)."""
    plain = lambda c: _plain(c) and len(c.words) == 1  # noqa: E731
    while before and not all(map(plain, before)):  # the plain words right before «یا»
        before = before[1:]
    if not (before and after) or not all(map(plain, (*before, *after))) or not date_unit(after[0].words[0]):
        return None
    taken, day = day_before([c.words[0] for c in before])
    return (taken, f"{day}{ZWNJ}{after[0].words[0].split(ZWNJ)[1]}") if taken else None
