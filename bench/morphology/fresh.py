"""Draw the fresh, blind word-form set (``fresh.jsonl``; method in ``README.md``, "The fresh set").

    .venv/bin/python bench/morphology/fresh.py --sheet /tmp/fresh_sheet.txt > /tmp/fresh_pairs.tsv
    # the third set (2026-12-02, second round):
    .venv/bin/python bench/morphology/fresh.py --seed 20261203 --exclude set.jsonl fresh.jsonl \
        --sheet /tmp/third_sheet.txt > /tmp/third_pairs.tsv

Mechanical, no system is run: the candidates of ``candidates.py`` (every corpus word that ends in
a handled suffix and whose rest is also a corpus word, both in at least two articles), minus
every pair that shares a word with ``set.jsonl`` (its bases and forms), minus pairs without an
article that holds the form and never the base (the evaluation skips those); a random sample per
suffix with seed ``SEED``. ``--sheet`` writes, for the hand labelling, up to ``SNIPPETS``
passages around the form in such articles: that sheet quotes the articles, so it stays in /tmp
and never enters the repository.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench" / "relevance"))

from systems import body_of, load_articles  # noqa: E402

from search_index.persian import ZWNJ, normalize, tokenize  # noqa: E402
from search_index.query_terms import word_spans  # noqa: E402

SEED = 20261202
SUFFIXES = ["هایشان", "هایش", "هایی", "های", "ها", "ترین", "تر", "گان", "یان", "ان", "ات"]
QUOTA = {"ها": 30, "های": 30, "ان": 50, "ات": 25, "تر": 25, "ترین": 15}  # others: 10 each
SNIPPETS = 2


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--exclude", nargs="+", default=["set.jsonl"],
                        help="sets (in bench/morphology/) whose words are left out")
    args = parser.parse_args()
    texts, df, old = corpus(args.exclude)
    pairs: dict[tuple[str, str], str] = {}
    for word, n in df.items():
        if not word.isalpha() or word.isascii():
            continue
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                base = word[: -len(suffix)]
                if suffix == "گان":
                    base += "ه"
                if suffix == "یان" and not base.endswith(("ا", "و")):
                    break
                if df[base] >= 2 and n >= 2 and base not in old and word not in old:
                    pairs[(base, word)] = suffix
                break
    usable = usable_pairs(pairs, texts)
    by_suffix = grouped(usable)
    rng = random.Random(args.seed)
    sample = []
    for suffix in SUFFIXES:
        group = sorted(by_suffix.get(suffix, []))
        sample += [(b, f, suffix) for b, f in rng.sample(group, min(QUOTA.get(suffix, 10), len(group)))]
    print(f"# {len(pairs)} candidates, {len(usable)} usable, sample {len(sample)}: "
          + ", ".join(f"{s} {len(by_suffix.get(s, []))}" for s in SUFFIXES), file=sys.stderr)
    emit(sample, usable, texts, args.sheet)
    return 0


def corpus(exclude) -> tuple[list[str], collections.Counter, set[str]]:
    """The articles' texts (title and body), the number of articles each word is in (normalized,
    ZWNJ removed) and the words (bases and forms) of the sets ``exclude`` (in bench/morphology/)."""
    texts = [a["title"] + "\n" + body_of(a) for a in load_articles()]
    df: collections.Counter[str] = collections.Counter()
    for text in texts:
        df.update({w.replace(ZWNJ, "") for w, _, _ in word_spans(text)})
    old: set[str] = set()
    for name in exclude:
        for line in (REPO / "bench" / "morphology" / name).read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            old.update((normalize(pair["base"]), normalize(pair["form"])))
    return texts, df, old


def usable_pairs(pairs: dict[tuple[str, str], str], texts: list[str]) -> dict[tuple[str, str], tuple[str, list[int]]]:
    """(base, form) → (its group, the articles that hold the form and never the base: the ones the
    evaluation counts), for the pairs that have such an article."""
    surface = [{t.text for t in tokenize(text) if t.kind != "stem"} for text in texts]
    usable = {}
    for (base, form), group in pairs.items():
        docs = [i for i, terms in enumerate(surface) if form in terms and base not in terms]
        if docs:
            usable[(base, form)] = (group, docs)
    return usable


def grouped(usable: dict) -> dict[str, list[tuple[str, str]]]:
    """The usable pairs by group, in the order they were found."""
    groups: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for key, (group, _) in usable.items():
        groups[group].append(key)
    return groups


def draw_by_kind(candidates, sets, seed: int, quota: dict[str, int], sheet_path: str | None,
                 known_rule=None, extra=None) -> None:
    """The by-kind draw of the thirteenth and fifteenth sets (and later ones): every corpus word
    (alphabetic, not ASCII, in none of the sets ``sets``) whose ``candidates(word, known)`` gives
    (kind, base) pairs; the pairs with an article that holds the form and never the base; a random
    sample per kind (``quota``, in its order) with ``seed``; printed and sheeted by ``emit``.
    ``known_rule(base, df, old)`` decides a usable base (default: a word of at least two articles);
    ``extra(pairs, df, known, old)`` adds pairs of its own (``fifth.py``: the listed broken plurals)."""
    texts, df, old = corpus(sets)

    def known(base: str) -> bool:
        return known_rule(base, df, old) if known_rule else df[base] >= 2

    pairs: dict[tuple[str, str], str] = {}
    for word in df:
        if word.isalpha() and not word.isascii() and word not in old:
            for kind, base in candidates(word, known):
                pairs[(base, word)] = kind
    if extra:
        extra(pairs, df, known, old)
    usable = usable_pairs(pairs, texts)
    by_kind = grouped(usable)
    rng = random.Random(seed)
    sample = []
    for kind, n in quota.items():
        group = sorted(by_kind.get(kind, []))
        sample += [(b, f, kind) for b, f in rng.sample(group, min(n, len(group)))]
    print(f"# {len(pairs)} candidates, {len(usable)} usable, sample {len(sample)}: "
          + ", ".join(f"{k} {len(by_kind.get(k, []))}" for k in quota), file=sys.stderr)
    emit(sample, usable, texts, sheet_path)


def half_or_draw(argv: list[str] | None, half, draw) -> int:
    """The command line of a by-kind set (the fifteenth's, the eighteenth's): ``--half BASE`` prints the
    base's half (``half`` of the normalized base), else ``draw(sheet_path)`` draws (``--sheet``)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet")
    parser.add_argument("--half", help="a base: print its half")
    args = parser.parse_args(argv)
    if args.half:
        print(half(normalize(args.half)))
    else:
        draw(args.sheet)
    return 0


def emit(sample: list[tuple[str, str, str]], usable: dict, texts: list[str], sheet_path: str | None) -> None:
    """Print the drawn pairs (base, form, group: tab-separated) and write the labelling sheet: up
    to SNIPPETS passages around the form from articles that hold it and not the base (the sheet
    quotes the articles: it stays out of the repository). fifth.py draws through it too."""
    sheet = []
    for base, form, group in sample:
        print(f"{base}\t{form}\t{group}")
        docs = usable[(base, form)][1]
        sheet.append(f"## {base} → {form} ({group}; {len(docs)} articles)")
        for i in docs[:SNIPPETS]:
            for word, start, end in word_spans(texts[i]):
                if word.replace(ZWNJ, "") == form:
                    sheet.append("   " + texts[i][max(0, start - 70): end + 50].replace("\n", " "))
                    break
    if sheet_path:
        Path(sheet_path).write_text("\n".join(sheet) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
