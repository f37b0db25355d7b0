"""Draw the fifteenth word-form set (``fifteenth.jsonl``; method in ``README.md``, "The fifteenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/fifteenth.py --sheet /tmp/fifteenth/sheet.txt \
        > /tmp/fifteenth/pairs.tsv
    .venv/bin/python bench/morphology/fifteenth.py --half BASE  # dev or test

A kind the earlier sets drew least: **a clitic after a long vowel**. After «ا»/«و» the possessive and
personal clitics take the glide «ی» («صدایش», «دانشجویشان», «آرزویمان», «پایم», «رویت»: ``vowel``);
after a word's own «ی» they are written «اش», «ام», «ات» or joined without the glide («زندگی‌اش»,
«آزادی‌ام», «همراهی‌شان», «آزادیش»: ``ی``). The same letters end verbal nouns in «ش» of a present
stem in «ا» («افزایش», «نمایش», «آرایش», «پایش» monitoring), verbs («گوییم») and names: the draw takes
both, so the set measures the false joins as well as the forms. Drawn mechanically, no stemmer run:
every corpus word (normalized, ZWNJ removed) that is a base + one of those endings, whose base is a
word of at least two articles and the form of at least one (the fifth set's rule for clitic forms),
the form in no earlier set (the base may be: the earlier sets drew most common words, «صدا», «زندگی»),
with an article that holds the form and never the base. A random sample per kind with seed ``SEED`` (``QUOTA``). Halves as the ninth set's
(``ninth.half`` of the base). Asked one way, as the fifth to thirteenth sets: the base's query
finds the form (a query with a clitic asks for that form only). ``--sheet`` quotes the articles: it
stays in /tmp.
"""
from __future__ import annotations

from fresh import draw_by_kind, half_or_draw
from ninth import half
from thirteenth import SETS as THIRTEENTH_SETS

SEED = 20261216
SETS = (*THIRTEENTH_SETS, "thirteenth.jsonl", "fourteenth.jsonl")  # their forms and bases are no form here
VOWEL_CLITICS = ("یشان", "یمان", "یتان", "یش", "یم", "یت")  # after «ا»/«و», the glide «ی» first
YE_CLITICS = ("شان", "مان", "تان", "اش", "ام", "ات", "ش")  # after a word's «ی»
QUOTA = {"vowel": 70, "ی": 25}  # every usable pair: the draw found 61 and 5


def candidates(word: str, known) -> list[tuple[str, str]]:
    """(kind, base) of one corpus word, its first reading (longest clitic first); ``known(base)``: a
    word of at least two articles."""
    for clitic in VOWEL_CLITICS:
        base = word[: -len(clitic)]
        if word.endswith(clitic) and len(base) >= 2 and base.endswith(("ا", "و")) and known(base):
            return [("vowel", base)]
    for clitic in YE_CLITICS:
        base = word[: -len(clitic)]
        if word.endswith(clitic) and len(base) >= 3 and base.endswith("ی") and known(base):
            return [("ی", base)]
    return []


def main(argv: list[str] | None = None) -> int:
    return half_or_draw(argv, half, lambda sheet: draw_by_kind(candidates, SETS, SEED, QUOTA, sheet))


if __name__ == "__main__":
    raise SystemExit(main())
