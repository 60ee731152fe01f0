"""``callqa rules test``: what the rules of one file would flag on a set of calls, before the
file goes live. Calls are prepared the way detection prepares them (roles guessed on mono,
homophones repaired), and only this file's rules run; no threshold or switch applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.analyst.detector import AnalystRuleRecognizer
from pipeline.analyst.language import RulePack, read_rule_pack
from pipeline.calls import Finding, read_calls


@dataclass
class TrialResult:
    location: str  # where the call is in the calls file
    call_id: str | None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None


def try_rules(rule_file: Path, calls_file: Path, config: dict[str, Any]) -> tuple[RulePack, list[TrialResult]]:
    """The rules of ``rule_file``, and each call of ``calls_file`` with the findings they give
    it; a call that breaks the format gives its error and the others go on."""
    from pipeline.detect.registry import default_registry

    pack = read_rule_pack([rule_file])
    detector = AnalystRuleRecognizer(pack)
    preparer = default_registry(config).preparer
    results = []
    for read in read_calls(calls_file):
        if read.call is None:
            results.append(TrialResult(read.location, None, error=read.error))
            continue
        found = [result.to_finding() for result in detector.analyze(preparer.view(read.call))]
        results.append(TrialResult(read.location, read.call.call_id, found))
    return pack, results
