"""``RuleSet.candidates`` meets the item's terms with the rule index's keys in C (session 46: a
Python loop over every term of the item): the same candidates as the plain reading, with the
starter pack, on every real article of ../shared/data/persian-news and on constructed items."""
from app.rules.analysis import analyze_item
from app.rules.starter_rules import starter_ruleset
from tests.conftest import analyzed_articles


def plain_candidates(ruleset, item) -> list[int]:
    if not ruleset.reads(item):
        return []
    found = set()
    for by_term, terms in zip(ruleset._by_term, (set(item.fields["title"]), item.terms)):
        for term, ids in by_term.items():
            if term in terms:
                found.update(ids)
    return sorted(found)


def test_the_same_candidates_as_the_plain_reading():
    ruleset = starter_ruleset()
    items = [analyze_item("قطعی آب در روستا", "اهالی از قطعی برق و گاز گلایه دارند"), analyze_item("", ""),
             analyze_item("CNG station", "no Persian here 115")]
    items += analyzed_articles()
    assert len(items) > 1000
    found = 0
    for item in items:
        candidates = ruleset.candidates(item)
        assert candidates == plain_candidates(ruleset, item)
        found += bool(candidates)
    assert found > 1000
