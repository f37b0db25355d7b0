"""The labelled starter set as training examples, where its articles are on this machine.

The labels (article links and answers, never the text) are shipped; the articles are not (they
are the publisher's). An installation that has the corpus (``LEARNING_STARTER_CORPUS``: the
folder of ``fars-news-*.json``) trains every new version on the starter set's training part as
well as on its desk's decisions; without it, on the decisions alone. Only the rows the shipped
starter model was trained on are used (``split`` dev): the test rows stay unseen by every model
this product makes, so the bench's test figures remain honest.
"""
from __future__ import annotations

import json
from pathlib import Path

from app.learning.features import Example, item_features
from app.learning.model import QUESTION, agency_label
from app.rules.analysis import analyze_item

TRAINING_SPLIT = "dev"


class StarterSetError(Exception):
    """The corpus does not hold the articles the labels name (moved, or another corpus)."""


def starter_rows(labels_path: Path, split: str = TRAINING_SPLIT) -> list[dict]:
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["split"] == split]


def row_labels(row: dict, agencies) -> dict[str, bool]:
    """A labelled article's labels over ``agencies``: every agency when its routing was labelled
    (``agencies`` a list), the question always."""
    labels = {QUESTION: bool(row["question"])}
    if row.get("agencies") is not None:
        labels.update({agency_label(slug): slug in row["agencies"] for slug in agencies})
    return labels


def article_text(article: dict) -> tuple[str, str]:
    """An article as an item: its title, and its abstract and paragraphs as the text."""
    return article["title"], "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])


def starter_examples(corpus: Path, labels_path: Path, agencies, split: str = TRAINING_SPLIT) -> list[Example]:
    """The starter set's ``split`` rows as examples (StarterSetError when the corpus differs)."""
    files: dict[str, list] = {}
    examples = []
    for row in starter_rows(labels_path, split):
        if row["file"] not in files:
            path = corpus / row["file"]
            if not path.is_file():
                raise StarterSetError(f"{path} is missing")
            files[row["file"]] = json.loads(path.read_text(encoding="utf-8"))
        articles = files[row["file"]]
        if row["index"] >= len(articles) or articles[row["index"]].get("link") != row["link"]:
            raise StarterSetError(f"{row['file']}[{row['index']}] is not {row['link']}")
        title, text = article_text(articles[row["index"]])
        examples.append(Example(item_features(analyze_item(title, text)), row_labels(row, agencies), key=row["link"]))
    return examples
