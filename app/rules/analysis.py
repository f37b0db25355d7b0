"""Items analyzed once for every rule, the detector and the alerts: the title and the lead of the
body, tokenized by ``search_index.persian.tokenize`` (the analyzer of the index) into a term index
with positions and character offsets. The index is built on first use.
"""
from __future__ import annotations

import re

from search_index.persian import token_tuples

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
            self._fields = _Fields((name, analyze_field(text)) for name, text in self.texts.items())
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


class _Fields(dict):
    """field → term index: the title and the body, and the lead on first use: the body's terms that
    end within its first ``LEAD_CHARS`` characters (taken from the body's index, not a cut text: a cut
    could halve a word, «آب» of «آبادان», which the body's terms do not hold and the rule index of
    ``RuleSet`` does not know; the second review of the change)."""

    def __missing__(self, name: str) -> FieldIndex:
        if name != LEAD:
            raise KeyError(name)
        lead: FieldIndex = {}
        for term, positions in self["body"].items():
            kept = {pos: entry for pos, entry in positions.items() if entry[2] <= LEAD_CHARS}
            if kept:
                lead[term] = kept
        self[LEAD] = lead
        return lead


LEAD = "lead"
# The lead a rule may read besides the title: the body's first characters, where news name who acts
# («استاندار … گفت»: 12 of round 3's 15 governorate items named the governor there and not in the
# title). Set on the dev half of bench/routing/labels.jsonl: 80 to 150 gave the same routes, 180 one
# false route more, 300 three (bench/routing/README.md, round 6).
LEAD_CHARS = 150


def analyze_field(text: str) -> FieldIndex:
    """Index terms of one field with their positions, the position after them and offsets."""
    tokens = list(token_tuples(text))  # (text, start, end, pos, kind) as tokenize gives them; unpacked: hot loop
    after = {end: pos + 1 for _, _, end, pos, kind in tokens if kind != "joined" and kind != "stem"}
    index: FieldIndex = {}
    for term, start, end, pos, kind in tokens:
        nxt = after.get(end, pos + 1) if kind == "joined" or kind == "stem" else pos + 1
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
