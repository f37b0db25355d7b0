"""Draw the seventeenth word-form set (``seventeenth.jsonl``; method in ``README.md``, "The seventeenth set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/seventeenth.py --sheet /tmp/seventeenth/sheet.txt \
        > /tmp/seventeenth/pairs.tsv
    .venv/bin/python bench/morphology/seventeenth.py --half BASE  # dev or test

A kind no set has drawn: **broken plurals of four root letters**, and the singular shapes of four letters the
earlier shape sets lacked. The broken-plural, fourteenth and sixteenth sets read three root letters
(``broken.PLURALS``, ``broken.SINGULARS``), so «عناصر» of «عنصر», «جداول» of «جدول», «تجارب» of «تجربه», «زلازل»
of «زلزله» (فعالل of فعلل/فعلله), «فرامین» of «فرمان», «میادین» of «میدان», «عناوین» of «عنوان», «صنادیق» of
«صندوق» (فعالیل of فعلال/فعلول/فعلیل), and «مقادیر» of «مقدار», «مساکین» of «مسکین» (مفاعیل of مفعال/مفعیل, which
read as four letters the first is «م») were never drawn. Drawn mechanically by ``broken.draw`` (shared), no
stemmer run: a corpus word (normalized, ZWNJ removed, in at least two articles) of a plural shape ``PLURALS``
(any letters) paired with every corpus word (in at least two articles) of a singular shape ``SINGULARS`` with
the same four letters in order; a pair an earlier shape set's procedure could make (the plural of one of
``broken.PLURALS``' shapes and the singular of one of ``broken.SINGULARS``' with the same three root letters,
weak letters one class: the sixteenth's reading) is left out, and so is a pair already in an earlier set.
Usable when an article holds the plural and never the singular and one the other way round (asked both ways,
``eval_morphology.py --split seventeenth``). A random sample with seed ``SEED``: ``USUAL_QUOTA`` pairs of the
shapes ``USUAL`` pairs, the rest up to ``SIZE`` of the others. Halves as the ninth's (``ninth.half`` of the
singular). ``--sheet`` quotes the articles: it stays in /tmp.
"""
from __future__ import annotations

import re

from broken import draw, root, shaped_main
from fourteenth import earlier_pairs
from sixteenth import WEAK_PLURALS, WEAK_SINGULARS, key

SEED = 20261218
SIZE = 70
USUAL_QUOTA = 50
L = "(.)"  # any letter
PLURALS = {"faalil": re.compile(f"^{L}{L}ا{L}ی{L}$"), "faalil_short": re.compile(f"^{L}{L}ا{L}{L}$")}
SINGULARS = {
    "falal": re.compile(f"^{L}{L}{L}{L}$"), "falala": re.compile(f"^{L}{L}{L}{L}ه$"),
    "filal": re.compile(f"^{L}{L}{L}ا{L}$"), "fulul": re.compile(f"^{L}{L}{L}و{L}$"),
    "filil": re.compile(f"^{L}{L}{L}ی{L}$"),
}
# The singular shapes each plural shape is the plural of: «عناصر» of «عنصر», «زلازل» of «زلزله»; «فرامین»
# of «فرمان», «صنادیق» of «صندوق», «مساکین» of «مسکین».
USUAL = {"faalil_short": {"falal", "falala"}, "faalil": {"filal", "fulul", "filil"}}


def drawable_before(singular: str, plural: str) -> bool:
    """Whether an earlier shape set's procedure reads the pair: three root letters, weak ones one class."""
    p, s = root(plural, WEAK_PLURALS), root(singular, WEAK_SINGULARS)
    return bool(p and s and key(p[1]) == key(s[1]))


def main(argv: list[str] | None = None) -> int:
    old = earlier_pairs("seventeenth.jsonl")  # a later set must be left out here too (``sixteenth.LATER``)

    def plural_root(word: str):
        r = root(word, PLURALS)
        return (*r, word) if r else None

    def draw_pairs(texts, df):
        pairs, usable = draw(texts, df, plural_root, USUAL, old, singular_root=lambda w: root(w, SINGULARS),
                             plural_shape=lambda w: root(w, PLURALS) is not None)
        keep = {k for k in pairs if not drawable_before(*k)}
        return {k: v for k, v in pairs.items() if k in keep}, {k: v for k, v in usable.items() if k in keep}

    return shaped_main(argv, draw_pairs, SEED, USUAL_QUOTA, SIZE)


if __name__ == "__main__":
    raise SystemExit(main())
