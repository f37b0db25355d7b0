"""Round 12 of the routing review (session 43): round 9's draw over the pool rounds 1–11 left (111 articles
of ../shared/data/persian-news in no earlier line, one of two links with the same title: the draw takes them
all), split dev/test by ``select_articles.split_of``; labelled in ``labels_round12.jsonl`` (links and labels
only) by reading each article before anything was routed. Prints routing and detector figures, rules alone
and rules ∪ the shipped model.

    .venv/bin/python bench/routing/round12.py [--draw] [--split dev|test|all] [--errors]
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

import round9  # noqa: E402
import round11  # noqa: E402
from round7 import main  # noqa: E402

LABELS = HERE / "labels_round12.jsonl"
USED = (*round11.USED, round11.LABELS)


def draw() -> list[dict]:
    """Round 9's draw over the pool that round 11 left."""
    return round9.draw(USED)


if __name__ == "__main__":
    main(draw, LABELS, __doc__)
