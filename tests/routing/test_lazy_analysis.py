"""Items are tokenized only when a rule could match them: same matches, less work."""
from __future__ import annotations

from app.rules.analysis import analyze_item
from app.rules.matcher import compile_rule
from app.rules.ruleset import RuleSet


def _ruleset(*queries: str) -> RuleSet:
    ruleset = RuleSet()
    for i, query in enumerate(queries):
        ruleset.add(i, compile_rule(query))
    return ruleset


def test_an_item_without_persian_letters_is_not_tokenized_for_persian_rules():
    item = analyze_item("Water cut in the north of the city", "Residents complain — again.")
    assert _ruleset('"قطع آب"', "برق").match(item) == []
    assert item._fields is None  # never analyzed
    assert "water" in item.terms  # and still analyzed on demand, the same way


def test_a_rule_with_latin_or_digit_terms_still_sees_latin_items():
    item = analyze_item("New CNG station opens", "")
    assert _ruleset("برق", "CNG").matching(item) == [1]


def test_persian_written_in_presentation_forms_is_still_matched():
    # U+FEE9 U+FEEE U+FEA9 … are Arabic presentation forms: NFKC folds them into Persian letters
    title = "\ufe8d\ufee3\ufeae\ufeed\ufeaf \ufe91\ufeae\ufed6 \ufed7\ufec4\ufecc \ufe8e\ufeb3\ufe96"
    item = analyze_item(title, "")
    assert item.has_arabic_script
    assert _ruleset("برق").matching(item) == [0]
