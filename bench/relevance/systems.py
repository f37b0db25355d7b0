"""The three systems compared on the 1,500 real articles (all Whoosh, same BM25F, same fields).

* ``ours``: the production backend (``search_index.whoosh_backend``): the Persian analyzer,
  the query parser with its spelling variants, the title bonus.
* ``standard``: Whoosh's ``StandardAnalyzer`` (its ``\\w+`` tokenizer, lower case, English stop
  words) with Whoosh's ``MultifieldParser`` over title and body, every word required.
* ``lucene``: a Python approximation of Lucene's ``PersianAnalyzer``: a tokenizer that keeps
  combining marks inside words (like Lucene's StandardTokenizer) and splits at ZWNJ (Lucene's
  ``PersianCharFilter`` turns ZWNJ into a space), lower case, decimal digits to ASCII,
  ``ArabicNormalizer`` + ``PersianNormalizer`` (alef forms → ا, ة/ۀ/ہ → ه, ی → ي, ک → ك,
  harakat, tatweel and hamza-above removed) and Lucene's Persian stop list. Lucene 9's optional
  ``PersianStemFilter`` is not included. Same parser as ``standard``.
"""
from __future__ import annotations

import atexit
import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StandardAnalyzer, StopFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, MultifieldParser

from search_index.backend import IndexDoc, SearchRequest
from search_index.whoosh_backend import WhooshBackend
from search_index.whoosh_backend.searching import build_query

REPO = Path(__file__).resolve().parents[2]
NEWS = REPO.parent / "shared" / "data" / "persian-news"
STOPWORDS = REPO / "search_index" / "stopwords_fa.txt"


def _scratch(prefix: str) -> str:
    """A temporary folder removed when the run ends."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def load_articles() -> list[dict]:
    """Every article with its id: ``file`` and ``index`` in that file."""
    out = []
    for path in sorted(NEWS.glob("*.json")):
        for i, article in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append({**article, "file": path.name, "index": i, "key": f"{path.name}#{i}"})
    return out


def body_of(article: dict) -> str:
    return "\n".join([article.get("abstract", "")] + article["paragraphs"])


# --- the Lucene approximation ---------------------------------------------------------------

_LUCENE = {**{c: "ا" for c in "آأإٱ"}, "ة": "ه", "ۀ": "ه", "ہ": "ه", "ۂ": "ه", "ۃ": "ه", "ھ": "ه",
           "ى": "ي", "ی": "ي", "ک": "ك", "ؤ": "و", "ئ": "ي",
           **{chr(c): None for c in range(0x064B, 0x0660)}, "\u0670": None, "\u0640": None, "\u0654": None,
           **{d: str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")}, **{d: str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")}}
_LUCENE_TABLE = str.maketrans(_LUCENE)


def lucene_normalize(text: str) -> str:
    return text.translate(_LUCENE_TABLE)


class LuceneNormalizeFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = lucene_normalize(t.text)
            if t.text:
                yield t


def lucene_stopwords() -> frozenset[str]:
    lines = STOPWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(lucene_normalize(w.strip()) for w in lines if w.strip() and not w.startswith("#"))


def lucene_analyzer():
    marks = "\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed\u0640"
    tokenizer = RegexTokenizer(rf"(?:[^\W_]|[{marks}])+")  # ZWNJ is not a word character: a separator
    return tokenizer | LowercaseFilter() | LuceneNormalizeFilter() | StopFilter(stoplist=lucene_stopwords(), minsize=1)


# --- the systems -----------------------------------------------------------------------------


class WhooshBaseline:
    """``standard`` or ``lucene``: plain Whoosh with a given analyzer and the default parser."""

    def __init__(self, name: str, analyzer, articles: list[dict]):
        self.name = name
        schema = Schema(key=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, field_boost=3.0),
                        body=TEXT(analyzer=analyzer))
        self.ix = whoosh_index.create_in(_scratch(f"rel-{name}-"), schema)
        with self.ix.writer(limitmb=256) as writer:
            for a in articles:
                writer.add_document(key=a["key"], title=a["title"], body=body_of(a))
        self.parser = MultifieldParser(["title", "body"], schema, group=AndGroup)
        self.searcher = self.ix.searcher()

    def search(self, text: str, limit: int | None = 10) -> list[str]:
        query = self.parser.parse(text)
        return [hit["key"] for hit in self.searcher.search(query, limit=limit)]


class Ours:
    name = "ours"

    def __init__(self, articles: list[dict]):
        self.backend = WhooshBackend(_scratch("rel-ours-"), writable=True)
        self.keys = {}
        docs = []
        for n, a in enumerate(articles, 1):
            self.keys[f"item:{n}"] = a["key"]
            docs.append(IndexDoc(key=f"item:{n}", doc_type="item", title=a["title"], body=body_of(a)))
        self.backend.rebuild(docs, fresh=True)

    def search(self, text: str, limit: int | None = 10) -> list[str]:
        if limit is not None:
            hits = self.backend.search(SearchRequest(text, per_page=limit)).hits
            return [self.keys[h.key] for h in hits]
        searcher = self.backend._searcher()  # every match, for the spelling-variant recall
        query, _ = build_query(text, searcher.reader())
        return [self.keys[hit["id"]] for hit in searcher.search(query, limit=None)]


def build_systems(articles: list[dict]) -> list:
    return [Ours(articles), WhooshBaseline("standard", StandardAnalyzer(), articles),
            WhooshBaseline("lucene", lucene_analyzer(), articles)]


# --- spelling variants of a query -----------------------------------------------------------

ZWNJ = "\u200c"


def variants(text: str, compound: bool = False) -> dict[str, str]:
    """The ways a user may type ``text``; only those that differ from it are returned.

    A ``compound`` (one word written with a space, «روابط عمومی») is also typed with ZWNJ and
    joined; a query with ZWNJ is also typed with a space and joined.
    """
    out = {
        "arabic_ya_kaf": text.replace("ی", "ي").replace("ک", "ك"),
        "no_madda": text.replace("آ", "ا"),
        "zwnj_as_space": text.replace(ZWNJ, " "),
        "zwnj_joined": text.replace(ZWNJ, ""),
        "compound_zwnj": text.replace(" ", ZWNJ) if compound else text,
        "compound_joined": text.replace(" ", "") if compound else text,
        "arabic_indic_digits": text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")),
        "ascii_digits": text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")),
        "ezafe_kasra": re.sub(r"(\S) ", "\\1\u0650 ", text, count=1) if " " in text else text,
        "tatweel": re.sub(r"^(\S{2})", "\\1\u0640", text),
    }
    return {name: v for name, v in out.items() if unicodedata.normalize("NFC", v) != text}
