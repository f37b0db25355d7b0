"""Draw the ninth word-form set (``ninth.jsonl``; method in ``README.md``, "The ninth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/ninth.py --sheet /tmp/ninth/sheet.txt \
        > /tmp/ninth/pairs.tsv
    .venv/bin/python bench/morphology/ninth.py --treebank /tmp/ninth/pairs.tsv > /tmp/ninth/treebank.tsv
    .venv/bin/python bench/morphology/ninth.py --half BASE  # dev or test

The draw is ``fifth.py``'s (the same kinds and tests, no stemmer run), as the sixth, seventh and
eighth sets' were, with seed ``SEED``, every word (base or form) of the eight earlier sets left out,
the eighth's too, and larger quotas (``QUOTA``) for the kinds earlier rounds found weak. ``--sheet`` writes the passages for the hand labelling: it
quotes the articles, so it stays in /tmp and never enters the repository.

Unlike the earlier by-kind sets, this one has two halves: ``half`` is ``dev`` when the sha1 of the
base (normalized, UTF-8) is even, else ``test`` (the first set's rule). Rules may be changed for
the dev half's errors; the test half is reported before and after, untouched.

``--treebank PAIRS`` is ``sixth.py``'s mechanical labelling (step 1 of the labelling rule),
unchanged: it reads the drawn pairs and no article.
"""
from __future__ import annotations

import argparse
import hashlib
import sys

import fifth
from eighth import SETS as EIGHTH_SETS
from fifth import main
from sixth import treebank_labels

SEED = 20261209
SETS = (*EIGHTH_SETS, "eighth.jsonl")  # every word of these is left out
# The kinds the earlier rounds found weak get more pairs: the ezafe or indefinite «ی» after «ا/و»
# (the eighth set's largest miss), «یی», the clitics «ش»/«شان», «ات»; the rest as before.
QUOTA = {**fifth.QUOTA, "ش": 17, "شان": 14, "یی": 15, "ی(ا/و)": 25, "ات": 25}


def half(base: str) -> str:
    """``dev`` or ``test``: the parity of the sha1 of the (normalized) base."""
    return "dev" if hashlib.sha1(base.encode("utf-8")).digest()[-1] % 2 == 0 else "test"


def command_line(seed: int, exclude: tuple[str, ...], name: str) -> int:
    """The command line of a by-halves set's draw (this set's and the tenth's): ``--treebank``,
    ``--half`` or the draw with ``seed``, leaving out every word of the sets ``exclude``."""
    if "--treebank" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--treebank", required=True, help=f"the drawn pairs ({name}'s output)")
        return treebank_labels(parser.parse_args().treebank)
    if "--half" in sys.argv:
        print(half(sys.argv[sys.argv.index("--half") + 1]))
        return 0
    fifth.QUOTA.update(QUOTA)  # main reads the module's quotas
    return main(seed=seed, exclude=exclude)


if __name__ == "__main__":
    raise SystemExit(command_line(SEED, SETS, "ninth.py"))
