"""Analyst rules as a detector family (``analyst_rules``) in the registry: one detector runs every
rule of the files ``detection.rules`` lists and returns ordinary findings.

A rule that holds gives one finding per utterance it hit (evidence: that utterance; span: the
utterance, or the measured event such as the silence itself), or, when it holds by absence
(``keyword: none``, ``not``), one whole-call finding whose evidence is the rule's description.
The explanation names the rule, says what it checks (the analyst's description or one generated
from the condition) and what was found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..calls import Finding
from ..categories import category_table
from ..detect.view import CallView, ViewDetector
from ..resources import data_path
from .conditions import CallContext
from .language import AnalystRule, RulePack, read_rule_pack

FAMILY = "analyst_rules"


class AnalystRuleDetector(ViewDetector):
    name = FAMILY

    def __init__(self, pack: RulePack, severities: dict[str, str] | None = None):
        self.pack = pack
        self.severities = severities or {}  # per category, from the settings

    def analyze_view(self, view: CallView) -> list[Finding]:
        context = CallContext(view)
        findings = []
        for rule in self.pack.rules:
            findings.extend(self.rule_findings(rule, context))
        return findings

    def rule_findings(self, rule: AnalystRule, context: CallContext) -> list[Finding]:
        if rule.when is not None and not rule.when.evaluate(context).holds:
            return []
        outcome = rule.match.evaluate(context)
        if not outcome.holds:
            return []
        category = self.pack.category(rule.category)
        common = dict(
            call_id=context.view.call.call_id,
            category=rule.category,
            severity=rule.severity or self.severities.get(rule.category) or category.severity,
            score=round(rule.score, 3),
            clauses=category.clauses,
            detector=f"{FAMILY}:{rule.id}",
        )
        explained = f"分析规则 {rule.id}（{rule.where}）：{rule.description}"
        if not outcome.hits:
            return [Finding(**common, start=0.0, end=round(context.duration, 3), speaker=None, segment_index=None,
                            evidence=rule.description, explanation=explained)]
        findings = []
        for hit in outcome.hits:
            u = context.view.utterances[hit.index]
            findings.append(
                Finding(
                    **common,
                    start=u.segment.start if hit.start is None else hit.start,
                    end=u.segment.end if hit.end is None else hit.end,
                    speaker=u.role,
                    segment_index=u.index,
                    evidence=u.segment.text,
                    explanation=f"{explained}；{hit.detail}",
                )
            )
        return findings


def rule_paths(detection: dict[str, Any]) -> list[Path]:
    """The rule files and folders of ``detection.rules``; relative paths are taken from the
    callqa folder (where ``lexicons/rules/`` ships) when they do not exist from here."""
    paths = []
    for entry in detection.get("rules") or []:
        path = Path(entry)
        paths.append(path if path.is_absolute() or path.exists() else data_path(str(entry)))
    return paths


def analyst_rule_detectors(detection: dict[str, Any], enabled) -> list[ViewDetector]:
    """The family's detector for these settings, with the rules of switched-off categories left
    out (``enabled(category)`` for the table's categories; a category a rule file adds runs
    unless ``detection.categories.<id>.enabled`` is false)."""
    paths = rule_paths(detection)
    if not paths:
        return []
    pack = read_rule_pack(paths)
    table = category_table()
    settings = detection.get("categories") or {}

    def runs(category: str) -> bool:
        if category in table:
            return enabled(category)
        return (settings.get(category) or {}).get("enabled", True)

    rules = tuple(rule for rule in pack.rules if runs(rule.category))
    severities = {c: s["severity"] for c, s in settings.items() if isinstance(s, dict) and s.get("severity")}
    return [AnalystRuleDetector(RulePack(rules, pack.categories), severities)] if rules else []
