"""Turn what a user typed into the search box into a Whoosh query with Persian spelling variants.

Syntax (``search_index.query_syntax``): words (all must match; ``AND`` accepted), "phrases"
(also «…» and “…”), ``-word`` / ``-"phrase"`` to exclude, ``OR`` / ``یا`` / ``|`` between two
items for alternatives, ``title:`` / ``عنوان:`` before a word or phrase for the title field only.
Text that breaks the syntax is searched as plain words, with a warning saying so.

Spelling variants (see ``search_index.persian`` for what the index holds):

* clitics are joined across words («می شود» → «میشود»), a term every spelling has in the index;
* a word with ZWNJ («روابط‌عمومی») matches its joined term or the phrase of its parts;
* a joined word («روابطعمومی») also matches the phrase of two parts when the index's own
  vocabulary shows a split whose parts occur in more documents than the joined word
  (``Spellings``, expanded at search time; stop-word parts are never tried);
* two adjacent free-text words also match their joined term («روابط عمومی» → «روابطعمومی»);
* word forms (``query_terms.word_forms``): a free-text word also matches the stem term of its
  inflected forms («تانکر» finds «تانکرها», «خاموشی‌ها» finds «خاموشی‌های»), weighted ``FORM_BOOST`` so exact forms rank first. A quoted
  phrase of several words also takes the word forms of each word (``phrase_form_variants``,
  positions kept, weighted the same); a quoted single word («"تانکر"») asks for exactly that
  form.

Stop words are dropped from free-text words only, never from phrases or exclusions.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from whoosh import query as wq

from search_index.form_matching import (
    AnyOf,
    BoostedTerm,
    PhraseSet,
    stem_adds_documents,
)
from search_index.persian import ZWNJ, is_stopword, split_conjunctions
from search_index.query_syntax import (  # noqa: F401 - re-exported for callers of the search box
    FIELD_PREFIX,
    MAX_WORDS,
    MESSAGES,
    Clause,
    QuerySyntaxError,
    QueryWarning,
    after_article,
    distinct,
    free_word_units,
    group_alternatives,
    joinable_pair,
    lex,
    limit_words,
    stopword_compound,
)
from search_index.query_terms import (
    clitic_splits,
    compound_forms,
    join_clitics,
    merge_clitic_parts,
    query_words,
    word_forms,
)
from search_index.segment_cache import SegmentCache, segments_key

MAX_PHRASE_VARIANTS = 8
MAX_FORM_VARIANTS = 16  # word-form sequences of one quoted phrase
FORM_BOOST = 0.4  # weight of a match on another form of a word (its stem) against the exact form

# --- building ---------------------------------------------------------------------------------


def _is_plain(slot: list[Clause]) -> bool:
    return len(slot) == 1 and slot[0].kind == "word" and not slot[0].negated and slot[0].field is None


class _Builder:
    def __init__(self, fields: Mapping[str, float]):
        self.fields = fields

    def _each_field(self, make) -> wq.Query:
        subs = [make(name, boost) for name, boost in self.fields.items()]
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def word(self, unit: str, neighbours: Iterable[str] = ()) -> wq.Query:
        """One free-text unit (ZWNJ marks compound/clitic boundaries) with its variants."""
        joined = unit.replace(ZWNJ, "")
        merged = merge_clitic_parts(unit)
        phrases = [] if ZWNJ not in merged else list(dict.fromkeys(
            tuple(p) for p in (unit.split(ZWNJ), merged.split(ZWNJ), split_conjunctions(unit.split(ZWNJ)))))
        extra = [n for n in neighbours if n != joined]

        forms = [(t,) for t in word_forms(unit)] + [(t,) for n in extra for t in compound_forms(n)]
        return self._each_field(lambda name, boost: Spellings(name, [(joined,), *phrases], boost=boost,
                                                              terms=extra, forms=forms))

    def phrase(self, words: list[str], forms: bool = True) -> wq.Query:
        variants = phrase_variants(words)
        other = phrase_form_variants(words) if forms else []
        return self._each_field(lambda name, boost: Spellings(name, variants, boost=boost, forms=other,
                                                              quoted=True))

    def run(self, words: list[str], drop_stopwords: bool) -> list[wq.Query]:
        """Queries for consecutive free-text words: clitics joined, pairs joined, stops dropped."""
        return [self.word(unit, pairs) for unit, pairs in free_word_units(words, drop_stopwords)]

    def item(self, item: Clause) -> wq.Query:
        if item.field is not None and tuple(self.fields) != (item.field,):  # «عنوان:…»: that field only
            return _Builder({item.field: 1.0}).item(item)
        if item.kind == "phrase":
            return self.phrase(item.words, forms=not item.negated)
        return self.word(join_clitics(item.words, sep=ZWNJ)[0])


def phrase_variants(words: list[str]) -> list[tuple[str, ...]]:
    """Term sequences a phrase may be indexed as: parts split, clitics joined, one pair joined."""
    spaced = [p for w in words for p in w.split(ZWNJ)]
    joined = [w.replace(ZWNJ, "") for w in join_clitics(words)]
    variants = [spaced, joined, [p for w in words for p in split_conjunctions(w.split(ZWNJ))]]
    for i in range(len(joined) - 1):  # «روابط عمومی» written «روابطعمومی» in the document
        if joinable_pair(joined[i], joined[i + 1]):
            variants.append(joined[:i] + [joined[i] + joined[i + 1]] + joined[i + 2:])
    if len(spaced) > 1 and all(p.isdigit() for p in spaced):  # a date: «1387/2/17» is «1387/02/17»
        variants += [[p.lstrip("0") or "0" for p in spaced], [p.zfill(2) for p in spaced]]
    options = [clitic_splits(p) or [(p,)] for p in spaced]  # «میشود» written «می شود»
    for combo in itertools.islice(itertools.product(*options), MAX_PHRASE_VARIANTS):
        variants.append([t for option in combo for t in option])
    return list(dict.fromkeys(tuple(v) for v in variants))[:MAX_PHRASE_VARIANTS]


def phrase_form_variants(words: list[str]) -> list[tuple[str, ...]]:
    """Sequences of a quoted phrase of several words with other forms of its words: each word
    (clitics joined) may also be its stem term (``query_terms.word_forms``); stop words
    and one-word phrases keep their exact form. At most ``MAX_FORM_VARIANTS``."""
    joined = [w.replace(ZWNJ, "") for w in join_clitics(words)]
    if len(joined) < 2:
        return []
    options = [[w] + ([] if is_stopword(w) else word_forms(w)) for w in join_clitics(words, sep=ZWNJ)]
    options = [[w.replace(ZWNJ, ""), *rest] for w, *rest in options]
    compounds = [tuple(joined[:i]) + (form,) + tuple(joined[i + 2:])  # «دانش آموختگان»: one stem term
                 for i in range(len(joined) - 1) for form in compound_forms(joined[i] + joined[i + 1])]
    combos = itertools.islice(itertools.product(*options), MAX_FORM_VARIANTS + 1)
    return [*compounds, *(tuple(c) for c in combos if list(c) != joined)][:MAX_FORM_VARIANTS]


def parse_user_query(
    text: str,
    fields: Sequence[str] | Mapping[str, float],
    phrase_bonus_fields: Sequence[str] = (),
) -> tuple[wq.Query, list[QueryWarning]]:
    """The Whoosh query for ``text`` over ``fields`` (names, or name → boost) and warnings.

    In ``phrase_bonus_fields`` (e.g. the title) free-text words that stand together rank higher:
    an optional phrase clause, which costs phrase matching on those fields (cheap on titles,
    several times slower than the plain query on long bodies).
    """
    if not isinstance(fields, Mapping):
        fields = {name: 1.0 for name in fields}
    builder = _Builder(fields)
    warnings: list[QueryWarning] = []
    try:
        slots = group_alternatives(lex(text))
        if slots and all(s[0].negated for s in slots):
            raise QuerySyntaxError("only_exclusions")
    except QuerySyntaxError as error:
        warnings.append(QueryWarning(error.args[0]))
        words = [w for w in query_words(FIELD_PREFIX.sub(" ", text)) if w not in ("or", "|")]
        slots = [[Clause("word", [w])] for w in words]
    if sum(len(item.words) for slot in slots for item in slot) > MAX_WORDS:
        warnings.append(QueryWarning("too_long"))
        slots = list(limit_words(slots))

    plain = [s[0].words[0] for s in slots if _is_plain(s)]
    drop = any(not is_stopword(w) for w in plain) or any(not _is_plain(s) and not s[0].negated
                                                         for s in slots)
    if plain and not drop:  # «از به»: kept, or nothing would be looked for, but it finds most items
        warnings.append(QueryWarning("common_words_only"))
    positives: list[wq.Query] = []
    negatives: list[wq.Query] = []
    bonuses: list[wq.Query] = []  # free-text words that stand together rank higher
    for is_plain, group in itertools.groupby(slots, key=_is_plain):
        group = list(group)
        if is_plain:
            words = [s[0].words[0] for s in group]
            run = builder.run(words, drop)
            positives += run
            if phrase_bonus_fields and len(distinct(run)) > 1:
                bonuses.append(_Builder({f: fields[f] for f in phrase_bonus_fields}).phrase(
                    [w for i, w in enumerate(words) if i == 0 or w != words[i - 1]]))
            continue
        for slot in group:
            if slot[0].negated:
                negatives.append(builder.item(slot[0]))
            elif len(slot) == 1:
                positives.append(builder.item(slot[0]))
            else:
                positives.append(wq.Or([builder.item(i) for i in slot]))
    positives, negatives, bonuses = distinct(positives), distinct(negatives), distinct(bonuses)
    if not positives:  # also after a fallback (a lone «"»): nothing is left to look for, and the page says so
        warnings.append(QueryWarning("empty"))
        return wq.NullQuery, warnings
    result = positives[0] if len(positives) == 1 else wq.And(positives)
    if bonuses:
        result = wq.AndMaybe(result, bonuses[0] if len(bonuses) == 1 else wq.Or(bonuses))
    if negatives:
        result = wq.AndNot(result, negatives[0] if len(negatives) == 1 else wq.Or(negatives))
    return result, warnings


# --- search-time expansion against the index vocabulary -----------------------------------------


def lexicon_splits(reader: Vocabulary, fieldname: str, word: str) -> list[tuple[str, str]]:
    """Two-part spellings of a joined word whose parts are each in at least as many documents.

    A real word («ایران») is far more frequent than the accidental halves it contains; a
    compound («روابطعمومی») is rarer than its parts, which also occur on their own. A stop word
    is no half («بر» + «اساس», «است» + «راحت», «یا» + «بند» would match other words' phrases),
    but before a half that begins with the Arabic article («بین» + «المللی», «غیر» + «الهی»):
    such a half stands after its first half only. A noun of hazm's lexicon with a stop-word half
    that is a word of it too (``stopword_compound``: «پیش» + «بینی», «خاطر» + «نشان») is a compound
    by the lexicon's word, whatever the counts: its halves need only be in the index («خاطر» alone
    is rarer than «خاطرنشان»).
    """
    if len(word) < 4 or not word.isalpha() or word.isascii():
        return []
    whole = reader.doc_frequency(fieldname, word)
    splits = []
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        if is_stopword(right) or (is_stopword(left) and not after_article(right)):
            if stopword_compound(left, right) and reader.doc_frequency(fieldname, left) \
                    and reader.doc_frequency(fieldname, right):
                splits.append((left, right))
            continue
        left_df = reader.doc_frequency(fieldname, left)
        if left_df and left_df >= whole and reader.doc_frequency(fieldname, right) >= max(whole, 1):
            splits.append((left, right))
    return splits


class Vocabulary(Protocol):
    """What expanding a query asks of an engine's index (``Spellings.alternatives``)."""

    def positional(self, fieldname: str) -> bool:
        """Whether the field keeps positions (phrases can match)."""

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Documents holding ``term`` in the field."""

    def has_terms(self, fieldname: str, terms: Sequence[str]) -> bool:
        """True when every term is in the index (else the sequence cannot match anything)."""


class WhooshVocabulary:
    """``Vocabulary`` over a Whoosh reader."""

    def __init__(self, reader, whole=None):
        self.reader = reader
        self.whole = reader if whole is None else whole  # whose document counts choose the splits

    def positional(self, fieldname: str) -> bool:
        schema = self.reader.schema
        return fieldname in schema and schema[fieldname].format.supports("positions")

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return self.whole.doc_frequency(fieldname, term)

    def has_terms(self, fieldname: str, terms: Sequence[str]) -> bool:
        reader = self.reader
        if fieldname not in reader.schema:
            return False
        field = reader.schema[fieldname]
        try:
            return all((fieldname, field.to_bytes(term)) in reader for term in terms)
        except ValueError:
            return False


_EXPANSIONS = SegmentCache(4096)  # expanded spellings: (segments, prune, Spellings) → query


class Spellings(wq.Query):
    """Alternative term sequences (a term or a phrase each) in one field; at search time each
    word may also take a two-part spelling found by ``lexicon_splits``; ``terms`` are more
    alternatives taken as they are (not split). Duplicates, and spellings with a term the index
    does not have, are dropped: a dead alternative costs a matcher call per match. ``quoted``: a
    «"…"» phrase of the query, whose words are marked only where the phrase stands
    (``phrase_marks.highlight_terms``)."""

    def __init__(self, fieldname: str, variants: Iterable[Sequence[str]], boost: float = 1.0,
                 terms: Iterable[str] = (), forms: Iterable[Sequence[str]] = (), quoted: bool = False):
        self.fieldname = fieldname
        self.quoted = quoted
        self.variants = list(dict.fromkeys(tuple(v) for v in variants if v))
        self.plain_terms = [t for t in dict.fromkeys(terms) if (t,) not in self.variants]
        self.forms = [f for f in dict.fromkeys(tuple(f) for f in forms if f)
                      if f not in self.variants and (len(f) > 1 or f[0] not in self.plain_terms)]
        self.boost = boost
        self._expanded: dict[bool, tuple[object, object, wq.Query]] = {}

    def __eq__(self, other):
        return (type(self) is type(other) and self.fieldname == other.fieldname
                and self.variants == other.variants and self.plain_terms == other.plain_terms
                and self.forms == other.forms and self.boost == other.boost and self.quoted == other.quoted)

    def __hash__(self):
        return hash((self.fieldname, tuple(self.variants), tuple(self.plain_terms), tuple(self.forms),
                     self.boost, self.quoted))

    def __repr__(self):
        return (f"Spellings({self.fieldname!r}, {self.variants!r}, boost={self.boost}, "
                f"terms={self.plain_terms!r}, forms={self.forms!r}, quoted={self.quoted})")

    def is_leaf(self):
        return True

    def field(self):
        return self.fieldname

    def has_terms(self):
        return True

    def terms(self, phrases=False):
        for variant in self.variants:
            if phrases or len(variant) == 1:
                for word in variant:
                    yield self.fieldname, word
        for term in self.plain_terms:
            yield self.fieldname, term
        for form in self.forms:
            if phrases or len(form) == 1:
                for word in form:
                    yield self.fieldname, word

    def expand(self, reader, prune: bool = False, whole=None) -> wq.Query:
        """The plain Whoosh query: an Or of the spellings, split by ``reader``'s vocabulary.

        With ``prune`` (the matcher's query, for one segment) a stem term that adds no document
        of ``reader`` to the exact term is left out (``form_matching.stem_adds_documents``): the
        same documents for one posting list. Without it (the terms to highlight and to look for
        in titles) every term that may match is there. ``whole``: the reader of the whole index
        when ``reader`` reads one segment of it — a word's two-part spellings are chosen by the
        whole index's document counts, as tantivy chooses them (by one segment's, a new segment
        of a few items split «بویراحمد» where the rest of the index did not: the engines gave other
        hits, and a search found an item only until the segments merged; a review of search, round 2)."""
        whole = reader if whole is None else whole
        cached = self._expanded.get(prune)
        if cached is None or cached[0] is not reader or cached[1] is not whole:
            key = segments_key(reader)
            whole_key = key if whole is reader else segments_key(whole)
            cache_key = (key, whole_key, prune, self)
            expanded = _EXPANSIONS.get(cache_key) if key is not None else None
            if expanded is None:
                expanded = self._expand(reader, prune, whole)
                if key is not None:
                    _EXPANSIONS.put(cache_key, expanded)
            cached = self._expanded[prune] = (reader, whole, expanded)
        return cached[2]

    def alternatives(self, vocabulary: Vocabulary) -> dict[tuple[str, ...], float]:
        """The term sequences that may match, each with its boost, in an engine's vocabulary:
        each word with its two-part spellings (``lexicon_splits``), the plain terms, and the word
        forms (``FORM_BOOST``); a sequence with a term the index lacks is left out. The one
        reading of a ``Spellings`` that every engine shares (``whoosh_backend``, ``tantivy_backend``)."""
        name = self.fieldname
        positional = vocabulary.positional(name)
        # A quoted single word asks for that form only: not «زن جان» for «"زنجان"» (a review of search).
        may_split = positional and not (self.quoted and all(len(v) == 1 for v in self.variants))
        splits: dict[str, list[tuple[str, ...]]] = {}
        sequences: dict[tuple[str, ...], None] = {}
        for variant in self.variants:
            options = []
            for word in variant:
                if word not in splits:
                    found = lexicon_splits(vocabulary, name, word) if may_split else []
                    splits[word] = [(word,), *found]
                options.append(splits[word])
            combos = itertools.product(*options)
            for combo in itertools.islice(combos, MAX_PHRASE_VARIANTS):
                sequences[tuple(t for option in combo for t in option)] = None
        for term in self.plain_terms:
            sequences.setdefault((term,), None)
        boosts = dict.fromkeys(sequences, self.boost)
        for form in self.forms:  # other word forms: lower weight, so exact forms rank first
            boosts.setdefault(form, self.boost * FORM_BOOST)
        return {seq: boost for seq, boost in boosts.items()
                if (len(seq) == 1 or positional) and vocabulary.has_terms(name, seq)}

    def _expand(self, reader, prune: bool = False, whole=None) -> wq.Query:
        name = self.fieldname
        present = self.alternatives(WhooshVocabulary(reader, whole))
        # the exact spellings (a word form that is also a spelling has the spelling's boost)
        sequences = {seq for seq, boost in present.items() if boost == self.boost}
        if prune:
            exact = [seq[0] for seq in sequences if len(seq) == 1 and seq in present]
            for form in self.forms:
                if len(form) == 1 and form in present and exact and form not in sequences \
                        and not stem_adds_documents(reader, name, form[0], exact):
                    del present[form]
        queries = [BoostedTerm(name, seq[0], boost=boost) for seq, boost in present.items() if len(seq) == 1]
        by_length: dict[int, dict[tuple[str, ...], float]] = {}
        for seq, boost in present.items():
            if len(seq) > 1:
                by_length.setdefault(len(seq), {})[seq] = boost
        for phrases in by_length.values():
            if prune and len(phrases) > 1:  # one pass for phrases that share their common words
                queries.append(PhraseSet(name, phrases))
            else:
                queries += [wq.Phrase(name, list(seq), boost=boost) for seq, boost in phrases.items()]
        if not queries:
            return wq.NullQuery
        # Spellings of one word are one concept: score by the best, not the sum.
        if len(queries) == 1:
            return queries[0]
        return AnyOf(queries) if prune else wq.DisjunctionMax(queries)

    def expanded_terms(self, ixreader, phrases=True):
        return self.expand(ixreader).iter_all_terms(phrases=phrases)

    def estimate_size(self, ixreader):
        return self.expand(ixreader).estimate_size(ixreader)

    def matcher(self, searcher, context=None):
        top = searcher.get_parent() if searcher.has_parent() else searcher  # a segment's searcher: the index's
        return self.expand(searcher.reader(), prune=True, whole=top.reader()).matcher(searcher, context)
