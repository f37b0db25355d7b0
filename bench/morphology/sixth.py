"""Draw the sixth word-form set (``sixth.jsonl``; method in ``README.md``, "The sixth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/sixth.py --sheet /tmp/sixth_sheet.txt \
        > /tmp/sixth_pairs.tsv
    .venv/bin/python bench/morphology/sixth.py --treebank /tmp/sixth_pairs.tsv > /tmp/sixth_treebank.tsv

The draw is ``fifth.py``'s, unchanged (the same kinds, quotas and tests, no stemmer run), with seed
``SEED`` and every word (base or form) of the five earlier sets left out, the fifth set's too.
``--sheet`` writes the passages for the hand labelling: it quotes the articles, so it stays in
/tmp and never enters the repository.

``--treebank PAIRS`` reads the drawn pairs (the printed ``base<TAB>form<TAB>kind`` lines) and
labels mechanically, by step 1 of the labelling rule, each pair whose form
``search_index/data/treebank_lemmas_fa.tsv`` holds: ``inflection`` when the form's most frequent
annotated lemma is the base, else ``unrelated``; a tie, an annotated lemma that is no word (no
entry of the lexicon, no form of the file), or a base that is itself that lemma + a plural or
comparative ending (the base inflected: «ادعاها → ادعاهای») is left to the reading (``-``). It
reads no article.
"""
from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from fifth import EXCLUDE, main

SEED = 20261206
DATA = Path(__file__).resolve().parents[2] / "search_index" / "data"
INFLECTED = ("ها", "های", "هایی", "ان", "ات", "تر", "ترین")  # a base that is its lemma + one of these


def treebank_labels(pairs_path: str) -> int:
    """Print ``base form kind own lemma count label`` for the drawn pairs whose form the treebank
    file holds (``label`` ``-``: left to the reading)."""
    treebank = {}
    for line in (DATA / "treebank_lemmas_fa.tsv").read_text(encoding="utf-8").splitlines():
        form, own, lemma, count = line.split("\t")
        treebank[form] = (int(own), lemma, int(count))
    with gzip.open(DATA / "lexicon_fa.tsv.gz", "rt", encoding="utf-8") as lexicon:
        words = {line.split("\t", 1)[0] for line in lexicon} | treebank.keys()
    for line in Path(pairs_path).read_text(encoding="utf-8").splitlines():
        base, form, kind = line.split("\t")
        if form not in treebank:
            continue
        own, lemma, count = treebank[form]
        winner = form if own > count else lemma
        if own == count:
            label = "-"  # a tie: read instead
        elif winner == base:
            label = "inflection"
        elif winner.endswith("#"):
            label = "unrelated"  # a verb's lemma (its past stem): «کرده‌ای»
        elif winner not in words:
            label = "-"  # an annotated lemma that is no word: an annotation error, read instead
        elif base.startswith(winner) and base[len(winner):] in INFLECTED:
            label = "-"  # the base is itself a form of the lemma: the reading for inflected bases
        else:
            label = "unrelated"
        print(f"{base}\t{form}\t{kind}\t{own}\t{lemma}\t{count}\t{label}")
    return 0


if __name__ == "__main__":
    if "--treebank" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--treebank", required=True, help="the drawn pairs (sixth.py's output)")
        raise SystemExit(treebank_labels(parser.parse_args().treebank))
    raise SystemExit(main(seed=SEED, exclude=(*EXCLUDE, "fifth.jsonl")))
