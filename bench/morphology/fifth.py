"""Draw the fifth word-form set (``fifth.jsonl``; method in ``README.md``, "The fifth set").

    .venv/bin/python bench/morphology/fifth.py --sheet /tmp/fifth_sheet.txt > /tmp/fifth_pairs.tsv

The four earlier sets were drawn by suffix from «ها، های، هایی، هایش، هایشان، ان، گان، یان، ات،
تر، ترین» and, once their words were excluded, had no comparative left; none holds a clitic after
a word in «ه» written joined («خانهاش»), a possessive («کشورش»), the «ی» of a word («کتابی»,
«شورای»), or a broken plural. This draw is by *kind*, mechanical, and runs no stemmer (the
tokenizer only tells which articles hold a word): every corpus word (normalized, ZWNJ removed)
that is a base + one of the endings below, whose base is a corpus word of at least two articles
(the form: of at least one), that shares no word (base or form) with ``set.jsonl``,
``fresh.jsonl``, ``third.jsonl``, ``fourth.jsonl``, and that has an article holding the form and
never the base (the articles the evaluation counts); a random sample per kind with seed ``SEED``.
A form gives one pair, of the first kind in ``KINDS`` it has, except «ات» (below).

``--sheet`` writes up to ``fresh.SNIPPETS`` passages around the form for the hand labelling: it quotes
the articles, so it stays in /tmp and never enters the repository.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "relevance"))

from fresh import draw_by_kind  # noqa: E402

from search_index.persian import normalize  # noqa: E402

SEED = 20261205
EXCLUDE = ("set.jsonl", "fresh.jsonl", "third.jsonl", "fourth.jsonl")
VOWELS = ("ا", "و")
# (kind, ending, how the base ends or is made), in the order a form is tried; quota per kind.
HEH_CLITICS = ("شان", "مان", "تان", "اش", "ام", "ات", "ای")  # after a word in «ه», joined
QUOTA = {
    "ه+clitic": 30, "ه+ای": 20, "ش": 12, "شان": 10, "مان": 10,
    "ترین": 15, "تر": 20,
    "ها": 5, "های": 5, "هایی": 5,
    "یی": 10, "ی(ا/و)": 15, "ی": 15,
    "ات": 20, "ان": 20, "broken": 15,
}


def candidates(word: str, known) -> list[tuple[str, str]]:
    """(kind, base) pairs of one corpus word; ``known(base)`` tells whether the base is a corpus
    word of at least two articles."""
    out = []
    for clitic in HEH_CLITICS:
        base = word[: -len(clitic)]
        if word.endswith(clitic) and base.endswith("ه") and len(base) >= 3 and known(base):
            return [("ه+ای" if clitic == "ای" else "ه+clitic", base)]
    for kind in ("شان", "مان", "ش"):
        base = word[: -len(kind)]
        if word.endswith(kind) and len(base) >= 2 and not base.endswith("ه") and known(base):
            return [(kind, base)]
    for kind in ("ترین", "تر", "هایی", "های", "ها"):
        base = word[: -len(kind)]
        if word.endswith(kind) and len(base) >= 2 and known(base):
            return [(kind, base)]
    if word.endswith("یی") and word[:-2].endswith(VOWELS) and known(word[:-2]):
        return [("یی", word[:-2])]
    if word.endswith("ی") and len(word) >= 4 and known(word[:-1]):
        return [("ی(ا/و)" if word[:-1].endswith(VOWELS) else "ی", word[:-1])]
    if word.endswith("ات") and len(word) >= 5:  # «…ات» of «…», «…ه» or «…ت»: each that is a word
        rest = word[:-2]
        out = [("ات", base) for base in (rest, rest + "ه", rest + "ت") if known(base)]
        if out:
            return out
    if word.endswith("ان") and len(word) >= 5:
        rest = word[:-2]
        if rest.endswith("گ") and known(rest[:-1] + "ه"):
            return [("ان", rest[:-1] + "ه")]
        if rest.endswith("ی") and rest[:-1].endswith(VOWELS) and known(rest[:-1]):
            return [("ان", rest[:-1])]
        if known(rest):
            return [("ان", rest)]
    return out


def listed(pairs: dict[tuple[str, str], str], df, known, old) -> None:
    """The broken plurals of the stemmer's list that the articles hold, with their singular (kind «broken»)."""
    path = REPO / "search_index" / "data" / "broken_plurals_fa.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            plural, singular = (normalize(w) for w in line.split("\t"))
            if df[plural] >= 1 and known(singular) and plural not in old:
                pairs[(singular, plural)] = "broken"


def main(argv: list[str] | None = None, seed: int = SEED, exclude: tuple[str, ...] = EXCLUDE) -> int:
    """Draw and print the pairs (``emit``); ``sixth.py`` draws through it with its own seed and
    the fifth set's words left out too."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    parser.add_argument("--seed", type=int, default=seed)
    args = parser.parse_args(argv)
    draw_by_kind(candidates, exclude, args.seed, QUOTA, args.sheet,
                 known_rule=lambda base, df, old: df[base] >= 2 and base not in old, extra=listed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
