"""Routing: rules in the search syntax matched in memory, and the public-question detector.

Pure core (no database, no Flask): ``matcher`` compiles rules and matches analyzed items,
``detector`` flags citizens' questions, complaints and requests, ``starter_rules`` holds the
starter pack for the standard agencies.
"""
from app.routing.detector import Detection, Reason, detect_public_question
from app.routing.matcher import (
    AnalyzedItem, CompiledRule, Hit, Limits, Match, MatchedClause, RuleSet, RuleSyntaxError,
    analyze_item, compile_rule, explain, match, matches,
)

__all__ = [
    "AnalyzedItem", "CompiledRule", "Detection", "Hit", "Limits", "Match", "MatchedClause",
    "Reason", "RuleSet", "RuleSyntaxError", "analyze_item", "compile_rule",
    "detect_public_question", "explain", "match", "matches",
]
