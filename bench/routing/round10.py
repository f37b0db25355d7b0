"""Round 10 of the routing review (session 41): 120 articles of ../shared/data/persian-news in no line
of labels.jsonl or of rounds 7–9 (nor a title repeating one of theirs), drawn as round 9 draws (half
at random in the order of the link's SHA-1, half by the complaint cues frozen in ``round9.py``), split
dev/test by ``select_articles.split_of``; labelled in ``labels_round10.jsonl`` (links and labels only)
by reading each article before anything was routed. Prints routing and detector figures, rules alone
and rules ∪ the shipped model.

    .venv/bin/python bench/routing/round10.py [--draw] [--split dev|test|all] [--errors]
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

import round9  # noqa: E402
from round7 import main  # noqa: E402

LABELS = HERE / "labels_round10.jsonl"
USED = (*round9.USED, round9.LABELS)


def draw() -> list[dict]:
    """Round 9's draw over the pool that round 9 left."""
    return round9.draw(USED)


if __name__ == "__main__":
    main(draw, LABELS, __doc__)
