"""Draw the thirteenth word-form set (``thirteenth.jsonl``; method in ``README.md``, "The thirteenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/thirteenth.py --sheet /tmp/thirteenth/sheet.txt \
        > /tmp/thirteenth/pairs.tsv
    .venv/bin/python bench/morphology/thirteenth.py --treebank /tmp/thirteenth/pairs.tsv > /tmp/thirteenth/treebank.tsv
    .venv/bin/python bench/morphology/thirteenth.py --half BASE  # dev or test

The twelve earlier sets drew the endings of ``fifth.py`` («ها… ان ات تر ترین», the clitics, the «ی»)
and the broken plurals; the pool of those is used up. This set draws by *kinds never drawn*: the
Arabic regular plurals that Persian news writes — «…ین» («مسئولین», «متخصصین»), «…یون» of a word in
«ی» («انقلابیون», «سیاسیون») and «…جات» («سبزیجات», «کارخانجات») —, mechanically and with no stemmer
run (the tokenizer only tells which articles hold a word), from every article: a corpus word
(normalized, ZWNJ removed) that is a base + one of these endings, whose base is a word of at least two
articles, that shares no word (base or form) with any earlier set (the broken-plural set's too), and
that has an article holding the form and never the base; a random sample per kind with seed ``SEED``.
A word in «ترین» is a superlative (another kind, drawn before) and is not drawn as «…ین».
Halves as the ninth set's (``ninth.half``). ``--sheet`` quotes the articles: it stays in /tmp.
"""
from __future__ import annotations

import argparse

from fresh import draw_by_kind
from ninth import half
from sixth import treebank_labels
from twelfth import SETS as TWELFTH_SETS

SEED = 20261214
SETS = (*TWELFTH_SETS, "twelfth.jsonl", "broken.jsonl")  # every word of these is left out
QUOTA = {"ین": 60, "یون": 15, "جات": 10}  # every usable pair: the draw found 55, 5 and 0


def candidates(word: str, known) -> list[tuple[str, str]]:
    """(kind, base) pairs of one corpus word; ``known(base)``: a word of at least two articles."""
    if word.endswith("جات") and len(word) >= 5:
        return [("جات", base) for base in (word[:-3] + "ه", word[:-3]) if known(base)][:1]
    if word.endswith("یون") and len(word) >= 6 and known(word[:-2]):
        return [("یون", word[:-2])]
    if word.endswith("ین") and not word.endswith("ترین") and len(word) >= 5 and known(word[:-2]):
        return [("ین", word[:-2])]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    parser.add_argument("--treebank", help="the drawn pairs: label mechanically (sixth.py's)")
    parser.add_argument("--half", help="a base: print its half")
    args = parser.parse_args(argv)
    if args.treebank:
        return treebank_labels(args.treebank)
    if args.half:
        print(half(args.half))
        return 0
    draw_by_kind(candidates, SETS, SEED, QUOTA, args.sheet,
                 known_rule=lambda base, df, old: df[base] >= 2 and base not in old)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
