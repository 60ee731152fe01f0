"""The detectors of every family the category table names, and how their results are merged
(Presidio's ``RecognizerRegistry``).

``detect_call(call, config)`` is what the scan calls per call. The registry for a given
``detection:`` section is built once (lexicons read, validated and compiled) and cached:
``build_registry`` asks each family in ``FAMILIES`` for the detectors of the categories it feeds
per ``lexicons/categories.yaml`` and that run for this institution (``DetectionSettings.runs``).

Each call is first prepared into a ``CallView`` (homophones repaired, roles of ``unknown``
speakers guessed), shared by every detector. Results of every family for the same category and
segment (or the same call, for call-level categories) become one finding: the best evidence is
kept, scores combine by noisy-or, every contributing detector is listed, and only then does the
category's threshold from ``callqa.yaml`` apply. A finding of the classifier alone, with no
lexicon or dialogue rule agreeing, must also reach the higher probability of its alone
threshold (the model card's, chosen on writer-grouped cross-validation, or
``classifier.alone_thresholds``): on its own the model takes firm talk for threats and a
police-is-coming threat for impersonation. And it yields to a rule that names a neighbouring
harm on the same line (``YIELDS_TO``): the model confuses a fake arrest or a visit's fee with
a threat, the rule says which harm it is. Nor does it stand on a line that says, in the words the
category's own lexicon cancels on, that the consequence is lawful process or someone else's
report (``VETOED_BY``): the model reads the words of a harm, not what the sentence does with them.
The other way round, a rule's finding that the model does not share, on a line it scores under the
category's ``classifier.overrule_below``, is dropped: the rules match words, and the model has read
how writers' clean calls use them (negated, conditional, lawful, another's words).

One call's detection may take at most ``time_limit_seconds``: a call past it (a transcript of
pathological text) gives a ``DetectionError`` instead of holding up the batch.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Any

from pipeline.calls import Call, Finding
from pipeline.categories import category_table
from pipeline.detect.base import Detector, Result
from pipeline.detect.crosscall import CROSS_CALL_FAMILIES
from pipeline.detect.homophones import HomophoneRepairer
from pipeline.detect.lexicon_file import CancelCue
from pipeline.detect.limits import TimeLimitExceeded, time_limit
from pipeline.detect.prepare import CallPreparer
from pipeline.detect.recognizers.classifier import ClassifierRecognizer
from pipeline.detect.recognizers.disclosure import DisclosureRecognizer
from pipeline.detect.recognizers.lexicon import LexiconRecognizer
from pipeline.detect.recognizers.recording_notice import RecordingNoticeRecognizer
from pipeline.detect.recognizers.third_party import ThirdPartyRecognizer
from pipeline.detect.recognizers.unverified_identity import UnverifiedIdentityRecognizer
from pipeline.detect.resources import Resources
from pipeline.detect.settings import CategorySettings, DetectionSettings
from pipeline.detect.view import CallView
from pipeline.errors import CallqaError
from pipeline.text import domain_words
from pipeline.yamldoc import LexiconError

CLASSIFIER = ClassifierRecognizer.name
ANALYST_RULES = "analyst_rules"  # pipeline.analyst.detector.FAMILY: an analyst's rule is never overruled
# A finding of the classifier alone of the key category is dropped when a rule flags the same
# line as one of these: neighbouring harms the model confuses with it. Who hears a line
# (third_party_leak, unverified_identity) is no neighbouring harm: a threat told to a relative
# is both. On leave-one-tune-writer-out folds (ten writers) it took threat's false calls from
# 21 to 15 for one true call lost (benchmarks/leave_writer_out.py --card-thresholds).
# For impersonation (the same folds, alone threshold 0.5 to 0.95): the model takes a claim that
# proceedings are under way, a fee or a threat for a posing official; calls it alone flagged
# falsely at the model card's alone threshold 10 -> 3, the 3 true ones kept. Measured again on
# the sixteen tune writers' folds (model card's alone thresholds 0.636, 0.904): threat's false
# calls 22 -> 16 for 2 true lost (F1 0.916 -> 0.920), impersonation's 14 -> 4 for 1 (0.958 ->
# 0.973); the exaggeration neighbour does nearly all of it, the money categories nothing there.
# Adding third_party_leak or unverified_identity as neighbours of threat lost 19 true calls.
YIELDS_TO: dict[str, tuple[str, ...]] = {
    "threat": ("exaggeration", "impersonation", "extra_fees", "illegal_funding", "private_channel"),
    "impersonation": ("exaggeration", "threat", "extra_fees", "illegal_funding", "private_channel"),
}
# ... except in a call where a rule finds the model's category on another line: an official the
# agent poses as who claims proceedings is impersonation as well as exaggeration (categories.md,
# Rulings), and the line stays among the call's evidence.
KEPT_IN_A_RULED_CALL = ("impersonation",)
# A finding of the classifier alone of the key category is dropped when its line holds a cue of
# these cancels (by name) of the category's own lexicon: a lawful consequence explained (强制执行是
# 法院依法执行的…, 限制出境是执行阶段才可能的) or one the customer heard elsewhere (我听工友讲…).
# On the same folds at alone threshold 0.7, the calls it alone flagged: false 4 -> 1, true 5 -> 4;
# on the sixteen writers' folds false 24 -> 18, true 20 -> 18 at 0.7, and at 0.8 (the threshold
# now, settings.py) false 9 -> 7, true 18 -> 16: no call-level gain there, nor on the dev writers
# (0.929 either way); kept because what it drops is lawful talk or hearsay by its own words.
# Its negation cancel (否定) added nothing there and took true calls on tune: a line's 不会 or
# 不是 need not deny the consequence (不交的话案子不会关). Impersonation has none: its lawful and
# reported-speech cancels cost more true finds of a fake lawyer than false calls they saved. Nor
# does threat: on the sixteen writers' folds no cancel of its lexicon as a veto moved its F1 by
# more than 0.001 except 否定 (a 不 anywhere on the line: 0.920 -> 0.840) and 转述 (0.909);
# threat's two are cancels written for the veto (twelfth round): the debtor summoned to the
# station, and a line whose menace only points back (你就等着吧, 不信拉倒, 这事没完): on five
# writer-grouped folds over the thirty tune writers they took 7 false threat calls, no true one.
# Impersonation's are the calling body named truthfully: a mediation centre on its own call, or a
# body said in the same breath not to be the state (是民间调解机构，不是法院). The model does not
# see who is calling, and took a mediation centre's own staff for a posing official. Not the law
# firm's own call (来电机构即律所): there the model alone found five calls' staff who pose as a
# firm's lawyer, and it lost them as a veto.
VETOED_BY: dict[str, tuple[str, ...]] = {
    "exaggeration": ("转述", "合法表述"),
    "impersonation": ("来电机构即调解机构", "自述非官方"),
    # a fee the institution bears or does not charge (twenty-second round, when the model began
    # finding the money categories alone)
    "extra_fees": ("机构承担",),
    # the debtor summoned to the station (不然你得来所里一趟): a posing officer's procedure,
    # which 7 of 8 tune writers' lines and fresh4's 2 leave unlabelled as threat; a line that
    # only points back: 125 of 142 tune lines unlabelled. A line naming the police or another
    # office, or a court and its process (fourteenth round): the legal consequence told, which
    # tune writers label threat on 24 of the 1,732 agent or mono lines that name them, each of the 38
    # writers mostly not; the model alone took such lines (the police coming to the village, the court's
    # people to the factory) for threats. Dev twenty 461/63/50 -> 458/58/53 (0.891 -> 0.892).
    "threat": ("传唤到所属夸大后果", "只是指回", "警察上门属夸大后果", "以流程为名属夸大后果"),
}
# A finding of the classifier alone of the key category is dropped when the category's lexicon found
# its words on the line and one of these cancels took them, the cue written there: the rule read the
# harm negated (我们不会上门，也不会去你单位) or as another's words (他说要把你照片发群里), which the
# model's n-grams do not see. On tune, each writer scored by fold models that never read it
# (alone 0.45), such lines are 0 labelled and 5 unlabelled by 5 writers (the one labelled line with
# a 否定 match took it by sound: 不回 as 不会); by any cancel, 20 labelled and 11 not.
VETOED_BY_READING: dict[str, tuple[str, ...]] = {"threat": ("否定", "转述")}
CORE_CATEGORIES = category_table().core
# The per-call families, in the order their results are merged (the first of equal scores wins).
FAMILIES: dict[str, type[Detector]] = {
    cls.family: cls
    for cls in (
        LexiconRecognizer,
        DisclosureRecognizer,
        ThirdPartyRecognizer,
        UnverifiedIdentityRecognizer,
        RecordingNoticeRecognizer,
        ClassifierRecognizer,
    )
}


class DetectionError(CallqaError):
    """One call's detection could not finish (it ran past the time limit); names the call."""


def _judged_as(result: Result) -> str:
    """The model category that judges a rule's finding: its own, except the unverified_identity
    twin of a leak (the third-party rule flags both on one line), which stands or falls with the
    leak. Dev 26 with the leak's floor: unverified_identity 644/67/30 -> 644/51/30, no true call lost."""
    if result.category == "unverified_identity" and result.detectors == ["rule:third_party_leak"]:
        return "third_party_leak"
    return result.category


def merge(results: list[Result]) -> list[Result]:
    """One result per (category, segment) or (category, call): noisy-or of the scores."""
    groups: dict[tuple[str, int | None], list[Result]] = {}
    for r in results:
        groups.setdefault((r.category, r.segment_index), []).append(r)
    merged = []
    for group in groups.values():
        best = max(group, key=lambda r: r.score)
        if len(group) == 1:
            merged.append(best)
            continue
        remaining = 1.0
        for r in group:
            remaining *= 1.0 - r.score
        told = best.explanation
        others = [e for r in group if r is not best and r.explanation not in told for e in r.explanations]
        merged.append(
            Result(
                call_id=best.call_id,
                category=best.category,
                severity=best.severity,
                score=round(1.0 - remaining, 3),
                start=best.start,
                end=best.end,
                speaker=best.speaker,
                segment_index=best.segment_index,
                evidence=best.evidence,
                clauses=list(dict.fromkeys(c for r in group for c in r.clauses)),
                detectors=list(dict.fromkeys(d for r in group for d in r.detectors)),
                explanations=[*best.explanations, *others],
                span=best.span or next((r.span for r in group if r.span), None),  # all on one segment
                hindsight=any(r.hindsight for r in group),
            )
        )
    return sorted(merged, key=lambda r: (r.start, r.segment_index is not None, r.category))


def _alone(result: Result) -> bool:
    return result.detectors == [CLASSIFIER]


def _yields(result: Result, found: list[Result]) -> bool:
    """A finding of the classifier alone on a line that a rule flags as a neighbouring harm
    (unless, for ``KEPT_IN_A_RULED_CALL``, a rule finds its category elsewhere in the call)."""
    if not _alone(result):
        return False
    ruled = [other for other in found if not _alone(other)]
    if result.category in KEPT_IN_A_RULED_CALL and any(other.category == result.category for other in ruled):
        return False
    neighbours = YIELDS_TO.get(result.category, ())
    return any(other.category in neighbours and other.segment_index == result.segment_index for other in ruled)


class DetectorRegistry:
    def __init__(
        self,
        detectors: list[Detector],
        preparer: CallPreparer,
        settings: DetectionSettings,
        vetoes: dict[str, list[CancelCue]] | None = None,
    ):
        self.detectors = detectors
        self.preparer = preparer
        self.settings = settings
        self.vetoes = vetoes or {}  # per category: the lexicon's cancels of VETOED_BY
        # per category: its own lexicon's recognizer, whose cancels VETOED_BY_READING asks about
        self.lexicons = {
            d.categories[0]: d for d in detectors if isinstance(d, LexiconRecognizer) and len(d.categories) == 1
        }

    @property
    def classifier(self) -> ClassifierRecognizer | None:
        return next((d for d in self.detectors if isinstance(d, ClassifierRecognizer)), None)

    def analyze(self, call: Call) -> list[Finding]:
        """The findings of one call; ``DetectionError`` when it runs past the time limit."""
        [found] = self.analyze_many([call])
        if isinstance(found, DetectionError):
            raise found
        return found

    def analyze_many(self, calls: list[Call]) -> list[list[Finding] | DetectionError]:
        """Findings per call, or the ``DetectionError`` of a call that ran past the time limit
        (the others are unaffected). Detectors that offer ``analyze_many`` (the classifier: one
        model call for a whole batch is several times faster) get the batch at once."""
        batched = [d for d in self.detectors if type(d).analyze_many is not Detector.analyze_many]
        views: list[CallView | None] = []
        found: list[dict[int, list[Result]]] = []  # per call: each detector's results
        failed: dict[int, DetectionError] = {}
        for k, call in enumerate(calls):
            try:
                with time_limit(self.settings.time_limit_seconds):
                    view = self.preparer.view(call)
                    found.append({id(d): d.analyze(view) for d in self.detectors if d not in batched})
            except TimeLimitExceeded:
                limit = self.settings.time_limit_seconds
                failed[k] = DetectionError(
                    f"call {call.call_id!r}: detection took longer than {limit:g} s and was stopped"
                )
                view = None
                found.append({})
            views.append(view)
        live = [k for k, view in enumerate(views) if view is not None]
        for detector in batched:
            for k, results in zip(live, detector.analyze_many([views[k] for k in live])):
                found[k][id(detector)] = results
        kept: dict[int, list[Result]] = {}
        for k, by_detector in enumerate(found):
            if k in failed:
                continue
            # in the detectors' order, batched or not: the first of equal scores wins the merge
            results = [r for d in self.detectors for r in by_detector.get(id(d), ())]
            passed = [r for r in merge(results) if self._passes(r)]
            kept[k] = [r for r in passed if not _yields(r, passed) and not self._vetoed(r, views[k])]
        overruled = self._overruled(kept, views)
        return [
            failed[k] if k in failed else [self._cited(r).to_finding() for r in kept[k] if id(r) not in overruled]
            for k in range(len(calls))
        ]

    def _overruled(self, kept: dict[int, list[Result]], views: list[CallView | None]) -> set[int]:
        """The ids of rule findings (no model, no analyst rule among their detectors, no ``hindsight``)
        of a category in ``classifier.overrule_below`` whose line the model scores under that floor:
        one model call for the whole batch."""
        floors = self.settings.classifier.overrule_below
        if self.classifier is None or not floors:
            return set()
        doubted = [
            (r, line, judged)
            for k, results in kept.items()
            for r in results
            if floors.get(judged := _judged_as(r)) is not None
            and not r.hindsight
            and not any(d == CLASSIFIER or d.startswith(ANALYST_RULES) for d in r.detectors)
            for line in views[k].utterances
            if line.index == r.segment_index
        ]
        probabilities = self.classifier.line_probabilities([line for _, line, _ in doubted]) if doubted else []
        # a category the model does not know is never overruled (its probability is not 0)
        return {
            id(r) for (r, _, judged), p in zip(doubted, probabilities) if judged in p and p[judged] < floors[judged]
        }

    def _vetoed(self, result: Result, view: CallView) -> bool:
        """A finding of the classifier alone on a line holding a cue of its category's ``VETOED_BY``,
        as written in the repaired line, or where a cancel of ``VETOED_BY_READING`` took the
        category's lexicon match on it (the cue written there). By sound the cues matched 209 of tune's agent lines that
        hold none, mostly other words or across words (支行 as 执行 67, 准备起诉 19, 干净 as 干警
        14, 登记为 9); dev twenty-three threat 540/67/57 -> 542/67/55, tune's noised copies no worse."""
        if not _alone(result):
            return False
        line = next((u for u in view.utterances if u.index == result.segment_index), None)
        if line is None:
            return False
        agency = view.call.agency or ""
        cancels = self.vetoes.get(result.category, ())
        if any(
            cancel.applies_on(agency) and cancel.framed_in(line.text) and cancel.found_in(line.text)
            for cancel in cancels
        ):
            return True
        reading = VETOED_BY_READING.get(result.category)
        lexicon = self.lexicons.get(result.category)
        return bool(reading and lexicon) and any(
            name in reading and cue in line.text for name, cue in lexicon.cancelled_on(line, agency)
        )

    def _alone_threshold(self, category: str) -> float:
        """The settings' classifier.alone_thresholds, else the model card's."""
        configured = self.settings.classifier.alone_thresholds.get(category)
        if configured is not None:
            return configured
        return max((getattr(d, "alone_thresholds", {}).get(category, 0.0) for d in self.detectors), default=0.0)

    def _cited(self, result: Result) -> Result:
        """Only the clauses of the documents the institution is bound by."""
        return dataclasses.replace(result, clauses=self.settings.cited(result.clauses))

    def _passes(self, result: Result) -> bool:
        """A rule's finding (alone or with the model) needs the category's threshold; one of the model
        alone its alone threshold, even where that is the lower (one set under the category's lets the
        model alone flag lines a rule's weak hit on a misheard word could not). A category threshold raised above the
        default raises the bar for every finding of the category, the model's alone included."""
        threshold = self.settings.categories[result.category].threshold
        if _alone(result):
            alone = self._alone_threshold(result.category)
            threshold = max(alone, threshold) if threshold > CategorySettings.threshold else alone
        return self.settings.runs(result.category) and result.score >= threshold


def build_registry(detection: dict[str, Any] | DetectionSettings) -> DetectorRegistry:
    """Every per-call detector the category table names, for one ``detection:`` section."""
    settings = (
        detection
        if isinstance(detection, DetectionSettings)
        else DetectionSettings.from_config({"detection": detection})
    )
    table = category_table()
    unknown = [
        f"{table.path}: categories.{c.id}.families: unknown family {family!r} (known: {', '.join([*FAMILIES, *CROSS_CALL_FAMILIES])})"
        for c in table
        for family in c.families
        if family not in FAMILIES and family not in CROSS_CALL_FAMILIES
    ]
    if unknown:
        raise LexiconError(unknown)
    resources = Resources.load(settings, table)
    missing = sorted({c.id for c in table.fed_by("lexicon")} - {lexicon.category for lexicon in resources.lexicons})
    if missing:
        raise LexiconError(
            [
                f"{table.path}: {c} is fed by the lexicon family, but {settings.lexicon_path} has no file with category: {c}"
                for c in missing
            ]
        )
    detectors: list[Detector] = []
    for family, cls in FAMILIES.items():
        categories = [c.id for c in table.fed_by(family) if settings.runs(c.id)]
        if categories:
            detectors.extend(cls.build(categories, resources))
    from pipeline.analyst.detector import analyst_rule_detectors  # here: pipeline/analyst/ builds on this package

    detectors.extend(analyst_rule_detectors(settings))  # rules QA analysts write
    vetoes = {
        lexicon.category: [c for c in lexicon.cancels if c.name in VETOED_BY[lexicon.category]]
        for lexicon in resources.lexicons
        if lexicon.category in VETOED_BY
    }
    unnamed = [
        f"{settings.lexicon_path}: {category}'s lexicon has no cancel named {name} (registry.VETOED_BY)"
        for category, cancels in vetoes.items()
        for name in VETOED_BY[category]
        if name not in {c.name for c in cancels}
    ]
    if unnamed:
        raise LexiconError(unnamed)
    return DetectorRegistry(detectors, build_preparer(resources), settings, vetoes)


def build_preparer(resources: Resources) -> CallPreparer:
    """How every call is prepared for the detectors: homophones repaired, unknown speakers' roles guessed."""
    settings = resources.settings
    repairer = _repairer(
        frozenset(resources.vocabulary), frozenset(domain_words(settings.lexicon_path)), frozenset(resources.kept)
    )
    return CallPreparer(repairer, resources.dialogue, resources.finder, settings.max_segment_chars)


@functools.lru_cache(maxsize=8)
def _repairer(vocabulary: frozenset[str], domain: frozenset[str], kept: frozenset[str]) -> HomophoneRepairer:
    """One repairer per vocabulary (spelling every word in pinyin is most of a registry's
    build once the lexicons are read): registries for other thresholds or switches share it."""
    return HomophoneRepairer(vocabulary, domain, kept)


@functools.lru_cache(maxsize=1)
def default_preparer() -> CallPreparer:
    """The default settings' preparer alone, without the detectors (no model loaded): the console
    shows the roles detection guessed on a mono call."""
    settings = DetectionSettings.from_config(_default_config())
    return build_preparer(Resources.load(settings, category_table()))


@functools.lru_cache(maxsize=1)
def _default_config() -> dict[str, Any]:
    from pipeline.config import load_config

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
    """The findings of one call; ``DetectionError`` when its detection runs past the time limit."""
    return default_registry(config).analyze(call)


def detect_calls(calls: list[Call], config: dict[str, Any] | None = None) -> list[list[Finding] | DetectionError]:
    """``detect_call`` for a batch (faster when the classifier is present): per call its findings,
    or the ``DetectionError`` that stopped it, so that one bad call never stops the others."""
    return default_registry(config).analyze_many(calls)
