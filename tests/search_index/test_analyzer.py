"""The Whoosh analyzer: offsets and positions, and spelling variants finding the same documents."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema

from search_index.analyzer import PersianAnalyzer
from search_index.persian import normalize
from search_index.query import parse_user_query
from tests.conftest import shared_data
from tests.search_index.ram_index import ram_index

REPO = Path(__file__).resolve().parents[2]
FIELDS = {"title": 2.0, "body": 1.0}


def make_index(docs: dict[str, str], analyzer=None):
    analyzer = analyzer or PersianAnalyzer()
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True),
                    body=TEXT(analyzer=analyzer, stored=True))
    ix = ram_index(schema)
    with ix.writer() as writer:
        for key, body in docs.items():
            writer.add_document(id=key, body=body)
    return ix


def found(ix, text: str) -> set[str]:
    query, _ = parse_user_query(text, FIELDS)
    with ix.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(query, limit=None)}


def test_tokens_carry_positions_and_offsets_into_the_original():
    text = "مدیر روابط‌عمومیِ «مُحَمَّد» می شود"
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in PersianAnalyzer()(text, positions=True, chars=True, mode="index")]
    assert ("روابطعمومی", 1, 5, 17) in tokens
    assert ("محمد", 3, 19, 27) in tokens
    assert text[19:27] == "مُحَمَّد"
    assert ("میشود", 4, 29, 35) in tokens
    shifted = [(t.pos, t.startchar) for t in PersianAnalyzer()(
        text, positions=True, chars=True, start_pos=10, start_char=100)]
    assert shifted[0] == (10, 100)


def test_query_mode_emits_one_joined_term_per_word():
    got = [t.text for t in PersianAnalyzer()("می شود روابط‌عمومی كتاب ها", mode="query")]
    assert got == ["میشود", "روابطعمومی", "کتابها"]


def test_untokenized_value_is_normalized_whole():
    got = [t.text for t in PersianAnalyzer()("كرمانشاه ۱۴۰۵", tokenize=False)]
    assert got == ["کرمانشاه 1405"]


def test_standard_analyzer_drops_diacritic_word_ours_keeps_it():
    """Why this analyzer exists: Whoosh's \\w tokenizer cuts «مُحَمَّد» into letters."""
    standard = [t.text for t in StandardAnalyzer()("مُحَمَّد")]
    assert "محمد" not in standard
    assert [t.text for t in PersianAnalyzer()("مُحَمَّد")] == ["محمد"]


DOCS = {
    "ya_arabic": "سخنان آقاي كريمي در جلسه",
    "ya_persian": "سخنان آقای کریمی در جلسه",
    "heh_teh": "برگزاری جلسة شورا",
    "heh_plain": "برگزاری جلسه شورا",
    "heh_hamza": "برگزاری جلسۀ شورا",
    "alef_madda": "تامین آب آشامیدنی",
    "alef_plain": "تامین اب اشامیدنی",
    "mi_zwnj": "این طرح اجرا می‌شود",
    "mi_space": "این طرح اجرا می شود",
    "mi_joined": "این طرح اجرا میشود",
    "ha_zwnj": "بازدید از پروژه‌ها",
    "ha_space": "بازدید از پروژه ها",
    "ha_joined": "بازدید از پروژهها",
    "year_fa": "بودجه سال ۱۴۰۵",
    "year_ar": "بودجه سال ١٤٠٥",
    "year_ascii": "بودجه سال 1405",
    "diacritic": "دیدار با مُحَمَّد رضایی",
    "tatweel": "دیدار با محـــمد رضایی",
    "compound_zwnj": "مدیر روابط‌عمومی استانداری",
    "compound_space": "مدیر روابط عمومی استانداری",
    "compound_joined": "مدیر روابطعمومی استانداری",
    "ministry": "بازدید وزیر از وزارت بهداشت و درمان",
    "ministry_reversed": "جلسه وزارت و بهداشت",
}


@pytest.fixture(scope="module")
def ix():
    return make_index(DOCS)


@pytest.mark.parametrize("group, queries", [
    ({"ya_arabic", "ya_persian"}, ["كريمي", "کریمی", "آقاي كريمي", "آقای کریمی"]),
    ({"heh_teh", "heh_plain", "heh_hamza"}, ["جلسة شورا", "جلسه شورا", "جلسۀ شورا"]),
    ({"alef_madda", "alef_plain"}, ["آب آشامیدنی", "اب اشامیدنی"]),
    ({"mi_zwnj", "mi_space", "mi_joined"}, ["اجرا می‌شود", "اجرا می شود", "اجرا میشود"]),
    ({"ha_zwnj", "ha_space", "ha_joined"}, ["پروژه‌ها", "پروژه ها", "پروژهها"]),
    ({"year_fa", "year_ar", "year_ascii"}, ["۱۴۰۵", "١٤٠٥", "1405"]),
    ({"diacritic", "tatweel"}, ["محمد رضایی", "مُحَمَّد", "محـمد"]),
    ({"compound_zwnj", "compound_space", "compound_joined"},
     ["روابط‌عمومی", "روابط عمومی", "روابطعمومی", '"روابط‌عمومی استانداری"',
      '"روابط عمومی استانداری"', '"روابطعمومی استانداری"', '"مدیر روابطعمومی"']),
])
def test_every_spelling_finds_the_same_documents(ix, group, queries):
    for text in queries:
        assert found(ix, text) == group, text


def test_phrase_with_stop_word_matches_exactly(ix):
    assert found(ix, '"وزارت بهداشت و درمان"') == {"ministry"}
    assert found(ix, '"وزارت و بهداشت"') == {"ministry_reversed"}
    assert found(ix, "وزارت بهداشت و درمان") == {"ministry"}


def test_words_with_diacritics_and_tatweel_are_in_the_index(ix):
    with ix.searcher() as searcher:
        docs = {searcher.stored_fields(n)["id"] for n in searcher.document_numbers()}
        hits = {searcher.stored_fields(n)["id"]
                for n in searcher.search(wq.Term("body", "محمد"), limit=None).docs()}
    assert {"diacritic", "tatweel"} <= docs
    assert hits == {"diacritic", "tatweel"}


def test_highlight_marks_the_original_spelling(ix):
    query, _ = parse_user_query("محمد", ["body"])
    with ix.searcher() as searcher:
        results = searcher.search(query, terms=True)
        snippets = {hit["id"]: hit.highlights("body") for hit in results}
    assert "مُحَمَّد</b>" in snippets["diacritic"]
    assert "محـــمد</b>" in snippets["tatweel"]


def _articles(limit: int):
    articles = []
    for path in sorted(shared_data("persian-news").glob("*.json")):
        articles += json.loads(path.read_text(encoding="utf-8"))
    return articles[:limit]


@pytest.mark.slow
def test_real_articles_arabic_and_persian_letter_queries_find_the_same_articles():
    articles = _articles(600)
    ix = make_index({str(i): a["title"] + "\n" + "\n".join(a["paragraphs"])
                     for i, a in enumerate(articles)})
    to_arabic = str.maketrans({"ی": "ي", "ک": "ك"})
    to_persian = str.maketrans({"ي": "ی", "ك": "ک"})
    rng = random.Random(1405)
    words = [w for a in articles for w in a["title"].split()
             if len(normalize(w)) >= 4 and any(c in w for c in "یکيك")]
    checked = 0
    for word in rng.sample(words, 40):
        arabic, persian = found(ix, word.translate(to_arabic)), found(ix, word.translate(to_persian))
        assert arabic == persian, word
        checked += bool(persian)
    assert checked >= 30
    # Articles that spell a word only with Arabic letters are found by the Persian query.
    old = [i for i, a in enumerate(articles) if "ي" in a["title"] and "ی" not in a["title"]]
    assert old, "the corpus has articles written with Arabic letters"
    for i in old[:10]:
        title_word = max(articles[i]["title"].split(), key=len)
        assert str(i) in found(ix, title_word.translate(to_persian)), title_word
