import copy

from detect_helpers import OPENING, make_call
from pipeline.calls import Finding
from pipeline.config import load_config
from pipeline.detect.registry import build_registry, default_registry, merge_findings


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
