"""The held-out evaluation sets are well-formed and reproducible from their hand-written source.

Both sets are checked alike: ``heldout_v1`` (retired to development use) and ``heldout`` (the
current one). These tests check shape only; they print no call text, so running them leaks
nothing to tuners.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from pipeline.calls import call_from_json

LABELLED = Path(__file__).parent.parent / "fixtures" / "labelled"
SETS = ("heldout_v1", "heldout")
CORE = {"threat", "impersonation", "exaggeration", "missing_disclosure", "third_party_leak"}
NOT_WORDS = re.compile(r"[\s，。？！、；：,.?!;:…～~]")

pytestmark = pytest.mark.parametrize("name", SETS)


def _generator(name):
    spec = importlib.util.spec_from_file_location(f"make_{name}", LABELLED / name / "make_calls.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _calls(name):
    text = (LABELLED / name / "calls.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_call_is_valid_transcript_format(name):
    calls = _calls(name)
    for raw in calls:
        call = call_from_json(raw)
        assert 8 <= len(call.segments) <= 30, call.call_id
        assert call.started_at.endswith("+08:00"), call.call_id
        assert all(a.start <= b.start for a, b in zip(call.segments, call.segments[1:])), call.call_id
    assert len({raw["call_id"] for raw in calls}) == len(calls)


def test_labels_point_at_agent_utterances_and_disclosure_is_call_level(name):
    for raw in _calls(name):
        for label in raw["labels"]:
            assert label["category"] in CORE
            index = label["segment_index"]
            if label["category"] == "missing_disclosure":
                assert index is None, raw["call_id"]
            else:
                assert raw["segments"][index]["speaker"] in ("agent", "unknown"), (raw["call_id"], index)


def test_labels_stay_on_the_violating_words_through_recognition_noise(name):
    """Each labelled segment still holds most of the characters of the hand-labelled line,
    whatever splitting, merging or mishearing the noise did."""
    generator = _generator(name)
    raw_calls = generator.parse(generator.SOURCE.read_text(encoding="utf-8"))
    for raw, written in zip(_calls(name), raw_calls):
        for label, source in zip(raw["labels"], written["labels"]):
            assert label["category"] == source["category"], raw["call_id"]
            if label["segment_index"] is None:
                continue
            wanted = NOT_WORDS.sub("", written["lines"][source["segment_index"]][1])
            heard = set(NOT_WORDS.sub("", raw["segments"][label["segment_index"]]["text"]))
            kept = sum(ch in heard for ch in wanted) / len(wanted)
            assert kept >= 0.7, (raw["call_id"], label)


def test_each_core_category_has_twenty_positive_calls_and_forty_clean_calls(name):
    calls = _calls(name)
    for category in CORE:
        positives = [c for c in calls if any(label["category"] == category for label in c["labels"])]
        assert len(positives) >= 20, category
    assert sum(not c["labels"] for c in calls) >= 40


def test_noise_and_mono_variants_are_as_declared(name):
    """About a third of the calls carry recognition noise; mono calls have no speaker at all and
    the others always name agent or customer."""
    calls = _calls(name)
    noisy = sum("asr_noise" in c["variants"] for c in calls)
    assert abs(noisy - len(calls) * _generator(name).ASR_SHARE) <= len(CORE) + 1
    mono = [c for c in calls if "mono" in c["variants"]]
    assert 10 <= len(mono) <= 20
    for call in calls:
        speakers = {s["speaker"] for s in call["segments"]}
        assert (speakers == {"unknown"}) if call in mono else ("unknown" not in speakers), call["call_id"]


def test_generator_reproduces_the_committed_file(name):
    generator = _generator(name)
    rebuilt = generator.build(generator.parse(generator.SOURCE.read_text(encoding="utf-8")))
    assert rebuilt == _calls(name)


def test_call_ids_differ_between_sets(name):
    others = {c["call_id"] for other in SETS if other != name for c in _calls(other)}
    assert not others & {c["call_id"] for c in _calls(name)}
