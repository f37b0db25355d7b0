"""Draw the nineteenth word-form set (``nineteenth.jsonl``; method in ``README.md``, "The nineteenth set").

    .venv/bin/python bench/morphology/nineteenth.py > /tmp/nineteenth/pairs.tsv

A kind no set has drawn: **hamza spellings** («ء أ ئ ؤ»). A corpus word (as ``persian.split_words`` writes it,
in at least two articles) holding a hamza is paired with each corpus word (in at least two articles) that is the
same word with the hamza spelled another way: dropped («سوءاستفاده» / «سواستفاده», «جزء» / «جز»), written as its
seat («مسأله» / «مساله», «رئیس» / «رییس», «مؤسسه» / «موسسه»), «ء» as «و» («جزء» / «جزو») or «ی» after «ا»
(«ابتداء» / «ابتدای»). Drawn mechanically, no stemmer run; the plain spelling is the base (what a user types),
the hamza spelling the form; halves by SHA-256 of the base (even last byte = dev). Pairs are labelled by
reading: ``inflection`` when the form is the base's word (a spelling of it, or with an inflection),
``unrelated`` when the letters only meet («سوء» / «سو»).
"""
from __future__ import annotations

import collections
import hashlib
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "relevance"))

from systems import body_of, load_articles  # noqa: E402

from search_index.persian import split_words  # noqa: E402

HAMZA = re.compile("[ءأئؤإ]")


def half(base: str) -> str:
    """``dev`` or ``test``: the parity of the last byte of the SHA-256 of the base."""
    return "dev" if hashlib.sha256(base.encode("utf-8")).digest()[-1] % 2 == 0 else "test"


def variants(word: str) -> set[str]:
    """The word with its hamza spelled the other usual ways (each rewrite applied to every hamza)."""
    out = {word.replace("ء", ""), word.replace("ء", "و"), re.sub("اء$", "ای", word), word.replace("أ", "ا"),
           word.replace("ئ", "ی"), word.replace("ؤ", "و"), word.replace("إ", "ا"), re.sub("[أئؤإ]", "ء", word)}
    out.add(HAMZA.sub("", word))
    out.add(word.translate(str.maketrans({"أ": "ا", "ئ": "ی", "ؤ": "و", "إ": "ا", "ء": ""})))
    out.discard(word)
    return out


def main() -> int:
    df: collections.Counter[str] = collections.Counter()
    for article in load_articles():
        df.update(set(split_words(article["title"] + " " + body_of(article))))
    pairs = set()
    for word, n in df.items():
        if n < 2 or not HAMZA.search(word):
            continue
        for v in variants(word):
            if df.get(v, 0) >= 2:
                pairs.add((v, word))
    for base, form in sorted(pairs):
        print(base, form, df[base], df[form], half(base), sep="\t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
