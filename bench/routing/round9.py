"""Round 9 of the routing review: 120 articles of ../shared/data/persian-news in no line of
labels.jsonl, labels_round7.jsonl or labels_round8.jsonl (nor a title repeating one of theirs: the
corpus holds some articles twice under two links), split dev/test by ``select_articles.split_of``;
labelled in ``labels_round9.jsonl`` (links and labels only) before anything was routed. Prints routing
and detector figures, rules alone and rules ∪ the shipped model.

The draw is enriched for public questions (round 8 had 2, too few to judge the detector): half of it
(60) is the first articles of the pool in the order of the link's SHA-1, at random; the other half is
the 60 of the rest with the most complaint cues, by a word list frozen here (not the detector's
cues, which may change): distinct complaint and request words in the title, the abstract and the
first 2,000 characters of the body, plus one when a group of people is named there; ties in the order
of the hash. The cues chose the articles; the labels were made by reading them.

    .venv/bin/python bench/routing/round9.py [--draw] [--split dev|test|all] [--errors]
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent), str(HERE)]

from round7 import main  # noqa: E402
from select_articles import all_articles, link_hash, split_of  # noqa: E402

LABELS = HERE / "labels_round9.jsonl"
USED = (HERE / "labels.jsonl", HERE / "labels_round7.jsonl", HERE / "labels_round8.jsonl")
RANDOM, ENRICHED = 60, 60
BODY_CHARS = 2000
# Frozen for the draw. Arabic ي/ك and the zero-width non-joiner are folded before the lookup.
COMPLAINT = ("گلایه", "شکایت", "اعتراض", "معترض", "انتقاد", "نارضایتی", "ناراضی", "بلاتکلیف", "سردرگم",
             "معطل", "خواستار", "مطالبه", "وعده", "بی‌توجهی", "مشکلات", "کمبود", "چرا", "؟")
PEOPLE = ("اهالی", "ساکنان", "شهروندان", "مردم", "کشاورزان", "کارگران", "روستاییان", "بیماران", "والدین",
          "رانندگان", "مسافران", "مصرف‌کنندگان")


def _fold(text: str) -> str:
    return re.sub(r"[\s\u200c]+", " ", text.replace("ي", "ی").replace("ك", "ک")).strip()


def cue_score(article: dict) -> int:
    text = _fold(" ".join([article["title"], article.get("abstract") or "",
                           " ".join(article.get("paragraphs", []))[:BODY_CHARS]]))
    return (sum(_fold(w) in text for w in COMPLAINT)
            + any(_fold(w) in text for w in PEOPLE))


def draw(used_labels: tuple[Path, ...] = USED) -> list[dict]:
    """The draw over the pool the labels of ``used_labels`` left (rounds 10 and 11 draw so over theirs)."""
    articles = {article["link"]: (name, index, article) for name, index, article in all_articles()}
    used = {json.loads(line)["link"] for path in used_labels
            for line in path.read_text(encoding="utf-8").splitlines() if line}
    used_titles = {_fold(articles[link][2]["title"]) for link in used}
    pool = sorted((row for link, row in articles.items()
                   if link not in used and _fold(row[2]["title"]) not in used_titles),
                  key=lambda row: link_hash(row[2]["link"]))
    seen_titles: set[str] = set()
    unique = []
    for row in pool:  # one of two links with the same title
        if _fold(row[2]["title"]) not in seen_titles:
            seen_titles.add(_fold(row[2]["title"]))
            unique.append(row)
    chosen = unique[:RANDOM]
    rest = sorted(unique[RANDOM:], key=lambda row: -cue_score(row[2]))  # stable: ties stay in hash order
    chosen += rest[:ENRICHED]
    out = [{"file": name, "index": index, "link": article["link"], "cat": article["cat"],
            "half": "random" if n < RANDOM else "enriched"} for n, (name, index, article) in enumerate(chosen)]
    return [{**row, "split": split_of(row["link"])} for row in sorted(out, key=lambda r: link_hash(r["link"]))]


if __name__ == "__main__":
    main(draw, LABELS, __doc__)
