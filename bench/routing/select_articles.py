"""The articles of the routing evaluation set: a deterministic draw from ../shared/data/persian-news.

Provincial news (category ``province``, the province-named categories and ``regional-offices``):
all 486 of them (labelled in three rounds of 250, 100 and 136, in the same order), then a smaller
draw from the other categories (precision: national politics, sports, world news must route
nowhere). Order and split depend only on each article's link.

Round 4 (``--round 4``), for the question detector only: every national social, economy,
viewpoint and education article not drawn above (213), where citizens' reported questions and
complaints («مردم می‌پرسند …», «گلایه دارند») are written about; labelled for ``question`` only
(``agencies`` null: not labelled for routing).

    .venv/bin/python bench/routing/select_articles.py [--round 4]   # prints the ids as JSON lines
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

NEWS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "persian-news"
PROVINCIAL_TAKE = 486  # every provincial article of the corpus
OTHER_TAKE = 80
# Magazine features and uncategorised pages are not news a desk routes.
SKIPPED_CATEGORIES = {"farsplus-magazine", "", "multimedia", "myfars", "last-clay"}


def is_provincial(article: dict) -> bool:
    cat = article.get("cat", "")
    return cat == "province" or cat == "regional-offices" or (
        cat not in _NATIONAL_CATEGORIES and cat not in SKIPPED_CATEGORIES)


ROUND4_CATEGORIES = ("social", "economy", "viewpoint", "education")
_NATIONAL_CATEGORIES = {
    "world", "politics", "social", "sports", "economy", "arts-media", "culture",
    "scientific-academic", "foreign-policy", "viewpoint", "education", "other-media",
}


def link_hash(link: str) -> str:
    return hashlib.sha1(link.encode("utf-8")).hexdigest()


def split_of(link: str) -> str:
    """``dev`` or ``test``: half and half, fixed by the link."""
    return "test" if int(link_hash(link)[:8], 16) % 2 else "dev"


def all_articles(news_dir: Path = NEWS):
    """(file name, index, article) for every article, first occurrence of each link only."""
    seen: set[str] = set()
    for path in sorted(news_dir.glob("fars-news-*.json")):
        for index, article in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if article["link"] in seen:
                continue
            seen.add(article["link"])
            yield path.name, index, article


def select(news_dir: Path = NEWS) -> list[dict]:
    """Ids of the evaluation set: {file, index, link, cat, split}."""
    provincial, other = [], []
    for name, index, article in all_articles(news_dir):
        row = {"file": name, "index": index, "link": article["link"], "cat": article["cat"]}
        if is_provincial(article):
            provincial.append(row)
        elif article["cat"] not in SKIPPED_CATEGORIES:
            other.append(row)
    chosen = sorted(provincial, key=lambda r: link_hash(r["link"]))[:PROVINCIAL_TAKE]
    chosen += sorted(other, key=lambda r: link_hash(r["link"]))[:OTHER_TAKE]
    for row in chosen:
        row["split"] = split_of(row["link"])
    return chosen


def select_round4(news_dir: Path = NEWS) -> list[dict]:
    """Round 4's ids: the articles of ``ROUND4_CATEGORIES`` that ``select`` did not draw, in the
    order of their link's SHA-1, split like the others."""
    drawn = {row["link"] for row in select(news_dir)}
    rows = [{"file": name, "index": index, "link": article["link"], "cat": article["cat"]}
            for name, index, article in all_articles(news_dir)
            if article["cat"] in ROUND4_CATEGORIES and article["link"] not in drawn]
    rows.sort(key=lambda r: link_hash(r["link"]))
    for row in rows:
        row["split"] = split_of(row["link"])
    return rows


if __name__ == "__main__":
    import sys

    for row in (select_round4() if sys.argv[1:] == ["--round", "4"] else select()):
        print(json.dumps(row, ensure_ascii=False))
