"""Draw the seventh word-form set (``seventh.jsonl``; method in ``README.md``, "The seventh set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/seventh.py --sheet /tmp/seventh/sheet.txt \
        > /tmp/seventh/pairs.tsv
    .venv/bin/python bench/morphology/seventh.py --treebank /tmp/seventh/pairs.tsv > /tmp/seventh/treebank.tsv

The draw is ``fifth.py``'s, unchanged (the same kinds, quotas and tests, no stemmer run), as the
sixth set's was (``sixth.py``), with seed ``SEED`` and every word (base or form) of the six earlier
sets left out, the fifth's and the sixth's too. ``--sheet`` writes the passages for the hand
labelling: it quotes the articles, so it stays in /tmp and never enters the repository.

``--treebank PAIRS`` is ``sixth.py``'s mechanical labelling (step 1 of the labelling rule),
unchanged: it reads the drawn pairs and no article.
"""
from __future__ import annotations

import argparse
import sys

from fifth import EXCLUDE, main
from sixth import treebank_labels

SEED = 20261207
SETS = (*EXCLUDE, "fifth.jsonl", "sixth.jsonl")  # every word of these is left out


if __name__ == "__main__":
    if "--treebank" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--treebank", required=True, help="the drawn pairs (seventh.py's output)")
        raise SystemExit(treebank_labels(parser.parse_args().treebank))
    raise SystemExit(main(seed=SEED, exclude=SETS))
