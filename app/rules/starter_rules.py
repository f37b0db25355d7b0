"""The starter pack: Persian routing rules for every standard agency, kept in app/data.

``app/data/starter_rules.json`` holds ``{"version": 1, "rules": [{"agency", "name", "query",
"title_only", "lead"}, …]}`` (``lead``: a title-only rule reads the lead too; both optional); admins edit the rules once they are loaded into the database. Measured
on hand-labelled provincial news in ``bench/routing/`` (``bench/eval_routing.py``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.rules.matcher import CompiledRule, compile_rule
from app.rules.ruleset import RuleSet

STARTER_RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "starter_rules.json"

# The slugs of app.services.agencies.STANDARD_AGENCIES (a test keeps the two equal).
STANDARD_SLUGS = (
    "water", "power", "gas", "roads", "health", "education", "environment", "agriculture",
    "natural_resources", "heritage_tourism", "sports_youth", "welfare", "labor", "culture",
    "industry_trade", "telecom", "crisis", "economy_finance", "municipality", "governorate",
)


@dataclass(frozen=True)
class StarterRule:
    agency: str  # a slug of STANDARD_SLUGS
    name: str  # Persian, shown to users
    query: str  # the search syntax
    title_only: bool = False
    lead: bool = False

    def compile(self) -> CompiledRule:
        return compile_rule(self.query, title_only=self.title_only, lead=self.lead)


def load_starter_rules(path: Path = STARTER_RULES_PATH) -> list[StarterRule]:
    """The rules of the file, checked: known slugs, unique names, every rule compiles.

    Raises ValueError naming the bad rule (a RuleSyntaxError says where the query breaks).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != 1:
        raise ValueError(f"{path.name}: unsupported version {data.get('version')!r}")
    rules, names = [], set()
    for row in data["rules"]:
        rule = StarterRule(row["agency"], row["name"], row["query"], bool(row.get("title_only")),
                           bool(row.get("lead")))
        if rule.lead and not rule.title_only:
            raise ValueError(f"{path.name}: rule {rule.name!r} of {rule.agency} reads the lead but not only the title")
        if rule.agency not in STANDARD_SLUGS:
            raise ValueError(f"{path.name}: unknown agency {rule.agency!r} in rule {rule.name!r}")
        if (rule.agency, rule.name) in names:
            raise ValueError(f"{path.name}: duplicate rule {rule.name!r} of {rule.agency}")
        names.add((rule.agency, rule.name))
        try:
            rule.compile()
        except ValueError as error:
            reason = getattr(error, "message", error)
            raise ValueError(f"{path.name}: rule {rule.name!r} of {rule.agency}: {reason}") from error
        rules.append(rule)
    return rules


def build_ruleset(rules: list[StarterRule], frequency=None) -> RuleSet:
    """A RuleSet keyed by the StarterRule itself (``key.agency`` is where a match routes)."""
    ruleset = RuleSet(frequency) if frequency else RuleSet()
    for rule in rules:
        ruleset.add(rule, rule.compile())
    return ruleset


@cache
def starter_ruleset() -> RuleSet:
    """The starter pack compiled once (for the CLI's ``routing test`` and the benchmarks)."""
    return build_ruleset(load_starter_rules())
