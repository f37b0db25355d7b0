"""Routing rules matched in memory: compile a rule once, match it against analyzed items
(``app.rules.analysis``); many rules at once: ``app.rules.ruleset``.

A rule is written in the search syntax (``search_index.query_syntax``) and means what the search
box means (``search_index.query``): every slot must match in the title or the body (only the
title for ``title_only`` rules, and for a word or phrase written ``title:…`` / ``عنوان:…``); a
slot is one word, one "phrase" or alternatives joined by OR/«یا» (a title-only rule may also read the
lead, the body's first ``analysis.LEAD_CHARS`` characters); ``-word`` and ``-"phrase"``
exclude; ``AND`` is accepted; stop words are dropped from free-text words only.
Spellings are those of the index: a word with ZWNJ also matches its joined form or its parts as a
phrase, clitics are joined («می شود» = «میشود» = «می‌شود»), two adjacent free words also match
their joined term, phrases take ``search_index.query.phrase_variants``. Word forms too: a word
also matches the stem term of its inflected forms (``query_terms.word_forms``: «تانکر» matches
«تانکرها», «خاموشی‌ها» matches «خاموشی‌های»), a phrase of several words the word forms of
each word (``query.phrase_form_variants``); a quoted single word only its exact form. The
clause's ``found`` is the form as written in the item («تانکرها»). Items are tokenized by
``search_index.persian.tokenize``, the analyzer of the index, so every spelling of DESIGN.md
folds the same way on both sides.

Two differences, both on the generous side: a joined term inside a phrase is followed at the
position after its last part (the index can only follow it at the next position), and a joined
word tries every two-part spelling, one word of a phrase at a time (search tries those its
index vocabulary supports).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from app.i18n import N_
from app.rules.analysis import LEAD, AnalyzedItem, FieldIndex
from search_index.persian import ZWNJ, is_stopword, to_persian_digits
from search_index.query import (
    conjunction_forms,
    date_spellings,
    family_forms,
    holder_forms,
    office_forms,
    phrase_family_variants,
    phrase_form_variants,
    phrase_variants,
)
from search_index.query_syntax import (
    MAX_WORDS,
    Clause,
    QuerySyntaxError,
    distinct,
    free_word_units,
    group_alternatives,
    lex,
    may_split,
    some_word_kept,
    stopword_compound,
)
from search_index.query_terms import (
    compound_forms,
    join_clitics,
    merge_clitic_parts,
    word_forms,
)
from search_index.spelling_families import spelling_family
from search_index.stems import CONJUNCTION, conjunction_split
from search_index.verbs import verb_forms

FIELDS = ("title", "body")
MAX_SPLIT_VARIANTS = 64  # two-part spellings tried inside one phrase
SCOPES = frozenset({"local", "provincial", "national"})


RULE_MESSAGES = {
    "unbalanced_quote": N_("گیومه‌ای که در نویسهٔ %(position)s آمده جفت ندارد."),
    "dangling_or": N_("«یا» در نویسهٔ %(position)s باید میان دو واژه یا عبارت بیاید."),
    "no_positive": N_("قاعده فقط واژه‌های حذفی (با -) دارد؛ دست‌کم یک واژه یا عبارت لازم است."),
    "empty": N_("واژه‌ای برای یافتن نمانده است؛ دست‌کم یک واژه یا عبارت بنویسید."),  # a rule's or a saved search's
    "too_long": N_("قاعده بیش از %(limit)s واژه دارد؛ آن را به چند قاعده بشکنید."),
    "empty_field": N_("پس از «عنوان:» در نویسهٔ %(position)s باید بی‌فاصله واژه یا عبارتی بیاید."),
    "contradicts": N_("واژهٔ حذفی نویسهٔ %(position)s همان واژه‌ای است که قاعده می‌خواهد؛ چنین قاعده‌ای هیچ خبری را "
                      "نمی‌یابد."),
    "parentheses": N_("پرانتز نویسهٔ %(position)s واژه‌ها را گروه نمی‌کند و معنای قاعده را دگرگون می‌کند؛ برای چند "
                      "گزینه «یا» را میان دو واژه یا عبارت بنویسید: «\"قطعی آب\" یا \"قطعی برق\"»."),
    "wildcard": N_("ستارهٔ نویسهٔ %(position)s به کار نمی‌رود: شکل‌های دیگر هر واژه (جمع، پسوندها) خودبه‌خود یافته "
                   "می‌شوند؛ آن را بردارید."),
}


class RuleSyntaxError(QuerySyntaxError):
    """A rule refused when saved: ``code`` (a key of RULE_MESSAGES), ``position`` (0-based)."""

    def render(self, translate: Callable[[str], str] = str, persian: bool = True) -> str:
        """The reason in the language of ``translate`` (position counted from 1)."""
        digits = to_persian_digits if persian else str
        return translate(RULE_MESSAGES[self.code]) % {"position": digits((self.position or 0) + 1),
                                                       "limit": digits(MAX_WORDS)}

    @property
    def message(self) -> str:
        return self.render()


Seq = tuple[str, ...]  # consecutive index terms


class Option(NamedTuple):
    """One way a slot can match: ``label`` as written (normalized), ``seqs`` its spellings,
    ``fields`` the fields it may match in (None: the rule's)."""

    label: str
    seqs: tuple[Seq, ...]
    fields: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CompiledRule:
    query: str
    title_only: bool
    slots: tuple[tuple[Option, ...], ...]  # all must match; each slot: any of its options
    negatives: tuple[Option, ...]  # none may match
    lead: bool = False  # a title-only rule that also reads the lead (``analysis.LEAD_CHARS``)

    @property
    def fields(self) -> tuple[str, ...]:
        if self.title_only:
            return (FIELDS[0], LEAD) if self.lead else FIELDS[:1]
        return FIELDS

    @cached_property
    def plan(self) -> tuple[tuple[Plan, ...], Plan]:
        """What ``matches`` checks, worked out once per rule: each slot's and the negatives'
        spellings merged per field into one set of single terms and a list of sequences."""
        return (tuple(_plan(slot, self.fields) for slot in self.slots), _plan(self.negatives, self.fields))

    @cached_property
    def options(self) -> tuple[tuple[Option, set, dict[str, tuple[Seq, ...]]], ...]:
        """What ``explain`` reads, worked out once per rule: each positive option with its
        spellings grouped by their first term (and those first terms as a set)."""
        grouped = []
        for option in (o for slot in self.slots for o in slot):
            by_first: dict[str, list[Seq]] = {}
            for seq in option.seqs:
                by_first.setdefault(seq[0], []).append(seq)
            grouped.append((option, set(by_first), {first: tuple(seqs) for first, seqs in by_first.items()}))
        return tuple(grouped)

    @cached_property
    def firsts(self) -> frozenset[str]:
        """The first terms of every positive option's spellings (``options``), for ``explain``."""
        return frozenset().union(*(firsts for _option, firsts, _by_first in self.options))


def compile_rule(query: str, *, title_only: bool = False, lead: bool = False, strict: bool = False) -> CompiledRule:
    """Compile a rule (raises RuleSyntaxError with a position and a Persian message). ``lead``: a
    ``title_only`` rule reads the lead too. ``strict`` (saving a rule or a saved search): a
    parenthesis or «*» is refused too (``lex``); a rule saved before they were is still compiled as
    it was read then."""
    try:
        slots = group_alternatives(lex(query, strict=strict))
    except QuerySyntaxError as error:
        raise RuleSyntaxError(error.code, error.position) from None
    if not slots:
        raise RuleSyntaxError("empty", 0)
    if sum(len(item.words) for slot in slots for item in slot) > MAX_WORDS:
        raise RuleSyntaxError("too_long", 0)
    if all(slot[0].negated for slot in slots):
        raise RuleSyntaxError("no_positive", slots[0][0].position)
    plain = [s[0].words[0] for s in slots if _is_plain(s)]
    drop = some_word_kept(plain) or any(not _is_plain(s) and not s[0].negated for s in slots)
    positives: list[tuple[Option, ...]] = []
    negatives: list[Option] = []
    for is_plain, group in itertools.groupby(slots, key=_is_plain):
        group = list(group)
        if is_plain:
            positives += [(option,) for option in _run([s[0].words[0] for s in group], drop)]
            continue
        for slot in group:
            if slot[0].negated:
                negatives.append(_option(slot[0]))
            else:
                positives.append(tuple(_option(item) for item in slot))
    for slot in slots:  # «آب -آب» can match nothing: said, not saved as an active rule
        if slot[0].negated and len(slot) == 1 and slot[0].field is None:
            excluded = _option(slot[0]).label
            if any(all(option.label == excluded for option in options) for options in positives):
                raise RuleSyntaxError("contradicts", slot[0].position)
    return CompiledRule(query, title_only, tuple(distinct(positives)), tuple(distinct(negatives)),
                        lead=title_only and lead)


def _is_plain(slot: list[Clause]) -> bool:
    return len(slot) == 1 and slot[0].kind == "word" and not slot[0].negated and slot[0].field is None


def _run(words: list[str], drop_stopwords: bool) -> list[Option]:
    """Options of consecutive free words: clitics joined, stop words dropped, pairs joined."""
    return [_word_option(unit, pairs) for unit, pairs in free_word_units(words, drop_stopwords)]


def _word_option(unit: str, neighbours: Iterable[str] = ()) -> Option:
    joined = unit.replace(ZWNJ, "")
    merged = merge_clitic_parts(unit)
    seqs: list[Seq] = [(joined,)]
    if ZWNJ in merged:
        seqs += [tuple(unit.split(ZWNJ)), tuple(merged.split(ZWNJ))]
        seqs += conjunction_forms(unit)
    else:
        seqs += _splits(joined)
        halves = conjunction_split(joined)
        if halves is not None:  # «صداوسیما» also «صدا و سیما» and its forms, as search reads it
            seqs.append((halves[0], CONJUNCTION, halves[1]))
            seqs += conjunction_forms(ZWNJ.join((halves[0], CONJUNCTION, halves[1])))
    family = spelling_family(joined)  # «گفتگو»: also «گفتوگو», «گفت و گو», as search reads it
    seqs += family + family_forms(family) + office_forms(unit) + date_spellings(unit)  # «15 خردادماه»
    seqs += [(n,) for n in neighbours]
    seqs += [(t,) for t in word_forms(unit)]
    seqs += [(t,) for t in verb_forms(unit)]  # «ساختند»: also «ساخت», «می‌سازند», as search reads it (session 45)
    seqs += [(t,) for t in holder_forms(joined)]  # «فرماندار»: also «فرمانداری» and its forms, as search reads it
    seqs += [(t,) for n in neighbours for t in compound_forms(n)]
    return Option(unit, tuple(dict.fromkeys(seqs)))


def _splits(word: str) -> list[Seq]:
    """Two-part spellings of a joined word («آبرسانی» → «آب رسانی»), as search tries them.

    Search keeps only the splits its index vocabulary supports (``lexicon_splits``); a rule has
    no vocabulary, so every split into two non-stop-word parts is tried (they must stand side by
    side in the item, which accidental halves almost never do), and a stop-word half where search
    takes it (``stopword_compound``: «پیش» + «بینی»); a name as search splits it (``may_split``: a
    rule «زنجان» routed «یک زن جان باخت», the review of this session's change).
    """
    if len(word) < 4 or not word.isalpha() or word.isascii():
        return []
    return [(word[:i], word[i:]) for i in range(2, len(word) - 1)
            if ((not is_stopword(word[:i]) and not is_stopword(word[i:])) or stopword_compound(word[:i], word[i:]))
            and may_split(word, word[:i], word[i:])]


def _option(item: Clause) -> Option:
    if item.kind == "phrase":
        seqs = phrase_variants(item.words) + phrase_family_variants(item.words)  # «"آنفولانزا فصلی"», as search
        seqs += [seq[:i] + split + seq[i + 1:] for seq in seqs for i, word in enumerate(seq)
                 for split in _splits(word)][:MAX_SPLIT_VARIANTS]
        if not item.negated:
            seqs += phrase_form_variants(item.words) + phrase_family_variants(item.words, forms=True)
        option = Option(" ".join(item.words), tuple(dict.fromkeys(seqs)))
    else:
        option = _word_option(join_clitics(item.words, sep=ZWNJ)[0])
    return option._replace(fields=(item.field,)) if item.field else option


# One slot (or the negatives) as ``matches`` reads it: per field, the single-term spellings of all
# its options as one set, and the spellings of several terms by their first term (a set too: one
# C-level intersection with the item's terms picks the few worth following). The same answer as
# trying option by option, seq by seq: the test is a pure "any" (compiled rules have ~6 sequences
# of several terms for each single term, most starting with a term the item does not have).
Plan = tuple[tuple[str, frozenset, set, dict[str, tuple[Seq, ...]]], ...]


def _plan(options: Iterable[Option], fields: tuple[str, ...]) -> Plan:
    plan = []
    for name in fields:
        singles: set[str] = set()
        multis: dict[str, list[Seq]] = {}
        for option in options:
            if option.fields is None or name in option.fields:
                for seq in option.seqs:
                    if len(seq) == 1:
                        singles.add(seq[0])
                    else:
                        multis.setdefault(seq[0], []).append(seq)
        if singles or multis:
            plan.append((name, frozenset(singles), set(multis),
                         {first: tuple(dict.fromkeys(seqs)) for first, seqs in multis.items()}))
    return tuple(plan)


def _plan_in(plan: Plan, fields: dict[str, FieldIndex]) -> bool:
    for name, singles, firsts, multis in plan:
        index = fields[name]
        if not index.keys().isdisjoint(singles):
            return True
        if firsts:
            for first in index.keys() & firsts:  # a set (not frozenset): dict views then iterate the smaller
                for seq in multis[first]:
                    if _seq_in(seq, index):
                        return True
    return False


def _seq_in(seq: Seq, index: FieldIndex) -> bool:
    first = index.get(seq[0])
    if not first:
        return False
    if len(seq) == 1:
        return True
    rest = [index.get(term) for term in seq[1:]]
    if not all(rest):
        return False
    for nxt, _, _ in first.values():
        for hits in rest:
            entry = hits.get(nxt)
            if entry is None:
                break
            nxt = entry[0]
        else:
            return True
    return False


def _seq_spans(seq: Seq, index: FieldIndex) -> list[tuple[int, int]]:
    spans = []
    for nxt, start, end in index.get(seq[0], {}).values():
        chain = [(start, end)]
        for term in seq[1:]:
            entry = index.get(term, {}).get(nxt)
            if entry is None:
                break
            nxt = entry[0]
            chain.append(entry[1:])
        else:
            spans.append((chain[0][0], chain[-1][1]))
    return spans


def matches(rule: CompiledRule, item: AnalyzedItem) -> bool:
    """True when the item matches the rule (the fast test; ``match`` explains)."""
    fields = item.fields
    slots, negatives = rule.plan
    for slot in slots:
        if not _plan_in(slot, fields):
            return False
    return not _plan_in(negatives, fields)


class Hit(NamedTuple):
    field: str  # "title" or "body" (a lead's hit is the body's: the same offsets)
    start: int  # character offsets into that field's original text
    end: int


class MatchedClause(NamedTuple):
    label: str  # the word or phrase of the rule, normalized
    found: str  # the first occurrence as written in the item
    hits: tuple[Hit, ...]  # every occurrence, for highlighting


@dataclass(frozen=True)
class Match:
    rule: CompiledRule
    clauses: tuple[MatchedClause, ...]

    @property
    def words(self) -> list[str]:
        return [c.label for c in self.clauses]

    def spans(self, field: str) -> list[tuple[int, int]]:
        """Merged, sorted character spans of matched words in ``field``, for highlighting."""
        spans = sorted((h.start, h.end) for c in self.clauses for h in c.hits if h.field == field)
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged


def explain(rule: CompiledRule, item: AnalyzedItem) -> Match:
    """Which options of each slot matched, with the offsets of every occurrence; a field's terms met with the
    rule's first terms once (``firsts``), then each option's with those few (tests/routing/test_explain_fast.py)."""
    fields, everything = item.fields, rule.firsts
    present = [(f, fields[f], found, FIELDS[1] if f == LEAD else f) for f in rule.fields
               if (found := fields[f].keys() & everything)]
    clauses = []
    for option, firsts, by_first in rule.options:
        found = set()
        for f, index, found_firsts, shown in present:
            if option.fields is None or f in option.fields:
                for first in firsts & found_firsts:  # the spellings whose first term the item has
                    for seq in by_first[first]:
                        for start, end in _seq_spans(seq, index):
                            found.add(_new(Hit, (shown, start, end)))
        if found:
            hits = sorted(found, key=_hit_order)
            first = hits[0]
            clauses.append(MatchedClause(option.label, item.texts[first.field][first.start:first.end], tuple(hits)))
    return Match(rule, tuple(clauses))


_new = tuple.__new__  # a Hit from a tuple, without NamedTuple's argument handling (the same Hit)


def _hit_order(hit: Hit) -> tuple:
    return hit.field != "title", hit.start, hit.end


def match(rule: CompiledRule, item: AnalyzedItem) -> Match | None:
    """The match of ``rule`` on ``item`` with its reasons, or None."""
    return explain(rule, item) if matches(rule, item) else None
