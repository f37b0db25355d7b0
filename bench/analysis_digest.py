"""The analysis' output over the 1,500 articles of ../shared/data/persian-news, as digests: a change
to how the analysis works (not to what it gives) must leave every digest byte-identical.

Hashed, per article: ``persian.token_tuples`` of the title and of the body (abstract and paragraphs,
as ``bench_search.py`` writes a document's body), the same in a second pass (the word caches warm),
``tantivy_backend.fields.text_tokens`` (what a rebuild's analysis processes return, packed, then
unpacked to plain columns), ``word_parts.word_terms`` of every distinct spelling (what highlighting
asks), and ``rules.analysis.analyze_field`` of the title and lead (routing's term index). Each line
printed is one digest; ``--tokens`` also prints the token count. Run it on two trees (e.g. a
``git worktree`` of the base) and compare the output:

    .venv/bin/python bench/analysis_digest.py > /tmp/new.txt
    (cd ../base && .venv/bin/python bench/analysis_digest.py) > /tmp/old.txt
    cmp /tmp/old.txt /tmp/new.txt
"""
from __future__ import annotations

import hashlib
import json
import sys
from itertools import accumulate, islice, pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
NEWS = REPO.parent / "shared" / "data" / "persian-news"

from app.rules import analysis
from search_index import persian, word_parts
from search_index.tantivy_backend import fields


def documents() -> list[tuple[str, str]]:
    out = []
    for path in sorted(NEWS.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            body = "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])])
            out.append((article.get("title") or "", body))
    return out


def digest(rows) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for row in rows:
        h.update(repr(row).encode("utf-8"))
        h.update(b"\x00")
        n += 1
    return h.hexdigest(), n


def main() -> None:
    docs = documents()
    texts = [text for pair in docs for text in pair]
    lines = []
    for label in ("token_tuples cold", "token_tuples warm"):
        lines.append((label, *digest(t for text in texts for t in persian.token_tuples(text))))
    lines.append(("token_tuples start_pos 7", *digest(t for text in texts[:200] for t in persian.token_tuples(text, 7))))
    lines.append(("tokenize", *digest(tuple(t) for text in texts[:200] for t in persian.tokenize(text))))
    lines.append(("text_tokens", *digest(fields._unpacked(part) for title, body in docs
                                        for part in fields.text_tokens(title, body))))
    lines.append(("text_tokens packed", *digest(
        (part[0], bytes(part[1]), bytes(part[2]), bytes(part[3])) if isinstance(part[0], str) else part
        for title, body in docs for part in fields.text_tokens(title, body))))
    def windows(text):  # what highlighting reads: the tokens from a word on (``token_tuples_from``)
        pieces = persian.split_words(text)
        ends = list(accumulate(map(len, pieces)))
        for word in range(0, len(pieces) // 2, 7):
            yield from islice(persian.token_tuples_from(text, pieces, word, ends[2 * word - 1] if word else 0), 30)
    lines.append(("token_tuples_from", *digest(t for text in texts[:300] for t in windows(text))))
    spellings = sorted({piece for text in texts for piece in persian.split_words(text)[1::2]})
    lines.append(("word_terms", *digest((raw, sorted(terms), *rest) for raw in spellings
                                        for terms, *rest in [word_parts.word_terms(raw)])))
    # its first seven fields: what a word gives (a field added after them says how the loop reads it)
    lines.append(("word_info", *digest((raw, word_parts.word_info(raw)[:7]) for raw in spellings)))
    pairs = list(pairwise(spellings))
    lines.append(("pair_terms", *digest((a, b, sorted(word_parts.pair_terms(a, b))) for a, b in pairs)))
    leads = [text for title, body in docs for text in (title, analysis._lead(body, analysis.BODY_CHARS))]
    lines.append(("analyze_field", *digest(sorted(analysis.analyze_field(text).items()) for text in leads)))
    for label, value, count in lines:
        print(f"{label:28} {count:9} {value}")


if __name__ == "__main__":
    main()
