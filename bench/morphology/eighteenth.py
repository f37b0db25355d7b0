"""Draw the eighteenth word-form set (``eighteenth.jsonl``; method in ``README.md``, "The eighteenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/eighteenth.py --sheet /tmp/eighteenth/sheet.txt \
        > /tmp/eighteenth/pairs.tsv
    .venv/bin/python bench/morphology/eighteenth.py --half BASE  # dev or test

The thirteenth set drew the Arabic regular plurals and duals Persian news writes («…ین», «…یون», «…جات») but
left out every pair whose **base** any earlier set held — and the earlier sets hold the commonest bases
(«طرف», «مسئول», «معاون», «والد»): the users' likeliest words were never asked in that kind. This set draws those:
the thirteenth's candidates (``thirteenth.candidates``), mechanically, no stemmer run, a corpus word (normalized,
ZWNJ removed) in no earlier set (so no pair drawn before comes again) whose base is a word of at least two
articles, *held by an earlier set or not*, with an article holding the form and never the base; a random sample
per kind with seed ``SEED``. Halves by the SHA-256 of the base (``half``: the parity of its last byte, even =
dev). ``--sheet`` quotes the articles: it stays in /tmp.
"""
from __future__ import annotations

import hashlib

from fresh import draw_by_kind, half_or_draw
from thirteenth import SETS as THIRTEENTH_SETS
from thirteenth import candidates

SEED = 20261219
# every earlier set: their words are no form here (a base may be theirs)
SETS = (*THIRTEENTH_SETS, "thirteenth.jsonl", "fourteenth.jsonl", "fifteenth.jsonl", "sixteenth.jsonl",
        "seventeenth.jsonl")
QUOTA = {"ین": 60, "یون": 10, "جات": 10}  # every usable pair: the draw found 59, 0 and 1


def half(base: str) -> str:
    """``dev`` or ``test``: the parity of the last byte of the SHA-256 of the (normalized) base."""
    return "dev" if hashlib.sha256(base.encode("utf-8")).digest()[-1] % 2 == 0 else "test"


def main(argv: list[str] | None = None) -> int:
    return half_or_draw(argv, half, lambda sheet: draw_by_kind(
        candidates, SETS, SEED, QUOTA, sheet, known_rule=lambda base, df, old: df[base] >= 2))


if __name__ == "__main__":
    raise SystemExit(main())
