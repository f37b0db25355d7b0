"""Draw the twelfth word-form set (``twelfth.jsonl``; method in ``README.md``, "The twelfth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/twelfth.py --sheet /tmp/twelfth/sheet.txt \
        > /tmp/twelfth/pairs.tsv
    .venv/bin/python bench/morphology/twelfth.py --treebank /tmp/twelfth/pairs.tsv > /tmp/twelfth/treebank.tsv
    .venv/bin/python bench/morphology/twelfth.py --half BASE  # dev or test

The draw is ``ninth.py``'s (``fifth.py``'s kinds and tests, no stemmer run, the ninth set's quotas),
as the tenth's and eleventh's were, with seed ``SEED`` and every word (base or form) of the eleven
earlier sets left out, the eleventh's too. ``--sheet`` writes the passages for the hand labelling: it quotes the
articles, so it stays in /tmp and never enters the repository. Halves as the ninth set's: ``half``
is ``dev`` when the sha1 of the base (normalized, UTF-8) is even, else ``test``; rules may be
changed for the dev half only.
"""
from __future__ import annotations

from eleventh import SETS as ELEVENTH_SETS
from ninth import command_line

SEED = 20261212
SETS = (*ELEVENTH_SETS, "eleventh.jsonl")  # every word of these is left out


if __name__ == "__main__":
    raise SystemExit(command_line(SEED, SETS, "twelfth.py"))
