"""Draw the broken-plural set (``broken.jsonl``; method in ``README.md``, "The broken-plural set").

    flock /tmp/bench.lock .venv/bin/python bench/morphology/broken.py --sheet /tmp/broken/sheet.txt \
        > /tmp/broken/pairs.tsv

Drawn from the words of the 1,500 articles by the shapes of Arabic broken plurals, not from the
stemmer's list (``search_index/data/broken_plurals_fa.txt``), so the list is measured and not
assumed: a corpus word of a plural shape (``PLURALS``: «اخبار» afʿāl, «مدارس» mafāʿil, «مضامین»
mafāʿīl, «عوامل» fawāʿil, «قوانین» fawāʿīl, «علوم» fuʿūl, «رسایل» faʿāʾil, «تصاویر» tafāʿīl) gives its
three root letters; a corpus word of a singular shape (``SINGULARS``: «خبر», «مدرسه», «مرکز», «عامل»,
«ضابطه», «وسیله», «قانون», «تصویر» …) with the same root letters in the same order is a candidate
singular. Both words in at least two articles; a pair is usable when an article holds one word and
never the other (the evaluation asks both ways: ``eval_morphology.py --split broken``). A random
sample with seed ``SEED``: ``CANONICAL`` pairs of the shapes ``USUAL`` pairs (a plural and a singular of
the shape it is the plural of), then ``SIZE`` − ``CANONICAL`` of the other shapes; pairs of look-alike words (the same letters,
another word: «اعلام» / «علم», «مدارس» / «مدرس») are drawn by the same procedure and labelled
``unrelated``. No stemmer is run. ``--sheet`` writes passages around both words for the labelling
(it quotes the articles: it stays in /tmp). ``half`` is the ninth set's (``ninth.half``).
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "relevance"))

from fresh import SNIPPETS, corpus  # noqa: E402
from ninth import half  # noqa: E402

from search_index.persian import normalize, tokenize  # noqa: E402
from search_index.query_terms import word_spans  # noqa: E402

SEED = 20261213
SIZE = 130
C = "([^اوی])"  # a root letter that is no long vowel (weak roots are left out)
# Plural shapes: a regex whose three groups are the root letters.
PLURALS = {
    "afal": re.compile(f"^ا{C}{C}ا{C}$"),
    "mafail": re.compile(f"^م{C}ا{C}{C}$"),
    "mafail2": re.compile(f"^م{C}ا{C}ی{C}$"),
    "fawail": re.compile(f"^{C}وا{C}{C}$"),
    "fawail2": re.compile(f"^{C}وا{C}ی{C}$"),
    "fuul": re.compile(f"^{C}{C}و{C}$"),
    "faail": re.compile(f"^{C}{C}ای{C}$"),
    "tafail": re.compile(f"^ت{C}ا{C}ی{C}$"),
}
SINGULARS = {name: re.compile(p.replace("C", C)) for name, p in (
    ("fal", "^CCC$"), ("fala", "^CCCه$"), ("falat", "^CCCت$"), ("mafal", "^مCCC$"), ("mafala", "^مCCCه$"),
    ("fail", "^CاCC$"), ("faila", "^CاCCه$"), ("fail2", "^CCیC$"), ("faila2", "^CCیCه$"),
    ("faul", "^CاCوC$"), ("mafoul", "^مCCوC$"), ("tafil", "^تCCیC$"), ("faal", "^CCاC$"), ("faala", "^CCاCه$"))}
# The singular shapes each plural shape is the plural of in the grammar books («مدارس» of «مدرسه»,
# «عوامل» of «عامل»): pairs of these shapes are drawn first (CANONICAL of the sample), the rest after.
USUAL = {"afal": {"fal", "fala", "falat", "fail2", "faal"}, "mafail": {"mafal", "mafala"},
         "mafail2": {"mafoul", "mafal", "mafala"}, "fawail": {"fail", "faila"}, "fawail2": {"faul"},
         "fuul": {"fal", "fala"}, "faail": {"faila2", "fail2", "faala"}, "tafail": {"tafil"}}
CANONICAL = 100


def root(word: str, shapes: dict) -> tuple[str, tuple[str, ...]] | None:
    """(shape name, root letters) of the first shape of ``shapes`` the word has, or None."""
    for name, shape in shapes.items():
        m = shape.match(word)
        if m:
            return name, m.groups()
    return None


def draw(texts: list[str], df, plural_root, usual_of: dict, old=frozenset(), singular_root=None, plural_shape=None):
    """The candidate pairs and the usable ones, shared by this set's draw and the fourteenth's.

    ``plural_root(word)``: (shape, root letters, the word's plural part) of a corpus word read as a
    plural of ``usual_of``'s shapes, or None (here the word itself; the fourteenth set: the word less
    its «ی»); ``singular_root(word)``: (shape, root letters) of a word read as a singular (default:
    ``SINGULARS``' shapes, the root letters no long vowel; the sixteenth set: weak roots too), and
    ``plural_shape(word)`` whether a word has a plural's shape (no singular then; default ``PLURALS``'). Returns ``pairs`` ((singular, word) → whether the singular's shape is one the plural's
    shape is the plural of) and ``usable`` ((singular, word) → (the articles holding the word and
    never the singular, the ones the other way round)) for the pairs with both."""
    words = [w for w in df if w.isalpha() and not w.isascii() and df[w] >= 2]
    singular_root = singular_root or (lambda w: root(w, SINGULARS))
    plural_shape = plural_shape or (lambda w: root(w, PLURALS) is not None)
    singulars: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for w in words:
        r = singular_root(w)
        if r:
            singulars.setdefault(r[1], []).append((r[0], w))
    pairs = {}
    for w in words:
        r = plural_root(w)
        for shape, s in singulars.get(r[1], []) if r else []:
            if s != r[2] and not plural_shape(s) and (s, w) not in old:
                pairs[(s, w)] = shape in usual_of[r[0]]
    surface = [{t.text for t in tokenize(text) if t.kind != "stem"} for text in texts]
    usable = {}
    for s, p in sorted(pairs):
        one = [i for i, t in enumerate(surface) if p in t and s not in t]
        other = [i for i, t in enumerate(surface) if s in t and p not in t]
        if one and other:
            usable[(s, p)] = (one, other)
    return pairs, usable


def sample(pairs: dict, usable: dict, seed: int, quota: int, size: int) -> list[tuple[str, str]]:
    """``quota`` usable pairs of the usual shapes (all if fewer), then the others up to ``size``."""
    rng = random.Random(seed)
    usual = [k for k in sorted(usable) if pairs[k]]
    chosen = rng.sample(usual, min(quota, len(usual)))
    others = [k for k in sorted(usable) if not pairs[k]]
    chosen += rng.sample(others, min(size - len(chosen), len(others)))
    print(f"# {len(pairs)} candidates, {len(usable)} usable ({len(usual)} of the usual shapes), "
          f"sample {len(chosen)}", file=sys.stderr)
    return chosen


def sheet(chosen: list[tuple[str, str]], usable: dict, texts: list[str]) -> list[str]:
    """Passages around both words of each pair, for the labelling (they quote the articles)."""
    lines = []
    for s, p in chosen:
        one, other = usable[(s, p)]
        lines.append(f"## {s} ← {p} ({len(one)} / {len(other)} articles)")
        for word, docs in ((p, one), (s, other)):
            for i in docs[:SNIPPETS]:
                for w, start, end in word_spans(texts[i]):
                    if w.replace("\u200c", "") == word:
                        lines.append(f"   [{word}] " + texts[i][max(0, start - 60): end + 40].replace("\n", " "))
                        break
    return lines


def shaped_main(argv: list[str] | None, draw_pairs, seed: int, quota: int, size: int) -> int:
    """The command line of a set drawn by shape and asked both ways (the fourteenth's, the sixteenth's):
    ``--half BASE`` prints the half of a base; else ``draw_pairs(texts, df)`` gives ``draw``'s (pairs,
    usable), ``sample`` takes ``quota`` of the usual shapes up to ``size``, each printed with its
    shape kind and half, and ``--sheet`` writes the passages (it quotes the articles: it stays in /tmp)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    parser.add_argument("--half", help="a base: print its half")
    args = parser.parse_args(argv)
    if args.half:
        print(half(normalize(args.half)))
        return 0
    texts, df, _ = corpus(())
    pairs, usable = draw_pairs(texts, df)
    chosen = sample(pairs, usable, seed, quota, size)
    for s, f in chosen:
        print(f"{s}\t{f}\t{'usual' if pairs[(s, f)] else 'other'}\t{half(s)}")
    if args.sheet:
        Path(args.sheet).write_text("\n".join(sheet(chosen, usable, texts)) + "\n", encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    args = parser.parse_args()
    texts, df, _ = corpus(())

    def plural_root(word: str):
        r = root(word, PLURALS)
        return (*r, word) if r else None

    pairs, usable = draw(texts, df, plural_root, USUAL)
    chosen = sample(pairs, usable, SEED, CANONICAL, SIZE)
    for s, p in chosen:
        print(f"{s}\t{p}\t{'usual' if pairs[(s, p)] else 'other'}")
    if args.sheet:
        Path(args.sheet).write_text("\n".join(sheet(chosen, usable, texts)) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
