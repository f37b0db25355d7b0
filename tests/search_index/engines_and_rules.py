"""Texts searched on both engines and read by a routing rule alike: what each finds for a query (the
council and date tests of session 44; routing rules match like the search box)."""
from __future__ import annotations

from app.rules.analysis import analyze_item
from app.rules.matcher import compile_rule, matches
from search_index.backend import IndexDoc, SearchRequest
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend


def both_engines(texts: dict[str, str], tmp_path_factory) -> list:
    """Whoosh and tantivy over ``texts`` (key → body, under one title), each in a folder of its own."""
    built = []
    for engine in (WhooshBackend, TantivyBackend):
        backend = engine(str(tmp_path_factory.mktemp(engine.__name__)), writable=True)
        backend.rebuild([IndexDoc(key=k, doc_type="item", title="عنوان", body=v) for k, v in texts.items()], fresh=True)
        built.append(backend)
    return built


def assert_found_alike(backends: list, texts: dict[str, str], query: str, expected: set[str]) -> None:
    """``query`` finds ``expected`` on every engine, and a routing rule of the same words matches the same texts."""
    for backend in backends:
        assert {hit.key for hit in backend.search(SearchRequest(query, per_page=10)).hits} == expected, backend
    assert {k for k, v in texts.items() if matches(compile_rule(query), analyze_item("عنوان", v))} == expected
