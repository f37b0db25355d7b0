"""The search syntax, shared by the search box and the routing rules (no Whoosh here).

Syntax: words (all must match; ``AND`` between them is accepted and changes nothing, «و» is a
stop word), "phrases" (also «…» and “…”), ``-word`` / ``-"phrase"`` to exclude, ``OR`` / ``یا``
/ ``|`` between two items for alternatives, ``title:word`` / ``عنوان:«phrase»`` for a word or
phrase in the title only (``-title:word``: not in the title). `lex` turns text into clauses,
`group_alternatives` binds OR into slots; errors carry the character position.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from app.i18n import N_
from search_index.compound_halves import (  # noqa: F401 - re-exported: query.py, spellings.py, the matcher
    COMPOUND_FIRST_HALVES,
    COMPOUND_SECOND_HALVES,
    GENERAL_OFFICES,
    NAMES_WRITTEN_APART,
    PRIVATIVE_HALVES,
    after_article,
    compound_word,
    joinable,
    joinable_pair,
    may_split,
    stopword_compound,
    verbal_noun_compound,
)
from search_index.persian import EZAFE, ZWNJ, is_stopword
from search_index.query_date_lists import LIST_COMMAS, dates_beside_or
from search_index.query_dates import MONTH, MONTHS, date_unit, date_units, day_before  # noqa: F401 - re-exported
from search_index.query_terms import join_clitics, query_words
from search_index.spelling_families import spelling_family
from search_index.stems import CONJUNCTION

MAX_WORDS = 32


MESSAGES = {
    "unbalanced_quote": N_("گیومه‌ها جفت نبودند؛ همهٔ واژه‌ها به‌صورت ساده جست‌وجو شدند."),
    "dangling_or": N_("«یا» باید میان دو واژه یا عبارت بیاید؛ همهٔ واژه‌ها به‌صورت ساده جست‌وجو شدند."),
    "or_between_runs": N_("«یا» تنها دو واژهٔ کنار خود را گزینهٔ یکدیگر می‌کند، نه واژه‌های پیش و پس از آن‌ها را؛ "
                          "برای گزینه‌های چندواژه‌ای هر یک را در گیومه بگذارید، مانند «\"قطعی آب\" یا \"افت فشار\"»."),
    "or_at_an_end": N_("«یا» در آغاز یا پایان جست‌وجو میان دو واژه نبود و نادیده گرفته شد."),
    "only_exclusions": N_("جست‌وجو فقط واژه‌های حذفی (با -) داشت؛ همان واژه‌ها به‌صورت ساده جست‌وجو شدند."),
    "too_long": N_("جست‌وجو بیش از ۳۲ واژه داشت؛ فقط ۳۲ واژهٔ نخست به کار رفت."),  # MAX_WORDS
    "empty": N_("عبارتی برای جست‌وجو وارد نشده است."),
    "common_words_only": N_("جست‌وجو تنها واژه‌های بسیار رایج (مانند «از»، «به»، «این») داشت و بیشتر خبرها را می‌یابد؛ "
                            "واژه‌ای از موضوع خبر بیفزایید."),
    "empty_field": N_("پس از «عنوان:» (title:) باید بی‌فاصله واژه یا عبارتی بیاید؛ همهٔ واژه‌ها به‌صورت ساده جست‌وجو شدند."),
    "parentheses": N_("پرانتز واژه‌ها را گروه نمی‌کند و نادیده گرفته شد؛ برای چند گزینه «یا» را میان دو واژه یا "
                      "عبارت بنویسید: «\"قطعی آب\" یا \"قطعی برق\"»."),
    "wildcard": N_("ستاره (*) نادیده گرفته شد: شکل‌های دیگر هر واژه (جمع، پسوندها) خودبه‌خود یافته می‌شوند."),
}


@dataclass(frozen=True)
class QueryWarning:
    """A message for the user; ``code`` lets a view translate it."""

    code: str

    @property
    def message(self) -> str:
        return MESSAGES[self.code]

    def __str__(self) -> str:
        return self.message


class QuerySyntaxError(ValueError):
    """The text breaks the search syntax: `code` is a key of MESSAGES, `position` a character offset."""

    def __init__(self, code: str, position: int | None = None):
        super().__init__(code)
        self.code = code
        self.position = position

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


# --- lexing -----------------------------------------------------------------------------------

_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "”"}
_OR_WORDS = frozenset({"OR", "یا", "|", "||"})
_AND_WORDS = frozenset({"AND", "&&"})  # the default between clauses: accepted, dropped
FIELD_NAMES = {"title": "title", "عنوان": "title"}  # the prefix as typed → the index field
_FIELD = r"(?:[Tt][Ii][Tt][Ll][Ee]|عنوان):"
_LEX_RE = re.compile(
    r'(?P<neg>[-\u2212](?=\S))?(?P<field>(?:' + _FIELD + r')+(?=[^\s»”]))?'  # «عنوان:title:»: one prefix
    r'(?:(?P<quote>["«“„])|(?P<close>[»”])|(?P<chunk>[^\s"«»“”„]+))'
)
_BARE_FIELD = re.compile(_FIELD + "$")
_MORE_FIELDS = re.compile("(?:" + _FIELD + ")+")  # «عنوان:عنوان:تانکر»: one prefix, typed twice
FIELD_PREFIX = re.compile(_FIELD)  # for a fallback search of plain words


@dataclass
class Clause:
    kind: str  # "word", "phrase" or "or"
    words: list[str]
    negated: bool = False
    position: int = 0  # where it starts in the typed text
    field: str | None = None  # "title": this word or phrase in the title only


# Outside quotes: marks of other search syntaxes that this one reads as nothing (``strict``).
# Brackets of every shape (the Arabic ornate «﴾ ﴿», full-width, square, curly) and the asterisks.
_UNSUPPORTED = {**dict.fromkeys("()﴾﴿（）[]{}［］", "parentheses"), **dict.fromkeys("*٭＊∗", "wildcard")}
_UNSUPPORTED_RE = re.compile("[" + re.escape("".join(_UNSUPPORTED)) + "]")


def lex(text: str, *, strict: bool = False) -> list[Clause]:
    """Split typed text into word, phrase and OR clauses (raises QuerySyntaxError).

    ``strict``: a parenthesis or «*» outside quotes is an error too. Read as nothing, they changed
    what a rule meant without a word: «(قطعی آب) یا (قطعی برق)» was «قطعی» and «آب یا قطعی» and
    «برق», which «قطعی آب در روستا» does not match (a review of routing, round 6)."""
    items: list[Clause] = []
    i = 0
    while True:
        m = _LEX_RE.search(text, i)
        if not m:
            break
        negated = bool(m.group("neg"))
        field = FIELD_NAMES[FIELD_PREFIX.match(m.group("field")).group()[:-1].lower()] if m.group("field") else None
        if m.group("quote"):
            close = text.find(_QUOTES[m.group("quote")], m.end())
            if close < 0:
                raise QuerySyntaxError("unbalanced_quote", m.start("quote"))
            words = query_words(text[m.end():close])
            if words:
                items.append(Clause("phrase", words, negated, m.start(), field))
            i = close + 1
            continue
        if m.group("close"):
            raise QuerySyntaxError("unbalanced_quote", m.start("close"))
        chunk, start = m.group("chunk"), m.start("chunk")
        i = m.end()
        if field is not None and (more := _MORE_FIELDS.match(chunk)):
            # «عنوان:» typed 300 times was the title word «عنوان» 299 times: «more than 32 words»
            # (session 41's walk); prefixes with no word after them are a bare prefix
            chunk, start = chunk[more.end():], start + more.end()
            if not chunk:
                raise QuerySyntaxError("empty_field", m.start("field"))
        mark = _UNSUPPORTED_RE.search(chunk) if strict else None
        if mark is not None:
            raise QuerySyntaxError(_UNSUPPORTED[mark.group()], start + mark.start())
        if _BARE_FIELD.match(chunk):  # «عنوان:» followed by a space or nothing
            raise QuerySyntaxError("empty_field", start)
        if chunk in _OR_WORDS and not negated and field is None:
            items.append(Clause("or", [], False, m.start()))
        elif chunk in _AND_WORDS and not negated and field is None:
            continue
        else:
            words = query_words(chunk)
            if len(words) > 1 and all(w.isdigit() for w in words):
                # «1387/2/17», «۱۴۰۵-۰۲-۲۰»: a date or a number typed whole is its numbers side by side,
                # not three numbers anywhere (a review of search, round 4: «حیات برزخی…» held «1387»
                # in a citation and «2», «17» elsewhere)
                items.append(Clause("phrase", words, negated, m.start(), field))
            else:
                items.extend(Clause("word", [w], negated, m.start(), field) for w in words)
            if chunk[-1] in LIST_COMMAS and items and items[-1].kind == "word":  # kept between dates only
                items.append(Clause("or", list(LIST_COMMAS), False, start + len(chunk) - 1))
    return dates_beside_or(items)


def without_end_ors(items: list[Clause]) -> tuple[list[Clause], bool]:
    """``items`` without the «یا» that opens or ends them (typed while adding alternatives: «سیل یا
    زلزله یا» searched every word plainly, both together, 4 articles for 42; a review of search,
    round 8), and whether there was one. The search box's reading: a rule or a saved search is
    refused with the position instead."""
    first, last = 0, len(items)
    while first < last and items[first].kind == "or":
        first += 1
    while last > first and items[last - 1].kind == "or":
        last -= 1
    return items[first:last], (first, last) != (0, len(items))


def or_between_runs(items: list[Clause]) -> bool:
    """Whether an «یا» stands between two runs of two words or more typed without quotes («قطعی آب
    یا افت فشار»): it makes the two words beside it alternatives and the others required («قطعی»,
    «آب» or «افت», «فشار»), seldom what was meant: the rule matched nothing, silently (a review of
    routing, round 7). «قطعی آب یا برق» (a run on one side) reads as meant."""
    def free(clause: Clause) -> bool:
        return clause.kind == "word" and not clause.negated
    return any(item.kind == "or" and 2 <= i <= len(items) - 3 and all(map(free, items[i - 2:i] + items[i + 1:i + 3]))
               for i, item in enumerate(items))


def group_alternatives(items: list[Clause]) -> list[list[Clause]]:
    """Group clauses into slots: OR binds its two neighbours into one slot of alternatives."""
    slots: list[list[Clause]] = []
    pending: Clause | None = None
    for item in items:
        if item.kind == "or":
            if not slots or pending is not None or slots[-1][-1].negated:
                raise QuerySyntaxError("dangling_or", item.position)
            pending = item
        elif pending is not None:
            if item.negated:
                raise QuerySyntaxError("dangling_or", pending.position)
            slots[-1].append(item)
            pending = None
        else:
            slots.append([item])
    if pending is not None:
        raise QuerySyntaxError("dangling_or", pending.position)
    return slots


def _light_verb_forms() -> frozenset[str]:
    """The light verbs of compound verbs, «شدن», «کردن», «گردیدن», «نمودن», in their third persons
    (past, «می» + past, present with «می», «ب» or none), their participles (+ «اند») and infinitives,
    normalized and without the ZWNJ: «گردید», «می‌شود», «می‌کند», «نموده‌اند», «بشود»."""
    forms: set[str] = set()
    for past, present in (("شد", "شو"), ("کرد", "کن"), ("گردید", "گرد"), ("نمود", "نمای")):
        forms |= {past, past + "ند", "می" + past, "می" + past + "ند", past + "ه", past + "هاند", past + "ن"}
        forms |= {prefix + present + end for prefix in ("", "می", "ب") for end in ("د", "ند")}
    return frozenset(forms)


# A light verb after the word it makes a verb of is left out of a search, as the stop words «شد»,
# «کرد», «شود» were: «برگزار گردید» asked for «گردید» too and found 5 articles, «برگزار» 360, none of
# those with «برگزار شد»; «افتتاح می‌شود» missed «افتتاح شد» (a review of search, round 7). Its
# negative («نشد», «نمی‌شود») says the opposite and stays; alone, it is looked for. After a word of the stop
# list too («ساخته می‌شود», «انجام می‌شود»: it searched «می‌شود» alone, and «پل ساخته می‌شود» lost «پل ساخته شد»;
# session 45): with nothing else, the words are searched as typed (``some_word_kept``), as «ساخته شد» is.
LIGHT_VERBS = _light_verb_forms()


def light_verb_after(previous: str, unit: str) -> bool:
    """Whether ``unit`` is a light verb making a compound verb of the word ``previous``."""
    word = previous.replace(ZWNJ, "")
    return unit.replace(ZWNJ, "") in LIGHT_VERBS and word.isalpha() and word not in LIGHT_VERBS


def some_word_kept(plain: list[str]) -> bool:
    """Whether a query's free words leave something once stop words and light verbs after a word are dropped: a
    word that is neither, or two that make one of a spelling family («گفت وگو»: both halves are stop words). A word
    is read without its ZWNJ, as ``free_word_units`` drops it: «ب‌ه» is «به» (the rule of it matched every item)."""
    return any(not is_stopword(w.replace(ZWNJ, "")) and not (i and light_verb_after(plain[i - 1], w)) for i, w in enumerate(plain)) \
        or any(spelling_family(a + b) for a, b in pairwise(plain))


def free_word_units(words: list[str], drop_stopwords: bool) -> list[tuple[str, list[str]]]:
    """Consecutive free words as (unit, joined neighbour pairs): clitics joined, stop words and a
    light verb after its word (``light_verb_after``) dropped.

    Search and routing both build their spelling variants from this, so they agree. A unit
    already given is not given again (all words must match, so a repeat adds nothing but cost:
    32 repeats of a common word made a 3 s search); its neighbours' joined pairs stay.
    """
    units = join_clitics(words, sep=ZWNJ)
    # The ezafe typed apart after a word in «ه» is no word, as in the index («اداره ی کل» kept «اداره»
    # from the title «اداره‌کل»: a review of search, round 9)
    units = date_units([u for i, u in enumerate(units) if not (u == EZAFE and i and units[i - 1].endswith("ه"))])
    if drop_stopwords:
        units = _stopword_compounds(units)
    out = []
    seen: set[str] = set()
    for i, unit in enumerate(units):
        if (drop_stopwords and (is_stopword(unit.replace(ZWNJ, "")) or i > 0 and light_verb_after(units[i - 1], unit))) \
                or unit in seen:
            continue
        seen.add(unit)
        pairs = []
        if i > 0 and joinable_pair(units[i - 1], unit):
            pairs.append(units[i - 1] + unit)
        if i + 1 < len(units) and joinable_pair(unit, units[i + 1]):
            pairs.append(unit + units[i + 1])
        # «صدا و سیما»: either word also the compound written joined, «صداوسیما» (a review of search,
        # round 6: the spaced spelling missed the joined one's articles)
        if i > 1 and units[i - 1] == CONJUNCTION and joinable(units[i - 2]) and joinable(unit):
            pairs.append(units[i - 2] + CONJUNCTION + unit)
        if i + 2 < len(units) and units[i + 1] == CONJUNCTION and joinable(unit) and joinable(units[i + 2]):
            pairs.append(unit + CONJUNCTION + units[i + 2])
        out.append((unit, pairs))
    return out


def _stopword_compounds(units: list[str]) -> list[str]:
    """A stop word and its neighbour that make one compound (``stopword_compound``) become one unit,
    as if typed with a ZWNJ («هم زمان» is «هم‌زمان»: the joined word or the two side by side), not
    the other half alone: «هم زمان» searched «زمان» (or «همزمان») and ranked «تعویق زمان افتتاح…»
    first; «خاطر نشان» searched «خاطر» (a review of search, round 4). Only those: «به روز رسانی»
    keeps «روز» with «رسانی» (the review of this change). Two words around «و» whose joined spelling
    is a word of the lexicon are one unit too («صدا و سیما», «رفت و آمد»: round 6)."""
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        following = units[i + 1] if i + 1 < len(units) else ""
        whole = unit + CONJUNCTION + units[i + 2] if following == CONJUNCTION and i + 2 < len(units) else ""
        if whole and (joinable(unit) and joinable(units[i + 2]) and compound_word(whole) or spelling_family(whole)):
            # «صدا و سیما», a word: «صداوسیما»; «گفت و گو», whose «گفت» is a stop word (it searched «گو»)
            out.append(ZWNJ.join((unit, CONJUNCTION, units[i + 2])))
            i += 3
            continue
        if following and (spelling_family(unit + following) or unit.isalpha() and following.isalpha() and (
                stopword_compound(unit, following) if is_stopword(unit) or is_stopword(following) or unit in PRIVATIVE_HALVES
                else verbal_noun_compound(unit, following))):  # «آیت اله», «رئیس جمهور», «گفت وگو»: one word
            out.append(unit + ZWNJ + units[i + 1])
            i += 2
            continue
        out.append(unit)
        i += 1
    return out


def distinct(queries: list) -> list:
    """The queries (or compiled clauses) in order, each kept once: they are ANDed (or excluded),
    so a repeat changes no result and only costs. Compared with ==: Whoosh queries and Spellings
    compare by value."""
    kept: list = []
    for query in queries:
        if all(query != other for other in kept):
            kept.append(query)
    return kept


def limit_words(slots: list[list[Clause]]) -> Iterator[list[Clause]]:
    """The first MAX_WORDS words of the query: a slot (one word, a phrase, an «یا» group) that
    crosses the bound keeps the alternatives, and a phrase the words, that fit. A whole group or
    phrase was dropped: a list of 33 villages joined by «یا» was «nothing entered» (a review of
    search)."""
    left = MAX_WORDS
    for slot in slots:
        kept = []
        for clause in slot:
            if len(clause.words) <= left:
                kept.append(clause)
                left -= len(clause.words)
            elif left and not kept:  # a phrase longer than what is left: its first words
                kept.append(replace(clause, words=clause.words[:left]))
                left = 0
            else:
                break
        if kept:
            yield kept
        if not left:
            return
