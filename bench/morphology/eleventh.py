"""Draw the eleventh word-form set (``eleventh.jsonl``; method in ``README.md``, "The eleventh set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/eleventh.py --sheet /tmp/eleventh/sheet.txt \
        > /tmp/eleventh/pairs.tsv
    .venv/bin/python bench/morphology/eleventh.py --treebank /tmp/eleventh/pairs.tsv > /tmp/eleventh/treebank.tsv
    .venv/bin/python bench/morphology/eleventh.py --half BASE  # dev or test

The draw is ``ninth.py``'s (``fifth.py``'s kinds and tests, no stemmer run, the ninth set's quotas),
as the tenth's was, with seed ``SEED`` and every word (base or form) of the ten earlier sets left
out, the tenth's too. ``--sheet`` writes the passages for the hand labelling: it quotes the
articles, so it stays in /tmp and never enters the repository. Halves as the ninth set's: ``half``
is ``dev`` when the sha1 of the base (normalized, UTF-8) is even, else ``test``; rules may be
changed for the dev half only.
"""
from __future__ import annotations

from ninth import command_line
from tenth import SETS as TENTH_SETS

SEED = 20261211
SETS = (*TENTH_SETS, "tenth.jsonl")  # every word of these is left out


if __name__ == "__main__":
    raise SystemExit(command_line(SEED, SETS, "eleventh.py"))
