"""The tantivy backend hands documents over as ``document_tokens`` → ``tantivy_document`` (built
for speed, issue 16); tantivy must get exactly the values and tokens of the JSON form
``document_json`` that the backend was written and checked with: every token's term, position
and offsets, in the same order, and every other field's value."""
from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta

import pytest

from search_index.backend import IndexDoc
from search_index.documents import version_of
from search_index.tantivy_backend.fields import (
    document_json,
    document_tokens,
    tantivy_document,
)
from tests.conftest import shared_data

SAMPLES = [
    IndexDoc(key="item:901", doc_type="item", title="روابط‌عمومی استانداری", body="می شود «کتاب ها» دانش آموختگان‌ 12"),
    IndexDoc(key="item:902", doc_type="item", title="", body=""),
    IndexDoc(key="case:903", doc_type="case", title="قطعی آب", body="قطعی آب در شهرک‌ها", outlet="4", scope="local",
             agencies=("water", "power"), routes=("water:pending", "power:accepted"),
             published=datetime(2024, 3, 20, 10, 11, 12, 345678), story="c17"),
]


def _real_docs(count: int) -> list[IndexDoc]:
    articles = json.loads(min(shared_data("persian-news").glob("*.json")).read_text(encoding="utf-8"))
    docs = []
    for n, a in enumerate(articles[:count], 1):
        doc = IndexDoc(key=f"item:{n}", doc_type="item", title=a["title"],
                       body="\n".join([a.get("abstract", "")] + a["paragraphs"]), outlet=str(n % 7),
                       published=datetime(2024, 3, 20) + timedelta(hours=n), story=f"c{n}" if n % 3 else "")
        docs.append(IndexDoc(**{**doc.__dict__, "version": version_of(doc)}))
    return docs


def _as_json_form(doc) -> dict:
    """A tantivy ``Document`` in the shape of ``document_json``'s values (tokens as tuples)."""
    out = {}
    for name, values in doc.to_dict().items():
        if name in ("title", "body"):
            (text,) = values
            out[name] = {"text": text.text,
                         "tokens": [(t.text, t.position, t.char_offset_from, t.char_offset_to) for t in text.tokens]}
        elif name == "published":
            out[name] = values[0].replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
        elif name in ("agencies", "routes"):
            out[name] = list(values)
        else:
            (out[name],) = values
    return out


def _expected(doc: IndexDoc) -> dict:
    values = json.loads(document_json(doc))
    for name in ("title", "body"):
        values[name]["tokens"] = [(t["text"], t["position"], t["offset_from"], t["offset_to"])
                                  for t in values[name]["tokens"]]
        assert all(t["position_length"] == 1 for t in json.loads(document_json(doc))[name]["tokens"])
    return values


@pytest.mark.parametrize("doc", SAMPLES, ids=lambda d: d.key)
def test_parts_give_tantivy_the_json_forms_values_and_tokens(doc):
    tokens = pickle.loads(pickle.dumps(document_tokens(doc)))  # as the analysis processes send them
    assert _as_json_form(tantivy_document(doc, tokens)) == _expected(doc)


def test_the_same_on_real_articles():
    for doc in _real_docs(150):
        assert _as_json_form(tantivy_document(doc)) == _expected(doc), doc.key


def _vocabulary(backend) -> dict:
    searcher = backend._searcher()
    return {field: sorted(searcher.terms_with_prefix(field, "")) for field in ("title", "body", "id", "outlet")}


def test_a_rebuild_analysed_in_processes_writes_the_index_of_one_process(tmp_path, monkeypatch):
    """The pooled path (spawned processes, chunks in flight while the writer commits) gives the
    same terms, documents and phrase matches as the analysis in the writer's own process,
    resuming over a live index replaces each document once, and progress comes after each commit."""
    from search_index import tantivy_backend
    from search_index.backend import SearchRequest
    from search_index.tantivy_backend import TantivyBackend

    docs = _real_docs(120) + SAMPLES
    monkeypatch.setattr(tantivy_backend, "POOL_FROM_DOCS", 20)
    monkeypatch.setattr(tantivy_backend, "ANALYSIS_CHUNK", 7)
    alone = TantivyBackend(tmp_path / "alone", writable=True, procs=1)
    pooled = TantivyBackend(tmp_path / "pooled", writable=True, procs=2)
    assert alone.rebuild(docs, fresh=True, batch_size=50) == len(docs)
    seen = []
    assert pooled.rebuild(docs, lambda last, count: seen.append((last.key, count)), fresh=True, batch_size=50) == len(docs)
    assert seen == [(docs[49].key, 50), (docs[99].key, 100), (docs[-1].key, len(docs))]
    assert _vocabulary(pooled) == _vocabulary(alone) and pooled.doc_count() == alone.doc_count() == len(docs)
    for text in ('"روابط عمومی"', "آب", '"وزارت بهداشت"', "کتاب"):
        request = SearchRequest(text, per_page=100)
        found = [backend.search(request) for backend in (pooled, alone)]
        assert found[0].total == found[1].total, text
        scored = [{h.key: round(h.score, 4) for h in f.hits} for f in found]
        assert sorted(scored[0].values()) == sorted(scored[1].values()), text
        last = min(scored[0].values(), default=0.0)  # equal scores come in segment order, and segments differ
        assert {k: v for k, v in scored[0].items() if v > last} == {k: v for k, v in scored[1].items() if v > last}
    pooled.rebuild(docs[:30], fresh=False, batch_size=50)  # over the live index: replaced, not added
    assert pooled.doc_count() == len(docs)


def test_packed_columns_round_trip_even_with_the_separator_in_a_term():
    from search_index.tantivy_backend.fields import TERMS_SEPARATOR, _packed, _unpacked
    for columns in ((["آب", "~اب"], [0, 0], [0, 0], [2, 2]), ([], [], [], []),
                    ([f"a{TERMS_SEPARATOR}b", "c"], [0, 1], [0, 4], [3, 5])):
        packed = _packed(columns)
        assert _unpacked(pickle.loads(pickle.dumps(packed))) == columns



ANALYSIS_ALONE = """
import gc, json, sys
from search_index.tantivy_backend.fields import text_tokens
texts = json.loads(sys.stdin.read())
text_tokens("گرم", "کردن پیش از شمارش")  # the lexicons load with the collector on, as in a rebuild
gc.collect()
gc.disable()
for title, body in texts:
    text_tokens(title, body)
print(gc.collect())
"""


def test_the_analysis_makes_no_reference_cycles():
    """A rebuild's analysis processes run without the cyclic collector (``_analysis_process``):
    all the analysis of real articles makes must be freed by reference counting. Run in a
    process of its own, as those are (in the test process other threads make garbage meanwhile)."""
    import subprocess
    import sys
    from pathlib import Path

    texts = [(doc.title, doc.body) for doc in _real_docs(300)]
    done = subprocess.run([sys.executable, "-c", ANALYSIS_ALONE], input=json.dumps(texts), capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[2], check=True, timeout=120)
    assert done.stdout.strip() == "0"


# A title whose last word joins the body's first (a clitic pair, a spaced compound's stem, an agent
# noun's plural, «ای» after «ه», a ZWNJ or marks left at the title's end) or stands alone.
TITLE_EDGES = [("روابط عمومی می", "شود"), ("کتاب", "ها و دفترها"), ("دانش", "آموختگان دانشگاه"), ("دانش", "آموزان"),
               ("خانه", "ای در شهر"), ("کتاب\u200c", "ها"), ("توسعه", "ی پایدار"), ("مهارت‌آموختگان", "همتایان"),
               ("", "کتاب ها"), ("!!!", "آب"), ("آب", ""), ("۱۲", "۳۴ درصد"), ("سال99", "ها"), ("می", "")]


@pytest.mark.parametrize(("title", "body"), TITLE_EDGES)
def test_the_titles_tokens_are_the_title_analysed_alone(title, body):
    """``text_tokens`` takes the title's tokens from the analysis of the body field (the title, a
    line break, the body) instead of analysing the title twice: they must be the title's own."""
    from search_index.tantivy_backend.fields import _packed, text_tokens, token_columns
    title_tokens, body_tokens = text_tokens(title, body)
    assert _equal_packed(title_tokens, _packed(token_columns(title)))
    assert _equal_packed(body_tokens, _packed(token_columns(f"{title}\n{body}" if title else body)))


def _equal_packed(left, right) -> bool:
    return [list(column) for column in left[1:]] == [list(column) for column in right[1:]] and left[0] == right[0]
