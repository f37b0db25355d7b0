"""Items analyzed once for every rule, the detector and the alerts: the title and the lead of the
body, tokenized by ``search_index.persian.tokenize`` (the analyzer of the index) into a term index
with positions and character offsets. The index is built on first use.
"""
from __future__ import annotations

import re
from operator import itemgetter
from typing import NamedTuple

from search_index.persian import token_tuples
from search_index.stemmer import STEM_MARK

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

    __slots__ = ("_arabic", "_fields", "_terms", "texts")

    def __init__(self, texts: dict[str, str], fields: dict[str, FieldIndex] | None = None):
        self.texts = texts
        self._fields = fields
        self._terms: frozenset[str] | None = None
        self._arabic: bool | None = None

    @property
    def fields(self) -> dict[str, FieldIndex]:
        """The term index of each field; ``"lead"`` (the body's first ``LEAD_CHARS``, for the rules
        that read the title and the lead) is made when first asked for: its offsets are the body's."""
        if self._fields is None:
            self._fields = _Fields(self.texts)
        return self._fields

    def analyze(self) -> None:
        """Build the term index now (``fields``), for a caller that reads many items stage by stage."""
        if self._fields is None:
            self._fields = _Fields(self.texts)

    def stems_at(self, name: str) -> dict[int, str] | None:
        """Position → base (without ``STEM_MARK``) of the stem term at that position of the
        ``name`` field, for one-position entries (whose next position is the one after theirs),
        as read term by term in the index's order (a later term's stem replaces an earlier one's);
        taken from what the analysis kept (issue 16: the classifier read the whole index a second
        time for it). The tokenizer puts one whole word or compound part at each position, so
        only a one-position join could put a second word term there: then None (the classifier
        reads the index alone: ``one_position``). tests/routing/test_analysis_readings.py."""
        fields = self.fields
        reading = fields.readings.get(name) if isinstance(fields, _Fields) else None
        if reading is None:
            return None
        if reading.joins:  # a position may hold two word terms: the index's order decides
            return None
        stems = reading.stems
        at = dict(zip(map(_POS, stems), map(_BASE, map(_TERM, stems))))
        if len(at) != len(stems):  # two stem terms at one position: the index's order decides
            return one_position(fields[name])[1]
        return at

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


class _Fields(dict):
    """field → term index: the title and the body, and the lead on first use: the body's terms that
    end within its first ``LEAD_CHARS`` characters (taken from the body's index, not a cut text: a cut
    could halve a word, «آب» of «آبادان», which the body's terms do not hold and the rule index of
    ``RuleSet`` does not know; the second review of the change). ``readings``: each field's
    ``Reading``."""

    __slots__ = ("readings",)

    def __init__(self, texts: dict[str, str]):
        super().__init__()
        self.readings: dict[str, Reading] = {}
        for name, text in texts.items():
            reading = self.readings[name] = read_field(text, LEAD_CHARS if name == "body" else -1)
            self[name] = reading.index

    def __missing__(self, name: str) -> FieldIndex:
        if name != LEAD:
            raise KeyError(name)
        body = self.readings["body"]  # its first tokens: a loop over its whole index cost more
        lead = self[LEAD] = lead_of(body.index, body.lead, LEAD_CHARS)
        return lead


def lead_of(index: FieldIndex, tokens: list, limit: int) -> FieldIndex:
    """The entries of ``index`` that end within ``limit`` characters, in its order (of terms, and of
    positions within a term), read from ``tokens``: the first tokens the index was built from, all
    that end within ``limit`` among them (``_lead_tokens``). A term's first token is its first entry
    and gives the term its place in the index, so the first appearances in ``tokens`` give the order."""
    lead: FieldIndex = {}
    for term, _start, _end, pos, _kind in tokens:
        kept = lead.get(term)
        if kept is None:
            kept = lead[term] = {}
        if pos not in kept:
            entry = index[term][pos]  # the index's: the first token of this term and position
            if entry[2] <= limit:
                kept[pos] = entry
    return {term: kept for term, kept in lead.items() if kept}


def _lead_tokens(tokens: list, limit: int) -> list:
    """The first ``tokens``, up to the first whole word (kind ``word``) that starts after ``limit``:
    every token that ends within ``limit`` is among them (a word's tokens end after the word before
    it ends, and within the word)."""
    for i, (_term, start, _end, _pos, kind) in enumerate(tokens):
        if start > limit and kind == "word":
            return tokens[:i]
    return tokens


LEAD = "lead"
# The lead a rule may read besides the title: the body's first characters, where news name who acts
# («استاندار … گفت»: 12 of round 3's 15 governorate items named the governor there and not in the
# title). Set on the dev half of bench/routing/labels.jsonl: 80 to 150 gave the same routes, 180 one
# false route more, 300 three (bench/routing/README.md, round 6).
LEAD_CHARS = 150


def analyze_field(text: str) -> FieldIndex:
    """Index terms of one field with their positions, the position after them and offsets."""
    return read_field(text).index


class Reading(NamedTuple):
    """One field's term index and what its later readers need of its tokens, kept while building
    it: the tokens themselves (no new tuple: the hot loop's allocations cost collector passes),
    few of them (kept alive, a whole field's tokens cost more than reading the index again), each
    the first of its term and position (the index's entry)."""
    index: FieldIndex
    joins: list  # the tokens of one-position entries of kind ``joined`` (none seen: see stems_at)
    stems: list  # the tokens of one-position entries of stem terms, in token order
    lead: list  # the first tokens: all that end within ``lead_chars`` (``_lead_tokens``)


def read_field(text: str, lead_chars: int = -1) -> Reading:
    """``analyze_field``'s index with the tokens ``Reading`` keeps (no lead with the default)."""
    tokens = list(token_tuples(text))  # (text, start, end, pos, kind) as tokenize gives them
    after = {end: pos + 1 for _, _, end, pos, kind in tokens if kind != "joined" and kind != "stem"}
    index: FieldIndex = {}
    joins: list = []
    stems: list = []
    for token in tokens:
        term, start, end, pos, kind = token  # unpacked: hot loop
        positions = index.get(term)
        if kind == "word":  # most tokens: a whole word, at one position
            if positions is None:
                index[term] = {pos: (pos + 1, start, end)}
            elif pos not in positions:
                positions[pos] = (pos + 1, start, end)
            continue
        nxt = after.get(end, pos + 1) if kind == "joined" or kind == "stem" else pos + 1
        if positions is None:
            index[term] = {pos: (nxt, start, end)}
        elif pos in positions:
            continue  # the first token of a term and position is the index's
        else:
            positions[pos] = (nxt, start, end)
        if nxt == pos + 1 and kind != "part":  # one position: a stem, or a join (never seen)
            (stems if kind == "stem" else joins).append(token)
    return Reading(index, joins, stems, _lead_tokens(tokens, lead_chars) if lead_chars >= 0 else [])


def one_position(index: FieldIndex) -> tuple[dict[int, tuple[str, int, int]], dict[int, str]]:
    """The one-position entries of a term index, read term by term in its order: position → (word
    term, start, end) and position → stem base (a later term's entry at a position replaces an
    earlier one's, in the place of the first)."""
    words: dict[int, tuple[str, int, int]] = {}
    stems: dict[int, str] = {}
    for term, positions in index.items():
        if term.startswith(STEM_MARK):
            base = term[_MARK_CUT:]
            for pos, (nxt, _start, _end) in positions.items():
                if nxt == pos + 1:
                    stems[pos] = base
            continue
        for pos, (nxt, start, end) in positions.items():
            if nxt == pos + 1:
                words[pos] = (term, start, end)
    return words, stems


_MARK_CUT = len(STEM_MARK)
_TERM, _POS, _BASE = itemgetter(0), itemgetter(3), itemgetter(slice(_MARK_CUT, None))


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
