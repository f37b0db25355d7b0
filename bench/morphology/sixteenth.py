"""Draw the sixteenth word-form set (``sixteenth.jsonl``; method in ``README.md``, "The sixteenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/sixteenth.py --sheet /tmp/sixteenth/sheet.txt \
        > /tmp/sixteenth/pairs.tsv
    .venv/bin/python bench/morphology/sixteenth.py --half BASE  # dev or test

A kind no set has drawn by shape: **broken plurals of weak or hamza roots** — a root letter «ا»,
«و», «ی» or the hamza («ء», and «ئ»/«ؤ»/«أ», which normalization writes «ی»/«و»/«ا»): «اموال» of «مال»,
«اوقات» of «وقت», «موارد» of «مورد», «مسائل» of «مسئله», «قوائم» of «قائمه», «دعائم» of «دعامه». The
broken-plural set (``broken.py``) drew its shapes with root letters that are no long vowel, so it
never measured these; the stemmer's list holds some (rule 00). Drawn mechanically by
``broken.draw`` (shared), no stemmer run: a corpus word (normalized, ZWNJ removed, in at least two
articles) of one of ``broken.PLURALS``' shapes whose root letters may be any letter, at least one
of them weak, in no earlier set (as a base or a form); paired with every corpus word (in at least
two articles) of a singular shape (``broken.SINGULARS``, any root letters) whose root letters are the
same in order, a weak letter matching any weak letter («اموال» (م و ل) and «مال» (م ا ل)); usable when
an article holds the plural and never the singular and one the other way round (asked both ways,
``eval_morphology.py --split sixteenth``). A random sample with seed ``SEED``: ``USUAL_QUOTA`` pairs of
the shapes ``broken.USUAL`` pairs, the rest up to ``SIZE`` of the others. Halves as the ninth's
(``ninth.half`` of the singular). ``--sheet`` quotes the articles: it stays in /tmp.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from broken import PLURALS, SINGULARS, USUAL, draw, root, shaped_main

from search_index.persian import normalize

SEED = 20261217
SIZE = 70
USUAL_QUOTA = 50
WEAK = "اویءآ"
ANY = "(.)"
# ``broken``'s shapes with any root letter: the weak roots the broken-plural set left out
WEAK_PLURALS = {name: re.compile(p.pattern.replace("([^اوی])", ANY)) for name, p in PLURALS.items()}
WEAK_SINGULARS = {name: re.compile(p.pattern.replace("([^اوی])", ANY)) for name, p in SINGULARS.items()}
HERE = Path(__file__).resolve().parent


def key(letters: tuple[str, ...]) -> tuple[str, ...]:
    """Root letters with every weak letter one class: «مال» and «اموال» share (م, W, ل)."""
    return tuple("W" if c in WEAK else c for c in letters)


LATER = ("sixteenth.jsonl", "seventeenth.jsonl")  # this set and the ones drawn after it: no earlier set


def earlier_words() -> set[str]:
    """Every word (base or form) of the earlier sets, normalized (with the seventeenth's words read too, 38 of
    the 70 pairs drawn were others: the draw is reproducible only from the sets before it)."""
    seen = set()
    for path in HERE.glob("*.jsonl"):
        if path.name not in LATER:
            for line in path.read_text(encoding="utf-8").splitlines():
                p = json.loads(line)
                seen.update((normalize(p["base"]), normalize(p["form"])))
    return seen


def main(argv: list[str] | None = None) -> int:
    old = earlier_words()

    def plural_root(word: str):
        r = root(word, WEAK_PLURALS)
        if r is None or word in old or not any(c in WEAK for c in r[1]):
            return None
        return r[0], key(r[1]), word

    def singular_root(word: str):
        r = root(word, WEAK_SINGULARS)
        return (r[0], key(r[1])) if r else None

    def draw_pairs(texts, df):
        return draw(texts, df, plural_root, USUAL, singular_root=singular_root,
                    plural_shape=lambda w: root(w, WEAK_PLURALS) is not None)

    return shaped_main(argv, draw_pairs, SEED, USUAL_QUOTA, SIZE)


if __name__ == "__main__":
    raise SystemExit(main())
