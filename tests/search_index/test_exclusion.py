"""«-word» excludes every document that holds the word, in both engines — also the first match
of a segment. Whoosh's own ``AndNotMatcher`` let that one through when the excluded word had an
earlier posting in the segment: «قطعی آب -برق» found 12 documents with «برق» among 1,000,000
(bench/README.md, session 11); the Whoosh backend now asks ``a`` and a zero-score ``Not(b)``."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from search_index.backend import IndexDoc, SearchRequest
from search_index.documents import version_of
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

TEXTS = [
    "برق شهر رفت",              # the excluded word before any match
    "قطعی آب و برق در شهر",      # the first match: holds the excluded word
    "قطعی آب در روستا",          # the only right answer
    "برق و آب",                  # no «قطعی»
]


def _docs(first: int) -> list[IndexDoc]:
    docs = []
    for n, text in enumerate(TEXTS, first):
        doc = IndexDoc(key=f"item:{n}", doc_type="item", title="", body=text,
                       published=datetime(2026, 1, 1) + timedelta(hours=n))
        docs.append(IndexDoc(**{**doc.__dict__, "version": version_of(doc)}))
    return docs


@pytest.mark.parametrize("engine", [WhooshBackend, TantivyBackend], ids=["whoosh", "tantivy"])
def test_an_excluded_word_excludes_the_first_match_of_every_segment(tmp_path, engine):
    writer = engine(tmp_path, writable=True)
    writer.index(_docs(1))   # one segment
    writer.index(_docs(11))  # another
    reader = engine(tmp_path)
    for sort in ("relevance", "newest"):
        for collapse in (False, True):
            found = reader.search(SearchRequest("قطعی آب -برق", sort=sort, collapse=collapse))
            assert sorted(hit.key for hit in found.hits) == ["item:13", "item:3"], (sort, collapse)
            assert found.total == 2
    assert reader.search(SearchRequest("قطعی آب")).total == 4
