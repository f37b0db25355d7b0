"""Draw the fourteenth word-form set (``fourteenth.jsonl``; method in ``README.md``, "The fourteenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/fourteenth.py --sheet /tmp/fourteenth/sheet.txt \
        > /tmp/fourteenth/pairs.tsv
    .venv/bin/python bench/morphology/fourteenth.py --half BASE  # dev or test

A kind no set has drawn: **a broken plural's shape + «ی»** («افرادی», «مواردی»: a plural with the
indefinite «ی»; «خدامی», «عشاقی»: surnames; «تجاری», «اصولی»: adjectives of relation, words of their
own), paired with a singular of the same three root letters («فرد», «خادم», «تاجر»), the pair asked
both ways as the broken-plural set's (``eval_morphology.py --split fourteenth``). Drawn mechanically,
no stemmer run: a corpus word (normalized, ZWNJ removed, in at least two articles) that is «ی» after a
word of one of ``broken.PLURALS``' shapes or of the shape «فعّال» written without its shadda («خدام»,
«زوار», «تجار»: ``FUAAL``), with a corpus word (in at least two articles) of a singular shape
(``broken.SINGULARS``) with the same root letters in order; usable when an article holds the form and
never the singular and one the other way round. Pairs already in an earlier set are left out. A random
sample with seed ``SEED``: ``USUAL_QUOTA`` pairs whose singular has a shape the plural is the plural
of (``broken.USUAL``; «فعّال» of «فاعل»), the rest up to ``SIZE`` of the others. Halves as the ninth's
(``ninth.half`` of the base). ``--sheet`` quotes the articles: it stays in /tmp.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from broken import PLURALS, SINGULARS, USUAL, C, root
from fresh import SNIPPETS, corpus
from ninth import half

from search_index.persian import normalize, tokenize
from search_index.query_terms import word_spans

SEED = 20261215
SIZE = 60
USUAL_QUOTA = 45
FUAAL = re.compile(f"^{C}{C}ا{C}$")  # «خدام», «عشاق», «تجار»: فُعّال, the plural of فاعل
SHAPES = {**PLURALS, "fuaal": FUAAL}
USUAL_OF = {**USUAL, "fuaal": {"fail"}}
HERE = Path(__file__).resolve().parent


def earlier_pairs() -> set[tuple[str, str]]:
    """(base, form) of every earlier set, normalized, both ways."""
    seen = set()
    for path in HERE.glob("*.jsonl"):
        if path.name != "fourteenth.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                p = json.loads(line)
                seen.update({(normalize(p["base"]), normalize(p["form"])), (normalize(p["form"]), normalize(p["base"]))})
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    parser.add_argument("--half", help="a base: print its half")
    args = parser.parse_args(argv)
    if args.half:
        print(half(normalize(args.half)))
        return 0
    texts, df, _ = corpus(())
    words = [w for w in df if w.isalpha() and not w.isascii() and df[w] >= 2]
    singulars: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for w in words:
        r = root(w, SINGULARS)
        if r:
            singulars.setdefault(r[1], []).append((r[0], w))
    old = earlier_pairs()
    pairs = {}
    for w in words:
        r = root(w[:-1], SHAPES) if w.endswith("ی") else None
        for shape, s in singulars.get(r[1], []) if r else []:
            if s != w[:-1] and root(s, PLURALS) is None and (s, w) not in old:
                pairs[(s, w)] = shape in USUAL_OF[r[0]]
    surface = [{t.text for t in tokenize(text) if t.kind != "stem"} for text in texts]
    usable = {}
    for s, f in sorted(pairs):
        one = [i for i, t in enumerate(surface) if f in t and s not in t]
        other = [i for i, t in enumerate(surface) if s in t and f not in t]
        if one and other:
            usable[(s, f)] = (one, other)
    rng = random.Random(SEED)
    usual = [k for k in sorted(usable) if pairs[k]]
    sample = rng.sample(usual, min(USUAL_QUOTA, len(usual)))
    others = [k for k in sorted(usable) if not pairs[k]]
    sample += rng.sample(others, min(SIZE - len(sample), len(others)))
    print(f"# {len(pairs)} candidates, {len(usable)} usable ({len(usual)} of the usual shapes), "
          f"sample {len(sample)}", file=sys.stderr)
    sheet = []
    for s, f in sample:
        print(f"{s}\t{f}\t{'usual' if pairs[(s, f)] else 'other'}\t{half(s)}")
        one, other = usable[(s, f)]
        sheet.append(f"## {s} ← {f} ({len(one)} / {len(other)} articles)")
        for word, docs in ((f, one), (s, other)):
            for i in docs[:SNIPPETS]:
                for w, start, end in word_spans(texts[i]):
                    if w.replace("\u200c", "") == word:
                        sheet.append(f"   [{word}] " + texts[i][max(0, start - 60): end + 40].replace("\n", " "))
                        break
    if args.sheet:
        Path(args.sheet).write_text("\n".join(sheet) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
