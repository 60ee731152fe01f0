import copy

from detect_helpers import OPENING, make_call
from pipeline.calls import Finding
from pipeline.config import load_config
from pipeline.detect.registry import CORE_CATEGORIES, build_registry, default_registry, merge_findings


def finding(category="threat", segment_index=3, score=0.8, detector="lexicon:threat", evidence="你这种老赖"):
    return Finding(
        call_id="t1", category=category, severity="high", score=score, start=9.0, end=11.5, speaker="agent",
        segment_index=segment_index, evidence=evidence, clauses=["GB 5.2.1.2"], detector=detector,
        explanation=f"{detector} says so",
    )


def test_same_category_and_segment_merge_into_one():
    merged = merge_findings([finding(score=0.8), finding(score=0.5, detector="classifier", evidence="老赖")])
    assert len(merged) == 1
    [f] = merged
    assert f.detector == "lexicon:threat+classifier"
    assert f.score == 0.9  # noisy-or: 1 - 0.2 * 0.5
    assert f.evidence == "你这种老赖"  # the stronger finding's evidence
    assert "classifier says so" in f.explanation


def test_different_segments_or_categories_stay_apart():
    merged = merge_findings([finding(), finding(segment_index=4), finding(category="exaggeration")])
    assert sorted((f.category, f.segment_index) for f in merged) == [("exaggeration", 3), ("threat", 3), ("threat", 4)]


def test_call_level_findings_merge_per_category():
    merged = merge_findings([finding("missing_disclosure", None), finding("missing_disclosure", None, detector="other")])
    assert len(merged) == 1 and merged[0].segment_index is None


class FakeClassifier:
    """A detector from another family: analyze(call) only, as the classifier offers."""

    name = "classifier"

    def analyze(self, call):
        return [finding(segment_index=3, score=0.6, detector="classifier")]


def test_registry_merges_lexicon_and_classifier_findings():
    registry = build_registry(load_config()["detection"])
    registry.detectors.append(FakeClassifier())
    call = make_call(OPENING + [("a", "你这种老赖，我们明天就上门")])
    [f] = registry.analyze(call)
    assert f.detector == "lexicon:threat+classifier"
    assert f.score > 0.9


def test_thresholds_and_switches_come_from_config():
    call = make_call(OPENING + [("a", "你这种老赖，我们明天就上门")])
    config = copy.deepcopy(load_config())
    config["detection"]["classifier"]["enabled"] = False  # the lexicon's own score, 0.85-0.9
    assert [f.category for f in default_registry(config).analyze(call)] == ["threat"]
    config["detection"]["categories"]["threat"]["threshold"] = 0.99
    assert default_registry(config).analyze(call) == []
    config["detection"]["categories"]["threat"] = {"enabled": False}
    assert default_registry(config).analyze(call) == []


def test_registry_is_built_once_per_settings():
    config = load_config()
    assert default_registry(config) is default_registry(copy.deepcopy(config))


class FakeBatchClassifier(FakeClassifier):
    def __init__(self):
        self.batches = []

    def analyze_many(self, calls):
        self.batches.append(len(calls))
        return [self.analyze(call) for call in calls]


def test_batch_detectors_get_the_whole_batch():
    registry = build_registry(load_config()["detection"])
    batch_detector = FakeBatchClassifier()
    registry.detectors.append(batch_detector)
    calls = [make_call(OPENING + [("a", "你这种老赖，我们明天就上门")], call_id=f"c{k}") for k in range(3)]
    results = registry.analyze_many(calls)
    assert batch_detector.batches == [3]
    assert [[f.detector for f in found] for found in results] == [["lexicon:threat+classifier"]] * 3


class FixedClassifier:
    """Flags one segment with a fixed probability, as the classifier would."""

    name = "classifier"

    def __init__(self, segment_index, score, speaker="agent"):
        self.segment_index, self.score, self.speaker = segment_index, score, speaker

    def analyze(self, call):
        f = finding(segment_index=self.segment_index, score=self.score, detector="classifier")
        return [Finding(**{**f.to_json(), "speaker": self.speaker})]


def registry_with(classifier, alone_threshold=0.85):
    """The core five's detectors plus ``classifier``: the protocol rules (recording notice, …)
    would add call-level findings these short calls are not about."""
    detection = copy.deepcopy(load_config()["detection"])
    detection["classifier"] = {"enabled": False, "alone_thresholds": {"threat": alone_threshold}}
    for category in set(detection["categories"]) - set(CORE_CATEGORIES):
        detection["categories"][category] = {**(detection["categories"][category] or {}), "enabled": False}
    registry = build_registry(detection)
    registry.detectors.append(classifier)
    return registry


def test_classifier_alone_needs_the_higher_probability():
    call = make_call(OPENING + [("a", "您今天必须给我一个明确的答复。")])
    assert registry_with(FixedClassifier(3, 0.8)).analyze(call) == []
    [f] = registry_with(FixedClassifier(3, 0.9)).analyze(call)
    assert f.detector == "classifier"


def test_classifier_agreeing_with_a_rule_needs_only_the_category_threshold():
    call = make_call(OPENING + [("a", "你这种老赖，我们明天就上门")])
    [f] = registry_with(FixedClassifier(3, 0.6)).analyze(call)
    assert f.detector == "lexicon:threat+classifier"


def test_classifier_findings_on_customer_speech_of_a_mono_call_are_dropped():
    turns = [("u", "喂，您好，我是某某金融的，请问是张伟吗？"), ("u", "你们是骗子吧，再打电话我就报警了"),
             ("u", "先生，我们这边是正规机构。")]
    assert registry_with(FixedClassifier(1, 0.99, speaker="unknown")).analyze(make_call(turns)) == []
    [f] = registry_with(FixedClassifier(2, 0.99, speaker="unknown")).analyze(make_call(turns))
    assert f.speaker == "agent" and "说话人由话术推断" in f.explanation
