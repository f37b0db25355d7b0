"""The detector looks an item's terms up among every cue's keys once (``_cue_keys``), then each cue
among those few (session 46: ``terms & by_key.keys()`` walked every term of the item for each cue).
The rules it finds are those the plain reading finds, for every cue, on constructed items and on
every real article of ../shared/data/persian-news."""
from app.rules.analysis import analyze_item
from app.rules.detector import _compiled, _cue_keys, _rules_found
from tests.conftest import analyzed_articles


def plain_rules_found(by_key, terms) -> set[int]:
    return {i for key in by_key if key in terms for seq, i in by_key[key] if terms.issuperset(seq)}


def same(item) -> int:
    terms = item.terms
    keys = terms & _cue_keys()
    found = 0
    for _cue, _rules, by_key in _compiled():
        fast = _rules_found(by_key, terms, keys)
        assert fast == plain_rules_found(by_key, terms)
        found += len(fast)
    return found


def test_constructed_items():
    assert same(analyze_item("اعتراض اهالی روستا به قطعی آب", "مردم می‌پرسند چرا مسئولان پاسخ نمی‌دهند؟"))
    assert not same(analyze_item("", ""))
    same(analyze_item("Water cut", "no Persian here"))


def test_real_articles():
    n = found = 0
    for item in analyzed_articles():
        found += same(item)
        n += 1
    assert n > 1000 and found > 1000
