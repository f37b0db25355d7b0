"""Turn what a user typed into the search box into a Whoosh query with Persian spelling variants.

Syntax (``search_index.query_syntax``): words (all must match; ``AND`` accepted), "phrases"
(also «…» and “…”), ``-word`` / ``-"phrase"`` to exclude, ``OR`` / ``یا`` / ``|`` between two
items for alternatives, ``title:`` / ``عنوان:`` before a word or phrase for the title field only.
Text that breaks the syntax is searched as plain words, with a warning saying so.

Spelling variants (see ``search_index.persian`` for what the index holds):

* clitics are joined across words («می شود» → «میشود»), a term every spelling has in the index;
* a word with ZWNJ («روابط‌عمومی») matches its joined term or the phrase of its parts;
* a joined word («روابطعمومی») also matches the phrase of two parts when the index's own
  vocabulary shows a split whose parts occur in more documents than the joined word, or when
  hazm's lexicon makes it a compound with a stop-word half («خاطرنشان» → «خاطر نشان»)
  (``Spellings`` in ``search_index.spellings``, expanded at search time);
* two adjacent free-text words also match their joined term («روابط عمومی» → «روابطعمومی»);
* word forms (``query_terms.word_forms``): a free-text word also matches the stem term of its
  inflected forms («تانکر» finds «تانکرها», «خاموشی‌ها» finds «خاموشی‌های»), weighted ``FORM_BOOST`` so exact forms rank first. A quoted
  phrase of several words also takes the word forms of each word (``phrase_form_variants``,
  positions kept, weighted the same); a quoted single word («"تانکر"») asks for exactly that
  form;
* spelling families (``spelling_families``): a free word, and each word of a quoted phrase
  (``phrase_family_variants``), also matches its family's other spellings («آنفلوآنزا» for
  «آنفولانزا», «گفت و گو» for «گفتگو»).

Stop words are dropped from free-text words only, never from phrases or exclusions.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence

from whoosh import query as wq

from search_index.persian import ZWNJ, is_stopword, split_conjunctions
from search_index.query_dates import ORDINAL_END, date_family, date_spellings  # noqa: F401 - re-exported: the rules' matcher
from search_index.query_syntax import (  # noqa: F401 - re-exported for callers of the search box
    FIELD_PREFIX,
    GENERAL_OFFICES,
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
    or_between_runs,
    some_word_kept,
    stopword_compound,
    without_end_ors,
)
from search_index.query_terms import (
    clitic_splits,
    compound_forms,
    join_clitics,
    merge_clitic_parts,
    query_words,
    word_forms,
)
from search_index.spelling_families import COUNCILS, council_spellings, office_holder, spelling_family
from search_index.spellings import (  # noqa: F401 - re-exported: the engines read Spellings from here
    FORM_BOOST,
    MAX_PHRASE_VARIANTS,
    Spellings,
    Vocabulary,
    WhooshVocabulary,
    lexicon_splits,
)
from search_index.stems import CONJUNCTION, conjunction_split
from search_index.verbs import verb_forms

MAX_FORM_VARIANTS = 16  # word-form sequences of one quoted phrase

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
        halves = conjunction_split(joined) if ZWNJ not in unit else None
        if halves is not None:  # «صداوسیما» typed joined: also «صدا و سیما» (and «صدا و سیمای»: below)
            phrases.append((halves[0], CONJUNCTION, halves[1]))
        family = spelling_family(joined)  # «گفتگو»: also «گفتوگو», «گفت و گو»; «آیتاله»: «آیت‌الله»
        dated = date_spellings(unit)  # a date's spellings; a month alone, «خردادماه», weighs as a form (below)
        phrases += [seq for seq in family if seq != (joined,)] + (dated if ZWNJ in unit else [])
        extra = [n for n in neighbours if n != joined]

        forms = [(t,) for t in word_forms(unit)] + [(t,) for n in extra for t in compound_forms(n)]
        forms += conjunction_forms(unit if halves is None else ZWNJ.join((halves[0], CONJUNCTION, halves[1])))
        forms += family_forms(family) + office_forms(unit) + ([] if ZWNJ in unit else dated)
        forms += [(t,) for t in verb_forms(unit)]  # «می‌پذیرد»: «بپذیرد», «پذیرفت» … (search_index/verbs.py)
        far = [(t,) for t in holder_forms(joined)]  # «استاندار»: also «استانداری» and its forms, and the other way
        return self._each_field(lambda name, boost: Spellings(name, [(joined,), *phrases], boost=boost,
                                                              terms=extra, forms=forms, far=far))

    def phrase(self, words: list[str], forms: bool = True, holders: bool = True) -> wq.Query:
        variants = phrase_variants(words) + phrase_family_variants(words, councils=holders)
        other = phrase_form_variants(words, holders) + phrase_family_variants(words, forms=True, councils=holders) \
            if forms else []
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


def conjunction_forms(unit: str) -> list[tuple[str, ...]]:
    """A compound around «و» made one unit («ساخت‌و‌ساز» of «ساخت و ساز», «آب‌وفاضلاب»): its phrase
    with the other forms of its words («ساخت و سازهای غیرمجاز»), as the two words searched apart
    found them (the review of the round-6 change: the unit asked for its exact spelling only and
    lost five articles of «ساخت و ساز»); [] for a unit without a «و» part."""
    parts = split_conjunctions(unit.split(ZWNJ)) if ZWNJ in unit else []
    return phrase_form_variants(parts) if CONJUNCTION in parts[1:-1] else []


def holder_forms(word: str) -> list[str]:
    """The holder of an office of ``OFFICES`` or the office of its holder, with its forms («استاندار»:
    «استانداری», «~استانداری»; the other way too), for a word typed alone or in a quoted phrase; [] else."""
    holder = office_holder(word.replace(ZWNJ, ""))
    return [holder, *word_forms(holder)] if holder else []


def office_forms(unit: str) -> list[tuple[str, ...]]:
    """An office's title with «کل» made one unit («مدیر‌کل» of «مدیر کل»): its phrase with the office's
    other forms too, «مدیران کل» (the code review: the unit asked for the exact spellings only and
    lost the 4 articles of «مدیران کل» that «مدیر» alone had found); [] for another unit."""
    parts = unit.split(ZWNJ)
    if len(parts) == 1 and unit.endswith("کل") and unit[:-2] in GENERAL_OFFICES:  # «مدیرکل» typed joined
        parts = [unit[:-2], "کل"]
    return phrase_form_variants(parts) if len(parts) == 2 and parts[1] == "کل" else []


def family_forms(family: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The other forms of every spelling ``spelling_family`` gives («~گفتگو», «~گفتوگو», «گفت و
    ~گو»), as each spelling typed alone would ask for them, and its ezafe and indefinite «ی» after the
    «و» of its last stem («گفت و گوی», «گفت‌وگویی», «گفتگویی»: the stemmer reads «گوی» as a word of
    its own, no form of «گو», and gives «گفتگویی» no stem)."""
    forms = [(t,) for seq in family if len(seq) == 1 for t in word_forms(seq[0])]
    forms += [form for seq in family if len(seq) > 1 for form in phrase_form_variants(list(seq))]
    return forms + [(*seq[:-1], seq[-1] + ending) for seq in family if seq[-1][-1] == "و"
                    for ending in ("ی", "یی") if len(seq) > 1 or ending == "یی"]


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
        if len(spaced) == 2:  # «۲/۵», a decimal as Persian text writes it: also «2.5», «۲٫۵» (the other
            # way, «2.5» as «2 5», found every date «۱۴۰۴/۲/۵»: the code review; the index holds «۲/۵»
            # as two numbers, so «2.5» finds «۲/۵» only when the index joins them: not done)
            variants.append([".".join(spaced)])
    options = [clitic_splits(p) or [(p,)] for p in spaced]  # «میشود» written «می شود»
    for combo in itertools.islice(itertools.product(*options), MAX_PHRASE_VARIANTS):
        variants.append([t for option in combo for t in option])
    return list(dict.fromkeys(tuple(v) for v in variants))[:MAX_PHRASE_VARIANTS]


def phrase_form_variants(words: list[str], holders: bool = True) -> list[tuple[str, ...]]:
    """Sequences of a quoted phrase of several words with other forms of its words: each word
    (clitics joined) may also be its stem term (``query_terms.word_forms``) and, with ``holders``, an
    office's holder or a holder's office (``holder_forms``); stop words and one-word phrases keep their
    exact form. At most ``MAX_FORM_VARIANTS``."""
    joined = [w.replace(ZWNJ, "") for w in join_clitics(words)]
    if len(joined) < 2:
        return []
    options = [[w] + ([] if is_stopword(w) else word_forms(w) + (holder_forms(w) if holders else []))
               for w in join_clitics(words, sep=ZWNJ)]
    options = [[w.replace(ZWNJ, ""), *rest] for w, *rest in options]
    compounds = [tuple(joined[:i]) + (form,) + tuple(joined[i + 2:])  # «دانش آموختگان»: one stem term
                 for i in range(len(joined) - 1) for form in compound_forms(joined[i] + joined[i + 1])]
    return [*compounds, *itertools.islice(fewest_changed_first(options), MAX_FORM_VARIANTS)][:MAX_FORM_VARIANTS]


def fewest_changed_first(options: list[list[str]]) -> Iterator[tuple[str, ...]]:
    """Each word's first option (its own spelling) with the others', one word changed, then two…: the cap keeps
    the nearest. In the product's order «"معاون سیاسی امنیتی استاندار"»'s 32 sequences gave the last word's four
    forms first and «معاونان … استانداری» was never asked (session 44's note; session 45)."""
    seen = {tuple(o[0] for o in options)}
    for changed in range(1, len(options) + 1):
        for where in itertools.combinations([i for i, o in enumerate(options) if len(o) > 1], changed):
            for alternatives in itertools.product(*(options[i][1:] for i in where)):
                seq = [o[0] for o in options]
                for i, alternative in zip(where, alternatives, strict=True):
                    seq[i] = alternative
                if (key := tuple(seq)) not in seen:
                    seen.add(key)
                    yield key


def phrase_family_variants(words: list[str], forms: bool = False, councils: bool = True) -> list[tuple[str, ...]]:
    """A quoted phrase with the other spellings of its words' families (``spelling_family``: a word,
    or two or three words side by side that make one, «رئیس جمهور», «گفت و گو»): «"آنفولانزا فصلی"»
    is also «آنفلوآنزا فصلی», as the word typed alone finds it (the last session's review: a phrase
    asked for its own spelling only). ``forms``: the sequences with the other forms of every word
    and spelling too (none for a single quoted word, as ``phrase_form_variants``). [] when no word
    has a family; at most ``MAX_PHRASE_VARIANTS`` (``MAX_FORM_VARIANTS`` with ``forms``). ``councils``: a
    council's short and full name too (``council_spellings``); not in the bonus of free words side by side,
    where the wider phrase's lower weight ranked «شورای نگهبان» articles 4th for «شورای شهر» (round 43's dev:
    0.894 → 0.811 on Whoosh, 0.937 → 0.782 on tantivy)."""
    units = join_clitics(words, sep=ZWNJ)
    joined = [u.replace(ZWNJ, "") for u in units]
    if forms and len(joined) < 2:
        return []
    options: list[list[tuple[str, ...]]] = []
    found, i = False, 0
    while i < len(joined):
        for span in (4, 3, 2, 1):  # the longest family first: «بیست و دوم بهمن», «گفت و گو», «سی ام اسفند», a word
            piece = joined[i:i + span]
            family = (phrase_family if councils else spelling_family)("".join(piece)) if len(piece) == span and (
                span < 3 or piece[1] == CONJUNCTION or span == 3 and piece[1] in (COUNCILS[1], ORDINAL_END)) else []
            if family:
                break
        else:
            span = 1
        found = found or bool(family)
        option = family or [(joined[i],)]
        if forms:
            option += family_forms(family) if family else \
                [] if is_stopword(joined[i]) else [(t,) for t in word_forms(units[i])]
        options.append(option)
        i += span
    if not found:
        return []
    limit = MAX_FORM_VARIANTS if forms else MAX_PHRASE_VARIANTS
    sequences = dict.fromkeys(tuple(t for seq in combo for t in seq)
                              for combo in itertools.islice(itertools.product(*options), 4 * limit))
    sequences.pop(tuple(joined), None)
    return list(sequences)[:limit]


def phrase_family(joined: str) -> list[tuple[str, ...]]:
    """The spellings of a word or words of a quoted phrase (``spelling_family``), a council's names
    (``council_spellings``) or a date's (``date_family``)."""
    return spelling_family(joined) or council_spellings(joined) or date_family(joined)


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
        try:
            items = lex(text, strict=True)
        except QuerySyntaxError as error:
            if error.code not in ("parentheses", "wildcard"):
                raise
            warnings.append(QueryWarning(error.code))  # said; the rest of the syntax read as usual
            items = lex(text)
        kept, trimmed = without_end_ors(items)
        if kept:  # «یا» alone is searched as a word, as before
            items = kept
        slots = group_alternatives(items)
        if slots and all(s[0].negated for s in slots):
            raise QuerySyntaxError("only_exclusions")
        if trimmed and kept:  # said once the rest was read as syntax (not beside «searched plainly»)
            warnings.append(QueryWarning("or_at_an_end"))
        if or_between_runs(items):
            warnings.append(QueryWarning("or_between_runs"))
    except QuerySyntaxError as error:
        warnings.append(QueryWarning(error.args[0]))
        words = [w for w in query_words(FIELD_PREFIX.sub(" ", text)) if w not in ("or", "|")]
        slots = [[Clause("word", [w])] for w in words]
    if sum(len(item.words) for slot in slots for item in slot) > MAX_WORDS:
        warnings.append(QueryWarning("too_long"))
        slots = list(limit_words(slots))

    plain = [s[0].words[0] for s in slots if _is_plain(s)]
    drop = some_word_kept(plain) or any(not _is_plain(s) and not s[0].negated for s in slots)
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
                # the bonus of words typed side by side takes no office for its holder nor a council's full name:
                # «معاون استاندار» typed free ranked body mentions of «معاونین استانداری» first (round 43's dev, the
                # code review); «شورای شهر», articles of «شورای نگهبان» (``phrase_family_variants``)
                bonuses.append(_Builder({f: fields[f] for f in phrase_bonus_fields}).phrase(
                    [w for i, w in enumerate(words) if i == 0 or w != words[i - 1]], holders=False))
            continue
        for slot in group:
            if slot[0].negated:
                negatives.append(builder.item(slot[0]))
            elif len(slot) == 1:
                positives.append(builder.item(slot[0]))
            else:
                positives.append(wq.Or([builder.item(i) for i in slot]))
    positives, negatives, bonuses = distinct(positives), distinct(negatives), distinct(bonuses)
    if not positives:  # also after a fallback (a lone «"»): nothing is left to look for, and the page says
        # only that (it also said the words had been searched plainly: there were none)
        return wq.NullQuery, [QueryWarning("empty")]
    result = positives[0] if len(positives) == 1 else wq.And(positives)
    if bonuses:
        result = wq.AndMaybe(result, bonuses[0] if len(bonuses) == 1 else wq.Or(bonuses))
    if negatives:
        result = wq.AndNot(result, negatives[0] if len(negatives) == 1 else wq.Or(negatives))
    return result, warnings
