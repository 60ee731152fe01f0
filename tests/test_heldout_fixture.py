"""The held-out evaluation set is well-formed and reproducible from its hand-written source.

These tests check shape only; they print no call text, so running them leaks nothing to tuners.
"""

import importlib.util
import json
from pathlib import Path

from pipeline.calls import call_from_json

LABELLED = Path(__file__).parent.parent / "fixtures" / "labelled"
CALLS = LABELLED / "heldout_v1" / "calls.jsonl"
CORE = {"threat", "impersonation", "exaggeration", "missing_disclosure", "third_party_leak"}


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_heldout", LABELLED / "heldout_v1" / "make_calls.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _calls():
    return [json.loads(line) for line in CALLS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_call_is_valid_transcript_format():
    for raw in _calls():
        call = call_from_json(raw)
        assert 8 <= len(call.segments) <= 30, call.call_id
        assert call.started_at.endswith("+08:00"), call.call_id


def test_labels_point_at_agent_utterances_and_disclosure_is_call_level():
    for raw in _calls():
        for label in raw["labels"]:
            assert label["category"] in CORE
            index = label["segment_index"]
            if label["category"] == "missing_disclosure":
                assert index is None, raw["call_id"]
            else:
                assert raw["segments"][index]["speaker"] in ("agent", "unknown"), (raw["call_id"], index)


def test_each_core_category_has_twenty_positive_calls_and_forty_clean_calls():
    calls = _calls()
    for category in CORE:
        positives = [c for c in calls if any(l["category"] == category for l in c["labels"])]
        assert len(positives) >= 20, category
    assert sum(not c["labels"] for c in calls) >= 40


def test_generator_reproduces_the_committed_file():
    generator = _load_generator()
    rebuilt = generator.build(generator.parse(generator.SOURCE.read_text(encoding="utf-8")))
    assert rebuilt == _calls()
