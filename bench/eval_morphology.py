"""Word forms on the 1,500 real articles: recall of inflected forms and the false-match rate.

The set is ``morphology/set.jsonl`` (method in ``morphology/README.md``): pairs (base, form)
labelled ``inflection`` («تانکر» → «تانکرها») or ``unrelated`` («پا» → «پایان»). For each pair,
the articles that hold the form but never the base as a word of their own:

* inflection pairs: the share of those articles a search for the base finds (**recall**);
* unrelated pairs: the share of those articles a search for the short word finds (**false-match
  rate**).

Systems, each asked the one-word query «base» over title + body:

* ``ours``: the rules matcher (``app.rules.matcher``; search takes the same word forms, see
  ``search_index.query``) over ``search_index.persian.tokenize`` — with the stemmer;
* ``ours-nostem``: the same without the stem terms (what main did before issue 10);
* ``lucene``: ``relevance/systems.py``'s approximation of Lucene's PersianAnalyzer (ZWNJ splits
  words; no stemmer);
* ``lucene+stem``: the same followed by an approximation of Lucene 9's ``PersianStemFilter``
  (suffixes ات، ان، ترین، تر، یی، ی، ها and ZWNJ, each cut once in that order when at least two
  letters remain);
* ``hazm``: hazm's rule ``Stemmer`` (its ``SUFFIXES``, longest first, one cut) on both sides.

    .venv/bin/python bench/eval_morphology.py [--split test|dev|all|fresh|third|fourth|fifth|sixth|…|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|broken] [--half dev|test] [--errors]

``--split fresh`` reads ``morphology/fresh.jsonl``, the set drawn after the first round's rules
were frozen, ``--split third`` ``morphology/third.jsonl``, the one drawn after the second round's,
``--split fourth`` ``morphology/fourth.jsonl``, the one drawn after the third round's
(``morphology/fresh.py``; method in ``morphology/README.md``), ``--split fifth``
``morphology/fifth.jsonl``, drawn by kind (clitics, «ی», comparatives, broken plurals…) in the
fifth round (``morphology/fifth.py``), ``--split sixth`` ``morphology/sixth.jsonl``, the same draw
by kind after the fifth round's rules were frozen (``morphology/sixth.py``); ``--split seventh``,
``eighth``, ``ninth``, ``tenth``, ``eleventh``, ``twelfth`` and ``thirteenth`` the later draws by kind (``morphology/seventh.py`` …; the thirteenth by kinds never drawn: «…ین», «…یون»);
``--split broken`` ``morphology/broken.jsonl``, Arabic broken plurals drawn by their shapes (``morphology/broken.py``),
each pair asked both ways (the singular, then the plural: kind «… (plural asked)»); ``--split fourteenth``
``morphology/fourteenth.jsonl``, a broken plural's shape + «ی» («افرادی», the surname «خدامی») against a singular of
its root, asked both ways too (``morphology/fourteenth.py``); ``--split fifteenth`` ``morphology/fifteenth.jsonl``,
a clitic after a long vowel («صدایم», «اعضایش», «کارهایشان», «گرامیتان») and its look-alikes («افزایش», «گویم»),
asked one way (``morphology/fifteenth.py``); ``--split sixteenth`` ``morphology/sixteenth.jsonl``, broken plurals of
weak and hamza roots drawn by shape («اوقات», «مسائل», «ادوار») against look-alikes of their letters, asked both ways
(``morphology/sixteenth.py``); ``--split seventeenth`` ``morphology/seventeenth.jsonl``, broken plurals of four
letters drawn by shape («عناصر», «فرامین», «میادین») against look-alikes, asked both ways (``morphology/seventeenth.py``);
``--split eighteenth`` ``morphology/eighteenth.jsonl``, the «…ین»/«…جات» pairs whose base an earlier set held («طرفین»,
«مخالفین»), asked one way (``morphology/eighteenth.py``); ``--split nineteenth`` ``morphology/nineteenth.jsonl``, hamza
spellings («سوءاستفاده» / «سواستفاده», «جزء» / «جزو») against look-alikes («سؤال» / «سال»), asked both ways
(``morphology/nineteenth.py``). The ninth to nineteenth sets and the broken set have two halves (``--half dev|test``, field ``half``): rules are changed for the dev half only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "relevance"))

from systems import body_of, load_articles, lucene_normalize  # noqa: E402

from app.rules.analysis import analyze_item  # noqa: E402
from app.rules.matcher import compile_rule, matches  # noqa: E402
from search_index.persian import STEM_MARK, ZWNJ, normalize, tokenize  # noqa: E402
from search_index.query_terms import word_forms  # noqa: E402
from search_index.spelling_families import spelling_family  # noqa: E402

SET = REPO / "bench" / "morphology" / "set.jsonl"
FRESH = REPO / "bench" / "morphology" / "fresh.jsonl"
THIRD = REPO / "bench" / "morphology" / "third.jsonl"
FOURTH = REPO / "bench" / "morphology" / "fourth.jsonl"
FIFTH = REPO / "bench" / "morphology" / "fifth.jsonl"
SIXTH = REPO / "bench" / "morphology" / "sixth.jsonl"
SEVENTH = REPO / "bench" / "morphology" / "seventh.jsonl"
EIGHTH = REPO / "bench" / "morphology" / "eighth.jsonl"
NINTH = REPO / "bench" / "morphology" / "ninth.jsonl"
TENTH = REPO / "bench" / "morphology" / "tenth.jsonl"
ELEVENTH = REPO / "bench" / "morphology" / "eleventh.jsonl"
TWELFTH = REPO / "bench" / "morphology" / "twelfth.jsonl"
THIRTEENTH = REPO / "bench" / "morphology" / "thirteenth.jsonl"
FOURTEENTH = REPO / "bench" / "morphology" / "fourteenth.jsonl"
FIFTEENTH = REPO / "bench" / "morphology" / "fifteenth.jsonl"
SIXTEENTH = REPO / "bench" / "morphology" / "sixteenth.jsonl"
SEVENTEENTH = REPO / "bench" / "morphology" / "seventeenth.jsonl"
EIGHTEENTH = REPO / "bench" / "morphology" / "eighteenth.jsonl"
NINETEENTH = REPO / "bench" / "morphology" / "nineteenth.jsonl"
BROKEN = REPO / "bench" / "morphology" / "broken.jsonl"

# Lucene 9 PersianStemmer's suffixes, in its order (approximation: see the module doc).
LUCENE_SUFFIXES = ("ات", "ان", "ترین", "تر", "یی", "ی", "ها", ZWNJ)
# hazm 0.12.1 constants.SUFFIXES plus the Stemmer's own additions, longest first.
HAZM_SUFFIXES = sorted({"ی", "ای", "ها", "های", "هایی", "تر", "تری", "ترین", "گر", "گری", "ام", "ات",
                        "اش", "یم", "ید", "ند", "مان", "تان", "شان", "هایمان", "هایتان", "هایشان",
                        "ان", "ین", "م", "ت", "ش", "ٔ", ZWNJ + "ا", ZWNJ}, key=len, reverse=True)
_LUCENE_WORD = re.compile(r"[^\W_]+(?:[\u064b-\u065f\u0670][^\W_]*)*")


def lucene_terms(text: str) -> set[str]:
    return {lucene_normalize(w.lower()) for w in _LUCENE_WORD.findall(text.replace(ZWNJ, " "))}


def lucene_stem(word: str) -> str:
    for suffix in LUCENE_SUFFIXES:
        s = lucene_normalize(suffix)
        if word.endswith(s) and len(word) >= len(s) + 2:
            word = word[: -len(s)]
    return word


def hazm_stem(word: str) -> str:
    for end in HAZM_SUFFIXES:
        if word.endswith(end):
            if len(end) == 1 and len(word) - len(end) < 3:
                continue
            word = word[: -len(end)]
            break
    return word.rstrip(ZWNJ)


def hazm_terms(text: str) -> set[str]:
    return {hazm_stem(normalize(w)) for w in re.findall(r"[^\W_]+(?:\u200c[^\W_]+)*", text)}


def surface_terms(text: str) -> set[str]:
    return {t.text for t in tokenize(text) if t.kind != "stem"}


BOTH_WAYS = ("broken", "fourteenth", "sixteenth", "seventeenth", "nineteenth")  # asked both ways (the singular, then the plural)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev", "all", "fresh", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "broken"))
    parser.add_argument("--half", choices=("dev", "test"),
                        help="only the pairs of this half (the ninth to nineteenth sets have halves: field `half`)")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--by-kind", action="store_true",
                        help="ours per suffix (kind) and per how the pair was labelled (field `by`)")
    args = parser.parse_args(argv)
    source = {"fresh": FRESH, "third": THIRD, "fourth": FOURTH, "fifth": FIFTH, "sixth": SIXTH, "seventh": SEVENTH, "eighth": EIGHTH,
              "ninth": NINTH, "tenth": TENTH, "eleventh": ELEVENTH, "twelfth": TWELFTH, "thirteenth": THIRTEENTH, "fourteenth": FOURTEENTH,
              "fifteenth": FIFTEENTH, "sixteenth": SIXTEENTH, "seventeenth": SEVENTEENTH, "eighteenth": EIGHTEENTH,
              "nineteenth": NINETEENTH,
              "broken": BROKEN}.get(args.split, SET)
    pairs = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line]
    pairs = [p for p in pairs if args.split == "all" or p["split"] == args.split]
    if args.half is not None and not any("half" in p for p in pairs):
        parser.error(f"--half: the {args.split} set has no halves (the ninth to nineteenth and broken have)")
    pairs = [p for p in pairs if args.half is None or p.get("half") == args.half]
    articles = [(a["title"], body_of(a)) for a in load_articles()]
    texts = [t + "\n" + b for t, b in articles]
    surface = [surface_terms(text) for text in texts]
    analyzed = [analyze_item(t, b, body_chars=10**9) for t, b in articles]
    lucene = [lucene_terms(text) for text in texts]
    lucene_stems = [{lucene_stem(w) for w in terms} for terms in lucene]
    hazm = [hazm_terms(text) for text in texts]

    def found(system: str, base: str, i: int) -> bool:
        if system == "ours":
            return matches(compile_rule(base), analyzed[i])
        if system == "ours-nostem":
            rule = compile_rule(base)
            plain = type(analyzed[i])(analyzed[i].texts, {
                name: {t: v for t, v in index.items() if not t.startswith(STEM_MARK)}
                for name, index in analyzed[i].fields.items()})
            return matches(rule, plain)
        if system == "lucene":
            return lucene_normalize(base) in lucene[i]
        if system == "lucene+stem":
            return lucene_stem(lucene_normalize(base)) in lucene_stems[i]
        if system == "hazm":
            return hazm_stem(base) in hazm[i]
        raise ValueError(system)

    systems = ("ours", "ours-nostem", "lucene", "lucene+stem", "hazm")
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    used = defaultdict(int)
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # pairs, hits, docs
    explained = [0, 0]  # ours's false matches in articles where another word is a form of the query

    def other_form(i: int, query: str, form: str) -> bool:
        """Whether article ``i`` holds a form of ``query`` in a word other than ``form`` («جوامع»
        asked finds an article with «جامع» that writes «جامعه» too: a true match, not a false one); a spelling
        of the query's family is one of its forms («جزء» asked finds an article with «جز» that writes «جزو»)."""
        family = {seq[0] for seq in spelling_family(query) if len(seq) == 1}
        want, word = {query, *word_forms(query), *family}, ""
        for token in tokenize(texts[i]):
            word = word if token.kind == "stem" else token.text
            if token.text in want and word != form:
                return True
        return False

    if args.split in BOTH_WAYS:  # asked both ways: the singular finds the plural, the plural the singular
        pairs = [q for p in pairs for q in (p, {**p, "base": p["form"], "form": p["base"],
                                                 "suffix": p["suffix"] + " (plural asked)"})]
    for pair in pairs:
        base, form = normalize(pair["base"]), normalize(pair["form"])
        docs = [i for i, terms in enumerate(surface) if form in terms and base not in terms]
        if not docs:
            continue
        used[pair["label"]] += 1
        for system in systems:
            hits = sum(found(system, base, i) for i in docs)
            cell = totals[(system, pair["label"])]
            cell[0] += hits
            cell[1] += len(docs)
            if system == "ours":
                for group in (f"suffix {pair['suffix']}", f"by {pair.get('by', '-')}"):
                    counts = groups[(group, pair["label"])]
                    counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + hits, counts[2] + len(docs)
            if system == "ours" and pair["label"] == "unrelated" and args.split in BOTH_WAYS and hits:
                hit_docs = [i for i in docs if found(system, base, i)]
                explained[0] += sum(other_form(i, base, form) for i in hit_docs)
                explained[1] += len(hit_docs)
            if system == "ours" and args.errors and (hits < len(docs) if pair["label"] == "inflection" else hits):
                errors.append(f"{pair['label']:10} {base} → {form}: {hits}/{len(docs)}")
    print(f"split {args.split}: {used['inflection']} inflection pairs, {used['unrelated']} unrelated pairs "
          "with at least one article")
    print(f"{'system':12} {'recall':>8} {'(articles)':>12} {'false-match':>12} {'(articles)':>12}")
    for system in systems:
        r, fm = totals[(system, "inflection")], totals[(system, "unrelated")]
        print(f"{system:12} {r[0] / max(r[1], 1):8.3f} {f'{r[0]}/{r[1]}':>12} "
              f"{fm[0] / max(fm[1], 1):12.3f} {f'{fm[0]}/{fm[1]}':>12}")
    if args.split in BOTH_WAYS:
        print(f"ours's false matches in articles that hold another form of the query: {explained[0]}/{explained[1]}")
    if args.by_kind:
        for (group, label), (n, hits, docs) in sorted(groups.items()):
            print(f"ours {group:22} {label:10} {n:3} pairs {hits / max(docs, 1):6.3f} ({hits}/{docs})")
    for line in errors:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
