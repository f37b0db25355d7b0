"""The query side of the Persian analysis: a query's words (ZWNJ kept between parts), their
clitic joins and splits, the stem term that holds a word's inflected forms, and the one term per
word the query analyzer emits. The index side (normalization, ``tokenize``, the stemmer's terms,
stop words) is ``search_index.persian``; both read words and clitics by the same rules.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from search_index.lexicon import lexicon
from search_index.persian import (
    CLITIC_PREFIXES,
    CLITIC_SUFFIXES,
    EZAFE,
    GAP_CHARS,
    INDEFINITE,
    WORD_RE,
    ZWNJ,
    Token,
    is_clitic_pair,
    stem,
    stem_parts,
)
from search_index.stem_plurals import plural_with_ye
from search_index.stemmer import STEM_MARK
from search_index.stems import CONJUNCTION
from search_index.word_parts import split_parts


def word_stem(word: str) -> str | None:
    """The stem of a normalized query word (ZWNJ marks part or clitic boundaries), or None; a
    possessive clitic is not cut: «کشورش» asks for «کشورش», and «کشور» finds it."""
    return stem_parts(word.split(ZWNJ), possessive=False) if ZWNJ in word else stem(word, possessive=False)


def word_forms(word: str) -> list[str]:
    """The index term that holds the inflected forms of ``word`` (beside its exact spellings):
    «تانکر» → «~تانکر» (finds «تانکرها»); an inflected word gives its stem's term, so it finds
    the other inflected forms («خاموشی‌ها» → «~خاموشی» finds «خاموشی‌های») but not the bare
    stem: who writes a plural asks for plurals («فیلم‌ها», «بانک‌ها» in the starter rules); but a
    broken plural also gives its bare singular («مدارس» → «~مدرسه», «مدرسه»: ``broken_plural_of``), and
    one that is also a participle its own regular plurals («مراجع» → «~مراجع»: ``own_plurals``)."""
    base = word_stem(word)
    if base is None:
        base = word.replace(ZWNJ, "")
    if not base[:1].isalpha():
        return []
    plain = word.replace(ZWNJ, "")
    bare = broken_plural_of(plain) == base and base not in PHRASE_SINGULARS
    own = bare and plain in lexicon().broken_plurals and own_plurals(plain)
    return [STEM_MARK + base] + ([base] if bare else []) + ([STEM_MARK + plain] if own else [])


# A listed broken plural that is also an Arabic participle with regular plurals: «مراجع» (authorities, of
# «مرجع») spells the participle «مُراجِع» too (one who calls), whose plurals «مراجعین», «مراجعان» the stemmer
# reads as «~مراجع». Its query asks those as well (round 18, the eighteenth set's dev half: «مراجع» missed
# «مراجعین»). Only a plural hazm's lexicon holds counts (not the made-up «مدارسان»), and not the double plural
# in «ات» («امورات» is «امر»'s, the fifth set's label): of the 288 listed plurals, «مراجع» alone.
OWN_PLURAL_ENDINGS = ("ین", "ان")


def own_plurals(plural: str) -> bool:
    """Whether a regular plural of ``plural`` itself is a word (hazm's lexicon) the stemmer reads as
    ``plural``'s: «مراجعین» (``word_forms``)."""
    lex = lexicon()
    return any(lex.tags(plural + ending) and stem(plural + ending) == plural for ending in OWN_PLURAL_ENDINGS)


# Singulars news writes almost only in a fixed phrase, not in the plural's sense: «جانب» is «از جانب» (by,
# from) 23 times of 28 in the 1,500 articles and «جانب … را گرفتن» (to side with) the rest, never "aspect",
# so «جوانب» (aspects) asks for the singular's forms but not the bare word (22 articles, none of aspects).
PHRASE_SINGULARS = frozenset({"جانب"})


REGULAR_ENDINGS = frozenset(("ین", "ات", "جات"))  # the list's regular plurals: «مسئولین», «گزارشات», «کارخانجات»


def broken_plural_of(term: str) -> str | None:
    """The singular of a listed Arabic broken plural (stemmer rule 00), or None: «مدارس» → «مدرسه»,
    «مدارسی» → «مدرسه». A broken plural is a word of its own, not the singular + an ending, so its
    query also asks for the bare singular (index schema 31): «مدارس» finds «مدرسه» as «مدرسه» finds
    «مدارس» (a regular plural asks for plurals only, «فیلم‌ها»: ``word_forms``). Not for the «ین»/«ات»
    plurals the list also holds, which are the singular + an ending («مسئولین», «گزارشات»)."""
    broken = lexicon().broken_plurals
    plural = term if term in broken else plural_with_ye(term, lexicon()) or ""
    singular = broken.get(plural)
    if singular is None:
        return None
    rest = singular.removesuffix("ه")
    # the singular + «ین»/«ات»/«جات» is a regular plural; «قوا» of «قوه», «بلایا» of «بلا», «خطوط» of «خط»
    # begin with their singular's letters and are broken plurals all the same (index schema 32)
    return None if plural.startswith(rest) and plural[len(rest):] in REGULAR_ENDINGS else singular


def compound_forms(pair: str) -> list[str]:
    """The stem term the index gives a spaced compound («دانش آموختگان» → «~دانشآموخته», see
    ``compound_stem``) for the joined pair of two query words («دانشآموخته»), or []: lets «دانش
    آموخته» find «دانش آموختگان», whose second half gives no stem of its own."""
    forms = word_forms(pair)
    return forms if forms and lexicon().tags(forms[0][len(STEM_MARK):]) else []


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Normalized words of ``text`` with ZWNJ kept between parts, and their offsets; an ezafe
    written apart after a word ending in «ه» («توسعه ی») is no word, as in the index."""
    prev_end, prev_last = -1, ""
    for m in WORD_RE.finditer(text):
        parts = split_parts(m.group(), m.start())
        if not parts:
            continue
        start = m.start()
        if len(parts) > 1 and parts[0][0] == CONJUNCTION:  # «آموزش وپرورش»: «و» is a word of its own
            yield CONJUNCTION, parts[0][1], parts[0][2]
            parts, start = parts[1:], parts[1][1]
        word = ZWNJ.join(p[0] for p in parts)
        if word == EZAFE and prev_last == "ه" and not text[prev_end:m.start()].strip(GAP_CHARS):
            continue
        prev_end, prev_last = m.end(), word[-1]
        yield word, start, m.end()


def query_words(text: str) -> list[str]:
    """Normalized words of a query, ZWNJ kept between parts (query.py builds the variants)."""
    return [w for w, _, _ in word_spans(text)]


def merge_clitic_parts(word: str) -> str:
    """Drop the ZWNJ at clitic boundaries inside one word: «می‌شود» → «میشود»."""
    if ZWNJ not in word:
        return word
    merged: list[str] = []
    for part in word.split(ZWNJ):
        if merged and is_clitic_pair(merged[-1], part):
            merged[-1] += part
        else:
            merged.append(part)
    return ZWNJ.join(merged)


def join_clitics(words: Iterable[str], sep: str = "") -> list[str]:
    """Join می/نمی to the next word and ها/های/تر/ترین… to the previous one (query side).

    With ``sep=""`` the clitic boundaries vanish («می شود», «می‌شود» → «میشود»); with
    ``sep=ZWNJ`` they are marked so the caller can still build the phrase of the parts.
    """
    out: list[str] = []
    for word in words:
        if not sep:
            word = merge_clitic_parts(word)
        if out and is_clitic_pair(out[-1].rsplit(ZWNJ, 1)[-1], word.split(ZWNJ, 1)[0]):
            out[-1] = out[-1] + sep + word
            if not sep:
                out[-1] = merge_clitic_parts(out[-1])
        else:
            out.append(word)
    return out


def clitic_splits(word: str) -> list[tuple[str, str]]:
    """Clitic boundaries a joined word may have: «میشود» → [(«می», «شود»)]."""
    splits = []
    for prefix in CLITIC_PREFIXES:
        if word.startswith(prefix) and is_clitic_pair(prefix, word[len(prefix):]):
            splits.append((prefix, word[len(prefix):]))
    for suffix in (*CLITIC_SUFFIXES, INDEFINITE):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and is_clitic_pair(stem, suffix):
            splits.append((stem, suffix))
    return sorted(s for s in splits if len(s[1]) >= 2)


def query_tokens(text: str) -> Iterator[Token]:
    """One term per word for query mode: ZWNJ removed, clitic pairs joined, spans merged."""
    items: list[list] = []
    for word, start, end in word_spans(text):
        left = items[-1][0] if items else None
        if left is not None and is_clitic_pair(left, word.replace(ZWNJ, "")):
            items[-1][0] += word.replace(ZWNJ, "")
            items[-1][2] = end
        else:
            items.append([word.replace(ZWNJ, ""), start, end])
    for pos, (term, start, end) in enumerate(items):
        yield Token(term, start, end, pos, "word")
