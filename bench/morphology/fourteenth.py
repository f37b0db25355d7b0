"""Draw the fourteenth word-form set (``fourteenth.jsonl``; method in ``README.md``, "The fourteenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/fourteenth.py --sheet /tmp/fourteenth/sheet.txt \
        > /tmp/fourteenth/pairs.tsv
    .venv/bin/python bench/morphology/fourteenth.py --half BASE  # dev or test

A kind no set has drawn: **a broken plural's shape + «ی»** («افرادی», «مواردی»: a plural with the
indefinite «ی»; «خدامی», «عشاقی»: surnames; «تجاری», «اصولی»: adjectives of relation, words of their
own), paired with a singular of the same three root letters («فرد», «خادم», «تاجر»), the pair asked
both ways as the broken-plural set's (``eval_morphology.py --split fourteenth``). Drawn mechanically,
no stemmer run: a corpus word (normalized, ZWNJ removed, in at least two articles) that is «ی» after a
word of one of ``broken.PLURALS``' shapes or of the shape «فعّال» written without its shadda («خدام»,
«زوار», «تجار»: ``FUAAL``), with a corpus word (in at least two articles) of a singular shape
(``broken.SINGULARS``) with the same root letters in order; usable when an article holds the form and
never the singular and one the other way round (``broken.draw``, the broken-plural set's draw, shared). Pairs already in an earlier set are left out. A random
sample with seed ``SEED``: ``USUAL_QUOTA`` pairs whose singular has a shape the plural is the plural
of (``broken.USUAL``; «فعّال» of «فاعل»), the rest up to ``SIZE`` of the others. Halves as the ninth's
(``ninth.half`` of the base). ``--sheet`` quotes the articles: it stays in /tmp.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from broken import PLURALS, USUAL, C, draw, root, shaped_main

from search_index.persian import normalize

SEED = 20261215
SIZE = 60
USUAL_QUOTA = 45
FUAAL = re.compile(f"^{C}{C}ا{C}$")  # «خدام», «عشاق», «تجار»: فُعّال, the plural of فاعل
SHAPES = {**PLURALS, "fuaal": FUAAL}
USUAL_OF = {**USUAL, "fuaal": {"fail"}}
HERE = Path(__file__).resolve().parent


def earlier_pairs(own: str = "fourteenth.jsonl") -> set[tuple[str, str]]:
    """(base, form) of every set but ``own``, normalized, both ways."""
    seen = set()
    for path in HERE.glob("*.jsonl"):
        if path.name != own:
            for line in path.read_text(encoding="utf-8").splitlines():
                p = json.loads(line)
                seen.update({(normalize(p["base"]), normalize(p["form"])), (normalize(p["form"]), normalize(p["base"]))})
    return seen


def main(argv: list[str] | None = None) -> int:
    def plural_root(word: str):
        r = root(word[:-1], SHAPES) if word.endswith("ی") else None
        return (*r, word[:-1]) if r else None

    return shaped_main(argv, lambda texts, df: draw(texts, df, plural_root, USUAL_OF, earlier_pairs()),
                       SEED, USUAL_QUOTA, SIZE)


if __name__ == "__main__":
    raise SystemExit(main())
