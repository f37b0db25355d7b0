"""Draw the tenth word-form set (``tenth.jsonl``; method in ``README.md``, "The tenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/tenth.py --sheet /tmp/tenth/sheet.txt \
        > /tmp/tenth/pairs.tsv
    .venv/bin/python bench/morphology/tenth.py --treebank /tmp/tenth/pairs.tsv > /tmp/tenth/treebank.tsv
    .venv/bin/python bench/morphology/tenth.py --half BASE  # dev or test

The draw is ``ninth.py``'s (``fifth.py``'s kinds and tests, no stemmer run, the ninth set's quotas),
with seed ``SEED`` and every word (base or form) of the nine earlier sets left out, the ninth's too.
``--sheet`` writes the passages for the hand labelling: it quotes the articles, so it stays in /tmp
and never enters the repository. Halves as the ninth set's: ``half`` is ``dev`` when the sha1 of
the base (normalized, UTF-8) is even, else ``test``; rules may be changed for the dev half only.
"""
from __future__ import annotations

from ninth import SETS as NINTH_SETS
from ninth import command_line

SEED = 20261210
SETS = (*NINTH_SETS, "ninth.jsonl")  # every word of these is left out


if __name__ == "__main__":
    raise SystemExit(command_line(SEED, SETS, "tenth.py"))
