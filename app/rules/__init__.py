"""Routing: rules in the search syntax matched in memory, and the public-question detector.

Pure core (no database, no Flask): ``analysis`` analyzes an item once, ``matcher`` compiles
rules and matches analyzed items, ``ruleset`` matches many rules at once, ``detector`` flags citizens' questions, complaints and requests, ``starter_rules`` holds the
starter pack for the standard agencies.
"""
from app.rules.analysis import AnalyzedItem, analyze_item
from app.rules.detector import Detection, Reason, detect_public_question
from app.rules.matcher import (
    CompiledRule,
    Hit,
    Match,
    MatchedClause,
    RuleSyntaxError,
    compile_rule,
    explain,
    match,
    matches,
)
from app.rules.ruleset import Limits, RuleSet

__all__ = [
    "AnalyzedItem", "CompiledRule", "Detection", "Hit", "Limits", "Match", "MatchedClause",
    "Reason", "RuleSet", "RuleSyntaxError", "analyze_item", "compile_rule",
    "detect_public_question", "explain", "match", "matches",
]
