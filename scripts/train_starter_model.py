"""Train the starter model (issue 15) from the hand-labelled set and write app/data/starter_model.npz.

Trained on the DEV split only (rounds 1–3 for every label, round 4's dev articles for
``question``), with the options chosen by cross-validation on dev (bench/eval_learning.py's
``TUNED``): bench/eval_learning.py's test figures describe exactly this model. Needs the
articles of ../shared/data/persian-news (the labels store links, never text). The method is
written down in bench/routing/README.md, "The starter model".

    .venv/bin/python scripts/train_starter_model.py [--out app/data/starter_model.npz]
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from eval_learning import NEWS, STARTER_MODEL, TUNED, labelled_rows, train_starter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=STARTER_MODEL)
    args = parser.parse_args()
    if not NEWS.exists():
        raise SystemExit(f"article data not present: {NEWS}")
    dev = [row for row in labelled_rows() if row["split"] == "dev"]
    model = train_starter(dev)
    routing = [row for row in dev if row["agencies"] is not None]
    model.meta.update(
        trained=date.today().isoformat(),
        training_set={
            "source": "bench/routing/labels.jsonl dev split (rounds 1-3: every label; round 4: question only)",
            "articles": len(dev), "routing_articles": len(routing), "question_only_articles": len(dev) - len(routing),
            "with_an_agency": sum(bool(row["agencies"]) for row in routing),
            "questions": sum(bool(row["question"]) for row in dev),
        },
        options={**TUNED, "drop": list(TUNED["drop"])},
    )
    data = model.to_bytes()
    args.out.write_bytes(data)
    routes = [label for label, t in zip(model.labels, model.route.tolist()) if t != float("inf")]
    print(f"{args.out}: {len(data) / 1e6:.2f} MB, {len(model.vocabulary)} features, "
          f"{model.meta['examples']} examples; routes: {', '.join(routes) or 'none'}")


if __name__ == "__main__":
    main()
