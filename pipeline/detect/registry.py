"""The list of detectors and how their findings are merged (Presidio's RecognizerRegistry).

``detect_call(call, config)`` is what the scan calls per call. The registry for a given
``detection:`` section is built once (lexicons read, validated and compiled) and cached.

Each call is first prepared into a ``CallView`` (homophones repaired, roles of ``unknown``
speakers guessed), shared by the lexicon and dialogue detectors; detectors from elsewhere
(the classifier) get the plain call. Findings of every family for the same category and
segment (or the same call, for call-level categories) become one finding: the best
evidence is kept, scores combine by noisy-or, every contributing detector is listed, and only
then does the category's threshold from ``callqa.yaml`` apply. A finding of the classifier
alone, with no lexicon or dialogue rule agreeing, must also reach the higher probability of
``classifier.alone_thresholds``: on its own the model takes firm talk for threats and a
police-is-coming threat for impersonation.

Detectors from elsewhere read the transcript's speakers, so on a mono recording they also score
the customer's words; their findings on a segment the role guess gives to the customer are
dropped (客户说“你们这些放贷的都是骗子” is no agent insult), the others take the guessed role;
a guess from turn order alone, without any cue, overrules nothing.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ..calls import Call, Finding
from ..categories import category_table
from ..text import LEXICON_DIR
from .dialogue import (
    TURN_TAKING,
    DisclosureDetector,
    InstitutionFinder,
    RoleGuesser,
    ThirdPartyDetector,
    load_dialogue_rules,
)
from ..yamldoc import LexiconError
from .lexicon import HomophoneRepairer, LexiconDetector, clean_text, load_category_lexicons, sound_text
from .protocol import protocol_detectors
from .settings import category_settings
from .view import CallView, Utterance, ViewDetector

CLASSIFIER = "classifier"  # the detector name of the classifier family (classifier.ClassifierDetector)
CORE_CATEGORIES = category_table().core


class Detector:
    """A detector from another family (the classifier): reads the plain call and returns
    findings, each with a score and an explanation. This package's own detectors are
    ``ViewDetector``s and read the prepared ``CallView`` instead."""

    name: str = "detector"

    def analyze(self, call: Call) -> list[Finding]:
        raise NotImplementedError


class CallPreparer:
    """Builds the ``CallView`` every detector of this package reads."""

    def __init__(self, repairer: HomophoneRepairer, roles: RoleGuesser):
        self.repairer = repairer
        self.roles = roles

    def view(self, call: Call) -> CallView:
        repaired = [self.repairer.repair(clean_text(s.text)) for s in call.segments]
        texts = [text for text, _ in repaired]
        sounds = [sound_text(text) for text in texts]
        roles = self.roles.guess(texts, sounds, [s.speaker for s in call.segments])
        return CallView(
            call=call,
            utterances=[
                Utterance(index=i, segment=s, role=role, role_reason=reason, text=text, sound=sound, repairs=repairs)
                for i, (s, (text, repairs), sound, (role, reason)) in enumerate(zip(call.segments, repaired, sounds, roles))
            ],
        )


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per (category, segment) or (category, call): noisy-or of the scores."""
    groups: dict[tuple[str, int | None], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.category, f.segment_index), []).append(f)
    merged = []
    for group in groups.values():
        best = max(group, key=lambda f: f.score)
        if len(group) == 1:
            merged.append(best)
            continue
        remaining = 1.0
        for f in group:
            remaining *= 1.0 - f.score
        detectors = list(dict.fromkeys(part for f in group for part in f.detector.split("+")))
        others = [f.explanation for f in group if f is not best and f.explanation not in best.explanation]
        merged.append(
            Finding(
                **{
                    **best.to_json(),
                    "score": round(1.0 - remaining, 3),
                    "detector": "+".join(detectors),
                    "clauses": list(dict.fromkeys(c for f in group for c in f.clauses)),
                    "explanation": "；".join([best.explanation, *others]),
                }
            )
        )
    return sorted(merged, key=lambda f: (f.start, f.segment_index is not None, f.category))


class DetectorRegistry:
    def __init__(
        self,
        detectors: list[Detector | ViewDetector],
        preparer: CallPreparer,
        categories: dict[str, dict] | None = None,
        alone_thresholds: dict[str, float] | None = None,
    ):
        self.detectors = detectors
        self.preparer = preparer
        self.categories = categories or {}
        self.alone_thresholds = alone_thresholds or {}  # per category, for classifier-only findings

    def analyze(self, call: Call) -> list[Finding]:
        return self.analyze_many([call])[0]

    def analyze_many(self, calls: list[Call]) -> list[list[Finding]]:
        """Findings per call. Detectors that offer ``analyze_many`` (the classifier: one model
        call for a whole batch is several times faster) get the batch at once."""
        found: list[list[Finding]] = [[] for _ in calls]
        views = [self.preparer.view(call) for call in calls]
        for detector in self.detectors:
            if isinstance(detector, ViewDetector):
                for k, view in enumerate(views):
                    found[k].extend(detector.analyze_view(view))
            elif hasattr(detector, "analyze_many"):
                for k, findings in enumerate(detector.analyze_many(calls)):
                    found[k].extend(_as_guessed(views[k], findings))
            else:
                for k, call in enumerate(calls):
                    found[k].extend(_as_guessed(views[k], detector.analyze(call)))
        return [[f for f in merge_findings(findings) if self._passes(f)] for findings in found]

    def _passes(self, finding: Finding) -> bool:
        settings = self.categories.get(finding.category, {})
        threshold = settings.get("threshold", 0.5)
        if finding.detector == CLASSIFIER:
            threshold = max(threshold, self.alone_thresholds.get(finding.category, 0.0))
        return settings.get("enabled", True) and finding.score >= threshold


def _as_guessed(view: CallView, findings: list[Finding]) -> list[Finding]:
    """Findings of a detector that read the plain call, on the speaker the role guess gives:
    none on segments a customer cue gives to the customer."""
    kept = []
    for f in findings:
        if f.segment_index is not None and f.speaker == "unknown":
            utterance = view.utterances[f.segment_index]
            if utterance.role_reason == TURN_TAKING:
                kept.append(f)  # turn order alone is too weak a guess to overrule the model
                continue
            if utterance.role == "customer":
                continue
            explanation = f"{f.explanation}；说话人由话术推断（{utterance.role_reason}）"
            f = Finding(**{**f.to_json(), "speaker": utterance.role, "explanation": explanation})
        kept.append(f)
    return kept


def _load_classifier(detection: dict[str, Any]):
    """The classifier family (branch ``classifier``) when its module and model file exist."""
    try:
        from .classifier import load_default
    except ImportError:
        return None
    return load_default({"detection": detection})


def build_registry(detection: dict[str, Any]) -> DetectorRegistry:
    """All detector families for one ``detection:`` settings section."""
    lexicon_dir = Path(detection.get("lexicon_dir") or LEXICON_DIR)
    categories = detection.get("categories") or {}
    table = category_table()
    lexicons = load_category_lexicons(lexicon_dir, table)
    missing = sorted({c.id for c in table.fed_by("lexicon")} - {lexicon.category for lexicon in lexicons})
    if missing:
        raise LexiconError([f"{table.path}: {c} is fed by the lexicon family, but {lexicon_dir} has no file with category: {c}" for c in missing])
    rules = load_dialogue_rules(lexicon_dir)
    institutions = [str(name) for name in detection.get("institutions") or []]
    vocabulary = set(rules.vocabulary) | set(institutions)
    for lexicon in lexicons:
        vocabulary |= lexicon.vocabulary
    preparer = CallPreparer(HomophoneRepairer(vocabulary), RoleGuesser(rules))

    def enabled(category: str) -> bool:
        """Switched on, and covered by a document the institution is bound by (settings.py)."""
        return category_settings(detection, category) is not None

    lexicon_settings = detection.get("lexicon") or {}
    detectors: list[Detector | ViewDetector] = [
        LexiconDetector(
            lexicon,
            severity=(categories.get(lexicon.category) or {}).get("severity") or table[lexicon.category].severity,
            homophone_factor=lexicon_settings.get("homophone_factor", 0.85),
            guessed_role_factor=lexicon_settings.get("guessed_role_factor", 0.9),
        )
        for lexicon in lexicons
        if enabled(lexicon.category)
    ]
    finder = InstitutionFinder(rules, institutions)
    disclosure = detection.get("disclosure") or {}
    if enabled("missing_disclosure"):
        detectors.append(
            DisclosureDetector(
                rules,
                finder,
                agent_turns=int(disclosure.get("agent_turns", 3)),
                seconds=float(disclosure.get("seconds", 20)),
            )
        )
    if enabled("third_party_leak"):
        detectors.append(ThirdPartyDetector(rules, finder))
    detectors.extend(protocol_detectors(lexicon_dir, detection, rules, finder))
    from ..analyst.detector import analyst_rule_detectors  # here: that package builds on detect.view

    detectors.extend(analyst_rule_detectors(detection, enabled))
    classifier_settings = detection.get("classifier") or {}
    if classifier_settings.get("enabled", True):
        classifier = _load_classifier(detection)
        if classifier is not None:
            detectors.append(classifier)
    alone = {k: float(v) for k, v in (classifier_settings.get("alone_thresholds") or {}).items() if v is not None}
    # A category the institution is not bound by is dropped from every family's findings.
    switches = {c: {**(settings or {}), "enabled": enabled(c)} for c, settings in categories.items()}
    return DetectorRegistry(detectors, preparer, switches, alone)


@functools.lru_cache(maxsize=1)
def _default_config() -> dict[str, Any]:
    from ..config import load_config

    return load_config()


@functools.lru_cache(maxsize=8)
def _cached_registry(detection_json: str) -> DetectorRegistry:
    return build_registry(json.loads(detection_json))


def default_registry(config: dict[str, Any] | None = None) -> DetectorRegistry:
    """The registry for ``config`` (``load_config()`` when None), built once per settings."""
    if config is None:
        config = _default_config()
    detection = config.get("detection") or {}
    return _cached_registry(json.dumps(detection, sort_keys=True, ensure_ascii=False, default=str))


def detect_call(call: Call, config: dict[str, Any] | None = None) -> list[Finding]:
    return default_registry(config).analyze(call)


def detect_calls(calls: list[Call], config: dict[str, Any] | None = None) -> list[list[Finding]]:
    """``detect_call`` for a batch (faster when the classifier is present)."""
    return default_registry(config).analyze_many(calls)
