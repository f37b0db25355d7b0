"""Measure word pairs both ways on the 1,500 articles, as ``eval_morphology.py`` counts one pair.

    .venv/bin/python bench/morphology/pairs.py SINGULAR FORM [SINGULAR FORM …] [--show N]

For each pair: the articles that hold the form and never the singular, and how many of them the
rules matcher's query for the singular finds; then the articles that hold the singular and never
the form, and how many the query for the form finds (the session-43 table of ``bench/README.md``).
``--show N`` prints N passages of the found articles of each direction (to read a false friend).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval_morphology import surface_terms  # noqa: E402
from systems import body_of, load_articles  # noqa: E402

from app.rules.analysis import analyze_item  # noqa: E402
from app.rules.matcher import compile_rule, matches  # noqa: E402
from search_index.persian import normalize  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", nargs="+", help="singular form singular form …")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args(argv)
    if len(args.words) % 2:
        parser.error("words come in pairs: SINGULAR FORM")
    articles = [(a["title"], body_of(a)) for a in load_articles()]
    surface = [surface_terms(t + "\n" + b) for t, b in articles]
    analyzed: dict[int, object] = {}

    def found(query: str, i: int) -> bool:
        if i not in analyzed:
            analyzed[i] = analyze_item(*articles[i], body_chars=10**9)
        return matches(compile_rule(query), analyzed[i])

    for singular, form in zip(args.words[::2], args.words[1::2]):
        cells = []
        for asked, held in ((singular, form), (form, singular)):
            a, h = normalize(asked), normalize(held)
            docs = [i for i, terms in enumerate(surface) if h in terms and a not in terms]
            hits = [i for i in docs if found(asked, i)]
            cells.append(f"{len(hits)}/{len(docs)}")
            for i in hits[: args.show]:
                text = articles[i][0] + " " + articles[i][1]
                at = normalize(text).find(h)
                print(f"  {asked} finds #{i}: …{normalize(text)[max(at - 60, 0):at + 60]}…")
        print(f"{singular} / {form}: singular asked {cells[0]}, form asked {cells[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
