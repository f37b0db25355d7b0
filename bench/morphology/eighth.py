"""Draw the eighth word-form set (``eighth.jsonl``; method in ``README.md``, "The eighth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/eighth.py --sheet /tmp/eighth/sheet.txt \
        > /tmp/eighth/pairs.tsv
    .venv/bin/python bench/morphology/eighth.py --treebank /tmp/eighth/pairs.tsv > /tmp/eighth/treebank.tsv

The draw is ``fifth.py``'s, unchanged (the same kinds, quotas and tests, no stemmer run), as the
sixth and seventh sets' were (``sixth.py``, ``seventh.py``), with seed ``SEED`` and every word
(base or form) of the seven earlier sets left out, the seventh's too. ``--sheet`` writes the
passages for the hand labelling: it quotes the articles, so it stays in /tmp and never enters the
repository.

``--treebank PAIRS`` is ``sixth.py``'s mechanical labelling (step 1 of the labelling rule),
unchanged: it reads the drawn pairs and no article.
"""
from __future__ import annotations

import argparse
import sys

from fifth import main
from seventh import SETS as SEVENTH_SETS
from sixth import treebank_labels

SEED = 20261208
SETS = (*SEVENTH_SETS, "seventh.jsonl")  # every word of these is left out


if __name__ == "__main__":
    if "--treebank" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--treebank", required=True, help="the drawn pairs (eighth.py's output)")
        raise SystemExit(treebank_labels(parser.parse_args().treebank))
    raise SystemExit(main(seed=SEED, exclude=SETS))
