"""What the analysis keeps while building a term index (``read_field``: issue 16) gives what the
index itself gives: the lead is the body's entries that end within ``LEAD_CHARS``, in the index's
order; the classifier's stems are the index's one-position stem entries read term by term. On
constructed items and the real articles of ../shared/data/persian-news (skipped when absent)."""
from app.rules.analysis import LEAD_CHARS, analyze_item, one_position
from search_index.persian import token_tuples
from tests.conftest import real_articles

CASES = [
    ("قطعی آب در روستاهای شهرستان", "اهالی روستا از قطعی آب شرب گلایه دارند. آب، آب و آب؛ تانکرها و تانکر."),
    ("", ""), ("Water cut", "no Persian here 123"),
    ("دانش آموختگان", "دانش‌آموختگان و مهارت‌آموختگان " * 12 + "آموزش وپرورش کتاب ها کتابهای خانه ای " * 6),
    ("روابط‌عمومی", "مدیر کل آموزش‌وپرورش استان گفت: " + "واحدهای آموزشی، " * 30),
]


def _lead_from_index(body: dict) -> dict:
    lead = {}
    for term, positions in body.items():
        kept = {pos: entry for pos, entry in positions.items() if entry[2] <= LEAD_CHARS}
        if kept:
            lead[term] = kept
    return lead


def same(title: str, body: str) -> None:
    item = analyze_item(title, body)
    fields = item.fields
    expected = _lead_from_index(fields["body"])
    lead = fields["lead"]
    assert list(lead) == list(expected)
    assert all(list(lead[term].items()) == list(expected[term].items()) for term in expected)
    for name in ("title", "body"):
        stems = item.stems_at(name)
        assert stems is not None  # no one-position join in the tokenizer's output
        assert stems == one_position(fields[name])[1]


def _word_positions_unique(text: str) -> None:
    """What ``stems_at`` relies on: one whole-word or compound-part token at each position."""
    positions = [pos for _term, _start, _end, pos, kind in token_tuples(text) if kind in ("word", "part")]
    assert len(positions) == len(set(positions)), text


def test_constructed_items():
    for title, body in CASES:
        same(title, body)
        _word_positions_unique(title + " " + body)


def test_real_articles():
    n = 0
    for _name, article, text in real_articles():
        same(article.get("title") or "", text)
        _word_positions_unique(text)
        n += 1
    assert n > 1000
