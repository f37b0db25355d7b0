"""Routing rules matched in memory: compile a rule once, analyze an item once, match (percolator).

A rule is written in the search syntax (``search_index.query_syntax``) and means what the search
box means (``search_index.query``): every slot must match in the title or the body (only the
title for ``title_only`` rules); a slot is one word, one "phrase" or alternatives joined by
OR/«یا»; ``-word`` and ``-"phrase"`` exclude; stop words are dropped from free-text words only.
Spellings are those of the index: a word with ZWNJ also matches its joined form or its parts as a
phrase, clitics are joined («می شود» = «میشود» = «می‌شود»), two adjacent free words also match
their joined term, phrases take ``search_index.query.phrase_variants``. Items are tokenized by
``search_index.persian.tokenize``, the analyzer of the index, so every spelling of DESIGN.md
folds the same way on both sides.

Two differences, both on the generous side: a joined term inside a phrase is followed at the
position after its last part (the index can only follow it at the next position), and a joined
word tries every two-part spelling, one word of a phrase at a time (search tries those its
index vocabulary supports).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, NamedTuple

from search_index.persian import (
    ZWNJ, is_stopword, join_clitics, merge_clitic_parts, to_persian_digits, tokenize,
)
from search_index.query import phrase_variants
from search_index.query_syntax import (
    MAX_WORDS, Clause, QuerySyntaxError, free_word_units, group_alternatives, lex,
)

FIELDS = ("title", "body")
MAX_SPLIT_VARIANTS = 64  # two-part spellings tried inside one phrase
SCOPES = frozenset({"local", "provincial", "national"})

def N_(message: str) -> str:
    """Mark a message for extraction; the services translate it (``RuleSyntaxError.render``)."""
    return message


RULE_MESSAGES = {
    "unbalanced_quote": N_("گیومه‌ای که در نویسهٔ %(position)s آمده جفت ندارد."),
    "dangling_or": N_("«یا» در نویسهٔ %(position)s باید میان دو واژه یا عبارت بیاید."),
    "no_positive": N_("قاعده فقط واژه‌های حذفی (با -) دارد؛ دست‌کم یک واژه یا عبارت لازم است."),
    "empty": N_("قاعده خالی است؛ دست‌کم یک واژه یا عبارت بنویسید."),
    "too_long": N_("قاعده بیش از %(limit)s واژه دارد؛ آن را به چند قاعده بشکنید."),
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
    """One way a slot can match: ``label`` as written (normalized), ``seqs`` its spellings."""

    label: str
    seqs: tuple[Seq, ...]


@dataclass(frozen=True)
class CompiledRule:
    query: str
    title_only: bool
    slots: tuple[tuple[Option, ...], ...]  # all must match; each slot: any of its options
    negatives: tuple[Option, ...]  # none may match

    @property
    def fields(self) -> tuple[str, ...]:
        return FIELDS[:1] if self.title_only else FIELDS


def compile_rule(query: str, *, title_only: bool = False) -> CompiledRule:
    """Compile a rule (raises RuleSyntaxError with a position and a Persian message)."""
    try:
        slots = group_alternatives(lex(query))
    except QuerySyntaxError as error:
        raise RuleSyntaxError(error.code, error.position) from None
    if not slots:
        raise RuleSyntaxError("empty", 0)
    if sum(len(item.words) for slot in slots for item in slot) > MAX_WORDS:
        raise RuleSyntaxError("too_long", 0)
    if all(slot[0].negated for slot in slots):
        raise RuleSyntaxError("no_positive", slots[0][0].position)
    plain = [s[0].words[0] for s in slots if _is_plain(s)]
    drop = any(not is_stopword(w) for w in plain) or any(
        not _is_plain(s) and not s[0].negated for s in slots)
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
    return CompiledRule(query, title_only, tuple(positives), tuple(negatives))


def _is_plain(slot: list[Clause]) -> bool:
    return len(slot) == 1 and slot[0].kind == "word" and not slot[0].negated


def _run(words: list[str], drop_stopwords: bool) -> list[Option]:
    """Options of consecutive free words: clitics joined, stop words dropped, pairs joined."""
    return [_word_option(unit, pairs) for unit, pairs in free_word_units(words, drop_stopwords)]


def _word_option(unit: str, neighbours: Iterable[str] = ()) -> Option:
    joined = unit.replace(ZWNJ, "")
    merged = merge_clitic_parts(unit)
    seqs: list[Seq] = [(joined,)]
    if ZWNJ in merged:
        seqs += [tuple(unit.split(ZWNJ)), tuple(merged.split(ZWNJ))]
    else:
        seqs += _splits(joined)
    seqs += [(n,) for n in neighbours]
    return Option(unit, tuple(dict.fromkeys(seqs)))


def _splits(word: str) -> list[Seq]:
    """Two-part spellings of a joined word («آبرسانی» → «آب رسانی»), as search tries them.

    Search keeps only the splits its index vocabulary supports (``lexicon_splits``); a rule has
    no vocabulary, so every split into two non-stop-word parts is tried (they must stand side by
    side in the item, which accidental halves almost never do).
    """
    if len(word) < 4 or not word.isalpha() or word.isascii():
        return []
    return [(word[:i], word[i:]) for i in range(2, len(word) - 1)
            if not is_stopword(word[:i]) and not is_stopword(word[i:])]


def _option(item: Clause) -> Option:
    if item.kind == "phrase":
        seqs = phrase_variants(item.words)
        seqs += [seq[:i] + split + seq[i + 1:] for seq in seqs for i, word in enumerate(seq)
                 for split in _splits(word)][:MAX_SPLIT_VARIANTS]
        return Option(" ".join(item.words), tuple(dict.fromkeys(seqs)))
    return _word_option(join_clitics(item.words, sep=ZWNJ)[0])


# --- items ------------------------------------------------------------------------------------

FieldIndex = dict[str, dict[int, tuple[int, int, int]]]  # term -> position -> (next, start, end)

# Every character that is, or folds (NFKC, the letter table) into, an Arabic-script letter: a text
# without one yields no term with an Arabic-script letter (checked over every code point while
# writing this), so rules whose terms are Persian need not tokenize it.
_ARABIC_SCRIPT_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff\U0001ee00-\U0001eeff]")


def has_arabic_script(text: str) -> bool:
    """True when ``text`` holds a letter that is, or folds into, an Arabic-script letter."""
    return _ARABIC_SCRIPT_RE.search(text) is not None


class AnalyzedItem:
    """An item analyzed once for all rules and the detector.

    ``texts``: field -> original text (for snippets and highlighting); ``fields``: field -> term
    index; ``terms``: every term of every field. The index is built on first use, so an item
    that no rule can match (e.g. an English item against Persian rules) is never tokenized.
    """

    __slots__ = ("texts", "_fields", "_terms", "_arabic")

    def __init__(self, texts: dict[str, str], fields: dict[str, FieldIndex] | None = None):
        self.texts = texts
        self._fields = fields
        self._terms: frozenset[str] | None = None
        self._arabic: bool | None = None

    @property
    def fields(self) -> dict[str, FieldIndex]:
        if self._fields is None:
            self._fields = {name: analyze_field(text) for name, text in self.texts.items()}
        return self._fields

    @property
    def terms(self) -> frozenset[str]:
        if self._terms is None:
            fields = self.fields
            self._terms = frozenset(fields["title"]).union(fields["body"])
        return self._terms

    @property
    def has_arabic_script(self) -> bool:
        """False when no term of the item can hold an Arabic-script letter (cheap: no tokenizing)."""
        if self._arabic is None:
            self._arabic = any(has_arabic_script(text) for text in self.texts.values())
        return self._arabic


def analyze_field(text: str) -> FieldIndex:
    """Index terms of one field with their positions, the position after them and offsets."""
    tokens = list(tokenize(text))  # Token = (text, start, end, pos, kind); unpacked: hot loop
    after = {end: pos + 1 for _, _, end, pos, kind in tokens if kind != "joined"}
    index: FieldIndex = {}
    for term, start, end, pos, kind in tokens:
        nxt = after.get(end, pos + 1) if kind == "joined" else pos + 1
        positions = index.get(term)
        if positions is None:
            index[term] = {pos: (nxt, start, end)}
        elif pos not in positions:
            positions[pos] = (nxt, start, end)
    return index


# Routing reads the body up to this many characters: news put the subject in the lead, and a
# passing mention deep in a long text is what sends items to the wrong inbox (and costs time).
BODY_CHARS = 5000


def _lead(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit]


def analyze_item(title: str, text: str, *, body_chars: int = BODY_CHARS) -> AnalyzedItem:
    """Analyze an item once for all rules: the title and the lead of the body (summary and text).

    The term index is built lazily, on the first rule or detector that needs it."""
    return AnalyzedItem({"title": title or "", "body": _lead(text or "", body_chars)})


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


def _option_in(option: Option, indexes: list[FieldIndex]) -> bool:
    return any(_seq_in(seq, index) for index in indexes for seq in option.seqs)


def matches(rule: CompiledRule, item: AnalyzedItem) -> bool:
    """True when the item matches the rule (the fast test; ``match`` explains)."""
    fields = item.fields
    indexes = [fields[f] for f in rule.fields]
    for slot in rule.slots:
        if not any(_option_in(option, indexes) for option in slot):
            return False
    return not any(_option_in(option, indexes) for option in rule.negatives)


class Hit(NamedTuple):
    field: str  # "title" or "body"
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
    """Which options of each slot matched, with the offsets of every occurrence."""
    clauses = []
    fields = item.fields
    indexes = [(f, fields[f]) for f in rule.fields]
    for option in (o for slot in rule.slots for o in slot):
        hits = sorted({Hit(f, s, e) for f, index in indexes for seq in option.seqs if seq[0] in index
                       for s, e in _seq_spans(seq, index)},
                      key=lambda h: (h.field != "title", h.start, h.end))
        if hits:
            first = hits[0]
            clauses.append(MatchedClause(option.label, item.texts[first.field][first.start:first.end],
                                         tuple(hits)))
    return Match(rule, tuple(clauses))


def match(rule: CompiledRule, item: AnalyzedItem) -> Match | None:
    """The match of ``rule`` on ``item`` with its reasons, or None."""
    return explain(rule, item) if matches(rule, item) else None


# --- many rules at once ----------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Optional limits of a rule: outlet scopes (local/provincial/national) and outlet ids."""

    scopes: frozenset[str] = frozenset()
    outlet_ids: frozenset = frozenset()

    def __post_init__(self):
        if not self.scopes <= SCOPES:
            raise ValueError(f"unknown outlet scope: {sorted(self.scopes - SCOPES)}")

    def allow(self, scope: str | None, outlet_id: Hashable | None) -> bool:
        return ((not self.scopes or scope in self.scopes)
                and (not self.outlet_ids or outlet_id in self.outlet_ids))


NO_LIMITS = Limits()


def default_frequency(term: str) -> float:
    """A guess of how common a term is when no corpus counts are given: short words are common."""
    return 1000.0 if is_stopword(term) or len(term) <= 2 else 100.0 / len(term)


class RuleSet:
    """Many compiled rules matched against one item: candidates by one required term, then verify.

    Each rule is indexed under the rarest term of each spelling of its cheapest required slot
    (``frequency`` gives a term's corpus frequency; ``default_frequency`` guesses), so only rules
    that can match are verified. Title-only rules are indexed against title terms only.
    """

    def __init__(self, frequency: Callable[[str], float] = default_frequency):
        self._frequency = frequency
        self._rules: list[tuple[Hashable, CompiledRule, Limits]] = []
        self._by_term: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        self._other_script_keys = 0  # keys without an Arabic-script letter (e.g. «CNG», «115»)

    def __len__(self) -> int:
        return len(self._rules)

    def add(self, key: Hashable, rule: CompiledRule, limits: Limits | None = None) -> None:
        index = len(self._rules)
        self._rules.append((key, rule, limits or NO_LIMITS))
        by_term = self._by_term[0 if rule.title_only else 1]
        for term in self._keys(rule):
            by_term.setdefault(term, []).append(index)
            self._other_script_keys += not has_arabic_script(term)

    def _keys(self, rule: CompiledRule) -> set[str]:
        freq = self._frequency
        best: tuple[float, set[str]] | None = None
        for slot in rule.slots:
            keys = {min(seq, key=freq) for option in slot for seq in option.seqs}
            cost = sum(freq(k) for k in keys)
            if best is None or cost < best[0]:
                best = (cost, keys)
        return best[1] if best else set()

    def candidates(self, item: AnalyzedItem) -> list[int]:
        if not self._other_script_keys and not item.has_arabic_script:
            return []  # no key can be among the item's terms: skip tokenizing it
        found: set[int] = set()
        for by_term, terms in zip(self._by_term, (item.fields["title"].keys(), item.terms)):
            if len(terms) <= len(by_term):
                for term in terms:
                    ids = by_term.get(term)
                    if ids:
                        found.update(ids)
            else:
                for term, ids in by_term.items():
                    if term in terms:
                        found.update(ids)
        return sorted(found)

    def _verified(self, item: AnalyzedItem, scope: str | None, outlet_id: Hashable | None):
        rules = self._rules
        return [i for i in self.candidates(item)
                if rules[i][2].allow(scope, outlet_id) and matches(rules[i][1], item)]

    def matching(self, item: AnalyzedItem, *, outlet_scope: str | None = None,
                 outlet_id: Hashable | None = None) -> list[Hashable]:
        """Keys of the rules that match ``item`` (within their limits), in the order added."""
        return [self._rules[i][0] for i in self._verified(item, outlet_scope, outlet_id)]

    def match(self, item: AnalyzedItem, *, outlet_scope: str | None = None,
              outlet_id: Hashable | None = None) -> list[tuple[Hashable, Match]]:
        """(key, Match) for every matching rule, with the words and offsets that matched."""
        return [(self._rules[i][0], explain(self._rules[i][1], item))
                for i in self._verified(item, outlet_scope, outlet_id)]
