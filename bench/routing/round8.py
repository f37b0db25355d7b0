"""Round 8 of the routing review: 120 articles of ../shared/data/persian-news in no line of
labels.jsonl or labels_round7.jsonl, drawn per category by the SHA-1 of the link, split dev/test by
``select_articles.split_of``; labelled in ``labels_round8.jsonl`` (links and labels only) before
anything was routed. Prints routing and detector figures, rules alone and rules ∪ the shipped model.

The draw favours provincial and service news: of the magazine pages (the older provincial news),
those whose title or abstract names a province or the words «استان» / «شهرستان» come first (a word
list frozen here, independent of the rules), then the rest, each part in the order of the hash; a
smaller share of national and foreign categories tests false routes.

    .venv/bin/python bench/routing/round8.py [--draw] [--split dev|test|all] [--errors]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

from round7 import main  # noqa: E402
from select_articles import all_articles, link_hash, split_of  # noqa: E402

LABELS = HERE / "labels_round8.jsonl"
USED = (HERE / "labels.jsonl", HERE / "labels_round7.jsonl")
TAKE = {"farsplus-magazine": 80, "": 6, "other-media": 2, "myfars": 1, "scientific-academic": 6,
        "culture": 5, "arts-media": 4, "politics": 7, "sports": 4, "world": 5}
# Frozen for the draw (not the gazetteer of app/rules/places.py, which may change): the provinces
# and the words that mark an item as a province's news. Arabic ي/ك are folded before the lookup.
LOCAL = ("استان", "شهرستان", "آذربايجان", "اردبيل", "اصفهان", "البرز", "ايلام", "بوشهر", "تهران",
         "چهارمحال", "خراسان", "خوزستان", "زنجان", "سمنان", "سيستان", "فارس", "قزوين", "قم", "كردستان",
         "كرمان", "كهگيلويه", "گلستان", "گيلان", "لرستان", "مازندران", "مركزي", "هرمزگان", "همدان",
         "يزد", "تبريز", "اروميه", "مشهد", "اهواز", "شيراز", "رشت", "ساري", "اراك", "زاهدان", "كرج",
         "خرم‌آباد", "گرگان", "سنندج", "همدان", "بندرعباس", "يزد", "بيرجند", "بجنورد", "ياسوج", "شهركرد")


def _fold(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


def is_local(article: dict) -> bool:
    words = set(_fold(article["title"] + " " + (article.get("abstract") or "")).replace("\u200c", " ").split())
    return any(_fold(name) in words for name in LOCAL)


def draw() -> list[dict]:
    used = {json.loads(line)["link"] for path in USED
            for line in path.read_text(encoding="utf-8").splitlines() if line}
    groups: dict[str, list[tuple]] = {}
    for name, index, article in all_articles():
        if article["link"] not in used and article["cat"] in TAKE:
            key = (article["cat"] == "farsplus-magazine" and not is_local(article), link_hash(article["link"]))
            groups.setdefault(article["cat"], []).append(
                (key, {"file": name, "index": index, "link": article["link"], "cat": article["cat"]}))
    chosen = [row for cat, n in TAKE.items() for _, row in sorted(groups[cat], key=lambda g: g[0])[:n]]
    return [{**row, "split": split_of(row["link"])} for row in sorted(chosen, key=lambda r: link_hash(r["link"]))]


if __name__ == "__main__":
    main(draw, LABELS, __doc__)
