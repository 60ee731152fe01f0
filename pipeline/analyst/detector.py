"""Analyst rules as a detector family (``analyst_rules``) in the registry: one detector runs every
rule of the files ``detection.rules`` lists and returns ordinary results.

A rule that holds gives one result per utterance it hit (evidence: that utterance; span: the
utterance, or the measured event such as the silence itself), or, when it holds by absence
(``keyword: none``, ``not``), one whole-call result whose evidence is the rule's description.
The explanation names the rule, says what it checks (the analyst's description or one generated
from the condition) and what was found.
"""

from __future__ import annotations

from pipeline.analyst.conditions import CallContext
from pipeline.analyst.language import AnalystRule, RulePack, read_rule_pack, rule_paths
from pipeline.detect.base import Detector, Result
from pipeline.detect.settings import DetectionSettings
from pipeline.detect.view import CallView
from pipeline.present.explanation import Explanation

FAMILY = "analyst_rules"


class AnalystRuleRecognizer(Detector):
    family = FAMILY
    name = FAMILY

    def __init__(self, pack: RulePack, severities: dict[str, str] | None = None):
        self.pack = pack
        self.categories = tuple(dict.fromkeys(rule.category for rule in pack.rules))
        self.severities = severities or {}  # per category, when the settings override it

    def analyze(self, view: CallView) -> list[Result]:
        context = CallContext(view)
        return [result for rule in self.pack.rules for result in self.rule_results(rule, context)]

    def rule_results(self, rule: AnalystRule, context: CallContext) -> list[Result]:
        if rule.when is not None and not rule.when.evaluate(context).holds:
            return []
        outcome = rule.match.evaluate(context)
        if not outcome.holds:
            return []
        category = self.pack.category(rule.category)
        detector = f"{FAMILY}:{rule.id}"
        said = f"分析规则 {rule.id}（{rule.where}）：{rule.description}"
        common = dict(
            call_id=context.view.call.call_id,
            category=rule.category,
            severity=rule.severity or self.severities.get(rule.category) or category.severity,
            score=round(rule.score, 3),
            clauses=category.clauses,
            detectors=[detector],
        )
        if not outcome.hits:
            return [
                Result(
                    **common,
                    start=0.0,
                    end=round(context.duration, 3),
                    speaker=None,
                    segment_index=None,
                    evidence=rule.description,
                    explanations=[Explanation(detector, said)],
                )
            ]
        results = []
        for hit in outcome.hits:
            u = context.view.utterances[hit.index]
            explanation = Explanation(detector, f"{said}；{hit.detail}")
            if u.role_reason:
                explanation = explanation.guessed(u.role_reason)
            results.append(
                Result(
                    **common,
                    start=u.segment.start if hit.start is None else hit.start,
                    end=u.segment.end if hit.end is None else hit.end,
                    speaker=u.role,
                    segment_index=u.index,
                    evidence=u.segment.text,
                    explanations=[explanation],
                )
            )
        return results


def analyst_rule_detectors(settings: DetectionSettings) -> list[Detector]:
    """The family's detector for these settings: the rules of ``detection.rules`` whose category
    runs for this institution (``DetectionSettings.runs``)."""
    if not settings.rules:
        return []
    pack = read_rule_pack(rule_paths(settings.rules))
    rules = tuple(rule for rule in pack.rules if settings.runs(rule.category))
    severities = {c: s.severity for c, s in settings.categories.items() if s.severity}
    return [AnalystRuleRecognizer(RulePack(rules, pack.categories), severities)] if rules else []
